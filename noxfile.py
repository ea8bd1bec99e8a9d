# Copyright: alibabacloud.ecs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's checks as nox sessions: `nox -l` lists them, `make test` runs the default ones (CONTRIBUTING.md).

antsibull-nox.toml configures antsibull-nox's own sessions (lint, docs-check, extra-checks, build-import-check,
ansible-lint, ee-check). This file adds the ansible-test matrix, derived from meta/runtime.yml, and the sessions
antsibull-nox has no feature for; each says which feature it lacks.
"""

import atexit
import contextlib
import functools
import json
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
    from antsibull_nox.ansible import get_supported_core_versions
    from antsibull_nox.utils import Version as CoreVersion
except ImportError:
    print("You need to install antsibull-nox in the same Python environment as nox: make venv")
    sys.exit(1)
from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parent
CONSTRAINTS = ROOT / "constraints.txt"
EMULATOR_REGION = "cn-hangzhou"


def _run_directories():
    """Give this nox run a HOME under .nox/ (ansible's and ansible-test's caches stay out of the user's ~/.ansible;
    `make test` gives each session its own, as parallel ansible-test runs share ~/.ansible/test/venv) and a TMPDIR
    of its own process, removed on exit; a later run removes those of runs that were killed."""
    home = ROOT / ".nox" / "home" / os.environ.get("ECS_NOX_HOME", "default")
    if Path(os.environ.get("HOME", "")).parent != home.parent:
        for name, path in (("PIP_CONFIG_FILE", ".config/pip/pip.conf"), ("GIT_CONFIG_GLOBAL", ".gitconfig")):
            if (Path.home() / path).is_file():
                os.environ.setdefault(name, str(Path.home() / path))
        os.environ.setdefault("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip"))
        home.mkdir(parents=True, exist_ok=True)
        os.environ["HOME"] = str(home)
    base = Path(tempfile.gettempdir()) / ("alibabacloud-ecs-nox-%d" % os.getuid())
    for stale in base.glob("*"):
        with contextlib.suppress(ValueError, OSError):
            os.kill(int(stale.name), 0)
            continue
        shutil.rmtree(stale, ignore_errors=True)
    own = base / str(os.getpid())
    own.mkdir(parents=True, exist_ok=True)
    atexit.register(shutil.rmtree, own, ignore_errors=True)
    os.environ["TMPDIR"] = tempfile.tempdir = str(own)


def _pythons_on_path():
    """pyenv's Pythons on PATH (newest first, shims dropped), for ansible-test; then .venv's programs (shellcheck)."""
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        root = subprocess.run(["pyenv", "root"], capture_output=True, text=True, check=True).stdout.strip()
        found = sorted(Path(root, "versions").glob("3.*/bin"), key=lambda p: Version(p.parent.name), reverse=True)
        paths = [p for p in os.environ["PATH"].split(os.pathsep) if not p.endswith("/shims")]
        os.environ["PATH"] = os.pathsep.join(paths + [str(p) for p in found if str(p) not in paths])
    os.environ["PATH"] += os.pathsep + str(Path(sys.executable).parent)


_run_directories()
_pythons_on_path()
# Nothing the tests start may reach the ECS metadata address or go through a proxy to loopback.
os.environ["ALIBABA_CLOUD_ECS_METADATA_DISABLED"] = "true"
os.environ["NO_PROXY"] = os.environ["no_proxy"] = ",".join(
    filter(None, ["127.0.0.1,localhost,::1", os.environ.get("NO_PROXY")])
)

antsibull_nox.load_antsibull_nox_toml()


def newest_ansible_core():
    """The newest ansible-core release, from constraints.txt's `ansible-core<=X.Y.Z` line."""
    for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines():
        if line.startswith("ansible-core"):
            for spec in Requirement(line).specifier:
                if spec.operator == "<=":
                    return CoreVersion.parse("%d.%d" % Version(spec.version).release[:2])
    raise SystemExit("constraints.txt has no 'ansible-core<=' line (the newest ansible-core release)")


