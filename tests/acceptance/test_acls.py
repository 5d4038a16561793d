# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every expectation of expectations.yml against the IOS and ASA ACLs of the acceptance deployment.

The flows are rendered through the public filters (to_ios_acls, to_asa_acl) as one ACL that stands between
every pair of endpoints, read back from the rendered configuration by the collection's ACL readers and
evaluated with its first-match packet matcher: the ACL permits exactly what the documents allow."""

import pytest

from ansible_collections.collab.firewall.plugins.filter.to_asa_acl import to_asa_acl
from ansible_collections.collab.firewall.plugins.filter.to_ios_acls import to_ios_acls
from ansible_collections.collab.firewall.plugins.plugin_utils.acl.matcher import permits
from ansible_collections.collab.firewall.plugins.plugin_utils.acl.readers import asa_aces, ios_aces
from acceptance_helpers import load_expectations, sample_address  # registered by conftest.py

EXPECTATIONS = load_expectations()


@pytest.fixture(scope="module")
def acls(deployment):
    ios = to_ios_acls(deployment, "UC-ACCEPT")
    asa = to_asa_acl(deployment, "UC-ACCEPT", interface="inside")
    lines = asa["lines"] if isinstance(asa["lines"], str) else "\n".join(asa["lines"])
    return {"ios": ios_aces(ios["acls"], ios["object_group_lines"])[("ipv4", "UC-ACCEPT")],
            "asa": asa_aces(lines)["UC-ACCEPT"]}


@pytest.mark.parametrize("platform", ["ios", "asa"])
def test_the_acls_are_real_and_end_in_a_deny(acls, platform):
    aces = acls[platform]
    assert len(aces) > 50
    assert not permits(aces, "198.19.77.1", "198.19.1.11", "tcp", 2000)   # an address in no zone


@pytest.mark.parametrize("platform", ["ios", "asa"])
@pytest.mark.parametrize("expectation", EXPECTATIONS, ids=[e["id"] for e in EXPECTATIONS])
def test_acl_decides_like_the_documents(deployment, acls, platform, expectation):
    src, dst = sample_address(deployment, expectation["src"]), sample_address(deployment, expectation["dst"])
    got = permits(acls[platform], src, dst, expectation["transport"], expectation["port"])
    assert got is (expectation["expect"] == "allow"), expectation["why"]
