# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Our renderers against Aerleon on the same flows: generation time, rule/ACE count, same permitted flows.

Run (as root, for the network namespaces): PYTHONPATH=<dir holding ansible_collections/collab/firewall>
python bench/vs_aerleon.py [--phones 5000] [--max-aces 1000000]

- IOS / ASA: every flow of the deployment in one ACL. Ours: render_ios / render_asa. Aerleon: to_aerleon's YAML
  compiled by Aerleon's Python API (``cisco`` target, ``mixed``; ``ciscoasa``) in a child process (time of
  parsing the definitions and policy plus Generate, imports excluded). Both outputs are parsed into the
  collection's ACEs (ours: acl.readers.ios_aces / asa_aces; Aerleon's IOS CLI: the small parser
  ``parse_ios_cli`` below, since the readers take ios_acls structures, not CLI; Aerleon's ASA CLI:
  acl.readers.asa_aces) and the permitted sets are compared exactly (acl.matcher.permitted and subtract), per family.
- iptables / nftables: per UC node (all nodes of the example, a sample of the large deployment). Ours: host_policy
  + render_iptables / render_nftables. Aerleon: to_aerleon(host=node). Both are loaded into a fresh network
  namespace (``unshare -n``: never this machine's rules), dumped back (iptables-save, ``nft -j list ruleset``)
  and the dumps are evaluated by the small parsers below for NEW packets arriving on a non-loopback interface
  towards the node's addresses. Rules for established/related, loopback and IPv6 neighbour discovery (ours
  only) are outside that packet set and ignored.
Prints tables; asserts nothing. Aerleon expansions above --max-aces ACEs are not generated (reported).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import netaddr

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import synthetic  # noqa: E402

synthetic.install_collection_finder()

from ansible_collections.collab.firewall.plugins.plugin_utils.acl import matcher, readers  # noqa: E402
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.host_policy import host_policy  # noqa: E402
from ansible_collections.collab.firewall.plugins.plugin_utils.render.aerleon import render_aerleon  # noqa: E402
from ansible_collections.collab.firewall.plugins.plugin_utils.render.asa import render_asa  # noqa: E402
from ansible_collections.collab.firewall.plugins.plugin_utils.render.ios import render_ios  # noqa: E402
from ansible_collections.collab.firewall.plugins.plugin_utils.render.iptables import render_iptables  # noqa: E402
from ansible_collections.collab.firewall.plugins.plugin_utils.render.nftables import render_nftables  # noqa: E402

ALL = ((0, 65535),)
V4, V6 = netaddr.IPSet(["0.0.0.0/0"]), netaddr.IPSet(["::/0"])
ANY = V4 | V6
WORKER = r"""
import json, os, sys, time, yaml
from aerleon import api
from aerleon.lib import naming
folder = sys.argv[1]
def read(name):
    with open(os.path.join(folder, name)) as handle:
        return handle.read()
start = time.perf_counter()
defs = naming.Naming()
defs.ParseDefinitionsObject(yaml.safe_load(read("networks.yaml")), "networks.yaml")
defs.ParseDefinitionsObject(yaml.safe_load(read("services.yaml")), "services.yaml")
policy = yaml.safe_load(read("policy.yaml"))
policy["filename"] = "uc"
out = api.Generate([policy], defs)
seconds = time.perf_counter() - start
for name, text in out.items():
    with open(os.path.join(folder, "out-" + name), "w") as handle:
        handle.write(text)
print(json.dumps({"seconds": seconds}))
"""


# ------------------------------------------------------------------ Aerleon


def aerleon(files, timeout):
    """Compile to_aerleon's files in a child process: (seconds, {output name: text})."""
    folder = tempfile.mkdtemp(prefix="vs-aerleon-")
    try:
        for key in ("networks", "services", "policy"):
            with open(os.path.join(folder, key + ".yaml"), "w") as handle:
                handle.write(files[key])
        proc = subprocess.run([sys.executable, "-c", WORKER, folder], check=True, capture_output=True, text=True,
                              timeout=timeout)
        seconds = json.loads(proc.stdout.strip().splitlines()[-1])["seconds"]
        outputs = {}
        for name in os.listdir(folder):
            if name.startswith("out-"):
                with open(os.path.join(folder, name)) as handle:
                    outputs[name[4:]] = handle.read()
        return seconds, outputs
    finally:
        shutil.rmtree(folder)


