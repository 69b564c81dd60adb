"""Territories: the communes, EPCI and départements shipped in `directory/data`."""

import csv
import gzip
from pathlib import Path

from django.db import transaction

from core.data_version import data_changed

from .. import geo
from ..models import Commune, Departement, Epci

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


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
    data_changed()
    return len(rows)
