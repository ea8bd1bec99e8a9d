"""UnassignIpv6Addresses: every rule, in ECS's order, through the real SDK."""

import pytest
from alibabacloud_ecs20140526 import models as ecs_models
from alibabacloud_tea_openapi.exceptions import ClientException
from darabonba.runtime import RuntimeOptions

REGION = "cn-hangzhou"


def unassign(client, eni_id="eni-1", addresses=None, prefixes=None, region=REGION):
    """Call UnassignIpv6Addresses with addresses or prefixes."""
    request = ecs_models.UnassignIpv6AddressesRequest(
        region_id=region, network_interface_id=eni_id, ipv_6address=addresses, ipv_6prefix=prefixes
    )
    return client.unassign_ipv_6addresses_with_options(request, RuntimeOptions())


def failure(client, **fields):
    """Call unassign() expecting a ClientException and return it."""
    with pytest.raises(ClientException) as caught:
        unassign(client, **fields)
    return caught.value


@pytest.fixture(autouse=True)
def seeded(control, ips):
    """eni-1 attached to running i-1 with 12 addresses and 2 prefixes."""
    control.seed(
        {
            "instances": [{"InstanceId": "i-1", "Status": "Running", "EniIpv6AddressQuantity": 20}],
            "network_interfaces": [
                {
                    "NetworkInterfaceId": "eni-1",
                    "InstanceId": "i-1",
                    "Ipv6Addresses": ips(*range(1, 13)),
                    "Ipv6Prefixes": ["2408:4005:3a0:a1ff:1::/80", "2408:4005:3a0:a1ff:2::/80"],
                }
            ],
        }
    )


def test_happy_path_removes_and_answers_request_id_only(client, control, ips):
    response = unassign(client, addresses=ips(2, 4))
    assert response.status_code == 200
    assert response.body.to_map() == {"RequestId": response.body.request_id}
    assert control.eni("eni-1")["Ipv6Addresses"] == ips(1, 3, *range(5, 13))
    call = control.calls("UnassignIpv6Addresses")[-1]
    assert call["applied"] is True and call["status"] == 200 and call["code"] is None
    assert call["params"]["Ipv6Address.1"] == ips(2)[0]


def test_canonical_comparison(client, control, ips):
    unassign(client, addresses=["2408:4005:03A0:A100:0:0:0:5"])
    assert ips(5)[0] not in control.eni("eni-1")["Ipv6Addresses"]
    assert len(control.eni("eni-1")["Ipv6Addresses"]) == 11


def test_prefixes_are_released(client, control):
    unassign(client, prefixes=["2408:4005:03a0:a1ff:0001:0:0:0/80"])
    assert control.eni("eni-1")["Ipv6Prefixes"] == ["2408:4005:3a0:a1ff:2::/80"]


def test_eni_must_exist_first(client):
    # Even with no address given, a missing ENI is reported first.
    error = failure(client, eni_id="eni-nope")
    assert (error.code, error.status_code) == ("InvalidEniId.NotFound", 404)
    assert error.data["Message"] == 'The specified EniId "eni-nope" is not found.'


def test_neither_addresses_nor_prefixes(client):
    error = failure(client)
    assert (error.code, error.status_code) == ("MissingParameter", 400)
    assert '"Ipv6Address"' in error.data["Message"]


def test_addresses_and_prefixes_together(client, ips):
    error = failure(client, addresses=ips(1), prefixes=["2408:4005:3a0:a1ff:1::/80"])
    assert (error.code, error.status_code) == ("InvalidParameter", 400)
    assert "cannot be released in one request" in error.data["Message"]


def test_more_than_10(client, control, ips):
    error = failure(client, addresses=ips(*range(1, 12)))
    assert (error.code, error.status_code) == ("InvalidParameter", 400)
    assert "Ipv6Address.N" in error.data["Message"]
    assert len(control.eni("eni-1")["Ipv6Addresses"]) == 12
    unassign(client, addresses=ips(*range(1, 11)))
    assert control.eni("eni-1")["Ipv6Addresses"] == ips(11, 12)


