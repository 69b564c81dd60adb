"""Date polls as people expect them (issue 17 §8, 22 §7): oui / si besoin / non, names shown
to participants or an anonymous poll by the proposer's choice, a deadline, and the proposer or
Hub staff closing the poll into a date, which creates the session through events' services,
registers the proposer and tells everyone who answered."""

import datetime

from django.core import mail
from django.utils import timezone

import pytest

from core.errors import DomainError
from events.models import Registration, Session
from peer_exchange import selectors, services
from peer_exchange.models import ProposalVote
from tests.factories.accounts import UserFactory, hub_staff
from tests.factories.directory import PlaceFactory
from tests.factories.peer_exchange import peer_format, proposal

pytestmark = pytest.mark.django_db
YES, IF_NEEDED, NO = (
    ProposalVote.Answer.YES,
    ProposalVote.Answer.IF_NEEDED,
    ProposalVote.Answer.NO,
)


def test_each_date_counts_oui_si_besoin_and_non_and_an_answer_can_change():
    created = proposal()
    date = created.dates.first()
    alice, bruno, chloe = UserFactory(), UserFactory(), UserFactory()
    services.proposal_vote(date=date, user=alice, answer=YES)
    services.proposal_vote(date=date, user=bruno, answer=IF_NEEDED)
    services.proposal_vote(date=date, user=chloe, answer=NO)
    services.proposal_vote(date=date, user=chloe, answer=YES)  # changed her mind
    with pytest.raises(DomainError) as error:
        services.proposal_vote(date=date, user=chloe, answer=YES)
    assert error.value.code == "already_voted"
    with pytest.raises(DomainError) as error:
        services.proposal_vote(date=date, user=alice, answer="peut-être")
    assert error.value.code == "bad_answer"
    counted = selectors.proposal_get_visible(pk=created.pk, user=alice).dates.first()
    assert (counted.yes_total, counted.if_needed_total, counted.no_total) == (2, 1, 0)
    assert counted.votes_total == 3 and counted.my_answer == YES


def test_the_deadline_closes_the_poll(time_machine):
    created = proposal(vote_deadline=timezone.now() + datetime.timedelta(days=2))
    date = created.dates.first()
    services.proposal_vote(date=date, user=UserFactory(), answer=YES)
    time_machine.move_to(timezone.now() + datetime.timedelta(days=3))
    with pytest.raises(DomainError) as error:
        services.proposal_vote(date=date, user=UserFactory(), answer=YES)
    assert error.value.code == "deadline_passed"
    assert "date limite du sondage est passée" in error.value.message


def test_a_deadline_after_the_first_date_or_past_is_refused():
    for deadline in (
        timezone.now() - datetime.timedelta(hours=1),
        timezone.now() + datetime.timedelta(days=30),
    ):
        with pytest.raises(DomainError) as error:
            proposal(vote_deadline=deadline)
        assert error.value.code == "bad_deadline"


def test_names_are_shown_to_participants_unless_the_poll_is_anonymous(client):
    named = proposal(topic="Sondage nominatif")
    anonymous = proposal(topic="Sondage anonyme", names_visible=False)
    voter = UserFactory(first_name="Yannick", last_name="Le Goff")
    for created in (named, anonymous):
        services.proposal_vote(date=created.dates.first(), user=voter, answer=IF_NEEDED)
    onlooker = UserFactory()
    client.force_login(onlooker)
    assert "Yannick" not in client.get(f"/echanges/propositions/{named.pk}/").content.decode()
    client.force_login(voter)
    html = client.get(f"/echanges/propositions/{named.pk}/").content.decode()
    assert "Yannick Le Goff (si besoin)" in html
    html = client.get(f"/echanges/propositions/{anonymous.pk}/").content.decode()
    assert "Yannick" not in html and "Sondage anonyme : seuls les totaux sont montrés." in html


def test_the_vote_form_posts_each_answer(client):
    created = proposal()
    date = created.dates.first()
    user = UserFactory()
    client.force_login(user)
    assert (
        client.post(f"/echanges/dates/{date.pk}/je-suis-disponible/", {"answer": NO}).status_code
        == 302
    )
    assert ProposalVote.objects.get().answer == NO
    html = client.get(f"/echanges/propositions/{created.pk}/").content.decode()
    assert 'value="non" class="button" aria-pressed="true"' in html


def test_the_proposer_closes_the_poll_into_a_date(client, django_capture_on_commit_callbacks):
    proposer = UserFactory(email="propose@exemple.fr")
    created = proposal(proposer=proposer, format_page=peer_format(group_size_max=6))
    chosen, other = created.dates.all()
    services.proposal_vote(date=chosen, user=UserFactory(email="oui@exemple.fr"), answer=YES)
    services.proposal_vote(date=other, user=UserFactory(email="non@exemple.fr"), answer=NO)
    client.force_login(UserFactory())
    assert (
        client.post(f"/echanges/propositions/{created.pk}/clore/", {"date": chosen.pk}).status_code
        == 403
    )
    client.force_login(proposer)
    html = client.get(f"/echanges/propositions/{created.pk}/").content.decode()
    assert "Clore le sondage sur cette date" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/echanges/propositions/{created.pk}/clore/", {"date": chosen.pk})
    session = Session.objects.get()
    assert response.status_code == 302 and response["Location"] == session.get_absolute_url()
    assert (session.start, session.capacity, session.venue_id) == (chosen.start, 6, created.host_id)
    registration = session.registrations.get()
    assert registration.user == proposer and registration.status == Registration.Status.CONFIRMED
    invited = sorted(m.to[0] for m in mail.outbox if "la date est fixée" in m.subject)
    assert invited == ["non@exemple.fr", "oui@exemple.fr"]


def test_closing_without_a_date_says_so_in_french_and_changes_nothing(client):
    """The form carries no browser check (novalidate, whose bubble speaks the browser's
    language): the portal says what is missing, next to the poll."""
    proposer = UserFactory()
    created = proposal(proposer=proposer)
    client.force_login(proposer)
    response = client.post(f"/echanges/propositions/{created.pk}/clore/", {})
    assert response.status_code == 400
    assert "Choisissez la date retenue pour clore le sondage." in response.content.decode()
    created.refresh_from_db()
    assert created.is_open and not Session.objects.exists()


def test_only_staff_set_capacity_duration_and_place():
    created = proposal()
    with pytest.raises(DomainError) as error:
        services.proposal_accept(
            proposal=created, date=created.dates.first(), by=created.proposer, capacity=40
        )
    assert error.value.code == "forbidden"
    assert not Session.objects.exists()


def test_staff_accept_with_capacity_duration_place_and_invite_the_proposer(client):
    created = proposal()
    date = created.dates.first()
    elsewhere = PlaceFactory(name="Médiathèque des Champs Libres")
    client.force_login(hub_staff())
    url = f"/admin/propositions-echanges/{created.pk}/accepter/"
    bad = client.post(url, {"date": date.pk, "capacity": "0", "duration_hours": "30"})
    assert bad.status_code == 400 and not Session.objects.exists()
    response = client.post(
        url,
        {
            "date": date.pk,
            "capacity": "14",
            "duration_hours": "2.5",
            "venue": elsewhere.pk,
            "proposer": "inviter",
        },
    )
    assert response.status_code == 302
    session = Session.objects.get()
    assert session.capacity == 14
    assert session.end - session.start == datetime.timedelta(hours=2, minutes=30)
    assert session.venue == elsewhere
    assert not session.registrations.exists()
