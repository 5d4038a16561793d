# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""firewalld backend: the role owns one zone and the ipsets named after it, staged as one bundle file.

The bundle holds the zone and its ipsets, each under a header line ``### zones/NAME.xml`` or
``### ipsets/NAME.xml``: one file, one validation by firewalld's own readers, one diff.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import os
import re
import shutil
import tarfile
import tempfile

from ansible_collections.collab.firewall.plugins.module_utils.host_firewall.common import (
    Backend,
    BackendError,
    read,
    which,
    write,
)

ETC = "/etc/firewalld"
HEADER = re.compile(r"^### (zones|ipsets)/([A-Za-z0-9_.-]+\.xml)$")
PROC = "/proc"
# firewalld's readers log and ignore what they cannot use; that is fatal here, except a duplicate rule
BENIGN = re.compile(r"' already set, ignoring\.?$")
INTERFACE_NAME = re.compile(r"^[A-Za-z0-9_.@-]{1,15}$")


def bundle(rendered):
    """The bundle text of a rendered zone ({"zone", "zone_xml", "ipsets"})."""
    parts = ["### zones/%s.xml\n%s" % (rendered["zone"], rendered["zone_xml"])]
    for name in sorted(rendered.get("ipsets") or {}):
        parts.append("### ipsets/%s.xml\n%s" % (name, rendered["ipsets"][name]))
    return "".join(part if part.endswith("\n") else part + "\n" for part in parts)


def parts(text):
    """[(kind, file name, xml)] in bundle order; the first part is the zone."""
    found, current = [], None
    for line in text.splitlines(True):
        match = HEADER.match(line.rstrip("\n"))
        if match:
            current = [match.group(1), match.group(2), ""]
            found.append(current)
        elif current is not None:
            current[2] += line
    if not found or found[0][0] != "zones":
        raise BackendError("Stage the firewalld zone", "the bundle does not start with a zone")
    return [tuple(p) for p in found]


def bind_interfaces(zone_xml, names):
    """The zone bound to ``names`` (inserted after its description) unless it already names an interface."""
    if "<interface " in zone_xml or not names:
        return zone_xml
    for name in names:
        if not INTERFACE_NAME.match(name):
            raise BackendError("Stage the firewalld zone", "invalid interface name %r" % (name,))
    lines = "".join('  <interface name="%s"/>\n' % name for name in names)
    marker = "</description>\n"
    if marker not in zone_xml:
        raise BackendError("Stage the firewalld zone", "the zone has no description to bind interfaces after")
    return zone_xml.replace(marker, marker + lines, 1)


def interface_of(address, runner):
    """The interface that holds ``address`` (``ip -o addr show``), or None."""
    _rc, out, _err = runner(["ip", "-o", "addr", "show"])
    for line in out.splitlines():
        fields = line.split()
        if len(fields) > 3 and fields[3].split("/")[0] == address:
            return fields[1].split("@")[0]
    return None


def daemon_running(proc):
    """Whether a process runs the firewalld daemon (argv[0] or, under an interpreter, argv[1])."""
    try:
        pids = [p for p in os.listdir(proc) if p.isdigit()]
    except OSError:
        return False
    for pid in pids:
        try:
            with open(os.path.join(proc, pid, "cmdline"), "rb") as handle:
                argv = handle.read().split(b"\0")
        except (IOError, OSError):
            continue
        if any(os.path.basename(arg) == b"firewalld" for arg in argv[:2]):
            return True
    return False


def check_with_firewalld_readers(folder, part_list):
    """Load every part with firewalld's own readers; a warning it would only log is an error here."""
    try:
        from firewall.core import logger
        from firewall.core.io.ipset import ipset_reader
        from firewall.core.io.zone import zone_reader
    except ImportError as exc:
        raise BackendError("Stage the firewalld zone", "firewalld's Python modules are not importable by the "
                           "module's interpreter (%s); set ansible_python_interpreter to firewalld's Python" % exc)

    def fatal(fmt, *args, **_kwargs):
        text = fmt % args if args else fmt
        if BENIGN.search(text):
            return  # a rule that is in the zone twice: firewalld keeps one, nothing is lost or opened
        raise BackendError("Stage the firewalld zone", "the candidate failed to validate (firewalld): %s" % text)

    saved = (logger.log.warning, logger.log.error)
    logger.log.warning = logger.log.error = fatal
    try:
        for kind in ("ipsets", "zones"):
            os.makedirs(os.path.join(folder, kind))
        for kind, name, xml in part_list:
            with open(os.path.join(folder, kind, name), "w") as handle:
                handle.write(xml)
        for kind, name, _xml in part_list:
            try:
                (zone_reader if kind == "zones" else ipset_reader)(name, os.path.join(folder, kind))
            except BackendError:
                raise
            except Exception as exc:  # firewalld raises its own FirewallError and XML parser errors
                fatal("%s: %s", name, exc)
    finally:
        logger.log.warning, logger.log.error = saved


