"""Territorial indicators: import from a CSV file with a per-line report."""

import csv
import gzip
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.errors import DomainError
from directory import selectors as directory

from . import history
from .models import Indicator, IndicatorValue, ShareLink

FRAGILITY_FILE = Path(__file__).resolve().parent / "data" / "fragilite_numerique_communes.csv.gz"
FRAGILITY = {
    "code_column": "code_insee",
    "value_column": "score",
    "population_column": "population",
    "name": "Fragilité numérique",
    "source": "Indice de fragilité numérique — La MedNum (2020)",
    "year": 2020,
    "licence": "non précisée par la source : données de démonstration, citer La MedNum",
    # The index is referenced to 100 (the national level): above it, more fragile than France.
    "fragile_threshold": 100.0,
}
COMMUNE_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
EPCI_CODE = re.compile(r"^\d{9}$")


@dataclass
class IndicatorImportReport:
    indicator: Indicator | None = None
    rows: int = 0
    imported: int = 0
    dry_run: bool = False
    rejected: list[dict] = field(default_factory=list)  # line, code, reason
    mapped: list[dict] = field(default_factory=list)  # line, former code, today's code
    merged: list[dict] = field(default_factory=list)  # today's code, lines, weighting
    missing: int = 0  # today's communes (or EPCI) without a value

    def lines(self) -> list[str]:
        """The report as people read it, one message per line, in French."""
        out = [_("Ligne %(line)s rejetée (%(code)s) : %(reason)s") % item for item in self.rejected]
        out += [
            _("Ligne %(line)s : code %(former)s d'une ancienne commune, compté pour %(current)s")
            % item
            for item in self.mapped
        ]
        out += [
            _("Commune nouvelle %(code)s : lignes %(lines)s réunies (%(weighting)s)") % item
            for item in self.merged
        ]
        return out

    def summary(self) -> str:
        prefix = _("Simulation (rien n'a été modifié) — ") if self.dry_run else ""
        return prefix + _(
            "%(rows)s lignes lues, %(imported)s valeurs enregistrées, %(mapped)s anciens codes "
            "rapportés à une commune d'aujourd'hui, %(rejected)s lignes rejetées, %(missing)s "
            "territoires sans valeur."
        ) % {
            "rows": self.rows,
            "imported": self.imported,
            "mapped": len(self.mapped),
            "rejected": len(self.rejected),
            "missing": self.missing,
        }


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def _number(text: str) -> float | None:
    text = text.strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def _read_rows(data: bytes, columns: list[str]) -> list[tuple[int, dict]]:
    if not data.strip():
        raise DomainError(_("Le fichier est vide."), code="empty")
    if b"\x00" in data[:4096]:
        raise DomainError(_("Ce fichier n'est pas un CSV (contenu binaire)."), code="not_csv")
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [name.strip() for name in reader.fieldnames or []]
    reader.fieldnames = header
    absent = [column for column in columns if column not in header]
    if absent:
        raise DomainError(
            _("Colonne absente du fichier : %(columns)s (colonnes lues : %(header)s).")
            % {"columns": ", ".join(absent), "header": ", ".join(header)},
            code="missing_column",
        )
    # Line numbers as a spreadsheet shows them: the header is line 1.
    return [(number, row) for number, row in enumerate(reader, start=2)]


