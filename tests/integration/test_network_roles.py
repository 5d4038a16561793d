# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ios_acl and asa_acl roles through ansible-playbook with the example inventory (nothing is contacted).

ANSIBLE_COLLECTIONS_PATH must name the folder holding ansible_collections/collab/firewall (tests/run.sh sets it).
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess
import sys

import netaddr
import pytest
import yaml

from ansible_collections.collab.firewall.plugins.plugin_utils.acl.matcher import flow_probes, permits
from ansible_collections.collab.firewall.plugins.plugin_utils.acl.readers import asa_aces, ios_aces, ios_device_acls
from ansible_collections.collab.firewall.plugins.plugin_utils.catalog.loader import load_catalog
from ansible_collections.collab.firewall.plugins.plugin_utils.render.ios import module_view
from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import ports_contain
from uc_inventory import deployment  # tests/lib, registered by tests/integration/conftest.py

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.path.dirname(sys.executable)
COLLECTIONS = os.environ.get("ANSIBLE_COLLECTIONS_PATH", "")

pytestmark = pytest.mark.skipif(not COLLECTIONS or not os.path.exists(os.path.join(BIN, "ansible-playbook")),
                                reason="needs ANSIBLE_COLLECTIONS_PATH and ansible-playbook in the venv")


def run(args, tmp_path, check=True, program="ansible-playbook", inventory=os.path.join(ROOT, "inventory", "example")):
    env = dict(os.environ)
    env.update({"ANSIBLE_COLLECTIONS_PATH": COLLECTIONS, "ANSIBLE_CONFIG": os.path.join(ROOT, "ansible.cfg"),
                "ANSIBLE_NOCOLOR": "1", "ANSIBLE_LOCALHOST_WARNING": "false", "ANSIBLE_RETRY_FILES_ENABLED": "false"})
    proc = subprocess.run([os.path.join(BIN, program), "-i", inventory] + args,
                          cwd=str(tmp_path), env=env, capture_output=True, text=True, timeout=600, check=False)
    if check:
        assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-3000:]
    return proc


def out_vars(path):
    return ["-e", "ios_acl_output_dir=%s ios_acl_audit_dir=%s asa_acl_output_dir=%s asa_acl_audit_dir=%s"
            % (path / "devices", path / "audit", path / "devices", path / "audit")]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("rendered")
    run([os.path.join(ROOT, "playbooks", "network_acls.yml")] + out_vars(tmp), tmp)
    return tmp / "devices"


def read_yaml(path):
    with open(str(path)) as handle:
        return yaml.safe_load(handle)


def read_json(path):
    with open(str(path)) as handle:
        return json.load(handle)


def test_rendered_state_writes_both_devices(rendered):
    for host, names in (("rtr-core-1", ["config.txt", "ios_acls.yml", "ios_acl_interfaces.yml", "object_groups.yml",
                                        "plan.json"]),
                        ("asa-dc-1", ["config.txt", "asa_ogs.yml", "asa_acls.yml", "access_groups.txt", "plan.json"])):
        for name in names:
            assert (rendered / host / name).stat().st_size > 0, (host, name)
    ios = (rendered / "rtr-core-1" / "config.txt").read_text()
    assert "ip access-list extended UC-GI0-1-IN\n" in ios and "ipv6 access-list UC-GI0-3-OUT-V6\n" in ios
    assert " ip access-group UC-GI0-3-OUT out\n" in ios
    # scope protect (the default): other traffic to the UC nodes is denied (logged), the rest of the network passes
    assert " deny ip any object-group UC-CUCM.CVP.GATEWAY.IMP.UNITY log\n" in ios and " permit ip any any\n" in ios
    asa = (rendered / "asa-dc-1" / "config.txt").read_text()
    assert "access-group UC-INSIDE-IN in interface inside\n" in asa
    assert "access-list UC-OUTSIDE-IN extended permit ip any any\n" in asa


PARSE_PLAY = """
- hosts: %(host)s
  gather_facts: false
  tasks:
    - name: parse our CLI text
      %(module)s:
        state: parsed
        running_config: "{{ lookup('ansible.builtin.file', '%(path)s') }}"
      register: parsed
    - name: keep the result
      ansible.builtin.copy:
        content: "{{ parsed.parsed | to_json }}"
        dest: "%(dest)s"
        mode: "0644"
      delegate_to: localhost
"""


