# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ecs_eni_ipv6 with instance_id: the instance's primary ENI, found by one checked DescribeNetworkInterfaces call."""

import pytest
from ansible_collections.alibabacloud.ecs.plugins.modules import ecs_eni_ipv6
from ansible_collections.alibabacloud.ecs.tests.unit.plugins.fakes import (
    FakeEcs,
    api_error,
    patch_runs,
    run_module,
)

A = ["2408:4005:3a0:a100::%x" % n for n in range(1, 41)]
INSTANCE = "i-test0001"
BASE_ARGS = dict(
    instance_id=INSTANCE,
    region="cn-hangzhou",
    access_key_id="LTAIunit",
    access_key_secret="unit-secret-value",
)


@pytest.fixture
def fake(monkeypatch):
    ecs = FakeEcs(addresses=A[:4], eni_type="Primary")
    patch_runs(monkeypatch, ecs_eni_ipv6, ecs)
    return ecs


def run(check_mode=False, **args):
    return run_module(ecs_eni_ipv6.main, dict(BASE_ARGS, **args), check_mode=check_mode)


def test_a_release_on_the_primary_eni_costs_no_extra_call(fake):
    result = run(state="absent", ipv6_addresses=[A[0]])
    assert result["changed"] is True
    assert result["network_interface_id"] == "eni-test0001"
    assert result["released_ipv6_addresses"] == [A[0]]
    assert fake.calls == [
        ("DescribeNetworkInterfaces", [INSTANCE]),
        ("UnassignIpv6Addresses", [A[0]]),
        ("DescribeNetworkInterfaces", ["eni-test0001"]),
    ], "the search is the first read: one read, one write, one confirming read"
    assert result["diff"]["before"]["ipv6_addresses"] == A[:4]


@pytest.mark.parametrize("check_mode", [True, False])
def test_a_count_with_purge_works_on_the_primary_eni_and_runs_again_without_change(fake, check_mode):
    args = dict(ipv6_addresses=[A[0]], ipv6_address_count=3, purge_ipv6_addresses=True)
    first = run(check_mode=check_mode, **args)
    assert first["changed"] is True and first["network_interface_id"] == "eni-test0001"
    assert first["released_ipv6_addresses"] == [A[3]]
    if check_mode:
        assert fake.writes() == []
        return
    again = run(**args)
    assert again["changed"] is False and again["ipv6_addresses"] == A[:3]


def test_no_primary_eni_fails_before_any_write_naming_the_instance_and_region(fake):
    result = run(state="absent", ipv6_addresses=[A[0]], instance_id="i-elsewhere1")
    assert result["failed"] is True
    assert result["error"]["code"] == "PrimaryEniNotFound"
    assert "i-elsewhere1" in result["msg"] and "cn-hangzhou" in result["msg"]
    assert result["network_interface_id"] is None
    assert fake.writes() == []


def test_an_unknown_instance_refused_by_ecs_is_reported_the_same_way(fake):
    fake.faults["DescribeNetworkInterfaces"] = [(api_error("InvalidEcsId.NotFound", 404), False)]
    result = run(state="absent", ipv6_addresses=[A[0]])
    assert result["error"]["code"] == "PrimaryEniNotFound" and INSTANCE in result["msg"]
    assert fake.writes() == []


def test_the_filter_is_checked_not_trusted(fake, monkeypatch):
    """A secondary ENI, or the primary ENI of another instance, in the answer is not taken for the one asked for."""
    fake.eni["Type"] = "Secondary"
    original = fake.describe_network_interfaces
    monkeypatch.setattr(
        fake, "describe_network_interfaces", lambda **kwargs: original(network_interface_ids=kwargs.get("ids"))
    )
    assert run(state="absent", ipv6_addresses=[A[0]])["error"]["code"] == "PrimaryEniNotFound"
    fake.eni["Type"] = "Primary"
    fake.eni["InstanceId"] = "i-another1"
    assert run(state="absent", ipv6_addresses=[A[0]])["error"]["code"] == "PrimaryEniNotFound"
    assert fake.writes() == []


def test_two_primary_enis_fail_naming_both(fake, monkeypatch):
    def two_primaries(**kwargs):
        fake.calls.append(("DescribeNetworkInterfaces", [kwargs.get("instance_id")]))
        listed = [
            {"NetworkInterfaceId": eni_id, "Type": "Primary", "InstanceId": INSTANCE, "Status": "InUse"}
            for eni_id in ("eni-first01", "eni-second2")
        ]
        return {"NetworkInterfaceSets": {"NetworkInterfaceSet": listed}}

    monkeypatch.setattr(fake, "describe_network_interfaces", two_primaries)
    result = run(state="absent", ipv6_addresses=[A[0]])
    assert result["error"]["code"] == "PrimaryEniAmbiguous"
    assert "eni-first01" in result["msg"] and "eni-second2" in result["msg"] and INSTANCE in result["msg"]
    assert fake.writes() == []


@pytest.mark.parametrize(
    "args, words",
    [
        (dict(network_interface_id="eni-test0001"), ["network_interface_id", "instance_id", "mutually exclusive"]),
        (dict(instance_id=None), ["network_interface_id", "instance_id"]),
        (dict(instance_id="i-"), ["instance_id", "'i-'"]),
        (dict(instance_id="eni-test0001"), ["instance_id", "'eni-test0001'"]),
        (dict(instance_id="i-abc\n"), ["instance_id"]),
        (dict(instance_id="i-" + "a" * 200), ["instance_id", "..."]),
    ],
)
def test_bad_or_missing_instance_id_fails_before_any_call_naming_the_options(fake, args, words):
    result = run(state="absent", ipv6_addresses=[A[0]], **args)
    assert result["failed"] is True
    for word in words:
        assert word in result["msg"]
    assert fake.calls == []
