import re

from django.core import mail
from django.test import Client

import pytest

from accounts.services import user_delete, user_export_data
from newsletter.models import Campaign, Subscriber
from newsletter.services import campaign_send
from tests.factories.accounts import UserFactory
from tests.factories.newsletter import CampaignFactory, SubscriberFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def test_footer_form_is_on_every_page(client):
    ThemeFactory(name="Accès aux droits")
    html = client.get("/lettre/inscription/").content.decode()
    assert 'action="/lettre/inscription/"' in html
    assert "Accès aux droits" in html
    assert 'value="pied-de-page"' in html


def test_subscribe_from_footer_then_confirm(client, django_capture_on_commit_callbacks):
    theme = ThemeFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/lettre/inscription/",
            {
                "email": "alex@exemple.fr",
                "themes": [theme.pk],
                "departement": "35",
                "consent": "on",
                "source": "pied-de-page",
            },
        )
    assert "Vérifiez votre boîte" in response.content.decode()
    subscriber = Subscriber.objects.get()
    assert subscriber.consent_source == "Formulaire du pied de page"
    link = re.search(r"http://127.0.0.1:8000(/lettre/confirmer/[^/]+/)", mail.outbox[0].body)[1]
    assert client.get(link).status_code == 200
    assert Subscriber.objects.get().status == "pending"  # a GET (a link scanner) confirms nothing
    assert "Inscription confirmée" in client.post(link).content.decode()
    assert Subscriber.objects.get().status == "confirmed"
    again = client.post(link)
    assert again.status_code == 400
    assert "déjà servi" in again.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "alex@", "consent": "on"}, "adresse électronique valide"),
        ({"email": "alex@exemple.fr"}, "Cochez cette case"),
        (
            {"email": "alex@exemple.fr", "consent": "on", "departement": "999"},
            "numéro de département",
        ),
    ],
)
def test_bad_subscription_shows_french_error_and_changes_nothing(client, data, message):
    response = client.post("/lettre/inscription/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Subscriber.objects.exists()


def test_already_confirmed_address_gets_a_french_message(client):
    SubscriberFactory(email="alex@exemple.fr")
    response = client.post("/lettre/inscription/", {"email": "alex@exemple.fr", "consent": "on"})
    assert response.status_code == 400
    assert "déjà inscrite" in response.content.decode()
    assert not mail.outbox


def test_forged_confirmation_link(client):
    response = client.post("/lettre/confirmer/forge/")
    assert response.status_code == 400
    assert "pas valide" in response.content.decode()


def test_one_click_unsubscribe_without_csrf_or_login():
    subscriber = SubscriberFactory()
    campaign = CampaignFactory(status=Campaign.Status.SENT)
    client = Client(enforce_csrf_checks=True)
    url = f"/lettre/desinscription/{subscriber.unsubscribe_token}/?campagne={campaign.pk}"
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert subscriber.unsubscribed_from == campaign
    assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200


def test_unsubscribe_get_only_shows_a_button(client):
    subscriber = SubscriberFactory()
    url = f"/lettre/desinscription/{subscriber.unsubscribe_token}/"
    response = client.get(url)
    assert "Me désinscrire" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert "Vous ne recevrez plus" in client.post(url).content.decode()
    assert "déjà désinscrite" in client.post(url).content.decode()


def test_unsubscribe_with_a_mangled_campaign_parameter_still_works(client):
    subscriber = SubscriberFactory()
    url = f"/lettre/desinscription/{subscriber.unsubscribe_token}/?campagne=abc"
    assert client.post(url).status_code == 200
    subscriber.refresh_from_db()
    assert (subscriber.status, subscriber.unsubscribed_from) == ("unsubscribed", None)


def test_unknown_unsubscribe_token_is_404(client):
    response = client.post("/lettre/desinscription/inconnu/")
    assert response.status_code == 404
    assert "pas valide" in response.content.decode()


def test_my_space_one_click_subscription(client):
    user = UserFactory(email="camille@exemple.fr")
    client.force_login(user)
    assert "Recevoir la lettre à camille@exemple.fr" in client.get("/mon-espace/").content.decode()
    client.post("/lettre/mon-espace/inscription/")
    assert Subscriber.objects.get(user=user).status == Subscriber.Status.CONFIRMED
    html = client.get("/mon-espace/").content.decode()
    assert "Vous recevez la lettre d'information" in html
    response = client.post("/lettre/mon-espace/inscription/", follow=True)
    assert "déjà inscrite" in response.content.decode()


def test_my_space_subscription_requires_login(client):
    response = client.post("/lettre/mon-espace/inscription/")
    assert response.status_code == 302
    assert "/comptes/login/" in response["Location"]
    assert not Subscriber.objects.exists()


def test_personal_data_export_and_erasure():
    user = UserFactory(email="camille@exemple.fr")
    SubscriberFactory(email="camille@exemple.fr", consent_source="Formulaire du pied de page")
    data = user_export_data(user=user)["lettre_information"]
    assert data["consentement"]["origine"] == "Formulaire du pied de page"
    user_delete(user=user)
    subscriber = Subscriber.objects.get()
    assert subscriber.email.endswith("@anonyme.invalid")
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert not subscriber.consent_text


def test_archive_lists_sent_campaigns_only_with_constant_queries(
    client, django_assert_max_num_queries
):
    for number in range(3):
        CampaignFactory(
            subject=f"Lettre de mars {number}",
            status=Campaign.Status.SENT,
            sent_html="<p>Contenu figé</p>",
        )
    CampaignFactory(subject="Brouillon secret")
    client.get("/lettre/")
    with django_assert_max_num_queries(12):
        html = client.get("/lettre/").content.decode()
    assert "Lettre de mars 2" in html
    assert "Brouillon secret" not in html


def test_archive_detail_has_no_personal_link(client, django_capture_on_commit_callbacks):
    subscriber = SubscriberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        campaign = campaign_send(campaign=CampaignFactory())
    html = client.get(f"/lettre/archives/{campaign.pk}/").content.decode()
    assert "Le <a" in html and "À la une" in html
    assert subscriber.unsubscribe_token not in html
    draft = CampaignFactory()
    assert client.get(f"/lettre/archives/{draft.pk}/").status_code == 404
