"""Stored text that a spreadsheet would run as a formula (typed in a form or imported: an article titled
=HYPERLINK("http://evil.invalid/x","点我领补贴")) leaves every workbook as text and every CSV with a leading '
(OWASP's CSV-injection rule). Every cell of every workbook the app writes is checked: no formula cell."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pandas as pd
import pytest
from openpyxl import load_workbook

from data_layer import access, views
from data_layer.documents import article_workbooks, employer_workbooks
from data_layer.domain.scope import FilterSpec, make_scope
from data_layer.export import inert, to_csv, to_xlsx
from data_layer.queries import article_ledger, levy_records
from data_layer.queries import employers as registry_q
from data_layer.queries.publicity import LEVEL_LABELS
from data_layer.views.levy_lists import assessments_workbook
from pages.common.downloads import excel_bytes
from tests.conftest import rows
from tests.test_levy_queries import execute

EVIL = '=HYPERLINK("http://evil.invalid/x","点我领补贴")'
STARTS = [EVIL, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", "\t=1+1", "\r=1+1"]
TAKEN = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
SPEC = FilterSpec(2023, "all")


def formula_cells(data: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(data))
    return [
        f"{ws.title}!{c.coordinate}"
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    ]


def texts(data: bytes) -> set[str]:
    book = load_workbook(io.BytesIO(data))
    return {c.value for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)}


def test_a_cell_that_would_run_is_text_in_the_workbook_and_quoted_in_the_csv():
    table = pd.DataFrame({"标题": [*STARTS[:5], "−12.5", "-12.5", "+3%", "普通标题"], "数": range(9)})
    data = to_xlsx(table, title="台账", filter_label="全县", taken_at=TAKEN)
    assert formula_cells(data) == []
    assert set(STARTS[:5]) <= texts(data)  # kept exactly as stored, as text
    written = pd.read_csv(io.BytesIO(to_csv(table)), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(written["标题"]) == ["'" + s for s in STARTS[:5]] + ["−12.5", "-12.5", "+3%", "普通标题"]
    assert inert("\r=1+1") == "'\r=1+1"
    assert inert(-5) == -5 and inert("-5") == "-5"  # numbers stay numbers


@pytest.fixture
def poisoned(make_store) -> str:
    """The demo with formula-like text wherever a person types or imports a name or a title (files are written
    from what queries return: one engine is enough here)."""
    demo_url = make_store("demo", "sqlite")

    def named(table: str, column: str, value: str) -> str:
        quoted = value.replace("'", "''")
        return f"UPDATE {table} SET {column} = '{quoted}' WHERE id = (SELECT MIN(id) FROM {table})"

    execute(
        demo_url,
        named("article", "title", EVIL),
        named("employer", "name", STARTS[1]),
        named("outlet", "name", STARTS[3]),
        named("township", "name", STARTS[2]),
        named("projectitem", "name", STARTS[4]),
    )
    return demo_url


def test_no_workbook_the_app_writes_holds_a_formula(poisoned):
    url = poisoned
    view = access.view(url, None, SPEC, date(2026, 12, 7))
    scope = make_scope(SPEC)
    books = {
        name: excel_bytes(getattr(views, name).build(view))
        for name in ("overview", "projects", "subsidies", "levy", "publicity", "other_work", "quality", "sources")
    }
    books["台账"] = article_workbooks.ledger_workbook(
        article_ledger.ledger(url, scope), levels=LEVEL_LABELS, filter_label="全县", taken_at=TAKEN
    )
    books["名录"] = employer_workbooks.registry_workbook(
        registry_q.registry(url, scope, ""), filter_label="全县", taken_at=TAKEN
    )
    outlets = [r["name"] for r in rows(url, "SELECT name FROM outlet ORDER BY id")]
    towns = [r["name"] for r in rows(url, "SELECT name FROM township ORDER BY id")]
    books["台账模板"] = article_workbooks.template_workbook(outlets, towns)
    books["名录模板"] = employer_workbooks.template_workbook(towns)
    books["核定"] = assessments_workbook(
        levy_records.assessments(url, scope, 2023, date(2026, 12, 7)), 2023, "全县", TAKEN
    )[1]
    for name, data in books.items():
        assert formula_cells(data) == [], name
    every_text = set().union(*(texts(data) for data in books.values()))
    assert {EVIL, STARTS[1], STARTS[2], STARTS[3]} <= every_text  # the poisoned names did reach the files


def test_no_board_csv_runs_a_formula(poisoned):
    from data_layer.export import table_csv

    view = access.view(poisoned, None, SPEC, date(2026, 12, 7))
    for name in ("subsidies", "publicity", "projects"):
        board = getattr(views, name).build(view)
        for table in board.tables:
            written = table_csv(table).decode("utf-8-sig")
            cells = [c for line in written.splitlines() for c in line.split(",")]
            assert not [c for c in cells if c.strip('"').startswith(("=", "@"))], (name, table.title)
