# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Converging N real test hosts with the role collab.firewall.host_firewall, against the naive approach of one
task per rule (ansible.posix.firewalld rich rules on firewalld hosts, ansible.builtin.iptables on plain hosts).

Run as root from the repository root: python bench/converge.py --sizes 1,5,20

For each N an env `bcvN` of the netns test-host harness (tests/hosts/) is brought up with N hosts, the odd ones
running firewalld and the even ones plain (iptables). Every host is a CUCM subscriber (callmanager, cti_manager)
with the zones and features of inventory/example/group_vars/all.yml, each in its own cluster so that every host
gets the same-shaped policy at every N. The naive playbook is generated from the role's own policy
(collab.firewall.uc_host_policy, written by the role in `rendered` state): one task per source, transport and
port (range). Like the role, it keeps SSH from the controller (198.18.X.1) first and ends with a default drop.
Each approach gets fresh hosts (the env is torn down and brought up again) and is run twice: first run, re-run.
Measured: wall time of ansible-playbook and the changed count of the recap; forks = N, at most 20. A run that
takes longer than --cap seconds is stopped and reported as capped. Prints a Markdown table and writes it, with the
machine, into docs/benchmarks-converge.md. Never sends traffic outside 198.18.0.0/15 and fd00::/8.
"""
import argparse
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "hosts"))

import netns_hosts  # noqa: E402

BIN = os.path.dirname(os.path.abspath(sys.executable))
PLAYBOOK_BIN = os.path.join(BIN, "ansible-playbook")
ROLE_PLAYBOOK = os.path.join(ROOT, "playbooks", "host_firewall.yml")
EXAMPLE_VARS = os.path.join(ROOT, "inventory", "example", "group_vars", "all.yml")
DOC = os.path.join(ROOT, "docs", "benchmarks-converge.md")
# where bench/README.md puts the collection, unless ANSIBLE_COLLECTIONS_PATH points elsewhere (e.g. a test tree)
COLLECTIONS = os.environ.get("ANSIBLE_COLLECTIONS_PATH") or os.path.join(ROOT, ".cache", "collections")
RECAP = re.compile(r"^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)\s+skipped=(\d+)"
                   r"\s+rescued=(\d+)\s+ignored=(\d+)", re.M)
FIREWALLD_ZONE = "public"


SSH_WRAPPER = """#!/bin/sh
# counts every ssh/sftp command Ansible runs (control commands -O check/stop excluded), then runs the real one
case " $* " in *" -O "*) ;; *) echo "$*" >> "%(log)s" ;; esac
exec %(tool)s "$@"
"""


def ssh_wrappers(workdir):
    """{env var: wrapper path}: ssh and sftp executables that log each command to workdir/ssh.log."""
    log = os.path.join(workdir, "ssh.log")
    env = {}
    for tool, var in (("ssh", "ANSIBLE_SSH_EXECUTABLE"), ("sftp", "ANSIBLE_SFTP_EXECUTABLE")):
        path = os.path.join(workdir, "count-" + tool)
        with open(path, "w") as handle:
            handle.write(SSH_WRAPPER % {"log": log, "tool": shutil.which(tool) or tool})
        os.chmod(path, 0o755)
        env[var] = path
    return env, log


def ansible_env(extra=None):
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_COLLECTIONS_PATH=COLLECTIONS,
               ANSIBLE_NOCOLOR="1", ANSIBLE_RETRY_FILES_ENABLED="0")
    env.update(extra or {})
    return env


def round_trips(log, addresses):
    """{address: number of ssh/sftp commands} from the wrapper log (one line per command)."""
    counts = dict.fromkeys(addresses, 0)
    try:
        with open(log) as handle:
            lines = handle.read().splitlines()
    except FileNotFoundError:
        return counts
    for line in lines:
        for address in addresses:
            if re.search(r"(^|[\s\[@])%s(\]|\s|$)" % re.escape(address), line):
                counts[address] += 1
                break
    return counts


def overlay_inventory(state):
    """The UC overlay: every harness host is a subscriber in its own cluster; plain hosts use iptables."""
    hosts = {}
    for host in state["hosts"]:
        hosts[host["id"]] = {"uc_cluster": "bench-" + host["id"], "uc_cucm_services": ["callmanager", "cti_manager"],
                             "host_firewall_backend": "firewalld" if host["firewalld"] else "iptables",
                             "host_firewall_linux_host_confirmed": True}
    return {"all": {"children": {"uc": {"children": {"subscriber": {"hosts": hosts}}}}}}


def run_playbook(cmd, cap, extra_env=None):
    """(seconds, stdout, returncode or None when capped). The run gets its own process group, killed on cap."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=ansible_env(extra_env), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    try:
        out = proc.communicate(timeout=cap)[0]
        return time.monotonic() - start, out, proc.returncode
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out = proc.communicate()[0]
        return time.monotonic() - start, out, None


