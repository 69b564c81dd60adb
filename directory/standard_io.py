"""Reading and writing files of the national standard: decoding, column mapping, row
validation with French reasons, and the reverse mapping for exports. Pure functions, no
database: `services.places_import` does the bulk writes."""

import csv
import datetime
import io
import json
import math
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

import opening_hours

from core.departements import departement_of
from core.errors import DomainError
from core.exports import restore

from . import standard

# Standard column → Place attribute.
FIELD_MAP = {
    "id": "identifier",
    "pivot": "pivot",
    "nom": "name",
    "commune": "commune",
    "code_postal": "postcode",
    "code_insee": "insee_code",
    "adresse": "address",
    "complement_adresse": "address_complement",
    "latitude": "latitude",
    "longitude": "longitude",
    "typologie": "typologies",
    "telephone": "phone",
    "courriels": "emails",
    "site_web": "websites",
    "horaires": "opening_hours",
    "presentation_resume": "summary",
    "presentation_detail": "description",
    "source": "source",
    "itinerance": "itinerance",
    "structure_parente": "parent_structure",
    "date_maj": "source_updated_on",
    "services": "services",
    "publics_specifiquement_adresses": "publics",
    "prise_en_charge_specifique": "specific_support",
    "frais_a_charge": "fees",
    "dispositif_programmes_nationaux": "national_schemes",
    "formations_labels": "labels",
    "autres_formations_labels": "other_labels",
    "modalites_acces": "access_modes",
    "modalites_accompagnement": "support_modes",
    "fiche_acces_libre": "accessibility_url",
    "prise_rdv": "appointment_url",
}
MULTI_VALUED = {
    "typologie",
    "courriels",
    "site_web",
    "autres_formations_labels",
    *standard.vocabularies(),
}
# Place attributes an import writes (everything the standard carries, plus derived ones).
IMPORTED_ATTRIBUTES = [*FIELD_MAP.values(), "departement", "opening_hours_valid", "review_flags"]

# v0.1 columns of older hub exports and the v1 column that replaces them.
LEGACY_COLUMNS = {
    "labels_nationaux": "dispositif_programmes_nationaux",
    "publics_accueillis": "publics_specifiquement_adresses",
    "conditions_acces": "frais_a_charge",
    "labels_autres": "autres_formations_labels",
    "accessibilite": "fiche_acces_libre",
    "cle_unique": None,
}
EPOCH = datetime.date(1970, 1, 1)
# A place's phone and e-mail are often a mediator's own: the directory shows them to orient
# a person, the public downloads and the open API do not publish them (both are optional in
# the standard). `export_lieux`, for the Hub, keeps them.
WITHHELD_FROM_PUBLIC = ("telephone", "courriels")
_SPLIT = re.compile(r"\s*[|;]\s*")
_PHONE_DIGITS = re.compile(r"[\s.\-()]")
_POSTCODE = re.compile(r"^\d{5}$")


@dataclass
class ParsedFile:
    rows: list[tuple[int, dict[str, str]]]  # (line number in the file, raw values)
    columns: list[str]
    encoding: str
    delimiter: str | None
    file_format: str
    ignored_columns: list[str] = field(default_factory=list)
    mapped_columns: dict[str, str] = field(default_factory=dict)


