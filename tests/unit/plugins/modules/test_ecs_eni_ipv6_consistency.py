# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ecs_eni_ipv6 against an eventually consistent ECS, and its bounds and partial results (scripted client)."""

import pytest
from ansible_collections.alibabacloud.ecs.plugins.module_utils._reconcile import Bounds
from ansible_collections.alibabacloud.ecs.plugins.modules import ecs_eni_ipv6
from ansible_collections.alibabacloud.ecs.tests.unit.plugins.fakes import (
    FakeEcs,
    api_error,
    patch_runs,
    run_module,
)

A = ["2408:4005:3a0:a100::%x" % n for n in range(1, 41)]
BASE_ARGS = dict(
    network_interface_id="eni-test0001",
    region="cn-hangzhou",
    access_key_id="LTAIunit",
    access_key_secret="unit-secret-value",
)


@pytest.fixture
def fake(monkeypatch):
    ecs = FakeEcs(addresses=A[:12])
    patch_runs(monkeypatch, ecs_eni_ipv6, ecs)
    return ecs


def run(check_mode=False, **args):
    return run_module(ecs_eni_ipv6.main, dict(BASE_ARGS, **args), check_mode=check_mode)


def listed_now(fake):
    """What a next task (ecs_eni_ipv6_info) would be shown right now."""
    body = fake.describe_network_interfaces(network_interface_ids=[fake.eni["NetworkInterfaceId"]])
    eni = body["NetworkInterfaceSets"]["NetworkInterfaceSet"][0]
    return [item["Ipv6Address"] for item in eni["Ipv6Sets"]["Ipv6Set"]]


def test_rerun_of_a_release_while_reads_lag_succeeds_without_change(fake):
    fake.lag(3)
    first = run(state="absent", ipv6_addresses=A[:2], wait=False)
    assert first["changed"] is True and first["released_ipv6_addresses"] == A[:2]
    again = run(state="absent", ipv6_addresses=A[:2])
    assert "failed" not in again, again.get("msg")
    assert again["changed"] is False
    assert again["released_ipv6_addresses"] == []
    assert not set(A[:2]) & set(again["ipv6_addresses"])


def test_a_release_reported_is_what_the_next_task_is_shown(fake):
    fake.lag(3)
    result = run(state="absent", ipv6_addresses=A[:2])
    assert result["released_ipv6_addresses"] == A[:2]
    assert result["ipv6_addresses"] == A[2:12]
    assert listed_now(fake) == A[2:12]


def test_an_assign_reported_is_what_the_next_task_is_shown(fake):
    fake.lag(3)
    result = run(ipv6_addresses=[A[20]])
    assert result["assigned_ipv6_addresses"] == [A[20]]
    assert A[20] in result["ipv6_addresses"]
    assert A[20] in listed_now(fake)


def test_with_wait_false_the_task_returns_after_the_writes(fake):
    fake.lag(3)
    result = run(state="absent", ipv6_addresses=A[:2], wait=False)
    assert result["ipv6_addresses"] == A[2:12]
    assert not [call for call in fake.calls if call[0] == "DescribeNetworkInterfaces"]


def test_count_run_twice_in_a_row_ends_with_exactly_the_count(fake):
    fake.eni["addresses"] = [A[0]]
    fake.lag(3)
    first = run(ipv6_address_count=3)
    assert first["assigned_ipv6_address_count"] == 2
    again = run(ipv6_address_count=3)
    assert again["changed"] is False
    assert len(fake.eni["addresses"]) == 3


def test_rerun_of_an_assign_by_name_while_reads_lag_succeeds_without_change(fake):
    fake.lag(3)
    run(ipv6_addresses=[A[20]], wait=False)
    again = run(ipv6_addresses=[A[20]])
    assert "failed" not in again, again.get("msg")
    assert again["changed"] is False
    assert A[20] in again["ipv6_addresses"]
    assert fake.eni["addresses"].count(A[20]) == 1


def test_an_address_another_eni_holds_fails_at_once_naming_it(fake):
    fake.others["eni-other0001"] = [A[20]]
    result = run(ipv6_addresses=[A[20]])
    assert result["failed"] is True
    assert result["msg"].startswith("InvalidIp.IpAssigned: ")
    assert "eni-other0001" in result["msg"]
    assert len(fake.calls) <= 4


def test_a_lost_release_answer_while_reads_lag_counts_the_release_once(fake):
    fake.lag(3)
    fake.faults["UnassignIpv6Addresses"] = [(api_error("ConnectionLost", None), True)]
    result = run(state="absent", ipv6_addresses=A[:2])
    assert "failed" not in result, result.get("msg")
    assert result["changed"] is True
    assert sorted(result["released_ipv6_addresses"]) == sorted(A[:2])
    assert fake.eni["addresses"] == A[2:12]


def test_someone_elses_release_is_not_counted_as_ours_even_while_reads_lag(fake):
    fake.lag(5)

    def released_by_someone_else(ecs):
        ecs._before_write()
        ecs.eni["addresses"] = [item for item in ecs.eni["addresses"] if item != A[1]]

    fake.on_read.append(released_by_someone_else)
    result = run(state="absent", ipv6_addresses=A[:2])
    assert "failed" not in result, result.get("msg")
    assert result["released_ipv6_addresses"] == [A[0]]
    assert fake.eni["addresses"] == A[2:12]


