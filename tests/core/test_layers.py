"""Each kind of code stays in its room (DESIGN §3, issue 13): selectors never import services,
views never enqueue a task themselves (a service does, after commit), and no handler swallows
every exception. Read from the source tree, so a new file is checked the day it is added."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIPPED = {".venv", "tests", "migrations", "node_modules", "bench", "var"}
VIEW_MODULES = {"views.py", "admin_views.py", "wagtail_hooks.py", "api.py"}


def project_modules():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if not SKIPPED.intersection(parts) and not parts[0].startswith("."):
            yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(ROOT)}:{node.lineno}"


def test_there_is_something_to_check():
    names = {path.name for path, _tree in project_modules()}
    assert {"selectors.py", "views.py", "services.py"} <= names


def test_selectors_never_import_services():
    offending = [
        where(path, node)
        for path, tree in project_modules()
        if "selectors" in path.parts[-1] or "selectors" in path.parts
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        and (
            "services" in (node.module or "").split(".")
            or any(alias.name == "services" for alias in node.names)
        )
    ]
    assert offending == []


def test_views_never_enqueue_tasks():
    offending = [
        where(path, node)
        for path, tree in project_modules()
        if path.name in VIEW_MODULES or "views" in path.parts
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in {"delay", "apply_async"}
    ]
    assert offending == [], "une vue appelle un service, qui met la tâche en file après commit"


def test_no_handler_catches_everything():
    offending = [
        where(path, node)
        for path, tree in project_modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.ExceptHandler)
        and (
            node.type is None
            or (isinstance(node.type, ast.Name) and node.type.id in {"Exception", "BaseException"})
        )
    ]
    assert offending == []
