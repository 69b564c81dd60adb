"""Import of addresses that consented elsewhere, reported line by line."""

import csv
import io
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError

from ..models import Subscriber
from .retention import suppression_address
from .subscriptions import clean_email


@dataclass(frozen=True)
class ImportLine:
    line: int
    email: str
    imported: bool
    reason: str = ""


def _read_csv(data: bytes) -> list[dict]:
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
    fields = {(name or "").strip().lower() for name in reader.fieldnames or []}
    if "email" not in fields:
        raise DomainError(
            _("Le fichier doit être un CSV dont la première ligne contient une colonne « email »."),
            code="malformed_csv",
        )
    try:
        return [
            {(key or "").strip().lower(): (value or "") for key, value in row.items()}
            for row in reader
        ]
    except csv.Error as error:
        raise DomainError(
            _("Le fichier CSV est illisible : %(error)s") % {"error": error}, code="malformed_csv"
        ) from None


@transaction.atomic
def subscriber_import(*, data: bytes, source: str) -> list[ImportLine]:
    """Import addresses whose owners already consented elsewhere (`source` says where), as
    confirmed subscribers. Invalid addresses and duplicates (in the file or already known, in
    any status: an unsubscribed person is never re-subscribed by an import) are reported line
    by line and change nothing.

    Raises DomainError: missing_source, malformed_csv (nothing imported).
    """
    source = source.strip()
    if not source:
        raise DomainError(
            _("Indiquez où et comment ces personnes ont donné leur consentement."),
            code="missing_source",
        )
    rows = _read_csv(data)
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
    report, seen, new = [], set(), []
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
        new.append(
            Subscriber(
                email=email,
                name=row.get("nom", row.get("name", "")).strip()[:150],
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
        report.append(ImportLine(number, email, True))
    Subscriber.objects.bulk_create(new)
    return report
