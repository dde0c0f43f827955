# Everything a newcomer needs: `make run` for the embedded demo, `make test` for the suite.
SHELL := /bin/sh
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Links in mails and notifications lead to the port served, unless an address is given.
PORTAL_URL ?= http://127.0.0.1:$(PORT)
CHROMIUM ?= /usr/bin/chromium
# The real stack used by `make test`; override to point at other servers.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/brandprogram
TEST_BROKER_URL ?= redis://127.0.0.1:6379/1
TEST_CACHE_URL ?= redis://127.0.0.1:6379/2
# `make bench` has a database of its own (created when missing) and a Redis db for broker and cache.
# Other scales get a database of their own, so a quick check never replaces the full data set.
BENCH_SCALE ?= 1
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/brandprogram_bench$(if $(filter 1,$(BENCH_SCALE)),,_quick)
BENCH_BROKER_URL ?= redis://127.0.0.1:6379/11

.PHONY: help run test lint format services browser axe messages worker beat migrate demo clean \
	settings-doc faults restore-drill soak bench bench-data bench-marks-10m bench-tools ocr-libs

help:
	@echo "make run     serve the demo on http://127.0.0.1:$(PORT) (SQLite, tasks in-process)"
	@echo "make test    the whole suite on PostgreSQL + Redis with a real Celery worker"
	@echo "make lint    ruff, the import layering and the migrations check"
	@echo "make messages  compile the Chinese translation (needs GNU gettext; installed if missing)"
	@echo "make worker  a Celery worker (needs DATABASE_URL, CELERY_BROKER_URL and CACHE_URL)"
	@echo "make beat    the Celery beat scheduler (same)"
	@echo "make settings-doc  regenerate the settings table in docs/operations.md"
	@echo "make faults  the fault drill: kill the worker, restart Redis and PostgreSQL under load"
	@echo "make restore-drill  back up database and files under load, restore, prove the copy whole"
	@echo "make soak    ten minutes of mixed portal and API load: p50/p99 per route, errors, memory"
	@echo "make bench   data set at scale, measurements, var/bench/report.json + docs/benchmarks.md"
	@echo "make bench-marks-10m  similarity search against 10 million marks, beside the full scan"

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || "$$(scripts/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

var:
	@mkdir -p var

migrate: $(VENV)/.installed var messages
	DEBUG=true $(PY) manage.py migrate --verbosity 0

# The Chinese translation is compiled here, never committed; msgfmt comes from GNU gettext.
messages: $(VENV)/.installed
	@command -v msgfmt >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext)
	DEBUG=true $(PY) manage.py compilemessages --ignore=.venv --verbosity 0

demo: migrate
	@echo "Demo logins (also printed by 'DEBUG=true $(PY) manage.py load_demo'):"
	@DEBUG=true $(PY) manage.py load_demo

run: demo ocr-libs
	@echo "Serving http://127.0.0.1:$(PORT)/ (seller portal), /review/ (reviewers), /admin/, /api/v1/"
	DEBUG=true PORTAL_URL=$(PORTAL_URL) $(PY) manage.py runserver 127.0.0.1:$(PORT)

services:
	@scripts/services-up

browser:
	@test -x $(CHROMIUM) || (apt-get update -qq && apt-get install -y -qq chromium)
	@# Without a CJK font the Chinese pages' screenshots show empty boxes.
	@fc-list :lang=zh | grep -q . || (apt-get update -qq && apt-get install -y -qq fonts-wqy-microhei)

# axe-core, the accessibility checker the browser tests run in every page they look at, from the
# npm registry into var/npm (Node.js and npm installed if missing).
AXE_CORE_VERSION := 4.14.1
axe: var
	@grep -qs '"version": "$(AXE_CORE_VERSION)"' var/npm/node_modules/axe-core/package.json || { \
		command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq npm); \
		npm install --prefix var/npm --no-save --no-audit --no-fund --silent \
			axe-core@$(AXE_CORE_VERSION); }

