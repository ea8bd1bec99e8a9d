"""Injected faults: what the real SDK sees for each kind, and whether the change was applied."""

import time

import pytest
from alibabacloud_ecs20140526 import models as ecs_models
from alibabacloud_tea_openapi.exceptions import ClientException, ServerException, ThrottlingException
from darabonba.exceptions import RetryError, UnretryableException
from darabonba.runtime import RuntimeOptions
from ecs_emulator import EmulatorControlError

REGION = "cn-hangzhou"


@pytest.fixture(autouse=True)
def seeded(control, ips):
    """eni-1 attached to running i-1 with 4 addresses."""
    control.seed(
        {
            "instances": [{"InstanceId": "i-1"}],
            "network_interfaces": [
                {"NetworkInterfaceId": "eni-1", "InstanceId": "i-1", "Ipv6Addresses": ips(1, 2, 3, 4)}
            ],
        }
    )


def unassign(client, addresses, runtime=None):
    """Release addresses from eni-1."""
    request = ecs_models.UnassignIpv6AddressesRequest(
        region_id=REGION, network_interface_id="eni-1", ipv_6address=addresses
    )
    return client.unassign_ipv_6addresses_with_options(request, runtime or RuntimeOptions())


def describe(client):
    """Describe eni-1."""
    request = ecs_models.DescribeNetworkInterfaceAttributeRequest(region_id=REGION, network_interface_id="eni-1")
    return client.describe_network_interface_attribute_with_options(request, RuntimeOptions())


def test_error_fault_is_not_applied(client, control, ips):
    control.add_fault(
        action="UnassignIpv6Addresses", kind="error", code="ServiceUnavailable", status=503, message="Busy."
    )
    with pytest.raises(ServerException) as caught:
        unassign(client, ips(1))
    assert (caught.value.code, caught.value.status_code) == ("ServiceUnavailable", 503)
    assert caught.value.data["Message"] == "Busy."
    assert caught.value.request_id
    assert control.eni("eni-1")["Ipv6Addresses"] == ips(1, 2, 3, 4)
    call = control.calls()[-1]
    assert call["fault"] == "error" and call["applied"] is False and call["status"] == 503
    unassign(client, ips(1))
    assert control.eni("eni-1")["Ipv6Addresses"] == ips(2, 3, 4)


def test_4xx_error_fault_is_a_client_exception(client, control, ips):
    control.add_fault(action="UnassignIpv6Addresses", kind="error", code="OperationConflict", status=403)
    with pytest.raises(ClientException) as caught:
        unassign(client, ips(1))
    assert (caught.value.code, caught.value.status_code) == ("OperationConflict", 403)


def test_retry_after_gives_throttling_exception(client, control, ips):
    control.add_fault(
        action="UnassignIpv6Addresses", kind="error", code="Throttling.User", status=400, retry_after_ms=1500
    )
    with pytest.raises(ThrottlingException) as caught:
        unassign(client, ips(1))
    assert caught.value.code == "Throttling.User"
    assert caught.value.status_code == 400
    assert caught.value.retry_after == 1500
    assert len(control.eni("eni-1")["Ipv6Addresses"]) == 4


def test_drop_after_apply_applies_and_client_sees_connection_error(client, control, ips):
    control.add_fault(action="UnassignIpv6Addresses", kind="drop_after_apply")
    with pytest.raises(UnretryableException) as caught:
        unassign(client, ips(1, 2))
    # darabonba wraps the transport error: requests' ConnectionError text inside a RetryError.
    assert isinstance(caught.value.inner_exception, RetryError)
    assert "Remote end closed connection without response" in caught.value.inner_exception.message
    assert control.eni("eni-1")["Ipv6Addresses"] == ips(3, 4)
    call = control.calls()[-1]
    assert call["fault"] == "drop_after_apply" and call["applied"] is True
    # The client retries the same release: the addresses are gone, which ECS reports as IpUnassigned.
    with pytest.raises(ClientException) as caught_again:
        unassign(client, ips(1, 2))
    assert caught_again.value.code == "InvalidIp.IpUnassigned"


def test_drop_before_apply_changes_nothing(client, control, ips):
    control.add_fault(action="UnassignIpv6Addresses", kind="drop_before_apply")
    with pytest.raises(UnretryableException):
        unassign(client, ips(1))
    assert control.eni("eni-1")["Ipv6Addresses"] == ips(1, 2, 3, 4)
    call = control.calls()[-1]
    assert call["fault"] == "drop_before_apply" and call["applied"] is False and call["status"] is None


def test_delay_on_write_applies_then_times_out(new_client, control, ips):
    control.add_fault(action="UnassignIpv6Addresses", kind="delay", seconds=0.6)
    slow = new_client(read_timeout=200)
    started = time.monotonic()
    with pytest.raises(UnretryableException) as caught:
        unassign(slow, ips(4))
    assert time.monotonic() - started < 0.55
    assert "timed out" in caught.value.inner_exception.message.lower()
    assert control.eni("eni-1")["Ipv6Addresses"] == ips(1, 2, 3)


def test_delay_without_timeout_just_answers_late(client, control):
    control.add_fault(action="DescribeNetworkInterfaceAttribute", kind="delay", seconds=0.3)
    started = time.monotonic()
    assert describe(client).body.network_interface_id == "eni-1"
    assert time.monotonic() - started >= 0.3


def test_mutate_before_simulates_a_concurrent_change(client, control, ips):
    control.add_fault(
        action="UnassignIpv6Addresses",
        kind="mutate_before",
        mutation={"network_interface_id": "eni-1", "remove_ipv6_addresses": ips(2), "add_ipv6_addresses": ips(9)},
    )
    with pytest.raises(ClientException) as caught:
        unassign(client, ips(1, 2))
    assert caught.value.code == "InvalidIp.IpUnassigned"
    assert control.eni("eni-1")["Ipv6Addresses"] == ips(1, 3, 4, 9)


