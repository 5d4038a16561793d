"""Network-namespace test hosts for collab.firewall (CLI and importable module).

Each test host is a network namespace plugged into a bridge of the root namespace by a
veth pair, with a per-host overlayfs over the cached Debian 12 rootfs (see rootfs.sh) and a
process tree started with ``unshare --mount --pid --uts --fork`` + chroot, running sshd
(and, on request, dbus-daemon --system + firewalld).  The controller reaches each host over
SSH at 198.18.X.(10+i) with a key generated under the cache dir.

CLI (as root)::

    python3 tests/hosts/netns_hosts.py up --name smoke --count 3 [--firewalld | --firewalld-on 1,3] [--inventory inv.yml]
    python3 tests/hosts/netns_hosts.py addsrc --name smoke --addr 198.18.5.10/24 [--addr fd00:198:18:5::10/64] [--src a]
    python3 tests/hosts/netns_hosts.py delsrc --name smoke --src a
    python3 tests/hosts/netns_hosts.py exec smoke-h1 -- nft list ruleset      # in the host's namespaces + chroot
    python3 tests/hosts/netns_hosts.py nsexec smoke-a -- ip -br addr           # in a plain network namespace
    python3 tests/hosts/netns_hosts.py inventory --name smoke --inventory inv.yml
    python3 tests/hosts/netns_hosts.py envname --prefix mnft                    # mnft<hash of this checkout>
    python3 tests/hosts/netns_hosts.py status [--json]
    python3 tests/hosts/netns_hosts.py down --name smoke | --all

Only the Python standard library is used, so it runs with the system python3 or a venv.
"""
import argparse
import fcntl
import hashlib
import ipaddress
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
ROOTFS_SH = HERE / "rootfs.sh"
HOST_INIT = HERE / "host_init.py"

NETNS_DIR = Path("/run/netns")
NS_PREFIX = "cfw-"
ENV_NAME_RE = re.compile(r"^[A-Za-z0-9_]{1,24}$")
LABEL_RE = re.compile(r"^[A-Za-z0-9_]{1,16}$")
HOST_LABEL_RE = re.compile(r"^h[0-9]+$")
MAX_HOSTS = 60
HOST_OFFSET = 10          # host i gets 198.18.X.(10+i)
# Addresses the harness may ever configure (benchmark / ULA ranges only).
ALLOWED_NETS = [ipaddress.ip_network("198.18.0.0/15"), ipaddress.ip_network("fd00::/8")]
SSH_OPTS = ["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
            "-o", "LogLevel=ERROR", "-o", "BatchMode=yes", "-o", "ConnectTimeout=5"]
CHROOT_ENV = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
              "HOME=/root", "LANG=C.UTF-8", "TERM=dumb"]

# Popen objects of host process trees started by this process (reaped by down()).
_CHILDREN = {}


class HarnessError(RuntimeError):
    """A clean, user-facing error of the netns harness."""


# --------------------------------------------------------------------------- paths

def cache_dir():
    """$COLLAB_FW_CACHE, else <checkout>/.cache/rootfs, else (a copy outside git, like the
    ansible_collections tree of tests/run.sh) ~/.cache/collab-fw/rootfs -- same rule as rootfs.sh."""
    if os.environ.get("COLLAB_FW_CACHE"):
        return Path(os.environ["COLLAB_FW_CACHE"])
    if (REPO / ".git").exists():
        return REPO / ".cache" / "rootfs"
    return Path(os.path.expanduser("~")) / ".cache" / "collab-fw" / "rootfs"


def envs_dir():
    return cache_dir() / "envs"


def env_dir(name):
    return envs_dir() / name


def state_path(name):
    return env_dir(name) / "state.json"


def ssh_key_path():
    return cache_dir() / "ssh" / "id_ed25519"


# --------------------------------------------------------------------------- helpers

