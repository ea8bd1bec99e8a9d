"""Read lag: writes apply at once, both Describe calls show an ENI's IPv6 sets as they were read_lag seconds ago, or
for the next stale_reads reads after a write, or while hold_reads is on.

A test that needs a read within the lag uses HOLD_LAG, far longer than any machine takes between two calls, and then
lowers the lag to LAG to see the write become visible: no assertion depends on how fast the machine is.
"""

import time

import pytest
from alibabacloud_ecs20140526 import models as ecs_models
from alibabacloud_tea_openapi.exceptions import ClientException
from darabonba.runtime import RuntimeOptions
from ecs_emulator import EmulatorControlError, start_emulator
from ecs_emulator.store import ENI_VERSION_LIMIT

REGION = "cn-hangzhou"
LAG = 1.0
HOLD_LAG = 120.0


def attribute_addresses(client, eni_id="eni-1"):
    """The addresses DescribeNetworkInterfaceAttribute shows, as (address, primary) pairs."""
    request = ecs_models.DescribeNetworkInterfaceAttributeRequest(region_id=REGION, network_interface_id=eni_id)
    body = client.describe_network_interface_attribute_with_options(request, RuntimeOptions()).body
    return [item.ipv_6address for item in body.ipv_6sets.ipv_6set]


def listed(client, **fields):
    """{eni id: [addresses]} as DescribeNetworkInterfaces shows them."""
    fields.setdefault("region_id", REGION)
    fields.setdefault("max_results", 100)
    body = client.describe_network_interfaces_with_options(
        ecs_models.DescribeNetworkInterfacesRequest(**fields), RuntimeOptions()
    ).body
    return {
        item.network_interface_id: [ip.ipv_6address for ip in item.ipv_6sets.ipv_6set]
        for item in body.network_interface_sets.network_interface_set
    }


def unassign(client, addresses, eni_id="eni-1"):
    """Release addresses from an ENI."""
    request = ecs_models.UnassignIpv6AddressesRequest(
        region_id=REGION, network_interface_id=eni_id, ipv_6address=addresses
    )
    return client.unassign_ipv_6addresses_with_options(request, RuntimeOptions())


def assign(client, eni_id="eni-1", **fields):
    """Assign addresses to an ENI; returns the addresses the answer lists."""
    request = ecs_models.AssignIpv6AddressesRequest(region_id=REGION, network_interface_id=eni_id, **fields)
    return client.assign_ipv_6addresses_with_options(request, RuntimeOptions()).body.ipv_6sets.ipv_6address


def refusal(call, *args, **kwargs):
    """Run an SDK call expecting a ClientException; return it."""
    with pytest.raises(ClientException) as caught:
        call(*args, **kwargs)
    return caught.value


def wait_past(moment, lag):
    """Sleep until lag seconds (plus a margin) have passed since the monotonic time moment."""
    remaining = moment + lag + 0.1 - time.monotonic()
    if remaining > 0:
        time.sleep(remaining)


@pytest.fixture(autouse=True)
def seeded(control, ips):
    """eni-1 (Primary, on running i-1) holds ::1 to ::4; eni-2 (unattached) holds ::20."""
    control.seed(
        {
            "instances": [{"InstanceId": "i-1", "EniIpv6AddressQuantity": 20}],
            "network_interfaces": [
                {
                    "NetworkInterfaceId": "eni-1",
                    "InstanceId": "i-1",
                    "Type": "Primary",
                    "Ipv6Addresses": ips(1, 2, 3, 4),
                },
                {"NetworkInterfaceId": "eni-2", "Ipv6Addresses": ips(0x20)},
            ],
        }
    )


def test_settings_default_set_show_and_reset(control, emulator):
    assert control.settings() == {
        "read_lag": 0.0,
        "stale_reads": 0,
        "hold_reads": False,
        "ipv6_account_quota": None,
        "secondary_eni_checks_instance": True,
        "primary_ipv6_release_refusal": None,
    }
    assert control.set_read_lag(2)["read_lag"] == 2.0
    assert control.settings()["read_lag"] == 2.0
    for bad in ({"read_lag": -1}, {"read_lag": 601}, {"read_lag": "2"}, {"read_lag": True}, {"lag": 1}):
        with pytest.raises(EmulatorControlError) as caught:
            control.set_settings(**bad)
        assert caught.value.status == 400 and caught.value.payload["error"]
    assert control.settings()["read_lag"] == 2.0
    control.reset()
    assert control.settings()["read_lag"] == 0.0