def recap(out):
    """{host: {"ok": n, "changed": n, ...}} from the PLAY RECAP."""
    keys = ("ok", "changed", "unreachable", "failed", "skipped", "rescued", "ignored")
    return {m.group(1): dict(zip(keys, (int(v) for v in m.groups()[1:]))) for m in RECAP.finditer(out)}


def render_policies(inventories, names, workdir):
    """{host: policy} from the role in `rendered` state (contacts no host)."""
    outdir = os.path.join(workdir, "rendered")
    cmd = [PLAYBOOK_BIN] + inventories + [ROLE_PLAYBOOK, "-e", "host_firewall_hosts=uc", "-e",
                                          "host_firewall_state=rendered", "-e", "host_firewall_output_dir=" + outdir]
    result = subprocess.run(cmd, cwd=ROOT, env=ansible_env(), capture_output=True, text=True, timeout=600, check=False)
    if result.returncode != 0:
        raise RuntimeError("rendering the policies failed:\n" + result.stdout[-3000:])
    policies = {}
    for name in names:
        with open(os.path.join(outdir, name, "policy.json")) as handle:
            policies[name] = json.load(handle)
    return policies


def family(source):
    return "ipv6" if ":" in source else "ipv4"


def rule_items(policy, controller):
    """[(source, transport, port or None)] in order: controller SSH, management SSH, then every rule."""
    items = [(controller + "/32", "tcp", 22)]
    for rule in [policy["management"]] + policy["rules"]:
        for source in rule["sources"]:
            for port in rule["ports"] or [None]:
                items.append((source, rule["transport"], port))
    return items


def rich_rule(source, transport, port):
    fam = family(source)
    if port is not None:
        what = 'port port="%s" protocol="%s"' % (port, transport)
    else:
        proto = "ipv6-icmp" if transport == "icmp" and fam == "ipv6" else transport
        what = 'protocol value="%s"' % proto
    return 'rule family="%s" source address="%s" %s accept' % (fam, source, what)


def iptables_rule(source, transport, port):
    rule = {"ip_version": family(source), "source": source,
            "protocol": "ipv6-icmp" if transport == "icmp" and family(source) == "ipv6" else transport}
    if port is not None:
        rule["destination_port"] = str(port).replace("-", ":")
    return rule


def naive_host_vars(policy, controller, firewalld):
    items = rule_items(policy, controller)
    if firewalld:
        return {"bench_rich_rules": [rich_rule(*item) for item in items]}
    return {"bench_iptables_rules": [iptables_rule(*item) for item in items]}


