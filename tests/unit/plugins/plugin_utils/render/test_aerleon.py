# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""render_aerleon: the YAML it writes, and Aerleon's own aclgen compiling it for four targets."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import importlib.util
import os
import subprocess
import sys

import pytest
import yaml

from ansible_collections.collab.firewall.plugins.plugin_utils.acl import matcher, readers
from ansible_collections.collab.firewall.plugins.plugin_utils.render.aerleon import COMMENT_MAX, render_aerleon
from ansible_collections.collab.firewall.plugins.plugin_utils.render.asa import render_asa
from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import PolicyError

HAS_AERLEON = importlib.util.find_spec("aerleon") is not None
needs_aerleon = pytest.mark.skipif(not HAS_AERLEON, reason="aerleon is not installed (pip install aerleon)")

LONG_IDS = ["cucm-6-%02d-tcp" % i for i in range(1, 16)]
FLOWS = [
    {"sources": ["10.20.0.0/16", "10.32.0.0/16", "2001:db8:20::/48"],
     "destinations": ["10.10.1.10/31", "10.10.1.12/32", "2001:db8:10:1::10/128"],
     "transport": "tcp", "ports": [2000, "5060-5061", 2443], "catalog_ids": LONG_IDS,
     "from_roles": ["phone"], "to_roles": ["cucm"], "src_names": ["phone"],
     "dst_names": ["cucm-1", "cucm-2", "cucm-3"], "description": "phone to cucm: sccp, sip, sip_tls"},
    {"sources": ["10.20.0.0/16", "10.32.0.0/16", "2001:db8:20::/48"],
     "destinations": ["10.10.1.10/32"], "transport": "udp", "ports": [69, "6970-6972"],
     "catalog_ids": ["cucm-6-20-udp"], "from_roles": ["phone"], "to_roles": ["cucm_tftp"],
     "src_names": ["phone"], "dst_names": ["cucm-1"], "description": "phone to cucm_tftp: tftp"},
    {"sources": ["10.10.1.10/31", "2001:db8:10:1::10/128"], "destinations": ["10.10.1.12/32", "2001:db8:10:1::10/128"],
     "transport": "icmp", "ports": [], "catalog_ids": ["cucm-1-01-icmp"], "from_roles": ["cucm"],
     "to_roles": ["cucm"], "src_names": ["cucm-1", "cucm-2"], "dst_names": ["cucm-3"], "description": "cucm to cucm: ping"},
    {"sources": ["10.10.9.1/32"], "destinations": ["10.10.1.10/31"], "transport": "esp", "ports": [],
     "catalog_ids": ["cucm-9-01-esp"], "from_roles": ["gateway"], "to_roles": ["cucm"], "src_names": ["gw-1"],
     "dst_names": ["cucm-1", "cucm-2"], "description": "gateway to cucm: ipsec"},
    {"sources": ["10.10.9.1/32"], "destinations": ["10.10.1.12/32"], "transport": "gre", "ports": [],
     "catalog_ids": ["cucm-9-02-gre"], "from_roles": ["gateway"], "to_roles": ["cucm"], "src_names": ["gw-1"],
     "dst_names": ["cucm-3"], "description": "gateway to cucm: gre"},
]
NODES = {
    "cucm-1": {"addresses": ["10.10.1.10/32", "2001:db8:10:1::10/128"]},
    "cucm-2": {"addresses": ["10.10.1.11/32"]},
    "cucm-3": {"addresses": ["10.10.1.12/32"]},
    "gw-1": {"addresses": ["10.10.9.1/32"]},
}
RESULT = {"flows": FLOWS, "nodes": NODES,
          "management": {"sources": ["10.99.0.0/24", "2001:db8:99::/64"], "transport": "tcp", "ports": [22]}}


def _terms(out):
    return yaml.safe_load(out["policy"])["filters"][0]["terms"]


