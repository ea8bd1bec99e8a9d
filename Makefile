# `make demo` and `make test` are the two commands of README.md; CONTRIBUTING.md tells the rest. Each target first
# builds .venv from requirements-dev.txt with constraints.txt (the SDK, ansible-core, pytest, nox and antsibull-nox);
# nox runs the checks (noxfile.py, antsibull-nox.toml), each in an environment of its own under .nox/.
PYTHON ?= python3
VENV ?= .venv
# make test SESSIONS="lint emulator-tests": some nox sessions only (`make sessions` lists them).
SESSIONS ?=
# make emulator PORT=8080: a fixed port (default: a free one).
PORT ?= 0
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt constraints.txt | cksum | cut -d' ' -f1)
NOX := $(VENV)/bin/nox --no-color
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
export ALIBABA_CLOUD_ECS_METADATA_DISABLED := true

.PHONY: demo test venv sessions emulator benchmark build docs changelog lint format test-cloud tools-bump clean

demo: $(STAMP)
	$(NOX) -s demo

# Every default nox session (or SESSIONS), side by side, one more at once than there are cores: a line when each
# starts and ends, a table at the end, each one's output in .nox/logs/ (scripts/run_sessions.py). Sessions run with
# CI=true, so antsibull-nox's formatters only check. A session whose Python is missing here is left out, and named;
# where CI=true is set for make (.ci/run in CI), that fails the run instead. ee-check runs where docker or podman is.
test: $(STAMP)
	$(VENV)/bin/python scripts/run_sessions.py --with-container-engine ee-check $(SESSIONS)

sessions: $(STAMP)
	$(NOX) -l

venv: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt constraints.txt
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --disable-pip-version-check -q -r requirements-dev.txt -c constraints.txt
	rm -f $(VENV)/.installed-*
	touch $@

# The ECS emulator with the demo ENIs, until Ctrl-C.
emulator: $(STAMP)
	PYTHONPATH=tests/emulator $(VENV)/bin/python -m ecs_emulator --host 127.0.0.1 --port $(PORT) --demo-seed

# Side-by-side figures: module versus ping, the SDK floor, API calls, import time and memory.
benchmark: $(STAMP)
	$(VENV)/bin/python scripts/benchmark.py $(BENCH_ARGS)

# The collection tarball, into build/.
build: $(STAMP)
	$(VENV)/bin/ansible-galaxy collection build --force --output-path build .

# Render docs/modules/ again; fold changelogs/fragments/ into CHANGELOG.rst. Commit what changes.
docs: $(STAMP)
	$(NOX) -s docs

changelog: $(STAMP)
	$(NOX) -s changelog

lint: $(STAMP)
	CI=true $(NOX) -s lint ansible-lint

# black and isort, rewriting the files.
format: $(STAMP)
	$(NOX) -s formatters

# The integration targets against Alibaba Cloud, on the one test ENI named by ECS_TEST_ENI_ID (CONTRIBUTING.md);
# without the settings it says so and does nothing. Never part of `make test`.
test-cloud: $(STAMP)
	$(NOX) -s test-cloud

# The newest versions of the tools pinned in constraints.txt (or of TOOLS="black isort" only), written into it;
# `git diff constraints.txt` and `make test` then show what they change.
TOOLS ?=
tools-bump: $(STAMP)
	$(VENV)/bin/python scripts/bump_tools.py $(TOOLS)

clean:
	rm -rf build tests/output .nox
