"""State changes of the directory: territories loading, the standard import, hand edits."""

import csv
import datetime
import gzip
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import exports
from core.audit import audit_log
from core.errors import DomainError

from . import geo, standard, standard_io
from .models import (
    Commune,
    Departement,
    Epci,
    Organisation,
    Place,
    PlaceChange,
    PlaceImport,
    StructureMembership,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
CHUNK = 2000
DUPLICATE_DISTANCE_KM = 0.2

Progress = Callable[[int, int], None]


@transaction.atomic
def communes_load(*, departements: list[str] | None = None, path: Path | None = None) -> int:
    """Load (or refresh) the communes, EPCI and départements shipped in `data/`; only the given
    départements when asked (tests). Idempotent: upserts by code."""
    with (DATA_DIR / "departements.csv").open(encoding="utf-8") as handle:
        names = {row["code"]: row["nom"] for row in csv.DictReader(handle)}
    with gzip.open(path or DATA_DIR / "communes.csv.gz", "rt", encoding="utf-8") as handle:
        rows = [
            row
            for row in csv.DictReader(handle)
            if not departements or row["departement"] in departements
        ]
    codes = sorted({row["departement"] for row in rows})
    Departement.objects.bulk_create(
        [Departement(code=code, name=names.get(code, code)) for code in codes],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name"],
    )
    epcis = {row["epci_siren"]: row["epci_nom"] for row in rows if row["epci_siren"]}
    Epci.objects.bulk_create(
        [Epci(siren=siren, name=name) for siren, name in epcis.items()],
        update_conflicts=True,
        unique_fields=["siren"],
        update_fields=["name"],
        batch_size=1000,
    )
    Commune.objects.bulk_create(
        [
            Commune(
                insee_code=row["code_insee"],
                name=row["nom"],
                search_name=geo.commune_key(row["nom"]),
                postcodes=row["codes_postaux"],
                departement_id=row["departement"],
                epci_id=row["epci_siren"] or None,
                latitude=float(row["latitude"]) if row["latitude"] else None,
                longitude=float(row["longitude"]) if row["longitude"] else None,
                population=int(row["population"]) if row.get("population") else None,
            )
            for row in rows
        ],
        update_conflicts=True,
        unique_fields=["insee_code"],
        update_fields=[
            "name",
            "search_name",
            "postcodes",
            "departement",
            "epci",
            "latitude",
            "longitude",
            "population",
        ],
        batch_size=1000,
    )
    return len(rows)


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
    protected: int = 0
    duplicates: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def _differences(place: Place, values: dict) -> tuple[list[str], int]:
    """Attributes the import should write, and how many hand edits it left alone."""
    changed, protected = [], 0
    newer = (
        place.hub_edited_at is not None
        and values["source_updated_on"] is not None
        and values["source_updated_on"] > timezone.localtime(place.hub_edited_at).date()
    )
    for attribute, value in values.items():
        if getattr(place, attribute) == value:
            continue
        if attribute in place.hub_edited_fields and not newer:
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

    Raises DomainError (codes: empty, not_csv_json, encoding, missing_columns,
    duplicate_identifiers) when the file as a whole is unusable; nothing is written then.
    Bad rows are rejected one by one in the report; `dry_run` writes nothing."""
    parsed = standard_io.parse(data, file_format=file_format, filename=filename)
    report = ImportReport(
        file_format=parsed.file_format,
        encoding=parsed.encoding,
        delimiter=parsed.delimiter,
        dry_run=dry_run,
        total=len(parsed.rows),
        ignored_columns=parsed.ignored_columns,
        mapped_columns=parsed.mapped_columns,
    )
    valid: dict[str, tuple[int, dict]] = {}
    for index, (line, record) in enumerate(parsed.rows, start=1):
        values, errors, warnings = standard_io.clean_row(record)
        for message in warnings:
            report.warnings.append({"line": line, "message": message})
        if errors:
            report.rejected.append(
                {"line": line, "identifier": record.get("id", ""), "reasons": errors}
            )
        else:
            if source and not values["source"]:
                values["source"] = source
            report.flagged += bool(values["review_flags"])
            valid[values["identifier"]] = (line, values)
        if progress and index % 500 == 0:
            progress(index, report.total * 2)
    with transaction.atomic():
        _write(valid, report, dry_run=dry_run, progress=progress)
        report.duplicates = duplicates_find(
            incoming={identifier: values for identifier, (_line, values) in valid.items()}
        )
        if progress:
            progress(report.total * 2, report.total * 2)
    return report


def _write(valid: dict, report: ImportReport, *, dry_run: bool, progress: Progress | None):
    identifiers = list(valid)
    existing: dict[str, Place] = {}
    for start in range(0, len(identifiers), CHUNK):
        for place in Place.objects.filter(identifier__in=identifiers[start : start + CHUNK]):
            existing[place.identifier] = place
    organisations = _organisations_for(valid, dry_run=dry_run)
    to_create, to_update, attributes = [], [], set()
    for index, (identifier, (_line, values)) in enumerate(valid.items(), start=1):
        organisation = organisations.get(values["pivot"])
        place = existing.get(identifier)
        if place is None:
            to_create.append(Place(**values, organisation=organisation))
        else:
            changed, protected = _differences(place, values)
            report.protected += protected
            if place.organisation_id is None and organisation is not None:
                place.organisation = organisation
                changed.append("organisation")
            if changed:
                for attribute in changed:
                    setattr(place, attribute, values.get(attribute, getattr(place, attribute)))
                place.hub_edited_fields = [
                    name for name in place.hub_edited_fields if name not in changed
                ]
                attributes.update(changed)
                to_update.append(place)
            else:
                report.unchanged += 1
        if progress and index % 500 == 0:
            progress(report.total + index, report.total * 2)
    report.created, report.updated = len(to_create), len(to_update)
    if dry_run:
        return
    Place.objects.bulk_create(to_create, batch_size=1000)
    now = timezone.now()
    for place in to_update:
        place.updated_at = now  # bulk_update skips auto_now
    if to_update:
        Place.objects.bulk_update(
            to_update, [*attributes, "hub_edited_fields", "updated_at"], batch_size=500
        )


def _organisations_for(valid: dict, *, dry_run: bool) -> dict[str, Organisation]:
    """One structure per real SIRET, created in bulk the first time it is seen."""
    names: dict[str, str] = {}
    for _line, values in valid.values():
        if values["pivot"]:
            names.setdefault(values["pivot"], values["name"])
    sirets = list(names)
    found: dict[str, Organisation] = {}
    for start in range(0, len(sirets), CHUNK):
        for organisation in Organisation.objects.filter(siret__in=sirets[start : start + CHUNK]):
            found.setdefault(organisation.siret, organisation)
    missing = [
        Organisation(name=names[siret], siret=siret) for siret in sirets if siret not in found
    ]
    if missing and not dry_run:
        Organisation.objects.bulk_create(missing, batch_size=1000)
        for start in range(0, len(missing), CHUNK):
            chunk = [organisation.siret for organisation in missing[start : start + CHUNK]]
            for organisation in Organisation.objects.filter(siret__in=chunk):
                found.setdefault(organisation.siret, organisation)
    return found


def _duplicate_key(name: str, address: str, postcode: str) -> tuple[str, str, str]:
    return (standard.normalise_key(name), standard.normalise_key(address), postcode)


def duplicates_find(*, incoming: dict[str, dict] | None = None) -> list[dict]:
    """Possible duplicates across sources: same SIRET at less than 200 m, or same name and
    address. With `incoming` (rows of a file), only pairs involving one of them are listed."""
    rows = {
        row["identifier"]: row
        for row in Place.objects.values(
            "identifier", "name", "address", "postcode", "pivot", "latitude", "longitude", "source"
        )
    }
    for identifier, values in (incoming or {}).items():
        rows[identifier] = {
            "identifier": identifier,
            **{
                k: values[k]
                for k in ("name", "address", "postcode", "pivot", "latitude", "longitude", "source")
            },
        }
    by_siret: dict[str, list[dict]] = {}
    by_address: dict[tuple, list[dict]] = {}
    for row in rows.values():
        if row["pivot"]:
            by_siret.setdefault(row["pivot"], []).append(row)
        by_address.setdefault(
            _duplicate_key(row["name"], row["address"], row["postcode"]), []
        ).append(row)
    pairs: dict[tuple[str, str], str] = {}
    for group in by_siret.values():
        for index, first in enumerate(group):
            for second in group[index + 1 :]:
                if (
                    first["source"] != second["source"]
                    and None not in (first["latitude"], second["latitude"])
                    and geo.distance_km(
                        first["latitude"],
                        first["longitude"],
                        second["latitude"],
                        second["longitude"],
                    )
                    <= DUPLICATE_DISTANCE_KM
                ):
                    pairs[tuple(sorted((first["identifier"], second["identifier"])))] = _(
                        "même SIRET, à moins de 200 m"
                    )
    for group in by_address.values():
        for index, first in enumerate(group):
            for second in group[index + 1 :]:
                pairs.setdefault(
                    tuple(sorted((first["identifier"], second["identifier"]))),
                    _("même nom et même adresse"),
                )
    return [
        {"first": first, "second": second, "reason": reason}
        for (first, second), reason in sorted(pairs.items())
        if incoming is None or first in incoming or second in incoming
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
    from .tasks import place_import_run as place_import_run_task

    place_import = PlaceImport.objects.select_for_update().get(pk=place_import.pk)
    if place_import.status != PlaceImport.Status.PREVIEWED:
        raise DomainError(_("Cet import a déjà été lancé."), code="not_previewed")
    place_import.status = PlaceImport.Status.QUEUED
    place_import.save(update_fields=["status"])
    transaction.on_commit(lambda: place_import_run_task.delay(place_import.pk))
    return place_import


def place_import_run(*, place_import: PlaceImport) -> PlaceImport:
    """Run a queued import; safe to run twice (a finished import is left alone)."""
    with transaction.atomic():
        place_import = PlaceImport.objects.select_for_update().get(pk=place_import.pk)
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


EDITABLE_FIELDS = [
    "name",
    "address",
    "address_complement",
    "postcode",
    "commune",
    "phone",
    "emails",
    "websites",
    "opening_hours",
    "summary",
    "description",
    "services",
    "publics",
    "specific_support",
    "fees",
    "national_schemes",
    "labels",
    "access_modes",
    "support_modes",
    "accessibility_url",
    "appointment_url",
]


def _jsonable(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


@transaction.atomic
def place_update(*, place: Place, user, data: dict) -> Place:
    """A hand edit by a structure manager or Hub staff: records what changed and who changed
    it, marks those fields as edited by hand (a later import won't overwrite them unless its
    source is newer) and sets the last update date.

    Raises DomainError (code: invalid) with the first validation error."""
    place = Place.objects.select_for_update().get(pk=place.pk)
    changes = {}
    for attribute in EDITABLE_FIELDS:
        if attribute in data and data[attribute] != getattr(place, attribute):
            changes[attribute] = [_jsonable(getattr(place, attribute)), _jsonable(data[attribute])]
            setattr(place, attribute, data[attribute])
    if not changes:
        return place
    if "opening_hours" in changes:
        place.opening_hours_valid = not place.opening_hours or standard_io.check_opening_hours(
            place.opening_hours
        )
        flags = [flag for flag in place.review_flags if flag != Place.ReviewFlag.OPENING_HOURS]
        if not place.opening_hours_valid:
            flags.append(Place.ReviewFlag.OPENING_HOURS.value)
        place.review_flags = flags
    now = timezone.now()
    # The date is hand-set too: an older file must not turn it back.
    place.hub_edited_fields = sorted({*place.hub_edited_fields, *changes, "source_updated_on"})
    place.hub_edited_at = now
    place.source_updated_on = timezone.localdate(now)
    place.review_flags = [
        flag for flag in place.review_flags if flag != Place.ReviewFlag.EPOCH_DATE
    ]
    try:
        place.full_clean()
    except Exception as error:
        messages = getattr(error, "messages", [str(error)])
        raise DomainError(messages[0], code="invalid") from error
    place.save()
    PlaceChange.objects.create(place=place, user=user, changes=changes)
    return place


def export_rows(places, *, public: bool = False) -> Iterator[dict[str, str]]:
    for place in places:
        row = standard_io.place_to_row(place)
        if public:
            row.update(dict.fromkeys(standard_io.WITHHELD_FROM_PUBLIC, ""))
        yield row


def export_csv_rows(places, *, public: bool = False) -> Iterator[list[str]]:
    """The standard's cells in its column order, for `core.exports` (which neutralises them)."""
    names = standard.field_names()
    for row in export_rows(places, public=public):
        yield [row.get(name, "") for name in names]


def export_text(places, *, file_format: str, public: bool = False) -> str:
    buffer = io.StringIO()
    if file_format == "json":
        json.dump(list(export_rows(places, public=public)), buffer, ensure_ascii=False, indent=1)
    else:
        exports.csv_write(
            buffer,
            header=standard.field_names(),
            rows=export_csv_rows(places, public=public),
            spreadsheet=False,
        )
    return buffer.getvalue()


def orientation_fiche_send(
    *, place_pk: int, service: str, email: str, sender_pk: int | None
) -> None:
    """Email a fiche d'orientation (text, HTML and the PDF). Sending twice is harmless."""
    from core.mail import Attachment, send_templated_email

    from . import hours, orientation
    from .pdf import fiche_pdf

    place = Place.objects.filter(pk=place_pk).first()
    if place is None:
        return
    context = {
        "place": place,
        "service": service,
        "bring": orientation.what_to_bring(service) if service else [],
        "hours_status": hours.status(place.opening_hours),
        "week": hours.week(place.opening_hours),
        "printed_on": timezone.localdate(),
    }
    send_templated_email(
        template="directory_orientation_fiche",
        to=[email],
        context=context,
        attachments=[
            Attachment(f"fiche-orientation-{place.pk}.pdf", fiche_pdf(context), "application/pdf")
        ],
    )


def membership_add(*, user, organisation: Organisation, is_manager: bool) -> StructureMembership:
    """Make `user` a member (or manager) of `organisation`; idempotent."""
    membership, created = StructureMembership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"is_manager": is_manager}
    )
    if not created and membership.is_manager != is_manager:
        membership.is_manager = is_manager
        membership.save(update_fields=["is_manager"])
    return membership