def run(cmd, check=True, timeout=60, input=None, quiet=False):
    """Run a command, capture output; raise HarnessError with its stderr on failure."""
    try:
        res = subprocess.run(cmd, input=input, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise HarnessError("timed out after %ss: %s" % (timeout, " ".join(map(str, cmd))))
    except FileNotFoundError:
        raise HarnessError("command not found: %s" % cmd[0])
    if check and res.returncode != 0:
        raise HarnessError("command failed (rc=%d): %s\n%s" % (
            res.returncode, " ".join(map(str, cmd)), (res.stderr or res.stdout).strip()))
    if not quiet and os.environ.get("COLLAB_FW_DEBUG"):
        sys.stderr.write("+ %s\n" % " ".join(map(str, cmd)))
    return res


def _hash(name):
    return hashlib.sha1(name.encode()).hexdigest()[:6]


def checkout_env_name(prefix, checkout=None):
    """An env name unique to one checkout: PREFIX<6 hex of the sha1 of the checkout's real path>.

    Envs live machine-wide (namespaces, bridges, the cache's envs/), so two checkouts (or tree copies) on one
    machine must never pick the same name, or one's teardown removes the other's hosts. The Molecule scenarios
    compute the same name in Jinja (extensions/molecule/shared/vars.yml)."""
    path = os.path.realpath(str(checkout or REPO))
    name = prefix + _hash(path)   # no "_": the name is also part of each host's hostname
    if not ENV_NAME_RE.match(name):
        raise HarnessError("env prefix %r gives the invalid env name %r (letters, digits, _; at most 24)" % (
            prefix, name))
    return name


def names_for(name):
    h = _hash(name)
    return {"bridge": "cfb" + h, "veth_prefix": "cfv" + h, "src_veth_prefix": "cfs" + h}


def host_id(name, index):
    return "%s-h%d" % (name, index)


def netns_name(ident):
    return NS_PREFIX + ident


def check_root():
    if os.geteuid() != 0:
        raise HarnessError("netns test hosts need root (network namespaces, mounts, chroot)")


def netns_supported():
    """(ok, reason): can this kernel/process create network namespaces?"""
    if not os.path.exists("/proc/self/ns/net"):
        return False, "kernel has no network namespace support (/proc/self/ns/net missing)"
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        return False, "util-linux 'unshare' or iproute2 'ip' missing"
    res = subprocess.run(["unshare", "--net", "--pid", "--mount", "--fork", "true"],
                         capture_output=True, text=True, check=False)
    if res.returncode != 0:
        return False, "cannot create net/pid/mount namespaces: %s" % res.stderr.strip()
    return True, ""


def _lock(name, prefix=".lock-"):
    """Exclusive lock for one env (prefix .lock-) or for subnet allocation (prefix .alloc)."""
    envs_dir().mkdir(parents=True, exist_ok=True)
    fh = open(envs_dir() / (prefix + name), "w")  # pylint: disable=consider-using-with
    fcntl.flock(fh, fcntl.LOCK_EX)
    return fh


def load_state(name):
    try:
        with open(state_path(name)) as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return None


def save_state(state):
    p = state_path(state["name"])
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_suffix(".tmp")
    with open(tmp, "w") as fh:
        json.dump(state, fh, indent=2, sort_keys=True)
    os.replace(tmp, p)


def list_netns():
    try:
        return sorted(os.listdir(NETNS_DIR))
    except FileNotFoundError:
        return []


def list_links():
    res = run(["ip", "-o", "link", "show"], check=False, quiet=True)
    out = []
    for line in res.stdout.splitlines():
        parts = line.split(":", 2)
        if len(parts) >= 2:
            out.append(parts[1].strip().split("@")[0])
    return out


def mounts_under(path):
    """Mount points at or below path, deepest first."""
    path = os.path.realpath(str(path))
    found = []
    with open("/proc/self/mountinfo") as fh:
        for line in fh:
            mp = line.split()[4].encode().decode("unicode_escape")
            if mp == path or mp.startswith(path + "/"):
                found.append(mp)
    return sorted(set(found), key=lambda m: (-m.count("/"), m))


def _validate_addr(text):
    try:
        iface = ipaddress.ip_interface(text)
    except ValueError:
        raise HarnessError("not an address with prefix: %r" % text)
    if not any(iface.ip in net for net in ALLOWED_NETS if net.version == iface.version):
        raise HarnessError("%s is outside the test ranges the harness may use (%s)" % (
            text, ", ".join(map(str, ALLOWED_NETS))))
    # never shadow a network this machine really uses (eth0 etc.)
    for net in _root_routes(exclude_harness=True):
        if net.version == iface.version and net.prefixlen > 0 and net.overlaps(iface.network):
            raise HarnessError("%s overlaps %s, which this machine already routes" % (text, net))
    return iface


def _root_routes(exclude_harness):
    nets = []
    for fam in ("-4", "-6"):
        res = run(["ip", fam, "-o", "route", "show", "table", "all"], check=False, quiet=True)
        for line in res.stdout.splitlines():
            words = line.split()
            if not words or words[0] in ("default", "local", "broadcast", "multicast", "anycast",
                                         "unreachable", "prohibit", "blackhole"):
                continue
            dev = words[words.index("dev") + 1] if "dev" in words else ""
            if exclude_harness and dev.startswith(("cfb", "cfv", "cfs")):
                continue
            if dev == "lo":
                continue
            try:
                nets.append(ipaddress.ip_network(words[0], strict=False))
            except ValueError:
                pass
    return nets


# --------------------------------------------------------------------------- rootfs / keys

def ensure_rootfs(timeout=3600):
    """Build/extract the cached rootfs if needed; return the extracted directory."""
    env = dict(os.environ, COLLAB_FW_CACHE=str(cache_dir()))
    try:
        res = subprocess.run(["bash", str(ROOTFS_SH), "ensure"], stdout=subprocess.PIPE,
                             stderr=None, text=True, timeout=timeout, env=env, check=False)
    except subprocess.TimeoutExpired:
        raise HarnessError("rootfs build timed out after %ss" % timeout)
    if res.returncode != 0:
        raise HarnessError("rootfs.sh failed (rc=%d), see its messages above" % res.returncode)
    path = Path(res.stdout.strip().splitlines()[-1])
    if not (path / "usr/sbin/sshd").exists():
        raise HarnessError("rootfs %s has no sshd" % path)
    return path


def ensure_ssh_key():
    key = ssh_key_path()
    if key.exists() and key.with_suffix(".pub").exists():
        return key
    key.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(key.parent, 0o700)
    tmp = key.parent / ("tmp-%d" % os.getpid())
    for p in (tmp, tmp.with_suffix(".pub")):
        if p.exists():
            p.unlink()
    run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "collab-fw-netns-harness", "-f", str(tmp)])
    os.replace(tmp.with_suffix(".pub"), key.with_suffix(".pub"))
    os.replace(tmp, key)
    return key


# --------------------------------------------------------------------------- subnet

