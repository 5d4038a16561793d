# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one error base of the collection's Python code.

Every stage raises a subclass of ``CollabFirewallError``, so that a filter or lookup can turn any known
error into an Ansible error in one ``except`` clause while unexpected exceptions still surface as bugs.
Errors about operator input name where the bad value was found (an inventory host, ``inventory`` or a
device) and the variable: ``at(where, variable, message)`` builds that message in one format.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class CollabFirewallError(ValueError):
    """Base class of every error the collection raises on purpose."""

    @classmethod
    def at(cls, where, variable, message):
        """An error about input found at ``where`` (host or ``inventory``) in ``variable``."""
        return cls("%s: %s: %s" % (where, variable, message))


class PolicyError(CollabFirewallError):
    """A flow, host policy, management block or renderer argument that cannot be rendered."""
