# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Operator mistakes, tried as a new user would make them: each stops with a message whose first line names
the plugin, the host (or ``inventory``), the variable and what is wrong - before anything is rendered. The
valid controls at the end must still render, so the checks cannot simply refuse everything."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest
from ansible.errors import AnsibleActionFail, AnsibleFilterError, AnsibleLookupError

from ansible_collections.collab.firewall.plugins.action.render_deployment import _options
from ansible_collections.collab.firewall.plugins.filter.to_aerleon import to_aerleon
from ansible_collections.collab.firewall.plugins.filter.to_asa_acl import to_asa_acl
from ansible_collections.collab.firewall.plugins.filter.to_firewalld import to_firewalld
from ansible_collections.collab.firewall.plugins.filter.to_ios_acls import to_ios_acls
from ansible_collections.collab.firewall.plugins.filter.to_iptables import to_iptables
from ansible_collections.collab.firewall.plugins.filter.to_nftables import to_nftables
from ansible_collections.collab.firewall.plugins.filter.uc_acl_audit import uc_acl_audit
from ansible_collections.collab.firewall.plugins.filter.uc_acl_flows import uc_acl_flows
from ansible_collections.collab.firewall.plugins.filter.uc_catalog_table import uc_catalog_table
from ansible_collections.collab.firewall.plugins.filter.uc_explain import uc_explain
from ansible_collections.collab.firewall.plugins.filter.uc_flows import uc_flows
from ansible_collections.collab.firewall.plugins.filter.uc_host_files import uc_host_files
from ansible_collections.collab.firewall.plugins.filter.uc_host_policy import uc_host_policy
from ansible_collections.collab.firewall.plugins.filter.uc_report import uc_report
from ansible_collections.collab.firewall.plugins.lookup.uc_ports import LookupModule
from ansible_collections.collab.firewall.plugins.plugin_utils.output.tree import DEVICE_OPTIONS, HOST_OPTIONS

ZONES = {"phone": ["10.20.0.0/16"], "admin_workstation": ["10.99.0.0/24", "2001:db8:99::/64"],
         "ntp_server": ["10.5.0.123"]}
DEPLOYMENT = {"uc_zones": ZONES, "uc_features": ["ntp", "sip_trunk"]}
NODES = {
    "pub": ("publisher", {"ansible_host": "10.1.0.10", "uc_cluster": "hq", "uc_address6": "2001:db8:1::10"}),
    "sub": ("subscriber", {"ansible_host": "10.1.0.11", "uc_cluster": "hq", "uc_cucm_services": ["callmanager"]}),
    "imp": ("imp", {"ansible_host": "10.1.1.10"}),
    "cuc": ("unity", {"ansible_host": "10.1.2.10"}),
    "cvp": ("cvp", {"ansible_host": "10.1.3.10", "uc_cvp_roles": ["call_server"]}),
    "gw": ("gateways", {"ansible_host": "10.1.9.1", "uc_gateway_platform": "isr_g2"}),
}
F = "collab.firewall.uc_flows: "


def inventory():
    """hostvars and groups as Ansible gives them to the filter: deployment variables on every node."""
    hostvars, groups = {}, {"uc": sorted(NODES), "routers": ["rtr"], "all": sorted(NODES) + ["rtr"]}
    for name, (group, own) in NODES.items():
        hostvars[name] = dict(copy.deepcopy(DEPLOYMENT), **copy.deepcopy(own))
        groups.setdefault(group, []).append(name)
    hostvars["rtr"] = {"ansible_host": "10.1.0.1"}
    return hostvars, groups


def on(host, **variables):
    """A change of some host variables (None as a value: the variable is set to null)."""
    def change(hostvars, _groups):
        hostvars[host].update(variables)
    return change


def everywhere(**variables):
    """A deployment variable set the same way on every node (group_vars/all)."""
    def change(hostvars, _groups):
        for name in NODES:
            hostvars[name].update(variables)
    return change


def drop(host, variable):
    def change(hostvars, _groups):
        hostvars[host].pop(variable)
    return change


def regroup(**groups_changes):
    def change(_hostvars, groups):
        groups.update(groups_changes)
    return change


def flows(change=None, **options):
    hostvars, groups = inventory()
    if change:
        change(hostvars, groups)
    return uc_flows(hostvars, groups, **options)


def _deployment():
    return flows()


def _without_cvp(hostvars, groups):
    hostvars.pop("cvp")
    groups.update(cvp=[], uc=[name for name in groups["uc"] if name != "cvp"])


def _acl(interfaces, **options):
    return uc_acl_flows(flows(_without_cvp), interfaces, host="rtr", variable="ios_acl_interfaces", **options)


