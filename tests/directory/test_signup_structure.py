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
