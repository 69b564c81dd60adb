"""« Envoyer maintenant » asks first: the exact number of recipients and the audience, the
number typed again above the threshold, and a send refused when the audience changed."""

from django.test import override_settings

import pytest

from newsletter.models import Campaign
from tests.factories.accounts import hub_staff
from tests.factories.newsletter import CampaignFactory, SubscriberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(hub_staff(email="equipe@hub.fr"))
    return client


def url(campaign) -> str:
    return f"/admin/lettre/campagnes/{campaign.pk}/envoyer/"


def status(campaign) -> str:
    return Campaign.objects.get(pk=campaign.pk).status


def test_the_confirmation_page_says_how_many_and_who(staff_client):
    SubscriberFactory.create_batch(3)
    campaign = CampaignFactory(segment_departement="35")
    html = staff_client.get(url(campaign)).content.decode()
    assert "à 3 personnes ?" in html
    assert "du département 35" in html
    assert status(campaign) == Campaign.Status.DRAFT


def test_a_get_or_a_post_without_the_number_sends_nothing(staff_client):
    SubscriberFactory()
    campaign = CampaignFactory()
    staff_client.get(url(campaign))
    assert staff_client.post(url(campaign)).status_code == 400
    assert status(campaign) == Campaign.Status.DRAFT


def test_confirmed_send_starts(staff_client):
    SubscriberFactory.create_batch(2)
    campaign = CampaignFactory()
    response = staff_client.post(url(campaign), {"recipients": "2"})
    assert response.status_code == 302
    assert status(campaign) != Campaign.Status.DRAFT


def test_a_changed_audience_is_shown_again(staff_client):
    SubscriberFactory.create_batch(2)
    campaign = CampaignFactory()
    SubscriberFactory()  # someone confirmed while the page was open
    response = staff_client.post(url(campaign), {"recipients": "2"})
    assert response.status_code == 400
    assert "partirait maintenant à 3 personnes" in response.content.decode()
    assert status(campaign) == Campaign.Status.DRAFT


@override_settings(NEWSLETTER_TYPED_CONFIRMATION_FROM=3)
def test_above_the_threshold_the_number_must_be_typed(staff_client):
    SubscriberFactory.create_batch(3)
    campaign = CampaignFactory()
    assert 'name="typed"' in staff_client.get(url(campaign)).content.decode()
    refused = staff_client.post(url(campaign), {"recipients": "3", "typed": "30"})
    assert refused.status_code == 400
    assert "Tapez le nombre exact de destinataires (3)" in refused.content.decode()
    assert status(campaign) == Campaign.Status.DRAFT
    assert staff_client.post(url(campaign), {"recipients": "3", "typed": "3"}).status_code == 302
    assert status(campaign) != Campaign.Status.DRAFT


def test_below_the_threshold_no_typing_is_asked(staff_client):
    SubscriberFactory()
    assert 'name="typed"' not in staff_client.get(url(CampaignFactory())).content.decode()
