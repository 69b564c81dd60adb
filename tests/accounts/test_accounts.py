import json
import re

from django.core import mail
from django.urls import reverse

import pytest
from allauth.account.models import EmailAddress

from accounts.models import User
from accounts.roles import HUB_STAFF, NUMERITHEQUE_MANAGER, STRUCTURE_MANAGER
from tests.factories.accounts import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PRIVATE_URLS = [
    "/mon-espace/",
    "/mon-espace/profil/",
    "/mon-espace/mes-donnees.json",
    "/mon-espace/supprimer-mon-compte/",
    "/comptes/email/",
    "/comptes/password/change/",
]


def signup(client, **overrides):
    data = {
        "email": "camille.martin@exemple.fr",
        "first_name": "Camille",
        "last_name": "Martin",
        "field_role": "conseiller",
        "departement": "35",
        "password1": "une-phrase-de-passe-longue",
        "password2": "une-phrase-de-passe-longue",
        **overrides,
    }
    return client.post(reverse("account_signup"), data)


def test_roles_exist_with_permissions():
    from django.contrib.auth.models import Group

    staff = Group.objects.get(name=HUB_STAFF)
    assert staff.permissions.filter(codename="access_admin").exists()
    assert Group.objects.filter(name=STRUCTURE_MANAGER).exists()
    assert Group.objects.filter(name=NUMERITHEQUE_MANAGER).exists()


def test_signup_sends_verification_email_and_link_activates(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signup(client)
    assert response.status_code == 302
    user = User.objects.get(email="camille.martin@exemple.fr")
    assert (user.first_name, user.field_role, user.departement) == ("Camille", "conseiller", "35")
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/comptes/confirm-email/\S+/", mail.outbox[0].body).group(0)
    path = "/" + link.split("/", 3)[3]
    assert client.get(path).status_code == 200
    client.post(path)
    assert EmailAddress.objects.get(user=user).verified


def test_unverified_user_cannot_log_in(client):
    UserFactory(email="nouveau@exemple.fr", verified=False)
    client.post(
        reverse("account_login"), {"login": "nouveau@exemple.fr", "password": DEFAULT_PASSWORD}
    )
    assert client.get("/mon-espace/").status_code == 302


def test_signup_bad_input_is_french_and_creates_nothing(client):
    response = signup(
        client, email="pas-une-adresse", password2="autre-chose-encore", departement="999"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Saisissez une adresse de courriel valide" in html
    assert "Indiquez un numéro de département" in html
    assert not User.objects.exists()


def test_wrong_password_message_is_french(client, user):
    response = client.post(reverse("account_login"), {"login": user.email, "password": "faux"})
    assert (
        "L’adresse e-mail et/ou le mot de passe que vous avez spécifiés sont incorrects"
        in response.content.decode()
        or "incorrect" in response.content.decode()
    )


def test_five_wrong_passwords_are_throttled(client, user):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": user.email, "password": "mauvais"})
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code in {200, 429}
    assert client.get("/mon-espace/").status_code == 302


@pytest.mark.parametrize("url", PRIVATE_URLS)
def test_private_urls_refuse_anonymous(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/comptes/login/")


def test_admin_refuses_anonymous_and_mediators(client, user):
    assert client.get("/admin/").status_code == 302
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code in {302, 403}


def test_admin_accepts_hub_staff(client, staff_user):
    client.force_login(staff_user)
    assert client.get("/admin/").status_code == 200


def test_my_space_shows_own_profile(client, user):
    client.force_login(user)
    response = client.get("/mon-espace/")
    assert response.status_code == 200
    assert user.email in response.content.decode()


def test_profile_edit_refuses_bad_departement(client, user):
    client.force_login(user)
    response = client.post(
        "/mon-espace/profil/", {"first_name": "A", "last_name": "B", "departement": "XYZ"}
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.first_name != "A"


def test_data_export_contains_only_own_data(client, user):
    other = UserFactory(email="autre@exemple.fr")
    client.force_login(user)
    response = client.get("/mon-espace/mes-donnees.json")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["compte"]["email"] == user.email
    assert other.email not in response.content.decode()


def test_account_deletion_needs_confirmation_then_erases(client, user):
    client.force_login(user)
    response = client.post("/mon-espace/supprimer-mon-compte/", {})
    assert "Cochez la case" in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()
    response = client.post("/mon-espace/supprimer-mon-compte/", {"confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()


def test_calendar_token_regeneration(client, user):
    old = user.calendar_token
    client.force_login(user)
    assert client.get("/mon-espace/calendrier/nouvelle-adresse/").status_code == 405
    client.post("/mon-espace/calendrier/nouvelle-adresse/")
    user.refresh_from_db()
    assert user.calendar_token != old
