"""The agenda blocks of a campaign: filled from the agenda at send time, in both parts of the
message, and frozen in the archive."""

import datetime

from django.core import mail
from django.urls import reverse
from django.utils import timezone

import pytest

from events.dates import say_day
from events.models import Session
from newsletter import rendering, services
from tests.factories.directory import PlaceFactory
from tests.factories.events import SessionFactory, conference_page
from tests.factories.newsletter import CampaignFactory, SubscriberFactory, ThemeFactory

pytestmark = pytest.mark.django_db

UPCOMING = {
    "heading": "À venir près de chez vous",
    "kind": "",
    "themes": [],
    "departement": "",
    "days": 30,
    "month": "",
    "limit": 6,
}


def in_days(days: int, hour: int = 14) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def session(days: int = 7, *, title: str, **kwargs) -> Session:
    start = in_days(days)
    return SessionFactory(
        page=conference_page(title=title),
        start=start,
        end=start + datetime.timedelta(hours=2),
        **kwargs,
    )


def campaign_with(block_type: str, value: dict, **kwargs):
    return CampaignFactory(body=[("heading", {"text": "La lettre"}), (block_type, value)], **kwargs)


def test_upcoming_block_lists_matching_sessions_in_html_and_text():
    theme = ThemeFactory(name="Inclusion numérique")
    brest = PlaceFactory(name="Médiathèque de Brest", commune="Brest", departement="29")
    shown = session(title="Aidants Connect", kind=Session.Kind.TRAINING, venue=brest)
    shown.themes.add(theme)
    session(title="Autre département", kind=Session.Kind.TRAINING)
    session(title="Autre type", kind=Session.Kind.CONFERENCE, venue=brest).themes.add(theme)
    session(title="Trop tard", kind=Session.Kind.TRAINING, venue=brest, days=60)
    session(title="Annulée", venue=brest, status=Session.Status.CANCELLED)
    value = {**UPCOMING, "kind": "training", "themes": [theme], "departement": "29"}
    html = rendering.body_html(campaign_with("upcoming", value))
    assert "À venir près de chez vous" in html
    assert "Aidants Connect" in html and "Médiathèque de Brest, Brest" in html
    for hidden in ("Autre département", "Autre type", "Trop tard", "Annulée"):
        assert hidden not in html
    assert "<table" in html and "style=" in html
    assert f'href="http://127.0.0.1:8000/agenda/sessions/{shown.pk}/"' in html
    text = rendering.html_to_text(html)
    start = timezone.localtime(shown.start)
    assert "Aidants Connect (http://127.0.0.1:8000/agenda/sessions/" in text
    assert f"{say_day(start)}, 14 h – 16 h" in text


def test_upcoming_block_by_month_and_limit():
    next_month = (timezone.localdate().replace(day=1) + datetime.timedelta(days=40)).replace(day=1)
    days = (next_month - timezone.localdate()).days
    for number in range(3):
        session(days=days + number, title=f"Atelier {number}")
    session(days=days + 40, title="Le mois suivant")
    value = {**UPCOMING, "month": f"{next_month:%Y-%m}", "limit": 2}
    html = rendering.body_html(campaign_with("upcoming", value))
    assert "Atelier 0" in html and "Atelier 1" in html
    assert "Atelier 2" not in html and "Le mois suivant" not in html


def test_empty_agenda_block_renders_nothing():
    html = rendering.body_html(campaign_with("upcoming", UPCOMING))
    assert UPCOMING["heading"] not in html


def test_new_trainings_block_keeps_trainings_announced_recently():
    session(title="Nouvelle formation Pix", kind=Session.Kind.TRAINING)
    old = session(title="Formation annoncée il y a longtemps", kind=Session.Kind.TRAINING)
    Session.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(90))
    session(title="Une rencontre", kind=Session.Kind.CONFERENCE)
    value = {"heading": "Nouvelles formations", "days": 30, "limit": 6}
    html = rendering.body_html(campaign_with("new_trainings", value))
    assert "Nouvelle formation Pix" in html
    assert "il y a longtemps" not in html and "Une rencontre" not in html


def test_agenda_blocks_render_in_constant_queries(django_assert_max_num_queries):
    for number in range(8):
        session(days=number + 1, title=f"Atelier {number}")
    campaign = campaign_with("upcoming", {**UPCOMING, "limit": 20})
    with django_assert_max_num_queries(3):
        html = rendering.body_html(campaign)
    assert "Atelier 7" in html


def test_segments_still_apply_and_messages_carry_the_agenda(django_capture_on_commit_callbacks):
    session(title="Café numérique")
    in_29, whole_region = SubscriberFactory(departement="29"), SubscriberFactory(departement="")
    SubscriberFactory(departement="35")
    campaign = campaign_with("upcoming", UPCOMING, segment_departement="29")
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_send(campaign=campaign)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([in_29.email, whole_region.email])
    message = mail.outbox[0]
    assert "Café numérique" in message.body
    assert "Café numérique" in message.alternatives[0].content


def test_archive_shows_what_was_sent_after_the_agenda_changes(
    client, django_capture_on_commit_callbacks, staff_user
):
    sent_session = session(title="Atelier démarches en ligne")
    SubscriberFactory()
    campaign = campaign_with("upcoming", UPCOMING)
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_send(campaign=campaign)
    sent_session.page.title = "Atelier renommé ensuite"
    sent_session.page.save_revision().publish()
    Session.objects.filter(pk=sent_session.pk).update(status=Session.Status.CANCELLED)
    session(title="Ajoutée après coup")

    archive = client.get(reverse("newsletter:archive_detail", args=[campaign.pk]))
    assert "Atelier démarches en ligne" in archive.text
    assert "renommé" not in archive.text and "Ajoutée après coup" not in archive.text

    client.force_login(staff_user)
    preview = client.get(reverse("newsletter_admin:campaign_preview", args=[campaign.pk]))
    assert "Ajoutée après coup" in preview.text


def test_staff_edit_a_campaign_with_agenda_blocks_in_wagtail(client, staff_user):
    campaign = CampaignFactory(
        body=[
            ("upcoming", {**UPCOMING, "themes": [ThemeFactory()], "kind": "training"}),
            ("new_trainings", {"heading": "Nouvelles formations", "days": 30, "limit": 6}),
        ]
    )
    client.force_login(staff_user)
    response = client.get(reverse("wagtailsnippets_newsletter_campaign:edit", args=[campaign.pk]))
    assert response.status_code == 200
    assert "Nouvelles formations" in response.text and "Formation" in response.text


def test_equipment_block_lists_bookable_items_with_absolute_links():
    from numeritheque.models import Item
    from tests.factories.numeritheque import ItemFactory

    ItemFactory(name="Casque Meta Quest 3")
    ItemFactory(name="Imprimante en panne", state=Item.State.MAINTENANCE)
    campaign = campaign_with("equipment", {"heading": "À emprunter", "limit": 4})

    html = rendering.body_html(campaign)
    assert "À emprunter" in html
    assert "Casque Meta Quest 3" in html
    assert "Imprimante en panne" not in html
    assert 'href="http://127.0.0.1:8000/numeritheque/materiel/' in html
    assert "Casque Meta Quest 3" in rendering.html_to_text(html)