def _provide_pip_bootstrap(core):
    """Put the pip bootstrap that ansible-test downloads from ci-files.testing.ansible.com into HOME, from
    scripts/ansible_test_get_pip.py, run by a Python that has this session's ansible-core (it names the pip version)."""
    for info in sorted(ROOT.glob(".nox/*/lib/python3*/site-packages/ansible_core-%s.*.dist-info" % core)):
        python = info.parents[3] / "bin" / "python"
        subprocess.run([python, ROOT / "scripts" / "ansible_test_get_pip.py", "--home", os.environ["HOME"]], check=True)
        return


def _drop_ansible_test_environments():
    """Keep ansible-test's environments (tests/output/.tmp) out of what antsibull-nox copies back into the checkout."""
    shutil.rmtree(Path("tests", "output", ".tmp"), ignore_errors=True)


# antsibull-nox lacks: ansible-test sessions without docker and with ansible-core from PyPI (its generated ones need
# both), and an offline pip bootstrap for ansible-test. These run ansible-test with --venv, on a Python that each ansible-core supports as controller. Every minor from
# requires_ansible to the newest release: sanity and units; the oldest and the newest also integration, and sanity on
# every module Python found (tests/config.yml); the others only the sanity tests whose rules change between
# ansible-core versions (CONTRIBUTING.md).
VERSION_SANITY_TESTS = (
    "ansible-doc",
    "action-plugin-docs",
    "compile",
    "import",
    "runtime-metadata",
    "validate-modules",
)
CORE_VERSIONS = [str(v) for v in get_supported_core_versions(max_version=newest_ansible_core())]
for core in CORE_VERSIONS:
    edge = core in (CORE_VERSIONS[0], CORE_VERSIONS[-1])
    commands = {
        "sanity": (
            ["sanity"] if edge else ["sanity", "--python", "default"] + ["--test=" + t for t in VERSION_SANITY_TESTS]
        ),
        "units": ["units", "--python", "default"],
        "integration": ["integration", "--python", "default"] if edge else None,
    }
    for command, params in commands.items():
        if params:
            antsibull_nox.add_ansible_test_session(
                name="ansible-test-%s-%s" % (command, core),
                description="ansible-test %s with ansible-core %s" % (command, core),
                ansible_test_params=params + ["-v", "--venv", "--color", "no"],
                default=True,
                ansible_core_version=core,
                ansible_core_source="pypi",
                callback_before=functools.partial(_provide_pip_bootstrap, core),
                callback_after=_drop_ansible_test_environments,
            )


@contextlib.contextmanager
def emulator(**options):
    """A local ECS emulator on a free loopback port, in this process, stopped on leaving."""
    sys.path.insert(0, str(ROOT / "tests" / "emulator"))
    from ecs_emulator import start_emulator  # pylint: disable=import-outside-toplevel

    handle = start_emulator(region=EMULATOR_REGION, **options)
    try:
        yield handle
    finally:
        handle.stop()


@contextlib.contextmanager
def collections_path():
    """ANSIBLE_COLLECTIONS_PATH that finds this checkout as alibabacloud.ecs, wherever it sits."""
    if ROOT.parts[-3:] == ("ansible_collections", "alibabacloud", "ecs"):
        yield str(ROOT.parents[2])
        return
    base = Path(tempfile.mkdtemp(prefix="collections-"))
    (base / "ansible_collections" / "alibabacloud").mkdir(parents=True)
    (base / "ansible_collections" / "alibabacloud" / "ecs").symlink_to(ROOT, target_is_directory=True)
    yield str(base)


def _bin(name):
    """A program of the development environment (.venv), which runs nox."""
    return str(Path(sys.executable).parent / name)