def test_three_yaml_files_with_definitions_for_every_reference():
    out = render_aerleon(RESULT)
    assert sorted(out) == ["networks", "policy", "services"]
    networks = yaml.safe_load(out["networks"])["networks"]
    services = yaml.safe_load(out["services"])["services"]
    policy = yaml.safe_load(out["policy"])
    headers = [f["header"]["targets"] for f in policy["filters"]]
    assert headers == [{"cisco": "UC-ACL mixed", "ciscoasa": "UC-ACL", "iptables": "INPUT DROP inet",
                        "nftables": "mixed input"}, {"iptables": "INPUT DROP inet6"}]
    assert policy["filters"][0]["terms"] == policy["filters"][1]["terms"]
    terms = policy["filters"][0]["terms"]
    # management, tcp, udp, icmp (v4), icmpv6, esp, gre, default deny
    assert [t["protocol"] for t in terms[:-1]] == ["tcp", "tcp", "udp", "icmp", "icmpv6", "esp", "gre"]
    assert terms[-1] == {"name": "default-deny", "comment": "default deny (collab.firewall)", "action": "deny"}
    assert "destination-address" not in terms[0]
    for term in terms:
        for key in ("source-address", "destination-address"):
            if key in term:
                assert term[key] in networks
        if "destination-port" in term:
            assert term["destination-port"] in services
        assert len(term["name"]) <= 24
    assert networks["PHONE"]["values"] == [{"address": "10.20.0.0/16"}, {"address": "10.32.0.0/16"},
                                           {"address": "2001:db8:20::/48"}]
    assert services["TCP_2000_2443_5060-5061"] == [{"port": "2000", "protocol": "tcp"}, {"port": "2443", "protocol": "tcp"},
                                                   {"port": "5060-5061", "protocol": "tcp"}]
    # icmp is split per family: the icmpv6 term only holds IPv6 networks
    icmp6 = terms[4]
    assert networks[icmp6["source-address"]]["values"] == [{"address": "2001:db8:10:1::10/128"}]


def test_every_term_cites_its_catalog_ids():
    out = render_aerleon(RESULT)
    lines = out["policy"].splitlines()
    for flow in FLOWS:
        # the YAML comment above the term cites every id, however many
        assert any(line.strip().startswith("# %s:" % flow["description"]) and " ".join(flow["catalog_ids"]) in line
                   for line in lines)
    terms = _terms(out)
    assert all(len(t["comment"]) <= COMMENT_MAX for t in terms)
    assert terms[1]["comment"].startswith("phone to cucm: sccp, sip, sip_tls (cucm-6-01-tcp ")
    assert terms[1]["comment"].endswith(" more)")
    assert terms[2]["comment"] == "phone to cucm_tftp: tftp (cucm-6-20-udp)"
    assert "# phone; catalog ids: cucm-6-01-tcp" in out["networks"]
    assert "# udp_69_6970-6972; catalog ids: cucm-6-20-udp" in out["services"]


def test_host_mode_keeps_flows_towards_the_node_with_its_addresses():
    out = render_aerleon(RESULT, host="cucm-1")
    terms = _terms(out)
    networks = yaml.safe_load(out["networks"])["networks"]
    assert [t.get("protocol") for t in terms] == ["tcp", "tcp", "udp", "esp", None]  # cucm-1 is no icmp/gre target
    host = [{"address": "10.10.1.10/32"}, {"address": "2001:db8:10:1::10/128"}]
    assert networks[terms[1]["destination-address"]]["values"] == host
    # a family the source lacks is left out on the destination side too (esp: IPv4 sources only)
    assert networks[terms[3]["destination-address"]]["values"] == host[:1]


def test_options_and_determinism():
    out = render_aerleon(FLOWS, name="UC-IN", targets=["cisco", "nftables"])
    policy = yaml.safe_load(out["policy"])
    assert [f["header"]["targets"] for f in policy["filters"]] == [{"cisco": "UC-IN mixed", "nftables": "mixed input"}]
    assert policy["filters"][0]["terms"][0]["name"].startswith("t0001-phone")  # a list: no management
    assert render_aerleon(copy.deepcopy(FLOWS)) == render_aerleon(FLOWS)
    empty = render_aerleon([])
    assert yaml.safe_load(empty["networks"]) == {"networks": {}}
    assert yaml.safe_load(empty["services"]) == {"services": {}}


@pytest.mark.parametrize("kwargs,message", [
    ({"flows": "text"}, "must be the uc_flows result or a list"),
    ({"targets": ["juniper"]}, "target 'juniper' is not one of cisco, ciscoasa, iptables, nftables"),
    ({"targets": "cisco"}, "must be a non-empty list"),
    ({"name": "1bad"}, "ACL name '1bad' must start with a letter"),
    ({"host": "nope"}, "host 'nope' is not a UC node"),
    ({"flows": FLOWS, "host": "cucm-1"}, "host needs the uc_flows result"),
    ({"flows": [dict(FLOWS[0], ports=[99999])]}, "port 99999 is outside 1-65535"),
    ({"management": "10.0.0.0/8"}, "management '10.0.0.0/8' is not a dict"),
])
def test_errors(kwargs, message):
    args = dict({"flows": RESULT}, **kwargs)
    with pytest.raises(PolicyError) as err:
        render_aerleon(args.pop("flows"), **args)
    assert message in str(err.value)


