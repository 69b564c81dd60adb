"""Demo numérithèque: the Hub's equipment at its places, a structure that borrows it, and loans
in every state (returned, out, late, accepted, requested), all made through the services.

Past loans are replayed at their own dates with time-machine, so that "late" exists relative to
the day the demo is loaded. Idempotent: items are found by inventory code and loans by purpose."""

import datetime
from decimal import Decimal

from django.utils import timezone

import time_machine

from accounts import services as account_services
from accounts.models import User
from accounts.roles import NUMERITHEQUE_MANAGER, STRUCTURE_MANAGER
from directory.models import Organisation, Place, StructureMembership

from . import services
from .models import Booking, Category, Item, Kit

STRUCTURE_MANAGER_EMAIL, STRUCTURE_MANAGER_PASSWORD = (
    "direction@ccas-villejean.fr",
    "demo-structure-2026",
)
TEAM_EMAIL, TEAM_PASSWORD = "pret@hub-demo.fr", "demo-numeritheque-2026"

CATEGORIES = [
    (
        "imprimantes-3d",
        "Imprimantes 3D",
        2,
        21,
        "Pour les fablabs éphémères et les ateliers de fabrication.",
    ),
    (
        "casques-vr",
        "Casques de réalité virtuelle",
        1,
        14,
        "Découverte de la réalité virtuelle, visites immersives.",
    ),
    ("kits-tablettes", "Kits tablettes", 1, 14, "Des tablettes prêtes à l'emploi pour un groupe."),
    (
        "robots-educatifs",
        "Robots éducatifs",
        1,
        21,
        "Initiation au code et à la robotique, dès 4 ans.",
    ),
    (
        "videoprojecteurs",
        "Vidéoprojecteurs",
        0,
        7,
        "Pour les réunions publiques et les ateliers collectifs.",
    ),
    ("valises-mediation", "Valises de médiation", 1, 14, "Des jeux et supports prêts à animer."),
]

# (inventory code, name, category slug, place index, value, accessories, description)
ITEMS = [
    (
        "NUM-3D-01",
        "Imprimante 3D Prusa MK4",
        "imprimantes-3d",
        0,
        "1099",
        "Bobine de PLA 1 kg\nSpatule\nClé USB avec modèles",
        "Imprimante 3D à filament, plateau 25 × 21 cm, calibrage automatique.",
    ),
    (
        "NUM-3D-02",
        "Imprimante 3D Bambu Lab A1 mini",
        "imprimantes-3d",
        1,
        "349",
        "Bobine de PLA 1 kg\nOutil de nettoyage de buse",
        "Compacte et silencieuse, idéale pour un premier atelier.",
    ),
    (
        "NUM-VR-01",
        "Casque Meta Quest 3 n° 1",
        "casques-vr",
        0,
        "549",
        "2 manettes\nChargeur USB-C\nLingettes\nHousse",
        "Casque autonome, applications de visite culturelle installées.",
    ),
    (
        "NUM-VR-02",
        "Casque Meta Quest 3 n° 2",
        "casques-vr",
        0,
        "549",
        "2 manettes\nChargeur USB-C\nLingettes\nHousse",
        "Casque autonome, applications de visite culturelle installées.",
    ),
    (
        "NUM-VR-03",
        "Casque Meta Quest 3 n° 3",
        "casques-vr",
        0,
        "549",
        "2 manettes\nChargeur USB-C\nLingettes\nHousse",
        "Casque autonome, applications de visite culturelle installées.",
    ),
    (
        "NUM-VR-04",
        "Routeur Wi-Fi pour valise VR",
        "casques-vr",
        0,
        "89",
        "Alimentation\nCâble Ethernet",
        "Réseau local pour diffuser l'image des casques sur un écran.",
    ),
    (
        "NUM-TAB-01",
        "Kit 8 tablettes iPad 10e génération",
        "kits-tablettes",
        0,
        "3200",
        "8 tablettes\n8 chargeurs\nValise de transport\nStylets",
        "Tablettes configurées pour les ateliers « premiers pas ».",
    ),
    (
        "NUM-TAB-02",
        "Kit 6 tablettes Android Samsung",
        "kits-tablettes",
        1,
        "1500",
        "6 tablettes\n6 chargeurs\nValise de transport",
        "Pour s'exercer aux démarches en ligne sur Android.",
    ),
    (
        "NUM-ROB-01",
        "Kit 6 robots Thymio II",
        "robots-educatifs",
        0,
        "1140",
        "6 robots\n6 câbles USB\nCartes d'activités",
        "Robots programmables (Scratch, Blockly, VPL), à partir de 6 ans.",
    ),
    (
        "NUM-ROB-02",
        "Kit 4 robots Bee-Bot",
        "robots-educatifs",
        1,
        "380",
        "4 robots\nStation de recharge\nTapis quadrillé",
        "Robots de sol pour les plus jeunes, sans écran.",
    ),
    (
        "NUM-VP-01",
        "Vidéoprojecteur Epson EB-W51",
        "videoprojecteurs",
        0,
        "520",
        "Télécommande\nCâble HDMI 5 m\nSacoche",
        "3 800 lumens, entrée HDMI et USB.",
    ),
    (
        "NUM-VAL-01",
        "Valise de médiation « Parentalité numérique »",
        "valises-mediation",
        1,
        "250",
        "Jeu de cartes\nLivret d'animation\nAffiches",
        "Pour animer un atelier parents-enfants sur les écrans.",
    ),
]


def _user(email, password, role, **profile) -> User:
    user = User.objects.filter(email=email).first() or account_services.user_create(
        email=email, password=password, verified=True, **profile
    )
    return account_services.user_assign_role(user=user, role=role)


