# -*- coding: utf-8 -*-
# Copyright: alibabacloud.ecs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Running a task of this collection in the controller's worker process instead of a module process.

Private to the alibabacloud.ecs collection: not a public API, may change without notice.

A task on a local connection would start a module process that imports the ECS SDK anew, for every task and every
loop item. The action plugins of the collection (plugins/action/) run the module's own ``run(module)`` in the worker
instead, when `choose_path` allows it, with a `TaskModule` standing in for ``AnsibleModule``: the task's arguments
are validated against the module's own argument spec, with the messages ``AnsibleModule`` gives, the environment
fallbacks see the task's ``environment:`` keyword, and every no_log value is masked in the result.
"""

import collections
import importlib
import os
import traceback
from contextlib import contextmanager

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.errors import UnsupportedError
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display
from ansible.utils.vars import merge_hash

display = Display()

# The play variable that turns the controller-side path off (default: on).
CONTROLLER_SIDE_VARIABLE = "alibabacloud_ecs_controller_side"

SdkRequirement = collections.namedtuple("SdkRequirement", ["distribution", "minimum", "below"])
SdkRequirement.__doc__ = "A distribution the modules import, at a version from `minimum` up to, not including, `below`."

# The SDK versions requirements.txt allows (a unit test holds the two equal). Another version may well work in a
# module process, where the user chose it; the controller-side path takes no such chance.
SDK_REQUIREMENTS = (
    SdkRequirement("alibabacloud-ecs20140526", "7.11.8", "8"),
    SdkRequirement("alibabacloud-tea-openapi", "0.4.6", "0.5"),
    SdkRequirement("darabonba-core", "1.0.9", "2"),
    SdkRequirement("alibabacloud-credentials", "1.0.12", "2"),
)

# The module_utils file that imports the SDK and tells whether that worked (HAS_SDK).
SDK_BORDER = "ansible_collections.alibabacloud.ecs.plugins.module_utils._sdk"
MODULES_PACKAGE = "ansible_collections.alibabacloud.ecs.plugins.modules"

PathChoice = collections.namedtuple("PathChoice", ["in_process", "reason"])
PathChoice.__doc__ = "Whether the task runs in the controller's worker (in_process) and why (a phrase for -vvv)."

_SDK_PROBLEM = []


def sdk_problem():
    """Why the SDK cannot be used in this Python (a phrase), or None when it can. Worked out once per process."""
    if not _SDK_PROBLEM:
        _SDK_PROBLEM.append(_find_sdk_problem())
    return _SDK_PROBLEM[0]


def _find_sdk_problem():
    # Imported here: only a task that may run in the controller needs them.
    from importlib import metadata

    from packaging.version import InvalidVersion, Version

    for requirement in SDK_REQUIREMENTS:
        try:
            installed = metadata.version(requirement.distribution)
        except metadata.PackageNotFoundError:
            return "%s is not installed in the controller's Python" % requirement.distribution
        try:
            version = Version(installed)
        except InvalidVersion:
            return "%s has the version %r, which is not a version number" % (requirement.distribution, installed)
        if not Version(requirement.minimum) <= version < Version(requirement.below):
            return "the controller's Python has %s %s, not >=%s,<%s" % (
                requirement.distribution,
                installed,
                requirement.minimum,
                requirement.below,
            )
    border = importlib.import_module(SDK_BORDER)
    if not border.HAS_SDK:
        return "the SDK does not import in the controller's Python"
    return None


def choose_path(action, task_vars):
    """Where the task of this action plugin runs: PathChoice(in_process, reason).

    In the controller's worker when the connection is local, without become or async, the play has not set
    alibabacloud_ecs_controller_side to false, and the SDK imports at the versions requirements.txt allows;
    otherwise in a module process, as for any module. A task delegated to another host runs there, with that
    host's SDK and credentials.
    """
    wanted = action._templar.template(task_vars.get(CONTROLLER_SIDE_VARIABLE, True))
    try:
        wanted = boolean(wanted, strict=True)
    except TypeError:
        raise AnsibleActionFail("%s must be true or false, not %r." % (CONTROLLER_SIDE_VARIABLE, wanted)) from None
    if not wanted:
        return PathChoice(False, "%s is false" % CONTROLLER_SIDE_VARIABLE)
    transport = getattr(action._connection, "transport", None)
    if transport != "local":
        return PathChoice(False, "the connection is %s, not local" % transport)
    if action._task.async_val:
        return PathChoice(False, "the task is async")
    if action._play_context.become:
        # The module would run as the become user, with that user's environment and CLI profiles.
        return PathChoice(False, "the task uses become")
    problem = sdk_problem()
    if problem:
        return PathChoice(False, problem)
    return PathChoice(True, "the connection is local")


def task_environment(action):
    """The variables the task's environment: keyword adds to a module's environment, as strings."""
    raw = {}
    action._compute_environment_string(raw)
    return dict((str(name), str(value)) for name, value in raw.items())


@contextmanager
def environment_of(added):
    """os.environ as a module process of the task would see it (the worker's plus `added`), restored afterwards."""
    saved = dict((name, os.environ.get(name)) for name in added)
    os.environ.update(added)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class TaskEnded(Exception):
    """exit_json or fail_json was called; args[0] is the task's result."""


class TaskModule(object):
    """What the modules' run(module) uses of AnsibleModule, for a run in the controller's worker.

    exit_json and fail_json raise TaskEnded with the result as AnsibleModule would print it: with the invocation,
    the warnings and deprecations, and every no_log value masked.
    """

    def __init__(self, params, check_mode, diff, no_log_values):
        self.params = params
        self.check_mode = check_mode
        self._diff = diff
        self.no_log_values = set(no_log_values)
        self._warnings = []
        self._deprecations = []

    def warn(self, warning):
        """Add a warning to the task's result."""
        if warning not in self._warnings:
            self._warnings.append(warning)

    def deprecate(self, msg, version=None, date=None, collection_name=None):
        """Add a deprecation to the task's result."""
        deprecation = dict(msg=msg, collection_name=collection_name)
        deprecation.update(dict(date=date) if date is not None else dict(version=version))
        self._deprecations.append(deprecation)

    def exit_json(self, **result):
        """End the task."""
        raise TaskEnded(self._formatted(result))

    def fail_json(self, msg, **result):
        """End the task with a failure; `exception` may be a formatted traceback or an exception."""
        exception = result.pop("exception", None)
        if isinstance(exception, BaseException):
            exception = "".join(traceback.format_exception(type(exception), exception, exception.__traceback__))
        if exception:
            result["exception"] = exception
        result.update(failed=True, msg=str(msg))
        raise TaskEnded(self._formatted(result))

    def _formatted(self, result):
        result.setdefault("invocation", dict(module_args=self.params))
        if self._warnings:
            result["warnings"] = list(self._warnings)
        if self._deprecations:
            result["deprecations"] = list(self._deprecations)
        # As AnsibleModule does: booleans and None at the top are kept as they are, even if a secret spells the same.
        kept = dict((key, value) for key, value in result.items() if value is None or isinstance(value, bool))
        masked = remove_values(result, self.no_log_values)
        masked.update(kept)
        return masked


def run_in_process(run, argument_spec, args, module_name, check_mode, diff, environment, option_rules=None):
    """Run a module's run(module) here on the task's arguments; return the result the module would give.

    The arguments are validated against the module's argument spec and its option_rules (mutually_exclusive,
    required_one_of and the like, as AnsibleModule takes them) first, with AnsibleModule's messages, and the
    environment fallbacks of the spec, like run() itself, see os.environ with `environment` (the task's
    environment: keyword) added, as a module process of the task would.
    """
    with environment_of(environment):
        # ArgumentSpecValidator is what ModuleArgumentSpecValidator (AnsibleModule's) builds on: the latter only
        # hands the alias warnings and deprecations to process-wide lists, which here go into the result instead.
        validation = ArgumentSpecValidator(argument_spec, **(option_rules or {})).validate(args)
        # As AnsibleModule.params: the arguments as given (unsupported ones too), with the validated values.
        params = dict(args)
        params.update(validation.validated_parameters)
        module = TaskModule(params, check_mode, diff, validation._no_log_values)
        for deprecation in validation._deprecations:
            module.deprecate(
                deprecation["msg"],
                version=deprecation.get("version"),
                date=deprecation.get("date"),
                collection_name=deprecation.get("collection_name"),
            )
        for warning in validation._warnings:
            module.warn("Both option {option} and its alias {alias} are set.".format(**warning))
        try:
            if validation.errors.errors:
                message = validation.errors.msg
                if isinstance(validation.errors.errors[0], UnsupportedError):
                    message = "Unsupported parameters for ({name}) {kind}: {msg}".format(
                        name=module_name, kind="module", msg=message
                    )
                module.fail_json(msg=message)
            run(module)
            module.fail_json(msg="%s ended without a result." % module_name)
        except TaskEnded as ended:
            return ended.args[0]


class ControllerSideAction(ActionBase):
    """The action plugin of a module of this collection: the module's task, in the worker when choose_path allows.

    A subclass names the module (its file under plugins/modules, which has ARGUMENT_SPEC and run(module)).
    Otherwise the module runs in a module process, exactly as without an action plugin (ansible.builtin.normal).
    """

    MODULE = None
    _supports_check_mode = True
    _supports_async = True

    def run(self, tmp=None, task_vars=None):
        result = super(ControllerSideAction, self).run(tmp, task_vars)
        del tmp  # tmp no longer has any effect
        choice = choose_path(self, task_vars or {})
        display.vvv(
            "%s: %s, so it runs %s"
            % (self._task.action, choice.reason, "in the controller's worker" if choice.in_process else "as a module"),
            host=self._play_context.remote_addr,
        )
        if choice.in_process:
            module = importlib.import_module("%s.%s" % (MODULES_PACKAGE, self.MODULE))
            result.update(
                run_in_process(
                    module.run,
                    module.ARGUMENT_SPEC,
                    self._task.args,
                    self._task.action,
                    check_mode=bool(self._task.check_mode),
                    diff=bool(self._task.diff),
                    environment=task_environment(self),
                    option_rules=module.OPTION_RULES,
                )
            )
            return result
        wrap_async = self._task.async_val and not self._connection.has_native_async
        result = merge_hash(result, self._execute_module(task_vars=task_vars, wrap_async=wrap_async))
        if not wrap_async:
            # remove a temporary path we created
            self._remove_tmp_path(self._connection._shell.tmpdir)
        return result
