"""Merging duplicate fiches, and the staff list of the latest hand edits."""

import pytest

from core.errors import DomainError
from directory import services
from directory.models import Organisation, Place, PlaceChange, StructureMembership
from directory.services import merges
from events.models import Session
from numeritheque.models import Booking, Item
from tests.factories.accounts import UserFactory, structure_manager
from tests.factories.directory import OrganisationFactory, PlaceFactory, StructureMembershipFactory
from tests.factories.events import SessionFactory
from tests.factories.numeritheque import ItemFactory, days

pytestmark = pytest.mark.django_db
MERGE = "/annuaire/doublons/fusionner/"
DUPLICATES = "/annuaire/doublons/"
CHANGES = "/annuaire/modifications/"


def duplicate_pair():
    """Two fiches of one place from two sources, each run by its own structure row."""
    keep = PlaceFactory(
        identifier="hub-1",
        name="Médiathèque des Champs Libres",
        address="10 cours des Alliés",
        source="Hub",
        phone="",
        opening_hours="",
        summary="",
    )
    remove = PlaceFactory(
        identifier="cartographie-9",
        name="Médiathèque des Champs Libres",
        address="10 cours des Alliés",
        source="Cartographie nationale",
        phone="+33299000000",
        opening_hours="Mo-Fr 10:00-18:00",
        summary="Ateliers numériques tous les mercredis.",
    )
    return keep, remove


def test_merge_moves_everything_fills_empty_fields_and_records_it(staff_user):
    keep, remove = duplicate_pair()
    keep_name, kept_organisation = keep.name, keep.organisation
    removed_organisation = remove.organisation
    session = SessionFactory(venue=remove)
    item = ItemFactory(home_place=remove)
    requester = UserFactory()
    booking = Booking.objects.create(
        structure=removed_organisation,
        requester=requester,
        start=days(3),
        end=days(5),
        purpose="Atelier VR",
    )
    both = UserFactory()
    StructureMembershipFactory(user=both, organisation=kept_organisation, is_manager=False)
    StructureMembershipFactory(user=both, organisation=removed_organisation, is_manager=True)
    only_removed = StructureMembershipFactory(user=UserFactory(), organisation=removed_organisation)
    PlaceChange.objects.create(place=remove, user=requester, changes={"name": ["a", "b"]})

    kept = services.place_merge(keep=keep, remove=remove, user=staff_user)

    assert not Place.objects.filter(pk=remove.pk).exists()
    assert Session.objects.get(pk=session.pk).venue_id == kept.pk
    assert Item.objects.get(pk=item.pk).home_place_id == kept.pk
    assert Booking.objects.get(pk=booking.pk).structure_id == kept_organisation.pk
    assert not Organisation.objects.filter(pk=removed_organisation.pk).exists()
    assert StructureMembership.objects.get(user=both).is_manager is True
    assert StructureMembership.objects.get(pk=only_removed.pk).organisation_id == (
        kept_organisation.pk
    )
    kept.refresh_from_db()
    assert kept.name == keep_name
    assert kept.phone == "+33299000000"
    assert kept.opening_hours == "Mo-Fr 10:00-18:00"
    assert kept.summary == "Ateliers numériques tous les mercredis."
    assert kept.source == "Hub"
    assert {"phone", "opening_hours", "summary"} <= set(kept.hub_edited_fields)
    merge_change = kept.changes.filter(user=staff_user).get()
    assert merge_change.changes["fusion"][0].endswith("(cartographie-9)")
    assert merge_change.changes["phone"] == [None, "+33299000000"]
    assert kept.changes.count() == 2  # the removed fiche's history followed


def test_merge_keeps_a_structure_that_still_runs_other_places(staff_user):
    keep, remove = duplicate_pair()
    other = PlaceFactory(organisation=remove.organisation)
    services.place_merge(keep=keep, remove=remove, user=staff_user)
    assert Organisation.objects.filter(pk=other.organisation_id).exists()


def test_merging_a_place_with_itself_is_refused_and_writes_nothing(staff_user):
    place = PlaceFactory()
    with pytest.raises(DomainError) as error:
        services.place_merge(keep=place, remove=place, user=staff_user)
    assert error.value.code == "same_place"
    assert "lui-même" in error.value.message
    assert Place.objects.filter(pk=place.pk).exists()
    assert PlaceChange.objects.count() == 0


def test_a_clash_refuses_the_merge_and_rolls_back(staff_user, monkeypatch):
    keep, remove = duplicate_pair()
    session = SessionFactory(venue=remove)

    def clash(**kwargs):
        raise DomainError("Fusion impossible.", code="conflict")

    monkeypatch.setattr(merges, "_organisation_merge", clash)
    with pytest.raises(DomainError):
        services.place_merge(keep=keep, remove=remove, user=staff_user)
    assert Place.objects.filter(pk=remove.pk).exists()
    assert Session.objects.get(pk=session.pk).venue_id == remove.pk
    assert PlaceChange.objects.count() == 0