def _used_subnets():
    used = set()
    for d in envs_dir().glob("*/state.json"):
        try:
            used.add(json.loads(d.read_text())["subnet"])
        except (OSError, ValueError, KeyError):
            pass
    for net in _root_routes(exclude_harness=False):
        if net.version == 4 and net.overlaps(ALLOWED_NETS[0]):
            for x in range(256):
                if net.overlaps(ipaddress.ip_network("198.18.%d.0/24" % x)):
                    used.add(x)
    return used


def _pick_subnet(requested):
    used = _used_subnets()
    if requested is not None:
        if not 1 <= requested <= 254:
            raise HarnessError("--subnet must be within 1..254")
        if requested in used:
            raise HarnessError("subnet 198.18.%d.0/24 is already in use" % requested)
        return requested
    for x in range(1, 255):
        if x not in used:
            return x
    raise HarnessError("no free 198.18.X.0/24 subnet")


def addresses(subnet, index):
    """(ipv4, ipv6) without prefix of host `index` (0 = the root namespace / bridge)."""
    last = 1 if index == 0 else HOST_OFFSET + index
    return "198.18.%d.%d" % (subnet, last), "fd00:198:18:%d::%d" % (subnet, last)


# --------------------------------------------------------------------------- network pieces

def _make_netns(ns):
    run(["ip", "netns", "add", ns])
    # no IPv6 duplicate address detection delay inside the namespace
    run(["ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.default.accept_dad=0",
         "net.ipv6.conf.all.accept_dad=0"], check=False)
    run(["ip", "-n", ns, "link", "set", "lo", "up"])