def aerleon_expansion(result):
    """ACEs Aerleon's cisco target writes: one per source, destination and port range (per family)."""
    total = 0
    for flow in result["flows"]:
        ports = max(1, len(flow["ports"]))
        for version in (4, 6):
            src = [s for s in flow["sources"] if (":" in s) == (version == 6)]
            dst = [d for d in flow["destinations"] if (":" in d) == (version == 6)]
            total += len(src) * len(dst) * ports
    return total


# ------------------------------------------------------------------ permitted sets


def boxes(aces):
    """The exact permitted set of a first-match ACE list, as boxes (acl.matcher.permitted)."""
    return [box for box, _index in matcher.permitted(aces)]


def restrict(box_list, dst):
    """Boxes cut down to destinations in ``dst`` (IPSet)."""
    wanted = matcher.address_ranges(dst)
    out = []
    for box in box_list:
        cut = matcher.r_and(box[2], wanted)
        if cut:
            out.append((box[0], box[1], cut) + tuple(box[3:]))
    return out


def compare(ours, theirs, family_names=("IPv4", "IPv6")):
    """'yes', or per family 'yes' / what differs (exact: box subtraction both ways)."""
    notes, same = [], True
    for fam, label in zip((V4, V6), family_names):
        mine, other = matcher.canonical(restrict(ours, fam)), matcher.canonical(restrict(theirs, fam))
        only_ours, only_theirs = matcher.subtract(mine, other), matcher.subtract(other, mine)
        diff = []
        if only_ours:
            diff.append("only ours permits %d boxes, e.g. %s" % (len(only_ours), matcher.describe_box(only_ours[0])))
        if only_theirs:
            diff.append("only Aerleon permits %d boxes, e.g. %s" % (len(only_theirs), matcher.describe_box(only_theirs[0])))
        same = same and not diff
        notes.append("%s %s" % (label, "; ".join(diff) if diff else "same"))
    return "yes" if same else "NO (" + "; ".join(notes) + ")"


# ------------------------------------------------------------------ IOS CLI (Aerleon's cisco output)


def _take_address(words, version):
    word = words.pop(0)
    if word == "any":
        return V4 if version == 4 else V6
    if word == "host":
        return netaddr.IPSet([words.pop(0)])
    if "/" in word:
        return netaddr.IPSet([word])
    wildcard = int(netaddr.IPAddress(words.pop(0)))
    return netaddr.IPSet(["%s/%d" % (word, 32 - wildcard.bit_length())])


def _take_ports(words, transport):
    if words and words[0] in ("eq", "range", "lt", "gt", "neq"):
        oper = words.pop(0)
        args = [words.pop(0) for _index in range(2 if oper == "range" else 1)]
        nums = [matcher.port_number(a, transport) for a in args]
        if oper == "eq":
            return ((nums[0], nums[0]),)
        if oper == "range":
            return ((nums[0], nums[1]),)
        raise ValueError("port operator %s not handled" % oper)
    return ALL


def parse_ios_cli(text):
    """Aerleon cisco output -> {"ipv4": [Ace], "ipv6": [Ace]} (named extended and IPv6 access-lists only)."""
    out, current = {"ipv4": [], "ipv6": []}, None
    for line in text.splitlines():
        if line.startswith("ip access-list extended "):
            current = "ipv4"
            continue
        if line.startswith("ipv6 access-list "):
            current = "ipv6"
            continue
        if line.startswith("exit") or not line.startswith(" ") or current is None:
            continue
        words = line.split()
        if words[0] not in ("permit", "deny"):
            continue
        action, proto_word = words[0], words[1]
        words = words[2:]
        version = 4 if current == "ipv4" else 6
        proto = matcher.protocol_number(proto_word)
        if proto == 1 and version == 6:
            proto = 58
        transport = {6: "tcp", 17: "udp"}.get(proto)
        src = _take_address(words, version)
        sports = _take_ports(words, transport)
        dst = _take_address(words, version)
        dports = _take_ports(words, transport)
        protocols = matcher.ALL_PROTOCOLS if proto is None else (proto,)
        out[current].append(matcher.Ace(action, protocols, src, dst, sports, dports, text=line.strip()))
    return out