def test_unique_link_rows_clash_is_refused_not_deleted(staff_user):
    """Two rows that a unique constraint would make identical: the merge refuses."""
    _repoint = merges._repoint

    first, second = OrganisationFactory(), OrganisationFactory()
    user = UserFactory()
    StructureMembershipFactory(user=user, organisation=first)
    StructureMembershipFactory(user=user, organisation=second)
    with pytest.raises(DomainError) as error:
        _repoint(model=Organisation, remove_pk=second.pk, keep_pk=first.pk)
    assert error.value.code == "conflict"
    assert StructureMembership.objects.filter(user=user).count() == 2


@pytest.mark.parametrize(
    "make_user, status",
    [(None, 302), (UserFactory, 403), (structure_manager, 403)],
)
def test_merge_and_lists_are_for_hub_staff_only(client, make_user, status):
    keep, remove = duplicate_pair()
    if make_user:
        client.force_login(make_user())
    assert client.get(DUPLICATES).status_code == status
    assert client.get(CHANGES).status_code == status
    query = {"first": keep.pk, "second": remove.pk}
    assert client.get(MERGE, query).status_code == status
    assert client.post(MERGE, {**query, "choice": "a"}).status_code == status
    assert Place.objects.filter(pk=remove.pk).exists()


def test_staff_compares_then_confirms_the_merge(client, staff_user):
    keep, remove = duplicate_pair()
    client.force_login(staff_user)
    listing = client.get(DUPLICATES).content.decode()
    assert f"first={remove.pk}&amp;second={keep.pk}" in listing  # by identifier
    confirmation = client.get(MERGE, {"first": keep.pk, "second": remove.pk})
    content = confirmation.content.decode()
    assert confirmation.status_code == 200
    assert "cartographie-9" in content and "+33299000000" in content
    assert Place.objects.filter(pk=remove.pk).exists()  # a GET changes nothing
    response = client.post(MERGE, {"first": keep.pk, "second": remove.pk, "choice": "b"})
    assert response.status_code == 302
    assert not Place.objects.filter(pk=keep.pk).exists()
    assert Place.objects.filter(pk=remove.pk).exists()
    history = client.get(f"/annuaire/{remove.pk}/historique/").content.decode()
    assert "Fusion de fiches" in history
    assert "Médiathèque des Champs Libres (hub-1)" in history


def test_merge_needs_a_csrf_token(staff_user):
    from django.test import Client

    keep, remove = duplicate_pair()
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    response = client.post(MERGE, {"first": keep.pk, "second": remove.pk, "choice": "a"})
    assert response.status_code == 403
    assert Place.objects.filter(pk=remove.pk).exists()


@pytest.mark.parametrize(
    "data, status, message",
    [
        ({}, 400, "Choisissez deux lieux"),
        ({"first": "x", "second": "2"}, 400, "Choisissez deux lieux"),
        ({"first": "999999", "second": "999998"}, 404, ""),
        ({"choice": "c"}, 400, "Choisissez la fiche à garder"),
        ({"same": True, "choice": "a"}, 400, "lui-même"),
    ],
)
def test_bad_merge_requests_get_a_french_message_and_change_nothing(
    client, staff_user, data, status, message
):
    keep, remove = duplicate_pair()
    if "choice" in data:
        data = {
            "first": keep.pk,
            "second": keep.pk if data.pop("same", False) else remove.pk,
            **data,
        }
    client.force_login(staff_user)
    response = client.post(MERGE, data)
    assert response.status_code == status
    assert message in response.content.decode()
    assert Place.objects.count() == 2
    assert PlaceChange.objects.count() == 0


def test_latest_changes_list_who_changed_what_with_a_link_to_the_history(
    client, staff_user, django_assert_max_num_queries
):
    manager = structure_manager(first_name="Maëlle", last_name="Le Goff")
    for _ in range(30):
        place = PlaceFactory()
        StructureMembershipFactory(user=manager, organisation=place.organisation)
        services.place_update(
            place=place, user=manager, data={"phone": "+33299112233", "summary": "Nouveau"}
        )
    client.force_login(staff_user)
    with django_assert_max_num_queries(24):  # the access log entry included
        response = client.get(CHANGES)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Maëlle Le Goff" in content
    assert "téléphone" in content
    assert f"/annuaire/{place.pk}/historique/" in content


def test_a_reimport_does_not_bring_a_merged_fiche_back(staff_user):
    keep, remove = duplicate_pair()
    services.place_merge(keep=keep, remove=remove, user=staff_user)
    header = "id,pivot,nom,commune,code_postal,adresse,date_maj"
    data = f"{header}\ncartographie-9,,Médiathèque,Rennes,35000,10 cours des Alliés,2025-01-01\n"
    report = services.places_import(data=data.encode())
    assert (report.created, report.merged) == (0, 1)
    assert (
        "Fiche fusionnée avec « Médiathèque des Champs Libres » (hub-1)"
        in (report.warnings[-1]["message"])
    )
    assert list(Place.objects.values_list("identifier", flat=True)) == ["hub-1"]
    other = PlaceFactory(identifier="autre")
    services.place_merge(keep=other, remove=Place.objects.get(identifier="hub-1"), user=staff_user)
    assert set(other.merged_identifiers.values_list("identifier", flat=True)) == {
        "cartographie-9",
        "hub-1",
    }
