# collab.firewall developer entry points. `make render` is the main job, `make test` the whole suite.
SHELL := /bin/bash
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
COLLECTIONS := $(CURDIR)/collections
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg

.PHONY: setup render catalog changelog test unit sanity lint build clean

$(BIN)/ansible-playbook: requirements.txt meta/ee-requirements.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt
	touch $@

# Virtual environment, then the collection built and installed like a user would.
setup: $(BIN)/ansible-playbook
	rm -rf build && mkdir -p build
	$(BIN)/ansible-galaxy collection build --force --output-path build .
	$(BIN)/ansible-galaxy collection install --force -p $(COLLECTIONS) build/collab-firewall-*.tar.gz

# The main job: render the example deployment into out/ without contacting any device.
render: setup
	$(BIN)/ansible-playbook playbooks/render.yml

# CHANGELOG.rst and changelogs/changelog.yaml from changelogs/fragments/ (run after adding a fragment)
changelog: $(BIN)/ansible-playbook
	$(BIN)/antsibull-changelog lint
	$(BIN)/python tools/changelog.py

test: setup
	bash tests/run.sh

clean:
	rm -rf build collections out tests/output
