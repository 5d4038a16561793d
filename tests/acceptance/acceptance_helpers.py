# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers of the flow acceptance suite: the expectations table and the addresses that stand for its ends."""
import ipaddress
import os

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
INVENTORY = os.path.join(HERE, "inventory")
EXPECTATIONS = os.path.join(HERE, "expectations.yml")


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
