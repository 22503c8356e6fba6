"""The progress entry page through AppTest: save, errors beside fields, warnings to confirm, corrections,
and what a new user met (the date, the township of the filter, the toast)."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import rows, shown
from tests.test_pages import page_script

YEAR = "k_entry_date_20230101_20231231"  # the kept date's key under the 2023 (whole year) filter


def entry_page(url: str, **params) -> AppTest:
    at = AppTest.from_string(page_script("entry_projects", url), default_timeout=60)
    at.query_params["year"] = "2023"
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def progress(url: str) -> list[dict]:
    return rows(url, "SELECT * FROM progressentry ORDER BY id")


def township_id(url: str, name: str) -> int:
    return rows(url, "SELECT id FROM township WHERE name = ?", (name,))[0]["id"]


def fill(at: AppTest, *, qty=None, amount=None, note="", gen=0) -> AppTest:
    if qty is not None:
        at.text_input(key=f"pe_f_quantity_{gen}").input(str(qty))
    if amount is not None:
        at.text_input(key=f"pe_f_amount_fen_{gen}").input(str(amount))
    at.text_input(key=f"pe_f_note_{gen}").input(note)
    at.form_submit_button[0].click().run()
    assert not at.exception, at.exception
    return at


def test_quick_entry_saves_and_keeps_item_township_and_date(reference_url):
    at = entry_page(reference_url)
    at.selectbox(key="pe_unit").select_index(3).run()  # 鲁村镇
    chosen = at.selectbox(key="pe_unit").value
    at.date_input(key=f"pe_{YEAR}").set_value(date(2023, 5, 20))
    fill(at, qty=3, amount="1350", note="助残日")
    saved = progress(reference_url)
    assert len(saved) == 1
    assert (saved[0]["quantity"], saved[0]["amount_fen"], saved[0]["note"], saved[0]["created_by"]) == (
        3,
        135_000,
        "助残日",
        "张三",
    )
    assert saved[0]["township_id"] == chosen and saved[0]["entry_date"] == "2023-05-20"
    # the toast names the township, the item, the quantity and the money
    toast = f"已保存 #{saved[0]['id']}：鲁村镇 · 捐赠轮椅 3 台，1,350.00 元（2023-05-20）"
    assert [shown(t.value) for t in at.toast] == [toast]
    assert at.selectbox(key="pe_unit").value == chosen  # kept for the next entry
    assert at.date_input(key=f"pe_{YEAR}").value == date(2023, 5, 20)  # the date too: a batch shares it
    assert at.text_input(key="pe_f_quantity_1").value == ""  # a fresh, empty form


@pytest.mark.parametrize(
    ("params", "expected"),
    [({}, date(2023, 12, 31)), ({"period": "h1"}, date(2023, 6, 30)), ({"period": "q1"}, date(2023, 3, 31))],
)
def test_the_date_starts_at_today_clamped_into_the_filtered_period(reference_url, params, expected):
    at = entry_page(reference_url, **params)
    period = {"h1": "20230101_20230630", "q1": "20230101_20230331"}.get(params.get("period"), "20230101_20231231")
    assert at.date_input(key=f"pe_k_entry_date_{period}").value == expected  # today is in 2026: past the year


def test_the_form_follows_the_township_of_the_filter(reference_url):
    at = entry_page(reference_url, township="历山街道")
    assert at.selectbox(key="pe_unit").value == township_id(reference_url, "历山街道")


@pytest.mark.parametrize(
    ("qty", "amount", "message"),
    [(None, "100", "请填写数量"), ("2.5", "900", "必须是整数"), ("2", "1e20", "不是金额"), ("2", "12.345", "两位小数")],
)
def test_bad_input_shows_a_message_and_writes_nothing(reference_url, qty, amount, message):
    at = entry_page(reference_url)
    fill(at, qty=qty, amount=amount)
    assert progress(reference_url) == []
    assert any(message in e.value for e in at.error)
    assert at.text_input(key="pe_f_amount_fen_0").value == amount  # the typed values stay for correcting


def test_a_quantity_without_money_is_a_warning_for_an_item_that_records_money(reference_url):
    at = entry_page(reference_url)
    fill(at, qty=2)
    assert progress(reference_url) == []
    assert any("金额为 0" in w.value for w in at.warning)
    at.text_input(key="pe_confirm_note").input("捐赠，未花钱")
    at.button(key="pe_confirm_yes").click().run()
    saved = progress(reference_url)
    assert (saved[0]["amount_fen"], saved[0]["warning_note"]) == (0, "捐赠，未花钱")


@pytest.mark.parametrize(
    ("role", "areas", "message"),
    [("leader", None, "领导）不能录入重点工程"), ("staff", ("subsidies",), "科室人员）不能录入重点工程")],
)
def test_an_account_without_the_area_gets_a_message_and_no_form(reference_url, role, areas, message):
    at = AppTest.from_string(
        page_script("entry_projects", reference_url, who="王五", role=role, areas=areas), default_timeout=60
    )
    at.query_params["year"] = "2023"
    at.run()
    assert any(message in w.value for w in at.warning)
    assert len(at.form_submit_button) == 0 and progress(reference_url) == []


def test_a_suspicious_value_is_saved_only_when_confirmed(reference_url):
    at = entry_page(reference_url)
    fill(at, qty=2, amount="20")
    assert progress(reference_url) == []
    assert any("单价" in w.value for w in at.warning)
    at.text_input(key="pe_confirm_note").input("二手轮椅，已核实")
    at.button(key="pe_confirm_yes").click().run()
    saved = progress(reference_url)
    assert len(saved) == 1 and saved[0]["warning_note"] == "二手轮椅，已核实"


def test_edit_delete_restore_through_the_page(reference_url):
    at = entry_page(reference_url)
    fill(at, qty=3, amount="1350")
    entry_id = progress(reference_url)[0]["id"]
    at = entry_page(reference_url, record=str(entry_id))
    suffix = f"{entry_id}_0"
    assert at.text_input(key=f"pe_e_quantity_{suffix}").value == "3"
    assert at.text_input(key=f"pe_e_amount_fen_{suffix}").value == "1350"  # typed back plainly
    at.text_input(key=f"pe_e_quantity_{suffix}").input("4")
    at.text_input(key=f"pe_e_amount_fen_{suffix}").input("1800")
    at.form_submit_button[0].click().run()
    assert (progress(reference_url)[0]["quantity"], progress(reference_url)[0]["amount_fen"]) == (4, 180_000)
    at.button(key=f"pe_e_delete_{entry_id}").click().run()
    assert progress(reference_url)[0]["deleted_at"] is not None
    at.button(key=f"pe_e_restore_{entry_id}").click().run()
    assert progress(reference_url)[0]["deleted_at"] is None
    actions = [r["action"] for r in rows(reference_url, "SELECT action FROM auditlog WHERE table_name='progressentry'")]
    assert actions == ["create", "update", "delete", "restore"]


def test_an_old_entry_link_still_opens_the_record(reference_url):
    at = entry_page(reference_url)
    fill(at, qty=3, amount="1350")
    entry_id = progress(reference_url)[0]["id"]
    at = entry_page(reference_url, entry=str(entry_id))  # bookmarks from before ?record=
    assert at.segmented_control(key="pe_mode").value == "edit"
    assert at.text_input(key=f"pe_e_quantity_{entry_id}_0").value == "3"


def test_the_month_grid_saves_every_filled_row(reference_url):
    at = entry_page(reference_url, period="h1")
    at.segmented_control(key="pe_mode").set_value("grid").run()
    month = at.selectbox(key="pe_g_month_20230101_20230630").value
    assert month == 6  # the filtered half-year's last month, not December
    editor_key = f"pe_g_editor_0_{at.selectbox(key='pe_subject').value}_{month}"
    at.session_state[editor_key] = {
        "edited_rows": {0: {"数量（台）": "2", "金额（元）": "900"}, 2: {"数量（台）": "1", "金额（元）": "450"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.button(key="pe_g_save").click().run()
    assert not at.exception
    saved = progress(reference_url)
    assert [(r["quantity"], r["amount_fen"], r["entry_date"]) for r in saved] == [
        (2, 90_000, "2023-06-30"),
        (1, 45_000, "2023-06-30"),
    ]
    assert "已保存 2 条" in shown(at.toast[0].value) and "数量（台） 3" in shown(at.toast[0].value)


def test_a_grid_row_that_cannot_be_read_writes_nothing(reference_url):
    at = entry_page(reference_url)
    at.segmented_control(key="pe_mode").set_value("grid").run()
    month = at.selectbox(key="pe_g_month_20230101_20231231").value
    editor_key = f"pe_g_editor_0_{at.selectbox(key='pe_subject').value}_{month}"
    at.session_state[editor_key] = {
        "edited_rows": {0: {"数量（台）": "2", "金额（元）": "900"}, 1: {"数量（台）": "1", "金额（元）": "−450"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.button(key="pe_g_save").click().run()
    assert progress(reference_url) == []  # “−450” is read as minus 450 and refused, never stored as +450
    problems = at.session_state["pe_g_problems"]
    assert "金额不能为负数" in problems[township_id(reference_url, "历山街道")].text()


@pytest.mark.parametrize(("qty", "amount", "word"), [(700, 700 * 450, "剩余目标"), (2, 20, "单价")])
def test_each_warning_through_the_form(reference_url, qty, amount, word):
    at = entry_page(reference_url)
    fill(at, qty=qty, amount=amount)
    assert progress(reference_url) == []
    assert any(word in w.value for w in at.warning)
    at.button(key="pe_confirm_no").click().run()  # 返回修改: nothing saved, the warning goes
    assert progress(reference_url) == [] and not at.warning


def test_a_repeat_through_the_form(reference_url):
    at = entry_page(reference_url)
    fill(at, qty=3, amount="1350")
    fill(at, qty=3, amount="1350", gen=1)
    assert len(progress(reference_url)) == 1
    assert any("7 天内已有一条相同的记录" in w.value for w in at.warning)


def test_after_a_lost_connection_the_page_shows_my_last_saves(reference_url):
    at = entry_page(reference_url)
    at.selectbox(key="pe_unit").select_index(3).run()  # 鲁村镇
    fill(at, qty=3, amount="1350")
    entry_id = progress(reference_url)[0]["id"]
    again = entry_page(reference_url)  # a new session: the server restarted, the page reconnected
    assert any(f"#{entry_id} 鲁村镇 · 捐赠轮椅 3 台" in shown(c.value) for c in again.caption)
