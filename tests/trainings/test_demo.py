from django.core.management import call_command

import pytest

from events.models import Session
from peer_exchange.models import PeerFormatPage, Proposal, ProposalVote
from trainings.models import TrainingIndexPage, TrainingPage

pytestmark = pytest.mark.django_db


def test_demo_catalogue_and_peer_exchange(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo")
    trainings = TrainingPage.objects.live()
    assert trainings.count() >= 18
    assert trainings.filter(is_relayed=True).count() == 2
    assert set(Session.objects.filter(kind="training").values_list("departement", flat=True)) >= {
        "35",
        "29",
        "22",
        "56",
    }
    assert PeerFormatPage.objects.live().count() == 5
    assert Proposal.objects.filter(status="open").count() == 1
    assert ProposalVote.objects.filter(date__proposal__status="open").exists()
    assert Session.objects.filter(kind="peer_exchange").count() == 1
    catalogue = client.get(TrainingIndexPage.objects.get().url, {"near": "29200", "radius": "30"})
    assert catalogue.status_code == 200
    assert "Accompagner les démarches CAF en ligne" in catalogue.content.decode()
    # Past sessions with attendance: certificates, follow-ups and the passport to see.
    from accounts.models import User
    from trainings.models import Certificate, FollowUp

    mediator = User.objects.get(email="camille@demo-mediation.fr")
    assert Certificate.objects.filter(registration__user=mediator).count() == 2
    assert FollowUp.objects.filter(registration__user=mediator).count() == 3
    client.force_login(mediator)
    assert "Mon passeport de compétences" in client.get("/mon-espace/").content.decode()
    client.logout()
    home = client.get("/").content.decode()
    assert "Formations" in home and "Échanges entre pairs" in home