# Fields a merge never copies: identity, bookkeeping, and what the merge itself sets.
_MERGE_SKIPPED_FIELDS = {
    "id",
    "identifier",
    "created_at",
    "updated_at",
    "opening_hours_valid",
    "review_flags",
    "hub_edited_fields",
    "hub_edited_at",
}


def _is_empty(value) -> bool:
    return value is None or value == "" or value == []


def _unique_sets(model) -> list[set[str]]:
    """The unconditional unique sets of `model`, as attribute names."""
    names = {field.name: field.attname for field in model._meta.concrete_fields}
    sets = [{field.attname} for field in model._meta.concrete_fields if field.unique]
    sets += [{names[name] for name in fields} for fields in model._meta.unique_together]
    sets += [
        {names[name] for name in constraint.fields}
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint)
        and constraint.condition is None
        and constraint.fields
    ]
    return sets


def _links_to(model) -> list[tuple[type, str, bool]]:
    """Every (model, foreign key attribute, is_link_table) that points to `model`: found from
    the model's relations so that apps above the directory are covered without importing
    them. Many-to-many relations are reached through their link table."""
    links = []
    for relation in model._meta.related_objects:
        if relation.many_to_many:
            through = relation.through
            for field in through._meta.concrete_fields:
                if field.is_relation and field.related_model is model:
                    links.append((through, field.attname, through._meta.auto_created))
        else:
            links.append((relation.related_model, relation.field.attname, False))
    return links


