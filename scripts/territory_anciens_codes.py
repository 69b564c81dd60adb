"""Build territory/data/anciens_codes.csv (former commune code → today's commune) from the
`anciensCodes` of @etalab/decoupage-administratif's communes.json.

    npm pack @etalab/decoupage-administratif@6.0.0 && tar xzf etalab-decoupage-administratif-6.0.0.tgz
    python scripts/territory_anciens_codes.py package/data/communes.json
"""

import csv
import json
import sys
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent.parent / "territory" / "data" / "anciens_codes.csv"


def main(source: str) -> None:
    communes = json.loads(Path(source).read_text(encoding="utf-8"))
    current = {c["code"] for c in communes if c["type"] == "commune-actuelle"}
    targets: dict[str, set[str]] = {}
    for commune in communes:
        if commune["type"] != "commune-actuelle":
            continue
        for former in commune.get("anciensCodes", []):
            if former not in current:
                targets.setdefault(former, set()).add(commune["code"])
    with OUTPUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["ancien_code", "code_actuel"])
        # A former code split between two of today's communes has no single answer: left out,
        # so that an indicator row carrying it is reported rather than guessed.
        for former in sorted(targets):
            if len(targets[former]) == 1:
                writer.writerow([former, next(iter(targets[former]))])
    print(f"{OUTPUT}: {sum(len(t) == 1 for t in targets.values())} codes")  # noqa: T201


if __name__ == "__main__":
    main(sys.argv[1])
