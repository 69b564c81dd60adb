"""A staff week in Chromium (issue 18). First, Hub staff log in, read the week on the admin
home, open a session's registrations, mark attendance, read the report of their département,
and hand a loan over at the numérithèque desk on a phone (360 px). Then a week from a new
training to the funders: published in the page explorer with its session, someone registered
by phone, the check-in at the door on a 1024×768 tablet, the certificates, and the quarter's
report shared with a funder who has no account. axe-core checks the parts of each screen the
project draws (Wagtail's own chrome is Wagtail's)."""

import datetime
import re
import shutil
import subprocess
import zoneinfo

from django.core import mail
from django.utils import translation

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from accounts.models import User
from core.dates import date_in_french
from events import services as events
from events.models import Registration, Session
from numeritheque import services as numeritheque
from numeritheque.models import Booking
from tests.factories.accounts import DEFAULT_PASSWORD, UserFactory, hub_staff
from tests.factories.directory import PlaceFactory
from tests.factories.events import SessionFactory
from tests.factories.numeritheque import ItemFactory, manager_of_structure
from tests.factories.trainings import training_index

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
PHONE = {"width": 360, "height": 740}
# A field's border: Wagtail's reset leaves an <input> without a type with none, invisible.
BORDER = "(field) => getComputedStyle(field).borderTopWidth"
TABLET = {"width": 1024, "height": 768}
TRAINING = "Accompagner les démarches ANTS"
# What sticks out to the right of the screen (null when the page fits).
OVERFLOW = """() => {
    const width = window.innerWidth;
    if (document.documentElement.scrollWidth <= width) return null;
    return [...document.querySelectorAll("body *")]
        .filter((element) => element.getBoundingClientRect().right > width + 1)
        .map((element) => element.tagName.toLowerCase() + "." + String(element.className))
        .slice(-4);
}"""


