"""The standard's v0.1 vocabulary read as v1, value by value (lists of tag v0.1.1 of
LaMednum/standard-mediation-num), and real v0.1 exports imported without losing a place."""

import pytest

from directory import legacy, standard
from directory.models import Place
from directory.services import communes_load, places_import

from .conftest import DATA

S, D, FL, P, PEC = (
    standard.SERVICES,
    standard.DISPOSITIFS,
    standard.FORMATIONS_LABELS,
    standard.PUBLICS,
    standard.PRISE_EN_CHARGE,
)
AUTRES = legacy.AUTRES_LABELS

V01_SERVICES = {
    "Devenir autonome dans les démarches administratives": "Aide aux démarches administratives",
    "Réaliser des démarches administratives avec un accompagnement": (
        "Aide aux démarches administratives"
    ),
    "Prendre en main un smartphone ou une tablette": "Maîtrise des outils numériques du quotidien",
    "Prendre en main un ordinateur": "Maîtrise des outils numériques du quotidien",
    "Utiliser le numérique au quotidien": "Maîtrise des outils numériques du quotidien",
    "Approfondir ma culture numérique": "Compréhension du monde numérique",
    "Favoriser mon insertion professionnelle": "Insertion professionnelle via le numérique",
    "Accéder à une connexion internet": "Accès internet et matériel informatique",
    "Accéder à du matériel": "Accès internet et matériel informatique",
    "S'équiper en matériel informatique": "Acquisition de matériel informatique à prix solidaire",
    "S’équiper en matériel informatique": "Acquisition de matériel informatique à prix solidaire",
    "Créer et développer mon entreprise": "Insertion professionnelle via le numérique",
    "Créer avec le numérique": "Loisirs et créations numériques",
    "Accompagner les démarches de santé": "Aide aux démarches administratives",
    "Promouvoir la citoyenneté numérique": "Compréhension du monde numérique",
    "Soutenir la parentalité et l'éducation avec le numérique": (
        "Parentalité et éducation avec le numérique"
    ),
}

V01_LABELS_NATIONAUX = {
    "France Services": (D, "France Services"),
    "CNFS": (D, "Conseillers numériques"),
    "APTIC": (AUTRES, "APTIC"),
    "Aidants Connect": (D, "Aidants Connect"),
    "Fabriques de Territoire": (FL, "Fabriques de Territoire"),
    "Grandes écoles du numérique": (D, "Grande école du numérique"),
    "Point relais CAF": (D, "Point d'accès numérique CAF"),
    "Point numérique CAF": (D, "Point d'accès numérique CAF"),
    "Relais pôle emploi": (AUTRES, "Relais Pôle emploi"),
    "French Tech": (AUTRES, "French Tech"),
    "Campus connecté": (AUTRES, "Campus connecté"),
}

V01_PUBLICS_ACCUEILLIS = {
    "Seniors (+ 65 ans)": ((P, "Seniors"),),
    "Familles/enfants": ((P, "Familles et/ou enfants"),),
    "Adultes": (),
    "Jeunes (16-26 ans)": ((P, "Jeunes"),),
    "Public langues étrangères": (
        (PEC, "Langues étrangères (anglais)"),
        (PEC, "Langues étrangères (autres)"),
    ),
    "Déficience visuelle": ((PEC, "Déficience visuelle"),),
    "Surdité": ((PEC, "Surdité"),),
    "Handicaps psychiques : troubles psychiatriques donnant lieu à des atteintes "
    "comportementales": ((PEC, "Handicaps mentaux"),),
    "Handicaps mentaux : déficiences limitant les activités d'une personne": (
        (PEC, "Handicaps mentaux"),
    ),
    "Uniquement femmes": ((P, "Femmes"),),
    "Personnes en situation d'illettrisme": ((PEC, "Illettrisme"),),
    # Age ranges written by hand in hubs' files.
    "16-25 ans": ((P, "Jeunes"),),
    "60 ans et plus": ((P, "Seniors"),),
    "Moins de 35 ans": ((P, "Jeunes"),),
}

V01_CONDITIONS_ACCES = {
    "Gratuit : Je peux accéder gratuitement au lieu et à ses services": (standard.FRAIS, "Gratuit"),
    "Gratuit sous condition : La gratuité est conditionnée à des critères (situation familiale, "
    "convention avec un organisme social...)": (standard.FRAIS, "Gratuit sous condition"),
    "Payant : L'accès au lieu et/ou à ses services est payant": (standard.FRAIS, "Payant"),
    "Accepte le Pass numérique : Il est possible d'utiliser un Pass numérique pour accéder au "
    "lieu": (AUTRES, "Pass numérique"),
    "Adhésion : L'accès au lieu et/ou à ses services nécessite d'y adhérer": (
        standard.FRAIS,
        "Payant",
    ),
}

V01_MODALITES = {
    "Seul : j'ai accès à du matériel et une connexion": "En autonomie",
    "Avec de l'aide : je suis accompagné seul dans l'usage du numérique": (
        "Accompagnement individuel"
    ),
    "Dans un atelier : j'apprends collectivement à utiliser le numérique": (
        "Dans un atelier collectif"
    ),
    "A ma place : une personne habilitée fait les démarches à ma place": (
        "Accompagnement individuel"
    ),
}


@pytest.mark.parametrize(("old", "new"), V01_SERVICES.items())
def test_each_v01_service_has_its_v1_service(old, new):
    assert legacy.translate(S, old) == ((S, new),)


