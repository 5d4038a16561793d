# -*- coding: utf-8 -*-
# Copyright: contributors to the collab.firewall collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""extensions/aap/: the AWX / AAP configuration as code, validated offline against the awx.awx modules.

No controller is reachable, so the test does what the modules do first: it reads each module's argument spec
from its source (the `argument_spec` and the mutually_exclusive / required_if rules its main() hands to
ControllerAPIModule, plus the connection options of ControllerModule) and its DOCUMENTATION (for suboptions),
renders every task of configure.yml for every object of controller.yml with Ansible's own templar, and
validates the result with Ansible's ArgumentSpecValidator. It then checks what the modules cannot: the objects
refer to each other and to playbooks, inventories and role variables that exist, the surveys follow the shape
AWX accepts, and the workflow is render -> approval -> push.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ast
import os
import re
import sysconfig

import pytest
import yaml
from ansible.module_utils.basic import env_fallback
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AAP = os.path.join(ROOT, "extensions", "aap")
AWX = os.path.join(sysconfig.get_paths()["purelib"], "ansible_collections", "awx", "awx")
OMIT = "__omit_place_holder__collab_fw_test"
RULES = ("mutually_exclusive", "required_if", "required_one_of", "required_together", "required_by")
SURVEY_TYPES = ("text", "textarea", "password", "integer", "float", "multiplechoice", "multiselect")


def _load(path):
    with open(path) as handle:
        return yaml.safe_load(handle)


DATA = _load(os.path.join(AAP, "controller.yml"))
PLAY = _load(os.path.join(AAP, "configure.yml"))[0]


# --- the modules' argument specs -----------------------------------------------------------------------------

def _eval(node):
    """A dict(...) / list / literal expression of a module's source, evaluated with nothing but dict and list."""
    names = {"__builtins__": {}, "dict": dict, "list": list, "env_fallback": env_fallback}
    return eval(compile(ast.Expression(node), "<argument_spec>", "eval"), names)  # pylint: disable=eval-used


def _controller_auth_spec():
    with open(os.path.join(AWX, "plugins", "module_utils", "controller_api.py")) as handle:
        tree = ast.parse(handle.read())
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == "ControllerModule":
            for statement in node.body:
                if isinstance(statement, ast.Assign) and statement.targets[0].id == "AUTH_ARGSPEC":
                    return _eval(statement.value)
    raise AssertionError("ControllerModule.AUTH_ARGSPEC not found in awx.awx")


def _doc_to_spec(options):
    """DOCUMENTATION options -> an argument spec (for the suboptions the source leaves to the module code)."""
    spec = {}
    for name, doc in (options or {}).items():
        entry = {key: doc[key] for key in ("type", "required", "choices", "elements", "aliases", "default") if key in doc}
        if doc.get("suboptions"):
            entry["options"] = _doc_to_spec(doc["suboptions"])
        spec[name] = entry
    return spec


def module_spec(fqcn):
    """(argument spec, validation rules, DOCUMENTATION options) of an awx.awx module, from its source."""
    namespace, collection, name = fqcn.split(".")
    assert (namespace, collection) == ("awx", "awx"), fqcn
    with open(os.path.join(AWX, "plugins", "modules", name + ".py")) as handle:
        source = handle.read()
    tree = ast.parse(source)
    main = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "main")
    assigned = {s.targets[0].id: s.value for s in main.body
                if isinstance(s, ast.Assign) and isinstance(s.targets[0], ast.Name)}
    spec = _eval(assigned["argument_spec"])
    rules = {}
    for call in ast.walk(main):
        if isinstance(call, ast.Call) and getattr(call.func, "id", None) == "ControllerAPIModule":
            for keyword in call.keywords:
                if keyword.arg in RULES:
                    value = keyword.value
                    rules[keyword.arg] = _eval(assigned[value.id] if isinstance(value, ast.Name) else value)
    spec.update(_controller_auth_spec())
    documentation = next(_eval(s.value) for s in tree.body
                         if isinstance(s, ast.Assign) and getattr(s.targets[0], "id", None) == "DOCUMENTATION")
    return spec, rules, yaml.safe_load(documentation)["options"]


def _option_names(spec):
    names = set(spec)
    for entry in spec.values():
        names.update(entry.get("aliases", []))
    return names


# --- configure.yml rendered per object --------------------------------------------------------------------------

def _tasks():
    found = []
    for task in PLAY["tasks"]:
        module = next(key for key in task if key.startswith("awx.awx."))
        listed = re.fullmatch(r"\{\{ (\w+) \}\}", task["loop"]).group(1)
        found.append((task["name"], module, task[module], listed))
    return found


TASKS = _tasks()


def _render(args, item):
    variables = dict(DATA, item=item, omit=OMIT, **PLAY.get("vars", {}))
    templar = Templar(loader=DataLoader(), variables=variables)
    rendered = {key: templar.template(value) for key, value in args.items()}
    return {key: value for key, value in rendered.items() if value != OMIT}


