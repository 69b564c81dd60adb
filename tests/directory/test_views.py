import datetime
import zoneinfo

from django.core import mail
from django.urls import reverse

import pytest
import time_machine

from directory.models import Place, PlaceChange
from tests.factories.accounts import UserFactory, structure_manager
from tests.factories.directory import PlaceFactory, StructureMembershipFactory

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
LIST = "/annuaire/"
DEMARCHES = "Aide aux démarches administratives"
# A Tuesday at 10:00 in Paris.
TUESDAY_10 = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=PARIS)


def make_places(count: int):
    Place.objects.bulk_create(
        Place(
            identifier=f"lieu-{n}",
            name=f"Lieu {n}",
            address="1 rue de Nantes",
            postcode="35000",
            commune="Rennes",
            latitude=48.1 + n / 100_000,
            longitude=-1.68,
            services=[DEMARCHES],
            opening_hours="Mo-Fr 09:00-12:00,14:00-17:00",
            fees=["Gratuit"],
        )
        for n in range(count)
    )


@time_machine.travel(TUESDAY_10, tick=False)
@pytest.mark.parametrize("count", [10, 5000])
def test_list_keeps_a_constant_number_of_queries(
    client, communes, count, django_assert_max_num_queries
):
    make_places(count)
    # 10: the places, the mobile services' stops within the radius (one query each), and the
    # names of the départements the territory filter offers.
    with django_assert_max_num_queries(10):
        response = client.get(
            LIST,
            {"service": DEMARCHES, "free": "on", "when": "now", "location": "35000", "radius": 20},
        )
    assert response.status_code == 200
    assert f"{count} lieux trouvés" in response.content.decode()


@time_machine.travel(TUESDAY_10, tick=False)
def test_list_filters_by_service_public_scheme_free_and_opening(client):
    match = PlaceFactory(
        name="Espace Blosne",
        services=[DEMARCHES],
        publics=["Seniors"],
        national_schemes=["France Services"],
        fees=["Gratuit"],
        opening_hours="Tu 09:00-12:00",
    )
    PlaceFactory(
        name="Fab lab payant", services=["Loisirs et créations numériques"], fees=["Payant"]
    )
    PlaceFactory(
        name="Fermé le mardi",
        services=[DEMARCHES],
        fees=["Gratuit"],
        opening_hours="Mo 09:00-12:00",
    )
    for params in (
        {"service": DEMARCHES, "when": "now"},
        {"public": "Seniors"},
        {"scheme": "France Services"},
        {"free": "on", "when": "1"},
    ):
        content = client.get(LIST, params).content.decode()
        assert match.name in content, params
        assert "Fab lab payant" not in content
    assert "Fermé le mardi" not in client.get(LIST, {"when": "now"}).content.decode()
    assert "Ouvert maintenant, ferme à 12 h" in client.get(LIST).content.decode()


def test_list_radius_search_orders_by_distance(client, communes):
    PlaceFactory(name="Rennes centre", latitude=48.1113, longitude=-1.6800)
    PlaceFactory(name="Cesson", latitude=48.1213, longitude=-1.6030)
    PlaceFactory(name="Brest", latitude=48.39, longitude=-4.49, postcode="29200", commune="Brest")
    content = client.get(LIST, {"location": "Rennes", "radius": 10}).content.decode()
    assert content.index("Rennes centre") < content.index("Cesson")
    assert "Brest" not in content


def test_unknown_postcode_gets_a_french_message(client, communes):
    response = client.get(LIST, {"location": "99999"})
    assert "Commune ou code postal inconnu : « 99999 »" in response.content.decode()
    response = client.get(
        reverse("directory:orientation"), {"service": DEMARCHES, "location": "00000"}
    )
    assert "Commune ou code postal inconnu" in response.content.decode()


@time_machine.travel(TUESDAY_10, tick=False)
def test_place_page_says_hours_in_plain_french_and_has_a_sections_hook(client):
    place = PlaceFactory(
        opening_hours="Mo-Fr 09:00-12:00,14:00-17:00", phone="+33299000000", services=[DEMARCHES]
    )
    content = client.get(reverse("directory:place_detail", args=[place.pk])).content.decode()
    assert "Ouvert maintenant, ferme à 12 h" in content
    assert "9 h – 12 h, 14 h – 17 h" in content
    assert "openstreetmap.org/directions?to=48.111980%2C-1.681860" in content
    assert DEMARCHES in content
    closed = PlaceFactory(opening_hours="Mo 09:00-12:00")
    assert (
        "Fermé, ouvre lundi à 9 h"
        in client.get(reverse("directory:place_detail", args=[closed.pk])).content.decode()
    )