def test_an_assign_answer_listing_nothing_gives_up_after_a_few_rounds(fake):
    def empty_answer(network_interface_id, **kwargs):
        fake.calls.append(("AssignIpv6Addresses", kwargs.get("address_count")))
        if len(fake.calls) > fake.call_limit:
            raise AssertionError("unbounded")
        return {"RequestId": "REQ-SHORT", "Ipv6Sets": {"Ipv6Address": []}}

    fake.assign_ipv6 = empty_answer
    result = run(ipv6_address_count=15)
    assert result["failed"] is True
    assert result["error"]["code"] == "IncompleteAnswer"
    assert len(fake.writes()) == Bounds(wait=True, wait_timeout=0).max_resends + 1
    assert result["changed"] is False


def test_a_short_assign_answer_counts_what_landed_and_stops(fake):
    real = fake.assign_ipv6

    def short_answer(network_interface_id, **kwargs):
        answer = real(network_interface_id, **kwargs)
        return {"Ipv6Sets": {"Ipv6Address": answer["Ipv6Sets"]["Ipv6Address"][:1]}}

    fake.assign_ipv6 = short_answer
    result = run(ipv6_address_count=14)
    assert "failed" not in result, result.get("msg")
    assert result["assigned_ipv6_address_count"] == 2
    assert len(fake.eni["addresses"]) == 14


@pytest.mark.parametrize("code", ["InvalidOperation.Conflict", "Forbidden.RAM"])
def test_a_release_that_fails_after_its_first_batch_reports_the_batch(fake, code):
    fake.eni["addresses"] = A[:25]
    fake.faults["UnassignIpv6Addresses"] = [(None, True), (api_error(code, 403), False)]
    result = run(state="absent", ipv6_addresses=A[:25])
    assert result["failed"] is True
    assert result["msg"].startswith(code)
    assert result["changed"] is True
    assert result["released_ipv6_addresses"] == A[:10]
    assert result["ipv6_addresses"] == A[10:25]
    assert result["assigned_ipv6_addresses"] == []
    again = run(state="absent", ipv6_addresses=A[:25])
    assert again["changed"] is True and again["released_ipv6_addresses"] == A[10:25]


def test_an_assign_that_fails_after_its_first_batch_reports_the_batch(fake):
    fake.eni["addresses"] = []
    fake.faults["AssignIpv6Addresses"] = [(None, True), (api_error("InvalidOperation.Conflict", 403), False)]
    result = run(ipv6_address_count=15)
    assert result["failed"] is True
    assert result["changed"] is True
    assert result["assigned_ipv6_address_count"] == 10
    assert len(result["assigned_ipv6_addresses"]) == 10
    assert result["ipv6_addresses"] == fake.eni["addresses"]


def test_confirming_read_that_never_catches_up_ends_at_wait_timeout_reporting_the_change(fake):
    fake.lag(10**6)
    result = run(state="absent", ipv6_addresses=[A[0]], wait_timeout=5)
    assert result["failed"] is True
    assert result["error"]["code"] == "WaitTimeout"
    assert result["changed"] is True
    assert result["released_ipv6_addresses"] == [A[0]]


def test_a_noop_and_check_mode_make_one_read_and_no_write(fake):
    fake.lag(3)
    assert run(state="absent", ipv6_addresses=[A[30]])["changed"] is False
    assert run(state="absent", ipv6_addresses=[A[0]], check_mode=True)["changed"] is True
    assert [call[0] for call in fake.calls] == ["DescribeNetworkInterfaceAttribute"] * 2


def test_assign_of_two_where_one_is_already_here_but_not_shown_assigns_the_other(fake):
    fake.lag(3)
    fake._before_write()
    fake.eni["addresses"].append(A[20])
    result = run(ipv6_addresses=[A[20], A[21]])
    assert "failed" not in result, result.get("msg")
    assert result["assigned_ipv6_addresses"] == [A[21]], "A[20] was someone else's work"
    assert result["changed"] is True
    assert fake.eni["addresses"].count(A[20]) == 1 and A[21] in fake.eni["addresses"]


def test_an_address_another_eni_took_is_named_once_the_listing_shows_it(fake):
    fake.lag(3)
    fake.others["eni-other0001"] = [A[21]]
    original = fake.describe_network_interfaces
    lookups = []

    def lagging_lookup(network_interface_ids=None, ipv6_addresses=None, **filters):
        if ipv6_addresses is not None:
            lookups.append(ipv6_addresses)
            if len(lookups) < 3:
                saved, fake.others = fake.others, {}
                try:
                    return original(ipv6_addresses=ipv6_addresses, **filters)
                finally:
                    fake.others = saved
        return original(network_interface_ids=network_interface_ids, ipv6_addresses=ipv6_addresses, **filters)

    fake.describe_network_interfaces = lagging_lookup
    result = run(ipv6_addresses=[A[21]])
    assert result["failed"] is True
    assert result["error"]["code"] == "InvalidIp.IpAssigned"
    assert "eni-other0001" in result["msg"]
    assert len(lookups) == 3


def test_passes_against_someone_who_keeps_adding_addresses_end(fake):
    original = fake.describe_network_interfaces
    added = iter(A[10:])

    def another_address_before_each_confirmation(**kwargs):
        fake.eni["addresses"].append(next(added))
        return original(**kwargs)

    fake.describe_network_interfaces = another_address_before_each_confirmation
    fake.eni["addresses"] = A[:4]
    result = run(ipv6_addresses=[A[0]], purge_ipv6_addresses=True)
    assert result["changed"] is True
    assert len(fake.writes()) == Bounds(wait=True, wait_timeout=0).max_passes
    assert len(result["ipv6_addresses"]) == 2, "what ECS listed last: the kept address and the newest one"
