"""The profile form (issue 17 §5): names required as at sign-up, errors in French next to
their field, phones checked, stored in E.164 and shown the French way (core.phones, the one
rule the directory uses too)."""

import pytest

from core.phones import phone_display, phone_normalise
from directory.display import phone as place_phone

pytestmark = pytest.mark.django_db

PROFILE = "/mon-espace/profil/"


def post(client, **overrides):
    data = {"first_name": "Camille", "last_name": "Martin", "departement": "35", "phone": ""}
    return client.post(PROFILE, {**data, **overrides})


def test_empty_surname_and_wrong_phone_are_refused_in_french(client, user):
    client.force_login(user)
    before = (user.last_name, user.phone)
    response = post(client, last_name="", phone="abc")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Champ requis." in page or "Ce champ est obligatoire." in page
    assert "Un numéro de téléphone français" in page
    user.refresh_from_db()
    assert (user.last_name, user.phone) == before


def test_phone_stored_in_e164_and_shown_by_pairs(client, user):
    client.force_login(user)
    assert post(client, phone="02.99.00.11.22").status_code == 302
    user.refresh_from_db()
    assert user.phone == "+33299001122"
    assert 'value="02 99 00 11 22"' in client.get(PROFILE).content.decode()


def test_one_phone_rule_for_places_and_people():
    assert phone_normalise("0033 2 99 00 11 22") == "+33299001122"
    assert phone_normalise("abc") is None
    assert phone_display("+262262001122") == "02 62 00 11 22"
    assert place_phone("+33299001122") == phone_display("+33299001122") == "02 99 00 11 22"