def test_open_data_downloads(client):
    PlaceFactory(identifier="lieu-a", services=[DEMARCHES])
    response = client.get(reverse("directory:open_data_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.getvalue().decode().startswith("id,pivot,nom,")
    assert client.get(reverse("directory:open_data_json")).json()[0]["id"] == "lieu-a"


@time_machine.travel(TUESDAY_10, tick=False)
def test_orientation_gives_nearest_places_offering_the_need(client, communes):
    near = PlaceFactory(
        name="Près",
        services=[DEMARCHES],
        latitude=48.112,
        longitude=-1.68,
        opening_hours="Mo-Fr 09:00-17:00",
    )
    PlaceFactory(name="Loin", services=[DEMARCHES], latitude=48.2, longitude=-1.5)
    PlaceFactory(
        name="Autre besoin",
        services=["Loisirs et créations numériques"],
        latitude=48.112,
        longitude=-1.68,
    )
    response = client.get(
        reverse("directory:orientation"), {"service": DEMARCHES, "location": "35000"}
    )
    content = response.content.decode()
    assert content.index("Près") < content.index("Loin")
    assert "Autre besoin" not in content
    assert "une pièce d&#x27;identité" in content
    fiche = client.get(
        reverse("directory:orientation_fiche", args=[near.pk]), {"service": DEMARCHES}
    )
    assert "<h1>Fiche d'orientation</h1>" in fiche.content.decode()
    pdf = client.get(
        reverse("directory:orientation_fiche", args=[near.pk]),
        {"service": DEMARCHES, "format": "pdf"},
    )
    assert pdf.content.startswith(b"%PDF")


def test_fiche_is_sent_by_email_to_signed_in_people_only(
    client, django_capture_on_commit_callbacks
):
    place = PlaceFactory(services=[DEMARCHES])
    url = reverse("directory:orientation_fiche_email", args=[place.pk]) + "?service=" + DEMARCHES
    assert client.post(url, {"email": "usager@exemple.fr"}).status_code == 302
    assert mail.outbox == []
    client.force_login(UserFactory())
    assert client.post(url, {"email": "pas-une-adresse"}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"email": "usager@exemple.fr"})
    assert mail.outbox[0].to == ["usager@exemple.fr"]
    assert place.name in mail.outbox[0].subject
    assert mail.outbox[0].attachments[0][2] == "application/pdf"


def test_coverage_matrix_for_staff_only(client, communes, staff_user):
    place = PlaceFactory(services=[DEMARCHES], insee_code="35238")
    StructureMembershipFactory(user=UserFactory(), organisation=place.organisation)
    url = reverse("directory:coverage")
    assert client.get(url).status_code == 302
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(staff_user)
    content = client.get(url, {"departement": "35"}).content.decode()
    assert "Rennes Métropole" in content
    assert "coverage-missing" in content
    assert "Lieux pour 10 000 habitants" in content
    response = client.get(url, {"departement": "35", "format": "csv"})
    csv_text = response.getvalue().decode("utf-8-sig")
    rennes = next(line for line in csv_text.splitlines() if line.startswith("Rennes Métropole"))
    cells = rennes.split(";")
    assert cells[2:4] == ["1", "1"]
    assert cells[6:8] == ["0", "1"]


def test_manager_edits_only_their_place_and_staff_sees_history(client, staff_user):
    manager = structure_manager()
    place = PlaceFactory(services=[DEMARCHES])
    StructureMembershipFactory(user=manager, organisation=place.organisation)
    other = PlaceFactory()
    edit = reverse("directory:place_edit", args=[place.pk])
    assert client.get(edit).status_code == 302
    client.force_login(manager)
    assert client.get(reverse("directory:place_edit", args=[other.pk])).status_code == 403
    assert client.get(reverse("directory:place_edit", args=[999999])).status_code == 404
    assert "Mes lieux" in client.get(reverse("portal:my_space")).content.decode()
    data = {
        "name": "Nouveau nom",
        "address": place.address,
        "postcode": "35000",
        "commune": "Rennes",
        "services": [DEMARCHES, "Utilisation sécurisée du numérique"],
        "opening_hours": "Mo 09:00-12:00",
    }
    response = client.post(edit, data)
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.name == "Nouveau nom"
    assert place.source_updated_on is not None
    assert "name" in place.hub_edited_fields
    bad = client.post(edit, {**data, "services": ["Réparation de vélos"]})
    assert bad.status_code == 400
    history = reverse("directory:place_history", args=[place.pk])
    assert client.get(history).status_code == 403
    client.force_login(staff_user)
    assert "Nouveau nom" in client.get(history).content.decode()
    assert PlaceChange.objects.get().changes["name"][1] == "Nouveau nom"
    assert Place.objects.get(pk=other.pk).name == other.name


def test_list_text_is_the_portal_search_name_commune_and_service(client):
    """« démarche » (singular, no accent) finds a place by its service, « mediatheques » by its
    name, « quimper » by its commune: the same French matching as the portal search."""
    by_service = PlaceFactory(name="Espace social", commune="Brest", services=[DEMARCHES])
    by_name = PlaceFactory(name="Médiathèque des Ursulines", commune="Vannes", services=[])
    by_commune = PlaceFactory(name="Tiers-lieu", commune="Quimper", services=[])

    def names(text: str) -> list[str]:
        html = client.get(LIST, {"q": text}).content.decode()
        return [p.name for p in (by_service, by_name, by_commune) if p.name in html]

    assert names("demarche administrative") == [by_service.name]
    assert names("mediatheques") == [by_name.name]
    assert names("quimper") == [by_commune.name]
    assert names("espace quimper") == []


def test_list_corrects_a_misspelt_commune_at_a_constant_number_of_queries(
    client, django_assert_max_num_queries
):
    PlaceFactory(name="Maison France Services", commune="Quimper", services=[])
    PlaceFactory(name="Médiathèque", commune="Lannion", services=[])
    client.get(LIST, {"q": "Lannion"})  # first visit writes settings
    with django_assert_max_num_queries(12):
        response = client.get(LIST, {"q": "Quimpr"})
    html = response.content.decode()
    assert "voici les résultats pour « Quimper »" in html
    assert "Maison France Services" in html
    assert "1 lieu trouvé" in html
    assert "Médiathèque" not in html.split("1 lieu trouvé")[1]
