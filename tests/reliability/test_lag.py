# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ECS reads lag behind writes: tasks run right after one another, what a task reports against what a next task
sees, and how many API calls a task makes with and without lag.

The scenarios that run one task right after another need the second task's first read to be stale, however slow
the machine: the emulator shows the old state for the next STALE_READS reads after each write (its stale_reads
setting), not for some seconds, and each scenario checks in the call log that the read was stale.
"""

import harness
import pytest

A = harness.addr
STALE_READS = 1
COUNT_LAG = 2.0
READ = "DescribeNetworkInterfaceAttribute"
LIST = "DescribeNetworkInterfaces"


def _actions(calls):
    return [call["action"] for call in calls]


def _task_calls(scenario):
    """The calls of the last task the scenario ran."""
    return scenario.control.calls()[scenario.first_call :]


def assert_first_read_stale(scenario):
    """The last task's first read showed the ENI as it was before the writes of the task before it."""
    first_read = _task_calls(scenario)[0]
    assert first_read["action"] == READ and first_read["stale"] == [harness.ENI], first_read


def _real(scenario):
    eni = scenario.control.eni(harness.ENI)
    return sorted(eni["Ipv6Addresses"]), sorted(eni["Ipv6Prefixes"])


REPEATED = (
    ("release 2", harness.RELEASE),
    ("assign 2 by name", harness.ASSIGN),
)


@pytest.mark.duration(6)
@pytest.mark.parametrize("name, intent", REPEATED, ids=[case[0] for case in REPEATED])
@pytest.mark.parametrize("first_wait", [False, True], ids=["first_wait_false", "first_wait_true"])
def test_same_task_again_right_after(scenario, name, intent, first_wait):
    """The second task succeeds with changed: false, whether or not the first waited for ECS to show its writes."""
    scenario.seed(stale_reads=STALE_READS)

    first = scenario.run(dict(intent, wait=first_wait))

    scenario.judge("lag: %s, wait %s" % (name, str(first_wait).lower()), first, changed=True)
    if not first_wait:
        # wait: false returns after the writes, without a confirming read, and ECS still shows the old state.
        calls = _task_calls(scenario)
        assert _actions(calls) == [READ, intent_action(intent)], calls
        assert scenario.shown_at_end[harness.ENI] != _real(scenario), scenario.shown_at_end

    second = scenario.run(intent)

    scenario.judge("lag: %s again at once (first: wait %s)" % (name, str(first_wait).lower()), second, changed=False)
    writes = harness.write_log(_task_calls(scenario))
    if first_wait:
        # The first task ended when ECS showed its writes: the second reads that, and has nothing to do.
        assert _actions(_task_calls(scenario)) == [READ], _task_calls(scenario)
        assert _task_calls(scenario)[0]["stale"] == [], _task_calls(scenario)
    else:
        # The second task's first read was stale (it tried to write); ECS refused every write, as it should.
        assert_first_read_stale(scenario)
        assert writes and not any(write[1] for write in writes), writes


def intent_action(intent):
    return "UnassignIpv6Addresses" if intent.get("state") == "absent" else "AssignIpv6Addresses"


OVERLAPPING = (
    (
        "release 2 right after another task released 1 of them",
        dict(harness.RELEASE, ipv6_addresses=[A(1)]),
        harness.RELEASE,
        True,
    ),
    (
        "assign 2 right after another task assigned 1 of them",
        dict(harness.ASSIGN, ipv6_addresses=[A(0x10)]),
        harness.ASSIGN,
        True,
    ),
)


@pytest.mark.duration(6)
@pytest.mark.parametrize("name, first, second, changed", OVERLAPPING, ids=[case[0] for case in OVERLAPPING])
def test_task_right_after_another_that_did_part_of_it(scenario, name, first, second, changed):
    """A first task (wait: false) did part of what the second asks: the second, reading stale, does the rest."""
    scenario.seed(stale_reads=STALE_READS)
    scenario.judge("lag: %s (first task)" % name, scenario.run(dict(first, wait=False)), changed=True)

    run = scenario.run(second)
    assert_first_read_stale(scenario)

    scenario.judge("lag: %s" % name, run, changed=changed)