def naive_playbook(count_firewalld, count_iptables, labels_firewalld, labels_iptables):
    """One task per rule; the values are each host's own (its policy differs from the others by its address)."""
    firewalld_tasks = []
    for index in range(count_firewalld):
        firewalld_tasks.append({
            "name": "firewalld rule %d: %s" % (index, labels_firewalld[index]),
            "ansible.posix.firewalld": {"zone": FIREWALLD_ZONE, "rich_rule": "{{ bench_rich_rules[%d] }}" % index,
                                        "permanent": True, "immediate": True, "state": "enabled"},
            "when": "collab_fw_firewalld | bool"})
    for service in ("ssh", "dhcpv6-client"):
        firewalld_tasks.append({
            "name": "firewalld: close the zone's %s service (only the rules above remain)" % service,
            "ansible.posix.firewalld": {"zone": FIREWALLD_ZONE, "service": service, "permanent": True,
                                        "immediate": True, "state": "disabled"},
            "when": "collab_fw_firewalld | bool"})
    firewalld_tasks.append({
        "name": "firewalld: default drop", "notify": "Reload firewalld",
        "ansible.posix.firewalld": {"zone": FIREWALLD_ZONE, "target": "DROP", "permanent": True, "state": "enabled"},
        "when": "collab_fw_firewalld | bool"})
    iptables_tasks = []
    for version in ("ipv4", "ipv6"):
        iptables_tasks.append({
            "name": "iptables (%s): loopback" % version,
            "ansible.builtin.iptables": {"chain": "INPUT", "in_interface": "lo", "jump": "ACCEPT",
                                         "ip_version": version},
            "when": "not collab_fw_firewalld | bool"})
        iptables_tasks.append({
            "name": "iptables (%s): established, related" % version,
            "ansible.builtin.iptables": {"chain": "INPUT", "ctstate": ["ESTABLISHED", "RELATED"], "jump": "ACCEPT",
                                         "ip_version": version},
            "when": "not collab_fw_firewalld | bool"})
    for index in range(count_iptables):
        ref = "bench_iptables_rules[%d]" % index
        iptables_tasks.append({
            "name": "iptables rule %d: %s" % (index, labels_iptables[index]),
            "ansible.builtin.iptables": {
                "chain": "INPUT", "jump": "ACCEPT", "ip_version": "{{ %s.ip_version }}" % ref,
                "source": "{{ %s.source }}" % ref, "protocol": "{{ %s.protocol }}" % ref,
                "destination_port": "{{ %s.destination_port | default(omit) }}" % ref},
            "when": "not collab_fw_firewalld | bool"})
    for version in ("ipv4", "ipv6"):
        iptables_tasks.append({
            "name": "iptables (%s): default drop" % version,
            "ansible.builtin.iptables": {"chain": "INPUT", "policy": "DROP", "ip_version": version},
            "when": "not collab_fw_firewalld | bool"})
    return [{"name": "Naive host firewall, one task per rule", "hosts": "uc", "gather_facts": False,
             "strategy": "free", "tasks": firewalld_tasks + iptables_tasks,
             "handlers": [{"name": "Reload firewalld", "ansible.builtin.command": "firewall-cmd --reload",
                           "changed_when": True}]}]


def label(item):
    source, transport, port = item
    return "%s %s from %s" % (transport, "" if port is None else port, source)


def live_rules(host):
    if host["firewalld"]:
        script = ("for z in collab-uc %s; do firewall-cmd --permanent --zone=$z --list-rich-rules 2>/dev/null; done"
                  " | grep -c '^rule'" % FIREWALLD_ZONE)
    else:
        script = "{ iptables-save -t filter; ip6tables-save -t filter; } | grep -c '^-A'"
    result = netns_hosts.host_exec(host, ["sh", "-c", script], check=False, timeout=60)
    return result.stdout.strip() or "?"


def write_json_yaml(path, data):
    with open(path, "w") as handle:
        json.dump(data, handle, indent=1)  # JSON is valid YAML
    return path


