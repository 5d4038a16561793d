# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""iptables backend: the whole ``filter`` table of both families (iptables-restore commits it atomically).

With ipsets (the renderer's ``iptables_ipset`` result, used when the node has the ``ipset`` tool): the
``ipset restore`` text builds each set under a temporary name and swaps it in, and set names derive from their
content, so loading the sets never changes what the rules still loaded match; then iptables-restore swaps the
rules. Sets of the prefix that the new rules no longer use are destroyed only after the controller confirmed
(the rollback's rules may still need them). Without the ``ipset`` tool the plain ruleset is used.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re
import shutil

from ansible_collections.collab.firewall.plugins.module_utils.host_firewall.common import (
    Backend,
    BackendError,
    read,
    which,
    write,
)

PERSISTENT = {"ipv4": "/etc/iptables/rules.v4", "ipv6": "/etc/iptables/rules.v6", "ipsets": "/etc/iptables/ipsets"}
COUNTERS = re.compile(r"\[\d+:\d+\]")
STAGED = {"ipsets": "ipsets.staged", "ipv4": "iptables.v4.staged", "ipv6": "iptables.v6.staged"}
DEFAULT_PREFIX = "cfw"
OURS = "collab.firewall"


def set_names(ipsets_text):
    """The live names an ``ipset restore`` text leaves behind: the targets of its swaps, else what it creates."""
    text = ipsets_text or ""
    swapped = re.findall(r"^swap \S+ (\S+)\s*$", text, re.M)
    if swapped:
        return swapped
    return re.findall(r"^create (\S+) ", text, re.M)


def stale_sets(live_names, wanted, prefix=DEFAULT_PREFIX):
    """Sets named like ours (PREFIX4-hash, PREFIX6-hash) that the rules no longer use."""
    pattern = re.compile(r"^%s[46]-[0-9a-f]+$" % re.escape(prefix))
    return sorted(n for n in live_names if pattern.match(n) and n not in wanted)


class Iptables(Backend):
    name = "iptables"
    STAGED = tuple(STAGED.values())

    @classmethod
    def available(cls, runner):
        return which("iptables-restore") is not None

    def persistent(self, key):
        return (self.options.get("persistent") or PERSISTENT)[key]

    @property
    def prefix(self):
        return self.options.get("ipset_prefix") or DEFAULT_PREFIX

    def staged(self, rulesets):
        """With ipsets when they were rendered and the node has ``ipset``; the plain ruleset otherwise."""
        with_sets = rulesets.get("iptables_ipset")
        if isinstance(with_sets, dict) and with_sets.get("ipsets") and which("ipset"):
            if with_sets.get("prefix"):
                self.options["ipset_prefix"] = with_sets["prefix"]
            return [(STAGED["ipsets"], with_sets["ipsets"]), (STAGED["ipv4"], with_sets["ipv4"]),
                    (STAGED["ipv6"], with_sets["ipv6"])]
        ipt = rulesets.get("iptables")
        if not isinstance(ipt, dict) or not all(isinstance(ipt.get(k), str) for k in ("ipv4", "ipv6")):
            raise BackendError("Stage the iptables rulesets", "no iptables ruleset was rendered")
        return [(STAGED["ipv4"], ipt["ipv4"]), (STAGED["ipv6"], ipt["ipv6"])]

    @staticmethod
    def _split(paths):
        """{"ipsets": path or None, "ipv4": path, "ipv6": path} from the staged paths."""
        found = {"ipsets": None}
        for path in paths:
            for key, name in STAGED.items():
                if os.path.basename(path) == name:
                    found[key] = path
        return found

    def validate(self, paths):
        files = self._split(paths)
        step = "Stage the iptables rulesets"
        if files["ipsets"]:
            # the whole load (sets, then rules) in a fresh network namespace: ipsets are per namespace, so
            # nothing live is touched and the rules are checked against the sets they name
            script = ('ipset restore -file "$1" || { echo "ipset restore failed" >&2; exit 3; }; '
                      'iptables-restore --test "$2" || exit 4; ip6tables-restore --test "$3" || exit 6')
            rc, out, err = self.run(["unshare", "-n", "sh", "-c", script, "validate", files["ipsets"],
                                     files["ipv4"], files["ipv6"]])
            if rc != 0:
                what = {3: "the ipsets (ipset restore)", 4: "the candidate (iptables-restore --test)",
                        6: "the candidate (ip6tables-restore --test)"}.get(rc, "the candidate (unshare -n)")
                raise BackendError(step, "%s failed to validate: %s" % (what, (err or out).strip()))
            return
        for key, tool in (("ipv4", "iptables-restore"), ("ipv6", "ip6tables-restore")):
            rc, out, err = self.run([tool, "--test", files[key]])
            if rc != 0:
                raise BackendError(step, "the candidate failed to validate (%s --test): %s"
                                   % (tool, (err or out).strip()))

    def _staged_sets(self):
        return set_names(read(self.path(STAGED["ipsets"])))

    def digest(self):
        parts = []
        for tool in ("iptables-save", "ip6tables-save"):
            _rc, out, _err = self.run([tool, "-t", "filter"])
            # counters change all the time; the digest covers the rules only
            parts.append("\n".join(COUNTERS.sub("", line) for line in out.splitlines() if not line.startswith("#")))
        if which("ipset"):
            for name in self._staged_sets():
                _rc, out, _err = self.run(["ipset", "list", name])
                # members in a stable order; the header's counters (references, memory) are left out
                members = out.split("Members:", 1)[-1] if "Members:" in out else out
                parts.append(name + ":" + ",".join(sorted(members.split())))
        return "\n".join(parts)

    def persisted(self, paths):
        files = self._split(paths)
        if not files["ipsets"] and OURS in (read(self.persistent("ipsets"), "") or ""):
            return False
        return all(read(self.persistent(key)) == read(path) for key, path in files.items() if path)

    def snapshot(self):
        self.fresh_previous()
        write(self.previous("live.v4"), self.must("Save the current ruleset", ["iptables-save", "-t", "filter"]))
        write(self.previous("live.v6"), self.must("Save the current ruleset", ["ip6tables-save", "-t", "filter"]))
        for key, name in (("ipv4", "persistent.v4"), ("ipv6", "persistent.v6"), ("ipsets", "persistent.ipsets")):
            if os.path.exists(self.persistent(key)):
                shutil.copy2(self.persistent(key), self.previous(name))
        if which("ipset"):
            before = self.run(["ipset", "list", "-n"])[1].split()
            # sets this run adds; the rollback destroys them once the earlier rules no longer use them
            added = [n for n in self._staged_sets() if n not in before]
            write(self.previous("new.ipsets"), "".join(n + "\n" for n in added))

    def activate(self, paths):
        files = self._split(paths)
        if files["ipsets"]:
            # builds each set under a temporary name and swaps it in: a live set changes in one step
            self.must("Activate the ipsets", ["ipset", "restore", "-file", files["ipsets"]])
        self.must("Activate the iptables ruleset", ["iptables-restore", files["ipv4"]])
        self.must("Activate the iptables ruleset", ["ip6tables-restore", files["ipv6"]])
        self.persist(paths)

    def cleanup(self):
        """Destroy our sets that the just activated rules no longer use, once the controller confirmed."""
        if not which("ipset"):
            return []
        stale = stale_sets(self.run(["ipset", "list", "-n"])[1].split(), self._staged_sets(), self.prefix)
        return ["ipset destroy %s" % name for name in stale]

    def persist(self, paths):
        files = self._split(paths)
        for key, path in files.items():
            if path:
                write(self.persistent(key), read(path), 0o644)
        if not files["ipsets"] and OURS in (read(self.persistent("ipsets"), "") or ""):
            os.unlink(self.persistent("ipsets"))

    def rollback_script(self):
        folder = os.path.dirname(self.persistent("ipv4"))
        return "\n".join([
            "iptables-restore < %s" % self.previous("live.v4"),
            "ip6tables-restore < %s" % self.previous("live.v6"),
            # the sets of this run, once the earlier rules (which never used them) are back
            "if [ -s %s ]; then while read -r s; do ipset destroy \"$s\" 2>/dev/null; done < %s; fi" % (
                self.previous("new.ipsets"), self.previous("new.ipsets")),
            "for f in v4 v6 ipsets; do case $f in v4|v6) dest=%s/rules.$f;; *) dest=%s;; esac;" % (
                folder, self.persistent("ipsets")),
            "  if [ -f %s.$f ]; then cp %s.$f $dest; else rm -f $dest; fi; done" % (
                self.previous("persistent"), self.previous("persistent")),
        ])
