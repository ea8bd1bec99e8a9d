# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The decisions of ecs_eni_ipv6 with state=absent, against a scripted client (no network)."""

import copy
import sys

import pytest
from ansible.module_utils.basic import AnsibleModule
from ansible_collections.alibabacloud.ecs.plugins.modules import ecs_eni_ipv6
from ansible_collections.alibabacloud.ecs.tests.unit.plugins.fakes import (
    FakeEcs,
    api_error,
    exit_json,
    fail_json,
    patch_runs,
    run_module,
)

A = ["2408:4005:3a0:a100::%x" % n for n in range(1, 41)]
PREFIX = "2408:4005:3a0:a1ff:1::/80"
BASE_ARGS = dict(
    network_interface_id="eni-test0001",
    state="absent",
    region="cn-hangzhou",
    access_key_id="LTAIunit",
    access_key_secret="unit-secret-value",
)


@pytest.fixture
def fake(monkeypatch):
    ecs = FakeEcs(addresses=A[:12], prefixes=[PREFIX])
    patch_runs(monkeypatch, ecs_eni_ipv6, ecs)
    return ecs


def run(check_mode=False, **args):
    return run_module(ecs_eni_ipv6.main, dict(BASE_ARGS, **args), check_mode=check_mode)


def test_release_one_address_reads_once_and_writes_once(fake):
    result = run(ipv6_addresses=[A[0]])
    assert result["changed"] is True
    assert result["released_ipv6_addresses"] == [A[0]]
    assert result["ipv6_addresses"] == A[1:12]
    assert fake.calls == [
        ("DescribeNetworkInterfaceAttribute", "eni-test0001"),
        ("UnassignIpv6Addresses", [A[0]]),
        ("DescribeNetworkInterfaces", ["eni-test0001"]),
    ], "one read, one write, one confirming read"
    assert result["diff"]["before"]["ipv6_addresses"] == A[:12]
    assert result["diff"]["after"]["ipv6_addresses"] == A[1:12]


def test_nothing_to_release_is_no_change_and_no_write(fake):
    result = run(ipv6_addresses=[A[30], A[31]])
    assert result["changed"] is False
    assert result["released_ipv6_addresses"] == []
    assert fake.writes() == []
    assert len(fake.reads()) == 1


def test_check_mode_predicts_without_writing(fake):
    result = run(ipv6_addresses=[A[0], A[1], A[30]], check_mode=True)
    assert result["changed"] is True
    assert result["released_ipv6_addresses"] == [A[0], A[1]]
    assert result["ipv6_addresses"] == A[2:12]
    assert fake.writes() == []
    assert fake.eni["addresses"] == A[:12]


def test_any_spelling_matches_and_duplicates_are_dropped(fake):
    long_form = "2408:4005:03A0:A100:0000:0000:0000:0001"
    result = run(ipv6_addresses=[long_form, A[0], "2408:4005:3a0:a100:0:0:0:1"])
    assert result["released_ipv6_addresses"] == [A[0]]
    assert fake.writes() == [("UnassignIpv6Addresses", [A[0]])]


def test_twenty_five_addresses_go_in_three_calls_of_at_most_ten(fake):
    fake.eni["addresses"] = A[:30]
    result = run(ipv6_addresses=A[:25])
    assert [len(call[1]) for call in fake.writes()] == [10, 10, 5]
    assert result["released_ipv6_addresses"] == A[:25]
    assert fake.eni["addresses"] == A[25:30]


def test_prefixes_are_released_in_calls_of_their_own(fake):
    result = run(ipv6_addresses=[A[0]], ipv6_prefixes=["2408:4005:03a0:a1ff:0001:0:0:0/80"])
    assert fake.writes() == [("UnassignIpv6Addresses", [A[0]]), ("UnassignIpv6Addresses", [PREFIX])]
    assert result["released_ipv6_prefixes"] == [PREFIX]
    assert result["ipv6_prefixes"] == []


