#!/usr/bin/env bash
# The whole test suite, as `make test` runs it: ansible-test sanity, ansible-test units, the emulator's own
# tests, and ansible-test integration against the emulator. Every stage runs; the exit status is non-zero
# if any failed.
set -uo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

# ansible-test only runs inside .../ansible_collections/<namespace>/<name>/: test a copy placed there.
BUILD_ROOT=${BUILD_ROOT:-$ROOT/build}
COLLECTION="$BUILD_ROOT/ansible_collections/alibabacloud/ecs"
LOGS="$BUILD_ROOT/logs"

sync_collection() {
    rm -rf "$COLLECTION"
    mkdir -p "$COLLECTION" "$LOGS"
    (cd "$ROOT" && tar --exclude=./.venv --exclude=./build --exclude=./.git --exclude=./tests/output \
        --exclude='__pycache__' --exclude=./.pytest_cache -cf - .) | tar -xf - -C "$COLLECTION"
    # ansible-test lists a collection's files with git when it sits in a git work tree (and this copy sits in
    # ours, ignored): give the copy a repository of its own so that it sees them.
    (cd "$COLLECTION" && git init -q . && git add -A)
}

# ansible-test bootstraps pip in its virtual environments with a script from ci-files.testing.ansible.com,
# which is out of reach here; give it a stand-in that installs the same pip from the package index.
provide_pip_bootstrap() {
    local version cache
    version=$(grep -oE "pip='[0-9.]+'" "$("$PY" -c 'import ansible_test, os; print(os.path.dirname(ansible_test.__file__))')/_internal/python_requirements.py" | grep -oE '[0-9]+(\.[0-9]+)*')
    cache="$HOME/.ansible/test/cache/get_pip_${version//./_}.py"
    if [ ! -s "$cache" ]; then
        mkdir -p "$(dirname "$cache")"
        cp "$ROOT/scripts/ansible_test_get_pip.py" "$cache"
    fi
}

declare -a STAGE_NAMES=() STAGE_RESULTS=() STAGE_SECONDS=()
stage() {
    local name=$1 started status
    shift
    echo
    echo "=== $name"
    started=$(date +%s)
    "$@"
    status=$?
    STAGE_NAMES+=("$name")
    STAGE_RESULTS+=("$([ $status -eq 0 ] && echo passed || echo "FAILED ($status)")")
    STAGE_SECONDS+=("$(($(date +%s) - started))")
}

run_sanity() {
    (cd "$COLLECTION" && ansible-test sanity --venv --color no "$@")
}

run_units() {
    (cd "$COLLECTION" && ansible-test units --local --color no --python "$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')")
}

run_emulator_tests() {
    (cd "$ROOT" && "$PY" -m pytest tests/emulator -q -p no:cacheprovider)
}

run_integration() {
    local status
    start_emulator "$LOGS/emulator-integration.log" || return 1
    sed -e "s/@PORT@/$EMULATOR_PORT/g" "$COLLECTION/tests/integration/integration_config.yml.template" \
        >"$COLLECTION/tests/integration/integration_config.yml"
    (cd "$COLLECTION" && ansible-test integration --local --color no --python-interpreter "$PY")
    status=$?
    stop_emulator
    return $status
}

trap stop_emulator EXIT
sync_collection
provide_pip_bootstrap
started_all=$(date +%s)
# TEST_STAGES picks some stages while developing (for example TEST_STAGES="units integration"); default: all.
wanted() { [ -z "${TEST_STAGES:-}" ] || [[ " $TEST_STAGES " == *" $1 "* ]]; }
wanted sanity && stage "ansible-test sanity" run_sanity
wanted units && stage "ansible-test units" run_units
wanted emulator && stage "emulator tests (pytest, real SDK)" run_emulator_tests
wanted integration && stage "ansible-test integration (against the emulator)" run_integration

echo
echo "=== summary ($(($(date +%s) - started_all)) s)"
failed=0
for i in "${!STAGE_NAMES[@]}"; do
    printf '%-52s %-12s %5s s\n' "${STAGE_NAMES[$i]}" "${STAGE_RESULTS[$i]}" "${STAGE_SECONDS[$i]}"
    [ "${STAGE_RESULTS[$i]}" = passed ] || failed=$((failed + 1))
done
echo "stages: $((${#STAGE_NAMES[@]} - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
