"""The production configuration, run for real: `check --deploy` is silent, and gunicorn serves
the home page and a static file (whitenoise) against PostgreSQL and Redis."""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.db import connection

import pytest
import redis

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def production_env(**extra) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST_", "EMAIL_", "DATABASE_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/maillage",
            "REDIS_URL": os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15"),
            "ALLOWED_HOSTS": "127.0.0.1,maillage.example.org",
            "SITE_URL": "https://maillage.example.org",
            "EMAIL_HOST": "127.0.0.1",
            **extra,
        }
    )
    return env


def test_check_deploy_prints_no_warning():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret():
    env = production_env()
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, bytes, dict]:
    request = urllib.request.Request(
        url, headers={"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        return response.status, response.read(), dict(response.headers)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_gunicorn_serves_home_and_static_files(tmp_path, postgres_only):
    env = production_env(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{connection.settings_dict['NAME']}",
        STATIC_ROOT=str(tmp_path / "static"),
    )
    # Wagtail caches site root paths in Redis: start from an empty cache, not a previous run's.
    redis.Redis.from_url(env["REDIS_URL"]).flushdb()
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=900,
    )
    port = free_port()
    server = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 300
        while True:
            try:
                fetch(f"{base}/healthz")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        status, body, headers = fetch(f"{base}/")
        assert status == 200
        assert '<html lang="fr">' in body.decode()
        assert "max-age" in headers["Strict-Transport-Security"]
        assert "secure" in headers.get("Set-Cookie", "secure").lower()
        manifest = (tmp_path / "static" / "staticfiles.json").read_text()
        hashed_css = next(
            name
            for name in manifest.split('"')
            if name.startswith("css/maillage.") and name.endswith(".css")
        )
        status, body, headers = fetch(f"{base}/static/{hashed_css}")
        assert status == 200
        assert b"--brand" in body
        assert "max-age" in headers["Cache-Control"]
    finally:
        server.terminate()
        server.wait(timeout=60)
