"""The facts of ECS-IPv6-API.md the emulator models, each through the real SDK: Primary, states, quotas, tokens."""

import time

import pytest
from alibabacloud_ecs20140526 import models as ecs_models
from alibabacloud_tea_openapi.exceptions import ClientException
from darabonba.runtime import RuntimeOptions
from ecs_emulator import EmulatorControlError

REGION = "cn-hangzhou"
STS_ID = "STS.NUemulatorFactsKey"
STS_SECRET = "sts-facts-secret-not-real"
STS_TOKEN = "CAIS-facts-token-not-real"


def attribute(client, eni_id):
    """DescribeNetworkInterfaceAttribute's body for one ENI."""
    request = ecs_models.DescribeNetworkInterfaceAttributeRequest(region_id=REGION, network_interface_id=eni_id)
    return client.describe_network_interface_attribute_with_options(request, RuntimeOptions()).body


def listed(client, **fields):
    """DescribeNetworkInterfaces' items, by id."""
    fields.setdefault("region_id", REGION)
    body = client.describe_network_interfaces_with_options(
        ecs_models.DescribeNetworkInterfacesRequest(**fields), RuntimeOptions()
    ).body
    return {item.network_interface_id: item for item in body.network_interface_sets.network_interface_set}


def primary_pairs(ipv6_sets):
    """[(address, primary)] of an SDK Ipv6Sets object."""
    return [(item.ipv_6address, item.primary) for item in ipv6_sets.ipv_6set]


def assign(client, eni_id, **fields):
    """AssignIpv6Addresses; returns the addresses the answer lists."""
    request = ecs_models.AssignIpv6AddressesRequest(region_id=REGION, network_interface_id=eni_id, **fields)
    return client.assign_ipv_6addresses_with_options(request, RuntimeOptions()).body.ipv_6sets.ipv_6address


def unassign(client, eni_id, addresses):
    """UnassignIpv6Addresses."""
    request = ecs_models.UnassignIpv6AddressesRequest(
        region_id=REGION, network_interface_id=eni_id, ipv_6address=addresses
    )
    return client.unassign_ipv_6addresses_with_options(request, RuntimeOptions())


def refusal(call, *args, **kwargs):
    """Run an SDK call expecting a ClientException; return it."""
    with pytest.raises(ClientException) as caught:
        call(*args, **kwargs)
    return caught.value


# --------------------------------------------------------------------------- Primary in Ipv6Set


def test_primary_flag_in_both_describe_answers(client, control, ips):
    control.seed(
        {
            "network_interfaces": [
                {"NetworkInterfaceId": "eni-p", "InstanceId": "i-1", "Type": "Primary", "Ipv6Addresses": ips(1, 2)},
                {"NetworkInterfaceId": "eni-s", "InstanceId": "i-1", "Ipv6Addresses": ips(3, 4)},
                {"NetworkInterfaceId": "eni-x", "Ipv6Addresses": ips(5, 6), "Ipv6PrimaryAddress": ips(6)[0]},
                {"NetworkInterfaceId": "eni-n", "Type": "Primary", "Ipv6AddressCount": 2, "Ipv6PrimaryAddress": ""},
                {"NetworkInterfaceId": "eni-c", "Type": "Primary", "Ipv6AddressCount": 1},
            ]
        }
    )
    expected = {
        "eni-p": [(ips(1)[0], True), (ips(2)[0], False)],
        "eni-s": [(ips(3)[0], False), (ips(4)[0], False)],
        "eni-x": [(ips(5)[0], False), (ips(6)[0], True)],
        "eni-n": [(ips(7)[0], False), (ips(8)[0], False)],
        "eni-c": [(ips(9)[0], True)],
    }
    items = listed(client)
    for eni_id, pairs in expected.items():
        assert primary_pairs(attribute(client, eni_id).ipv_6sets) == pairs, eni_id
        assert primary_pairs(items[eni_id].ipv_6sets) == pairs, eni_id
    assert control.eni("eni-p")["Ipv6PrimaryAddress"] == ips(1)[0]


def test_demo_primary_eni_has_a_primary_address(client, control):
    control.seed_demo()
    pairs = primary_pairs(attribute(client, "eni-demo0001").ipv_6sets)
    assert pairs[0] == ("2408:4005:3a0:a100::1", True)
    assert [primary for _address, primary in pairs[1:]] == [False] * 11
    assert not any(primary for _address, primary in primary_pairs(attribute(client, "eni-demo0002").ipv_6sets))