def test_lost_answer_after_release_rereads_and_reports_the_release(fake):
    fake.faults["UnassignIpv6Addresses"] = [(api_error("ConnectionLost", None), True)]
    result = run(ipv6_addresses=[A[0], A[1]])
    assert result["changed"] is True
    assert result["released_ipv6_addresses"] == [A[0], A[1]]
    assert len(fake.writes()) == 1, "nothing is sent twice"
    assert len(fake.reads()) == 3, "the first read, the re-read after the lost answer, the confirming read"


def test_lost_answer_before_release_sends_again(fake):
    fake.faults["UnassignIpv6Addresses"] = [(api_error("InternalError", 500), False)]
    result = run(ipv6_addresses=[A[0]])
    assert result["released_ipv6_addresses"] == [A[0]]
    assert len(fake.writes()) == 2
    assert fake.eni["addresses"] == A[1:12]


def test_address_released_by_someone_else_between_read_and_write(fake):
    def someone_else_releases(ecs):
        ecs.eni["addresses"] = [a for a in ecs.eni["addresses"] if a != A[1]]

    fake.on_read.append(lambda ecs: None)
    fake.faults["UnassignIpv6Addresses"] = []
    original = fake.unassign_ipv6

    def racing_unassign(network_interface_id, addresses=None, prefixes=None):
        if len(fake.writes()) == 0:
            someone_else_releases(fake)
        return original(network_interface_id, addresses, prefixes)

    fake.unassign_ipv6 = racing_unassign
    result = run(ipv6_addresses=[A[0], A[1]])
    assert "failed" not in result
    assert result["released_ipv6_addresses"] == [A[0]], "only what this task released"
    assert result["changed"] is True
    assert fake.eni["addresses"] == A[2:12]


def test_everything_released_by_someone_else_is_no_change(fake):
    original = fake.unassign_ipv6

    def racing_unassign(network_interface_id, addresses=None, prefixes=None):
        fake.eni["addresses"] = [a for a in fake.eni["addresses"] if a != A[0]]
        return original(network_interface_id, addresses, prefixes)

    fake.unassign_ipv6 = racing_unassign
    result = run(ipv6_addresses=[A[0]])
    assert result["changed"] is False
    assert result["released_ipv6_addresses"] == []


def test_unending_server_errors_give_up_and_name_the_code(fake):
    fake.faults["UnassignIpv6Addresses"] = [(api_error("InternalError", 500), False)] * 50
    result = run(ipv6_addresses=[A[0]])
    assert result["failed"] is True
    assert result["msg"].startswith("InternalError: ")
    assert result["error"]["code"] == "InternalError"
    assert len(fake.writes()) == 6


def test_ecs_error_fails_with_code_message_and_request_id(fake):
    result = run(network_interface_id="eni-doesnotexist", ipv6_addresses=[A[0]])
    assert result["failed"] is True
    assert result["msg"].startswith("InvalidEniId.NotFound: ")
    assert "REQ-1" in result["msg"]
    assert "check network_interface_id and region" in result["msg"]
    assert result["error"] == {
        "code": "InvalidEniId.NotFound",
        "message": "InvalidEniId.NotFound happened.",
        "request_id": "REQ-1",
        "http_status": 404,
    }


def test_transitional_eni_is_waited_for(fake):
    fake.eni["Status"] = "Attaching"

    def settle(ecs):
        ecs.eni["Status"] = "InUse"

    fake.on_read.extend([lambda ecs: None, lambda ecs: None, settle])
    result = run(ipv6_addresses=[A[0]])
    assert result["changed"] is True
    assert len(fake.reads()) == 4, "three reads until the ENI settles, one confirming read"


def test_transitional_eni_with_wait_false_fails_at_once_naming_the_state(fake):
    fake.eni["Status"] = "Detaching"
    result = run(ipv6_addresses=[A[0]], wait=False)
    assert result["failed"] is True
    assert "Detaching" in result["msg"]
    assert fake.writes() == []


