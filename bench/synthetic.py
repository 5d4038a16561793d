# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Synthetic deployments for the benchmarks: the example inventory and a large generated one.

A deployment is a dict {"name", "hostvars", "groups", "zones", "features", "releases"}: what the uc_flows
filter receives from Ansible (hostvars and groups) plus the inventory variables it reads. ``flows()`` runs
build_flows on it. Import this module after ``install_collection_finder()``, the way bench/catalog.py does.
"""
import os

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLE = os.path.join(ROOT, "inventory", "example")


def install_collection_finder():
    """Let ``ansible_collections.collab.firewall`` resolve from PYTHONPATH, like ansible-playbook would."""
    from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder

    paths = [os.path.abspath(p) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    _AnsibleCollectionFinder(paths=paths)._install()


def _walk(name, node, inherited, hostvars, groups):
    """Flatten one inventory group (YAML inventory layout) into hostvars and groups; returns its hosts."""
    variables = dict(inherited)
    variables.update(node.get("vars") or {})
    members = []
    for host, host_vars in (node.get("hosts") or {}).items():
        merged = dict(hostvars.get(host, variables))
        merged.update(host_vars or {})
        hostvars[host] = merged
        members.append(host)
    for child, child_node in (node.get("children") or {}).items():
        members += _walk(child, child_node or {}, variables, hostvars, groups)
    groups[name] = sorted(set(groups.get(name, []) + members))
    return members


def example():
    """inventory/example as hostvars/groups (group_vars/all.yml applied to every host)."""
    with open(os.path.join(EXAMPLE, "hosts.yml")) as handle:
        inventory = yaml.safe_load(handle)
    with open(os.path.join(EXAMPLE, "group_vars", "all.yml")) as handle:
        all_vars = yaml.safe_load(handle)
    hostvars, groups = {}, {}
    _walk("all", inventory["all"], all_vars, hostvars, groups)
    return {"name": "example", "hostvars": hostvars, "groups": groups, "zones": all_vars["uc_zones"],
            "features": all_vars["uc_features"], "releases": all_vars["uc_release"]}


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
        hostvars["imp-%d" % index] = {"ansible_host": "10.5.2.%d" % (10 + index), "uc_cluster": "imp"}
        groups["imp"].append("imp-%d" % index)
        hostvars["cuc-%d" % index] = {"ansible_host": "10.5.3.%d" % (10 + index), "uc_cluster": "cuc"}
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
    groups["all"] = sorted(hostvars)
    return {"name": "large (%d clusters x %d nodes, %d phone subnets, %d gateways)"
                    % (clusters, nodes_per_cluster, phones, gateways),
            "hostvars": hostvars, "groups": groups, "zones": zones, "features": example()["features"],
            "releases": example()["releases"]}


def flows(deployment):
    """build_flows over a deployment (the uc_flows result)."""
    from ansible_collections.collab.firewall.plugins.plugin_utils.catalog.loader import load_catalog
    from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.flows import build_flows

    return build_flows(load_catalog(), deployment["hostvars"], deployment["groups"], zones=deployment["zones"],
                       features=deployment["features"], releases=deployment["releases"])
