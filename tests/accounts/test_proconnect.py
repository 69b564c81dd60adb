"""ProConnect (OpenID Connect) is switched on by environment variables alone, and off by default."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = (
    "import django; django.setup(); from django.conf import settings;"
    "print(settings.SOCIALACCOUNT_PROVIDERS)"
)


def configured_providers(**env) -> str:
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
        timeout=600,
        check=True,
    )
    return result.stdout


def test_proconnect_is_off_by_default():
    assert configured_providers().strip() == "{}"


def test_proconnect_is_configured_from_the_environment():
    output = configured_providers(
        PROCONNECT_CLIENT_ID="maillage-client", PROCONNECT_CLIENT_SECRET="s3cret"
    )
    assert "'provider_id': 'proconnect'" in output
    assert "'client_id': 'maillage-client'" in output


@pytest.mark.django_db
def test_login_page_offers_proconnect_when_configured(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "proconnect",
                    "name": "ProConnect",
                    "client_id": "id",
                    "secret": "s",
                    "settings": {
                        "server_url": "https://proconnect.example/.well-known/openid-configuration"
                    },
                }
            ]
        }
    }
    html = client.get("/comptes/login/").content.decode()
    assert "ProConnect" in html
    assert "/comptes/oidc/proconnect/login/" in html


@pytest.mark.django_db
def test_login_page_has_no_proconnect_by_default(client):
    assert "ProConnect" not in client.get("/comptes/login/").content.decode()