def test_primary_address_can_be_released_and_assign_never_makes_one(client, control, ips):
    control.seed(
        {"network_interfaces": [{"NetworkInterfaceId": "eni-p", "Type": "Primary", "Ipv6Addresses": ips(1, 2)}]}
    )
    unassign(client, "eni-p", ips(1))
    assert primary_pairs(attribute(client, "eni-p").ipv_6sets) == [(ips(2)[0], False)]
    assign(client, "eni-p", ipv_6address=ips(1))
    assert primary_pairs(attribute(client, "eni-p").ipv_6sets) == [(ips(2)[0], False), (ips(1)[0], False)]


@pytest.mark.parametrize("code", ["InvalidIp.IpUnassigned", "InvalidOperation.Ipv6PrimaryCannotRelease"])
def test_a_primary_address_release_can_be_refused_as_a_whole_with_a_chosen_code(client, control, ips, code):
    control.seed(
        {"network_interfaces": [{"NetworkInterfaceId": "eni-p", "Type": "Primary", "Ipv6Addresses": ips(1, 2, 3)}]}
    )
    control.set_settings(primary_ipv6_release_refusal=code)
    refused = refusal(unassign, client, "eni-p", ips(2, 1))
    assert (refused.code, refused.status_code) == (code, 403)
    assert ips(1)[0] in refused.message and "primary" in refused.message
    assert control.eni("eni-p")["Ipv6Addresses"] == ips(1, 2, 3), "nothing of the refused call is released"
    unassign(client, "eni-p", ips(2))
    assert control.eni("eni-p")["Ipv6Addresses"] == ips(1, 3), "other addresses are released as before"
    control.set_settings(primary_ipv6_release_refusal=None)
    unassign(client, "eni-p", ips(1))
    assert control.eni("eni-p")["Ipv6Addresses"] == ips(3)


def test_the_primary_release_refusal_must_be_a_code(control):
    for value in (True, "", "no spaces allowed", 3):
        with pytest.raises(EmulatorControlError):
            control.set_settings(primary_ipv6_release_refusal=value)


def test_primary_seed_must_be_one_of_the_addresses(control, ips):
    for primary in (ips(9)[0], "not-an-address"):
        with pytest.raises(EmulatorControlError) as caught:
            control.seed(
                {
                    "network_interfaces": [
                        {"NetworkInterfaceId": "eni-b", "Ipv6Addresses": ips(1), "Ipv6PrimaryAddress": primary}
                    ]
                }
            )
        assert caught.value.status == 400 and "Ipv6PrimaryAddress" in caught.value.payload["error"]
    assert control.state()["network_interfaces"] == {}


# --------------------------------------------------------------------------- instance state rule


@pytest.fixture(name="starting")
def starting_fixture(control, ips):
    """i-1 is Starting; eni-p is its Primary ENI and eni-s a Secondary one, both InUse."""
    control.seed(
        {
            "instances": [{"InstanceId": "i-1", "Status": "Starting"}],
            "network_interfaces": [
                {"NetworkInterfaceId": "eni-p", "InstanceId": "i-1", "Type": "Primary", "Ipv6Addresses": ips(1)},
                {"NetworkInterfaceId": "eni-s", "InstanceId": "i-1", "Type": "Secondary", "Ipv6Addresses": ips(2)},
            ],
        }
    )


@pytest.mark.parametrize("status", ["Pending", "Starting", "Stopping"])
def test_primary_eni_needs_a_running_or_stopped_instance(client, control, ips, starting, status):
    control.mutate(instance_id="i-1", instance_status=status)
    for call, args in ((unassign, ("eni-p", ips(1))),):
        error = refusal(call, client, *args)
        assert (error.code, error.status_code) == ("InvalidOperation.InvalidEcsState", 400)
        assert 'current status is "%s"' % status in error.data["Message"]
    error = refusal(assign, client, "eni-p", ipv_6address_count=1)
    assert error.code == "InvalidOperation.InvalidEcsState"
    for settled in ("Running", "Stopped"):
        control.mutate(instance_id="i-1", instance_status=settled)
        assert assign(client, "eni-p", ipv_6address_count=1)