# antsibull-nox lacks: sessions that run pytest suites of the project's own (the emulator, the reliability suite).
@nox.session(name="emulator-tests", python=False, default=True)
def emulator_tests(session):
    """The ECS emulator's own tests, through the real SDK (pytest tests/emulator)."""
    session.run(sys.executable, "-m", "pytest", "tests/emulator", "-q", "-p", "no:cacheprovider", *session.posargs)


@nox.session(name="reliability", python=False, default=True)
def reliability(session):
    """The reliability suite: faults, races, waits, fuzz and secrets (pytest tests/reliability)."""
    session.run(sys.executable, "-m", "pytest", "tests/reliability", "-q", "-p", "no:cacheprovider", *session.posargs)


def _install_tools(session, *packages):
    session.install("-q", "-c", str(CONSTRAINTS), *packages)


def _render_docs(session):
    """The module pages as antsibull-docs renders them (simplified RST, which GitHub shows), into a session directory."""
    _install_tools(session, "ansible-core", "antsibull-docs", "antsibull-docs-parser")
    dest = Path(session.create_tmp()) / "rendered"
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(mode=0o755, parents=True)
    with collections_path() as collections:
        session.run(
            "antsibull-docs",
            "collection",
            "--use-current",
            "--squash-hierarchy",
            "--output-format",
            "simplified-rst",
            "--no-add-antsibull-docs-version",
            "--fail-on-error",
            "--dest-dir",
            str(dest),
            "alibabacloud.ecs",
            env={"ANSIBLE_COLLECTIONS_PATH": collections},
            silent=True,
        )
    shutil.rmtree(dest / "docsite")
    index = dest / "index.rst"
    index.write_text(index.read_text().replace("<docsite/guide.rst>", "<../docsite/rst/guide.rst>"), encoding="utf-8")
    return dest


# antsibull-nox lacks: rendering docs into the repository (its docs-check lints them) and checking they are current.
@nox.session(name="docs-rendered", default=True)
def docs_rendered(session):
    """docs/modules/ is what the modules' documentation renders to (antsibull-docs, pinned in constraints.txt)."""
    rendered = _render_docs(session)
    diff = subprocess.run(["diff", "-ru", "docs/modules", str(rendered)], cwd=ROOT, capture_output=True, text=True)
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
    _install_tools(session, "antsibull-changelog")
    session.run("antsibull-changelog", "lint", "-v")
    session.run("antsibull-changelog", "lint-changelog-yaml", "changelogs/changelog.yaml")
    copy = Path(session.create_tmp()) / "changelog"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".git", ".nox", ".venv*", "tests"))
    with session.chdir(copy):
        session.run("antsibull-changelog", "generate", silent=True)
    for name in ("CHANGELOG.rst", "changelogs/changelog.yaml"):
        if (copy / name).read_bytes() != (ROOT / name).read_bytes():
            session.error("%s is not what antsibull-changelog generates: run 'make changelog' and commit." % name)


@nox.session(name="changelog", default=False)
def changelog(session):
    """Fold changelogs/fragments/ into the release of galaxy.yml's version and render CHANGELOG.rst (make changelog)."""
    _install_tools(session, "antsibull-changelog")
    session.run("antsibull-changelog", "release", "--update-existing", "--refresh-fragments")


def _build_and_install(session, work):
    """Build the collection tarball into WORK and install it offline under WORK/collections; return that path."""
    session.run(
        _bin("ansible-galaxy"),
        "collection",
        "build",
        "--force",
        "--output-path",
        str(work),
        str(ROOT),
        silent=True,
        external=True,
    )
    tarball = next(work.glob("alibabacloud-ecs-*.tar.gz"))
    session.run(
        _bin("ansible-galaxy"),
        "collection",
        "install",
        "--offline",
        "--force",
        "-p",
        str(work / "collections"),
        str(tarball),
        silent=True,
        external=True,
    )
    return work / "collections"


