# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The backend contract with the real tools in a throw-away network namespace: stage, validate, activate,
digest, persist, snapshot and the rollback script, for nftables and iptables (with and without ipsets);
firewalld's part that needs no daemon (bundle, interface binding, validation by firewalld's own readers)."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import subprocess

import pytest

from ansible_collections.collab.firewall.plugins.module_utils.host_firewall import firewalld, iptables
from ansible_collections.collab.firewall.plugins.module_utils.host_firewall.common import BackendError, read, write
from ansible_collections.collab.firewall.plugins.module_utils.host_firewall.nftables import Nftables
from ansible_collections.collab.firewall.plugins.plugin_utils.apply.host import render
from ansible_collections.collab.firewall.tests.unit.plugins.plugin_utils.fixtures.render_samples import (
    POLICY,
    need_tool,
)

# the renderer's format (render.iptables.render_iptables_ipset): each set built under a temporary name, swapped in
IPSETS = """# collab.firewall ipsets for test
create cfw4-0a0b0c0d-n hash:net family inet maxelem 65536
add cfw4-0a0b0c0d-n 10.20.0.0/16
add cfw4-0a0b0c0d-n 10.30.0.0/16
create cfw4-0a0b0c0d hash:net family inet maxelem 65536 -exist
swap cfw4-0a0b0c0d-n cfw4-0a0b0c0d
destroy cfw4-0a0b0c0d-n
create cfw6-0e0f1a1b-n hash:net family inet6 maxelem 65536
add cfw6-0e0f1a1b-n 2001:db8:20::/48
add cfw6-0e0f1a1b-n 2001:db8:30::/48
create cfw6-0e0f1a1b hash:net family inet6 maxelem 65536 -exist
swap cfw6-0e0f1a1b-n cfw6-0e0f1a1b
destroy cfw6-0e0f1a1b-n
"""
IPSET_RULES = """*filter
:INPUT DROP [0:0]
-A INPUT -m set --match-set cfw4-0a0b0c0d src -p tcp -m tcp --dport 2000 -j ACCEPT
COMMIT
"""
IPSET_RULES6 = IPSET_RULES.replace("cfw4-0a0b0c0d", "cfw6-0e0f1a1b")
WITH_SETS = {"iptables_ipset": {"ipsets": IPSETS, "ipv4": IPSET_RULES, "ipv6": IPSET_RULES6}}


def stage(backend, rulesets, folder):
    paths = []
    for name, text in backend.staged(rulesets):
        write(os.path.join(folder, name), text)
        paths.append(os.path.join(folder, name))
    return paths


def in_ns(ns, script):
    return subprocess.run(["ip", "netns", "exec", ns, "sh", "-c", script], capture_output=True, text=True,
                          check=False)


@pytest.fixture
def nft_backend(netns, tmp_path):
    need_tool("nft")
    name, runner = netns
    state = tmp_path / "state"
    state.mkdir()
    return name, Nftables(state_dir=str(state), runner=runner, table="collab_uc",
                          persistent=str(tmp_path / "etc" / "collab-uc.nft"),
                          main_conf=str(tmp_path / "etc" / "nftables.conf"))


def test_nftables_activate_digest_persist_and_roll_back(nft_backend, tmp_path):
    ns, backend = nft_backend
    in_ns(ns, "nft add table inet collab_uc; nft add chain inet collab_uc input; "
              "nft add rule inet collab_uc input tcp dport 4444 accept")
    before = backend.digest()
    assert "4444" in before
    paths = stage(backend, render(POLICY, ["nftables"]), backend.state_dir)
    backend.validate(paths)
    assert not backend.persisted(paths)
    backend.snapshot()
    script = backend.rollback_script()
    backend.activate(paths)
    live = backend.digest()
    assert "4444" not in live and "2000" in live and "policy drop" in live
    assert backend.persisted(paths)
    assert 'include "%s"' % backend.persistent in read(backend.main_conf)
    # the rollback script run on the node brings back exactly the table that was live, and no boot file
    result = in_ns(ns, script)
    assert result.returncode == 0, result.stderr
    assert backend.digest() == before
    assert not os.path.exists(backend.persistent)


