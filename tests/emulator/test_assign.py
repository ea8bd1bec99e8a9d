"""AssignIpv6Addresses: explicit values, counts, quotas, ClientToken, through the real SDK."""

import pytest
from alibabacloud_ecs20140526 import models as ecs_models
from alibabacloud_tea_openapi.exceptions import ClientException
from darabonba.runtime import RuntimeOptions

REGION = "cn-hangzhou"


def assign(client, eni_id="eni-1", **fields):
    """Call AssignIpv6Addresses on eni_id with the SDK request fields given."""
    request = ecs_models.AssignIpv6AddressesRequest(region_id=REGION, network_interface_id=eni_id, **fields)
    return client.assign_ipv_6addresses_with_options(request, RuntimeOptions())


def failure(client, **fields):
    """Call assign() expecting a ClientException and return it."""
    with pytest.raises(ClientException) as caught:
        assign(client, **fields)
    return caught.value


@pytest.fixture(autouse=True)
def seeded(control, ips):
    """eni-1 on running i-1 (quota 10) holding ::1 and ::3; eni-2 unattached holding ::2."""
    control.seed(
        {
            "instances": [{"InstanceId": "i-1", "Status": "Running"}],
            "network_interfaces": [
                {"NetworkInterfaceId": "eni-1", "InstanceId": "i-1", "Ipv6Addresses": ips(1, 3)},
                {"NetworkInterfaceId": "eni-2", "Ipv6Addresses": ips(2)},
            ],
        }
    )


def test_count_picks_lowest_free_addresses(client, control, ips):
    response = assign(client, ipv_6address_count=3)
    body = response.body
    assert body.network_interface_id == "eni-1"
    assert body.ipv_6sets.ipv_6address == ips(4, 5, 6)
    assert body.ipv_6prefix_sets.ipv_6prefix == []
    assert body.request_id
    assert control.eni("eni-1")["Ipv6Addresses"] == ips(1, 3, 4, 5, 6)


def test_explicit_addresses_are_stored_canonical(client, control, ips):
    body = assign(client, ipv_6address=["2408:4005:03A0:A100:0:0:0:0A", "2408:4005:3a0:a100::b"]).body
    assert body.ipv_6sets.ipv_6address == ips(0xA, 0xB)
    assert control.eni("eni-1")["Ipv6Addresses"] == ips(1, 3, 0xA, 0xB)


def test_prefix_count_and_explicit_prefix(client, control):
    body = assign(client, ipv_6prefix_count=2).body
    assert body.ipv_6prefix_sets.ipv_6prefix == ["2408:4005:3a0:a100:1::/80", "2408:4005:3a0:a100:2::/80"]
    body = assign(client, ipv_6prefix=["2408:4005:3a0:a1ff:7::/80"]).body
    assert body.ipv_6prefix_sets.ipv_6prefix == ["2408:4005:3a0:a1ff:7::/80"]
    assert control.eni("eni-1")["Ipv6Prefixes"][-1] == "2408:4005:3a0:a1ff:7::/80"
    error = failure(client, ipv_6prefix=["2408:4005:3a0:a1ff::/64"])
    assert (error.code, error.status_code) == ("InvalidIp.Address", 403)
    error = failure(client, ipv_6prefix=["2408:4005:3a0:a1ff:7::/80"])
    assert (error.code, error.status_code) == ("InvalidIp.IpAssigned", 403)


def test_parameter_errors(client):
    cases = [
        ({}, "MissingParameter", 400),
        ({"ipv_6address": ["2408:4005:3a0:a100::20"], "ipv_6address_count": 1}, "InvalidParameter", 400),
        ({"ipv_6prefix": ["2408:4005:3a0:a1ff:7::/80"], "ipv_6prefix_count": 1}, "InvalidParameter", 400),
        ({"ipv_6address_count": 0}, "InvalidParameter", 400),
        ({"ipv_6address_count": 11}, "InvalidParameter", 400),
        ({"ipv_6prefix_count": 11}, "InvalidParameter", 400),
        ({"ipv_6address": ["2408:4005:3a0:a100::%x" % n for n in range(0x20, 0x2B)]}, "InvalidParameter", 400),
        ({"ipv_6address_count": 1, "client_token": "x" * 65}, "InvalidParameter", 400),
        ({"ipv_6address": ["nope"]}, "InvalidIp.Address", 403),
        ({"ipv_6address": ["2408:4005:3a0:a100::20", "2408:4005:3a0:a100:0::20"]}, "InvalidIp.IpRepeated", 403),
    ]
    for fields, code, status in cases:
        error = failure(client, **fields)
        assert (error.code, error.status_code) == (code, status), fields


