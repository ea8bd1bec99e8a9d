# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tasks that name the instance (instance_id) and work on its primary ENI, found by one DescribeNetworkInterfaces
call filtered by InstanceId and Type=Primary: with stale reads, with faults on that call and on the write, and
with no primary ENI to find."""

import harness
import pytest

LIST = "DescribeNetworkInterfaces"
RELEASE = dict(instance_id=harness.INSTANCE, state="absent", ipv6_addresses=harness.addrs(1, 2))
COUNT = dict(instance_id=harness.INSTANCE, ipv6_address_count=9)
INTENTS = (("release 2", RELEASE), ("assign by count", COUNT))


def primary_seed():
    """The standard seed, with eni-rel0001 the primary ENI of i-rel0001."""
    return harness.standard_seed(eni_type="Primary")


def finding_calls(scenario):
    """The last task's DescribeNetworkInterfaces calls that looked for the instance's primary ENI."""
    task = scenario.control.calls()[scenario.first_call :]
    calls = [call for call in task if call["action"] == LIST and call["params"].get("InstanceId")]
    for call in calls:
        assert call["params"].get("InstanceId") == harness.INSTANCE, call
        assert call["params"].get("Type") == "Primary", call
    return calls


def assert_found_once(scenario):
    """The primary ENI was found by exactly one answered DescribeNetworkInterfaces call."""
    answered = [call for call in finding_calls(scenario) if call["status"] == 200]
    assert len(answered) == 1, harness.call_summary(scenario.control.calls()[scenario.first_call :])


@pytest.mark.duration(4)
@pytest.mark.parametrize("name, intent", INTENTS, ids=[case[0] for case in INTENTS])
def test_instance_task_with_stale_reads(scenario, name, intent):
    """With one stale read after each write, the task waits until ECS shows its writes; the same task right after
    has nothing to do (a count is not assigned twice)."""
    scenario.seed(primary_seed(), stale_reads=1)

    first = scenario.run(intent)

    scenario.judge("instance_id, stale reads: %s" % name, first, changed=True)
    assert first.result["network_interface_id"] == harness.ENI, first.describe()
    assert_found_once(scenario)
    task = scenario.control.calls()[scenario.first_call :]
    assert any(
        harness.ENI in call["stale"] for call in task if call["action"].startswith("Describe")
    ), harness.call_summary(task)

    second = scenario.run(intent)

    scenario.judge("instance_id, stale reads: %s again at once" % name, second, changed=False)
    assert_found_once(scenario)


FAULTS = (
    (
        "Throttling x3 on DescribeNetworkInterfaces",
        dict(action=LIST, kind="error", code="Throttling", status=400, count=3),
    ),
    (
        "ServiceUnavailable on the first DescribeNetworkInterfaces",
        dict(action=LIST, kind="error", code="ServiceUnavailable", status=503, count=1),
    ),
)


@pytest.mark.duration(4)
@pytest.mark.parametrize("fault_name, fault", FAULTS, ids=["throttled list", "503 on first list"])
@pytest.mark.parametrize("name, intent", INTENTS, ids=[case[0] for case in INTENTS])
def test_instance_task_with_faults_on_the_listing(scenario, lag, name, intent, fault_name, fault):
    """The listing that finds the primary ENI is retried until it goes through; the task then does its work once."""
    scenario.seed(primary_seed()).fault(**fault)

    run = scenario.run(intent)

    scenario.judge("instance_id, %s: %s" % (fault_name, name), run, changed=True)
    assert_found_once(scenario)
    assert len(finding_calls(scenario)) == fault["count"] + 1, harness.call_summary(
        scenario.control.calls()[scenario.first_call :]
    )


@pytest.mark.duration(3)
def test_instance_release_with_a_lost_answer(scenario, lag):
    """ECS applies the Unassign but its answer is lost: the task re-reads and does not release twice."""
    scenario.seed(primary_seed()).fault(action="UnassignIpv6Addresses", kind="drop_after_apply", count=1)

    run = scenario.run(RELEASE)

    scenario.judge("instance_id, answer lost after apply: release 2", run, changed=True)
    assert_found_once(scenario)
    assert scenario.control.faults() == []


NOT_FOUND = (
    ("instance unknown", primary_seed, "i-rel9999"),
    ("instance with no primary ENI", harness.standard_seed, harness.INSTANCE),
)


@pytest.mark.duration(1)
@pytest.mark.parametrize("name, seed, instance", NOT_FOUND, ids=[case[0] for case in NOT_FOUND])
def test_no_primary_eni(scenario, name, seed, instance):
    """No primary ENI to find: a clean failure with PrimaryEniNotFound, and no write."""
    scenario.seed(seed())

    run = scenario.run(dict(RELEASE, instance_id=instance))

    scenario.judge("instance_id, %s" % name, run, expect="fail")
    assert run.code == "PrimaryEniNotFound", run.describe()
    task = scenario.control.calls()[scenario.first_call :]
    assert not harness.write_log(task), harness.call_summary(task)
    assert run.result.get("changed") is False, run.describe()