# antsibull-nox lacks: an execution-environment check without a container engine (its ee-check builds an image).
@nox.session(name="ee", default=True)
def execution_environment(session):
    """ansible-builder introspect and create on the installed tarball: an EE gets requirements.txt and a build context."""
    _install_tools(session, "ansible-builder")
    work = Path(session.create_tmp()) / "ee"
    shutil.rmtree(work, ignore_errors=True)
    collections = _build_and_install(session, work)
    session.run("ansible-builder", "introspect", "--write-pip", str(work / "pip.txt"), str(collections), silent=True)
    found = sorted(line.split("#")[0].strip() for line in (work / "pip.txt").read_text().splitlines() if line.strip())
    wanted = sorted(line for line in (ROOT / "requirements.txt").read_text().splitlines() if line[:1].isalnum())
    if found != wanted:
        session.error("ansible-builder introspect found %s, not requirements.txt's %s." % (found, wanted))
    definition = collections / "ansible_collections" / "alibabacloud" / "ecs" / "execution-environment.yml"
    shutil.copyfile(definition.parent / "meta" / "execution-environment.yml", definition)
    session.run("ansible-builder", "create", "--file", str(definition), "--context", str(work / "context"), silent=True)
    for name in ("requirements.txt", "bindep.txt"):
        if (definition.parent / "meta" / ("ee-" + name)).read_bytes() != (work / "context/_build" / name).read_bytes():
            session.error("ansible-builder create did not take meta/ee-%s." % name)


CLOUD_SETTINGS = (
    "ALIBABA_CLOUD_ACCESS_KEY_ID",
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    "ALIBABA_CLOUD_REGION_ID",
    "ECS_TEST_ENI_ID",
)


def _run_cloud(session, env):
    """The integration targets against the ECS endpoint that ENV's settings name, on one test ENI only; without the
    settings it says what is missing, runs nothing and returns False."""
    missing = [name for name in CLOUD_SETTINGS if not env.get(name)]
    if missing:
        session.log("test-cloud: SKIPPED, no real-cloud settings: %s not set (CONTRIBUTING.md)." % " ".join(missing))
        return False
    if not re.match(r"^eni-[a-z0-9]+$", env["ECS_TEST_ENI_ID"]):
        session.error("ECS_TEST_ENI_ID=%s is not an ENI id such as eni-bp1a2b3c4d5e6f7g8h9i" % env["ECS_TEST_ENI_ID"])
    config = {
        "alibabacloud_test_target": "cloud",
        "alibabacloud_region": env["ALIBABA_CLOUD_REGION_ID"],
        "alibabacloud_access_key_id": env["ALIBABA_CLOUD_ACCESS_KEY_ID"],
        "alibabacloud_access_key_secret": env["ALIBABA_CLOUD_ACCESS_KEY_SECRET"],
        "alibabacloud_test_eni_id": env["ECS_TEST_ENI_ID"],
    }
    for key, name in (("security_token", "ALIBABA_CLOUD_SECURITY_TOKEN"), ("endpoint", "ALIBABA_CLOUD_ECS_ENDPOINT")):
        if env.get(name):
            config["alibabacloud_" + key] = env[name]
    base = Path(tempfile.mkdtemp(prefix="cloud-"))
    copy = base / "ansible_collections" / "alibabacloud" / "ecs"
    shutil.copytree(
        ROOT, copy, ignore=shutil.ignore_patterns(".git", ".nox", ".venv*", "output", "integration_config.yml")
    )
    # The settings hold the secret: readable by this user only, and gone with the copy.
    fd = os.open(copy / "tests" / "integration" / "integration_config.yml", os.O_WRONLY | os.O_CREAT, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(repr(config).replace("'", '"'))
    try:
        with session.chdir(copy):
            session.run(
                _bin("ansible-test"), "integration", "--local", "--color", "no", "--python-interpreter", sys.executable
            )
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return True


# antsibull-nox lacks: integration tests against a real cloud account, guarded by settings.
@nox.session(name="test-cloud", python=False, default=False)
def test_cloud(session):
    """The integration targets against Alibaba Cloud (make test-cloud; CONTRIBUTING.md says which settings)."""
    _run_cloud(session, os.environ)


@nox.session(name="cloud-rehearsal", python=False, default=True)
def cloud_rehearsal(session):
    """test-cloud end to end against the emulator (never anything but loopback), then its path without settings."""
    with emulator(demo_seed=True) as emu:
        settings = (
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", emu.access_key_id),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", emu.access_key_secret),
            ("ALIBABA_CLOUD_REGION_ID", emu.region),
            ("ECS_TEST_ENI_ID", "eni-demo0001"),
            ("ALIBABA_CLOUD_ECS_ENDPOINT", emu.url),
        )
        ran = _run_cloud(session, dict(settings))
        calls = [call["action"] for call in emu.control.calls()]
    if not ran or "AssignIpv6Addresses" not in calls or "UnassignIpv6Addresses" not in calls:
        session.error("The rehearsal did not assign and release on the emulator: %s" % calls)
    if _run_cloud(session, {"ALIBABA_CLOUD_REGION_ID": EMULATOR_REGION}):
        session.error("test-cloud ran without settings.")


