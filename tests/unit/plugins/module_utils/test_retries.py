# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_retries.py: the retry policy's decisions and bounds."""

import pytest
from ansible_collections.alibabacloud.ecs.plugins.module_utils._errors import EcsApiError
from ansible_collections.alibabacloud.ecs.plugins.module_utils._retries import MAX_ATTEMPTS, MAX_DELAY, RetryPolicy
from ansible_collections.alibabacloud.ecs.tests.unit.plugins.fakes import api_error


class Clock(object):
    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


class StoppedClock(object):
    def __call__(self):
        return 1000.0


def failing_then_ok(errors):
    calls = []

    def call():
        calls.append(1)
        if errors:
            raise errors.pop(0)
        return "ok"

    return call, calls


def policy(clock, **kwargs):
    return RetryPolicy(sleep=clock.sleep, clock=lambda: clock.now, rng=lambda: 1.0, **kwargs)


def test_throttling_is_retried_with_growing_capped_delays():
    clock = Clock()
    call, calls = failing_then_ok([EcsApiError("Throttling", "slow down", http_status=400) for attempt in range(8)])
    assert policy(clock).run(call, idempotent=False) == "ok"
    assert len(calls) == 9
    assert clock.sleeps == [0.5, 1.0, 2.0, 4.0, MAX_DELAY, MAX_DELAY, MAX_DELAY, MAX_DELAY]


def test_retry_after_from_the_server_is_honoured():
    clock = Clock()
    call, calls = failing_then_ok([EcsApiError("Throttling", "wait", retry_after=3.0)])
    policy(clock).run(call, idempotent=False)
    assert clock.sleeps == [3.0]


def test_ambiguous_errors_are_retried_for_reads_only():
    clock = Clock()
    call, calls = failing_then_ok([EcsApiError("InternalError", "oops", http_status=500)])
    assert policy(clock).run(call, idempotent=True) == "ok"
    call, calls = failing_then_ok([EcsApiError("InternalError", "oops", http_status=500)])
    with pytest.raises(EcsApiError):
        policy(clock).run(call, idempotent=False)
    assert len(calls) == 1


def test_unending_throttling_gives_up_within_the_attempt_bound():
    clock = Clock()
    call, calls = failing_then_ok([EcsApiError("Throttling", "slow down") for attempt in range(100)])
    with pytest.raises(EcsApiError) as raised:
        policy(clock, max_attempts=10, max_seconds=1000).run(call, idempotent=True)
    assert len(calls) == 10
    assert raised.value.attempts == 10
    assert "Gave up after 10 attempts" in raised.value.describe()


def test_unending_throttling_gives_up_within_the_time_bound():
    clock = Clock()
    call, calls = failing_then_ok([EcsApiError("Throttling", "slow down") for attempt in range(100)])
    with pytest.raises(EcsApiError):
        policy(clock, max_attempts=100, max_seconds=20).run(call, idempotent=True)
    assert clock.now <= 20


def test_other_errors_are_not_retried():
    clock = Clock()
    call, calls = failing_then_ok([EcsApiError("InvalidEniId.NotFound", "no", http_status=404)])
    with pytest.raises(EcsApiError):
        policy(clock).run(call, idempotent=True)
    assert len(calls) == 1 and clock.sleeps == []


def test_failed_connections_are_retried_for_about_10_seconds_only():
    clock = Clock()
    call, calls = failing_then_ok([EcsApiError("ConnectionFailed", "refused") for attempt in range(100)])
    with pytest.raises(EcsApiError) as raised:
        policy(clock).run(call, idempotent=False)
    assert raised.value.retries_exhausted
    assert clock.now <= 10
    assert len(calls) < 10
    clock = Clock()
    call, calls = failing_then_ok([EcsApiError("Throttling", "slow down") for attempt in range(100)])
    with pytest.raises(EcsApiError):
        policy(clock).run(call, idempotent=False)
    assert clock.now > 10


def test_retry_policy_ends_at_its_attempt_bound():
    calls = []

    def throttled():
        calls.append(1)
        raise api_error("Throttling", 400)

    with pytest.raises(EcsApiError):
        RetryPolicy(sleep=lambda seconds: None, clock=StoppedClock()).run(throttled, idempotent=True)
    assert len(calls) == MAX_ATTEMPTS


def test_the_policy_marks_errors_it_gave_up_on():
    policy = RetryPolicy(max_attempts=3, sleep=lambda seconds: None)

    def ambiguous():
        raise api_error("InternalError", 500)

    def refused():
        raise api_error("InvalidIp.IpAssigned")

    with pytest.raises(EcsApiError) as raised:
        policy.run(ambiguous, idempotent=True)
    assert raised.value.retries_exhausted and raised.value.attempts == 3
    with pytest.raises(EcsApiError) as raised:
        policy.run(ambiguous, idempotent=False)
    assert not raised.value.retries_exhausted
    with pytest.raises(EcsApiError) as raised:
        policy.run(refused, idempotent=True)
    assert not raised.value.retries_exhausted
