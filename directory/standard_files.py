"""Reading a file of the national standard as a whole: decoding (UTF-8, BOM, Windows-1252),
CSV or JSON, older columns read into their v1 twins, and the refusals of a whole file (too big,
empty, another schema, duplicate identifiers) with their French reason. Row by row validation is
`standard_io.clean_row`."""

import csv
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.exports import restore

from . import legacy, standard
from .standard_io import MULTI_VALUED


@dataclass
class ParsedFile:
    rows: list[tuple[int, dict[str, str]]]  # (line number in the file, raw values)
    columns: list[str]
    encoding: str
    delimiter: str | None
    file_format: str
    ignored_columns: list[str] = field(default_factory=list)
    mapped_columns: dict[str, str] = field(default_factory=dict)
    renamed_columns: dict[str, str] = field(default_factory=dict)


# Headers as people write them in a spreadsheet (after `column_key`) → the standard's column.
COLUMN_ALIASES = {
    "identifiant": "id",
    "cp": "code_postal",
    "ville": "commune",
    "code_commune": "code_insee",
    "insee": "code_insee",
    "complement_d_adresse": "complement_adresse",
    "date_de_mise_a_jour": "date_maj",
    "site_internet": "site_web",
    "email": "courriels",
    "e_mail": "courriels",
    "horaires_d_ouverture": "horaires",
    "nom_du_lieu": "nom",
}
_NOT_WORD = re.compile(r"[^a-z0-9]+")
# Required columns a file may lack: every row then says « no SIRET » (the standard's own
# placeholder) or « date unknown », as an empty cell does, with a warning on each row.
TOLERATED_MISSING = {"pivot", "date_maj"}


@cache
def column_key(header: str) -> str:
    """A header as the standard spells its columns: « Code postal », « CODE_POSTAL » and
    « code-postal » are `code_postal`, « Téléphone » is `telephone`, « Identifiant » is `id`."""
    text = unicodedata.normalize("NFKD", header.replace("\ufeff", "").replace("’", "'"))
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    key = _NOT_WORD.sub("_", text).strip("_")
    return COLUMN_ALIASES.get(key, key)


def _renamed(headers) -> dict[str, str]:
    """The headers read under another name than their own (case aside), for the report."""
    return {
        header.strip(): column_key(header)
        for header in headers
        if header and column_key(header) != header.strip().lstrip("\ufeff").lower()
    }


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
    # Anywhere in the file, not only at its start: PostgreSQL refuses a NUL in any text.
    if b"\x00" in data:
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
    missing = [name for name in missing if name not in TOLERATED_MISSING]
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
    columns = []
    for name in reader.fieldnames or []:
        key = column_key(name or "")
        # A second header read as the same column (« Ville » beside « Commune ») stays apart.
        columns.append(key if key not in columns else (name or "").strip().lower())
    if len(columns) < 2:
        raise DomainError(
            _("Ce fichier n'est ni un CSV ni un JSON : aucune colonne reconnue."),
            code="not_csv_json",
        )
    renamed = _renamed(reader.fieldnames or [])
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
    return ParsedFile(rows, columns, encoding, delimiter, "csv", renamed_columns=renamed)


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
    renamed: dict[str, str] = {}
    for number, item in enumerate(payload, start=1):
        record = {}
        renamed.update(_renamed(item))
        for key, value in item.items():
            key = column_key(key)
            if key not in columns:
                columns.append(key)
            if isinstance(value, list):
                value = standard.SEPARATOR.join(str(v) for v in value)
            record[key] = "" if value is None else str(value).strip()
        rows.append((number, record))
    return ParsedFile(rows, columns, encoding, None, "json", renamed_columns=renamed)


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
