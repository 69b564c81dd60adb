"""The standard's older vocabulary (v0.1.x, still in most hub exports of 2022–2024) read as v1.

Sources, so that each line below can be checked:
- the old columns and lists: LaMednum/standard-mediation-num, `schema.json` at tags v0.1.0 and
  v0.1.1 (services, `publics_accueillis`, `conditions_acces`, `labels_nationaux`,
  `modalites_accompagnement`, `courriel`, `accessibilite`, `labels_autres`, `;` separator);
- which old column became which v1 column: `descriptif-des-evolutions` in the same repository
  (e.g. `labels_nationaux` split into `dispositif_programmes_nationaux` and `formations_labels`,
  `publics_accueillis` split into `publics_specifiquement_adresses` and
  `prise_en_charge_specifique`, `conditions_acces` renamed `frais_a_charge`);
- value by value, the choices the national cartography's importer applies to hubs' files
  (anct-cartographie-nationale/mednum-cli, `assets/input/*/*.config.json`, the majority choice
  across its 46 configurations, read in November 2026).

Old values with no v1 counterpart that still say something (APTIC, French Tech…) are kept as
`autres_formations_labels`, never dropped; values that map to nothing are a warning on the row.
"""

import functools
import re

from django.utils.translation import gettext as _

from . import standard

AUTRES_LABELS = "autres_formations_labels"

# Old column → the v1 column it is read into (None: known, carries nothing the standard keeps).
# A legacy column is merged with its v1 twin when a file has both, never ignored.
COLUMNS = {
    "siret": "pivot",
    "courriel": "courriels",
    "labels_nationaux": standard.DISPOSITIFS,
    "publics_accueillis": standard.PUBLICS,
    "public_accueillis": standard.PUBLICS,  # the misspelling of several real exports
    "conditions_acces": standard.FRAIS,
    "labels_autres": AUTRES_LABELS,
    "accessibilite": "fiche_acces_libre",
    "cle_ban": None,
    "cle_unique": None,
}

_P = standard.PUBLICS
_PEC = standard.PRISE_EN_CHARGE
_D = standard.DISPOSITIFS
_FL = standard.FORMATIONS_LABELS
_ADMIN = "Aide aux démarches administratives"
_TOOLS = "Maîtrise des outils numériques du quotidien"
_ACCESS = "Accès internet et matériel informatique"
_JOBS = "Insertion professionnelle via le numérique"
_WORLD = "Compréhension du monde numérique"

# v1 field → {old value: ((target field, v1 value), …)}. An empty tuple: the old value is known
# but the standard has no way to say it (e.g. « Adultes »: v1 lists only specific publics).
VALUES: dict[str, dict[str, tuple[tuple[str, str], ...]]] = {
    standard.SERVICES: {
        "Devenir autonome dans les démarches administratives": ((standard.SERVICES, _ADMIN),),
        "Réaliser des démarches administratives avec un accompagnement": (
            (standard.SERVICES, _ADMIN),
        ),
        "Accompagner les démarches de santé": ((standard.SERVICES, _ADMIN),),
        "Prendre en main un smartphone ou une tablette": ((standard.SERVICES, _TOOLS),),
        "Prendre en main un ordinateur": ((standard.SERVICES, _TOOLS),),
        "Utiliser le numérique au quotidien": ((standard.SERVICES, _TOOLS),),
        "Approfondir ma culture numérique": ((standard.SERVICES, _WORLD),),
        "Promouvoir la citoyenneté numérique": ((standard.SERVICES, _WORLD),),
        "Favoriser mon insertion professionnelle": ((standard.SERVICES, _JOBS),),
        "Créer et développer mon entreprise": ((standard.SERVICES, _JOBS),),
        "Accéder à une connexion internet": ((standard.SERVICES, _ACCESS),),
        "Accéder à du matériel": ((standard.SERVICES, _ACCESS),),
        "S'équiper en matériel informatique": (
            (standard.SERVICES, "Acquisition de matériel informatique à prix solidaire"),
        ),
        "Créer avec le numérique": ((standard.SERVICES, "Loisirs et créations numériques"),),
        "Soutenir la parentalité et l'éducation avec le numérique": (
            (standard.SERVICES, "Parentalité et éducation avec le numérique"),
        ),
    },
    _D: {
        "CNFS": ((_D, "Conseillers numériques"),),
        "Conseiller numérique": ((_D, "Conseillers numériques"),),
        "Conseillers numériques France Services": ((_D, "Conseillers numériques"),),
        "Grandes écoles du numérique": ((_D, "Grande école du numérique"),),
        "Point relais CAF": ((_D, "Point d'accès numérique CAF"),),
        "Point numérique CAF": ((_D, "Point d'accès numérique CAF"),),
        "Certificateur Pix": ((_D, "Certification PIX"),),
        "Promeneur du Net": ((_D, "Promeneurs du net"),),
        "Fabrique de Territoire": ((_FL, "Fabriques de Territoire"),),
        "Étapes numériques (La Poste)": ((_FL, "Étapes numériques(La Poste)"),),
        "APTIC": ((AUTRES_LABELS, "APTIC"),),
        "Relais pôle emploi": ((AUTRES_LABELS, "Relais Pôle emploi"),),
        "French Tech": ((AUTRES_LABELS, "French Tech"),),
        "Campus connecté": ((AUTRES_LABELS, "Campus connecté"),),
    },
    _P: {
        "Seniors (+ 65 ans)": ((_P, "Seniors"),),
        "Séniors": ((_P, "Seniors"),),
        "Familles/enfants": ((_P, "Familles et/ou enfants"),),
        "Jeunes (16-26 ans)": ((_P, "Jeunes"),),
        "Uniquement femmes": ((_P, "Femmes"),),
        "Étudiant": ((_P, "Étudiants"),),
        "Adultes": (),
        "Tous publics": (),
        "Public langues étrangères": (
            (_PEC, "Langues étrangères (anglais)"),
            (_PEC, "Langues étrangères (autres)"),
        ),
        "Personnes en situation d'illettrisme": ((_PEC, "Illettrisme"),),
        "Handicaps psychiques": ((_PEC, "Handicaps mentaux"),),
        "Handicaps psychiques : troubles psychiatriques donnant lieu à des atteintes "
        "comportementales": ((_PEC, "Handicaps mentaux"),),
        "Handicaps mentaux : déficiences limitant les activités d'une personne": (
            (_PEC, "Handicaps mentaux"),
        ),
        "Personnes à mobilité réduite": ((_PEC, "Handicaps moteurs"),),
    },
    standard.FRAIS: {
        # The long sentences of v0.1 are matched on what precedes « : » (see `_head`).
        "Adhésion": ((standard.FRAIS, "Payant"),),
        "Accepte le Pass numérique": ((AUTRES_LABELS, "Pass numérique"),),
    },
    standard.MODALITES_ACCOMPAGNEMENT: {
        "Seul": ((standard.MODALITES_ACCOMPAGNEMENT, "En autonomie"),),
        "Avec de l'aide": ((standard.MODALITES_ACCOMPAGNEMENT, "Accompagnement individuel"),),
        "Dans un atelier": ((standard.MODALITES_ACCOMPAGNEMENT, "Dans un atelier collectif"),),
        "A ma place": ((standard.MODALITES_ACCOMPAGNEMENT, "Accompagnement individuel"),),
    },
}

