"""The import of the national standard: a file (CSV or JSON) upserted by identifier in bulk,
with a report that never drops a row silently; the admin's preview → queue → run; and the
possible duplicates across sources."""

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.data_version import data_changed
from core.errors import DomainError
from core.locking import lock_one

from .. import consistency, duplicates, itinerance, standard_files, standard_io
from ..models import MergedIdentifier, Place, PlaceImport, PlaceStop
from . import place_rows

CHUNK = 2000

Progress = Callable[[int, int], None]


@dataclass
class ImportReport:
    """What an import did or, in a dry run, would do. Nothing is ever dropped silently: every
    row is created, updated, unchanged or rejected with its line and reasons."""

    file_format: str = ""
    encoding: str = ""
    delimiter: str | None = None
    dry_run: bool = False
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    flagged: int = 0
    rejected: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    mapped_columns: dict[str, str] = field(default_factory=dict)
    renamed_columns: dict[str, str] = field(default_factory=dict)
    protected: int = 0
    merged: int = 0
    itinerant: int = 0
    duplicates: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)

    def summary(self) -> str:
        """One French sentence of the figures, each with its own plural (« 1 créé, 0 inchangé »)."""
        figures = [
            ngettext("%(count)s créé", "%(count)s créés", self.created),
            ngettext("%(count)s mis à jour", "%(count)s mis à jour", self.updated),
            ngettext("%(count)s inchangé", "%(count)s inchangés", self.unchanged),
            ngettext("%(count)s rejeté", "%(count)s rejetés", len(self.rejected)),
            ngettext("%(count)s à vérifier", "%(count)s à vérifier", self.flagged),
            ngettext(
                "%(count)s doublon possible", "%(count)s doublons possibles", len(self.duplicates)
            ),
        ]
        counts = [
            self.created,
            self.updated,
            self.unchanged,
            len(self.rejected),
            self.flagged,
            len(self.duplicates),
        ]
        if self.merged:
            figures.append(
                ngettext(
                    "%(count)s fiche fusionnée ignorée",
                    "%(count)s fiches fusionnées ignorées",
                    self.merged,
                )
            )
            counts.append(self.merged)
        sentence = ", ".join(
            figure % {"count": count} for figure, count in zip(figures, counts, strict=True)
        )
        if self.dry_run:
            return _("Simulation (rien n'a été modifié) — %(figures)s.") % {"figures": sentence}
        return f"{sentence}."


def _differences(place: dict, values: dict) -> tuple[list[str], int]:
    """Attributes the import should write, and how many hand edits it left alone."""
    changed, protected = [], 0
    newer = (
        place["hub_edited_at"] is not None
        and values["source_updated_on"] is not None
        and values["source_updated_on"] > timezone.localtime(place["hub_edited_at"]).date()
    )
    for attribute, value in values.items():
        if place[attribute] == value:
            continue
        if attribute in place["hub_edited_fields"] and not newer:
            protected += 1
            continue
        changed.append(attribute)
    return changed, protected