def test_start_value_of_read_lag_is_what_reset_restores():
    with start_emulator(read_lag=1.5) as other:
        assert other.control.settings()["read_lag"] == 1.5
        other.control.set_read_lag(0)
        other.control.reset()
        assert other.control.settings()["read_lag"] == 1.5
    with pytest.raises(ValueError):
        start_emulator(read_lag=-1)


def test_without_lag_describe_shows_a_write_at_once(client, ips):
    unassign(client, ips(1))
    assert attribute_addresses(client) == ips(2, 3, 4)
    assert listed(client)["eni-1"] == ips(2, 3, 4)


def test_release_applies_at_once_but_describe_shows_the_old_set_for_the_lag(client, control, ips):
    control.set_read_lag(HOLD_LAG)
    unassign(client, ips(1, 2))
    written = time.monotonic()
    assert control.eni("eni-1")["Ipv6Addresses"] == ips(3, 4)
    assert control.state()["network_interfaces"]["eni-1"]["Ipv6Addresses"] == ips(3, 4)
    assert control.described_eni("eni-1")["Ipv6Addresses"] == ips(1, 2, 3, 4)
    assert attribute_addresses(client) == ips(1, 2, 3, 4)
    assert listed(client)["eni-1"] == ips(1, 2, 3, 4)
    assert list(listed(client, ipv_6address=ips(1))) == ["eni-1"]
    # The real state decides writes: a second release of a released address is refused.
    error = refusal(unassign, client, ips(1, 2))
    assert (error.code, error.status_code) == ("InvalidIp.IpUnassigned", 403)
    control.set_read_lag(LAG)
    wait_past(written, LAG)
    assert attribute_addresses(client) == ips(3, 4)
    assert listed(client)["eni-1"] == ips(3, 4)
    assert listed(client, ipv_6address=ips(1)) == {}
    assert control.described_eni("eni-1")["Ipv6Addresses"] == ips(3, 4)


def test_assign_applies_at_once_but_describe_shows_the_old_set_for_the_lag(client, control, ips):
    control.set_read_lag(HOLD_LAG)
    assert assign(client, ipv_6address=ips(9)) == ips(9)
    error = refusal(assign, client, ipv_6address=ips(9))
    assert (error.code, error.status_code) == ("InvalidIp.IpAssigned", 403)
    assert attribute_addresses(client) == ips(1, 2, 3, 4)
    assert listed(client, ipv_6address=ips(9)) == {}
    # A count asked twice during the lag is given twice: the quota is really spent.
    assert assign(client, ipv_6address_count=2) == ips(5, 6)
    assert assign(client, ipv_6address_count=2) == ips(7, 8)
    assert control.eni("eni-1")["Ipv6Addresses"] == ips(1, 2, 3, 4, 9, 5, 6, 7, 8)
    assert attribute_addresses(client) == ips(1, 2, 3, 4)
    control.set_read_lag(LAG)
    wait_past(time.monotonic(), LAG)
    assert attribute_addresses(client) == ips(1, 2, 3, 4, 9, 5, 6, 7, 8)
    assert list(listed(client, ipv_6address=ips(9))) == ["eni-1"]


def test_other_enis_are_not_delayed(client, control, ips):
    # eni-2 emptied by a seed, which shows at once; then a write to eni-1 lags and eni-2 still shows its state.
    control.seed({"network_interfaces": [{"NetworkInterfaceId": "eni-2", "Ipv6Addresses": []}]})
    control.set_read_lag(HOLD_LAG)
    unassign(client, ips(1))
    assert attribute_addresses(client, "eni-2") == []
    assert listed(client) == {"eni-1": ips(1, 2, 3, 4), "eni-2": []}
    # Seeding is "long ago": a seeded ENI shows at once, even with a lag.
    control.seed({"network_interfaces": [{"NetworkInterfaceId": "eni-3", "Ipv6Addresses": ips(0x30)}]})
    assert attribute_addresses(client, "eni-3") == ips(0x30)