def converge(size, approach, cap, workdir):
    """Bring up bcvN, run `approach` twice, tear down. Returns a dict for the table."""
    name = "bcv%d" % size
    netns_hosts.down(name)  # leftovers of a crashed run
    rundir = os.path.join(workdir, "%s-%s" % (name, approach))
    os.makedirs(rundir)
    harness_inv = os.path.join(rundir, "harness.yml")
    row = {"size": size, "approach": approach}
    try:
        state = netns_hosts.up(name, size, firewalld=[i for i in range(1, size + 1) if i % 2],
                               inventory=harness_inv, timeout=300)
        row["up_seconds"] = state.get("up_seconds")
        overlay = write_json_yaml(os.path.join(rundir, "uc.yml"), overlay_inventory(state))
        inventories = ["-i", harness_inv, "-i", overlay, "-e", "@" + EXAMPLE_VARS]
        names = [host["id"] for host in state["hosts"]]
        policies = render_policies(inventories, names, rundir)
        first_host = state["hosts"][0]
        row["policy_rules"] = len(policies[first_host["id"]]["rules"]) + 1
        if approach == "role":
            cmd = [PLAYBOOK_BIN] + inventories + [ROLE_PLAYBOOK, "-e", "host_firewall_hosts=uc"]
        else:
            host_vars = {}
            for host in state["hosts"]:
                host_vars[host["id"]] = naive_host_vars(policies[host["id"]], state["gw4"], host["firewalld"])
            fw_host = next((h for h in state["hosts"] if h["firewalld"]), None)
            plain_host = next((h for h in state["hosts"] if not h["firewalld"]), None)
            fw_items = rule_items(policies[fw_host["id"]], state["gw4"]) if fw_host else []
            ipt_items = rule_items(policies[plain_host["id"]], state["gw4"]) if plain_host else []
            vars_inv = write_json_yaml(os.path.join(rundir, "naive_vars.yml"), {"all": {"children": {"uc": {
                "children": {"subscriber": {"hosts": host_vars}}}}}})
            playbook = write_json_yaml(os.path.join(rundir, "naive.yml"), naive_playbook(
                len(fw_items), len(ipt_items), [label(i) for i in fw_items], [label(i) for i in ipt_items]))
            inventories += ["-i", vars_inv]
            cmd = [PLAYBOOK_BIN] + inventories + [playbook]
        cmd += ["-f", str(min(size, 20))]
        wrappers, ssh_log = ssh_wrappers(rundir)
        row["round_trips"] = {}
        for run in ("first", "rerun"):
            if run == "rerun" and row["first"]["rc"] is None:
                row[run] = {"seconds": None, "changed": None, "rc": "skipped"}
                continue
            if os.path.exists(ssh_log):
                os.unlink(ssh_log)
            seconds, out, rc = run_playbook(cmd, cap, wrappers)
            trips = round_trips(ssh_log, [h["ipv4"] for h in state["hosts"]])
            with open(os.path.join(rundir, run + ".log"), "w") as handle:
                handle.write(out)
            stats = recap(out)
            row[run] = {"seconds": seconds, "rc": rc, "recap": stats, "trips": trips,
                        "changed": sum(s["changed"] for s in stats.values()) if stats else None}
            if rc not in (0, None):
                sys.stderr.write("%s %s %s run failed (rc=%s); log %s\n%s\n" % (
                    name, approach, run, rc, os.path.join(rundir, run + ".log"), out[-2000:]))
        stats = row["first"].get("recap") or {}
        row["tasks"] = {}
        row["live"] = {}
        for host in state["hosts"][:2]:
            kind = "firewalld" if host["firewalld"] else "iptables"
            if host["id"] in stats:
                # tasks that ran on the host (a run_once task counts on the first host only)
                row["tasks"][kind] = stats[host["id"]]["ok"] + stats[host["id"]]["failed"]
            row["round_trips"][kind] = "/".join(
                str(row[run].get("trips", {}).get(host["ipv4"], "-")) for run in ("first", "rerun"))
            row["live"][kind] = live_rules(host)
    finally:
        netns_hosts.down(name)
    return row


def fmt_run(run, cap):
    if run["rc"] == "skipped":
        return "not run", "-"
    if run["rc"] is None:
        return "capped at %d s" % cap, "%s (partial)" % run["changed"] if run["changed"] is not None else "?"
    text = "%.1f s" % run["seconds"]
    if run["rc"] != 0:
        text += " (failed, rc=%d)" % run["rc"]
    return text, str(run["changed"])


def per_kind(values):
    return ", ".join("%s %s" % (kind, values[kind]) for kind in ("firewalld", "iptables") if kind in values) or "-"