def _lower(obj):
    if isinstance(obj, dict):
        return dict((k, _lower(v)) for k, v in obj.items())
    if isinstance(obj, list):
        return [_lower(v) for v in obj]
    # IPv6 addresses come back in lower case; remarks (with spaces) as written
    return obj.lower() if isinstance(obj, str) and ":" in obj and " " not in obj else obj


def _parse(tmp_path, host, module, path, **kwargs):
    play = tmp_path / ("parse-%s.yml" % host)
    dest = tmp_path / ("parsed-%s.json" % host)
    play.write_text(PARSE_PLAY % {"host": host, "module": module, "path": path, "dest": dest})
    run([str(play)], tmp_path, **kwargs)
    return read_json(dest)


def test_ios_text_parses_back_to_the_same_aces(rendered, tmp_path):
    """What ios_acls parses from config.txt is ios_acls.yml but for the two ND types it cannot represent, and
    the collection's reader, given the text too, gives those types back: the audit sees every entry as written."""
    parsed = _parse(tmp_path, "rtr-core-1", "cisco.ios.ios_acls", rendered / "rtr-core-1" / "config.txt")
    ours = read_yaml(rendered / "rtr-core-1" / "ios_acls.yml")["config"]
    view, blocks = module_view(ours)
    assert sum(len(b["lines"]) for b in blocks) == 2 * len(ours[1]["acls"])   # nd-ns and nd-na in every IPv6 ACL
    assert _lower(parsed) == view
    text = (rendered / "rtr-core-1" / "config.txt").read_text()
    theirs, wanted = ios_device_acls(_lower(parsed), text), ios_device_acls(ours, text)
    assert sorted(theirs) == sorted(wanted)
    for key in wanted:
        assert [(a.action, a.box(), a.text) for a in theirs[key]] == [(a.action, a.box(), a.text) for a in wanted[key]]


def _asa_parses_back(tmp_path, rendered, host, **kwargs):
    parsed = _parse(tmp_path, host, "cisco.asa.asa_acls", rendered / host / "config.txt", **kwargs)
    ours = read_yaml(rendered / host / "asa_acls.yml")["config"]
    for config in (parsed, ours):
        for acl in config["acls"]:
            for ace in acl["aces"]:
                ace.pop("line", None)
                if ace.get("protocol") == "icmp" and ace.get("protocol_options") == {"protocol_number": 6}:
                    # cisco.asa.asa_acls parses "icmp6" as icmp with protocol number 6 (the readers undo it)
                    ace["protocol"] = "icmp6"
                    del ace["protocol_options"]
    for mine, theirs in zip(parsed["acls"], ours["acls"]):
        for a, b in zip(mine["aces"], theirs["aces"]):
            assert a == b, (a, b)
    assert parsed == ours


def test_asa_text_parses_back_to_the_same_aces(rendered, tmp_path):
    _asa_parses_back(tmp_path, rendered, "asa-dc-1")


def test_site_entries_with_source_ports_parse_back_on_both_platforms(tmp_path):
    """Site entries with source ports and IOS ``established`` (tests/integration/inventory_site) are read by the
    cisco.ios and cisco.asa parsers as the structures the role writes."""
    site = os.path.join(ROOT, "tests", "integration", "inventory_site")
    run([os.path.join(ROOT, "playbooks", "network_acls.yml"), "--limit", "rtr-a,fw-a"] + out_vars(tmp_path), tmp_path,
        inventory=site)
    rendered = tmp_path / "devices"
    ios_text = (rendered / "rtr-a" / "config.txt").read_text()
    assert "permit tcp host 10.1.9.1 eq 443 10.99.0.0 0.0.0.255 established" in ios_text
    assert "extended permit udp host 10.1.3.10 eq 123 host 10.1.7.123 eq 123" in (rendered / "fw-a" / "config.txt").read_text()
    parsed = _parse(tmp_path, "rtr-a", "cisco.ios.ios_acls", rendered / "rtr-a" / "config.txt", inventory=site)
    assert _lower(parsed) == read_yaml(rendered / "rtr-a" / "ios_acls.yml")["config"]
    _asa_parses_back(tmp_path, rendered, "fw-a", inventory=site)


