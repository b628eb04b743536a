# Qamrov: the two commands of the README are `make run` and `make test`.
# Everything they need is installed from here (PyPI via requirements.txt,
# Debian's chromium for the real-browser tests).
SHELL := /bin/bash
PY_SYS ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
EXTRACTS  ?= data/extracts/demo
WAREHOUSE ?= data/warehouse/qamrov.duckdb
PORT ?= 8501
WORKERS ?= 2
# the listen address: this machine only, unless QAMROV_LISTEN_ADDRESS says otherwise (settings.py)
ADDRESS ?= $(or $(QAMROV_LISTEN_ADDRESS),127.0.0.1)

.PHONY: run serve stop nginx test setup demo browser documents postgres bench national clean

$(STAMP): requirements.txt
	@test -x $(PY) || $(PY_SYS) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $(STAMP)

setup: $(STAMP)

$(EXTRACTS)/manifest.json: | $(STAMP)
	$(PY) -m qamrov generate --scale demo --out $(EXTRACTS)

$(WAREHOUSE): $(EXTRACTS)/manifest.json
	$(PY) -m qamrov ingest $(EXTRACTS) --warehouse $(WAREHOUSE)

demo: $(WAREHOUSE)

## make run: set up, build the demo warehouse if missing, create the cookie secret and (on the
## synthetic demo warehouse) the demo accounts, start the dashboard on $(ADDRESS):$(PORT)
run: demo browser documents
	QAMROV_WAREHOUSE=$(WAREHOUSE) QAMROV_DEMO_ACCOUNTS=1 $(PY) -m qamrov users prepare
	QAMROV_WAREHOUSE=$(WAREHOUSE) $(PY) -m streamlit run app.py --server.port $(PORT) --server.address $(ADDRESS) \
	  --browser.gatherUsageStats false --secrets.files "$$($(PY) -c 'import settings; print(settings.path("SECRETS_FILE"))')"

## make serve WORKERS=N PORT=P: production serving, N streamlit workers behind Debian's nginx on
## $(ADDRESS):P, the cookie secret (and, on the synthetic demo warehouse, the demo accounts) as
## for make run; Ctrl-C or `make stop` stops it (docs/SCALING.md)
serve: demo nginx
	QAMROV_WAREHOUSE=$(WAREHOUSE) QAMROV_DEMO_ACCOUNTS=1 $(PY) -m qamrov users prepare
	QAMROV_WAREHOUSE=$(WAREHOUSE) $(PY) -m qamrov serve --workers $(WORKERS) --port $(PORT) --address $(ADDRESS)

stop: | $(STAMP)
	$(PY) -m qamrov serve --stop

## Debian's nginx in front of the workers of `make serve` (its own service is not started)
nginx:
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq --no-install-recommends nginx >/dev/null \
	      && { service nginx stop >/dev/null 2>&1 || true; }) \
	      || echo "nginx could not be installed: make serve and its tests need it"; \
	  else echo "nginx not installed and not root: install Debian's nginx (apt-get install nginx) for make serve"; fi; }

## Debian's chromium for the real-browser tests (no browser downloads)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "chromium could not be installed: browser tests will be skipped"; \
	  else echo "chromium not installed and not root: browser tests will be skipped"; fi; }

## Debian's Pango and DejaVu fonts for the brief's PDF (WeasyPrint), poppler-utils (pdftoppm) for its tests
documents:
	@{ ldconfig -p 2>/dev/null | grep -q libpango-1.0 && fc-list 2>/dev/null | grep -qi "DejaVu Sans" \
	   && command -v pdftoppm >/dev/null 2>&1; } || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 \
	      fonts-dejavu-core poppler-utils >/dev/null) \
	      || echo "Pango / DejaVu / poppler could not be installed: the PDF brief tests will be skipped"; \
	  else echo "Pango, DejaVu or poppler-utils missing and not root: the PDF brief tests will be skipped"; fi; }

## Debian's PostgreSQL for the database-source ingest tests (they start their own server)
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
	      || echo "postgresql could not be installed: the PostgreSQL ingest tests will be skipped"; \
	  else echo "postgresql not installed and not root: the PostgreSQL ingest tests will be skipped"; fi; }

## make test: every test (unit, data, pages, real browser, PostgreSQL source)
test: $(STAMP) browser documents postgres nginx
	$(PY) -m pytest -q

bench: demo
	$(PY) -m qamrov bench

clean:
	rm -rf data/extracts data/warehouse data/quarantine data/reports
