"""Every model that names a person is covered by the data export and account deletion, or is
listed in `core.personal_data.EXEMPT` with its reason; and deleting an account leaves nothing
that points at the person."""

import datetime

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

import pytest

from accounts.services import user_delete, user_export_data
from core import personal_data
from directory.models import PlaceChange, StructureMembership
from events import services as event_services
from events.models import Registration, SeatOffer
from newsletter.models import Subscriber
from numeritheque.models import Booking, BookingTransition
from numeritheque.services import booking_request
from peer_exchange.models import Proposal, ProposalVote
from peer_exchange.services import proposal_vote
from territory.models import ShareLink
from tests.factories.accounts import UserFactory
from tests.factories.directory import PlaceFactory
from tests.factories.events import SessionFactory
from tests.factories.newsletter import SubscriberFactory
from tests.factories.numeritheque import ItemFactory, days, manager_of_structure
from tests.factories.peer_exchange import proposal
from tests.factories.trainings import training_page
from trainings.models import SatisfactionAnswer
from trainings.services import certificate_issue


def models_naming_a_person() -> set[str]:
    """Models with a foreign key or one-to-one to the user (hidden reverse relations, such as
    `related_name="+"`, included), and models storing an email address. A field inherited by
    a page type counts for the model that declares it (wagtailcore.Page)."""
    user_model = get_user_model()
    reverse = {
        relation.field.model._meta.label
        for relation in user_model._meta.get_fields(include_hidden=True)
        if relation.auto_created
        and not relation.concrete
        and not relation.many_to_many
        and not relation.related_model._meta.auto_created
    }
    emails = {
        field.model._meta.label
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.EmailField)
    }
    return reverse | emails


def test_every_model_naming_a_person_is_covered_or_exempt_with_a_reason():
    covered = personal_data.covered_models()
    unaccounted = models_naming_a_person() - covered - set(personal_data.EXEMPT)
    assert not unaccounted, (
        f"Modèles qui nomment une personne sans être couverts par l'export/la suppression "
        f"ni exemptés avec une raison dans core.personal_data.EXEMPT : {sorted(unaccounted)}"
    )


def test_covered_and_exempt_lists_name_real_models_once_with_reasons():
    covered = personal_data.covered_models()
    for label in covered | set(personal_data.EXEMPT):
        apps.get_model(label)
    assert not covered & set(personal_data.EXEMPT)
    assert all(reason.strip() for reason in personal_data.EXEMPT.values())


@pytest.fixture
def person(db):
    """One object of each kind that names the person, in every app."""
    user, organisation = manager_of_structure(email="camille@exemple.fr")
    # Agenda: a past session attended with answers, an upcoming one.
    training = training_page()
    past = SessionFactory(
        page=training,
        start=timezone.now() - datetime.timedelta(days=20),
        end=timezone.now() - datetime.timedelta(days=20, hours=-3),
    )
    attended = Registration.objects.create(
        session=past,
        user=user,
        status=Registration.Status.ATTENDED,
        answers={"dietary": "sans gluten", "accessibility": "fauteuil"},
    )
    event_services.registration_create(session=SessionFactory(), user=user)
    # The waiting list of a full training: a seat freed and offered to the person.
    full = SessionFactory(capacity=1)
    holder = event_services.registration_create(session=full, user=UserFactory())
    event_services.waiting_list_join(page=full.page, user=user)
    event_services.waiting_list_join(page=full.page, user=UserFactory(email="suivante@exemple.fr"))
    event_services.registration_cancel(registration=holder, by=holder.user)
    SatisfactionAnswer.objects.create(
        registration=attended,
        training=training,
        rating=5,
        useful="Les cas pratiques",
        improve="Plus de pauses",
        would_recommend=True,
    )
    certificate_issue(registration=attended)
    # Peer exchange: a proposal, and a vote on someone else's.
    proposal(proposer=user)
    other = proposal(proposer=UserFactory())
    proposal_vote(date=other.dates.first(), user=user)
    # Numérithèque: a booking (and its transition, made by the person).
    booking_request(
        requester=user,
        structure=organisation,
        items=[ItemFactory()],
        start=days(5),
        end=days(7),
        purpose="Atelier découverte",
    )
    # Newsletter and directory.
    SubscriberFactory(email=user.email, user=user, name="Camille")
    PlaceChange.objects.create(place=PlaceFactory(), user=user, changes={"name": ["A", "B"]})
    # Territory: a share link of a diagnosis, which names who made it.
    ShareLink.objects.create(title="Diagnostic du Finistère", created_by=user)
    return user


def test_the_export_holds_every_kind_of_data(person):
    data = user_export_data(user=person)
    assert data["compte"]["email"] == "camille@exemple.fr"
    assert len(data["inscriptions"]) == 2
    assert {"dietary": "sans gluten", "accessibility": "fauteuil"} in [
        entry["reponses"] for entry in data["inscriptions"]
    ]
    assert data["trainings_satisfaction"][0]["a_ameliorer"] == "Plus de pauses"
    assert data["listes_attente"][0]["places_proposees"][0]["places"] == 1
    assert len(data["peer_exchange"]["propositions"]) == 1
    assert len(data["peer_exchange"]["disponibilites"]) == 1
    assert data["numeritheque_reservations"][0]["objet"] == "Atelier découverte"
    assert data["lettre_information"]["email"] == "camille@exemple.fr"
    assert len(data["directory"]["structures"]) == 1
    assert len(data["directory"]["modifications_de_lieux"]) == 1
    assert {section.key for section in personal_data.sections()} <= set(data)
    assert all(data[section.key] for section in personal_data.sections())


def test_deleting_the_account_leaves_nothing_that_names_the_person(person):
    pk, email = person.pk, person.email
    booking = Booking.objects.get(requester=person)
    change = PlaceChange.objects.get(user=person)

    user_delete(user=person)

    assert not get_user_model().objects.filter(pk=pk).exists()
    assert not Registration.objects.filter(user_id=pk).exists()
    assert not SatisfactionAnswer.objects.filter(improve="Plus de pauses").exists()
    assert not Proposal.objects.filter(proposer_id=pk).exists()
    assert not ProposalVote.objects.filter(user_id=pk).exists()
    assert not StructureMembership.objects.filter(user_id=pk).exists()
    # The seat held for the person passed to the next on the waiting list.
    assert SeatOffer.objects.filter(
        entry__requester__email="suivante@exemple.fr", status="pending"
    ).exists()
    # Kept for the inventory and the place's history, without the person.
    booking.refresh_from_db()
    assert booking.requester is None
    assert not BookingTransition.objects.filter(by_id=pk).exists()
    change.refresh_from_db()
    assert change.user is None
    subscriber = Subscriber.objects.get()
    assert subscriber.email != email and subscriber.name == "" and subscriber.user is None
    # Whatever the app: no row points at the person or holds their address any more.
    user_model = get_user_model()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not field.concrete or field.model is not model:
                continue
            if field.is_relation and field.related_model is user_model and not field.many_to_many:
                assert not model._base_manager.filter(**{field.attname: pk}).exists(), (
                    model._meta.label,
                    field.name,
                )
            if isinstance(field, models.EmailField):
                assert not model._base_manager.filter(**{field.name: email}).exists(), (
                    model._meta.label
                )