def _plug(ns, veth, bridge, addrs):
    run(["ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns])
    run(["ip", "link", "set", veth, "master", bridge])
    run(["ip", "link", "set", veth, "up"])
    for a in addrs:
        iface = ipaddress.ip_interface(a)
        cmd = ["ip", "-n", ns, "addr", "add", a, "dev", "eth0"]
        if iface.version == 6:
            cmd.append("nodad")
        run(cmd)
    run(["ip", "-n", ns, "link", "set", "eth0", "up"])


def _onlink_route(ns, net):
    run(["ip", "-n", ns, "route", "replace", str(net), "dev", "eth0"])


# --------------------------------------------------------------------------- host processes

STAGE1 = r"""
set -eu
R="$1"; HN="$2"
mount -t proc proc "$R/proc"
# sysctls: only the namespaced net.* tree stays writable
mount --bind "$R/proc/sys" "$R/proc/sys" && mount --bind "$R/proc/sys/net" "$R/proc/sys/net" \
  && mount -o remount,bind,ro "$R/proc/sys" || true
mount -t sysfs -o ro sysfs "$R/sys"
mount -t tmpfs -o mode=755,size=16m tmpfs "$R/dev"
for n in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
  IFS=: read -r f ma mi <<EOF
$n
EOF
  mknod -m 666 "$R/dev/$f" c "$ma" "$mi"
done
mkdir -p "$R/dev/pts" "$R/dev/shm"
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5 devpts "$R/dev/pts"
ln -s pts/ptmx "$R/dev/ptmx"
ln -s /proc/self/fd "$R/dev/fd"; ln -s /proc/self/fd/0 "$R/dev/stdin"
ln -s /proc/self/fd/1 "$R/dev/stdout"; ln -s /proc/self/fd/2 "$R/dev/stderr"
mount -t tmpfs -o mode=1777 tmpfs "$R/dev/shm"
mount -t tmpfs -o mode=755,size=64m tmpfs "$R/run"
hostname "$HN"
cd "$R"
exec chroot "$R" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  HOME=/root LANG=C.UTF-8 /usr/bin/python3 /usr/local/sbin/collab-fw-init
"""


def _prepare_rootfs(rootfs, hdir):
    """Overlay (or, if overlayfs is unavailable, copy) of the cached rootfs; return (merged, mode)."""
    upper, work, merged = hdir / "upper", hdir / "work", hdir / "merged"
    for d in (upper, work, merged):
        d.mkdir(parents=True, exist_ok=True)
    res = run(["mount", "-t", "overlay", "overlay", "-o",
               "lowerdir=%s,upperdir=%s,workdir=%s" % (rootfs, upper, work), str(merged)],
              check=False)
    if res.returncode == 0:
        return merged, "overlay"
    sys.stderr.write("[netns] overlayfs failed (%s); copying the rootfs instead\n" % res.stderr.strip())
    shutil.rmtree(merged)
    run(["cp", "-a", "--reflink=auto", str(rootfs), str(merged)], timeout=600)
    return merged, "copy"


def _write_host_files(merged, host, state, pubkey):
    etc = merged / "etc"
    (etc / "hostname").write_text(host["id"] + "\n")
    lines = ["127.0.0.1\tlocalhost", "::1\tlocalhost ip6-localhost ip6-loopback"]
    for h in state["hosts"]:
        lines.append("%s\t%s" % (h["ipv4"], h["id"]))
        lines.append("%s\t%s" % (h["ipv6"], h["id"]))
    (etc / "hosts").write_text("\n".join(lines) + "\n")
    (etc / "machine-id").write_text(uuid.uuid4().hex + "\n")
    conf = etc / "collab-fw"
    conf.mkdir(exist_ok=True)
    (conf / "host.json").write_text(json.dumps({"id": host["id"], "firewalld": host["firewalld"]}))
    ssh = merged / "root" / ".ssh"
    ssh.mkdir(mode=0o700, parents=True, exist_ok=True)
    (ssh / "authorized_keys").write_text(pubkey)
    os.chmod(ssh / "authorized_keys", 0o600)
    init = merged / "usr/local/sbin/collab-fw-init"
    init.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(HOST_INIT, init)
    os.chmod(init, 0o755)
    for p in (merged / "run" / "collab-fw-ready",):
        if p.exists():
            p.unlink()


def _start_host(host, hdir):
    console = open(hdir / "console.log", "ab")
    cmd = ["ip", "netns", "exec", host["netns"],
           "unshare", "--mount", "--pid", "--uts", "--fork", "--kill-child", "--propagation", "private",
           "sh", "-c", STAGE1, "stage1", host["merged"], host["id"]]
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=console, stderr=subprocess.STDOUT,
                            start_new_session=True, close_fds=True)
    console.close()
    _CHILDREN[host["netns"]] = proc
    return proc.pid


def _nspid_chain(pid):
    try:
        with open("/proc/%d/status" % pid) as fh:
            for line in fh:
                if line.startswith("NSpid:"):
                    return [int(x) for x in line.split()[1:]]
    except (OSError, ValueError):
        pass
    return []


def netns_pids(ns):
    res = run(["ip", "netns", "pids", ns], check=False, quiet=True)
    return [int(p) for p in res.stdout.split() if p.isdigit()]


def find_init_pid(host):
    """Host-side pid of the host's pid-namespace init (pid 1 inside), or None."""
    for pid in netns_pids(host["netns"]):
        chain = _nspid_chain(pid)
        if len(chain) >= 2 and chain[-1] == 1:
            try:
                root = os.readlink("/proc/%d/root" % pid)
            except OSError:
                continue
            if os.path.realpath(root) == os.path.realpath(host["merged"]):
                return pid
    return None


def _tcp_banner(addr, port=22, timeout=1.0):
    try:
        with socket.create_connection((addr, port), timeout=timeout) as s:
            s.settimeout(timeout)
            return s.recv(64).startswith(b"SSH-")
    except OSError:
        return False


# --------------------------------------------------------------------------- public API

def host_exec_argv(host_or_id, cmd, name=None):
    """argv that runs `cmd` inside a host's net/mount/pid/uts namespaces and chroot."""
    host = _resolve_host(host_or_id, name)
    pid = find_init_pid(host)
    if pid is None:
        raise HarnessError("host %s is not running (no init process in %s)" % (host["id"], host["netns"]))
    return ["nsenter", "--target", str(pid), "--mount", "--uts", "--net", "--pid", "--root", "--wd",
            "--", "/usr/bin/env", "-i"] + CHROOT_ENV + list(cmd)


def host_exec(host_or_id, cmd, check=True, timeout=60, input=None, name=None):
    """Run `cmd` (list) inside a test host; return CompletedProcess (text)."""
    return run(host_exec_argv(host_or_id, cmd, name), check=check, timeout=timeout, input=input)


def host_popen(host_or_id, cmd, name=None, **kw):
    """Start a long-running command inside a test host (e.g. a listener)."""
    kw.setdefault("stdin", subprocess.DEVNULL)
    kw.setdefault("start_new_session", True)
    return subprocess.Popen(host_exec_argv(host_or_id, cmd, name), **kw)


def ns_exec(ns, cmd, check=True, timeout=60, input=None):
    """Run `cmd` in a plain network namespace (root filesystem of this machine)."""
    return run(["ip", "netns", "exec", _ns_name(ns)] + list(cmd), check=check, timeout=timeout, input=input)


def ns_popen(ns, cmd, **kw):
    kw.setdefault("stdin", subprocess.DEVNULL)
    kw.setdefault("start_new_session", True)
    return subprocess.Popen(["ip", "netns", "exec", _ns_name(ns)] + list(cmd), **kw)


def _ns_name(ns):
    if ns in list_netns():
        return ns
    if netns_name(ns) in list_netns():
        return netns_name(ns)
    raise HarnessError("no such network namespace: %s (or %s)" % (ns, netns_name(ns)))


def _all_states():
    out = []
    if envs_dir().exists():
        for d in sorted(envs_dir().iterdir()):
            st = load_state(d.name) if d.is_dir() else None
            if st:
                out.append(st)
    return out


def _resolve_host(host_or_id, name=None):
    if isinstance(host_or_id, dict):
        return host_or_id
    states = [load_state(name)] if name else _all_states()
    for st in states:
        for h in (st or {}).get("hosts", []):
            if h["id"] == host_or_id or h["netns"] == host_or_id or h["ipv4"] == host_or_id:
                return h
    raise HarnessError("unknown test host %r (see `status`)" % host_or_id)


def up(name, count, firewalld=False, inventory=None, subnet=None, timeout=120, rootfs=None):
    """Create env `name` with `count` hosts; return its state dict.

    firewalld: False, True (all hosts) or an iterable of 1-based host indexes.
    On any failure everything created so far is torn down before the error is raised.
    """
    check_root()
    if not ENV_NAME_RE.match(name or ""):
        raise HarnessError("env name must match %s" % ENV_NAME_RE.pattern)
    if not 1 <= int(count) <= MAX_HOSTS:
        raise HarnessError("--count must be within 1..%d" % MAX_HOSTS)
    if firewalld is True:
        fw = set(range(1, count + 1))
    elif not firewalld:
        fw = set()
    else:
        fw = {int(i) for i in firewalld}
        bad = [i for i in fw if not 1 <= i <= count]
        if bad:
            raise HarnessError("--firewalld-on index out of range: %s" % bad)
    rootfs = Path(rootfs) if rootfs else ensure_rootfs()
    key = ensure_ssh_key()
    pubkey = key.with_suffix(".pub").read_text()
    lock = _lock(name)
    t0 = time.monotonic()
    try:
        if load_state(name) or any(n.startswith(NS_PREFIX + name + "-") for n in list_netns()):
            raise HarnessError("env %r already exists; run `down --name %s` first" % (name, name))
        alloc = _lock("", prefix=".alloc")  # no two envs may pick the same subnet
        try:
            sub = _pick_subnet(subnet)
            state = _new_state(name, sub, count, fw, rootfs, key)
            save_state(state)
        finally:
            alloc.close()
        try:
            _up_locked(state, rootfs, pubkey, timeout)
        except BaseException:
            sys.stderr.write("[netns] bringing up %s failed; tearing down\n" % name)
            try:
                _down_locked(name)
            except Exception as exc:  # keep the original error
                sys.stderr.write("[netns] cleanup after failure also failed: %s\n" % exc)
            raise
        state["up_seconds"] = round(time.monotonic() - t0, 2)
        save_state(state)
    finally:
        lock.close()
    if inventory:
        write_inventory(name, inventory)
        state = load_state(name)
    return state


def _new_state(name, sub, count, fw, rootfs, key):
    nm = names_for(name)
    gw4, gw6 = addresses(sub, 0)
    state = {"name": name, "subnet": sub, "bridge": nm["bridge"], "gw4": gw4, "gw6": gw6,
             "rootfs": str(rootfs), "ssh_key": str(key), "inventory": None,
             "created": time.time(), "hosts": [], "sources": []}
    for i in range(1, count + 1):
        v4, v6 = addresses(sub, i)
        hid = host_id(name, i)
        state["hosts"].append({"id": hid, "index": i, "netns": netns_name(hid),
                               "veth": "%s%d" % (nm["veth_prefix"], i), "ipv4": v4, "ipv6": v6,
                               "firewalld": i in fw, "dir": str(env_dir(name) / "hosts" / hid),
                               "merged": None, "mode": None})
    return state


def _up_locked(state, rootfs, pubkey, timeout):
    br = state["bridge"]
    run(["ip", "link", "add", br, "type", "bridge"])
    run(["ip", "link", "set", br, "up"])
    run(["ip", "addr", "add", state["gw4"] + "/24", "dev", br])
    run(["ip", "-6", "addr", "add", state["gw6"] + "/64", "dev", br, "nodad"])
    for host in state["hosts"]:
        _make_netns(host["netns"])
        _plug(host["netns"], host["veth"], br, [host["ipv4"] + "/24", host["ipv6"] + "/64"])
        hdir = Path(host["dir"])
        merged, mode = _prepare_rootfs(rootfs, hdir)
        host["merged"], host["mode"] = str(merged), mode
        save_state(state)
        _write_host_files(merged, host, state, pubkey)
    for host in state["hosts"]:
        _start_host(host, Path(host["dir"]))
    _wait_ready(state, timeout)


def _wait_ready(state, timeout):
    deadline = time.monotonic() + timeout
    pending = {h["id"]: h for h in state["hosts"]}
    fw_pending = {h["id"] for h in state["hosts"] if h["firewalld"]}
    while pending or fw_pending:
        for hid in list(pending):
            h = pending[hid]
            if find_init_pid(h) and _tcp_banner(h["ipv4"]):
                del pending[hid]
        for hid in list(fw_pending):
            if hid in pending:
                continue
            res = host_exec(_resolve_host(hid, state["name"]), ["firewall-cmd", "--state"],
                            check=False, timeout=20)
            if res.stdout.strip() == "running":
                fw_pending.discard(hid)
        if not (pending or fw_pending):
            break
        if time.monotonic() > deadline:
            details = []
            for hid in sorted(set(pending) | fw_pending):
                h = _resolve_host(hid, state["name"])
                log = Path(h["dir"]) / "console.log"
                tail = log.read_text(errors="replace")[-800:] if log.exists() else ""
                details.append("%s (%s): sshd=%s firewalld=%s\n%s" % (
                    hid, h["ipv4"], "waiting" if hid in pending else "up",
                    "waiting" if hid in fw_pending else "-", tail))
            raise HarnessError("hosts not ready after %ss:\n%s" % (timeout, "\n".join(details)))
        time.sleep(0.2)


def add_source(name, addrs, label=None):
    """Create a plain namespace on env `name`'s bridge holding `addrs` (test ranges only)."""
    check_root()
    lock = _lock(name)
    try:
        state = load_state(name)
        if not state:
            raise HarnessError("env %r is not up" % name)
        ifaces = [_validate_addr(a) for a in addrs]
        if not ifaces:
            raise HarnessError("give at least one --addr")
        taken = {state["gw4"], state["gw6"]} | {h["ipv4"] for h in state["hosts"]} \
            | {h["ipv6"] for h in state["hosts"]} \
            | {a.split("/")[0] for s in state["sources"] for a in s["addrs"]}
        dup = [str(i.ip) for i in ifaces if str(i.ip) in taken]
        if dup:
            raise HarnessError("address already used in env %r: %s" % (name, ", ".join(dup)))
        n = len(state["sources"]) + 1
        used = {s["label"] for s in state["sources"]}
        while label is None and ("src%d" % n) in used:
            n += 1
        label = label or "src%d" % n
        if not LABEL_RE.match(label) or HOST_LABEL_RE.match(label):
            raise HarnessError("source label must match %s and not look like a host (hN)" % LABEL_RE.pattern)
        if label in used:
            raise HarnessError("source %r already exists in env %r" % (label, name))
        ident = "%s-%s" % (name, label)
        idx = max([s["index"] for s in state["sources"]] + [0]) + 1
        src = {"id": ident, "label": label, "index": idx, "netns": netns_name(ident),
               "veth": "%s%d" % (names_for(name)["src_veth_prefix"], idx),
               "addrs": [str(i) for i in ifaces]}
        state["sources"].append(src)
        save_state(state)
        _make_netns(src["netns"])
        _plug(src["netns"], src["veth"], state["bridge"], src["addrs"])
        env_nets = {4: ipaddress.ip_network(state["gw4"] + "/24", strict=False),
                    6: ipaddress.ip_network(state["gw6"] + "/64", strict=False)}
        for iface in ifaces:
            if iface.network != env_nets[iface.version]:
                # on-link routes both ways: everything shares the bridge's L2 segment
                _onlink_route(src["netns"], env_nets[iface.version])
                for h in state["hosts"]:
                    _onlink_route(h["netns"], iface.network)
        return src
    finally:
        lock.close()


def del_source(name, label):
    check_root()
    lock = _lock(name)
    try:
        state = load_state(name)
        if not state:
            raise HarnessError("env %r is not up" % name)
        keep = []
        for s in state["sources"]:
            if s["label"] == label:
                _kill_netns_procs(s["netns"])
                run(["ip", "netns", "del", s["netns"]], check=False)
                if s["veth"] in list_links():
                    run(["ip", "link", "del", s["veth"]], check=False)
            else:
                keep.append(s)
        if len(keep) == len(state["sources"]):
            raise HarnessError("no source %r in env %r" % (label, name))
        state["sources"] = keep
        save_state(state)
    finally:
        lock.close()


INVENTORY_MARK = "# generated by tests/hosts/netns_hosts.py"


def write_inventory(name, path):
    """Write an Ansible YAML inventory of env `name` to `path`."""
    state = load_state(name)
    if not state:
        raise HarnessError("env %r is not up" % name)
    q = json.dumps  # a JSON string is a valid YAML scalar
    lines = [INVENTORY_MARK + " for env %s; rewritten by `up`, removed by `down`" % name,
             "all:", "  children:", "    netns_%s:" % name, "      hosts:"]
    for h in state["hosts"]:
        lines += ["        %s:" % h["id"],
                  "          ansible_host: %s" % q(h["ipv4"]),
                  "          collab_fw_ipv6: %s" % q(h["ipv6"]),
                  "          collab_fw_netns: %s" % q(h["netns"]),
                  "          collab_fw_firewalld: %s" % ("true" if h["firewalld"] else "false")]
    lines += ["      vars:",
              "        ansible_user: root",
              "        ansible_ssh_private_key_file: %s" % q(state["ssh_key"]),
              "        ansible_python_interpreter: /usr/bin/python3",
              "        ansible_ssh_common_args: %s" % q(
                  "-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR"),
              "        collab_fw_controller_ipv4: %s" % q(state["gw4"]),
              "        collab_fw_controller_ipv6: %s" % q(state["gw6"])]
    for grp, want in (("firewalld", True), ("plain", False)):
        members = [h["id"] for h in state["hosts"] if h["firewalld"] is want]
        lines.append("    netns_%s_%s:" % (name, grp))
        lines.append("      hosts:" + ("" if members else " {}"))
        lines += ["        %s: {}" % m for m in members]
    path = Path(path).resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    state["inventory"] = str(path)
    save_state(state)
    return path


def _kill_netns_procs(ns, root_prefix=None, timeout=10):
    """SIGKILL every process in netns `ns` (and any chrooted under root_prefix) until none is left."""
    deadline = time.monotonic() + timeout
    while True:
        pids = set(netns_pids(ns)) if ns in list_netns() else set()
        if root_prefix:
            pids |= _pids_rooted_under(root_prefix)
        pids.discard(os.getpid())
        if not pids:
            return True
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        _reap_children()
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)