def decode(data: bytes) -> tuple[str, str]:
    """UTF-8 with or without BOM, or else Windows-1252 (what spreadsheets on Windows save)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252"), "windows-1252"
        except UnicodeDecodeError as error:
            raise DomainError(
                _("Encodage du fichier non reconnu (ni UTF-8 ni Windows-1252)."), code="encoding"
            ) from error


def detect_format(text: str, *, file_format: str | None, filename: str = "") -> str:
    if file_format:
        return file_format
    if filename.lower().endswith(".json") or text.lstrip()[:1] in ("[", "{"):
        return "json"
    return "csv"


def parse(data: bytes, *, file_format: str | None = None, filename: str = "") -> ParsedFile:
    """Decode and split a file into raw rows; raise DomainError when the file as a whole is
    unusable (empty, binary, unknown columns, duplicate identifiers): nothing is imported then."""
    if not data.strip():
        raise DomainError(_("Le fichier est vide."), code="empty")
    if b"\x00" in data[:4096]:
        raise DomainError(
            _("Ce fichier n'est ni un CSV ni un JSON (contenu binaire)."), code="not_csv_json"
        )
    text, encoding = decode(data)
    file_format = detect_format(text, file_format=file_format, filename=filename)
    parsed = _parse_json(text, encoding) if file_format == "json" else _parse_csv(text, encoding)
    _map_columns(parsed)
    if not set(parsed.columns) & set(standard.field_names()):
        raise DomainError(
            _(
                "Ce fichier n'est ni un CSV ni un JSON au standard des lieux de médiation "
                "numérique : aucune colonne reconnue."
            ),
            code="not_csv_json",
        )
    missing = [name for name in ("id", "nom") if name not in parsed.columns]
    missing += [
        name
        for name in standard.required_fields()
        if name not in parsed.columns and name not in missing
    ]
    if missing:
        raise DomainError(
            _("Colonnes obligatoires manquantes : %(columns)s.") % {"columns": ", ".join(missing)},
            code="missing_columns",
        )
    if not parsed.rows:
        raise DomainError(_("Le fichier ne contient aucune ligne de données."), code="empty")
    _check_unique_identifiers(parsed)
    return parsed


def _parse_csv(text: str, encoding: str) -> ParsedFile:
    header = text.splitlines()[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns = [(name or "").strip().lstrip("\ufeff").lower() for name in reader.fieldnames or []]
    if len(columns) < 2:
        raise DomainError(
            _("Ce fichier n'est ni un CSV ni un JSON : aucune colonne reconnue."),
            code="not_csv_json",
        )
    reader.fieldnames = columns
    rows = []
    try:
        line = reader.line_num
        # `restore`: our own export prefixed formula-like cells with `'`; the round trip drops it.
        for record in reader:
            rows.append(
                (
                    line + 1,
                    {key: restore(value or "").strip() for key, value in record.items() if key},
                )
            )
            line = reader.line_num
    except csv.Error as error:
        raise DomainError(
            _("CSV illisible ligne %(line)s : %(error)s")
            % {"line": reader.line_num, "error": error},
            code="not_csv_json",
        ) from error
    return ParsedFile(rows, columns, encoding, delimiter, "csv")


def _parse_json(text: str, encoding: str) -> ParsedFile:
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as error:
        raise DomainError(
            _("JSON illisible (ligne %(line)s) : ce fichier n'est ni un CSV ni un JSON valide.")
            % {"line": error.lineno},
            code="not_csv_json",
        ) from error
    if isinstance(payload, dict):
        payload = payload.get("data") or payload.get("lieux") or []
    if not isinstance(payload, list) or not all(isinstance(item, dict) for item in payload):
        raise DomainError(_("Le JSON doit être une liste de lieux (objets)."), code="not_csv_json")
    columns = []
    rows = []
    for number, item in enumerate(payload, start=1):
        record = {}
        for key, value in item.items():
            key = key.strip().lower()
            if key not in columns:
                columns.append(key)
            if isinstance(value, list):
                value = standard.SEPARATOR.join(str(v) for v in value)
            record[key] = "" if value is None else str(value).strip()
        rows.append((number, record))
    return ParsedFile(rows, columns, encoding, None, "json")


def _map_columns(parsed: ParsedFile) -> None:
    known = set(standard.field_names())
    for column in parsed.columns:
        if column in known:
            continue
        target = LEGACY_COLUMNS.get(column)
        if target and target not in parsed.columns:
            parsed.mapped_columns[column] = target
        else:
            parsed.ignored_columns.append(column)
    for old, new in parsed.mapped_columns.items():
        for _line, record in parsed.rows:
            record[new] = record.pop(old, "")
    parsed.columns = [parsed.mapped_columns.get(column, column) for column in parsed.columns]


def _check_unique_identifiers(parsed: ParsedFile) -> None:
    seen: dict[str, int] = {}
    duplicates = []
    for line, record in parsed.rows:
        identifier = record.get("id", "")
        if identifier and identifier in seen:
            duplicates.append(
                _("« %(id)s » (lignes %(first)s et %(second)s)")
                % {"id": identifier, "first": seen[identifier], "second": line}
            )
        seen.setdefault(identifier, line)
    if duplicates:
        raise DomainError(
            _("Identifiants en double dans le fichier : %(list)s. Aucun lieu n'a été importé.")
            % {"list": "; ".join(duplicates[:10])},
            code="duplicate_identifiers",
        )


def split_values(raw: str) -> list[str]:
    """Multi-valued cells: `|` in v1, `;` in v0.1 files and in the standard's own README."""
    return [value for value in _SPLIT.split(raw.strip()) if value] if raw else []


def normalise_phone(raw: str) -> str | None:
    digits = _PHONE_DIGITS.sub("", raw)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if re.fullmatch(r"0\d{9}", digits):
        digits = "+33" + digits[1:]
    return digits if standard.pattern("telephone").fullmatch(digits) else None


def check_opening_hours(raw: str) -> bool:
    try:
        opening_hours.OpeningHours(raw)
    except (opening_hours.ParserError, ValueError):
        return False
    return True


