"""Load the netns host fixtures (tests/hosts/fixtures.py) for the tests of this folder.

Imported by file path under a unique module name: other test folders hold a `fixtures`
package, so a plain `import fixtures` could pick the wrong one.
"""
import importlib.util
import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

_spec = importlib.util.spec_from_file_location("tests_hosts_fixtures", os.path.join(_HERE, "fixtures.py"))
_mod = importlib.util.module_from_spec(_spec)
sys.modules["tests_hosts_fixtures"] = _mod
_spec.loader.exec_module(_mod)

netns_env_factory = _mod.netns_env_factory
netns_hosts = _mod.netns_hosts
netns_skip_reason = _mod.netns_skip_reason
