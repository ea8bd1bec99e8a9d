# -*- coding: utf-8 -*-
# Copyright: alibabacloud.ecs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stand-in for the get-pip bootstrap script that ansible-test downloads from ci-files.testing.ansible.com.

Where that host is out of reach (only package registries are), ansible-test finds this file in its cache,
~/.ansible/test/cache/get_pip_<version>.py, instead. It installs the pip version that ansible-test asks for from
the package index, using the pip wheel that ensurepip would install (bundled with CPython, or in the distribution's
wheel directory).

`python scripts/ansible_test_get_pip.py --home DIR` puts it into DIR/.ansible/test/cache for the ansible-test of
the Python that runs it; then run ansible-test with HOME=DIR, never with your own HOME (see CONTRIBUTING.md). The
nox sessions do this in .nox/home by themselves.
"""

import ensurepip
import glob
import os
import runpy
import sys
import sysconfig

GET_PIP_ONLY_OPTIONS = ("--no-setuptools", "--no-wheel")


def main():
    """Run 'pip install' with ansible-test's arguments, from the pip wheel that ensurepip would install: bundled with
    it, or in the distribution's wheel directory (WHEEL_PKG_DIR, such as Debian's /usr/share/python-wheels)."""
    places = [os.path.join(os.path.dirname(ensurepip.__file__), "_bundled"), sysconfig.get_config_var("WHEEL_PKG_DIR")]
    bundled = sorted(wheel for folder in filter(None, places) for wheel in glob.glob(os.path.join(folder, "pip-*.whl")))
    if not bundled:
        sys.exit("%s has no pip wheel for ensurepip (looked in %s)" % (sys.executable, ", ".join(filter(None, places))))
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
