"""Time the import of 20,000 places of the standard on a throw-away test database.

Run: .venv/bin/python bench/import_lieux.py [ROWS]   (DATABASE_URL picks SQLite or PostgreSQL)"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402


def make_file(count: int) -> bytes:
    lines = [
        "id,pivot,nom,commune,code_postal,code_insee,adresse,latitude,longitude,horaires,"
        "date_maj,services,frais_a_charge"
    ]
    for n in range(count):
        lines.append(
            f"lieu-{n},{21350000000000 + n},Lieu {n},Rennes,35000,35238,{n} rue de Brest,"
            f'48.{n % 1000:03d},-1.6{n % 97:02d},"Mo-Fr 09:00-12:00,14:00-17:00",2025-01-01,'
            "Aide aux démarches administratives|Accès internet et matériel informatique,Gratuit"
        )
    return "\n".join(lines).encode()


def main() -> None:
    from directory.services import places_import

    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    data = make_file(rows)
    name = connection.creation.create_test_db(verbosity=0)
    try:
        for label in ("création", "réimport inchangé"):
            started = time.monotonic()
            report = places_import(data=data)
            print(
                f"{label}: {rows} lignes en {time.monotonic() - started:.1f} s "
                f"({report.created} créés, {report.unchanged} inchangés, "
                f"{len(report.rejected)} rejetés) sur {connection.vendor}"
            )
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