# (id, call, first line of the message starts with)
INVENTORY_CASES = [
    # groups and names
    ("product-group-outside-uc", lambda: flows(regroup(uc=["pub", "sub", "imp", "cvp", "gw"])),
     F + "cuc: groups: is in unity but not under the uc parent group"),
    ("no-uc-parent-at-all", lambda: flows(lambda h, g: g.pop("uc")),
     F + "cuc: groups: is in unity but not under the uc parent group"),
    ("misspelt-group-under-uc", lambda: flows(regroup(uc=sorted(NODES) + ["sub-2"], subscribers=["sub-2"])),
     F + "inventory: groups: group 'subscribers' is not a group uc_flows knows; did you mean 'subscriber'?"),
    ("misspelt-gateway-group", lambda: flows(regroup(gateway=["gw-2"])),
     F + "inventory: groups: group 'gateway' is not a group uc_flows knows; did you mean 'gateways'?"),
    ("stray-host-under-uc", lambda: flows(regroup(uc=sorted(NODES) + ["cucm-9"])),
     F + "cucm-9: groups: is in uc but in none of its product groups"),
    ("linux-host-without-product", lambda: flows(regroup(uc_linux_hosts=["lab-1"])),
     F + "lab-1: groups: is in uc_linux_hosts but in no product group"),
    ("empty-inventory", lambda: uc_flows({}, {"all": [], "ungrouped": []}),
     F + "inventory: groups: no UC node: the inventory has no host in cvp, imp, publisher, subscriber, unity"),
    ("gateway-only-inventory", lambda: uc_flows({"gw": {"ansible_host": "10.1.9.1"}}, {"uc": ["gw"], "gateways": ["gw"]}),
     F + "inventory: groups: no UC node"),
    ("dotdot-name", lambda: flows(regroup(uc=sorted(NODES) + [".."], unity=["cuc", ".."])),
     F + "..: inventory_hostname: '..' is not safe as a file name"),
    ("slash-name", lambda: flows(regroup(uc=sorted(NODES) + ["a/b"], unity=["cuc", "a/b"])),
     F + "a/b: inventory_hostname: 'a/b' is not safe as a file name"),
    ("hidden-name", lambda: flows(regroup(uc=sorted(NODES) + [".cuc"], unity=["cuc", ".cuc"])),
     F + ".cuc: inventory_hostname: '.cuc' is not safe as a file name"),
    ("name-with-space", lambda: flows(regroup(uc=sorted(NODES) + ["cuc 2"], unity=["cuc", "cuc 2"])),
     F + "cuc 2: inventory_hostname: 'cuc 2' is not safe as a file name"),
    ("group-is-a-string", lambda: flows(regroup(unity="cuc")),
     F + "inventory: groups: group unity must list host names, got 'cuc'"),
    ("two-products", lambda: flows(regroup(unity=["cuc", "imp"])),
     F + "imp: groups: is in imp and unity, which are different products"),
    ("groups-not-a-mapping", lambda: uc_flows(inventory()[0], ["uc"]),
     F + "groups: must be a mapping, got a list ['uc']"),
    # node variables
    ("ansible_host-missing", lambda: flows(drop("imp", "ansible_host")),
     F + "imp: ansible_host: is not set; every UC node needs its IPv4 address there"),
    ("ansible_host-null", lambda: flows(on("imp", ansible_host=None)), F + "imp: ansible_host: is null"),
    ("ansible_host-list", lambda: flows(on("imp", ansible_host=["10.1.1.10"])),
     F + "imp: ansible_host: must be a string, got a list ['10.1.1.10']"),
    ("ansible_host-bool", lambda: flows(on("imp", ansible_host=True)),
     F + "imp: ansible_host: must be a string, got a boolean"),
    ("ansible_host-network", lambda: flows(on("imp", ansible_host="10.1.1.0/24")),
     F + "imp: ansible_host: '10.1.1.0/24' is a network; a node needs a single address"),
    ("ansible_host-ipv6", lambda: flows(on("imp", ansible_host="2001:db8::5")),
     F + "imp: ansible_host: '2001:db8::5' is not an IPv4 address"),
    ("ansible_host-typo", lambda: flows(on("imp", ansible_host="10.1.1.300")),
     F + "imp: ansible_host: address '10.1.1.300' is not a valid IPv4/IPv6 address or CIDR"),
    ("ansible_host-fqdn", lambda: flows(on("imp", ansible_host="imp.example.com")),
     F + "imp: ansible_host: address 'imp.example.com' is not a valid IPv4/IPv6 address or CIDR"),
    ("address-shared", lambda: flows(on("imp", ansible_host="10.1.2.10")),
     F + "cuc: ansible_host: address 10.1.2.10/32 is also used by imp"),
    ("address6-shared", lambda: flows(on("sub", uc_address6="2001:db8:1::10")),
     F + "sub: ansible_host: address 2001:db8:1::10/128 is also used by pub"),
    ("address6-ipv4", lambda: flows(on("pub", uc_address6="10.1.0.99")),
     F + "pub: uc_address6: '10.1.0.99' is not an IPv6 address"),
    ("address6-network", lambda: flows(on("pub", uc_address6="2001:db8:1::/64")),
     F + "pub: uc_address6: '2001:db8:1::/64' is a network"),
    ("address6-list", lambda: flows(on("pub", uc_address6=["2001:db8:1::10"])),
     F + "pub: uc_address6: must be a string, got a list"),
    ("address6-null", lambda: flows(on("pub", uc_address6=None)), F + "pub: uc_address6: is null"),
    ("address6-garbage", lambda: flows(on("pub", uc_address6="2001:db8:::1")),
     F + "pub: uc_address6: address '2001:db8:::1' is not a valid IPv4/IPv6 address or CIDR"),
    ("cluster-list", lambda: flows(on("sub", uc_cluster=["hq"])),
     F + "sub: uc_cluster: must be a string, got a list ['hq']"),
    ("cluster-mapping", lambda: flows(on("sub", uc_cluster={"name": "hq"})),
     F + "sub: uc_cluster: must be a string, got a mapping"),
    ("cluster-bool", lambda: flows(on("sub", uc_cluster=False)),
     F + "sub: uc_cluster: must be a string, got a boolean"),
    ("cluster-null", lambda: flows(on("sub", uc_cluster=None)), F + "sub: uc_cluster: is null"),
    ("services-string", lambda: flows(on("sub", uc_cucm_services="tftp")),
     F + "sub: uc_cucm_services: must be a list, got the string 'tftp'; write it as a list: [tftp]"),
    ("services-null", lambda: flows(on("sub", uc_cucm_services=None)),
     F + "sub: uc_cucm_services: is null; remove it or give a value"),
    ("services-unknown", lambda: flows(on("sub", uc_cucm_services=["callmanager", "tftpd"])),
     F + "sub: uc_cucm_services: unknown service 'tftpd'; valid: callmanager, tftp, cti_manager"),
    ("services-mapping", lambda: flows(on("sub", uc_cucm_services={"tftp": True})),
     F + "sub: uc_cucm_services: must be a list, got a mapping"),
    ("services-null-item", lambda: flows(on("sub", uc_cucm_services=["tftp", None])),
     F + "sub: uc_cucm_services[1]: is null"),
    ("services-list-item", lambda: flows(on("sub", uc_cucm_services=[["tftp"]])),
     F + "sub: uc_cucm_services[0]: must be a string, got a list ['tftp']"),
    ("services-on-unity", lambda: flows(on("cuc", uc_cucm_services=["tftp"])),
     F + "cuc: uc_cucm_services: is set on a unity node, where it has no effect (only cucm nodes use it)"),
    ("cvp-roles-string", lambda: flows(on("cvp", uc_cvp_roles="reporting")),
     F + "cvp: uc_cvp_roles: must be a list, got the string 'reporting'"),
    ("cvp-roles-unknown", lambda: flows(on("cvp", uc_cvp_roles=["call-server"])),
     F + "cvp: uc_cvp_roles: unknown CVP role 'call-server'; valid: call_server, vxml_server, reporting, oamp"),
    ("cvp-roles-null", lambda: flows(on("cvp", uc_cvp_roles=None)), F + "cvp: uc_cvp_roles: is null"),
    ("cvp-roles-on-cucm", lambda: flows(on("pub", uc_cvp_roles=["reporting"])),
     F + "pub: uc_cvp_roles: is set on a cucm node, where it has no effect (only cvp nodes use it)"),
    ("gateway-platform-unknown", lambda: flows(on("gw", uc_gateway_platform="isr4k")),
     F + "gw: uc_gateway_platform: unknown gateway platform 'isr4k'; valid: asr_isr_g3, isr_g2"),
    ("gateway-platform-list", lambda: flows(on("gw", uc_gateway_platform=["isr_g2"])),
     F + "gw: uc_gateway_platform: must be a string, got a list ['isr_g2']"),
    ("gateway-platform-on-cucm", lambda: flows(on("sub", uc_gateway_platform="isr_g2")),
     F + "sub: uc_gateway_platform: is set on a cucm node, where it has no effect (only gateway nodes use it)"),
    # clusters: a node without uc_cluster among named clusters, the Unified CM cluster of IM and Presence / Unity
    ("cluster-unset-among-named", lambda: flows(lambda h, g: h["sub"].pop("uc_cluster")),
     F + "sub: uc_cluster: is not set, but other cucm nodes are in cluster hq; set the cluster this node belongs to"),
    ("cucm-cluster-ambiguous", lambda: flows(on("pub", uc_cluster="br")),
     F + "cuc: uc_cucm_cluster: is not set and the inventory has 2 Unified CM clusters (br, hq); set the one this "
         "Unity Connection node belongs to"),
    ("cucm-cluster-unknown", lambda: flows(on("imp", uc_cucm_cluster="dc")),
     F + "imp: uc_cucm_cluster: 'dc' is not a Unified CM cluster of the inventory (hq)"),
    ("cucm-cluster-list-on-imp", lambda: flows(on("imp", uc_cucm_cluster=["hq"])),
     F + "imp: uc_cucm_cluster: must be a string, got a list ['hq']"),
    ("cucm-cluster-empty-list-on-unity", lambda: flows(on("cuc", uc_cucm_cluster=[])),
     F + "cuc: uc_cucm_cluster: is an empty list"),
    ("cucm-cluster-null", lambda: flows(on("imp", uc_cucm_cluster=None)),
     F + "imp: uc_cucm_cluster: is null"),
    ("cucm-cluster-on-cucm", lambda: flows(on("sub", uc_cucm_cluster="hq")),
     F + "sub: uc_cucm_cluster: is set on a cucm node, where it has no effect (only cvp, imp and unity nodes use it)"),
    ("misspelt-services", lambda: flows(on("sub", uc_cucm_service=["tftp"])),
     F + "sub: uc_cucm_service: is not a variable uc_flows reads; did you mean uc_cucm_services?"),
    ("misspelt-cluster", lambda: flows(on("sub", uc_clustr="hq")),
     F + "sub: uc_clustr: is not a variable uc_flows reads; did you mean uc_cluster?"),
    ("misspelt-address6", lambda: flows(on("pub", uc_adress6="2001:db8:1::10")),
     F + "pub: uc_adress6: is not a variable uc_flows reads; did you mean uc_address6?"),
    ("misspelt-zones", lambda: flows(everywhere(uc_zone=ZONES)),
     F + "cvp: uc_zone: is not a variable uc_flows reads; did you mean uc_zones?"),
]