def test_mutate_before_can_change_instance_status(client, control, ips):
    control.add_fault(
        action="*", kind="mutate_before", mutation={"network_interface_id": "eni-1", "instance_status": "Stopping"}
    )
    with pytest.raises(ClientException) as caught:
        unassign(client, ips(1))
    assert caught.value.code == "InvalidOperation.InvalidEcsState"
    assert control.instance("i-1")["Status"] == "Stopping"


def test_count_order_and_wildcard(client, control, ips):
    control.add_fault(action="*", kind="error", code="InternalError", status=500, count=2)
    control.add_fault(action="DescribeNetworkInterfaceAttribute", kind="error", code="Throttling", status=503)
    assert [fault["count"] for fault in control.faults()] == [2, 1]
    for _attempt in range(2):
        with pytest.raises(ServerException) as caught:
            describe(client)
        assert caught.value.code == "InternalError"
    with pytest.raises(ServerException) as caught:
        describe(client)
    assert caught.value.code == "Throttling"
    assert control.faults() == []
    assert describe(client).body.network_interface_id == "eni-1"


def test_faults_only_hit_matching_and_correctly_signed_calls(client, new_client, control, ips):
    control.add_fault(
        action="UnassignIpv6Addresses",
        kind="error",
        code="InternalError",
        status=500,
        match={"NetworkInterfaceId": "eni-1"},
    )
    describe(client)
    with pytest.raises(ClientException) as caught:
        describe(new_client(access_key_secret="wrong"))
    assert caught.value.code == "SignatureDoesNotMatch"
    with pytest.raises(ClientException):
        unassign(new_client(access_key_secret="wrong"), ips(1))
    assert len(control.faults()) == 1
    with pytest.raises(ServerException):
        unassign(client, ips(1))
    assert control.faults() == []


def test_clear_faults(client, control, ips):
    control.add_fault(kind="drop_before_apply")
    control.clear_faults()
    unassign(client, ips(1))
    assert control.eni("eni-1")["Ipv6Addresses"] == ips(2, 3, 4)


def test_drop_after_apply_also_drops_a_refused_call(client, control, ips):
    control.add_fault(action="UnassignIpv6Addresses", kind="drop_after_apply")
    with pytest.raises(UnretryableException):
        unassign(client, ips(0x77))
    call = control.calls()[-1]
    assert call["fault"] == "drop_after_apply" and call["code"] == "InvalidIp.IpUnassigned" and call["applied"] is False


def test_delay_also_slows_a_refused_write(client, control, ips):
    control.add_fault(action="UnassignIpv6Addresses", kind="delay", seconds=0.3)
    started = time.monotonic()
    with pytest.raises(ClientException) as caught:
        unassign(client, ips(0x77))
    assert caught.value.code == "InvalidIp.IpUnassigned"
    assert time.monotonic() - started >= 0.3


def test_raw_fault_answers_a_proxy_html_page(client, control, ips):
    page = "<html><body><h1>502 Bad Gateway</h1></body></html>"
    control.add_fault(action="UnassignIpv6Addresses", kind="raw", status=502, body=page, content_type="text/html")
    # The SDK cannot parse it: it raises UnretryableException, without the HTTP status.
    with pytest.raises(UnretryableException) as caught:
        unassign(client, ips(1))
    assert page in str(caught.value)
    assert control.eni("eni-1")["Ipv6Addresses"] == ips(1, 2, 3, 4)
    call = control.calls()[-1]
    assert (call["fault"], call["status"], call["applied"], call["code"]) == ("raw", 502, False, None)


def test_raw_fault_bytes_on_the_wire(control, raw_call):
    control.add_fault(kind="raw", status=502, body="<html>Bad Gateway</html>", content_type="text/html")
    control.add_fault(kind="raw", status=503, content_type="")
    control.add_fault(kind="raw", status=200, body="not json", content_type="text/plain; charset=utf-8")
    seen = []
    for _attempt in range(3):
        status, headers, body = raw_call("DescribeNetworkInterfaceAttribute", {"RegionId": REGION}, raw=True)
        seen.append((status, headers.get("content-type"), headers.get("content-length"), body))
    assert seen == [
        (502, "text/html", "24", b"<html>Bad Gateway</html>"),
        (503, None, "0", b""),
        (200, "text/plain; charset=utf-8", "8", b"not json"),
    ]
    assert [call["status"] for call in control.calls()] == [502, 503, 200]


def test_raw_fault_with_empty_body_reaches_the_sdk(client, control):
    control.add_fault(action="DescribeNetworkInterfaceAttribute", kind="raw", status=503)
    with pytest.raises(UnretryableException) as caught:
        describe(client)
    assert 'Value: ""' in str(caught.value)
    assert describe(client).body.network_interface_id == "eni-1"


@pytest.mark.parametrize(
    "fault",
    [
        {"kind": "raw", "status": 199},
        {"kind": "raw", "status": 600},
        {"kind": "raw", "body": 5},
        {"kind": "raw", "content_type": "text/html\r\nX-Evil: 1"},
        {"kind": "error", "code": "InternalError", "body": "x"},
        {"kind": "delay", "seconds": 1, "content_type": "text/html"},
    ],
)
def test_bad_raw_faults_are_refused(control, fault):
    with pytest.raises(EmulatorControlError) as caught:
        control.add_fault(**fault)
    assert caught.value.status == 400
    assert control.faults() == []
