# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a render produced, small enough for ``set_stats`` (AWX keeps it as the job's artifacts)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


def render_summary(tree, stats, result, deployment):
    """Counts per node and device, and where the files went."""
    return {
        "output_dir": result["root"],
        "files": len(tree),
        "written": len(result["written"]),
        "removed": len(result["removed"]),
        "changed": result["changed"],
        "flows": len(deployment["flows"]),
        "unresolved": len(deployment.get("unresolved") or []),
        "nodes": stats["nodes"],
        "devices": stats["devices"],
        "seconds": stats.get("seconds", {}),
    }
