# `make demo` and `make test` are the two commands of README.md; CONTRIBUTING.md tells the rest. Each target first
# builds .venv from requirements-dev.txt (the SDK, ansible-core, pytest, nox and antsibull-nox); nox runs the checks
# (noxfile.py, antsibull-nox.toml), each in an environment of its own under .nox/.
PYTHON ?= python3
VENV ?= .venv
# make test SESSIONS="lint ansible-test-units-2.19": some nox sessions only (`make sessions` lists them).
SESSIONS ?=
ifdef TEST_STAGES
$(error TEST_STAGES is gone: name nox sessions instead, e.g. make test SESSIONS="ansible-test-units-2.19"; make sessions lists them)
endif
# make emulator PORT=8080: a fixed port (default: a free one).
PORT ?= 0
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
NOX := $(VENV)/bin/nox --no-color
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
export ALIBABA_CLOUD_ECS_METADATA_DISABLED := true

.PHONY: demo test venv sessions emulator benchmark build docs changelog lint format test-cloud clean

demo: $(STAMP)
	$(NOX) -s demo

# CI=true: antsibull-nox's formatters check instead of rewriting, and a missing Python fails instead of skipping.
# Without SESSIONS, every default session runs, in three lanes at once, each with its own HOME under .nox/ and its
# output shown when it ends: ansible-test with each of the two ansible-core versions of noxfile.py's MATRIX, and all
# the other sessions that `nox -l` selects.
ANSIBLE_TEST := ansible-test-sanity ansible-test-units ansible-test-integration
LANE_A := $(addsuffix -2.19,$(ANSIBLE_TEST))
LANE_B := $(addsuffix -2.21,$(ANSIBLE_TEST))
test: $(STAMP)
ifeq ($(strip $(SESSIONS)),)
	@echo "Running the nox sessions in three lanes; each lane's output follows when it ends."
	@$(MAKE) --no-print-directory -j3 --output-sync=target test-lane-a test-lane-b test-lane-c
else
	CI=true $(NOX) -s $(SESSIONS)
endif

.PHONY: test-lane-a test-lane-b test-lane-c
test-lane-a: $(STAMP)
	CI=true ECS_NOX_HOME=home-a $(NOX) -s $(LANE_A)

test-lane-b: $(STAMP)
	CI=true ECS_NOX_HOME=home-b $(NOX) -s $(LANE_B)

test-lane-c: $(STAMP)
	CI=true ECS_NOX_HOME=home-c $(NOX) -s $$($(NOX) -l --json | $(VENV)/bin/python -c \
		'import json, sys; print(" ".join(s["session"] for s in json.load(sys.stdin) if s["session"] not in sys.argv[1:]))' \
		$(LANE_A) $(LANE_B))

sessions: $(STAMP)
	$(NOX) -l

venv: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --disable-pip-version-check -q -r requirements-dev.txt
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

clean:
	rm -rf build tests/output .nox
