# The two commands a newcomer needs: `make demo` and `make test`. Each builds .venv itself.
PYTHON ?= python3
VENV ?= .venv
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)

.PHONY: demo test venv emulator benchmark build clean

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

clean:
	rm -rf build tests/output
