"""Every query against an independent computation: plain Python over the rows sqlite3 returns."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, timedelta

import pytest

from data_layer.domain.scope import FilterSpec, Scope, make_scope
from data_layer.queries import indicators, levy, org, projects, provenance, publicity, subsidies
from tests.conftest import rows

TODAY = date(2026, 11, 28)


def township_ids(url: str, *names: str) -> list[int]:
    got = {r["name"]: r["id"] for r in rows(url, "SELECT id, name FROM township")}
    return [got[n] for n in names]


SCOPES = {
    "2023 全年 全县": (FilterSpec(2023), ()),
    "2023 上半年 全县": (FilterSpec(2023, "h1"), ()),
    "2023 下半年 两镇": (FilterSpec(2023, "h2"), ("鲁村镇", "南鲁山镇")),
    "2023 第二季度 全县": (FilterSpec(2023, "q2"), ()),
    "2022 3–8月 东里镇": (FilterSpec(2022, "range", 3, 8), ("东里镇",)),
}


@pytest.fixture(params=list(SCOPES), ids=list(SCOPES))
def scope(request, demo_url) -> Scope:
    spec, names = SCOPES[request.param]
    return make_scope(spec, township_ids(demo_url, *names))


def d(text: str) -> date:
    return date.fromisoformat(text[:10])


def in_period(text: str, scope: Scope, *, from_year_start: bool = False) -> bool:
    start = scope.year_start if from_year_start else scope.start
    return start <= d(text) <= scope.end


def in_units(township_id, scope: Scope) -> bool:
    return not scope.township_ids or township_id in scope.township_ids


# --- key projects ---------------------------------------------------------------------------


def expected_items(url: str, scope: Scope) -> dict:
    items = rows(
        url,
        "SELECT i.*, p.code AS pcode FROM projectitem i JOIN project p ON p.id = i.project_id WHERE p.year = ?",
        (scope.year,),
    )
    targets = rows(url, "SELECT * FROM itemtownshiptarget")
    entries = rows(url, "SELECT * FROM progressentry WHERE deleted_at IS NULL")
    out = {}
    for it in items:
        key = (it["pcode"], it["code"])
        if scope.township_ids:
            tt = [t["target"] for t in targets if t["item_id"] == it["id"] and t["township_id"] in scope.township_ids]
            target = float(sum(tt)) if tt else math.nan
        else:
            target = float(it["annual_target"])
        value = (lambda e: e["amount_fen"] / 100) if it["measure"] == "money" else (lambda e: e["quantity"])
        mine = [e for e in entries if e["item_id"] == it["id"] and in_units(e["township_id"], scope)]
        out[key] = dict(
            plan=(it["plan_start_month"], it["plan_end_month"]),
            target=target,
            done_period=sum(value(e) for e in mine if in_period(e["entry_date"], scope)),
            done_ytd=sum(value(e) for e in mine if in_period(e["entry_date"], scope, from_year_start=True)),
            amount_ytd_fen=sum(
                e["amount_fen"] for e in mine if in_period(e["entry_date"], scope, from_year_start=True)
            ),
        )
    return out


def test_item_progress(demo_url, scope):
    got = projects.item_progress(demo_url, scope)
    want = expected_items(demo_url, scope)
    assert list(got.columns) == projects.ITEM_COLUMNS
    assert len(got) == len(want) == 8
    for r in got.itertuples():
        w = want[(r.project_code, r.item_code)]
        assert r.done_period == pytest.approx(w["done_period"])
        assert r.done_ytd == pytest.approx(w["done_ytd"])
        assert r.amount_ytd_fen == w["amount_ytd_fen"]
        assert (math.isnan(r.target) and math.isnan(w["target"])) or r.target == w["target"]
        if w["target"] == w["target"] and w["target"] > 0:
            assert r.completion == pytest.approx(w["done_ytd"] / w["target"])
        else:
            assert math.isnan(r.completion)


def expected_item_pace(plan: tuple, scope: Scope) -> float:
    """序时进度 by counting days: of the year, or of the planned months (0 before, 1 after)."""
    as_of = min(scope.end, TODAY)
    if plan[0] is None:
        first, last = date(scope.year, 1, 1), date(scope.year, 12, 31)
    else:
        first = date(scope.year, plan[0], 1)
        after = date(scope.year + 1, 1, 1) if plan[1] == 12 else date(scope.year, plan[1] + 1, 1)
        last = after - timedelta(days=1)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return sum(1 for day in days if day <= as_of) / len(days)


def test_project_summary(demo_url, scope):
    got = projects.project_summary(demo_url, scope, TODAY)
    want = expected_items(demo_url, scope)
    by_project = defaultdict(list)
    for (p, _i), w in want.items():
        if w["target"] == w["target"] and w["target"] > 0:
            by_project[p].append((w["done_ytd"] / w["target"], expected_item_pace(w["plan"], scope), w["done_ytd"]))
    assert list(got["project_code"]) == ["shuangbai", "yuanmeng", "yangguang"]
    year_pace = expected_item_pace((None, None), scope)
    for r in got.itertuples():
        measured = by_project[r.project_code]
        if measured:
            assert r.completion == pytest.approx(sum(m[0] for m in measured) / len(measured))
            assert r.elapsed == pytest.approx(sum(m[1] for m in measured) / len(measured))
            assert r.not_started == sum(1 for m in measured if m[2] == 0)
            assert r.not_due == sum(1 for m in measured if m[2] == 0 and m[1] == 0)
        else:  # no item of this project has a target for the chosen townships
            assert math.isnan(r.completion) and r.status == "no_target"
            assert r.elapsed == pytest.approx(year_pace)


def test_an_item_planned_for_the_second_half_is_not_behind_in_june(demo_url):
    """圆梦工程's 免费实用技术培训 (0 of 131 in June) is planned for July–December: 0 % due, so 正常."""
    scope = make_scope(FilterSpec(2023, "h1"), [])
    items = projects.item_pace(demo_url, scope, TODAY)
    practical = items[items["item_code"] == "practical"].iloc[0]
    assert (practical["done_ytd"], practical["target"], practical["plan"]) == (0, 131, "下半年")
    assert practical["elapsed"] == 0 and practical["status_label"] == "正常"
    welding = items[items["item_code"] == "welding"].iloc[0]  # no plan: the year's pace
    assert welding["elapsed"] == pytest.approx(expected_item_pace((None, None), scope))
    summary = projects.project_summary(demo_url, scope, TODAY).set_index("project_code")
    assert (summary.loc["yuanmeng", "not_started"], summary.loc["yuanmeng", "not_due"]) == (1, 1)
    full_year = projects.item_pace(demo_url, make_scope(FilterSpec(2023), []), TODAY)
    assert full_year[full_year["item_code"] == "practical"]["elapsed"].iloc[0] == 1.0