def test_transitional_eni_that_never_settles_fails_at_wait_timeout(fake):
    fake.eni["Status"] = "Attaching"
    result = run(ipv6_addresses=[A[0]], wait_timeout=0)
    assert result["failed"] is True
    assert result["error"]["code"] == "WaitTimeout"
    assert "Attaching" in result["msg"]
    assert fake.writes() == []


def test_instance_in_transition_is_retried_until_it_settles(fake):
    state_error = api_error("InvalidOperation.InvalidEcsState", 400, 'current status is "Stopping".')
    fake.faults["UnassignIpv6Addresses"] = [(state_error, False), (state_error, False)]
    result = run(ipv6_addresses=[A[0]])
    assert result["changed"] is True
    assert len(fake.writes()) == 3


def test_instance_in_transition_with_wait_false_fails_with_the_ecs_error(fake):
    state_error = api_error("InvalidOperation.InvalidEcsState", 400, 'current status is "Stopping".')
    fake.faults["UnassignIpv6Addresses"] = [(state_error, False)]
    result = run(ipv6_addresses=[A[0]], wait=False)
    assert result["msg"].startswith("InvalidOperation.InvalidEcsState: ")
    assert "Stopping" in result["msg"]


@pytest.mark.parametrize(
    "args, option",
    [
        (dict(ipv6_addresses=["10.0.0.1"]), "ipv6_addresses"),
        (dict(ipv6_addresses=["2408:4005:3a0:a100::5/128"]), "ipv6_addresses"),
        (dict(ipv6_addresses=["fe80::1%eth0"]), "ipv6_addresses"),
        (dict(ipv6_addresses=["not-an-address"]), "ipv6_addresses"),
        (dict(ipv6_addresses=[""]), "ipv6_addresses"),
        (dict(ipv6_addresses=["2408:4005:3a0:a100::5::6"]), "ipv6_addresses"),
        (dict(ipv6_addresses=[]), "ipv6_addresses"),
        (dict(ipv6_prefixes=["2408:4005:3a0:a1ff:1::"]), "ipv6_prefixes"),
        (dict(ipv6_prefixes=["2408:4005:3a0:a1ff:1::1/80"]), "ipv6_prefixes"),
        (dict(ipv6_prefixes=["10.0.0.0/8"]), "ipv6_prefixes"),
        (dict(ipv6_addresses=[A[0]], wait_timeout=-1), "wait_timeout"),
        (dict(ipv6_addresses=[A[0]], network_interface_id=""), "network_interface_id"),
        (dict(ipv6_addresses=[A[0]], network_interface_id="i-notaneni"), "network_interface_id"),
        (dict(state="present"), "state"),
        (dict(ipv6_addresses=[A[0]], ipv6_address_count=2), "ipv6_address_count"),
        (dict(ipv6_addresses=[A[0]], purge_ipv6_addresses=True), "purge_ipv6_addresses"),
        (dict(state="present", ipv6_address_count=0), "ipv6_address_count"),
        (dict(state="present", ipv6_address_count=-3), "ipv6_address_count"),
        (dict(state="present", ipv6_address_count=51), "ipv6_address_count"),
        (dict(state="present", ipv6_prefix_count=0), "ipv6_prefix_count"),
        (dict(state="present", purge_ipv6_addresses=True, ipv6_prefixes=[]), "purge_ipv6_addresses"),
        (dict(state="present", ipv6_addresses=["10.1.1.1"]), "ipv6_addresses"),
        (dict(ipv6_addresses=[A[0]], region=None), "region"),
        (dict(ipv6_addresses=[A[0]], region="Hangzhou 1"), "region"),
    ],
)
def test_bad_input_fails_before_any_call_naming_the_option(monkeypatch, args, option):
    ecs = FakeEcs()
    monkeypatch.setattr(AnsibleModule, "exit_json", exit_json)
    monkeypatch.setattr(AnsibleModule, "fail_json", fail_json)
    monkeypatch.delenv("ALIBABA_CLOUD_REGION_ID", raising=False)
    monkeypatch.delenv("ALICLOUD_REGION", raising=False)
    from ansible_collections.alibabacloud.ecs.plugins.module_utils import _sdk

    monkeypatch.setattr(_sdk, "EcsClient", lambda *a, **kw: ecs)
    result = run(**args)
    assert result["failed"] is True
    assert option in result["msg"]
    assert ecs.calls == []


