# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the flow acceptance suite (tests/acceptance/README.md).

The one inventory loader of tests and benchmarks (tests/lib/uc_inventory.py) and the netns host fixtures
(tests/hosts/fixtures.py) are imported by file path, under their own module names."""
import importlib.util
import ipaddress
import os
import sys

import pytest
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)


def _load(name, path):
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[name])
    return sys.modules[name]


uc_inventory = _load("uc_inventory", os.path.join(TESTS, "lib", "uc_inventory.py"))
_hosts = _load("tests_hosts_fixtures", os.path.join(TESTS, "hosts", "fixtures.py"))
netns_env_factory = _hosts.netns_env_factory

INVENTORY = os.path.join(HERE, "inventory")
EXPECTATIONS = os.path.join(HERE, "expectations.yml")


@pytest.fixture(scope="session")
def deployment():
    """The uc_flows result of the acceptance inventory, as a playbook computes it."""
    return uc_inventory.deployment(INVENTORY)


def load_expectations():
    with open(EXPECTATIONS) as handle:
        return yaml.safe_load(handle)["expectations"]


def sample_address(deployment, name):
    """A node's own IPv4 address, or for a zone the fifth address of its first network (the address itself
    for a single host)."""
    if name in deployment["nodes"]:
        return deployment["nodes"][name]["addresses"][0].split("/")[0]
    networks = [ipaddress.ip_network(c) for c in deployment["zones"][name]]
    network = [n for n in networks if n.version == 4][0]
    return str(network.network_address if network.num_addresses == 1 else network.network_address + 5)


def is_host_node(deployment, name):
    """A UC node whose host firewall this collection renders (gateways are network devices)."""
    return name in deployment["nodes"] and deployment["nodes"][name]["product"] != "gateway"
