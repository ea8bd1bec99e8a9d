# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The controller-side path: which path a task takes, and a module's task run in process the way AnsibleModule runs it."""

import os
import re
from types import SimpleNamespace

import pytest
from ansible.errors import AnsibleActionFail
from ansible.module_utils.basic import AnsibleModule
from ansible_collections.alibabacloud.ecs.plugins.modules import ecs_eni_ipv6, ecs_eni_ipv6_info
from ansible_collections.alibabacloud.ecs.plugins.plugin_utils import _controller_side
from ansible_collections.alibabacloud.ecs.plugins.plugin_utils._controller_side import (
    SDK_REQUIREMENTS,
    TaskModule,
    choose_path,
    environment_of,
    run_in_process,
)
from ansible_collections.alibabacloud.ecs.tests.unit.plugins.fakes import exit_json, fail_json, run_module

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
SECRET = "unit-secret-value"
BASE_ARGS = dict(region="cn-hangzhou", access_key_id="LTAIunit", access_key_secret=SECRET)
FALLBACK_VARIABLES = (
    "ALIBABA_CLOUD_REGION_ID",
    "ALICLOUD_REGION",
    "ALIBABA_CLOUD_ACCESS_KEY_ID",
    "ALICLOUD_ACCESS_KEY",
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    "ALICLOUD_SECRET_KEY",
    "ALIBABA_CLOUD_SECURITY_TOKEN",
    "ALICLOUD_SECURITY_TOKEN",
    "ALIBABA_CLOUD_PROFILE",
    "ALIBABA_CLOUD_ECS_ENDPOINT",
)


@pytest.fixture(autouse=True)
def no_fallback_variables(monkeypatch):
    for name in FALLBACK_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def test_sdk_requirements_are_those_of_requirements_txt():
    with open(os.path.join(ROOT, "requirements.txt"), encoding="utf-8") as lines:
        listed = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    expected = [re.match(r"^([A-Za-z0-9_.-]+)>=([^,]+),<(.+)$", line).groups() for line in listed]
    assert [tuple(requirement) for requirement in SDK_REQUIREMENTS] == expected


@pytest.fixture
def fresh_sdk_problem(monkeypatch):
    monkeypatch.setattr(_controller_side, "_SDK_PROBLEM", [])


def test_the_sdk_of_requirements_txt_is_usable(fresh_sdk_problem):
    assert _controller_side.sdk_problem() is None


@pytest.mark.parametrize(
    "installed, problem",
    [
        (dict(), "alibabacloud-ecs20140526 is not installed in the controller's Python"),
        (dict(darabonba_core="2.0.1"), "the controller's Python has darabonba-core 2.0.1, not >=1.0.9,<2"),
        (dict(alibabacloud_tea_openapi="0.4.5"), "the controller's Python has alibabacloud-tea-openapi 0.4.5"),
    ],
)
def test_an_sdk_outside_requirements_txt_is_a_problem(monkeypatch, fresh_sdk_problem, installed, problem):
    from importlib import metadata

    def version(distribution):
        if not installed:
            raise metadata.PackageNotFoundError(distribution)
        return installed.get(
            distribution.replace("-", "_"), dict((r.distribution, r.minimum) for r in SDK_REQUIREMENTS)[distribution]
        )

    monkeypatch.setattr(metadata, "version", version)
    assert _controller_side.sdk_problem().startswith(problem)


def test_an_sdk_that_does_not_import_is_a_problem(monkeypatch, fresh_sdk_problem):
    monkeypatch.setattr(__import__(_controller_side.SDK_BORDER, fromlist=["HAS_SDK"]), "HAS_SDK", False)
    assert _controller_side.sdk_problem() == "the SDK does not import in the controller's Python"


def action(transport="local", async_val=0, become=False):
    """What choose_path reads of an action plugin."""
    return SimpleNamespace(
        _templar=SimpleNamespace(template=lambda value: value),
        _connection=SimpleNamespace(transport=transport),
        _task=SimpleNamespace(async_val=async_val),
        _play_context=SimpleNamespace(become=become),
    )


@pytest.mark.parametrize(
    "plugin, task_vars, in_process, reason",
    [
        (action(), {}, True, "the connection is local"),
        (action(), {"alibabacloud_ecs_controller_side": "yes"}, True, "the connection is local"),
        (action(), {"alibabacloud_ecs_controller_side": False}, False, "alibabacloud_ecs_controller_side is false"),
        (action(), {"alibabacloud_ecs_controller_side": "false"}, False, "alibabacloud_ecs_controller_side is false"),
        (action(transport="ssh"), {}, False, "the connection is ssh, not local"),
        (action(async_val=30), {}, False, "the task is async"),
        (action(become=True), {}, False, "the task uses become"),
    ],
)
def test_choose_path(plugin, task_vars, in_process, reason):
    assert choose_path(plugin, task_vars) == (in_process, reason)


