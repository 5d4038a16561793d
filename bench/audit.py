# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How long the device rendering (device_plan) and the exact audit (audit_device) take, on the example's router and
firewall and on the large deployment's (synthetic.LARGE_DEVICES), with the ACE counts and the audit's verdict.

Run: PYTHONPATH=<dir holding ansible_collections/collab/firewall> python bench/audit.py [--phones 5000]
The audit compares the rendering with itself (a running-config equal to it: the permitted sets are computed and
subtracted both ways, every ACE is checked for shadowing) and once with an injected extra permit. Prints a table;
asserts nothing.
"""
import argparse
import copy
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import synthetic  # noqa: E402

synthetic.install_collection_finder()

from ansible_collections.collab.firewall.plugins.plugin_utils.acl.audit import audit_device  # noqa: E402
from ansible_collections.collab.firewall.plugins.plugin_utils.render.platforms import device_plan  # noqa: E402

EXAMPLE_DEVICES = {"rtr-core-1": "ios", "asa-dc-1": "asa"}
ACE = re.compile(r"^(\s+(sequence\s+)?\d+\s+(permit|deny)\s|access-list \S+ extended )")


def _audit(plan, platform, device):
    return audit_device(plan, platform, device["acls"], "\n".join(device["lines"]), ogs=device.get("ogs"))


def _extra(plan, platform):
    device = copy.deepcopy(plan["device"])
    if platform == "ios":
        device["acls"][0]["acls"][0]["aces"].insert(0, {
            "sequence": 1, "grant": "permit", "protocol": "tcp", "source": {"any": True},
            "destination": {"any": True, "port_protocol": {"eq": "1500"}}})
    else:
        device["acls"]["acls"][0]["aces"].insert(0, {
            "grant": "permit", "protocol": "tcp", "protocol_options": {"tcp": True}, "source": {"any": True},
            "destination": {"any": True, "port_protocol": {"eq": "1500"}}})
    return device


def row(name, result, host, platform, interfaces):
    start = time.perf_counter()
    plan = device_plan(result, interfaces, host, platform=platform, device={"addresses": ["192.0.2.1"], "sources": []})
    render = time.perf_counter() - start
    aces = sum(1 for line in plan["device"]["lines"] if ACE.match(line))
    start = time.perf_counter()
    clean = _audit(plan, platform, plan["device"])
    audit = time.perf_counter() - start
    start = time.perf_counter()
    dirty = _audit(plan, platform, _extra(plan, platform))
    audit_extra = time.perf_counter() - start
    print("| %s | %s (%s) | %d | %.2f | %.2f | %s | %.2f | %d extra |" % (
        name, host, platform, aces, render, audit, "clean" if clean["summary"]["clean"] else clean["summary"],
        audit_extra, dirty["summary"]["extra"]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--phones", type=int, default=5000)
    parser.add_argument("--clusters", type=int, default=50)
    args = parser.parse_args()
    print("| deployment | device | ACEs | render (s) | exact audit (s) | verdict | audit with a fault (s) | found |")
    print("|---|---|---:|---:|---:|---|---:|---|")
    example = synthetic.example()
    result = synthetic.flows(example)
    for host, platform in EXAMPLE_DEVICES.items():
        row("example", result, host, platform, example["hostvars"][host]["%s_acl_interfaces" % platform])
    result = synthetic.flows(synthetic.large(clusters=args.clusters, phones=args.phones))
    for host, (platform, interfaces) in synthetic.LARGE_DEVICES.items():
        row("large (%d phone subnets)" % args.phones, result, host, platform, interfaces)
    print("\nmachine: %d CPUs (nproc), Python %s" % (os.cpu_count(), sys.version.split()[0]))


if __name__ == "__main__":
    main()
