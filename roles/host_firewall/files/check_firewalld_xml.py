# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Validate a firewalld zone or ipset XML file with firewalld's own readers, without touching its config.

Usage: python3 check_firewalld_xml.py zone|ipset FILE   (exit status 0 when firewalld accepts the file)
Runs on the managed node with the system Python that carries firewalld's modules.
"""
import os
import shutil
import sys
import tempfile

from firewall.core.io.ipset import ipset_reader
from firewall.core.io.zone import zone_reader


def main():
    kind, path = sys.argv[1], sys.argv[2]
    reader = zone_reader if kind == "zone" else ipset_reader
    folder = tempfile.mkdtemp()
    try:
        # the readers want "<name>.xml" inside a folder; ansible's validate gives a temporary file name
        shutil.copy(path, os.path.join(folder, "candidate.xml"))
        reader("candidate.xml", folder)
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
