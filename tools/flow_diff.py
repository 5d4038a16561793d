# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What changes on the wire between two versions of the collection, for one inventory.

    python tools/flow_diff.py OLD_CHECKOUT [NEW_CHECKOUT] [--inventory DIR]

Each checkout's uc_flows computes the inventory's flows (default: inventory/example of NEW_CHECKOUT, this
checkout when not given); they are cut into one line per source, destination and transport (node names or
zone keys) and compared port by port. Prints the ports each pair gains (+) and loses (-), with the catalog
ids that open them. Used for the changelog fragments that list flows added or removed.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def dump(inventory):
    """In a process whose PYTHONPATH holds the collection: {"src dst transport": [[lo, hi, ids]...]}."""
    from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder

    _AnsibleCollectionFinder(paths=[p for p in os.environ["PYTHONPATH"].split(os.pathsep) if p])._install()
    sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
    import uc_inventory  # pylint: disable=import-outside-toplevel

    from ansible_collections.collab.firewall.plugins.plugin_utils.catalog.loader import load_catalog
    from ansible_collections.collab.firewall.plugins.plugin_utils.common.netsets import parse_port_item

    catalog, result = load_catalog(), uc_inventory.deployment(inventory)

    def opened_by(ids, lo, hi):
        """The ids of a flow whose own documented ports overlap lo-hi (all of them when none say)."""
        own = [i for i in ids if any(a <= hi and lo <= b for a, b in
                                     (parse_port_item(p) for p in catalog.by_id[i]["ports"]))]
        return own or list(ids)

    pairs = {}
    for flow in result["flows"]:
        spans = [parse_port_item(p) for p in flow["ports"]] or [(None, None)]
        for src in flow["src_names"]:
            for dst in flow["dst_names"]:
                for lo, hi in spans:
                    ids = flow["catalog_ids"] if lo is None else opened_by(flow["catalog_ids"], lo, hi)
                    pairs.setdefault("%s %s %s" % (src, dst, flow["transport"]), []).append([lo, hi, ids])
    json.dump(pairs, sys.stdout)


def _flows(checkout, inventory):
    with tempfile.TemporaryDirectory() as tmp:
        os.makedirs(os.path.join(tmp, "ansible_collections", "collab"))
        os.symlink(os.path.abspath(checkout), os.path.join(tmp, "ansible_collections", "collab", "firewall"))
        env = dict(os.environ, PYTHONPATH=tmp)
        out = subprocess.run([sys.executable, os.path.abspath(__file__), "--dump", inventory], env=env,
                             check=True, stdout=subprocess.PIPE, universal_newlines=True).stdout
    return json.loads(out)


def _points(spans):
    """Port spans -> {port or None: ids}; None stands for a portless transport."""
    points = {}
    for lo, hi, ids in spans:
        for port in ([None] if lo is None else range(lo, hi + 1)):
            points.setdefault(port, set()).update(ids)
    return points


def _ranges(ports):
    ports = sorted(p for p in ports if p is not None)
    out, start = [], None
    for i, port in enumerate(ports):
        if start is None:
            start = port
        if i + 1 == len(ports) or ports[i + 1] != port + 1:
            out.append(str(start) if start == port else "%d-%d" % (start, port))
            start = None
    return out


def diff(old, new):
    """One line per change: sign, sources -> destinations, transport, ports, catalog ids. Pairs with the
    same change are merged: first the destinations of one source, then the sources with the same ones."""
    changes = {}
    for key in sorted(set(old) | set(new)):
        src, dst, transport = key.split(" ")
        before, after = _points(old.get(key, [])), _points(new.get(key, []))
        for sign, ports, source in (("-", set(before) - set(after), before), ("+", set(after) - set(before), after)):
            if not ports:
                continue
            ids = " ".join(sorted(set(i.rsplit("-", 1)[0] for p in ports for i in source[p])))
            text = " ".join(_ranges(ports)) or "(all)"
            changes.setdefault((sign, transport, text, ids), {}).setdefault(src, set()).add(dst)
    lines = []
    for (sign, transport, text, ids), by_src in changes.items():
        by_dsts = {}
        for src, dsts in by_src.items():
            by_dsts.setdefault(tuple(sorted(dsts)), []).append(src)
        for dsts, srcs in by_dsts.items():
            lines.append("%s %s -> %s %s %s (%s)" % (sign, ", ".join(sorted(srcs)), ", ".join(dsts), transport,
                                                     text, ids))
    return sorted(lines, key=lambda line: (line[2:], line[0]))


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--dump":
        return dump(sys.argv[2])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("old")
    parser.add_argument("new", nargs="?", default=ROOT)
    parser.add_argument("--inventory", help="inventory directory (default: inventory/example of NEW)")
    args = parser.parse_args()
    inventory = os.path.abspath(args.inventory or os.path.join(args.new, "inventory", "example"))
    for line in diff(_flows(args.old, inventory), _flows(args.new, inventory)):
        print(line)
    return None


if __name__ == "__main__":
    main()
