# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_reconcile: the goal, the plan, the bounds of every loop, and the writer against a scripted ECS.

Where a test is about a bound, the clock stands still and sleeping takes no time, so only the loop's own bound can
end it.
"""

import pytest
from ansible_collections.alibabacloud.ecs.plugins.module_utils._eni import Eni, read_eni
from ansible_collections.alibabacloud.ecs.plugins.module_utils._errors import EcsApiError
from ansible_collections.alibabacloud.ecs.plugins.module_utils._kinds import ADDRESS, PREFIX
from ansible_collections.alibabacloud.ecs.plugins.module_utils._reconcile import (
    Bounds,
    EniWriter,
    KindGoal,
    KindPlan,
    plan_kind,
    wait_until_ready,
)
from ansible_collections.alibabacloud.ecs.plugins.module_utils._retries import MAX_ATTEMPTS
from ansible_collections.alibabacloud.ecs.tests.unit.plugins.fakes import FakeEcs, api_error

ENI = "eni-test0001"
A = ["2408:4005:3a0:a100::%x" % n for n in range(1, 30)]
HELD = ["2408:4005:3a0:a100::1", "2408:4005:3a0:a100::2"]
NEW = ["2408:4005:3a0:a100::10"]
MAX_RESENDS = Bounds(wait=True, wait_timeout=0).max_resends


class StoppedClock(object):
    def __call__(self):
        return 1000.0


def standing_bounds(timeout=30):
    return Bounds(wait=True, wait_timeout=timeout, sleep=lambda seconds: None, clock=StoppedClock())


def writer(fake, timeout=30):
    return EniWriter(fake, Eni(ENI, ipv6_addresses=tuple(fake.eni["addresses"])), standing_bounds(timeout))


def writer_for(fake):
    return EniWriter(
        fake, Eni(ENI, ipv6_addresses=tuple(fake.eni["addresses"])), Bounds(True, 300, sleep=lambda seconds: None)
    )


def assigns(fake):
    return [call for call in fake.calls if call[0] == "AssignIpv6Addresses"]


@pytest.mark.parametrize(
    "state, on_eni, goal, expected",
    [
        ("absent", ["a", "b"], KindGoal(("b", "c")), KindPlan(release=("b",))),
        ("present", ["a"], KindGoal(("a", "b")), KindPlan(assign=("b",))),
        ("present", ["a"], KindGoal(("b",), count=3), KindPlan(assign=("b",), ecs_chooses=1)),
        ("present", ["a", "b", "c"], KindGoal(("c",), purge=True), KindPlan(release=("a", "b"))),
        ("present", ["a", "b", "c"], KindGoal(("c",), count=2, purge=True), KindPlan(release=("b",))),
        ("present", ["a", "b"], KindGoal(count=2), KindPlan()),
    ],
)
def test_plan_releases_assigns_and_counts_what_differs(state, on_eni, goal, expected):
    assert plan_kind(state, on_eni, goal) == expected
    assert plan_kind(state, on_eni, goal).has_work == (expected != KindPlan())


def test_pauses_grow_to_their_cap_and_end_at_the_deadline():
    slept = []
    now = [0.0]

    def sleep(seconds):
        slept.append(seconds)
        now[0] += seconds

    bounds = Bounds(wait=True, wait_timeout=12, sleep=sleep, clock=lambda: now[0])
    with pytest.raises(EcsApiError) as raised:
        for dummy in range(100):
            bounds.pause("InvalidOperation.InvalidEniState", "ENI eni-1 is Attaching")
    assert raised.value.code == "WaitTimeout"
    assert slept[:4] == [1.0, 1.5, 2.25, 3.375] and max(slept) <= 5.0
    assert sum(slept) == pytest.approx(12)


def test_without_waiting_a_pause_raises_the_code_at_once():
    bounds = Bounds(wait=False, wait_timeout=300, sleep=lambda seconds: pytest.fail("slept"))
    with pytest.raises(EcsApiError) as raised:
        bounds.pause("InvalidOperation.InvalidEniState", "ENI eni-1 is Attaching")
    assert raised.value.code == "InvalidOperation.InvalidEniState"
    assert "wait is false" in raised.value.message


def test_a_release_and_an_assign_of_prefixes_use_the_prefix_keywords():
    fake = FakeEcs(prefixes=["2408:4005:3a0:a1ff:1::/80"])
    eni_writer = EniWriter(fake, read_eni(fake, ENI), standing_bounds())
    assert eni_writer.release(PREFIX, ["2408:4005:3a0:a1ff:1::/80"]) == ["2408:4005:3a0:a1ff:1::/80"]
    assert len(eni_writer.assign_count(PREFIX, 2)) == 2
    assert fake.eni["prefixes"] == eni_writer.work[PREFIX].chosen_by_ecs and fake.eni["addresses"] == []


def test_waiting_for_an_eni_that_never_settles_ends():
    fake = FakeEcs(addresses=A[:2], status="Attaching")
    bounds = standing_bounds(timeout=30)
    with pytest.raises(EcsApiError) as raised:
        wait_until_ready(fake, read_eni(fake, ENI), bounds)
    assert raised.value.code == "WaitTimeout"
    assert len(fake.calls) <= 33


def test_a_release_whose_outcome_stays_unknown_ends():
    fake = FakeEcs(addresses=A[:2])
    fake.faults["UnassignIpv6Addresses"] = [(api_error("ServiceUnavailable", 503), False)] * 1000
    with pytest.raises(EcsApiError):
        writer(fake).release(ADDRESS, A[:2])
    assert len(fake.writes()) == MAX_RESENDS + 1


def test_a_release_refused_without_end_by_a_group_ends():
    fake = FakeEcs(addresses=A[:10])
    fake.faults["UnassignIpv6Addresses"] = [(api_error("InvalidIp.IpUnassigned"), False)] * 1000
    done = writer(fake).release(ADDRESS, A[:10])
    assert done == []
    assert len(fake.writes()) == 1 + 10, "the group once, then each item once"


def test_an_assign_whose_outcome_stays_unknown_ends():
    fake = FakeEcs(addresses=A[:2])
    fake.faults["AssignIpv6Addresses"] = [(api_error("InternalError", 500), False)] * 1000
    with pytest.raises(EcsApiError):
        writer(fake).assign(ADDRESS, [A[20]])
    assert len(fake.writes()) == MAX_RESENDS + 1


def test_an_assign_by_count_whose_outcome_stays_unknown_ends():
    fake = FakeEcs(addresses=A[:2])
    fake.faults["AssignIpv6Addresses"] = [(api_error("InternalError", 500), False)] * 1000
    with pytest.raises(EcsApiError):
        writer(fake).assign_count(ADDRESS, 3)
    assert len(fake.writes()) == MAX_RESENDS + 1


def test_an_assign_refused_as_held_that_reads_never_show_ends():
    fake = FakeEcs(addresses=A[:2])
    fake.faults["AssignIpv6Addresses"] = [(api_error("InvalidIp.IpAssigned"), False)] * 1000
    with pytest.raises(EcsApiError) as raised:
        writer(fake, timeout=30).assign(ADDRESS, [A[20]])
    assert raised.value.code == "WaitTimeout"
    assert len(fake.calls) < 60


def test_a_state_refusal_without_end_ends():
    fake = FakeEcs(addresses=A[:2])
    fake.faults["UnassignIpv6Addresses"] = [(api_error("InvalidOperation.InvalidEcsState", 400), False)] * 1000
    with pytest.raises(EcsApiError) as raised:
        writer(fake, timeout=30).release(ADDRESS, A[:1])
    assert raised.value.code == "WaitTimeout"
    assert len(fake.writes()) <= 33


def test_a_confirming_read_that_never_catches_up_ends():
    fake = FakeEcs(addresses=A[:2])
    fake.lag(10**6)
    eni_writer = writer(fake, timeout=30)
    eni_writer.release(ADDRESS, A[:1])
    with pytest.raises(EcsApiError) as raised:
        eni_writer.confirm()
    assert raised.value.code == "WaitTimeout"
    assert len(fake.reads()) <= 33


class RetryingFake(FakeEcs):
    """FakeEcs whose Assign calls go through the RetryPolicy, as EcsClient's do (they carry a ClientToken)."""

    def assign_ipv6(self, *args, **kwargs):
        return self.retry_policy.run(lambda: FakeEcs.assign_ipv6(self, *args, **kwargs), idempotent=True)


