"""Smoke test of the netns test-host harness (needs root; see README.md).

Brings up 2 hosts (h1 with firewalld, h2 without) and checks SSH, Ansible, firewalld and that
nft / iptables-restore inside a host filter that host's own packets.  All traffic stays on the
harness bridge (198.18.X.0/24) and its namespaces.
"""
import os
import shutil
import subprocess
import sys
import time

import pytest

import netns_hosts as nh

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PORT = 9999
MARK = "cfw-harness-smoke"

# python one-liners run inside the hosts (Debian python3) or source namespaces
LISTENER = (
    "import socket\n"
    "s = socket.socket(socket.AF_INET6)\n"
    "s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)\n"
    "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
    "s.bind(('::', %d)); s.listen(64)\n"
    "while True:\n"
    "    c, _ = s.accept(); c.close()\n" % PORT
)
CONNECT = (
    "import socket, sys\n"
    "try:\n"
    "    socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=float(sys.argv[3])).close()\n"
    "except OSError as e:\n"
    "    print(e); sys.exit(1)\n"
)


def ansible_bin():
    for cand in (os.environ.get("COLLAB_FW_ANSIBLE"), os.path.join(REPO, ".venv", "bin", "ansible"),
                 os.path.join(os.path.dirname(sys.executable), "ansible"), shutil.which("ansible")):
        if cand and os.access(cand, os.X_OK):
            return cand
    pytest.fail("no ansible executable: expected %s/.venv/bin/ansible (or set COLLAB_FW_ANSIBLE)" % REPO)


def host_connects(env, src_host, addr, timeout=2.0):
    res = env.exec(src_host, ["python3", "-c", CONNECT, addr, str(PORT), str(timeout)], check=False,
                   timeout=timeout + 20)
    return res.returncode == 0


def src_connects(env, src, addr, timeout=2.0):
    res = env.src_exec(src, ["python3", "-c", CONNECT, addr, str(PORT), str(timeout)], check=False,
                       timeout=timeout + 20)
    return res.returncode == 0