@pytest.mark.parametrize(
    "bad", ["not-an-ip", "10.0.0.1", "2408:4005:3a0:a100::1%eth0", "2408:4005:3a0:a100::1/128", "2408::g"]
)
def test_invalid_address(client, bad):
    error = failure(client, addresses=[bad])
    assert (error.code, error.status_code) == ("InvalidIp.Address", 403)


def test_invalid_prefix(client):
    error = failure(client, prefixes=["2408:4005:3a0:a1ff:1::1/80"])
    assert (error.code, error.status_code) == ("InvalidIp.Address", 403)


def test_repeated_in_call_even_in_another_spelling(client, control, ips):
    error = failure(client, addresses=[ips(1)[0], "2408:4005:3A0:A100::1"])
    assert (error.code, error.status_code) == ("InvalidIp.IpRepeated", 403)
    assert error.data["Message"] == 'The specified ipAddress "2408:4005:3A0:A100::1" is(are) repeated.'
    assert len(control.eni("eni-1")["Ipv6Addresses"]) == 12


@pytest.mark.parametrize("status", ["Attaching", "Detaching", "Deleting"])
def test_eni_state(client, control, ips, status):
    control.mutate(network_interface_id="eni-1", status=status)
    error = failure(client, addresses=ips(1))
    assert (error.code, error.status_code) == ("InvalidOperation.InvalidEniState", 400)
    assert error.data["Message"] == (
        'The operation is not allowed in the current ENI state. Expecting status is "Available,InUse" while current status is "%s".'
        % status
    )


def test_available_eni_is_writable(client, control, ips):
    control.seed(
        {"network_interfaces": [{"NetworkInterfaceId": "eni-free", "Ipv6Addresses": ["2408:4005:3a0:a100::100"]}]}
    )
    unassign(client, eni_id="eni-free", addresses=["2408:4005:3a0:a100::100"])
    assert control.eni("eni-free")["Ipv6Addresses"] == []


@pytest.mark.parametrize("status", ["Pending", "Starting", "Stopping"])
def test_instance_state(client, control, ips, status):
    control.mutate(network_interface_id="eni-1", instance_status=status)
    error = failure(client, addresses=ips(1))
    assert (error.code, error.status_code) == ("InvalidOperation.InvalidEcsState", 400)
    assert 'Expecting status is "Running,Stopped" while current status is "%s".' % status in error.data["Message"]


def test_stopped_instance_is_fine(client, control, ips):
    control.mutate(network_interface_id="eni-1", instance_status="Stopped")
    unassign(client, addresses=ips(1))
    assert ips(1)[0] not in control.eni("eni-1")["Ipv6Addresses"]


def test_unassigned_address_fails_whole_call(client, control, ips):
    error = failure(client, addresses=ips(1, 2, 0x99))
    assert (error.code, error.status_code) == ("InvalidIp.IpUnassigned", 403)
    assert ips(0x99)[0] in error.data["Message"]
    assert control.eni("eni-1")["Ipv6Addresses"] == ips(*range(1, 13))
    call = control.calls("UnassignIpv6Addresses")[-1]
    assert call["applied"] is False and call["code"] == "InvalidIp.IpUnassigned" and call["status"] == 403


def test_address_of_another_eni_is_unassigned_here(client, control):
    control.seed(
        {"network_interfaces": [{"NetworkInterfaceId": "eni-2", "Ipv6Addresses": ["2408:4005:3a0:a100::200"]}]}
    )
    error = failure(client, addresses=["2408:4005:3a0:a100::200"])
    assert error.code == "InvalidIp.IpUnassigned"
    assert control.eni("eni-2")["Ipv6Addresses"] == ["2408:4005:3a0:a100::200"]


def test_second_release_of_same_address_is_unassigned(client, ips):
    unassign(client, addresses=ips(7))
    assert failure(client, addresses=ips(7)).code == "InvalidIp.IpUnassigned"
