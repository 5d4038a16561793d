# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared test helpers for this folder: the one inventory loader of tests and benchmarks
(tests/lib/uc_inventory.py), imported by file path as the module ``uc_inventory``."""
import importlib.util
import os
import sys

_LIB = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lib", "uc_inventory.py")
if "uc_inventory" not in sys.modules:
    _spec = importlib.util.spec_from_file_location("uc_inventory", _LIB)
    sys.modules["uc_inventory"] = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(sys.modules["uc_inventory"])
