# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the flow acceptance suite (tests/acceptance/README.md).

The one inventory loader of tests and benchmarks (tests/lib/uc_inventory.py), this folder's helpers
(acceptance_helpers.py) and the netns host fixtures (tests/hosts/fixtures.py) are imported by file path,
under their own module names (a plain ``from conftest import`` would find another folder's conftest)."""
import importlib.util
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)


def _load(name, path):
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[name])
    return sys.modules[name]


uc_inventory = _load("uc_inventory", os.path.join(TESTS, "lib", "uc_inventory.py"))
acceptance_helpers = _load("acceptance_helpers", os.path.join(HERE, "acceptance_helpers.py"))
_hosts = _load("tests_hosts_fixtures", os.path.join(TESTS, "hosts", "fixtures.py"))
netns_env_factory = _hosts.netns_env_factory


@pytest.fixture(scope="session")
def deployment():
    """The uc_flows result of the acceptance inventory, as a playbook computes it."""
    return uc_inventory.deployment(acceptance_helpers.INVENTORY)
