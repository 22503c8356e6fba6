"""The SQL forms of the soft rules (data_layer/queries/rule_context.py, indicator_context.py, article_context.py):
each row of a table of contexts is evaluated as SQL on both engines and must warn exactly where the Python rule
of data_layer/domain/rules.py does (itself tested row by row in tests/test_rules_table.py); and the SQL helpers
(months covered, ``max(x, 0)``, the township equality, the standard in force) against hand-computed rows."""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, fields, replace
from datetime import date

import pytest
from sqlalchemy import Boolean, Date, Float, Integer, String, bindparam, literal, select

from data_layer.domain import rules
from data_layer.infra.db import get_engine
from data_layer.queries import article_context, indicator_context, rule_context
from tests.conftest import ENGINES
from tests.shared_stores import shared_store
from tests.test_rules_table import ARTICLE, DISBURSEMENT, INDICATOR, PROGRESS

D = date
LATER_STANDARD = (1, "2023-07-01", 3500)  # a second standard of type 1, from July 2023


def later_standard(url: str) -> None:
    sql = "INSERT INTO subsidystandard (type_id, effective_from, amount_fen, note) VALUES (?, ?, ?, '')"
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            conn.execute(sql, LATER_STANDARD)
        return
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        conn.execute(sql.replace("?", "%s"), LATER_STANDARD)


@pytest.fixture(scope="module", params=ENGINES)
def url(request, tmp_path_factory):
    yield from shared_store(request, tmp_path_factory, "reference", later_standard)


TYPES = {bool: Boolean, int: Integer, float: Float, str: String, date: Date}


def columns(values: dict, types: dict):
    """A one-row subquery with a column per value, typed from the context's annotations."""
    cols = [literal(v, TYPES[types[k]]).label(k) for k, v in values.items()]
    return select(*cols).subquery()


def annotated(kind) -> dict:
    plain = {"int": int, "float": float, "str": str, "bool": bool, "date": date}
    return {f.name: plain[str(f.type).split(" ")[0]] for f in fields(kind)}


def evaluate(url: str, stmt, params: dict | None = None):
    with get_engine(url).connect() as conn:
        return conn.execute(stmt, params or {}).scalar()


# --- progress ---------------------------------------------------------------------------------------------------

PROGRESS_ROWS = [
    {},
    {"amount_fen": 49_990},
    {"amount_fen": 50_000},
    {"amount_fen": 200_010},
    {"quantity": 0, "amount_fen": 0, "value": 0},
    {"amount_fen": 0},
    {"amount_fen": 0, "records_money": False},
    {"amount_fen": 0, "measure": "money"},
    {"cost_min_fen": None, "amount_fen": 1},
    {"value": 200, "quantity": 200, "amount_fen": 2_000_000},
    {"value": 201, "quantity": 201, "amount_fen": 2_010_000},
    {"done_before": 95},
    {"done_before": 96},
    {"done_before": 150},  # beyond the target: nothing left
    {"done_before": 96, "township_target": False},  # the item's count, not the township's
    {"target": 0, "value": 10_000, "quantity": 10_000, "amount_fen": 100_000_000},
    {"repeat_of": 7, "repeat_date": D(2023, 4, 30)},
]


@pytest.mark.parametrize("changes", PROGRESS_ROWS)
def test_progress_warned_agrees_with_the_rule(url, changes):
    c = replace(PROGRESS, **changes)
    types = annotated(type(c)) | {"done_item": float, "done_township": float}
    values = asdict(c)
    # the statement keeps both counts and picks by township_target; give the other one a value that would differ
    done, other = c.done_before, 0.0 if c.done_before else 1_000.0
    values |= (
        {"done_township": done, "done_item": other}
        if c.township_target
        else {"done_item": done, "done_township": other}
    )
    sub = columns({k: v for k, v in values.items() if k != "done_before"}, types)
    assert bool(evaluate(url, select(rule_context.progress_warned(sub.c)))) is bool(rules.progress_warnings(c))


# --- disbursements ----------------------------------------------------------------------------------------------

