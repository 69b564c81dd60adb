import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from directory import standard

DATA = Path(__file__).parent / "data"


REFERENCE = Path(__file__).parent / "reference"
NODE_DIR = Path(__file__).resolve().parents[2] / "var" / "node"
LIBRARY = NODE_DIR / "node_modules" / "@gouvfr-anct" / "lieux-de-mediation-numerique"


def _install_reference_library() -> str | None:
    """Install the pinned reference library into var/node (not committed); the reason it
    could not be, or None."""
    wanted = json.loads((REFERENCE / "package.json").read_text())["dependencies"]
    if (LIBRARY / "package.json").is_file():
        installed = json.loads((LIBRARY / "package.json").read_text())["version"]
        if installed == wanted["@gouvfr-anct/lieux-de-mediation-numerique"]:
            return None
    if not shutil.which("npm") or not shutil.which("node"):
        return "node ou npm absent de la machine"
    NODE_DIR.mkdir(parents=True, exist_ok=True)
    shutil.copy(REFERENCE / "package.json", NODE_DIR / "package.json")
    try:
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(NODE_DIR)],
            check=True,
            capture_output=True,
            timeout=300,
        )
    except (subprocess.SubprocessError, OSError) as error:
        return f"npm injoignable ({error})"
    return None


@pytest.fixture(scope="session")
def reference_library():
    """`check(rows)`: the rows the standard's reference library refuses, with its message
    (`fromSchemaLieuDeMediationNumerique` run by node on every row)."""
    reason = _install_reference_library()
    if reason:
        pytest.skip(f"Bibliothèque de référence du standard non installée : {reason}")

    def check(rows: list[dict]) -> list[dict]:
        result = subprocess.run(
            ["node", str(REFERENCE / "check.cjs")],
            input=json.dumps(rows, ensure_ascii=False),
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
            env={**os.environ, "NODE_PATH": str(NODE_DIR / "node_modules")},
        )
        return json.loads(result.stdout)

    return check


def frictionless_errors(rows: list[dict]) -> list:
    """The standard's table schema (frictionless) on JSON rows, absent fields as empty cells."""
    from frictionless import Resource, Schema

    descriptor = {key: value for key, value in standard.schema().items() if key != "resources"}
    names = standard.field_names()
    table = [names, *([row.get(name) for name in names] for row in rows)]
    report = Resource(data=table, schema=Schema.from_descriptor(descriptor)).validate(
        limit_errors=50
    )
    return report.flatten(["rowNumber", "fieldName", "type", "note"])
