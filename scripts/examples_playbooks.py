# -*- coding: utf-8 -*-
# Copyright: alibabacloud.ecs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write each module's EXAMPLES as a playbook, so that ansible-lint checks them as users will copy them.

ansible-lint does not read the examples in a module's documentation. Usage: examples_playbooks.py COLLECTION_DIR
OUTPUT_DIR; writes OUTPUT_DIR/examples_<module>.yml, whose tasks are the EXAMPLES text unchanged (indented).
"""

import ast
import os
import sys

PLAY = """---
# The EXAMPLES of alibabacloud.ecs.{module}, taken from {source} by scripts/examples_playbooks.py.
- name: Examples of alibabacloud.ecs.{module}
  hosts: localhost
  gather_facts: false
  tasks:
{tasks}
"""


def examples_of(path):
    """The EXAMPLES string of a module file, read without importing it."""
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read(), path)
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(target, "id", None) == "EXAMPLES" for target in node.targets):
            return node.value.value
    raise SystemExit("%s has no EXAMPLES" % path)


def main():
    """Write one playbook per module."""
    collection, output = sys.argv[1:3]
    modules = os.path.join(collection, "plugins", "modules")
    os.makedirs(output, exist_ok=True)
    for name in sorted(os.listdir(modules)):
        if not name.endswith(".py") or name.startswith("_"):
            continue
        module = name[:-3]
        lines = examples_of(os.path.join(modules, name)).strip("\n").splitlines()
        tasks = "\n".join("    " + line if line.strip() else "" for line in lines)
        source = "plugins/modules/" + name
        with open(os.path.join(output, "examples_%s.yml" % module), "w", encoding="utf-8") as handle:
            handle.write(PLAY.format(module=module, source=source, tasks=tasks))


if __name__ == "__main__":
    main()
