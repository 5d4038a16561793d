# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Synthetic deployments for the benchmarks: the example inventory and a large generated one.

A deployment is a dict {"name", "hostvars", "groups", "zones", "features", "releases"}: what the uc_flows
filter receives from Ansible (hostvars and groups) plus the inventory variables it reads. ``flows()`` runs
build_flows on it. Import this module after ``install_collection_finder()``, the way bench/catalog.py does.
"""
import os
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLE = os.path.join(ROOT, "inventory", "example")


def install_collection_finder():
    """Let ``ansible_collections.collab.firewall`` resolve from PYTHONPATH, like ansible-playbook would."""
    from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder

    paths = [os.path.abspath(p) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    _AnsibleCollectionFinder(paths=paths)._install()


def example():
    """inventory/example as hostvars/groups, read by the one inventory loader of tests and benchmarks."""
    uc_inventory = _uc_inventory()
    hostvars, groups = uc_inventory.load_inventory(EXAMPLE)
    settings = hostvars[sorted(groups["uc"])[0]]
    return {"name": "example", "hostvars": hostvars, "groups": groups, "zones": settings["uc_zones"],
            "features": settings["uc_features"], "releases": settings["uc_release"]}


def _uc_inventory():
    """tests/lib/uc_inventory.py (shared with the tests)."""
    lib = os.path.join(ROOT, "tests", "lib")
    if lib not in sys.path:
        sys.path.insert(0, lib)
    import uc_inventory  # pylint: disable=import-outside-toplevel

    return uc_inventory


def phone_subnets(count):
    """``count`` phone /24s that never merge into bigger CIDRs: every other /24 of 10.64.0.0/10."""
    out = []
    for index in range(count):
        block = index * 2
        out.append("10.%d.%d.0/24" % (64 + block // 256, block % 256))
    return out


def large(clusters=50, nodes_per_cluster=10, phones=5000, gateways=200):
    """Unified CM clusters of ``nodes_per_cluster`` nodes (publisher, 2 TFTP, call processing), the example's
    IM and Presence, Unity Connection and CVP nodes, ``gateways`` voice gateways and ``phones`` phone /24s."""
    hostvars, groups = {}, {"publisher": [], "subscriber": [], "imp": [], "unity": [], "cvp": [], "gateways": []}
    for cluster in range(clusters):
        base = "10.%d.%d" % (1 + cluster // 200, cluster % 200)
        for node in range(nodes_per_cluster):
            name = "cucm-%02d-%02d" % (cluster, node)
            host = {"ansible_host": "%s.%d" % (base, 10 + node), "uc_cluster": "cl%02d" % cluster}
            if node == 0:
                host["uc_cucm_services"] = []
                groups["publisher"].append(name)
            else:
                host["uc_cucm_services"] = ["tftp"] if node in (1, 2) else ["callmanager", "cti_manager"]
                groups["subscriber"].append(name)
            hostvars[name] = host
    for index in range(2):
        # both belong to the first Unified CM cluster (uc_cucm_cluster is required with more than one)
        hostvars["imp-%d" % index] = {"ansible_host": "10.5.2.%d" % (10 + index), "uc_cluster": "imp",
                                      "uc_cucm_cluster": "cl00"}
        groups["imp"].append("imp-%d" % index)
        hostvars["cuc-%d" % index] = {"ansible_host": "10.5.3.%d" % (10 + index), "uc_cluster": "cuc",
                                      "uc_cucm_cluster": "cl00"}
        groups["unity"].append("cuc-%d" % index)
        hostvars["cvp-%d" % index] = {"ansible_host": "10.5.4.%d" % (10 + index), "uc_cluster": "cc",
                                      "uc_cvp_roles": ["call_server", "vxml_server"]}
        groups["cvp"].append("cvp-%d" % index)
    for index in range(gateways):
        name = "gw-%03d" % index
        hostvars[name] = {"ansible_host": "10.6.%d.%d" % (index // 100, 1 + 2 * (index % 100))}
        groups["gateways"].append(name)
    zones = example()["zones"]
    zones = dict(zones, phone=phone_subnets(phones))
    groups["uc"] = sorted(hostvars)
    # one router between the phones / gateways and the servers, one ASA in front of the first ten clusters
    hostvars["rtr-core"] = {"ansible_host": "10.7.0.1", "ios_acl_interfaces": [
        {"name": "GigabitEthernet0/1", "zones": ["phone"], "direction": "in"},
        {"name": "GigabitEthernet0/2", "zones": ["gateways"], "direction": "both"}]}
    hostvars["asa-dc"] = {"ansible_host": "10.7.0.2", "asa_acl_interfaces": [
        {"name": "GigabitEthernet0/0", "nameif": "outside", "zones": ["phone", "browser"], "direction": "in"},
        {"name": "GigabitEthernet0/1", "nameif": "inside", "direction": "in",
         "zones": ["cucm-%02d-%02d" % (c, n) for c in range(min(10, clusters)) for n in range(nodes_per_cluster)]}]}
    groups["routers"], groups["firewalls"] = ["rtr-core"], ["asa-dc"]
    return {"name": "large (%d clusters x %d nodes, %d phone subnets, %d gateways)"
                    % (clusters, nodes_per_cluster, phones, gateways),
            "hostvars": hostvars, "groups": groups, "zones": zones, "features": example()["features"],
            "releases": example()["releases"]}


def devices(deployment):
    """{device: (platform, options)} for output.tree.deployment_tree, from the devices' host variables."""
    from ansible_collections.collab.firewall.plugins.plugin_utils.output.tree import DEVICE_OPTIONS

    out = {}
    for group, platform in (("routers", "ios"), ("firewalls", "asa")):
        for name in deployment["groups"].get(group, []):
            host = deployment["hostvars"][name]
            out[name] = (platform, dict((option, host.get(variable, default))
                                        for option, (variable, default) in DEVICE_OPTIONS[platform].items()))
    return out


