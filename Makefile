# EduBrain — every command lives here. The README's two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/edubrain
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run setup system assets browser migrate demo serve test test-sqlite test-postgres lint typecheck bench clean

## make run: set up a fresh machine, build the demo county (SQLite) once, and serve it on http://127.0.0.1:8000
run: setup migrate
	$(BIN)/edubrain demo --if-missing
	$(BIN)/edubrain serve

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

setup: $(BIN)/python system
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	$(BIN)/python scripts/install_assets.py

migrate:
	$(BIN)/edubrain migrate -v0

demo:
	$(BIN)/edubrain demo --reset

serve:
	$(BIN)/edubrain serve

## System libraries for PDF output (WeasyPrint: Pango; reports: LibreOffice headless converts .docx to PDF,
## poppler's pdftoppm renders pages to PNG) and the Chinese fonts the notices and reports use
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk libreoffice-writer-nogui poppler-utils
system:
	@{ ldconfig -p | grep -q libpango-1.0 && fc-list :lang=zh | grep -q . && command -v soffice >/dev/null && command -v pdftoppm >/dev/null; } || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(SYSTEM_PACKAGES) >/dev/null; \
	  else echo "提示：生成 PDF 需要 Pango、LibreOffice 和中文字体：sudo apt-get install $(SYSTEM_PACKAGES)"; fi; }

## Debian chromium for the browser tests (Playwright drives it with executable_path; no browser download)
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else echo "请先安装 Debian 的 chromium：sudo apt-get install chromium fonts-noto-cjk"; exit 1; fi; }

## make test: the whole suite on SQLite, then on PostgreSQL (127.0.0.1:5432); CI requires both
test: setup browser test-sqlite test-postgres

test-sqlite:
	env -u DATABASE_URL $(BIN)/pytest -q -p no:cacheprovider

test-postgres:
	@if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || $(BIN)/python -c "import psycopg;psycopg.connect('$(PG_URL)',connect_timeout=3)" 2>/dev/null; then \
	  DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -p no:cacheprovider; \
	elif [ -n "$$CI" ]; then echo "PostgreSQL 未运行（127.0.0.1:5432）：CI 必须在 PostgreSQL 上测试"; exit 1; \
	else echo "提示：PostgreSQL 未运行（127.0.0.1:5432），本次只在 SQLite 上测试"; fi

lint:
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/lint-imports

typecheck:
	$(BIN)/mypy

bench:
	$(BIN)/python benchmarks/bench_demo.py

clean:
	rm -rf var .pytest_cache .ruff_cache .mypy_cache