DISBURSEMENT_ROWS = [
    {},
    {"amount_fen": 1_499_999},
    {"basis": "payment", "amount_fen": 500_000},
    {"basis": "payment"},
    {"month_from": D(2022, 11, 1), "amount_fen": 2_500_000},  # across the year: 5 months
    {"month_from": D(2022, 11, 1)},
    {"standard_in_force_fen": 6_000},
    {"standard_in_force_fen": None},
    {"overlap_of": 9, "overlap_from": D(2023, 3, 1), "overlap_to": D(2023, 5, 1)},
    {"recipients": 120, "amount_fen": 1_800_000},
    {"recipients": 121, "amount_fen": 1_815_000},
    {"recipients": 79, "amount_fen": 1_185_000},
    {"recipients": 121, "amount_fen": 1_815_000, "payment": "once"},
    {"recipients": 121, "amount_fen": 1_815_000, "previous_recipients": None},
    {"recipients": 121, "amount_fen": 1_815_000, "previous_recipients": 0},
    {"recipients": 121, "amount_fen": 1_815_000, "jump_share": 0.25},
]


@pytest.mark.parametrize("changes", DISBURSEMENT_ROWS)
def test_disbursement_warned_agrees_with_the_rule(url, changes):
    c = replace(DISBURSEMENT, **changes)
    values = {k: v for k, v in asdict(c).items() if k != "jump_share"}
    sub = columns(values, annotated(type(c)))
    stmt = select(rule_context.disbursement_warned(sub.c, sub.c.previous_recipients))
    warned = evaluate(url, stmt, {"jump_share": c.jump_share})
    assert bool(warned) is bool(rules.disbursement_warnings(c))


# --- indicator values and articles -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"value": 501},
        {"value": 501, "last_value": 0, "last_count": 0},
        {"overlap_of": 3, "overlap_start": D(2023, 6, 1), "overlap_end": D(2023, 12, 31), "overlap_value": 7},
    ],
)
def test_value_warned_agrees_with_the_rule(url, changes):
    c = replace(INDICATOR, **changes)
    sub = columns(asdict(c), annotated(type(c)))
    assert bool(evaluate(url, select(indicator_context.value_warned(sub.c)))) is bool(rules.indicator_warnings(c))


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"published_on": D(2023, 5, 1)},
        {"first_used_on": None, "published_on": D(2000, 1, 1)},
        {"same_title_of": 4},
        {"same_link_of": 5},
    ],
)
def test_article_warned_agrees_with_the_rule(url, changes):
    c = replace(ARTICLE, **changes)
    sub = columns(asdict(c), annotated(type(c)))
    assert bool(evaluate(url, select(article_context.article_warned(sub.c)))) is bool(rules.article_warnings(c))


# --- the SQL helpers ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("month_from", "month_to", "months"),
    [
        (D(2023, 1, 1), D(2023, 1, 1), 1),
        (D(2023, 1, 1), D(2023, 12, 1), 12),
        (D(2022, 12, 1), D(2023, 1, 1), 2),
        (D(2022, 1, 1), D(2023, 12, 31), 24),
        (D(2023, 4, 1), D(2023, 3, 1), 0),
    ],
)
def test_months_between_in_sql(url, month_from, month_to, months):
    stmt = select(rule_context.months_between(literal(month_from, Date), literal(month_to, Date)))
    assert int(evaluate(url, stmt)) == months == rules.months_between(month_from, month_to)


@pytest.mark.parametrize(("value", "positive"), [(5, 5), (1, 1), (0, 0), (-1, 0), (-300, 0)])
def test_positive_part(url, value, positive):
    assert evaluate(url, select(rule_context.positive_part(literal(value, Integer)))) == positive


@pytest.mark.parametrize(
    ("a", "b", "same"), [(1, 1, True), (1, 2, False), (None, None, True), (None, 1, False), (2, None, False)]
)
def test_same_township(url, a, b, same):
    dialect = get_engine(url).dialect.name
    stmt = select(rule_context.same_township(dialect, literal(a, Integer), literal(b, Integer)))
    assert bool(evaluate(url, stmt)) is same


@pytest.mark.parametrize(
    ("type_id", "on", "standard"),
    [
        (1, D(2019, 12, 31), None),  # before any standard
        (1, D(2020, 1, 1), 3000),  # its first day
        (1, D(2023, 6, 30), 3000),
        (1, D(2023, 7, 1), 3500),  # the later one, from its first day
        (1, D(2024, 1, 1), 3500),
        (2, D(2023, 7, 1), 5000),  # another type keeps its own
        (99, D(2023, 7, 1), None),
    ],
)
def test_standard_in_force(url, type_id, on, standard):
    stmt = rule_context.standard_in_force(bindparam("t", type_id, Integer), bindparam("on", on, Date))
    assert evaluate(url, stmt) == standard
