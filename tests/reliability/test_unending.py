# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Faults that never end: the task gives up within the documented bound and names the last error code.

The bounds (module_utils): each API call is tried at most MAX_ATTEMPTS times or for MAX_RETRY_SECONDS of
retrying (_retries.py); a release whose outcome is unknown is re-read and sent again at most
MAX_RECONCILE_ROUNDS more times (_eni.py). A read timeout and the slack are allowed on top: the slack is twice what
a task with nothing to do takes, measured in the same scenario just before (Scenario.floor), and at least
MIN_SLACK, so that the bound holds on a loaded machine as on an idle one.
"""

import re

import harness
import pytest

MIN_SLACK = 6.0
ATTEMPTS = harness.MAX_ATTEMPTS
SECONDS = harness.MAX_RETRY_SECONDS
CALL_BOUND = "%d tries/%d s a call" % (ATTEMPTS, SECONDS)


def _calls(scenario, action):
    return len(scenario.control.calls(action))


def _slack(scenario):
    """Seconds allowed on top of a bound: starting and ending the module process, as measured now."""
    return max(MIN_SLACK, 2 * scenario.floor())


@pytest.mark.duration(45)
def test_unending_throttling_on_read(scenario):
    scenario.seed()
    slack = _slack(scenario)
    scenario.fault(action="DescribeNetworkInterfaceAttribute", kind="error", code="Throttling", status=400, count=1000)

    run = scenario.run(harness.RELEASE)

    scenario.judge("unending Throttling on read, backoff (bound %s)" % CALL_BOUND, run, expect="fail")
    run.assert_clean_failure("Throttling", "Gave up after")
    assert run.code == "Throttling"
    assert _calls(scenario, "DescribeNetworkInterfaceAttribute") <= ATTEMPTS
    assert run.seconds <= SECONDS + slack


@pytest.mark.duration(58)
def test_unending_throttling_with_long_retry_after_meets_the_time_bound(scenario):
    """ECS asks for 9 s between tries: the 60 s bound ends the task before the attempt bound."""
    scenario.seed()
    slack = _slack(scenario)
    scenario.fault(
        action="DescribeNetworkInterfaceAttribute",
        kind="error",
        code="Throttling.User",
        status=400,
        retry_after_ms=9000,
        count=1000,
    )

    run = scenario.run(harness.RELEASE)

    scenario.judge("unending Throttling.User on read, retry-after 9 s (bound %d s)" % SECONDS, run, expect="fail")
    run.assert_clean_failure("Throttling.User")
    attempts = _calls(scenario, "DescribeNetworkInterfaceAttribute")
    assert attempts < ATTEMPTS
    assert (attempts - 1) * 9.0 <= run.seconds <= SECONDS + slack


@pytest.mark.duration(66)
def test_unending_slow_answers_on_read(scenario):
    """Every answer comes after the read timeout: the time bound ends the task."""
    late = harness.READ_TIMEOUT + 1.0
    scenario.seed()
    slack = _slack(scenario)
    scenario.fault(action="DescribeNetworkInterfaceAttribute", kind="delay", seconds=late, count=1000)

    run = scenario.run(harness.RELEASE)

    scenario.judge("unending slow answers on read (bound %d s + a timeout)" % SECONDS, run, expect="fail")
    run.assert_clean_failure("ReadTimeout")
    assert run.code == "ReadTimeout"
    assert run.seconds <= SECONDS + harness.READ_TIMEOUT + slack


@pytest.mark.duration(8)
def test_unending_server_error_on_release(scenario, lag):
    """A release is not retried blindly (its outcome is unknown): it is re-read and sent again, a bounded number
    of times."""
    scenario.seed()
    slack = _slack(scenario)
    scenario.fault(action="UnassignIpv6Addresses", kind="error", code="ServiceUnavailable", status=503, count=1000)

    run = scenario.run(harness.RELEASE)

    scenario.judge(
        "unending ServiceUnavailable on release (bound %d rounds)" % (harness.MAX_RECONCILE_ROUNDS + 1),
        run,
        expect="fail",
    )
    run.assert_clean_failure("ServiceUnavailable")
    assert run.code == "ServiceUnavailable"
    assert _calls(scenario, "UnassignIpv6Addresses") == harness.MAX_RECONCILE_ROUNDS + 1
    assert run.seconds <= SECONDS + slack


@pytest.mark.duration(45)
def test_unending_server_error_on_assign(scenario, lag):
    """An Assign (with its ClientToken) is retried up to the call's bound, once: not again for each re-read."""
    scenario.seed()
    slack = _slack(scenario)
    scenario.fault(action="AssignIpv6Addresses", kind="error", code="InternalError", status=500, count=1000)

    run = scenario.run(harness.ASSIGN)

    scenario.judge("unending InternalError on assign (bound %s)" % CALL_BOUND, run, expect="fail")
    run.assert_clean_failure("InternalError", "Gave up after %d attempts" % ATTEMPTS)
    assert run.code == "InternalError"
    assert _calls(scenario, "AssignIpv6Addresses") == ATTEMPTS
    assert run.seconds <= SECONDS + slack


