"""The layers, read from the imports themselves: pure rules import nothing of the store; the read layer imports
neither the writes nor the checks; the infrastructure knows nothing of reads, writes or boards; a board page draws
its board and stays short."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BOARD_PAGES = ("overview", "projects", "subsidies", "levy", "publicity", "other_work", "quality", "sources")


def imports(path: Path) -> set[str]:
    """Every module ``path`` imports (``from data_layer import x`` as data_layer.x), at any depth."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return found


def modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


RULES = [  # (folder, what it must not import, why)
    (
        "data_layer/domain",
        (
            "data_layer.queries",
            "data_layer.services",
            "data_layer.checks",
            "data_layer.views",
            "data_layer.infra",
            "data_layer.models",
            "data_layer.documents",
            "sqlalchemy",
            "sqlmodel",
            "streamlit",
        ),
        "pure rules and words: no store, no pages",
    ),
    ("data_layer/queries", ("data_layer.services", "data_layer.checks", "data_layer.views"), "reads never write"),
    ("data_layer/checks", ("data_layer.services", "data_layer.views"), "checks read through queries and rules"),
    (
        "data_layer/infra",
        ("data_layer.queries", "data_layer.services", "data_layer.checks", "data_layer.views"),
        "infrastructure knows nothing of what is stored",
    ),
    ("pages", ("sqlalchemy", "sqlmodel", "data_layer.infra.db"), "pages never hold SQL"),
    # what a page reads is scoped by the data layer from the account (data_layer/access.py), never by the page
    ("pages", ("data_layer.domain.scope.make_scope", "data_layer.access.scope"), "a page never builds a scope"),
]


@pytest.mark.parametrize(("folder", "forbidden", "why"), RULES, ids=[f"{r[0]}: {r[2]}" for r in RULES])
def test_no_layer_imports_what_it_must_not(folder, forbidden, why):
    wrong = [
        f"{path.relative_to(ROOT)} → {name}"
        for path in modules(folder)
        for name in sorted(imports(path))
        if name.startswith(forbidden)
        # the store's start-up seeds an empty store through the app's own services (STYLE.md: seeds write
        # through the same functions the app uses)
        and not (path.name == "store.py" and name.startswith(("data_layer.auth", "seeds")))
    ]
    assert wrong == [], f"{why}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("page", [*BOARD_PAGES, "meeting"])
def test_a_board_page_is_layout(page):
    """A board page lays its board out: at most 200 lines, and no query of its own (the meeting page reads the
    stored packs, which are not a board)."""
    path = ROOT / "pages" / f"{page}.py"
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 200
    if page != "meeting":
        assert not [n for n in imports(path) if n.startswith("data_layer.queries")], page
