#!/usr/bin/env bash
# The demo, as `make demo` runs it: start the local ECS emulator with demo ENIs, run demo/release_ipv6.yml
# against it (check mode, a real release, an idempotent re-run), show the API calls ECS received, stop.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

# The playbook finds the collection through a link to this checkout.
collections="$ROOT/build/demo_collections"
mkdir -p "$collections/ansible_collections/alibabacloud" "$ROOT/build/logs"
ln -sfn "$ROOT" "$collections/ansible_collections/alibabacloud/ecs"

trap stop_emulator EXIT
start_emulator "$ROOT/build/logs/emulator-demo.log" --demo-seed
echo "ECS emulator listening on http://127.0.0.1:$EMULATOR_PORT (demo ENIs seeded)"

ANSIBLE_COLLECTIONS_PATH="$collections" ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false \
    ansible-playbook "$ROOT/demo/release_ipv6.yml" \
    -e "ecs_endpoint=http://127.0.0.1:$EMULATOR_PORT" \
    -e ecs_access_key_id=LTAI5tEmulatorTestKey -e ecs_access_key_secret=emulator-secret-not-real

echo
echo "API calls the emulator received (the three module runs: check mode, release, re-run):"
"$PY" - "$EMULATOR_PORT" <<'PY'
import json, sys, urllib.request
port = sys.argv[1]
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
calls = json.load(opener.open("http://127.0.0.1:%s/_emulator/calls" % port))["calls"]
for call in calls:
    items = [v for k, v in sorted(call["params"].items()) if k.startswith("Ipv6Address.")]
    print("  %-36s %-6s %s" % (call["action"], call["status"], " ".join(items)))
PY