def serious_violations(page, context: str) -> list:
    """Serious or critical axe violations inside `context`, our own part of the screen."""
    results = Axe().run(page, context=context)
    return [
        (violation["id"], [node["html"] for node in violation["nodes"]])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def log_in_to_the_admin(page, email):
    page.goto("/admin/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url("**/admin/")


def test_a_staff_week_from_the_dashboard_to_the_desk(page):
    today = datetime.date.today()
    tuesday = today + datetime.timedelta(days=7 + (1 - today.weekday()) % 7)
    start = datetime.datetime.combine(tuesday, datetime.time(14), tzinfo=PARIS)
    rennes = PlaceFactory(name="Espace numérique de Rennes", departement="35")
    brest = PlaceFactory(name="Médiathèque de Brest", commune="Brest", departement="29")
    session = SessionFactory(
        title="Accompagner les démarches CAF",
        start=start,
        end=start + datetime.timedelta(hours=2),
        venue=rennes,
    )
    far = SessionFactory(
        title="Atelier à Brest",
        start=start,
        end=start + datetime.timedelta(hours=2),
        venue=brest,
    )
    gwen = UserFactory(first_name="Gwenaëlle", last_name="Le Goff")
    events.registration_create(session=session, user=gwen)
    events.registration_create(session=session, user=UserFactory(last_name="Tanguy"))
    events.registration_create(session=far, user=UserFactory(last_name="Quéré"))
    staff = hub_staff(email="morgane@hub.fr")
    requester, structure = manager_of_structure(email="direction@ccas.fr")
    booking = numeritheque.booking_request(
        requester=requester,
        structure=structure,
        items=[ItemFactory(name="Valise de tablettes")],
        start=tuesday,
        end=tuesday + datetime.timedelta(days=2),
        purpose="Atelier tablettes",
    )
    numeritheque.booking_approve(booking=booking, by=staff)

    # The session's day, before it starts.
    with time_machine.travel(start - datetime.timedelta(hours=1)):
        page.goto("/admin/")
        page.get_by_label("E-mail").fill("morgane@hub.fr")
        page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
        page.get_by_role("button", name="Connexion").click()
        page.wait_for_url("**/admin/")

        # The week: the session, its fill rate, and today's pick-up at the desk.
        expect(page.get_by_role("heading", name="Votre semaine")).to_be_visible()
        week = page.locator(".week-panel")
        expect(week.get_by_text("2 / 10 places")).to_be_visible()
        assert serious_violations(page, ".week-panel") == []
        week.get_by_role("link", name="Accompagner les démarches CAF").click()

        # Its registrations, then the attendance sheet.
        expect(page.get_by_text("Le Goff").first).to_be_visible()
        assert serious_violations(page, ".nice-padding") == []
        page.get_by_role("link", name="Feuille d'émargement").click()
        page.get_by_role("button", name="Présent·e — Gwenaëlle Le Goff").click()
        page.wait_for_load_state()
        assert Registration.objects.get(user=gwen).status == Registration.Status.ATTENDED
        expect(page.get_by_role("button", name="Présent·e — Gwenaëlle Le Goff")).to_have_attribute(
            "aria-pressed", "true"
        )
        assert serious_violations(page, ".attendance-list") == []

        # The quarter's report for Ille-et-Vilaine only: Brest's registration is not counted.
        page.goto("/admin/rapports/")
        page.get_by_label("Département").fill("35")
        page.get_by_role("button", name="Afficher", exact=True).click()
        page.wait_for_url("**departement=35**")
        expect(page.get_by_role("row", name="Inscriptions 2", exact=True)).to_be_visible()
        expect(page.get_by_role("row", name="Présent·es 1", exact=True)).to_be_visible()
        assert serious_violations(page, ".report-figures") == []

        # The desk, on a phone: today's pick-up handed over.
        page.set_viewport_size(PHONE)
        page.goto("/admin/numeritheque/")
        assert page.evaluate(OVERFLOW) is None
        assert serious_violations(page, ".nice-padding") == []
        page.get_by_role("link", name=f"Sortie de la réservation n° {booking.pk}").click()
        page.get_by_label("État constaté").fill("Dix tablettes chargées, housses comprises")
        assert page.evaluate(OVERFLOW) is None
        page.get_by_role("button", name="Enregistrer").click()
        page.wait_for_url("**/admin/numeritheque/")
        expect(page.get_by_text("Sortie enregistrée.")).to_be_visible()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.OUT


def publish_a_training(page, index):
    """Through Wagtail's page explorer: the training index, a new training, published."""
    page.goto(f"/admin/pages/{index.pk}/")
    page.get_by_role("link", name="Ajouter une sous-page").first.click()
    page.get_by_role("textbox", name="Titre").first.fill(TRAINING)
    page.get_by_role("textbox", name="Résumé").fill(
        "Une demi-journée pour guider les usagers sur le site de l'ANTS."
    )
    page.get_by_role("spinbutton", name="Durée (heures)").fill("3")
    page.get_by_role("button", name="Plus d'actions").click()
    page.get_by_role("button", name="Publier").click()
    page.wait_for_url(f"**/admin/pages/{index.pk}/")
    expect(page.get_by_text(f"Page « {TRAINING} » créée et publiée.")).to_be_visible()


def add_its_session(page, start):
    """From the training's row in the explorer, its sessions, then a new one at a place
    found with the place chooser."""
    row = page.get_by_role("row", name=re.compile(TRAINING))
    row.get_by_role("link", name="Sessions").click()
    page.get_by_role("link", name=re.compile("^Ajouter")).first.click()
    page.get_by_label("Début").fill(start.strftime("%Y-%m-%d %H:%M"))
    page.get_by_label("Fin").fill((start + datetime.timedelta(hours=3)).strftime("%Y-%m-%d %H:%M"))
    page.get_by_role("button", name="Choisir un lieu").click()
    modal = page.get_by_role("dialog")
    modal.get_by_label("Rechercher").fill("Rennes")
    expect(modal.get_by_role("link", name=re.compile("Brest"))).to_have_count(0)
    modal.get_by_role("link", name="Espace numérique de Rennes (Rennes)").click()
    expect(modal).to_be_hidden()
    page.get_by_label("Nombre de places").fill("12")
    page.get_by_role("button", name="Créer").click()
    # Back on the training's own list of sessions, the new one in it.
    page.wait_for_url(re.compile(r"/admin/agenda/sessions/\?page_id=\d+$"))
    expect(
        page.get_by_text(f"Session « {TRAINING} — {start:%d/%m/%Y %H:%M} » créée.")
    ).to_be_visible()


def pdf_pages(path) -> int:
    """The page count poppler reads in the PDF."""
    if not shutil.which("pdfinfo"):
        pytest.skip("pdfinfo manque (.ci/run installe poppler-utils)")
    info = subprocess.run(
        ["pdfinfo", str(path)], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    return int(re.search(r"^Pages:\s+(\d+)$", info, re.MULTILINE).group(1))


def test_a_staff_week_from_a_new_training_to_the_funders_share_link(
    page, browser, live_server, tmp_path
):
    today = datetime.date.today()
    tuesday = today + datetime.timedelta(days=7 + (1 - today.weekday()) % 7)
    start = datetime.datetime.combine(tuesday, datetime.time(14), tzinfo=PARIS)
    index = training_index()
    PlaceFactory(name="Espace numérique de Rennes", departement="35")
    PlaceFactory(name="Médiathèque de Brest", commune="Brest", departement="29")
    hub_staff(email="morgane@hub.fr")
    gwen = UserFactory(first_name="Gwenaëlle", last_name="Le Goff", email="gwen@exemple.fr")

    # The Monday before: the training, its session, and a person who called.
    with time_machine.travel(start - datetime.timedelta(days=1, hours=4)) as traveller:
        log_in_to_the_admin(page, "morgane@hub.fr")
        publish_a_training(page, index)
        add_its_session(page, start)
        session = Session.objects.get(page__title=TRAINING)
        assert (session.kind, session.start, session.capacity) == ("training", start, 12)
        assert session.venue.name == "Espace numérique de Rennes"

        # On the public page of the training, the session is open for registration.
        page.goto(index.url)
        page.get_by_role("link", name=TRAINING).first.click()
        with translation.override("fr"):
            day = date_in_french(start, "j F Y")
        expect(
            page.get_by_role("link", name=f"Voir la session et s'inscrire — {day}")
        ).to_be_visible()
        assert serious_violations(page, "main") == []
        events.registration_create(session=session, user=gwen)

        # Yann calls: he has no account; one is opened and he is registered.
        mail.outbox.clear()
        page.goto(f"/admin/agenda/sessions/manage/{session.pk}/")
        expect(page.get_by_text("1 confirmé·e sur 12 places — 11 places restantes")).to_be_visible()
        form = page.locator("form", has=page.get_by_role("button", name="Inscrire cette personne"))
        form.get_by_label("Prénom").fill("Yann")
        form.get_by_label(re.compile("^Nom")).fill("Le Bihan")
        form.get_by_label("Adresse électronique").fill("yann.lebihan@exemple.fr")
        assert serious_violations(page, ".nice-padding") == []
        form.get_by_role("button", name="Inscrire cette personne").click()
        expect(
            page.get_by_text(
                "Yann Le Bihan est inscrit·e ; un courriel de confirmation lui est envoyé."
            )
        ).to_be_visible()
        expect(page.get_by_role("cell", name="Yann Le Bihan", exact=True)).to_be_visible()
        expect(
            page.get_by_text("2 confirmé·es sur 12 places — 10 places restantes")
        ).to_be_visible()
        yann = User.objects.get(email="yann.lebihan@exemple.fr")
        assert not yann.has_usable_password()
        assert Registration.objects.get(user=yann).status == Registration.Status.CONFIRMED
        invitation = [m for m in mail.outbox if "définissez votre mot de passe" in m.subject]
        assert [m.to for m in invitation] == [["yann.lebihan@exemple.fr"]]

        # Tuesday at the door, on a 1024×768 tablet: two present, one walk-in.
        traveller.move_to(start - datetime.timedelta(minutes=20))
        page.set_viewport_size(TABLET)
        page.goto("/admin/")
        page.locator(".week-panel").get_by_role("link", name=TRAINING).click()
        page.get_by_role("link", name="Feuille d'émargement").click()
        for name in ("Gwenaëlle Le Goff", "Yann Le Bihan"):
            page.get_by_role("button", name=f"Présent·e — {name}").click()
            expect(page.get_by_role("button", name=f"Présent·e — {name}")).to_have_attribute(
                "aria-pressed", "true"
            )
        walk_in = page.locator(".attendance-walk-in")
        walk_in.get_by_label("Prénom").fill("Anne")
        walk_in.get_by_label(re.compile("^Nom")).fill("Morvan")
        walk_in.get_by_label("Adresse électronique").fill("anne.morvan@exemple.fr")
        walk_in.get_by_role("button", name="Ajouter, présent·e").click()
        expect(
            page.get_by_text("Anne Morvan est ajouté·e à la feuille, présent·e.")
        ).to_be_visible()
        expect(page.get_by_role("button", name="Présent·e — Anne Morvan")).to_have_attribute(
            "aria-pressed", "true"
        )
        assert page.evaluate(OVERFLOW) is None
        assert serious_violations(page, ".nice-padding") == []
        assert set(
            Registration.objects.filter(session=session).values_list("status", flat=True)
        ) == {Registration.Status.ATTENDED}

        # After the session: every certificate in one PDF, then each by email.
        traveller.move_to(start + datetime.timedelta(hours=3, minutes=30))
        page.get_by_role("link", name="Retour à la session").click()
        page.get_by_role("link", name="Attestations").click()
        with page.expect_download() as download:
            page.get_by_role("link", name="Télécharger toutes les attestations (un PDF)").click()
        pdf = tmp_path / "attestations.pdf"
        download.value.save_as(pdf)
        assert pdf_pages(pdf) == 3
        mail.outbox.clear()
        page.get_by_role(
            "button", name="Envoyer à chaque personne présente son attestation"
        ).click()
        expect(page.get_by_text("3 attestations partent par courriel.")).to_be_visible()
        assert sorted(m.to[0] for m in mail.outbox) == [
            "anne.morvan@exemple.fr",
            "gwen@exemple.fr",
            "yann.lebihan@exemple.fr",
        ]
        assert [[a[2] for a in m.attachments] for m in mail.outbox] == [["application/pdf"]] * 3
        certificates = page.get_by_role("table", name="Attestations délivrées")
        for name in ("Gwenaëlle Le Goff", "Yann Le Bihan", "Anne Morvan"):
            expect(certificates.get_by_role("cell", name=name, exact=True)).to_be_visible()
        reason = page.get_by_label("Motif de la révocation").first
        assert reason.evaluate(BORDER) != "0px"
        assert serious_violations(page, ".nice-padding") == []

        # The quarter's report, shared with the funders by a read-only link.
        page.goto("/admin/rapports/")
        quarter_start = tuesday.replace(month=3 * ((tuesday.month - 1) // 3) + 1, day=1)
        next_quarter = (quarter_start + datetime.timedelta(days=95)).replace(day=1)
        quarter_end = next_quarter - datetime.timedelta(days=1)
        with translation.override("fr"):
            period = "Du {} au {}".format(
                *(date_in_french(day, "j F Y") for day in (quarter_start, quarter_end))
            )
        expect(page.get_by_text(period)).to_be_visible()
        figures = page.locator(".report-figures")
        expect(figures.get_by_role("row", name="Inscriptions 3", exact=True)).to_be_visible()
        expect(figures.get_by_role("row", name="Présent·es 3", exact=True)).to_be_visible()
        assert page.get_by_label("Titre du lien").evaluate(BORDER) != "0px"
        page.get_by_label("Titre du lien").fill("Rapport du trimestre pour la Région")
        page.get_by_role("button", name="Créer un lien de lecture seule").click()
        expect(page.get_by_text("Lien de lecture seule créé")).to_be_visible()
        assert serious_violations(page, ".nice-padding") == []
        shared = page.get_by_role("link", name="Rapport du trimestre pour la Région")
        share_url = shared.get_attribute("href")

        # The funder opens it with no account and no session cookie: figures, no one's name.
        funder = browser.new_context(locale="fr-FR", base_url=live_server.url)
        visitor = funder.new_page()
        visitor.goto(share_url)
        expect(
            visitor.get_by_role("heading", name="Rapport du trimestre pour la Région", level=1)
        ).to_be_visible()
        expect(visitor.get_by_text(period)).to_be_visible()
        expect(visitor.get_by_role("row", name="Inscriptions 3", exact=True)).to_be_visible()
        expect(visitor.get_by_role("row", name="Présent·es 3", exact=True)).to_be_visible()
        assert serious_violations(visitor, "main") == []
        text = visitor.content()
        for personal in ("Le Goff", "Le Bihan", "Morvan", "gwen@", "yann.lebihan@", "anne.morvan@"):
            assert personal not in text

        # Revoked, the link opens nothing.
        page.get_by_role("button", name="Révoquer Rapport du trimestre pour la Région").click()
        expect(page.get_by_text("ne fonctionne plus")).to_be_visible()
        assert visitor.goto(share_url).status == 404
        funder.close()
