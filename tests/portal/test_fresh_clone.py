"""A fresh clone has no var/ folder: any manage.py command that enqueues a task on the embedded
file broker must still work (it failed with FileNotFoundError: var/celery/queue)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENQUEUE = "from core.tasks import retention_apply; retention_apply.delay()"


def test_a_command_enqueues_on_a_fresh_clone(tmp_path):
    var = tmp_path / "var"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("REDIS_URL", "CELERY_BROKER_URL", "DATABASE_URL")
    }
    env |= {"DJANGO_SETTINGS_MODULE": "portal.settings.dev", "MAILLAGE_VAR_DIR": str(var)}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", ENQUEUE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert len(list((var / "celery" / "queue").iterdir())) == 1
    assert (var / "celery" / "processed").is_dir() and (var / "celery" / "control").is_dir()
