"""Import of addresses that consented elsewhere, reported line by line."""

import csv
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.departements import departement_normalise
from core.errors import DomainError
from core.search import unaccent
from taxonomy.models import Theme

from ..models import Subscriber
from .retention import suppression_address
from .subscriptions import clean_email


@dataclass(frozen=True)
class ImportLine:
    """One line of the file: imported or not, and why (or, imported, what was left out)."""

    line: int
    email: str
    imported: bool
    reason: str = ""


class ImportReport(list):
    """The lines of an import, and the columns of the file it did not read."""

    def __init__(self, lines, *, ignored_columns: list[str]):
        super().__init__(lines)
        self.ignored_columns = ignored_columns


# The columns the import reads (as their header is written, case and accents aside): the
# address, the name, the département (so that a send by département reaches the person) and
# the interests (theme names or identifiers separated by « | »).
COLUMNS = {
    "email": "email",
    "nom": "name",
    "name": "name",
    "departement": "departement",
    "thematiques": "themes",
    "interets": "themes",
}


def _column(header: str) -> str:
    return "_".join(unaccent(header or "").split())


def _read_csv(data: bytes) -> tuple[list[dict], list[str]]:
    """The rows keyed by the columns the import reads, and the headers of the others."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        # A few bytes mean nothing in Windows-1252 either: not a text file.
        raise DomainError(
            _("Le fichier n'est pas un CSV en UTF-8 ou Windows-1252."), code="malformed_csv"
        )
    if "\x00" in text:
        # No text file holds NUL bytes, and PostgreSQL refuses them.
        raise DomainError(_("Ce fichier n'est pas un CSV (contenu binaire)."), code="malformed_csv")
    delimiter = (
        ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    )
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    headers = [(name or "").strip() for name in reader.fieldnames or []]
    ignored = [header for header in headers if _column(header) not in COLUMNS]
    if "email" not in {COLUMNS.get(_column(header)) for header in headers}:
        raise DomainError(
            _("Le fichier doit être un CSV dont la première ligne contient une colonne « email »."),
            code="malformed_csv",
        )
    try:
        rows = [
            {
                COLUMNS[_column(key)]: value or ""
                for key, value in row.items()
                if isinstance(value, str) and _column(key) in COLUMNS
            }
            for row in reader
        ]
    except csv.Error as error:
        raise DomainError(
            _("Le fichier CSV est illisible : %(error)s") % {"error": error}, code="malformed_csv"
        ) from None
    return rows, ignored


def _themes_lookup() -> dict[str, Theme]:
    themes = {}
    for theme in Theme.objects.all():
        themes[_column(theme.name)] = themes[_column(theme.slug)] = theme
    return themes


def _interests(value: str, themes: dict) -> tuple[list[Theme], list[str]]:
    """The themes named in `value` (separated by « | »), and the names no theme has."""
    found, unknown = [], []
    for name in (part.strip() for part in value.split("|")):
        if not name:
            continue
        theme = themes.get(_column(name))
        if theme is None:
            unknown.append(name)
        elif theme not in found:
            found.append(theme)
    return found, unknown


@transaction.atomic
def subscriber_import(*, data: bytes, source: str) -> ImportReport:
    """Import addresses whose owners already consented elsewhere (`source` says where), as
    confirmed subscribers, with their name, département and interests (COLUMNS). Invalid
    addresses and duplicates (in the file or already known, in any status: an unsubscribed
    person is never re-subscribed by an import) are reported line by line and change nothing;
    an imported line says what of it was left out (an unknown département or theme); the
    report lists every column the import did not read.

    Raises DomainError: missing_source, malformed_csv (nothing imported).
    """
    source = source.strip()
    if not source:
        raise DomainError(
            _("Indiquez où et comment ces personnes ont donné leur consentement."),
            code="missing_source",
        )
    rows, ignored = _read_csv(data)
    themes = _themes_lookup()
    emails = [row.get("email", "").strip().lower() for row in rows]
    suppressed = {suppression_address(email): email for email in emails}
    known = {
        suppressed.get(email, email): status
        for email, status in Subscriber.objects.filter(
            email__in=emails + list(suppressed)
        ).values_list("email", "status")
    }
    statuses = dict(Subscriber.Status.choices)
    now = timezone.now()
    report, seen, new, interests_of = [], set(), [], {}
    for number, row in enumerate(rows, start=2):
        raw = row.get("email", "").strip()
        try:
            email = clean_email(raw)
        except DomainError as error:
            report.append(ImportLine(number, raw, False, error.message))
            continue
        if email in seen:
            report.append(
                ImportLine(
                    number, email, False, _("Doublon : déjà présente plus haut dans le fichier.")
                )
            )
            continue
        seen.add(email)
        if email in known:
            report.append(
                ImportLine(
                    number,
                    email,
                    False,
                    _("Déjà connue (%(status)s) : laissée telle quelle.")
                    % {"status": statuses[known[email]].lower()},
                )
            )
            continue
        left_out = []
        try:
            departement = departement_normalise(row.get("departement", ""))
        except ValidationError:
            departement = ""
            left_out.append(
                _("département « %(value)s » inconnu, laissé vide")
                % {"value": row["departement"].strip()}
            )
        interests, unknown = _interests(row.get("themes", ""), themes)
        if unknown:
            left_out.append(_("thématiques inconnues : %(names)s") % {"names": ", ".join(unknown)})
        new.append(
            Subscriber(
                email=email,
                name=row.get("name", "").strip()[:150],
                departement=departement,
                status=Subscriber.Status.CONFIRMED,
                consent_at=now,
                confirmed_at=now,
                consent_source=_("Import : %(source)s") % {"source": source[:180]},
                consent_text=_(
                    "Consentement recueilli hors du portail (%(source)s), déclaré par l'équipe "
                    "du Hub lors de l'import."
                )
                % {"source": source},
            )
        )
        interests_of[email] = interests
        report.append(ImportLine(number, email, True, " ; ".join(left_out)))
    Subscriber.objects.bulk_create(new)
    links = [
        Subscriber.themes.through(subscriber_id=pk, theme_id=theme.pk)
        for pk, email in Subscriber.objects.filter(
            email__in=[email for email, themes in interests_of.items() if themes]
        ).values_list("pk", "email")
        for theme in interests_of[email]
    ]
    Subscriber.themes.through.objects.bulk_create(links)
    return ImportReport(report, ignored_columns=ignored)