class NoReplay(dict):
    """A token store that never answers a replay, so that every retry meets the next scripted fault."""

    def __contains__(self, token):
        return False


def test_an_assign_retried_to_its_bound_is_not_sent_again_after_the_re_read():
    fake = RetryingFake(ENI, addresses=HELD)
    fake.faults["AssignIpv6Addresses"] = [(api_error("InternalError", 500), False) for attempt in range(100)]

    with pytest.raises(EcsApiError) as raised:
        writer_for(fake).assign(ADDRESS, NEW)

    assert raised.value.code == "InternalError"
    assert raised.value.retries_exhausted
    assert len(assigns(fake)) == MAX_ATTEMPTS
    assert "Gave up after %d attempts" % MAX_ATTEMPTS in raised.value.describe()


def test_a_count_assign_retried_to_its_bound_is_not_sent_again_after_the_re_read():
    fake = RetryingFake(ENI, addresses=HELD)
    fake.faults["AssignIpv6Addresses"] = [(api_error("ServiceUnavailable", 503), False) for attempt in range(100)]

    with pytest.raises(EcsApiError) as raised:
        writer_for(fake).assign_count(ADDRESS, 3)

    assert raised.value.code == "ServiceUnavailable"
    assert len(assigns(fake)) == MAX_ATTEMPTS


def test_an_assign_whose_answers_were_all_lost_still_counts_once_the_re_read_shows_it():
    """The first attempt was applied, every answer lost: the goal holds, so the task does not fail."""
    fake = RetryingFake(ENI, addresses=HELD)
    fake.tokens = NoReplay()
    fake.faults["AssignIpv6Addresses"] = [(api_error("ConnectionLost", None), True)] + [
        (api_error("ConnectionLost", None), False) for attempt in range(100)
    ]

    done = writer_for(fake).assign(ADDRESS, NEW)

    assert done == NEW
    assert fake.eni["addresses"] == HELD + NEW
    assert len(assigns(fake)) == MAX_ATTEMPTS


def test_a_release_that_is_not_retried_by_the_policy_is_still_reconciled():
    """Unassign is not idempotent, so the policy hands a 503 back at once: the writer re-reads and re-sends."""
    fake = FakeEcs(ENI, addresses=HELD)
    fake.faults["UnassignIpv6Addresses"] = [(api_error("ServiceUnavailable", 503), False)]

    assert writer_for(fake).release(ADDRESS, HELD[:1]) == HELD[:1]
    assert [call[0] for call in fake.writes()] == ["UnassignIpv6Addresses", "UnassignIpv6Addresses"]
