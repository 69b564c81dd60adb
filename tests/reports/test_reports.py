"""The funders' report: figures per filter, charts without script, CSV/XLSX, the Coop's
« activités de coordination », a printable page, and a share link without personal data."""

import csv
import datetime
import io

from django.utils import timezone

import pytest
from openpyxl import load_workbook

from events import services as event_services
from events.models import Registration, Session
from territory.models import ShareLink
from tests.factories.accounts import UserFactory, hub_staff
from tests.factories.directory import PlaceFactory
from tests.factories.events import SessionFactory
from tests.factories.newsletter import ThemeFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PERIOD = {"start": (TODAY - datetime.timedelta(days=30)).isoformat(), "end": TODAY.isoformat()}


@pytest.fixture
def staff_client(client):
    client.force_login(hub_staff(email="equipe@hub.fr"))
    return client


def held(session, days_ago=3):
    """Move a session (made in the future, as the services want) into the period."""
    start = timezone.now() - datetime.timedelta(days=days_ago)
    Session.objects.filter(pk=session.pk).update(
        start=start, end=start + datetime.timedelta(hours=2)
    )
    session.refresh_from_db()
    return session


@pytest.fixture
def activity():
    """Two sessions in Ille-et-Vilaine: 3 registrations (one from the waiting list), 2 present,
    1 absent, the same person twice; one session in the Finistère."""
    theme = ThemeFactory(name="Démarches en ligne")
    rennes = PlaceFactory(departement="35", insee_code="35238")
    first = SessionFactory(venue=rennes, capacity=1)
    first.themes.set([theme])
    second = SessionFactory(venue=rennes)
    alice = UserFactory(email="alice.secret@exemple.fr", employer_name="CCAS de Rennes")
    bob = UserFactory(email="bob.secret@exemple.fr", employer_name="Médiathèque")
    event_services.registration_create(session=first, user=alice)
    waiting = event_services.registration_create(session=first, user=bob)
    event_services.session_change_capacity(session=first, capacity=2)
    event_services.registration_create(session=second, user=alice)
    for session in (first, second):
        held(session)
    statuses = iter(
        [Registration.Status.ATTENDED, Registration.Status.ABSENT, Registration.Status.ATTENDED]
    )
    for registration in Registration.objects.order_by("pk"):
        Registration.objects.filter(pk=registration.pk).update(status=next(statuses))
    held(SessionFactory(venue=PlaceFactory(departement="29")))
    return {"theme": theme, "waiting": waiting, "first": first}


def test_the_report_counts_what_funders_ask(staff_client, activity, django_assert_max_num_queries):
    staff_client.get("/admin/rapports/", {**PERIOD, "departement": "35"})
    with django_assert_max_num_queries(40):
        response = staff_client.get("/admin/rapports/", {**PERIOD, "departement": "35"})
    report = response.context["report"]
    figures = report.registrations
    assert figures["sessions"] == 2
    assert figures["registrations"] == 3 and figures["people"] == 2
    assert figures["attended"] == 2 and figures["absent"] == 1
    assert figures["attendance_rate"] == 67
    assert figures["converted"] == 1
    assert figures["structures"] == 2 and figures["communes"] == 1
    html = response.content.decode()
    assert "<svg" in html and "<script" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    by_theme = staff_client.get("/admin/rapports/", {**PERIOD, "theme": activity["theme"].pk})
    assert by_theme.context["report"].registrations["sessions"] == 1


def test_the_query_count_does_not_grow_with_the_data(
    staff_client, activity, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        staff_client.get("/admin/rapports/", PERIOD)
    for _ in range(3):
        session = held(SessionFactory(venue=PlaceFactory()))
        Registration.objects.create(session=session, user=UserFactory(), status="attended")
    with CaptureQueriesContext(connection) as after:
        staff_client.get("/admin/rapports/", PERIOD)
    assert len(after) == len(before)


def test_exports_open_in_csv_and_openpyxl(staff_client, activity):
    response = staff_client.get("/admin/rapports/export.csv", PERIOD)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = dict(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows["Inscriptions"] == "3" and rows["Personnes différentes"] == "2"
    workbook = load_workbook(
        io.BytesIO(staff_client.get("/admin/rapports/export.xlsx", PERIOD).content)
    )
    values = dict(list(workbook.active.values)[1:])
    assert values["Présent·es"] == 2
    coop = staff_client.get("/admin/rapports/activites-coordination.csv", PERIOD)
    lines = list(csv.DictReader(io.StringIO(b"".join(coop.streaming_content).decode())))
    assert len(lines) == 3
    assert {line["organisateur"] for line in lines} == {"hub"}
    first = next(line for line in lines if line["thematiques"])
    assert first["duree_minutes"] == "120" and first["participants"] == "1"
    assert first["thematiques"] == "Démarches en ligne"


def test_the_printable_page_and_the_share_link_hold_no_personal_data(
    client, staff_client, activity
):
    printable = staff_client.get("/admin/rapports/imprimer/", PERIOD).content.decode()
    assert "Personnes différentes" in printable
    staff_client.post(
        f"/admin/rapports/partager/?start={PERIOD['start']}&end={PERIOD['end']}",
        {"titre": "Rapport pour la Région"},
    )
    link = ShareLink.objects.get(kind=ShareLink.Kind.REPORT)
    html = client.get(f"/rapports/partage/{link.token}/").content.decode()
    assert "Rapport pour la Région" in html and "Personnes différentes" in html
    for private in ("alice.secret", "bob.secret", "exemple.fr"):
        assert private not in html
    assert client.get(f"/territoire/partage/{link.token}/").status_code == 404
    staff_client.post(f"/admin/rapports/partage/{link.token}/revoquer/")
    assert client.get(f"/rapports/partage/{link.token}/").status_code == 404


def test_bad_filters_are_refused_in_french(staff_client):
    response = staff_client.get("/admin/rapports/", {"start": "2026-05-01", "end": "2026-01-01"})
    assert response.status_code == 400
    assert "La fin de la période doit suivre son début." in response.content.decode()
    assert staff_client.get("/admin/rapports/", {"epci": "12"}).status_code == 400


def test_a_registration_keeps_the_structure_of_its_day_and_reports_count_them(staff_client):
    """Issue 22 §3: the structure reached is the one the person belonged to when registering
    (a later move does not rewrite it); a declared employer counts when no membership exists,
    the same structure named twice counts once."""
    from directory.models import StructureMembership
    from tests.factories.directory import OrganisationFactory

    ccas, library = OrganisationFactory(name="CCAS de Rennes"), OrganisationFactory()
    rennes = PlaceFactory(departement="35", insee_code="35238")
    first, second = SessionFactory(venue=rennes), SessionFactory(venue=rennes)
    camille = UserFactory(employer_name="Ancien employeur")
    membership = StructureMembership.objects.create(user=camille, organisation=ccas)
    before = event_services.registration_create(session=first, user=camille)
    membership.delete()
    StructureMembership.objects.create(user=camille, organisation=library)
    after = event_services.registration_create(session=second, user=camille)
    assert (before.organisation, before.structure_name) == (ccas, "CCAS de Rennes")
    assert after.organisation == library
    for name in ("Mairie de Bruz", "mairie de bruz"):
        declared = UserFactory(employer_name=name)
        registration = event_services.registration_create(session=first, user=declared)
        assert registration.organisation is None and registration.structure_name == name
    for session in (first, second):
        held(session)
    response = staff_client.get("/admin/rapports/", {**PERIOD, "departement": "35"})
    assert response.context["report"].registrations["structures"] == 3