class Firewalld(Backend):
    name = "firewalld"
    STAGED = ("firewalld.staged",)

    @classmethod
    def available(cls, runner):
        """firewall-cmd is installed and a firewalld daemon runs (a look at /proc; firewall-cmd --state costs a
        Python start-up and a D-Bus round trip, about 0.3 s, on every run)."""
        return which("firewall-cmd") is not None and daemon_running(PROC)

    @property
    def zone(self):
        return self.options.get("zone") or "collab-uc"

    @property
    def etc(self):
        return self.options.get("etc") or ETC

    def staged(self, rulesets):
        rendered = rulesets.get("firewalld")
        if not isinstance(rendered, dict) or not isinstance(rendered.get("zone_xml"), str):
            raise BackendError("Stage the firewalld zone", "no firewalld zone was rendered")
        if rendered.get("zone") != self.zone:
            raise BackendError("Stage the firewalld zone", "the rendered zone is %r, not %r"
                               % (rendered.get("zone"), self.zone))
        names = self.options.get("interfaces") or []
        if not names and "<interface " not in rendered["zone_xml"]:
            found = interface_of(self.options.get("address") or "", self.run)
            if not found:
                raise BackendError("Stage the firewalld zone", "no interface holds the address %r; set "
                                   "host_firewall_firewalld_interfaces" % (self.options.get("address"),))
            names = [found]
        rendered = dict(rendered, zone_xml=bind_interfaces(rendered["zone_xml"], names))
        return [("firewalld.staged", bundle(rendered))]

    def validate(self, paths):
        folder = tempfile.mkdtemp(prefix="collab-firewalld-")
        try:
            check_with_firewalld_readers(folder, parts(read(paths[0])))
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def digest(self):
        conf = read(os.path.join(self.etc, "firewalld.conf"), "") or ""
        if re.search(r"^FirewallBackend=nftables", conf, re.M) and which("nft"):
            rc, out, _err = self.run(["nft", "list", "table", "inet", "firewalld"])
            if rc == 0:
                # firewalld's table holds its whole runtime state; ours are the chains and sets named after
                # the zone and the rules that jump to them (other zones stay out of the digest)
                kept, keep = [], False
                for line in out.splitlines():
                    if re.match(r"^\t(chain|set) ", line):
                        keep = self.zone in line
                    if keep or self.zone in line:
                        kept.append(line)
                return "\n".join(kept)
        texts = [self.run(["firewall-cmd", "--zone=" + self.zone, "--list-all"])[1],
                 self.run(["firewall-cmd", "--get-active-zones"])[1]]
        for name in self._ipset_names():
            texts.append(self.run(["firewall-cmd", "--info-ipset=" + name])[1])
        return "\n".join(texts)

    def _ipset_names(self):
        staged = read(self.path("firewalld.staged"))
        return [name[:-4] for kind, name, _xml in parts(staged) if kind == "ipsets"] if staged else []

    def _targets(self, paths):
        """{path under /etc/firewalld: xml} of the staged bundle."""
        return {os.path.join(self.etc, kind, name): xml for kind, name, xml in parts(read(paths[0]))}

    def _stale(self, targets):
        return [p for p in glob.glob(os.path.join(self.etc, "ipsets", self.zone + "-*.xml")) if p not in targets]

    def persisted(self, paths):
        targets = self._targets(paths)
        return all(read(path) == xml for path, xml in targets.items()) and not self._stale(targets)

    def snapshot(self):
        self.fresh_previous()
        with tarfile.open(self.previous("etc-firewalld.tar"), "w") as tar:
            tar.add(self.etc, arcname=".")

    def activate(self, paths):
        self.persist(paths)
        # firewalld reloads its permanent configuration in one step
        self.must("Activate the firewalld zone", ["firewall-cmd", "--reload"])

    def persist(self, paths):
        targets = self._targets(paths)
        for path in self._stale(targets):
            os.unlink(path)
        for path, xml in sorted(targets.items()):
            write(path, xml, 0o644)

    def rollback_script(self):
        return "\n".join([
            "rm -f %s/ipsets/%s-*.xml %s/zones/%s.xml" % (self.etc, self.zone, self.etc, self.zone),
            "tar -C %s -xf %s" % (self.etc, self.previous("etc-firewalld.tar")),
            "firewall-cmd --reload",
        ])