# A field's values sometimes sit in the column of the field they were split from.
SIBLINGS = {
    _D: (_FL,),
    _FL: (_D,),
    _P: (_PEC,),
    _PEC: (_P,),
}

# Typologies renamed in data·inclusion's list (Pôle emploi became France Travail).
TYPOLOGIES = {"PE": "FT", "POLE_EMPLOI": "FT", "FRANCE_SERVICES": "RFS"}

_AGES = re.compile(r"(\d{1,3})")


def _key(value: str) -> str:
    return standard.normalise_key(value.replace("_", " "))


_INDEX = {
    field: {_key(old): targets for old, targets in table.items()} for field, table in VALUES.items()
}


def _head(value: str) -> str:
    """« Gratuit : Je peux accéder gratuitement… » → « Gratuit » (v0.1 long sentences)."""
    return value.split(" : ", 1)[0] if " : " in value else value


def _age_range(value: str) -> tuple[tuple[str, str], ...] | None:
    """« 16-25 ans », « 60 ans et plus », « Moins de 35 ans » → Jeunes, Seniors or families."""
    key = _key(value)
    if "ans" not in key.split() and not key.endswith("ans"):
        return None
    ages = [int(number) for number in _AGES.findall(key)]
    if not ages:
        return None
    if "plus" in key or "+" in key or min(ages) >= 55:
        return ((_P, "Seniors"),) if min(ages) >= 55 else None
    if max(ages) <= 12:
        return ((_P, "Familles et/ou enfants"),)
    if max(ages) <= 35:
        return ((_P, "Jeunes"),)
    return None


@functools.lru_cache(maxsize=8192)
def translate(field: str, raw: str) -> tuple[tuple[str, str], ...] | None:
    """Where the value `raw` of column `field` goes in v1: ((field, value), …); an empty tuple
    when it is known but has no v1 counterpart; None when it is not recognised. Remembered:
    a file repeats the same few values on every row (a third of an import's time was spent
    normalising them again)."""
    for candidate in dict.fromkeys((raw, _head(raw))):
        value = standard.canonical(field, candidate)
        if value is not None:
            return ((field, value),)
        for sibling in SIBLINGS.get(field, ()):
            value = standard.canonical(sibling, candidate)
            if value is not None:
                return ((sibling, value),)
        targets = _INDEX.get(field, {}).get(_key(candidate))
        if targets is not None:
            return targets
    if field == _P:
        return _age_range(raw)
    return None


def read_vocabularies(
    values_by_field: dict[str, list[str]],
) -> tuple[dict[str, list[str]], list[str]]:
    """Read every controlled column (raw values, split) into v1 values, merging what older
    columns route to other fields. Returns (values per field, warnings): an unknown value is a
    warning on the row, never a rejection."""
    result: dict[str, list[str]] = {name: [] for name in standard.vocabularies()}
    result[AUTRES_LABELS] = []
    warnings = []
    for field, raws in values_by_field.items():
        for raw in raws:
            targets = translate(field, raw)
            if targets is None:
                warnings.append(
                    _("Valeur inconnue du standard, non reprise (%(field)s) : « %(value)s »")
                    % {"field": field, "value": raw}
                )
                continue
            if not targets:
                warnings.append(
                    _(
                        "Valeur de l'ancien standard sans équivalent en v1 (%(field)s) : « %(value)s »"
                    )
                    % {"field": field, "value": raw}
                )
            for target, value in targets:
                if value not in result[target]:
                    result[target].append(value)
    return result, warnings


def typology(raw: str) -> str:
    """A typology code in today's spelling (renamed codes followed)."""
    code = raw.strip()
    return TYPOLOGIES.get(code.upper(), code)