# OpenCV, which straightens photographed documents before OCR, links against libGL and GLib.
ocr-libs:
	@ldconfig -p | grep -q libGL.so.1 && ldconfig -p | grep -q libglib-2.0.so.0 \
		|| (apt-get update -qq && apt-get install -y -qq libgl1 libglib2.0-0)

# wrk is the load generator of `make bench` (and of its end-to-end test); the evidence documents
# (python -m bench.documents) are drawn with Noto CJK and DejaVu.
bench-tools:
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	@test -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc \
		-a -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf \
		|| (apt-get update -qq && apt-get install -y -qq fonts-noto-cjk fonts-dejavu-core)

# Scale 1 is 100,000 applications, 10,000 sellers and 1,000,000 marks (BENCH_SCALE=0.01 for a
# quick check, which leaves docs/benchmarks.md alone); a data set of the same size is reused.
bench: $(VENV)/.installed services bench-tools ocr-libs messages var
	DEBUG=false SECRET_KEY=bench-only-secret $(PY) manage.py collectstatic --noinput --verbosity 0
	DEBUG=false SECRET_KEY=bench-only-secret DATABASE_URL=$(BENCH_DATABASE_URL) \
	CELERY_BROKER_URL=$(BENCH_BROKER_URL) CACHE_URL=$(BENCH_BROKER_URL) \
	MEDIA_ROOT=$(CURDIR)/var/bench/media $(PY) -m bench --scale $(BENCH_SCALE) $(BENCH_ARGS)

# Only the data set (built, or found at the right size), to measure later on a quiet machine.
bench-data:
	$(MAKE) bench BENCH_ARGS=--dataset-only

# The similarity search against 10 million generated marks, in a database of its own (the build
# is the slow part and is kept for the next run): docs/benchmarks-marks-10m.md.
bench-marks-10m:
	$(MAKE) bench BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/brandprogram_bench_marks10m \
		BENCH_ARGS="--marks 10000000"

# Tests run like production (DEBUG off, static files collected for WhiteNoise).
test: $(VENV)/.installed services browser axe bench-tools messages var ocr-libs
	DEBUG=false SECRET_KEY=test-only-secret $(PY) manage.py collectstatic --noinput --verbosity 0
	DEBUG=false SECRET_KEY=test-only-secret DATABASE_URL=$(TEST_DATABASE_URL) \
	CELERY_BROKER_URL=$(TEST_BROKER_URL) CACHE_URL=$(TEST_CACHE_URL) CHROMIUM=$(CHROMIUM) $(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed var
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) scripts/import_cycles.py
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run --verbosity 1

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

worker: $(VENV)/.installed ocr-libs
	$(VENV)/bin/celery -A brandprogram worker --loglevel INFO --concurrency 2

beat: $(VENV)/.installed var
	$(VENV)/bin/celery -A brandprogram beat --loglevel INFO --schedule var/celerybeat-schedule

# The settings table of docs/operations.md, from brandprogram/settings.py (descriptions kept).
settings-doc: $(VENV)/.installed
	$(PY) -m brandprogram.settings_doc

# A stack of its own under var/faults/ on free ports; needs PostgreSQL and Redis installed,
# not running. Prints a JSON summary and fails on any lost or doubled work.
faults: $(VENV)/.installed var
	$(PY) scripts/faults.py

# The same kind of stack under var/restore-drill/: pg_dump and the media copy taken while
# applications arrive, restored into a fresh database and folder, then reconciled row by row and
# file by file. Prints a JSON summary and fails on any mismatch.
restore-drill: $(VENV)/.installed var
	$(PY) scripts/restore_drill.py

# The same kind of stack under var/soak/: sellers, reviewers and a partner at a fixed pace for
# SOAK_SECONDS (600) after a warm-up. Prints p50/p99 per route and each process's memory, and
# fails on any error or on a process whose own memory (its lowest over the first minute against
# its lowest over the last) grew by 10% or more.
soak: $(VENV)/.installed var
	$(PY) scripts/soak.py

clean:
	rm -rf $(VENV) var