def _pids_rooted_under(prefix):
    prefix = os.path.realpath(str(prefix))
    out = set()
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            root = os.readlink("/proc/%s/root" % d)
        except OSError:
            continue
        if root == prefix or root.startswith(prefix + "/"):
            out.add(int(d))
    return out


def _reap_children():
    for ns, proc in list(_CHILDREN.items()):
        if proc.poll() is not None:
            del _CHILDREN[ns]


def down(name):
    """Tear env `name` down completely; safe to repeat and after partial failures."""
    check_root()
    if not ENV_NAME_RE.match(name or ""):
        raise HarnessError("env name must match %s" % ENV_NAME_RE.pattern)
    lock = _lock(name)
    try:
        _down_locked(name)
    finally:
        lock.close()


def _down_locked(name):
    t0 = time.monotonic()
    problems = []
    state = load_state(name) or {}
    nm = names_for(name)
    edir = env_dir(name)
    namespaces = [n for n in list_netns() if n.startswith(NS_PREFIX + name + "-")]
    # 1. processes: everything in the env's namespaces, and anything chrooted into its dirs
    for ns in namespaces:
        if not _kill_netns_procs(ns, root_prefix=edir):
            problems.append("processes still alive in %s" % ns)
    if edir.exists() and not _kill_netns_procs("", root_prefix=edir):
        problems.append("processes still chrooted under %s" % edir)
    for ns, proc in list(_CHILDREN.items()):
        if ns.startswith(NS_PREFIX + name + "-"):
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                problems.append("process %d did not exit" % proc.pid)
            _CHILDREN.pop(ns, None)
    # 2. mounts under the env dir (overlays), deepest first
    if edir.exists():
        for mp in mounts_under(edir):
            if run(["umount", mp], check=False, quiet=True).returncode != 0:
                run(["umount", "-l", mp], check=False, quiet=True)
        left = mounts_under(edir)
        if left:
            problems.append("still mounted: %s" % ", ".join(left))
    # 3. namespaces, veths, bridge
    for ns in namespaces:
        res = run(["ip", "netns", "del", ns], check=False, quiet=True)
        if res.returncode != 0 and ns in list_netns():
            problems.append("cannot delete netns %s: %s" % (ns, res.stderr.strip()))
    for link in list_links():
        if link.startswith((nm["veth_prefix"], nm["src_veth_prefix"])) or link == nm["bridge"]:
            res = run(["ip", "link", "del", link], check=False, quiet=True)
            if res.returncode != 0 and link in list_links():
                problems.append("cannot delete link %s: %s" % (link, res.stderr.strip()))
    # 4. per-host rootfs copies/overlay dirs, state and the generated inventory
    inv = state.get("inventory")
    if inv and os.path.exists(inv):
        try:
            with open(inv) as fh:
                if fh.readline().startswith(INVENTORY_MARK):
                    os.unlink(inv)
        except OSError:
            pass
    if edir.exists():
        if mounts_under(edir):
            problems.append("not removing %s: mounts remain" % edir)
        else:
            run(["rm", "-rf", "--one-file-system", str(edir)], check=False, timeout=300)
            if edir.exists():
                problems.append("cannot remove %s" % edir)
    if problems:
        raise HarnessError("down %s incomplete:\n  %s" % (name, "\n  ".join(problems)))
    return round(time.monotonic() - t0, 2)


