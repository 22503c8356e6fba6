"""The smaller reads of data_layer/queries/ (projects, org, subsidies, articles, publicity, work_report,
provenance, levy, reporting, indicators, _sql), each against a hand count over the rows a plain SELECT returns
or, for the pure steps, a table of rows. One copy of the county demo per engine serves the module; it is written
once (a few records confirmed over a warning, one in the 回收站) and then only read."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Integer, String, literal, select

from data_layer.domain.scope import FilterSpec, Scope, make_scope
from data_layer.infra.db import get_engine
from data_layer.queries import (
    articles,
    indicators,
    levy,
    org,
    projects,
    provenance,
    publicity,
    reporting,
    subsidies,
    work_report,
)
from data_layer.queries._sql import plain_number, with_township_ids
from tests.conftest import ENGINES, person, rows
from tests.shared_stores import shared_store, write_sql
from tests.test_levy_queries import employer_years

D = date


def notes(url: str) -> None:
    statements = [
        "UPDATE disbursement SET warning_note = '已核实' WHERE id IN (SELECT id FROM disbursement ORDER BY id LIMIT 3)",
        "UPDATE article SET warning_note = '转载' WHERE id IN (SELECT id FROM article ORDER BY id DESC LIMIT 2)",
        "UPDATE indicatorvalue SET warning_note = '补录' "
        "WHERE id IN (SELECT id FROM indicatorvalue ORDER BY id LIMIT 2)",
        "UPDATE article SET deleted_at = CURRENT_TIMESTAMP WHERE id = (SELECT MIN(id) FROM article)",
        "UPDATE disbursement SET deleted_at = CURRENT_TIMESTAMP WHERE id = "
        "(SELECT MIN(id) FROM disbursement WHERE paid_date BETWEEN '2023-01-01' AND '2023-12-31')",
    ]
    write_sql(url, statements)


@pytest.fixture(scope="module", params=ENGINES)
def url(request, tmp_path_factory):
    yield from shared_store(request, tmp_path_factory, "demo", notes)


def town(url: str, name: str = "鲁村镇") -> int:
    return rows(url, "SELECT id FROM township WHERE name = ?", (name,))[0]["id"]


def scopes(url: str) -> list[Scope]:
    return [
        make_scope(FilterSpec(2023)),
        make_scope(FilterSpec(2023, "h1")),
        make_scope(FilterSpec(2023, "h2"), [town(url)]),
        make_scope(FilterSpec(2022)),
    ]


def inside(row: dict, day_column: str, scope: Scope) -> bool:
    units = not scope.township_ids or row["township_id"] in scope.township_ids
    return units and scope.start.isoformat() <= row[day_column][:10] <= scope.end.isoformat()


# --- projects ---------------------------------------------------------------------------------------------------


def test_township_targets_and_items_for_entry(url):
    targets = rows(
        url,
        "SELECT t.township_id, p.code AS p, i.code AS i, t.target, p.year FROM itemtownshiptarget t "
        "JOIN projectitem i ON i.id = t.item_id JOIN project p ON p.id = i.project_id",
    )
    for scope in scopes(url):
        expected = sorted(
            (t["township_id"], t["p"], t["i"], t["target"])
            for t in targets
            if t["year"] == scope.year and (not scope.township_ids or t["township_id"] in scope.township_ids)
        )
        got = projects.township_targets(url, scope)
        assert list(got.itertuples(index=False, name=None)) == expected
    assert expected

    items = rows(
        url,
        "SELECT i.id, p.county_id, p.year, i.annual_target, i.plan_start_month FROM projectitem i "
        "JOIN project p ON p.id = i.project_id ORDER BY p.county_id, p.sort_order, i.sort_order",
    )
    for year in (2022, 2023, 1999):
        got = projects.items_for_entry(url, year)
        mine = [i for i in items if i["year"] == year]
        assert list(got["item_id"]) == [i["id"] for i in mine]
        assert list(got["annual_target"]) == [i["annual_target"] for i in mine]
    assert projects.items_for_entry(url, 2023, (10**6,)).empty


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        (None, None, "全年"),
        (None, 6, "全年"),
        (1, 12, "全年"),
        (1, 6, "上半年"),
        (7, 12, "下半年"),
        (7, 7, "7月"),
        (3, 9, "3—9月"),
        (1, 11, "1—11月"),
    ],
)
def test_plan_label(start, end, label):
    assert projects.plan_label(start, end) == label


@pytest.mark.parametrize(
    ("measure", "quantity", "amount_fen", "value"),
    [("count", 3, 135_000, 3), ("money", 3, 135_000, 1350), ("money", 0, 50, 0.5), ("count", 0, 0, 0)],
)
def test_entry_value_in_sql(url, measure, quantity, amount_fen, value):
    stmt = select(
        projects.entry_value(literal(measure, String), literal(quantity, Integer), literal(amount_fen, Integer))
    )
    with get_engine(url).connect() as conn:
        assert float(conn.execute(stmt).scalar()) == value


# --- org ----------------------------------------------------------------------------------------------------------


def test_townships_in_scope_scope_area_and_acting_county(url):
    towns = rows(url, "SELECT id, name, county_id, active FROM township ORDER BY sort_order, id")
    county = rows(url, "SELECT id, name FROM county")[0]
    assert list(org.townships_in_scope(url, make_scope(FilterSpec(2023)))["township_id"]) == [t["id"] for t in towns]
    lu = town(url)
    assert list(org.townships_in_scope(url, make_scope(FilterSpec(2023), [lu]))["township_id"]) == [lu]
    assert org.townships_in_scope(url, make_scope(FilterSpec(2023), [], [10**6])).empty
    assert org.scope_area(url, make_scope(FilterSpec(2023))) == "全县"  # one county in the store
    assert org.scope_area(url, make_scope(FilterSpec(2023), [], [1, 2])) == "所选县区"
    assert org.scope_area(url, make_scope(FilterSpec(2023), [lu])) == "全县"

    acting = org.acting_county(url, person(), make_scope(FilterSpec(2023)))
    assert (acting.county_id, acting.name) == (county["id"], county["name"])
    assert acting.townships == {t["id"]: t["name"] for t in towns} == acting.offered
    officer = org.acting_county(url, person("乡镇", "township", township_id=lu), make_scope(FilterSpec(2023)))
    assert officer.offered == {lu: "鲁村镇"} and len(officer.townships) == len(towns)


def test_recent_writes(url):
    logged = rows(url, "SELECT actor, table_name, row_id, action FROM auditlog ORDER BY at DESC, id DESC")
    for actor, table in {(r["actor"], r["table_name"]) for r in logged}:
        expected = [
            r["row_id"] for r in logged if (r["actor"], r["table_name"], r["action"]) == (actor, table, "create")
        ]
        assert list(org.recent_writes(url, actor, table)["row_id"]) == expected[:3]
        assert list(org.recent_writes(url, actor, table, limit=10)["row_id"]) == expected[:10]
    assert org.recent_writes(url, "nobody", "article").empty


# --- subsidies, articles, publicity ---------------------------------------------------------------------------------


def test_disbursement_count_standards_and_standard_on(url):
    types = {t["id"]: t["code"] for t in rows(url, "SELECT id, code FROM subsidytype")}
    found = rows(url, "SELECT * FROM disbursement")
    for scope in scopes(url):
        for code in [None, *types.values()]:
            for deleted in (False, True):
                expected = sum(
                    1
                    for d in found
                    if inside(d, "paid_date", scope)
                    and (d["deleted_at"] is not None) is deleted
                    and (code is None or types[d["type_id"]] == code)
                )
                assert subsidies.disbursement_count(url, scope, code, deleted) == expected
    assert subsidies.disbursement_count(url, make_scope(FilterSpec(2023)), None, True) == 1
    standards = rows(url, "SELECT * FROM subsidystandard")
    table = subsidies.types_and_standards(url)
    assert sorted(zip(table["type_id"], table["standard_fen"], strict=True)) == sorted(
        (s["type_id"], s["amount_fen"]) for s in standards
    )
    for s in standards:
        first = date.fromisoformat(s["effective_from"])
        assert subsidies.standard_on(url, s["type_id"], first) == s["amount_fen"]
        assert subsidies.standard_on(url, s["type_id"], date(first.year - 1, 12, 31)) is None


def test_article_count_and_counts_by_township(url):
    found = rows(url, "SELECT * FROM article")
    outlets = sorted({a["outlet_id"] for a in found})
    for scope in scopes(url):
        for deleted in (False, True):
            live = [a for a in found if inside(a, "published_on", scope) and (a["deleted_at"] is not None) is deleted]
            assert articles.article_count(url, scope, deleted=deleted) == len(live)
            for outlet in outlets[:3]:
                mine = [a for a in live if a["outlet_id"] == outlet]
                assert articles.article_count(url, scope, outlet, deleted) == len(mine)
                if not deleted:
                    assert articles.counts_by_township(url, scope, outlet) == dict(
                        Counter(a["township_id"] for a in mine)
                    )


def test_outlet_usage(url):
    outlets = rows(url, "SELECT id FROM outlet ORDER BY sort_order, id")
    live = defaultdict(list)
    for a in rows(url, "SELECT outlet_id, published_on FROM article WHERE deleted_at IS NULL"):
        live[a["outlet_id"]].append(a["published_on"])
    got = publicity.outlet_usage(url)
    assert list(got["outlet_id"]) == [o["id"] for o in outlets]
    for r in got.itertuples():
        days = live[r.outlet_id]
        assert r.articles == len(days)
        assert (str(r.first_article), str(r.last_article)) == ((min(days), max(days)) if days else ("None", "None"))


# --- work_report, provenance ----------------------------------------------------------------------------------------


def test_confirmed_warnings(url):
    entries = rows(
        url,
        "SELECT e.entry_date, e.township_id, e.warning_note, e.deleted_at, p.code AS p, i.code AS i "
        "FROM progressentry e JOIN projectitem i ON i.id = e.item_id JOIN project p ON p.id = i.project_id",
    )
    disb = rows(url, "SELECT d.*, t.code FROM disbursement d JOIN subsidytype t ON t.id = d.type_id")
    arts = rows(url, "SELECT a.*, o.name AS outlet FROM article a JOIN outlet o ON o.id = a.outlet_id")
    values = rows(url, "SELECT v.*, i.code FROM indicatorvalue v JOIN indicator i ON i.id = v.indicator_id")
    for scope in scopes(url):

        def warned(found, day, scope=scope):
            return [r for r in found if r["deleted_at"] is None and r["warning_note"] != "" and inside(r, day, scope)]

        expected = {}
        for key, n in Counter((e["p"], e["i"]) for e in warned(entries, "entry_date")).items():
            expected[f"progress.quantity:{key[0]}.{key[1]}"] = expected[f"progress.amount:{key[0]}.{key[1]}"] = n
            expected[f"project.amount:{key[0]}"] = expected.get(f"project.amount:{key[0]}", 0) + n
        for code, n in Counter(d["code"] for d in warned(disb, "paid_date")).items():
            expected[f"disb.amount:{code}"] = expected[f"disb.recipients:{code}"] = n
        for outlet, n in Counter(a["outlet"] for a in warned(arts, "published_on")).items():
            expected[f"articles.outlet:{outlet}"] = n
            expected["articles.total"] = expected.get("articles.total", 0) + n
        for code, n in Counter(v["code"] for v in warned(values, "period_start")).items():
            expected[f"indicator:{code}"] = n
        assert work_report.confirmed_warnings(url, scope) == expected
    assert work_report.confirmed_warnings(url, make_scope(FilterSpec(2023)))  # the notes written above


def test_printed_values_and_standard_bases(url):
    figures = rows(url, "SELECT * FROM seedfigure")
    county = rows(url, "SELECT id FROM county ORDER BY sort_order, id")[0]["id"]
    for period in ("h1", "h2"):
        scope = make_scope(FilterSpec(2023, period))
        expected = {
            f["metric"]: (f["value_printed"], f["why_differs"] or "")
            for f in figures
            if f["period"] == f"2023-{period}" and f["metric"] and f["value_printed"].isdigit()
        }
        assert work_report.printed_values(url, scope) == expected
        assert work_report.printed_values(url, make_scope(FilterSpec(2023, period), [], [county])) == expected
    assert expected  # h2 has plain numbers
    assert work_report.printed_values(url, make_scope(FilterSpec(2023, "h1"), [town(url)])) == {}  # a township's
    assert work_report.standard_bases(url) == {
        t["code"]: t["standard_basis"] for t in rows(url, "SELECT * FROM subsidytype")
    }


@pytest.mark.parametrize(
    ("start", "end", "last_start", "last_end"),
    [
        (D(2023, 1, 1), D(2023, 6, 30), D(2022, 1, 1), D(2022, 6, 30)),
        (D(2024, 2, 1), D(2024, 2, 29), D(2023, 2, 1), D(2023, 2, 28)),  # a leap day becomes the 28th
        (D(2023, 7, 1), D(2023, 12, 31), D(2022, 7, 1), D(2022, 12, 31)),
    ],
)
def test_last_year(start, end, last_start, last_end):
    scope = Scope(year=start.year, period="custom", start=start, end=end, township_ids=(3,), county_ids=(1,))
    last = work_report.last_year(scope)
    assert (last.year, last.start, last.end, last.township_ids, last.county_ids) == (
        start.year - 1,
        last_start,
        last_end,
        (3,),
        (1,),
    )


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        ("2023-h1", D(2023, 1, 1), D(2023, 6, 30)),
        ("2022-h2", D(2022, 7, 1), D(2022, 12, 31)),
        ("2023-q1", D(2023, 1, 1), D(2023, 3, 31)),  # was read as the second half-year
        ("2023-all", D(2023, 1, 1), D(2023, 12, 31)),
    ],
)
def test_period_scope_and_report_period(period, start, end):
    scope = provenance.period_scope(period, 7)
    assert (scope.start, scope.end, scope.county_ids, scope.township_ids) == (start, end, (7,), ())
    assert indicators.report_period(scope) == period


def test_period_scope_refuses_a_period_it_does_not_know():
    for period in ("2023-h3", "2023-range"):
        with pytest.raises(ValueError, match="无法识别"):
            provenance.period_scope(period, 1)


def test_reproduce(url):
    scope = provenance.period_scope("2023-h1", rows(url, "SELECT id FROM county")[0]["id"])
    entries = rows(
        url,
        "SELECT e.*, p.code AS p, i.code AS i FROM progressentry e JOIN projectitem i ON i.id = e.item_id "
        "JOIN project p ON p.id = i.project_id WHERE p.year = 2023 AND e.deleted_at IS NULL",
    )
    period = [e for e in entries if "2023-01-01" <= e["entry_date"] <= "2023-06-30"]
    wheelchairs = sum(e["quantity"] for e in period if (e["p"], e["i"]) == ("shuangbai", "wheelchair"))
    assert provenance.reproduce(url, "progress.quantity:shuangbai.wheelchair", scope) == wheelchairs
    money = sum(e["amount_fen"] for e in period if e["p"] == "shuangbai")
    assert provenance.reproduce(url, "project.amount:shuangbai", scope) == Decimal(money) / 100
    standard = rows(
        url,
        "SELECT s.amount_fen FROM subsidystandard s JOIN subsidytype t ON t.id = s.type_id "
        "WHERE t.code = 'dibao' AND s.effective_from <= '2023-06-30' ORDER BY s.effective_from DESC",
    )[0]["amount_fen"]
    assert provenance.reproduce(url, "standard:dibao", scope) == Decimal(standard) / 100
    assert provenance.reproduce(url, "standard:nothing", scope) is None
    assert provenance.reproduce(url, "progress.quantity:shuangbai.nothing", scope) is None
    assert provenance.reproduce(url, "disb.amount:nothing", scope) is None


# --- levy ---------------------------------------------------------------------------------------------------------


def test_by_unit_and_size_and_with_rates(url):
    for spec in (FilterSpec(2023), FilterSpec(2023, "h1"), FilterSpec(2022)):
        scope = make_scope(spec)
        expected = defaultdict(Counter)
        for e in employer_years(url, scope):
            for m in levy.MEASURES:
                expected[(e["township_id"], e["size_class"])][m] += e[m]
        got = levy.by_unit_and_size(url, scope)
        assert {
            (r["township_id"], r["size_class"]): {m: int(r[m]) for m in levy.MEASURES} for r in got.to_dict("records")
        } == {k: {m: v[m] for m in levy.MEASURES} for k, v in expected.items()}
    rated = levy.with_rates(got.copy())
    for r in rated.to_dict("records"):
        liable = r["registered"] - r["exempt"]
        assert r["liable"] == liable and r["approved_liable"] == r["meets"] + r["owes"]
        assert (r["review_rate"] == (r["meets"] + r["owes"]) / liable) if liable else np.isnan(r["review_rate"])


@pytest.mark.parametrize(
    ("registered", "exempt", "meets", "owes", "inspected", "rates"),
    [
        (10, 2, 3, 5, 4, (1.0, 0.4, 3 / 8)),
        (10, 10, 0, 0, 0, (None, 0.0, None)),  # all exempt: no review rate, no quota rate
        (0, 0, 0, 0, 0, (None, None, None)),  # nobody registered
        (4, 0, 0, 2, 4, (0.5, 1.0, 0.0)),
    ],
)
def test_with_rates(registered, exempt, meets, owes, inspected, rates):
    df = pd.DataFrame([dict(registered=registered, exempt=exempt, meets=meets, owes=owes, inspected=inspected)])
    got = levy.with_rates(df).iloc[0]
    for column, rate in zip(levy.RATES, rates, strict=True):
        assert np.isnan(got[column]) if rate is None else got[column] == pytest.approx(rate)


# --- reporting, _sql ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "today", "months"),
    [
        (FilterSpec(2023), D(2023, 5, 10), [1, 2, 3, 4, 5]),
        (FilterSpec(2023), D(2024, 1, 1), list(range(1, 13))),
        (FilterSpec(2023, "h2"), D(2023, 5, 10), []),  # not begun
        (FilterSpec(2023, "h2"), D(2023, 7, 1), [7]),  # its first day
        (FilterSpec(2023, "h1"), D(2023, 6, 30), [1, 2, 3, 4, 5, 6]),
    ],
)
def test_months_of(spec, today, months):
    assert reporting.months_of(make_scope(spec), today) == months


@pytest.mark.parametrize(
    ("month", "missing"),
    [(1, ["乙镇"]), (2, ["甲镇", "乙镇", "丙镇"]), (3, ["甲镇", "丙镇"])],
)
def test_not_reported(month, missing):
    entered = pd.DataFrame({"month": [1, 1, 3, 1], "township": ["丙镇", "甲镇", "乙镇", "甲镇"]})
    assert reporting.not_reported(entered, ["甲镇", "乙镇", "丙镇"], month) == missing


@pytest.mark.parametrize(
    ("value", "plain"),
    [(Decimal("3"), 3), (Decimal("3.50"), 3.5), (Decimal("0"), 0), (7, 7), (2.5, 2.5), (None, None), ("x", "x")],
)
def test_plain_number(value, plain):
    got = plain_number(value)
    assert got == plain and type(got) is type(plain)


def test_with_township_ids():
    df = pd.DataFrame({"township_id": [3.0, np.nan, 12.0], "n": [1, 2, 3]})
    got = with_township_ids(df)
    assert list(got["township_id"]) == [3, None, 12] and got["township_id"].dtype == object
    assert all(type(v) is int for v in got["township_id"] if v is not None)
    other = with_township_ids(pd.DataFrame({"place": [None, 5]}), "place")
    assert list(other["place"]) == [None, 5]


# --- 序时进度 of one item, the four publicity levels together, the levy's employer-year rows ----------------------


@pytest.mark.parametrize(
    ("today", "item", "elapsed"),
    [
        (D(2023, 6, 30), "practical", 0.0),  # planned for July–December: nothing due in June
        (D(2023, 6, 30), "wheelchair", 181 / 365),  # no plan: the year's share
        (D(2023, 7, 1), "practical", 1 / 184),  # the plan's first day
        (D(2023, 12, 30), "practical", 183 / 184),
        (D(2023, 12, 31), "practical", 1.0),
        (D(2023, 12, 31), "wheelchair", 1.0),
        (D(2023, 3, 1), "nothing", 60 / 365),  # an item the year does not have: the year's share
    ],
)
def test_item_elapsed(url, today, item, elapsed):
    project = "yuanmeng" if item == "practical" else "shuangbai"
    plans = rows(
        url,
        "SELECT i.plan_start_month AS s, i.plan_end_month AS e FROM projectitem i JOIN project p "
        "ON p.id = i.project_id WHERE p.year = 2023 AND p.code = 'yuanmeng' AND i.code = 'practical'",
    )
    assert plans == [{"s": 7, "e": 12}]  # the row this table's dates are counted from
    got = projects.item_elapsed(url, make_scope(FilterSpec(2023)), today, project, item)
    assert got == pytest.approx(elapsed)


@pytest.mark.parametrize(
    ("targets", "year_to_date", "target", "completion"),
    [
        ([10, 20, np.nan, 5], [5, 5, 0, 0], 35, 10 / 35),
        ([np.nan] * 4, [5, 5, 0, 0], np.nan, np.nan),  # no level has a target: none together
        ([0, 0, 0, 0], [1, 0, 0, 0], 0, np.nan),  # a zero target is no target
        ([10, 10, 10, 10], [40, 0, 0, 0], 40, 1.0),
    ],
)
def test_all_levels(targets, year_to_date, target, completion):
    levels = pd.DataFrame({"articles": [1, 2, 3, 4], "year_to_date": year_to_date, "target": targets})
    scope, today = make_scope(FilterSpec(2023, "h1")), D(2023, 3, 1)
    got = publicity.all_levels(levels, scope, today)
    assert (got["articles"], got["year_to_date"]) == (10, sum(year_to_date))
    assert np.isnan(got["target"]) if np.isnan(target) else got["target"] == target
    assert np.isnan(got["completion"]) if np.isnan(completion) else got["completion"] == pytest.approx(completion)
    assert got["elapsed"] == pytest.approx(60 / 365)  # 1 January – 1 March
    assert (got["status"] == "no_target") is bool(np.isnan(completion))


def test_employer_year_has_one_row_per_registered_employer(url):
    for spec, towns in ((FilterSpec(2023), []), (FilterSpec(2022, "h1"), [town(url)])):
        scope = make_scope(spec, towns)
        expected = sorted(
            e["id"]
            for e in rows(url, "SELECT id, township_id, registered_on FROM employer")
            if e["registered_on"][:10] <= scope.end.isoformat()
            and (not scope.township_ids or e["township_id"] in scope.township_ids)
        )
        ey = levy.employer_year(scope)
        with get_engine(url).connect() as conn:
            got = sorted(conn.execute(select(ey.c.employer_id)).scalars())
        assert got == expected and expected