def count_ios_cli(text):
    return sum(1 for line in text.splitlines() if re.match(r"^ (permit|deny) ", line))


def count_ios(out):
    return sum(1 for line in out["lines"] if re.match(r"^\s+(?:sequence\s+)?\d+\s+(?:permit|deny)\s", line))


def count_asa(lines):
    return sum(1 for line in lines if line.startswith("access-list ") and " extended " in line)


# ------------------------------------------------------------------ netns load and saved-rule parsers


def in_netns(script, files):
    """Run ``script`` (sh) in a fresh network namespace in a folder holding ``files``; returns {name: text}."""
    folder = tempfile.mkdtemp(prefix="vs-netns-")
    try:
        for name, text in files.items():
            with open(os.path.join(folder, name), "w") as handle:
                handle.write(text)
        subprocess.run(["unshare", "-n", "--", "sh", "-ec", script], cwd=folder, check=True, capture_output=True,
                       text=True)
        out = {}
        for name in os.listdir(folder):
            if name.endswith(".saved"):
                with open(os.path.join(folder, name)) as handle:
                    out[name] = handle.read()
        return out
    finally:
        shutil.rmtree(folder)


class _Match(object):
    """Match conditions of one (flattened) netfilter rule, as a matcher box or None (matches nothing)."""

    def __init__(self, version):
        self.family = V4 if version == 4 else V6
        self.version = version
        self.protocols = matcher.ALL_PROTOCOLS
        self.src = self.family
        self.dst = self.family
        self.dports = ALL
        self.never = False  # e.g. loopback-only, established-only, neighbour discovery

    def copy(self):
        new = _Match(self.version)
        new.protocols, new.src, new.dst, new.dports, new.never = self.protocols, self.src, self.dst, self.dports, self.never
        return new

    def both(self, other):
        new = self.copy()
        new.protocols = self.protocols & other.protocols
        new.src, new.dst = self.src & other.src, self.dst & other.dst
        new.dports = matcher.r_and(self.dports, other.dports)
        new.never = self.never or other.never
        return new

    def box(self):
        if self.never or not (self.protocols and self.src and self.dst and self.dports):
            return None
        return (frozenset(self.protocols), matcher.address_ranges(self.src), matcher.address_ranges(self.dst), ALL,
                tuple(self.dports))


def _flatten(chains, chain, cond, out, depth=0):
    """First-match flattening of jump chains: [(match, verdict)] in evaluation order."""
    for match, verdict in chains.get(chain, []):
        both = cond.both(match)
        if verdict in ("accept", "drop"):
            out.append((both, verdict))
        elif verdict is not None and depth < 8:
            _flatten(chains, verdict, both, out, depth + 1)
    return out


def _permit_boxes(chains, base, policy, version):
    rules = _flatten(chains, base, _Match(version), [])
    permits = []
    for match, verdict in rules:
        box = match.box()
        if box is None:
            continue
        if verdict == "drop":
            if match.src == match.family and match.dst == match.family and box[0] == matcher.ALL_PROTOCOLS \
                    and box[4] == ALL:
                return permits
            raise ValueError("partial drop rule before the end: not modelled")
        permits.append(box)
    return permits if policy == "drop" else [(matcher.ALL_PROTOCOLS, matcher.ANY, matcher.ANY, ALL, ALL)]


def _ipt_ports(text):
    out = []
    for item in text.split(","):
        low, _sep, high = item.partition(":")
        out.append((int(low), int(high or low)))
    return tuple(out)


