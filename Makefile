# The two commands a newcomer needs: `make demo` and `make test`. Each builds .venv itself.
PYTHON ?= python3
VENV ?= .venv
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)

.PHONY: demo test venv emulator benchmark build clean docs changelog lint test-cloud

demo: $(STAMP)
	VENV=$(VENV) bash scripts/demo.sh

test: $(STAMP)
	VENV=$(VENV) bash scripts/test.sh

venv: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $@

# Start the ECS emulator by hand, with the demo ENIs, until Ctrl-C.
emulator: $(STAMP)
	PYTHONPATH=tests/emulator $(VENV)/bin/python -m ecs_emulator --demo-seed

# Side-by-side figures: module versus ping, the SDK floor, API calls, import time and memory.
benchmark: $(STAMP)
	ALIBABA_CLOUD_ECS_METADATA_DISABLED=true $(VENV)/bin/python scripts/benchmark.py $(BENCH_ARGS)

# Build the collection tarball into build/.
build: $(STAMP)
	mkdir -p build
	$(VENV)/bin/ansible-galaxy collection build --force --output-path build .

# Render the module pages into docs/modules/ again (antsibull-docs, in .venv-tools); commit what changes.
docs: $(STAMP)
	VENV=$(VENV) bash scripts/ecosystem.sh docs

# Fold changelogs/fragments/ into the release of galaxy.yml's version and render CHANGELOG.rst again.
changelog: $(STAMP)
	VENV=$(VENV) bash scripts/ecosystem.sh changelog

# ansible-lint, production profile: the modules' EXAMPLES, demo/ and the integration targets.
lint: $(STAMP)
	VENV=$(VENV) bash scripts/ecosystem.sh lint

# The integration targets against Alibaba Cloud, on the one test ENI named by ECS_TEST_ENI_ID (see README.md);
# without ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET, ALIBABA_CLOUD_REGION_ID and ECS_TEST_ENI_ID
# it says so and does nothing. Never part of `make test`.
test-cloud:
	VENV=$(VENV) bash scripts/test_cloud.sh

clean:
	rm -rf build tests/output
