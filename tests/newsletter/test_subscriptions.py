import re
from datetime import timedelta

from django.core import mail
from django.utils import timezone

import pytest
import time_machine

from core.errors import DomainError
from newsletter import services
from newsletter.models import Subscriber
from tests.factories.accounts import UserFactory
from tests.factories.newsletter import SubscriberFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def confirm_token_from_mail() -> str:
    return re.search(r"/lettre/confirmer/([^/]+)/", mail.outbox[-1].body).group(1)


def test_subscribe_records_consent_and_sends_the_opt_in(django_capture_on_commit_callbacks):
    theme = ThemeFactory()
    with django_capture_on_commit_callbacks(execute=True):
        subscriber = services.subscriber_subscribe(
            email=" Alex@Exemple.FR ",
            interests={"themes": [theme], "departement": "35"},
            source="Formulaire du pied de page",
            name="Alex",
        )
    assert subscriber.email == "alex@exemple.fr"
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.consent_source == "Formulaire du pied de page"
    assert "me désinscrire à tout moment" in subscriber.consent_text
    assert subscriber.consent_at is not None
    assert list(subscriber.themes.all()) == [theme]
    assert subscriber.departement == "35"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alex@exemple.fr"]
    assert confirm_token_from_mail() == subscriber.confirm_token
    assert mail.outbox[0].alternatives  # an HTML part too


def test_confirm_within_seven_days(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.subscriber_subscribe(email="alex@exemple.fr")
    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
        subscriber = services.subscriber_confirm(token=confirm_token_from_mail())
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.confirm_token is None


def test_expired_token_is_refused_and_changes_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.subscriber_subscribe(email="alex@exemple.fr")
    with (
        time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)),
        pytest.raises(DomainError) as error,
    ):
        services.subscriber_confirm(token=confirm_token_from_mail())
    assert error.value.code == "expired_token"
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


@pytest.mark.parametrize("token", ["forge", "", "x" * 43])
def test_forged_token_is_refused(token):
    SubscriberFactory(status=Subscriber.Status.PENDING, confirm_token="vrai-jeton")
    with pytest.raises(DomainError) as error:
        services.subscriber_confirm(token=token)
    assert error.value.code == "invalid_token"


def test_a_used_token_cannot_serve_twice(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.subscriber_subscribe(email="alex@exemple.fr")
    token = confirm_token_from_mail()
    services.subscriber_confirm(token=token)
    with pytest.raises(DomainError) as error:
        services.subscriber_confirm(token=token)
    assert error.value.code == "invalid_token"


@pytest.mark.parametrize("email", ["alex@", "pas une adresse", "alex@exemple", ""])
def test_invalid_address_is_refused_and_nothing_is_created(email):
    with pytest.raises(DomainError) as error:
        services.subscriber_subscribe(email=email)
    assert error.value.code == "invalid_email"
    assert not Subscriber.objects.exists()
    assert not mail.outbox


def test_a_typo_in_a_real_domain_is_accepted():
    assert services.subscriber_subscribe(email="alex@gmial.com").status == "pending"


def test_invalid_departement_is_refused():
    with pytest.raises(DomainError) as error:
        services.subscriber_subscribe(email="a@exemple.fr", interests={"departement": "999"})
    assert error.value.code == "invalid_departement"
    assert not Subscriber.objects.exists()


def test_already_confirmed_is_refused_and_unchanged():
    subscriber = SubscriberFactory(email="alex@exemple.fr", name="Alex", departement="29")
    with pytest.raises(DomainError) as error:
        services.subscriber_subscribe(
            email="ALEX@exemple.fr", interests={"departement": "35"}, name="Autre"
        )
    assert error.value.code == "already_confirmed"
    subscriber.refresh_from_db()
    assert (subscriber.status, subscriber.name, subscriber.departement) == (
        "confirmed",
        "Alex",
        "29",
    )
    assert not mail.outbox


def test_resubscribing_after_unsubscribe_needs_a_new_opt_in(django_capture_on_commit_callbacks):
    subscriber = SubscriberFactory(email="alex@exemple.fr")
    services.subscriber_unsubscribe(token=subscriber.unsubscribe_token)
    with django_capture_on_commit_callbacks(execute=True):
        again = services.subscriber_subscribe(email="alex@exemple.fr")
    assert again.pk == subscriber.pk
    assert again.status == Subscriber.Status.PENDING
    assert len(mail.outbox) == 1
    services.subscriber_confirm(token=confirm_token_from_mail())
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED


def test_unsubscribe_then_again_is_refused():
    subscriber = SubscriberFactory()
    services.subscriber_unsubscribe(token=subscriber.unsubscribe_token)
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert subscriber.unsubscribed_at is not None
    with pytest.raises(DomainError) as error:
        services.subscriber_unsubscribe(token=subscriber.unsubscribe_token)
    assert error.value.code == "already_unsubscribed"


def test_unknown_token_is_refused():
    with pytest.raises(DomainError) as error:
        services.subscriber_unsubscribe(token="inconnu")
    assert error.value.code == "invalid_token"


def test_verified_account_is_confirmed_in_one_click():
    user = UserFactory(email="camille@exemple.fr", departement="29")
    subscriber = services.subscriber_subscribe_account(user=user)
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.user == user
    assert "Mon espace" in subscriber.consent_source
    assert not mail.outbox


def test_unverified_account_gets_the_opt_in(django_capture_on_commit_callbacks):
    user = UserFactory(email="camille@exemple.fr", verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        subscriber = services.subscriber_subscribe_account(user=user)
    assert subscriber.status == Subscriber.Status.PENDING
    assert len(mail.outbox) == 1


def test_already_subscribed_account_is_refused():
    user = UserFactory(email="camille@exemple.fr")
    SubscriberFactory(email="camille@exemple.fr")
    with pytest.raises(DomainError) as error:
        services.subscriber_subscribe_account(user=user)
    assert error.value.code == "already_confirmed"
