import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from events.models import Registration, Session
from peer_exchange.models import Proposal
from taxonomy.models import Theme
from tests.factories.accounts import DEFAULT_PASSWORD, UserFactory, hub_staff
from tests.factories.directory import PlaceFactory
from tests.factories.peer_exchange import future, peer_format, peer_index
from tests.factories.trainings import training_index, training_page, training_session

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def log_in(page, email):
    page.goto("/comptes/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url("**/mon-espace/")


def serious_violations(page) -> list:
    results = Axe().run(page)
    return [
        violation["id"]
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_mediator_finds_a_training_near_a_postcode_by_theme_and_registers(page, communes):
    theme = Theme.objects.get(slug="risques-cyber-et-protection")
    quimper = PlaceFactory(
        name="Cyber-base de Quimper",
        postcode="29000",
        commune="Quimper",
        departement="29",
        latitude=47.9965,
        longitude=-4.10199,
    )
    rennes = PlaceFactory(name="EPN de Rennes")
    near = training_page(title="Repérer les arnaques en ligne", themes=[theme])
    training_session(near, venue=quimper, capacity=8)
    far = training_page(title="Cybersécurité à Rennes", themes=[theme])
    training_session(far, venue=rennes)
    training_page(title="Premiers pas sur smartphone")
    UserFactory(email="maiwenn@exemple.fr")

    log_in(page, "maiwenn@exemple.fr")
    page.goto(training_index().url)
    assert serious_violations(page) == []
    # The filters come folded under « Filtrer », the results first.
    page.locator("summary", has_text="Filtrer").click()
    page.get_by_label("Risques cyber et protection").check()
    page.get_by_label("Près de (commune ou code postal)").fill("29000")
    page.get_by_label("Dans un rayon de").select_option("30")
    page.get_by_role("button", name="Rechercher", exact=True).last.click()
    assert "near=29000" in page.url
    results = page.locator(".cards")
    expect(results.get_by_role("link", name="Repérer les arnaques en ligne")).to_be_visible()
    assert results.get_by_text("Cybersécurité à Rennes").count() == 0
    assert results.get_by_text("Premiers pas sur smartphone").count() == 0

    results.get_by_role("link", name="Repérer les arnaques en ligne").click()
    page.get_by_role("link", name="Voir la session et s'inscrire").click()
    page.get_by_role("link", name="S'inscrire").click()
    page.get_by_role("button", name="Confirmer mon inscription").click()
    expect(page.get_by_role("heading", name="Inscription confirmée", level=1)).to_be_visible()
    registration = Registration.objects.get(user__email="maiwenn@exemple.fr")
    assert registration.status == "confirmed"
    assert registration.session.venue == quimper


def test_mediator_proposes_a_cafe_conseil_colleague_votes_staff_accepts(page):
    cafe = peer_format(title="Café conseil", slug="cafe-conseil")
    PlaceFactory(name="Médiathèque de Lannion", commune="Lannion", departement="22")
    UserFactory(email="proposeuse@exemple.fr", first_name="Gwen")
    UserFactory(email="collegue@exemple.fr")
    hub_staff(email="equipe@exemple.fr")

    log_in(page, "proposeuse@exemple.fr")
    page.goto(peer_index().url)
    page.get_by_role("link", name="Proposer un échange").first.click()
    page.get_by_label("Format", exact=True).select_option(label="Café conseil")
    page.get_by_label("Sujet").fill("Le nouvel espace ANTS")
    page.get_by_label("Structure d'accueil").select_option(label="Médiathèque de Lannion (Lannion)")
    from django.utils import timezone

    first, second = future(10), future(17)
    page.get_by_label("Date possible n°1").fill(
        timezone.localtime(first).strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_label("Date possible n°2").fill(
        timezone.localtime(second).strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_role("button", name="Envoyer ma proposition").click()
    expect(page.get_by_role("heading", name="Le nouvel espace ANTS", level=1)).to_be_visible()
    proposal_url = page.url
    page.get_by_role("button", name="Se déconnecter").click()

    log_in(page, "collegue@exemple.fr")
    page.goto(peer_index().url)
    page.get_by_role("link", name="Café conseil : Le nouvel espace ANTS").click()
    assert page.url == proposal_url
    page.get_by_role("button", name="Oui", exact=True).nth(1).click()
    expect(page.get_by_text("C'est noté")).to_be_visible()
    page.get_by_role("button", name="Se déconnecter").click()

    log_in(page, "equipe@exemple.fr")
    proposal = Proposal.objects.get()
    page.goto(f"/admin/propositions-echanges/{proposal.pk}/")
    page.get_by_role("radio").nth(1).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Accepter et publier la séance").click()
    expect(page.get_by_text("Proposition acceptée")).to_be_visible()

    session = Session.objects.get(kind="peer_exchange")
    assert session.start == second and session.page_id == cafe.pk
    page.goto(peer_index().url)
    sessions = page.get_by_role("region", name="Prochaines séances")
    expect(sessions.get_by_text("Le nouvel espace ANTS")).to_be_visible()
    page.goto(session.get_absolute_url())
    expect(page.get_by_role("heading", name="Café conseil : Le nouvel espace ANTS")).to_be_visible()
