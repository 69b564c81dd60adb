"""ProConnect (OpenID Connect) is switched on by settings alone, and off by default."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = (
    "import django; django.setup();"
    "from allauth.socialaccount.adapter import get_adapter;"
    "print([(app.provider_id, app.name) for app in get_adapter().list_apps(None)])"
)


def providers(**env) -> str:
    inherited = {
        key: value for key, value in os.environ.items() if not key.startswith("PROCONNECT_")
    }
    environment = {**inherited, "DJANGO_SETTINGS_MODULE": "portal.settings.test", **env}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


def test_proconnect_is_off_by_default():
    assert "proconnect" not in providers()


def test_proconnect_is_configured_from_the_environment():
    output = providers(PROCONNECT_CLIENT_ID="maillage-client", PROCONNECT_CLIENT_SECRET="s3cret")
    assert "('proconnect', 'ProConnect')" in output
