# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every loop in plugins/ that calls ECS ends, even when ECS never gives the answer it waits for.

The clock stands still and sleeping takes no time, so only a loop's own bound can end it.
"""

import pytest
from ansible.module_utils.basic import AnsibleModule
from ansible_collections.alibabacloud.ecs.plugins.module_utils._eni import (
    MAX_RECONCILE_ROUNDS,
    Ipv6Writer,
    Waiter,
    read_eni,
)
from ansible_collections.alibabacloud.ecs.plugins.module_utils._errors import EcsApiError
from ansible_collections.alibabacloud.ecs.plugins.module_utils._retries import MAX_ATTEMPTS, RetryPolicy
from ansible_collections.alibabacloud.ecs.plugins.modules import ecs_eni_ipv6, ecs_eni_ipv6_info
from ansible_collections.alibabacloud.ecs.tests.unit.plugins.fakes import (
    FakeEcs,
    api_error,
    exit_json,
    fail_json,
    run_module,
)

ENI = "eni-test0001"
A = ["2408:4005:3a0:a100::%x" % n for n in range(1, 30)]


class StoppedClock(object):
    def __call__(self):
        return 1000.0


def standing_waiter(timeout=30):
    return Waiter(True, timeout, sleep=lambda seconds: None, clock=StoppedClock())


def writer(fake, timeout=30):
    eni = {"network_interface_id": ENI, "ipv6_addresses": list(fake.eni["addresses"]), "ipv6_prefixes": []}
    return Ipv6Writer(fake, eni, standing_waiter(timeout))


def test_retry_policy_ends_at_its_attempt_bound():
    calls = []

    def throttled():
        calls.append(1)
        raise api_error("Throttling", 400)

    with pytest.raises(EcsApiError):
        RetryPolicy(sleep=lambda seconds: None, clock=StoppedClock()).run(throttled, idempotent=True)
    assert len(calls) == MAX_ATTEMPTS


def test_waiting_for_an_eni_that_never_settles_ends():
    fake = FakeEcs(addresses=A[:2], status="Attaching")
    waiter = standing_waiter(timeout=30)
    with pytest.raises(EcsApiError) as raised:
        waiter.until_ready(fake, read_eni(fake, ENI))
    assert raised.value.code == "WaitTimeout"
    assert len(fake.calls) <= 33


def test_a_release_whose_outcome_stays_unknown_ends():
    fake = FakeEcs(addresses=A[:2])
    fake.faults["UnassignIpv6Addresses"] = [(api_error("ServiceUnavailable", 503), False)] * 1000
    with pytest.raises(EcsApiError):
        writer(fake).release("ipv6_addresses", A[:2])
    assert len(fake.writes()) == MAX_RECONCILE_ROUNDS + 1


def test_a_release_refused_without_end_by_a_group_ends():
    fake = FakeEcs(addresses=A[:10])
    fake.faults["UnassignIpv6Addresses"] = [(api_error("InvalidIp.IpUnassigned"), False)] * 1000
    done = writer(fake).release("ipv6_addresses", A[:10])
    assert done == []
    assert len(fake.writes()) == 1 + 10, "the group once, then each item once"


def test_an_assign_whose_outcome_stays_unknown_ends():
    fake = FakeEcs(addresses=A[:2])
    fake.faults["AssignIpv6Addresses"] = [(api_error("InternalError", 500), False)] * 1000
    with pytest.raises(EcsApiError):
        writer(fake).assign("ipv6_addresses", [A[20]])
    assert len(fake.writes()) == MAX_RECONCILE_ROUNDS + 1


def test_an_assign_by_count_whose_outcome_stays_unknown_ends():
    fake = FakeEcs(addresses=A[:2])
    fake.faults["AssignIpv6Addresses"] = [(api_error("InternalError", 500), False)] * 1000
    with pytest.raises(EcsApiError):
        writer(fake).assign_count("ipv6_addresses", 3)
    assert len(fake.writes()) == MAX_RECONCILE_ROUNDS + 1


def test_an_assign_refused_as_held_that_reads_never_show_ends():
    fake = FakeEcs(addresses=A[:2])
    fake.faults["AssignIpv6Addresses"] = [(api_error("InvalidIp.IpAssigned"), False)] * 1000
    with pytest.raises(EcsApiError) as raised:
        writer(fake, timeout=30).assign("ipv6_addresses", [A[20]])
    assert raised.value.code == "WaitTimeout"
    assert len(fake.calls) < 60


def test_a_state_refusal_without_end_ends():
    fake = FakeEcs(addresses=A[:2])
    fake.faults["UnassignIpv6Addresses"] = [(api_error("InvalidOperation.InvalidEcsState", 400), False)] * 1000
    with pytest.raises(EcsApiError) as raised:
        writer(fake, timeout=30).release("ipv6_addresses", A[:1])
    assert raised.value.code == "WaitTimeout"
    assert len(fake.writes()) <= 33


def test_a_confirming_read_that_never_catches_up_ends():
    fake = FakeEcs(addresses=A[:2])
    fake.lag(10**6)
    eni_writer = writer(fake, timeout=30)
    eni_writer.release("ipv6_addresses", A[:1])
    with pytest.raises(EcsApiError) as raised:
        eni_writer.confirm()
    assert raised.value.code == "WaitTimeout"
    assert len(fake.reads()) <= 33


@pytest.fixture
def module_fake(monkeypatch):
    monkeypatch.setattr(AnsibleModule, "exit_json", exit_json)
    monkeypatch.setattr(AnsibleModule, "fail_json", fail_json)
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    fake = FakeEcs(addresses=A[:4])
    monkeypatch.setattr(ecs_eni_ipv6, "connect", lambda module: fake)
    monkeypatch.setattr(ecs_eni_ipv6_info, "connect", lambda module: fake)
    return fake


def test_passes_against_someone_who_keeps_adding_addresses_end(module_fake):
    original = module_fake.describe_network_interfaces
    added = iter(A[10:])

    def another_address_before_each_confirmation(**kwargs):
        module_fake.eni["addresses"].append(next(added))
        return original(**kwargs)

    module_fake.describe_network_interfaces = another_address_before_each_confirmation
    args = dict(
        network_interface_id=ENI,
        ipv6_addresses=[A[0]],
        purge_ipv6_addresses=True,
        region="cn-hangzhou",
        access_key_id="LTAIunit",
        access_key_secret="unit-secret-value",
    )
    result = run_module(ecs_eni_ipv6.main, args)
    assert result["changed"] is True
    assert len(module_fake.writes()) == ecs_eni_ipv6.MAX_PASSES
    assert len(result["ipv6_addresses"]) == 2, "what ECS listed last: the kept address and the newest one"


def test_paging_with_a_new_next_token_every_time_ends(module_fake):
    pages = []

    def endless_pages(**kwargs):
        pages.append(1)
        if len(pages) > ecs_eni_ipv6_info.MAX_PAGES + 5:
            raise AssertionError("paging has no bound")
        return {"NetworkInterfaceSets": {"NetworkInterfaceSet": []}, "NextToken": "token-%d" % len(pages)}

    module_fake.describe_network_interfaces = endless_pages
    result = run_module(
        ecs_eni_ipv6_info.main,
        dict(region="cn-hangzhou", access_key_id="LTAIunit", access_key_secret="unit-secret-value"),
    )
    assert result["failed"] is True
    assert result["error"]["code"] == "InvalidNextToken"
    assert len(pages) == ecs_eni_ipv6_info.MAX_PAGES
