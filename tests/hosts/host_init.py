"""PID 1 of one netns test host (runs chrooted inside the host's rootfs).

Copied by netns_hosts.py to /usr/local/sbin/collab-fw-init in each host and started
as pid 1 of a fresh pid namespace.  Reads /etc/collab-fw/host.json, generates the SSH
host keys, starts sshd and, when asked, dbus-daemon --system + firewalld, then reaps
children until SIGTERM.  Logs go to /var/log/collab-fw/ inside the host.
Only the Python standard library (Debian python3) is used.
"""
import json
import os
import signal
import subprocess
import sys
import time

CONF = "/etc/collab-fw/host.json"
LOGDIR = "/var/log/collab-fw"
ENV = {
    "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "HOME": "/root",
    "LANG": "C.UTF-8",
    "TERM": "dumb",
}

children = {}  # pid -> name
stopping = False


def log(msg):
    sys.stderr.write("[collab-fw-init] %s %s\n" % (time.strftime("%H:%M:%S"), msg))
    sys.stderr.flush()


def spawn(name, argv):
    out = open(os.path.join(LOGDIR, name + ".log"), "ab")
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                            env=ENV, close_fds=True)
    out.close()
    children[proc.pid] = name
    log("started %s pid %d: %s" % (name, proc.pid, " ".join(argv)))
    return proc.pid


def run(argv):
    rc = subprocess.call(argv, env=ENV, stdin=subprocess.DEVNULL)
    if rc:
        log("command failed rc=%d: %s" % (rc, " ".join(argv)))
    return rc


def reap(block):
    """Reap any child (ours or adopted orphans); return False when there is none."""
    while True:
        try:
            pid, status = os.waitpid(-1, 0 if block else os.WNOHANG)
        except ChildProcessError:
            return False
        except InterruptedError:
            continue
        if pid == 0:
            return True
        name = children.pop(pid, None)
        if name and not stopping:
            log("%s (pid %d) exited with status %d" % (name, pid, status))
        if block:
            return True


def wait_for(path, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.path.exists(path):
            return True
        reap(False)
        time.sleep(0.05)
    return False


def on_term(signum, frame):
    global stopping
    stopping = True


def main():
    os.makedirs(LOGDIR, exist_ok=True)
    with open(CONF) as fh:
        conf = json.load(fh)
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)

    # per-host SSH host keys (never baked into the shared rootfs)
    for kind in ("ed25519", "ecdsa"):
        key = "/etc/ssh/ssh_host_%s_key" % kind
        if not os.path.exists(key):
            run(["ssh-keygen", "-q", "-t", kind, "-N", "", "-f", key])
    os.makedirs("/run/sshd", mode=0o755, exist_ok=True)
    spawn("sshd", ["/usr/sbin/sshd", "-D", "-e"])

    if conf.get("firewalld"):
        os.makedirs("/run/dbus", exist_ok=True)
        run(["dbus-uuidgen", "--ensure"])
        spawn("dbus", ["dbus-daemon", "--system", "--nofork", "--nopidfile"])
        if not wait_for("/run/dbus/system_bus_socket", 20):
            log("dbus system bus socket did not appear")
        spawn("firewalld", ["firewalld", "--nofork", "--nopid"])

    with open("/run/collab-fw-ready", "w") as fh:
        fh.write("%d\n" % os.getpid())

    while not stopping:
        if not reap(False):
            time.sleep(0.5)
        else:
            time.sleep(0.2)

    log("stopping")
    for pid in list(children):
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + 5
    while children and time.monotonic() < deadline:
        reap(False)
        time.sleep(0.1)
    # returning kills every remaining process of this pid namespace


if __name__ == "__main__":
    main()
