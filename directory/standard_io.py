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

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

import opening_hours

from core.departements import departement_of
from core.errors import DomainError
from core.exports import restore

from . import legacy, standard

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

# Spreadsheets and old exports write « no date » as the Unix epoch (in UTC or just before it).
EPOCH_DATES = {datetime.date(1970, 1, 1), datetime.date(1969, 12, 31)}
# A place's phone and e-mail are often a mediator's own: the directory shows them to orient
# a person, the public downloads and the open API do not publish them (both are optional in
# the standard). `export_lieux`, for the Hub, keeps them.
WITHHELD_FROM_PUBLIC = ("telephone", "courriels")
_SPLIT = re.compile(r"\s*[|;]\s*")
_PHONE_DIGITS = re.compile(r"[\s.\-()]")
_POSTCODE = re.compile(r"^\d{5}$")
_FRENCH_DATE = re.compile(r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})")


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
    if len(data) > settings.MAILLAGE_UPLOAD_MAX_BYTES:
        raise DomainError(
            _(
                "Fichier trop volumineux (%(size)s, %(limit)s au plus) : découpez-le, par "
                "exemple par département."
            )
            % {
                "size": filesizeformat(len(data)),
                "limit": filesizeformat(settings.MAILLAGE_UPLOAD_MAX_BYTES),
            },
            code="too_large",
        )
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
                "numérique : aucune colonne reconnue (colonnes trouvées : %(found)s)."
            )
            % {"found": ", ".join(parsed.columns[:12]) or "—"},
            code="not_csv_json",
        )
    missing = [name for name in ("id", "nom") if name not in parsed.columns]
    missing += [
        name
        for name in standard.required_fields()
        if name not in parsed.columns and name not in missing
    ]
    if len(missing) * 2 > len(standard.required_fields()):
        raise DomainError(
            _(
                "Ce fichier ne suit pas le standard des lieux de médiation numérique : il lui "
                "manque %(columns)s. Colonnes trouvées : %(found)s."
            )
            % {"columns": ", ".join(missing), "found": ", ".join(parsed.columns[:12])},
            code="other_schema",
        )
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
        lists = [value for value in payload.values() if isinstance(value, list)]
        if len(lists) != 1:
            raise DomainError(
                _(
                    "Le JSON est un objet, pas une liste de lieux : attendu [{…}, {…}]. "
                    "Clés trouvées : %(keys)s."
                )
                % {"keys": ", ".join(list(payload)[:10]) or "—"},
                code="not_csv_json",
            )
        payload = lists[0]  # an envelope such as {"data": [...]} or {"lieux": [...]}
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
    """Read older columns into their v1 twin: appended to it when the file has both (a
    multi-valued twin), or used when the twin is empty, so that nothing recognised is lost."""
    known = set(standard.field_names())
    for column in parsed.columns:
        if column in known:
            continue
        target = legacy.COLUMNS.get(column)
        if target:
            parsed.mapped_columns[column] = target
        else:
            parsed.ignored_columns.append(column)
    for old, new in parsed.mapped_columns.items():
        multi = new in MULTI_VALUED
        for _line, record in parsed.rows:
            value = record.pop(old, "")
            current = record.get(new, "")
            if multi:
                record[new] = standard.SEPARATOR.join(filter(None, [current, value]))
            else:
                record[new] = current or value
    columns = [parsed.mapped_columns.get(column, column) for column in parsed.columns]
    parsed.columns = list(dict.fromkeys(columns))


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


def parse_date(raw: str) -> datetime.date | None:
    """ISO 8601 (a date or a date-time), or the French « 31/01/2024 » of spreadsheets."""
    match = _FRENCH_DATE.fullmatch(raw.strip())
    try:
        if match:
            return datetime.date(int(match["y"]), int(match["m"]), int(match["d"]))
        return datetime.date.fromisoformat(raw.strip()[:10])
    except ValueError:
        return None


def split_values(raw: str) -> list[str]:
    """Multi-valued cells: `|` in v1, `;` in v0.1 files and in the standard's own README."""
    return [value for value in _SPLIT.split(raw.strip()) if value] if raw else []


def normalise_phone(raw: str) -> str | None:
    digits = _PHONE_DIGITS.sub("", raw)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if re.fullmatch(r"0\d{9}", digits):
        digits = "+33" + digits[1:]
    elif re.fullmatch(r"33[1-9]\d{8}", digits):  # a spreadsheet ate the « + » of +33…
        digits = "+" + digits
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
        pivot = ""  # the standard's own placeholder: « no SIRET », nothing to review
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

    # An empty or epoch date says « unknown »: the place is kept, its freshness is unknown.
    raw_date = text("date_maj")
    date = parse_date(raw_date) if raw_date else None
    if raw_date and date is None:
        errors.append(_("Date de mise à jour invalide : « %(value)s »") % {"value": raw_date})
    elif not raw_date:
        warnings.append(_("Date de mise à jour absente : enregistrée comme inconnue"))
    elif date in EPOCH_DATES:
        warnings.append(
            _("Date de mise à jour « %(value)s » : un zéro de tableur, enregistrée comme inconnue")
            % {"value": raw_date}
        )
        date = None
    values["source_updated_on"] = date

    hours = text("horaires")
    values["opening_hours"] = hours
    values["opening_hours_valid"] = not hours or check_opening_hours(hours)
    if not values["opening_hours_valid"]:
        flags.append("horaires_illisibles")
        warnings.append(
            _("Horaires illisibles, conservés tels quels : « %(value)s »") % {"value": hours}
        )

    vocabularies, vocabulary_warnings = legacy.read_vocabularies(
        {name: split_values(text(name)) for name in standard.vocabularies()}
    )
    warnings += vocabulary_warnings
    for name in standard.vocabularies():
        values[FIELD_MAP[name]] = vocabularies[name]
    values["typologies"] = list(
        dict.fromkeys(legacy.typology(value) for value in split_values(text("typologie")))
    )
    values["other_labels"] = list(
        dict.fromkeys(
            [*split_values(text("autres_formations_labels")), *vocabularies[legacy.AUTRES_LABELS]]
        )
    )
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
