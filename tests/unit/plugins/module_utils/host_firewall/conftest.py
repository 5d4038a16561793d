# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A throw-away network namespace for the backend tests: real nft, iptables and ipset, never this machine's rules."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import subprocess
import uuid

import pytest

from ansible_collections.collab.firewall.plugins.module_utils.host_firewall.common import run
from ansible_collections.collab.firewall.tests.unit.plugins.plugin_utils.fixtures.render_samples import need_tool


@pytest.fixture
def netns():
    """(name, runner): every command of the runner runs inside a fresh, empty network namespace."""
    if os.geteuid() != 0:
        pytest.skip("the backend tests need root for a network namespace")
    need_tool("ip")
    name = "cfw-unit-%s" % uuid.uuid4().hex[:8]
    subprocess.run(["ip", "netns", "add", name], check=True, capture_output=True)

    def runner(argv, data=None):
        return run(["ip", "netns", "exec", name] + list(argv), data)

    try:
        yield name, runner
    finally:
        subprocess.run(["ip", "netns", "delete", name], check=False, capture_output=True)