def places_import(
    *,
    data: bytes,
    file_format: str | None = None,
    filename: str = "",
    source: str = "",
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a file of the national standard: upsert by identifier, in bulk.

    Raises DomainError (codes: too_large, empty, not_csv_json, encoding, other_schema, missing_columns,
    duplicate_identifiers) when the file as a whole is unusable; nothing is written then.
    Bad rows are rejected one by one in the report; `dry_run` writes nothing."""
    parsed = standard_files.parse(data, file_format=file_format, filename=filename)
    report = ImportReport(
        file_format=parsed.file_format,
        encoding=parsed.encoding,
        delimiter=parsed.delimiter,
        dry_run=dry_run,
        total=len(parsed.rows),
        ignored_columns=parsed.ignored_columns,
        mapped_columns=parsed.mapped_columns,
        renamed_columns=parsed.renamed_columns,
    )
    valid: dict[str, tuple[int, dict]] = {}
    for index, (line, record) in enumerate(parsed.rows, start=1):
        values, errors, warnings = standard_io.clean_row(record)
        for message in warnings:
            report.warnings.append(
                {"line": line, "identifier": record.get("id", ""), "message": message}
            )
        if errors:
            report.rejected.append(
                {"line": line, "identifier": record.get("id", ""), "reasons": errors}
            )
        else:
            if source and not values["source"]:
                values["source"] = source
            valid[values["identifier"]] = (line, values)
        if progress and index % 500 == 0:
            progress(index, report.total * 2)
    _check_consistency(valid, report)
    stops = _gather_itinerant(valid, report)
    with transaction.atomic():
        _write(valid, report, dry_run=dry_run, progress=progress)
        if not dry_run:
            _write_stops(stops)
        report.warnings.sort(key=lambda warning: warning["line"])
        report.duplicates = duplicates_find(
            incoming={identifier: values for identifier, (_line, values) in valid.items()}
        )
        if progress:
            progress(report.total * 2, report.total * 2)
    return report


def _check_consistency(valid: dict, report: ImportReport) -> None:
    """Flag the rows whose postcode, INSEE code or coordinates contradict the commune."""
    index = consistency.CommuneIndex(consistency.departements_of(v for _l, v in valid.values()))
    for identifier, (line, values) in valid.items():
        for reason in consistency.check(values, index):
            report.warnings.append(
                {"line": line, "identifier": identifier, "message": _("À vérifier : ") + reason}
            )
        report.flagged += bool(values["review_flags"])


def _gather_itinerant(valid: dict, report: ImportReport) -> dict[str, list[dict]]:
    """Gather the rows of each mobile service into one place (see `itinerance`); its
    identifier stays the one a previous import gave it. Returns each such place's stops."""
    groups = itinerance.groups(valid)
    stop_identifiers = [identifier for group in groups for identifier in group]
    known: dict[str, str] = {}
    for start in range(0, len(stop_identifiers), CHUNK):
        known.update(
            PlaceStop.objects.filter(
                identifier__in=stop_identifiers[start : start + CHUNK]
            ).values_list("identifier", "place__identifier")
        )
    stops: dict[str, list[dict]] = {}
    for group in groups:
        line = valid[group[0]][0]
        values, group_stops = itinerance.gather([valid.pop(identifier)[1] for identifier in group])
        identifier = next((known[i] for i in group if i in known), group[0])
        values["identifier"] = identifier
        valid[identifier] = (line, values)
        stops[identifier] = group_stops
        report.itinerant += 1
        report.warnings.append(
            {
                "line": line,
                "identifier": identifier,
                "message": _(
                    "Service itinérant : %(count)s lignes réunies en une fiche « %(name)s » "
                    "avec ses arrêts"
                )
                % {"count": len(group), "name": values["name"]},
            }
        )
    return stops


def _write_stops(stops: dict[str, list[dict]]) -> None:
    """Each gathered place's stops, as the file gives them now (replacing the previous ones)."""
    if not stops:
        return
    places = dict(Place.objects.filter(identifier__in=list(stops)).values_list("identifier", "pk"))
    PlaceStop.objects.filter(place_id__in=places.values()).delete()
    identifiers = [stop["identifier"] for group in stops.values() for stop in group]
    PlaceStop.objects.filter(identifier__in=identifiers).delete()  # a stop that changed bus
    PlaceStop.objects.bulk_create(
        [
            PlaceStop(place_id=places[identifier], **stop)
            for identifier, group in stops.items()
            if identifier in places
            for stop in group
        ]
    )


def _skip_merged(valid: dict, report: ImportReport) -> None:
    """Rows of fiches merged into another are not brought back (the merge is remembered). The
    merged identifiers are few (one per merge by hand): read whole, not asked row by row."""
    merged_identifiers = set(MergedIdentifier.objects.values_list("identifier", flat=True))
    found = [identifier for identifier in valid if identifier in merged_identifiers]
    if not found:
        return
    for row in MergedIdentifier.objects.filter(identifier__in=found).select_related("place"):
        line, _values = valid.pop(row.identifier)
        report.merged += 1
        report.warnings.append(
            {
                "line": line,
                "identifier": row.identifier,
                "message": _("Fiche fusionnée avec « %(name)s » (%(id)s) : ligne ignorée")
                % {"name": row.place.name, "id": row.place.identifier},
            }
        )


def _write(valid: dict, report: ImportReport, *, dry_run: bool, progress: Progress | None):
    """Create or update the valid rows: the existing places read in one query, compared in
    memory, and only the new or changed ones written, in one statement (`place_rows`)."""
    _skip_merged(valid, report)
    existing = place_rows.existing_places(list(valid))
    organisations = _organisations_for(valid, dry_run=dry_run)
    now = timezone.now()
    rows = []
    for index, (identifier, (_line, values)) in enumerate(valid.items(), start=1):
        organisation_id = organisations.get(values["pivot"])
        place = existing.get(identifier)
        if place is None:
            report.created += 1
            rows.append(
                place_rows.row(
                    {**values, "organisation_id": organisation_id, "hub_edited_fields": []},
                    now=now,
                )
            )
        else:
            changed, protected = _differences(place, values)
            report.protected += protected
            if place["organisation_id"] is None and organisation_id is not None:
                place["organisation_id"] = organisation_id
                changed.append("organisation")
            if changed:
                report.updated += 1
                for attribute in changed:
                    if attribute in values:  # not "organisation", set above
                        place[attribute] = values[attribute]
                place["hub_edited_fields"] = [
                    name for name in place["hub_edited_fields"] if name not in changed
                ]
                rows.append(place_rows.row(place, now=now))
            else:
                report.unchanged += 1
        if progress and index % 500 == 0:
            progress(report.total + index, report.total * 2)
    if dry_run:
        return
    place_rows.write(rows)
    data_changed()


def _organisations_for(valid: dict, *, dry_run: bool) -> dict[str, int | None]:
    """{SIRET: structure pk}, one structure per real SIRET, created in bulk the first time it is
    seen (in a dry run, a structure to create is None)."""
    names: dict[str, str] = {}
    for _line, values in valid.values():
        if values["pivot"]:
            names.setdefault(values["pivot"], values["name"])
    found: dict[str, int | None] = place_rows.existing_organisations(list(names))
    missing = {siret: name for siret, name in names.items() if siret not in found}
    if missing and not dry_run:
        found.update(place_rows.create_organisations(missing))
        data_changed()
    return found


def duplicates_find(*, incoming: dict[str, dict] | None = None) -> list[dict]:
    """Possible duplicates across sources (see `duplicates.find`), best score first."""
    return duplicates.find(incoming=incoming)


def duplicate_rows() -> list[dict]:
    """`duplicates_find` with both places loaded (one more query), for the screens that list
    them; a pair whose place has just gone is left out."""
    pairs = duplicates_find()
    identifiers = {pair["first"] for pair in pairs} | {pair["second"] for pair in pairs}
    places = {place.identifier: place for place in Place.objects.filter(identifier__in=identifiers)}
    return [
        {
            "first": places[pair["first"]],
            "second": places[pair["second"]],
            "reason": pair["reason"],
            "score": pair["score"],
        }
        for pair in pairs
        if pair["first"] in places and pair["second"] in places
    ]


def place_import_preview(*, upload, source: str, file_format: str | None, user) -> PlaceImport:
    """Store an admin upload and its dry-run report. Raises DomainError for an unusable file
    (and stores nothing)."""
    data = upload.read()
    report = places_import(
        data=data, file_format=file_format, filename=upload.name, source=source, dry_run=True
    )
    upload.seek(0)
    return PlaceImport.objects.create(
        file=upload,
        file_format=file_format or "",
        source=source,
        preview=report.as_dict(),
        total=report.total,
        created_by=user,
    )


@transaction.atomic
def place_import_queue(*, place_import: PlaceImport) -> PlaceImport:
    """Ask Celery to run a previewed import (once). Raises DomainError (code: not_previewed)."""
    from ..tasks import place_import_run as place_import_run_task

    place_import = lock_one(PlaceImport.objects.all(), pk=place_import.pk)
    if place_import.status != PlaceImport.Status.PREVIEWED:
        raise DomainError(_("Cet import a déjà été lancé."), code="not_previewed")
    place_import.status = PlaceImport.Status.QUEUED
    place_import.save(update_fields=["status"])
    transaction.on_commit(lambda: place_import_run_task.delay(place_import.pk))
    return place_import


def place_import_run(*, place_import: PlaceImport) -> PlaceImport:
    """Run a queued import; safe to run twice (a finished import is left alone)."""
    with transaction.atomic():
        place_import = lock_one(PlaceImport.objects.all(), pk=place_import.pk)
        if place_import.status not in (PlaceImport.Status.QUEUED, PlaceImport.Status.RUNNING):
            return place_import
        place_import.status = PlaceImport.Status.RUNNING
        place_import.save(update_fields=["status"])

    def progress(done: int, total: int) -> None:
        PlaceImport.objects.filter(pk=place_import.pk).update(progress=done // 2, total=total // 2)

    with place_import.file.open("rb") as handle:
        data = handle.read()
    try:
        report = places_import(
            data=data,
            file_format=place_import.file_format or None,
            filename=place_import.file.name,
            source=place_import.source,
            progress=progress,
        )
    except DomainError as error:
        place_import.status = PlaceImport.Status.FAILED
        place_import.report = {"error": error.message}
    else:
        place_import.status = PlaceImport.Status.DONE
        place_import.report = report.as_dict()
        place_import.progress = report.total
    place_import.save(update_fields=["status", "report", "progress"])
    return place_import
