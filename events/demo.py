"""Demo agenda: the yearly operator–mediator meeting with its sessions (one full, with a
waiting list), a webinar, and the demo mediator's registrations. Idempotent, built through
the services."""

import datetime

from django.utils import timezone

from accounts import services as account_services
from accounts.models import User
from directory.models import Commune, Place

from . import services
from .models import AgendaIndexPage, ConferencePage, Session

DEMO_PLACES = [
    {
        "identifier": "demo-maison-numerique-rennes",
        "name": "La Maison du numérique",
        "address": "12 rue de Châtillon",
        "postcode": "35000",
        "commune": "Rennes",
        "insee_code": "35238",
        "departement": "35",
        "latitude": 48.1021,
        "longitude": -1.6735,
    },
    {
        "identifier": "demo-mediatheque-quimper",
        "name": "Médiathèque des Ursulines",
        "address": "Esplanade François Mitterrand",
        "postcode": "29000",
        "commune": "Quimper",
        "insee_code": "29232",
        "departement": "29",
        "latitude": 47.9960,
        "longitude": -4.1024,
    },
]

PARTICIPANTS = [
    ("yann.le-goff@demo-mediation.fr", "Yann", "Le Goff", "56"),
    ("soizic.morvan@demo-mediation.fr", "Soizic", "Morvan", "22"),
    ("erwan.kerjean@demo-mediation.fr", "Erwan", "Kerjean", "29"),
]


def _places(context) -> list[Place]:
    places = [place for place in context.get("places", []) if place.latitude is not None]
    if len(places) >= 2:
        return places[:2]
    return [
        Place.objects.get_or_create(identifier=data["identifier"], defaults=data)[0]
        for data in DEMO_PLACES
    ]


def _participants() -> list[User]:
    people = []
    for email, first_name, last_name, departement in PARTICIPANTS:
        person = User.objects.filter(email=email).first() or account_services.user_create(
            email=email,
            password=None,
            verified=True,
            first_name=first_name,
            last_name=last_name,
            departement=departement,
            field_role=User.FieldRole.MEDIATOR,
        )
        people.append(person)
    return people


def _agenda(home) -> AgendaIndexPage:
    agenda = AgendaIndexPage.objects.first()
    if agenda is None:
        agenda = AgendaIndexPage(
            title="Agenda",
            slug="agenda",
            intro="Formations, rencontres, webinaires et échanges entre pairs du réseau régional.",
        )
        home.add_child(instance=agenda)
    return agenda


def _conference(agenda, slug: str, **fields) -> ConferencePage:
    page = ConferencePage.objects.filter(slug=slug).first()
    if page is None:
        page = ConferencePage(slug=slug, **fields)
        agenda.add_child(instance=page)
    return page


def _session(page, title: str, **fields) -> Session:
    return Session.objects.filter(page=page, title=title).first() or services.session_create(
        page=page, title=title, **fields
    )


def _at(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def load(context: dict) -> None:
    rennes, quimper = _places(context)
    agenda = _agenda(context["home"])
    meeting = _conference(
        agenda,
        "rencontre-regionale-operateurs-mediateurs",
        title="Rencontre régionale opérateurs–médiateurs",
        intro=(
            "Une journée pour que les opérateurs publics (CAF, France Travail, Assurance "
            "maladie, préfecture) et les médiateurs numériques se connaissent et "
            "s'organisent pour mieux orienter les publics."
        ),
        programme=[
            ("heading", {"text": "Matin : plénière", "level": "h2"}),
            (
                "paragraph",
                "<p>Les chiffres de l'inclusion numérique en Bretagne, puis une table ronde "
                "« Qui fait quoi, où, quand ? » avec les opérateurs.</p>",
            ),
            ("heading", {"text": "Après-midi : ateliers", "level": "h2"}),
            (
                "paragraph",
                "<p>Ateliers en petits groupes : orienter vers le bon lieu, les aidants "
                "habilités Aidants Connect, les nouvelles interfaces de la CAF.</p>",
            ),
        ],
        partners="<ul><li>Région Bretagne</li><li>Préfecture de Bretagne</li>"
        "<li>La Mednum</li></ul>",
    )
    if not meeting.speakers.exists():
        meeting.speakers.create(
            name="Nolwenn Le Floch", role="Coordinatrice, Hub numérique Bretagne"
        )
        meeting.speakers.create(name="Karim Benali", role="Référent inclusion numérique, CAF")
    plenary = _session(
        meeting,
        "Plénière et table ronde",
        start=_at(21, 9, 30),
        end=_at(21, 12, 30),
        venue=rennes,
        capacity=120,
    )
    workshop = _session(
        meeting,
        "Atelier : orienter vers le bon lieu",
        start=_at(21, 14),
        end=_at(21, 16, 30),
        venue=rennes,
        capacity=2,
    )
    _session(
        meeting,
        "Atelier décentralisé à Quimper",
        start=_at(35, 14),
        end=_at(35, 17),
        venue=quimper,
        capacity=15,
        waiting_list_enabled=False,
    )
    webinar_page = _conference(
        agenda,
        "webinaire-nouvel-espace-caf",
        title="Webinaire : le nouvel espace en ligne de la CAF",
        intro="Une heure pour découvrir les démarches en ligne de la CAF et les aider pas à pas.",
    )
    webinar = _session(
        webinar_page,
        "",
        kind=Session.Kind.WEBINAR,
        start=_at(10, 11),
        end=_at(10, 12),
        online_url="https://visio.hub-demo.fr/webinaire-caf",
        capacity=None,
    )
    fougeres = Commune.objects.filter(insee_code="35115").first()
    if fougeres:
        market_page = _conference(
            agenda,
            "permanences-hors-les-murs",
            title="Permanences numériques hors les murs",
            intro="Les médiateurs vont au-devant des habitants, sur les marchés et dans les "
            "salles communales.",
        )
        _session(
            market_page,
            "Marché de Fougères",
            start=_at(28, 9),
            end=_at(28, 12),
            outside_commune=fougeres,
            outside_location="Marché du samedi, place Aristide-Briand",
            capacity=None,
        )
    yann, soizic, erwan = _participants()
    mediator = context["mediator"]
    for session, person in [
        (workshop, yann),
        (workshop, soizic),
        (workshop, mediator),
        (workshop, erwan),
        (plenary, mediator),
        (plenary, yann),
        (webinar, mediator),
    ]:
        services.registration_create(session=session, user=person)
    context["add_menu_link"](label="Agenda", url="/agenda/")
    context["agenda"] = agenda