def gateways(deployment):
    """{gateway: options} for output.tree.deployment_tree (the ios_acl options of each voice gateway's host
    variables, as render_deployment reads them)."""
    from ansible_collections.collab.firewall.plugins.plugin_utils.output.tree import DEVICE_OPTIONS

    return dict((name, dict((option, deployment["hostvars"][name].get(variable, default))
                            for option, (variable, default) in DEVICE_OPTIONS["ios"].items()))
                for name in deployment["groups"].get("gateways", []))


def write_inventory(deployment, folder):
    """The deployment as an Ansible inventory folder (hosts.yml + group_vars/all.yml) for the main job."""
    product_groups = ("publisher", "subscriber", "imp", "unity", "cvp", "gateways")
    children = dict((group, {"hosts": dict((name, deployment["hostvars"][name])
                                           for name in deployment["groups"].get(group, []))})
                    for group in product_groups)
    inventory = {"all": {"children": {"uc": {"children": children}}}}
    for group in ("routers", "firewalls"):
        inventory["all"]["children"][group] = {"hosts": dict(
            (name, deployment["hostvars"][name]) for name in deployment["groups"].get(group, []))}
    os.makedirs(os.path.join(folder, "group_vars"), exist_ok=True)
    with open(os.path.join(folder, "hosts.yml"), "w") as handle:
        yaml.safe_dump(inventory, handle, sort_keys=False)
    with open(os.path.join(folder, "group_vars", "all.yml"), "w") as handle:
        yaml.safe_dump({"uc_zones": deployment["zones"], "uc_features": deployment["features"],
                        "uc_release": deployment["releases"]}, handle, sort_keys=False)
    return folder


# Interfaces of a router and a firewall for the large deployment (bench/audit.py, tests/integration).
LARGE_DEVICES = {
    "rtr-large": ("ios", [
        {"name": "GigabitEthernet0/1", "zones": ["phone"], "direction": "in"},
        {"name": "GigabitEthernet0/2", "zones": ["browser", "im_client", "admin_workstation"], "direction": "in"},
        {"name": "GigabitEthernet0/3", "zones": ["gateways"], "direction": "both"},
    ]),
    "fw-large": ("asa", [
        {"name": "GigabitEthernet0/0", "nameif": "outside", "direction": "in",
         "zones": ["phone", "endpoint", "browser", "im_client", "admin_workstation"]},
        {"name": "GigabitEthernet0/1", "nameif": "inside", "direction": "in",
         "zones": ["publisher", "subscriber", "imp", "unity", "cvp"]},
    ]),
}


def flows(deployment):
    """build_flows over a deployment (the uc_flows result)."""
    from ansible_collections.collab.firewall.plugins.plugin_utils.catalog.loader import load_catalog
    from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.flows import build_flows

    return build_flows(load_catalog(), deployment["hostvars"], deployment["groups"], zones=deployment["zones"],
                       features=deployment["features"], releases=deployment["releases"])