def test_nftables_rejects_a_broken_candidate(nft_backend):
    _ns, backend = nft_backend
    paths = stage(backend, render(POLICY, ["nftables"], staged_suffix="\nthis is not nftables\n"), backend.state_dir)
    with pytest.raises(BackendError) as err:
        backend.validate(paths)
    assert str(err.value).startswith("Stage the nftables ruleset: the candidate failed to validate (nft -c -f)")


@pytest.fixture
def ipt_backend(netns, tmp_path):
    need_tool("iptables-restore")
    name, runner = netns
    state = tmp_path / "state"
    state.mkdir()
    etc = tmp_path / "etc"
    return name, iptables.Iptables(state_dir=str(state), runner=runner, persistent={
        "ipv4": str(etc / "rules.v4"), "ipv6": str(etc / "rules.v6"), "ipsets": str(etc / "ipsets")})


def test_iptables_activate_persist_and_roll_back(ipt_backend):
    ns, backend = ipt_backend
    in_ns(ns, "iptables -A INPUT -p tcp --dport 4444 -j ACCEPT")
    before = backend.digest()
    paths = stage(backend, render(POLICY, ["iptables"]), backend.state_dir)
    assert [os.path.basename(p) for p in paths] == ["iptables.v4.staged", "iptables.v6.staged"]
    backend.validate(paths)
    backend.snapshot()
    script = backend.rollback_script()
    backend.activate(paths)
    live = backend.digest()
    assert "4444" not in live and ":INPUT DROP" in live and "2000" in live
    assert backend.persisted(paths)
    result = in_ns(ns, script)
    assert result.returncode == 0, result.stderr
    assert backend.digest() == before
    assert not os.path.exists(backend.persistent("ipv4"))


def test_iptables_rejects_a_broken_candidate(ipt_backend):
    _ns, backend = ipt_backend
    rulesets = render(POLICY, ["iptables"])
    rulesets["iptables"]["ipv6"] = rulesets["iptables"]["ipv6"].replace("COMMIT", "-A INPUT -p tcp --dport 99999 -j ACCEPT\nCOMMIT")
    paths = stage(backend, rulesets, backend.state_dir)
    with pytest.raises(BackendError) as err:
        backend.validate(paths)
    assert "failed to validate (ip6tables-restore --test)" in str(err.value)


def test_iptables_with_ipsets_activates_cleans_up_and_rolls_back(ipt_backend):
    need_tool("ipset")
    need_tool("unshare")
    ns, backend = ipt_backend
    # an older ruleset of ours is live: its set (another content, another name) and a rule using it
    in_ns(ns, "ipset create cfw4-99999999 hash:net family inet; ipset add cfw4-99999999 10.99.0.0/16; "
              "iptables -A INPUT -m set --match-set cfw4-99999999 src -j ACCEPT")
    before = backend.digest()
    paths = stage(backend, dict(WITH_SETS, iptables=render(POLICY, ["iptables"])["iptables"]), backend.state_dir)
    assert [os.path.basename(p) for p in paths] == ["ipsets.staged", "iptables.v4.staged", "iptables.v6.staged"]
    backend.validate(paths)
    # validated in a namespace of its own: nothing new on the node
    assert in_ns(ns, "ipset list -n").stdout.split() == ["cfw4-99999999"]
    backend.snapshot()
    script = backend.rollback_script()
    backend.activate(paths)
    assert sorted(in_ns(ns, "ipset list -n").stdout.split()) == ["cfw4-0a0b0c0d", "cfw4-99999999", "cfw6-0e0f1a1b"]
    live = backend.digest()
    assert "cfw4-0a0b0c0d:10.20.0.0/16,10.30.0.0/16" in live and "--match-set cfw4-0a0b0c0d src" in live
    assert backend.persisted(paths) and read(backend.persistent("ipsets")) == IPSETS
    # the rollback needs the earlier set: it is still there until the confirmation
    result = in_ns(ns, script)
    assert result.returncode == 0, result.stderr
    # the earlier rules are back (the digest now also lists the staged sets, which are gone: empty)
    assert backend.digest() == before + "\ncfw4-0a0b0c0d:\ncfw6-0e0f1a1b:"
    assert in_ns(ns, "ipset list -n").stdout.split() == ["cfw4-99999999"]
    # activated again and confirmed: the set the rules no longer use goes away
    backend.snapshot()
    backend.activate(paths)
    cleanup = backend.cleanup()
    assert cleanup == ["ipset destroy cfw4-99999999"]
    in_ns(ns, "; ".join(cleanup))
    assert sorted(in_ns(ns, "ipset list -n").stdout.split()) == ["cfw4-0a0b0c0d", "cfw6-0e0f1a1b"]
    # a second load of the same sets swaps them in again without touching the rules that use them
    backend.activate(paths)
    assert backend.digest() == live