def known_envs():
    names = set()
    if envs_dir().exists():
        names |= {d.name for d in envs_dir().iterdir() if d.is_dir() and ENV_NAME_RE.match(d.name)}
    for ns in list_netns():
        if ns.startswith(NS_PREFIX):
            rest = ns[len(NS_PREFIX):]
            if "-" in rest:
                names.add(rest.rsplit("-", 1)[0])
    return sorted(names)


def status():
    """List of env summaries (dicts) with liveness of each host."""
    out = []
    present = set(list_netns())
    for name in known_envs():
        st = load_state(name) or {"name": name, "hosts": [], "sources": [], "subnet": None}
        env = {"name": name, "subnet": st.get("subnet"), "bridge": st.get("bridge"),
               "inventory": st.get("inventory"), "hosts": [], "sources": [],
               "stray_netns": sorted(n for n in present if n.startswith(NS_PREFIX + name + "-")
                                     and n not in {h["netns"] for h in st["hosts"] + st["sources"]})}
        for h in st["hosts"]:
            alive = h["netns"] in present and find_init_pid(h) is not None
            env["hosts"].append({"id": h["id"], "ipv4": h["ipv4"], "ipv6": h["ipv6"],
                                 "firewalld": h["firewalld"], "running": alive,
                                 "ssh": alive and _tcp_banner(h["ipv4"], timeout=0.5)})
        for s in st["sources"]:
            env["sources"].append({"id": s["id"], "netns": s["netns"], "addrs": s["addrs"],
                                   "present": s["netns"] in present})
        out.append(env)
    return out


