# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How long the port catalog takes to load, and a whole-catalog lookup the first and the 1000th time.

Run: PYTHONPATH=<dir holding ansible_collections/collab/firewall> python bench/catalog.py
(`make bench` arranges that). Prints a table; asserts nothing.
"""
import os
import statistics
import subprocess
import sys
import time

from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder

# let the plugin loader find this checkout the way ansible-playbook would, before any collection import
_AnsibleCollectionFinder(paths=[os.path.abspath(p) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])._install()

from ansible_collections.collab.firewall.plugins.plugin_utils.catalog import loader as catalog_mod  # noqa: E402


def _load_in_fresh_process():
    code = ("import time;t=time.perf_counter();"
            "from ansible_collections.collab.firewall.plugins.plugin_utils.catalog.loader import build_catalog;"
            "t1=time.perf_counter();build_catalog();t2=time.perf_counter();print(t1-t, t2-t1)")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.split()
    return float(out[0]), float(out[1])


def main():
    runs = [_load_in_fresh_process() for _run in range(5)]
    imports = statistics.median(r[0] for r in runs)
    build = statistics.median(r[1] for r in runs)

    from ansible.plugins.loader import lookup_loader

    lookup = lookup_loader.get("collab.firewall.uc_ports")
    catalog_mod._CACHE.clear()
    t0 = time.perf_counter()
    first = lookup.run([], variables={})
    first_time = time.perf_counter() - t0
    times = []
    for _run in range(999):
        t0 = time.perf_counter()
        lookup.run([], variables={})
        times.append(time.perf_counter() - t0)
    rows = [
        ("import catalog module (fresh process, median of 5)", imports * 1000),
        ("build and check the catalog (fresh process, median of 5)", build * 1000),
        ("1st lookup of the whole catalog (%d entries)" % len(first), first_time * 1000),
        ("1000th lookup of the whole catalog", times[-1] * 1000),
        ("median of lookups 2-1000", statistics.median(times) * 1000),
    ]
    width = max(len(r[0]) for r in rows)
    print("| %s | ms |" % "what".ljust(width))
    print("|%s|---:|" % ("-" * (width + 2)))
    for name, ms in rows:
        print("| %s | %.2f |" % (name.ljust(width), ms))


if __name__ == "__main__":
    main()