def _ios_lists(rendered):
    config = read_yaml(rendered / "rtr-core-1" / "ios_acls.yml")["config"]
    lines = (rendered / "rtr-core-1" / "config.txt").read_text().splitlines()
    return ios_aces(config, lines)


def _asa_lists(rendered):
    return asa_aces((rendered / "asa-dc-1" / "config.txt").read_text())


def _packet_permitted(lists, platform, acl, packet):
    src, dst, transport, port = packet
    if platform == "ios":
        key = ("ipv4", acl["name"]) if src.version == 4 else ("ipv6", acl["name6"])
        aces = lists[key]
    else:
        aces = lists[acl["name"]]
    return permits(aces, str(src), str(dst), transport, port)


@pytest.mark.parametrize("host, platform", [("rtr-core-1", "ios"), ("asa-dc-1", "asa")])
def test_every_required_flow_crossing_an_interface_is_permitted(rendered, host, platform):
    plan = read_json(rendered / host / "plan.json")
    lists = _ios_lists(rendered) if platform == "ios" else _asa_lists(rendered)
    checked = 0
    for acl in plan:
        for flow in acl["flows"] + ([acl["management"]] if acl["management"] else []):
            for packet in flow_probes(flow):
                assert _packet_permitted(lists, platform, acl, packet), (acl["name"], flow["description"], packet)
                checked += 1
    assert checked > 100


def _documented(catalog, port, transport, network_only=False):
    return any(entry["transport"] == transport and ports_contain(entry["ports"], port) for entry in catalog.entries
               if not network_only or entry["scope"] != "localhost")


# one node per product in inventory/example
NODE_OF = {"cucm": "10.10.1.10", "imp": "10.10.2.10", "unity": "10.10.3.10", "cvp": "10.10.4.10"}


def _localhost_port():
    """(node address, TCP port) the catalog documents as localhost-only and no network-scope entry uses."""
    catalog = load_catalog()
    for entry in catalog.entries:
        if entry["scope"] == "localhost" and entry["transport"] == "tcp" and entry["product"] in NODE_OF:
            for port in entry["ports"]:
                if isinstance(port, int) and not _documented(catalog, port, "tcp", network_only=True):
                    return NODE_OF[entry["product"]], port
    raise AssertionError("no localhost-only port in the catalog")


def _undocumented_port():
    """A port no Unified CM entry of the catalog documents, over TCP or UDP."""
    catalog = load_catalog()
    cucm = [e for e in catalog.entries if e["product"] == "cucm"]
    for port in range(600, 1024):  # CUCM documents 1024-65535 for some entries
        if not any(ports_contain(e["ports"], port) for e in cucm):
            return port
    raise AssertionError("every candidate port is documented")


@pytest.mark.parametrize("host, platform, acl_name", [("rtr-core-1", "ios", "UC-GI0-1-IN"),
                                                      ("asa-dc-1", "asa", "UC-OUTSIDE-IN")])
@pytest.mark.parametrize("what", ["CUCM database", "localhost-only", "undocumented"])
def test_other_traffic_from_phones_is_denied(rendered, host, platform, acl_name, what):
    plan = read_json(rendered / host / "plan.json")
    acl = [a for a in plan if a["name"] == acl_name][0]
    lists = _ios_lists(rendered) if platform == "ios" else _asa_lists(rendered)
    dst, port = {"CUCM database": (NODE_OF["cucm"], 1500), "localhost-only": _localhost_port(),
                 "undocumented": (NODE_OF["cucm"], _undocumented_port())}[what]
    transports = ("tcp",) if what == "localhost-only" else ("tcp", "udp")
    for transport in transports:
        packet = (netaddr.IPAddress("10.20.1.1"), netaddr.IPAddress(dst), transport, port)
        assert not _packet_permitted(lists, platform, acl, packet), (what, transport, port)


def _audit(tmp_path, ios_file, asa_file):
    run([os.path.join(ROOT, "playbooks", "audit.yml"), "--limit", "routers,firewalls",
         "-e", "ios_acl_running_config_file=%s" % ios_file,
         "-e", "asa_acl_running_config_file=%s" % asa_file] + out_vars(tmp_path), tmp_path)
    return dict((host, read_json(tmp_path / "audit" / host / "report.json")) for host in ("rtr-core-1", "asa-dc-1"))