# --------------------------------------------------------------------------- object API

class Env(object):
    """Convenience view of an env that is up (used by the pytest fixtures)."""

    def __init__(self, state):
        self.state = state
        self.name = state["name"]

    @classmethod
    def load(cls, name):
        st = load_state(name)
        if not st:
            raise HarnessError("env %r is not up" % name)
        return cls(st)

    def refresh(self):
        self.state = load_state(self.name) or self.state
        return self

    @property
    def hosts(self):
        return self.state["hosts"]

    @property
    def inventory(self):
        return self.state.get("inventory")

    @property
    def ssh_key(self):
        return self.state["ssh_key"]

    @property
    def controller_ipv4(self):
        return self.state["gw4"]

    def host(self, which):
        """Host dict by 1-based index, id (NAME-hN) or IPv4."""
        if isinstance(which, int):
            return self.hosts[which - 1]
        return _resolve_host(which, self.name)

    def firewalld_hosts(self):
        return [h for h in self.hosts if h["firewalld"]]

    def plain_hosts(self):
        return [h for h in self.hosts if not h["firewalld"]]

    def exec(self, which, cmd, **kw):
        return host_exec(self.host(which), cmd, **kw)

    def popen(self, which, cmd, **kw):
        return host_popen(self.host(which), cmd, **kw)

    def ssh_argv(self, which, *cmd):
        h = self.host(which)
        return ["ssh", "-i", self.ssh_key] + SSH_OPTS + ["root@" + h["ipv4"]] + list(cmd)

    def add_source(self, addrs, label=None):
        src = add_source(self.name, list(addrs), label)
        self.refresh()
        return src

    def src_exec(self, src, cmd, **kw):
        return ns_exec(src["netns"] if isinstance(src, dict) else src, cmd, **kw)

    def write_inventory(self, path):
        p = write_inventory(self.name, path)
        self.refresh()
        return p

    def down(self):
        down(self.name)