def parse_iptables_save(text, version):
    """iptables-save output -> (permit boxes, rule count). Handles what both generators write."""
    chains, policy, count = {}, "accept", 0
    for line in text.splitlines():
        if line.startswith(":INPUT "):
            policy = line.split()[1].lower()
        if not line.startswith("-A "):
            continue
        count += 1
        words = line.split()
        chain, words = words[1], words[2:]
        match, verdict = _Match(version), None
        negate = False
        while words:
            word = words.pop(0)
            if word == "!":
                negate = True
                continue
            if word == "-s":
                match.src = match.src & netaddr.IPSet([words.pop(0)])
            elif word == "-d":
                match.dst = match.dst & netaddr.IPSet([words.pop(0)])
            elif word == "-p":
                name = words.pop(0)
                if name != "all":
                    number = {"ipv6-icmp": 58, "icmpv6": 58}.get(name) or matcher.protocol_number(name)
                    # AH is an IPv6 extension header: ip6tables "-p ah" never matches (the ah match does)
                    match.protocols = frozenset() if (version == 6 and number == 51) else frozenset([number])
            elif word == "-m":
                module = words.pop(0)
                if module == "ah" and version == 6:
                    match.protocols = frozenset([51])
            elif word in ("--dport", "--dports"):
                match.dports = _ipt_ports(words.pop(0))
            elif word in ("--ctstate", "--state"):
                states = words.pop(0).split(",")
                if ("NEW" in states) == negate:
                    match.never = True
            elif word == "-i":
                if words.pop(0) == "lo" and not negate:
                    match.never = True
            elif word == "--icmpv6-type":
                words.pop(0)
                match.never = True  # neighbour discovery: outside the compared packet set
            elif word == "--comment":
                while words and not words[0].startswith("-"):
                    words.pop(0)
            elif word == "-j":
                verdict = {"ACCEPT": "accept", "DROP": "drop"}.get(words[0], words[0])
                words.pop(0)
            elif word == "--hl-eq":
                words.pop(0)
            negate = False
        chains.setdefault(chain, []).append((match, verdict))
    return _permit_boxes(chains, "INPUT", policy, version), count


def _nft_addresses(right, sets):
    if isinstance(right, str) and right.startswith("@"):
        return sets[right[1:]]
    items = right["set"] if isinstance(right, dict) and "set" in right else [right]
    out = netaddr.IPSet()
    for item in items:
        if isinstance(item, dict) and "prefix" in item:
            out.add("%s/%d" % (item["prefix"]["addr"], item["prefix"]["len"]))
        elif isinstance(item, dict) and "range" in item:
            out.add(netaddr.IPRange(*item["range"]))
        else:
            out.add(item)
    return out


def _nft_ports(right):
    items = right["set"] if isinstance(right, dict) and "set" in right else [right]
    out = []
    for item in items:
        if isinstance(item, dict) and "range" in item:
            out.append(tuple(item["range"]))
        else:
            out.append((int(item), int(item)))
    return tuple(sorted(out))


def _nft_protocols(right):
    items = right["set"] if isinstance(right, dict) and "set" in right else [right]
    names = {"ipv6-icmp": 58, "icmpv6": 58}
    return frozenset(names.get(i) or matcher.protocol_number(i) for i in items)


def _nft_rule(exprs, sets, version):
    match, verdict = _Match(version), None
    for expr in exprs:
        if "match" in expr:
            left, right = expr["match"]["left"], expr["match"]["right"]
            payload, meta, ct = left.get("payload"), left.get("meta"), left.get("ct")
            if payload:
                proto, field = payload.get("protocol"), payload.get("field")
                if proto in ("ip", "ip6") and (proto == "ip") != (version == 4):
                    match.never = True  # this packet family never matches an ip/ip6 expression of the other one
                    continue
                if field == "saddr":
                    match.src = match.src & _nft_addresses(right, sets)
                elif field == "daddr":
                    match.dst = match.dst & _nft_addresses(right, sets)
                elif field == "protocol" or field == "nexthdr":
                    match.protocols = match.protocols & _nft_protocols(right)
                elif field == "dport":
                    match.protocols = match.protocols & _nft_protocols(proto)
                    match.dports = _nft_ports(right)
                elif field == "type" or field == "hoplimit":
                    match.never = True  # neighbour discovery: outside the compared packet set
            elif meta and meta.get("key") == "l4proto":
                match.protocols = match.protocols & _nft_protocols(right)
            elif meta and meta.get("key") in ("iif", "iifname"):
                match.never = True  # loopback
            elif ct and ct.get("key") == "state":
                states = right if isinstance(right, list) else [right]
                if "new" not in states:
                    match.never = True
        elif "accept" in expr:
            verdict = "accept"
        elif "drop" in expr:
            verdict = "drop"
        elif "jump" in expr:
            verdict = expr["jump"]["target"]
    return match, verdict


