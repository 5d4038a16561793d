# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""uc_report and uc_catalog_table: formats, content and errors."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import csv
import io
import json

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.collab.firewall.plugins.filter.uc_catalog_table import uc_catalog_table
from ansible_collections.collab.firewall.plugins.filter.uc_flows import uc_flows
from ansible_collections.collab.firewall.plugins.filter.uc_report import uc_report
from ansible_collections.collab.firewall.plugins.plugin_utils.catalog.loader import load_catalog, select_entries

ZONES = {"phone": ["10.20.0.0/16"], "admin_workstation": ["10.99.0.0/24"], "snmp_manager": ["10.99.1.10"]}
HOSTVARS = {"pub": {"ansible_host": "10.1.0.10", "uc_zones": ZONES}, "sub": {"ansible_host": "10.1.0.11", "uc_zones": ZONES}}
GROUPS = {"publisher": ["pub"], "subscriber": ["sub"], "uc": ["pub", "sub"]}


@pytest.fixture(scope="module")
def result():
    return uc_flows(HOSTVARS, GROUPS)


def test_csv_has_one_row_per_flow_with_provenance(result):
    rows = list(csv.DictReader(io.StringIO(uc_report(result, format="csv"))))
    assert len(rows) == len(result["flows"])
    assert all(row["catalog_ids"] and "Unified CM port usage, table" in row["documents"] for row in rows)


def test_markdown_and_json_list_unresolved_endpoints(result):
    markdown = uc_report(result, format="markdown")
    assert markdown.startswith("# UC flow matrix") and "## Unresolved endpoints" in markdown
    report = json.loads(uc_report(result, format="json"))
    assert len(report["flows"]) == len(result["flows"])
    assert set(u["role"] for u in report["unresolved"]) == set(u["role"] for u in result["unresolved"])
    lines = markdown.splitlines()
    assert result["unresolved"] and all(
        any(line.startswith("- `%s`: " % u["role"]) for line in lines) for u in result["unresolved"])
    assert all(line.count("- `") <= 1 for line in lines if not line.startswith("|"))
    for heading in ("### Security-relevant", "### Ambiguous direction", "### Transcription"):
        assert heading in markdown
    assert set(a["cls"] for a in report["anomalies"]) <= set(["security", "direction", "transcription"])


def test_html_is_one_self_contained_page(result):
    page = uc_report(result, format="html")
    assert page.startswith("<!DOCTYPE html>") and "<script src" not in page and "http://" not in page.replace(
        "http://www.w3.org/2000/svg", "")


@pytest.mark.parametrize("call, message", [
    (lambda r: uc_report(r, format="pdf"), "collab.firewall.uc_report: format: 'pdf' is not one of csv, markdown, html, json"),
    (lambda r: uc_report([], format="csv"), "input must be the result of collab.firewall.uc_flows"),
    (lambda r: uc_catalog_table([{"id": 1}], format="csv"), "input is not a catalog entry list"),
    (lambda r: uc_catalog_table("x"), "input must be a list of catalog entries"),
    (lambda r: uc_catalog_table([], format="xml"), "collab.firewall.uc_catalog_table: format: 'xml' is not one of markdown, csv"),
])
def test_errors_name_the_filter(result, call, message):
    with pytest.raises(AnsibleFilterError, match="collab.firewall.uc_"):
        call(result)
    with pytest.raises(AnsibleFilterError) as info:
        call(result)
    assert message in str(info.value)


def test_catalog_table_formats():
    entries = select_entries(load_catalog(), products=["cucm"], port=2000)
    rows = list(csv.DictReader(io.StringIO(uc_catalog_table(entries, format="csv"))))
    assert [r["id"] for r in rows] == [e["id"] for e in entries]
    table = uc_catalog_table(entries)
    assert table.count("\n") == len(entries) + 2 and table.startswith("| id | product |")


def test_reports_say_which_gateway_platform_applies():
    hostvars = dict(HOSTVARS, **{"gw-a": {"ansible_host": "10.1.9.1", "uc_gateway_platform": "isr_g2", "uc_zones": ZONES},
                                 "gw-b": {"ansible_host": "10.1.9.2", "uc_zones": ZONES}})
    groups = dict(GROUPS, gateways=["gw-a", "gw-b"], uc=GROUPS["uc"] + ["gw-a", "gw-b"])
    deployment = uc_flows(hostvars, groups)
    markdown = uc_report(deployment, format="markdown")
    assert "- `gw-a`: isr_g2" in markdown
    assert "- `gw-b`: not set - uc_gateway_platform is not set" in markdown
    report = json.loads(uc_report(deployment, format="json"))
    assert report["gateway_platforms"]["gw-b"]["source"] == "default"
