# Semenit developer entry points. `make run` and `make test` set everything up on a fresh Debian machine.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian packages the kiosk, the tests and the benchmark need (display, CUPS, fonts, provisioning checks).
DEB_PACKAGES := xvfb xauth libmtdev1 libegl1 libegl-mesa0 libgl1-mesa-dri libgbm1 libgl1 \
	cups cups-client cups-bsd printer-driver-cups-pdf poppler-utils fonts-dejavu-core \
	mmdebstrap shellcheck chromium chromium-driver qemu-user-static binfmt-support arch-test \
	dosfstools ntfs-3g printer-driver-escpr exfatprogs exfat-fuse fusefat espeak-ng

.PHONY: setup deb venv run test test-fast bench lint clean

setup: deb venv

deb:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:" $$missing; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

run: setup
	$(VENV)/bin/semenit run --demo

test: setup
	$(PY) -m pytest -q

# The edit-run loop: everything that needs no Xvfb, no cupsd and no Debian root, without the few long
# runs (soak, SIGKILL loops; markers set in tests/conftest.py). The full suite (`make test`) is what CI runs.
test-fast: venv
	$(PY) -m pytest -q -m "not display and not cups and not debroot and not slow"

bench: setup
	$(PY) tests/bench/bench.py

# ruff on everything; mypy on the application layer and the UI (its settings are in pyproject.toml).
lint: venv
	$(VENV)/bin/ruff check appliance tests
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache bench-results.json