def clean_row(record: dict[str, str]) -> tuple[dict | None, list[str], list[str]]:
    """Turn one raw row into Place attributes. Returns (values or None, errors, warnings):
    errors reject the row, warnings keep it (the value is dropped or flagged for review)."""
    errors: list[str] = []
    warnings: list[str] = []
    values: dict = {}
    flags: list[str] = []

    def text(name):
        return record.get(name, "").strip()

    for name, label in (
        ("id", _("identifiant")),
        ("nom", _("nom")),
        ("adresse", _("adresse")),
        ("commune", _("commune")),
        ("code_postal", _("code postal")),
    ):
        if not text(name):
            errors.append(_("%(field)s manquant") % {"field": label.capitalize()})
    for name in ("id", "nom", "adresse", "commune", "complement_adresse", "source"):
        values[FIELD_MAP[name]] = text(name)[:255]
    values["parent_structure"] = text("structure_parente")[:255]

    postcode = text("code_postal")
    if postcode and len(postcode) == 4 and postcode.isdigit():
        postcode = "0" + postcode  # spreadsheets drop the leading zero
    if postcode and not _POSTCODE.fullmatch(postcode):
        errors.append(_("Code postal invalide : « %(value)s »") % {"value": postcode})
    values["postcode"] = postcode

    insee = text("code_insee").upper()
    if insee and len(insee) == 4 and insee.isdigit():
        insee = "0" + insee
    if insee and not standard.pattern("code_insee").fullmatch(insee):
        errors.append(_("Code INSEE invalide : « %(value)s »") % {"value": insee})
    values["insee_code"] = insee
    values["departement"] = departement_of(insee or postcode)

    pivot = text("pivot").replace(" ", "")
    if not pivot or set(pivot) == {"0"}:
        flags.append("siret_fictif")
        pivot = ""
    elif not standard.pattern("pivot").fullmatch(pivot):
        errors.append(_("SIRET (pivot) invalide : « %(value)s »") % {"value": pivot})
    values["pivot"] = pivot

    for name in ("latitude", "longitude"):
        raw = text(name).replace(",", ".")
        limit = 90 if name == "latitude" else 180
        if not raw:
            values[name] = None
            continue
        try:
            number = float(raw)
        except ValueError:
            number = math.nan
        if not math.isfinite(number) or abs(number) > limit:
            errors.append(
                _("Coordonnées invalides (%(field)s : « %(value)s »)")
                % {"field": name, "value": raw}
            )
            number = None
        values[name] = number
    if (values["latitude"] is None) != (values["longitude"] is None) and not errors:
        errors.append(_("Coordonnées incomplètes : latitude et longitude vont ensemble"))

    raw_date = text("date_maj")
    try:
        date = datetime.date.fromisoformat(raw_date[:10])
    except ValueError:
        date = None
        errors.append(
            _("Date de mise à jour manquante ou invalide : « %(value)s »") % {"value": raw_date}
        )
    if date == EPOCH:
        flags.append("date_1970")
    values["source_updated_on"] = date

    hours = text("horaires")
    values["opening_hours"] = hours
    values["opening_hours_valid"] = not hours or check_opening_hours(hours)
    if not values["opening_hours_valid"]:
        flags.append("horaires_illisibles")
        warnings.append(
            _("Horaires illisibles, conservés tels quels : « %(value)s »") % {"value": hours}
        )

    for name in standard.vocabularies():
        kept = []
        for raw in split_values(text(name)):
            value = standard.canonical(name, raw)
            if value is None and name == standard.DISPOSITIFS:
                label = standard.canonical(standard.FORMATIONS_LABELS, raw)
                if label:
                    record[standard.FORMATIONS_LABELS] = "|".join(
                        filter(None, [record.get(standard.FORMATIONS_LABELS, ""), label])
                    )
                    continue
            if value is None and name == standard.SERVICES:
                errors.append(_("Service inconnu : « %(value)s »") % {"value": raw})
            elif value is None:
                warnings.append(
                    _("Valeur hors du standard ignorée (%(field)s) : « %(value)s »")
                    % {"field": name, "value": raw}
                )
            elif value not in kept:
                kept.append(value)
        values[FIELD_MAP[name]] = kept

    values["typologies"] = split_values(text("typologie"))
    values["other_labels"] = split_values(text("autres_formations_labels"))
    values["emails"] = [value for value in split_values(text("courriels")) if "@" in value]
    values["websites"] = split_values(text("site_web"))

    phone = text("telephone")
    values["phone"] = ""
    if phone:
        normalised = normalise_phone(phone)
        if normalised:
            values["phone"] = normalised
        else:
            warnings.append(_("Téléphone invalide ignoré : « %(value)s »") % {"value": phone})

    summary = text("presentation_resume")
    if len(summary) > 280:
        warnings.append(_("Présentation résumée tronquée à 280 caractères"))
        summary = summary[:279] + "…"
    values["summary"] = summary
    values["description"] = text("presentation_detail")
    for name in ("fiche_acces_libre", "prise_rdv"):
        url = text(name)
        if url and not url.startswith(("http://", "https://")):
            warnings.append(
                _("Adresse web ignorée (%(field)s) : « %(value)s »") % {"field": name, "value": url}
            )
            url = ""
        values[FIELD_MAP[name]] = url[:500]
    values["review_flags"] = flags
    return (None if errors else values), errors, warnings


def place_to_row(place) -> dict[str, str]:
    """One Place as a row of the standard (strings, multi-values joined with `|`)."""
    row = {}
    for name, attribute in FIELD_MAP.items():
        value = getattr(place, attribute)
        if name in MULTI_VALUED:
            value = standard.SEPARATOR.join(value)
        elif value is None:
            value = ""
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        row[name] = str(value)
    row["pivot"] = row["pivot"] or standard.PLACEHOLDER_SIRET
    # The standard requires a date: a place entered by hand gets the day of its last change.
    row["date_maj"] = row["date_maj"] or place.updated_at.date().isoformat()
    return row
