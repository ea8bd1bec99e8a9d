# -*- coding: utf-8 -*-
# Copyright: alibabacloud.ecs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stand-in for the get-pip bootstrap script that ansible-test downloads from ci-files.testing.ansible.com.

Where that host is out of reach (only package registries are), ansible-test finds this file in its cache,
~/.ansible/test/cache/get_pip_<version>.py, instead. It installs the pip version that ansible-test asks for from
the package index, using the pip wheel that ships with CPython's ensurepip.

`python scripts/ansible_test_get_pip.py --home DIR` puts it into DIR/.ansible/test/cache for the ansible-test of
the Python that runs it; then run ansible-test with HOME=DIR, never with your own HOME (see CONTRIBUTING.md). The
nox sessions do this in .nox/home by themselves.
"""

import ensurepip
import glob
import os
import runpy
import sys

GET_PIP_ONLY_OPTIONS = ("--no-setuptools", "--no-wheel")


def main():
    """Run 'pip install' with ansible-test's arguments, from the wheel bundled with ensurepip."""
    bundled = sorted(glob.glob(os.path.join(os.path.dirname(ensurepip.__file__), "_bundled", "pip-*.whl")))
    if not bundled:
        sys.exit("ensurepip of %s has no bundled pip wheel" % sys.executable)
    sys.path.insert(0, bundled[-1])
    sys.argv = ["pip", "install"] + [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY_OPTIONS]
    runpy.run_module("pip", run_name="__main__", alter_sys=True)


def place(home):
    """Copy this file to HOME/.ansible/test/cache under the name that this Python's ansible-test looks for."""
    import re
    import shutil

    import ansible_test

    requirements = os.path.join(os.path.dirname(ansible_test.__file__), "_internal", "python_requirements.py")
    with open(requirements, encoding="utf-8") as handle:
        version = re.search(r"pip='([0-9.]+)'", handle.read()).group(1)
    cache = os.path.join(home, ".ansible", "test", "cache")
    os.makedirs(cache, exist_ok=True)
    target = os.path.join(cache, "get_pip_%s.py" % version.replace(".", "_"))
    shutil.copyfile(os.path.abspath(__file__), target)
    print(target)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--home"] and len(sys.argv) == 3:
        place(os.path.abspath(sys.argv[2]))
    else:
        main()
