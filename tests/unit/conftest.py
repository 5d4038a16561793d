# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Make sure the plugin loaders see this checkout as collab.firewall (the test command sets
ANSIBLE_COLLECTIONS_PATH to the folder holding ansible_collections/collab/firewall)."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder


def pytest_configure(config):
    paths = [p for p in os.environ.get("ANSIBLE_COLLECTIONS_PATH", "").split(os.pathsep) if p]
    finder = _AnsibleCollectionFinder(paths=paths)
    finder._install()
