# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Real-packet checks between test hosts: does a TCP connection or UDP exchange get through?

A listener is started inside the destination test host (its own network namespace, so its firewall
decides), and a client in a source namespace (a test host or an `addsrc` namespace) tries to reach it.

    python3 tests/hosts/probe.py --env NAME --checks FILE.json
FILE.json: [{"src": "h3" | "phones", "dst": "h1", "transport": "tcp", "port": 2000, "expect": "open"}, ...]
`src` is a host label (hN) or a source label made with `netns_hosts.py addsrc --src LABEL`. Prints one
line per check and exits 1 if any outcome differs from `expect` (open or blocked).
"""
from __future__ import absolute_import, division, print_function

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import netns_hosts  # noqa: E402  pylint: disable=wrong-import-position

TIMEOUT = 2.0

# The listener answers "ok" once, then exits; it prints "ready" when it is bound.
_LISTENER = """
import socket, sys
family = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
kind = socket.SOCK_STREAM if sys.argv[2] == "tcp" else socket.SOCK_DGRAM
s = socket.socket(family, kind)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind((sys.argv[1], int(sys.argv[3])))
except OSError:
    # a service of the host already listens there (sshd on 22): the client talks to it instead
    print("busy", flush=True)
    sys.exit(0)
s.settimeout(float(sys.argv[4]))
if kind == socket.SOCK_STREAM:
    s.listen(4)
print("ready", flush=True)
try:
    if kind == socket.SOCK_STREAM:
        conn, peer = s.accept()
        conn.sendall(b"ok")
        conn.close()
    else:
        data, peer = s.recvfrom(64)
        s.sendto(b"ok", peer)
except socket.timeout:
    pass
"""

_CLIENT = """
import socket, sys
family = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
kind = socket.SOCK_STREAM if sys.argv[2] == "tcp" else socket.SOCK_DGRAM
s = socket.socket(family, kind)
s.settimeout(float(sys.argv[4]))
try:
    if kind == socket.SOCK_STREAM:
        s.connect((sys.argv[1], int(sys.argv[3])))
        answer = s.recv(8)
        if sys.argv[5] == "any" and answer:
            answer = b"ok"
    else:
        s.sendto(b"x", (sys.argv[1], int(sys.argv[3])))
        answer = s.recvfrom(8)[0]
except OSError:
    answer = b""
print("open" if answer == b"ok" else "blocked")
"""


def _address(state, label, family):
    for host in state["hosts"]:
        if host["id"].endswith("-" + label):
            return host["ipv4"] if family == 4 else host["ipv6"]
    raise netns_hosts.HarnessError("no host %r in env %s" % (label, state["name"]))


def _run_client(state, src, argv):
    cmd = ["python3", "-c", _CLIENT] + argv
    if any(h["id"] == "%s-%s" % (state["name"], src) for h in state["hosts"]):
        return netns_hosts.host_exec("%s-%s" % (state["name"], src), cmd, check=False, timeout=30).stdout.strip()
    return netns_hosts.ns_exec("%s-%s" % (state["name"], src), cmd, check=False, timeout=30).stdout.strip()


def probe(env, src, dst, transport, port, family=4):
    """'open' when a fresh listener on dst:port is reached from src, else 'blocked'."""
    state = netns_hosts.load_state(env)
    if not state:
        raise netns_hosts.HarnessError("env %r is not up" % env)
    address = _address(state, dst, family)
    bind = "::" if family == 6 else "0.0.0.0"
    listener = netns_hosts.host_popen("%s-%s" % (env, dst),
                                      ["python3", "-c", _LISTENER, bind, transport, str(port), str(TIMEOUT + 10)],
                                      stdout=netns_hosts.subprocess.PIPE, text=True)
    try:
        status = listener.stdout.readline().strip()
        if status not in ("ready", "busy") or (status == "busy" and transport != "tcp"):
            raise netns_hosts.HarnessError("listener on %s:%s/%s did not start" % (dst, port, transport))
        return _run_client(state, src, [address, transport, str(port), str(TIMEOUT), "any" if status == "busy" else "ok"])
    finally:
        listener.kill()
        listener.wait(timeout=10)
        time.sleep(0.05)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--env", required=True)
    parser.add_argument("--checks", required=True, help="JSON file with the checks")
    args = parser.parse_args()
    with open(args.checks) as handle:
        checks = json.load(handle)
    failed = 0
    for check in checks:
        got = probe(args.env, check["src"], check["dst"], check["transport"], int(check["port"]),
                    int(check.get("family", 4)))
        ok = got == check["expect"]
        failed += 0 if ok else 1
        print("%s %s -> %s %s/%s: %s (expected %s)%s" % ("PASS" if ok else "FAIL", check["src"], check["dst"],
                                                         check["transport"], check["port"], got, check["expect"],
                                                         " - " + check["why"] if check.get("why") else ""))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
