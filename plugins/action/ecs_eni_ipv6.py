# -*- coding: utf-8 -*-
# Copyright: alibabacloud.ecs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The action of alibabacloud.ecs.ecs_eni_ipv6: the module's task, in the controller's worker on a local connection."""

from ansible_collections.alibabacloud.ecs.plugins.plugin_utils._controller_side import ControllerSideAction


class ActionModule(ControllerSideAction):
    """The module in the controller's worker on a local connection, else in a module process (see its notes)."""

    MODULE = "ecs_eni_ipv6"
