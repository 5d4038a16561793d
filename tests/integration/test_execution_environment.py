# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's dependency metadata, and execution-environment.yml for AWX / AAP.

execution-environment.yml names nothing but the built collection tarball, so everything else an image needs has
to come from the collection itself: galaxy.yml's dependencies and meta/execution-environment.yml. No image is
built (that needs podman or docker and registry access). The test builds the tarball the way `make setup` does,
runs `ansible-builder create`, then runs the context's own galaxy step and introspection script the way the
Containerfile does (offline: the dependencies are already installed from the `ansible` wheel), and checks that
netaddr, jmespath and the system packages end up in the image's requirements. It also installs the tarball into
an empty folder as a user would and runs the lookup and ansible-doc from there.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
# collections whose content the roles, playbooks and inventories reference by FQCN but which are not dependencies
BUILTIN_NAMESPACES = ("ansible.builtin", "collab.firewall")


def _tool(name):
    path = os.path.join(BIN, name)
    return path if os.path.exists(path) else shutil.which(name)


def _read_yaml(path):
    with open(str(path)) as handle:
        return yaml.safe_load(handle)


def _requirement_names(path):
    """name -> requirement line (comments stripped) of a pip requirements or bindep file."""
    specs = {}
    with open(str(path)) as handle:
        for raw in handle:
            line = raw.split("#", 1)[0].strip()
            if line and not line.startswith("-"):
                specs[re.split(r"[<>=!~\[; ]", line, maxsplit=1)[0].lower()] = line
    return specs


def _run(command, cwd, env=None):
    proc = subprocess.run(command, cwd=str(cwd), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                          universal_newlines=True, check=False, timeout=300)
    assert proc.returncode == 0, "%s failed:\n%s" % (" ".join(command), proc.stdout)
    return proc.stdout


def _installed_env(path):
    """Only the given folder (and the `ansible` wheel's collections) on the collection path, not this checkout."""
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(path), ANSIBLE_NOCOLOR="1",
               ANSIBLE_LOCALHOST_WARNING="false", ANSIBLE_INVENTORY_UNPARSED_WARNING="false")
    # the commands run in a temporary folder: no ansible.cfg of ours, and not this checkout through sys.path
    env.pop("ANSIBLE_CONFIG", None)
    env.pop("PYTHONPATH", None)
    return env


@pytest.fixture(scope="module")
def galaxy():
    return _read_yaml(os.path.join(ROOT, "galaxy.yml"))


@pytest.fixture(scope="module")
def tarball(tmp_path_factory):
    """The collection as `make setup` builds it into build/."""
    work = tmp_path_factory.mktemp("build")
    _run([_tool("ansible-galaxy"), "collection", "build", "--force", "--output-path", str(work), ROOT], ROOT)
    (path,) = glob.glob(str(work / "collab-firewall-*.tar.gz"))
    return path


@pytest.fixture(scope="module")
def context(tmp_path_factory, tarball):
    builder = _tool("ansible-builder")
    if builder is None:
        message = "ansible-builder is not installed: pip install ansible-builder"
        if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
            pytest.fail("CI=true: " + message)
        pytest.skip(message)
    work = tmp_path_factory.mktemp("ee")
    shutil.copy(os.path.join(ROOT, "execution-environment.yml"), str(work / "execution-environment.yml"))
    (work / "build").mkdir()
    shutil.copy(tarball, str(work / "build"))
    output = _run([builder, "create", "--file", "execution-environment.yml", "--context", "context",
                   "--output-filename", "Containerfile", "-v", "3"], work)
    built = work / "context"
    containerfile = (built / "Containerfile").read_text()
    # the galaxy stage: `ansible-galaxy collection install -r requirements.yml` in the directory of _build/
    assert re.search(r"COPY _build /build\nWORKDIR /build\n", containerfile), containerfile
    collections = work / "collections"
    _run([_tool("ansible-galaxy"), "collection", "install", "--offline", "-r", "requirements.yml",
          "--collections-path", str(collections)], built / "_build", env=_installed_env(collections))
    # the builder stage: introspection of every installed collection plus the definition's own requirements
    command = re.search(r"RUN \$PYCMD /output/scripts/introspect.py introspect (.*)", containerfile).group(1).split()
    assert "--user-pip=requirements.txt" in command, command
    _run([sys.executable, str(built / "_build" / "scripts" / "introspect.py"), "introspect", str(collections),
          "--user-pip=requirements.txt", "--write-pip=%s" % (work / "image-requirements.txt"),
          "--write-bindep=%s" % (work / "image-bindep.txt")], built / "_build")
    return {
        "dir": built,
        "log": output,
        "containerfile": containerfile,
        "definition": _read_yaml(os.path.join(ROOT, "execution-environment.yml")),
        "installed": collections / "ansible_collections" / "collab" / "firewall",
        "pip": _requirement_names(work / "image-requirements.txt"),
        "pip_text": (work / "image-requirements.txt").read_text(),
        "bindep": (work / "image-bindep.txt").read_text(),
    }