def test_configure_creates_every_kind_of_object():
    modules = [module for _name, module, _args, _listed in TASKS]
    for wanted in ("organization", "credential", "execution_environment", "project", "inventory", "inventory_source",
                   "job_template", "workflow_job_template", "workflow_job_template_node"):
        assert "awx.awx." + wanted in modules
    assert PLAY["vars_files"] == ["controller.yml"]


@pytest.mark.parametrize("name, module, args, listed", TASKS, ids=[t[0] for t in TASKS])
def test_task_options_exist_in_the_module(name, module, args, listed):
    spec, _rules, _doc = module_spec(module)
    unknown = set(args) - _option_names(spec)
    assert not unknown, "%s: %s has no option %s" % (name, module, sorted(unknown))


@pytest.mark.parametrize("name, module, args, listed", TASKS, ids=[t[0] for t in TASKS])
def test_every_object_key_reaches_the_module(name, module, args, listed):
    used = set(re.findall(r"\bitem\.(\w+)", " ".join(str(v) for v in args.values())))
    for item in DATA[listed]:
        dropped = set(item) - used
        assert not dropped, "%s: %s of %r would be ignored by the task" % (listed, sorted(dropped), item)


@pytest.mark.parametrize("name, module, args, listed", TASKS, ids=[t[0] for t in TASKS])
def test_every_object_passes_the_module_argument_spec(name, module, args, listed):
    spec, rules, documentation = module_spec(module)
    assert DATA[listed], listed
    for item in DATA[listed]:
        params = _render(args, item)
        result = ArgumentSpecValidator(spec, **rules).validate(params)
        assert not result.error_messages, "%s %r: %s" % (module, item, result.error_messages)
        # suboptions the source does not declare (approval_node) against the DOCUMENTATION
        for option, value in params.items():
            sub = (documentation.get(option) or {}).get("suboptions")
            if sub and isinstance(value, dict) and "options" not in spec[option]:
                sub_result = ArgumentSpecValidator(_doc_to_spec(sub)).validate(value)
                assert not sub_result.error_messages, "%s.%s: %s" % (module, option, sub_result.error_messages)


def test_the_validation_catches_mistakes():
    """The checks above can fail: a wrong choice, a missing required option and an unknown option are caught."""
    spec, rules, _doc = module_spec("awx.awx.job_template")
    bad = ArgumentSpecValidator(spec, **rules).validate({"name": "x", "job_type": "apply", "playbok": "a.yml"})
    assert any("job_type" in m for m in bad.error_messages) and any("playbok" in m for m in bad.error_messages)
    spec, rules, _doc = module_spec("awx.awx.workflow_job_template_node")
    both = ArgumentSpecValidator(spec, **rules).validate({"identifier": "a", "workflow_job_template": "w",
                                                         "unified_job_template": "t", "approval_node": {"name": "n"}})
    assert both.error_messages, "approval_node and unified_job_template are mutually exclusive"
    missing = ArgumentSpecValidator(spec, **rules).validate({"identifier": "a"})
    assert any("workflow_job_template" in m for m in missing.error_messages)


# --- what the modules cannot check ------------------------------------------------------------------------------

def _names(listed):
    return {item["name"] for item in DATA[listed]}


def _role_options(role):
    return _load(os.path.join(ROOT, "roles", role, "meta", "argument_specs.yml"))["argument_specs"]["main"]["options"]


def test_objects_refer_to_each_other():
    organizations = _names("collab_fw_aap_organizations")
    for listed in ("collab_fw_aap_credentials", "collab_fw_aap_execution_environments", "collab_fw_aap_projects",
                   "collab_fw_aap_inventories", "collab_fw_aap_inventory_sources", "collab_fw_aap_job_templates",
                   "collab_fw_aap_workflow_job_templates", "collab_fw_aap_workflow_nodes"):
        for item in DATA[listed]:
            assert item.get("organization", next(iter(organizations))) in organizations, item
    environments = _names("collab_fw_aap_execution_environments")
    for project in DATA["collab_fw_aap_projects"]:
        assert project["default_environment"] in environments
    for source in DATA["collab_fw_aap_inventory_sources"]:
        assert source["inventory"] in _names("collab_fw_aap_inventories")
        assert source["source_project"] in _names("collab_fw_aap_projects")
        assert os.path.isfile(os.path.join(ROOT, source["source_path"], "hosts.yml")), source["source_path"]
    for template in DATA["collab_fw_aap_job_templates"]:
        assert template["project"] in _names("collab_fw_aap_projects")
        assert template["inventory"] in _names("collab_fw_aap_inventories")
        assert template["execution_environment"] in environments
        assert set(template.get("credentials", [])) <= _names("collab_fw_aap_credentials")
        assert os.path.isfile(os.path.join(ROOT, template["playbook"])), template["playbook"]