def test_secondary_eni_follows_the_instance_rule_by_default(client, starting, ips):
    error = refusal(unassign, client, "eni-s", ips(2))
    assert (error.code, error.status_code) == ("InvalidOperation.InvalidEcsState", 400)
    assert refusal(assign, client, "eni-s", ipv_6address_count=1).code == "InvalidOperation.InvalidEcsState"


def test_secondary_eni_can_be_freed_of_the_instance_rule(client, control, starting, ips):
    assert control.set_settings(secondary_eni_checks_instance=False)["secondary_eni_checks_instance"] is False
    unassign(client, "eni-s", ips(2))
    assert assign(client, "eni-s", ipv_6address_count=1) == ips(2)
    assert refusal(unassign, client, "eni-p", ips(1)).code == "InvalidOperation.InvalidEcsState"
    control.mutate(network_interface_id="eni-s", status="Detaching")
    assert refusal(assign, client, "eni-s", ipv_6address_count=1).code == "InvalidOperation.InvalidEniState"
    control.reset()
    assert control.settings()["secondary_eni_checks_instance"] is True


# --------------------------------------------------------------------------- Creating / CreateFailed


def test_creating_and_create_failed_refuse_writes(client, control, ips):
    control.seed(
        {
            "network_interfaces": [
                {"NetworkInterfaceId": "eni-new", "Status": "Creating"},
                {"NetworkInterfaceId": "eni-bad", "Status": "CreateFailed", "Ipv6Addresses": ips(1)},
            ]
        }
    )
    assert attribute(client, "eni-new").status == "Creating"
    assert list(listed(client, status="CreateFailed")) == ["eni-bad"]
    for eni_id, status in (("eni-new", "Creating"), ("eni-bad", "CreateFailed")):
        error = refusal(assign, client, eni_id, ipv_6address_count=1)
        assert (error.code, error.status_code) == ("InvalidOperation.InvalidEniState", 400)
        assert 'current status is "%s"' % status in error.data["Message"]
    assert refusal(unassign, client, "eni-bad", ips(1)).code == "InvalidOperation.InvalidEniState"
    control.schedule(delay=0.2, network_interface_id="eni-new", status="Available")
    deadline = time.monotonic() + 5
    while attribute(client, "eni-new").status == "Creating" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert attribute(client, "eni-new").status == "Available"
    assert assign(client, "eni-new", ipv_6address_count=1) == ips(2)


# --------------------------------------------------------------------------- InvalidOperation.Ipv6CountExceeded


def test_account_ipv6_quota_answers_ipv6_count_exceeded(client, control, ips):
    control.seed(
        {
            "regions": ["cn-beijing"],
            "network_interfaces": [
                {"NetworkInterfaceId": "eni-1", "Ipv6Addresses": ips(1, 2)},
                {"NetworkInterfaceId": "eni-2", "Ipv6Addresses": ips(3)},
                {
                    "NetworkInterfaceId": "eni-bj",
                    "RegionId": "cn-beijing",
                    "Ipv6Cidr": "2408:4006:1:2::/64",
                    "Ipv6AddressCount": 5,
                },
            ],
        }
    )
    control.set_settings(ipv6_account_quota=5)
    assert assign(client, "eni-1", ipv_6address_count=1) == ips(4)
    error = refusal(assign, client, "eni-2", ipv_6address_count=2)
    assert (error.code, error.status_code) == ("InvalidOperation.Ipv6CountExceeded", 403)
    assert "(5)" in error.data["Message"]
    assert assign(client, "eni-2", ipv_6address=ips(0x10)) == ips(0x10)
    assert refusal(assign, client, "eni-2", ipv_6address_count=1).code == "InvalidOperation.Ipv6CountExceeded"
    # Releasing makes room again; the other region's addresses never counted.
    unassign(client, "eni-1", ips(1))
    assert assign(client, "eni-2", ipv_6address_count=1) == ips(1)
    # The instance type's quota of the ENI is checked first.
    assert refusal(assign, client, "eni-1", ipv_6address_count=10).code == "MaxEniIpv6IpsCountExceeded"
    control.set_settings(ipv6_account_quota=None)
    assert assign(client, "eni-1", ipv_6address_count=2) == ips(5, 6)
    with pytest.raises(EmulatorControlError):
        control.set_settings(ipv6_account_quota=-1)


# --------------------------------------------------------------------------- ClientToken