@pytest.fixture(scope="module")
def installed(tmp_path_factory, tarball):
    """The tarball installed into an empty folder as a user would (dependencies found in the `ansible` wheel)."""
    path = tmp_path_factory.mktemp("installed")
    _run([_tool("ansible-galaxy"), "collection", "install", "--offline", "-p", str(path), tarball], path,
         env=_installed_env(path))
    return path


# --- metadata -------------------------------------------------------------------------------------------------

def _referenced_collections():
    """Every `namespace.collection` a role, playbook or the example inventory uses by FQCN (modules, connections,
    network_os), outside comments, and every collection the plugins and roles import Python code from."""
    found = {}
    for top in ("plugins", "roles"):
        for folder, _dirs, names in os.walk(os.path.join(ROOT, top)):
            for name in names:
                if name.endswith(".py"):
                    with open(os.path.join(folder, name)) as handle:
                        for match in re.finditer(r"ansible_collections\.(\w+)\.(\w+)", handle.read()):
                            found.setdefault("%s.%s" % match.group(1, 2), set()).add(name)
    pattern = re.compile(r"(?<![\w.])([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]+)(?![\w.(])")
    for top in ("roles", "playbooks", "inventory"):
        for folder, _dirs, names in os.walk(os.path.join(ROOT, top)):
            for name in names:
                if not name.endswith((".yml", ".yaml")):
                    continue
                path = os.path.join(folder, name)
                with open(path) as handle:
                    for line in handle:
                        code = line.split("#", 1)[0]
                        for match in pattern.finditer(code):
                            found.setdefault("%s.%s" % match.group(1, 2), set()).add(os.path.relpath(path, ROOT))
    return found


def test_galaxy_dependencies_are_what_the_roles_use(galaxy):
    used = {name for name in _referenced_collections() if name not in BUILTIN_NAMESPACES}
    # only collections that exist (a Jinja attribute such as item.value.ansible_host is not a collection)
    wheel = os.path.join(sysconfig.get_paths()["purelib"], "ansible_collections")
    known = {name for name in used if os.path.isdir(os.path.join(wheel, *name.split(".")))}
    assert known == set(galaxy["dependencies"]), (known, galaxy["dependencies"])
    assert "cisco.asa" in galaxy["dependencies"] and "cisco.ios" in galaxy["dependencies"]


def test_requirements_yml_matches_galaxy(galaxy):
    listed = {c["name"]: c["version"] for c in _read_yaml(os.path.join(ROOT, "requirements.yml"))["collections"]}
    assert listed == galaxy["dependencies"]


def test_tarball_carries_the_ee_metadata(tarball, galaxy):
    with tarfile.open(tarball) as archive:
        names = archive.getnames()
        manifest = yaml.safe_load(archive.extractfile("MANIFEST.json").read())
        meta = yaml.safe_load(archive.extractfile("meta/execution-environment.yml").read())
    info = manifest["collection_info"]
    assert (info["namespace"], info["name"], info["version"]) == ("collab", "firewall", galaxy["version"])
    assert info["dependencies"] == galaxy["dependencies"]
    assert meta["dependencies"] == {"python": "meta/ee-requirements.txt", "system": "meta/ee-bindep.txt"}
    for name in ("meta/ee-requirements.txt", "meta/ee-bindep.txt", "plugins/plugin_utils/catalog/data/cucm.yml",
                 "plugins/filter/uc_report.py", "roles/asa_acl/tasks/main.yml", "playbooks/render.yml"):
        assert name in names
    assert not [n for n in names if n.startswith((".venv", "tests/output", "out/", "extensions/molecule", "build/",
                                                 "bench"))]
    # the AWX / AAP configuration as code travels with the collection
    assert "extensions/aap/configure.yml" in names and "extensions/aap/controller.yml" in names
    # the developers' requirements.txt stays out of the collection; ansible-builder would otherwise not need it
    assert "requirements.txt" not in names


def test_repository_requirements_include_the_collection_libraries():
    with open(os.path.join(ROOT, "requirements.txt")) as handle:
        assert "-r meta/ee-requirements.txt" in handle.read().splitlines()
    assert set(_requirement_names(os.path.join(ROOT, "meta", "ee-requirements.txt"))) == {"netaddr", "jmespath"}


