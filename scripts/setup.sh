#!/usr/bin/env bash
# Installs Maillage for development: a virtual environment in .venv with the pinned dependencies,
# then the database migrations. Safe to run again: it only reinstalls when the lock file changed.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.12 python3.13 \
      "$HOME"/.pyenv/versions/3.12*/bin/python3 "$HOME"/.pyenv/versions/3.13*/bin/python3 \
      /usr/local/bin/python3.13 /usr/local/bin/python3.12 python3; do
    [ -n "$candidate" ] || continue
    command -v "$candidate" >/dev/null 2>&1 || [ -x "$candidate" ] || continue
    if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}

if [ ! -x .venv/bin/python ]; then
  python=$(find_python) || { echo "Maillage a besoin de Python 3.12 ou plus récent (variable PYTHON pour l'indiquer)." >&2; exit 1; }
  echo "→ Environnement virtuel .venv avec $python"
  "$python" -m venv .venv
fi

stamp=.venv/.requirements.lock.sha256
wanted=$(sha256sum requirements.lock | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  echo "→ Dépendances épinglées (requirements.lock)"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check "uv==0.13.9"
  .venv/bin/uv pip sync --quiet --python .venv/bin/python requirements.lock
  echo "$wanted" > "$stamp"
fi

if [ "${SKIP_MIGRATE:-0}" != "1" ]; then
  echo "→ Migrations"
  .venv/bin/python manage.py migrate --noinput -v 0
fi
