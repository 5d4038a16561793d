# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A red-team pass over the inputs a new operator types, beyond test_bad_inputs.py: special addresses, clusters
spelt two ways, other names for the product groups, zone items that are not text, confirmations that confirm
nothing, /0 management sources on a node or device, the host_firewall and ios_acl/asa_acl role variables named in
every message (table, zone and interface names, management sources, device addresses, admin sources, ports,
name prefix), interface names that would inject configuration lines, empty port lists in site entries, explain and
lookup ports outside 1-65535. Each case stops with a first line naming the plugin, the host (or ``inventory``),
the variable and what is wrong; the valid controls at the end must still render."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
from ansible.errors import AnsibleActionFail, AnsibleFilterError, AnsibleLookupError

from ansible_collections.collab.firewall.plugins.action.render_deployment import _options
from ansible_collections.collab.firewall.plugins.filter.to_asa_acl import to_asa_acl
from ansible_collections.collab.firewall.plugins.filter.to_firewalld import to_firewalld
from ansible_collections.collab.firewall.plugins.filter.to_ios_acls import to_ios_acls
from ansible_collections.collab.firewall.plugins.filter.to_nftables import to_nftables
from ansible_collections.collab.firewall.plugins.filter.uc_acl_flows import uc_acl_flows
from ansible_collections.collab.firewall.plugins.filter.uc_diff import uc_diff
from ansible_collections.collab.firewall.plugins.filter.uc_explain import uc_explain
from ansible_collections.collab.firewall.plugins.filter.uc_gateway_plan import uc_gateway_plan
from ansible_collections.collab.firewall.plugins.filter.uc_host_files import uc_host_files
from ansible_collections.collab.firewall.plugins.filter.uc_host_policy import uc_host_policy
from ansible_collections.collab.firewall.plugins.filter.uc_report import uc_report
from ansible_collections.collab.firewall.plugins.plugin_utils.apply.host import check_timing
from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import CollabFirewallError
from ansible_collections.collab.firewall.plugins.plugin_utils.output.publish import check_publish
from ansible_collections.collab.firewall.plugins.plugin_utils.output.tree import DEVICE_OPTIONS, check_host_names
from ansible_collections.collab.firewall.tests.unit.plugins.filter.test_bad_inputs import (
    NODES,
    ZONES,
    _FLOW,
    _GOOD_POLICY,
    _acl,
    _deployment,
    _without_cvp,
    everywhere,
    flows,
    on,
    regroup,
)

F, HF, HP = "collab.firewall.uc_flows: ", "collab.firewall.uc_host_files: ", "collab.firewall.uc_host_policy: "
AF, GP = "collab.firewall.uc_acl_flows: ", "collab.firewall.uc_gateway_plan: "
RD = "collab.firewall.render_deployment: "
LK, EX = "collab.firewall.uc_ports: ", "collab.firewall.uc_explain: "
TCP873 = {"action": "permit", "protocol": "tcp", "source": "any", "ports": [873]}
DENY_IP = {"action": "deny", "protocol": "ip", "source": "any", "destination": "any"}
PERMIT_IP = {"action": "permit", "protocol": "ip", "source": "any"}
GI01 = {"name": "Gi0/1", "zones": ["phone"]}
_CACHE = {}


def dep():
    """The deployment of test_bad_inputs' inventory, computed once."""
    if "deployment" not in _CACHE:
        _CACHE["deployment"] = _deployment()
    return _CACHE["deployment"]


def Z(**zones):
    return everywhere(uc_zones=dict(ZONES, **zones))


def hf(**options):
    return uc_host_files(dep(), "pub", **options)


def hp(**options):
    return uc_host_policy(dep(), "pub", **options)


def site(entry, variable="site_entries"):
    return uc_host_files(dep(), "pub", **{variable: [entry]})


def acl(interfaces, **options):
    return _acl(interfaces, **options)


def iface(**keys):
    return acl([dict(GI01, **keys)])


def asa(interfaces, **options):
    return uc_acl_flows(flows(_without_cvp), interfaces, host="fw", variable="asa_acl_interfaces", platform="asa",
                        **options)


def plan(**options):
    return uc_acl_flows(flows(_without_cvp), [GI01], **options)


def dev(**keys):
    return acl([GI01], device=dict({"addresses": ["10.1.0.1"], "sources": ["10.99.0.0/24"], "ports": [22]}, **keys))


def lk(terms, **options):
    from ansible.plugins.loader import lookup_loader

    return lookup_loader.get("collab.firewall.uc_ports").run(terms, {}, **options)


def ex(*args):
    return uc_explain(dep(), *args)


def gw(**options):
    return uc_gateway_plan(dep(), "gw", **options)


def _drop_cucm(hostvars, groups):
    """The deployment without its Unified CM nodes (and the IM and Presence / Unity nodes that need them)."""
    for name in ("pub", "sub", "imp", "cuc"):
        hostvars.pop(name)
    groups.update(publisher=[], subscriber=[], imp=[], unity=[], uc=["cvp", "gw"])


def _cucm_override_without_cucm(hostvars, groups):
    everywhere(uc_port_overrides={"cucm-2-24-tcp": [5060]})(hostvars, groups)
    _drop_cucm(hostvars, groups)


def _second_imp(hostvars, groups):
    """A second IM and Presence node whose cluster is spelt in capitals."""
    groups.update(imp=["imp", "imp2"], uc=sorted(NODES) + ["imp2"])
    hostvars["imp"]["uc_cluster"] = "imp-a"
    hostvars["imp2"] = dict(hostvars["imp"], ansible_host="10.1.1.11", uc_cluster="IMP-A")


