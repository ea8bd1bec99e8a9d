# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Server errors (503, 500), connections that are refused or dropped, and answers slower than the read timeout."""

import harness
import pytest

TARGETS = (
    ("read", "DescribeNetworkInterfaceAttribute", harness.RELEASE),
    ("release", "UnassignIpv6Addresses", harness.RELEASE),
    ("assign", "AssignIpv6Addresses", harness.ASSIGN),
    ("assign by count", "AssignIpv6Addresses", harness.COUNT),
)


@pytest.mark.duration(3)
@pytest.mark.parametrize("code, status", [("ServiceUnavailable", 503), ("InternalError", 500)])
@pytest.mark.parametrize("times", [1, 3])
@pytest.mark.parametrize("target, action, intent", TARGETS, ids=[target[0] for target in TARGETS])
def test_server_errors_are_retried_or_reconciled(scenario, lag, code, status, times, target, action, intent):
    """Reads and Assign calls (which carry a ClientToken) are retried; a release is re-read and sent again."""
    scenario.seed().fault(action=action, kind="error", code=code, status=status, count=times)

    run = scenario.run(intent)

    scenario.judge("%s x%d on %s" % (code, times, target), run, changed=True)
    assert len(scenario.control.calls(action)) == times + 1


@pytest.mark.duration(2)
@pytest.mark.parametrize("target, action, intent", TARGETS, ids=[target[0] for target in TARGETS])
def test_connection_dropped_before_the_call_is_applied(scenario, lag, target, action, intent):
    """The connection breaks before ECS applies the call: the task finds the change still to do and does it."""
    scenario.seed().fault(action=action, kind="drop_before_apply", count=1)

    run = scenario.run(intent)

    scenario.judge("connection dropped before apply on %s" % target, run, changed=True)


@pytest.mark.duration(4)
def test_connection_refused_until_the_endpoint_comes_up(scenario, lag):
    """Connections are refused for 2 s (nothing listens), then the endpoint answers: the task goes through."""
    scenario.seed()
    with harness.LatePort(scenario.emulator.port, 2.0) as port:
        run = scenario.run(harness.RELEASE, connection=scenario.connection(endpoint="http://127.0.0.1:%d" % port.port))

    scenario.judge("connection refused for 2 s, then up", run, changed=True, extra_faults=1)
    assert run.seconds >= 2.0


@pytest.mark.duration(12)
@pytest.mark.parametrize("target, action, intent", TARGETS[:3], ids=[target[0] for target in TARGETS[:3]])
def test_answer_slower_than_the_read_timeout(scenario, lag, target, action, intent):
    """One answer comes after the SDK's read timeout (a write is applied first, then answered late)."""
    late = harness.READ_TIMEOUT + 1.5
    scenario.seed().fault(action=action, kind="delay", seconds=late, count=1)

    run = scenario.run(intent)

    scenario.judge("answer %.1f s late (read timeout) on %s" % (late, target), run, changed=True)
    assert run.seconds >= harness.READ_TIMEOUT


@pytest.mark.duration(2)
def test_slow_answer_within_the_read_timeout_is_waited_for(scenario, lag):
    """An answer that is slow but within the read timeout is simply waited for: no retry, no re-read before the
    confirming read."""
    scenario.seed().fault(action="UnassignIpv6Addresses", kind="delay", seconds=2.0, count=1)

    run = scenario.run(harness.RELEASE)

    scenario.judge("answer 2 s late (within read timeout) on release", run, changed=True)
    actions = [call["action"] for call in scenario.control.calls()]
    assert actions[:2] == ["DescribeNetworkInterfaceAttribute", "UnassignIpv6Addresses"], actions
    # Then only the reads that confirm the release: one without lag.
    assert set(actions[2:]) == {"DescribeNetworkInterfaces"}, actions
    assert len(actions) == 3 or lag, actions


@pytest.mark.duration(3)
@pytest.mark.parametrize("code, status", [("ServiceUnavailable", 503), ("InternalError", 500)])
def test_server_errors_on_listing_are_retried(scenario, code, status):
    scenario.seed().fault(action="DescribeNetworkInterfaces", kind="error", code=code, status=status, count=3)

    run = scenario.run(harness.INFO, module="ecs_eni_ipv6_info")

    scenario.judge("info: %s x3 on list" % code, run, changed=False)
    assert len(run.result["network_interfaces"]) == 2
