# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ENIs and instances in transition: states that settle, states that do not, and wait: false."""

import harness
import pytest

# A task that does not wait reads the ENI once (a refused write may follow: a wait would read again), and ends
# well before the wait_timeout. The time bound is loose: on a loaded machine a module process can take 10 s to
# start and fail.
NO_WAIT_SECONDS = 25.0


def assert_did_not_wait(scenario, run):
    actions = [call["action"] for call in scenario.control.calls()]
    assert (
        actions.count("DescribeNetworkInterfaceAttribute") == 1 and "DescribeNetworkInterfaces" not in actions
    ), actions
    assert run.seconds < NO_WAIT_SECONDS, run.seconds


SETTLING = (
    ("ENI Attaching -> InUse", dict(eni_status="Attaching"), dict(network_interface_id=harness.ENI, status="InUse")),
    (
        "ENI Detaching -> Available",
        dict(eni_status="Detaching"),
        dict(network_interface_id=harness.ENI, status="Available"),
    ),
    (
        "instance Starting -> Running",
        dict(instance_status="Starting"),
        dict(instance_id=harness.INSTANCE, status="Running"),
    ),
    (
        "instance Stopping -> Stopped",
        dict(instance_status="Stopping"),
        dict(instance_id=harness.INSTANCE, status="Stopped"),
    ),
)
STUCK = (
    ("ENI Attaching", dict(eni_status="Attaching"), "Attaching"),
    ("instance Pending", dict(instance_status="Pending"), "Pending"),
)


@pytest.mark.duration(4)
@pytest.mark.parametrize("name, seed, settle", SETTLING, ids=[case[0] for case in SETTLING])
@pytest.mark.parametrize("intent_name, intent", [("release", harness.RELEASE), ("assign", harness.ASSIGN)])
def test_transition_that_settles_is_waited_for(scenario, lag, name, seed, settle, intent_name, intent):
    """The task waits (polling with backoff) until the state settles 2 s later, then writes once."""
    scenario.seed(harness.standard_seed(**seed))
    scenario.control.schedule(delay=2, **settle)

    run = scenario.run(dict(intent, wait_timeout=30))

    scenario.judge("wait: %s after 2 s, %s" % (name, intent_name), run, changed=True, extra_faults=1)
    assert run.seconds >= 2.0
    assert [write[1] for write in harness.write_log(scenario.control.calls())].count(True) == 1


@pytest.mark.duration(5)
@pytest.mark.parametrize("name, seed, state", STUCK, ids=[case[0] for case in STUCK])
def test_transition_that_does_not_settle_fails_at_wait_timeout(scenario, lag, name, seed, state):
    """The task gives up at wait_timeout, naming the state, and writes nothing."""
    scenario.seed(harness.standard_seed(**seed))

    run = scenario.run(dict(harness.RELEASE, wait_timeout=3))

    scenario.judge("wait: %s never settles, wait_timeout 3" % name, run, expect="fail", extra_faults=1)
    run.assert_clean_failure(state, "wait_timeout")
    assert run.code == "WaitTimeout"
    # By the emulator's clock (a module process can take seconds to start on a loaded machine): the task read
    # for the wait_timeout, and stopped within a pause of it.
    calls = scenario.control.calls()
    assert run.seconds >= 3.0
    assert calls[-1]["time"] - calls[0]["time"] < 3.0 + 2.0, harness.call_summary(calls)


@pytest.mark.duration(2)
@pytest.mark.parametrize("name, seed, state", STUCK, ids=[case[0] for case in STUCK])
def test_wait_false_fails_at_once_naming_the_state(scenario, lag, name, seed, state):
    scenario.seed(harness.standard_seed(**seed))

    run = scenario.run(dict(harness.RELEASE, wait=False, wait_timeout=60))

    scenario.judge("wait false: %s" % name, run, expect="fail", extra_faults=1)
    run.assert_clean_failure(state)
    assert run.code in ("InvalidOperation.InvalidEniState", "InvalidOperation.InvalidEcsState")
    assert_did_not_wait(scenario, run)


@pytest.mark.duration(2)
def test_eni_being_deleted_is_not_waited_for(scenario, lag):
    """Deleting is not a transition that ends in a writable state: fail at once, naming it."""
    scenario.seed(harness.standard_seed(eni_status="Deleting"))

    run = scenario.run(dict(harness.RELEASE, wait_timeout=60))

    scenario.judge("wait: ENI Deleting (not transitional)", run, expect="fail", extra_faults=1)
    run.assert_clean_failure("Deleting")
    assert_did_not_wait(scenario, run)


@pytest.mark.duration(2)
def test_check_mode_does_not_wait(scenario):
    scenario.seed(harness.standard_seed(eni_status="Attaching"))

    run = scenario.run(dict(harness.RELEASE, wait_timeout=60), check_mode=True)

    scenario.judge("check mode on an Attaching ENI", run, expect="unchanged", extra_faults=1)
    assert run.result["changed"] is True
    assert_did_not_wait(scenario, run)