def parse_nft_json(text, version):
    """``nft -j list ruleset`` -> (permit boxes of the input base chain, rule count)."""
    items = json.loads(text)["nftables"]
    sets, chains, base, policy, count = {}, {}, None, "accept", 0
    for item in items:
        if "set" in item:
            sets[item["set"]["name"]] = _nft_addresses({"set": item["set"].get("elem", [])}, {})
        if "chain" in item and item["chain"].get("hook") == "input":
            base, policy = item["chain"]["name"], item["chain"].get("policy", "accept")
    for item in items:
        if "rule" in item:
            count += 1
            rule = item["rule"]
            chains.setdefault(rule["chain"], []).append(_nft_rule(rule["expr"], sets, version))
    return _permit_boxes(chains, base, policy, version), count


# ------------------------------------------------------------------ comparisons


def _ipt_restore(text):
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return "\n".join(["*filter"] + lines + ["COMMIT", ""])


def host_compare(result, hosts, timeout):
    """Rows for iptables and nftables over ``hosts``."""
    rows = []
    for target in ("iptables", "nftables"):
        ours_time = theirs_time = 0.0
        ours_rules = theirs_rules = 0
        verdicts = []
        for host in hosts:
            policy = host_policy(result, host)
            addresses = netaddr.IPSet(result["nodes"][host]["addresses"])
            start = time.perf_counter()
            mine = render_iptables(policy) if target == "iptables" else render_nftables(policy)
            ours_time += time.perf_counter() - start
            start = time.perf_counter()
            files = render_aerleon(result, host=host, targets=[target])
            to_aerleon_time = time.perf_counter() - start
            seconds, outputs = aerleon(files, timeout)
            theirs_time += seconds + to_aerleon_time
            if target == "iptables":
                text = outputs["uc"]
                v4_text, v6_text = text.split("\n# inet6\n", 1)
                saved = in_netns("iptables-restore < a4 && ip6tables-restore < a6 && iptables-save > a4.saved && "
                                 "ip6tables-save > a6.saved && iptables-restore < o4 && ip6tables-restore < o6 && "
                                 "iptables-save > o4.saved && ip6tables-save > o6.saved",
                                 {"a4": _ipt_restore(v4_text), "a6": _ipt_restore(v6_text),
                                  "o4": mine["ipv4"], "o6": mine["ipv6"]})
                parsed = dict((key, parse_iptables_save(saved[key + ".saved"], 4 if key.endswith("4") else 6))
                              for key in ("a4", "a6", "o4", "o6"))
                theirs = parsed["a4"][0] + parsed["a6"][0]
                ours = parsed["o4"][0] + parsed["o6"][0]
                theirs_rules += parsed["a4"][1] + parsed["a6"][1]
                ours_rules += parsed["o4"][1] + parsed["o6"][1]
            else:
                saved = in_netns("nft -f a.nft && nft -j list ruleset > a.saved && nft flush ruleset && "
                                 "nft -f o.nft && nft -j list ruleset > o.saved", {"a.nft": outputs["uc.nft"], "o.nft": mine})
                theirs, ours = [], []
                for version in (4, 6):
                    boxes_a, count_a = parse_nft_json(saved["a.saved"], version)
                    boxes_o, count_o = parse_nft_json(saved["o.saved"], version)
                    theirs += boxes_a
                    ours += boxes_o
                theirs_rules += count_a
                ours_rules += count_o
            verdict = compare(restrict(ours, addresses), restrict(theirs, addresses))
            if verdict != "yes":
                verdicts.append("%s: %s" % (host, verdict))
        rows.append((target, "%d nodes" % len(hosts), ours_time, theirs_time, ours_rules, theirs_rules,
                     "yes" if not verdicts else "; ".join(verdicts)[:400]))
    return rows