def _repoint(*, model, remove_pk, keep_pk) -> None:
    """Make every row pointing to `remove_pk` point to `keep_pk`. A link-table row that would
    duplicate one of `keep_pk` is dropped; any other clash refuses the merge (DomainError,
    code: conflict) rather than delete data."""
    for related, attname, is_link_table in _links_to(model):
        manager = related._base_manager
        for unique in _unique_sets(related):
            if attname not in unique:
                continue
            others = sorted(unique - {attname})
            kept_rows = manager.filter(**{attname: keep_pk})
            removed_rows = manager.filter(**{attname: remove_pk})
            if others:
                kept = set(kept_rows.values_list(*others))
                clashing = [
                    values for values in removed_rows.values_list(*others) if values in kept
                ]
            else:
                clashing = [()] if kept_rows.exists() and removed_rows.exists() else []
            if not clashing:
                continue
            if not is_link_table:
                raise DomainError(
                    _("Fusion impossible : « %(model)s » lie déjà les deux fiches.")
                    % {"model": related._meta.verbose_name},
                    code="conflict",
                )
            for values in clashing:
                manager.filter(
                    **{attname: remove_pk}, **dict(zip(others, values, strict=True))
                ).delete()
        manager.filter(**{attname: remove_pk}).update(**{attname: keep_pk})


