"""The coverage view: places per 10,000 inhabitants, actions hors les murs, services × commune,
the printable page; and who may see it."""

import csv
import datetime
import io

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone

import pytest

from directory import selectors
from directory.models import Commune, Place
from events import services as event_services
from events.models import Session
from tests.factories.accounts import UserFactory, structure_manager
from tests.factories.directory import PlaceFactory, StructureMembershipFactory
from tests.factories.events import SessionFactory, conference_page

pytestmark = pytest.mark.django_db
URL = "/annuaire/couverture/"
DEMARCHES = "Aide aux démarches administratives"
RENNES_METROPOLE = "243500139"


def rennes_metropole_population() -> int:
    return Commune.objects.filter(epci_id=RENNES_METROPOLE).aggregate(total=Sum("population"))[
        "total"
    ]


def outside_session(insee_code="35238", **kwargs):
    return SessionFactory(
        venue=None,
        outside_commune_id=insee_code,
        outside_location="Marché des Lices",
        departement=insee_code[:2],
        **kwargs,
    )


def test_communes_carry_their_legal_population(communes):
    rennes = Commune.objects.get(insee_code="35238")
    assert rennes.population > 200_000
    assert Commune.objects.filter(departement_id="35", population__isnull=True).count() == 0


def test_places_per_10000_inhabitants_per_epci_and_for_the_departement(communes):
    for _ in range(3):
        PlaceFactory(services=[DEMARCHES], insee_code="35238")
    PlaceFactory(insee_code="35288", postcode="35400", commune="Saint-Malo")
    matrix = selectors.coverage_matrix(departement="35")
    rennes = next(row for row in matrix["rows"] if row["code"] == RENNES_METROPOLE)
    population = rennes_metropole_population()
    assert rennes["population"] == population
    assert rennes["per_10000"] == round(3 * 10_000 / population, 2)
    departement_population = Commune.objects.filter(departement_id="35").aggregate(
        total=Sum("population")
    )["total"]
    assert matrix["total"]["places"] == 4
    assert matrix["total"]["population"] == departement_population
    assert matrix["total"]["per_10000"] == round(4 * 10_000 / departement_population, 2)


def test_unknown_population_reads_nc_and_does_not_crash(client, communes, staff_user):
    Commune.objects.filter(insee_code="35238").update(population=None)
    PlaceFactory(services=[DEMARCHES], insee_code="35238")
    matrix = selectors.coverage_matrix(departement="35")
    rennes = next(row for row in matrix["rows"] if row["code"] == RENNES_METROPOLE)
    assert rennes["population"] is None
    assert rennes["per_10000"] is None
    assert matrix["total"]["per_10000"] is None
    client.force_login(staff_user)
    response = client.get(URL, {"departement": "35"})
    assert response.status_code == 200
    assert "n.c." in response.content.decode()
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(URL, {"departement": "35", "format": "csv"})
                .getvalue()
                .decode("utf-8-sig")
            ),
            delimiter=";",
        )
    )
    rennes_row = next(row for row in rows if row[0] == "Rennes Métropole")
    assert rennes_row[4:6] == ["n.c.", "n.c."]