@pytest.mark.duration(6)
def test_count_run_twice_ends_with_exactly_the_count(scenario, lag):
    """ipv6_address_count: 3 twice in a row on an ENI with 1 address: 3 addresses, not 5."""
    scenario.seed(harness.standard_seed(addresses=[A(1)]))
    intent = dict(network_interface_id=harness.ENI, ipv6_address_count=3)

    scenario.judge("lag: count 3 on 1 address", scenario.run(intent), changed=True)
    run = scenario.run(intent)

    scenario.judge("lag: count 3 again at once", run, changed=False)
    assert len(scenario.control.eni(harness.ENI)["Ipv6Addresses"]) == 3
    assert run.result["ipv6_addresses"] == scenario.control.eni(harness.ENI)["Ipv6Addresses"]


@pytest.mark.duration(4)
@pytest.mark.parametrize("stale_reads", [0, 2], ids=["stale_reads0", "stale_reads2"])
def test_released_addresses_are_not_listed_by_a_next_info_task(scenario, stale_reads):
    """What a task reports as released, an ecs_eni_ipv6_info task run right after no longer lists: the release
    waited until ECS listed it (with stale reads: through them)."""
    scenario.seed(stale_reads=stale_reads)

    release = scenario.run(harness.RELEASE)

    scenario.judge("lag: release 2, then list", release, changed=True)
    assert release.result["released_ipv6_addresses"] == harness.addrs(1, 2)
    confirming = [call for call in _task_calls(scenario) if call["action"] == LIST]
    assert [call["stale"] for call in confirming] == [[harness.ENI]] * stale_reads + [[]], confirming

    listing = scenario.run(dict(network_interface_ids=[harness.ENI]), module="ecs_eni_ipv6_info")

    scenario.judge("lag: list right after the release", listing, changed=False)
    listed = listing.result["network_interfaces"][0]
    assert not set(listed["ipv6_addresses"]) & set(harness.addrs(1, 2)), listed
    assert (
        listed["ipv6_addresses"]
        == release.result["ipv6_addresses"]
        == scenario.control.eni(harness.ENI)["Ipv6Addresses"]
    )


# The API calls of a task, as issue 12 counts them: (read, writes, confirming reads) without lag.
COUNTED = (
    ("no-op", dict(ipv6_addresses=[A(1)]), False, 0),
    ("check mode: release 1", dict(state="absent", ipv6_addresses=[A(1)]), True, 0),
    ("release 1 address", dict(state="absent", ipv6_addresses=[A(1)]), False, 1),
    ("release 25 addresses", dict(state="absent", ipv6_addresses=harness.addrs(*range(1, 26))), False, 3),
)


@pytest.mark.duration(5)
@pytest.mark.parametrize("lag", [0.0, COUNT_LAG], ids=["lag0", "lag%g" % COUNT_LAG])
@pytest.mark.parametrize("name, options, check_mode, writes", COUNTED, ids=[case[0] for case in COUNTED])
def test_api_calls_per_task(scenario, lag, name, options, check_mode, writes):
    """1 read; the writes (10 items a call); then reads until ECS shows the writes: 1 without lag. With lag, every
    confirming read but the last came before ECS could show the writes, and the last after."""
    scenario.seed(harness.standard_seed(addresses=harness.addrs(*range(1, 31)), quota=40))

    run = scenario.run(dict(options, network_interface_id=harness.ENI), check_mode=check_mode)

    scenario.judge("API calls: %s" % name, run, expect="unchanged" if check_mode else "goal", changed=bool(writes))
    calls = _task_calls(scenario)
    actions = _actions(calls)
    assert actions[: 1 + writes] == [READ] + ["UnassignIpv6Addresses"] * writes, actions
    confirming = calls[1 + writes :]
    assert set(_actions(confirming)) <= {LIST}, actions
    if not writes:
        assert confirming == [], actions
        return
    if not lag:
        assert len(confirming) == 1, actions
        return
    # Every confirming read but the last showed the ENI before the writes (none was wasted after ECS showed them),
    # and the last showed it after them (the task did not return early); the emulator notes which reads were stale.
    assert all(call["stale"] == [harness.ENI] for call in confirming[:-1]), confirming
    assert confirming[-1]["stale"] == [], confirming