def test_job_templates_for_every_job():
    playbooks = {t["playbook"] for t in DATA["collab_fw_aap_job_templates"]}
    assert {"playbooks/render.yml", "playbooks/audit.yml", "playbooks/network_acls.yml",
            "playbooks/host_firewall.yml"} <= playbooks
    render = next(t for t in DATA["collab_fw_aap_job_templates"] if t["playbook"] == "playbooks/render.yml")
    assert not render.get("credentials"), "rendering contacts no device and needs no credential"
    for template in DATA["collab_fw_aap_job_templates"]:
        if template["playbook"] in ("playbooks/network_acls.yml", "playbooks/host_firewall.yml"):
            assert template["ask_limit_on_launch"] and template["survey_enabled"], template["name"]
            assert template["allow_simultaneous"] is False, "two runs must never race on one node"
            states = [q for q in template["survey_spec"]["spec"] if q["variable"].endswith("_state")]
            assert states, "%s: no survey question for the state" % template["name"]


def _survey_questions():
    for template in DATA["collab_fw_aap_job_templates"]:
        if template.get("survey_spec"):
            for question in template["survey_spec"]["spec"]:
                yield template, question


def test_surveys_have_the_shape_awx_accepts():
    for template in DATA["collab_fw_aap_job_templates"]:
        survey = template.get("survey_spec")
        if not survey:
            assert not template.get("survey_enabled")
            continue
        assert template["survey_enabled"] is True
        assert set(survey) == {"name", "description", "spec"}
        variables = [q["variable"] for q in survey["spec"]]
        assert len(variables) == len(set(variables)), template["name"]
    for template, question in _survey_questions():
        assert {"question_name", "variable", "type", "required"} <= set(question), question
        assert question["type"] in SURVEY_TYPES, question
        if question["type"] in ("multiplechoice", "multiselect"):
            assert isinstance(question["choices"], list) and question["choices"], question
            assert all(isinstance(c, str) for c in question["choices"]), "survey answers are strings"
            assert question.get("default") in question["choices"], question
        if question["type"] == "text" and "default" in question:
            assert question.get("min", 0) <= len(question["default"]) <= question.get("max", 1024), question


def test_survey_answers_are_what_the_roles_accept():
    options = {}
    for role in ("host_firewall", "ios_acl", "asa_acl"):
        options.update(_role_options(role))
    for template, question in _survey_questions():
        variable = question["variable"]
        if variable in options:
            accepted = options[variable].get("choices")
            if options[variable].get("type") == "bool":
                accepted = ["true", "false"]
            if accepted is not None:
                assert set(question["choices"]) <= {str(c) for c in accepted}, (variable, question["choices"])
        else:
            # a play variable, not a role option: the template's playbook reads it
            with open(os.path.join(ROOT, template["playbook"])) as handle:
                assert variable in handle.read(), "%s: nothing reads %s" % (template["name"], variable)


def test_workflow_is_render_review_push():
    nodes = DATA["collab_fw_aap_workflow_nodes"]
    workflows = _names("collab_fw_aap_workflow_job_templates")
    templates = {t["name"]: t for t in DATA["collab_fw_aap_job_templates"]}
    seen = set()
    for node in nodes:
        assert node["workflow_job_template"] in workflows
        assert set(node.get("success_nodes", [])) <= seen, "%s links to a node created after it" % node["identifier"]
        assert node["identifier"] not in seen
        seen.add(node["identifier"])
        if "unified_job_template" in node:
            assert node["unified_job_template"] in templates, node
            playbook = templates[node["unified_job_template"]]["playbook"]
            survey = {q["variable"]: q for q in templates[node["unified_job_template"]].get("survey_spec", {})
                      .get("spec", [])}
            for variable, value in node.get("extra_data", {}).items():
                # AWX accepts a node's extra_data only for survey variables (or with ask_variables_on_launch)
                assert variable in survey, (node["identifier"], variable)
                assert "choices" not in survey[variable] or value in survey[variable]["choices"], (variable, value)
            node["_playbook"] = playbook
    by_id = {n["identifier"]: n for n in nodes}
    children = {c for n in nodes for c in n.get("success_nodes", [])}
    (start,) = [n for n in nodes if n["identifier"] not in children]
    assert start["_playbook"] == "playbooks/render.yml"
    (review,) = [by_id[i] for i in start["success_nodes"]]
    assert "approval_node" in review and "unified_job_template" not in review
    pushed = {by_id[i]["_playbook"] for i in review["success_nodes"]}
    assert pushed == {"playbooks/network_acls.yml", "playbooks/host_firewall.yml"}
    for identifier in review["success_nodes"]:
        states = {k: v for k, v in by_id[identifier]["extra_data"].items() if k.endswith("_state")}
        assert states and all(v in ("applied", "merged", "replaced", "overridden") for v in states.values()), states
