# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""iptables backend: the whole ``filter`` table of both families (iptables-restore commits it atomically).

With ipsets (the renderer's ``ipsets`` text, ``ipset restore`` syntax), the sets are loaded under temporary
names, swapped with the live ones in one ``ipset swap`` each and the temporary ones destroyed, so a rule never
sees a half-filled set; plain iptables (no ``ipsets`` key) needs no ipset tool.
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
CREATE = re.compile(r"^create (\S+) ", re.M)
TEMP_SUFFIX = "-n"  # 31 characters is the kernel limit; the renderer keeps names within 29


def set_names(ipsets_text):
    """Names of the sets an ``ipset restore`` text creates, in order."""
    return CREATE.findall(ipsets_text or "")


def temporary(ipsets_text):
    """The same restore text with every set under its temporary name (NAME + TEMP_SUFFIX)."""
    text = ipsets_text
    for name in set_names(ipsets_text):
        text = re.sub(r"^(create|add) %s " % re.escape(name), r"\g<1> %s%s " % (name, TEMP_SUFFIX), text, flags=re.M)
    return text


def temporary_rules(rules_text, names):
    """iptables-restore text with every ``--match-set NAME`` pointing at the temporary set."""
    for name in names:
        rules_text = re.sub(r"(--match-set )%s(?= )" % re.escape(name), r"\g<1>%s%s" % (name, TEMP_SUFFIX), rules_text)
    return rules_text


class Iptables(Backend):
    name = "iptables"

    @classmethod
    def available(cls, runner):
        return which("iptables-restore") is not None

    def persistent(self, key):
        return (self.options.get("persistent") or PERSISTENT)[key]

    def staged(self, rulesets):
        ipt = rulesets.get("iptables")
        if not isinstance(ipt, dict) or not all(isinstance(ipt.get(k), str) for k in ("ipv4", "ipv6")):
            raise BackendError("Stage the iptables rulesets", "no iptables ruleset was rendered")
        files = []
        if ipt.get("ipsets"):
            files.append(("ipsets.staged", ipt["ipsets"]))
        return files + [("iptables.v4.staged", ipt["ipv4"]), ("iptables.v6.staged", ipt["ipv6"])]

    @staticmethod
    def _split(paths):
        """{"ipsets": path or None, "ipv4": path, "ipv6": path} from the staged paths."""
        found = {"ipsets": None}
        for path in paths:
            base = os.path.basename(path)
            key = "ipsets" if base.startswith("ipsets") else "ipv4" if ".v4" in base else "ipv6"
            found[key] = path
        return found

    def _load_temporary_sets(self, step, path):
        """Create the sets under their temporary names (the live ones stay untouched)."""
        text = read(path)
        self._destroy_temporary(text)
        self.must(step, ["ipset", "restore", "-exist"], temporary(text))
        return text

    def _destroy_temporary(self, text):
        for name in set_names(text):
            self.run(["ipset", "destroy", name + TEMP_SUFFIX])

    def validate(self, paths):
        files = self._split(paths)
        step = "Stage the iptables rulesets"
        names = []
        if files["ipsets"]:
            if which("ipset") is None:
                raise BackendError(step, "the ruleset uses ipsets and `ipset` is missing")
            names = set_names(read(files["ipsets"]))
        try:
            if names:
                # the sets under their temporary names, which the rules are checked against: nothing live changes
                try:
                    self._load_temporary_sets(step, files["ipsets"])
                except BackendError as exc:
                    raise BackendError(step, "the ipsets failed to validate (ipset restore): %s" % exc)
            for key, tool in (("ipv4", "iptables-restore"), ("ipv6", "ip6tables-restore")):
                rc, out, err = self.run([tool, "--test"], temporary_rules(read(files[key]), names))
                if rc != 0:
                    raise BackendError(step, "the candidate failed to validate (%s --test): %s"
                                       % (tool, (err or out).strip()))
        finally:
            if names:
                self._destroy_temporary(read(files["ipsets"]))

    def digest(self):
        parts = []
        for tool in ("iptables-save", "ip6tables-save"):
            _rc, out, _err = self.run([tool, "-t", "filter"])
            # counters change all the time; the digest covers the rules only
            parts.append("\n".join(COUNTERS.sub("", line) for line in out.splitlines() if not line.startswith("#")))
        staged = read(self.path("ipsets.staged"))
        if staged and which("ipset"):
            for name in set_names(staged):
                _rc, out, _err = self.run(["ipset", "save", name])
                parts.append(out)
        return "\n".join(parts)

    def persisted(self, paths):
        files = self._split(paths)
        return all(read(self.persistent(key)) == read(path) for key, path in files.items() if path)

    def snapshot(self):
        self.fresh_previous()
        write(self.previous("live.v4"), self.must("Save the current ruleset", ["iptables-save", "-t", "filter"]))
        write(self.previous("live.v6"), self.must("Save the current ruleset", ["ip6tables-save", "-t", "filter"]))
        for key, name in (("ipv4", "persistent.v4"), ("ipv6", "persistent.v6"), ("ipsets", "persistent.ipsets")):
            if os.path.exists(self.persistent(key)):
                shutil.copy2(self.persistent(key), self.previous(name))
        staged = read(self.path("ipsets.staged"))
        if staged and which("ipset"):
            # sets that exist now come back by content (through a swap); sets this run adds go away
            saved = {name: self.run(["ipset", "save", name]) for name in set_names(staged)}
            live = "".join(out for rc, out, _err in saved.values() if rc == 0)
            write(self.previous("live.ipsets"), temporary(live))
            write(self.previous("new.ipsets"), "".join(n + "\n" for n, (rc, _o, _e) in sorted(saved.items()) if rc))

    def activate(self, paths):
        files = self._split(paths)
        if files["ipsets"]:
            step = "Activate the ipsets"
            text = self._load_temporary_sets(step, files["ipsets"])
            for name in set_names(text):
                # a new set is created empty first so that every set is swapped the same way
                self.run(["ipset", "create", name] + self._create_args(text, name))
                self.must(step, ["ipset", "swap", name + TEMP_SUFFIX, name])
            self._destroy_temporary(text)
        self.must("Activate the iptables ruleset", ["iptables-restore", files["ipv4"]])
        self.must("Activate the iptables ruleset", ["ip6tables-restore", files["ipv6"]])
        self.persist(paths)

    @staticmethod
    def _create_args(text, name):
        match = re.search(r"^create %s (.*)$" % re.escape(name), text, re.M)
        return match.group(1).split() if match else []

    def persist(self, paths):
        for key, path in self._split(paths).items():
            if path:
                write(self.persistent(key), read(path), 0o644)

    def rollback_script(self):
        folder = os.path.dirname(self.persistent("ipv4"))
        return "\n".join([
            "iptables-restore < %s" % self.previous("live.v4"),
            "ip6tables-restore < %s" % self.previous("live.v6"),
            # after the rules that used them are gone: sets of this run are destroyed, earlier ones swapped back
            "if [ -f %s ]; then while read -r s; do ipset destroy \"$s\" 2>/dev/null; done < %s; fi" % (
                self.previous("new.ipsets"), self.previous("new.ipsets")),
            "if [ -s %s ]; then ipset restore -exist < %s && for s in $(sed -n 's/^create \\(\\S*\\)%s .*/\\1/p' %s);"
            " do ipset swap \"$s%s\" \"$s\"; ipset destroy \"$s%s\"; done; fi" % (
                self.previous("live.ipsets"), self.previous("live.ipsets"), TEMP_SUFFIX, self.previous("live.ipsets"),
                TEMP_SUFFIX, TEMP_SUFFIX),
            "for f in v4 v6 ipsets; do case $f in v4|v6) dest=%s/rules.$f;; *) dest=%s;; esac;" % (
                folder, self.persistent("ipsets")),
            "  if [ -f %s.$f ]; then cp %s.$f $dest; else rm -f $dest; fi; done" % (
                self.previous("persistent"), self.previous("persistent")),
        ])