# --- execution environment ------------------------------------------------------------------------------------

def test_definition_names_only_the_collection_tarball(context, galaxy):
    definition = context["definition"]
    assert definition["version"] == 3
    tarball = "collab-firewall-%s.tar.gz" % galaxy["version"]
    assert definition["dependencies"]["galaxy"] == {
        "collections": [{"name": "collab_firewall/" + tarball, "type": "file"}]}
    assert definition["additional_build_files"][0]["src"] == "build/" + tarball
    assert "collab-firewall-ee:%s" % galaxy["version"] in definition["options"]["tags"]
    assert "No matches" not in context["log"], context["log"]
    assert (context["dir"] / "_build" / "collab_firewall" / tarball).exists()


def test_containerfile_installs_ansible_and_the_collection(context):
    text = context["containerfile"]
    core = _requirement_names(os.path.join(ROOT, "requirements.txt"))["ansible-core"]
    assert core in text and "ansible-runner" in text
    assert "python3.11" in text
    assert "ansible-galaxy collection install" in text and "-r requirements.yml" in text
    assert "ansible-doc -t lookup collab.firewall.uc_ports" in text


def test_galaxy_step_installs_the_collection(context):
    assert (context["installed"] / "MANIFEST.json").exists()
    assert (context["installed"] / "meta" / "execution-environment.yml").exists()


def test_image_requirements_come_from_the_collection(context):
    pip = context["pip"]
    ours = _requirement_names(os.path.join(ROOT, "meta", "ee-requirements.txt"))
    for library in ("netaddr", "jmespath"):
        assert pip[library] == ours[library]
        # put there by introspection of the installed collab.firewall (meta/execution-environment.yml), not by
        # the definition or another collection
        assert "%s  # from collection collab.firewall" % ours[library] in context["pip_text"].splitlines(), \
            context["pip_text"]
    assert "ansible-pylibssh" in pip                   # the definition's own addition
    assert "ansible" not in pip and "pytest" not in pip and "ansible-lint" not in pip
    bindep = context["bindep"]
    for line in ("openssh-clients [platform:rpm]", "openssh-client [platform:dpkg]",
                 "sshpass [platform:rpm platform:dpkg]", "git [platform:rpm platform:dpkg]"):
        assert line + "  # from collection collab.firewall" in bindep, bindep


# --- a user's fresh install -------------------------------------------------------------------------------------

def test_fresh_install_runs_the_lookup(installed, tmp_path):
    out = _run([_tool("ansible"), "localhost", "-m", "ansible.builtin.debug",
                "-a", "msg={{ lookup('collab.firewall.uc_ports', 'cucm', port=2000) | length }}"],
               tmp_path, env=_installed_env(installed))
    count = re.search(r'"msg": "?(\d+)', out)
    assert count and int(count.group(1)) > 0, out


def test_fresh_install_documents_every_plugin_and_role(installed, tmp_path):
    env = _installed_env(installed)
    root = installed / "ansible_collections" / "collab" / "firewall"
    for kind in ("filter", "lookup", "action"):
        folder = root / "plugins" / kind
        names = sorted(p.stem for p in folder.glob("*.py") if not p.stem.startswith("_")) if folder.is_dir() else []
        if kind == "action":
            kind, folder = "module", root / "plugins" / "modules"
            names = sorted(p.stem for p in folder.glob("*.py"))
        for name in names:
            text = _run([_tool("ansible-doc"), "-t", kind, "collab.firewall." + name], tmp_path, env=env)
            assert "EXAMPLES" in text, (kind, name, text[:500])
    for role in sorted(p.name for p in (root / "roles").iterdir()):
        text = _run([_tool("ansible-doc"), "-t", "role", "collab.firewall." + role], tmp_path, env=env)
        assert re.search(r"ENTRY POINT: \*?main\*? - ", text), text[:500]
        assert "EXAMPLES:" in text, "the role %s documents no example" % role


def test_bindep_reads_the_system_packages(context, tmp_path):
    """bindep (which the image build runs) parses the file and picks this platform's packages (Debian: dpkg)."""
    bindep = _tool("bindep")
    if bindep is None:
        pytest.skip("bindep is not installed (it comes with ansible-builder)")
    (tmp_path / "bindep.txt").write_text(context["bindep"])
    listed = _run([bindep, "--file", str(tmp_path / "bindep.txt"), "--list_all=newline"], tmp_path).split()
    if os.path.exists("/usr/bin/dpkg"):
        assert sorted(listed) == ["git", "openssh-client", "sshpass"], listed
    elif os.path.exists("/usr/bin/rpm"):
        assert sorted(listed) == ["git", "openssh-clients", "sshpass"], listed