@pytest.fixture(scope="module")
def listener(netns_hosts):
    """TCP listener on port 9999 (v4+v6) in the plain host (h2); yields that host."""
    env = netns_hosts
    a = env.plain_hosts()[0]
    proc = env.popen(a, ["timeout", "900", "python3", "-c", LISTENER],
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 15
        while ":%d " % PORT not in env.exec(a, ["ss", "-Hltn"]).stdout:
            assert proc.poll() is None, "listener died"
            assert time.monotonic() < deadline, "listener on %d did not come up" % PORT
            time.sleep(0.1)
        yield a
    finally:
        env.exec(a, ["pkill", "-f", "socket.AF_INET6"], check=False)
        proc.kill()
        proc.wait(timeout=10)


def test_hosts_are_up(netns_hosts):
    env = netns_hosts
    assert len(env.hosts) == 2
    assert [h["firewalld"] for h in env.hosts] == [True, False]
    for h in env.hosts:
        assert h["ipv4"].startswith("198.18.") and h["ipv6"].startswith("fd00:")
        assert env.exec(h, ["hostname"]).stdout.strip() == h["id"]
        assert os.path.isfile(env.inventory)


def test_ssh_with_generated_key(netns_hosts):
    env = netns_hosts
    for h in env.hosts:
        for addr in (h["ipv4"], h["ipv6"]):
            res = subprocess.run(["ssh", "-i", env.ssh_key] + nh.SSH_OPTS + ["root@" + addr, "true"],
                                 capture_output=True, text=True, timeout=60, check=False)
            assert res.returncode == 0, "ssh root@%s failed: %s" % (addr, res.stderr)


def test_ansible_ping(netns_hosts, tmp_path):
    env = netns_hosts
    environ = dict(os.environ, ANSIBLE_HOST_KEY_CHECKING="False", ANSIBLE_NOCOLOR="1",
                   ANSIBLE_SSH_CONTROL_PATH_DIR=str(tmp_path / "cp"), ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"))
    res = subprocess.run([ansible_bin(), "-i", env.inventory, "all", "-m", "ansible.builtin.ping", "-o"],
                         capture_output=True, text=True, timeout=300, env=environ, check=False)
    assert res.returncode == 0, res.stdout + res.stderr
    for h in env.hosts:
        assert any(line.startswith(h["id"] + " ") and "SUCCESS" in line and "pong" in line
                   for line in res.stdout.splitlines()), res.stdout


def test_firewalld_running(netns_hosts):
    env = netns_hosts
    fw, plain = env.firewalld_hosts()[0], env.plain_hosts()[0]
    assert env.exec(fw, ["firewall-cmd", "--state"]).stdout.strip() == "running"
    assert "firewalld" in env.exec(fw, ["nft", "list", "tables"]).stdout
    # the other host has no firewalld, and the controller's netfilter got nothing from it
    res = env.exec(plain, ["firewall-cmd", "--state"], check=False)
    assert res.returncode != 0 and res.stdout.strip() != "running", res.stdout + res.stderr
    assert "inet firewalld" not in env.exec(plain, ["nft", "list", "tables"]).stdout


def _root_ruleset():
    res = subprocess.run(["nft", "list", "ruleset"], capture_output=True, text=True, check=False)
    return res.stdout if res.returncode == 0 else ""


def test_nft_drop_rule_in_host(netns_hosts, listener):
    env, a = netns_hosts, listener
    b = env.firewalld_hosts()[0]
    for addr in (a["ipv4"], a["ipv6"]):
        assert host_connects(env, b, addr), "baseline: %s cannot reach %s:%d" % (b["id"], addr, PORT)
    env.exec(a, ["nft", "-f", "-"], input=(
        "table inet cfwsmoke {\n"
        "  chain input { type filter hook input priority -10; policy accept;\n"
        "    tcp dport %d counter drop comment \"%s\"\n  }\n}\n" % (PORT, MARK)))
    try:
        for addr in (a["ipv4"], a["ipv6"]):
            assert not host_connects(env, b, addr), "nft drop rule in %s did not block %s" % (a["id"], addr)
        rules = env.exec(a, ["nft", "list", "table", "inet", "cfwsmoke"]).stdout
        assert "counter packets 0 " not in rules, rules  # the kernel of A really dropped them
        assert MARK not in env.exec(b, ["nft", "list", "ruleset"]).stdout
        assert MARK not in _root_ruleset()
    finally:
        env.exec(a, ["nft", "delete", "table", "inet", "cfwsmoke"], check=False)
    for addr in (a["ipv4"], a["ipv6"]):
        assert host_connects(env, b, addr), "still blocked after removing the nft rule"


def test_iptables_restore_in_host(netns_hosts, listener):
    env, a = netns_hosts, listener
    b = env.firewalld_hosts()[0]
    assert host_connects(env, b, a["ipv4"])
    env.exec(a, ["iptables-restore", "--noflush"], input=(
        "*filter\n-A INPUT -p tcp --dport %d -m comment --comment %s -j DROP\nCOMMIT\n" % (PORT, MARK)))
    try:
        assert MARK in env.exec(a, ["iptables", "-S", "INPUT"]).stdout
        assert not host_connects(env, b, a["ipv4"]), "iptables DROP rule in %s did not block" % a["id"]
        assert MARK not in _root_ruleset()
    finally:
        env.exec(a, ["iptables-restore"], input="*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n", check=False)
    assert MARK not in env.exec(a, ["iptables", "-S", "INPUT"]).stdout
    assert host_connects(env, b, a["ipv4"]), "still blocked after iptables-restore flushed INPUT"


def test_source_namespace_address(netns_hosts, listener):
    env, a = netns_hosts, listener
    b = env.firewalld_hosts()[0]
    sub = env.state["subnet"]
    src = env.add_source(["198.19.%d.10/24" % sub, "fd00:198:19:%d::10/64" % sub], label="smoke")
    assert src_connects(env, src, a["ipv4"]) and src_connects(env, src, a["ipv6"])
    env.exec(a, ["nft", "-f", "-"], input=(
        "table inet cfwsrc {\n  chain input { type filter hook input priority -10;\n"
        "    ip saddr 198.19.%d.10 tcp dport %d drop\n"
        "    ip6 saddr fd00:198:19:%d::10 tcp dport %d drop\n  }\n}\n" % (sub, PORT, sub, PORT)))
    try:
        assert not src_connects(env, src, a["ipv4"]) and not src_connects(env, src, a["ipv6"])
        assert host_connects(env, b, a["ipv4"]), "a rule on one source address blocked another"
    finally:
        env.exec(a, ["nft", "delete", "table", "inet", "cfwsrc"], check=False)
        nh.del_source(env.name, "smoke")
