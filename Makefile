# Maillage — `make help` lists the targets.
.DEFAULT_GOAL := help
PY := .venv/bin/python

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*## "} {printf "  make %-8s %s\n", $$1, $$2}'

setup: ## Install: .venv, pinned dependencies, migrations
	@bash scripts/setup.sh

run: ## Start the portal with demo content (web, Celery worker and beat) until Ctrl-C
	@bash scripts/run.sh

test: ## Run the whole test suite (SQLite, then PostgreSQL when DATABASE_URL is set)
	@bash scripts/test.sh

demo: setup ## Load the demo content (idempotent)
	@$(PY) manage.py load_demo

worker: setup ## Start a Celery worker with beat, alone
	@.venv/bin/celery -A portal worker -B -l info

lint: setup ## ruff check and format check
	@.venv/bin/ruff check . && .venv/bin/ruff format --check .

format: setup ## Format and fix with ruff
	@.venv/bin/ruff format . && .venv/bin/ruff check --fix .

bench: ## Benchmarks (ARGS=--small for a quick run)
	@bash scripts/bench.sh $(ARGS)

lock: ## Re-pin dependencies from pyproject.toml into requirements.lock
	@.venv/bin/uv pip compile pyproject.toml --extra dev --python-version 3.12 -q -o requirements.lock

.PHONY: help setup run test demo worker lint format bench lock