def test_choose_path_takes_the_module_when_the_sdk_is_not_usable(monkeypatch):
    monkeypatch.setattr(
        _controller_side, "_SDK_PROBLEM", ["darabonba-core is not installed in the controller's Python"]
    )
    assert choose_path(action(), {}) == (False, "darabonba-core is not installed in the controller's Python")


def test_choose_path_refuses_a_variable_that_is_not_a_boolean():
    with pytest.raises(AnsibleActionFail, match="alibabacloud_ecs_controller_side must be true or false, not 'maybe'"):
        choose_path(action(), {"alibabacloud_ecs_controller_side": "maybe"})


def test_environment_of_adds_and_restores(monkeypatch):
    monkeypatch.setenv("ALIBABA_CLOUD_PROFILE", "before")
    with environment_of({"ALIBABA_CLOUD_PROFILE": "during", "ALIBABA_CLOUD_REGION_ID": "cn-beijing"}):
        assert os.environ["ALIBABA_CLOUD_PROFILE"] == "during"
        assert os.environ["ALIBABA_CLOUD_REGION_ID"] == "cn-beijing"
    assert os.environ["ALIBABA_CLOUD_PROFILE"] == "before"
    assert "ALIBABA_CLOUD_REGION_ID" not in os.environ


def by_ansible_module(monkeypatch, module, args, name):
    """The result of AnsibleModule's validation and the module's run(), as the module process gives it."""
    monkeypatch.setattr(AnsibleModule, "exit_json", exit_json)
    monkeypatch.setattr(AnsibleModule, "fail_json", fail_json)
    return run_module(module.main, dict(args, _ansible_module_name=name))


def in_process(module, args, name, check_mode=False, diff=True, environment=None):
    return run_in_process(
        module.run, module.ARGUMENT_SPEC, args, name, check_mode, diff, environment or {}, module.OPTION_RULES
    )


