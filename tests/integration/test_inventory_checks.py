# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inventory checks as a user meets them in a real play: deployment variables that disagree stop the run
with the variable, two hosts and the files their values come from; zones the inventory does not mention are
warnings in the play output; booleans from -e strings are read as Ansible reads them."""
from __future__ import absolute_import, division, print_function

import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BIN = os.path.dirname(sys.executable)
EXAMPLE = os.path.join(ROOT, "inventory", "example")
FLOWS = os.path.join(ROOT, "playbooks", "compute_flows.yml")


def run(inventory, *args):
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_DISPLAY_ARGS_TO_STDOUT="0")
    return subprocess.run([os.path.join(BIN, "ansible-playbook"), "-i", str(inventory), FLOWS] + list(args),
                          capture_output=True, text=True, timeout=300, check=False, env=env, cwd=ROOT)


def test_a_deployment_variable_set_on_one_group_is_an_error_naming_both_sources(tmp_path):
    inventory = tmp_path / "inventory"
    shutil.copytree(EXAMPLE, str(inventory))
    (inventory / "group_vars" / "unity.yml").write_text("---\nuc_features: [ntp, snmp]\n")
    proc = run(inventory)
    assert proc.returncode != 0
    assert ("collab.firewall.uc_flows: inventory: uc_features: UC nodes disagree: cuc-1 has ['ntp', 'snmp'] (from %s), "
            "cucm-pub-1 has ['axl'" % (inventory / "group_vars" / "unity.yml")) in proc.stdout, proc.stdout[-3000:]
    assert "(from %s)" % (inventory / "group_vars" / "all.yml") in proc.stdout
    # the same value for everyone from the command line is one source again
    assert run(inventory, "-e", '{"uc_features": ["ntp"]}').returncode == 0
    # so are the variables of the uc group, which localhost does not see
    (inventory / "group_vars" / "unity.yml").unlink()
    (inventory / "group_vars" / "all.yml").rename(inventory / "group_vars" / "uc.yml")
    proc = run(inventory)
    assert proc.returncode == 0, proc.stdout[-3000:]


def test_unmentioned_zones_are_warnings_and_string_booleans_are_read(tmp_path):
    proc = run(EXAMPLE, "-e", "uc_open_ephemeral=false", "-e", "uc_strict_zones=no")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    text = " ".join((proc.stdout + proc.stderr).split())  # the display wraps long warnings
    for zone in ("asa_proxy", "cuic", "media_server", "vvb"):
        assert "collab.firewall.uc_flows: zone %s has no addresses" % zone in text
        assert "set uc_zones.%s (or uc_zones.%s: [] to leave it out on purpose)" % (zone, zone) in text
    assert "zone phone has no addresses" not in text
    strict = run(EXAMPLE, "-e", "uc_strict_zones=true")
    assert strict.returncode != 0 and "inventory: uc_zones: no addresses for asa_proxy, cuic" in strict.stdout
    wrong = run(EXAMPLE, "-e", "uc_open_ephemeral=flase")
    assert "inventory: uc_open_ephemeral: must be a boolean" in wrong.stdout


def test_a_role_list_variable_given_as_a_string_is_an_error_naming_it(tmp_path):
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    proc = subprocess.run([os.path.join(BIN, "ansible-playbook"), "-i", EXAMPLE,
                           os.path.join(ROOT, "playbooks", "host_firewall.yml"), "-e", "host_firewall_hosts=cucm-pub-1",
                           "-e", "host_firewall_state=rendered", "-e", "uc_output_dir=%s" % (tmp_path / "out"),
                           "-e", "host_firewall_firewalld_interfaces=eth0"],
                          capture_output=True, text=True, timeout=300, check=False, env=env, cwd=ROOT)
    assert proc.returncode != 0
    assert ('"msg": "cucm-pub-1: host_firewall_firewalld_interfaces: must be a list, got \\"eth0\\"; write it as a '
            'list: [eth0]"') in proc.stdout, proc.stdout[-3000:]
    assert not (tmp_path / "out").exists()
