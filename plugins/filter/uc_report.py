# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: uc_report
author: collab.firewall developers (@collab-firewall)
version_added: 1.0.0
short_description: The flow matrix of a UC deployment as CSV, Markdown, JSON or a self-contained HTML page
description:
  - One row per flow of P(collab.firewall.uc_flows#filter) - from, to, transport, ports, catalog ids and the
    documents and tables they come from - plus the unresolved endpoints and the catalog anomalies the
    deployment touches.
  - The HTML page needs nothing but a browser - a layered view (sources, UC products and clusters, outbound
    destinations) whose edges carry their ports and filter the table, the flows between UC clusters as a matrix,
    a sortable, filterable table with addresses and the document rows (by title), a view per node, and the
    catalog anomalies classified as security-relevant, ambiguous direction or transcription. It is rendered from
    the Jinja2 templates in C(plugins/plugin_utils/report/templates/).
options:
  _input:
    description: The result of C(collab.firewall.uc_flows).
    type: dict
    required: true
  format:
    description: Output format.
    type: str
    choices: [csv, markdown, html, json]
    default: markdown
"""

EXAMPLES = r"""
- name: Compute the deployment's flows once
  ansible.builtin.set_fact:
    uc_deployment: "{{ hostvars | collab.firewall.uc_flows(groups) }}"
  run_once: true

- name: Make the report folder
  ansible.builtin.file:
    path: report
    state: directory
    mode: "0755"

- name: Write the flow matrix as HTML and CSV
  ansible.builtin.copy:
    content: "{{ uc_deployment | collab.firewall.uc_report(format=item.format) }}"
    dest: "report/{{ item.file }}"
    mode: "0644"
  loop:
    - {format: html, file: flows.html}
    - {format: csv, file: flows.csv}
"""

RETURN = r"""
_value:
  description: The report text.
  type: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.collab.firewall.plugins.plugin_utils.common.options import filter_options
from ansible_collections.collab.firewall.plugins.plugin_utils.catalog.loader import load_catalog
from ansible_collections.collab.firewall.plugins.plugin_utils.report.flow_report import FORMATS, flow_report
from ansible_collections.collab.firewall.plugins.plugin_utils.deployment.flows import result_problem


PLUGIN = "collab.firewall.uc_report"


def uc_report(flows, format="markdown"):  # pylint: disable=redefined-builtin
    opts = filter_options(PLUGIN, DOCUMENTATION, {"format": format})
    problem = result_problem(flows)
    if problem:
        raise AnsibleFilterError("%s: input must be the result of collab.firewall.uc_flows: %s" % (PLUGIN, problem))
    if opts["format"] not in FORMATS:
        raise AnsibleFilterError("%s: format: %r is not one of %s" % (PLUGIN, opts["format"], ", ".join(FORMATS)))
    return flow_report(flows, load_catalog(), opts["format"])


class FilterModule(object):
    def filters(self):
        return {"uc_report": uc_report}