@pytest.mark.parametrize(("old", "target"), V01_LABELS_NATIONAUX.items())
def test_each_v01_national_label_goes_to_its_v1_field(old, target):
    assert legacy.translate(D, old) == (target,)


@pytest.mark.parametrize(("old", "targets"), V01_PUBLICS_ACCUEILLIS.items())
def test_each_v01_public_is_split_between_publics_and_specific_support(old, targets):
    assert legacy.translate(P, old) == targets


@pytest.mark.parametrize(("old", "target"), V01_CONDITIONS_ACCES.items())
def test_each_v01_long_access_condition_is_read(old, target):
    assert legacy.translate(standard.FRAIS, old) == (target,)


@pytest.mark.parametrize(("old", "new"), V01_MODALITES.items())
def test_each_v01_support_mode_is_read(old, new):
    field = standard.MODALITES_ACCOMPAGNEMENT
    assert legacy.translate(field, old) == ((field, new),)


def test_every_mapped_value_is_a_value_of_the_v1_standard():
    vocabularies = standard.vocabularies()
    for table in legacy.VALUES.values():
        for targets in table.values():
            for field, value in targets:
                assert field == AUTRES or value in vocabularies[field], (field, value)


def test_unknown_values_warn_and_known_ones_without_equivalent_warn_differently():
    values, warnings = legacy.read_vocabularies(
        {S: ["Réparation de vélos", "Prendre en main un ordinateur"], P: ["Adultes"]}
    )
    assert values[S] == ["Maîtrise des outils numériques du quotidien"]
    assert warnings == [
        "Valeur inconnue du standard, non reprise (services) : « Réparation de vélos »",
        "Valeur de l'ancien standard sans équivalent en v1 "
        "(publics_specifiquement_adresses) : « Adultes »",
    ]


def test_typologies_follow_renamed_codes():
    assert [legacy.typology(code) for code in ("PE", "BIB", "MAIRIE")] == ["FT", "BIB", "MAIRIE"]


@pytest.mark.django_db
def test_a_legacy_column_is_merged_with_its_v1_twin():
    header = "id,pivot,nom,commune,code_postal,adresse,date_maj,courriel,courriels,labels_nationaux,dispositif_programmes_nationaux"
    row = "a,00000000000000,Lieu,Rennes,35000,1 rue A,2025-01-01,a@exemple.fr,b@exemple.fr,CNFS;APTIC,France Services"
    report = places_import(data=f"{header}\n{row}\n".encode())
    assert report.rejected == []
    place = Place.objects.get()
    assert place.emails == ["b@exemple.fr", "a@exemple.fr"]
    assert place.national_schemes == ["France Services", "Conseillers numériques"]
    assert place.other_labels == ["APTIC"]
    assert report.mapped_columns == {
        "courriel": "courriels",
        "labels_nationaux": "dispositif_programmes_nationaux",
    }


@pytest.mark.django_db
def test_real_aix_en_provence_v01_export_imports_every_place():
    communes_load(departements=["13"])
    report = places_import(
        data=(DATA / "reel_aix_en_provence_v01.json").read_bytes(),
        filename="reel_aix_en_provence_v01.json",
    )
    assert (report.total, report.created, len(report.rejected)) == (15, 15, 0)
    anonymal = Place.objects.get(identifier="1")
    assert anonymal.pivot == "W131004321"
    assert anonymal.address == "1 PLACE VICTOR SCHOELCHER"
    assert anonymal.emails == ["contact@anonymal.tv"]
    assert anonymal.national_schemes == ["Conseillers numériques", "Aidants Connect"]
    assert anonymal.services == [
        "Aide aux démarches administratives",
        "Maîtrise des outils numériques du quotidien",
        "Compréhension du monde numérique",
        "Insertion professionnelle via le numérique",
        "Accès internet et matériel informatique",
        "Acquisition de matériel informatique à prix solidaire",
        "Parentalité et éducation avec le numérique",
    ]
    assert not [w for w in report.warnings if "inconnue" in w["message"]]


@pytest.mark.django_db
def test_real_france_services_bus_export_imports_every_stop():
    communes_load(departements=["16"])
    report = places_import(
        data=(DATA / "reel_bus_france_services_charente.json").read_bytes(),
        filename="reel_bus_france_services_charente.json",
    )
    # Twelve rows, one per stop: one mobile service (see test_itinerance).
    assert (report.total, report.created, report.itinerant, len(report.rejected)) == (12, 1, 1, 0)
    bus = Place.objects.get(identifier="1")
    assert bus.stops.count() == 12
    assert bus.pivot == "40109226700020"
    assert bus.phone == "+33630392518"
    assert bus.source_updated_on is None
    assert bus.national_schemes == ["France Services", "Conseillers numériques"]
    assert bus.other_labels == ["APTIC"]
    assert "result_score" in report.ignored_columns
    # The Valence stop was geocoded in Bouc-Bel-Air (13): kept, reported, its position dropped
    # (the bus's own position, its first stop's, is right).
    assert bus.review_flags == []
    assert bus.has_reliable_position
    valence = bus.stops.get(identifier="4")
    assert valence.latitude is None
    assert {
        "line": 4,
        "identifier": "4",
        "message": "À vérifier : Coordonnées à 486 km de Valence",
    } in (report.warnings)


@pytest.mark.django_db
def test_a_file_of_another_schema_is_refused_with_a_clear_message():
    from core.errors import DomainError

    with pytest.raises(DomainError) as excinfo:
        places_import(data=(DATA / "reel_corse_autre_schema.json").read_bytes())
    assert "standard des lieux de médiation numérique" in excinfo.value.message