def test_successive_writes_become_visible_in_order(emulator, ips):
    state = emulator.state
    state.update_settings({"read_lag": 1.5})
    with state.lock:
        eni = state.network_interfaces["eni-1"]
        eni["Ipv6Addresses"].remove(ips(1)[0])
        state.note_ipv6_change("eni-1", now=1000.0)
        eni["Ipv6Addresses"].remove(ips(2)[0])
        state.note_ipv6_change("eni-1", now=1000.75)
        assert state.described_eni(eni, now=1001.0)["Ipv6Addresses"] == ips(1, 2, 3, 4)
        assert state.described_eni(eni, now=1001.5)["Ipv6Addresses"] == ips(2, 3, 4)
        assert state.described_eni(eni, now=1002.25)["Ipv6Addresses"] == ips(3, 4)


def test_mutations_lag_like_writes_and_states_do_not(client, control, ips):
    control.set_read_lag(HOLD_LAG)
    control.mutate(network_interface_id="eni-1", add_ipv6_addresses=ips(0x40), status="Detaching")
    written = time.monotonic()
    request = ecs_models.DescribeNetworkInterfaceAttributeRequest(region_id=REGION, network_interface_id="eni-1")
    body = client.describe_network_interface_attribute_with_options(request, RuntimeOptions()).body
    assert body.status == "Detaching"
    assert [item.ipv_6address for item in body.ipv_6sets.ipv_6set] == ips(1, 2, 3, 4)
    control.set_read_lag(LAG)
    wait_past(written, LAG)
    assert attribute_addresses(client) == ips(1, 2, 3, 4, 0x40)


def test_lowering_the_lag_shows_the_real_state_at_once(client, control, ips):
    control.set_read_lag(30)
    unassign(client, ips(4))
    assert attribute_addresses(client) == ips(1, 2, 3, 4)
    control.set_read_lag(0)
    assert attribute_addresses(client) == ips(1, 2, 3)
    assert listed(client)["eni-1"] == ips(1, 2, 3)


def test_primary_flag_lags_with_its_address(client, control, ips):
    control.set_read_lag(HOLD_LAG)
    unassign(client, ips(1))
    request = ecs_models.DescribeNetworkInterfaceAttributeRequest(region_id=REGION, network_interface_id="eni-1")
    body = client.describe_network_interface_attribute_with_options(request, RuntimeOptions()).body
    assert [(item.ipv_6address, item.primary) for item in body.ipv_6sets.ipv_6set][0] == (ips(1)[0], True)
    assert control.eni("eni-1")["Ipv6PrimaryAddress"] == ""
    assert control.described_eni("eni-1")["Ipv6PrimaryAddress"] == ips(1)[0]


def test_history_is_bounded(control, emulator, client, ips):
    control.set_read_lag(60)
    for round_number in range(ENI_VERSION_LIMIT + 20):
        control.mutate(network_interface_id="eni-2", add_ipv6_addresses=ips(0x100 + round_number))
    assert len(emulator.state.eni_versions["eni-2"]) == ENI_VERSION_LIMIT
    # Past the bound the oldest versions go: Describe then shows the oldest one kept.
    shown = attribute_addresses(client, "eni-2")
    assert shown[0] == ips(0x20)[0] and len(shown) == 22
    control.set_read_lag(0)
    control.mutate(network_interface_id="eni-2", remove_ipv6_addresses=ips(0x20))
    assert len(emulator.state.eni_versions["eni-2"]) == 1


def test_versions_older_than_the_lag_are_dropped(emulator, ips):
    state = emulator.state
    state.update_settings({"read_lag": 1.0})
    with state.lock:
        eni = state.network_interfaces["eni-2"]
        for step, address in enumerate(ips(0x21, 0x22, 0x23)):
            eni["Ipv6Addresses"].append(address)
            state.note_ipv6_change("eni-2", now=1000.0 + step)
        assert [since for since, _view in state.eni_versions["eni-2"]] == [1001.0, 1002.0]
        assert state.described_eni(eni, now=1002.5)["Ipv6Addresses"] == ips(0x20, 0x21, 0x22)
        assert state.described_eni(eni, now=1003.0)["Ipv6Addresses"] == ips(0x20, 0x21, 0x22, 0x23)
        # Before every version kept, the oldest one kept is shown.
        assert state.described_eni(eni, now=1000.0)["Ipv6Addresses"] == ips(0x20, 0x21, 0x22)


