#!/usr/bin/env bash
# Benchmarks on PostgreSQL and Redis (see bench/run.py); not part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
SKIP_MIGRATE=1 bash scripts/setup.sh
exec .venv/bin/python bench/run.py "$@"