def test_iptables_without_the_ipset_tool_uses_the_plain_ruleset(ipt_backend, monkeypatch):
    _ns, backend = ipt_backend
    monkeypatch.setattr(iptables, "which", lambda name: None if name == "ipset" else "/usr/sbin/" + name)
    files = backend.staged(dict(WITH_SETS, iptables={"ipv4": "plain4", "ipv6": "plain6"}))
    assert files == [("iptables.v4.staged", "plain4"), ("iptables.v6.staged", "plain6")]


@pytest.mark.parametrize("broken, message", [
    (("10.30.0.0/16", "10.30.0.0/99"), "the ipsets (ipset restore) failed to validate"),
    (("--match-set cfw4-0a0b0c0d src", "--match-set cfw4-ffffffff src"),
     "the candidate (iptables-restore --test) failed to validate"),
    (("-A INPUT -m set --match-set cfw6", "-A INPUT -p tcp --dport 99999 -m set --match-set cfw6"),
     "the candidate (ip6tables-restore --test) failed to validate"),
])
def test_iptables_rejects_broken_ipsets_or_rules_without_touching_the_node(ipt_backend, broken, message):
    need_tool("ipset")
    ns, backend = ipt_backend
    old, new = broken
    rulesets = {"iptables_ipset": {key: text.replace(old, new) for key, text in WITH_SETS["iptables_ipset"].items()}}
    paths = stage(backend, rulesets, backend.state_dir)
    with pytest.raises(BackendError) as err:
        backend.validate(paths)
    assert str(err.value).startswith("Stage the iptables rulesets: " + message), str(err.value)
    assert in_ns(ns, "ipset list -n").stdout.split() == []


def test_ipset_names():
    assert iptables.set_names(IPSETS) == ["cfw4-0a0b0c0d", "cfw6-0e0f1a1b"]
    assert iptables.set_names("create a hash:net\nadd a 10.0.0.0/8\n") == ["a"]
    assert iptables.stale_sets(["cfw4-0a0b0c0d", "cfw4-99999999", "cfw6-1", "other", "cfw4-0a0b0c0d-n"],
                               ["cfw4-0a0b0c0d"]) == ["cfw4-99999999", "cfw6-1"]


# ---------------------------------------------------------------- firewalld without a daemon

def test_firewalld_bundle_binds_the_interface_and_round_trips(tmp_path):
    rendered = render(POLICY, ["firewalld"], zone="collab-uc")["firewalld"]
    backend = firewalld.Firewalld(state_dir=str(tmp_path), runner=lambda argv, data=None: (
        0, "1: lo    inet 127.0.0.1/8 scope host lo\n2: eth0@if9    inet 198.18.1.11/24 brd x\n", ""),
        zone="collab-uc", address="198.18.1.11")
    [(name, text)] = backend.staged({"firewalld": rendered})
    assert name == "firewalld.staged"
    kinds = firewalld.parts(text)
    assert kinds[0][:2] == ("zones", "collab-uc.xml")
    assert '<interface name="eth0"/>' in kinds[0][2]
    assert sorted(n for k, n, _x in kinds if k == "ipsets") == sorted(n + ".xml" for n in rendered["ipsets"])
    # an explicit interface list wins and is bound once
    bound = firewalld.bind_interfaces(rendered["zone_xml"], ["ens3"])
    assert bound.count("<interface ") == 1 and firewalld.bind_interfaces(bound, ["eth9"]) == bound
    with pytest.raises(BackendError):
        firewalld.bind_interfaces(rendered["zone_xml"], ["bad name"])


