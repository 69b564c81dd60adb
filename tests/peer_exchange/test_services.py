import datetime

from django.core import mail
from django.utils import timezone

import pytest

from core.errors import DomainError
from events.models import Session
from peer_exchange import services
from peer_exchange.models import Proposal, ProposalDate, ProposalVote
from tests.factories.accounts import UserFactory, hub_staff
from tests.factories.directory import PlaceFactory
from tests.factories.peer_exchange import future, peer_format, proposal

pytestmark = pytest.mark.django_db


def create(**kwargs):
    defaults = {
        "proposer": UserFactory(),
        "format_page": peer_format(),
        "topic": "Analyse de pratiques",
        "host": PlaceFactory(),
        "starts": [future(5)],
    }
    return services.proposal_create(**{**defaults, **kwargs})


class TestProposalCreate:
    def test_dates_last_the_format_duration(self):
        created = create(format_page=peer_format(duration_hours=3), starts=[future(9), future(5)])
        dates = list(created.dates.all())
        assert [date.start for date in dates] == [future(5), future(9)]
        assert dates[0].end - dates[0].start == datetime.timedelta(hours=3)
        assert created.status == Proposal.Status.OPEN

    @pytest.mark.parametrize(
        ("starts", "code"),
        [
            ([], "no_date"),
            ([future(day) for day in range(1, 7)], "too_many_dates"),
            ([timezone.now() - datetime.timedelta(hours=1)], "past_date"),
            ([future(3), future(3)], "duplicate_date"),
        ],
    )
    def test_refusals_change_nothing(self, starts, code):
        with pytest.raises(DomainError) as error:
            create(starts=starts)
        assert error.value.code == code
        assert not Proposal.objects.exists() and not ProposalDate.objects.exists()

    def test_topic_required(self):
        with pytest.raises(DomainError) as error:
            create(topic="  ")
        assert error.value.code == "topic_required"


class TestProposalVote:
    def test_one_vote_per_person_and_date(self):
        created = proposal()
        date = created.dates.first()
        voter = UserFactory()
        services.proposal_vote(date=date, user=voter)
        with pytest.raises(DomainError) as error:
            services.proposal_vote(date=date, user=voter)
        assert error.value.code == "already_voted"
        assert ProposalVote.objects.count() == 1
        services.proposal_vote(date=created.dates.last(), user=voter)
        assert ProposalVote.objects.count() == 2

    def test_no_vote_on_a_closed_proposal(self):
        created = proposal()
        services.proposal_decline(proposal=created, reason="Hors périmètre", by=hub_staff())
        with pytest.raises(DomainError) as error:
            services.proposal_vote(date=created.dates.first(), user=UserFactory())
        assert error.value.code == "closed"
        assert not ProposalVote.objects.exists()

    def test_unvote(self):
        created = proposal()
        date, voter = created.dates.first(), UserFactory()
        services.proposal_vote(date=date, user=voter)
        services.proposal_unvote(date=date, user=voter)
        with pytest.raises(DomainError) as error:
            services.proposal_unvote(date=date, user=voter)
        assert error.value.code == "not_voted"


class TestProposalDecision:
    def test_accept_publishes_a_session_and_emails(self, django_capture_on_commit_callbacks):
        proposer = UserFactory(email="propose@exemple.fr")
        format_page = peer_format(group_size_max=8)
        created = proposal(proposer=proposer, format_page=format_page)
        chosen, other = created.dates.all()
        fan, late = UserFactory(email="fan@exemple.fr"), UserFactory(email="autre@exemple.fr")
        services.proposal_vote(date=chosen, user=fan)
        services.proposal_vote(date=other, user=late)
        with django_capture_on_commit_callbacks(execute=True):
            session = services.proposal_accept(proposal=created, date=chosen, by=hub_staff())
        assert session.kind == Session.Kind.PEER_EXCHANGE
        assert session.page_id == format_page.pk and session.venue_id == created.host_id
        assert session.capacity == 8 and session.start == chosen.start
        created.refresh_from_db()
        assert created.status == Proposal.Status.ACCEPTED and created.session == session
        # The proposer: the decision and her registration's confirmation; everyone who
        # answered the poll: the date chosen and the invitation to register.
        recipients = sorted(message.to[0] for message in mail.outbox)
        assert recipients == [
            "autre@exemple.fr",
            "fan@exemple.fr",
            "propose@exemple.fr",
            "propose@exemple.fr",
        ]
        assert session.registrations.get().user == proposer
        with pytest.raises(DomainError) as error:
            services.proposal_accept(proposal=created, date=other, by=hub_staff())
        assert error.value.code == "closed"
        assert Session.objects.count() == 1

    def test_accept_refuses_a_date_of_another_proposal(self):
        first, second = proposal(), proposal()
        with pytest.raises(DomainError) as error:
            services.proposal_accept(proposal=first, date=second.dates.first(), by=hub_staff())
        assert error.value.code == "wrong_date"
        assert not Session.objects.exists()

    def test_decline_needs_a_reason_and_emails(self, django_capture_on_commit_callbacks):
        created = proposal()
        with pytest.raises(DomainError) as error:
            services.proposal_decline(proposal=created, reason=" ", by=hub_staff())
        assert error.value.code == "reason_required"
        with django_capture_on_commit_callbacks(execute=True):
            services.proposal_decline(proposal=created, reason="Déjà programmé", by=hub_staff())
        assert len(mail.outbox) == 1 and "Déjà programmé" in mail.outbox[0].body
