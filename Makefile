# Zal: two commands on a fresh machine, `make run` and `make test`.
# Everything they need is set up here: the virtual environment from the lock file,
# npm packages from package-lock.json, and (for tests) Debian's Chromium and Redis.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8080
DATA_DIR ?= var/data
PY_STAMP := $(VENV)/.zal-installed
# bash with pipefail: a pipe into a filter still fails when its first command fails
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
# pip's complaints about this machine's package-index configuration, not about us
PIP_NOISE := { grep -v -e "is ignored: it is neither a file nor a directory" || true; }
NPM_STAMP := web_client/node_modules/.zal-installed

.PHONY: setup run run-deps test test-fast test-browser lint scenes bench bench-realtime system-deps clean

setup: $(PY_STAMP) $(NPM_STAMP)

$(PY_STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip 2>&1 | $(PIP_NOISE)
	$(PY) -m pip install --quiet -r requirements.lock 2>&1 | $(PIP_NOISE)
	$(PY) -m pip install --quiet --no-deps -e . 2>&1 | $(PIP_NOISE)
	touch $@

$(NPM_STAMP): web_client/package.json web_client/package-lock.json
	cd web_client && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian's packages the tests start for real; nothing is started here.
# chromium: browser tests; redis-server: scale-out; fonts-dejavu-core: the posters'
# Cyrillic (server/posters.py); ffmpeg, poppler-utils: media and slides (server/media);
# nginx + libnginx-mod-rtmp: the live-stream ingest; fluidsynth + fluid-soundfont-gm:
# the demo concert's music; openssl: `zal serve --https` makes its local certificates;
# espeak-ng: tours' audio guides read aloud in ru, tt, en (server/tours/speech.py);
# janus: voice, the WebRTC server Zal configures and starts (server/voice);
# postgresql: the scale-out tests start their own cluster (tests/engines/postgres.py).
DEBIAN_PACKAGES := chromium redis-server fonts-dejavu-core ffmpeg poppler-utils \
	nginx libnginx-mod-rtmp fluidsynth fluid-soundfont-gm openssl espeak-ng janus \
	postgresql
DEBIAN_MISSING = $(shell dpkg-query -W -f='$${db:Status-Abbrev} $${Package}\n' $(DEBIAN_PACKAGES) 2>/dev/null \
	| awk '$$1 == "ii" {print $$2}' | sort | comm -13 - <(printf '%s\n' $(DEBIAN_PACKAGES) | sort))
system-deps:
	@missing="$(DEBIAN_MISSING)"; if [ -n "$$missing" ]; then \
		echo "installing Debian packages: $$missing"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	fi

scenes: setup
	$(PY) -m server scenes build --out build/scenes

# what the demo's stage media needs (server/demo_media.py), espeak-ng for its
# tour's audio guide, and janus for voice (server/voice; Zal starts and stops it):
# installed when we may (root), else a note; the server runs either way
RUN_PACKAGES := ffmpeg fluidsynth fluid-soundfont-gm fonts-dejavu-core espeak-ng janus
RUN_MISSING = $(shell dpkg-query -W -f='$${db:Status-Abbrev} $${Package}\n' $(RUN_PACKAGES) 2>/dev/null \
	| awk '$$1 == "ii" {print $$2}' | sort | comm -13 - <(printf '%s\n' $(RUN_PACKAGES) | sort))
run-deps:
	@missing="$(RUN_MISSING)"; if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing Debian packages: $$missing"; \
			apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
		else \
			echo "note: the demo's concert and posters need: sudo apt-get install $$missing"; \
		fi; \
	fi

run: setup run-deps
	$(PY) -m server serve --host $(HOST) --port $(PORT) --data-dir $(DATA_DIR) --demo --voice local

# Browser tests run in their own pytest process: sync Playwright and pytest-asyncio
# must not share an event loop (shared RECIPES.md). Each suite runs on both cores
# (pytest-xdist, a test file per worker so module fixtures are built once): most of
# a test's time is waiting on sockets, subprocesses and frames. One at a time the
# last CI run took 543 s (non-browser) and 871 s (browser); two at a time, here,
# 196 s and 513 s, all passing. The heaviest browser files share one worker
# (tests/browser/conftest.py, HEAVY), and test_stage and test_live_stage, whose
# players must keep in step with the server's clock, run alone first: beside another
# hall their decoders starved (in three clean-clone runs). It also builds the scene cache once for both
# workers. Each suite lists its slowest tests.
XDIST := -n 2 --dist loadfile
BROWSER_ALONE := tests/browser/test_stage.py tests/browser/test_live_stage.py
test: setup system-deps lint
	$(PY) -m pytest -q -p no:cacheprovider --durations=15 $(XDIST) --ignore=tests/browser tests
	$(PY) -m pytest -q -p no:cacheprovider --durations=5 $(BROWSER_ALONE)
	$(PY) -m pytest -q -p no:cacheprovider --durations=15 -n 2 --dist loadgroup --no-loadscope-reorder \
		$(BROWSER_ALONE:%=--ignore=%) tests/browser

test-fast: setup
	$(PY) -m pytest -q --ignore=tests/browser -m "not slow" tests

# style, types, and the one-way arrows between packages (pyproject [tool.importlinter])
lint: setup
	$(VENV)/bin/ruff check server scenes tests benchmarks
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

bench: setup
	$(PY) -m benchmarks.scenes

# ~20 min; server on core 0, load generator on core 1 (docs/benchmarks-realtime.md)
bench-realtime: setup
	$(PY) -m benchmarks.realtime

clean:
	rm -rf $(VENV) web_client/node_modules build var .pytest_cache