def test_audit_of_the_rendered_config_finds_nothing_missing_or_extra(rendered, tmp_path):
    reports = _audit(tmp_path, rendered / "rtr-core-1" / "config.txt", rendered / "asa-dc-1" / "config.txt")
    for host, report in reports.items():
        summary = report["summary"]
        assert (summary["missing"], summary["extra"], summary["absent"], summary["unbound"]) == (0, 0, 0, 0), host
        assert (tmp_path / "audit" / host / "report.md").read_text().startswith("# ACL audit of %s" % host)


def _audit_gateways(tmp_path, configs, *extra, check=True):
    """playbooks/audit.yml on the voice gateways, each with its own saved configuration."""
    overlay = tmp_path / "saved.yml"
    overlay.write_text(json.dumps({"all": {"hosts": dict((host, {"ios_acl_running_config_file": str(path)})
                                                         for host, path in configs.items())}}))
    proc = run([os.path.join(ROOT, "playbooks", "audit.yml"), "-i", str(overlay), "--limit", "gateways"]
               + out_vars(tmp_path) + list(extra), tmp_path, check=check)
    reports = dict((host, (read_json(tmp_path / "audit" / host / "report.json"),
                           read_json(tmp_path / "audit" / host / "trusted-list.json"))) for host in configs
                   if (tmp_path / "audit" / host / "trusted-list.json").exists())
    return proc, reports


def test_audit_covers_the_gateways_and_their_rendered_config_is_clean(rendered, tmp_path):
    """The voice gateways network_acls.yml configures are audited too: their own ACLs like a router's, and the
    voice trusted list against the gateway's signalling peers."""
    _proc, reports = _audit_gateways(tmp_path, dict((gw, rendered / gw / "config.txt") for gw in ("gw-hq-1", "gw-branch-1")))
    assert sorted(reports) == ["gw-branch-1", "gw-hq-1"]
    for host, (report, trusted) in reports.items():
        summary = report["summary"]
        assert (summary["missing"], summary["extra"], summary["absent"], summary["unbound"]) == (0, 0, 0, 0), host
        assert report["acls"] and all(acl["present"]["4"] and acl["bound"] for acl in report["acls"]), host
        assert (trusted["missing"], trusted["stale"], trusted["other"]) == ([], [], []), host
        assert "cucm-sub-1" in trusted["peers"] and not [p for p in trusted["peers"] if p.startswith("cucm-tftp")]
        assert (tmp_path / "audit" / host / "trusted-list.md").read_text().startswith("# Voice trusted list audit of")


def test_gateway_audit_finds_a_missing_peer_a_foreign_entry_and_a_missing_ace(rendered, tmp_path):
    config = (rendered / "gw-hq-1" / "config.txt").read_text()
    drifted = config.replace("  ipv4 10.10.1.11\n", "  ipv4 203.0.113.5\n", 1)
    lines = drifted.splitlines()
    start = lines.index("ip access-list extended UC-GI0-0-0-IN")
    lost = next(i for i in range(start + 1, len(lines)) if " permit tcp " in lines[i] and lines[i].endswith("eq 1720"))
    saved = tmp_path / "gw-hq-1.cfg"
    saved.write_text("\n".join(lines[:lost] + lines[lost + 1:]) + "\n")
    proc, reports = _audit_gateways(tmp_path, {"gw-hq-1": saved}, "-e", "ios_acl_audit_fail=true", check=False)
    report, trusted = reports["gw-hq-1"]
    assert trusted["missing"] == ["10.10.1.11/32"] and trusted["other"] == ["203.0.113.5/32"]
    acl = [a for a in report["acls"] if a["name"] == "UC-GI0-0-0-IN"][0]
    assert len(acl["missing"]) == 1 and "h225" in acl["missing"][0]["remark"]
    assert proc.returncode != 0 and "gw-hq-1: the gateway audit found findings" in proc.stdout, proc.stdout[-3000:]


def _without_first(lines, predicate):
    for index, line in enumerate(lines):
        if predicate(line):
            return lines[:index] + lines[index + 1:]
    raise AssertionError("no line to remove")


