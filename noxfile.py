# Copyright: alibabacloud.ecs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The checks as nox sessions (CONTRIBUTING.md). antsibull-nox.toml configures antsibull-nox's own; this file adds the
ansible-test matrix, derived from meta/runtime.yml, and what antsibull-nox lacks, each naming the missing feature."""

import contextlib
import functools
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nox

try:
    import antsibull_nox
    from antsibull_nox.ansible import get_ansible_core_info, get_supported_core_versions
    from antsibull_nox.utils import Version as CoreVersion
except ImportError:
    print("You need to install antsibull-nox in the same Python environment as nox: make venv")
    sys.exit(1)
from packaging.version import Version

ROOT = Path(__file__).resolve().parent
CONSTRAINTS = ROOT / "constraints.txt"
BIN = Path(sys.executable).parent  # .venv, which runs nox: ansible-core, the SDK, pytest
QUIET = ("ANSIBLE_LOCALHOST_WARNING", "ANSIBLE_INVENTORY_UNPARSED_WARNING")  # only localhost, on purpose
CLOUD_SETTINGS = "ALIBABA_CLOUD_ACCESS_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET ALIBABA_CLOUD_REGION_ID ECS_TEST_ENI_ID"


# HOME under .nox/home/ (pip's cache and configuration kept): ansible-test's caches stay out of the user's ~/.ansible.
# `make test` gives each session its own, as parallel ansible-test runs would share ~/.ansible/test/venv.
HOME = ROOT / ".nox" / "home" / os.environ.get("ECS_NOX_HOME", "default")
if Path.home().parent != HOME.parent:
    for name, path in (("PIP_CONFIG_FILE", ".config/pip/pip.conf"), ("GIT_CONFIG_GLOBAL", ".gitconfig")):
        if (Path.home() / path).is_file():
            os.environ.setdefault(name, str(Path.home() / path))
    os.environ.setdefault("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip"))
    HOME.mkdir(parents=True, exist_ok=True)
    os.environ["HOME"] = str(HOME)
# pyenv's Pythons on PATH (newest first, shims dropped), for nox and for ansible-test; .venv's programs last.
with contextlib.suppress(OSError, subprocess.CalledProcessError):
    PYENV = subprocess.run(["pyenv", "root"], capture_output=True, text=True, check=True).stdout.strip()
    FOUND = sorted(Path(PYENV, "versions").glob("3.*/bin"), key=lambda p: Version(p.parent.name), reverse=True)
    PATHS = [p for p in os.environ["PATH"].split(os.pathsep) if not p.endswith("/shims")]
    os.environ["PATH"] = os.pathsep.join(PATHS + [str(p) for p in FOUND if str(p) not in PATHS])
os.environ["PATH"] += os.pathsep + str(BIN)
# Nothing the tests start may reach the ECS metadata address or go through a proxy to loopback.
os.environ["ALIBABA_CLOUD_ECS_METADATA_DISABLED"] = "true"
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost,::1," + os.environ.get("NO_PROXY", "")
antsibull_nox.load_antsibull_nox_toml()


def _provide_pip_bootstrap(core):
    """Put scripts/ansible_test_get_pip.py into HOME as the pip bootstrap ansible-test would download, with a Python
    that has this session's ansible-core (that names the file)."""
    for info in sorted(ROOT.glob(".nox/*/lib/python3*/site-packages/ansible_core-%s.*.dist-info" % core))[:1]:
        script = ROOT / "scripts" / "ansible_test_get_pip.py"
        subprocess.run([info.parents[3] / "bin" / "python", script, "--home", os.environ["HOME"]], check=True)


# antsibull-nox lacks: ansible-test sessions without docker and with ansible-core from PyPI (its generated ones need
# both), and an offline pip bootstrap for ansible-test. These run ansible-test with --venv, on a Python that each
# ansible-core supports as controller. Every minor from requires_ansible to the newest release (constraints.txt's
# `ansible-core<=` line): sanity and units; the oldest and the newest also integration, and sanity on every module
# Python found (tests/config.yml); the others only the sanity tests whose rules change with ansible-core.
VERSION_SANITY_TESTS = "action-plugin-docs ansible-doc compile import runtime-metadata validate-modules".split()
NEWEST = re.search(r"^ansible-core<=(\d+\.\d+)\.", CONSTRAINTS.read_text(encoding="utf-8"), re.M).group(1)
CORE_VERSIONS = [str(v) for v in get_supported_core_versions(max_version=CoreVersion.parse(NEWEST))]
for core in CORE_VERSIONS:
    edge = core in (CORE_VERSIONS[0], CORE_VERSIONS[-1])
    # Units on one Python (`default` would mean all): the newest of this ansible-core's controller Pythons found here.
    pythons = [str(v) for v in get_ansible_core_info(CoreVersion.parse(core)).controller_python_versions]
    units = ["--python", ([v for v in pythons if shutil.which("python" + v)] or pythons)[-1]]
    sanity = [] if edge else ["--python", "default"] + ["--test=" + test for test in VERSION_SANITY_TESTS]
    for command, params in [("sanity", sanity), ("units", units), ("integration", ["--python", "default"])][: 2 + edge]:
        antsibull_nox.add_ansible_test_session(
            name="ansible-test-%s-%s" % (command, core),
            description="ansible-test %s with ansible-core %s" % (command, core),
            ansible_test_params=[command] + params + ["-v", "--venv", "--color", "no"],
            default=True,
            ansible_core_version=core,
            ansible_core_source="pypi",
            callback_before=functools.partial(_provide_pip_bootstrap, core),
            # ansible-test's environments stay out of what antsibull-nox copies back into tests/output.
            callback_after=functools.partial(shutil.rmtree, "tests/output/.tmp", ignore_errors=True),
        )