DEPLOYMENT_CASES = [
    # uc_zones
    ("zones-string", lambda: flows(everywhere(uc_zones="phone=10.20.0.0/16")),
     F + "inventory: uc_zones: must be a mapping, got the string 'phone=10.20.0.0/16'"),
    ("zones-list", lambda: flows(everywhere(uc_zones=[ZONES])), F + "inventory: uc_zones: must be a mapping, got a list"),
    ("zones-null", lambda: flows(everywhere(uc_zones=None)), F + "inventory: uc_zones: is null"),
    ("zones-unknown", lambda: flows(everywhere(uc_zones=dict(ZONES, phones=["10.21.0.0/16"]))),
     F + "inventory: uc_zones: unknown zone 'phones'; valid zones:"),
    ("zones-unfilled", lambda: flows(everywhere(uc_zones=dict(ZONES, unspecified=["10.21.0.0/16"]))),
     F + "inventory: uc_zones: zone 'unspecified' is never filled"),
    ("zone-null", lambda: flows(everywhere(uc_zones=dict(ZONES, phone=None))),
     F + "inventory: uc_zones.phone: is null; list its addresses, or write [] to leave the zone out on purpose"),
    ("zone-string", lambda: flows(everywhere(uc_zones=dict(ZONES, phone="10.20.0.0/16"))),
     F + "inventory: uc_zones.phone: must be a list, got '10.20.0.0/16'"),
    ("zone-mapping", lambda: flows(everywhere(uc_zones=dict(ZONES, phone={"net": "10.20.0.0/16"}))),
     F + "inventory: uc_zones.phone: must be a list, got {'net': '10.20.0.0/16'}"),
    ("zone-garbage", lambda: flows(everywhere(uc_zones=dict(ZONES, phone=["10.20.0.0/33"]))),
     F + "inventory: uc_zones.phone: address '10.20.0.0/33' is not a valid IPv4/IPv6 address or CIDR"),
    ("zone-host-bits", lambda: flows(everywhere(uc_zones=dict(ZONES, phone=["10.20.1.0/16"]))),
     F + "inventory: uc_zones.phone: network '10.20.1.0/16' has host bits set (did you mean 10.20.0.0/16?)"),
    ("zone-overlap", lambda: flows(everywhere(uc_zones=dict(ZONES, phone=["10.20.0.0/16", "10.20.1.0/24"]))),
     F + "inventory: uc_zones.phone: 10.20.0.0/16 and 10.20.1.0/24 overlap"),
    ("zone-any-v4", lambda: flows(everywhere(uc_zones=dict(ZONES, phone=["0.0.0.0/0"]))),
     F + "inventory: uc_zones.phone: 0.0.0.0/0 is every address of the family; if that is really meant, confirm it "
         "with uc_confirm_any_network: [uc_zones.phone]"),
    ("zone-any-v6-admin", lambda: flows(everywhere(uc_zones=dict(ZONES, admin_workstation=["::/0"]))),
     F + "inventory: uc_zones.admin_workstation: ::/0 is every address of the family"),
    ("zone-any-confirmed-elsewhere", lambda: flows(everywhere(uc_zones=dict(ZONES, phone=["0.0.0.0/0"]),
                                                              uc_confirm_any_network=["uc_zones.browser"])),
     F + "inventory: uc_zones.phone: 0.0.0.0/0 is every address of the family"),
    ("confirm-any-string", lambda: flows(everywhere(uc_confirm_any_network="uc_zones.phone")),
     F + "inventory: uc_confirm_any_network: must be a list, got the string 'uc_zones.phone'"),
    # uc_features
    ("features-string", lambda: flows(everywhere(uc_features="ntp")),
     F + "inventory: uc_features: must be a list, got the string 'ntp'; write it as a list: [ntp]"),
    ("features-csv-string", lambda: flows(everywhere(uc_features="ntp,snmp")),
     F + "inventory: uc_features: must be a list, got the string 'ntp,snmp'"),
    ("features-null", lambda: flows(everywhere(uc_features=None)), F + "inventory: uc_features: is null"),
    ("features-mapping", lambda: flows(everywhere(uc_features={"ntp": True})),
     F + "inventory: uc_features: must be a list, got a mapping"),
    ("features-unknown", lambda: flows(everywhere(uc_features=["ntp", "federation"])),
     F + "inventory: uc_features: unknown feature 'federation'; valid:"),
    ("features-null-item", lambda: flows(everywhere(uc_features=["ntp", None])),
     F + "inventory: uc_features[1]: is null"),
    # uc_release
    ("release-string", lambda: flows(everywhere(uc_release="14")),
     F + "inventory: uc_release: must be a mapping, got the string '14'"),
    ("release-list", lambda: flows(everywhere(uc_release=["cucm", "14"])),
     F + "inventory: uc_release: must be a mapping, got a list"),
    ("release-null", lambda: flows(everywhere(uc_release=None)), F + "inventory: uc_release: is null"),
    ("release-unknown-product", lambda: flows(everywhere(uc_release={"cucme": "14"})),
     F + "inventory: uc_release: unknown product 'cucme'; valid:"),
    ("release-unknown", lambda: flows(everywhere(uc_release={"cucm": "15"})),
     F + "inventory: uc_release.cucm: release '15' is not in the catalog; valid: 14"),
    ("release-float-typo", lambda: flows(everywhere(uc_release={"imp": 11.0})),
     F + "inventory: uc_release.imp: release 11.0 is not in the catalog"),
    # booleans
    ("strict-maybe", lambda: flows(everywhere(uc_strict_zones="maybe")),
     F + "inventory: uc_strict_zones: must be a boolean (true/false, yes/no, on/off, 1/0), got the string 'maybe'"),
    ("strict-list", lambda: flows(everywhere(uc_strict_zones=[True])),
     F + "inventory: uc_strict_zones: must be a boolean (true/false, yes/no, on/off, 1/0), got a list [True]"),
    ("strict-null", lambda: flows(everywhere(uc_strict_zones=None)), F + "inventory: uc_strict_zones: is null"),
    ("strict-unresolved", lambda: flows(everywhere(uc_strict_zones="true")),
     F + "inventory: uc_zones: no addresses for browser, cti_application, endpoint, icm, im_client, media_server, vvb "
         "(needed by cuc8-1-1-27a-tcp, "),
    ("ephemeral-perhaps", lambda: flows(everywhere(uc_open_ephemeral="perhaps")),
     F + "inventory: uc_open_ephemeral: must be a boolean (true/false, yes/no, on/off, 1/0), got the string 'perhaps'"),
    ("ephemeral-two", lambda: flows(everywhere(uc_open_ephemeral=2)),
     F + "inventory: uc_open_ephemeral: must be a boolean (true/false, yes/no, on/off, 1/0), got int 2"),
    ("ephemeral-mapping", lambda: flows(everywhere(uc_open_ephemeral={"on": True})),
     F + "inventory: uc_open_ephemeral: must be a boolean (true/false, yes/no, on/off, 1/0), got a mapping"),
    # uc_management_sources
    ("management-string", lambda: flows(everywhere(uc_management_sources="192.0.2.10")),
     F + "inventory: uc_management_sources: must be a list, got the string '192.0.2.10'"),
    ("management-garbage", lambda: flows(everywhere(uc_management_sources=["jumphost"])),
     F + "inventory: uc_management_sources: address 'jumphost' is not a valid IPv4/IPv6 address or CIDR"),
    ("management-any", lambda: flows(everywhere(uc_management_sources=["0.0.0.0/0"])),
     F + "inventory: uc_management_sources: 0.0.0.0/0 is every address of the family"),
    ("management-mapping", lambda: flows(everywhere(uc_management_sources={"jump": "192.0.2.10"})),
     F + "inventory: uc_management_sources: must be a list, got a mapping"),
    # uc_port_overrides
    ("overrides-list", lambda: flows(everywhere(uc_port_overrides=[{"cucm-2-24-tcp": [5060]}])),
     F + "inventory: uc_port_overrides: must be a mapping, got a list"),
    ("overrides-string", lambda: flows(everywhere(uc_port_overrides="cucm-2-24-tcp=5060")),
     F + "inventory: uc_port_overrides: must be a mapping, got the string 'cucm-2-24-tcp=5060'"),
    ("overrides-unknown-id", lambda: flows(everywhere(uc_port_overrides={"cucm-2-99-tcp": [5060]})),
     F + "inventory: uc_port_overrides: unknown catalog id 'cucm-2-99-tcp'"),
    ("overrides-empty", lambda: flows(everywhere(uc_port_overrides={"cucm-2-24-tcp": []})),
     F + "inventory: uc_port_overrides.cucm-2-24-tcp: is empty ([]); list at least one port, or remove the override"),
    ("overrides-null", lambda: flows(everywhere(uc_port_overrides={"cucm-2-24-tcp": None})),
     F + "inventory: uc_port_overrides.cucm-2-24-tcp: is empty (None)"),
    ("overrides-string-port", lambda: flows(everywhere(uc_port_overrides={"cucm-2-24-tcp": "5060"})),
     F + "inventory: uc_port_overrides.cucm-2-24-tcp: must be a list, got '5060'"),
    ("overrides-port-too-big", lambda: flows(everywhere(uc_port_overrides={"cucm-2-24-tcp": [70000]})),
     F + "inventory: uc_port_overrides.cucm-2-24-tcp: port 70000 is outside 1-65535"),
    ("overrides-port-zero", lambda: flows(everywhere(uc_port_overrides={"cucm-2-24-tcp": [5060, 0]})),
     F + "inventory: uc_port_overrides.cucm-2-24-tcp: port 0 is outside 1-65535"),
    ("overrides-range-from-zero", lambda: flows(everywhere(uc_port_overrides={"cucm-2-24-tcp": ["0-5060"]})),
     F + "inventory: uc_port_overrides.cucm-2-24-tcp: port '0-5060' is outside 1-65535"),
    ("overrides-port-name", lambda: flows(everywhere(uc_port_overrides={"cucm-2-24-tcp": ["sip"]})),
     F + "inventory: uc_port_overrides.cucm-2-24-tcp: port 'sip' is neither a number nor a 'start-end' range"),
    ("overrides-reversed-range", lambda: flows(everywhere(uc_port_overrides={"cucm-2-24-tcp": ["5069-5060"]})),
     F + "inventory: uc_port_overrides.cucm-2-24-tcp: port range '5069-5060' starts after it ends"),
    ("overrides-null-mapping", lambda: flows(everywhere(uc_port_overrides=None)),
     F + "inventory: uc_port_overrides: is null"),
    # one source
    ("features-on-one-group", lambda: flows(on("cuc", uc_features=["ntp", "snmp"])),
     F + "inventory: uc_features: UC nodes disagree: cuc has ['ntp', 'snmp'], cvp has ['ntp', 'sip_trunk']"),
    ("zones-missing-on-one-host", lambda: flows(drop("sub", "uc_zones")),
     F + "inventory: uc_zones: UC nodes disagree: cuc has {"),
    ("release-on-one-host", lambda: flows(on("pub", uc_release={"cucm": "14"})),
     F + "inventory: uc_release: UC nodes disagree: pub has {'cucm': '14'}, cuc does not set it"),
    ("strict-on-gateway-only", lambda: flows(on("gw", uc_strict_zones=True)),
     F + "inventory: uc_strict_zones: UC nodes disagree: gw has True, cuc does not set it"),
    ("localhost-differs", lambda: flows(lambda h, g: h.update(localhost=dict(DEPLOYMENT, uc_features=["snmp"]))),
     F + "inventory: uc_features: UC nodes disagree: cuc has ['ntp', 'sip_trunk'], localhost has ['snmp']"),
]