def drifted_ios(config):
    """A 'saved running-config' made from today's rendering with known faults: UC-GI0-1-IN lost its first SCCP
    2000 ACE, permits phone -> CUCM database 1500 (seq 5) and has a shadowed seq 7; UC-GI0-2-IN is not bound;
    MGMT-VTY belongs to someone else. Built at test time so catalog corrections never make it stale."""
    lines = config.splitlines()
    start = lines.index("ip access-list extended UC-GI0-1-IN")
    head, body = lines[:start + 1], lines[start + 1:]
    body = _without_first(body, lambda line: line.endswith(" eq 2000") and " permit tcp " in line)
    body = [" 5 permit tcp 10.20.0.0 0.0.255.255 host 10.10.1.10 eq 1500",
            " 7 permit tcp host 10.20.1.1 host 10.10.1.10 eq 1500"] + body
    lines = _without_first(head + body, lambda line: line.strip() == "ip access-group UC-GI0-2-IN in")
    return "\n".join(["version 17.9", "hostname rtr-core-1"] + lines +
                     ["ip access-list extended MGMT-VTY", " 10 permit tcp 10.99.0.0 0.0.0.255 any eq 22", "end", ""])


def drifted_asa(config):
    """The same for the ASA: UC-OUTSIDE-IN lost the phone -> TFTP HTTP range ACE and starts with a 1500 permit and
    a shadowed copy; UC-BRANCH-IN is not bound; OTHER-VPN belongs to someone else; ports are shown by name
    (www, tftp, sip) like an ASA does."""
    lines = _without_first(config.splitlines(), lambda line: line.startswith("access-list UC-OUTSIDE-IN extended permit tcp")
                           and "TFTP" in line and " range 69" in line)
    first = next(i for i, line in enumerate(lines) if line.startswith("access-list UC-OUTSIDE-IN "))
    lines[first:first] = ["access-list UC-OUTSIDE-IN extended permit tcp 10.20.0.0 255.255.0.0 host 10.10.1.10 eq 1500",
                          "access-list UC-OUTSIDE-IN extended permit tcp host 10.20.1.1 host 10.10.1.10 eq 1500"]
    lines = _without_first(lines, lambda line: line == "access-group UC-BRANCH-IN in interface branch")
    names = {" port-object eq 80": " port-object eq www", " port-object eq 69": " port-object eq tftp",
             " port-object eq 5060": " port-object eq sip"}
    lines = [names.get(line, line) for line in lines]
    header = ["ASA Version 9.16(4)", "hostname asa-dc-1"]
    for number, (nameif, level) in enumerate((("outside", 0), ("inside", 100), ("branch", 50))):
        header += ["interface GigabitEthernet0/%d" % number, " nameif %s" % nameif, " security-level %d" % level]
    return "\n".join(header + lines + ["access-list OTHER-VPN extended permit esp any4 any4", ""])


