# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An action plugin of the collection as TaskExecutor builds it, with a stand-in task, connection and play context."""

from types import SimpleNamespace
from unittest import mock

from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

MODULE_RESULT = dict(changed=False, marker="from the module process")


def make_action(
    plugin_class, args, action, transport="local", check_mode=False, diff=False, environment=None, async_val=0
):
    """The action plugin for a task with these arguments; its _execute_module is a mock answering MODULE_RESULT."""
    task = SimpleNamespace(
        args=dict(args),
        action=action,
        async_val=async_val,
        check_mode=check_mode,
        diff=diff,
        environment=list(environment or []),
    )
    connection = mock.MagicMock(transport=transport, has_native_async=False)
    connection._shell.tmpdir = None
    play_context = SimpleNamespace(become=False, remote_addr="localhost")
    loader = DataLoader()
    plugin = plugin_class(task, connection, play_context, loader, Templar(loader=loader), None)
    plugin._execute_module = mock.MagicMock(return_value=dict(MODULE_RESULT))
    return plugin