def emulator():
    """A local ECS emulator with the demo ENIs, on a free loopback port, in this process (a context manager)."""
    sys.path.insert(0, str(ROOT / "tests" / "emulator"))
    from ecs_emulator import start_emulator  # pylint: disable=import-outside-toplevel

    return start_emulator(demo_seed=True)


@contextlib.contextmanager
def collections_path():
    """ANSIBLE_COLLECTIONS_PATH that finds this checkout as alibabacloud.ecs, wherever it sits."""
    if ROOT.parts[-3:] == ("ansible_collections", "alibabacloud", "ecs"):
        yield str(ROOT.parents[2])
        return
    with tempfile.TemporaryDirectory(prefix="collections-") as base:
        os.makedirs(Path(base, "ansible_collections", "alibabacloud"))
        Path(base, "ansible_collections", "alibabacloud", "ecs").symlink_to(ROOT, target_is_directory=True)
        yield base


# antsibull-nox lacks: sessions that run the project's own pytest suites (the emulator's, the reliability suite).
@nox.session(name="emulator-tests", python=False, default=True)
def emulator_tests(session):
    """The ECS emulator's own tests, through the real SDK (pytest tests/emulator)."""
    session.run(BIN / "python", "-m", "pytest", "tests/emulator", "-q", "-p", "no:cacheprovider", *session.posargs)


@nox.session(name="reliability", python=False, default=True)
def reliability(session):
    """The reliability suite: faults, races, waits, fuzz and secrets (pytest tests/reliability)."""
    session.run(BIN / "python", "-m", "pytest", "tests/reliability", "-q", "-p", "no:cacheprovider", *session.posargs)


def _fresh_directory(session, name):
    """An empty directory NAME in the session's directory under .nox/ (what an earlier run left there goes)."""
    path = Path(session.create_tmp(), name)
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(mode=0o755)
    return path


def _render_docs(session):
    """The module pages as antsibull-docs renders them (simplified RST, which GitHub shows), linking to the guide."""
    session.install("-q", "-c", CONSTRAINTS, "ansible-core", "antsibull-docs", "antsibull-docs-parser")
    dest = _fresh_directory(session, "rendered")
    command = "antsibull-docs collection --use-current --squash-hierarchy --output-format simplified-rst"
    command += " --no-add-antsibull-docs-version --fail-on-error alibabacloud.ecs --dest-dir"
    with collections_path() as collections:
        session.run(*command.split(), dest, env={"ANSIBLE_COLLECTIONS_PATH": collections}, silent=True)
    shutil.rmtree(dest / "docsite")
    index = (dest / "index.rst").read_text(encoding="utf-8")
    (dest / "index.rst").write_text(index.replace("<docsite/guide.rst>", "<../docsite/rst/guide.rst>"), "utf-8")
    return dest


# antsibull-nox lacks: rendering the docs into the repository and checking they are current (docs-check lints them).
@nox.session(name="docs-rendered", default=True)
def docs_rendered(session):
    """docs/modules/ is what the modules' documentation renders to (antsibull-docs, pinned in constraints.txt)."""
    rendered = _render_docs(session)
    diff = subprocess.run(["diff", "-ru", "docs/modules", rendered], capture_output=True, text=True, check=False)
    if diff.returncode:
        session.error("%s\ndocs/modules/ is not what the documentation renders to: run 'make docs'." % diff.stdout)


@nox.session(name="docs", default=False)
def docs(session):
    """Render docs/modules/ again from the modules' documentation (make docs); commit what changes."""
    rendered = _render_docs(session)
    shutil.rmtree(ROOT / "docs" / "modules")
    shutil.copytree(rendered, ROOT / "docs" / "modules")


# antsibull-nox lacks: a changelog check (its releaser runs antsibull-changelog only when releasing).
@nox.session(name="changelog-check", default=True)
def changelog_check(session):
    """Changelog fragments valid; CHANGELOG.rst and changelog.yaml are what antsibull-changelog generates."""
    session.install("-q", "-c", CONSTRAINTS, "antsibull-changelog")
    session.run("antsibull-changelog", "lint", "-v")
    session.run("antsibull-changelog", "lint-changelog-yaml", "changelogs/changelog.yaml")
    copy = _fresh_directory(session, "changelog") / "collection"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".git", ".nox", ".venv*", "tests", "build"))
    with session.chdir(copy):
        session.run("antsibull-changelog", "generate", silent=True)
    for name in ("CHANGELOG.rst", "changelogs/changelog.yaml"):
        if (copy / name).read_bytes() != (ROOT / name).read_bytes():
            session.error("%s is not what antsibull-changelog generates: run 'make changelog' and commit." % name)