# (id, call, first line of the message starts with)
CASES = [
    ('ansible_host-int', lambda: flows(on("imp", ansible_host=167837962)),
     F + "imp: ansible_host: address '167837962' is not a valid IPv4/IPv6 address or CIDR"),
    ('ansible_host-empty', lambda: flows(on("imp", ansible_host="")),
     F + "imp: ansible_host: address '' is not a valid IPv4/IPv6 address or CIDR"),
    ('ansible_host-short', lambda: flows(on("imp", ansible_host="10.1.1")),
     F + "imp: ansible_host: address '10.1.1' is not a valid IPv4/IPv6 address or CIDR"),
    ('ansible_host-leading-zeros', lambda: flows(on("imp", ansible_host="010.001.001.010")),
     F + "imp: ansible_host: address '010.001.001.010' is not a valid IPv4/IPv6 address or CIDR"),
    ('ansible_host-zero', lambda: flows(on("imp", ansible_host="0.0.0.0")),
     F + "imp: ansible_host: '0.0.0.0' is the unspecified address; a node needs its own unicast address"),
    ('ansible_host-broadcast', lambda: flows(on("imp", ansible_host="255.255.255.255")),
     F + "imp: ansible_host: '255.255.255.255' is the broadcast address; a node needs its own unicast address"),
    ('ansible_host-with-port', lambda: flows(on("imp", ansible_host="10.1.1.10:22")),
     F + "imp: ansible_host: address '10.1.1.10:22' is not a valid IPv4/IPv6 address or CIDR"),
    ('ansible_host-multicast', lambda: flows(on("imp", ansible_host="224.0.0.5")),
     F + "imp: ansible_host: '224.0.0.5' is a multicast address; a node needs its own unicast address"),
    ('address6-linklocal', lambda: flows(on("pub", uc_address6="fe80::10")),
     F + "pub: uc_address6: 'fe80::10' is a link-local address (it is not routed, no firewall sees it); a node needs"),
    ('address6-mapped', lambda: flows(on("pub", uc_address6="::ffff:10.1.0.10")),
     F + "pub: uc_address6: '::ffff:10.1.0.10' is an IPv4 address written as IPv6; give the node's own IPv6 address,"),
    ('address6-on-gateway-bad', lambda: flows(on("gw", uc_address6="2001:db8::/64")),
     F + "gw: uc_address6: '2001:db8::/64' is a network; a node needs a single address"),
    ('address6-bad-prefix', lambda: flows(on("pub", uc_address6="2001:db8:1::10/129")),
     F + "pub: uc_address6: address '2001:db8:1::10/129' is not a valid IPv4/IPv6 address or CIDR"),
    ('cluster-empty', lambda: flows(on("sub", uc_cluster="")),
     F + "sub: uc_cluster: is empty; name the node's cluster, or leave uc_cluster out"),
    ('cluster-case', lambda: flows(on("sub", uc_cluster="HQ")),
     F + "sub: uc_cluster: 'HQ' differs from 'hq' (pub) only in case or spaces, which makes two clusters; spell the"),
    ('cluster-space', lambda: flows(on("sub", uc_cluster="hq ")),
     F + "sub: uc_cluster: 'hq ' differs from 'hq' (pub) only in case or spaces, which makes two clusters; spell the"),
    ('services-empty-string', lambda: flows(on("sub", uc_cucm_services="")),
     F + "sub: uc_cucm_services: must be a list, got the string ''; write it as a list: []"),
    ('services-upper', lambda: flows(on("sub", uc_cucm_services=["TFTP"])),
     F + "sub: uc_cucm_services: unknown service 'TFTP'; valid:"),
    ('services-int', lambda: flows(on("sub", uc_cucm_services=[1])),
     F + "sub: uc_cucm_services: unknown service '1'; valid:"),
    ('services-csv-in-list', lambda: flows(on("sub", uc_cucm_services=["callmanager,tftp"])),
     F + "sub: uc_cucm_services: unknown service 'callmanager,tftp'; valid:"),
    ('cvp-roles-mapping', lambda: flows(on("cvp", uc_cvp_roles={"call_server": True})),
     F + 'cvp: uc_cvp_roles: must be a list, got a mapping'),
    ('gateway-platform-empty', lambda: flows(on("gw", uc_gateway_platform="")),
     F + "gw: uc_gateway_platform: unknown gateway platform ''; valid:"),
    ('gateway-platform-int', lambda: flows(on("gw", uc_gateway_platform=4000)),
     F + "gw: uc_gateway_platform: unknown gateway platform '4000'; valid:"),
    ('gateway-platform-upper', lambda: flows(on("gw", uc_gateway_platform="ISR_G2")),
     F + "gw: uc_gateway_platform: unknown gateway platform 'ISR_G2'; valid:"),
    ('cucm-cluster-empty-string', lambda: flows(on("imp", uc_cucm_cluster="")),
     F + "imp: uc_cucm_cluster: '' is not a Unified CM cluster of the inventory (hq)"),
    ('cucm-cluster-mapping', lambda: flows(on("cuc", uc_cucm_cluster={"hq": 1})),
     F + 'cuc: uc_cucm_cluster: must be a string, got a mapping'),
    ('cucm-cluster-list-int', lambda: flows(on("cuc", uc_cucm_cluster=[1])),
     F + "cuc: uc_cucm_cluster: '1' is not a Unified CM cluster of the inventory (hq)"),
    ('cucm-cluster-bool', lambda: flows(on("imp", uc_cucm_cluster=True)),
     F + 'imp: uc_cucm_cluster: must be a string, got a boolean'),
    ('pub-and-sub', lambda: flows(regroup(publisher=["pub", "sub"])),
     F + 'sub: groups: is in publisher and subscriber; a Unified CM node is the publisher or a subscriber (the'),
    ('group-CVP-upper-outside-uc', lambda: flows(regroup(CVP=["cvp2"])),
     F + "inventory: groups: group 'CVP' holds cvp2, which is in no product group; did you mean cvp? (product groups"),
    ('group-cucm-alias-outside-uc', lambda: flows(regroup(cucm=["cucm-x"])),
     F + "inventory: groups: group 'cucm' holds cucm-x, which is in no product group; did you mean publisher or"),
    ('group-unity-connection-alias', lambda: flows(regroup(unity_connection=["cuc-x"])),
     F + "inventory: groups: group 'unity_connection' holds cuc-x, which is in no product group; did you mean unity?"),
    ('group-dict', lambda: flows(regroup(unity={"cuc": {}})),
     F + "inventory: groups: group unity must list host names, got {'cuc': {}}"),
    ('host-name-int', lambda: flows(regroup(unity=["cuc", 5], uc=sorted(NODES) + [5])),
     F + 'inventory: inventory_hostname: 5 is not safe as a file name (it names the folder hosts/<name>/): use'),
    ('misspelt-release', lambda: flows(everywhere(uc_relase={"cucm": "14"})),
     F + 'cvp: uc_relase: is not a variable uc_flows reads; did you mean uc_release?'),
    ('misspelt-features', lambda: flows(everywhere(uc_feature=["ntp"])),
     F + 'cvp: uc_feature: is not a variable uc_flows reads; did you mean uc_features?'),
    ('misspelt-ephemeral', lambda: flows(everywhere(uc_open_ephemerals=True)),
     F + 'cvp: uc_open_ephemerals: is not a variable uc_flows reads; did you mean uc_open_ephemeral?'),
    ('misspelt-gateway-platform', lambda: flows(on("gw", uc_gateway_platfrom="isr_g2")),
     F + 'gw: uc_gateway_platfrom: is not a variable uc_flows reads; did you mean uc_gateway_platform?'),
    ('misspelt-cvp-role', lambda: flows(on("cvp", uc_cvp_role=["reporting"])),
     F + 'cvp: uc_cvp_role: is not a variable uc_flows reads; did you mean uc_cvp_roles?'),
    ('misspelt-management', lambda: flows(everywhere(uc_managment_sources=["10.1.1.1"])),
     F + 'cvp: uc_managment_sources: is not a variable uc_flows reads; did you mean uc_management_sources?'),
    ('misspelt-port-override', lambda: flows(everywhere(uc_port_override={})),
     F + 'cvp: uc_port_override: is not a variable uc_flows reads; did you mean uc_port_overrides?'),
    ('zone-int-item', lambda: flows(Z(phone=[167772160])),
     F + 'inventory: uc_zones.phone[0]: must be an address or CIDR string, got 167772160'),
    ('zone-comma-in-item', lambda: flows(Z(phone=["10.20.0.0/16,10.32.0.0/16"])),
     F + "inventory: uc_zones.phone: address '10.20.0.0/16,10.32.0.0/16' is not a valid IPv4/IPv6 address or CIDR"),
    ('zone-netmask-space', lambda: flows(Z(phone=["10.20.0.0 255.255.0.0"])),
     F + "inventory: uc_zones.phone: address '10.20.0.0 255.255.0.0' is not a valid IPv4/IPv6 address or CIDR"),
    ('zone-range', lambda: flows(Z(phone=["10.20.0.0-10.20.255.255"])),
     F + "inventory: uc_zones.phone: address '10.20.0.0-10.20.255.255' is not a valid IPv4/IPv6 address or CIDR"),
    ('zone-ipv6-129', lambda: flows(Z(phone=["2001:db8:20::/129"])),
     F + "inventory: uc_zones.phone: address '2001:db8:20::/129' is not a valid IPv4/IPv6 address or CIDR"),
    ('zone-ipv6-host-bits', lambda: flows(Z(phone=["2001:db8:20::1/48"])),
     F + "inventory: uc_zones.phone: network '2001:db8:20::1/48' has host bits set (did you mean 2001:db8:20::/48?)"),
    ('zone-nested-list', lambda: flows(Z(phone=[["10.20.0.0/16"]])),
     F + "inventory: uc_zones.phone[0]: must be an address or CIDR string, got ['10.20.0.0/16']"),
    ('zone-null-item', lambda: flows(Z(phone=["10.20.0.0/16", None])),
     F + 'inventory: uc_zones.phone[1]: is null; remove it or give an address'),
    ('zone-bool-item', lambda: flows(Z(phone=[True])),
     F + 'inventory: uc_zones.phone[0]: must be an address or CIDR string, got True'),
    ('zone-dict-item', lambda: flows(Z(phone=[{"cidr": "10.20.0.0/16"}])),
     F + "inventory: uc_zones.phone[0]: must be an address or CIDR string, got {'cidr': '10.20.0.0/16'}"),
    ('zone-duplicate', lambda: flows(Z(phone=["10.20.0.0/16", "10.20.0.0/16"])),
     F + 'inventory: uc_zones.phone: 10.20.0.0/16 and 10.20.0.0/16 overlap'),
    ('zone-wildcard-mask', lambda: flows(Z(phone=["10.20.0.0 0.0.255.255"])),
     F + "inventory: uc_zones.phone: address '10.20.0.0 0.0.255.255' is not a valid IPv4/IPv6 address or CIDR"),
    ('zone-empty-string-item', lambda: flows(Z(phone=[""])),
     F + "inventory: uc_zones.phone: address '' is not a valid IPv4/IPv6 address or CIDR"),
    ('zone-key-product-group', lambda: flows(Z(publisher=["10.1.0.0/24"])),
     F + "inventory: uc_zones: unknown zone 'publisher'; valid zones:"),
    ('zone-key-int', lambda: flows(everywhere(uc_zones={1: ["10.1.0.0/24"]})),
     F + 'inventory: uc_zones: unknown zone 1; valid zones:'),
    ('zone-admin-slash8-hostbits', lambda: flows(Z(admin_workstation=["10.99.0.1/8"])),
     F + "inventory: uc_zones.admin_workstation: network '10.99.0.1/8' has host bits set (did you mean 10.0.0.0/8?)"),
    ('zone-octal', lambda: flows(Z(ntp_server=["010.005.000.123"])),
     F + "inventory: uc_zones.ntp_server: address '010.005.000.123' is not a valid IPv4/IPv6 address or CIDR"),
    ('zone-ipv4-short', lambda: flows(Z(ntp_server=["10.5.123"])),
     F + "inventory: uc_zones.ntp_server: address '10.5.123' is not a valid IPv4/IPv6 address or CIDR"),
    ('zones-empty-mapping-string', lambda: flows(everywhere(uc_zones="")),
     F + "inventory: uc_zones: must be a mapping, got the string ''"),
    ('features-int', lambda: flows(everywhere(uc_features=[1])),
     F + "inventory: uc_features: unknown feature '1'; valid:"),
    ('features-nested', lambda: flows(everywhere(uc_features=[["ntp"]])),
     F + "inventory: uc_features[0]: must be a string, got a list ['ntp']"),
    ('features-upper', lambda: flows(everywhere(uc_features=["NTP"])),
     F + "inventory: uc_features: unknown feature 'NTP'; valid:"),
    ('features-bool', lambda: flows(everywhere(uc_features=True)),
     F + 'inventory: uc_features: must be a list, got a boolean'),
    ('release-null-value', lambda: flows(everywhere(uc_release={"cucm": None})),
     F + "inventory: uc_release.cucm: is null; give a release, for example '14', or remove it"),
    ('release-list-value', lambda: flows(everywhere(uc_release={"cucm": ["14"]})),
     F + "inventory: uc_release.cucm: must be a release such as '14', got ['14']"),
    ('release-space', lambda: flows(everywhere(uc_release={"imp": "11.5 "})),
     F + "inventory: uc_release.imp: release '11.5 ' is not in the catalog; valid:"),
    ('release-bool', lambda: flows(everywhere(uc_release={"cucm": True})),
     F + "inventory: uc_release.cucm: must be a release such as '14', got True"),
    ('release-dict-value', lambda: flows(everywhere(uc_release={"cucm": {"v": 14}})),
     F + "inventory: uc_release.cucm: must be a release such as '14', got {'v': 14}"),
    ('release-gateway', lambda: flows(everywhere(uc_release={"gateway": "1"})),
     F + "inventory: uc_release: unknown product 'gateway'; valid:"),
    ('release-empty-string', lambda: flows(everywhere(uc_release="")),
     F + "inventory: uc_release: must be a mapping, got the string ''"),
    ('strict-empty-string', lambda: flows(everywhere(uc_strict_zones="")),
     F + "inventory: uc_strict_zones: must be a boolean (true/false, yes/no, on/off, 1/0), got the string ''"),
    ('ephemeral-float', lambda: flows(everywhere(uc_open_ephemeral=0.5)),
     F + 'inventory: uc_open_ephemeral: must be a boolean (true/false, yes/no, on/off, 1/0), got float 0.5'),
    ('ephemeral-list', lambda: flows(everywhere(uc_open_ephemeral=["false"])),
     F + "inventory: uc_open_ephemeral: must be a boolean (true/false, yes/no, on/off, 1/0), got a list ['false']"),
    ('management-host-bits', lambda: flows(everywhere(uc_management_sources=["10.99.0.5/24"])),
     F + "inventory: uc_management_sources: network '10.99.0.5/24' has host bits set (did you mean 10.99.0.0/24?)"),
    ('management-null-item', lambda: flows(everywhere(uc_management_sources=[None])),
     F + 'inventory: uc_management_sources[0]: is null; remove it or give a value'),
    ('management-ipv6-129', lambda: flows(everywhere(uc_management_sources=["2001:db8::/129"])),
     F + "inventory: uc_management_sources: address '2001:db8::/129' is not a valid IPv4/IPv6 address or CIDR"),
    ('management-empty-item', lambda: flows(everywhere(uc_management_sources=[""])),
     F + "inventory: uc_management_sources: address '' is not a valid IPv4/IPv6 address or CIDR"),
    ('management-int-item', lambda: flows(everywhere(uc_management_sources=[3232235777])),
     F + "inventory: uc_management_sources: address '3232235777' is not a valid IPv4/IPv6 address or CIDR"),
    ('management-any6', lambda: flows(everywhere(uc_management_sources=["::/0"])),
     F + 'inventory: uc_management_sources: ::/0 is every address of the family; if that is really meant, confirm it'),
    ('overrides-bool-port', lambda: flows(everywhere(uc_port_overrides={"cucm-2-24-tcp": [True]})),
     F + 'inventory: uc_port_overrides.cucm-2-24-tcp: port True is not a number'),
    ('overrides-float-port', lambda: flows(everywhere(uc_port_overrides={"cucm-2-24-tcp": [5060.5]})),
     F + "inventory: uc_port_overrides.cucm-2-24-tcp: port 5060.5 is neither a number nor a 'start-end' range"),
    ('overrides-colon-range', lambda: flows(everywhere(uc_port_overrides={"cucm-2-24-tcp": ["5060:5070"]})),
     F + "inventory: uc_port_overrides.cucm-2-24-tcp: port '5060:5070' is neither a number nor a 'start-end' range"),
    ('overrides-negative', lambda: flows(everywhere(uc_port_overrides={"cucm-2-24-tcp": [-1]})),
     F + 'inventory: uc_port_overrides.cucm-2-24-tcp: port -1 is outside 1-65535'),
    ('overrides-65536-string', lambda: flows(everywhere(uc_port_overrides={"cucm-2-24-tcp": ["65536"]})),
     F + "inventory: uc_port_overrides.cucm-2-24-tcp: port '65536' is outside 1-65535"),
    ('overrides-int-not-list', lambda: flows(everywhere(uc_port_overrides={"cucm-2-24-tcp": 5060})),
     F + 'inventory: uc_port_overrides.cucm-2-24-tcp: must be a list, got 5060'),
    ('overrides-dict-value', lambda: flows(everywhere(uc_port_overrides={"cucm-2-24-tcp": {"from": 5060}})),
     F + "inventory: uc_port_overrides.cucm-2-24-tcp: must be a list, got {'from': 5060}"),
    ('overrides-null-in-list', lambda: flows(everywhere(uc_port_overrides={"cucm-2-24-tcp": [None]})),
     F + "inventory: uc_port_overrides.cucm-2-24-tcp: port None is neither a number nor a 'start-end' range"),
    ('overrides-open-range', lambda: flows(everywhere(uc_port_overrides={"cucm-2-24-tcp": ["5060-"]})),
     F + "inventory: uc_port_overrides.cucm-2-24-tcp: port '5060-' is neither a number nor a 'start-end' range"),
    ('overrides-id-int', lambda: flows(everywhere(uc_port_overrides={24: [5060]})),
     F + 'inventory: uc_port_overrides: unknown catalog id 24'),
    ('overrides-empty-string-list', lambda: flows(everywhere(uc_port_overrides={"cucm-2-24-tcp": [""]})),
     F + "inventory: uc_port_overrides.cucm-2-24-tcp: port '' is neither a number nor a 'start-end' range"),
    ('confirm-unknown-variable', lambda: flows(everywhere(uc_confirm_any_network=["uc_zones.phones"])),
     F + "inventory: uc_confirm_any_network[0]: 'uc_zones.phones' is not a variable that can hold a network (did you"),
    ('confirm-mapping', lambda: flows(everywhere(uc_confirm_any_network={"uc_zones.phone": True})),
     F + 'inventory: uc_confirm_any_network: must be a list, got a mapping'),
    ('hp-management-host-bits', lambda: hp(management_sources=["10.99.0.5/24"]),
     HP + "pub: host_firewall_management_sources: network '10.99.0.5/24' has host bits set (did you mean"),
    ('hf-management-host-bits', lambda: hf(management_sources=["10.99.0.5/24"]),
     HF + "pub: host_firewall_management_sources: network '10.99.0.5/24' has host bits set (did you mean"),
    ('hf-management-any', lambda: hf(management_sources=["0.0.0.0/0"]),
     HF + 'pub: host_firewall_management_sources: 0.0.0.0/0 is every address of the family: SSH to the node from'),
    ('hf-management-null-item', lambda: hf(management_sources=[None]),
     HF + 'pub: host_firewall_management_sources[0]: is null; remove it or give a value'),
    ('hf-management-word', lambda: hf(management_sources=["controller"]),
     HF + "pub: host_firewall_management_sources: address 'controller' is not a valid IPv4/IPv6 address or CIDR"),
    ('hf-nft-table-space', lambda: hf(nftables_table="collab uc"),
     HF + "pub: host_firewall_nftables_table: invalid nftables table name 'collab uc' (want a letter, then letters,"),
    ('hf-nft-table-empty', lambda: hf(nftables_table=""),
     HF + "pub: host_firewall_nftables_table: invalid nftables table name '' (want a letter, then letters, digits, _)"),
    ('hf-nft-table-semicolon', lambda: hf(nftables_table="x; flush ruleset"),
     HF + "pub: host_firewall_nftables_table: invalid nftables table name 'x; flush ruleset' (want a letter, then"),
    ('hf-fwd-zone-long', lambda: hf(firewalld_zone="collab-uc-zone-for-all"),
     HF + "pub: host_firewall_firewalld_zone: invalid firewalld zone name 'collab-uc-zone-for-all' (1-17 of letters,"),
    ('hf-fwd-zone-empty', lambda: hf(firewalld_zone=""),
     HF + "pub: host_firewall_firewalld_zone: invalid firewalld zone name '' (1-17 of letters, digits, _ and -)"),
    ('hf-fwd-zone-path', lambda: hf(firewalld_zone="../x"),
     HF + "pub: host_firewall_firewalld_zone: invalid firewalld zone name '../x' (1-17 of letters, digits, _ and -)"),
    ('hf-fwd-zone-space', lambda: hf(firewalld_zone="collab uc"),
     HF + "pub: host_firewall_firewalld_zone: invalid firewalld zone name 'collab uc' (1-17 of letters, digits, _ and"),
    ('hf-fwd-iface-empty', lambda: hf(firewalld_interfaces=[""]),
     HF + "pub: host_firewall_firewalld_interfaces: invalid interface name '' (1-15 of letters, digits, _ . @ -)"),
    ('hf-fwd-iface-space', lambda: hf(firewalld_interfaces=["eth 0"]),
     HF + "pub: host_firewall_firewalld_interfaces: invalid interface name 'eth 0' (1-15 of letters, digits, _ . @ -)"),
    ('hf-fwd-iface-xml', lambda: hf(firewalld_interfaces=["eth0\"/><rule"]),
     HF + 'pub: host_firewall_firewalld_interfaces: invalid interface name \'eth0"/><rule\''),
    ('hf-fwd-iface-long', lambda: hf(firewalld_interfaces=["averyveryverylongname0"]),
     HF + "pub: host_firewall_firewalld_interfaces: invalid interface name 'averyveryverylongname0' (1-15 of letters,"),
    ('hf-ipset-empty', lambda: hf(iptables_ipset=""),
     HF + "pub: host_firewall_iptables_ipset: must be a boolean (true/false, yes/no, on/off, 1/0), got the string ''"),
    ('hf-ipset-list', lambda: hf(iptables_ipset=[True]),
     HF + 'pub: host_firewall_iptables_ipset: must be a boolean (true/false, yes/no, on/off, 1/0), got a list [True]'),
    ('hf-site-mapping', lambda: hf(site_entries={"action": "permit"}),
     HF + 'pub: host_firewall_site_entries: must be a list, got a mapping'),
    ('hf-group-site-string', lambda: hf(group_site_entries="permit icmp"),
     HF + "pub: host_firewall_group_site_entries: must be a list, got the string 'permit icmp'; write it as a list:"),
    ('site-action-allow', lambda: site({"action": "allow", "protocol": "tcp", "source": "any", "ports": [873]}),
     HF + "pub: host_firewall_site_entries[0].action: 'allow' is not permit or deny"),
    ('site-action-missing', lambda: site({"protocol": "tcp", "source": "any", "ports": [873]}),
     HF + 'pub: host_firewall_site_entries[0].action: None is not permit or deny'),
    ('site-protocol-upper', lambda: site({"action": "permit", "protocol": "TCP", "source": "any", "ports": [873]}),
     HF + "pub: host_firewall_site_entries[0].protocol: 'TCP' is not one of tcp, udp, icmp, gre, esp, ah (a host"),
    ('site-protocol-ip', lambda: site({"action": "permit", "protocol": "ip", "source": "any"}),
     HF + "pub: host_firewall_site_entries[0].protocol: 'ip' is not one of tcp, udp, icmp, gre, esp, ah (a host"),
    ('site-protocol-missing', lambda: site({"action": "permit", "source": "any", "ports": [873]}),
     HF + 'pub: host_firewall_site_entries[0].protocol: None is not one of tcp, udp, icmp, gre, esp, ah (a host'),
    ('site-ports-string', lambda: site({"action": "permit", "protocol": "tcp", "source": "any", "ports": "873"}),
     HF + "pub: host_firewall_site_entries[0].ports: must be a list of ports or 'start-end' ranges, got '873'"),
    ('site-ports-int', lambda: site({"action": "permit", "protocol": "tcp", "source": "any", "ports": 873}),
     HF + "pub: host_firewall_site_entries[0].ports: must be a list of ports or 'start-end' ranges, got 873"),
    ('site-ports-empty', lambda: site({"action": "permit", "protocol": "tcp", "source": "any", "ports": []}),
     HF + 'pub: host_firewall_site_entries[0].ports: a tcp entry needs its ports (an empty list never means every'),
    ('site-ports-zero', lambda: site({"action": "permit", "protocol": "tcp", "source": "any", "ports": [0]}),
     HF + 'pub: host_firewall_site_entries[0].ports: port 0 is outside 1-65535'),
    ('site-ports-65536', lambda: site({"action": "permit", "protocol": "udp", "source": "any", "ports": [65536]}),
     HF + 'pub: host_firewall_site_entries[0].ports: port 65536 is outside 1-65535'),
    ('site-ports-http', lambda: site({"action": "permit", "protocol": "tcp", "source": "any", "ports": ["http"]}),
     HF + "pub: host_firewall_site_entries[0].ports: port 'http' is neither a number nor a 'start-end' range"),
    ('site-ports-reversed', lambda: site({"action": "permit", "protocol": "tcp", "source": "any", "ports": ["80-70"]}),
     HF + "pub: host_firewall_site_entries[0].ports: port range '80-70' starts after it ends"),
    ('site-ports-bool', lambda: site({"action": "permit", "protocol": "tcp", "source": "any", "ports": [True]}),
     HF + 'pub: host_firewall_site_entries[0].ports: port True is not a number'),
    ('site-ports-on-icmp', lambda: site({"action": "permit", "protocol": "icmp", "source": "any", "ports": [8]}),
     HF + "pub: host_firewall_site_entries[0].ports: only tcp and udp entries carry ports, this one is 'icmp'"),
    ('site-source-missing', lambda: site({"action": "permit", "protocol": "tcp", "ports": [873]}),
     HF + "pub: host_firewall_site_entries[0].source: is required ('any', zone names or addresses)"),
    ('site-source-empty-list', lambda: site({"action": "permit", "protocol": "tcp", "source": [], "ports": [873]}),
     HF + "pub: host_firewall_site_entries[0].source: must name at least one zone, address or 'any'"),
    ('site-source-null', lambda: site({"action": "permit", "protocol": "tcp", "source": None, "ports": [873]}),
     HF + "pub: host_firewall_site_entries[0].source: None is not 'any', a zone name or an address/CIDR"),
    ('site-source-empty-string', lambda: site({"action": "permit", "protocol": "tcp", "source": "", "ports": [873]}),
     HF + "pub: host_firewall_site_entries[0].source: '' is not 'any', a zone name or an address/CIDR"),
    ('site-source-unknown-zone', lambda: site({"action": "permit", "protocol": "tcp", "source": "nms", "ports": [873]}),
     HF + "pub: host_firewall_site_entries[0].source: 'nms' is not 'any', a zone name or an address/CIDR"),
    ('site-source-host-bits', lambda: site(dict(TCP873, source="10.60.1.1/24")),
     HF + "pub: host_firewall_site_entries[0].source: '10.60.1.1/24' has host bits set (network is 10.60.1.0/24)"),
    ('site-source-v6-129', lambda: site(dict(TCP873, source="2001:db8::/129")),
     HF + "pub: host_firewall_site_entries[0].source: '2001:db8::/129' is not 'any', a zone name or an address/CIDR"),
    ('site-source-short-ip', lambda: site({"action": "permit", "protocol": "tcp", "source": "10.60", "ports": [873]}),
     HF + "pub: host_firewall_site_entries[0].source: '10.60' is not 'any', a zone name or an address/CIDR"),
    ('site-source-int', lambda: site({"action": "permit", "protocol": "tcp", "source": 10, "ports": [873]}),
     HF + "pub: host_firewall_site_entries[0].source: 10 is not 'any', a zone name or an address/CIDR"),
    ('site-remark-long', lambda: site(dict(TCP873, **{"remark": "x" * 101})),
     HF + 'pub: host_firewall_site_entries[0].remark: must be text of at most 100 characters, got'),
    ('site-remark-int', lambda: site(dict(TCP873, **{"remark": 5})),
     HF + 'pub: host_firewall_site_entries[0].remark: must be text of at most 100 characters, got 5'),
    ('site-unknown-key', lambda: site({"action": "permit", "protocol": "tcp", "source": "any", "port": [873]}),
     HF + 'pub: host_firewall_site_entries[0]: unknown key(s) port; valid:'),
    ('site-destination', lambda: site(dict(TCP873, **{"destination": "any"})),
     HF + 'pub: host_firewall_site_entries[0].destination: a host firewall entry is inbound to the node itself; leave'),
    ('site-confirm-word', lambda: site(dict(TCP873, **{"confirm_localhost_ports": "sure"})),
     HF + 'pub: host_firewall_site_entries[0].confirm_localhost_ports: must be a boolean (true/false, yes/no, on/off,'),
    ('site-entry-string', lambda: site("permit tcp any 873"),
     HF + "pub: host_firewall_site_entries[0]: must be a mapping, got the string 'permit tcp any 873'"),
    ('site-entry-list', lambda: site(["permit", "tcp"]),
     HF + "pub: host_firewall_site_entries[0]: must be a mapping, got a list ['permit', 'tcp']"),
    ('site-entry-null', lambda: site(None),
     HF + 'pub: host_firewall_site_entries[0]: is null; remove it or give a value'),
    ('site-group-bad', lambda: site(dict(TCP873, ports=["x"]), "group_site_entries"),
     HF + "pub: host_firewall_group_site_entries[0].ports: port 'x' is neither a number nor a 'start-end' range"),
    ('site-deny-ssh-from-admin', lambda: site(dict(TCP873, action="deny", source="admin_workstation", ports=[22])),
     HF + 'pub: host_firewall_site_entries[0]: denies tcp 22 from 10.99.0.0/24, 2001:db8:99::/64, which the'),
    ('site-action-upper', lambda: site({"action": "PERMIT", "protocol": "tcp", "source": "any", "ports": [873]}),
     HF + "pub: host_firewall_site_entries[0].action: 'PERMIT' is not permit or deny"),
    ('site-source-zone-empty', lambda: uc_host_files(flows(Z(snmp_manager=[])), "pub", site_entries=[
        dict(TCP873, protocol="udp", source="snmp_manager", ports=[161])]),
     HF + "pub: host_firewall_site_entries[0].source: zone 'snmp_manager' has no addresses in this deployment"),
    ('iface-mapping-by-name', lambda: acl({"Gi0/1": {"zones": ["phone"]}}),
     AF + 'rtr: ios_acl_interfaces[0]: unknown key(s) Gi0/1; valid:'),
    ('iface-string', lambda: acl("Gi0/1"),
     AF + "rtr: ios_acl_interfaces: must be a list of interfaces, got 'Gi0/1'"),
    ('iface-list-of-strings', lambda: acl(["Gi0/1"]),
     AF + "rtr: ios_acl_interfaces[0]: must be a mapping with name, zones and direction, got 'Gi0/1'"),
    ('iface-name-missing', lambda: acl([{"zones": ["phone"]}]),
     AF + 'rtr: ios_acl_interfaces[0].name: must be the interface name, got None'),
    ('iface-name-newline', lambda: iface(name="Gi0/1\n no ip routing"),
     AF + "rtr: ios_acl_interfaces[0].name: 'Gi0/1\\n no ip routing' is not an interface name"),
    ('iface-name-int', lambda: iface(name=1),
     AF + 'rtr: ios_acl_interfaces[0].name: must be the interface name, got 1'),
    ('iface-name-bang', lambda: iface(name="Gi0/1 !x"),
     AF + "rtr: ios_acl_interfaces[0].name: 'Gi0/1 !x' is not an interface name: a letter, then letters, digits and /"),
    ('iface-zones-string', lambda: iface(zones="phone"),
     AF + "rtr: ios_acl_interfaces[0].zones: zones must be a non-empty list of names, got 'phone'"),
    ('iface-zones-empty', lambda: iface(zones=[]),
     AF + 'rtr: ios_acl_interfaces[0].zones: zones must be a non-empty list of names, got []'),
    ('iface-zones-missing', lambda: acl([{"name": "Gi0/1"}]),
     AF + 'rtr: ios_acl_interfaces[0].zones: zones must be a non-empty list of names, got None'),
    ('iface-zones-unknown', lambda: iface(zones=["phones"]),
     AF + "rtr: ios_acl_interfaces[0].zones: unknown zone 'phones'; valid names (inventory groups, UC hosts and"),
    ('iface-zones-null-item', lambda: iface(zones=["phone", None]),
     AF + 'rtr: ios_acl_interfaces[0].zones: unknown zone None; valid names (inventory groups, UC hosts and uc_zones'),
    ('iface-zones-cidr', lambda: iface(zones=["10.20.0.0/16"]),
     AF + "rtr: ios_acl_interfaces[0].zones: unknown zone '10.20.0.0/16'; valid names (inventory groups, UC hosts and"),
    ('iface-direction-inbound', lambda: iface(direction="inbound"),
     AF + "rtr: ios_acl_interfaces[0].direction: 'inbound' is not one of in, out, both"),
    ('iface-direction-upper', lambda: iface(direction="IN"),
     AF + "rtr: ios_acl_interfaces[0].direction: 'IN' is not one of in, out, both"),
    ('iface-direction-null', lambda: iface(direction=None),
     AF + 'rtr: ios_acl_interfaces[0].direction: None is not one of in, out, both'),
    ('iface-direction-list', lambda: iface(direction=["in", "out"]),
     AF + "rtr: ios_acl_interfaces[0].direction: ['in', 'out'] is not one of in, out, both"),
    ('iface-acl-name-space', lambda: iface(acl_name="UC PHONES"),
     AF + "rtr: ios_acl_interfaces[0].acl_name: ACL name 'UC PHONES' must start with a letter and hold only letters,"),
    ('iface-acl-name-numbered', lambda: iface(acl_name="101"),
     AF + "rtr: ios_acl_interfaces[0].acl_name: ACL name '101' must start with a letter and hold only letters,"),
    ('iface-acl-name-int', lambda: iface(acl_name=101),
     AF + 'rtr: ios_acl_interfaces[0].acl_name: ACL name 101 must start with a letter and hold only letters, digits,'),
    ('iface-acl-name-empty', lambda: iface(acl_name=""),
     AF + "rtr: ios_acl_interfaces[0].acl_name: ACL name '' must start with a letter and hold only letters, digits,"),
    ('iface-acl-name-newline', lambda: iface(acl_name="UC\nno ip routing"),
     AF + "rtr: ios_acl_interfaces[0].acl_name: ACL name 'UC\\nno ip routing' must start with a letter and hold only"),
    ('iface-acl-name-long', lambda: iface(acl_name="U" * 300),
     AF + 'rtr: ios_acl_interfaces[0].acl_name: ACL name'),
    ('iface-description-newline', lambda: iface(description="phones\nno ip routing"),
     AF + 'rtr: ios_acl_interfaces[0].description: must be one line of text of at most 200 characters, got'),
    ('iface-description-list', lambda: iface(description=["phones"]),
     AF + "rtr: ios_acl_interfaces[0].description: must be one line of text of at most 200 characters, got ['phones']"),
    ('iface-scope-protected', lambda: iface(scope="protected"),
     AF + "rtr: ios_acl_interfaces[0].scope: 'protected' is not one of protect, strict"),
    ('iface-unknown-key', lambda: iface(zone=["phone"]),
     AF + 'rtr: ios_acl_interfaces[0]: unknown key(s) zone; valid:'),
    ('iface-duplicate', lambda: acl([GI01, {"name": "Gi0/1", "zones": ["admin_workstation"]}]),
     AF + 'rtr: ios_acl_interfaces[1]: interface Gi0/1 has two in ACLs'),
    ('iface-duplicate-spelling', lambda: acl([GI01, {"name": "GigabitEthernet0/1", "zones": ["admin_workstation"]}]),
     AF + 'rtr: ios_acl_interfaces[1]: ACL name UC-GI0-1-IN is also the name for Gi0/1; set acl_name on one of them'),
    ('iface-site-before-mapping', lambda: iface(site_before={"action": "permit"}),
     AF + "rtr: ios_acl_interfaces[0].site_before: must be a list of entries, got {'action': 'permit'}"),
    ('iface-site-before-string', lambda: iface(site_before="permit ip any any"),
     AF + "rtr: ios_acl_interfaces[0].site_before: must be a list of entries, got 'permit ip any any'"),
    ('iface-site-log-word', lambda: iface(site_after=[dict(DENY_IP, log="sometimes")]),
     AF + "rtr: ios_acl_interfaces[0].site_after[0].log: must be a boolean (true/false, yes/no, on/off, 1/0)"),
    ('iface-site-protocol-300', lambda: iface(site_after=[dict(DENY_IP, protocol=300)]),
     AF + 'rtr: ios_acl_interfaces[0].site_after[0].protocol: 300 is not one of ip, tcp, udp, icmp, gre, esp, ah,'),
    ('iface-site-ports-empty-tcp', lambda: iface(site_after=[dict(DENY_IP, protocol="tcp", ports=[])]),
     AF + 'rtr: ios_acl_interfaces[0].site_after[0].ports: is empty ([]): an empty list never means every port; list'),
    ('iface-site-dest-missing', lambda: iface(site_after=[{"action": "permit", "protocol": "ip", "source": "any"}]),
     AF + "rtr: ios_acl_interfaces[0].site_after[0].destination: is required ('any', zone names or addresses)"),
    ('iface-site-dest-hostbits', lambda: iface(site_after=[dict(PERMIT_IP, **{"destination": "10.1.0.1/24"})]),
     AF + "rtr: ios_acl_interfaces[0].site_after[0].destination: '10.1.0.1/24' has host bits set (network is"),
    ('iface-allow-empty-list', lambda: iface(allow_empty=[True]),
     AF + 'rtr: ios_acl_interfaces[0].allow_empty: must be a boolean (true/false, yes/no, on/off, 1/0), got a list'),
    ('asa-nameif-missing', lambda: asa([{"name": "Gi0/0", "zones": ["phone"]}]),
     AF + 'fw: asa_acl_interfaces[0].nameif: an ASA interface needs its nameif (the name access-group binds to), got'),
    ('asa-nameif-space', lambda: asa([{"name": "Gi0/0", "nameif": "out side", "zones": ["phone"]}]),
     AF + "fw: asa_acl_interfaces[0].nameif: nameif 'out side' must start with a letter and hold only letters,"),
    ('asa-nameif-duplicate', lambda: asa([{"name": "Gi0/0", "nameif": "outside", "zones": ["phone"]},
                                          {"name": "Gi0/1", "nameif": "outside", "zones": ["admin_workstation"]}]),
     AF + 'fw: asa_acl_interfaces[1]: ACL name UC-OUTSIDE-IN is also the name for Gi0/0; set acl_name on one of them'),
    ('asa-nameif-int', lambda: asa([{"name": "Gi0/0", "nameif": 1, "zones": ["phone"]}]),
     AF + 'fw: asa_acl_interfaces[0].nameif: an ASA interface needs its nameif (the name access-group binds to)'),
    ('device-address-hostbits', lambda: dev(addresses=["10.1.0.1/24"]),
     AF + "rtr: ios_acl_device_addresses: network '10.1.0.1/24' has host bits set (did you mean 10.1.0.0/24?)"),
    ('device-address-name', lambda: dev(addresses=["rtr-core-1"]),
     AF + "rtr: ios_acl_device_addresses: address 'rtr-core-1' is not a valid IPv4/IPv6 address or CIDR"),
    ('device-address-short', lambda: dev(addresses=["10"]),
     AF + "rtr: ios_acl_device_addresses: address '10' is not a valid IPv4/IPv6 address or CIDR"),
    ('device-sources-any', lambda: dev(sources=["0.0.0.0/0"]),
     AF + 'rtr: ios_acl_admin_sources: 0.0.0.0/0 is every address of the family: SSH to the device from anywhere; if'),
    ('device-sources-hostbits', lambda: dev(sources=["10.99.0.1/24"]),
     AF + "rtr: ios_acl_admin_sources: network '10.99.0.1/24' has host bits set (did you mean 10.99.0.0/24?)"),
    ('device-ports-empty', lambda: dev(ports=[]),
     AF + "rtr: ios_acl_device_ports: is empty; list the device's management ports (22 for SSH): an empty list never"),
    ('device-ports-ssh', lambda: dev(ports=["ssh"]),
     AF + "rtr: ios_acl_device_ports: port 'ssh' is neither a number nor a 'start-end' range"),
    ('device-ports-zero', lambda: dev(ports=[0]),
     AF + 'rtr: ios_acl_device_ports: port 0 is outside 1-65535'),
    ('device-ports-string', lambda: dev(ports="22"),
     AF + "rtr: ios_acl_device_ports: must be a list of ports, got '22'"),
    ('render-device-ports-string', lambda: _options({"ios_acl_device_ports": "22"}, DEVICE_OPTIONS["ios"], "rtr"),
     RD + "rtr: ios_acl_device_ports: must be a list, got the string '22'; write it as a list: [22]"),
    ('render-device-addresses-string', lambda: _options(
        {"ios_acl_device_addresses": "10.10.0.1"}, DEVICE_OPTIONS["ios"], "rtr"),
     RD + "rtr: ios_acl_device_addresses: must be a list, got the string '10.10.0.1'; write it as a list: [10.10.0.1]"),
    ('render-admin-sources-string', lambda: _options(
        {"asa_acl_admin_sources": "10.99.0.0/24"}, DEVICE_OPTIONS["asa"], "fw"),
     RD + "fw: asa_acl_admin_sources: must be a list, got the string '10.99.0.0/24'; write it as a list:"),
    ('render-scope-typo', lambda: _options({"ios_acl_scope": "protected"}, DEVICE_OPTIONS["ios"], "rtr"),
     RD + "rtr: ios_acl_scope: 'protected' is not one of protect, strict"),
    ('acl-prefix-space', lambda: acl([GI01], prefix="UC ACL"),
     AF + "rtr: ios_acl_name_prefix: 'UC ACL' is not a name prefix: a letter, then letters, digits, '_', '.', '-', at"),
    ('acl-scope-typo', lambda: acl([GI01], scope="protected"),
     AF + "scope: 'protected' is not one of protect, strict"),
    ('iface-site-ports-null-tcp', lambda: iface(site_after=[dict(DENY_IP, protocol="tcp", ports=None)]),
     AF + 'rtr: ios_acl_interfaces[0].site_after[0].ports: is empty (None): an empty list never means every port;'),
    ('iface-site-source-zone-left-out', lambda: iface(site_before=[
        dict(DENY_IP, action="permit", protocol="udp", source="snmp_manager", ports=[161])]),
     AF + "rtr: ios_acl_interfaces[0].site_before[0].source: zone 'snmp_manager' has no addresses in this deployment"),
    ('device-address-v6-network', lambda: dev(addresses=["2001:db8::/64"]),
     AF + "rtr: ios_acl_device_addresses: '2001:db8::/64' is a network; the device's own addresses are single"),
    ('device-sources-null-item', lambda: dev(sources=[None]),
     AF + 'rtr: ios_acl_admin_sources: address None is not a string'),
    ('device-ports-65536', lambda: dev(ports=[65536]),
     AF + 'rtr: ios_acl_device_ports: port 65536 is outside 1-65535'),
    ('device-ports-mapping', lambda: dev(ports={"ssh": 22}),
     AF + "rtr: ios_acl_device_ports: must be a list of ports, got {'ssh': 22}"),
    ('role-device-ports-string', lambda: plan(host="rtr", variable="ios_acl_interfaces", device={
        "addresses": ["10.1.0.1"], "sources": [], "ports": "22"}),
     AF + "rtr: ios_acl_device_ports: must be a list of ports, got '22'"),
    ('role-admin-sources-any', lambda: plan(host="fw", variable="asa_acl_interfaces", platform="asa", device={
        "addresses": ["10.1.0.2"], "sources": ["0.0.0.0/0"]}),
     AF + 'fw: asa_acl_admin_sources: 0.0.0.0/0 is every address of the family: SSH to the device from anywhere; if'),
    ('role-prefix-space', lambda: plan(host="rtr", variable="ios_acl_interfaces", prefix="UC ACL"),
     AF + "rtr: ios_acl_name_prefix: 'UC ACL' is not a name prefix: a letter, then letters, digits, '_', '.', '-', at"),
    ('role-prefix-digit', lambda: plan(host="rtr", variable="ios_acl_interfaces", prefix="1UC"),
     AF + "rtr: ios_acl_name_prefix: '1UC' is not a name prefix: a letter, then letters, digits, '_', '.', '-', at"),
    ('gw-device-ports-empty', lambda: gw(interfaces=[{"name": "Gi0/0", "zones": ["phone"]}], device_ports=[]),
     GP + "gw: ios_acl_device_ports: is empty; list the device's management ports (22 for SSH): an empty list never"),
    ('gw-admin-hostbits', lambda: gw(interfaces=[GI01], admin_sources=["10.99.0.1/24"]),
     GP + "gw: ios_acl_admin_sources: network '10.99.0.1/24' has host bits set (did you mean 10.99.0.0/24?)"),
    ('explain-udp-port-zero', lambda: ex("10.20.0.1", "pub", 0, "udp"),
     EX + 'explain: port: 0 is outside 1-65535'),
    ('explain-esp-port', lambda: ex("10.20.0.1", "pub", 500, "esp"),
     EX + 'explain: port: esp carries no port, got 500; leave the port out'),
    ('hp-management-any6', lambda: hp(management_sources=["::/0"]),
     HP + 'pub: host_firewall_management_sources: ::/0 is every address of the family: SSH to the node from anywhere;'),
    ('hp-management-int', lambda: hp(management_sources=[3232235777]),
     HP + "pub: host_firewall_management_sources: address '3232235777' is not a valid IPv4/IPv6 address or CIDR"),
    ('confirm-typo-close', lambda: flows(everywhere(uc_confirm_any_network=["uc_zones.phones"])),
     F + "inventory: uc_confirm_any_network[0]: 'uc_zones.phones' is not a variable that can hold a network (did you"),
    ('confirm-role-typo', lambda: flows(everywhere(uc_confirm_any_network=["host_firewall_management_source"])),
     F + "inventory: uc_confirm_any_network[0]: 'host_firewall_management_source' is not a variable that can hold a"),
    ('group-gw-alias', lambda: flows(regroup(voice_gateways=["gw-9"])),
     F + "inventory: groups: group 'voice_gateways' holds gw-9, which is in no product group; did you mean gateways?"),
    ('group-cuc-alias-under-uc', lambda: flows(regroup(cuc=["cuc-9"], uc=sorted(NODES) + ["cuc-9"])),
     F + "inventory: groups: group 'cuc' holds cuc-9, which is in no product group; did you mean unity? (product"),
    ('group-Publisher-case', lambda: flows(regroup(Publisher=["pub-9"])),
     F + "inventory: groups: group 'Publisher' is not a group uc_flows knows; did you mean 'publisher'? (product"),
    ('address6-multicast', lambda: flows(on("pub", uc_address6="ff02::1")),
     F + "pub: uc_address6: 'ff02::1' is a multicast address; a node needs its own unicast address"),
    ('address6-unspecified', lambda: flows(on("pub", uc_address6="::")),
     F + "pub: uc_address6: '::' is the unspecified address; a node needs its own unicast address"),
    ('ansible_host-linklocal', lambda: flows(on("imp", ansible_host="169.254.10.10")),
     F + "imp: ansible_host: '169.254.10.10' is a link-local address (it is not routed, no firewall sees it); a node"),
    ('cluster-space-only', lambda: flows(on("sub", uc_cluster="  ")),
     F + "sub: uc_cluster: is empty; name the node's cluster, or leave uc_cluster out"),
    ('lookup-unknown-product', lambda: lk(["cucme"]),
     LK + "unknown product 'cucme'; valid values:"),
    ('lookup-upper-product', lambda: lk(["CUCM"]),
     LK + "unknown product 'CUCM'; valid values:"),
    ('lookup-term-list', lambda: lk([["cucm"]]),
     LK + 'unknown product "[\'cucm\']"; valid values:'),
    ('lookup-term-empty', lambda: lk([""]),
     LK + "unknown product ''; valid values:"),
    ('lookup-term-int', lambda: lk([5]),
     LK + "unknown product '5'; valid values:"),
    ('lookup-term-dict', lambda: lk([{"product": "cucm"}]),
     LK + 'unknown product "{\'product\': \'cucm\'}"; valid values:'),
    ('lookup-port-zero', lambda: lk(["cucm"], port=0),
     LK + 'port: 0 is not a number in 1-65535'),
    ('lookup-port-65536', lambda: lk(["cucm"], port=65536),
     LK + 'port: 65536 is not a number in 1-65535'),
    ('lookup-port-range', lambda: lk(["cucm"], port="80-70"),
     LK + "port: must be an integer, got the string '80-70'"),
    ('lookup-port-negative', lambda: lk(["cucm"], port=-1),
     LK + 'port: -1 is not a number in 1-65535'),
    ('lookup-release-unknown', lambda: lk(["cucm"], release="99"),
     LK + "unknown release '99'; valid values:"),
    ('lookup-transport-upper', lambda: lk(["cucm"], transport="TCP"),
     LK + "transport: 'TCP' is not one of tcp, udp, icmp, gre, esp, ah"),
    ('lookup-feature-unknown', lambda: lk(["cucm"], feature="snmpv3"),
     LK + "unknown feature 'snmpv3'; valid values:"),
    ('lookup-from-role-unknown', lambda: lk(["cucm"], from_role="phones"),
     LK + "unknown from_role 'phones'; valid values:"),
    ('lookup-to-role-unknown', lambda: lk(["cucm"], to_role="cucms"),
     LK + "unknown to_role 'cucms'; valid values:"),
    ('lookup-document-unknown', lambda: lk(["cucm"], document="cucm.pdf"),
     LK + "unknown document 'cucm.pdf'; valid values:"),
    ('lookup-scope-list', lambda: lk(["cucm"], scope=["network"]),
     LK + "scope: must be a string, got a list ['network']"),
    ('lookup-query-bad', lambda: lk(["cucm"], query="[?port=="),
     LK + "query '[?port==' is not valid JMESPath: Invalid jmespath expression: Incomplete expression:"),
    ('explain-port-zero', lambda: ex("10.20.0.1", "pub", 0),
     EX + 'explain: port: 0 is outside 1-65535'),
    ('explain-port-65536', lambda: ex("10.20.0.1", "pub", 65536),
     EX + 'explain: port: 65536 is outside 1-65535'),
    ('explain-port-negative', lambda: ex("10.20.0.1", "pub", -5),
     EX + 'explain: port: -5 is outside 1-65535'),
    ('explain-port-range', lambda: ex("10.20.0.1", "pub", "5060-5061"),
     EX + "port: must be an integer, got the string '5060-5061'"),
    ('explain-src-empty', lambda: ex("", "pub", 5060),
     EX + "explain: src: '' is neither an address nor a UC node of this deployment"),
    ('explain-src-bad', lambda: ex("10.20.0.300", "pub", 5060),
     EX + "explain: src: '10.20.0.300' is neither an address nor a UC node of this deployment"),
    ('explain-transport-upper', lambda: ex("10.20.0.1", "pub", 5060, "TCP"),
     EX + "transport: 'TCP' is not one of tcp, udp, icmp, gre, esp, ah"),
    ('explain-icmp-port', lambda: ex("10.20.0.1", "pub", 5060, "icmp"),
     EX + 'explain: port: icmp carries no port, got 5060; leave the port out'),
    ('explain-tcp-no-port', lambda: ex("10.20.0.1", "pub", None, "tcp"),
     EX + 'explain: port: None is not a port number'),
    ('explain-dst-group', lambda: ex("10.20.0.1", "publisher", 5060),
     EX + "explain: dst: 'publisher' is neither an address nor a UC node of this deployment"),
    ('report-format-upper', lambda: uc_report(dep(), format="CSV"),
     'collab.firewall.uc_report: ' + "format: 'CSV' is not one of csv, markdown, html, json"),
    ('report-input-list', lambda: uc_report([dep()]),
     'collab.firewall.uc_report: ' + 'input must be the result of collab.firewall.uc_flows'),
    ('diff-base-missing', lambda: uc_diff("/nonexistent-a", "/nonexistent-b"),
     'collab.firewall.uc_diff: ' + '/nonexistent-b is not a rendered tree: report/flows.json is missing (render it'),
    ('diff-base-not-tree', lambda: uc_diff("/tmp", "/etc"),
     'collab.firewall.uc_diff: ' + '/etc is not a rendered tree: report/flows.json is missing (render it with'),
    ('diff-format', lambda: uc_diff({}, {}, format="pdf"),
     'collab.firewall.uc_diff: ' + "format 'pdf' is not one of data, json, markdown, html"),
    ('diff-base-list', lambda: uc_diff({}, ["a"]),
     'collab.firewall.uc_diff: ' + 'base must be a rendered tree (a folder or a dict of path to text), got list'),
    ('nft-policy-missing-management', lambda: to_nftables({"host": "pub", "rules": []}),
     'collab.firewall.to_nftables: ' + 'policy needs management with non-empty sources, got None'),
    ('nft-table-space', lambda: to_nftables(_GOOD_POLICY, table="a b"),
     'collab.firewall.to_nftables: ' + "invalid nftables table name 'a b' (want a letter, then letters, digits, _)"),
    ('fwd-zone-path', lambda: to_firewalld(_GOOD_POLICY, zone="../../etc"),
     'collab.firewall.to_firewalld: ' + "invalid firewalld zone name '../../etc' (1-17 of letters, digits, _ and -)"),
    ('ios-name-space', lambda: to_ios_acls([_FLOW], "UC ACL"),
     'collab.firewall.to_ios_acls: ' + "ACL name 'UC ACL' must start with a letter and hold only letters, digits,"),
    ('asa-name-space', lambda: to_asa_acl([_FLOW], "UC ACL"),
     'collab.firewall.to_asa_acl: ' + "ACL name 'UC ACL' must start with a letter and hold only letters, digits, '_',"),
    ('ios-flow-port-zero', lambda: to_ios_acls([dict(_FLOW, ports=[0])], "UC"),
     'collab.firewall.to_ios_acls: ' + 'port 0 is outside 1-65535'),
    ('gw-unknown', lambda: uc_gateway_plan(dep(), "rtr"),
     GP + 'rtr: gateways: is not a host of the gateways group of the deployment (gw)'),
    ('gw-missing', lambda: uc_gateway_plan(dep()),
     GP + 'gateway: is required'),
    ('gw-interfaces-string', lambda: gw(interfaces="Gi0/0"),
     GP + "interfaces: must be a list, got the string 'Gi0/0'; write it as a list: [Gi0/0]"),
    ('gw-device-ports-zero', lambda: gw(interfaces=[{"name": "Gi0/0", "zones": ["phone"]}], device_ports=[0]),
     GP + 'gw: ios_acl_device_ports: port 0 is outside 1-65535'),
    ("device-group-misspelt", lambda: flows(regroup(router=["rtr-2"])),
     F + "inventory: groups: group 'router' is not a group uc_flows knows; did you mean 'routers'?"),
    ("firewall-group-misspelt", lambda: flows(regroup(firewall=["asa-2"])),
     F + "inventory: groups: group 'firewall' is not a group uc_flows knows; did you mean 'firewalls'?"),
    ("ios-interfaces-on-a-uc-node", lambda: flows(on("sub", ios_acl_interfaces=[{"name": "Gi0/1", "zones": ["phone"]}])),
     F + "sub: ios_acl_interfaces: is set on a cucm node, where no role reads it: interface ACLs are rendered for the "
         "hosts of routers and gateways"),
    ("asa-interfaces-on-a-gateway", lambda: flows(on("gw", asa_acl_interfaces=[])),
     F + "gw: asa_acl_interfaces: is set on a gateway node, where no role reads it"),
    ("host-policy-of-a-gateway", lambda: uc_host_files(dep(), "gw"),
     HF + "gw: inventory_hostname: is a voice gateway (an IOS device, group gateways): it has no host firewall"),
    ("override-icmp-row", lambda: flows(everywhere(uc_port_overrides={"cucm-2-01-icmp": [5060]})),
     F + "inventory: uc_port_overrides.cucm-2-01-icmp: is an entry over icmp, which has no ports"),
    ("override-feature-off", lambda: flows(everywhere(uc_port_overrides={"cucm-1-01-udp": [5514]})),
     F + "inventory: uc_port_overrides.cucm-1-01-udp: belongs to the feature syslog, which is not enabled"),
    ("override-other-release", lambda: flows(everywhere(uc_port_overrides={"cup8-2-01a-tcp": [5999]})),
     F + "inventory: uc_port_overrides.cup8-2-01a-tcp: is from imp release 8.0, but the deployment uses 11.5"),
    ("override-localhost-row", lambda: flows(everywhere(uc_port_overrides={"cup8-2-04-udp": [5999]},
                                                        uc_release={"imp": "8.0"})),
     F + "inventory: uc_port_overrides.cup8-2-04-udp: is localhost only: never opened to the network"),
    ("override-product-absent", lambda: flows(_cucm_override_without_cucm),
     F + "inventory: uc_port_overrides.cucm-2-24-tcp: is a cucm entry, and the inventory has no cucm node"),
    ("address6-empty-string", lambda: flows(on("pub", uc_address6="")),
     F + "pub: uc_address6: is empty; give the node's IPv6 address, or leave uc_address6 out"),
    ("cluster-case-on-imp", lambda: flows(_second_imp),
     F + "imp2: uc_cluster: 'IMP-A' differs from 'imp-a' (imp) only in case or spaces"),
]


