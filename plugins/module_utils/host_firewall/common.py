# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every host firewall backend shares on the managed node: the contract, the state files, commit-confirm.

A backend is a small class with the same operations for nftables, iptables and firewalld:

    staged(rulesets)      -> [(file name, text)]   the files that hold the whole ruleset, in load order
    validate(paths)       -> None or BackendError  the tool's own validator, on the candidate files
    digest()              -> text                  the live ruleset this role owns (what drift compares)
    persisted(paths)      -> bool                  the boot-time copies match the staged files
    snapshot()            -> None                  save what is live now, for the rollback script
    activate(paths)       -> None                  load the ruleset in one transaction and persist it
    persist(paths)        -> None                  only rewrite the boot-time copies
    rollback_script()     -> shell text            restore the snapshot (run by the node's own timer)
    cleanup()             -> [shell command]       what the confirmation removes (sets no rule uses any more)

The module host_ruleset_node drives them (converge.py); nothing here knows about Ansible. Commit-confirm: arm()
starts the node's own rollback timer; the controller confirms with confirm_command() over a new connection.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import os
import shutil
import subprocess

STATE_DIR = "/var/lib/collab-firewall"


class BackendError(Exception):
    """A step failed on the node; ``step`` names it in the message the controller shows."""

    def __init__(self, step, message):
        super(BackendError, self).__init__("%s: %s" % (step, message))
        self.step = step


def run(argv, data=None):
    """(rc, stdout, stderr) of a command; ``data`` goes to stdin. Never raises for a non-zero exit."""
    try:
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as exc:
        return 127, "", str(exc)
    out, err = proc.communicate(data.encode("utf-8") if data is not None else None)
    return proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def which(name, path=("/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin")):
    for folder in path:
        candidate = os.path.join(folder, name)
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def sha256(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read(path, default=None):
    try:
        with open(path) as handle:
            return handle.read()
    except (IOError, OSError):
        return default


def write(path, text, mode=0o600):
    """Write through a temporary file and rename, so a reader never sees half a file."""
    folder = os.path.dirname(path)
    if folder and not os.path.isdir(folder):
        os.makedirs(folder, 0o755)
    tmp = path + ".tmp"
    with open(tmp, "w") as handle:
        handle.write(text)
    os.chmod(tmp, mode)
    os.rename(tmp, path)


class Backend(object):
    """Base class: the state folder, the runner and the helpers the three backends share."""

    name = None
    STAGED = ()  # every file name staged() may use, so that ones a new ruleset no longer needs are removed

    def __init__(self, state_dir=STATE_DIR, runner=run, **options):
        self.state_dir = state_dir
        self.run = runner
        self.options = options

    # ---- helpers
    def path(self, name):
        return os.path.join(self.state_dir, name)

    def previous(self, name=""):
        return os.path.join(self.state_dir, "previous", name)

    def must(self, step, argv, data=None):
        """Run a command that has to succeed; its stderr is the error message."""
        rc, out, err = self.run(argv, data)
        if rc != 0:
            raise BackendError(step, "%s failed (rc=%d): %s" % (" ".join(argv), rc, (err or out).strip()))
        return out

    def fresh_previous(self):
        shutil.rmtree(self.previous(), ignore_errors=True)
        os.makedirs(self.previous(), 0o700)

    @staticmethod
    def same_file(path, text):
        return read(path) == text

    # ---- the contract
    @classmethod
    def available(cls, runner):
        raise NotImplementedError

    def staged(self, rulesets):
        raise NotImplementedError

    def validate(self, paths):
        raise NotImplementedError

    def digest(self):
        raise NotImplementedError

    def persisted(self, paths):
        raise NotImplementedError

    def snapshot(self):
        raise NotImplementedError

    def activate(self, paths):
        raise NotImplementedError

    def persist(self, paths):
        raise NotImplementedError

    def rollback_script(self):
        raise NotImplementedError

    def cleanup(self):
        """Shell commands that remove what the new (just activated) ruleset no longer uses, run by the
        confirmation only (the rollback may still need it); none by default."""
        return []


# ---------------------------------------------------------------- commit-confirm

ARM_SCRIPT = (
    'sleep %(seconds)d; cd %(state_dir)s || exit 0; '
    'if [ "$(cat armed 2>/dev/null)" = "%(token)s" ]; then '
    'sh ./rollback.sh > rollback.log 2>&1; rm -f armed; echo %(token)s > rolled-back; fi')


def arm(state_dir, token, seconds, script, spawn=None):
    """Write the rollback script and start the node's own timer, detached from this SSH session.

    The timer restores the snapshot after ``seconds`` unless :func:`disarm` removed the token first.
    """
    write(os.path.join(state_dir, "rollback.sh"), "#!/bin/sh\n" + script + "\n", 0o700)
    for stale in ("rolled-back",):
        if os.path.exists(os.path.join(state_dir, stale)):
            os.unlink(os.path.join(state_dir, stale))
    write(os.path.join(state_dir, "armed"), token + "\n")
    argv = ["sh", "-c", ARM_SCRIPT % {"seconds": int(seconds), "state_dir": state_dir, "token": token}]
    if spawn is not None:
        return spawn(argv)
    devnull = open(os.devnull, "r+")
    # a new session: the SSH session ending (or being cut by the new ruleset) does not stop the timer
    subprocess.Popen(argv, stdin=devnull, stdout=devnull, stderr=devnull, close_fds=True, start_new_session=True)
    devnull.close()
    return None


# Run over a NEW SSH connection as a plain shell command (no module start-up): disarm our rollback, then make
# what apply recorded right after the activation the reference for the next drift check, then clean up.
CONFIRM_SCRIPT = """cd %(state_dir)s || exit 2
if [ "$(cat armed 2>/dev/null)" != "%(token)s" ]; then
  if [ "$(cat rolled-back 2>/dev/null)" = "%(token)s" ]; then
    echo "the rollback already fired; the node restored its previous ruleset"
  else
    echo "the rollback is not armed by this run (found $(cat armed 2>/dev/null))"
  fi
  exit 3
fi
rm -f armed
b=$(cat pending.backend)
mv -f pending.digest "$b.digest" && mv -f pending.applied "$b.applied" && rm -f pending.backend || exit 4
if [ -f pending.cleanup ]; then sh pending.cleanup >/dev/null 2>&1; rm -f pending.cleanup; fi
echo "confirmed $b"
"""


def confirm_command(state_dir, token):
    """The shell text that confirms one activation (see CONFIRM_SCRIPT); exit 0 and ``confirmed BACKEND``."""
    return (CONFIRM_SCRIPT % {"state_dir": state_dir, "token": token}).strip()


def pending(state_dir, backend, texts, live, cleanup=()):
    """What confirm makes current: the live ruleset's digest and the activated files, recorded right after the
    activation, and the shell commands that remove what the new ruleset no longer uses."""
    write(os.path.join(state_dir, "pending.backend"), backend + "\n")
    write(os.path.join(state_dir, "pending.digest"), sha256(live) + "\n")
    write(os.path.join(state_dir, "pending.applied"), "".join(texts))
    cleanup_path = os.path.join(state_dir, "pending.cleanup")
    if cleanup:
        write(cleanup_path, "".join(line + "\n" for line in cleanup))
    elif os.path.exists(cleanup_path):
        os.unlink(cleanup_path)


def disarm(state_dir, token, runner=run):
    """Confirm through the same shell text the controller runs; fails when the timer already fired (the node
    rolled back) or another run armed."""
    rc, out, err = runner(["sh", "-c", confirm_command(state_dir, token)])
    if rc != 0:
        raise BackendError("confirm", (out or err).strip() or "exit %d" % rc)
    return out.strip().split()[-1]
