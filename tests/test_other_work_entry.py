"""Indicator value entry (其他工作录入): each rule through the service, the grid, corrections, the findings on
数据质量, and the page (a saved value then shows on 其他工作, checked against a plain SQL sum)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from data_layer import checks
from data_layer.domain.errors import GridRejected, NeedsConfirmation, ValidationFailed
from data_layer.infra.cache import clear_reads
from data_layer.infra.db import get_engine
from data_layer.services import indicators as service
from data_layer.services.locks import close_months
from data_layer.services.records import add_records, delete_record, restore_record, update_record
from tests.conftest import entering, person, rows, shown
from tests.test_pages import page_script
from tests.test_services import TODAY, count, ids

YEAR = "20230101_20231231"  # the kept fields' key suffix: the filter is the whole of 2023
KIND = service.INDICATOR_VALUE


def value(url, i, actor=None, **over):
    values = dict(
        indicator_id=i["indicator"],
        county_id=i["county"],
        township_id=i["township"],
        period_start=date(2023, 7, 1),
        period_end=date(2023, 7, 31),
        value=12,
        note="",
        today=TODAY,
    )
    return entering(service.INDICATOR_VALUE)(db_url=url, actor=actor or person(), **{**values, **over})


def stored(url: str) -> list[dict]:
    return rows(url, "SELECT * FROM indicatorvalue ORDER BY id")


def township(url: str, name: str) -> int:
    return rows(url, "SELECT id FROM township WHERE name = ?", (name,))[0]["id"]


def test_a_value_is_saved_with_its_note_and_audited(reference_url):
    i = ids(reference_url)
    new_id = value(reference_url, i, note="  含两名外县转入  ")
    assert [(r["id"], r["value"], r["note"], r["warning_note"], r["created_by"]) for r in stored(reference_url)] == [
        (new_id, 12, "含两名外县转入", "", "张三")
    ]
    audit = rows(reference_url, "SELECT action, row_id FROM auditlog WHERE table_name = 'indicatorvalue'")
    assert audit == [{"action": "create", "row_id": str(new_id)}]


def test_county_wide_is_allowed(reference_url):
    value(reference_url, ids(reference_url), township_id=None)
    assert stored(reference_url)[0]["township_id"] is None


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"indicator_id": None}, "indicator_id"),
        ({"indicator_id": 99_999}, "indicator_id"),
        ({"county_id": 99_999}, "county_id"),
        ({"township_id": 99_999}, "township_id"),
        ({"period_start": date(2026, 11, 29), "period_end": date(2026, 11, 30)}, "period_start"),  # after TODAY
        ({"period_end": date(2023, 6, 30)}, "period_end"),  # before the start
        ({"period_start": date(2023, 12, 1), "period_end": date(2024, 1, 31)}, "period_end"),  # across the new year
        ({"value": -1}, "value"),
        ({"value": None}, "value"),
        ({"note": "长" * 201}, "note"),
    ],
)
def test_errors_write_nothing(reference_url, over, field):
    before = count(reference_url, "auditlog")
    with pytest.raises(ValidationFailed) as err:
        value(reference_url, ids(reference_url), **over)
    assert field in err.value.errors
    assert (count(reference_url, "indicatorvalue"), count(reference_url, "auditlog")) == (0, before)


def test_an_inactive_township_takes_no_new_values(reference_url):
    i = ids(reference_url)
    with get_engine(reference_url).begin() as conn:
        conn.execute(text("UPDATE township SET active = :no WHERE id = :id"), {"no": False, "id": i["township"]})
    clear_reads()
    with pytest.raises(ValidationFailed) as err:
        value(reference_url, i)
    assert "已停用" in err.value.errors["township_id"]
    assert count(reference_url, "indicatorvalue") == 0


# --- the soft rules: a warning to confirm, then a finding on 数据质量 -----------------------------------------


def test_an_overlapping_value_of_the_same_unit_is_a_warning_confirmed_with_a_note(reference_url):
    i = ids(reference_url)
    first = value(reference_url, i)
    with pytest.raises(NeedsConfirmation) as err:
        value(reference_url, i, period_start=date(2023, 7, 15), period_end=date(2023, 8, 15), value=3)
    assert set(err.value.warnings) == {"repeat"} and f"编号 {first}" in err.value.warnings["repeat"]
    assert count(reference_url, "indicatorvalue") == 1
    second = value(reference_url, i, confirm=True, warning_note="七月补报两户")
    assert [r["warning_note"] for r in stored(reference_url)] == ["", "七月补报两户"]
    found = checks.findings(reference_url)
    repeat = found[found["check"] == "indicator.repeat"]
    assert repeat[["area", "link", "note"]].values.tolist() == [
        ["其他工作", f"entry_other_work?record={second}", "七月补报两户"]
    ]


@pytest.mark.parametrize(
    "over",
    [
        {"period_start": date(2023, 8, 1), "period_end": date(2023, 8, 31)},  # the next month
        {"township_id": None},  # 县本级 is another unit
        {"indicator": "petition_visits"},  # another indicator
    ],
)
def test_no_warning_without_an_overlap_of_the_same_indicator_and_unit(reference_url, over):
    i = ids(reference_url)
    value(reference_url, i)
    if "indicator" in over:
        over = {"indicator_id": rows(reference_url, "SELECT id FROM indicator WHERE code = ?", (over["indicator"],))}
        over["indicator_id"] = over["indicator_id"][0]["id"]
    value(reference_url, i, **over)
    assert count(reference_url, "indicatorvalue") == 2
    assert [r["warning_note"] for r in stored(reference_url)] == ["", ""]


def test_a_deleted_value_is_no_longer_a_repeat(reference_url):
    i = ids(reference_url)
    first = value(reference_url, i)
    delete_record(db_url=reference_url, kind=KIND, record_id=first, actor=person())
    value(reference_url, i)  # no warning: the first one is in the 回收站
    assert count(reference_url, "indicatorvalue") == 2


def test_more_than_five_times_last_years_same_period_is_a_warning(reference_url):
    i = ids(reference_url)
    july_2022 = dict(period_start=date(2022, 7, 1), period_end=date(2022, 7, 31), value=10)
    value(reference_url, i, **july_2022)
    value(reference_url, i, township_id=None, **july_2022)
    value(reference_url, i, township_id=None, value=50)  # five times 县本级's: fine
    other = township(reference_url, "东里镇")
    value(reference_url, i, township_id=other, value=500)  # 东里镇 recorded nothing last year: nothing to compare
    with pytest.raises(NeedsConfirmation) as err:
        value(reference_url, i, value=51)
    assert set(err.value.warnings) == {"outlier"} and "去年同期 10 人" in err.value.warnings["outlier"]
    assert count(reference_url, "indicatorvalue") == 4
    value(reference_url, i, value=51, confirm=True)
    found = checks.findings(reference_url)
    outlier = found[found["check"] == "indicator.outlier"]
    assert len(outlier) == 1 and outlier.iloc[0]["note"] == "已核实"


def test_the_rule_context_matches_plain_python(demo_url):
    """Every live demo value's overlap and last year's sum, against the rows read with a plain SELECT."""
    from data_layer.queries.indicator_context import indicator_value_contexts

    live = [r for r in rows(demo_url, "SELECT * FROM indicatorvalue") if r["deleted_at"] is None]
    assert live

    def unit(r):
        return (r["indicator_id"], r["county_id"], r["township_id"])

    def shifted(day: str) -> str:
        return str(int(day[:4]) - 1) + day[4:10].replace("-02-29", "-02-28")

    want = {}
    for r in live:
        same = [o for o in live if unit(o) == unit(r)]
        overlaps = [o["id"] for o in same if o["id"] < r["id"] and o["period_start"] <= r["period_end"]]
        overlaps = [o for o in overlaps if next(x for x in same if x["id"] == o)["period_end"] >= r["period_start"]]
        last = [o["value"] for o in same if shifted(r["period_start"]) <= o["period_start"] <= shifted(r["period_end"])]
        want[r["id"]] = (max(overlaps, default=None), sum(last), len(last))
    got = {c.id: (c.overlap_of, c.last_value, c.last_count) for c in indicator_value_contexts(demo_url, rows="all")}
    assert got == want
    assert any(n for _, _, n in want.values())  # 2023's values do meet 2022's


# --- the grid, corrections, who may write, closed months ---------------------------------------------------


def grid(url, i, rows_, actor=None, **options):
    shared = dict(
        indicator_id=i["indicator"], county_id=i["county"], period_start=date(2023, 7, 1), period_end=date(2023, 7, 31)
    )
    return add_records(
        db_url=url, kind=KIND, actor=actor or person(), shared=shared, rows=rows_, today=TODAY, **options
    )


def test_the_grid_saves_all_rows_or_none(reference_url):
    i = ids(reference_url)
    other = township(reference_url, "东里镇")
    with pytest.raises(GridRejected) as err:
        grid(reference_url, i, [{"township_id": i["township"], "value": 5}, {"township_id": other, "value": -2}])
    assert set(err.value.problems) == {1} and "value" in err.value.problems[1].errors
    assert count(reference_url, "indicatorvalue") == 0
    saved = grid(reference_url, i, [{"township_id": i["township"], "value": 5}, {"township_id": None, "value": 7}])
    assert [
        (r["id"], r["township_id"], r["value"], r["period_start"], r["period_end"]) for r in stored(reference_url)
    ] == [
        (saved[0], i["township"], 5, "2023-07-01", "2023-07-31"),
        (saved[1], None, 7, "2023-07-01", "2023-07-31"),
    ]


def test_a_grid_row_with_a_warning_holds_back_every_row_until_confirmed(reference_url):
    i = ids(reference_url)
    value(reference_url, i, value=4)  # 鲁村镇's July is already entered
    other = township(reference_url, "东里镇")
    two = [{"township_id": other, "value": 3}, {"township_id": i["township"], "value": 4}]
    with pytest.raises(GridRejected) as err:
        grid(reference_url, i, two)
    assert set(err.value.problems) == {1} and set(err.value.problems[1].warnings) == {"repeat"}
    assert count(reference_url, "indicatorvalue") == 1
    grid(reference_url, i, two, confirm=True, warning_note="按月补报")
    assert [r["warning_note"] for r in stored(reference_url)] == ["", "", "按月补报"]  # the note is the warned row's


def test_correct_delete_and_restore(reference_url):
    i = ids(reference_url)
    new_id = value(reference_url, i)
    update_record(db_url=reference_url, kind=KIND, record_id=new_id, actor=person(), values={"value": 15}, today=TODAY)
    assert stored(reference_url)[0]["value"] == 15
    delete_record(db_url=reference_url, kind=KIND, record_id=new_id, actor=person())
    assert stored(reference_url)[0]["deleted_at"] is not None
    with pytest.raises(ValidationFailed):  # a deleted value is restored before it is corrected
        update_record(db_url=reference_url, kind=KIND, record_id=new_id, actor=person(), values={"value": 1})
    restore_record(db_url=reference_url, kind=KIND, record_id=new_id, actor=person())
    assert stored(reference_url)[0]["deleted_at"] is None
    actions = rows(reference_url, "SELECT action FROM auditlog WHERE table_name = 'indicatorvalue' ORDER BY id")
    assert [a["action"] for a in actions] == ["create", "update", "delete", "restore"]


def test_a_correction_keeps_the_rules(reference_url):
    i = ids(reference_url)
    new_id = value(reference_url, i)
    with pytest.raises(ValidationFailed) as err:
        update_record(db_url=reference_url, kind=KIND, record_id=new_id, actor=person(), values={"value": -1})
    assert "value" in err.value.errors
    assert stored(reference_url)[0]["value"] == 12


def test_a_township_officer_enters_and_corrects_only_their_own(reference_url):
    i = ids(reference_url)
    officer = person("鲁村镇干事", role="township", township_id=i["township"], areas=("other",))
    other = township(reference_url, "东里镇")
    for township_id in (other, None):
        with pytest.raises(ValidationFailed) as err:
            value(reference_url, i, officer, township_id=township_id)
        assert "township_id" in err.value.errors
    with pytest.raises(GridRejected):
        grid(reference_url, i, [{"township_id": other, "value": 3}], officer)
    theirs = value(reference_url, i, officer)
    elsewhere = value(reference_url, i, township_id=other)
    with pytest.raises(ValidationFailed) as err:
        update_record(db_url=reference_url, kind=KIND, record_id=elsewhere, actor=officer, values={"value": 1})
    assert "township_id" in err.value.errors
    with pytest.raises(ValidationFailed):
        delete_record(db_url=reference_url, kind=KIND, record_id=elsewhere, actor=officer)
    update_record(db_url=reference_url, kind=KIND, record_id=theirs, actor=officer, values={"value": 13}, today=TODAY)
    assert [(r["township_id"], r["value"]) for r in stored(reference_url)] == [(i["township"], 13), (other, 12)]


def test_an_account_without_the_area_may_not_enter(reference_url):
    with pytest.raises(ValidationFailed) as err:
        value(reference_url, ids(reference_url), person("王五", "staff", areas=("publicity",)))
    assert "actor" in err.value.errors
    assert count(reference_url, "indicatorvalue") == 0


def test_a_closed_month_is_refused_and_an_administrator_gives_a_reason(reference_url):
    i = ids(reference_url)
    close_months(db_url=reference_url, actor=person(), months=[date(2023, 7, 1)], today=TODAY)
    staff = person("李四", "staff", areas=("other",))
    with pytest.raises(ValidationFailed) as err:
        value(reference_url, i, staff)
    assert "已结账" in err.value.errors["period_start"]
    value(reference_url, i, staff, period_start=date(2023, 8, 1), period_end=date(2023, 8, 31))  # August is open
    with pytest.raises(NeedsConfirmation) as warned:
        value(reference_url, i)
    assert set(warned.value.warnings) == {"locked"}
    with pytest.raises(ValidationFailed):  # confirmed, but no reason given
        value(reference_url, i, confirm=True)
    value(reference_url, i, confirm=True, warning_note="七月数据迟报")
    assert [r["warning_note"] for r in stored(reference_url)] == ["", "七月数据迟报"]


# --- the page -----------------------------------------------------------------------------------------------


def page(url: str, module: str = "entry_other_work", **params) -> AppTest:
    at = AppTest.from_string(page_script(module, url), default_timeout=60)
    at.query_params["year"] = "2023"
    for key, val in params.items():
        at.query_params[key] = val
    at.run()
    assert not at.exception, at.exception
    return at


def indicator_id(url: str, code: str) -> int:
    return rows(url, "SELECT id FROM indicator WHERE code = ?", (code,))[0]["id"]


def fill(at: AppTest, *, value=None, note=None, gen=0, start=date(2023, 3, 1), end=date(2023, 3, 31)) -> AppTest:
    at.date_input(key=f"iv_k_period_start_{YEAR}").set_value(start)
    at.date_input(key=f"iv_k_period_end_{YEAR}").set_value(end)
    for name, typed in (("value", value), ("note", note)):
        if typed is not None:
            at.text_input(key=f"iv_f_{name}_{gen}").input(typed)
    at.form_submit_button[0].click().run()
    assert not at.exception, at.exception
    return at


def plain_sum(url: str, indicator: int, start: str, end: str) -> int:
    """The indicator's live values whose period starts in [start, end], summed with plain SQL."""
    sql = (
        "SELECT COALESCE(SUM(value), 0) AS v FROM indicatorvalue WHERE indicator_id = ? AND deleted_at IS NULL "
        "AND period_start >= ? AND period_start <= ?"
    )
    return rows(url, sql, (indicator, start, end))[0]["v"]


