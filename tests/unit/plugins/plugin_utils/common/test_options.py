# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Options checked against a plugin's DOCUMENTATION: the type rules every filter and the inventory share."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.collab.firewall.plugins.plugin_utils.common.options import (
    OptionError,
    check_value,
    option_specs,
    validate_options,
)

DOC = """
options:
  _input: {type: dict, required: true}
  name: {type: str, required: true}
  flag: {type: bool, default: false}
  count: {type: int}
  items: {type: list, elements: str, choices: [a, b]}
  mapping: {type: dict}
  anything: {type: raw}
"""


@pytest.mark.parametrize("value, expected", [
    ("false", False), ("No", False), ("off", False), ("0", False), (0, False), ("f", False),
    ("true", True), ("YES", True), ("on", True), ("1", True), (1, True), (True, True)])
def test_booleans_like_ansible_argument_specs(value, expected):
    assert check_value(value, {"type": "bool"}, "h", "v") is expected


@pytest.mark.parametrize("value, spec, message", [
    ("maybe", {"type": "bool"}, "h: v: must be a boolean (true/false, yes/no, on/off, 1/0), got the string 'maybe'"),
    (2, {"type": "bool"}, "h: v: must be a boolean (true/false, yes/no, on/off, 1/0), got int 2"),
    (["a"], {"type": "str"}, "h: v: must be a string, got a list ['a']"),
    (True, {"type": "str"}, "h: v: must be a string, got a boolean"),
    ({"a": 1}, {"type": "str"}, "h: v: must be a string, got a mapping"),
    ("a", {"type": "list"}, "h: v: must be a list, got the string 'a'; write it as a list: [a]"),
    ({"a": 1}, {"type": "list"}, "h: v: must be a list, got a mapping"),
    ([None], {"type": "list"}, "h: v[0]: is null; remove it or give a value"),
    (["a", "c"], {"type": "list", "choices": ["a", "b"]}, "h: v: 'c' is not one of a, b"),
    ([1, ["x"]], {"type": "list", "elements": "str"}, "h: v[1]: must be a string, got a list ['x']"),
    ("k=v", {"type": "dict"}, "h: v: must be a mapping, got the string 'k=v'"),
    ("twelve", {"type": "int"}, "h: v: must be an integer, got the string 'twelve'"),
    (False, {"type": "int"}, "h: v: must be an integer, got a boolean"),
])
def test_wrong_types_name_where_and_variable(value, spec, message):
    with pytest.raises(OptionError) as info:
        check_value(value, spec, "h", "v")
    assert str(info.value) == message


def test_numbers_become_text_and_digit_strings_integers():
    assert check_value(14, {"type": "str"}, "h", "v") == "14"
    assert check_value("8", {"type": "int"}, "h", "v") == 8
    assert check_value([1, "a"], {"type": "list", "elements": "str"}, "h", "v") == ["1", "a"]
    assert check_value(None, {"type": "list"}, "h", "v") is None  # unset: the caller decides


def test_specs_come_from_the_documentation_without_the_input():
    assert sorted(option_specs(DOC)) == ["anything", "count", "flag", "items", "mapping", "name"]


def test_validate_options_converts_given_options_only():
    assert validate_options(DOC, {"name": "x", "flag": "no", "count": None}) == {"name": "x", "flag": False}


@pytest.mark.parametrize("values, message", [
    ({"name": None}, "name: is required"),
    ({"name": "x", "colour": 1}, "unknown option(s) colour; valid: anything, count, flag, items, mapping, name"),
    ({"name": "x", "items": "a"}, "items: must be a list, got the string 'a'; write it as a list: [a]"),
])
def test_validate_options_errors(values, message):
    with pytest.raises(OptionError) as info:
        validate_options(DOC, values)
    assert str(info.value) == message
