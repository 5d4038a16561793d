# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every expectation of expectations.yml against the IOS and ASA ACLs of the acceptance deployment.

The flows are rendered through the public filters (to_ios_acls, to_asa_acl) as one ACL that stands between
every pair of endpoints, read back from the rendered configuration by the collection's ACL readers and
evaluated with its first-match packet matcher: the ACL permits exactly what the documents allow. IPv4 rows
are decided by the IOS ``ip access-list`` and IPv6 rows (``family: 6``) by the IOS ``ipv6 access-list``
(``NAME-V6``); the ASA access-list holds both families. ICMP rows are echo requests (ICMP type 8, ICMPv6 128)."""

import pytest

from ansible_collections.collab.firewall.plugins.filter.to_asa_acl import to_asa_acl
from ansible_collections.collab.firewall.plugins.filter.to_ios_acls import to_ios_acls
from ansible_collections.collab.firewall.plugins.plugin_utils.acl.matcher import permits
from ansible_collections.collab.firewall.plugins.plugin_utils.acl.readers import asa_aces, ios_aces
from acceptance_helpers import addresses, family, load_expectations  # registered by conftest.py

EXPECTATIONS = load_expectations()


@pytest.fixture(scope="module")
def acls(deployment):
    ios = to_ios_acls(deployment, "UC-ACCEPT")
    asa = to_asa_acl(deployment, "UC-ACCEPT", interface="inside")
    lines = asa["lines"] if isinstance(asa["lines"], str) else "\n".join(asa["lines"])
    ios_lists = ios_aces(ios["acls"], ios["object_group_lines"])
    asa_list = asa_aces(lines)["UC-ACCEPT"]
    return {("ios", 4): ios_lists[("ipv4", "UC-ACCEPT")], ("ios", 6): ios_lists[("ipv6", "UC-ACCEPT-V6")],
            ("asa", 4): asa_list, ("asa", 6): asa_list}


def _probe(expectation):
    """(transport, port) the matcher gets: the destination port, or the ICMP echo request."""
    return expectation["transport"], "echo" if expectation["transport"] == "icmp" else expectation["port"]


@pytest.mark.parametrize("platform", ["ios", "asa"])
def test_the_acls_are_real_and_end_in_a_deny(acls, platform):
    assert len(acls[(platform, 4)]) > 50
    assert not permits(acls[(platform, 4)], "198.19.77.1", "198.19.1.11", "tcp", 2000)   # an address in no zone
    # the IPv6 ACL is real too: it permits IPv6 phones' SCCP, and nothing from an address in no zone
    assert permits(acls[(platform, 6)], "fd00:198:19:20::5", "fd00:198:19:1::11", "tcp", 2000)
    assert not permits(acls[(platform, 6)], "fd00:198:19:77::1", "fd00:198:19:1::11", "tcp", 2000)
    assert not permits(acls[(platform, 6)], "fd00:198:19:77::1", "fd00:198:19:1::11", "icmp", "echo")


@pytest.mark.parametrize("platform", ["ios", "asa"])
@pytest.mark.parametrize("expectation", EXPECTATIONS, ids=[e["id"] for e in EXPECTATIONS])
def test_acl_decides_like_the_documents(deployment, acls, platform, expectation):
    src, dst = addresses(deployment, expectation)
    got = permits(acls[(platform, family(expectation))], src, dst, *_probe(expectation))
    assert got is (expectation["expect"] == "allow"), expectation["why"]
