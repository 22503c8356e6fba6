"""其他工作: the year-on-year query against plain Python over plain SELECTs, the entry rules (through the service
the entry page calls), and the page."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from data_layer.domain import text
from data_layer.domain.errors import ValidationFailed
from data_layer.domain.scope import FilterSpec, make_scope
from data_layer.queries import indicators
from data_layer.services.indicators import INDICATOR_VALUE
from tests.conftest import entering, person, rows
from tests.test_pages import LATIN, page_script, words_on_screen


def township_id(url: str, name: str) -> int:
    return rows(url, "SELECT id FROM township WHERE name = ?", (name,))[0]["id"]


def expected(url: str, start: date, end: date, last_start: date, last_end: date, township: int | None) -> dict:
    """code → (value, values this period, last year's value, values last year, at least), in plain Python."""
    values = rows(url, "SELECT indicator_id, township_id, period_start, value, deleted_at FROM indicatorvalue")
    figures = rows(url, "SELECT metric, metric_rule, period FROM seedfigure")
    out = {}
    for ind in rows(url, "SELECT id, code FROM indicator"):
        mine = [
            v
            for v in values
            if v["indicator_id"] == ind["id"]
            and v["deleted_at"] is None
            and (township is None or v["township_id"] == township)
        ]
        now = [v["value"] for v in mine if start.isoformat() <= v["period_start"][:10] <= end.isoformat()]
        last = [v["value"] for v in mine if last_start.isoformat() <= v["period_start"][:10] <= last_end.isoformat()]
        at_least = township is None and any(
            f["metric"] == f"indicator:{ind['code']}" and f["metric_rule"] == "at_least" and f["period"] == "2023-h1"
            for f in figures
        )
        out[ind["code"]] = (sum(now), len(now), sum(last), len(last), at_least)
    return out


def computed(df) -> dict:
    cols = ["value", "count", "last_value", "last_count", "at_least"]
    return {r["code"]: tuple(r[c] for c in cols) for r in df.to_dict("records")}


@pytest.mark.parametrize("township", [None, "鲁村镇"])
def test_year_on_year_matches_plain_python(demo_url, township):
    tid = township_id(demo_url, township) if township else None
    scope = make_scope(FilterSpec(2023, "h1"), township_ids=(tid,) if tid else ())
    got = computed(indicators.year_on_year(demo_url, scope))
    want = expected(demo_url, date(2023, 1, 1), date(2023, 6, 30), date(2022, 1, 1), date(2022, 6, 30), tid)
    assert got == want
    if township is None:  # the report's figures: 859 certificates, “200多户” visited
        assert got["certificates"][0] == 859 and got["visits_all"][0] == 200 and got["visits_all"][4]


def test_deleted_values_do_not_count(demo_url):
    scope = make_scope(FilterSpec(2023, "h1"))
    before = computed(indicators.year_on_year(demo_url, scope))["certificates"]
    import sqlite3

    if not demo_url.startswith("sqlite"):
        pytest.skip("the deletion is written with sqlite3")
    with sqlite3.connect(demo_url.removeprefix("sqlite:///")) as conn:
        conn.execute(
            "UPDATE indicatorvalue SET deleted_at = '2023-07-01 00:00:00' WHERE id = (SELECT MIN(v.id) FROM "
            "indicatorvalue v JOIN indicator i ON i.id = v.indicator_id WHERE i.code = 'certificates' "
            "AND v.period_start = '2023-01-01')"
        )
    indicators.year_on_year.clear()
    after = computed(indicators.year_on_year(demo_url, scope))["certificates"]
    assert after[1] == before[1] - 1 and after[0] < before[0]
    assert computed(indicators.year_on_year(demo_url, scope)) == expected(
        demo_url, date(2023, 1, 1), date(2023, 6, 30), date(2022, 1, 1), date(2022, 6, 30), None
    )


def test_year_on_year_on_an_empty_store(empty_url):
    assert indicators.year_on_year(empty_url, make_scope(FilterSpec(2023, "h1"))).empty
    assert expected(empty_url, date(2023, 1, 1), date(2023, 6, 30), date(2022, 1, 1), date(2022, 6, 30), None) == {}


def test_last_year_of_a_leap_day():
    assert indicators.same_period_last_year(date(2024, 2, 29)) == date(2023, 2, 28)


# --- the entry rules -------------------------------------------------------------------------------


def entry(url: str, actor=None, **changes):
    values = {
        "indicator_id": rows(url, "SELECT id FROM indicator WHERE code = 'certificates'")[0]["id"],
        "county_id": rows(url, "SELECT id FROM county")[0]["id"],
        "township_id": township_id(url, "鲁村镇"),
        "period_start": date(2023, 7, 1),
        "period_end": date(2023, 7, 31),
        "value": 12,
    }
    return entering(INDICATOR_VALUE)(db_url=url, actor=actor or person(), **{**values, **changes})


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"indicator_id": 0}, "indicator_id"),
        ({"period_end": date(2023, 6, 1)}, "period_end"),
        ({"value": -1}, "value"),
        ({"value": None}, "value"),
    ],
)
def test_entry_rules_name_their_field(reference_url, changes, field):
    before = len(rows(reference_url, "SELECT id FROM indicatorvalue"))
    with pytest.raises(ValidationFailed) as failed:
        entry(reference_url, **changes)
    assert field in failed.value.errors
    assert len(rows(reference_url, "SELECT id FROM indicatorvalue")) == before


