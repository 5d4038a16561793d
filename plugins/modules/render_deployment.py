# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: render_deployment
author: collab.firewall developers (@collab-firewall)
version_added: 1.0.0
short_description: Render every ruleset, device configuration and report of a deployment in one pass
description:
  - The main job's render, on the controller and in one pass - computes the deployment once from the
    inventory (as P(collab.firewall.uc_flows#filter) does), renders every UC node's host rulesets, every
    router's and firewall's ACL configuration, every voice gateway's own ACLs and voice trusted list, the
    flow report and the port catalog, then writes the whole tree into the output folder at once.
  - All or nothing - a bad input stops the run before anything is written, and the tree is swapped in only
    when complete (see M(collab.firewall.write_tree)); only files whose content changed are rewritten; files
    of nodes or devices that left the inventory are removed; top-level folders in O(keep) stay.
  - Per-node and per-device settings are read from the inventory under the role variable names
    (C(host_firewall_management_sources), C(host_firewall_nftables_table), C(host_firewall_firewalld_zone),
    C(host_firewall_firewalld_interfaces), C(host_firewall_iptables_ipset), C(ios_acl_interfaces), C(ios_acl_name_prefix),
    C(ios_acl_management), C(ios_acl_log_deny), C(ios_acl_use_object_groups), C(asa_acl_interfaces),
    C(asa_acl_name_prefix), C(asa_acl_management), C(asa_acl_log_deny)), with the roles' defaults, so the
    files are byte for byte those the roles' C(rendered) state writes for one host.
  - Run it once, on C(localhost) (playbook C(collab.firewall.render)).
options:
  dest:
    description:
      - The output folder. Default is the variable C(uc_output_dir), else C(out); a relative path is taken from
        the folder ansible-playbook runs from. Never a folder inside the collection.
    type: path
  deployment:
    description: A precomputed deployment (result of C(collab.firewall.uc_flows)); empty means compute it.
    type: dict
  hosts:
    description: UC nodes whose host rulesets are rendered. Default is every UC node except the gateways.
    type: list
    elements: str
  routers:
    description: IOS routers (role C(ios_acl) settings). Default is the inventory group C(routers).
    type: list
    elements: str
  firewalls:
    description: ASA firewalls (role C(asa_acl) settings). Default is the inventory group C(firewalls).
    type: list
    elements: str
  gateways:
    description:
      - Voice gateways whose own configuration is rendered (role C(ios_acl) settings) - inbound ACLs on the
        interfaces a gateway lists in C(ios_acl_interfaces) (none is fine) and its C(voice service voip)
        trusted list. Default is the inventory group C(gateways).
    type: list
    elements: str
  keep:
    description: Top-level folders of O(dest) that the render leaves alone.
    type: list
    elements: str
    default: [audit, diff]
  publish:
    description:
      - After writing, also hand the rendered tree on. Keys C(archive) (path of a C(.tar.gz) to write),
        C(git_repo) (URL or path of a git repository to commit and push to), C(git_branch) (default C(main),
        created when missing), C(git_path) (folder inside the repository, default its root) and
        C(git_message) (commit message).
      - The git push uses the credentials git finds on the controller (SSH agent or keys, a credential helper,
        or a token in the URL); it never prompts.
    type: dict
attributes:
  check_mode:
    description: Can run in check mode and return changed status prediction without modifying target.
    support: full
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check mode), when in diff mode.
    support: none
  platform:
    description: Target OS/families that can be operated against.
    support: N/A
    platforms: posix
notes:
  - Inventory names become folder names; a name such as C(..) or one containing C(/) is refused.
seealso:
  - module: collab.firewall.write_tree
"""

EXAMPLES = r"""
- name: Render the whole deployment into uc_output_dir (default ./out)
  collab.firewall.render_deployment:
  register: render

- name: Render into a fixed folder and keep a copy as an archive and in git
  collab.firewall.render_deployment:
    dest: /srv/uc-firewall/out
    publish:
      archive: /srv/uc-firewall/rendered.tar.gz
      git_repo: git@git.example.com:network/uc-firewall-rendered.git
      git_branch: main
"""

RETURN = r"""
dest:
  description: The absolute output folder.
  type: str
  returned: always
written:
  description: Relative paths whose content was (or, in check mode, would be) written.
  type: list
  elements: str
  returned: always
removed:
  description: Relative paths that were (or would be) removed.
  type: list
  elements: str
  returned: always
summary:
  description:
    - What was rendered, for C(ansible.builtin.set_stats) - C(output_dir), C(files), C(written), C(removed),
      C(changed), C(flows), C(unresolved), C(nodes) (per node C(files) and C(rules)), C(devices) (per device
      C(platform), C(files), C(acls), C(flows), and for a gateway C(trusted), its trusted-list entries),
      C(seconds) (library time of the catalog and hosts, devices and reports) and C(published) (C(archive)
      path, C(git) repo/branch/commit).
  type: dict
  returned: always
"""
