"""The progress entry page through AppTest: save, errors beside fields, warnings to confirm, corrections."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import rows
from tests.test_pages import PAGE_SCRIPT


def entry_page(url: str, **params) -> AppTest:
    at = AppTest.from_string(PAGE_SCRIPT.format(module="entry_projects", url=url), default_timeout=60)
    at.query_params["year"] = "2023"
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def progress(url: str) -> list[dict]:
    return rows(url, "SELECT * FROM progressentry ORDER BY id")


def fill(at: AppTest, *, qty=None, amount=None, note="", gen=0) -> AppTest:
    at.text_input(key="actor").input("张三")
    if qty is not None:
        at.number_input(key=f"pe_qty_{gen}").set_value(qty)
    if amount is not None:
        at.number_input(key=f"pe_amt_{gen}").set_value(amount)
    at.text_input(key=f"pe_note_{gen}").input(note)
    at.form_submit_button[0].click().run()
    assert not at.exception, at.exception
    return at


def test_quick_entry_saves_and_keeps_item_and_township(reference_url):
    at = entry_page(reference_url)
    at.selectbox(key="pe_township").select_index(3).run()  # 鲁村镇
    chosen = at.selectbox(key="pe_township").value
    fill(at, qty=3, amount=1350.0, note="助残日")
    saved = progress(reference_url)
    assert len(saved) == 1
    assert (saved[0]["quantity"], saved[0]["amount_fen"], saved[0]["note"], saved[0]["created_by"]) == (
        3,
        135_000,
        "助残日",
        "张三",
    )
    assert saved[0]["township_id"] == chosen
    assert any("已保存" in t.value for t in at.toast)
    assert at.selectbox(key="pe_township").value == chosen  # kept for the next entry
    assert at.number_input(key="pe_qty_1").value is None  # a fresh, empty form


@pytest.mark.parametrize(("qty", "amount", "message"), [(None, 100.0, "请填写数量"), (2, None, None)])
def test_bad_input_shows_a_message_and_writes_nothing(reference_url, qty, amount, message):
    at = entry_page(reference_url)
    fill(at, qty=qty, amount=amount)
    if message:
        assert progress(reference_url) == []
        assert any(message in e.value for e in at.error)
        assert at.number_input(key="pe_amt_0").value == 100.0  # the typed values stay for correcting
    else:  # wheelchairs record money: a quantity without an amount is a warning to confirm, not a silent 0
        assert progress(reference_url) == []
        assert any("金额为 0" in w.value for w in at.warning)


def test_a_missing_name_is_an_error(reference_url):
    at = entry_page(reference_url)
    at.number_input(key="pe_qty_0").set_value(3)
    at.form_submit_button[0].click().run()
    assert any("请填写录入人" in e.value for e in at.error)
    assert progress(reference_url) == []


def test_a_suspicious_value_is_saved_only_when_confirmed(reference_url):
    at = entry_page(reference_url)
    fill(at, qty=2, amount=20.0)
    assert progress(reference_url) == []
    assert any("单价" in w.value for w in at.warning)
    at.text_input(key="pe_confirm_note").input("二手轮椅，已核实")
    at.button(key="pe_confirm_yes").click().run()
    saved = progress(reference_url)
    assert len(saved) == 1 and saved[0]["warning_note"] == "二手轮椅，已核实"


def test_edit_delete_restore_through_the_page(reference_url):
    at = entry_page(reference_url)
    fill(at, qty=3, amount=1350.0)
    entry_id = progress(reference_url)[0]["id"]
    at = entry_page(reference_url, entry=str(entry_id))
    at.text_input(key="actor").input("王五").run()
    suffix = f"{entry_id}_0"
    assert at.number_input(key=f"pe_e_qty_{suffix}").value == 3
    at.number_input(key=f"pe_e_qty_{suffix}").set_value(4)
    at.form_submit_button[0].click().run()
    assert progress(reference_url)[0]["quantity"] == 4
    at.button(key=f"pe_delete_{entry_id}").click().run()
    assert progress(reference_url)[0]["deleted_at"] is not None
    at.button(key=f"pe_restore_{entry_id}").click().run()
    assert progress(reference_url)[0]["deleted_at"] is None
    actions = [r["action"] for r in rows(reference_url, "SELECT action FROM auditlog WHERE table_name='progressentry'")]
    assert actions == ["create", "update", "delete", "restore"]


def test_the_month_grid_saves_every_filled_row(reference_url):
    at = entry_page(reference_url)
    at.text_input(key="actor").input("张三")
    at.segmented_control(key="pe_mode").set_value("grid").run()
    editor_key = f"pg_editor_0_{at.selectbox(key='pe_item').value}_{at.selectbox(key='pg_month').value}"
    at.session_state[editor_key] = {
        "edited_rows": {0: {"数量": 2, "金额（元）": 900.0}, 2: {"数量": 1, "金额（元）": 450.0}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.button(key="pg_save").click().run()
    assert not at.exception
    saved = progress(reference_url)
    assert [(r["quantity"], r["amount_fen"]) for r in saved] == [(2, 90_000), (1, 45_000)]


@pytest.mark.parametrize(("qty", "amount", "word"), [(700, 700 * 450.0, "剩余目标"), (2, 20.0, "单价")])
def test_each_warning_through_the_form(reference_url, qty, amount, word):
    at = entry_page(reference_url)
    fill(at, qty=qty, amount=amount)
    assert progress(reference_url) == []
    assert any(word in w.value for w in at.warning)
    at.button(key="pe_confirm_no").click().run()  # 返回修改: nothing saved, the warning goes
    assert progress(reference_url) == [] and not at.warning


def test_a_repeat_through_the_form(reference_url):
    at = entry_page(reference_url)
    fill(at, qty=3, amount=1350.0)
    fill(at, qty=3, amount=1350.0, gen=1)
    assert len(progress(reference_url)) == 1
    assert any("7 天内已有一条相同的记录" in w.value for w in at.warning)