class running(object):
    """Context manager: ``with running("t", 2, firewalld=[1]) as env:`` -- always torn down."""

    def __init__(self, name, count, **kw):
        self.name, self.count, self.kw = name, count, kw

    def __enter__(self):
        down(self.name)  # leftovers of an earlier crashed run
        try:
            return Env(up(self.name, self.count, **self.kw))
        except BaseException:
            down(self.name)
            raise

    def __exit__(self, *exc):
        down(self.name)
        return False


# --------------------------------------------------------------------------- CLI

def _indexes(text):
    try:
        return [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError("expected a comma separated list of host numbers")


def main(argv=None):
    ap = argparse.ArgumentParser(prog="netns_hosts.py", description=__doc__.split("\n\n", maxsplit=1)[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("up", help="create an env of N hosts")
    p.add_argument("--name", required=True)
    p.add_argument("--count", type=int, required=True)
    g = p.add_mutually_exclusive_group()
    g.add_argument("--firewalld", action="store_true", help="run dbus + firewalld on every host")
    g.add_argument("--firewalld-on", type=_indexes, metavar="1,3", help="only on these hosts")
    p.add_argument("--inventory", help="write an Ansible YAML inventory here")
    p.add_argument("--subnet", type=int, help="use 198.18.SUBNET.0/24 (default: first free)")
    p.add_argument("--timeout", type=float, default=120, help="readiness timeout (s)")
    p = sub.add_parser("down", help="tear an env down (idempotent)")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--name")
    g.add_argument("--all", action="store_true")
    p = sub.add_parser("status", help="list envs and hosts")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("inventory", help="(re)write the inventory of an env")
    p.add_argument("--name", required=True)
    p.add_argument("--inventory", required=True)
    p = sub.add_parser("addsrc", help="add a source namespace holding given addresses")
    p.add_argument("--name", required=True)
    p.add_argument("--addr", action="append", required=True, help="e.g. 198.18.5.10/24 (repeatable)")
    p.add_argument("--src", help="label (default srcN); the netns is cfw-NAME-LABEL")
    p = sub.add_parser("delsrc", help="remove a source namespace")
    p.add_argument("--name", required=True)
    p.add_argument("--src", required=True)
    p = sub.add_parser("envname", help="print the env name for PREFIX unique to this checkout (PREFIX + 6 hex)")
    p.add_argument("--prefix", required=True)
    p.add_argument("--checkout", help="checkout path (default: the one holding this file)")
    p = sub.add_parser("exec", help="run CMD in a host (namespaces + chroot)")
    p.add_argument("host", help="host id (NAME-hN), its netns or its IPv4")
    p.add_argument("command", nargs=argparse.REMAINDER)
    p = sub.add_parser("nsexec", help="run CMD in a plain network namespace")
    p.add_argument("netns", help="netns name, with or without the cfw- prefix")
    p.add_argument("command", nargs=argparse.REMAINDER)
    args = ap.parse_args(argv)

    def strip(cmd):
        cmd = list(cmd)
        if cmd and cmd[0] == "--":
            cmd = cmd[1:]
        if not cmd:
            raise HarnessError("no command given")
        return cmd

    try:
        if args.cmd == "up":
            fw = True if args.firewalld else (args.firewalld_on or False)
            t0 = time.monotonic()
            st = up(args.name, args.count, firewalld=fw, inventory=args.inventory,
                    subnet=args.subnet, timeout=args.timeout)
            for h in st["hosts"]:
                print("%-16s %-15s %-22s %s" % (
                    h["id"], h["ipv4"], h["ipv6"], "firewalld" if h["firewalld"] else ""))
            print("up %s: %d host(s) in %.1fs (controller %s, key %s%s)" % (
                args.name, len(st["hosts"]), time.monotonic() - t0, st["gw4"], st["ssh_key"],
                ", inventory " + st["inventory"] if st.get("inventory") else ""))
        elif args.cmd == "down":
            check_root()
            targets = known_envs() if args.all else [args.name]
            for n in targets:
                t0 = time.monotonic()
                down(n)
                print("down %s: done in %.1fs" % (n, time.monotonic() - t0))
        elif args.cmd == "envname":
            print(checkout_env_name(args.prefix, args.checkout))
        elif args.cmd == "status":
            st = status()
            if args.json:
                print(json.dumps(st, indent=2))
            elif not st:
                print("no netns test envs")
            for env in ([] if args.json else st):
                print("env %s: 198.18.%s.0/24 bridge %s inventory %s" % (
                    env["name"], env["subnet"], env["bridge"], env["inventory"]))
                for h in env["hosts"]:
                    print("  %-16s %-15s running=%s ssh=%s firewalld=%s" % (
                        h["id"], h["ipv4"], h["running"], h["ssh"], h["firewalld"]))
                for s in env["sources"]:
                    print("  %-16s %s present=%s" % (s["netns"], " ".join(s["addrs"]), s["present"]))
                for n in env["stray_netns"]:
                    print("  stray netns %s (run down)" % n)
        elif args.cmd == "inventory":
            print(write_inventory(args.name, args.inventory))
        elif args.cmd == "addsrc":
            src = add_source(args.name, args.addr, args.src)
            print(src["netns"])
        elif args.cmd == "delsrc":
            del_source(args.name, args.src)
        elif args.cmd == "exec":
            argv = host_exec_argv(args.host, strip(args.command))
            return subprocess.call(argv)
        elif args.cmd == "nsexec":
            return subprocess.call(["ip", "netns", "exec", _ns_name(args.netns)] + strip(args.command))
    except HarnessError as exc:
        sys.stderr.write("netns_hosts: error: %s\n" % exc)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
