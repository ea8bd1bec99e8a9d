# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Writes that ECS applied but whose answer never came back (the connection closes after the change)."""

import harness
import pytest

INTENTS = (
    ("release 2 addresses", harness.RELEASE, ("UnassignIpv6Addresses",)),
    ("release a prefix", harness.RELEASE_PREFIX, ("UnassignIpv6Addresses",)),
    ("assign 2 addresses", harness.ASSIGN, ("AssignIpv6Addresses",)),
    ("assign by count", harness.COUNT, ("AssignIpv6Addresses",)),
    ("assign prefixes by count", harness.PREFIX_COUNT, ("AssignIpv6Addresses",)),
    ("purge to an exact set", harness.PURGE, ("UnassignIpv6Addresses", "AssignIpv6Addresses")),
)


@pytest.mark.duration(2)
@pytest.mark.parametrize("name, intent, actions", INTENTS, ids=[intent[0] for intent in INTENTS])
def test_answer_lost_after_apply(scenario, lag, name, intent, actions):
    """The task succeeds, reports the change it made, and neither releases nor assigns anything twice."""
    scenario.seed()
    for action in actions:
        scenario.fault(action=action, kind="drop_after_apply", count=1)

    run = scenario.run(intent)

    scenario.judge("answer lost after apply: %s" % name, run, changed=True)
    assert scenario.control.faults() == []


@pytest.mark.duration(3)
@pytest.mark.parametrize("name, intent", [("assign 2 addresses", harness.ASSIGN), ("assign by count", harness.COUNT)])
def test_answer_lost_three_times(scenario, lag, name, intent):
    """The first Assign is applied and its answer lost, then the retries' answers too: ECS applies it once."""
    scenario.seed().fault(action="AssignIpv6Addresses", kind="drop_after_apply", count=3)

    run = scenario.run(intent)

    scenario.judge("answer lost x3 after apply: %s" % name, run, changed=True)
    assert [call["applied"] for call in scenario.control.calls("AssignIpv6Addresses")] == [True, False, False, False]


@pytest.mark.duration(2)
def test_answer_lost_for_one_of_several_release_batches(scenario, lag):
    """Twelve addresses go in two calls (10 + 2); the answer of the first is lost."""
    scenario.seed(harness.standard_seed(addresses=harness.addrs(*range(1, 15))))
    intent = dict(network_interface_id=harness.ENI, state="absent", ipv6_addresses=harness.addrs(*range(1, 13)))
    scenario.fault(action="UnassignIpv6Addresses", kind="drop_after_apply", count=1)

    run = scenario.run(intent)

    scenario.judge("answer lost after apply: release 12 in 2 batches", run, changed=True)
    assert [len(call) for call in (run.result["released_ipv6_addresses"],)] == [12]


@pytest.mark.duration(2)
def test_read_answer_lost_in_check_mode(scenario):
    """Check mode re-reads after a lost read answer, predicts the change, and writes nothing."""
    scenario.seed().fault(action="DescribeNetworkInterfaceAttribute", kind="drop_after_apply", count=1)

    run = scenario.run(harness.PURGE, check_mode=True)

    scenario.judge("check mode, read answer lost: purge", run, expect="unchanged")
    assert run.result["changed"] is True
    assert run.result["released_ipv6_addresses"] == harness.addrs(2, 3, 4, 5, 6)
    assert run.result["assigned_ipv6_addresses"] == [harness.addr(0x10)]


SHORT_ANSWER = (
    '{"RequestId": "5A1E0000-0000-4000-8000-000000000001", "NetworkInterfaceId": "%s", '
    '"Ipv6Sets": {"Ipv6Address": []}}'
)


@pytest.mark.duration(3)
def test_assign_answer_that_lists_nothing(scenario, lag):
    """A proxy answers an Assign-by-count with 200 and an empty list (ECS never saw the call): the task re-reads,
    finds nothing assigned, and asks again, once."""
    scenario.seed().fault(
        action="AssignIpv6Addresses",
        kind="raw",
        status=200,
        content_type="application/json",
        body=SHORT_ANSWER % harness.ENI,
        count=1,
    )

    run = scenario.run(harness.COUNT)

    scenario.judge("short answer (lists 0 of 3) on assign by count", run, changed=True)
    assert len(scenario.control.calls("AssignIpv6Addresses")) == 2