def test_a_township_officer_enters_only_their_own_township(reference_url):
    own = township_id(reference_url, "鲁村镇")
    officer = person("李四", "township", township_id=own, areas=("other",))
    with pytest.raises(ValidationFailed) as failed:
        entry(reference_url, officer, township_id=township_id(reference_url, "东里镇"))
    assert "township_id" in failed.value.errors
    with pytest.raises(ValidationFailed):
        entry(reference_url, officer, township_id=None)  # 县本级 is not theirs either
    assert entry(reference_url, officer) > 0


def test_an_account_without_the_area_may_not_enter(reference_url):
    with pytest.raises(ValidationFailed) as failed:
        entry(reference_url, person("王五", "staff", areas=("projects",)))
    assert "actor" in failed.value.errors


# --- the page ----------------------------------------------------------------------------------------


def page(url: str, **kwargs) -> AppTest:
    at = AppTest.from_string(page_script("other_work", url, **kwargs), default_timeout=60)
    at.query_params["year"] = "2023"
    at.query_params["period"] = "h1"
    at.run()
    assert not at.exception, at.exception
    return at


def shown_rows(at: AppTest) -> dict[str, dict]:
    return {r["指标"]: r for grid in at.dataframe for r in grid.value.to_dict("records")}


def test_page_shows_the_independent_computation(demo_url):
    at = page(demo_url)
    want = expected(demo_url, date(2023, 1, 1), date(2023, 6, 30), date(2022, 1, 1), date(2022, 6, 30), None)
    names = {r["code"]: r["name"] for r in rows(demo_url, "SELECT code, name FROM indicator")}
    shown = shown_rows(at)
    assert len(shown) == len(want)
    for code, (value, count, last, last_count, at_least) in want.items():
        row = shown[names[code]]
        assert row["本期"] == ("—" if not count else text.count(value) + (" 以上" if at_least else "")), code
        assert row["2022年同期"] == ("—" if not last_count else text.count(last)), code
        if count and last_count and last and value != last:
            word = "增长" if value > last else "下降"
            assert row["同比"] == f"{word} {text.pct(abs(value - last) / last)}", code
    assert shown["走访慰问贫困残疾人（合计）"]["本期"] == "200 以上"
    assert [s.value for s in at.subheader][:2] == ["康复", "组织"]
    english = [t for t in words_on_screen(at) if LATIN.search(t)]
    assert not english, english


def test_page_on_an_empty_store(empty_url):
    at = page(empty_url)
    assert not at.dataframe
    assert not [t for t in words_on_screen(at) if LATIN.search(t)]


def test_the_page_has_no_form_of_its_own(reference_url):
    """Values are entered on 其他工作录入 (tests/test_other_work_entry.py); this page only lists them."""
    for who in ({}, {"who": "赵六", "role": "leader"}):
        at = page(reference_url, **who)
        assert not at.get("form") and not at.text_input and not at.number_input