def test_deleted_eni_is_gone_at_once(client, control, emulator):
    control.set_read_lag(HOLD_LAG)
    control.mutate(network_interface_id="eni-2", delete=True)
    assert "eni-2" not in emulator.state.eni_versions
    error = refusal(attribute_addresses, client, "eni-2")
    assert error.code == "InvalidEniId.NotFound"
    with pytest.raises(EmulatorControlError) as caught:
        control.described_eni("eni-2")
    assert caught.value.status == 404


def test_stale_reads_show_the_old_set_for_that_many_reads_after_a_write(client, control, ips):
    control.set_stale_reads(2)
    unassign(client, ips(1))
    assert control.described_eni("eni-1")["Ipv6Addresses"] == ips(1, 2, 3, 4), "the control API uses up no read"
    assert attribute_addresses(client) == ips(1, 2, 3, 4)
    assert listed(client)["eni-1"] == ips(1, 2, 3, 4)
    assert attribute_addresses(client) == ips(2, 3, 4)
    assert listed(client)["eni-1"] == ips(2, 3, 4)
    # The call log says which reads were stale, and for which ENI.
    reads = [call for call in control.calls() if call["action"].startswith("Describe")]
    assert [call["stale"] for call in reads] == [["eni-1"], ["eni-1"], [], []]
    assert all(call["stale"] == [] for call in control.calls("UnassignIpv6Addresses"))


def test_stale_reads_start_again_at_each_write_and_keep_the_oldest_set_not_shown(client, control, ips):
    control.set_stale_reads(1)
    unassign(client, ips(1))
    unassign(client, ips(2))
    assert attribute_addresses(client) == ips(1, 2, 3, 4)
    assert attribute_addresses(client) == ips(3, 4)
    assign(client, ipv_6address=ips(9))
    assert attribute_addresses(client) == ips(3, 4)
    assert attribute_addresses(client) == ips(3, 4, 9)
    # Other ENIs are not delayed.
    assert attribute_addresses(client, "eni-2") == ips(0x20)
    assert [call["stale"] for call in control.calls("DescribeNetworkInterfaceAttribute")] == [
        ["eni-1"],
        [],
        ["eni-1"],
        [],
        [],
    ]


def test_hold_reads_keeps_the_old_set_until_released(client, control, ips):
    control.hold_reads()
    unassign(client, ips(1))
    assign(client, ipv_6address=ips(9))
    for _read in range(5):
        assert attribute_addresses(client) == ips(1, 2, 3, 4)
    # The real state decides writes while the reads are held.
    error = refusal(unassign, client, ips(1))
    assert (error.code, error.status_code) == ("InvalidIp.IpUnassigned", 403)
    assert control.release_reads()["hold_reads"] is False
    assert attribute_addresses(client) == ips(2, 3, 4, 9)
    assert all(call["stale"] == ["eni-1"] for call in control.calls("DescribeNetworkInterfaceAttribute")[:5])


def test_released_reads_still_lag_by_read_lag_and_reset_releases(client, control, ips):
    control.set_settings(hold_reads=True, read_lag=HOLD_LAG)
    unassign(client, ips(1))
    control.release_reads()
    assert attribute_addresses(client) == ips(1, 2, 3, 4)
    control.set_settings(hold_reads=True, read_lag=0)
    unassign(client, ips(2))
    control.reset()
    assert control.settings()["hold_reads"] is False and control.settings()["stale_reads"] == 0


def test_stale_read_settings_are_checked(control):
    bad_values = ({"stale_reads": -1}, {"stale_reads": 1001}, {"stale_reads": 1.5}, {"stale_reads": True})
    for bad in bad_values + ({"hold_reads": 1}, {"hold_reads": "yes"}):
        with pytest.raises(EmulatorControlError) as caught:
            control.set_settings(**bad)
        assert caught.value.status == 400 and caught.value.payload["error"]
    assert control.settings()["stale_reads"] == 0 and control.settings()["hold_reads"] is False


def test_seeding_shows_at_once_even_while_reads_are_held(client, control, ips):
    control.hold_reads()
    unassign(client, ips(1))
    control.seed({"network_interfaces": [{"NetworkInterfaceId": "eni-1", "Ipv6Addresses": ips(7)}]})
    assert attribute_addresses(client) == ips(7)