@pytest.mark.duration(4)
def test_unending_server_error_on_assign_by_count(scenario, lag):
    scenario.seed()
    scenario.fault(
        action="AssignIpv6Addresses",
        kind="error",
        code="ServiceUnavailable",
        status=503,
        retry_after_ms=100,
        count=1000,
    )

    run = scenario.run(harness.COUNT)

    scenario.judge("unending ServiceUnavailable on count assign (bound %s)" % CALL_BOUND, run, expect="fail")
    run.assert_clean_failure("ServiceUnavailable")
    assert _calls(scenario, "AssignIpv6Addresses") == ATTEMPTS


@pytest.mark.duration(45)
def test_unending_lost_answers_on_assign_after_it_was_applied(scenario, lag):
    """Every answer to the Assign is lost, but the first call was applied: the re-read shows the goal holds."""
    scenario.seed()
    scenario.fault(action="AssignIpv6Addresses", kind="drop_after_apply", count=1000)

    run = scenario.run(harness.ASSIGN)

    scenario.judge("unending lost answers on assign, first one applied", run, changed=True)
    assert _calls(scenario, "AssignIpv6Addresses") == ATTEMPTS


@pytest.mark.duration(45)
def test_unending_connection_refused(scenario):
    """Nothing listens at the endpoint: refused connections are retried (nothing was sent), then the task fails."""
    scenario.seed()
    slack = _slack(scenario)
    with harness.ClosedPort() as port:
        run = scenario.run(harness.RELEASE, connection=scenario.connection(endpoint="http://127.0.0.1:%d" % port.port))

    attempts = int((re.search(r"Gave up after (\d+) attempts", run.msg) or re.match("(1)", "1")).group(1))
    scenario.judge("unending connection refused (bound %s)" % CALL_BOUND, run, expect="fail", extra_faults=attempts)
    run.assert_clean_failure("ConnectionFailed", "Gave up after")
    assert run.code == "ConnectionFailed"
    assert scenario.control.calls() == []
    assert run.seconds <= SECONDS + slack


@pytest.mark.duration(4)
def test_unending_throttling_on_listing(scenario):
    scenario.seed()
    scenario.fault(
        action="DescribeNetworkInterfaces",
        kind="error",
        code="Throttling.Api",
        status=503,
        retry_after_ms=100,
        count=1000,
    )

    run = scenario.run(harness.INFO, module="ecs_eni_ipv6_info")

    scenario.judge("info: unending Throttling.Api on list (bound %s)" % CALL_BOUND, run, expect="fail")
    run.assert_clean_failure("Throttling.Api", "Gave up after %d attempts" % ATTEMPTS)
    assert _calls(scenario, "DescribeNetworkInterfaces") == ATTEMPTS


@pytest.mark.duration(12)
def test_unending_short_answers_on_assign_by_count(scenario, lag):
    """Every Assign-by-count answer lists nothing (a proxy answers it; ECS never sees it): the task re-reads and
    asks again MAX_RECONCILE_ROUNDS times, then fails with IncompleteAnswer."""
    body = (
        '{"RequestId": "5A1E0000-0000-4000-8000-000000000002", "NetworkInterfaceId": "%s", '
        '"Ipv6Sets": {"Ipv6Address": []}}' % harness.ENI
    )
    scenario.seed()
    slack = _slack(scenario)
    scenario.fault(
        action="AssignIpv6Addresses", kind="raw", status=200, content_type="application/json", body=body, count=1000
    )

    run = scenario.run(harness.COUNT)

    scenario.judge(
        "unending short answers on count assign (bound %d rounds)" % (harness.MAX_RECONCILE_ROUNDS + 1),
        run,
        expect="fail",
    )
    run.assert_clean_failure("IncompleteAnswer")
    assert run.code == "IncompleteAnswer"
    assert _calls(scenario, "AssignIpv6Addresses") == harness.MAX_RECONCILE_ROUNDS + 1
    assert run.seconds <= SECONDS + slack
