#!/usr/bin/env bash
# The whole test suite: lint, Django checks, migrations in sync, then pytest on SQLite and, when
# DATABASE_URL points at PostgreSQL, again on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
SKIP_MIGRATE=1 bash scripts/setup.sh
export DJANGO_SETTINGS_MODULE=portal.settings.test
PYTEST_ARGS=("$@")

echo "→ ruff"
.venv/bin/ruff check .
echo "→ manage.py check et migrations"
DATABASE_URL= .venv/bin/python manage.py check
DATABASE_URL= .venv/bin/python manage.py makemigrations --check --dry-run --noinput >/dev/null \
  || { echo "Des migrations manquent : lancez manage.py makemigrations." >&2; exit 1; }

pg_url=${DATABASE_URL:-}
echo "→ pytest sur SQLite"
DATABASE_URL= .venv/bin/python -m pytest -n 2 --dist loadgroup "${PYTEST_ARGS[@]}"
if [[ "$pg_url" == postgres* ]]; then
  echo "→ pytest sur PostgreSQL"
  DATABASE_URL=$pg_url .venv/bin/python -m pytest -n 2 --dist loadgroup "${PYTEST_ARGS[@]}"
fi
