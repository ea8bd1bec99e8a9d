# Copyright: alibabacloud.ecs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Take newer versions of the tools pinned in constraints.txt, on purpose (make tools-bump [TOOLS="black isort"]).

For every `name==version` line of constraints.txt (or only the named tools), pip finds the newest release that
installs with the Python that runs this script (.venv's, the one the tool sessions run on), never older than the pin
(`pip install --dry-run --no-deps --report`: nothing is installed). Those versions replace the pins, and each change
is printed; `git diff constraints.txt` shows them again. The tools live in separate environments (one nox session
each), so whether the new versions fit together shows in `make test`: a session whose tools conflict fails to
install, and one whose tool finds new faults fails on them. Fix what they find, or bump fewer tools.
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


def main(names):
    lines = CONSTRAINTS.read_text(encoding="utf-8").splitlines()
    pins = {}
    for number, line in enumerate(lines):
        if line and not line.startswith("#") and "==" in line:
            pins[canonicalize_name(Requirement(line).name)] = number
    unknown = sorted(set(map(canonicalize_name, names)) - set(pins))
    if unknown:
        sys.exit("Not pinned in constraints.txt: %s" % " ".join(unknown))
    chosen = [pins[canonicalize_name(name)] for name in names] or list(pins.values())
    with tempfile.TemporaryDirectory() as work:
        report = Path(work) / "report.json"
        command = [sys.executable, "-m", "pip", "install", "-q", "--dry-run", "--no-deps", "--ignore-installed"]
        wanted = [lines[number].replace("==", ">=", 1) for number in chosen]
        subprocess.run(command + ["--report", str(report)] + wanted, check=True)
        resolved = json.loads(report.read_text(encoding="utf-8"))["install"]
    newest = {canonicalize_name(item["metadata"]["name"]): item["metadata"]["version"] for item in resolved}
    changed = 0
    for number in chosen:
        name, old = lines[number].split("==")
        if newest[canonicalize_name(name)] != old:
            print("%-24s %s -> %s" % (name, old, newest[canonicalize_name(name)]))
            lines[number] = "%s==%s" % (name, newest[canonicalize_name(name)])
            changed += 1
    CONSTRAINTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(
        "%d of %d pins changed in constraints.txt; `make test` shows what the new versions change."
        % (changed, len(chosen))
    )


if __name__ == "__main__":
    main(sys.argv[1:])
