import pytest

from peer_exchange import services
from peer_exchange.models import Proposal, ProposalVote
from tests.factories.accounts import UserFactory, hub_staff
from tests.factories.directory import PlaceFactory
from tests.factories.peer_exchange import future, peer_format, peer_index, proposal

pytestmark = pytest.mark.django_db


def local_input(moment) -> str:
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


class TestProposalCreateView:
    def test_anonymous_is_sent_to_login(self, client):
        response = client.get("/echanges/propositions/nouvelle/")
        assert response.status_code == 302 and "/comptes/login/" in response["Location"]

    def test_mediator_proposes(self, client, user):
        format_page, place = peer_format(), PlaceFactory()
        client.force_login(user)
        response = client.post(
            "/echanges/propositions/nouvelle/",
            {
                "format_page": format_page.pk,
                "topic": "Les démarches CAF",
                "host": place.pk,
                "date_1": local_input(future(8)),
                "date_3": local_input(future(12)),
            },
        )
        created = Proposal.objects.get()
        assert response.status_code == 302
        assert created.proposer == user and created.dates.count() == 2

    def test_no_date_is_a_french_error(self, client, user):
        client.force_login(user)
        response = client.post(
            "/echanges/propositions/nouvelle/",
            {"format_page": peer_format().pk, "topic": "Sujet", "host": PlaceFactory().pk},
        )
        assert response.status_code == 400
        assert "Proposez au moins une date." in response.content.decode()
        assert not Proposal.objects.exists()

    def test_past_date_is_refused(self, client, user):
        from django.utils import timezone

        client.force_login(user)
        response = client.post(
            "/echanges/propositions/nouvelle/",
            {
                "format_page": peer_format().pk,
                "topic": "Sujet",
                "host": PlaceFactory().pk,
                "date_1": local_input(timezone.now().replace(year=2020)),
            },
        )
        assert response.status_code == 400
        assert "doivent être à venir" in response.content.decode()
        assert not Proposal.objects.exists()


class TestProposalDetailAndVote:
    def test_open_proposal_is_visible_to_signed_in_people_only(self, client, user):
        created = proposal()
        url = f"/echanges/propositions/{created.pk}/"
        assert client.get(url).status_code == 302
        client.force_login(user)
        assert created.topic in client.get(url).content.decode()

    def test_closed_proposal_is_private(self, client):
        proposer, other, staff = UserFactory(), UserFactory(), hub_staff()
        created = proposal(proposer=proposer)
        services.proposal_decline(proposal=created, reason="Motif privé", by=staff)
        url = f"/echanges/propositions/{created.pk}/"
        client.force_login(other)
        assert client.get(url).status_code == 404
        client.force_login(proposer)
        assert "Motif privé" in client.get(url).content.decode()
        client.force_login(staff)
        assert client.get(url).status_code == 200

    def test_vote_then_vote_twice_then_withdraw(self, client, user):
        date = proposal().dates.first()
        client.force_login(user)
        assert client.post(f"/echanges/dates/{date.pk}/je-suis-disponible/").status_code == 302
        again = client.post(f"/echanges/dates/{date.pk}/je-suis-disponible/")
        assert again.status_code == 409
        assert "déjà donné cette réponse" in again.content.decode()
        assert ProposalVote.objects.count() == 1
        assert client.post(f"/echanges/dates/{date.pk}/retirer/").status_code == 302
        assert not ProposalVote.objects.exists()

    def test_vote_on_closed_proposal_is_refused(self, client, user):
        created = proposal()
        services.proposal_accept(proposal=created, date=created.dates.first(), by=hub_staff())
        client.force_login(user)
        response = client.post(f"/echanges/dates/{created.dates.last().pk}/je-suis-disponible/")
        assert response.status_code == 404
        assert not ProposalVote.objects.exists()

    def test_vote_needs_login_and_post(self, client, user):
        date = proposal().dates.first()
        assert client.post(f"/echanges/dates/{date.pk}/je-suis-disponible/").status_code == 302
        client.force_login(user)
        assert client.get(f"/echanges/dates/{date.pk}/je-suis-disponible/").status_code == 405
        assert not ProposalVote.objects.exists()


class TestIndexAndMySpace:
    def test_index_lists_sessions_and_open_proposals(self, client):
        created = proposal(topic="Découvrir FranceConnect")
        accepted = proposal(topic="Jeu de rôle CAF")
        services.proposal_accept(proposal=accepted, date=accepted.dates.first(), by=hub_staff())
        content = client.get(peer_index().url).content.decode()
        assert created.topic in content
        assert "Jeu de rôle CAF" in content  # as an upcoming session, not a proposal

    def test_proposer_sees_status_in_my_space(self, client, user):
        created = proposal(proposer=user, topic="Mon café")
        services.proposal_decline(proposal=created, reason="Trop tôt", by=hub_staff())
        client.force_login(user)
        content = client.get("/mon-espace/").content.decode()
        assert "Mon café" in content and "Refusée" in content and "Trop tôt" in content


class TestAdmin:
    def test_staff_accepts_from_the_admin(self, client):
        created = proposal()
        date = created.dates.last()
        services.proposal_vote(date=date, user=UserFactory(first_name="Yannick"))
        staff = hub_staff()
        client.force_login(staff)
        detail = client.get(f"/admin/propositions-echanges/{created.pk}/")
        assert detail.status_code == 200 and "Yannick" in detail.content.decode()
        assert client.get("/admin/propositions-echanges/").status_code == 200
        response = client.post(
            f"/admin/propositions-echanges/{created.pk}/accepter/", {"date": date.pk}
        )
        assert response.status_code == 302
        created.refresh_from_db()
        assert created.session.start == date.start

    def test_decline_without_reason_changes_nothing(self, client):
        created = proposal()
        client.force_login(hub_staff())
        response = client.post(
            f"/admin/propositions-echanges/{created.pk}/refuser/", {"reason": ""}
        )
        assert response.status_code == 400
        created.refresh_from_db()
        assert created.status == Proposal.Status.OPEN

    @pytest.mark.parametrize(
        "url", ["/admin/propositions-echanges/", "/admin/propositions-echanges/{pk}/"]
    )
    def test_mediators_cannot_use_the_admin(self, client, user, url):
        created = proposal()
        client.force_login(user)
        response = client.get(url.format(pk=created.pk))
        assert response.status_code in (302, 403)
        response = client.post(
            f"/admin/propositions-echanges/{created.pk}/accepter/",
            {"date": created.dates.first().pk},
        )
        assert response.status_code in (302, 403)
        created.refresh_from_db()
        assert created.status == Proposal.Status.OPEN


def test_personal_data_export_and_erase(user):
    from peer_exchange.personal_data import data_erase, data_export

    created = proposal(proposer=user, topic="À moi")
    services.proposal_vote(date=proposal().dates.first(), user=user)
    exported = data_export(user)
    assert exported["propositions"][0]["sujet"] == "À moi"
    assert len(exported["disponibilites"]) == 1
    data_erase(user)
    assert not Proposal.objects.filter(pk=created.pk).exists()
    assert not ProposalVote.objects.filter(user=user).exists()
