# Copyright: alibabacloud.ecs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Take the newest versions of the tools pinned in constraints.txt, on purpose (make tools-bump).

pip resolves every `name==version` line of constraints.txt together, unpinned (`pip install --dry-run --report`,
nothing is installed), with the Python that runs this script (.venv's, the one the tool sessions run on). The
newest versions that fit together replace the pins, and each change is printed. `git diff constraints.txt` shows
them again, and `make test` shows what they change; commit them with what the new versions ask for, or leave them.
The `ansible-core<=` line (the top of the ansible-test matrix) is raised by hand when ansible-core has a release.
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

CONSTRAINTS = Path(__file__).resolve().parents[1] / "constraints.txt"


def main():
    lines = CONSTRAINTS.read_text(encoding="utf-8").splitlines()
    pins = {}
    for number, line in enumerate(lines):
        if line and not line.startswith("#") and "==" in line:
            pins[canonicalize_name(Requirement(line).name)] = number
    with tempfile.TemporaryDirectory() as work:
        report = Path(work) / "report.json"
        command = [sys.executable, "-m", "pip", "install", "-q", "--dry-run", "--ignore-installed", "--report"]
        subprocess.run(command + [str(report)] + list(pins), check=True)
        resolved = json.loads(report.read_text(encoding="utf-8"))["install"]
    newest = {canonicalize_name(item["metadata"]["name"]): item["metadata"]["version"] for item in resolved}
    changed = 0
    for name, number in sorted(pins.items()):
        pinned = "%s==%s" % (Requirement(lines[number]).name, newest[name])
        if pinned != lines[number]:
            print("%-24s %s -> %s" % (name, lines[number].split("==")[1], newest[name]))
            lines[number] = pinned
            changed += 1
    CONSTRAINTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(
        "%d of %d pins changed in constraints.txt; `make test` shows what the new versions change."
        % (changed, len(pins))
    )


if __name__ == "__main__":
    main()
