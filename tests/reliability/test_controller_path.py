# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The controller path is what it says: the task ran through run_in_process, and no AnsibleModule was built."""

import harness
import pytest


@pytest.mark.duration(1)
def test_the_path_is_the_one_named(scenario, path):
    """On the controller path the runner's sentinel names run_in_process's module, and the run succeeds although
    the runner refuses to build an AnsibleModule; on the module path there is no sentinel."""
    scenario.seed()

    run = scenario.run(harness.RELEASE)

    scenario.judge("path: release 2", run, changed=True)
    entries = [line for line in run.stderr.splitlines() if line.startswith(harness.CONTROLLER_SENTINEL)]
    if path == "controller":
        assert entries == [
            harness.CONTROLLER_SENTINEL + " ansible_collections.alibabacloud.ecs.plugins.plugin_utils._controller_side"
        ], run.describe()
    else:
        assert entries == [], run.describe()
