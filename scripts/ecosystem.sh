#!/usr/bin/env bash
# What users meet besides the modules: the rendered module docs, the changelog, ansible-lint, the execution
# environment metadata and the collection tarball. Each check works on a copy of the collection ($COLLECTION, made
# by sync_collection) with the tools of .venv-tools (requirements-tools.txt).
#
#   bash scripts/ecosystem.sh docs        render docs/modules/ again (make docs)
#   bash scripts/ecosystem.sh changelog   fold changelogs/fragments/ into the release of galaxy.yml's version and
#                                         render CHANGELOG.rst again (make changelog)
#   bash scripts/ecosystem.sh lint        ansible-lint (make lint)
#   bash scripts/ecosystem.sh check       every check that scripts/test.sh runs as its own stage
#
# scripts/test.sh sources this file for its stages: check_docs, check_changelog, check_lint,
# check_execution_environment and check_tarball.
# shellcheck shell=bash

if [ -z "${ROOT:-}" ]; then
    # shellcheck source=scripts/lib.sh
    source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
fi

# The module pages: simplified RST (tables as HTML), which GitHub shows as it is and which needs no Sphinx.
DOCS_DIR=docs/modules

# in_collection COMMAND...: run COMMAND in the copy, with the tools first on PATH and only the copy's collection
# root on the collections path.
in_collection() {
    (cd "$COLLECTION" && PATH="$TOOLS_VENV/bin:$PATH" \
        ANSIBLE_COLLECTIONS_PATH="$(cd "$COLLECTION/../../.." && pwd)" "$@")
}

# render_docs DEST: the module pages of the copy, rendered into DEST.
render_docs() {
    local dest=$1
    rm -rf "$dest"
    mkdir -p "$dest"
    chmod 755 "$dest"  # antsibull-docs writes only into a directory that no one but its owner can write to
    in_collection antsibull-docs collection --use-current --squash-hierarchy --output-format simplified-rst \
        --no-add-antsibull-docs-version --fail-on-error --dest-dir "$dest" alibabacloud.ecs >/dev/null
}

check_docs() {
    local rendered="$COLLECTION/../../../docs-rendered" status=0
    ensure_tools || return 1
    render_docs "$rendered" || return 1
    if diff -ru "$COLLECTION/$DOCS_DIR" "$rendered"; then
        echo "$DOCS_DIR/ is current ($(find "$rendered" -name '*.rst' | wc -l) pages, as the documentation renders)."
    else
        echo "$DOCS_DIR/ is not what the modules' documentation renders to (diff above): run 'make docs' and commit."
        status=1
    fi
    in_collection antsibull-docs lint-collection-docs --plugin-docs --check-extra-docs-refs \
        --validate-collection-refs dependent --disallow-unknown-collection-refs . || status=1
    [ $status -eq 0 ] && echo "antsibull-docs lint-collection-docs --plugin-docs: no problem."
    return $status
}

write_docs() {
    local rendered="$BUILD_ROOT/docs-rendered"
    render_docs "$rendered" || return 1
    rm -rf "${ROOT:?}/$DOCS_DIR"
    mkdir -p "$(dirname "$ROOT/$DOCS_DIR")"
    cp -r "$rendered" "$ROOT/$DOCS_DIR"
    echo "Rendered $(find "$ROOT/$DOCS_DIR" -name '*.rst' | wc -l) pages into $DOCS_DIR/."
}

# galaxy_version: the version in the copy's galaxy.yml.
galaxy_version() {
    "$PY" -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["version"])' "$COLLECTION/galaxy.yml"
}

check_changelog() {
    local version status=0 saved
    ensure_tools || return 1
    in_collection antsibull-changelog lint -v || status=1
    in_collection antsibull-changelog lint-changelog-yaml changelogs/changelog.yaml || status=1
    version=$(galaxy_version)
    if ! in_collection "$PY" -c 'import sys, yaml
releases = yaml.safe_load(open("changelogs/changelog.yaml"))["releases"]
sys.exit(sys.argv[1] not in releases)' "$version"; then
        echo "changelogs/changelog.yaml has no release $version (galaxy.yml's version): run 'make changelog'."
        status=1
    fi
    saved=$(mktemp -d)
    cp "$COLLECTION/CHANGELOG.rst" "$COLLECTION/changelogs/changelog.yaml" "$saved/"
    in_collection antsibull-changelog generate || status=1
    for file in CHANGELOG.rst changelogs/changelog.yaml; do
        if ! diff -u "$saved/$(basename "$file")" "$COLLECTION/$file"; then
            echo "$file is not what antsibull-changelog generates (diff above): run 'make changelog' and commit."
            status=1
        fi
    done
    rm -rf "$saved"
    [ $status -eq 0 ] && echo "Changelog fragments valid; CHANGELOG.rst current, with release $version."
    return $status
}

