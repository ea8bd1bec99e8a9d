# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action plugin of ecs_eni_ipv6: the path it takes, and the same task either way (no network)."""

import os

import pytest
from ansible.module_utils.basic import AnsibleModule
from ansible_collections.alibabacloud.ecs.plugins.action.ecs_eni_ipv6 import ActionModule
from ansible_collections.alibabacloud.ecs.plugins.modules import ecs_eni_ipv6
from ansible_collections.alibabacloud.ecs.tests.unit.plugins.action.actions import MODULE_RESULT, make_action
from ansible_collections.alibabacloud.ecs.tests.unit.plugins.fakes import (
    FakeEcs,
    api_error,
    exit_json,
    fail_json,
    run_module,
)

A = ["2408:4005:3a0:a100::%x" % n for n in range(1, 41)]
SECRET = "unit-secret-value"
BASE_ARGS = dict(
    network_interface_id="eni-test0001",
    state="absent",
    region="cn-hangzhou",
    access_key_id="LTAIunit",
    access_key_secret=SECRET,
)
ACTION = "alibabacloud.ecs.ecs_eni_ipv6"


@pytest.fixture
def fakes(monkeypatch):
    """A fresh FakeEcs for each connect(), as each task makes its own client; the list of those handed out."""
    handed_out = []

    def connect(module):
        handed_out.append((FakeEcs(addresses=A[:12]), dict(module.params)))
        return handed_out[-1][0]

    monkeypatch.setattr(ecs_eni_ipv6, "connect", connect)
    monkeypatch.setattr(AnsibleModule, "exit_json", exit_json)
    monkeypatch.setattr(AnsibleModule, "fail_json", fail_json)
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    monkeypatch.delenv("ALIBABA_CLOUD_REGION_ID", raising=False)
    monkeypatch.delenv("ALICLOUD_REGION", raising=False)
    return handed_out


def in_controller(args, task_vars=None, **task):
    plugin = make_action(ActionModule, args, ACTION, **task)
    result = plugin.run(task_vars=task_vars or {})
    return result, plugin


def without_invocation(result):
    return dict((key, value) for key, value in result.items() if key != "invocation")


@pytest.mark.parametrize("check_mode", [False, True])
@pytest.mark.parametrize("diff", [False, True])
@pytest.mark.parametrize(
    "args",
    [
        dict(ipv6_addresses=[A[0], A[1]]),
        dict(ipv6_addresses=[A[30]]),
        dict(state="present", ipv6_addresses=[A[0]], purge_ipv6_addresses=True),
        dict(state="present", ipv6_address_count=2),
    ],
)
def test_the_same_result_in_the_controller_as_in_a_module_process(fakes, args, check_mode, diff):
    args = dict(BASE_ARGS, **args)
    result, plugin = in_controller(args, check_mode=check_mode, diff=diff)
    expected = run_module(ecs_eni_ipv6.main, args, check_mode=check_mode, diff=diff)
    assert not plugin._execute_module.called
    assert without_invocation(result) == expected
    (controller_ecs, controller_params), (module_ecs, module_params) = fakes
    assert controller_ecs.calls == module_ecs.calls, "the same API calls"
    assert controller_params == module_params
    assert ("diff" in result) is diff
    if check_mode:
        assert not [call for call in controller_ecs.calls if not call[0].startswith("Describe")]


def test_the_variable_false_runs_the_module(fakes):
    result, plugin = in_controller(BASE_ARGS, {"alibabacloud_ecs_controller_side": False})
    assert result == MODULE_RESULT
    plugin._execute_module.assert_called_once_with(task_vars={"alibabacloud_ecs_controller_side": False}, wrap_async=0)
    assert fakes == [], "run() was not called in the controller"


@pytest.mark.parametrize("task", [dict(transport="ssh"), dict(async_val=45)])
def test_a_task_that_is_not_local_or_is_async_runs_the_module(fakes, task):
    result, plugin = in_controller(BASE_ARGS, **task)
    assert result["marker"] == "from the module process"
    assert plugin._execute_module.called and fakes == []


def test_the_default_runs_in_the_controller_process(fakes):
    result, plugin = in_controller(dict(BASE_ARGS, ipv6_addresses=[A[0]]))
    assert not plugin._execute_module.called
    assert result["released_ipv6_addresses"] == [A[0]]
    assert len(fakes) == 1, "run() was called here, in this process (pid %d)" % os.getpid()


def test_the_tasks_environment_reaches_the_fallbacks(fakes):
    args = dict((key, value) for key, value in BASE_ARGS.items() if key != "region")
    result, plugin = in_controller(
        dict(args, ipv6_addresses=[A[0]]), environment=[{"ALIBABA_CLOUD_REGION_ID": "cn-shanghai"}, {}]
    )
    assert result["changed"] is True
    assert fakes[0][1]["region"] == "cn-shanghai"
    assert "ALIBABA_CLOUD_REGION_ID" not in os.environ


def test_no_log_values_are_masked_in_a_failure(monkeypatch, fakes):
    def connect(module):
        ecs = FakeEcs(addresses=A[:12])
        ecs.faults["DescribeNetworkInterfaceAttribute"] = [
            (api_error("SignatureDoesNotMatch", 400, "signature of %s does not match" % SECRET), False)
        ]
        return ecs

    monkeypatch.setattr(ecs_eni_ipv6, "connect", connect)
    result, plugin = in_controller(dict(BASE_ARGS, ipv6_addresses=[A[0]]))
    assert result["failed"] is True
    assert SECRET not in repr(result)
    assert "********" in result["msg"] and result["error"]["code"] == "SignatureDoesNotMatch"


def test_unsupported_parameters_fail_like_the_module(fakes):
    result, plugin = in_controller(dict(BASE_ARGS, ipv6_addresses=[A[0]], bogus=True))
    assert result["failed"] is True
    assert result["msg"].startswith("Unsupported parameters for (alibabacloud.ecs.ecs_eni_ipv6) module: bogus.")
    assert fakes == []
