"""The entry workflow (pages/common/entry.py) with a toy record type: save, keep, confirm, grid, edit,
delete, restore — the component alone, its services in memory (tests/toy_entry.py)."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from tests import toy_entry as toy
from tests.conftest import shown

SCRIPT = """
from datetime import date
from data_layer.domain.scope import FilterSpec, make_scope
from pages.common.context import ViewContext, publish
from pages.common.entry import render_entry
from tests.conftest import signed_in_as
from tests.toy_entry import SPEC, TODAY

spec = FilterSpec(2023, "h1", townships=("乙镇",))
publish(ViewContext(url="toy", spec=spec, scope=make_scope(spec, [2]), today=TODAY, counties=(),
                    townships=spec.townships, multi_county=False, who=signed_in_as("张三")))
render_entry(SPEC)
"""
KEPT_DAY = "toy_k_day_20230101_20230630"


@pytest.fixture(autouse=True)
def _empty_store():
    toy.reset()
    yield
    toy.reset()


def app(**params) -> AppTest:
    at = AppTest.from_string(SCRIPT, default_timeout=30)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


def save(at: AppTest, parcels: str, gen: int, note: str = "") -> AppTest:
    at.text_input(key=f"toy_f_parcels_{gen}").input(parcels)
    at.text_input(key=f"toy_f_note_{gen}").input(note)
    at.form_submit_button[0].click().run()
    assert not at.exception, at.exception
    return at


def test_a_save_keeps_subject_township_and_date_and_names_the_record():
    at = app()
    assert at.selectbox(key="toy_unit").value == 2  # the township chosen in the filter
    assert at.date_input(key=KEPT_DAY).value == date(2023, 6, 30)  # today, clamped into the filtered period
    at.selectbox(key="toy_subject").select(11)
    at.date_input(key=KEPT_DAY).set_value(date(2023, 5, 20))
    save(at, "12", gen=0)
    assert toy.STORE[1] | {"created_at": None} == {
        "id": 1,
        "kind_id": 11,
        "township_id": 2,
        "day": date(2023, 5, 20),
        "parcels": 12,
        "note": "",
        "warning_note": "",
        "created_by": "张三",
        "created_at": None,
        "deleted_at": None,
    }
    assert [shown(t.value) for t in at.toast] == ["已保存 #1：乙镇 12 件（2023-05-20）"]
    assert at.selectbox(key="toy_subject").value == 11
    assert at.selectbox(key="toy_unit").value == 2
    assert at.date_input(key=KEPT_DAY).value == date(2023, 5, 20)
    assert at.text_input(key="toy_f_parcels_1").value == ""  # a fresh, empty form
    save(at, "3", gen=1)
    assert [r["day"] for r in toy.STORE.values()] == [date(2023, 5, 20)] * 2


@pytest.mark.parametrize(
    ("typed", "message"),
    [("", "请填写件数"), ("2.5", "件数必须是整数"), ("1e20", "件数应填写整数"), ("-3", "件数不能为负数")],
)
def test_bad_input_gets_a_message_beside_the_field_and_nothing_is_saved(typed, message):
    at = app()
    save(at, typed, gen=0)
    assert toy.STORE == {}
    assert len(at.error) == 1 and message in at.error[0].value
    assert at.text_input(key="toy_f_parcels_0").value == typed  # kept for correcting


def test_unreadable_numbers_never_reach_the_service():
    at = app()
    save(at, "三件", gen=0)
    assert toy.CALLS == [] and toy.STORE == {}


def test_full_width_digits_and_separators_are_read_as_meant():
    at = app()
    save(at, "１２ ", gen=0)  # typed with a Chinese input method
    save(at, "7件", gen=1)
    assert [r["parcels"] for r in toy.STORE.values()] == [12, 7]


def test_a_warning_is_saved_only_once_confirmed_with_its_note():
    at = app()
    save(at, "150", gen=0)
    assert toy.STORE == {} and "件数 150 超过 100" in at.warning[0].value
    at.text_input(key="toy_confirm_note").input("春节集中发放")
    at.button(key="toy_confirm_yes").click().run()
    assert toy.STORE[1]["parcels"] == 150 and toy.STORE[1]["warning_note"] == "春节集中发放"
    assert not at.warning and shown(at.toast[0].value).startswith("已保存 #1")


def test_going_back_from_a_warning_saves_nothing():
    at = app()
    save(at, "150", gen=0)
    at.button(key="toy_confirm_no").click().run()
    assert toy.STORE == {} and not at.warning


def test_the_grid_saves_all_rows_or_none_and_shows_each_rows_problem():
    at = app()
    at.segmented_control(key="toy_mode").set_value("grid").run()
    assert at.selectbox(key="toy_g_month_20230101_20230630").value == 6  # the filter's period, not December
    grid = at.dataframe[0].value if at.dataframe else None
    editor = "toy_g_editor_0_10_6"
    at.session_state[editor] = {
        "edited_rows": {0: {"件数": "4"}, 1: {"件数": "2.5"}, 2: {"件数": "7", "备注": "补发"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.button(key="toy_g_save").click().run()
    assert toy.STORE == {} and toy.CALLS == []  # 2.5 is not a count: nothing is sent, nothing saved
    problems = at.session_state["toy_g_problems"]
    assert set(problems) == {2} and "件数必须是整数" in problems[2].errors["parcels"]
    at.session_state[editor] = {
        "edited_rows": {0: {"件数": "4"}, 1: {"件数": "200"}, 2: {"件数": "7", "备注": "补发"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.button(key="toy_g_save").click().run()
    assert toy.STORE == {}  # 200 needs confirming: the whole grid waits
    at.checkbox(key="toy_g_confirm").check().run()
    at.button(key="toy_g_save").click().run()
    assert [(r["township_id"], r["parcels"], r["note"]) for r in toy.STORE.values()] == [
        (1, 4, ""),
        (2, 200, ""),
        (3, 7, "补发"),
    ]
    assert "已保存 3 条" in shown(at.toast[0].value) and "件数 211" in shown(at.toast[0].value)
    assert grid is not None and not grid.isna().any().any()  # empty cells are empty, never “None”


def stored(township_id: int) -> None:
    values = {"kind_id": 10, "township_id": township_id, "day": date(2023, 4, 1), "parcels": 5, "note": ""}
    toy._store({**values, "actor": "李四"}, {}, "")


def test_edit_delete_and_restore_through_a_link():
    stored(3)
    at = app(record="1")
    assert at.segmented_control(key="toy_mode").value == "edit"
    assert at.text_input(key="toy_e_parcels_1_0").value == "5"
    at.text_input(key="toy_e_parcels_1_0").input("6")
    at.form_submit_button[0].click().run()
    assert toy.STORE[1]["parcels"] == 6 and shown(at.toast[0].value) == "已修改 #1"
    at.button(key="toy_e_delete_1").click().run()
    assert toy.STORE[1]["deleted_at"] is not None
    assert list(at.dataframe[-1].value["编号"]) == [1]  # in the 回收站
    at.button(key="toy_e_restore_1").click().run()
    assert toy.STORE[1]["deleted_at"] is None


def test_an_edit_keeps_a_township_that_is_no_longer_listed():
    stored(9)  # a township the choices no longer list
    at = app(record="1")
    assert at.selectbox(key="toy_e_unit_1_0").value == 9
    at.form_submit_button[0].click().run()
    assert toy.STORE[1]["township_id"] == 9  # saving never moves the record to another township


def test_a_record_number_that_is_not_a_number_gets_a_message():
    at = app()
    at.segmented_control(key="toy_mode").set_value("edit").run()
    at.text_input(key="toy_e_id").input("abc").run()
    assert "记录编号应填写整数" in at.error[0].value
    at.text_input(key="toy_e_id").input("42").run()
    assert at.error[0].value == "没有编号为 42 的发放记录"