def test_township_progress(demo_url, scope):
    got = projects.township_progress(demo_url, scope)
    entries = rows(
        demo_url,
        "SELECT e.*, i.code AS icode, i.measure, p.code AS pcode FROM progressentry e "
        "JOIN projectitem i ON i.id = e.item_id JOIN project p ON p.id = i.project_id "
        "WHERE p.year = ? AND e.deleted_at IS NULL",
        (scope.year,),
    )
    want = defaultdict(float)
    for e in entries:
        if in_units(e["township_id"], scope) and in_period(e["entry_date"], scope, from_year_start=True):
            want[(e["township_id"], e["pcode"], e["icode"])] += (
                e["amount_fen"] / 100 if e["measure"] == "money" else e["quantity"]
            )
    have = {
        (None if t != t else t, p, i): v
        for t, p, i, v in zip(got.township_id, got.project_code, got.item_code, got.done_ytd, strict=True)
    }
    assert have == pytest.approx(dict(want))


# --- subsidies ---------------------------------------------------------------------------------


def expected_subsidies(url: str, scope: Scope, key):
    types = {t["id"]: t for t in rows(url, "SELECT * FROM subsidytype")}
    rolls = defaultdict(list)
    amounts = defaultdict(int)
    for r in rows(url, "SELECT * FROM disbursement WHERE deleted_at IS NULL"):
        if in_period(r["paid_date"], scope) and in_units(r["township_id"], scope):
            t = types[r["type_id"]]
            rolls[(key(r, t), r["county_id"], r["township_id"])].append(r["recipients"])
            amounts[key(r, t)] += r["amount_fen"]
    recipients = defaultdict(int)
    for (k, _c, _t), values in rolls.items():
        payment = next(t["payment"] for t in types.values() if t["code"] == (k if isinstance(k, str) else k[1]))
        recipients[k] += max(values) if payment == "monthly" else sum(values)
    return amounts, recipients