write_changelog() {
    local file
    in_collection antsibull-changelog lint || return 1
    # A version not yet published is brought up to date with its fragments (keep_fragments: true).
    in_collection antsibull-changelog release --update-existing --refresh-fragments || return 1
    for file in CHANGELOG.rst changelogs/changelog.yaml changelogs/.plugin-cache.yaml; do
        cp "$COLLECTION/$file" "$ROOT/$file"
    done
    echo "Release $(galaxy_version) in changelogs/changelog.yaml and CHANGELOG.rst."
}

check_lint() {
    # ansible-lint reads only files inside the project: the examples are written into the copy, then removed so
    # that they do not reach the tarball.
    local examples="$COLLECTION/.lint-examples" status log
    ensure_tools || return 1
    rm -rf "$examples"
    "$PY" "$ROOT/scripts/examples_playbooks.py" "$COLLECTION" "$examples" || return 1
    log=$(mktemp)
    in_collection ansible-lint --offline --profile production --nocolor "$examples"/*.yml demo/ \
        tests/integration/targets/ >"$log" 2>&1
    status=$?
    # The findings listed in .ansible-lint-ignore are reported as warnings: show them only when something fails.
    if [ $status -eq 0 ]; then
        grep -E '^(Passed|Failed)' "$log"
        echo "Linted: $(for file in "$examples"/*.yml; do printf '%s ' "${file#"$COLLECTION"/}"; done)demo/" \
            "tests/integration/targets/"
    else
        cat "$log"
    fi
    rm -rf "$examples" "$log"
    return $status
}

# build_tarball: build the collection from the copy into $DIST, once per run; sets TARBALL.
DIST=
TARBALL=
TARBALL_BUILT=
build_tarball() {
    DIST="$(cd "$COLLECTION/../../.." && pwd)/dist"
    TARBALL="$DIST/alibabacloud-ecs-$(galaxy_version).tar.gz"
    [ -n "$TARBALL_BUILT" ] && return 0
    rm -rf "$DIST"
    mkdir -p "$DIST"
    in_collection "$VENV/bin/ansible-galaxy" collection build --force --output-path "$DIST" . >/dev/null || return 1
    TARBALL_BUILT=1
}

# Development files that the tarball must not carry: virtual environments, build output, caches, test output,
# CI and tooling, the emulator and the test harnesses (they need the checkout), and any test connection settings.
DEV_FILE_PATTERN='(^|/)(\.venv[^/]*|build|__pycache__|\.pytest_cache|\.ansible|\.git|\.ci|\.tox|\.mypy_cache)(/|$)'
DEV_FILE_PATTERN+='|\.pyc$|\.tar\.gz$|^(tests/output|tests/emulator|tests/reliability|scripts|demo)(/|$)'
DEV_FILE_PATTERN+='|^(Makefile|\.gitignore|\.ansible-lint|\.ansible-lint-ignore|requirements-(dev|tools|matrix)\.txt)$'
DEV_FILE_PATTERN+='|^(changelogs/\.plugin-cache\.yaml|tests/integration/integration_config\.yml)$'
# What a user needs in it.
REQUIRED_FILES='MANIFEST.json FILES.json README.md COPYING CHANGELOG.rst requirements.txt meta/runtime.yml
meta/execution-environment.yml meta/ee-requirements.txt meta/ee-bindep.txt plugins/modules/ecs_eni_ipv6.py
plugins/modules/ecs_eni_ipv6_info.py plugins/doc_fragments/connection.py changelogs/changelog.yaml
docs/docsite/links.yml docs/docsite/extra-docs.yml docs/docsite/rst/guide.rst'

# ad_hoc COLLECTIONS_PATH MODULE ARGS PYTHON_CHECK [ansible options...]: run MODULE on localhost with the
# collection found only in COLLECTIONS_PATH, from a folder outside any collection; PYTHON_CHECK reads `result`.
ad_hoc() {
    local collections=$1 module=$2 module_args=$3 check=$4 output
    shift 4
    output=$(cd "$DIST" && ANSIBLE_COLLECTIONS_PATH="$collections" ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false \
        ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false ANSIBLE_NOCOLOR=true \
        "$VENV/bin/ansible" localhost "$@" \
        -e "ansible_python_interpreter=$PY" -m "$module" -a "$module_args" 2>&1)
    echo "$output" | "$PY" -c 'import json, sys
text = sys.stdin.read()
try:
    result = json.loads(text.split("=>", 1)[1])
except (IndexError, ValueError):
    sys.exit("no module result in:\n" + text)
'"$check"
}

check_tarball() {
    local files installed status=0 file connection
    build_tarball || return 1
    files=$(tar -tzf "$TARBALL" | sed -e 's|^\./||' -e 's|/$||' | grep -v '^$')
    echo "$(basename "$TARBALL"): $(echo "$files" | wc -l) entries, $(du -k "$TARBALL" | cut -f1) KiB"
    if echo "$files" | grep -E "$DEV_FILE_PATTERN"; then
        echo "The tarball carries the development files listed above: add them to build_ignore in galaxy.yml."
        status=1
    fi
    for file in $REQUIRED_FILES; do
        echo "$files" | grep -qxF "$file" || { echo "The tarball lacks $file."; status=1; }
    done

    installed="$DIST/installed"
    rm -rf "$installed"
    ANSIBLE_COLLECTIONS_PATH="$installed" "$VENV/bin/ansible-galaxy" collection install --offline --force \
        -p "$installed" "$TARBALL" || return 1
    if ! (cd "$DIST" && ANSIBLE_COLLECTIONS_PATH="$installed" "$VENV/bin/ansible-galaxy" collection list \
        alibabacloud.ecs) | grep -F "$installed/ansible_collections"; then
        echo "ansible-galaxy does not list the installed copy."
        return 1
    fi
    if ! (cd "$DIST" && ANSIBLE_COLLECTIONS_PATH="$installed" "$VENV/bin/ansible-doc" alibabacloud.ecs.ecs_eni_ipv6) \
        | grep -q "IPv6 addresses"; then
        echo "ansible-doc cannot show alibabacloud.ecs.ecs_eni_ipv6 from the installed copy."
        status=1
    fi

    # Run both modules from the installed copy, ad hoc, against an emulator started for them.
    start_emulator "$LOGS/emulator-tarball.log" --demo-seed || return 1
    connection="region=cn-hangzhou endpoint=http://127.0.0.1:$EMULATOR_PORT access_key_id=LTAI5tEmulatorTestKey
        access_key_secret=emulator-secret-not-real"
    ad_hoc "$installed" alibabacloud.ecs.ecs_eni_ipv6_info "network_interface_ids=eni-demo0001 $connection" \
        'eni = result["network_interfaces"][0]
assert eni["network_interface_id"] == "eni-demo0001" and len(eni["ipv6_addresses"]) == 12, result
print("ecs_eni_ipv6_info from the installed copy: eni-demo0001 holds %d IPv6 addresses" % len(eni["ipv6_addresses"]))' \
        || status=1
    ad_hoc "$installed" alibabacloud.ecs.ecs_eni_ipv6 \
        "network_interface_id=eni-demo0001 state=absent ipv6_addresses=2408:4005:3a0:a100::5 $connection" \
        'assert result["changed"] and result["released_ipv6_addresses"] == ["2408:4005:3a0:a100::5"], result
print("ecs_eni_ipv6 --check from the installed copy: would release %s" % result["released_ipv6_addresses"])' --check \
        || status=1
    stop_emulator
    return $status
}

check_execution_environment() {
    local work installed status=0 wanted introspected file
    ensure_tools || return 1
    build_tarball || return 1
    work="$DIST/execution-environment"
    rm -rf "$work"
    mkdir -p "$work"
    installed="$work/collections/ansible_collections/alibabacloud/ecs"

    # The Python requirements of the EE are those of requirements.txt, less ansible-core (the EE's own).
    wanted=$(grep -vE '^\s*(#|$)' "$COLLECTION/requirements.txt" | grep -v '^ansible-core' | sort)
    if [ "$wanted" != "$(grep -vE '^\s*(#|$)' "$COLLECTION/meta/ee-requirements.txt" | sort)" ]; then
        echo "meta/ee-requirements.txt differs from requirements.txt (less ansible-core):"
        diff <(echo "$wanted") <(grep -vE '^\s*(#|$)' "$COLLECTION/meta/ee-requirements.txt" | sort)
        status=1
    fi

    # The collection as the tarball installs it; its meta/execution-environment.yml is a valid format 3 definition.
    ANSIBLE_COLLECTIONS_PATH="$work/collections" "$VENV/bin/ansible-galaxy" collection install --offline --force \
        -p "$work/collections" "$TARBALL" >/dev/null || return 1
    "$TOOLS_VENV/bin/python" -c 'import sys, yaml
from ansible_builder.ee_schema import validate_schema
definition = yaml.safe_load(open(sys.argv[1]))
assert definition.get("version") == 3, "version: 3 expected"
validate_schema(definition)' "$installed/meta/execution-environment.yml" || status=1

    # What the build stage of every EE that includes the collection does: read meta/execution-environment.yml
    # and the files it names (ansible-builder's introspect, run here on the installed copy).
    "$TOOLS_VENV/bin/ansible-builder" introspect --write-pip "$work/introspected-requirements.txt" \
        --write-bindep "$work/introspected-bindep.txt" "$work/collections" >"$work/introspect.log" 2>&1 \
        || { cat "$work/introspect.log"; return 1; }
    introspected=$(sed -e 's/  # from collection alibabacloud.ecs$//' "$work/introspected-requirements.txt" | sort)
    if [ "$introspected" != "$wanted" ]; then
        echo "ansible-builder introspect found other Python requirements than meta/ee-requirements.txt's:"
        cat "$work/introspect.log"
        status=1
    else
        echo "ansible-builder introspect: $(echo "$introspected" | wc -l) Python requirements from alibabacloud.ecs," \
            "$(grep -cvE '^\s*(#|$)' "$installed/meta/ee-bindep.txt") system packages."
    fi

    # ansible-builder create renders a build context (Containerfile and _build/) and needs neither a container
    # engine nor the network. First the collection's own file as the definition (its paths are relative to the
    # collection's root, so it is read from there) ...
    cp "$installed/meta/execution-environment.yml" "$installed/execution-environment.yml"
    "$TOOLS_VENV/bin/ansible-builder" create --file "$installed/execution-environment.yml" \
        --context "$work/context-own" --output-filename Containerfile >"$work/create-own.log" 2>&1 \
        || { cat "$work/create-own.log"; return 1; }
    rm -f "$installed/execution-environment.yml"
    for file in requirements.txt bindep.txt; do
        diff -q "$installed/meta/ee-$file" "$work/context-own/_build/$file" >/dev/null \
            || { echo "ansible-builder create did not take meta/ee-$file."; status=1; }
    done

    # ... then an EE that installs the collection from its tarball, as a user would build one for AWX.
    mkdir -p "$work/definition"
    cp "$TARBALL" "$work/definition/"
    cat >"$work/definition/execution-environment.yml" <<EOF
---
version: 3
images:
  base_image:
    name: quay.io/ansible/awx-ee:latest
dependencies:
  galaxy:
    collections:
      - name: /build/collections/$(basename "$TARBALL")
        type: file
additional_build_files:
  - src: $(basename "$TARBALL")
    dest: collections
options:
  skip_ansible_check: true
EOF
    "$TOOLS_VENV/bin/ansible-builder" create --file "$work/definition/execution-environment.yml" \
        --context "$work/context" --output-filename Containerfile >"$work/create.log" 2>&1 \
        || { cat "$work/create.log"; return 1; }
    for file in Containerfile _build/requirements.yml "_build/collections/$(basename "$TARBALL")"; do
        [ -s "$work/context/$file" ] || { echo "ansible-builder create wrote no $file."; status=1; }
    done
    if ! grep -q "ansible-galaxy collection install .*-r requirements.yml" "$work/context/Containerfile" \
        || ! grep -q "introspect.py introspect" "$work/context/Containerfile"; then
        echo "The Containerfile does not install the collection and read its requirements."
        status=1
    fi
    [ $status -eq 0 ] && echo "ansible-builder create: both build contexts written (the collection's own" \
        "definition, and an EE that installs $(basename "$TARBALL"))."
    return $status
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -uo pipefail
    BUILD_ROOT=${BUILD_ROOT:-$ROOT/build}
    COLLECTION="$BUILD_ROOT/tools/ansible_collections/alibabacloud/ecs"
    LOGS="$BUILD_ROOT/logs"
    mkdir -p "$LOGS"
    trap stop_emulator EXIT
    sync_collection "$COLLECTION"
    case "${1:-}" in
        docs) ensure_tools && write_docs ;;
        changelog) ensure_tools && write_changelog ;;
        lint) check_lint ;;
        check)
            failed=0
            for check in check_docs check_changelog check_lint check_execution_environment check_tarball; do
                echo "=== $check"
                $check || failed=$((failed + 1))
            done
            [ $failed -eq 0 ]
            ;;
        *)
            echo "usage: $0 docs|changelog|lint|check" >&2
            exit 2
            ;;
    esac
fi