def aclgen(out, tmp_path):
    """Compile with Aerleon's own command line tool; returns {output file name: text}."""
    defs, pol, dest = tmp_path / "def", tmp_path / "policies" / "pol", tmp_path / "out"
    for path in (defs, pol, dest):
        path.mkdir(parents=True)
    (defs / "uc_networks.yaml").write_text(out["networks"])
    (defs / "uc_services.yaml").write_text(out["services"])
    (pol / "uc.yaml").write_text(out["policy"])
    proc = subprocess.run([sys.executable, "-m", "aerleon", "--base_directory", str(tmp_path / "policies"),
                           "--definitions_directory", str(defs), "--output_directory", str(dest),
                           "--max_renderers", "1"], check=False, capture_output=True, text=True, env=dict(os.environ))
    assert proc.returncode == 0, proc.stderr[-3000:]
    return dict((p.name, p.read_text()) for p in dest.iterdir())


@needs_aerleon
def test_aclgen_compiles_for_cisco_ciscoasa_iptables_nftables(tmp_path):
    files = aclgen(render_aerleon(RESULT), tmp_path)
    assert sorted(files) == ["uc", "uc.acl", "uc.asa", "uc.nft"]  # uc: iptables
    ios, asa, ipt, nft = files["uc.acl"], files["uc.asa"], files["uc"], files["uc.nft"]
    assert "ip access-list extended UC-ACL" in ios and "ipv6 access-list ipv6-UC-ACL" in ios
    assert " permit tcp 10.99.0.0 0.0.0.255 any eq 22" in ios
    assert " permit tcp 10.20.0.0 0.0.255.255 host 10.10.1.12 eq 2000" in ios
    assert " permit tcp 2001:db8:20::/48 host 2001:db8:10:1::10 eq 2000" in ios
    assert " remark phone to cucm_tftp: tftp (cucm-6-20-udp)" in ios
    assert "access-list UC-ACL remark phone to cucm_tftp: tftp (cucm-6-20-udp)" in asa
    assert "access-list UC-ACL extended permit udp 10.20.0.0 255.255.0.0 host 10.10.1.10 range 6970 6972" in asa
    assert "-P INPUT DROP" in ipt and "# inet6" in ipt
    assert '--comment "phone to cucm_tftp: tftp (cucm-6-20-udp)"' in ipt
    assert "-p udp -m multiport --dports 69,6970:6972 -s 10.20.0.0/16 -d 10.10.1.10/32" in ipt
    assert "type filter hook input priority 0; policy drop;" in nft
    assert 'comment "phone to cucm_tftp: tftp (cucm-6-20-udp)"' in nft


@needs_aerleon
def test_aerleon_asa_output_permits_what_render_asa_permits_for_ipv4(tmp_path):
    """readers.asa_aces reads Aerleon's ASA text: same IPv4 decisions as our renderer on probe packets.

    Aerleon's ciscoasa generator writes IPv4 ACEs only (its IPv6 terms are silently left out): checked too.
    """
    asa = aclgen(render_aerleon(RESULT, targets=["ciscoasa"]), tmp_path)["uc.asa"]
    theirs = readers.asa_aces([line for line in asa.splitlines() if line.startswith("access-list ")], name="UC-ACL")
    ours = readers.asa_aces(render_asa(FLOWS, "UC-ACL", management=RESULT["management"])["lines"], name="UC-ACL")
    sources = ["10.20.0.1", "10.32.255.255", "10.10.1.11", "10.10.9.1", "10.99.0.7", "10.21.0.1"]
    destinations = ["10.10.1.10", "10.10.1.11", "10.10.1.12", "10.10.1.13", "192.0.2.1"]
    checked = 0
    for src in sources:
        for dst in destinations:
            for transport, ports in (("tcp", [22, 2000, 2443, 5060, 5061, 5062]), ("udp", [68, 69, 6970, 6973]),
                                     ("icmp", [None]), ("esp", [None]), ("gre", [None]), ("ah", [None])):
                for port in ports:
                    assert (matcher.evaluate(theirs, src, dst, transport, port)[0] ==
                            matcher.evaluate(ours, src, dst, transport, port)[0]), (src, dst, transport, port)
                    checked += 1
    assert checked == 6 * 5 * 14
    assert matcher.permits(ours, "2001:db8:20::1", "2001:db8:10:1::10", "tcp", 2000)
    assert not matcher.permits(theirs, "2001:db8:20::1", "2001:db8:10:1::10", "tcp", 2000)


@needs_aerleon
def test_aclgen_compiles_the_host_mode_policy(tmp_path):
    files = aclgen(render_aerleon(RESULT, host="cucm-3", targets=["iptables", "nftables"]), tmp_path)
    assert sorted(files) == ["uc", "uc.nft"]
    assert "-d 10.10.1.12/32" in files["uc"] and "10.10.1.10/32 -j" not in files["uc"]
