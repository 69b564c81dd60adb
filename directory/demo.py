"""Demo directory: a few hundred realistic places in Ille-et-Vilaine, Finistère and
Côtes-d'Armor, generated deterministically over the real communes and loaded through the same
import as a hub's file. Idempotent: a second run finds every row unchanged."""

import csv
import io
import random

from accounts.roles import STRUCTURE_MANAGER
from accounts.services import user_assign_role

from . import services, standard
from .models import Commune, Place

DEPARTEMENTS = ["35", "29", "22"]
SOURCE = "Hub numérique Bretagne (démo)"
COUNT = 300
DEMARCHES = "Aide aux démarches administratives"
QUOTIDIEN = "Maîtrise des outils numériques du quotidien"
INSERTION = "Insertion professionnelle via le numérique"
SECURITE = "Utilisation sécurisée du numérique"
PARENTALITE = "Parentalité et éducation avec le numérique"
LOISIRS = "Loisirs et créations numériques"
COMPREHENSION = "Compréhension du monde numérique"
ACCES = "Accès internet et matériel informatique"
MATERIEL = "Acquisition de matériel informatique à prix solidaire"

# (name pattern, typologie, services, fees, schemes, hours, access modes, support modes)
KINDS = [
    (
        "Médiathèque de {commune}",
        "BIB",
        [ACCES, QUOTIDIEN, LOISIRS, COMPREHENSION],
        "Gratuit",
        ["Conseillers numériques"],
        "Tu 14:00-18:00; We 10:00-12:30,14:00-18:00; Fr 14:00-18:00; Sa 10:00-12:30,14:00-17:00",
        "Se présenter",
        "En autonomie|Dans un atelier collectif",
    ),
    (
        "France Services de {commune}",
        "PIMMS",
        [DEMARCHES, SECURITE, QUOTIDIEN],
        "Gratuit",
        ["France Services", "Aidants Connect"],
        "Mo-Fr 09:00-12:00,13:30-17:00",
        "Se présenter|Téléphoner|Prendre un RDV en ligne",
        "Accompagnement individuel",
    ),
    (
        "CCAS de {commune}",
        "CCAS",
        [DEMARCHES, ACCES],
        "Gratuit",
        ["Point d'accès numérique CAF"],
        "Mo-Th 08:30-12:00,13:30-17:00; Fr 08:30-12:00",
        "Téléphoner|Envoyer un mail avec une fiche de prescription",
        "Accompagnement individuel",
    ),
    (
        "Espace public numérique de {commune}",
        "EPN",
        [QUOTIDIEN, INSERTION, SECURITE, COMPREHENSION],
        "Gratuit sous condition",
        ["Conseillers numériques", "Certification PIX"],
        "Mo 14:00-18:00; Tu-Fr 09:30-12:00,14:00-18:00",
        "Se présenter|Téléphoner",
        "Dans un atelier collectif|Accompagnement individuel",
    ),
    (
        "Tiers-lieu numérique de {commune}",
        "TIERS_LIEUX",
        [LOISIRS, MATERIEL, COMPREHENSION],
        "Payant",
        [],
        "We-Sa 10:00-19:00",
        "Se présenter|Contacter par mail",
        "En autonomie|Dans un atelier collectif",
    ),
    (
        "Association Familles Rurales de {commune}",
        "ASSO",
        [PARENTALITE, QUOTIDIEN, SECURITE],
        "Gratuit sous condition",
        ["Promeneurs du net"],
        "Tu,Th 14:00-17:30",
        "Téléphoner|Contacter par mail",
        "Dans un atelier collectif",
    ),
    (
        "Point numérique de la mairie de {commune}",
        "MAIRIE",
        [DEMARCHES, ACCES],
        "Gratuit",
        [],
        "Mo-Fr 09:00-12:00; Sa 09:00-11:30",
        "Se présenter",
        "En autonomie|Accompagnement individuel",
    ),
    (
        "Emmaüs Connect {commune}",
        "ASSO",
        [MATERIEL, QUOTIDIEN, ACCES],
        "Gratuit sous condition",
        ["Emmaüs Connect", "Relais numérique (Emmaüs Connect)"],
        "Tu-Fr 09:30-12:30,14:00-17:30",
        "Envoyer un mail avec une fiche de prescription|Téléphoner",
        "Accompagnement individuel",
    ),
]
STREETS = [
    "rue de la Mairie",
    "place de l'Église",
    "rue de Brest",
    "rue de Rennes",
    "avenue Jean Jaurès",
    "rue Victor Hugo",
    "place du Marché",
    "rue Saint-Yves",
    "rue des Écoles",
    "boulevard de la Liberté",
    "rue du Général de Gaulle",
    "rue de la Gare",
    "allée des Tilleuls",
    "rue Anne de Bretagne",
]
# Fixed places that later apps (agenda, numérithèque) and the demo accounts rely on.
KEY_PLACES = [
    (
        "demo-rennes-france-services",
        1,
        "35238",
        "France Services de Rennes Maurepas",
        "7 place du Gros Chêne",
    ),
    ("demo-quimper-mediatheque", 0, "29232", "Médiathèque de Quimper", "1 esplanade Julien Gracq"),
    (
        "demo-saint-brieuc-epn",
        3,
        "22278",
        "Espace public numérique de Saint-Brieuc",
        "5 rue du Combat des Trente",
    ),
    (
        "demo-brest-tiers-lieu",
        4,
        "29019",
        "Tiers-lieu numérique des Capucins",
        "25 rue de Pontaniou",
    ),
    ("demo-lannion-emmaus", 7, "22113", "Emmaüs Connect Lannion", "10 rue Jean Savidan"),
]


