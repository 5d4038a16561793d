# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Render CHANGELOG.rst and changelogs/changelog.yaml from changelogs/fragments/ with antsibull-changelog.

    python tools/changelog.py            # rewrite both files (`make changelog`)
    python tools/changelog.py --check    # fail if they differ from what the fragments give (tests/run.sh build)

The version is galaxy.yml's; until it is tagged, every fragment belongs to it. The fragments stay in place
(keep_fragments in changelogs/config.yaml) and the release is rebuilt from all of them in a scratch copy each
time, so an edited or removed fragment is reflected too. The release date is kept from changelog.yaml once set.
"""
import datetime
import os
import shutil
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTPUTS = ("CHANGELOG.rst", os.path.join("changelogs", "changelog.yaml"))
# what antsibull-changelog reads: the collection's identity and version, its plugins and the fragments
INPUTS = ("galaxy.yml", "meta", "plugins", "roles", "playbooks", os.path.join("changelogs", "config.yaml"),
          os.path.join("changelogs", "fragments"))


def _tool():
    candidate = os.path.join(os.path.dirname(sys.executable), "antsibull-changelog")
    return candidate if os.path.exists(candidate) else shutil.which("antsibull-changelog") or "antsibull-changelog"


def _release_date(version):
    try:
        with open(os.path.join(ROOT, "changelogs", "changelog.yaml")) as handle:
            releases = (yaml.safe_load(handle) or {}).get("releases") or {}
    except FileNotFoundError:
        releases = {}
    date = (releases.get(version) or {}).get("release_date")
    return str(date) if date else datetime.date.today().isoformat()


def render():
    """{relative path: text} of the outputs, rendered from the fragments in a scratch copy."""
    with open(os.path.join(ROOT, "galaxy.yml")) as handle:
        version = yaml.safe_load(handle)["version"]
    with tempfile.TemporaryDirectory() as top:
        # antsibull-changelog lists the new plugins with ansible-doc, which needs the collection on its path
        scratch = os.path.join(top, "ansible_collections", "collab", "firewall")
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=top,
                   PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
        env.pop("PYTHONPATH", None)
        env.pop("ANSIBLE_CONFIG", None)
        for name in INPUTS:
            source, target = os.path.join(ROOT, name), os.path.join(scratch, name)
            if os.path.isdir(source):
                shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                os.makedirs(os.path.dirname(target), exist_ok=True)
                shutil.copy(source, target)
        with open(os.path.join(scratch, "changelogs", "changelog.yaml"), "w") as handle:
            handle.write("---\nancestor: null\nreleases: {}\n")
        proc = subprocess.run([_tool(), "release", "--reload-plugins", "--version", version,
                               "--date", _release_date(version)],
                              cwd=scratch, env=env, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            sys.exit("antsibull-changelog release failed:\n%s%s" % (proc.stdout, proc.stderr))
        result = {}
        for name in OUTPUTS:
            with open(os.path.join(scratch, name)) as handle:
                result[name] = handle.read()
        return result


def main():
    rendered = render()
    if "--check" in sys.argv:
        stale = []
        for name, text in sorted(rendered.items()):
            try:
                with open(os.path.join(ROOT, name)) as handle:
                    current = handle.read()
            except FileNotFoundError:
                current = None
            if current != text:
                stale.append(name)
        if stale:
            sys.exit("%s out of date with changelogs/fragments/: run `make changelog`" % " and ".join(stale))
        print("CHANGELOG.rst and changelogs/changelog.yaml match the fragments")
        return
    for name, text in rendered.items():
        with open(os.path.join(ROOT, name), "w") as handle:
            handle.write(text)


if __name__ == "__main__":
    main()