def table(rows, cap):
    lines = ["| N hosts (firewalld/plain) | approach | first run | changed | re-run | changed | tasks per host "
             "| SSH round trips per host (first/re-run) | live rules per host |",
             "|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        first, first_changed = fmt_run(row["first"], cap)
        rerun, rerun_changed = fmt_run(row["rerun"], cap)
        lines.append("| %d (%d/%d) | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            row["size"], (row["size"] + 1) // 2, row["size"] // 2,
            "role host_firewall" if row["approach"] == "role" else "naive, one task per rule",
            first, first_changed, rerun, rerun_changed, per_kind(row["tasks"]),
            per_kind(row.get("round_trips", {})), per_kind(row["live"])))
    return "\n".join(lines)


def ratios(rows):
    lines = []
    by_size = {}
    for row in rows:
        by_size.setdefault(row["size"], {})[row["approach"]] = row
    for size in sorted(by_size):
        pair = by_size[size]
        if "role" not in pair or "naive" not in pair:
            continue
        parts = []
        for run in ("first", "rerun"):
            role, naive = pair["role"][run], pair["naive"][run]
            if role["rc"] != 0 or naive["rc"] == "skipped" or not role["seconds"]:
                continue
            bound = ">= " if naive["rc"] is None else ""
            parts.append("%s %s%.1fx" % (run, bound, naive["seconds"] / role["seconds"]))
        role_rerun = pair["role"]["rerun"]
        if role_rerun.get("rc") == 0 and role_rerun.get("seconds"):
            parts.append("role re-run per host %.2f s" % (role_rerun["seconds"] / size))
        if parts:
            lines.append("* N=%d: naive / role wall time: %s" % (size, ", ".join(parts)))
    return "\n".join(lines)


def versions():
    core = subprocess.run([os.path.join(BIN, "ansible"), "--version"], capture_output=True, text=True,
                          timeout=120, check=False).stdout.splitlines()
    posix = subprocess.run([os.path.join(BIN, "ansible-galaxy"), "collection", "list", "ansible.posix"],
                           capture_output=True, text=True, timeout=120, check=False, env=ansible_env()).stdout
    match = re.search(r"ansible\.posix\s+(\S+)", posix)
    return {"nproc": os.cpu_count(), "python": platform.python_version(),
            "core": core[0].strip() if core else "?", "posix": match.group(1) if match else "?",
            "kernel": platform.release()}