def test_eni_not_found(client):
    error = failure(client, eni_id="eni-zzz", ipv_6address_count=1)
    assert (error.code, error.status_code) == ("InvalidEniId.NotFound", 404)


def test_state_rules(client, control):
    control.mutate(network_interface_id="eni-1", status="Detaching")
    assert failure(client, ipv_6address_count=1).code == "InvalidOperation.InvalidEniState"
    control.mutate(network_interface_id="eni-1", status="InUse", instance_status="Starting")
    error = failure(client, ipv_6address_count=1)
    assert (error.code, error.status_code) == ("InvalidOperation.InvalidEcsState", 400)


def test_vswitch_without_ipv6(client, control):
    control.seed({"network_interfaces": [{"NetworkInterfaceId": "eni-v4", "Ipv6Enabled": False}]})
    error = failure(client, eni_id="eni-v4", ipv_6address_count=1)
    assert (error.code, error.status_code) == ("InvalidVSwitch.Ipv6NotTurnOn", 403)


def test_address_outside_vswitch_cidr(client):
    error = failure(client, ipv_6address=["2408:4005:3a0:b000::1"])
    assert (error.code, error.status_code) == ("InvalidIp.Address", 403)


def test_address_already_assigned_here_or_elsewhere(client, control, ips):
    for taken in (ips(3)[0], "2408:4005:3A0:A100::2"):
        error = failure(client, ipv_6address=[taken])
        assert (error.code, error.status_code) == ("InvalidIp.IpAssigned", 403)
    assert control.eni("eni-1")["Ipv6Addresses"] == ips(1, 3)


def test_count_skips_addresses_of_other_enis(client, ips):
    assert assign(client, ipv_6address_count=2).body.ipv_6sets.ipv_6address == ips(4, 5)
    assert assign(client, eni_id="eni-2", ipv_6address_count=1).body.ipv_6sets.ipv_6address == ips(6)


def test_quota_of_attached_eni_is_the_instance_quota(client, control):
    assign(client, ipv_6address_count=8)
    error = failure(client, ipv_6address_count=1)
    assert (error.code, error.status_code) == ("MaxEniIpv6IpsCountExceeded", 403)
    assert len(control.eni("eni-1")["Ipv6Addresses"]) == 10
    control.seed({"instances": [{"InstanceId": "i-1", "Status": "Running", "EniIpv6AddressQuantity": 12}]})
    assign(client, ipv_6address_count=2)
    assert len(control.eni("eni-1")["Ipv6Addresses"]) == 12


def test_quota_of_unattached_eni_is_10(client, control):
    assign(client, eni_id="eni-2", ipv_6address_count=9)
    error = failure(client, eni_id="eni-2", ipv_6address=["2408:4005:3a0:a100::ff"])
    assert error.code == "MaxEniIpv6IpsCountExceeded"
    assert len(control.eni("eni-2")["Ipv6Addresses"]) == 10


def test_prefix_quota_is_10(client):
    assign(client, ipv_6prefix_count=10)
    assert failure(client, ipv_6prefix_count=1).code == "MaxEniIpv6IpsCountExceeded"


def test_client_token_replay_and_mismatch(client, control, ips):
    first = assign(client, ipv_6address_count=2, client_token="tok-1").body
    again = assign(client, ipv_6address_count=2, client_token="tok-1").body
    assert again.ipv_6sets.ipv_6address == first.ipv_6sets.ipv_6address == ips(4, 5)
    assert again.request_id != first.request_id
    assert control.eni("eni-1")["Ipv6Addresses"] == ips(1, 3, 4, 5)
    calls = control.calls("AssignIpv6Addresses")
    assert [call["applied"] for call in calls] == [True, False]
    error = failure(client, ipv_6address_count=3, client_token="tok-1")
    assert (error.code, error.status_code) == ("IdempotentParameterMismatch", 400)
    assert assign(client, ipv_6address_count=1, client_token="tok-2").body.ipv_6sets.ipv_6address == ips(6)


def test_failed_call_does_not_burn_the_token(client, control, ips):
    control.mutate(network_interface_id="eni-1", status="Attaching")
    failure(client, ipv_6address_count=1, client_token="tok-retry")
    control.mutate(network_interface_id="eni-1", status="InUse")
    assert assign(client, ipv_6address_count=1, client_token="tok-retry").body.ipv_6sets.ipv_6address == ips(4)
