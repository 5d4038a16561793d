# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How long build_flows, host_policy and every renderer take on the example and on a large synthetic deployment,
their peak memory, and how many rules they write next to a naive rendering.

Run: PYTHONPATH=<dir holding ansible_collections/collab/firewall> python bench/render.py [--phones 50,500,5000]
Host renderers (iptables plain and with ipsets, nftables, firewalld) run once per UC node (gateways excluded);
IOS and ASA render every flow of the deployment into one ACL. "one-pass tree" is what the main job computes:
every file of every node, router, firewall and voice gateway, the reports and the catalog
(output.tree.deployment_tree), after build_flows. Times come from a run without tracemalloc, peak memory from a second run under tracemalloc.
Naive = one rule per catalog entry, source network and destination (host renderers: the destination is the
node itself). Then the main job itself (playbooks/render.yml) on a generated inventory of the large
deployment: wall time and the peak RSS of ansible-playbook. Prints tables; asserts nothing.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import synthetic  # noqa: E402

synthetic.install_collection_finder()

from ansible_collections.collab.firewall.plugins.plugin_utils.catalog.loader import load_catalog  # noqa: E402
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.host_policy import host_policy  # noqa: E402
from ansible_collections.collab.firewall.plugins.plugin_utils.output.tree import deployment_tree  # noqa: E402
from ansible_collections.collab.firewall.plugins.plugin_utils.render.asa import render_asa  # noqa: E402
from ansible_collections.collab.firewall.plugins.plugin_utils.render.firewalld import render_firewalld  # noqa: E402
from ansible_collections.collab.firewall.plugins.plugin_utils.render.ios import render_ios  # noqa: E402
from ansible_collections.collab.firewall.plugins.plugin_utils.render.iptables import (  # noqa: E402
    render_iptables,
    render_iptables_ipset,
)
from ansible_collections.collab.firewall.plugins.plugin_utils.render.nftables import render_nftables  # noqa: E402

LOAD = " ".join("%.2f" % v for v in os.getloadavg())
IOS_ACE = re.compile(r"^\s+(?:sequence\s+)?\d+\s+(?:permit|deny)\s")


def count_iptables(out):
    return sum(1 for text in out.values() for line in text.splitlines() if line.startswith("-A "))


def count_nftables(text):
    body = text.split("chain input {", 1)[1]
    return sum(1 for line in body.splitlines() if line.startswith("        ") and not line.strip().startswith("type "))


def count_firewalld(out):
    return out["zone_xml"].count("<rule ")


def count_ios(out):
    return sum(1 for line in out["lines"] if IOS_ACE.match(line))


def count_asa(out):
    return sum(1 for line in out["lines"] if line.startswith("access-list ") and " extended " in line)


def naive_host(policies):
    return sum(len(p["management"]["sources"]) + sum(len(r["catalog_ids"]) * len(r["sources"]) for r in p["rules"])
               for p in policies)


def naive_acl(result):
    return len(result["management"]["sources"]) + sum(
        len(f["catalog_ids"]) * len(f["sources"]) * len(f["destinations"]) for f in result["flows"])


def uc_nodes(result):
    return [name for name, node in result["nodes"].items() if node["product"] != "gateway"]


def pipeline(deployment):
    """[(step, seconds, output)] for every step; each step gets what the previous ones produced."""
    steps = []

    def step(name, call):
        start = time.perf_counter()
        out = call()
        steps.append((name, time.perf_counter() - start, out))
        return out

    result = step("build_flows", lambda: synthetic.flows(deployment))
    hosts = uc_nodes(result)
    policies = step("host_policy (every UC node)", lambda: [host_policy(result, h) for h in hosts])
    mgmt = result["management"]
    step("iptables", lambda: [render_iptables(p) for p in policies])
    step("iptables + ipsets", lambda: [render_iptables_ipset(p) for p in policies])
    step("nftables", lambda: [render_nftables(p) for p in policies])
    step("firewalld", lambda: [render_firewalld(p) for p in policies])
    step("ios", lambda: render_ios(result, "UC-IN", management=mgmt))
    step("asa", lambda: render_asa(result, "UC-IN", management=mgmt))
    return steps


