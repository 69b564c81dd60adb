"""DESIGN §3: an app imports only apps below it, so that a lower app never needs a higher
one to load, test or reason about. Every import counts, including those inside functions."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Top first, as DESIGN §3 draws them; `core` and `taxonomy` are the common ground.
LAYERS = [
    ["portal"],
    ["api"],
    ["reports"],
    ["relay"],
    ["newsletter"],
    ["territory"],
    ["trainings"],
    ["peer_exchange"],
    ["numeritheque"],
    ["events"],
    ["directory"],
    ["accounts"],
    ["core", "taxonomy"],
]
RANK = {app: rank for rank, layer in enumerate(LAYERS) for app in layer}


def _apps(root: Path) -> list[str]:
    return sorted(path.parent.name for path in root.glob("*/apps.py"))


def _imported_apps(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
        else:
            continue
        for module in modules:
            yield node.lineno, module.split(".")[0]


def upward_imports(root: Path) -> list[str]:
    found = []
    for app in _apps(root):
        for path in sorted((root / app).rglob("*.py")):
            for line, imported in _imported_apps(path):
                if imported in RANK and imported != app and RANK[imported] <= RANK[app]:
                    found.append(f"{path.relative_to(root)}:{line} imports {imported}")
    return found


def test_every_app_has_its_place_in_the_layers():
    assert [app for app in _apps(ROOT) if app not in RANK] == []


def test_no_app_imports_a_higher_or_sibling_app():
    assert upward_imports(ROOT) == []


def test_the_check_sees_an_upward_import(tmp_path):
    """The scan itself works: a lower app importing `portal` (even inside a function) and a
    sibling import are both reported; relative imports are the app's own."""
    for app, source in (
        ("events", "def load(context):\n    from portal.demo import add_menu_link\n"),
        ("core", "import taxonomy.models\nfrom . import x\nimport django\n"),
        ("portal", "from events import demo\n"),
    ):
        (tmp_path / app).mkdir()
        (tmp_path / app / "apps.py").write_text("")
        (tmp_path / app / "x.py").write_text(source)
    assert upward_imports(tmp_path) == [
        "core/x.py:1 imports taxonomy",
        "events/x.py:2 imports portal",
    ]