_POLICY = {"host": "pub", "management": {"sources": ["10.99.0.0/24"], "transport": "tcp", "ports": [22]},
           "rules": [{"sources": ["10.20.0.0/16"], "transport": "udp", "ports": [], "catalog_ids": ["x-1-udp"]}]}
_GOOD_POLICY = dict(_POLICY, rules=[dict(_POLICY["rules"][0], ports=[5060])])
_FLOW = {"sources": ["10.20.0.0/16"], "destinations": ["10.1.0.10/32"], "transport": "tcp", "ports": [5060],
         "catalog_ids": ["x-1-tcp"], "description": "x"}
_IFACES = [{"name": "Gi0/0", "zones": ["phone"]}]

OPTION_CASES = [
    ("flows-unknown-option", lambda: flows(colour="red"), F + "unknown option(s) colour; valid:"),
    ("flows-features-string", lambda: flows(features="ntp"),
     F + "features: must be a list, got the string 'ntp'; write it as a list: [ntp]"),
    ("flows-strict-maybe", lambda: flows(strict_zones="maybe"), F + "strict_zones: must be a boolean"),
    ("flows-zones-list", lambda: flows(zones=[ZONES]), F + "zones: must be a mapping, got a list"),
    ("flows-releases-string", lambda: flows(releases="14"), F + "releases: must be a mapping, got the string '14'"),
    ("flows-ephemeral-string", lambda: flows(open_ephemeral="sometimes"), F + "open_ephemeral: must be a boolean"),
    ("flows-management-string", lambda: flows(management_sources="192.0.2.1"),
     F + "management_sources: must be a list, got the string '192.0.2.1'"),
    ("flows-hostvars-string", lambda: uc_flows("hostvars", {}),
     F + "use it as hostvars | collab.firewall.uc_flows(groups)"),
    ("nftables-table-list", lambda: to_nftables(_GOOD_POLICY, table=["t"]),
     "collab.firewall.to_nftables: table: must be a string, got a list ['t']"),
    ("nftables-input-list", lambda: to_nftables([_GOOD_POLICY]),
     "collab.firewall.to_nftables: input must be a host policy dict"),
    ("firewalld-interfaces-string", lambda: to_firewalld(_GOOD_POLICY, interfaces="eth0"),
     "collab.firewall.to_firewalld: interfaces: must be a list, got the string 'eth0'; write it as a list: [eth0]"),
    ("firewalld-zone-list", lambda: to_firewalld(_GOOD_POLICY, zone=["uc"]),
     "collab.firewall.to_firewalld: zone: must be a string, got a list ['uc']"),
    ("iptables-ipset-maybe", lambda: to_iptables(_GOOD_POLICY, ipset="maybe"),
     "collab.firewall.to_iptables: ipset: must be a boolean"),
    ("iptables-prefix-list", lambda: to_iptables(_GOOD_POLICY, ipset=True, ipset_prefix=["c"]),
     "collab.firewall.to_iptables: ipset_prefix: must be a string, got a list ['c']"),
    ("nftables-empty-ports", lambda: to_nftables(_POLICY),
     "collab.firewall.to_nftables: ports is empty for transport 'udp' in rule x-1-udp: an empty list never means "
     "every port"),
    ("iptables-empty-ports", lambda: to_iptables(_POLICY),
     "collab.firewall.to_iptables: ports is empty for transport 'udp' in rule x-1-udp"),
    ("firewalld-empty-ports", lambda: to_firewalld(_POLICY),
     "collab.firewall.to_firewalld: ports is empty for transport 'udp' in rule x-1-udp"),
    ("asa-name-missing", lambda: to_asa_acl([_FLOW]), "collab.firewall.to_asa_acl: name: is required"),
    ("asa-name-list", lambda: to_asa_acl([_FLOW], ["UC"]), "collab.firewall.to_asa_acl: name: must be a string"),
    ("asa-log-deny-perhaps", lambda: to_asa_acl([_FLOW], "UC", log_deny="perhaps"),
     "collab.firewall.to_asa_acl: log_deny: must be a boolean"),
    ("asa-direction", lambda: to_asa_acl([_FLOW], "UC", direction="sideways"),
     "collab.firewall.to_asa_acl: direction: 'sideways' is not one of in, out"),
    ("ios-object-groups-perhaps", lambda: to_ios_acls([_FLOW], "UC", use_object_groups="perhaps"),
     "collab.firewall.to_ios_acls: use_object_groups: must be a boolean"),
    ("ios-management-list", lambda: to_ios_acls([_FLOW], "UC", management=["10.99.0.0/24"]),
     "collab.firewall.to_ios_acls: management: must be a mapping, got a list"),
    ("aerleon-targets-string", lambda: to_aerleon([_FLOW], targets="cisco"),
     "collab.firewall.to_aerleon: targets: must be a list, got the string 'cisco'"),
    ("aerleon-target-unknown", lambda: to_aerleon([_FLOW], targets=["pf"]),
     "collab.firewall.to_aerleon: targets: 'pf' is not one of cisco, ciscoasa, iptables, nftables"),
    ("host-policy-host-list", lambda: uc_host_policy(_deployment(), ["pub"]),
     "collab.firewall.uc_host_policy: host: must be a string, got a list ['pub']"),
    ("host-policy-management-string", lambda: uc_host_policy(_deployment(), "pub", management_sources="192.0.2.1"),
     "collab.firewall.uc_host_policy: management_sources: must be a list, got the string '192.0.2.1'"),
    ("host-policy-unknown-host", lambda: uc_host_policy(_deployment(), "rtr"),
     "collab.firewall.uc_host_policy: rtr: inventory_hostname: is not a UC node of this deployment"),
    ("host-policy-management-garbage", lambda: uc_host_policy(_deployment(), "pub", management_sources=["jump"]),
     "collab.firewall.uc_host_policy: pub: host_firewall_management_sources: address 'jump' is not a valid IPv4/IPv6 address or CIDR"),
    ("host-policy-ipv6-only-admin", lambda: uc_host_policy(
        flows(everywhere(uc_zones=dict(ZONES, admin_workstation=["2001:db8:99::/64"]))), "sub"),
     "collab.firewall.uc_host_policy: sub: uc_zones.admin_workstation: no IPv4 management source: SSH to "
     "10.1.0.11/32 would be cut (the management sources are IPv6 only)"),
    ("host-policy-no-management", lambda: uc_host_policy(
        flows(everywhere(uc_zones=dict(ZONES, admin_workstation=[]))), "sub"),
     "collab.firewall.uc_host_policy: sub: uc_zones.admin_workstation: no management source: SSH would be cut"),
    ("host-policy-site-entries-mapping", lambda: uc_host_policy(_deployment(), "pub", site_entries={"action": "permit"}),
     "collab.firewall.uc_host_policy: site_entries: must be a list, got a mapping"),
    ("host-policy-site-entry-source", lambda: uc_host_policy(_deployment(), "pub", group_site_entries=[
        {"action": "permit", "protocol": "udp", "source": "10.1.2.300", "ports": [161]}]),
     "collab.firewall.uc_host_policy: pub: host_firewall_group_site_entries[0].source: '10.1.2.300' is not 'any', a "
     "zone name or an address/CIDR"),
    ("explain-port-word", lambda: uc_explain(_deployment(), "10.20.0.1", "pub", "sip"),
     "collab.firewall.uc_explain: port: must be an integer, got the string 'sip'"),
    ("explain-transport", lambda: uc_explain(_deployment(), "10.20.0.1", "pub", 5060, "sctp"),
     "collab.firewall.uc_explain: transport: 'sctp' is not one of tcp, udp, icmp, gre, esp, ah"),
    ("explain-src-list", lambda: uc_explain(_deployment(), ["10.20.0.1"], "pub", 5060),
     "collab.firewall.uc_explain: src: must be a string, got a list"),
    ("explain-dst-unknown", lambda: uc_explain(_deployment(), "10.20.0.1", "cucm-9", 5060),
     "collab.firewall.uc_explain: explain: dst: 'cucm-9' is neither an address nor a UC node"),
    ("report-format", lambda: uc_report(_deployment(), format="pdf"),
     "collab.firewall.uc_report: format: 'pdf' is not one of csv, markdown, html, json"),
    ("report-format-list", lambda: uc_report(_deployment(), format=["csv"]),
     "collab.firewall.uc_report: format: must be a string, got a list ['csv']"),
    ("catalog-table-format", lambda: uc_catalog_table([], format="xml"),
     "collab.firewall.uc_catalog_table: format: 'xml' is not one of markdown, csv"),
    ("acl-flows-log-deny-maybe", lambda: uc_acl_flows(_deployment(), _IFACES, log_deny="maybe"),
     "collab.firewall.uc_acl_flows: log_deny: must be a boolean"),
    ("acl-flows-platform", lambda: uc_acl_flows(_deployment(), _IFACES, platform="nxos"),
     "collab.firewall.uc_acl_flows: platform: 'nxos' is not one of ios, asa"),
    ("acl-flows-prefix-list", lambda: uc_acl_flows(_deployment(), _IFACES, prefix=["UC"]),
     "collab.firewall.uc_acl_flows: prefix: must be a string, got a list ['UC']"),
    ("acl-interface-zone-without-address", lambda: _acl([{"name": "Gi0/1", "zones": ["cvp"]}]),
     "collab.firewall.uc_acl_flows: rtr: ios_acl_interfaces[0].zones: cvp resolve to no address in this deployment, "
     "so the ACL of Gi0/1 would permit no UC flow and still be bound"),
    ("acl-interface-allow-empty-word", lambda: _acl([{"name": "Gi0/1", "zones": ["cvp"], "allow_empty": "sure"}]),
     "collab.firewall.uc_acl_flows: rtr: ios_acl_interfaces[0].allow_empty: must be a boolean"),
    ("acl-flows-interfaces-missing", lambda: uc_acl_flows(_deployment()),
     "collab.firewall.uc_acl_flows: interfaces: is required"),
    ("acl-audit-platform", lambda: uc_acl_audit({"acls": []}, [], platform="nxos"),
     "collab.firewall.uc_acl_audit: platform: 'nxos' is not one of ios, asa"),
    ("lookup-port-list", lambda: LookupModule().run(["cucm"], {}, port=[2000]),
     "collab.firewall.uc_ports: port: must be an integer, got a list [2000]"),
    ("lookup-port-name", lambda: LookupModule().run(["cucm"], {}, port="sccp"),
     "collab.firewall.uc_ports: port: must be an integer, got the string 'sccp'"),
    ("lookup-scope", lambda: LookupModule().run(["cucm"], {}, scope="clustr"),
     "collab.firewall.uc_ports: scope: 'clustr' is not one of localhost, cluster, network"),
    ("lookup-unknown-option", lambda: LookupModule().run(["cucm"], {}, colour="red"),
     "collab.firewall.uc_ports: unknown option(s) colour; valid:"),
    ("acl-audit-parsed-missing", lambda: uc_acl_audit({"acls": []}), "collab.firewall.uc_acl_audit: parsed: is required"),
]

