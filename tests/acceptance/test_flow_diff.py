# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""tools/flow_diff.py, which computes the changelog's list of flows added or removed on the wire."""
import importlib.util
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_SPEC = importlib.util.spec_from_file_location("flow_diff", os.path.join(ROOT, "tools", "flow_diff.py"))
flow_diff = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(flow_diff)


def test_diff_lists_gained_and_lost_ports_and_merges_pairs():
    old = {"phone cm1 tcp": [[2000, 2000, ["cucm-6-03-tcp"]], [5060, 5061, ["cucm-6-07-tcp"]]],
           "phone cm2 tcp": [[2000, 2000, ["cucm-6-03-tcp"]]],
           "cm1 phone udp": [[5060, 5060, ["cucm-6-07-udp"]]]}
    new = {"phone cm1 tcp": [[2000, 2000, ["cucm-6-03-tcp"]]],
           "phone cm2 tcp": [[2000, 2000, ["cucm-6-03-tcp"]], [2443, 2443, ["cucm-6-04-tcp"]]],
           "phone tftp udp": [[69, 69, ["cucm-6-02-udp"]]],
           "gw cm1 esp": [[None, None, ["cucm-7-01-esp"]]]}
    assert flow_diff.diff(old, new) == [
        "- cm1 -> phone udp 5060 (cucm-6-07)",
        "+ gw -> cm1 esp (all) (cucm-7-01)",
        "- phone -> cm1 tcp 5060-5061 (cucm-6-07)",
        "+ phone -> cm2 tcp 2443 (cucm-6-04)",
        "+ phone -> tftp udp 69 (cucm-6-02)",
    ]


def test_a_checkout_against_itself_changes_nothing_on_the_wire():
    flows = flow_diff._flows(ROOT, os.path.join(ROOT, "tests", "acceptance", "inventory"))
    assert flows and flow_diff.diff(flows, flows) == []
    assert any(key.startswith("gw-hq-g3 cvp-call-1 ") for key in flows)     # gateways reach the call server