def _places(context) -> list[Place]:
    places = [place for place in context.get("places") or [] if isinstance(place, Place)]
    if len(places) >= 2:
        return places[:2]
    hub, _created = Organisation.objects.get_or_create(name="Hub numérique Bretagne")
    defaults = {"organisation": hub, "departement": "35"}
    rennes, _created = Place.objects.get_or_create(
        identifier="hub-numerique-bretagne-rennes",
        defaults={
            **defaults,
            "name": "Hub numérique Bretagne",
            "address": "2 rue de la Mabilais",
            "postcode": "35000",
            "commune": "Rennes",
            "insee_code": "35238",
            "latitude": 48.1031,
            "longitude": -1.6937,
        },
    )
    brest, _created = Place.objects.get_or_create(
        identifier="hub-numerique-bretagne-brest",
        defaults={
            **defaults,
            "name": "Antenne du Hub aux Capucins",
            "address": "25 rue de Pontaniou",
            "postcode": "29200",
            "commune": "Brest",
            "insee_code": "29019",
            "departement": "29",
            "latitude": 48.3833,
            "longitude": -4.4995,
        },
    )
    return [rennes, brest]


def _catalogue(places) -> dict[str, Item]:
    categories = {}
    for slug, name, buffer_days, max_days, description in CATEGORIES:
        categories[slug], _created = Category.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "buffer_days": buffer_days,
                "max_booking_days": max_days,
                "description": description,
            },
        )
    items = {}
    for code, name, category, place, value, accessories, description in ITEMS:
        items[code], _created = Item.objects.get_or_create(
            inventory_code=code,
            defaults={
                "name": name,
                "slug": code.lower(),
                "category": categories[category],
                "home_place": places[place],
                "value": Decimal(value),
                "accessories": accessories,
                "description": description,
                "usage_notes": "Rechargez le matériel avant le retour et signalez toute anomalie.",
                "needs_training": category == "imprimantes-3d",
            },
        )
    kit, created = Kit.objects.get_or_create(
        name="Valise VR : 3 casques + routeur",
        defaults={
            "description": "Tout pour un atelier de découverte de la réalité virtuelle en groupe."
        },
    )
    if created:
        kit.items.set(
            [items[code] for code in ("NUM-VR-01", "NUM-VR-02", "NUM-VR-03", "NUM-VR-04")]
        )
    return items


def _at(day: datetime.date):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC), tick=False
    )


_DEMO_TRAINING = "Prise en main de l'imprimante 3D au Hub, attestation n° 2026-014"


def _loan(*, requester, structure, team, items, start, end, purpose, public, steps):
    """Replay a loan at its own dates: request a week before, then each step on its day."""
    if Booking.objects.filter(structure=structure, purpose=purpose).exists():
        return
    today = timezone.localdate()
    with _at(min(start - datetime.timedelta(days=7), today)):
        booking = services.booking_request(
            requester=requester,
            structure=structure,
            items=items,
            start=start,
            end=end,
            purpose=purpose,
            public_served=public,
            training=_DEMO_TRAINING if any(item.needs_training for item in items) else "",
        )
        if "approve" in steps:
            services.booking_approve(booking=booking, by=team)
    if "check_out" in steps:
        with _at(start):
            services.booking_check_out(
                booking=booking,
                by=team,
                condition_notes="Matériel complet, en bon état.",
                accessories=items[0].accessory_list,
            )
    if "check_in" in steps:
        with _at(end):
            services.booking_check_in(
                booking=booking,
                by=team,
                condition_notes="Rendu complet et propre.",
                accessories=items[0].accessory_list,
            )


def load(context: dict) -> None:
    places = _places(context)
    items = _catalogue(places)
    team = _user(
        TEAM_EMAIL,
        TEAM_PASSWORD,
        NUMERITHEQUE_MANAGER,
        first_name="Yannick",
        last_name="Le Bihan",
        departement="35",
        employer_name="Hub numérique Bretagne",
    )
    manager = _user(
        STRUCTURE_MANAGER_EMAIL,
        STRUCTURE_MANAGER_PASSWORD,
        STRUCTURE_MANAGER,
        first_name="Soizic",
        last_name="Morvan",
        departement="35",
        employer_name="CCAS de Rennes — Espace social de Villejean",
    )
    structure, _created = Organisation.objects.get_or_create(
        name="CCAS de Rennes — Espace social de Villejean"
    )
    StructureMembership.objects.get_or_create(
        user=manager, organisation=structure, defaults={"is_manager": True}
    )
    today = timezone.localdate()
    day = lambda n: today + datetime.timedelta(days=n)  # noqa: E731
    loans = [
        (
            ["NUM-ROB-01"],
            day(-40),
            day(-36),
            "Semaine du code à l'école Jean-Moulin",
            "enfants de CM1",
            ("approve", "check_out", "check_in"),
        ),
        (
            ["NUM-3D-01"],
            day(-12),
            day(-4),
            "Fablab éphémère à la médiathèque",
            "adolescents",
            ("approve", "check_out"),
        ),
        (
            ["NUM-VP-01"],
            day(-1),
            day(3),
            "Réunion publique France Services",
            "tout public",
            ("approve", "check_out"),
        ),
        (
            ["NUM-TAB-01"],
            day(1),
            day(2),
            "Atelier « premiers pas sur tablette »",
            "seniors",
            ("approve",),
        ),
        (["NUM-ROB-02"], day(6), day(8), "Atelier parents-enfants robotique", "familles", ()),
    ]
    for codes, start, end, purpose, public, steps in loans:
        _loan(
            requester=manager,
            structure=structure,
            team=team,
            items=[items[code] for code in codes],
            start=start,
            end=end,
            purpose=purpose,
            public=public,
            steps=steps,
        )
    context["add_menu_link"](label="Numérithèque", url="/numeritheque/")
    context["numeritheque_team"] = team
