#!/bin/sh
# Waits for PostgreSQL; only the web container (MIGRATE=1) applies migrations.
set -e
until pg_isready -d "$DATABASE_URL" -q; do
  echo "En attente de PostgreSQL…"
  sleep 1
done
if [ "${MIGRATE:-0}" = "1" ]; then
  python manage.py migrate --noinput
fi
exec "$@"