def test_totals_by_type(demo_url, scope):
    got = subsidies.totals_by_type(demo_url, scope)
    amounts, recipients = expected_subsidies(demo_url, scope, lambda r, t: t["code"])
    assert list(got.columns) == subsidies.TYPE_COLUMNS
    assert list(got["type_code"]) == ["tekun", "dibao", "fuel", "housing", "pension"]
    for r in got.itertuples():
        assert (r.amount_fen, r.recipients) == (amounts.get(r.type_code, 0), recipients.get(r.type_code, 0))


def test_totals_by_township(demo_url, scope):
    got = subsidies.totals_by_township(demo_url, scope)
    amounts, recipients = expected_subsidies(demo_url, scope, lambda r, t: (r["township_id"], t["code"]))
    have = {
        (t, c): (a, n)
        for t, c, a, n in zip(got.township_id, got.type_code, got.amount_fen, got.recipients, strict=True)
    }
    assert have == {k: (amounts[k], recipients[k]) for k in amounts}


# --- levy enforcement --------------------------------------------------------------------------------


def expected_activity(url: str, scope: Scope) -> dict:
    """What happened within the period: employers inspected (in all, on site, in a campaign), reviews notified.
    (The board's funnel, ratios and worklist are tested in tests/test_levy_queries.py.)"""
    employers = {e["id"]: e for e in rows(url, "SELECT * FROM employer") if in_units(e["township_id"], scope)}
    inspections = [
        r
        for r in rows(url, "SELECT * FROM inspection")
        if in_period(r["inspected_on"], scope) and r["employer_id"] in employers
    ]
    return {
        "inspected": len({r["employer_id"] for r in inspections}),
        "onsite": len({r["employer_id"] for r in inspections if r["mode"] == "onsite"}),
        "campaign_inspected": len({r["employer_id"] for r in inspections if r["campaign_id"] is not None}),
        "notified": sum(
            in_period(r["notified_on"], scope) and r["employer_id"] in employers
            for r in rows(url, "SELECT * FROM annualreview")
        ),
    }


def test_period_activity(demo_url, scope):
    want = expected_activity(demo_url, scope)
    got = levy.period_activity(demo_url, scope).iloc[0]
    assert {k: int(got[k]) for k in want} == want


def test_campaigns(demo_url, scope):
    got = levy.campaigns(demo_url, scope)
    campaigns = [
        c
        for c in rows(demo_url, "SELECT * FROM campaign")
        if d(c["start_date"]) <= scope.end and d(c["end_date"]) >= scope.start
    ]
    employers = {e["id"]: e for e in rows(demo_url, "SELECT * FROM employer")}
    assert len(got) == len(campaigns)
    for c, r in zip(campaigns, got.itertuples(), strict=True):
        mine = [
            i
            for i in rows(demo_url, "SELECT * FROM inspection WHERE campaign_id = ?", (c["id"],))
            if in_units(employers[i["employer_id"]]["township_id"], scope)
        ]
        assert r.inspected == len({i["employer_id"] for i in mine})
        assert r.onsite == len({i["employer_id"] for i in mine if i["mode"] == "onsite"})


# --- publicity ----------------------------------------------------------------------------------------


def articles_in(url: str, scope: Scope, *, from_year_start: bool = False) -> list[dict]:
    return [
        a
        for a in rows(
            url,
            "SELECT a.*, o.name AS outlet, o.level FROM article a JOIN outlet o "
            "ON o.id = a.outlet_id WHERE a.deleted_at IS NULL",
        )
        if in_period(a["published_on"], scope, from_year_start=from_year_start) and in_units(a["township_id"], scope)
    ]


def expected_pace(done: int, target: float, scope: Scope) -> tuple[float, float, str]:
    """完成进度, 序时进度 and the status word, worked out by hand (thresholds 5 and 20 points)."""
    days = 366 if scope.year % 4 == 0 else 365
    elapsed = ((min(scope.end, TODAY) - scope.year_start).days + 1) / days
    if not target or target != target:
        return math.nan, elapsed, "无目标"
    rate = done / target
    gap = elapsed - rate
    return rate, elapsed, "严重滞后" if gap > 0.20 else "滞后" if gap > 0.05 else "正常"


