"""The control API (/_emulator/...): seeding, state, call log, schedules, mutations, reset, thread safety."""

import json
import threading
import time
import urllib.request

import pytest
from alibabacloud_ecs20140526 import models as ecs_models
from darabonba.runtime import RuntimeOptions
from ecs_emulator import EmulatorControlError

REGION = "cn-hangzhou"


def raw_control(emulator, method, path, body=None):
    """Plain urllib call, like an Ansible uri task would make."""
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode("utf-8"))
    request = urllib.request.Request(
        emulator.url + path, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def test_seed_defaults(control):
    created = control.seed(
        {
            "instances": [{"InstanceId": "i-9"}],
            "network_interfaces": [
                {"NetworkInterfaceId": "eni-9", "InstanceId": "i-9"},
                {"NetworkInterfaceId": "eni-8"},
            ],
        }
    )
    assert created == {"instances": ["i-9"], "network_interfaces": ["eni-9", "eni-8"]}
    eni = control.eni("eni-9")
    assert eni["Status"] == "InUse" and eni["Type"] == "Secondary" and eni["RegionId"] == REGION
    assert (
        eni["VpcId"].startswith("vpc-emu")
        and eni["VSwitchId"].startswith("vsw-emu")
        and eni["ZoneId"] == "cn-hangzhou-h"
    )
    assert eni["MacAddress"].startswith("00:16:3e:") and eni["PrivateIpAddress"].startswith("172.16.")
    assert eni["Ipv6Cidr"] == "2408:4005:3a0:a100::/64" and eni["Ipv6Enabled"] is True
    assert eni["Ipv6Addresses"] == [] and eni["Ipv6Prefixes"] == [] and eni["Tags"] == {}
    assert control.eni("eni-8")["Status"] == "Available"
    assert control.eni("eni-8")["PrivateIpAddress"] != eni["PrivateIpAddress"]
    instance = control.instance("i-9")
    assert instance["Status"] == "Running" and instance["EniIpv6AddressQuantity"] == 10


def test_seed_canonicalises_and_creates_missing_instance(control):
    control.seed(
        {
            "network_interfaces": [
                {
                    "NetworkInterfaceId": "eni-c",
                    "InstanceId": "i-auto",
                    "Ipv6Addresses": ["2408:4005:03A0:A100:0:0:0:1"],
                }
            ]
        }
    )
    assert control.eni("eni-c")["Ipv6Addresses"] == ["2408:4005:3a0:a100::1"]
    assert control.instance("i-auto")["Status"] == "Running"


@pytest.mark.parametrize(
    "document",
    [
        {"network_interfaces": [{"NetworkInterfaceId": "eni-x", "Status": "Busy"}]},
        {"network_interfaces": [{"NetworkInterfaceId": "eni-x", "Ipv6Addresses": ["bogus"]}]},
        {"network_interfaces": [{"NetworkInterfaceId": "eni-x", "Typo": 1}]},
        {"network_interfaces": [{"Status": "InUse"}]},
        {"instances": [{"InstanceId": "i-x", "Status": "Flying"}]},
        {
            "network_interfaces": [
                {"NetworkInterfaceId": "a", "Ipv6Addresses": ["::1"]},
                {"NetworkInterfaceId": "b", "Ipv6Addresses": ["::1"]},
            ]
        },
        {"generate": {"count": 0}},
        {"unknown": []},
        [],
    ],
)
def test_invalid_seed_is_refused_and_changes_nothing(control, emulator, document):
    status, body = raw_control(emulator, "POST", "/_emulator/seed", document)
    assert status == 400 and body["error"]
    assert control.state()["network_interfaces"] == {}


def test_demo_seed(control, client):
    control.seed_demo()
    state = control.state()
    assert state["instances"]["i-demo0001"]["Status"] == "Running"
    demo1 = state["network_interfaces"]["eni-demo0001"]
    assert demo1["Status"] == "InUse" and demo1["Type"] == "Primary" and demo1["InstanceId"] == "i-demo0001"
    assert len(demo1["Ipv6Addresses"]) == 12 and all(
        a.startswith("2408:4005:3a0:a100::") for a in demo1["Ipv6Addresses"]
    )
    demo2 = state["network_interfaces"]["eni-demo0002"]
    assert demo2["Status"] == "Available" and len(demo2["Ipv6Addresses"]) == 3
    assert not set(demo1["Ipv6Addresses"]) & set(demo2["Ipv6Addresses"])


def test_reset_clears_everything(control, client):
    control.seed_demo()
    control.add_fault(kind="delay", seconds=0)
    control.schedule(delay=60, network_interface_id="eni-demo0001", status="Detaching")
    request = ecs_models.DescribeNetworkInterfacesRequest(region_id=REGION)
    client.describe_network_interfaces_with_options(request, RuntimeOptions())
    control.reset()
    state = control.state()
    assert state["instances"] == {} and state["network_interfaces"] == {}
    assert control.faults() == [] and control.schedules() == [] and control.calls() == []


def test_eni_not_found_is_404(control, emulator):
    with pytest.raises(EmulatorControlError) as caught:
        control.eni("eni-ghost")
    assert caught.value.status == 404
    assert raw_control(emulator, "GET", "/_emulator/nowhere")[0] == 404
    assert raw_control(emulator, "POST", "/_emulator/seed", b"{not json")[0] == 400


def test_calls_log_and_filter(control, client):
    control.seed_demo()
    client.describe_network_interfaces_with_options(
        ecs_models.DescribeNetworkInterfacesRequest(region_id=REGION), RuntimeOptions()
    )
    request = ecs_models.UnassignIpv6AddressesRequest(
        region_id=REGION, network_interface_id="eni-demo0002", ipv_6address=["2408:4005:3a0:a100::d"]
    )
    client.unassign_ipv_6addresses_with_options(request, RuntimeOptions())
    calls = control.calls()
    assert [call["action"] for call in calls] == ["DescribeNetworkInterfaces", "UnassignIpv6Addresses"]
    assert calls[0]["seq"] < calls[1]["seq"]
    assert set(calls[1]) >= {"seq", "time", "action", "params", "status", "code", "applied", "access_key_id"}
    assert calls[1]["params"] == {
        "RegionId": REGION,
        "NetworkInterfaceId": "eni-demo0002",
        "Ipv6Address.1": "2408:4005:3a0:a100::d",
    }
    assert [call["action"] for call in control.calls("UnassignIpv6Addresses")] == ["UnassignIpv6Addresses"]
    control.clear_calls()
    assert control.calls() == []


def test_schedule_eni_status(control, client):
    control.seed({"network_interfaces": [{"NetworkInterfaceId": "eni-s", "InstanceId": "i-s", "Status": "Attaching"}]})
    entry = control.schedule(delay=0.2, network_interface_id="eni-s", status="InUse")
    assert entry["id"] and control.schedules()[0]["mutation"] == {"network_interface_id": "eni-s", "status": "InUse"}
    assert control.eni("eni-s")["Status"] == "Attaching"
    deadline = time.monotonic() + 3
    while control.eni("eni-s")["Status"] != "InUse" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert control.eni("eni-s")["Status"] == "InUse"
    assert control.schedules() == []


def test_schedule_instance_status_and_mutation(control):
    control.seed(
        {
            "network_interfaces": [
                {"NetworkInterfaceId": "eni-m", "InstanceId": "i-m", "Ipv6Addresses": ["2408:4005:3a0:a100::1"]}
            ]
        }
    )
    control.schedule(delay=0.1, instance_id="i-m", status="Stopped")
    control.schedule(
        delay=0.1, mutation={"network_interface_id": "eni-m", "add_ipv6_addresses": ["2408:4005:3a0:a100::2"]}
    )
    time.sleep(0.4)
    assert control.instance("i-m")["Status"] == "Stopped"
    assert control.eni("eni-m")["Ipv6Addresses"] == ["2408:4005:3a0:a100::1", "2408:4005:3a0:a100::2"]
    with pytest.raises(EmulatorControlError) as caught:
        control.schedule(delay=1, network_interface_id="eni-m")
    assert caught.value.status == 400


def test_clear_schedules(control):
    control.seed({"network_interfaces": [{"NetworkInterfaceId": "eni-c", "Status": "Attaching"}]})
    control.schedule(delay=0.2, network_interface_id="eni-c", status="InUse")
    control.clear_schedules()
    time.sleep(0.35)
    assert control.eni("eni-c")["Status"] == "Attaching"


def test_mutate_and_delete(control):
    control.seed(
        {"network_interfaces": [{"NetworkInterfaceId": "eni-d", "Ipv6Prefixes": ["2408:4005:3a0:a1ff:1::/80"]}]}
    )
    done = control.mutate(
        network_interface_id="eni-d",
        remove_ipv6_prefixes=["2408:4005:3a0:a1ff:1::/80"],
        add_ipv6_prefixes=["2408:4005:3a0:a1ff:2::/80"],
    )
    assert len(done["done"]) == 2
    assert control.eni("eni-d")["Ipv6Prefixes"] == ["2408:4005:3a0:a1ff:2::/80"]
    control.mutate(network_interface_id="eni-d", delete=True)
    assert "eni-d" not in control.state()["network_interfaces"]
    with pytest.raises(EmulatorControlError):
        control.mutate(network_interface_id="eni-d", remove_ipv6_addresses=["not-an-ip"])


def test_raw_json_control_like_ansible_uri(emulator):
    status, body = raw_control(emulator, "POST", "/_emulator/seed", {"demo": True})
    assert status == 200 and "eni-demo0001" in body["network_interfaces"]
    status, body = raw_control(
        emulator,
        "POST",
        "/_emulator/faults",
        {"action": "UnassignIpv6Addresses", "kind": "error", "code": "Throttling", "status": 400},
    )
    assert status == 200 and body["id"] >= 1 and body["count"] == 1
    assert raw_control(emulator, "DELETE", "/_emulator/faults")[1] == {"ok": True}
    assert raw_control(emulator, "GET", "/_emulator/faults")[1] == {"faults": []}
    status, body = raw_control(emulator, "POST", "/_emulator/faults", {"kind": "explode"})
    assert status == 400 and "kind" in body["error"]
    assert raw_control(emulator, "GET", "/_emulator/health")[1]["ok"] is True


def test_concurrent_assign_and_unassign_keep_state_consistent(control, client):
    control.seed(
        {
            "instances": [{"InstanceId": "i-c", "EniIpv6AddressQuantity": 1000}],
            "generate": {"count": 4, "prefix": "eni-t", "InstanceId": "i-c"},
        }
    )
    errors = []

    def worker(eni_id):
        try:
            for _round in range(5):
                assigned = client.assign_ipv_6addresses_with_options(
                    ecs_models.AssignIpv6AddressesRequest(
                        region_id=REGION, network_interface_id=eni_id, ipv_6address_count=3
                    ),
                    RuntimeOptions(),
                ).body.ipv_6sets.ipv_6address
                client.unassign_ipv_6addresses_with_options(
                    ecs_models.UnassignIpv6AddressesRequest(
                        region_id=REGION, network_interface_id=eni_id, ipv_6address=assigned[:1]
                    ),
                    RuntimeOptions(),
                )
        except Exception as err:  # collected and asserted below
            errors.append(err)

    threads = [threading.Thread(target=worker, args=("eni-t-%05d" % index,)) for index in range(1, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    everything = [address for eni in control.state()["network_interfaces"].values() for address in eni["Ipv6Addresses"]]
    assert len(everything) == 4 * 5 * 2
    assert len(set(everything)) == len(everything)