def indicator_import(
    *,
    data: bytes,
    code_column: str,
    value_column: str,
    name: str,
    source: str = "",
    year: int | None = None,
    licence: str = "",
    level: str = Indicator.Level.COMMUNE,
    population_column: str | None = None,
    fragile_threshold: float | None = None,
    dry_run: bool = False,
) -> IndicatorImportReport:
    """Load (or replace) the values of the indicator `name` (+ `year`) from a CSV file.

    Every row is either stored or reported with its line and reason. Commune codes of earlier
    years are mapped onto today's commune; several rows landing on one commune nouvelle are
    averaged weighted by the former communes' population (`population_column`), or plainly
    when the file has none, which the report says. Raises DomainError, and changes nothing,
    when the file as a whole is unusable (empty, a column missing, communes not loaded)."""
    if not name.strip():
        raise DomainError(_("Donnez un nom à l'indicateur."), code="no_name")
    if level not in Indicator.Level.values:
        raise DomainError(_("Échelle inconnue : %(level)s.") % {"level": level}, code="level")
    columns = [code_column, value_column] + ([population_column] if population_column else [])
    rows = _read_rows(data, columns)
    is_commune = level == Indicator.Level.COMMUNE
    current = directory.commune_codes() if is_commune else directory.epci_codes()
    if not current:
        raise DomainError(
            _("Les communes ne sont pas chargées : lancez d'abord « manage.py load_communes »."),
            code="no_communes",
        )
    former = history.former_codes() if is_commune else {}
    report = IndicatorImportReport(rows=len(rows), dry_run=dry_run)
    groups: dict[str, list[tuple[int, float, float | None]]] = {}
    seen: dict[str, int] = {}
    for line, row in rows:
        code = (row.get(code_column) or "").strip().upper()
        if is_commune and re.fullmatch(r"\d{4}", code):
            code = "0" + code  # a spreadsheet dropped the leading zero of 01001…09999
        value = _number(row.get(value_column) or "")
        weight = _number(row.get(population_column) or "") if population_column else None
        reason = None
        if not (COMMUNE_CODE if is_commune else EPCI_CODE).match(code):
            reason = _("code INSEE invalide") if is_commune else _("SIREN d'EPCI invalide")
        elif value is None:
            reason = _("valeur absente ou non numérique : « %(value)s »") % {
                "value": (row.get(value_column) or "").strip()
            }
        elif code in seen:
            reason = _("code en double (déjà ligne %(line)s)") % {"line": seen[code]}
        if reason is None and code not in current:
            if code in former:
                report.mapped.append({"line": line, "former": code, "current": former[code]})
            else:
                reason = _("code inconnu parmi les communes d'aujourd'hui et leurs anciens codes")
        if reason:
            report.rejected.append({"line": line, "code": code or "—", "reason": reason})
            continue
        seen[code] = line
        groups.setdefault(former.get(code, code), []).append((line, value, weight))
    values = {}
    for code, members in groups.items():
        if len(members) == 1:
            values[code] = members[0][1]
            continue
        weights = [weight for _line, _value, weight in members]
        if all(weight and weight > 0 for weight in weights):
            total = sum(weights)
            values[code] = (
                sum(v * w for (_l, v, _w), w in zip(members, weights, strict=True)) / total
            )
            weighting = _("moyenne pondérée par la population")
        else:
            values[code] = sum(value for _line, value, _weight in members) / len(members)
            weighting = _("moyenne simple, faute de population")
        report.merged.append(
            {
                "code": code,
                "lines": ", ".join(str(line) for line, _value, _weight in members),
                "weighting": weighting,
            }
        )
    report.imported = len(values)
    report.missing = len(current - set(values))
    if dry_run:
        return report
    with transaction.atomic():
        indicator, _created = Indicator.objects.update_or_create(
            slug=slugify(f"{name} {year or ''}")[:200],
            defaults={
                "name": name.strip(),
                "level": level,
                "source": source,
                "year": year,
                "licence": licence,
                "fragile_threshold": fragile_threshold,
            },
        )
        indicator.values.all().delete()
        IndicatorValue.objects.bulk_create(
            [IndicatorValue(indicator=indicator, code=code, value=v) for code, v in values.items()],
            batch_size=2000,
        )
    report.indicator = indicator
    return report


def fragility_import(*, dry_run: bool = False) -> IndicatorImportReport:
    """Load the digital fragility index shipped in territory/data (La MedNum, 2020)."""
    with gzip.open(FRAGILITY_FILE, "rb") as handle:
        data = handle.read()
    return indicator_import(data=data, dry_run=dry_run, **FRAGILITY)


@transaction.atomic
def share_link_create(
    *, user, title: str, parameters: dict, kind: str = ShareLink.Kind.DIAGNOSIS
) -> ShareLink:
    """A read-only link to a diagnosis or a report: it stores the parameters (service,
    territory, radius, period…), so the figures stay current; the page it opens holds no
    personal data."""
    if not title.strip():
        raise DomainError(_("Donnez un titre au lien de partage."), code="no_title")
    return ShareLink.objects.create(
        title=title.strip()[:200], parameters=parameters, created_by=user, kind=kind
    )


@transaction.atomic
def share_link_revoke(*, link: "ShareLink") -> ShareLink:
    """The link stops working at once."""
    link.revoked = True
    link.save(update_fields=["revoked"])
    return link
