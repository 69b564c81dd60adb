"""The place editor: opening hours in a French week that writes the OSM string and reads it
back, contacts checked with French messages, on the site and in the admin."""

from django.urls import reverse

import pytest
from bs4 import BeautifulSoup

from core.errors import DomainError
from directory import hours, services
from directory.hours_editor import OpeningHoursField
from directory.models import Place
from tests.factories.accounts import hub_staff, structure_manager
from tests.factories.directory import PlaceFactory, StructureMembershipFactory

pytestmark = pytest.mark.django_db

MONDAY, TUESDAY, SATURDAY, SUNDAY = 0, 1, 5, 6


def slot(day: int, index: int, end: bool) -> str:
    return f"opening_hours_{(day * hours.RANGES_PER_DAY + index) * 2 + int(end)}"


def week_data(ranges: dict[tuple[int, int], tuple[str, str]], holidays="", raw="") -> dict:
    data = {"opening_hours_42": holidays, "opening_hours_43": raw}
    for (day, index), (start, end) in ranges.items():
        data[slot(day, index, False)] = start
        data[slot(day, index, True)] = end
    return data


@pytest.mark.parametrize(
    "text",
    [
        "Mo-Fr 09:00-12:00,14:00-17:00; Sa 10:00-12:00; PH off",
        "Tu-Sa 10:00-18:00",
        "Mo 08:30-12:00; We 08:30-12:00; Fr 13:00-19:00",
        "",
    ],
)
def test_a_week_the_editor_shows_is_written_back_as_the_same_string(text):
    week = hours.editable_week(text)
    assert week is not None and hours.week_to_text(week) == text


def test_the_editor_reads_closed_days_wrapped_ranges_and_later_rules():
    week = hours.editable_week("Mo-Su 08:00-20:00; Su off")
    assert week.days[SUNDAY] == [] and len(week.days[SATURDAY]) == 1
    assert hours.week_to_text(week) == "Mo-Sa 08:00-20:00"
    assert hours.editable_week("Sa-Mo 10:00-12:00").days[SUNDAY]


@pytest.mark.parametrize(
    "text",
    ["Mo-Fr 09:00-12:00; week 1-53/2 Sa 10:00-12:00", "24/7", "Mo 20:00-02:00"],
)
def test_rules_the_week_cannot_show_are_kept_as_text(text):
    assert hours.parse(text) is not None and hours.editable_week(text) is None


def test_the_week_cleans_to_the_osm_string_of_the_standard():
    field = OpeningHoursField()
    widget = field.widget
    data = week_data(
        {
            (MONDAY, 0): ("09:00", "12:00"),
            (MONDAY, 1): ("14:00", "17:00"),
            (TUESDAY, 0): ("09:00", "12:00"),
            (TUESDAY, 1): ("14:00", "17:00"),
            (SATURDAY, 0): ("10:00", "12:00"),
        },
        holidays="off",
    )
    text = field.clean(widget.value_from_datadict(data, {}, "opening_hours"))
    assert text == "Mo,Tu 09:00-12:00,14:00-17:00; Sa 10:00-12:00; PH off"
    assert hours.parse(text) is not None


@pytest.mark.parametrize(
    ("ranges", "message"),
    [
        ({(MONDAY, 0): ("12:00", "09:00")}, "lundi, plage 1 : la fermeture doit suivre"),
        ({(MONDAY, 0): ("09:00", "")}, "lundi, plage 1 : indiquez l'ouverture et la fermeture"),
        (
            {(TUESDAY, 0): ("09:00", "12:00"), (TUESDAY, 1): ("11:00", "14:00")},
            "mardi : deux plages se chevauchent",
        ),
    ],
)
def test_an_impossible_range_is_refused_in_french(ranges, message):
    field = OpeningHoursField()
    with pytest.raises(Exception) as error:
        field.clean(field.widget.value_from_datadict(week_data(ranges), {}, "opening_hours"))
    assert message in " ".join(error.value.messages)


@pytest.fixture
def managed_place():
    manager = structure_manager()
    place = PlaceFactory(opening_hours="Tu-Sa 10:00-18:00", emails=[], websites=[])
    StructureMembershipFactory(user=manager, organisation=place.organisation, is_manager=True)
    return manager, place


def form_data(place: Place, **extra) -> dict:
    return {
        "name": place.name,
        "address": place.address,
        "postcode": place.postcode,
        "commune": place.commune,
        **extra,
    }


def test_the_editor_shows_the_stored_week_in_french(client, managed_place):
    manager, place = managed_place
    client.force_login(manager)
    html = client.get(reverse("directory:place_edit", args=[place.pk])).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    legends = [legend.get_text() for legend in soup.select(".hours-day legend")]
    assert legends[:2] == ["Lundi", "Mardi"]
    assert soup.select_one(f"input[name={slot(TUESDAY, 0, False)}]")["value"] == "10:00"
    assert soup.select_one(f"input[name={slot(TUESDAY, 0, True)}]")["value"] == "18:00"
    assert soup.select_one(f"input[name={slot(MONDAY, 0, False)}]").get("value") is None
    assert "Mardi : 10 h – 18 h" in soup.select_one(".hours-reading").get_text()
    assert "Tu-Sa" not in soup.select_one(".hours-editor").get_text()


