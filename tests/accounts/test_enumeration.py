"""Sign-up and password reset answer the same, send one email and do the same costly work
(hashing) whether or not an account exists. The work is compared by counting hashes and
emails per code path, not by timing requests."""

from unittest import mock

from django.contrib.auth.hashers import get_hasher
from django.core import mail

import pytest

from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "une-phrase-de-passe-longue"


def sign_up(client, email, capture):
    hasher = type(get_hasher())
    with (
        mock.patch.object(hasher, "encode", autospec=True, side_effect=hasher.encode) as encode,
        capture(execute=True),
    ):
        response = client.post(
            "/comptes/signup/",
            {
                "email": email,
                "password1": PASSWORD,
                "password2": PASSWORD,
                "first_name": "Loane",
                "last_name": "Le Goff",
            },
        )
    return response, encode.call_count


def test_sign_up_does_the_same_for_an_existing_and_a_new_address(
    client, django_capture_on_commit_callbacks
):
    existing = UserFactory(email="deja@exemple.fr")
    known, known_hashes = sign_up(client, existing.email, django_capture_on_commit_callbacks)
    known_mails = len(mail.outbox)
    client.logout()
    new, new_hashes = sign_up(client, "nouvelle@exemple.fr", django_capture_on_commit_callbacks)
    assert (known.status_code, known["Location"]) == (new.status_code, new["Location"])
    assert known_hashes == new_hashes == 1
    assert known_mails == len(mail.outbox) - known_mails == 1


def test_password_reset_answers_the_same_and_sends_one_email_either_way(
    client, django_capture_on_commit_callbacks
):
    existing = UserFactory(email="deja@exemple.fr")
    answers = []
    for email in (existing.email, "inconnue@exemple.fr"):
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/comptes/password/reset/", {"email": email})
        answers.append((response.status_code, response["Location"], len(mail.outbox) - before))
    assert answers[0] == answers[1]
    assert answers[0][2] == 1