def test_the_table_is_large_and_new():
    from ansible_collections.collab.firewall.tests.unit.plugins.filter.test_bad_inputs import CASES as EARLIER

    assert len(CASES) >= 120
    assert len(set(case[0] for case in CASES)) == len(CASES)
    assert not set(case[0] for case in CASES) & set(case[0] for case in EARLIER)


@pytest.mark.parametrize("call, first_line", [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_operator_mistake_stops_with_a_clear_first_line(call, first_line):
    with pytest.raises((AnsibleFilterError, AnsibleActionFail, AnsibleLookupError)) as info:
        call()
    line = str(info.value.message if hasattr(info.value, "message") else info.value).splitlines()[0]
    assert line.startswith(first_line), line


# ---------------------------------------------------------------- valid controls: these must still render


def _rendered(result):
    for host in ("pub", "sub", "imp", "cuc", "cvp"):
        assert uc_host_files(result, host)["nftables.nft"]
    return result


def _cucm_parent(_hostvars, groups):
    """An operator's own parent group of the Unified CM product groups (uc > cucm > publisher, subscriber)."""
    groups["cucm"] = ["pub", "sub"]


def _capital_cluster(hostvars, _groups):
    for name in ("pub", "sub"):
        hostvars[name]["uc_cluster"] = "HQ"


@pytest.mark.parametrize("change", [
    on("imp", ansible_host="10.1.1.10/32"),           # one address written as a /32
    on("imp", ansible_host=" 10.1.1.10"),             # a stray space
    _cucm_parent,
    _capital_cluster,                                  # capitals, the same on every node of the cluster
    on("cvp", uc_cvp_roles=[]),                        # a CVP node without a role, like a subscriber without services
    regroup(gateway_admins=["ops-1"]),                 # a group of the site's own, unrelated to the products
    everywhere(uc_release={"imp": 11.5, "cucm": 14}),
    everywhere(uc_confirm_any_network=["host_firewall_management_sources", "asa_acl_admin_sources"]),
    everywhere(asa_acl_interfaces=[GI01], ios_acl_interfaces=[GI01]),  # -e or group_vars/all: every host has them
], ids=["ansible_host-slash32", "ansible_host-space", "cucm-parent-group", "cluster-capitals", "cvp-no-roles",
        "unrelated-group", "release-numbers", "confirmations-of-role-variables", "interfaces-as-extra-vars"])
def test_valid_controls_still_render(change):
    assert _rendered(flows(change))["flows"]


def test_the_same_address_written_differently_gives_the_same_flows():
    assert flows(on("imp", ansible_host="10.1.1.10/32"))["flows"] == dep()["flows"]


def test_confirmed_any_management_source_is_kept():
    result = flows(everywhere(uc_confirm_any_network=["host_firewall_management_sources", "ios_acl_admin_sources"]))
    assert result["confirmed_any_network"] == ["host_firewall_management_sources", "ios_acl_admin_sources"]
    files = uc_host_files(result, "pub", management_sources=["0.0.0.0/0"])
    assert "0.0.0.0/0" in files["policy.json"]
    planned = uc_acl_flows(result, [GI01, {"name": "Gi0/2", "zones": ["admin_workstation"]}], host="rtr",
                           variable="ios_acl_interfaces", platform="ios",
                           device={"addresses": ["10.1.0.1"], "sources": ["0.0.0.0/0"]})
    assert planned["acls"]


def test_device_management_defaults_and_readable_interface_names():
    result = flows(_without_cvp)
    planned = uc_acl_flows(result, [{"name": "GigabitEthernet 0/1", "zones": ["phone"], "description": "phones"},
                                    {"name": "Gi0/2.100", "zones": ["admin_workstation"]},
                                    {"name": "Port-channel1", "zones": ["ntp_server"],
                                     "site_after": [dict(DENY_IP, action="permit", protocol="tcp",
                                                         destination="10.1.0.10", remark='a "quoted" remark')]}],
                           host="rtr", variable="ios_acl_interfaces", platform="ios",
                           device={"addresses": ["10.1.0.1", "2001:db8::1"], "sources": ["10.99.0.0/24"]})
    lines = planned["device"]["lines"]
    assert "interface GigabitEthernet 0/1" in lines and "interface Port-channel1" in lines
    # the device's SSH (ports left unset: 22) is permitted first where the admin sources are behind the interface
    assert any(" 22" in line and "10.1.0.1" in line for line in lines)
    # a tcp site entry without ports is every tcp port, as in an ACL
    assert any("permit tcp any host 10.1.0.10" in line for line in lines), lines


def test_explain_and_lookup_take_ports_as_text_and_no_port_for_icmp():
    assert ex("10.20.0.1", "sub", "2000", "tcp")["allowed"]
    assert ex("10.20.0.1", "sub", None, "icmp")["transport"] == "icmp"
    assert lk(["cucm"], port="2000")


def test_remarks_cannot_break_a_ruleset():
    files = hf(site_entries=[dict(TCP873, remark='a" accept; #\nnext line')])
    line = [text for text in files["nftables.nft"].splitlines() if "dport 873" in text][0]
    assert line.count('"') == 2 and "\n" not in line


@pytest.mark.parametrize("call, message", [
    (lambda: check_timing("lab-1", 120, 0),
     "lab-1: host_firewall_confirm_timeout: 0 is not a number of seconds above 0"),
    (lambda: check_timing("lab-1", 120, -30), "lab-1: host_firewall_confirm_timeout: -30 is not a number of seconds"),
    (lambda: check_host_names("lab-1", {"nftables_table": "collab uc"}),
     "lab-1: host_firewall_nftables_table: invalid nftables table name 'collab uc'"),
    (lambda: check_host_names("lab-1", {"firewalld_zone": "collab-uc-zone-for-lab"}),
     "lab-1: host_firewall_firewalld_zone: invalid firewalld zone name 'collab-uc-zone-for-lab'"),
    (lambda: check_host_names("lab-1", {"firewalld_interfaces": ["eth0", "eth 1"]}),
     "lab-1: host_firewall_firewalld_interfaces: invalid interface name 'eth 1'"),
], ids=["confirm-timeout-zero", "confirm-timeout-negative", "applied-table-space", "applied-zone-long",
        "applied-interface-space"])
def test_the_applied_state_names_the_role_variables(call, message):
    """What the host_ruleset action checks before it contacts a node (the renderers' errors named no variable)."""
    with pytest.raises(CollabFirewallError) as info:
        call()
    assert str(info.value).startswith(message), str(info.value)


@pytest.mark.parametrize("spec, message", [
    ({"archive": "/tmp/out/render.tar.gz"}, "localhost: uc_output_archive: /tmp/out/render.tar.gz is inside the output "
                                            "folder /tmp/out"),
    ({"archive": "/tmp/render.zip"}, "localhost: uc_output_archive: /tmp/render.zip is not a .tar.gz or .tgz file name"),
    ({"archive": "/tmp"}, "localhost: uc_output_archive: /tmp is a folder"),
    ({"archive": ["/tmp/a.tar.gz"]}, "localhost: uc_output_archive: must be a string, got ['/tmp/a.tar.gz']"),
    ({"git_repo": "/srv/repo.git", "git_branch": "release 1"},
     "localhost: uc_output_git_branch: 'release 1' is not a valid git branch name"),
    ({"git_repo": "/srv/repo.git", "git_branch": "main..x"},
     "localhost: uc_output_git_branch: 'main..x' is not a valid git branch name"),
    ({"git_repo": "/srv/repo.git", "git_path": "../elsewhere"},
     "localhost: uc_output_git_path: '../elsewhere' is not a folder inside the repository"),
    ({"git_repo": 5}, "localhost: uc_output_git_repo: must be a string, got 5"),
    ({"archives": "/tmp/a.tar.gz"}, "localhost: publish: unknown option(s) archives"),
], ids=["archive-inside-output", "archive-zip", "archive-folder", "archive-list", "branch-space", "branch-dots",
        "git-path-up", "repo-number", "unknown-key"])
def test_publish_options_are_checked_before_the_tree_is_written(spec, message):
    with pytest.raises(CollabFirewallError) as info:
        check_publish("/tmp/out", spec)
    assert str(info.value).startswith(message), str(info.value)


def test_good_publish_options_pass():
    check_publish("/tmp/out", {"archive": "/tmp/keep/render.tar.gz", "git_repo": "/srv/repo.git",
                               "git_branch": "uc/render-1", "git_path": "rendered/", "git_message": "render"})


def test_a_site_entry_log_flag_is_read_like_any_boolean():
    words = [acl([dict(GI01, site_after=[dict(DENY_IP, log=word)])], platform="ios")["device"]["lines"]
             for word in ("yes", True)]
    assert words[0] == words[1] and any(line.endswith(" log") for line in words[0])


def _cut(*keys):
    """A precomputed flows variable cut short (an AWX artifact edited by hand, an older export)."""
    return dict((key, value) for key, value in dep().items() if key not in keys)


@pytest.mark.parametrize("call, message", [
    (lambda: uc_host_files(_cut("management"), "pub"),
     "collab.firewall.uc_host_files: input must be a deployment (the result of collab.firewall.uc_flows): management "
     "missing"),
    (lambda: uc_host_policy(_cut("management", "zones"), "pub"),
     "collab.firewall.uc_host_policy: input must be the result of collab.firewall.uc_flows: management, zones missing"),
    (lambda: uc_explain(dict(dep(), zones=[]), "10.20.0.1", "sub", 2000),
     "collab.firewall.uc_explain: input must be the result of collab.firewall.uc_flows: zones of the wrong type"),
    (lambda: uc_report(_cut("releases")),
     "collab.firewall.uc_report: input must be the result of collab.firewall.uc_flows: releases missing"),
    (lambda: uc_acl_flows(_cut("zones"), [GI01]), "collab.firewall.uc_acl_flows: input must be the result of "
                                                  "uc_flows: zones missing"),
    (lambda: uc_gateway_plan(_cut("flows"), "gw"), "collab.firewall.uc_gateway_plan: input must be the result of "
                                                   "uc_flows: flows missing"),
], ids=["host-files", "host-policy", "explain", "report", "acl-flows", "gateway-plan"])
def test_a_partial_precomputed_deployment_is_named_not_a_traceback(call, message):
    with pytest.raises(AnsibleFilterError) as info:
        call()
    assert str(info.value).startswith(message), str(info.value)