@pytest.fixture(scope="module")
def fixture_reports(rendered, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("audit")
    ios, asa = tmp / "rtr-core-1.cfg", tmp / "asa-dc-1.cfg"
    ios.write_text(drifted_ios((rendered / "rtr-core-1" / "config.txt").read_text()))
    asa.write_text(drifted_asa((rendered / "asa-dc-1" / "config.txt").read_text()))
    return _audit(tmp, str(ios), str(asa))


@pytest.mark.parametrize("host, acl_name, missing, extra, shadowed", [
    ("rtr-core-1", "UC-GI0-1-IN", "phone to cucm_callmanager: sccp",
     "5 permit tcp 10.20.0.0 0.0.255.255 host 10.10.1.10 eq 1500", "7 permit tcp host 10.20.1.1 host 10.10.1.10 eq 1500"),
    ("asa-dc-1", "UC-OUTSIDE-IN", "phone to cucm_tftp: http, https",
     "access-list UC-OUTSIDE-IN extended permit tcp 10.20.0.0 255.255.0.0 host 10.10.1.10 eq 1500",
     "access-list UC-OUTSIDE-IN extended permit tcp host 10.20.1.1 host 10.10.1.10 eq 1500"),
])
def test_audit_reports_missing_extra_and_shadowed_entries(fixture_reports, host, acl_name, missing, extra, shadowed):
    report = fixture_reports[host]
    acl = [a for a in report["acls"] if a["name"] == acl_name][0]
    assert len(acl["missing"]) == 1
    assert acl["missing"][0]["remark"].startswith(missing)
    assert [e["ace"] for e in acl["extra"]] == [extra]
    assert "10.20.0.0 -> 10.10.1.10 tcp/1500" in acl["extra"][0]["examples"]
    assert "phone -> publisher" in acl["extra"][0]["pairs"]
    assert shadowed in [s["ace"] for s in acl["shadowed"]]
    assert report["summary"]["missing"] == 1 and report["summary"]["extra"] == 1


@pytest.mark.parametrize("host, acl_name, other", [("rtr-core-1", "UC-GI0-2-IN", "MGMT-VTY"),
                                                   ("asa-dc-1", "UC-BRANCH-IN", "OTHER-VPN")])
def test_audit_reports_unbound_acls_and_leaves_others_alone(fixture_reports, host, acl_name, other):
    report = fixture_reports[host]
    assert [a["name"] for a in report["acls"] if a["bound"] is False] == [acl_name]
    assert report["other_acls"] == [other]


def test_asa_port_names_are_compared_by_number(fixture_reports, rendered):
    assert "eq sip" in drifted_asa((rendered / "asa-dc-1" / "config.txt").read_text())
    inside = [a for a in fixture_reports["asa-dc-1"]["acls"] if a["name"] == "UC-INSIDE-IN"][0]
    assert not inside["missing"] and not inside["extra"]


def test_check_mode_writes_nothing(tmp_path):
    proc = run([os.path.join(ROOT, "playbooks", "network_acls.yml"), "--check", "--diff"] + out_vars(tmp_path), tmp_path)
    assert "failed=0" in proc.stdout
    assert not (tmp_path / "devices").exists()


def test_unknown_zone_is_a_clear_error(tmp_path):
    bad = json.dumps({"ios_acl_interfaces": [{"name": "GigabitEthernet0/1", "zones": ["phones"]}]})
    proc = run([os.path.join(ROOT, "playbooks", "network_acls.yml"), "--limit", "rtr-core-1", "-e", bad]
               + out_vars(tmp_path), tmp_path, check=False)
    assert proc.returncode != 0
    assert "rtr-core-1: ios_acl_interfaces[0].zones: unknown zone 'phones'; valid names" in proc.stdout
    assert "imp, imp-1, imp-2, ldap_directory, ntp_server, phone, publisher" in proc.stdout


def test_missing_cisco_asa_says_how_to_install_it(tmp_path):
    """Rendering needs no cisco collection; pushing checks for it first and says how to install it."""
    missing = {"__asa_acl_required_modules": ["cisco.asx.asa_acls"]}
    proc = run([os.path.join(ROOT, "playbooks", "network_acls.yml"), "--limit", "asa-dc-1", "-e", json.dumps(missing)]
               + out_vars(tmp_path), tmp_path)
    assert (tmp_path / "devices" / "asa-dc-1" / "config.txt").exists()
    missing["asa_acl_state"] = "merged"
    proc = run([os.path.join(ROOT, "playbooks", "network_acls.yml"), "--limit", "asa-dc-1", "-e", json.dumps(missing)]
               + out_vars(tmp_path), tmp_path, check=False)
    assert proc.returncode != 0
    assert "ansible-galaxy collection install cisco.asa" in proc.stdout and "ansible` 11.x package" in proc.stdout
    assert "UNREACHABLE" not in proc.stdout


@pytest.mark.parametrize("variable", ["ios_acl_deployment", "ios_acl_flows"])
def test_a_precomputed_deployment_replaces_the_computed_one(tmp_path, variable):
    """A deployment handed in (AWX job slicing) is the one rendered: with no flows, no UC permit is left."""
    (tmp_path / "vars.json").write_text(json.dumps({variable: dict(deployment(), flows=[])}))
    run([os.path.join(ROOT, "playbooks", "network_acls.yml"), "--limit", "rtr-core-1", "-e", "@%s" % (tmp_path / "vars.json")]
        + out_vars(tmp_path / "given"), tmp_path)
    run([os.path.join(ROOT, "playbooks", "network_acls.yml"), "--limit", "rtr-core-1"]
        + out_vars(tmp_path / "computed"), tmp_path)
    given = (tmp_path / "given" / "devices" / "rtr-core-1" / "config.txt").read_text()
    computed = (tmp_path / "computed" / "devices" / "rtr-core-1" / "config.txt").read_text()
    assert " eq 5060" in computed and " eq 5060" not in given
    assert given.count("permit") < computed.count("permit")