@pytest.mark.parametrize(
    "module, args",
    [
        (ecs_eni_ipv6, dict(BASE_ARGS, network_interface_id="eni-a", bogus=1, other=2)),
        (ecs_eni_ipv6, dict(BASE_ARGS)),
        (ecs_eni_ipv6, dict(BASE_ARGS, network_interface_id="eni-a", state="gone")),
        (ecs_eni_ipv6, dict(BASE_ARGS, network_interface_id="eni-a", ipv6_address_count="many")),
        (ecs_eni_ipv6, dict(BASE_ARGS, network_interface_id="eni-a", wait="sometimes")),
        (ecs_eni_ipv6, dict(BASE_ARGS, network_interface_id="eni-a", ipv6_addresses={"a": 1})),
        (ecs_eni_ipv6, dict(BASE_ARGS, network_interface_id="eni-a", instance_id="i-a", state="absent")),
        (ecs_eni_ipv6_info, dict(BASE_ARGS, status="Lost")),
        (ecs_eni_ipv6_info, dict(BASE_ARGS, tags="env")),
        (ecs_eni_ipv6_info, dict(BASE_ARGS, vpc=1)),
    ],
)
@pytest.mark.parametrize("name", ["alibabacloud.ecs.module", "module"])
def test_validation_fails_with_ansible_modules_message(monkeypatch, module, args, name):
    name = name.replace("module", module.__name__.rsplit(".", 1)[-1])
    expected = by_ansible_module(monkeypatch, module, args, name)
    result = in_process(module, args, name)
    assert result["failed"] is True
    assert result["msg"] == expected["msg"]
    assert SECRET not in repr(result)
    assert result["invocation"]["module_args"]["access_key_secret"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


def test_aliases_and_defaults_are_those_of_ansible_module(monkeypatch):
    args = dict(BASE_ARGS, eni_id="eni-a", network_interface_id="eni-a", secret_key=SECRET)
    captured = []
    monkeypatch.setattr(
        ecs_eni_ipv6, "Goal", SimpleNamespace(from_params=lambda params: captured.append(params) or 1 / 0)
    )
    with pytest.raises(ZeroDivisionError):
        in_process(ecs_eni_ipv6, args, "ecs_eni_ipv6")
    with pytest.raises(ZeroDivisionError):
        by_ansible_module(monkeypatch, ecs_eni_ipv6, args, "ecs_eni_ipv6")
    assert captured[0] == captured[1]
    assert captured[0]["state"] == "present" and captured[0]["wait_timeout"] == 300


def test_the_environment_fallbacks_see_the_tasks_environment(monkeypatch):
    seen = []

    def run(module):
        seen.append((dict(module.params), os.environ.get("ALIBABA_CLOUD_ACCESS_KEY_SECRET")))
        module.exit_json(changed=False)

    spec = ecs_eni_ipv6_info.ARGUMENT_SPEC
    environment = {"ALIBABA_CLOUD_REGION_ID": "cn-beijing", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": SECRET}
    result = run_in_process(run, spec, dict(access_key_id="LTAIunit"), "ecs_eni_ipv6_info", False, False, environment)
    params, secret_seen_by_run = seen[0]
    assert params["region"] == "cn-beijing"
    assert params["access_key_secret"] == SECRET
    # The SDK's own credential chain reads the environment while run() runs, as in a module process.
    assert secret_seen_by_run == SECRET
    assert "ALIBABA_CLOUD_ACCESS_KEY_SECRET" not in os.environ
    assert result["invocation"]["module_args"]["access_key_secret"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


def test_a_task_argument_wins_over_the_environment():
    seen = []
    result = run_in_process(
        lambda module: seen.append(module.params["region"]) or module.exit_json(changed=False),
        ecs_eni_ipv6_info.ARGUMENT_SPEC,
        dict(BASE_ARGS),
        "ecs_eni_ipv6_info",
        False,
        False,
        {"ALIBABA_CLOUD_REGION_ID": "cn-beijing"},
    )
    assert seen == ["cn-hangzhou"] and result["changed"] is False


def test_every_no_log_value_is_masked_in_the_result_and_the_message():
    token = "unit-sts-token"

    def run(module):
        module.warn("the secret is %s" % SECRET)
        module.fail_json(msg="failed with %s and %s" % (SECRET, token), echoed={"secret": SECRET, "list": [token]})

    args = dict(BASE_ARGS, security_token=token)
    result = run_in_process(run, ecs_eni_ipv6_info.ARGUMENT_SPEC, args, "ecs_eni_ipv6_info", False, False, {})
    assert SECRET not in repr(result) and token not in repr(result)
    assert result["msg"] == "failed with ******** and ********"
    assert result["warnings"] == ["the secret is ********"]
    assert result["failed"] is True


def test_check_mode_and_diff_reach_run():
    seen = []

    def run(module):
        seen.append((module.check_mode, module._diff))
        module.exit_json(changed=False)

    for check_mode, diff in ((True, False), (False, True)):
        run_in_process(run, ecs_eni_ipv6_info.ARGUMENT_SPEC, dict(BASE_ARGS), "m", check_mode, diff, {})
    assert seen == [(True, False), (False, True)]


def test_alias_warnings_and_deprecations_go_into_the_result():
    spec = dict(name=dict(type="str", aliases=["old"], deprecated_aliases=[dict(name="old", version="9.0.0")]))
    result = run_in_process(
        lambda module: module.exit_json(changed=False), spec, dict(name="a", old="a"), "m", False, False, {}
    )
    assert result["warnings"] == ["Both option name and its alias old are set."]
    assert result["deprecations"][0]["msg"] == "Alias 'old' is deprecated. See the module docs for more information"
    assert result["deprecations"][0]["version"] == "9.0.0"


def test_a_run_that_ends_without_a_result_fails():
    result = run_in_process(
        lambda module: None, ecs_eni_ipv6_info.ARGUMENT_SPEC, dict(BASE_ARGS), "m", False, False, {}
    )
    assert result["failed"] is True and result["msg"] == "m ended without a result."


def test_fail_json_keeps_a_traceback_and_formats_an_exception():
    module = TaskModule(dict(), False, False, [])
    for exception, expected in (("Traceback: text", "Traceback: text"), (ValueError("bad"), "ValueError: bad\n")):
        with pytest.raises(_controller_side.TaskEnded) as ended:
            module.fail_json(msg="failed", exception=exception)
        assert ended.value.args[0]["exception"].endswith(expected)


def test_booleans_at_the_top_stay_when_a_secret_spells_the_same():
    module = TaskModule(dict(), False, False, ["True", "1"])
    with pytest.raises(_controller_side.TaskEnded) as ended:
        module.exit_json(changed=True, count=1)
    assert ended.value.args[0]["changed"] is True