def test_firewalld_bundle_needs_an_interface(tmp_path):
    rendered = render(POLICY, ["firewalld"])["firewalld"]
    backend = firewalld.Firewalld(state_dir=str(tmp_path), runner=lambda argv, data=None: (0, "", ""),
                                  address="198.18.1.11")
    with pytest.raises(BackendError) as err:
        backend.staged({"firewalld": rendered})
    assert "host_firewall_firewalld_interfaces" in str(err.value)


VALIDATE = """
import sys
from ansible_collections.collab.firewall.plugins.module_utils.host_firewall import firewalld
from ansible_collections.collab.firewall.plugins.module_utils.host_firewall.common import BackendError
backend = firewalld.Firewalld(state_dir=sys.argv[1], runner=None, interfaces=["eth0"])
try:
    backend.validate([sys.argv[2]])
except BackendError as exc:
    print(exc)
    sys.exit(3)
print("OK")
"""


@pytest.mark.parametrize("case", ["valid", "broken", "duplicate rule"])
def test_firewalld_validation_uses_firewalld_readers(tmp_path, case):
    python = "/usr/bin/python3"
    if subprocess.run([python, "-c", "import firewall"], capture_output=True, check=False).returncode != 0:
        need_tool("firewalld-python-modules-missing")
    rendered = render(POLICY, ["firewalld"])["firewalld"]
    broken = case == "broken"
    if broken:
        rendered["zone_xml"] = rendered["zone_xml"].replace('port="2000"', 'port="70000"')
    elif case == "duplicate rule":
        # firewalld keeps one of two identical rules and logs it: not an error
        first_rule = [line for line in rendered["zone_xml"].splitlines() if "<rule " in line][0]
        rendered["zone_xml"] = rendered["zone_xml"].replace(first_rule, first_rule + "\n" + first_rule, 1)
    zone_xml = firewalld.bind_interfaces(rendered["zone_xml"], ["eth0"])
    bundle = tmp_path / "firewalld.staged"
    bundle.write_text(firewalld.bundle(dict(rendered, zone_xml=zone_xml)))
    up = [".."] * 6
    tree = os.environ.get("PYTHONPATH") or os.path.abspath(os.path.join(os.path.dirname(firewalld.__file__), *up))
    result = subprocess.run([python, "-c", VALIDATE, str(tmp_path), str(bundle)], capture_output=True, text=True,
                            check=False, env=dict(os.environ, PYTHONPATH=tree))
    if broken:
        assert result.returncode == 3, result.stdout + result.stderr
        assert result.stdout.startswith("Stage the firewalld zone: the candidate failed to validate (firewalld)")
    else:
        assert result.returncode == 0 and result.stdout.strip() == "OK", result.stdout + result.stderr


def test_iptables_with_the_renderers_ipsets_end_to_end(ipt_backend):
    """The renderer's own ipsets and rules (render_iptables_ipset): validated, activated, digested, confirmed."""
    need_tool("ipset")
    ns, backend = ipt_backend
    rulesets = render(POLICY, ["iptables"], ipset=True)
    paths = stage(backend, rulesets, backend.state_dir)
    assert os.path.basename(paths[0]) == "ipsets.staged"
    backend.validate(paths)
    backend.snapshot()
    backend.activate(paths)
    names = sorted(in_ns(ns, "ipset list -n").stdout.split())
    assert names == sorted(rulesets["iptables_ipset"]["sets"]) and names
    assert all("--match-set %s src" % name in backend.digest() for name in names)
    assert backend.cleanup() == []
    # the same load again changes nothing that the digest sees
    digest = backend.digest()
    backend.activate(paths)
    assert backend.digest() == digest
