# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action plugin of ecs_eni_ipv6_info: the path it takes, and the same task either way (no network)."""

import os

import pytest
from ansible.module_utils.basic import AnsibleModule
from ansible_collections.alibabacloud.ecs.plugins.action.ecs_eni_ipv6_info import ActionModule
from ansible_collections.alibabacloud.ecs.plugins.module_utils._eni import eni_from_api
from ansible_collections.alibabacloud.ecs.plugins.modules import ecs_eni_ipv6_info
from ansible_collections.alibabacloud.ecs.tests.unit.plugins.action.actions import MODULE_RESULT, make_action
from ansible_collections.alibabacloud.ecs.tests.unit.plugins.fakes import exit_json, fail_json, run_module

SECRET = "unit-secret-value"
BASE_ARGS = dict(region="cn-hangzhou", access_key_id="LTAIunit", access_key_secret=SECRET)
ACTION = "alibabacloud.ecs.ecs_eni_ipv6_info"


@pytest.fixture
def filters(monkeypatch):
    """The EniFilter of each run, and the one ENI every run finds."""
    seen = []
    eni = eni_from_api(
        {
            "NetworkInterfaceId": "eni-test0001",
            "Status": "InUse",
            "Ipv6Sets": {"Ipv6Set": [{"Ipv6Address": "2408:4005:3a0:a100::1"}]},
        }
    )
    monkeypatch.setattr(ecs_eni_ipv6_info, "connect", lambda module: object())
    monkeypatch.setattr(ecs_eni_ipv6_info, "find_enis", lambda client, eni_filter: seen.append(eni_filter) or [eni])
    monkeypatch.setattr(AnsibleModule, "exit_json", exit_json)
    monkeypatch.setattr(AnsibleModule, "fail_json", fail_json)
    monkeypatch.delenv("ALIBABA_CLOUD_REGION_ID", raising=False)
    monkeypatch.delenv("ALICLOUD_REGION", raising=False)
    return seen


@pytest.mark.parametrize("check_mode", [False, True])
@pytest.mark.parametrize(
    "args", [dict(), dict(eni_ids=["eni-test0001"], status="InUse", tags={"env": "a"}), dict(vpc_id="vpc-a")]
)
def test_the_same_result_in_the_controller_as_in_a_module_process(filters, args, check_mode):
    args = dict(BASE_ARGS, **args)
    plugin = make_action(ActionModule, args, ACTION, check_mode=check_mode)
    result = plugin.run(task_vars={})
    expected = run_module(ecs_eni_ipv6_info.main, args, check_mode=check_mode)
    assert not plugin._execute_module.called
    assert dict((key, value) for key, value in result.items() if key != "invocation") == expected
    assert filters[0] == filters[1]
    assert result["invocation"]["module_args"]["access_key_secret"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


def test_the_variable_false_runs_the_module(filters):
    plugin = make_action(ActionModule, BASE_ARGS, ACTION)
    assert plugin.run(task_vars={"alibabacloud_ecs_controller_side": "no"}) == MODULE_RESULT
    assert plugin._execute_module.called and filters == []


def test_the_tasks_environment_reaches_the_fallbacks(filters, monkeypatch):
    seen = []
    monkeypatch.setattr(ecs_eni_ipv6_info, "connect", lambda module: seen.append(module.params["region"]))
    args = dict(access_key_id="LTAIunit", access_key_secret=SECRET)
    plugin = make_action(ActionModule, args, ACTION, environment=[{"ALICLOUD_REGION": "cn-beijing"}])
    result = plugin.run(task_vars={})
    assert seen == ["cn-beijing"] and result["changed"] is False
    assert "ALICLOUD_REGION" not in os.environ


def test_bad_input_fails_like_the_module(filters):
    args = dict(BASE_ARGS, status="Lost")
    plugin = make_action(ActionModule, args, ACTION)
    result = plugin.run(task_vars={})
    assert result["msg"] == run_module(ecs_eni_ipv6_info.main, args)["msg"]
    assert result["failed"] is True and filters == []
