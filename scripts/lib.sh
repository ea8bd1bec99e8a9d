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