def test_the_quick_form_saves_and_the_value_shows_on_其他工作(demo_url):
    certificates = indicator_id(demo_url, "certificates")
    at = page(demo_url)
    at.selectbox(key="iv_subject").set_value(certificates).run()
    lucun = township(demo_url, "鲁村镇")
    at.selectbox(key="iv_unit").set_value(lucun).run()
    before = len(stored(demo_url))
    fill(at, value="9", note="三月集中办证")
    # 鲁村镇's half-year figure (1 January – 30 June) is already there: the form asks before counting both
    assert len(stored(demo_url)) == before
    assert any("与本条期间重叠" in shown(w.value) for w in at.warning)
    at.text_input(key="iv_confirm_note").input("半年数不含三月集中办证")
    at.button(key="iv_confirm_yes").click().run()
    assert not at.exception, at.exception
    new = stored(demo_url)[-1]
    assert (new["indicator_id"], new["township_id"], new["period_start"], new["period_end"], new["value"]) == (
        certificates,
        lucun,
        "2023-03-01",
        "2023-03-31",
        9,
    )
    assert (new["note"], new["warning_note"]) == ("三月集中办证", "半年数不含三月集中办证")
    assert at.date_input(key=f"iv_k_period_start_{YEAR}").value == date(2023, 3, 1)  # kept for the next value
    assert at.selectbox(key="iv_subject").value == certificates
    toast = [shown(t.value) for t in at.toast]
    assert len(toast) == 1 and toast[0].startswith(f"已保存 #{new['id']}：鲁村镇 · 办理残疾人证 9 ")
    board = page(demo_url, "other_work", period="h1")
    shown_rows = {r["指标"]: r for grid_ in board.dataframe for r in grid_.value.to_dict("records")}
    want = plain_sum(demo_url, certificates, "2023-01-01", "2023-06-30")
    assert want == 859 + 9
    assert shown_rows["办理残疾人证"]["本期"] == f"{want:,}"


