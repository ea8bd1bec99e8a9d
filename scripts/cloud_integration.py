# Copyright: alibabacloud.ecs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the integration targets against the ECS endpoint that the environment names, on one test ENI only.

The settings: ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET, ALIBABA_CLOUD_REGION_ID and
ECS_TEST_ENI_ID; ALIBABA_CLOUD_SECURITY_TOKEN and ALIBABA_CLOUD_ECS_ENDPOINT are optional. Without the four it says
what is missing and exits 3 (nox's test-cloud session then says it skipped). It writes
tests/integration/integration_config.yml (alibabacloud_test_target: cloud) into a copy of the collection, readable
by this user only and removed with the copy, and runs `ansible-test integration --local` there with the Python
that runs this script (make test-cloud: .venv's). CONTRIBUTING.md tells what each target does on that ENI.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQUIRED = (
    "ALIBABA_CLOUD_ACCESS_KEY_ID",
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    "ALIBABA_CLOUD_REGION_ID",
    "ECS_TEST_ENI_ID",
)
SKIPPED = 3


def main():
    env = os.environ
    missing = [name for name in REQUIRED if not env.get(name)]
    if missing:
        print("test-cloud: SKIPPED, no real-cloud settings: %s not set (CONTRIBUTING.md)." % " ".join(missing))
        return SKIPPED
    if not re.match(r"^eni-[a-z0-9]+$", env["ECS_TEST_ENI_ID"]):
        sys.exit("ECS_TEST_ENI_ID=%s is not an ENI id such as eni-bp1a2b3c4d5e6f7g8h9i" % env["ECS_TEST_ENI_ID"])
    config = {
        "alibabacloud_test_target": "cloud",
        "alibabacloud_region": env["ALIBABA_CLOUD_REGION_ID"],
        "alibabacloud_access_key_id": env["ALIBABA_CLOUD_ACCESS_KEY_ID"],
        "alibabacloud_access_key_secret": env["ALIBABA_CLOUD_ACCESS_KEY_SECRET"],
        "alibabacloud_test_eni_id": env["ECS_TEST_ENI_ID"],
    }
    for key, name in (("security_token", "ALIBABA_CLOUD_SECURITY_TOKEN"), ("endpoint", "ALIBABA_CLOUD_ECS_ENDPOINT")):
        if env.get(name):
            config["alibabacloud_" + key] = env[name]
    base = Path(tempfile.mkdtemp(prefix="alibabacloud-ecs-cloud-"))
    try:
        copy = base / "ansible_collections" / "alibabacloud" / "ecs"
        ignored = shutil.ignore_patterns(".git", ".nox", ".venv*", "output", "integration_config.yml")
        shutil.copytree(ROOT, copy, ignore=ignored)
        # The settings hold the secret: readable by this user only, and gone with the copy.
        path = copy / "tests" / "integration" / "integration_config.yml"
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as handle:
            json.dump(config, handle)
        print(
            "Running the integration targets against %s in %s, on %s only."
            % (
                env.get("ALIBABA_CLOUD_ECS_ENDPOINT") or "Alibaba Cloud",
                config["alibabacloud_region"],
                env["ECS_TEST_ENI_ID"],
            ),
            flush=True,
        )
        command = [Path(sys.executable).parent / "ansible-test", "integration", "--local", "--color", "no"]
        return subprocess.run(command + ["--python-interpreter", sys.executable], cwd=copy, check=False).returncode
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