def _row(rng, identifier, kind, commune, name, address) -> dict:
    pattern, typology, services, fees, schemes, hours, access, support = KINDS[kind]
    siret = f"{rng.randrange(10**13, 10**14)}"
    slug = identifier.removeprefix("demo-")
    return {
        "id": identifier,
        "pivot": siret,
        "nom": name or pattern.format(commune=commune.name),
        "commune": commune.name,
        "code_postal": commune.postcodes.split()[0],
        "code_insee": commune.insee_code,
        "adresse": address or f"{rng.randint(1, 40)} {rng.choice(STREETS)}",
        "latitude": f"{commune.latitude + rng.uniform(-0.004, 0.004):.5f}",
        "longitude": f"{commune.longitude + rng.uniform(-0.006, 0.006):.5f}",
        "typologie": typology,
        "telephone": f"+332{rng.randrange(10**7, 10**8)}",
        "courriels": f"contact@{slug}.demo-mediation.fr",
        "site_web": f"https://{slug}.demo-mediation.fr",
        "horaires": hours,
        "presentation_resume": f"{(name or pattern.format(commune=commune.name))} : accueil et accompagnement au numérique pour toutes et tous.",
        "source": SOURCE,
        "itinerance": "Fixe",
        "date_maj": f"2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}",
        "services": "|".join(
            rng.sample(services, k=rng.randint(max(1, len(services) - 2), len(services)))
        ),
        "publics_specifiquement_adresses": "|".join(
            rng.sample(standard.vocabularies()[standard.PUBLICS], k=rng.randint(0, 2))
        ),
        "frais_a_charge": fees,
        "dispositif_programmes_nationaux": "|".join(schemes),
        "modalites_acces": access,
        "modalites_accompagnement": support,
    }


def build_csv() -> str:
    """The demo file, the same on every run (seeded)."""
    rng = random.Random(2026)  # noqa: S311 (demo data, not security)
    communes = list(
        Commune.objects.filter(departement_id__in=DEPARTEMENTS, latitude__isnull=False)
        .exclude(postcodes="")
        .order_by("insee_code")
    )
    by_code = {commune.insee_code: commune for commune in communes}
    rows = [
        _row(rng, identifier, kind, by_code[insee], name, address)
        for identifier, kind, insee, name, address in KEY_PLACES
    ]
    for number in range(COUNT - len(KEY_PLACES)):
        commune = rng.choice(communes)
        kind = rng.randrange(len(KINDS))
        rows.append(_row(rng, f"demo-{commune.insee_code}-{number}", kind, commune, "", ""))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=standard.field_names(), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def load(context: dict) -> None:
    # Reloaded when an older database holds communes without their population.
    if not Commune.objects.filter(population__isnull=False).exists():
        services.communes_load()
    services.places_import(data=build_csv().encode(), source=SOURCE)
    places = list(
        Place.objects.filter(identifier__in=[key[0] for key in KEY_PLACES])
        .select_related("organisation")
        .order_by("identifier")
    )
    context["places"] = places
    context["organisations"] = [place.organisation for place in places]
    quimper = next(place for place in places if place.identifier == "demo-quimper-mediatheque")
    rennes = next(place for place in places if place.identifier == "demo-rennes-france-services")
    services.membership_add(
        user=context["mediator"], organisation=quimper.organisation, is_manager=True
    )
    user_assign_role(user=context["mediator"], role=STRUCTURE_MANAGER)
    services.membership_add(
        user=context["staff"], organisation=rennes.organisation, is_manager=False
    )

    context["add_menu_link"](label="Annuaire", url="/annuaire/")
