# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Offline stand-in for the pip bootstrap script that ansible-test downloads for its sanity venvs.

Our CI reaches PyPI but not ansible-test's bootstrap host, so tests/run.sh places this file where
ansible-test caches that script. It installs pip from the interpreter's bundled wheel (ensurepip), then
the packages ansible-test asked for (pip==X.Y and friends) from the configured package index.
"""
import subprocess
import sys

ARGS = [arg for arg in sys.argv[1:] if arg not in ("--no-setuptools", "--no-wheel")]
subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade", "--default-pip"])
subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet"] + ARGS)
