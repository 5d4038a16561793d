#!/usr/bin/env bash
# The whole test suite of collab.firewall (what `make test` and CI run).
#   bash tests/run.sh [stage...]   stages: unit sanity lint build integration acceptance hosts molecule (default: all)
# Expects `make setup` to have created .venv. Root is needed for the stages that use network namespaces.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$ROOT/.venv/bin
export PATH=$BIN:$PATH
export ANSIBLE_CONFIG=$ROOT/ansible.cfg
stages=("$@")
[ ${#stages[@]} -gt 0 ] || stages=(unit sanity lint build integration acceptance hosts molecule)
# test artifacts (screenshots, logs) land in the checkout, not in the temporary tree copy
export COLLAB_FW_TEST_OUTPUT=$ROOT/tests/output
mkdir -p "$COLLAB_FW_TEST_OUTPUT"
# the test hosts' Debian rootfs is built once per machine (about 80 s) and reused by later runs and clones
export COLLAB_FW_CACHE=${COLLAB_FW_CACHE:-/var/cache/collab-firewall}

# ansible-test and the plugin loaders need the checkout at ansible_collections/collab/firewall:
# a copy of the tracked (and new, not ignored) files, outside this git work tree (ansible-test asks git
# which files to check), refreshed on every run.
TREE=${COLLAB_FW_TEST_TREE:-${TMPDIR:-/tmp}/collab-firewall-tree}
COLL=$TREE/ansible_collections/collab/firewall
arrange_tree() {
  rm -rf "$COLL" && mkdir -p "$COLL"
  git ls-files -z --cached --others --exclude-standard | xargs -0 -I{} cp --parents -P {} "$COLL"/ 2>/dev/null || true
  export ANSIBLE_COLLECTIONS_PATH=$TREE
  export PYTHONPATH=$TREE
}

system_deps() {
  bash tests/system-deps.sh
}

run_unit() {
  echo "== unit tests"
  (cd "$COLL" && python -m pytest -q -p no:cacheprovider tests/unit)
}

run_sanity() {
  echo "== ansible-test sanity"
  local pip_version
  # the pip version ansible-test pins for its venvs, read from its source (ansible-core 2.18: 24.2)
  pip_version=$(grep -oP "pip='\K[0-9.]+" "$(python -c 'import ansible_test, os; print(os.path.dirname(ansible_test.__file__))')/_internal/python_requirements.py" | head -1 | tr . _)
  mkdir -p ~/.ansible/test/cache
  cp tests/sanity/offline_get_pip.py ~/.ansible/test/cache/get_pip_${pip_version}.py
  (cd "$COLL" && ansible-test sanity --python 3.11 --color no)
}

run_build() {
  echo "== collection build and install"
  local tmp
  tmp=$(mktemp -d)
  (cd "$COLL" && ansible-galaxy collection build --output-path "$tmp" . >/dev/null)
  ansible-galaxy collection install --force -p "$tmp/installed" "$tmp"/collab-firewall-*.tar.gz >/dev/null
  test -f "$tmp/installed/ansible_collections/collab/firewall/plugins/plugin_utils/catalog/data/cucm.yml"
  ANSIBLE_COLLECTIONS_PATH=$tmp/installed ansible localhost -m ansible.builtin.debug \
    -a "msg={{ lookup('collab.firewall.uc_ports', 'cucm', port=2000) }}" | tee "$tmp/out.txt" | head -5
  grep -q '"document": "001_f5a05621c64c5648.txt"' "$tmp/out.txt"
  ANSIBLE_COLLECTIONS_PATH=$tmp/installed ansible-doc -t lookup collab.firewall.uc_ports | grep -q "port"
  rm -rf "$tmp"
  echo "build, install, lookup and ansible-doc: ok"
  # the changelog fragments are valid and CHANGELOG.rst is rendered from all of them (`make changelog`)
  (cd "$COLL" && antsibull-changelog lint && python tools/changelog.py --check)
}

run_lint() {
  echo "== ansible-lint (production profile)"
  (cd "$COLL" && ansible-lint --offline roles playbooks extensions/aap)
}

run_integration() {
  echo "== integration tests: playbooks, network roles, HTML report in Chromium, execution environment"
  (cd "$COLL" && python -m pytest -q -p no:cacheprovider tests/integration)
}

run_acceptance() {
  echo "== flow acceptance: expectations from the documents through uc_explain, IOS/ASA ACLs and real packets"
  bash tests/hosts/rootfs.sh >/dev/null
  (cd "$COLL" && python -m pytest -q -p no:cacheprovider tests/acceptance)
}

run_hosts() {
  echo "== test-host harness (network namespaces)"
  bash tests/hosts/rootfs.sh >/dev/null
  (cd "$COLL" && python -m pytest -q -p no:cacheprovider tests/hosts)
}

run_molecule() {
  echo "== molecule: host_firewall on real kernels, one scenario per backend (the podman scenario needs podman: not run)"
  bash tests/hosts/rootfs.sh >/dev/null
  local scenario place
  for scenario in nftables iptables firewalld; do
    # from the repository root (Molecule's collection mode finds extensions/molecule) and from extensions/;
    # Molecule's own state per scenario inside this tree copy, not shared with other checkouts in ~/.ansible
    place=$COLL/extensions
    [ "$scenario" = nftables ] && place=$COLL
    (cd "$place" && MOLECULE_EPHEMERAL_DIRECTORY=$TREE/molecule-state/$scenario molecule test -s "$scenario")
  done
}

arrange_tree
for stage in "${stages[@]}"; do
  case "$stage" in
    unit) system_deps; run_unit ;;
    sanity) run_sanity ;;
    build) run_build ;;
    lint) run_lint ;;
    integration) system_deps; run_integration ;;
    acceptance) system_deps; run_acceptance ;;
    hosts) system_deps; run_hosts ;;
    molecule) system_deps; run_molecule ;;
    *) echo "unknown stage $stage" >&2; exit 2 ;;
  esac
done
echo "== all requested stages passed: ${stages[*]}"
