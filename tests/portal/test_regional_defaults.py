"""The Hub's territory, set once in the site settings, picks what opens first (issue 17 §4):
the paper agenda on the next month that has dates, among the Hub's départements and those of
the agenda only; the coverage page on the Hub's département, not on Ain."""

import datetime

from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from wagtail.models import Site

import pytest

from directory.models import Departement
from portal.models import SiteSettings
from portal.paper import PaperAgendaForm
from tests.factories.events import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def breton_hub():
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.departements = "29, 35"
    site_settings.save()
    for code, name in (("01", "Ain"), ("29", "Finistère"), ("35", "Ille-et-Vilaine")):
        Departement.objects.create(code=code, name=name)
    return site_settings


def test_the_paper_agenda_opens_on_the_next_month_with_dates(breton_hub):
    cache.clear()  # the agenda's départements are cached per data version (committed writes)
    later = timezone.localtime() + datetime.timedelta(days=70)
    SessionFactory(start=later, end=later + datetime.timedelta(hours=2), venue__departement="35")
    form = PaperAgendaForm(hub_departements=("29", "35"))
    assert form.initial["mois"] == f"{later.year}-{later.month:02d}"


def test_the_paper_agenda_s_region_is_the_hub_s_territory(breton_hub):
    """« Toute la région » prints the Hub's départements and its online sessions; a session
    elsewhere is offered by its own département, and does not pick the default month."""
    cache.clear()
    elsewhere = timezone.localtime() + datetime.timedelta(days=70)
    SessionFactory(
        title="Atelier à Vannes",
        start=elsewhere,
        end=elsewhere + datetime.timedelta(hours=2),
        venue__departement="56",
    )
    form = PaperAgendaForm(hub_departements=("29", "35"))
    assert form.initial["mois"] == timezone.localdate().strftime("%Y-%m")
    codes = [code for code, _label in form.fields["departement"].widget.choices]
    assert codes == ["", "29", "35", "56"]
    month = f"{elsewhere.year}-{elsewhere.month:02d}"
    from tests.factories.events import agenda_index

    agenda_index()
    client = Client()
    region = client.get(
        "/agenda-papier/agenda.pdf", {"mois": month, "apercu": "1"}
    ).content.decode()
    morbihan = client.get(
        "/agenda-papier/agenda.pdf", {"mois": month, "departement": "56", "apercu": "1"}
    ).content.decode()
    assert "Atelier à Vannes" not in region
    assert "Atelier à Vannes" in morbihan


def test_a_hub_of_one_departement_prints_it_by_default(breton_hub):
    form = PaperAgendaForm(hub_departements=("35",))
    assert form.initial["departement"] == "35"
    assert form.initial["mois"] == timezone.localdate().strftime("%Y-%m")


def test_the_agenda_page_offers_the_hub_s_departements(client, breton_hub):
    from tests.factories.events import agenda_index

    page = client.get(agenda_index().url).text
    assert '<option value="35">Ille-et-Vilaine (35)</option>' in page
    assert '<option value="01">' not in page


def test_the_coverage_opens_on_the_hub_s_departement(client, breton_hub, staff_user):
    client.force_login(staff_user)
    response = client.get("/annuaire/couverture/")
    assert response.context["code"] == "29"


def test_the_hub_s_departements_are_checked(breton_hub):
    from django.core.exceptions import ValidationError

    breton_hub.departements = "29, Bretagne"
    with pytest.raises(ValidationError):
        breton_hub.full_clean()


@pytest.fixture
def elsewhere_and_here(breton_hub):
    from tests.factories.directory import PlaceFactory
    from tests.factories.events import agenda_index

    cache.clear()  # the agenda's départements are cached per data version (committed writes)
    SessionFactory(title="Atelier à Quimper", venue__departement="29", venue__commune="Quimper")
    SessionFactory(title="Webinaire du Hub", venue=None)
    SessionFactory(title="Atelier à Bourg-en-Bresse", venue__departement="01")
    PlaceFactory(name="Médiathèque de Quimper", departement="29")
    PlaceFactory(name="Espace numérique de Bourg-en-Bresse", departement="01")
    return agenda_index()


def test_the_agenda_opens_on_the_hub_s_territory(client, elsewhere_and_here):
    """Without a choice, the agenda shows the Hub's départements and its online sessions, not
    the whole of France; « Toute la France » and any département stay one choice away."""
    agenda = elsewhere_and_here.url
    page = client.get(agenda).content.decode()
    assert "Atelier à Quimper" in page and "Webinaire du Hub" in page
    assert "Atelier à Bourg-en-Bresse" not in page
    assert '<option value="" selected>Territoire du Hub (29, 35)</option>' in page
    everywhere = client.get(agenda, {"departement": "tous"}).content.decode()
    assert "Atelier à Bourg-en-Bresse" in everywhere and "Atelier à Quimper" in everywhere
    ain = client.get(agenda, {"departement": "01"}).content.decode()
    assert "Atelier à Bourg-en-Bresse" in ain
    assert "Atelier à Quimper" not in ain and "Webinaire du Hub" not in ain
    assert '<option value="01" selected>Ain (01)</option>' in ain
    # The feed links carry a chosen département, never the default nor « tous ».
    assert "/agenda/feed.ics?departement=01" in ain.replace("&amp;", "&")
    assert 'href="/agenda/feed.ics"' in page


def test_a_typed_departement_outside_the_list_is_shown_as_chosen(client, elsewhere_and_here):
    page = client.get(elsewhere_and_here.url, {"departement": "13"}).content.decode()
    assert '<option value="13" selected>13</option>' in page  # no name: not imported here
    refused = client.get(elsewhere_and_here.url, {"departement": "Bretagne"}).content.decode()
    assert "Indiquez un numéro de département" in refused


def test_the_directory_opens_on_the_hub_s_territory(client, elsewhere_and_here):
    page = client.get("/annuaire/").content.decode()
    assert "Médiathèque de Quimper" in page
    assert "Espace numérique de Bourg-en-Bresse" not in page
    everywhere = client.get("/annuaire/", {"departement": "tous"}).content.decode()
    assert "Espace numérique de Bourg-en-Bresse" in everywhere
    ain = client.get("/annuaire/", {"departement": "01"}).content.decode()
    assert "Espace numérique de Bourg-en-Bresse" in ain and "Quimper" not in ain


def test_without_a_territory_everything_is_shown(client, elsewhere_and_here):
    elsewhere_and_here_hub = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    elsewhere_and_here_hub.departements = ""
    elsewhere_and_here_hub.save()
    page = client.get(elsewhere_and_here.url).content.decode()
    assert "Atelier à Bourg-en-Bresse" in page
    assert '<option value="" selected>Toute la France</option>' in page
    assert "Espace numérique de Bourg-en-Bresse" in client.get("/annuaire/").content.decode()
