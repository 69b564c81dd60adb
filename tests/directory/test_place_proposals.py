"""A structure manager proposes a place for their structure; it is public only once Hub staff
have reviewed it."""

from django.core import mail
from django.urls import reverse

import pytest

from core.errors import DomainError
from directory import services
from directory.models import Place, PlaceProposal
from tests.factories.accounts import UserFactory, hub_staff
from tests.factories.directory import OrganisationFactory
from tests.factories.numeritheque import manager_of_structure

pytestmark = pytest.mark.django_db

FICHE = {
    "name": "Espace numérique du Blosne",
    "address": "12 boulevard de Yougoslavie",
    "postcode": "35200",
    "commune": "Rennes",
    "phone": "02 99 00 00 00",
    "emails": "accueil@blosne.fr",
    "opening_hours_3": "",
    "opening_hours_6": "14:00",
    "opening_hours_7": "18:00",
}


@pytest.fixture
def manager(communes):
    user, organisation = manager_of_structure(email="direction@ccas.fr")
    organisation.siret = "12345678900011"
    organisation.save()
    return user, organisation


def propose(client, user, organisation, **extra):
    client.force_login(user)
    return client.post(
        reverse("directory:place_propose"),
        {**FICHE, "organisation": organisation.pk, **extra},
    )


def test_a_proposed_place_is_not_public_until_staff_publish_it(
    client, manager, django_capture_on_commit_callbacks
):
    user, organisation = manager
    staff = hub_staff(email="equipe@hub.fr")
    with django_capture_on_commit_callbacks(execute=True):
        response = propose(client, user, organisation)
    assert response.status_code == 302, response.content.decode()[:3000]
    proposal = PlaceProposal.objects.get()
    assert proposal.status == PlaceProposal.Status.PENDING
    assert not Place.objects.exists()
    assert proposal.data["phone"] == "+33299000000"
    assert proposal.data["opening_hours"] == "Tu 14:00-18:00"
    # The team is told; the directory, its open data and the API know nothing yet.
    assert [message.to for message in mail.outbox] == [[staff.email]]
    assert "Espace numérique du Blosne" in mail.outbox[0].subject
    space = client.get(reverse("portal:my_space")).content.decode()
    assert "en attente de relecture par l'équipe du Hub" in space
    assert "Blosne" not in client.get(reverse("directory:place_list")).content.decode()
    assert "Blosne" not in client.get("/api/v1/lieux").content.decode()

    client.force_login(staff)
    review = client.get(reverse("directory:place_proposals")).content.decode()
    assert "Espace numérique du Blosne" in review and "direction@ccas.fr" in review
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("directory:place_proposals"),
            {"proposition": proposal.pk, "decision": "publier"},
        )
    assert response.status_code == 302
    place = Place.objects.get()
    assert place.organisation == organisation and place.pivot == "12345678900011"
    assert place.departement == "35" and place.insee_code == "35238"
    assert place.latitude is not None and place.identifier.startswith("maillage-")
    assert place.opening_hours == "Tu 14:00-18:00" and place.emails == ["accueil@blosne.fr"]
    assert [message.to for message in mail.outbox] == [[user.email]]
    assert "Blosne" in client.get(reverse("directory:place_list")).content.decode()
    proposal.refresh_from_db()
    assert proposal.status == PlaceProposal.Status.APPROVED and proposal.place == place


def test_staff_refuse_with_a_reason_the_structure_reads(
    client, manager, django_capture_on_commit_callbacks
):
    user, organisation = manager
    propose(client, user, organisation)
    proposal = PlaceProposal.objects.get()
    client.force_login(hub_staff())
    url = reverse("directory:place_proposals")
    empty = client.post(url, {"proposition": proposal.pk, "decision": "refuser", "reason": ""})
    assert empty.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url,
            {"proposition": proposal.pk, "decision": "refuser", "reason": "Déjà dans l'annuaire."},
        )
    proposal.refresh_from_db()
    assert proposal.status == PlaceProposal.Status.REFUSED and not Place.objects.exists()
    assert "Déjà dans l'annuaire." in mail.outbox[-1].body and mail.outbox[-1].to == [user.email]
    client.force_login(user)
    assert "non publié : Déjà dans l" in client.get(reverse("portal:my_space")).content.decode()


def test_a_bad_fiche_is_refused_in_french_and_nothing_is_recorded(client, manager):
    user, organisation = manager
    response = propose(client, user, organisation, emails="pas-un-courriel", postcode="35")
    assert response.status_code == 400
    html = response.content.decode()
    assert "pas-un-courriel" in html and "Le code postal compte 5 chiffres." in html
    assert not PlaceProposal.objects.exists()


def test_only_a_manager_proposes_and_only_for_their_structure(client, manager):
    user, organisation = manager
    other = OrganisationFactory()
    response = propose(client, user, other)
    assert response.status_code == 400 and not PlaceProposal.objects.exists()
    client.force_login(UserFactory())
    refused = client.get(reverse("directory:place_propose"))
    assert refused.status_code == 403
    assert "réservé aux gestionnaires d&#x27;une structure" in refused.content.decode()
    with pytest.raises(DomainError) as error:
        services.place_propose(user=UserFactory(), organisation=organisation, data=dict(FICHE))
    assert error.value.code == "not_manager"


def test_only_staff_decide_and_only_once(manager):
    user, organisation = manager
    data = {**FICHE, "phone": "+33299000000", "emails": ["accueil@blosne.fr"]}
    proposal = services.place_propose(user=user, organisation=organisation, data=data)
    with pytest.raises(DomainError) as error:
        services.place_proposal_approve(proposal=proposal, by=user)
    assert error.value.code == "not_hub_staff"
    staff = hub_staff()
    services.place_proposal_approve(proposal=proposal, by=staff)
    with pytest.raises(DomainError) as error:
        services.place_proposal_refuse(proposal=proposal, by=staff, reason="Trop tard")
    assert error.value.code == "not_pending"
    assert Place.objects.count() == 1
