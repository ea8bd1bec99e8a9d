"""The command line: --help, a free port with --port-file, seeds, loopback-only binding, clean SIGTERM."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
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
        "--read-lag",
        "--watch-pid",
        "--idle-exit",
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


def read_banner(process):
    """Read the start banner: the lines printed before the first blank read or up to the demo ENIs' addresses."""
    lines = [process.stdout.readline().rstrip("\n")]
    while True:
        line = process.stdout.readline().rstrip("\n")
        lines.append(line)
        if line.startswith("  control API:") and "--demo-seed" not in process.args:
            return lines
        if line.startswith("      ") and "eni-demo0002" in lines[-2]:
            return lines


def stop(process):
    """SIGTERM the emulator if it still runs, wait for it and close its pipes."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    for stream in (process.stdout, process.stderr):
        if stream is not None:
            stream.close()


def test_banner_with_demo_seed_and_read_lag(tmp_path):
    port_file = tmp_path / "port"
    process = run_cli(
        "--port-file",
        str(port_file),
        "--demo-seed",
        "--read-lag",
        "2.5",
        "--quiet",
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        port = wait_for_port_file(str(port_file), process)
        lines = read_banner(process)
        assert lines[:8] == [
            "ECS emulator listening on http://127.0.0.1:%d" % port,
            "  endpoint:          http://127.0.0.1:%d" % port,
            "  region:            cn-hangzhou",
            "  access key id:     LTAI5tEmulatorTestKey",
            "  access key secret: emulator-secret-not-real (a fixed test value)",
            "  read lag:          2.5 s",
            "  control API:       http://127.0.0.1:%d/_emulator/ (see tests/emulator/README.md)" % port,
            "  demo ENIs:",
        ]
        assert lines[8] == "    eni-demo0001 (InUse, Primary, attached to i-demo0001), 12 IPv6 addresses:"
        assert lines[9].split() == ["2408:4005:3a0:a100::%x" % number for number in range(1, 13)]
        assert lines[10] == "    eni-demo0002 (Available, Secondary, not attached), 3 IPv6 addresses:"
        assert lines[11].split() == ["2408:4005:3a0:a100::d", "2408:4005:3a0:a100::e", "2408:4005:3a0:a100::f"]
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        settings = json.loads(opener.open("http://127.0.0.1:%d/_emulator/settings" % port, timeout=5).read())
        assert settings["read_lag"] == 2.5
    finally:
        stop(process)


def test_banner_never_prints_a_secret_it_was_given(tmp_path):
    port_file = tmp_path / "port"
    process = run_cli(
        "--port-file",
        str(port_file),
        "--access-key-secret",
        "given-secret-1234",
        "--quiet",
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for_port_file(str(port_file), process)
        lines = read_banner(process)
        assert "  access key secret: the one given with --access-key-secret" in lines
        assert not any("given-secret-1234" in line for line in lines)
    finally:
        stop(process)


def test_fixed_port(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    port_file = tmp_path / "port"
    process = run_cli("--port", str(port), "--port-file", str(port_file), "--quiet", stdout=subprocess.PIPE)
    try:
        assert wait_for_port_file(str(port_file), process) == port
    finally:
        stop(process)


def test_watch_pid_exits_when_the_process_is_gone(tmp_path):
    watched = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    port_file = tmp_path / "port"
    process = run_cli(
        "--port-file", str(port_file), "--watch-pid", str(watched.pid), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        wait_for_port_file(str(port_file), process)
        time.sleep(1.5)
        assert process.poll() is None, "the emulator must run while the watched process lives"
        # Killed but not yet reaped: a zombie counts as gone.
        watched.kill()
        started = time.monotonic()
        assert process.wait(timeout=10) == 0
        assert time.monotonic() - started < 3
        assert "because process %d is gone" % watched.pid in process.stderr.read()
    finally:
        watched.kill()
        watched.wait()
        stop(process)


def test_watch_pid_must_exist():
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    process = run_cli("--watch-pid", str(finished.pid), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _out, err = process.communicate(timeout=20)
    assert process.returncode == 2
    assert "--watch-pid %d: no such process" % finished.pid in err


def test_idle_exit_waits_for_requests_to_stop(tmp_path):
    port_file = tmp_path / "port"
    process = run_cli(
        "--port-file", str(port_file), "--idle-exit", "1.5", stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        port = wait_for_port_file(str(port_file), process)
        health = "http://127.0.0.1:%d/_emulator/health" % port
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        busy_until = time.monotonic() + 3
        while time.monotonic() < busy_until:
            assert json.loads(opener.open(health, timeout=5).read())["ok"] is True
            time.sleep(0.5)
        assert process.poll() is None, "requests every 0.5 s must keep it alive"
        last_request = time.monotonic()
        assert process.wait(timeout=10) == 0
        idle = time.monotonic() - last_request
        assert 1.4 <= idle < 3.5, idle
        assert "after 1.5 s without a request" in process.stderr.read()
    finally:
        stop(process)


@pytest.mark.parametrize(
    "args, message",
    [
        (("--read-lag", "-1"), "--read-lag must be from 0 to 600 seconds"),
        (("--read-lag", "nan"), "--read-lag must be from 0 to 600 seconds"),
        (("--idle-exit", "0"), "--idle-exit must be more than 0"),
        (("--port", "70000"), "--port must be from 0 to 65535, not 70000"),
        (("--watch-pid", "0"), "--watch-pid 0: no such process"),
    ],
)
def test_bad_options_exit_2_naming_the_option(args, message):
    process = run_cli(*args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _out, err = process.communicate(timeout=20)
    assert process.returncode == 2
    assert message in err
