"""The paper agenda and the session poster: PDFs built from the same agenda query as the
newsletter, with dates in words, places and how to register by phone."""

import datetime
from unittest import mock

from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Site

import pytest
import segno
from weasyprint import HTML

from events.dates import say_day, say_period
from events.models import Session
from portal.models import SiteSettings
from tests.factories.directory import PlaceFactory
from tests.factories.events import SessionFactory, conference_page

pytestmark = pytest.mark.django_db

AGENDA = reverse("portal:paper_agenda")


def next_month() -> datetime.date:
    return (timezone.localdate().replace(day=1) + datetime.timedelta(days=40)).replace(day=1)


def session_on(day: datetime.date, *, title: str, hour: int = 14, **kwargs) -> Session:
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    return SessionFactory(
        page=conference_page(title=title),
        start=start,
        end=start + datetime.timedelta(hours=2),
        **kwargs,
    )


@pytest.fixture
def hub(db):
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.hub_name = "Hub Bretagne numérique"
    settings.contact_phone = "02 99 00 11 22"
    settings.save()
    return settings


def pdf_text(html: str) -> str:
    """The text WeasyPrint lays out on the pages of `html`, to check what the PDF shows."""

    def walk(box):
        if hasattr(box, "text"):
            yield box.text
        for child in getattr(box, "children", []):
            yield from walk(child)

    document = HTML(string=html).render()
    return " ".join(" ".join(walk(page._page_box)) for page in document.pages)


def test_same_day_period_in_words():
    start = timezone.make_aware(datetime.datetime(2026, 12, 1, 14))
    assert say_period(start, start + datetime.timedelta(hours=2)) == (
        "mardi 1er décembre, 14 h – 16 h"
    )
    start = timezone.make_aware(datetime.datetime(2026, 12, 3, 9, 30))
    assert say_period(start, start + datetime.timedelta(hours=3)) == (
        "jeudi 3 décembre, 9 h 30 – 12 h 30"
    )


def test_several_days_period_in_words_in_paris_time():
    start = datetime.datetime(2027, 3, 10, 8, tzinfo=datetime.UTC)  # 9 h in Paris
    end = datetime.datetime(2027, 3, 11, 16, tzinfo=datetime.UTC)
    assert say_period(start, end) == "du mercredi 10 mars, 9 h au jeudi 11 mars, 17 h"
    assert say_day(datetime.date(2027, 8, 15)) == "dimanche 15 août"


def test_agenda_pdf_for_a_departement_and_month(client, hub):
    month = next_month()
    brest = PlaceFactory(
        name="Médiathèque des Capucins",
        address="25 rue de Pontaniou",
        postcode="29200",
        commune="Brest",
        departement="29",
    )
    shown = session_on(month + datetime.timedelta(days=2), title="Aidants Connect", venue=brest)
    session_on(month + datetime.timedelta(days=3), title="À Rennes")
    session_on(month + datetime.timedelta(days=40), title="Le mois suivant", venue=brest)
    session_on(month, title="Annulée", venue=brest, status=Session.Status.CANCELLED)
    query = {"mois": f"{month:%Y-%m}", "departement": "29"}

    response = client.get(AGENDA, query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"agenda-{month:%Y-%m}-29.pdf" in response["Content-Disposition"]

    html = client.get(AGENDA, {**query, "apercu": "1"}).text
    text = pdf_text(html)
    assert "Aidants Connect" in text
    assert say_period(shown.start, shown.end) in text
    assert "Médiathèque des Capucins, 25 rue de Pontaniou, 29200 Brest" in text
    assert "02 99 00 11 22" in text and "Hub Bretagne numérique" in text
    assert f"{django_settings.SITE_URL}/agenda/sessions/{shown.pk}/" in text
    for hidden in ("À Rennes", "Le mois suivant", "Annulée"):
        assert hidden not in text


def test_whole_region_and_empty_month(client, hub):
    month = next_month()
    session_on(month + datetime.timedelta(days=1), title="Atelier à Rennes")
    text = pdf_text(client.get(AGENDA, {"mois": f"{month:%Y-%m}", "apercu": "1"}).text)
    assert "Atelier à Rennes" in text and "Toute la région" in text
    later = (month + datetime.timedelta(days=100)).replace(day=1)
    text = pdf_text(client.get(AGENDA, {"mois": f"{later:%Y-%m}", "apercu": "1"}).text)
    assert "Aucune date n'est encore annoncée pour ce mois." in text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"mois": "2026-13"}, "Le mois doit être compris entre 01 et 12."),
        ({"mois": "décembre"}, "Un mois au format AAAA-MM"),
        ({"mois": "2020-01"}, "Choisissez un mois entre ce mois-ci"),
        ({}, "Mois : Champ requis."),
        ({"mois": "NEXT", "departement": "99"}, "Ce département est inconnu"),
        ({"mois": "NEXT", "departement": "<script>"}, "Ce département est inconnu"),
    ],
)
def test_bad_input_gets_a_french_message(client, query, message):
    query = {
        key: f"{next_month():%Y-%m}" if value == "NEXT" else value for key, value in query.items()
    }
    response = client.get(AGENDA, query)
    assert response.status_code == 400
    assert message.replace("'", "&#x27;") in response.text
    assert "<script>" not in response.text.split("<main", 1)[-1]


@pytest.mark.parametrize("count", [5, 50])
def test_agenda_data_in_constant_queries(client, hub, django_assert_max_num_queries, count):
    month = next_month()
    place = PlaceFactory()
    page = conference_page(title="Atelier numérique")
    for number in range(count):
        start = timezone.make_aware(
            datetime.datetime.combine(
                month + datetime.timedelta(days=number % 28), datetime.time(9)
            )
        )
        SessionFactory(page=page, venue=place, start=start, end=start + datetime.timedelta(hours=1))
    with django_assert_max_num_queries(8):
        response = client.get(AGENDA, {"mois": f"{month:%Y-%m}", "apercu": "1"})
    assert response.text.count("Atelier numérique") == count


def test_agenda_page_offers_the_paper_agenda_form(client):
    session_on(next_month(), title="Atelier", venue=PlaceFactory(departement="29"))
    page = client.get(Session.objects.get().page.get_parent().url)
    assert 'action="/agenda-papier/agenda.pdf"' in page.text
    assert 'name="mois"' in page.text and '<option value="29">' in page.text
    assert 'for="papier-departement"' in page.text  # not the filters' id_departement


def test_poster_has_a_qr_code_to_the_session_page(client, hub):
    session = session_on(next_month(), title="Café numérique", capacity=12)
    url = f"{django_settings.SITE_URL}/agenda/sessions/{session.pk}/"
    poster = reverse("portal:paper_poster", args=[session.pk])
    with mock.patch("portal.paper.segno.make", wraps=segno.make) as make:
        response = client.get(poster)
    make.assert_called_once_with(url, error="m")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")

    html = client.get(poster, {"apercu": "1"}).text
    assert 'src="data:image/svg+xml' in html
    text = pdf_text(html)
    assert "Café numérique" in text and say_period(session.start, session.end) in text
    assert url in text and "Par téléphone : 02 99 00 11 22" in text
    assert "Hub Bretagne numérique" in text and "12 places" in text


def test_poster_is_linked_from_the_session_page_and_404_for_unknown(client):
    session = session_on(next_month(), title="Café numérique")
    detail = client.get(session.get_absolute_url())
    assert reverse("portal:paper_poster", args=[session.pk]) in detail.text
    assert client.get(reverse("portal:paper_poster", args=[999999])).status_code == 404
