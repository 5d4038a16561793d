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


def family(expectation):
    """The address family of an expectation: ``family: 6`` rows are IPv6, every other row IPv4."""
    return expectation.get("family", 4)


def sample_address(deployment, name, version=4):
    """A node's own address of family ``version``, or for a zone the fifth address of its first network of that
    family (the address itself for a single host). A name without an address of that family is an error of the
    table, not a refusal."""
    if name in deployment["nodes"]:
        mine = [a.split("/")[0] for a in deployment["nodes"][name]["addresses"]
                if ipaddress.ip_network(a).version == version]
        assert mine, "%s has no IPv%d address in the acceptance inventory" % (name, version)
        return mine[0]
    networks = [ipaddress.ip_network(c) for c in deployment["zones"][name]]
    mine = [n for n in networks if n.version == version]
    assert mine, "zone %s has no IPv%d network in the acceptance inventory" % (name, version)
    network = mine[0]
    return str(network.network_address if network.num_addresses == 1 else network.network_address + 5)


def addresses(deployment, expectation):
    """(source address, destination address) of an expectation, in its family."""
    version = family(expectation)
    return (sample_address(deployment, expectation["src"], version),
            sample_address(deployment, expectation["dst"], version))


def is_host_node(deployment, name):
    """A UC node whose host firewall this collection renders (gateways are network devices)."""
    return name in deployment["nodes"] and deployment["nodes"][name]["product"] != "gateway"
