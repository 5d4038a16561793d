# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Options and variables checked against a plugin's own DOCUMENTATION, before any work is done.

Every filter and lookup passes its keyword arguments through ``validate_options``; the inventory readers use
``check_value`` with the same type names for inventory variables. The rules, one for every plugin:

- ``bool``: a boolean, or a string/number Ansible's argument specs accept (``"false"``, ``"no"``, ``"off"``,
  ``0`` are false; ``"true"``, ``"yes"``, ``"on"``, ``1`` are true); anything else is an error - so
  ``-e uc_open_ephemeral=false`` and AWX survey answers mean what they say.
- ``str``: a string; a number is taken as its text; a list, mapping or boolean is an error (a list never
  becomes its text).
- ``int``: an integer or a string of digits.
- ``list``: a list; a string is an error (it is never split into characters or at commas), ``null`` is an
  error where the variable is set; ``elements`` and ``choices`` are checked per item.
- ``dict``: a mapping; anything else is an error.

Errors read ``<where>: <variable>: <what is wrong>`` (``where`` is the plugin, an inventory host or
``inventory``), the format of ``CollabFirewallError.at``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections.abc import Mapping

import yaml

from ansible_collections.collab.firewall.plugins.plugin_utils.common.errors import CollabFirewallError

TRUE_WORDS = ("yes", "on", "1", "true", "y", "t")
FALSE_WORDS = ("no", "off", "0", "false", "n", "f")
_SPECS = {}


class OptionError(CollabFirewallError):
    """A plugin option or an inventory variable of the wrong type or value."""

    @classmethod
    def at(cls, where, variable, message):
        """``where: variable: message``, or ``variable: message`` for a plugin option (``where`` None)."""
        if where is None:
            return cls("%s: %s" % (variable, message))
        return super(OptionError, cls).at(where, variable, message)


def _kind(value):
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (str, bytes)):
        return "the string %r" % (value,)
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, (list, tuple, set)):
        return "a list %r" % (list(value),)
    if value is None:
        return "null"
    return "%s %r" % (type(value).__name__, value)


def to_bool(value, where, variable):
    """A boolean the way Ansible's argument specs read one (strings and 0/1 included)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (str, int, float)):
        word = str(value).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    raise OptionError.at(where, variable, "must be a boolean (true/false, yes/no, on/off, 1/0), got %s" % _kind(value))


def check_value(value, spec, where, variable):
    """``value`` converted to the type of ``spec`` (a DOCUMENTATION option), or an error naming the variable.

    ``None`` is returned as is: whether an unset value is allowed is the caller's decision.
    """
    if value is None:
        return None
    kind = spec.get("type", "str")
    if kind == "bool":
        value = to_bool(value, where, variable)
    elif kind == "str":
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise OptionError.at(where, variable, "must be a string, got %s" % _kind(value))
        value = str(value)
    elif kind == "int":
        if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit())):
            raise OptionError.at(where, variable, "must be an integer, got %s" % _kind(value))
        value = int(value)
    elif kind == "list":
        if isinstance(value, (str, bytes)):
            raise OptionError.at(where, variable, "must be a list, got %s; write it as a list: [%s]"
                                 % (_kind(value), value))
        if isinstance(value, Mapping) or not isinstance(value, (list, tuple)):
            raise OptionError.at(where, variable, "must be a list, got %s" % _kind(value))
        elements = spec.get("elements")
        items = []
        for index, item in enumerate(value):
            if item is None:
                raise OptionError.at(where, "%s[%d]" % (variable, index), "is null; remove it or give a value")
            if elements:
                item = check_value(item, {"type": elements}, where, "%s[%d]" % (variable, index))
            items.append(item)
        value = items
    elif kind == "dict":
        if not isinstance(value, Mapping):
            raise OptionError.at(where, variable, "must be a mapping, got %s" % _kind(value))
        value = dict(value)
    elif kind != "raw":
        raise OptionError.at(where, variable, "has the undocumented type %r (a bug in the plugin)" % (kind,))
    choices = spec.get("choices")
    if choices:
        for item in (value if kind == "list" else [value]):
            if item not in choices:
                raise OptionError.at(where, variable, "%r is not one of %s" % (item, ", ".join(str(c) for c in choices)))
    return value


def option_specs(documentation):
    """The ``options`` of a plugin's DOCUMENTATION, without the piped input (``_input``, ``_terms``)."""
    if documentation not in _SPECS:
        options = (yaml.safe_load(documentation) or {}).get("options") or {}
        _SPECS[documentation] = dict((k, v) for k, v in options.items() if k not in ("_input", "_terms"))
    return _SPECS[documentation]


def validate_options(documentation, values):
    """Check the options in ``values`` against a plugin's DOCUMENTATION; return the given ones, converted.

    An option set to ``None`` counts as not given (the plugin's own default applies) unless it is required.
    Messages read ``<option>: <what is wrong>``; the plugin puts its fully qualified name in front.
    """
    specs = option_specs(documentation)
    unknown = sorted(set(values) - set(specs))
    if unknown:
        raise OptionError("unknown option(s) %s; valid: %s" % (", ".join(unknown), ", ".join(sorted(specs))))
    out = {}
    for name in sorted(values):
        if values[name] is None:
            if specs[name].get("required"):
                raise OptionError("%s: is required" % name)
            continue
        out[name] = check_value(values[name], specs[name], None, name)
    return out


def filter_options(plugin, documentation, values):
    """``validate_options`` for a filter or lookup: the values with the given ones converted, or an Ansible error.

    The error reads ``<plugin>: <option>: <what is wrong>``, like every other error of the collection's plugins.
    """
    from ansible.errors import AnsibleFilterError  # controller only: the plugins that call this run there

    try:
        checked = validate_options(documentation, values)
    except OptionError as exc:
        raise AnsibleFilterError("%s: %s" % (plugin, exc))
    out = dict(values)
    out.update(checked)
    return out
