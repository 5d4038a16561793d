# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""nftables backend: the role owns one ``inet`` table; other tables keep working."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import shutil

from ansible_collections.collab.firewall.plugins.module_utils.host_firewall.common import (
    Backend,
    BackendError,
    read,
    which,
    write,
)

PERSISTENT = "/etc/nftables.d/collab-uc.nft"
MAIN_CONF = "/etc/nftables.conf"


class Nftables(Backend):
    name = "nftables"
    STAGED = ("nftables.staged",)

    @classmethod
    def available(cls, runner):
        return which("nft") is not None

    @property
    def table(self):
        return self.options.get("table") or "collab_uc"

    @property
    def persistent(self):
        return self.options.get("persistent") or PERSISTENT

    @property
    def main_conf(self):
        return self.options.get("main_conf") or MAIN_CONF

    def staged(self, rulesets):
        if not isinstance(rulesets.get("nftables"), str):
            raise BackendError("Stage the nftables ruleset", "no nftables ruleset was rendered")
        return [("nftables.staged", rulesets["nftables"])]

    def validate(self, paths):
        for path in paths:
            rc, out, err = self.run(["nft", "-c", "-f", path])
            if rc != 0:
                raise BackendError("Stage the nftables ruleset",
                                   "the candidate failed to validate (nft -c -f): %s" % (err or out).strip())

    def digest(self):
        rc, out, _err = self.run(["nft", "list", "table", "inet", self.table])
        return out if rc == 0 else ""

    def _include(self):
        return 'include "%s"' % self.persistent

    def persisted(self, paths):
        conf = read(self.main_conf, "") or ""
        return (read(self.persistent) == read(paths[0])
                and self._include() in conf.splitlines())

    def snapshot(self):
        self.fresh_previous()
        write(self.previous("live.nft"), self.digest())
        if os.path.exists(self.persistent):
            shutil.copy2(self.persistent, self.previous("persistent.nft"))

    def activate(self, paths):
        # the staged script deletes and recreates only this role's table, in one nft transaction
        self.must("Activate the nftables ruleset", ["nft", "-f", paths[0]])
        self.persist(paths)

    def persist(self, paths):
        write(self.persistent, read(paths[0]), 0o644)
        conf = read(self.main_conf)
        if conf is None:
            write(self.main_conf, "#!/usr/sbin/nft -f\n" + self._include() + "\n", 0o755)
        elif self._include() not in conf.splitlines():
            write(self.main_conf, conf + ("" if conf.endswith("\n") or not conf else "\n") + self._include() + "\n",
                  0o755)

    def rollback_script(self):
        return "\n".join([
            "nft delete table inet %s 2>/dev/null" % self.table,
            "if [ -s %s ]; then nft -f %s; fi" % (self.previous("live.nft"), self.previous("live.nft")),
            "if [ -f %s ]; then cp %s %s; else rm -f %s; fi" % (
                self.previous("persistent.nft"), self.previous("persistent.nft"), self.persistent, self.persistent),
        ])
