# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: uc_ports
author: collab.firewall developers (@collab-firewall)
version_added: 1.0.0
short_description: Query the Cisco UC port catalog
description:
  - Returns entries of the collection's port catalog, transcribed from Cisco's port-usage documents for
    Unified CM, IM and Presence (and Unified Presence 8.0), Unity Connection and Unified CVP.
  - Each entry is one transport of one table row, with its provenance (document, table, row), endpoint
    roles, scope and any anomaly the documents contain there.
  - The catalog is loaded and checked once per process.
  - All options combine with AND.
options:
  _terms:
    description:
      - Product names to select (C(cucm), C(imp), C(unity), C(cvp)). No terms selects every product.
    required: false
    type: list
    elements: str
  release:
    description:
      - Only entries of this catalog release, for example C(14), C(11.5), C(8.0), C(8.x), C(12.x).
      - IM and Presence C(8.0) is the Unified Presence 8.0 document.
    type: str
  scope:
    description: Only entries of this scope.
    type: str
    choices: [localhost, cluster, network]
  transport:
    description: Only entries of this transport.
    type: str
    choices: [tcp, udp, icmp, gre, esp, ah]
  port:
    description: Only entries whose destination ports include this port.
    type: int
  from_role:
    description: Only entries whose source endpoint role is this one (see docs/catalog-format.md).
    type: str
  to_role:
    description: Only entries whose destination endpoint role is this one.
    type: str
  document:
    description: Only entries from this document, by file name (C(001_f5a05621c64c5648.txt)) or key (C(cucm)).
    type: str
  feature:
    description: Only entries that need this optional feature (for example C(snmp), C(ipsec)), as their C(feature) or in C(also_requires).
    type: str
  query:
    description:
      - A JMESPath expression applied to the list of selected entries.
      - A result that is not a list is returned as a one-item list.
    type: str
notes:
  - Requires the Python libraries C(netaddr), C(jmespath) (only for O(query)) and C(PyYAML) on the controller.
seealso:
  - name: Catalog format
    description: The data format, scopes and endpoint roles.
    link: https://example.invalid/collab/firewall/tree/main/docs/catalog-format.md
"""

EXAMPLES = r"""
- name: Show the SCCP entry of Unified CM with its provenance
  ansible.builtin.debug:
    msg: "{{ lookup('collab.firewall.uc_ports', 'cucm', port=2000) }}"

- name: Every port IM and Presence opens to the network over TCP
  ansible.builtin.debug:
    msg: "{{ query('collab.firewall.uc_ports', 'imp', scope='network', transport='tcp') }}"

- name: Only the ids and ports of Unified Presence 8.0 entries
  ansible.builtin.debug:
    msg: "{{ query('collab.firewall.uc_ports', 'imp', release='8.0', query='[].[id, ports]') }}"

- name: Every entry, all products
  ansible.builtin.set_fact:
    uc_catalog: "{{ query('collab.firewall.uc_ports') }}"
"""

RETURN = r"""
_raw:
  description: Catalog entries, or the result of O(query).
  type: list
  elements: dict
  contains:
    id:
      description: Stable identifier, cited by every generated rule (C(cucm-6-01-tcp)).
      type: str
    product:
      description: C(cucm), C(imp), C(unity) or C(cvp).
      type: str
    release:
      description: The release the document states or implies.
      type: str
    source:
      description: Provenance, C(document) (seed file name), C(table) (number as printed) and C(row) (position).
      type: dict
    from:
      description: Endpoint role that opens the connection.
      type: str
    to:
      description: Endpoint role that listens.
      type: str
    protocol:
      description: Application protocol as documented.
      type: str
    transport:
      description: C(tcp), C(udp), C(icmp), C(gre), C(esp) or C(ah).
      type: str
    ports:
      description: Destination ports; integers or C(start-end) strings; empty when the document gives none.
      type: list
    src_ports:
      description: Fixed source ports, where the document names them.
      type: list
    ephemeral:
      description: The port comes from the platform's ephemeral range.
      type: bool
    bidirectional:
      description: The document shows the flow in both directions.
      type: bool
    scope:
      description: C(localhost), C(cluster) or C(network).
      type: str
    configurable:
      description: The administrator may change the port.
      type: bool
    feature:
      description: Optional feature the flow belongs to, or null.
      type: str
    also_requires:
      description: Further features the flow needs besides C(feature); it opens only when all are enabled.
      type: list
      elements: str
    description:
      description: What the flow is for, in the collection's own words.
      type: str
    anomalies:
      description: Contradictions and conversion damage found in the documents at this entry.
      type: list
"""

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase

from ansible_collections.collab.firewall.plugins.plugin_utils.catalog.loader import (
    CatalogError,
    CatalogQueryError,
    load_catalog,
    select_entries,
)
from ansible_collections.collab.firewall.plugins.plugin_utils.common.options import OptionError, validate_options

try:
    import jmespath

    HAS_JMESPATH = True
except ImportError:
    HAS_JMESPATH = False

_FILTERS = ("release", "scope", "transport", "port", "from_role", "to_role", "document", "feature")


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        try:
            # the same type rules and message style as every filter of the collection, then Ansible's own
            kwargs = dict(kwargs, **validate_options(DOCUMENTATION, kwargs))
        except OptionError as exc:
            raise AnsibleLookupError("collab.firewall.uc_ports: %s" % exc)
        self.set_options(var_options=variables, direct=kwargs)
        criteria = dict((name, self.get_option(name)) for name in _FILTERS)
        products = [str(term) for term in terms]
        try:
            result = select_entries(load_catalog(), products=products, **criteria)
        except (CatalogError, CatalogQueryError) as exc:
            raise AnsibleLookupError("collab.firewall.uc_ports: %s" % exc)

        expression = self.get_option("query")
        if not expression:
            return result
        if not HAS_JMESPATH:
            raise AnsibleLookupError("collab.firewall.uc_ports: the query option needs jmespath: pip install jmespath")
        try:
            result = jmespath.search(expression, result)
        except jmespath.exceptions.JMESPathError as exc:
            raise AnsibleLookupError("collab.firewall.uc_ports: query %r is not valid JMESPath: %s" % (expression, exc))
        return result if isinstance(result, list) else [result]