@nox.session(name="changelog", default=False)
def changelog(session):
    """Fold changelogs/fragments/ into the release of galaxy.yml's version and render CHANGELOG.rst (make changelog)."""
    session.install("-q", "-c", CONSTRAINTS, "antsibull-changelog")
    session.run("antsibull-changelog", "release", "--update-existing", "--refresh-fragments")


# antsibull-nox lacks: an execution-environment check without a container engine (its ee-check builds an image).
@nox.session(name="ee", default=True)
def execution_environment(session):
    """ansible-builder introspect and create: an EE of the collection gets requirements.txt and meta/ee-*.txt."""
    session.install("-q", "-c", CONSTRAINTS, "ansible-builder")
    work = _fresh_directory(session, "ee")
    with collections_path() as collections:
        session.run("ansible-builder", "introspect", "--write-pip", work / "pip.txt", collections, silent=True)
    found = [line.split("#")[0].strip() for line in (work / "pip.txt").read_text().splitlines()]
    wanted = [line for line in (ROOT / "requirements.txt").read_text().splitlines() if line[:1].isalnum()]
    if sorted(filter(None, found)) != sorted(wanted):
        session.error("ansible-builder introspect found %s, not requirements.txt's %s." % (found, wanted))
    # The definition names its files from the collection's root, as an EE that includes the collection reads them.
    definition = shutil.copy(shutil.copytree(ROOT / "meta", work / "meta") / "execution-environment.yml", work)
    session.run("ansible-builder", "create", "-f", definition, "-c", work / "context", silent=True)
    for name in ("requirements.txt", "bindep.txt"):
        if (ROOT / "meta" / ("ee-" + name)).read_bytes() != (work / "context" / "_build" / name).read_bytes():
            session.error("ansible-builder create did not take meta/ee-%s." % name)


# antsibull-nox lacks: integration tests against a real cloud account, guarded by settings, and their rehearsal.
def _run_cloud(session, env):
    """scripts/cloud_integration.py with ENV's settings; returns False where it skipped for want of them."""
    script = ROOT / "scripts" / "cloud_integration.py"
    code = subprocess.run([BIN / "python", script], env=dict(os.environ, **env), check=False).returncode
    if code not in (0, 3):
        session.error("scripts/cloud_integration.py failed (exit code %d)." % code)
    return code == 0


@nox.session(name="test-cloud", python=False, default=False)
def test_cloud(session):
    """The integration targets against Alibaba Cloud (make test-cloud; CONTRIBUTING.md says which settings)."""
    _run_cloud(session, {})


@nox.session(name="cloud-rehearsal", python=False, default=True)
def cloud_rehearsal(session):
    """test-cloud end to end against the emulator (never anything but loopback), then its path without settings."""
    with emulator() as emu:
        values = emu.access_key_id, emu.access_key_secret, emu.region, "eni-demo0001"
        ran = _run_cloud(session, dict(zip(CLOUD_SETTINGS.split(), values), ALIBABA_CLOUD_ECS_ENDPOINT=emu.url))
        calls = [call["action"] for call in emu.control.calls()]
    if not ran or "AssignIpv6Addresses" not in calls or "UnassignIpv6Addresses" not in calls:
        session.error("The rehearsal did not assign and release on the emulator: %s" % calls)
    if _run_cloud(session, {name: "" for name in CLOUD_SETTINGS.split()}):
        session.error("test-cloud ran without settings.")


# antsibull-nox lacks: a demonstration against a local service.
@nox.session(name="demo", python=False, default=False)
def demo(session):
    """make demo: release IPv6 addresses on the emulator's demo ENI (check mode, a real release, a re-run)."""
    with collections_path() as collections, emulator() as emu:
        session.log("ECS emulator listening on %s (demo ENIs seeded)" % emu.url)
        extra = "ecs_endpoint={0.url} ecs_access_key_id={0.access_key_id} ecs_access_key_secret={0.access_key_secret}"
        env = dict(ANSIBLE_COLLECTIONS_PATH=collections, **dict.fromkeys(QUIET, "false"))
        session.run(BIN / "ansible-playbook", ROOT / "demo/release_ipv6.yml", "-e", extra.format(emu), env=env)
        print("\nAPI calls the emulator received (the three module runs: check mode, release, re-run):")
        for call in emu.control.calls():
            items = [value for key, value in sorted(call["params"].items()) if key.startswith("Ipv6Address.")]
            print("  %-36s %-6s %s" % (call["action"], call["status"], " ".join(items)))
