"""The disbursement entry page through AppTest."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import rows
from tests.test_pages import PAGE_SCRIPT


def page(url: str, **params) -> AppTest:
    at = AppTest.from_string(PAGE_SCRIPT.format(module="entry_subsidies", url=url), default_timeout=60)
    at.query_params["year"] = "2023"
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def fill(at: AppTest, *, count=None, amount=None, gen=0) -> AppTest:
    at.text_input(key="actor").input("张三")
    at.selectbox(key=f"ps_from_{gen}").select(7)
    at.selectbox(key=f"ps_to_{gen}").select(7)
    if count is not None:
        at.number_input(key=f"ps_count_{gen}").set_value(count)
    if amount is not None:
        at.number_input(key=f"ps_amt_{gen}").set_value(amount)
    at.form_submit_button[0].click().run()
    assert not at.exception, at.exception
    return at


def test_a_disbursement_with_defaults(reference_url):
    at = page(reference_url)
    township = at.selectbox(key="ps_township").value
    fill(at, count=20)
    saved = rows(reference_url, "SELECT * FROM disbursement")
    assert len(saved) == 1
    assert (saved[0]["township_id"], saved[0]["standard_fen"], saved[0]["amount_fen"]) == (township, 3000, 60_000)
    assert at.selectbox(key="ps_township").value == township
    assert any("已保存" in t.value for t in at.toast)


def test_missing_count_is_an_error_beside_the_field(reference_url):
    at = page(reference_url)
    fill(at)
    assert any("请填写人（户）数" in e.value for e in at.error)
    assert rows(reference_url, "SELECT * FROM disbursement") == []


def test_a_changed_amount_is_saved_with_its_reason(reference_url):
    at = page(reference_url)
    fill(at, count=20, amount=550.0)
    assert rows(reference_url, "SELECT * FROM disbursement") == []
    assert any("请说明原因" in w.value for w in at.warning)
    at.text_input(key="ps_confirm_note").input("一户中途停发")
    at.button(key="ps_confirm_yes").click().run()
    saved = rows(reference_url, "SELECT * FROM disbursement")
    assert (saved[0]["amount_fen"], saved[0]["warning_note"]) == (55_000, "一户中途停发")


def test_the_grid(reference_url):
    at = page(reference_url)
    at.text_input(key="actor").input("张三")
    at.segmented_control(key="ps_mode").set_value("grid").run()
    key = f"psg_editor_0_{at.selectbox(key='ps_type').value}_{at.selectbox(key='psg_month').value}"
    at.session_state[key] = {
        "edited_rows": {0: {"人（户）数": 20}, 1: {"人（户）数": 25}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.button(key="psg_save").click().run()
    assert not at.exception
    assert [r["amount_fen"] for r in rows(reference_url, "SELECT * FROM disbursement ORDER BY id")] == [60_000, 75_000]


def test_the_same_month_twice_warns_through_the_form(reference_url):
    at = page(reference_url)
    fill(at, count=20)
    fill(at, count=20, gen=1)
    assert len(rows(reference_url, "SELECT * FROM disbursement")) == 1
    assert any("是否重复录入" in w.value for w in at.warning)
