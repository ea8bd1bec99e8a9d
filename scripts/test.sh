#!/usr/bin/env bash
# The whole test suite, as `make test` runs it: ansible-test sanity and units (on the default Python, then on the
# newest ansible-core of a newer Python), the emulator's own tests, ansible-test integration against the emulator
# (the emulator scenarios, then the real-cloud scenario rehearsed on the emulator), and the release checks: rendered
# docs, changelog, ansible-lint, execution environment and tarball. Every stage runs; the exit status is non-zero
# if any failed.
set -uo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

# ansible-test only runs inside .../ansible_collections/<namespace>/<name>/: test a copy placed there.
BUILD_ROOT=${BUILD_ROOT:-$ROOT/build}
COLLECTION="$BUILD_ROOT/ansible_collections/alibabacloud/ecs"
LOGS="$BUILD_ROOT/logs"

# The release checks: rendered docs, changelog, ansible-lint, execution environment, tarball.
# shellcheck source=scripts/ecosystem.sh
source "$ROOT/scripts/ecosystem.sh"

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

run_reliability() {
    (cd "$ROOT" && "$PY" -m pytest tests/reliability -q -p no:cacheprovider)
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

# The second column of the matrix: the newest Python 3.12+ there is, with the newest ansible-core it gets.
MATRIX_PY=$(newer_python)
MATRIX_VERSION=${MATRIX_PY:+$("$MATRIX_PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')}
MATRIX_VENV="$ROOT/.venv-py$MATRIX_VERSION"

build_tool_environments() {
    ensure_tools || return 1
    echo "$TOOLS_VENV: $("$TOOLS_VENV/bin/python" -m pip list --disable-pip-version-check 2>/dev/null \
        | grep -iE '^(ansible-core|antsibull-docs|antsibull-changelog|ansible-lint|ansible-builder) ' | tr -s ' ' \
        | paste -sd, -)"
    if [ -z "$MATRIX_PY" ]; then
        echo "No Python 3.12 or newer on PATH: the matrix stages are skipped."
        return 0
    fi
    ensure_venv "$MATRIX_VENV" "$MATRIX_PY" "$ROOT/requirements-matrix.txt" "$ROOT/tests/unit/requirements.txt" \
        || return 1
    provide_pip_bootstrap "$MATRIX_VENV/bin/python"
    echo "$MATRIX_VENV: ansible-core $(matrix_core_version) on Python $MATRIX_VERSION"
}

matrix_core_version() {
    "$MATRIX_VENV/bin/python" -c 'from ansible.release import __version__; print(__version__)' 2>/dev/null \
        || echo "2.20+"
}

matrix_label() {
    if [ -z "$MATRIX_PY" ]; then
        echo "(skipped: no Python 3.12+)"
    else
        echo "(ansible-core $(matrix_core_version), Py $MATRIX_VERSION)"
    fi
}

# run_matrix sanity|units: that ansible-test command with the matrix environment's ansible-core, on its Python only
# (the default run covers every other Python).
run_matrix() {
    if [ -z "$MATRIX_PY" ]; then
        echo "SKIPPED: no Python 3.12 or newer is installed, so no newer ansible-core can run here."
        return 0
    fi
    [ -x "$MATRIX_VENV/bin/ansible-test" ] || build_tool_environments || return 1
    if [ "$1" = sanity ]; then
        (cd "$COLLECTION" && PATH="$MATRIX_VENV/bin:$PATH" ansible-test sanity --venv --color no \
            --python "$MATRIX_VERSION")
    else
        (cd "$COLLECTION" && PATH="$MATRIX_VENV/bin:$PATH" ansible-test units --local --color no \
            --python "$MATRIX_VERSION")
    fi
}

# The real-cloud scenario (make test-cloud) run end to end against an emulator instead: it proves cloud.yml and
# scripts/test_cloud.sh work without sending anything anywhere but loopback. The emulator's credentials replace any
# real ones in the environment. Then the skip path, with every real-cloud variable unset.
run_cloud_rehearsal() {
    local status output
    start_emulator "$LOGS/emulator-cloud-rehearsal.log" --demo-seed || return 1
    ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI5tEmulatorTestKey ALIBABA_CLOUD_ACCESS_KEY_SECRET=emulator-secret-not-real \
        ALIBABA_CLOUD_REGION_ID=cn-hangzhou ECS_TEST_ENI_ID=eni-demo0001 ALIBABA_CLOUD_SECURITY_TOKEN='' \
        ALIBABA_CLOUD_ECS_ENDPOINT="http://127.0.0.1:$EMULATOR_PORT" BUILD_ROOT="$BUILD_ROOT" \
        bash "$ROOT/scripts/test_cloud.sh"
    status=$?
    stop_emulator
    output=$(env -u ALIBABA_CLOUD_ACCESS_KEY_ID -u ALIBABA_CLOUD_ACCESS_KEY_SECRET -u ALIBABA_CLOUD_REGION_ID \
        -u ECS_TEST_ENI_ID bash "$ROOT/scripts/test_cloud.sh") || { echo "$output"; return 1; }
    echo "$output"
    echo "$output" | grep -q "SKIPPED" || { echo "make test-cloud without settings did not say it skipped."; return 1; }
    return $status
}

trap stop_emulator EXIT
mkdir -p "$LOGS"
sync_collection "$COLLECTION"
provide_pip_bootstrap
started_all=$(date +%s)
# TEST_STAGES picks some stages while developing (for example TEST_STAGES="units integration"); default: all.
# Stages: sanity units tools matrix emulator integration reliability cloud docs changelog lint ee tarball.
wanted() { [ -z "${TEST_STAGES:-}" ] || [[ " $TEST_STAGES " == *" $1 "* ]]; }
wanted sanity && stage "ansible-test sanity" run_sanity
wanted units && stage "ansible-test units" run_units
wanted tools && stage "tool environments (.venv-tools, matrix)" build_tool_environments
wanted matrix && stage "ansible-test sanity $(matrix_label)" run_matrix sanity
wanted matrix && stage "ansible-test units $(matrix_label)" run_matrix units
wanted emulator && stage "emulator tests (pytest, real SDK)" run_emulator_tests
wanted integration && stage "ansible-test integration (against the emulator)" run_integration
wanted reliability && stage "reliability: faults, races, waits, fuzz, secrets" run_reliability
wanted cloud && stage "test-cloud rehearsed on the emulator; skip path" run_cloud_rehearsal
wanted docs && stage "docs: rendered pages current, lint-collection-docs" check_docs
wanted changelog && stage "changelog: antsibull-changelog lint, CHANGELOG" check_changelog
wanted lint && stage "ansible-lint (production): examples, demo, targets" check_lint
wanted ee && stage "execution environment: ansible-builder" check_execution_environment
wanted tarball && stage "tarball: no dev files, offline install, run" check_tarball

echo
echo "=== summary ($(($(date +%s) - started_all)) s)"
failed=0
for i in "${!STAGE_NAMES[@]}"; do
    printf '%-52s %-12s %5s s\n' "${STAGE_NAMES[$i]}" "${STAGE_RESULTS[$i]}" "${STAGE_SECONDS[$i]}"
    [ "${STAGE_RESULTS[$i]}" = passed ] || failed=$((failed + 1))
done
echo "stages: $((${#STAGE_NAMES[@]} - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