def test_the_page_shows_errors_beside_the_fields(reference_url):
    at = fill(page(reference_url), value="-3", start=date(2023, 4, 1), end=date(2023, 3, 1))
    assert any("结束日期不能早于开始日期" in e.value for e in at.error)
    assert any("数值不能为负数" in shown(e.value) for e in at.error)
    assert stored(reference_url) == []


def test_the_grid_saves_a_month_for_every_township(reference_url):
    at = page(reference_url)
    at.segmented_control(key="iv_mode").set_value("grid").run()
    at.selectbox(key=f"iv_g_month_{YEAR}").set_value(5).run()
    subject = at.selectbox(key="iv_subject").value
    at.session_state[f"iv_g_editor_0_{subject}_5"] = {
        "edited_rows": {0: {"数值（人）": "3"}, 1: {"数值（人）": "4", "备注（可空）": "含一名外出务工"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.button(key="iv_g_save").click().run()
    assert not at.exception, at.exception
    saved = [
        (r["indicator_id"], r["value"], r["note"], r["period_start"], r["period_end"]) for r in stored(reference_url)
    ]
    assert saved == [
        (subject, 3, "", "2023-05-01", "2023-05-31"),
        (subject, 4, "含一名外出务工", "2023-05-01", "2023-05-31"),
    ]


def test_a_half_year_value_is_corrected_through_the_page(demo_url):
    first = rows(demo_url, "SELECT MIN(id) AS id FROM indicatorvalue WHERE period_start = '2023-01-01'")[0]["id"]
    before = rows(demo_url, "SELECT * FROM indicatorvalue WHERE id = ?", (first,))[0]
    at = page(demo_url, record=str(first))
    suffix = f"{first}_0"
    assert at.date_input(key=f"iv_e_period_end_{suffix}").value == date(2023, 6, 30)
    at.text_input(key=f"iv_e_value_{suffix}").input(str(before["value"] + 1))
    at.form_submit_button[0].click().run()
    assert not at.exception, at.exception
    after = rows(demo_url, "SELECT * FROM indicatorvalue WHERE id = ?", (first,))[0]
    assert (after["value"], after["period_start"], after["period_end"]) == (
        before["value"] + 1,
        "2023-01-01",
        "2023-06-30",
    )
