# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""execution-environment.yml: `ansible-builder create` makes a complete build context for AWX / AAP.

No image is built (that needs podman or docker and registry access). The test builds the collection
tarball the way `make setup` does, runs `ansible-builder create` on a copy of the definition, and checks that
the context names the collections, Python packages and system packages, that collab.firewall itself is in
it, and that the definition stays in step with galaxy.yml, requirements.yml and requirements.txt.
Needs `pip install ansible-builder` (skips without it, fails with CI=true).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re
import shutil
import subprocess
import sys
import tarfile

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
# the controller-side libraries of the plugins; the rest of requirements.txt is tests and the `ansible` wheel
RUNTIME_LIBRARIES = ("netaddr", "jmespath", "PyYAML")


def _tool(name):
    path = os.path.join(BIN, name)
    return path if os.path.exists(path) else shutil.which(name)


def _read_yaml(path):
    with open(path) as handle:
        return yaml.safe_load(handle)


def _requirement_specs(path):
    """name -> full requirement line of a pip requirements file."""
    specs = {}
    with open(path) as handle:
        for raw in handle:
            line = raw.split("#", 1)[0].strip()
            if line:
                specs[re.split(r"[<>=!~\[; ]", line, maxsplit=1)[0].lower()] = line
    return specs


def _run(command, cwd):
    proc = subprocess.run(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, check=False)
    assert proc.returncode == 0, "%s failed:\n%s" % (" ".join(command), proc.stdout)
    return proc.stdout


@pytest.fixture(scope="module")
def context(tmp_path_factory):
    builder = _tool("ansible-builder")
    if builder is None:
        message = "ansible-builder is not installed: pip install ansible-builder"
        if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
            pytest.fail("CI=true: " + message)
        pytest.skip(message)
    work = tmp_path_factory.mktemp("ee")
    for name in ("execution-environment.yml", "requirements.yml"):
        shutil.copy(os.path.join(ROOT, name), str(work / name))
    # what `make setup` leaves in build/
    _run([_tool("ansible-galaxy"), "collection", "build", "--force", "--output-path", str(work / "build"), ROOT], ROOT)
    output = _run([builder, "create", "--file", "execution-environment.yml", "--context", "context",
                   "--output-filename", "Containerfile", "-v", "3"], str(work))
    built = work / "context"
    return {
        "dir": built,
        "log": output,
        "containerfile": (built / "Containerfile").read_text() if (built / "Containerfile").exists() else None,
        "definition": _read_yaml(os.path.join(ROOT, "execution-environment.yml")),
        "galaxy": _read_yaml(os.path.join(ROOT, "galaxy.yml")),
    }


def test_definition_is_builder_schema_3(context):
    definition = context["definition"]
    assert definition["version"] == 3
    assert definition["dependencies"]["galaxy"] == "requirements.yml"
    assert "No matches" not in context["log"], context["log"]


def test_containerfile_installs_ansible_and_the_collections(context):
    text = context["containerfile"]
    assert text is not None, "no context/Containerfile"
    core = _requirement_specs(os.path.join(ROOT, "requirements.txt"))["ansible-core"]
    assert core in text and "ansible-runner" in text
    assert "python3.11" in text
    assert "ansible-galaxy collection install" in text and "-r requirements.yml" in text
    assert "/build/collab_firewall/collab-firewall-*.tar.gz" in text
    assert "ansible-doc -t lookup collab.firewall.uc_ports" in text
    assert "/output/scripts/introspect.py introspect" in text   # the collections' own requirements are added


def test_context_names_every_collection(context):
    collections = [c["name"] for c in _read_yaml(str(context["dir"] / "_build" / "requirements.yml"))["collections"]]
    wanted = [c["name"] for c in _read_yaml(os.path.join(ROOT, "requirements.yml"))["collections"]]
    assert collections == wanted
    assert set(context["galaxy"]["dependencies"]) <= set(collections), "galaxy.yml needs a collection the EE lacks"


def test_context_holds_this_collection(context):
    version = context["galaxy"]["version"]
    tarball = context["dir"] / "_build" / "collab_firewall" / ("collab-firewall-%s.tar.gz" % version)
    assert tarball.exists(), sorted(os.listdir(str(context["dir"] / "_build")))
    with tarfile.open(str(tarball)) as archive:
        names = archive.getnames()
        manifest = yaml.safe_load(archive.extractfile("MANIFEST.json").read())
    info = manifest["collection_info"]
    assert (info["namespace"], info["name"], info["version"]) == ("collab", "firewall", version)
    assert "plugins/plugin_utils/catalog_data/cucm.yml" in names
    assert "plugins/filter/uc_report.py" in names
    assert not [n for n in names if n.startswith((".venv", "tests/output", "out/"))]
    assert "collab-firewall-ee:%s" % version in context["definition"]["options"]["tags"]


def test_context_names_the_python_and_system_packages(context):
    pip = _requirement_specs(str(context["dir"] / "_build" / "requirements.txt"))
    project = _requirement_specs(os.path.join(ROOT, "requirements.txt"))
    for library in RUNTIME_LIBRARIES:
        assert pip.get(library.lower()) == project[library.lower()], library
    assert "ansible-pylibssh" in pip
    assert "ansible" not in pip and "pytest" not in pip   # no second ansible-core, no test tools in the image
    with open(str(context["dir"] / "_build" / "bindep.txt")) as handle:
        bindep = handle.read()
    assert "openssh-clients" in bindep