def acl_compare(result, timeout, max_aces):
    rows = []
    mgmt = result["management"]
    expansion = aerleon_expansion(result)
    for target in ("cisco", "ciscoasa"):
        start = time.perf_counter()
        mine = render_ios(result, "UC-IN", management=mgmt) if target == "cisco" else render_asa(result, "UC-IN", management=mgmt)
        ours_time = time.perf_counter() - start
        ours_count = count_ios(mine) if target == "cisco" else count_asa(mine["lines"])
        label = "IOS" if target == "cisco" else "ASA"
        if expansion > max_aces:
            rows.append((label, "1 ACL", ours_time, None, ours_count, "~%d (not generated)" % expansion,
                         "not compared: Aerleon would write ~%d ACEs (> --max-aces %d)" % (expansion, max_aces)))
            continue
        start = time.perf_counter()
        files = render_aerleon(result, name="UC-IN", targets=[target])
        to_aerleon_time = time.perf_counter() - start
        seconds, outputs = aerleon(files, timeout)
        if target == "cisco":
            text = outputs["uc.acl"]
            theirs_count = count_ios_cli(text)
            parsed = parse_ios_cli(text)
            theirs = boxes(parsed["ipv4"]) + boxes(parsed["ipv6"])
            lists = readers.ios_aces(mine["acls"], mine["object_group_lines"])
            ours = boxes(lists[("ipv4", "UC-IN")]) + boxes(lists[("ipv6", "UC-IN-V6")])
        else:
            lines = [line for line in outputs["uc.asa"].splitlines() if line.startswith("access-list ")]
            theirs_count = count_asa(lines)
            theirs = boxes(readers.asa_aces(lines, name="UC-IN"))
            ours = boxes(readers.asa_aces(mine["lines"], name="UC-IN"))
        rows.append((label, "1 ACL", ours_time, seconds + to_aerleon_time, ours_count, theirs_count,
                     compare(ours, theirs)))
    return rows


def print_rows(title, rows):
    print("\n### %s\n" % title)
    print("| platform | scope | ours (s) | Aerleon (s) | our rules/ACEs | Aerleon rules/ACEs | same permitted flows |")
    print("|---|---|---:|---:|---:|---:|---|")
    for label, scope, ours_time, theirs_time, ours_count, theirs_count, verdict in rows:
        theirs = "-" if theirs_time is None else "%.3f" % theirs_time
        cells = (label, scope, ours_time, theirs, ours_count, theirs_count, verdict)
        print("| %s | %s | %.3f | %s | %s | %s | %s |" % cells)


def sample_hosts(result, count):
    names = [n for n, node in result["nodes"].items() if node["product"] != "gateway"]
    if len(names) <= count:
        return names
    by_product = {}
    for name in names:
        by_product.setdefault(result["nodes"][name]["product"], []).append(name)
    picked = []
    while len(picked) < count and any(by_product.values()):
        for product in sorted(by_product):
            if by_product[product] and len(picked) < count:
                picked.append(by_product[product].pop(0))
    return picked


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--phones", type=int, default=5000)
    parser.add_argument("--clusters", type=int, default=50)
    parser.add_argument("--hosts", type=int, default=6, help="UC nodes compared in the large deployment")
    parser.add_argument("--max-aces", type=int, default=1000000)
    parser.add_argument("--timeout", type=int, default=900, help="seconds allowed to one Aerleon compilation")
    args = parser.parse_args()
    for deployment, hosts in ((synthetic.example(), None),
                              (synthetic.large(clusters=args.clusters, phones=args.phones), args.hosts)):
        result = synthetic.flows(deployment)
        picked = sample_hosts(result, hosts or len(result["nodes"]))
        rows = acl_compare(result, args.timeout, args.max_aces) + host_compare(result, picked, args.timeout)
        print_rows("%s (host targets: %s)" % (deployment["name"], ", ".join(picked) if hosts else "every UC node"), rows)
    print("\nmachine: %d CPUs (nproc), Python %s" % (os.cpu_count(), sys.version.split()[0]))


if __name__ == "__main__":
    main()
