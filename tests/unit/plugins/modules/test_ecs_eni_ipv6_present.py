# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The decisions of ecs_eni_ipv6 with state=present, against a scripted client (no network)."""

import pytest
from ansible_collections.alibabacloud.ecs.plugins.modules import ecs_eni_ipv6
from ansible_collections.alibabacloud.ecs.tests.unit.plugins.fakes import (
    FakeEcs,
    api_error,
    patch_runs,
    run_module,
)

A = ["2408:4005:3a0:a100::%x" % n for n in range(1, 41)]
P = ["2408:4005:3a0:a1ff:%x::/80" % n for n in range(1, 5)]
BASE_ARGS = dict(
    network_interface_id="eni-test0001",
    state="present",
    region="cn-hangzhou",
    access_key_id="LTAIunit",
    access_key_secret="unit-secret-value",
)


@pytest.fixture
def fake(monkeypatch):
    ecs = FakeEcs(addresses=A[:3], prefixes=[P[0]])
    patch_runs(monkeypatch, ecs_eni_ipv6, ecs)
    return ecs


def run(check_mode=False, **args):
    return run_module(ecs_eni_ipv6.main, dict(BASE_ARGS, **args), check_mode=check_mode)


def test_missing_explicit_addresses_are_assigned_and_rerun_is_idempotent(fake):
    result = run(ipv6_addresses=[A[0], A[5], "2408:4005:03a0:a100:0:0:0:7"])
    assert result["changed"] is True
    assert result["assigned_ipv6_addresses"] == [A[5], A[6]]
    assert result["ipv6_addresses"] == A[:3] + [A[5], A[6]]
    assert [call[0] for call in fake.calls] == [
        "DescribeNetworkInterfaceAttribute",
        "AssignIpv6Addresses",
        "DescribeNetworkInterfaces",
    ]
    fake.calls[:] = []
    again = run(ipv6_addresses=[A[0], A[5], A[6]])
    assert again["changed"] is False
    assert fake.writes() == []


def test_check_mode_predicts_explicit_ones_and_the_count(fake):
    result = run(ipv6_addresses=[A[10]], ipv6_address_count=6, check_mode=True)
    assert result["changed"] is True
    assert result["assigned_ipv6_addresses"] == [A[10]]
    assert result["assigned_ipv6_address_count"] == 2
    assert fake.writes() == []


def test_count_assigns_only_the_shortfall(fake):
    result = run(ipv6_address_count=5)
    assert result["changed"] is True
    assert result["assigned_ipv6_address_count"] == 2
    assert len(result["assigned_ipv6_addresses"]) == 2
    assert len(result["ipv6_addresses"]) == 5
    assert fake.writes() == [("AssignIpv6Addresses", 2)]
    assert run(ipv6_address_count=5)["changed"] is False


def test_a_count_above_ten_is_assigned_in_calls_of_at_most_ten(fake):
    result = run(ipv6_address_count=26)
    assert fake.writes() == [("AssignIpv6Addresses", 10), ("AssignIpv6Addresses", 10), ("AssignIpv6Addresses", 3)]
    assert len(result["ipv6_addresses"]) == 26


def test_list_longer_than_count_is_not_an_error(fake):
    result = run(ipv6_addresses=A[:6], ipv6_address_count=2)
    assert result["assigned_ipv6_addresses"] == A[3:6]
    assert result["assigned_ipv6_address_count"] == 0


def test_purge_releases_everything_not_listed_before_assigning(fake):
    result = run(ipv6_addresses=[A[1], A[20]], purge_ipv6_addresses=True)
    assert result["released_ipv6_addresses"] == [A[0], A[2]]
    assert result["assigned_ipv6_addresses"] == [A[20]]
    assert result["ipv6_addresses"] == [A[1], A[20]]
    assert [call[0] for call in fake.writes()] == ["UnassignIpv6Addresses", "AssignIpv6Addresses"]


def test_purge_with_an_empty_list_releases_all(fake):
    result = run(ipv6_addresses=[], purge_ipv6_addresses=True)
    assert result["released_ipv6_addresses"] == A[:3]
    assert result["ipv6_addresses"] == []


