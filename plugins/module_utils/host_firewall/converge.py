# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The node side of one converge, as two steps the controller calls:

apply    refuse an appliance, pick the backend, stage and validate the candidate, compare it and the live
         rules with what was activated last time, and when something differs: snapshot, arm the rollback,
         activate (or only re-persist when the live rules are right and the boot-time copy is not).
confirm  called over a NEW SSH connection: disarm the rollback (only ours) and record what is live.

Everything that can fail does so before the live rules change; a failed activation rolls back at once.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import os
import shutil
import tempfile

from ansible_collections.collab.firewall.plugins.module_utils.host_firewall.common import (
    STATE_DIR,
    BackendError,
    arm,
    disarm,
    pending,
    read,
    run,
    sha256,
    write,
)
from ansible_collections.collab.firewall.plugins.module_utils.host_firewall.firewalld import Firewalld
from ansible_collections.collab.firewall.plugins.module_utils.host_firewall.iptables import Iptables
from ansible_collections.collab.firewall.plugins.module_utils.host_firewall.nftables import Nftables

BACKENDS = {"firewalld": Firewalld, "nftables": Nftables, "iptables": Iptables}
AUTO_ORDER = ("firewalld", "nftables", "iptables")
# What a Cisco UC appliance (Voice Operating System) carries and a Linux host you control does not.
APPLIANCE_MARKERS = ("/usr/local/cm", "/usr/local/platform")


def choose_backend(wanted, runner=run):
    """The backend class: ``wanted`` when its tool is there, or the first available in AUTO_ORDER."""
    if wanted != "auto":
        if wanted not in BACKENDS:
            raise BackendError("Choose the backend", "unknown backend %r" % (wanted,))
        if not BACKENDS[wanted].available(runner):
            raise BackendError("Choose the backend", "host_firewall_backend=%s but %s is not usable on this node"
                               % (wanted, "firewalld (firewall-cmd and a running daemon)" if wanted == "firewalld" else wanted))
        return BACKENDS[wanted]
    for name in AUTO_ORDER:
        if BACKENDS[name].available(runner):
            return BACKENDS[name]
    raise BackendError("Choose the backend", "host_firewall_backend=auto found no usable firewall; install "
                       "firewalld, nftables or iptables")


def appliance_markers(markers):
    return [path for path in markers if os.path.exists(path)]


def ssh_client(environ):
    """The address this SSH session comes from (what the node sees), or None."""
    text = environ.get("SSH_CLIENT") or environ.get("SSH_CONNECTION") or ""
    return text.split()[0] if text.split() else None


def covered(address, sources):
    """Whether ``address`` lies in one of the CIDRs ``sources``."""
    try:
        addr = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return False
    if getattr(addr, "ipv4_mapped", None):
        addr = addr.ipv4_mapped
    for source in sources:
        try:
            if addr in ipaddress.ip_network(source, strict=False):
                return True
        except ValueError:
            continue
    return False


def make_backend(cls, params, runner=run):
    return cls(state_dir=params.get("state_dir") or STATE_DIR, runner=runner, table=params.get("table"),
               zone=params.get("zone"), interfaces=params.get("interfaces") or [], address=params.get("address"))


def apply(params, check_mode=False, runner=run, environ=None, spawn=None):
    """One converge on the node; returns the module result (raises BackendError on failure)."""
    environ = os.environ if environ is None else environ
    markers = params.get("appliance_markers")
    found = appliance_markers(APPLIANCE_MARKERS if markers is None else markers)
    if found:
        raise BackendError("Refuse an appliance", "this node carries %s, so it is a Cisco UC appliance (or looks "
                           "like one) that manages its own firewall; nothing was changed. Render its rulesets "
                           "with host_firewall_state=rendered for the firewall in front of it" % ", ".join(found))
    cls = choose_backend(params.get("backend") or "auto", runner)
    result = {"backend": cls.name, "changed": False, "ssh_client": ssh_client(environ)}
    sources = params.get("management_sources")
    if sources is not None and result["ssh_client"] and not covered(result["ssh_client"], sources):
        # the controller renders again with this address; nothing happened here
        result["uncovered"] = result["ssh_client"]
        return result
    backend = make_backend(cls, params, runner)
    files = backend.staged(params.get("rulesets") or {})
    state_dir = backend.state_dir
    if not check_mode and not os.path.isdir(state_dir):
        os.makedirs(state_dir, 0o700)
    scratch = tempfile.mkdtemp(prefix="candidate-", dir=state_dir if os.path.isdir(state_dir) else None)
    try:
        candidates = []
        for name, text in files:
            path = os.path.join(scratch, name)
            write(path, text)
            candidates.append(path)
        new_text = "".join(text for _name, text in files)
        applied = read(os.path.join(state_dir, cls.name + ".applied"))
        if new_text != applied:
            # a ruleset identical to the one activated (and so validated) last time needs no second check
            backend.validate(candidates)
        recorded = (read(os.path.join(state_dir, cls.name + ".digest"), "") or "").strip()
        live = backend.digest()
        if cls.name == "iptables":
            result["ipsets"] = any(name == "ipsets.staged" for name, _text in files)
        result.update(
            staged=[name for name, _text in files],
            new_ruleset=new_text != applied,
            drift=sha256(live) != recorded,
            recorded=bool(recorded),
            persisted=backend.persisted(candidates),
            diff={"before_header": "%s (activated last)" % cls.name, "after_header": "%s (staged)" % cls.name,
                  "before": applied or "", "after": new_text},
        )
        if not (result["new_ruleset"] or result["drift"] or not result["persisted"]):
            return result
        result["changed"] = True
        if check_mode:
            return result
        staged = []
        for (name, _text), candidate in zip(files, candidates):
            os.rename(candidate, os.path.join(state_dir, name))
            staged.append(os.path.join(state_dir, name))
        for name in set(cls.STAGED) - set(result["staged"]):
            if os.path.exists(os.path.join(state_dir, name)):
                os.unlink(os.path.join(state_dir, name))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if not (result["new_ruleset"] or result["drift"]):
        backend.persist(staged)  # live rules are right; only the boot-time copy was not
        return result
    backend.snapshot()
    token = params.get("token")
    if not token:
        raise BackendError("Arm the rollback", "no token given")
    arm(state_dir, token, params.get("rollback_seconds") or 120, backend.rollback_script(), spawn=spawn)
    try:
        backend.activate(staged)
    except BackendError:
        # the new ruleset may be half loaded: restore the snapshot now instead of waiting for the timer
        os.unlink(os.path.join(state_dir, "armed"))
        runner(["sh", os.path.join(state_dir, "rollback.sh")])
        raise
    # recorded now, made current only by the confirmation over a new connection
    pending(state_dir, cls.name, [text for _name, text in files], backend.digest(), backend.cleanup())
    if params.get("after_activate"):
        runner(["sh", "-c", params["after_activate"]])
    result.update(activated=True, armed=True)
    return result


def confirm(params, runner=run):
    """Over a new connection: disarm our rollback and make the ruleset recorded at activation the reference.

    The controller runs the same shell text directly (common.confirm_command), without a module start-up.
    """
    backend = disarm(params.get("state_dir") or STATE_DIR, params.get("token") or "", runner)
    return {"backend": backend, "changed": False, "confirmed": True}