def test_secret_never_appears_in_a_failure(fake):
    fake.faults["DescribeNetworkInterfaceAttribute"] = [
        (api_error("InvalidEniId.NotFound", 404, "echo unit-secret-value"), False)
    ]
    result = run(ipv6_addresses=[A[0]])
    assert "unit-secret-value" not in repr(result)


def test_missing_sdk_fails_naming_the_packages_and_the_interpreter(monkeypatch):
    from ansible_collections.alibabacloud.ecs.plugins.module_utils import _sdk

    monkeypatch.setattr(AnsibleModule, "exit_json", exit_json)
    monkeypatch.setattr(AnsibleModule, "fail_json", fail_json)
    monkeypatch.setattr(_sdk, "HAS_SDK", False)
    monkeypatch.setattr(_sdk, "SDK_IMPORT_ERROR", "ImportError: No module named 'alibabacloud_tea_openapi'")
    result = run(ipv6_addresses=[A[0]])
    assert result["failed"] is True
    assert "alibabacloud-tea-openapi" in result["msg"] and "alibabacloud-ecs20140526" in result["msg"]
    assert sys.executable in result["msg"]


def test_the_primary_ipv6_address_is_reported_while_the_eni_holds_it(fake):
    fake.eni["primary"] = A[0]
    assert run(ipv6_addresses=[A[1]])["primary_ipv6_address"] == A[0]
    assert run(ipv6_addresses=[A[0]])["primary_ipv6_address"] is None, "ECS released it: the ENI no longer holds it"


def test_a_refused_release_of_the_primary_address_names_it(fake):
    fake.eni["primary"] = A[0]
    fake.faults["UnassignIpv6Addresses"] = [(api_error("InvalidOperation.InvalidIpv6Primary"), False)]
    result = run(ipv6_addresses=[A[0], A[1]])
    assert result["failed"] is True
    assert result["error"]["code"] == "InvalidOperation.InvalidIpv6Primary"
    assert "%s is the ENI's primary IPv6 address" % A[0] in result["msg"]
    assert fake.eni["addresses"] == A[:12]


@pytest.mark.parametrize("wait, code", [(False, "InvalidIp.IpUnassigned"), (True, "WaitTimeout")])
def test_a_primary_address_refused_as_not_assigned_while_ecs_still_lists_it_fails_naming_it(fake, wait, code):
    fake.eni["primary"] = A[0]
    fake.faults["UnassignIpv6Addresses"] = [(api_error("InvalidIp.IpUnassigned"), False)] * 100
    result = run(ipv6_addresses=[A[0]], wait=wait, wait_timeout=5)
    assert result["failed"] is True and result["changed"] is False
    assert result["error"]["code"] == code
    assert A[0] in result["msg"] and "primary IPv6 address" in result["msg"]
    assert len(fake.reads()) < 12, "a bounded wait"


def test_a_primary_address_someone_else_released_while_reads_lag_is_no_failure(fake):
    fake.eni["primary"] = A[0]
    fake.stale_view = copy.deepcopy(fake.eni)
    fake.stale_left = 3
    fake.eni["addresses"] = A[1:12]
    result = run(ipv6_addresses=[A[0]])
    assert result["changed"] is False and "failed" not in result
    assert result["released_ipv6_addresses"] == []
    assert result["ipv6_addresses"] == A[1:12]
