# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Someone else changes the ENI between the task's read and its write."""

import harness
import pytest

A = harness.addr
RACES = (
    (
        "release 2, someone released 1 of them",
        harness.RELEASE,
        "UnassignIpv6Addresses",
        dict(remove_ipv6_addresses=[A(1)]),
        True,
    ),
    (
        "release 2, someone released both",
        harness.RELEASE,
        "UnassignIpv6Addresses",
        dict(remove_ipv6_addresses=[A(1), A(2)]),
        False,
    ),
    (
        "release prefix, someone released it",
        harness.RELEASE_PREFIX,
        "UnassignIpv6Addresses",
        dict(remove_ipv6_prefixes=[harness.prefix(1)]),
        False,
    ),
    (
        "assign 2, someone assigned 1 of them here",
        harness.ASSIGN,
        "AssignIpv6Addresses",
        dict(add_ipv6_addresses=[A(0x10)]),
        True,
    ),
    (
        "assign 2, someone assigned both here",
        harness.ASSIGN,
        "AssignIpv6Addresses",
        dict(add_ipv6_addresses=[A(0x10), A(0x11)]),
        False,
    ),
    (
        "purge, someone released 1 of those to purge",
        harness.PURGE,
        "UnassignIpv6Addresses",
        dict(remove_ipv6_addresses=[A(3)]),
        True,
    ),
    (
        "purge, someone assigned the wanted one here",
        harness.PURGE,
        "AssignIpv6Addresses",
        dict(add_ipv6_addresses=[A(0x10)]),
        True,
    ),
)


@pytest.mark.duration(2)
@pytest.mark.parametrize("name, intent, action, change, changed", RACES, ids=[race[0] for race in RACES])
def test_concurrent_change_between_read_and_write(scenario, lag, name, intent, action, change, changed):
    """The task reaches its goal without failing, and reports as its own only what it changed."""
    mutation = dict(change, network_interface_id=harness.ENI)
    scenario.seed().fault(action=action, kind="mutate_before", mutation=mutation, count=1)

    run = scenario.run(intent)

    scenario.judge("race: %s" % name, run, changed=changed, mutation=mutation)


@pytest.mark.duration(2)
def test_wanted_address_taken_by_another_eni(scenario, lag):
    """Someone assigns a wanted address to another ENI first: the goal cannot be reached; a clean failure."""
    mutation = dict(network_interface_id=harness.NEIGHBOUR, add_ipv6_addresses=[A(0x10)])
    scenario.seed().fault(action="AssignIpv6Addresses", kind="mutate_before", mutation=mutation, count=1)

    run = scenario.run(harness.ASSIGN)

    scenario.judge("race: assign 2, someone took 1 for another ENI", run, expect="fail", mutation=mutation)
    assert run.code == "InvalidIp.IpAssigned", "%s\n%s" % (run.msg, harness.call_summary(scenario.control.calls()))
    assert harness.NEIGHBOUR in run.msg, run.msg
    assert run.result["error"]["request_id"]
