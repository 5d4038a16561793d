# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The main job the way AWX runs it: ansible-runner with a private data directory.

AWX lays out a private data directory for every job - project/ (the SCM checkout), inventory/, env/extravars,
env/envvars, env/settings - runs it with ansible-runner and keeps artifacts/<job>/ (status, rc, stdout, command
and one JSON file per event). The test does the same with playbooks/render.yml on the example inventory, with
collab.firewall installed from the built tarball as in an execution environment, and checks the events, the
stats summary (playbook_on_stats: no failures, no unreachable host) and the artifacts AWX would keep, the
set_stats data the playbook declares included, and that the files landed where the extra vars said.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import json
import os
import shutil
import subprocess
import sys

import pytest
import yaml

ansible_runner = pytest.importorskip("ansible_runner", reason="pip install ansible-runner (requirements.txt)")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
PLAYBOOK = "playbooks/render.yml"


def _clean_env():
    """Only the given collections path, not this checkout through PYTHONPATH or our ansible.cfg."""
    env = dict(os.environ)
    for name in ("PYTHONPATH", "ANSIBLE_CONFIG", "ANSIBLE_COLLECTIONS_PATH"):
        env.pop(name, None)
    return env


@pytest.fixture(scope="module")
def execution_environment(tmp_path_factory):
    """collab.firewall built and installed on its own, as the execution environment carries it."""
    work = tmp_path_factory.mktemp("ee-collections")
    subprocess.run([os.path.join(BIN, "ansible-galaxy"), "collection", "build", "--output-path", str(work), ROOT],
                   check=True, capture_output=True, env=_clean_env())
    (tarball,) = glob.glob(str(work / "collab-firewall-*.tar.gz"))
    subprocess.run([os.path.join(BIN, "ansible-galaxy"), "collection", "install", "--offline", "-p",
                    str(work / "collections"), tarball], check=True, capture_output=True, cwd=str(work),
                   env=dict(_clean_env(), ANSIBLE_COLLECTIONS_PATH=str(work / "collections")))
    assert (work / "collections" / "ansible_collections" / "collab" / "firewall" / "MANIFEST.json").is_file()
    return work / "collections"


def _declared_stats():
    """The keys the playbook hands to set_stats (AWX keeps them as the job's artifacts)."""
    keys = set()
    with open(os.path.join(ROOT, PLAYBOOK)) as handle:
        for play in yaml.safe_load(handle):
            for task in play.get("tasks", []):
                for module in ("ansible.builtin.set_stats", "set_stats"):
                    if module in task:
                        keys.update(task[module]["data"])
    return keys


@pytest.fixture(scope="module")
def job(tmp_path_factory, execution_environment):
    data = tmp_path_factory.mktemp("awx-job")
    out = data / "rendered"
    # project/: what AWX checks out from the project's repository
    shutil.copytree(os.path.join(ROOT, "playbooks"), str(data / "project" / "playbooks"))
    shutil.copy(os.path.join(ROOT, "ansible.cfg"), str(data / "project" / "ansible.cfg"))
    # inventory/: what the inventory source imported
    shutil.copytree(os.path.join(ROOT, "inventory", "example"), str(data / "inventory"))
    (data / "env").mkdir()
    # env/extravars: the job template's extra vars and survey answers; the output location both by the one
    # variable and by the roles' own (whichever the playbook reads)
    extravars = {"uc_output_dir": str(out), "catalog_report_dir": str(out / "catalog"),
                 "host_firewall_output_dir": str(out / "hosts"), "ios_acl_output_dir": str(out / "devices"),
                 "asa_acl_output_dir": str(out / "devices"), "render_report_dir": str(out / "report")}
    (data / "env" / "extravars").write_text(yaml.safe_dump(extravars))
    (data / "env" / "envvars").write_text(yaml.safe_dump({
        "ANSIBLE_COLLECTIONS_PATH": str(execution_environment), "PYTHONPATH": "", "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_FORCE_COLOR": "0", "PATH": BIN + os.pathsep + os.environ.get("PATH", "")}))
    (data / "env" / "settings").write_text(yaml.safe_dump({"job_timeout": 900, "idle_timeout": 600,
                                                          "suppress_ansible_output": True}))
    runner = ansible_runner.run(private_data_dir=str(data), playbook=PLAYBOOK, ident="render-1", quiet=True)
    return {"runner": runner, "dir": data, "out": out, "events": list(runner.events),
            "artifacts": data / "artifacts" / "render-1"}


def test_job_succeeds(job):
    runner = job["runner"]
    assert (runner.status, runner.rc) == ("successful", 0), runner.stdout.read()[-4000:]


def test_events_tell_the_story(job):
    kinds = [event["event"] for event in job["events"]]
    assert kinds[0] == "playbook_on_start" and "playbook_on_stats" in kinds
    assert "playbook_on_play_start" in kinds and "runner_on_ok" in kinds
    assert not [k for k in kinds if k in ("runner_on_failed", "runner_on_unreachable", "runner_item_on_failed")], kinds
    counters = [event["counter"] for event in job["events"]]
    assert counters == sorted(counters) and len(set(counters)) == len(counters)


def test_stats_summary(job):
    (stats,) = [event["event_data"] for event in job["events"] if event["event"] == "playbook_on_stats"]
    assert stats["failures"] == {} and stats["dark"] == {}, stats
    assert "localhost" in stats["processed"] and stats["ok"].get("localhost", 0) > 0
    assert job["runner"].stats["failures"] == {}
    # set_stats data reaches the artifacts AWX keeps with the job
    declared = _declared_stats()
    assert declared <= set(stats.get("artifact_data", {})), (declared, stats.get("artifact_data"))


def test_artifacts_awx_keeps(job):
    artifacts = job["artifacts"]
    assert (artifacts / "status").read_text().strip() == "successful"
    assert (artifacts / "rc").read_text().strip() == "0"
    assert "PLAY RECAP" in (artifacts / "stdout").read_text()
    command = json.loads((artifacts / "command").read_text())
    assert any("extravars" in part for part in command["command"]), command["command"]
    events = sorted(glob.glob(str(artifacts / "job_events" / "*.json")))
    assert len(events) == len(job["events"])


def test_files_land_where_the_extra_vars_say(job):
    out = job["out"]
    for path in ("hosts/cucm-pub-1/policy.json", "hosts/cucm-sub-1/nftables.nft", "devices/rtr-core-1/config.txt",
                 "devices/asa-dc-1/config.txt", "report/flows.html", "catalog/catalog.csv"):
        assert (out / path).is_file(), sorted(os.listdir(str(out)))
    assert not (job["dir"] / "out").exists() and not (job["dir"] / "project" / "out").exists()
