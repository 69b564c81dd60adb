"""Commune codes of earlier years mapped onto today's communes (data/anciens_codes.csv, built by
scripts/territory_anciens_codes.py from @etalab/decoupage-administratif)."""

import csv
import functools
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@functools.cache
def former_codes() -> dict[str, str]:
    """Former INSEE code → today's commune that absorbed it."""
    with (DATA / "anciens_codes.csv").open(encoding="utf-8") as handle:
        return {row["ancien_code"]: row["code_actuel"] for row in csv.DictReader(handle)}
