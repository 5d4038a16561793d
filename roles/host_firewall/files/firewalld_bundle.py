# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role's firewalld configuration as one staged file: a zone and its ipsets, each under a header line
``### zones/NAME.xml`` or ``### ipsets/NAME.xml``. One file means one copy with one validation and one diff.

    python3 firewalld_bundle.py check BUNDLE          validate every part with firewalld's own readers
    python3 firewalld_bundle.py install BUNDLE ZONE   replace the zone and the ipsets named ZONE-* in /etc/firewalld

Runs on the managed node with the system Python that carries firewalld's modules.
"""
import glob
import os
import re
import shutil
import sys
import tempfile

from firewall.core.io.ipset import ipset_reader
from firewall.core.io.zone import zone_reader

HEADER = re.compile(r"^### (zones|ipsets)/([A-Za-z0-9_.-]+\.xml)$")
ETC = "/etc/firewalld"


def parts(path):
    """[(kind, file name, text)] in bundle order."""
    found, current = [], None
    with open(path) as handle:
        for line in handle:
            match = HEADER.match(line.rstrip("\n"))
            if match:
                current = [match.group(1), match.group(2), ""]
                found.append(current)
            elif current is not None:
                current[2] += line
    if not found or found[0][0] != "zones":
        sys.exit("bundle %s does not start with a zone" % path)
    return found


def check(path):
    folder = tempfile.mkdtemp()
    try:
        for kind, name, text in parts(path):
            with open(os.path.join(folder, name), "w") as handle:
                handle.write(text)
            (zone_reader if kind == "zones" else ipset_reader)(name, folder)
    finally:
        shutil.rmtree(folder)


def install(path, zone):
    bundle = parts(path)
    for stale in glob.glob(os.path.join(ETC, "ipsets", zone + "-*.xml")):
        os.unlink(stale)
    for kind, name, text in bundle:
        with open(os.path.join(ETC, kind, name), "w") as handle:
            handle.write(text)


def main():
    if sys.argv[1] == "check":
        check(sys.argv[2])
    elif sys.argv[1] == "install":
        install(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