def test_by_outlet(demo_url, scope):
    got = publicity.by_outlet(demo_url, scope)
    mine = articles_in(demo_url, scope)
    assert len(got) == 7
    for r in got.itertuples():
        assert r.articles == sum(a["outlet"] == r.outlet for a in mine)


def test_by_level(demo_url, scope):
    got = publicity.by_level(demo_url, scope, TODAY)
    mine = articles_in(demo_url, scope)
    so_far = articles_in(demo_url, scope, from_year_start=True)
    targets = defaultdict(int)
    for t in rows(demo_url, "SELECT * FROM publicitytarget WHERE year = ?", (scope.year,)):
        targets[t["level"]] += t["target"]
    assert list(got["level"]) == ["national", "provincial", "municipal", "county"]
    for r in got.itertuples():
        assert r.articles == sum(a["level"] == r.level for a in mine)
        assert r.year_to_date == sum(a["level"] == r.level for a in so_far)
        target = math.nan if scope.township_ids else targets[r.level]
        rate, elapsed, status = expected_pace(r.year_to_date, target, scope)
        assert r.target == target or (math.isnan(r.target) and math.isnan(target))
        assert r.completion == pytest.approx(rate, nan_ok=True)
        assert (r.elapsed, r.status_label) == (pytest.approx(elapsed), status)


def test_by_township(demo_url, scope):
    got = publicity.by_township(demo_url, scope, TODAY)
    towns = [t for t in rows(demo_url, "SELECT * FROM township WHERE active ORDER BY sort_order, id")]
    towns = [t for t in towns if in_units(t["id"], scope)]
    quotas = {
        q["township_id"]: q["target"]
        for q in rows(demo_url, "SELECT * FROM publicityquota WHERE year = ?", (scope.year,))
    }
    mine = articles_in(demo_url, scope)
    so_far = articles_in(demo_url, scope, from_year_start=True)
    assert list(got["township"]) == [t["name"] for t in towns]
    for r in got.itertuples():
        assert r.articles == sum(a["township_id"] == r.township_id for a in mine)
        assert r.year_to_date == sum(a["township_id"] == r.township_id for a in so_far)
        rate, _, status = expected_pace(r.year_to_date, quotas.get(r.township_id, math.nan), scope)
        assert r.completion == pytest.approx(rate, nan_ok=True) and r.status_label == status
    county_wide = sum(a["township_id"] is None for a in mine)
    assert publicity.county_wide(demo_url, scope) == (0 if scope.township_ids else county_wide)


def test_by_month(demo_url, scope):
    got = publicity.by_month(demo_url, scope)
    want = defaultdict(int)
    for a in articles_in(demo_url, scope):
        want[(a["published_on"][:7], a["level"])] += 1
    assert dict(zip(zip(got.month, got.level, strict=True), got.articles, strict=True)) == dict(want)


# --- other work items and the org tree ------------------------------------------------------------------


def test_indicator_totals(demo_url, scope):
    got = indicators.totals(demo_url, scope)
    values = [
        v
        for v in rows(demo_url, "SELECT v.*, i.code FROM indicatorvalue v JOIN indicator i ON i.id = v.indicator_id")
        if in_period(v["period_start"], scope) and in_units(v["township_id"], scope)
    ]
    for r in got.itertuples():
        assert r.value == sum(v["value"] for v in values if v["code"] == r.code)


def test_org_queries(demo_url, reference_url):
    towns = org.townships(demo_url)
    assert len(towns) == 13 and set(towns["county"]) == {"沂源县"}
    assert list(towns["township"][:2]) == ["南麻街道", "历山街道"]
    assert org.years(demo_url) == [2023, 2022]
    assert org.demo_present(demo_url) is True
    assert org.demo_present(reference_url) is False
    assert org.last_write(demo_url).tzinfo is not None


def test_queries_on_an_empty_store(empty_url):
    scope = make_scope(FilterSpec(2023, "h1"))
    assert projects.item_progress(empty_url, scope).empty
    assert projects.project_summary(empty_url, scope, TODAY).empty
    assert subsidies.totals_by_type(empty_url, scope).empty
    assert levy.summary(empty_url, scope).iloc[0]["registered"] == 0
    assert math.isnan(levy.summary(empty_url, scope).iloc[0]["inspection_rate"])
    assert publicity.by_level(empty_url, scope, TODAY)["articles"].sum() == 0
    assert publicity.by_township(empty_url, scope, TODAY).empty
    assert org.years(empty_url) == [] and org.demo_present(empty_url) is False
    assert org.last_write(empty_url) is None
    assert provenance.figures(empty_url).empty