def write_doc(text, ratio_text, machine, sizes, cap, policy_rules):
    body = """# Benchmark: converging N hosts, role against one task per rule

Measured by `bench/converge.py` on real test hosts of the netns harness
([tests/hosts/README.md](../tests/hosts/README.md)).

Rerun (as root, from the repository root; about half an hour for all three sizes):

```bash
python bench/converge.py --sizes 1,5,20
```

Machine: {nproc} CPUs, kernel {kernel}, Python {python}, {core}, ansible.posix {posix}; {load}. Sizes run:
{sizes}; runs longer than {cap} s are stopped and marked capped.

## Setup
* Env `bcvN` has N hosts: odd ones run firewalld, even ones are plain (iptables). Every host is a CUCM
  subscriber (`uc_cucm_services: [callmanager, cti_manager]`) with `uc_zones` and `uc_features` of
  `inventory/example/group_vars/all.yml`, each in its own cluster, so every host gets nearly the same policy at
  every N ({policy_rules} policy entries at N={first_size}: management plus rules, from
  `collab.firewall.uc_host_policy`; from N=2 on one more rule, SIP trunk 5060-5061/tcp from the other clusters'
  subscribers, merged into a few CIDRs).
* **role**: `playbooks/host_firewall.yml` (role `collab.firewall.host_firewall`, backend firewalld on firewalld
  hosts, iptables with ipsets on plain hosts). One task per node, `collab.firewall.host_ruleset`: the ruleset is
  rendered on the controller and one module call on the node stages, validates, compares with the last
  activation and the live rules and, when anything differs, snapshots, arms the rollback and activates in one
  transaction; then one shell command over a new SSH connection confirms (commit-confirm). A re-run that finds
  nothing to do is one module call.
* **naive**: a playbook generated from the same policy files (written by the role in `rendered` state): one task
  per source, transport and port (range). firewalld hosts: `ansible.posix.firewalld` rich rules in zone
  `public` (controller SSH first, then every rule, then the zone's ssh/dhcpv6-client services closed and target
  DROP, reload by handler). Plain hosts: `ansible.builtin.iptables` (loopback, established, controller SSH first,
  every rule, then policy DROP, for IPv4 and IPv6; not persisted to disk, which the role does). Strategy `free`,
  so firewalld and plain hosts do not wait for each other.
* Each approach starts from fresh hosts. forks = N (at most 20). Time = wall time of `ansible-playbook`
  (includes its start-up); changed = sum of `changed` over the hosts in the recap. Tasks per host = tasks that
  ran on the first host of each kind on the first run (recap `ok`, skipped tasks not counted; for the role: its
  argument check, `host_ruleset`, and the one-per-play flow computation on the first host only); SSH
  round trips = ssh and sftp commands Ansible ran against that host (counted by wrapper executables; control
  commands `-O check/stop` excluded) on the first run / the re-run; live rules = rich rules (firewalld) or `-A`
  lines of `iptables-save` + `ip6tables-save` (plain) after the re-run.
* Times depend on everything else the machine runs: on {nproc} CPUs, 20 hosts with firewalld and the
  controller share the same cores.

## Results

{table}

{ratios}
""".format(table=text, ratios=ratio_text, sizes=",".join(str(s) for s in sizes), cap=cap,
           policy_rules=policy_rules, first_size=sizes[0], **machine)
    with open(DOC, "w") as handle:
        handle.write(body)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,5,20", help="comma separated host counts (default 1,5,20)")
    parser.add_argument("--cap", type=int, default=600, help="seconds after which one ansible-playbook run is stopped")
    parser.add_argument("--approaches", default="role,naive")
    parser.add_argument("--no-doc", action="store_true", help="print the table only")
    parser.add_argument("--keep-logs", action="store_true", help="keep the playbooks, inventories and logs")
    parser.add_argument("--save", help="also write the rows as JSON to this file (to combine runs of several sizes)")
    parser.add_argument("--combine", help="comma separated files written by --save: write the table and the doc "
                                          "from them, run nothing")
    args = parser.parse_args(argv)
    if args.combine:
        rows, machine = [], None
        for path in args.combine.split(","):
            with open(path) as handle:
                saved = json.load(handle)
            rows += saved["rows"]
            machine = machine or saved["machine"]
            if saved["machine"]["load"] not in machine["load"]:
                machine["load"] += "; " + saved["machine"]["load"]
        sizes = sorted({row["size"] for row in rows})
        print(table(rows, args.cap))
        print()
        print(ratios(rows))
        write_doc(table(rows, args.cap), ratios(rows), machine, sizes, args.cap, rows[0].get("policy_rules", "?"))
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if os.geteuid() != 0:
        parser.error("run as root (the test hosts are network namespaces)")
    if not netns_hosts.netns_supported():
        parser.error("this kernel cannot create the namespaces the test hosts need")
    machine = versions()
    load_before = os.getloadavg()
    workdir = tempfile.mkdtemp(prefix="bench-converge-")
    rows = []
    try:
        for size in sizes:
            for approach in args.approaches.split(","):
                sys.stderr.write("[converge] N=%d %s ...\n" % (size, approach))
                row = converge(size, approach, args.cap, workdir)
                rows.append(row)
                sys.stderr.write("[converge] %s\n" % table([row], args.cap).splitlines()[-1])
    finally:
        for size in sizes:
            netns_hosts.down("bcv%d" % size)
        if args.keep_logs:
            sys.stderr.write("[converge] logs in %s\n" % workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    text = table(rows, args.cap)
    ratio_text = ratios(rows)
    print(text)
    print()
    print(ratio_text)
    machine["load"] = "load average (1/5/15 min) %s at the start, %s at the end" % (
        "/".join("%.1f" % x for x in load_before), "/".join("%.1f" % x for x in os.getloadavg()))
    print(machine["load"])
    if args.save:
        with open(args.save, "w") as handle:
            json.dump({"rows": rows, "machine": machine}, handle, indent=1, default=str)
    if not args.no_doc and rows:
        write_doc(text, ratio_text, machine, sizes, args.cap, rows[0].get("policy_rules", "?"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
