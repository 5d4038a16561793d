# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Regenerate docs/catalog.md from the catalog data: python tools/catalog_doc.py [--check]."""
import os
import sys

from ansible_collections.collab.firewall.plugins.plugin_utils.catalog.loader import load_catalog
from ansible_collections.collab.firewall.plugins.plugin_utils.catalog.table import anomalies_page

PAGE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs", "catalog.md")


def main():
    text = anomalies_page(load_catalog())
    if "--check" in sys.argv:
        with open(PAGE) as handle:
            if handle.read() != text:
                sys.exit("docs/catalog.md is out of date: run python tools/catalog_doc.py")
        return
    with open(PAGE, "w") as handle:
        handle.write(text)


if __name__ == "__main__":
    main()
