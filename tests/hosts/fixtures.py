"""pytest plugin: session-scoped netns test hosts for collab.firewall.

Fixtures
  netns_env_factory  make(name, count, firewalld=False|True|[indexes], **up_kwargs) -> netns_hosts.Env;
                     every env made is torn down at the end of the session (try/finally).
  netns_hosts        a ready env "<COLLAB_FW_NETNS_ENV or 'pytest'>" of 2 hosts, host 1 running firewalld.

Skips (with the reason shown by ``pytest -rs``) only when not root or when the kernel cannot
create network/pid/mount namespaces; any other problem (rootfs build, sshd, firewalld...) fails.

Load it with tests/hosts/conftest.py (already done for tests under tests/hosts/) or, from
another conftest.py, with ``from tests_hosts_fixtures import *`` after importing it by path
(see conftest.py here) -- `pytest_plugins` only works in the rootdir conftest.
"""
import atexit
import os
import signal
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import netns_hosts as nh  # noqa: E402


def netns_skip_reason():
    """Why netns hosts cannot run here (None when they can)."""
    if os.geteuid() != 0:
        return "netns test hosts need root (running as uid %d)" % os.geteuid()
    ok, why = nh.netns_supported()
    return None if ok else why


def _env_name(prefix):
    """PREFIX<checkout hash>[_gwN]: unique to this checkout (and pytest-xdist worker), so tests of two
    checkouts on one machine never share or tear down each other's hosts."""
    name = nh.checkout_env_name(prefix)
    worker = os.environ.get("PYTEST_XDIST_WORKER")  # gw0, gw1... under pytest-xdist
    return name + ("_" + worker if worker else "")


@pytest.fixture(scope="session")
def netns_env_factory(tmp_path_factory):
    reason = netns_skip_reason()
    if reason:
        sys.stderr.write("\n[netns] SKIPPING netns host tests: %s\n" % reason)
        pytest.skip("netns harness unavailable: " + reason)

    created = []

    def teardown_all():
        errors = []
        for name in reversed(created):
            try:
                nh.down(name)
            except Exception as exc:  # report every env, not only the first
                errors.append("%s: %s" % (name, exc))
        del created[:]
        return errors

    # SIGTERM (e.g. CI timeout) -> KeyboardInterrupt, so pytest still runs the finally below
    def on_term(signum, frame):
        raise KeyboardInterrupt("SIGTERM")

    old_term = signal.signal(signal.SIGTERM, on_term)
    atexit.register(teardown_all)  # last resort; a no-op when the finally already ran

    def make(prefix, count, firewalld=False, inventory=None, exact_name=False, **kw):
        name = prefix if exact_name else _env_name(prefix)
        if name in created:
            raise nh.HarnessError("env %r already made in this session" % name)
        created.append(name)
        nh.down(name)  # leftovers of an earlier, killed run
        if inventory is None:
            inventory = tmp_path_factory.mktemp("netns-" + name) / "inventory.yml"
        return nh.Env(nh.up(name, count, firewalld=firewalld, inventory=str(inventory), **kw))

    try:
        yield make
    finally:
        errors = teardown_all()
        signal.signal(signal.SIGTERM, old_term)
        if errors:
            raise RuntimeError("netns teardown failed:\n" + "\n".join(errors))


@pytest.fixture(scope="session")
def netns_hosts(netns_env_factory):
    """Env of 2 hosts: host 1 (NAME-h1) runs firewalld, host 2 (NAME-h2) does not."""
    if os.environ.get("COLLAB_FW_NETNS_ENV"):   # a name of your choice instead of pytest_<checkout hash>
        return netns_env_factory(os.environ["COLLAB_FW_NETNS_ENV"], 2, firewalld=[1], exact_name=True)
    return netns_env_factory("pytest", 2, firewalld=[1])