# role variables: the message names the host and the role variable, not the filter option behind it
_HOST_DEFAULTS = dict((variable, default) for variable, default in HOST_OPTIONS.values())
ROLE_CASES = [
    ("role-firewalld-interfaces-string", lambda: uc_host_files(_deployment(), "pub", firewalld_interfaces="eth0"),
     "collab.firewall.uc_host_files: pub: host_firewall_firewalld_interfaces: must be a list, got the string 'eth0'; "
     "write it as a list: [eth0]"),
    ("role-nftables-table-list", lambda: uc_host_files(_deployment(), "pub", nftables_table=["t"]),
     "collab.firewall.uc_host_files: pub: host_firewall_nftables_table: must be a string, got a list ['t']"),
    ("role-iptables-ipset-maybe", lambda: uc_host_files(_deployment(), "pub", iptables_ipset="maybe"),
     "collab.firewall.uc_host_files: pub: host_firewall_iptables_ipset: must be a boolean"),
    ("role-management-string", lambda: uc_host_files(_deployment(), "pub", management_sources="192.0.2.1"),
     "collab.firewall.uc_host_files: pub: host_firewall_management_sources: must be a list, got the string"),
    ("role-firewalld-zone-mapping", lambda: uc_host_files(_deployment(), "pub", firewalld_zone={"name": "uc"}),
     "collab.firewall.uc_host_files: pub: host_firewall_firewalld_zone: must be a string, got a mapping"),
    ("render-host-interfaces-string", lambda: _options({"host_firewall_firewalld_interfaces": "eth0"}, HOST_OPTIONS, "pub"),
     "collab.firewall.render_deployment: pub: host_firewall_firewalld_interfaces: must be a list, got the string 'eth0'"),
    ("render-host-ipset-perhaps", lambda: _options({"host_firewall_iptables_ipset": "perhaps"}, HOST_OPTIONS, "pub"),
     "collab.firewall.render_deployment: pub: host_firewall_iptables_ipset: must be a boolean"),
    ("render-host-management-null", lambda: _options({"host_firewall_management_sources": None}, HOST_OPTIONS, "pub"),
     "collab.firewall.render_deployment: pub: host_firewall_management_sources: is null"),
    ("role-site-entries-string", lambda: uc_host_files(_deployment(), "pub", site_entries="permit snmp"),
     "collab.firewall.uc_host_files: pub: host_firewall_site_entries: must be a list, got the string 'permit snmp'"),
    ("role-site-entry-port", lambda: uc_host_files(_deployment(), "pub", site_entries=[
        {"action": "deny", "protocol": "tcp", "source": "phone", "ports": ["5060-5040"]}]),
     "collab.firewall.uc_host_files: pub: host_firewall_site_entries[0].ports: port range '5060-5040' starts "
     "after it ends"),
    ("render-host-site-entry-string", lambda: _options({"host_firewall_group_site_entries": ["udp 161"]}, HOST_OPTIONS,
                                                       "pub"),
     "collab.firewall.render_deployment: pub: host_firewall_group_site_entries[0]: must be a mapping, got the string"),
    ("render-ios-log-deny-maybe", lambda: _options({"ios_acl_log_deny": "maybe"}, DEVICE_OPTIONS["ios"], "rtr"),
     "collab.firewall.render_deployment: rtr: ios_acl_log_deny: must be a boolean"),
    ("render-ios-prefix-list", lambda: _options({"ios_acl_name_prefix": ["UC"]}, DEVICE_OPTIONS["ios"], "rtr"),
     "collab.firewall.render_deployment: rtr: ios_acl_name_prefix: must be a string, got a list ['UC']"),
    ("render-asa-management-word", lambda: _options({"asa_acl_management": "sure"}, DEVICE_OPTIONS["asa"], "fw"),
     "collab.firewall.render_deployment: fw: asa_acl_management: must be a boolean"),
]

