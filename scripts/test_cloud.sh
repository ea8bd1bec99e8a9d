#!/usr/bin/env bash
# The integration targets against Alibaba Cloud, as `make test-cloud` runs them. They touch only the IPv6
# addresses of one existing ENI, which a maintainer names, and give it back the addresses it held.
#
# Needs, in the environment:
#   ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET   an AccessKey allowed the ENI actions
#   ALIBABA_CLOUD_REGION_ID                                       the region of the ENI, for example cn-hangzhou
#   ECS_TEST_ENI_ID                                               the test ENI, on a vSwitch with IPv6 enabled,
#                                                                 with room for one more IPv6 address
# and optionally ALIBABA_CLOUD_SECURITY_TOKEN (STS credentials) and ALIBABA_CLOUD_ECS_ENDPOINT (another endpoint).
# Without the four, it says what is missing and exits 0. `make test` never runs it.
set -uo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

missing=()
for name in ALIBABA_CLOUD_ACCESS_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET ALIBABA_CLOUD_REGION_ID ECS_TEST_ENI_ID; do
    [ -n "${!name:-}" ] || missing+=("$name")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "make test-cloud: SKIPPED, no real-cloud settings: ${missing[*]} not set."
    echo "It runs the integration targets against Alibaba Cloud on one existing test ENI, whose IPv6 addresses it"
    echo "changes and then restores. Set ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET,"
    echo "ALIBABA_CLOUD_REGION_ID and ECS_TEST_ENI_ID to run it (see README.md, \"Testing against Alibaba Cloud\")."
    exit 0
fi
if ! [[ "$ECS_TEST_ENI_ID" =~ ^eni-[a-z0-9]+$ ]]; then
    echo "make test-cloud: ECS_TEST_ENI_ID=$ECS_TEST_ENI_ID is not an ENI id such as eni-bp1a2b3c4d5e6f7g8h9i." >&2
    exit 2
fi

# The collection's own virtual environment, as `make test` builds it.
make -C "$ROOT" --no-print-directory venv VENV="$VENV" >/dev/null || exit 1

BUILD_ROOT=${BUILD_ROOT:-$ROOT/build}
COLLECTION="$BUILD_ROOT/cloud/ansible_collections/alibabacloud/ecs"
CONFIG="$COLLECTION/tests/integration/integration_config.yml"
sync_collection "$COLLECTION"
provide_pip_bootstrap "$PY"
# The settings hold the secret: readable by this user only, and removed at the end whatever happens.
trap 'rm -f "$CONFIG"' EXIT
(umask 077 && "$PY" - "$CONFIG" <<'PY'
import os, sys, yaml
config = {
    "alibabacloud_test_target": "cloud",
    "alibabacloud_region": os.environ["ALIBABA_CLOUD_REGION_ID"],
    "alibabacloud_access_key_id": os.environ["ALIBABA_CLOUD_ACCESS_KEY_ID"],
    "alibabacloud_access_key_secret": os.environ["ALIBABA_CLOUD_ACCESS_KEY_SECRET"],
    "alibabacloud_test_eni_id": os.environ["ECS_TEST_ENI_ID"],
}
for key, name in (("alibabacloud_security_token", "ALIBABA_CLOUD_SECURITY_TOKEN"),
                  ("alibabacloud_endpoint", "ALIBABA_CLOUD_ECS_ENDPOINT")):
    if os.environ.get(name):
        config[key] = os.environ[name]
with open(sys.argv[1], "w", encoding="utf-8") as handle:
    handle.write("---\n# Written by scripts/test_cloud.sh; removed when it ends.\n")
    yaml.safe_dump(config, handle, default_flow_style=False)
PY
) || exit 1

echo "Running the integration targets against ${ALIBABA_CLOUD_ECS_ENDPOINT:-Alibaba Cloud} in" \
    "$ALIBABA_CLOUD_REGION_ID, on $ECS_TEST_ENI_ID only."
cd "$COLLECTION" && ansible-test integration --local --color no --python-interpreter "$PY"
