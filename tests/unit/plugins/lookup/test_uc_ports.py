# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

import pytest
from ansible.errors import AnsibleError
from ansible.plugins.loader import lookup_loader


@pytest.fixture
def lookup():
    plugin = lookup_loader.get("collab.firewall.uc_ports")
    assert plugin is not None, "collab.firewall.uc_ports is not found on the collections path"
    return plugin


def test_no_terms_returns_every_entry(lookup):
    everything = lookup.run([], variables={})
    products = set(entry["product"] for entry in everything)
    assert products == {"cucm", "imp", "unity", "cvp"}
    assert len(everything) > 300


def test_port_2000_is_sccp_with_provenance(lookup):
    result = lookup.run(["cucm"], variables={}, port=2000)
    assert result
    sccp = [e for e in result if e["transport"] == "tcp" and "sccp" in e["protocol"].lower()]
    assert sccp, result
    assert sccp[0]["source"]["document"] == "001_f5a05621c64c5648.txt"
    assert sccp[0]["source"]["table"] and sccp[0]["source"]["row"] >= 1


@pytest.mark.parametrize(
    "terms, options, check",
    [
        (["imp"], {"release": "8.0"}, lambda e: e["source"]["document"] == "000_5a9a3fafe7b77bdc.txt"),
        (["imp"], {"release": "11.5"}, lambda e: e["source"]["document"] == "002_0f34838a36d660e4.txt"),
        ([], {"scope": "localhost"}, lambda e: e["scope"] == "localhost"),
        ([], {"transport": "udp"}, lambda e: e["transport"] == "udp"),
        ([], {"to_role": "cucm_tftp"}, lambda e: e["to"] == "cucm_tftp"),
        ([], {"document": "cvp"}, lambda e: e["product"] == "cvp"),
        ([], {"feature": "snmp"}, lambda e: e["feature"] == "snmp"),
        (["unity", "cvp"], {}, lambda e: e["product"] in ("unity", "cvp")),
    ],
)
def test_options_filter(lookup, terms, options, check):
    result = lookup.run(terms, variables={}, **options)
    assert result
    assert all(check(entry) for entry in result)


def test_query_is_jmespath_over_the_result(lookup):
    ids = lookup.run(["cucm"], variables={}, port=2000, query="[].id")
    assert ids and all(isinstance(i, str) for i in ids)
    count = lookup.run(["cucm"], variables={}, query="length(@)")
    assert count == [len(lookup.run(["cucm"], variables={}))]


@pytest.mark.parametrize(
    "terms, options, message",
    [
        (["cme"], {}, "unknown product 'cme'; valid values: cucm, cvp, imp, unity"),
        (["cucm"], {"release": "4.2"}, "unknown release '4.2'; valid values: 14"),
        ([], {"to_role": "fax"}, "unknown to_role 'fax'"),
        ([], {"query": "[?"}, "is not valid JMESPath"),
        ([], {"scope": "planet"}, "planet"),
    ],
)
def test_bad_input_is_a_clear_error(lookup, terms, options, message):
    with pytest.raises(AnsibleError, match=re.escape(message)):
        lookup.run(terms, variables={}, **options)
