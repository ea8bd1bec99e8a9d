# -*- coding: utf-8 -*-
# Copyright: alibabacloud.ecs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stand-in for the get-pip bootstrap script that ansible-test downloads from ci-files.testing.ansible.com.

That host is out of reach where this project is tested (only package registries are), so scripts/test.sh
places this file in ansible-test's cache when no real one is there. It installs the pip version that
ansible-test asks for from the package index, using the pip wheel that ships with CPython's ensurepip.
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


if __name__ == "__main__":
    main()
