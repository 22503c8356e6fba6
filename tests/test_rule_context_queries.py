"""The rule contexts the entry services read in their transaction (``progress_context``,
``disbursement_context``, ``indicator_value_context``), for every live record of the county demo, against a hand
computation over plain rows: what was done before an entry towards the target that applies, its repeat within
seven days; a disbursement's standard in force, overlapping record and previous roll; an indicator value's
overlapping value and last year's same period. One demo copy per engine, with a repeated entry, a repeated
disbursement and a repeated indicator value written around the services, serves the module."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest
from sqlmodel import Session

from data_layer.infra.db import get_engine
from data_layer.queries import indicator_context, rule_context
from tests.conftest import ENGINES, rows
from tests.shared_stores import shared_store, write_sql

COPIES = {
    "progressentry": "item_id, township_id, entry_date, quantity, amount_fen, note, is_demo, warning_note, "
    "created_by, created_at, deleted_at",
    "disbursement": "type_id, county_id, township_id, month_from, month_to, recipients, standard_fen, amount_fen, "
    "paid_date, note, is_demo, warning_note, created_by, created_at, deleted_at",
    "indicatorvalue": "indicator_id, county_id, township_id, period_start, period_end, value, note, is_demo, "
    "warning_note, created_by, created_at, deleted_at",
}


def repeats(url: str) -> None:
    statements = [
        f"INSERT INTO {t} ({cols}) SELECT {cols} FROM {t} WHERE id = (SELECT MAX(id) FROM {t})"
        for t, cols in COPIES.items()
    ]
    write_sql(url, statements)


@pytest.fixture(scope="module", params=ENGINES)
def url(request, tmp_path_factory):
    yield from shared_store(request, tmp_path_factory, "demo", repeats)


def d(text: str) -> date:
    return date.fromisoformat(text[:10])


def test_progress_context(url):
    entries = rows(
        url,
        "SELECT e.*, i.measure, i.annual_target FROM progressentry e JOIN projectitem i ON i.id = e.item_id "
        "WHERE e.deleted_at IS NULL",
    )
    own = {(t["item_id"], t["township_id"]): t["target"] for t in rows(url, "SELECT * FROM itemtownshiptarget")}
    value = lambda e: e["amount_fen"] / 100 if e["measure"] == "money" else e["quantity"]  # noqa: E731
    by_item = defaultdict(list)
    for e in entries:
        by_item[e["item_id"]].append(e)
    expected = {}
    for e in entries:
        key = (e["entry_date"], e["id"])
        before = [o for o in by_item[e["item_id"]] if (o["entry_date"], o["id"]) < key]
        split = (e["item_id"], e["township_id"]) in own
        done = sum(value(o) for o in before if not split or o["township_id"] == e["township_id"])
        same = [
            o["id"]
            for o in by_item[e["item_id"]]
            if o["id"] < e["id"]
            and o["township_id"] == e["township_id"]
            and (o["quantity"], o["amount_fen"]) == (e["quantity"], e["amount_fen"])
            and abs((d(o["entry_date"]) - d(e["entry_date"])).days) <= 7
        ]
        target = own[(e["item_id"], e["township_id"])] if split else e["annual_target"]
        expected[e["id"]] = (pytest.approx(done), target, split, max(same, default=None))
    assert any(r[3] for r in expected.values())  # the copy written above repeats its original
    with Session(get_engine(url)) as session:
        got = rule_context.progress_context(session, list(expected))
    assert {k: (c.done_before, c.target, c.township_target, c.repeat_of) for k, c in got.items()} == expected


def test_disbursement_context(url):
    found = rows(url, "SELECT * FROM disbursement WHERE deleted_at IS NULL")
    standards = defaultdict(list)
    for s in rows(url, "SELECT * FROM subsidystandard"):
        standards[s["type_id"]].append(s)
    units = defaultdict(list)
    for x in found:
        units[(x["type_id"], x["county_id"], x["township_id"])].append(x)
    expected = {}
    for x in found:
        unit = [o for o in units[(x["type_id"], x["county_id"], x["township_id"])] if o["id"] != x["id"]]
        in_force = [s for s in standards[x["type_id"]] if s["effective_from"] <= x["paid_date"]]
        standard = max(in_force, key=lambda s: s["effective_from"])["amount_fen"] if in_force else None
        overlaps = [
            o["id"]
            for o in unit
            if o["id"] < x["id"] and o["month_from"] <= x["month_to"] and o["month_to"] >= x["month_from"]
        ]
        earlier = [o for o in unit if o["month_to"] < x["month_from"]]
        previous = max(earlier, key=lambda o: (o["month_to"], o["id"]))["recipients"] if earlier else None
        expected[x["id"]] = (standard, max(overlaps, default=None), previous)
    assert any(r[1] for r in expected.values()) and any(r[2] for r in expected.values())
    with Session(get_engine(url)) as session:
        got = rule_context.disbursement_context(session, list(expected))
    assert {k: (c.standard_in_force_fen, c.overlap_of, c.previous_recipients) for k, c in got.items()} == expected


def year_before(day: date) -> date:
    return day.replace(year=day.year - 1, day=28 if (day.month, day.day) == (2, 29) else day.day)


def test_indicator_value_context(url):
    found = rows(url, "SELECT * FROM indicatorvalue WHERE deleted_at IS NULL")
    units = defaultdict(list)
    for v in found:
        units[(v["indicator_id"], v["county_id"], v["township_id"])].append(v)
    expected = {}
    for v in found:
        unit = units[(v["indicator_id"], v["county_id"], v["township_id"])]
        overlaps = [
            o["id"]
            for o in unit
            if o["id"] < v["id"] and o["period_start"] <= v["period_end"] and o["period_end"] >= v["period_start"]
        ]
        low, high = year_before(d(v["period_start"])), year_before(d(v["period_end"]))
        last = [o["value"] for o in unit if low <= d(o["period_start"]) <= high]
        expected[v["id"]] = (max(overlaps, default=None), sum(last), len(last))
    assert any(r[0] for r in expected.values()) and any(r[2] for r in expected.values())
    with Session(get_engine(url)) as session:
        got = indicator_context.indicator_value_context(session, list(expected))
    assert {k: (c.overlap_of, c.last_value, c.last_count) for k, c in got.items()} == expected