def test_cached_reads_follow_the_store_url(demo_url, empty_url):
    """The URL is part of every cache key: one store's rows never serve another."""
    scope = make_scope(FilterSpec(2023, "h1"))
    assert levy.summary(demo_url, scope).iloc[0]["registered"] > 1500
    assert levy.summary(empty_url, scope).iloc[0]["registered"] == 0


def test_monthly_progress(demo_url, scope):
    got = projects.monthly_progress(demo_url, scope, "shuangbai", "wheelchair")
    entries = rows(
        demo_url,
        "SELECT e.* FROM progressentry e JOIN projectitem i ON i.id = e.item_id JOIN project p "
        "ON p.id = i.project_id WHERE p.year = ? AND p.code = 'shuangbai' AND "
        "i.code = 'wheelchair' AND e.deleted_at IS NULL",
        (scope.year,),
    )
    by_month = defaultdict(float)
    for e in entries:
        if in_units(e["township_id"], scope) and in_period(e["entry_date"], scope, from_year_start=True):
            by_month[d(e["entry_date"]).month] += e["quantity"]
    assert list(got["month"]) == list(range(1, scope.end.month + 1))
    assert list(got["done"]) == [by_month[m] for m in got["month"]]
    assert got["cumulative"].iloc[-1] == sum(by_month.values())


def test_township_completion(demo_url, scope):
    got = projects.township_completion(demo_url, scope, TODAY, "shuangbai", "solar")
    targets = {
        r["township_id"]: r["target"]
        for r in rows(
            demo_url,
            "SELECT t.* FROM itemtownshiptarget t JOIN projectitem i ON i.id = t.item_id JOIN project p "
            "ON p.id = i.project_id WHERE p.year = ? AND i.code = 'solar'",
            (scope.year,),
        )
    }
    done = defaultdict(float)
    for e in rows(
        demo_url,
        "SELECT e.* FROM progressentry e JOIN projectitem i ON i.id = e.item_id JOIN project p "
        "ON p.id = i.project_id WHERE p.year = ? AND i.code = 'solar' AND e.deleted_at IS NULL",
        (scope.year,),
    ):
        if in_units(e["township_id"], scope) and in_period(e["entry_date"], scope, from_year_start=True):
            done[e["township_id"]] += e["quantity"]
    expected_towns = len(scope.township_ids) if scope.township_ids else 13
    assert len(got) == expected_towns
    for r in got.itertuples():
        assert r.done_ytd == done[r.township_id]
        assert r.completion == pytest.approx(done[r.township_id] / targets[r.township_id])
    assert list(got["completion"]) == sorted(got["completion"])  # laggards first


def test_completion_matrix(demo_url, scope):
    rates, statuses = projects.completion_matrix(demo_url, scope, TODAY)
    assert "shuangbai.wheelchair" in rates.columns and "yuanmeng.welding" not in rates.columns  # county-only item
    table = projects.township_completion(demo_url, scope, TODAY, "shuangbai", "wheelchair").set_index("township")
    for town, rate in rates["shuangbai.wheelchair"].items():
        assert rate == pytest.approx(table.at[town, "completion"])
        assert statuses.at[town, "shuangbai.wheelchair"] == table.at[town, "status"]


def test_entries(demo_url, scope):
    got = projects.entries(demo_url, scope, "shuangbai", "doorbell")
    want = [
        e
        for e in rows(
            demo_url,
            "SELECT e.* FROM progressentry e JOIN projectitem i ON i.id = e.item_id JOIN "
            "project p ON p.id = i.project_id WHERE p.year = ? AND i.code = 'doorbell'",
            (scope.year,),
        )
        if in_units(e["township_id"], scope) and in_period(e["entry_date"], scope, from_year_start=True)
    ]
    assert sorted(got["id"]) == sorted(e["id"] for e in want)
    assert (got["created_by"] == "演示数据").all()
    assert list(got["entry_date"]) == sorted(got["entry_date"], reverse=True)
