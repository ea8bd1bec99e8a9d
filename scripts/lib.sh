# Shared by scripts/test.sh and scripts/demo.sh: the environment every test and the demo run in,
# and starting/stopping the local ECS emulator.
# shellcheck shell=bash

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${VENV:-.venv}
case "$VENV" in /*) ;; *) VENV="$ROOT/$VENV" ;; esac
PY="$VENV/bin/python"
export PATH="$VENV/bin:$PATH"

# Never let the SDK's credential chain reach the ECS metadata address (100.100.100.200), and keep every
# request to the emulator on loopback even where a proxy is configured.
export ALIBABA_CLOUD_ECS_METADATA_DISABLED=true
export NO_PROXY="127.0.0.1,localhost,::1${NO_PROXY:+,$NO_PROXY}"
export no_proxy="$NO_PROXY"
export ANSIBLE_FORCE_COLOR=${ANSIBLE_FORCE_COLOR:-false}

# Where pyenv holds other Pythons, put each on PATH (ansible-test drops pyenv's own variables), so that its
# compile and import sanity tests check the modules on every Python a managed node may have.
if command -v pyenv >/dev/null 2>&1; then
    for version in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.[0-9]+\.[0-9]+$'); do
        PATH="$PATH:$(pyenv root)/versions/$version/bin"
    done
    PATH="$VENV/bin:$(echo "$PATH" | tr ':' '\n' | grep -v '/shims$' | paste -sd: -)"
fi

EMULATOR_PID=
EMULATOR_PORT=

# start_emulator LOGFILE [emulator options...]: start it on a free loopback port; sets EMULATOR_PORT.
# shellcheck disable=SC2034  # EMULATOR_PORT is read by the scripts that source this file
start_emulator() {
    local log=$1 port_file
    shift
    port_file=$(mktemp)
    rm -f "$port_file"
    PYTHONPATH="$ROOT/tests/emulator" "$PY" -m ecs_emulator --host 127.0.0.1 --port 0 --port-file "$port_file" \
        "$@" >"$log" 2>&1 &
    EMULATOR_PID=$!
    for _ in $(seq 1 100); do
        if [ -s "$port_file" ]; then
            EMULATOR_PORT=$(cat "$port_file")
            rm -f "$port_file"
            return 0
        fi
        kill -0 "$EMULATOR_PID" 2>/dev/null || break
        sleep 0.1
    done
    echo "The ECS emulator did not start; its log:" >&2
    cat "$log" >&2
    return 1
}

stop_emulator() {
    if [ -n "$EMULATOR_PID" ]; then
        kill "$EMULATOR_PID" 2>/dev/null || true
        wait "$EMULATOR_PID" 2>/dev/null || true
        EMULATOR_PID=
    fi
}

# sync_collection DIR: a copy of this checkout at DIR (a path that ends in ansible_collections/alibabacloud/ecs),
# without virtual environments, build folders, caches and test output, as a git repository of its own.
sync_collection() {
    local dest=$1
    rm -rf "$dest"
    mkdir -p "$dest"
    (cd "$ROOT" && tar --exclude='./.venv' --exclude='./.venv-*' --exclude=./build --exclude=./.git \
        --exclude=./tests/output --exclude='__pycache__' --exclude=./.pytest_cache --exclude=./.ansible \
        --exclude=./tests/integration/integration_config.yml -cf - .) | tar -xf - -C "$dest"
    # ansible-test lists a collection's files with git when it sits in a git work tree (and this copy sits in
    # ours, ignored): give the copy a repository of its own so that it sees them.
    (cd "$dest" && git init -q . && git add -A)
}

# ensure_venv DIR PYTHON REQUIREMENTS_FILE...: a virtual environment at DIR made with PYTHON, with the files'
# packages installed; installs again only when the files change (DIR/.installed-<checksum> marks what is in it).
ensure_venv() {
    local dir=$1 python=$2 stamp requirement
    local -a pip_args=()
    shift 2
    stamp="$dir/.installed-$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
    stamp="$stamp-$(cat "$@" | cksum | cut -d' ' -f1)"
    [ -e "$stamp" ] && return 0
    echo "Installing $* into $dir (Python $("$python" -c 'import platform; print(platform.python_version())'))"
    [ -x "$dir/bin/python" ] || "$python" -m venv "$dir" || return 1
    # Keeps git from listing the environment, whatever the checkout's .gitignore says.
    printf '*\n' >"$dir/.gitignore"
    for requirement in "$@"; do
        pip_args+=(-r "$requirement")
    done
    (cd "$ROOT" && "$dir/bin/python" -m pip install --disable-pip-version-check -q "${pip_args[@]}") || return 1
    rm -f "$dir"/.installed-*
    touch "$stamp"
}

# The release tooling (antsibull-docs, antsibull-changelog, ansible-lint, ansible-builder), apart from .venv.
TOOLS_VENV="$ROOT/.venv-tools"
ensure_tools() {
    ensure_venv "$TOOLS_VENV" "$PY" "$ROOT/requirements-tools.txt"
}

# newer_python: the newest Python 3.12 or later on PATH (the pyenv ones included), or nothing.
newer_python() {
    local minor
    for minor in 14 13 12; do
        if command -v "python3.$minor" >/dev/null 2>&1; then
            command -v "python3.$minor"
            return 0
        fi
    done
    return 1
}

# provide_pip_bootstrap [PYTHON]: ansible-test bootstraps pip in its virtual environments with a script from
# ci-files.testing.ansible.com, which is out of reach here; give the ansible-test of PYTHON's environment (default:
# .venv's) a stand-in that installs the pip version it asks for from the package index.
provide_pip_bootstrap() {
    local python=${1:-$PY} version cache ansible_test
    ansible_test=$("$python" -c 'import ansible_test, os; print(os.path.dirname(ansible_test.__file__))')
    version=$(grep -oE "pip='[0-9.]+'" "$ansible_test/_internal/python_requirements.py" | grep -oE '[0-9]+(\.[0-9]+)*')
    cache="$HOME/.ansible/test/cache/get_pip_${version//./_}.py"
    if [ ! -s "$cache" ]; then
        mkdir -p "$(dirname "$cache")"
        cp "$ROOT/scripts/ansible_test_get_pip.py" "$cache"
    fi
}