def _organisation_merge(*, keep: Organisation, remove: Organisation) -> None:
    """Fold a structure left without places into the kept place's structure: its members
    (a manager stays a manager), bookings, trainings… follow."""
    for membership in StructureMembership.objects.filter(organisation=remove):
        existing = StructureMembership.objects.filter(
            organisation=keep, user_id=membership.user_id
        ).first()
        if existing is None:
            continue
        if membership.is_manager and not existing.is_manager:
            existing.is_manager = True
            existing.save(update_fields=["is_manager"])
        membership.delete()
    _repoint(model=Organisation, remove_pk=remove.pk, keep_pk=keep.pk)
    if not keep.siret and remove.siret:
        keep.siret = remove.siret
        keep.save(update_fields=["siret", "updated_at"])
    remove.delete()


@transaction.atomic
def place_merge(*, keep: Place, remove: Place, user) -> Place:
    """Merge two fiches of the same place: everything that points to `remove` (sessions,
    equipment, history, and any later app's links) is moved to `keep`, the empty fields of
    `keep` are filled from `remove`, a structure left without places is folded into the kept
    one, the merge is recorded in the history and `remove` is deleted.

    Raises DomainError (codes: same_place, conflict, invalid); nothing is written then."""
    if keep.pk == remove.pk:
        raise DomainError(_("Impossible de fusionner un lieu avec lui-même."), code="same_place")
    locked = {
        place.pk: place
        for place in Place.objects.select_for_update()
        .filter(pk__in=[keep.pk, remove.pk])
        .order_by("pk")
    }
    if len(locked) != 2:
        raise DomainError(_("L'une des deux fiches n'existe plus."), code="not_found")
    keep, remove = locked[keep.pk], locked[remove.pk]
    changes: dict[str, list] = {
        "fusion": [f"{remove.name} ({remove.identifier})", f"{keep.name} ({keep.identifier})"]
    }
    for model_field in Place._meta.concrete_fields:
        if model_field.name in _MERGE_SKIPPED_FIELDS:
            continue
        attname = model_field.attname
        if _is_empty(getattr(keep, attname)) and not _is_empty(getattr(remove, attname)):
            value = getattr(remove, attname)
            changes[model_field.name] = [None, _jsonable(value)]
            setattr(keep, attname, value)
            if attname == "opening_hours":
                keep.opening_hours_valid = remove.opening_hours_valid
    removed_organisation = remove.organisation
    _repoint(model=Place, remove_pk=remove.pk, keep_pk=keep.pk)
    remove.delete()
    if (
        removed_organisation is not None
        and keep.organisation_id
        and removed_organisation.pk != keep.organisation_id
        and not removed_organisation.places.exists()
    ):
        _organisation_merge(keep=keep.organisation, remove=removed_organisation)
    filled = [name for name in changes if name not in ("fusion", "organisation")]
    if filled:
        keep.hub_edited_fields = sorted({*keep.hub_edited_fields, *filled})
        keep.hub_edited_at = timezone.now()
    try:
        keep.full_clean()
    except Exception as error:
        messages = getattr(error, "messages", [str(error)])
        raise DomainError(messages[0], code="invalid") from error
    keep.save()
    PlaceChange.objects.create(place=keep, user=user, changes=changes)
    audit_log(
        instance=keep,
        action="directory.place_merge",
        user=user,
        data={"comment": " → ".join(changes["fusion"])},
    )
    return keep
