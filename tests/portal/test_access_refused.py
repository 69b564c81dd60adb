"""Every 403 of the portal is a French page that says why and what to do (handler403), and
/admin/ answers a signed-in person without access with « accès réservé à l'équipe du Hub »
instead of the login page, which sent them back to /admin/ (ERR_TOO_MANY_REDIRECTS)."""

from django.test import Client

import pytest

from tests.factories.accounts import UserFactory, hub_staff, structure_manager
from tests.factories.directory import PlaceFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("make_user", [UserFactory, structure_manager])
@pytest.mark.parametrize("url", ["/admin/", "/admin/pages/", "/admin/login/?next=/admin/"])
def test_admin_without_access_is_a_french_page_never_a_loop(client, make_user, url):
    client.force_login(make_user(email="mediatrice@exemple.fr"))
    response = client.get(url, follow=True)
    assert response.redirect_chain == []
    assert response.status_code == 403
    text = response.content.decode()
    assert "Accès réservé à l&#x27;équipe du Hub" in text
    assert "L&#x27;administration du portail est réservée à l&#x27;équipe du Hub" in text
    assert 'href="/mon-espace/"' in text
    assert "mediatrice@exemple.fr" in text  # which account is signed in
    assert "Accès refusé" not in text


def test_anonymous_visitors_of_the_admin_still_reach_the_login_form(client):
    response = client.get("/admin/", follow=True)
    assert response.status_code == 200
    assert len(response.redirect_chain) <= 2
    assert response.redirect_chain[-1][0].startswith("/comptes/login/")


def test_staff_still_open_the_admin(client):
    client.force_login(hub_staff())
    assert client.get("/admin/").status_code == 200


def test_a_refusal_shows_its_own_reason(client):
    client.force_login(UserFactory())
    response = client.get(f"/annuaire/{PlaceFactory().pk}/modifier/")
    assert response.status_code == 403
    text = response.content.decode()
    assert "Seuls les gestionnaires de la structure de ce lieu" in text
    assert "Que faire ?" in text


def test_a_refusal_without_a_reason_still_says_what_to_do(rf):
    from django.core.exceptions import PermissionDenied

    from portal.views import permission_denied

    request = rf.get("/quelque-part/")
    request.user = UserFactory()
    response = permission_denied(request, PermissionDenied())
    text = response.content.decode()
    assert response.status_code == 403
    assert "votre compte n'en fait pas partie" in text
    assert "écrivez à l'équipe du Hub" in text


def test_a_form_sent_without_its_csrf_token_gets_a_french_page(db):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    response = client.post("/mon-espace/profil/", {"first_name": "Loane"})
    assert response.status_code == 403
    text = response.content.decode()
    assert "Formulaire expiré" in text
    assert "rechargez-la" in text
    assert "CSRF verification failed" not in text
