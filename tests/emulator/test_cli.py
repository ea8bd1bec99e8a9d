"""The command line: --help, a free port with --port-file, seeds, loopback-only binding, clean SIGTERM."""

import json
import os
import signal
import subprocess
import sys
import time

from alibabacloud_ecs20140526 import models as ecs_models
from alibabacloud_ecs20140526.client import Client
from alibabacloud_tea_openapi import models as open_api_models
from darabonba.runtime import RuntimeOptions

EMULATOR_DIR = os.path.dirname(os.path.abspath(__file__))


def run_cli(*args, **options):
    """Start python -m ecs_emulator with args in a subprocess."""
    env = dict(os.environ, PYTHONPATH=EMULATOR_DIR)
    return subprocess.Popen([sys.executable, "-m", "ecs_emulator", *args], env=env, text=True, **options)


def wait_for_port_file(path, process, timeout=10):
    """Wait for the emulator to write its port file and return the port."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.path.exists(path):
            return int(open(path, encoding="utf-8").read())
        if process.poll() is not None:
            raise AssertionError("emulator exited early with %s" % process.returncode)
        time.sleep(0.05)
    raise AssertionError("no port file after %s s" % timeout)


def make_client(port, access_key_id, access_key_secret):
    """Return an SDK client for an emulator started from the command line."""
    config = open_api_models.Config(
        access_key_id=access_key_id,
        access_key_secret=access_key_secret,
        endpoint="127.0.0.1:%d" % port,
        protocol="http",
        region_id="cn-hangzhou",
    )
    return Client(config)


def test_help():
    process = run_cli("--help", stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, _err = process.communicate(timeout=20)
    assert process.returncode == 0
    for option in (
        "--host",
        "--port",
        "--port-file",
        "--region",
        "--access-key-id",
        "--access-key-secret",
        "--seed",
        "--demo-seed",
        "--quiet",
    ):
        assert option in out


def test_refuses_non_loopback_host():
    process = run_cli("--host", "0.0.0.0", stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _out, err = process.communicate(timeout=20)
    assert process.returncode == 2
    assert "loopback" in err


def test_free_port_port_file_seed_and_sigterm(tmp_path):
    port_file = tmp_path / "port"
    seed_file = tmp_path / "seed.json"
    seed_file.write_text(
        json.dumps({"network_interfaces": [{"NetworkInterfaceId": "eni-cli", "Ipv6AddressCount": 2}]}), encoding="utf-8"
    )
    process = run_cli(
        "--port-file",
        str(port_file),
        "--seed",
        str(seed_file),
        "--access-key-id",
        "LTAI5tCliKey",
        "--access-key-secret",
        "cli-secret",
        "--quiet",
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        port = wait_for_port_file(str(port_file), process)
        assert port > 0
        assert process.stdout.readline().strip() == "ECS emulator listening on http://127.0.0.1:%d" % port
        client = make_client(port, "LTAI5tCliKey", "cli-secret")
        request = ecs_models.DescribeNetworkInterfaceAttributeRequest(
            region_id="cn-hangzhou", network_interface_id="eni-cli"
        )
        body = client.describe_network_interface_attribute_with_options(request, RuntimeOptions()).body
        assert [item.ipv_6address for item in body.ipv_6sets.ipv_6set] == [
            "2408:4005:3a0:a100::1",
            "2408:4005:3a0:a100::2",
        ]
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()


def test_bad_seed_file_exits_2(tmp_path):
    seed_file = tmp_path / "seed.json"
    seed_file.write_text('{"network_interfaces": [{"Status": "Nope"}]}', encoding="utf-8")
    process = run_cli("--seed", str(seed_file), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _out, err = process.communicate(timeout=20)
    assert process.returncode == 2
    assert "NetworkInterfaceId" in err


def test_sigint_demo_seed(tmp_path):
    port_file = tmp_path / "port"
    process = run_cli("--port-file", str(port_file), "--demo-seed", stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        port = wait_for_port_file(str(port_file), process)
        client = make_client(port, "LTAI5tEmulatorTestKey", "emulator-secret-not-real")
        request = ecs_models.DescribeNetworkInterfacesRequest(region_id="cn-hangzhou")
        body = client.describe_network_interfaces_with_options(request, RuntimeOptions()).body
        assert [item.network_interface_id for item in body.network_interface_sets.network_interface_set] == [
            "eni-demo0001",
            "eni-demo0002",
        ]
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
        assert "POST / 200" in process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()
