"""The Hub's territory, set once in the site settings, picks what opens first (issue 17 §4):
the paper agenda on the next month that has dates, among the Hub's départements and those of
the agenda only; the coverage page on the Hub's département, not on Ain."""

import datetime

from django.core.cache import cache
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
    SessionFactory(start=later, end=later + datetime.timedelta(hours=2), venue__departement="56")
    form = PaperAgendaForm(hub_departements=("29", "35"))
    assert form.initial["mois"] == f"{later.year}-{later.month:02d}"
    codes = [code for code, _label in form.fields["departement"].widget.choices]
    assert codes == ["", "29", "35", "56"]


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