# antsibull-nox lacks: a demonstration against a local service.
@nox.session(name="demo", python=False, default=False)
def demo(session):
    """make demo: release IPv6 addresses on the emulator's demo ENI (check mode, a real release, a re-run)."""
    with collections_path() as collections, emulator(demo_seed=True) as emu:
        session.log("ECS emulator listening on %s (demo ENIs seeded)" % emu.url)
        session.run(
            _bin("ansible-playbook"),
            str(ROOT / "demo" / "release_ipv6.yml"),
            "-e",
            "ecs_endpoint=" + emu.url,
            "-e",
            "ecs_access_key_id=" + emu.access_key_id,
            "-e",
            "ecs_access_key_secret=" + emu.access_key_secret,
            env={
                "ANSIBLE_COLLECTIONS_PATH": collections,
                "ANSIBLE_LOCALHOST_WARNING": "false",
                "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
            },
        )
        print("\nAPI calls the emulator received (the three module runs: check mode, release, re-run):")
        for call in emu.control.calls():
            items = [value for key, value in sorted(call["params"].items()) if key.startswith("Ipv6Address.")]
            print("  %-36s %-6s %s" % (call["action"], call["status"], " ".join(items)))


# antsibull-nox lacks: pinning the tools it installs, and taking newer versions on purpose.
@nox.session(name="tools-bump", default=False)
def tools_bump(session):
    """Resolve the newest versions of constraints.txt's pinned tools together, write them into constraints.txt and
    print what changed; then `make test` shows what the new versions change (CONTRIBUTING.md)."""
    lines = CONSTRAINTS.read_text(encoding="utf-8").splitlines()
    pinned = {Requirement(line).name.lower(): line for line in lines if "==" in line and not line.startswith("#")}
    report = Path(session.create_tmp()) / "resolved.json"
    session.run(
        "python", "-m", "pip", "install", "-q", "--dry-run", "--ignore-installed", "--report", str(report), *pinned
    )
    newest = {
        item["metadata"]["name"].lower(): item["metadata"]["version"]
        for item in json.loads(report.read_text())["install"]
    }
    changed = {
        name: "%s==%s" % (name, newest[name])
        for name, line in pinned.items()
        if line != "%s==%s" % (name, newest[name])
    }
    CONSTRAINTS.write_text(
        "\n".join(changed.get(Requirement(l).name.lower(), l) if l in pinned.values() else l for l in lines) + "\n"
    )
    for name, line in sorted(changed.items()):
        session.log("%s -> %s" % (pinned[name], line))
    session.log(
        "%d of %d pins changed in constraints.txt; `make test` shows what they change." % (len(changed), len(pinned))
    )
