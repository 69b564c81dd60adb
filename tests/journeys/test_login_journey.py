import pytest
from playwright.sync_api import expect

from tests.factories.accounts import DEFAULT_PASSWORD, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_home_then_login_then_my_space(page):
    UserFactory(email="camille@exemple.fr", first_name="Camille")
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Aller au contenu"
    page.get_by_role("link", name="Se connecter").click()
    page.get_by_label("E-mail").fill("camille@exemple.fr")
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url("**/mon-espace/")
    expect(page.get_by_role("heading", name="Mon espace", level=1)).to_be_visible()
    assert "camille@exemple.fr" in page.content()


def test_wrong_password_shows_french_error(page):
    UserFactory(email="alex@exemple.fr")
    page.goto("/comptes/login/")
    page.get_by_label("E-mail").fill("alex@exemple.fr")
    page.get_by_label("Mot de passe").fill("pas-le-bon")
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_text("incorrects")).to_be_visible()