CASES = INVENTORY_CASES + DEPLOYMENT_CASES + OPTION_CASES + ROLE_CASES


def test_the_table_is_large_and_ids_are_unique():
    assert len(CASES) >= 120
    assert len(set(case[0] for case in CASES)) == len(CASES)


@pytest.mark.parametrize("call, first_line", [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_bad_input_stops_with_a_clear_first_line(call, first_line):
    with pytest.raises((AnsibleFilterError, AnsibleActionFail, AnsibleLookupError)) as info:
        call()
    line = str(info.value.message if hasattr(info.value, "message") else info.value).splitlines()[0]
    assert line.startswith(first_line), line


# ---------------------------------------------------------------- valid controls: these must still render


def _rendered(result):
    """Every UC node of a deployment renders in the three host formats."""
    for host in ("pub", "sub", "imp", "cuc", "cvp"):
        files = uc_host_files(result, host)
        assert files["nftables.nft"] and files["iptables.rules"] and files["firewalld/zones/collab-uc.xml"]
    return result


@pytest.mark.parametrize("word, expected", [("false", False), ("no", False), ("off", False), ("0", False), (0, False),
                                            ("true", True), ("yes", True), ("On", True), (1, True), (True, True)])
def test_booleans_from_strings_are_read_like_ansible_does(word, expected):
    base = flows(everywhere(uc_open_ephemeral=expected))
    result = _rendered(flows(everywhere(uc_open_ephemeral=word)))
    assert result["flows"] == base["flows"]
    closed = any("ephemeral" in s["reason"] for s in result["skipped"])
    assert closed is not expected


@pytest.mark.parametrize("change", [
    lambda h, g: [on(n, uc_cluster=1)(h, g) for n in ("pub", "sub")],  # a number is taken as its text
    everywhere(uc_release={"imp": 11.5, "cucm": 14}),          # YAML numbers for releases
    everywhere(uc_zones=dict(ZONES, federation_peer=[])),      # a zone left out on purpose
    everywhere(uc_zones=dict(ZONES, phone=["0.0.0.0/0"]), uc_confirm_any_network=["uc_zones.phone"]),
    everywhere(uc_port_overrides={"cucm-2-24-tcp": ["5060-5069", 5070]}),
    everywhere(uc_strict_zones="no", uc_features=[]),
    on("sub", uc_cucm_services=[]),                            # a subscriber that runs no service, on purpose
    regroup(uc_linux_hosts=["sub"]),                           # an opted-in Linux host that is also a node
    lambda h, g: h.update(localhost=dict(DEPLOYMENT)),         # localhost with the same deployment variables
], ids=["cluster-number", "release-numbers", "zone-empty-on-purpose", "any-network-confirmed", "override-range",
        "strict-no", "no-services", "linux-host-opt-in", "localhost-agrees"])
def test_valid_controls_still_render(change):
    assert _rendered(flows(change))["flows"]


def test_an_interface_confirmed_empty_still_renders():
    plan = _acl([{"name": "Gi0/1", "zones": ["cvp"], "allow_empty": "yes"}, {"name": "Gi0/2", "zones": ["phone"]}],
                platform="ios")
    assert [acl["interface"] for acl in plan["acls"]] == ["Gi0/1", "Gi0/2"]


def test_options_override_disagreeing_nodes():
    """A filter option (or -e) is the single source: nodes that disagree on it do not matter then."""
    result = flows(on("cuc", uc_features=["snmp"]), features=["ntp"])
    assert result["features"] == ["ntp"]


def test_role_variables_of_the_right_type_render():
    files = uc_host_files(_deployment(), "pub", firewalld_interfaces=["eth0"], iptables_ipset="false",
                          nftables_table="uc", management_sources=["192.0.2.1"])
    assert "eth0" in files["firewalld/zones/collab-uc.xml"] and "192.0.2.1" in files["nftables.nft"]
    assert _options({}, HOST_OPTIONS, "pub") == dict((o, d) for o, (_v, d) in HOST_OPTIONS.items())
    assert _options({"ios_acl_log_deny": "yes"}, DEVICE_OPTIONS["ios"], "rtr")["log_deny"] is True
