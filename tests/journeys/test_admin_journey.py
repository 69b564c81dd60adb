import pytest

from portal.models import HomePage
from tests.factories.accounts import DEFAULT_PASSWORD, hub_staff

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_hub_staff_logs_into_wagtail_and_edits_home_without_csp_errors(page):
    hub_staff(email="morgane@hub.fr")
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.goto("/admin/")
    page.get_by_label("E-mail").fill("morgane@hub.fr")
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url("**/admin/")
    page.goto(f"/admin/pages/{HomePage.objects.get().pk}/edit/")
    page.get_by_role("button", name="Enregistrer le brouillon").wait_for()
    assert not [error for error in errors if "Content Security Policy" in error]
