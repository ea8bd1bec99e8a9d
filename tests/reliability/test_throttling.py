# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Throttling on reads and on writes, 1, 3 and 8 calls in a row, with and without x-acs-retry-after."""

import harness
import pytest

# ECS sends these codes with several HTTP statuses: the module must go by the code.
CODES = (("Throttling", 400), ("Throttling.User", 403), ("Throttling.Api", 503))
TARGETS = (
    ("read", "DescribeNetworkInterfaceAttribute", harness.RELEASE),
    ("release", "UnassignIpv6Addresses", harness.RELEASE),
    ("assign", "AssignIpv6Addresses", harness.ASSIGN),
)
RETRY_AFTER_MS = 200


def _cases():
    for code_index, (code, status) in enumerate(CODES):
        for target_index, (target, action, intent) in enumerate(TARGETS):
            for times in (1, 3, 8):
                for retry_after in (None, RETRY_AFTER_MS):
                    # Without retry-after, 8 throttled calls back off ~20 s (full jitter, 0.25 s doubling, 8 s cap):
                    # that case runs once per code and once per target (a Latin square), not for every pair.
                    if times == 8 and retry_after is None and code_index != target_index:
                        continue
                    duration = 20 if times == 8 and retry_after is None else 2
                    # A throttled read before a write is a write scenario too, but lag does not touch the read:
                    # only throttled writes run with lag as well.
                    for lag in harness.LAGS if target != "read" else (0.0,):
                        yield pytest.param(
                            code,
                            status,
                            target,
                            action,
                            intent,
                            times,
                            retry_after,
                            lag,
                            id="%s-%s-x%d-%s-lag%g"
                            % (code, target, times, "retry_after" if retry_after else "backoff", lag),
                            marks=pytest.mark.duration(duration),
                        )


@pytest.mark.parametrize("code, status, target, action, intent, times, retry_after, lag", list(_cases()))
def test_throttled_calls_are_retried_until_they_go_through(
    scenario, code, status, target, action, intent, times, retry_after, lag
):
    scenario.seed()
    fault = dict(action=action, kind="error", code=code, status=status, count=times)
    if retry_after:
        fault["retry_after_ms"] = retry_after
    scenario.fault(**fault)

    run = scenario.run(intent)

    name = "throttle %s x%d on %s (%s)" % (
        code,
        times,
        target,
        "retry-after %d ms" % retry_after if retry_after else "backoff",
    )
    scenario.judge(name, run, changed=True)
    assert len(scenario.control.calls(action)) == times + 1
    assert scenario.control.faults() == []
    if retry_after:
        # The server's wish is honoured: no sooner, and not much later.
        assert run.seconds >= times * retry_after / 1000.0


@pytest.mark.duration(20)
@pytest.mark.parametrize("times, retry_after", [(3, RETRY_AFTER_MS), (8, None)], ids=["x3-retry_after", "x8-backoff"])
def test_throttled_listing_is_retried(scenario, times, retry_after):
    """The info module's DescribeNetworkInterfaces calls are retried the same way."""
    scenario.seed()
    fault = dict(action="DescribeNetworkInterfaces", kind="error", code="Throttling.User", status=400, count=times)
    if retry_after:
        fault["retry_after_ms"] = retry_after
    scenario.fault(**fault)

    run = scenario.run(harness.INFO, module="ecs_eni_ipv6_info")

    scenario.judge(
        "info: throttle Throttling.User x%d on list (%s)" % (times, "retry-after" if retry_after else "backoff"),
        run,
        changed=False,
    )
    listed = dict((eni["network_interface_id"], eni) for eni in run.result["network_interfaces"])
    assert sorted(listed) == [harness.ENI, harness.NEIGHBOUR]
    assert listed[harness.ENI]["ipv6_addresses"] == harness.addrs(1, 2, 3, 4, 5, 6)
    assert len(scenario.control.calls("DescribeNetworkInterfaces")) == times + 1
