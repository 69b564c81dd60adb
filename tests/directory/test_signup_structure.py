"""Sign-up asks for the structure (issue 22 §3, 17 §7): found in the directory by its name or
commune, chosen among several without JavaScript; « je gère cette structure » is a request Hub
staff approve, after which the person may book the numérithèque for it."""

import pytest

from accounts.models import User
from accounts.roles import STRUCTURE_MANAGER
from accounts.selectors import user_has_role
from core.errors import DomainError
from directory import services
from directory.models import StructureMembership
from tests.factories.accounts import UserFactory, hub_staff
from tests.factories.directory import OrganisationFactory, PlaceFactory

pytestmark = pytest.mark.django_db


def signup(client, **extra):
    data = {
        "email": "camille@exemple.fr",
        "password1": "un-mot-de-passe-solide-2026",
        "password2": "un-mot-de-passe-solide-2026",
        "first_name": "Camille",
        "last_name": "Martin",
        **extra,
    }
    return client.post("/comptes/signup/", data)


def test_sign_up_finds_the_structure_by_its_commune_and_records_the_request(client):
    ccas = OrganisationFactory(name="CCAS de Villejean")
    PlaceFactory(organisation=ccas, name="Point numérique", commune="Rennes")
    OrganisationFactory(name="Médiathèque de Quimper")
    response = signup(client, structure_name="ccas rennes", manages_structure="on")
    assert response.status_code == 302
    membership = StructureMembership.objects.get(user__email="camille@exemple.fr")
    assert membership.organisation == ccas
    assert not membership.is_manager
    assert membership.manager_requested_at is not None


def test_several_matches_are_offered_as_a_choice(client):
    first = OrganisationFactory(name="Médiathèque de Brest")
    OrganisationFactory(name="Médiathèque de Lannion")
    response = signup(client, structure_name="médiathèque")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Plusieurs structures correspondent à « médiathèque »" in html
    assert "Médiathèque de Lannion" in html
    assert not User.objects.exists()
    chosen = signup(client, structure_name="médiathèque", structure=first.pk)
    assert chosen.status_code == 302
    assert StructureMembership.objects.get().organisation == first


def test_an_unknown_structure_is_said_in_french_and_an_empty_one_is_fine(client):
    response = signup(client, structure_name="Zzyzx")
    assert "Aucune structure de l&#x27;annuaire ne correspond à « Zzyzx »" in (
        response.content.decode()
    )
    assert signup(client).status_code == 302
    assert not StructureMembership.objects.exists()


def test_staff_approve_a_manager_request_which_opens_booking(client):
    person = UserFactory()
    ccas = OrganisationFactory()
    membership = services.membership_join(user=person, organisation=ccas, wants_to_manage=True)
    with pytest.raises(DomainError) as refused:
        services.membership_manager_approve(membership=membership, by=UserFactory())
    assert refused.value.code == "not_hub_staff"
    client.force_login(hub_staff())
    page = client.get("/annuaire/gestionnaires/")
    assert person.email in page.content.decode()
    client.post("/annuaire/gestionnaires/", {"demande": membership.pk, "decision": "accepter"})
    membership.refresh_from_db()
    assert membership.is_manager and membership.manager_requested_at is None
    person = User.objects.get(pk=person.pk)
    assert user_has_role(user=person, roles=[STRUCTURE_MANAGER])
    with pytest.raises(DomainError) as twice:
        services.membership_manager_refuse(membership=membership, by=hub_staff())
    assert twice.value.code == "not_pending"


def test_after_sign_up_a_person_asks_to_manage_a_structure_and_staff_decide(client):
    """« Ma structure »: found in the directory by its commune, the request lands in the staff's
    existing list (/annuaire/gestionnaires/), and once approved the person can book."""
    person = UserFactory()
    ccas = OrganisationFactory(name="CCAS de Villejean")
    PlaceFactory(organisation=ccas, name="Point numérique", commune="Rennes")
    client.force_login(person)
    refused = client.get("/numeritheque/reserver/")
    assert refused.status_code == 403
    assert 'href="/annuaire/ma-structure/"' in refused.content.decode()
    response = client.post(
        "/annuaire/ma-structure/", {"structure_name": "ccas rennes", "manages_structure": "on"}
    )
    assert response.status_code == 302
    membership = StructureMembership.objects.get(user=person)
    assert membership.organisation == ccas and membership.manager_requested_at is not None
    page = client.get("/annuaire/ma-structure/").content.decode()
    assert "en attente de l'équipe du Hub" in page
    assert "demande de gestion en attente" in client.get("/mon-espace/").content.decode()
    staff = hub_staff()
    client.force_login(staff)
    assert person.email in client.get("/annuaire/gestionnaires/").content.decode()
    client.post("/annuaire/gestionnaires/", {"demande": membership.pk, "decision": "accepter"})
    client.force_login(User.objects.get(pk=person.pk))
    assert client.get("/numeritheque/reserver/").status_code == 200


def test_my_structure_asks_for_a_name_offers_a_choice_and_is_prefilled_from_a_fiche(client):
    person = UserFactory()
    brest = OrganisationFactory(name="Médiathèque de Brest")
    OrganisationFactory(name="Médiathèque de Lannion")
    place = PlaceFactory(organisation=brest, name="Médiathèque des Capucins", commune="Brest")
    client.force_login(person)
    empty = client.post("/annuaire/ma-structure/", {"structure_name": ""})
    assert empty.status_code == 400
    assert "Indiquez le nom ou la commune de votre structure." in empty.content.decode()
    several = client.post("/annuaire/ma-structure/", {"structure_name": "médiathèque"})
    assert "Plusieurs structures correspondent à « médiathèque »" in several.content.decode()
    assert not StructureMembership.objects.exists()
    chosen = client.post(
        "/annuaire/ma-structure/", {"structure_name": "médiathèque", "structure": brest.pk}
    )
    assert chosen.status_code == 302
    membership = StructureMembership.objects.get()
    assert membership.organisation == brest and membership.manager_requested_at is None
    fiche = client.get(f"/annuaire/{place.pk}/").content.decode()
    assert f'href="/annuaire/ma-structure/?structure={brest.pk}"' in fiche
    prefilled = client.get("/annuaire/ma-structure/", {"structure": brest.pk}).content.decode()
    assert 'value="Médiathèque de Brest"' in prefilled