def test_client_token_mismatch_changes_nothing_and_the_original_still_replays(client, control, ips):
    control.seed({"network_interfaces": [{"NetworkInterfaceId": "eni-1"}, {"NetworkInterfaceId": "eni-2"}]})
    first = assign(client, "eni-1", ipv_6address_count=2, client_token="tok-a")
    for eni_id, fields in (
        ("eni-2", {"ipv_6address_count": 2}),
        ("eni-1", {"ipv_6address_count": 1}),
        ("eni-1", {"ipv_6address": ips(9)}),
    ):
        error = refusal(assign, client, eni_id, client_token="tok-a", **fields)
        assert (error.code, error.status_code) == ("IdempotentParameterMismatch", 400)
    assert control.eni("eni-1")["Ipv6Addresses"] == first == ips(1, 2)
    assert control.eni("eni-2")["Ipv6Addresses"] == []
    assert assign(client, "eni-1", ipv_6address_count=2, client_token="tok-a") == first
    assert [call["applied"] for call in control.calls("AssignIpv6Addresses")] == [True, False, False, False, False]
    assert [call["code"] for call in control.calls("AssignIpv6Addresses")][1:4] == ["IdempotentParameterMismatch"] * 3


# --------------------------------------------------------------------------- STS tokens


def sts_client(new_client, token=STS_TOKEN):
    """An SDK client signing with the temporary key (and token, unless None)."""
    return new_client(access_key_id=STS_ID, access_key_secret=STS_SECRET, security_token=token)


def test_sts_key_without_token_is_missing_security_token(control, new_client):
    control.seed({"network_interfaces": [{"NetworkInterfaceId": "eni-1"}]})
    control.set_credentials(
        access_keys={"LTAI5tEmulatorTestKey": "emulator-secret-not-real"},
        sts={STS_ID: {"secret": STS_SECRET, "token": STS_TOKEN}},
    )
    for key_id in (STS_ID, "STS.NUnknownKey"):
        error = refusal(attribute, new_client(access_key_id=key_id, access_key_secret=STS_SECRET), "eni-1")
        assert (error.code, error.status_code) == ("MissingSecurityToken", 400)
        assert error.data["Message"] == "SecurityToken is mandatory"
    assert attribute(sts_client(new_client), "eni-1").network_interface_id == "eni-1"


def test_expired_sts_token_is_invalid_parameter(control, new_client):
    control.seed({"network_interfaces": [{"NetworkInterfaceId": "eni-1"}]})
    control.set_credentials(sts={STS_ID: {"secret": STS_SECRET, "token": STS_TOKEN}})
    assert attribute(sts_client(new_client), "eni-1").network_interface_id == "eni-1"
    assert control.expire_token(STS_ID)["expired_sts_access_key_ids"] == [STS_ID]
    error = refusal(attribute, sts_client(new_client), "eni-1")
    assert (error.code, error.status_code) == ("InvalidParameter", 400)
    assert error.data["Message"] == 'The specified parameter "SecurityToken.Expired" is not valid.'
    # A wrong token is still a mismatch, and no token at all still MissingSecurityToken.
    assert refusal(attribute, sts_client(new_client, "CAIS-other"), "eni-1").code == (
        "InvalidSecurityToken.MismatchWithAccessKey"
    )
    assert refusal(attribute, sts_client(new_client, None), "eni-1").code == "MissingSecurityToken"
    assert control.expire_token(STS_ID, expired=False)["expired_sts_access_key_ids"] == []
    assert attribute(sts_client(new_client), "eni-1").network_interface_id == "eni-1"


def test_expired_token_through_set_credentials_and_bad_expire_requests(control, new_client):
    control.seed({"network_interfaces": [{"NetworkInterfaceId": "eni-1"}]})
    control.set_credentials(sts={STS_ID: {"secret": STS_SECRET, "token": STS_TOKEN, "expired": True}})
    assert control.credentials()["expired_sts_access_key_ids"] == [STS_ID]
    assert refusal(attribute, sts_client(new_client), "eni-1").code == "InvalidParameter"
    for key_id in ("STS.NUnknownKey", "LTAI5tEmulatorTestKey"):
        with pytest.raises(EmulatorControlError) as caught:
            control.expire_token(key_id)
        assert caught.value.status == 400
    with pytest.raises(EmulatorControlError):
        control.set_credentials(sts={STS_ID: {"secret": STS_SECRET, "token": STS_TOKEN, "expired": "yes"}})
    control.reset()
    assert control.credentials()["expired_sts_access_key_ids"] == []