def test_csv_carries_population_rate_actions_and_a_total_row(client, communes, staff_user):
    PlaceFactory(services=[DEMARCHES], insee_code="35238")
    outside_session()
    client.force_login(staff_user)
    response = client.get(URL, {"departement": "35", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:7] == [
        "EPCI",
        "SIREN",
        "Lieux",
        "Médiateurs",
        "Population",
        "Lieux pour 10 000 habitants",
        "Actions hors les murs",
    ]
    rennes = next(row for row in rows if row[0] == "Rennes Métropole")
    assert rennes[4] == str(rennes_metropole_population())
    assert float(rennes[5]) == round(10_000 / rennes_metropole_population(), 2)
    assert rennes[6] == "1"
    assert rows[-1][0] == "Total — Ille-et-Vilaine"
    assert rows[-1][2] == "1"
    assert rows[-1][6] == "1"


@pytest.mark.parametrize(
    "make_user, status",
    [
        (None, 302),
        (UserFactory, 403),
        (structure_manager, 403),
    ],
)
def test_coverage_pages_are_for_hub_staff_only(client, communes, make_user, status):
    if make_user:
        client.force_login(make_user())
    for params in ({}, {"format": "csv"}, {"imprimer": "1"}, {"epci": RENNES_METROPOLE}):
        assert client.get(URL, {"departement": "35", **params}).status_code == status


def test_actions_hors_les_murs_are_listed_and_counted_per_epci(client, communes, staff_user):
    kept = outside_session(title="Atelier au marché")
    outside_session(title="Annulée", status=Session.Status.CANCELLED)
    outside_session(insee_code="29232", title="Ailleurs")  # Quimper, another département
    SessionFactory(title="Dans un lieu")
    SessionFactory(venue=None, departement="", title="En visio")
    old = outside_session(title="Il y a deux ans")
    Session.objects.filter(pk=old.pk).update(
        start=timezone.now() - datetime.timedelta(days=800),
        end=timezone.now() - datetime.timedelta(days=799),
    )
    matrix = selectors.coverage_matrix(departement="35")
    assert [item["action"].title for item in matrix["outside_actions"]] == [kept.display_title]
    assert matrix["outside_actions"][0]["commune"].name == "Rennes"
    rennes = next(row for row in matrix["rows"] if row["code"] == RENNES_METROPOLE)
    assert rennes["outside_actions"] == 1
    assert matrix["total"]["outside_actions"] == 1
    client.force_login(staff_user)
    content = client.get(URL, {"departement": "35"}).content.decode()
    assert f'href="{kept.get_absolute_url()}"' in content
    assert "Marché des Lices" in content
    assert "Ailleurs" not in content


def test_matrix_by_commune_for_one_epci(client, communes, staff_user):
    PlaceFactory(services=[DEMARCHES], insee_code="35238")
    outside_session(insee_code="35024")  # Betton
    matrix = selectors.coverage_matrix(departement="35", epci=RENNES_METROPOLE)
    assert matrix["by_commune"]
    names = [row["name"] for row in matrix["rows"]]
    assert "Rennes" in names and "Betton" in names and "Saint-Malo" not in names
    rennes = next(row for row in matrix["rows"] if row["name"] == "Rennes")
    assert rennes["places"] == 1
    assert rennes["population"] == Commune.objects.get(insee_code="35238").population
    assert rennes["missing"] and DEMARCHES not in rennes["missing"]
    betton = next(row for row in matrix["rows"] if row["name"] == "Betton")
    assert betton["outside_actions"] == 1
    assert betton["places"] == 0
    assert matrix["total"]["population"] == rennes_metropole_population()
    client.force_login(staff_user)
    response = client.get(URL, {"departement": "35", "epci": RENNES_METROPOLE})
    content = response.content.decode()
    assert "par commune de Rennes Métropole" in content
    assert "coverage-missing" in content
    csv_text = (
        client.get(URL, {"departement": "35", "epci": RENNES_METROPOLE, "format": "csv"})
        .getvalue()
        .decode("utf-8-sig")
    )
    assert csv_text.startswith("Commune;Code INSEE;")
    assert "\r\nBetton;35024;" in csv_text


@pytest.mark.parametrize("params", [{"epci": "999999999"}, {"epci": "200068120"}])
def test_unknown_epci_or_epci_of_another_departement_is_refused(
    client, communes, staff_user, params
):
    client.force_login(staff_user)
    response = client.get(URL, {"departement": "35", **params})
    assert response.status_code == 400
    assert "EPCI inconnu dans ce département" in response.content.decode()
    csv_response = client.get(URL, {"departement": "35", "format": "csv", **params})
    assert csv_response.status_code == 400


def test_unknown_departement_is_refused(client, communes, staff_user):
    client.force_login(staff_user)
    response = client.get(URL, {"departement": "99"})
    assert response.status_code == 400
    assert "Département inconnu" in response.content.decode()


def test_printable_page_has_no_map_and_repeats_headers(client, communes, staff_user):
    PlaceFactory(services=[DEMARCHES], insee_code="35238")
    client.force_login(staff_user)
    response = client.get(URL, {"departement": "35", "imprimer": "1"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "carte-lieux" not in content
    assert "leaflet" not in content.lower()
    assert "thead { display: table-header-group; }" in content
    assert "<thead>" in content and "Rennes Métropole" in content
    assert "Actions hors les murs" in content
    screen = client.get(URL, {"departement": "35"}).content.decode()
    assert "imprimer=1" in screen


def bulk_places(count: int):
    organisations = [StructureMembershipFactory(user=UserFactory()).organisation for _ in range(3)]
    Place.objects.bulk_create(
        Place(
            identifier=f"couverture-{n}",
            name=f"Lieu {n}",
            address="1 rue de Nantes",
            postcode="35000",
            commune="Rennes",
            insee_code=["35238", "35024", "35288"][n % 3],
            latitude=48.1,
            longitude=-1.68,
            services=[DEMARCHES],
            organisation=organisations[n % 3],
        )
        for n in range(count)
    )


@pytest.mark.parametrize("count", [10, 600])
@pytest.mark.parametrize("epci", ["", RENNES_METROPOLE])
def test_coverage_keeps_a_constant_number_of_queries(
    client, communes, staff_user, count, epci, django_assert_max_num_queries
):
    bulk_places(count)
    page = conference_page()
    for _ in range(count // 10):
        outside_session(page=page)
    client.force_login(staff_user)
    with django_assert_max_num_queries(22):
        response = client.get(URL, {"departement": "35", "epci": epci})
    assert response.status_code == 200
    with django_assert_max_num_queries(22):
        assert client.get(URL, {"departement": "35", "imprimer": "1"}).status_code == 200


def test_outside_session_takes_its_departement_from_the_commune(communes):
    session = event_services.session_create(
        page=conference_page(),
        start=timezone.now() + datetime.timedelta(days=3),
        end=timezone.now() + datetime.timedelta(days=3, hours=2),
        outside_commune=Commune.objects.get(insee_code="29232"),
        outside_location="Salle des fêtes",
    )
    assert session.departement == "29"
    assert session.is_outside and not session.is_online
    moved = event_services.session_update(
        session=session, outside_commune=Commune.objects.get(insee_code="35238")
    )
    assert moved.departement == "35"


def test_a_session_is_not_both_at_a_place_and_hors_les_murs(communes):
    session = SessionFactory.build(
        venue=PlaceFactory(), outside_commune_id="35238", page=conference_page()
    )
    with pytest.raises(ValidationError):
        session.clean()
    lone_location = SessionFactory.build(
        venue=None, outside_location="Marché", page=conference_page()
    )
    with pytest.raises(ValidationError):
        lone_location.clean()


def test_an_outside_session_reads_hors_les_murs_not_online(client, communes):
    session = outside_session()
    content = client.get(session.get_absolute_url()).content.decode()
    assert "Hors les murs" in content
    assert "Marché des Lices, Rennes" in content
    assert '"addressLocality": "Rennes"' in content
    assert "En ligne" not in content
    ics = client.get(f"/agenda/sessions/{session.pk}.ics").content.decode()
    assert "LOCATION:Marché des Lices\\, Rennes" in ics


def test_staff_records_an_action_hors_les_murs_in_the_session_admin(client, communes, staff_user):
    page = conference_page()
    start = (timezone.localtime() + datetime.timedelta(days=20)).replace(second=0, microsecond=0)
    data = {
        "page": page.pk,
        "title": "Permanence au marché",
        "kind": "conference",
        "start": start.strftime("%Y-%m-%d %H:%M"),
        "end": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%d %H:%M"),
        "venue": "",
        "outside_commune": "35024",
        "outside_location": "Marché de Betton",
        "online_url": "",
        "capacity": "",
        "registration_opens_at": "",
        "registration_closes_at": "",
        "external_registration_url": "",
    }
    client.force_login(staff_user)
    form = client.get("/admin/agenda/sessions/new/").content.decode()
    assert 'name="outside_commune"' in form and 'type="text"' in form
    response = client.post("/admin/agenda/sessions/new/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    session = Session.objects.get()
    assert session.outside_commune_id == "35024" and session.departement == "35"
    bad = client.post("/admin/agenda/sessions/new/", {**data, "outside_commune": "99999"})
    assert bad.status_code == 200  # the admin form is shown again with the error
    both = client.post(
        "/admin/agenda/sessions/new/", {**data, "venue": PlaceFactory().pk, "title": "Les deux"}
    )
    assert "soit dans un lieu, soit hors les murs" in both.content.decode()
    assert Session.objects.count() == 1