def peaks(deployment):
    """Peak traced memory (MiB) of each step, measured one step at a time under tracemalloc."""
    out = {}
    tracemalloc.start()
    tracemalloc.reset_peak()
    result = synthetic.flows(deployment)
    out["build_flows"] = tracemalloc.get_traced_memory()[1]
    hosts = uc_nodes(result)
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    policies = [host_policy(result, h) for h in hosts]
    out["host_policy (every UC node)"] = tracemalloc.get_traced_memory()[1] - base
    calls = [("iptables", lambda: [render_iptables(p) for p in policies]),
             ("iptables + ipsets", lambda: [render_iptables_ipset(p) for p in policies]),
             ("nftables", lambda: [render_nftables(p) for p in policies]),
             ("firewalld", lambda: [render_firewalld(p) for p in policies]),
             ("ios", lambda: render_ios(result, "UC-IN", management=result["management"])),
             ("asa", lambda: render_asa(result, "UC-IN", management=result["management"]))]
    for name, call in calls:
        base = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        kept = call()
        out[name] = tracemalloc.get_traced_memory()[1] - base
        del kept
    tracemalloc.stop()
    return dict((k, v / 1048576.0) for k, v in out.items())


def counts(steps):
    by_name = dict((name, out) for name, _seconds, out in steps)
    result, policies = by_name["build_flows"], by_name["host_policy (every UC node)"]
    host_naive, acl_naive = naive_host(policies), naive_acl(result)
    return {
        "build_flows": ("%d flows" % len(result["flows"]), ""),
        "host_policy (every UC node)": ("%d rules, %d nodes" % (sum(len(p["rules"]) + 1 for p in policies),
                                                                len(policies)), ""),
        "iptables": (sum(count_iptables(o) for o in by_name["iptables"]), host_naive),
        "iptables + ipsets": (sum(count_iptables({"ipv4": o["ipv4"], "ipv6": o["ipv6"]})
                                  for o in by_name["iptables + ipsets"]), host_naive),
        "nftables": (sum(count_nftables(o) for o in by_name["nftables"]), host_naive),
        "firewalld": (sum(count_firewalld(o) for o in by_name["firewalld"]), host_naive),
        "ios": (count_ios(by_name["ios"]), acl_naive),
        "asa": (count_asa(by_name["asa"]), acl_naive),
    }


def print_table(title, steps, memory, rule_counts):
    print("\n### %s\n" % title)
    print("| step | time (s) | peak memory (MiB) | rules / ACEs | naive rules |")
    print("|---|---:|---:|---:|---:|")
    for name, seconds, _out in steps:
        rules, naive = rule_counts[name]
        print("| %s | %.3f | %.1f | %s | %s |" % (name, seconds, memory[name], rules, naive))
    print("| **total** | %.3f | | | |" % sum(s for _n, s, _o in steps))


def one_pass(deployment, memory=False):
    """build_flows and every file of the deployment in one pass (what render_deployment computes), in this
    process: seconds of each part, files, MB of text and, with ``memory``, the peak traced MiB."""
    if memory:
        tracemalloc.start()
    start, cpu = time.perf_counter(), time.process_time()
    result = synthetic.flows(deployment)
    flows_s = time.perf_counter() - start
    hosts = dict((name, {}) for name in uc_nodes(result))
    stats = {}
    tree = deployment_tree(result, load_catalog(), hosts, synthetic.devices(deployment), stats=stats,
                           gateways=synthetic.gateways(deployment))
    total = time.perf_counter() - start
    out = {"cpu": time.process_time() - cpu, "build_flows": flows_s, "tree": total - flows_s, "total": total, "files": len(tree),
           "mb": sum(len(text) for text in tree.values()) / 1e6}
    out.update(stats["seconds"])
    if memory:
        out["peak_mib"] = tracemalloc.get_traced_memory()[1] / 1048576.0
        tracemalloc.stop()
    return out


def _child(args):
    """Run one measurement in a fresh interpreter, so that no cache of an earlier step helps it."""
    proc = subprocess.run([sys.executable, os.path.abspath(__file__)] + args, capture_output=True, text=True,
                          check=True, env=os.environ)
    return eval(proc.stdout.strip().splitlines()[-1])  # a dict literal printed by main()


def print_one_pass(title, label, args):
    timing, memory = _child(args), _child(args + ["--memory"])
    print("\n### %s: every file in one pass (fresh process)\n" % title)
    print("| deployment | build_flows (s) | catalog + hosts (s) | devices and gateways (s) | reports (s) | library total (s) "
          "| library CPU (s) | files | MB written | peak memory (MiB) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print("| %s | %.2f | %.2f | %.2f | %.2f | **%.2f** | %.2f | %d | %.0f | %.0f |" % (
        label, timing["build_flows"], timing["hosts"], timing["devices"], timing["reports"], timing["total"],
        timing["cpu"], timing["files"], timing["mb"], memory["peak_mib"]))


