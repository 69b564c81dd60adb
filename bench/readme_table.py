"""Print the README's table of a results file (bench/results/full.json by default), so that
the README never disagrees with the measure it reports.

    .venv/bin/python bench/readme_table.py [FILE]"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def number(value) -> str:
    if value is None:
        return "—"
    text = f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    return text.replace(",", "\u202f").replace(".", ",")


def table(results: dict) -> str:
    lines = [
        "| id | valeur | référence | ratio | objectif | atteint |",
        "|---|---|---|---|---|---|",
    ]
    for figure in results["figures"]:
        baseline = f"{number(figure['baseline'])} ({figure.get('baseline_name') or '—'})"
        value = f"{number(figure['value'])} {figure['unit']}"
        if figure.get("peak_mb") is not None:
            value += f", {number(figure['peak_mb'])} Mo"
        met = {True: "oui", False: "non", None: "—"}[figure.get("met")]
        if figure.get("measured"):  # not measured by this run: said, with its origin
            met += " ¹"
        lines.append(
            f"| `{figure['id']}` | {value} | {baseline} | ×{number(figure['ratio'])} "
            f"| ≤ {number(figure['goal'])} | {met} |"
        )
    origins = sorted(
        {figure["measured"] for figure in results["figures"] if figure.get("measured")}
    )
    if origins:
        lines += ["", "¹ non mesuré par cette exécution : " + " ; ".join(origins) + "."]
    return "\n".join(lines)


if __name__ == "__main__":
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "bench" / "results" / "full.json"
    print(table(json.loads(path.read_text())))
