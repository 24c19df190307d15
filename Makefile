# Two commands do all the set-up: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
TORCH_VERSION ?= 2.13.0

.PHONY: demo test test-slow test-ubermag bench install clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	# torch first, pinned, so the CPU build on disk is used instead of a multi-GB CUDA download;
	# an already installed torch that satisfies the project's range is kept
	$(PY) -c "import torch" 2>/dev/null || $(PY) -m pip install "torch==$(TORCH_VERSION)"
	$(PY) -m pip install -e ".[test,ubermag-test]"
	touch $@

install: $(VENV)/.installed

demo: install
	mkdir -p out
	$(PY) -m pymag demo --out out

test: install
	$(PY) -m pytest -q

test-slow: install
	$(PY) -m pytest -q -m slow

# the whole micromagnetictests calculator suite with pymag, the standard problems included
test-ubermag: install
	$(PY) -m pytest -q -m "slow or not slow" tests/ubermag

bench: install
	$(PY) benchmarks/rhs_speed.py

clean:
	rm -rf out build *.egg-info
