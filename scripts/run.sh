#!/usr/bin/env bash
# Starts Maillage on the embedded default: SQLite, file outbox in var/outbox, and a real Celery
# worker with beat on a file-based broker. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export DJANGO_SETTINGS_MODULE=portal.settings.dev
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
export SITE_URL=${SITE_URL:-http://$HOST:$PORT}
mkdir -p var/outbox

.venv/bin/python manage.py load_demo

.venv/bin/celery -A portal worker -B -l warning --concurrency 2 \
  --schedule var/celerybeat-schedule > var/celery.log 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null; wait $worker 2>/dev/null; exit 0' INT TERM EXIT

echo
echo "  Maillage est lancé : $SITE_URL/"
echo "  Administration : $SITE_URL/admin/  (equipe@hub-demo.fr / demo-equipe-2026)"
echo "  Médiatrice de démo : camille@demo-mediation.fr / demo-mediation-2026"
echo "  Courriels envoyés : var/outbox/   Journal Celery : var/celery.log"
echo "  Ctrl-C pour arrêter."
echo
.venv/bin/python manage.py runserver "$HOST:$PORT" --noreload
