# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: uc_catalog_table
author: collab.firewall developers (@collab-firewall)
version_added: 1.0.0
short_description: Render port catalog entries as a Markdown table or CSV
description:
  - Turns entries returned by the M(collab.firewall.uc_ports) lookup into a Markdown table or a CSV document,
    one row per entry with its provenance, scope, feature and anomalies.
options:
  _input:
    description: Catalog entries, as returned by the C(collab.firewall.uc_ports) lookup.
    type: list
    elements: dict
    required: true
  format:
    description: Output format.
    type: str
    choices: [markdown, csv]
    default: markdown
"""

EXAMPLES = r"""
- name: Write the whole catalog as CSV
  ansible.builtin.copy:
    content: "{{ query('collab.firewall.uc_ports') | collab.firewall.uc_catalog_table(format='csv') }}"
    dest: catalog.csv
    mode: "0644"

- name: Unity Connection's network-facing ports as a Markdown table
  ansible.builtin.debug:
    msg: "{{ query('collab.firewall.uc_ports', 'unity', scope='network') | collab.firewall.uc_catalog_table }}"
"""

RETURN = r"""
_value:
  description: The Markdown table or the CSV document, with a header row and a trailing newline.
  type: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.collab.firewall.plugins.plugin_utils.common.options import filter_options
from ansible_collections.collab.firewall.plugins.plugin_utils.catalog.table import FORMATS, entries_table


PLUGIN = "collab.firewall.uc_catalog_table"


def uc_catalog_table(entries, format="markdown"):  # pylint: disable=redefined-builtin
    opts = filter_options(PLUGIN, DOCUMENTATION, {"format": format})
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise AnsibleFilterError("%s: input must be a list of catalog entries" % PLUGIN)
    if opts["format"] not in FORMATS:
        raise AnsibleFilterError("%s: format: %r is not one of %s" % (PLUGIN, opts["format"], ", ".join(FORMATS)))
    try:
        return entries_table(entries, opts["format"])
    except (KeyError, TypeError) as exc:
        raise AnsibleFilterError("%s: input is not a catalog entry list (%s)" % (PLUGIN, exc))


class FilterModule(object):
    def filters(self):
        return {"uc_catalog_table": uc_catalog_table}