def test_purge_with_count_keeps_listed_then_oldest(fake):
    fake.eni["addresses"] = A[:8]
    result = run(ipv6_addresses=[A[7]], ipv6_address_count=3, purge_ipv6_addresses=True)
    assert result["ipv6_addresses"] == [A[0], A[1], A[7]]
    assert result["released_ipv6_addresses"] == A[2:7]
    assert result["assigned_ipv6_address_count"] == 0


def test_prefixes_by_name_count_and_purge(fake):
    result = run(ipv6_prefixes=[P[1]], ipv6_prefix_count=3, purge_ipv6_prefixes=True)
    assert result["ipv6_prefixes"][:2] == [P[0], P[1]]
    assert len(result["ipv6_prefixes"]) == 3
    assert result["released_ipv6_prefixes"] == []
    assert result["assigned_ipv6_prefix_count"] == 1
    assert result["ipv6_addresses"] == A[:3], "addresses are untouched"


def test_lost_answer_of_a_count_assign_is_found_by_a_reread_and_not_sent_again(fake):
    fake.faults["AssignIpv6Addresses"] = [(api_error("ConnectionLost", None), True)]
    result = run(ipv6_address_count=5)
    assert result["changed"] is True
    assert len(result["assigned_ipv6_addresses"]) == 2
    assert len(fake.eni["addresses"]) == 5, "assigned once, not twice"
    assert fake.writes() == [("AssignIpv6Addresses", 2)]
    assert len(fake.reads()) == 3, "the first read, the re-read after the lost answer, the confirming read"


def test_count_assign_that_failed_before_applying_is_sent_again_with_the_same_token(fake):
    tokens = []
    original = fake.assign_ipv6

    def recording_assign(network_interface_id, **kwargs):
        tokens.append(kwargs["client_token"])
        return original(network_interface_id, **kwargs)

    fake.assign_ipv6 = recording_assign
    fake.faults["AssignIpv6Addresses"] = [(api_error("InternalError", 500), False)]
    result = run(ipv6_address_count=4)
    assert len(result["assigned_ipv6_addresses"]) == 1
    assert len(tokens) == 2 and tokens[0] == tokens[1]
    assert len(tokens[0]) <= 64 and tokens[0].isascii()


def test_address_assigned_by_someone_else_meanwhile_is_not_ours(fake):
    original = fake.assign_ipv6

    def racing_assign(network_interface_id, **kwargs):
        if A[10] not in fake.eni["addresses"]:
            fake.eni["addresses"].append(A[10])
        return original(network_interface_id, **kwargs)

    fake.assign_ipv6 = racing_assign
    result = run(ipv6_addresses=[A[10], A[11]])
    assert "failed" not in result
    assert result["assigned_ipv6_addresses"] == [A[11]]
    assert A[10] in result["ipv6_addresses"]


def test_quota_exceeded_fails_with_an_actionable_message(fake):
    fake.quota = 4
    result = run(ipv6_address_count=6)
    assert result["failed"] is True
    assert result["msg"].startswith("MaxEniIpv6IpsCountExceeded: ")
    assert "release some first" in result["msg"]


def test_check_mode_diff_shows_a_placeholder_for_each_item_ecs_would_choose(fake):
    result = run(check_mode=True, ipv6_address_count=5, ipv6_prefix_count=2)
    assert result["changed"] is True
    assert result["diff"]["after"]["ipv6_addresses"] == A[:3] + [
        "<new address 1 of 2, chosen by ECS>",
        "<new address 2 of 2, chosen by ECS>",
    ]
    assert result["diff"]["after"]["ipv6_prefixes"] == [P[0], "<new prefix 1 of 1, chosen by ECS>"]
    assert result["ipv6_addresses"] == A[:3], "the result itself lists only real addresses"
    real = run(ipv6_address_count=5, ipv6_prefix_count=2)
    assert real["diff"]["after"]["ipv6_addresses"] == A[:3] + real["assigned_ipv6_addresses"]