def main_job(clusters, phones, gateways):
    """Wall time of playbooks/render.yml (first run and re-run) on a generated inventory, and peak RSS."""
    deployment = synthetic.large(clusters=clusters, phones=phones, gateways=gateways)
    work = tempfile.mkdtemp(prefix="collab-fw-bench-")
    try:
        inventory = synthetic.write_inventory(deployment, os.path.join(work, "inventory"))
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.environ.get("PYTHONPATH", ""), ANSIBLE_NOCOLOR="1",
                   ANSIBLE_CONFIG=os.path.join(synthetic.ROOT, "ansible.cfg"))
        command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", inventory,
                   os.path.join(synthetic.ROOT, "playbooks", "render.yml"), "-e", "uc_output_dir=" + work + "/out"]
        # each run under its own small parent, so that the peak RSS is this playbook's alone
        measure = ("import resource, subprocess, sys, time; start = time.perf_counter(); "
                   "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode; "
                   "print(rc, time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
        runs, peak = [], 0.0
        for _run in range(2):
            proc = subprocess.run([sys.executable, "-c", measure] + command, capture_output=True, text=True, env=env,
                                  cwd=work, check=True)
            code, seconds, rss = proc.stdout.split()
            if code != "0":
                raise SystemExit("render.yml failed (rc %s); rerun it by hand: %s" % (code, " ".join(command)))
            runs.append(float(seconds))
            peak = max(peak, int(rss) / 1024.0)
        files = sum(len(names) for _d, _s, names in os.walk(os.path.join(work, "out")))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    nodes = len(uc_nodes({"nodes": dict((n, {"product": "gateway" if n in deployment["groups"]["gateways"] else "x"})
                                        for g in ("publisher", "subscriber", "imp", "unity", "cvp", "gateways")
                                        for n in deployment["groups"][g])}))
    print("\n### main job (playbooks/render.yml) on a generated inventory\n")
    print("| inventory | first run (s, wall) | re-run, nothing changes (s, wall) | files | peak RSS (MiB) |")
    print("|---|---:|---:|---:|---:|")
    print("| %d UC nodes, %d gateways, %d phone subnets, 1 router, 1 ASA | %.1f | %.1f | %d | %.0f |"
          % (nodes, gateways, phones, runs[0], runs[1], files, peak))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--phones", default="50,500,5000", help="phone subnet counts of the scaling table")
    parser.add_argument("--clusters", type=int, default=50)
    parser.add_argument("--job", default="50,500,200",
                        help="clusters,phones,gateways of the main job's inventory ('' skips the playbook run)")
    parser.add_argument("--one-pass", dest="one_pass", help=argparse.SUPPRESS)  # child: example | clusters,phones
    parser.add_argument("--memory", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one_pass:
        if args.one_pass == "example":
            deployment = synthetic.example()
        else:
            clusters, count = (int(v) for v in args.one_pass.split(","))
            deployment = synthetic.large(clusters=clusters, phones=count)
        print(repr(one_pass(deployment, memory=args.memory)))
        return
    phones = [int(p) for p in args.phones.split(",") if p]

    example = synthetic.example()
    steps = pipeline(example)
    print_table("example inventory (inventory/example)", steps, peaks(example), counts(steps))
    print_one_pass("example inventory", "example", ["--one-pass", "example"])

    scaling = []
    for count in phones:
        deployment = synthetic.large(clusters=args.clusters, phones=count)
        steps = pipeline(deployment)
        rule_counts = counts(steps)
        if count == max(phones):
            print_table(deployment["name"], steps, peaks(deployment), rule_counts)
            print_one_pass(deployment["name"], deployment["name"], ["--one-pass", "%d,%d" % (args.clusters, count)])
        scaling.append((count, steps, rule_counts))

    print("\n### rules as phone subnets grow (%d clusters x 10 nodes, 200 gateways; summed over UC nodes)\n"
          % args.clusters)
    print("| phone subnets | build_flows + render (s) | nftables rules | firewalld rich rules | IOS ACEs | ASA ACEs "
          "| iptables + ipsets rules | iptables rules (plain) | naive (host) | naive (ACL) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for count, steps, rule_counts in scaling:
        print("| %d | %.1f | %d | %d | %d | %d | %d | %d | %d | %d |" % (
            count, sum(s for _n, s, _o in steps), rule_counts["nftables"][0], rule_counts["firewalld"][0],
            rule_counts["ios"][0], rule_counts["asa"][0], rule_counts["iptables + ipsets"][0],
            rule_counts["iptables"][0], rule_counts["nftables"][1], rule_counts["ios"][1]))
    if args.job:
        clusters, count, gateways = (int(v) for v in args.job.split(","))
        main_job(clusters, count, gateways)
    print("\nmachine: %d CPUs (nproc), Python %s, load average before the run %s"
          % (os.cpu_count(), sys.version.split()[0], LOAD))


if __name__ == "__main__":
    main()
