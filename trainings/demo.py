"""Demo catalogue: about twenty trainings of a Breton Hub and its partners, across themes,
formats and départements, each with sessions at real places. Idempotent: a training that
exists (by slug) is left as it is."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from directory.models import Organisation, Place
from directory.selectors import commune_locate
from taxonomy.models import Competence, Theme

from .models import TrainingIndexPage, TrainingPage
from .services import training_session_create

DEMO_PLACES = [
    (
        "demo-epn-rennes",
        "Espace public numérique des Champs-Manceaux",
        "15 rue Jean Boucher",
        "Rennes",
    ),
    ("demo-mediatheque-brest", "Médiathèque des Capucins", "25 rue de Pontaniou", "Brest"),
    ("demo-fs-saint-brieuc", "France Services de Saint-Brieuc", "5 rue du 71e RI", "Saint-Brieuc"),
    ("demo-ccas-vannes", "CCAS de Vannes", "22 avenue Victor Hugo", "Vannes"),
    ("demo-tiers-lieu-lorient", "Tiers-lieu numérique de Lorient", "3 rue de Carnel", "Lorient"),
    ("demo-epn-quimper", "Cyber-base de Quimper", "8 rue de Kerfeunteun", "Quimper"),
]

COMPETENCES = [
    (
        "Accompagner une démarche en ligne sans faire à la place",
        "aides-aux-demarches-administratives",
    ),
    ("Sécuriser un compte et repérer une arnaque", "risques-cyber-et-protection"),
    ("Animer un atelier collectif", "accompagnement-des-publics"),
    ("Utiliser une IA générative avec discernement", "intelligence-artificielle"),
]

PARTNER = "Association régionale des espaces numériques"

# title, summary, theme slugs, level, format, hours, cost, relayed link, cities of sessions
TRAININGS = [
    (
        "Accompagner les démarches CAF en ligne",
        "Créer un compte, déclarer ses ressources, suivre un dossier : les gestes de l'aidant.",
        ["aides-aux-demarches-administratives"],
        "decouverte",
        "presentiel",
        7,
        0,
        "",
        ["Rennes", "Brest"],
    ),
    (
        "France Connect et identité numérique",
        "Comprendre FranceConnect, l'identité numérique La Poste et l'application France Identité.",
        ["aides-aux-demarches-administratives", "risques-cyber-et-protection"],
        "approfondissement",
        "hybride",
        3.5,
        0,
        "",
        ["Vannes"],
    ),
    (
        "Repérer les arnaques en ligne",
        "Hameçonnage, faux conseillers, fausses amendes : reconnaître et faire reconnaître les pièges.",
        ["risques-cyber-et-protection"],
        "decouverte",
        "presentiel",
        3,
        0,
        "",
        ["Saint-Brieuc", "Lorient"],
    ),
    (
        "Sécurité des comptes et mots de passe",
        "Gestionnaire de mots de passe, double authentification, récupération d'un compte piraté.",
        ["risques-cyber-et-protection"],
        "approfondissement",
        "distanciel",
        2,
        0,
        "",
        [None],
    ),
    (
        "L'intelligence artificielle expliquée aux publics",
        "Ce que fait et ne fait pas une IA générative, et comment en parler en atelier.",
        ["intelligence-artificielle"],
        "decouverte",
        "presentiel",
        7,
        0,
        "",
        ["Rennes"],
    ),
    (
        "Animer un atelier IA et démarches",
        "Construire une séquence d'atelier sur l'usage des IA pour rédiger un courrier administratif.",
        ["intelligence-artificielle", "accompagnement-des-publics"],
        "expert",
        "presentiel",
        14,
        350,
        "",
        ["Brest"],
    ),
    (
        "Mon espace santé : accompagner les usagers",
        "Activer Mon espace santé, gérer le dossier médical, prendre rendez-vous en ligne.",
        ["numerique-en-sante"],
        "decouverte",
        "hybride",
        3.5,
        0,
        "",
        ["Quimper"],
    ),
    (
        "Parentalité et écrans",
        "Outiller les parents : contrôle parental, temps d'écran, réseaux sociaux des adolescents.",
        ["parentalite-et-education-avec-le-numerique"],
        "decouverte",
        "presentiel",
        3,
        0,
        "",
        ["Saint-Brieuc"],
    ),
    (
        "Éducation aux médias : vérifier une information",
        "Sources, images détournées, infox : des ateliers prêts à animer avec les publics.",
        ["education-aux-medias-et-a-linformation"],
        "approfondissement",
        "presentiel",
        7,
        0,
        "",
        ["Lorient", "Rennes"],
    ),
    (
        "Premiers pas sur smartphone",
        "Une progression d'ateliers pour les grands débutants : gestes, réglages, applications utiles.",
        ["maitrise-des-outils-numeriques"],
        "decouverte",
        "presentiel",
        7,
        0,
        "",
        ["Vannes", "Quimper"],
    ),
    (
        "Naviguer sur internet en sécurité",
        "Moteurs de recherche, sites officiels, cookies : naviguer sans se perdre.",
        ["navigation-sur-internet"],
        "decouverte",
        "distanciel",
        2,
        0,
        "",
        [None],
    ),
    (
        "Numérique responsable au quotidien",
        "Allonger la vie des équipements, réduire ses données, réparer : ateliers et ressources.",
        ["usages-responsables-du-numerique"],
        "decouverte",
        "presentiel",
        3.5,
        0,
        "",
        ["Brest"],
    ),
    (
        "Accessibilité numérique pour les médiateurs",
        "Lecteurs d'écran, zoom, dictée : accompagner les personnes en situation de handicap.",
        ["accessibilite-numerique"],
        "approfondissement",
        "presentiel",
        7,
        0,
        "",
        ["Rennes"],
    ),
    (
        "Accompagner la recherche d'emploi en ligne",
        "Espace France Travail, CV en ligne, candidatures : les démarches de l'insertion.",
        ["insertion-professionnelle", "aides-aux-demarches-administratives"],
        "decouverte",
        "hybride",
        7,
        0,
        "",
        ["Saint-Brieuc"],
    ),
    (
        "Piloter un lieu de médiation numérique",
        "Projet de structure, indicateurs, financements : outiller la coordination d'un lieu.",
        ["pilotage-et-outillage-des-structures"],
        "expert",
        "presentiel",
        14,
        420,
        "",
        ["Vannes"],
    ),
    (
        "Fabrication numérique : initiation à l'impression 3D",
        "Modéliser, imprimer, animer un atelier avec l'imprimante 3D de la numérithèque.",
        ["fabrication-numerique"],
        "decouverte",
        "presentiel",
        7,
        0,
        "",
        ["Lorient"],
    ),
    (
        "Réseaux sociaux : accompagner sans exposer",
        "Paramètres de confidentialité, cyberharcèlement, e-réputation.",
        ["communication-en-ligne-et-reseaux-sociaux"],
        "approfondissement",
        "distanciel",
        3,
        0,
        "",
        [None],
    ),
    (
        "Posture de l'aidant numérique",
        "Écouter, reformuler, ne pas faire à la place : la posture de l'accompagnement.",
        ["accompagnement-des-publics"],
        "decouverte",
        "presentiel",
        7,
        0,
        "",
        ["Quimper", "Rennes"],
    ),
    (
        "Certificat Aidants Connect",
        "Formation relayée : habilitation Aidants Connect pour agir de façon sécurisée pour un usager.",
        ["aides-aux-demarches-administratives"],
        "approfondissement",
        "distanciel",
        7,
        0,
        "https://aidantsconnect.beta.gouv.fr/formation/",
        [None],
    ),
    (
        "Titre professionnel Responsable d'espace de médiation numérique",
        "Formation relayée : parcours certifiant de niveau 5, en alternance.",
        ["pilotage-et-outillage-des-structures", "accompagnement-des-publics"],
        "expert",
        "hybride",
        420,
        0,
        "https://www.francecompetences.fr/recherche/rncp/",
        ["Brest"],
    ),
]


def _places(context) -> dict[str, Place]:
    places = {place.commune: place for place in context.get("places", [])}
    for identifier, name, address, commune_name in DEMO_PLACES:
        if commune_name in places:
            continue
        commune = commune_locate(query=commune_name)
        place, _created = Place.objects.get_or_create(
            identifier=identifier,
            defaults={
                "name": name,
                "address": address,
                "postcode": commune.postcode_list[0],
                "commune": commune.name,
                "insee_code": commune.insee_code,
                "departement": commune.departement_id,
                "latitude": commune.latitude,
                "longitude": commune.longitude,
            },
        )
        places[commune_name] = place
    return places


def _index(home) -> TrainingIndexPage:
    index = TrainingIndexPage.objects.first()
    if index is None:
        index = TrainingIndexPage(
            title="Formations",
            slug="formations",
            intro="Toutes les formations de la médiation numérique en Bretagne : celles du Hub "
            "et celles de nos partenaires. Cherchez par thème, par date ou près de chez vous.",
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    return index


def _past_session(training, person, *, attended: bool, days_ago: int) -> None:
    """A session of `training` held `days_ago` days ago, `person` marked present or absent,
    then followed up through the queue (the demo never sends mail itself): a new visitor of the demo finds a certificate to verify, the emails of
    the day after in the outbox, and a skills passport in Mon espace. Built by the services:
    registered while it was ahead, then recorded at its real date."""
    from events import services as event_services

    from .tasks import follow_up_send

    ahead = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    ahead += datetime.timedelta(days=30)
    session = training_session_create(
        training=training,
        start=ahead,
        end=ahead + datetime.timedelta(hours=3, minutes=30),
        venue=None,
        online_url="https://visio.hub-demo.fr/formation",
        capacity=12,
    )
    registration = event_services.registration_create(session=session, user=person)
    held = ahead - datetime.timedelta(days=30 + days_ago)
    event_services.session_record_held(
        session=session, start=held, end=held + datetime.timedelta(hours=3, minutes=30)
    )
    registration = event_services.registration_mark_attendance(
        registration=registration, attended=attended
    )
    transaction.on_commit(lambda pk=registration.pk: follow_up_send.delay(pk))


def load(context: dict) -> None:
    index = _index(context["home"])
    places = _places(context)
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    for name, theme_slug in COMPETENCES:
        Competence.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "theme": themes.get(theme_slug)}
        )
    competences = {competence.theme_id: competence for competence in Competence.objects.all()}
    partner, _created = Organisation.objects.get_or_create(name=PARTNER)
    base = timezone.localtime().replace(hour=9, minute=30, second=0, microsecond=0)
    for number, (title, summary, slugs, level, fmt, hours, cost, link, cities) in enumerate(
        TRAININGS
    ):
        slug = slugify(title)[:80]
        if TrainingPage.objects.filter(slug=slug).exists():
            continue
        training_themes = [themes[theme_slug] for theme_slug in slugs if theme_slug in themes]
        training = TrainingPage(
            title=title,
            slug=slug,
            summary=summary,
            objectives="<ul><li>Comprendre les besoins des publics</li>"
            "<li>Maîtriser les outils présentés</li><li>Repartir avec des ressources</li></ul>",
            programme=[
                ("heading", {"text": "Matin", "level": "h2"}),
                ("paragraph", "<p>Apports, démonstrations et cas concrets.</p>"),
                ("heading", {"text": "Après-midi", "level": "h2"}),
                ("paragraph", "<p>Mises en situation et construction d'un atelier.</p>"),
            ],
            prerequisites="" if level == "decouverte" else "Accompagner déjà des publics.",
            public=["mediateur", "conseiller", "aidant_fs"],
            level=level,
            format=fmt,
            duration_hours=Decimal(str(hours)),
            cost=Decimal(cost),
            funding="Prise en charge possible par votre OPCO." if cost else "",
            organiser=partner if link or number % 5 == 4 else None,
            trainers="L'équipe du Hub numérique Bretagne",
            accessibility="Lieu accessible aux personnes à mobilité réduite. Contactez-nous "
            "pour tout aménagement.",
            resources=[
                ("link", {"title": "Le kit de l'atelier", "url": "https://lesbases.anct.gouv.fr/"})
            ],
            is_relayed=bool(link),
            external_registration_url=link,
        )
        training.themes = training_themes
        training.competences = [
            competences[theme.pk] for theme in training_themes if theme.pk in competences
        ]
        index.add_child(instance=training)
        training.save_revision().publish()
        for position, city in enumerate(cities):
            start = base + datetime.timedelta(days=7 + 3 * number + 21 * position)
            training_session_create(
                training=training,
                start=start,
                end=start + datetime.timedelta(hours=min(float(hours), 7) + 1),
                venue=places[city] if city else None,
                online_url="" if city else "https://visio.hub-demo.fr/formation",
                capacity=12 + 2 * (number % 4),
            )
        if number < 3 and not link and context.get("mediator"):
            _past_session(training, context["mediator"], attended=number < 2, days_ago=12 + number)
    context["training_index"] = index
    context["places"] = list(places.values())
    context["add_menu_link"](label="Formations", url=index.url)