def test_a_manager_saves_a_week_typed_in_the_editor(client, managed_place):
    manager, place = managed_place
    client.force_login(manager)
    data = form_data(place, **week_data({(SATURDAY, 0): ("09:30", "12:30")}, holidays="off"))
    response = client.post(reverse("directory:place_edit", args=[place.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    place.refresh_from_db()
    assert place.opening_hours == "Sa 09:30-12:30; PH off" and place.opening_hours_valid


def test_an_unreadable_stored_string_is_said_in_french_and_kept_until_replaced(
    client, managed_place
):
    manager, place = managed_place
    Place.objects.filter(pk=place.pk).update(opening_hours="lundi matin", opening_hours_valid=False)
    client.force_login(manager)
    url = reverse("directory:place_edit", args=[place.pk])
    html = client.get(url).content.decode()
    assert "Les horaires enregistrés ne peuvent pas être lus : « lundi matin »" in html
    # Saving something else keeps the stored text; typing a new unreadable one is refused.
    response = client.post(
        url, form_data(place, summary="Accueil", **week_data({}, raw="lundi matin"))
    )
    assert response.status_code == 302
    refused = client.post(url, form_data(place, **week_data({}, raw="le mardi")))
    assert refused.status_code == 400
    assert "Ces horaires ne peuvent pas être lus : « le mardi »" in refused.content.decode()
    place.refresh_from_db()
    assert place.opening_hours == "lundi matin" and place.summary == "Accueil"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "emails",
            "pas-un-courriel",
            "« pas-un-courriel » n&#x27;est pas une adresse électronique",
        ),
        ("websites", "ftp://exemple.fr", "n&#x27;est pas l&#x27;adresse d&#x27;un site web"),
        ("appointment_url", "javascript:alert(1)", "n&#x27;est pas l&#x27;adresse d&#x27;un site"),
        ("phone", "abc", "Un numéro de téléphone français"),
    ],
)
def test_contacts_are_checked_in_french_and_nothing_changes(
    client, managed_place, field, value, message
):
    manager, place = managed_place
    client.force_login(manager)
    response = client.post(
        reverse("directory:place_edit", args=[place.pk]), form_data(place, **{field: value})
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    place.refresh_from_db()
    assert not place.changes.exists()


def test_contacts_are_read_as_people_type_them(client, managed_place):
    manager, place = managed_place
    client.force_login(manager)
    data = form_data(
        place,
        phone="02 99 00 00 00",
        emails="accueil@mairie.fr\ncontact@mairie.fr",
        websites="www.mairie.fr",
        **week_data({(MONDAY, 0): ("09:00", "12:00")}),
    )
    assert client.post(reverse("directory:place_edit", args=[place.pk]), data).status_code == 302
    place.refresh_from_db()
    assert place.phone == "+33299000000"
    assert place.emails == ["accueil@mairie.fr", "contact@mairie.fr"]
    assert place.websites == ["https://www.mairie.fr"]


def test_the_service_refuses_a_bad_address_whoever_calls_it(managed_place):
    manager, place = managed_place
    with pytest.raises(DomainError, match="n'est pas une adresse électronique"):
        services.place_update(place=place, user=manager, data={"emails": ["pas-un-courriel"]})
    place.refresh_from_db()
    assert place.emails == []


def test_the_admin_edits_a_place_with_the_same_editor(client, managed_place):
    _manager, place = managed_place
    client.force_login(hub_staff())
    url = reverse("directory_place:edit", args=[place.pk])
    html = client.get(url).content.decode()
    assert "hours-editor" in html and "Fermé les jours fériés" in html
    response = client.post(
        url,
        form_data(place, emails="pas-un-courriel", **week_data({(MONDAY, 0): ("09:00", "12:00")})),
    )
    assert (
        "« pas-un-courriel » n&#x27;est pas une adresse électronique" in response.content.decode()
    )
    response = client.post(url, form_data(place, **week_data({(MONDAY, 0): ("09:00", "12:00")})))
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.opening_hours == "Mo 09:00-12:00"


def test_staff_create_places_in_the_admin_each_with_its_own_identifier(client, communes):
    client.force_login(hub_staff())
    url = reverse("directory_place:add")
    for name in ("Espace numérique du Blosne", "Point numérique de Maurepas"):
        response = client.post(
            url,
            {
                "name": name,
                "address": "1 rue de Rennes",
                "postcode": "35200",
                "commune": "Rennes",
                **week_data({(MONDAY, 0): ("09:00", "12:00")}),
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    places = list(Place.objects.order_by("pk"))
    assert len({place.identifier for place in places}) == 2
    assert all(place.identifier.startswith("maillage-") for place in places)
    assert places[0].insee_code == "35238" and places[0].departement == "35"
    assert places[0].changes.get().user is not None
    refused = client.post(url, {"name": "Sans adresse", "postcode": "35", "commune": "Rennes"})
    assert refused.status_code == 200 and Place.objects.count() == 2
