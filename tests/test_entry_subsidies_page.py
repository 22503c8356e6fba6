"""The disbursement entry page through AppTest: defaults from the rules, the filter's township, kept months,
the toast, warnings, the grid and corrections."""

from __future__ import annotations

from datetime import date

from streamlit.testing.v1 import AppTest

from tests.conftest import rows, shown
from tests.test_entry_page import township_id
from tests.test_pages import page_script

YEAR = "20230101_20231231"


def page(url: str, **params) -> AppTest:
    at = AppTest.from_string(page_script("entry_subsidies", url), default_timeout=60)
    at.query_params["year"] = "2023"
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def fill(at: AppTest, *, count=None, amount=None, gen=0, month=7) -> AppTest:
    at.selectbox(key=f"ps_k_month_from_{YEAR}").select(month)
    at.selectbox(key=f"ps_k_month_to_{YEAR}").select(month)
    at.date_input(key=f"ps_k_paid_date_{YEAR}").set_value(date(2023, month, 10))
    if count is not None:
        at.text_input(key=f"ps_f_recipients_{gen}").input(str(count))
    if amount is not None:
        at.text_input(key=f"ps_f_amount_fen_{gen}").input(str(amount))
    at.form_submit_button[0].click().run()
    assert not at.exception, at.exception
    return at


def disbursements(url: str) -> list[dict]:
    return rows(url, "SELECT * FROM disbursement ORDER BY id")


def test_a_disbursement_with_defaults(reference_url):
    at = page(reference_url)
    township = at.selectbox(key="ps_unit").value
    fill(at, count=20)
    saved = disbursements(reference_url)
    assert len(saved) == 1
    assert (saved[0]["township_id"], saved[0]["standard_fen"], saved[0]["amount_fen"]) == (township, 3000, 60_000)
    assert at.selectbox(key="ps_unit").value == township
    assert [shown(t.value) for t in at.toast] == [
        f"已保存 #{saved[0]['id']}：南麻街道 · 特困残疾人家庭生活补助 20 户，600.00 元（2023-07，2023-07-10 发放）"
    ]


def test_months_and_paid_date_stay_for_the_next_record(reference_url):
    at = page(reference_url)
    fill(at, count=20, month=9)
    assert at.selectbox(key=f"ps_k_month_from_{YEAR}").value == 9
    assert at.selectbox(key=f"ps_k_month_to_{YEAR}").value == 9
    assert at.date_input(key=f"ps_k_paid_date_{YEAR}").value == date(2023, 9, 10)
    at.selectbox(key="ps_unit").select_index(1).run()
    at.text_input(key="ps_f_recipients_1").input("12")
    at.form_submit_button[0].click().run()
    assert [(r["month_from"], r["paid_date"]) for r in disbursements(reference_url)] == [
        ("2023-09-01", "2023-09-10"),
        ("2023-09-01", "2023-09-10"),
    ]


def test_the_form_follows_the_township_of_the_filter(reference_url):
    at = page(reference_url, township="历山街道", period="h1")
    assert at.selectbox(key="ps_unit").value == township_id(reference_url, "历山街道")
    assert at.selectbox(key="ps_k_month_from_20230101_20230630").value == 6  # the filtered period's last month


def test_the_preview_states_the_formula_before_saving(reference_url):
    at = page(reference_url)
    at.selectbox(key=f"ps_k_month_from_{YEAR}").select(7).run()
    at.selectbox(key=f"ps_k_month_to_{YEAR}").select(9).run()
    preview = next(h.proto.body for h in at.get("html") if "entry-preview" in h.proto.body)
    assert "金额 = 人（户）数 × 30.00 元 × 3 个月" in preview  # the browser fills in the count as it is typed


def test_missing_count_is_an_error_beside_the_field(reference_url):
    at = page(reference_url)
    fill(at)
    assert any("请填写人（户）数" in e.value for e in at.error)
    assert disbursements(reference_url) == []


def test_a_changed_amount_is_saved_with_its_reason(reference_url):
    at = page(reference_url)
    fill(at, count=20, amount="550")
    assert disbursements(reference_url) == []
    assert any("请说明原因" in w.value for w in at.warning)
    at.text_input(key="ps_confirm_note").input("一户中途停发")
    at.button(key="ps_confirm_yes").click().run()
    saved = disbursements(reference_url)
    assert (saved[0]["amount_fen"], saved[0]["warning_note"]) == (55_000, "一户中途停发")


def test_the_grid(reference_url):
    at = page(reference_url)
    at.segmented_control(key="ps_mode").set_value("grid").run()
    month = at.selectbox(key=f"ps_g_month_{YEAR}").value
    key = f"ps_g_editor_0_{at.selectbox(key='ps_subject').value}_{month}"
    at.session_state[key] = {
        "edited_rows": {0: {"人（户）数（户）": "20"}, 1: {"人（户）数（户）": "25"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.button(key="ps_g_save").click().run()
    assert not at.exception
    assert [r["amount_fen"] for r in disbursements(reference_url)] == [60_000, 75_000]


def test_the_same_month_twice_warns_through_the_form(reference_url):
    at = page(reference_url)
    fill(at, count=20)
    fill(at, count=20, gen=1)
    assert len(disbursements(reference_url)) == 1
    assert any("是否重复录入" in w.value for w in at.warning)


def test_a_correction_keeps_the_township_and_recomputes_nothing_unasked(reference_url):
    at = page(reference_url)
    fill(at, count=20)
    record = disbursements(reference_url)[0]
    at = page(reference_url, record=str(record["id"]))
    suffix = f"{record['id']}_0"
    assert at.selectbox(key=f"ps_e_unit_{suffix}").value == record["township_id"]
    at.text_input(key=f"ps_e_recipients_{suffix}").input("21")
    at.text_input(key=f"ps_e_amount_fen_{suffix}").input("630")
    at.form_submit_button[0].click().run()
    saved = disbursements(reference_url)[0]
    assert (saved["recipients"], saved["amount_fen"]) == (21, 63_000)
