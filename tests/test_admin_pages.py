"""The administrators' pages save as the signed-in account (no typed name), and the audit log says who."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import rows, shown
from tests.test_levy_entry_pages import column_with
from tests.test_pages import page_script


def test_thresholds_are_saved_by_the_signed_in_administrator(reference_url):
    at = AppTest.from_string(page_script("targets", reference_url, who="王管理"), default_timeout=60)
    at.query_params["year"] = "2023"
    at.run()
    assert not at.exception, at.exception
    at.text_input(key="tg_behind").input("８")  # full-width, from a Chinese input method
    at.text_input(key="tg_far_behind").input("25%")
    next(b for b in at.button if b.label == "保存阈值").click().run()
    assert not at.exception, at.exception
    saved = {r["key"]: r["value"] for r in rows(reference_url, "SELECT key, value FROM appsetting")}
    assert (saved["pace.behind"], saved["pace.far_behind"]) == ("0.08", "0.25")
    assert (at.text_input(key="tg_behind").value, at.text_input(key="tg_far_behind").value) == ("8", "25")
    audit = rows(reference_url, "SELECT actor FROM auditlog WHERE table_name = 'appsetting' ORDER BY id DESC")
    assert audit[0]["actor"] == "王管理"


def test_a_threshold_that_cannot_be_read_is_named_beside_its_field_and_nothing_is_saved(reference_url):
    at = AppTest.from_string(page_script("targets", reference_url, who="王管理"), default_timeout=60)
    at.query_params["year"] = "2023"
    at.run()
    at.text_input(key="tg_behind").input("百分之五")
    at.text_input(key="tg_far_behind").input("120")
    next(b for b in at.button if b.label == "保存阈值").click().run()
    assert not at.exception, at.exception
    beside = {key: [shown(e.value) for e in column_with(at, key).error] for key in ("tg_behind", "tg_far_behind")}
    assert beside == {
        "tg_behind": ["滞后阈值应填写百分数，例如 5 或 12.5（即 5%、12.5%）；“百分之五”不是数字"],
        "tg_far_behind": ["严重滞后阈值应小于 100 个百分点"],
    }
    assert rows(reference_url, "SELECT COUNT(*) AS n FROM appsetting WHERE key LIKE ?", ("pace.%",))[0]["n"] == 0


def test_an_items_amounts_are_typed_as_text_and_read_exactly(reference_url):
    at = AppTest.from_string(page_script("targets", reference_url, who="王管理"), default_timeout=60)
    at.query_params["year"] = "2023"
    at.run()
    item = at.selectbox(key="tg_item").value
    stored = f"SELECT budget_fen, unit_cost_min_fen, unit_cost_max_fen FROM projectitem WHERE id = {item}"
    before = rows(reference_url, stored)
    assert before == [{"budget_fen": 13_500_000, "unit_cost_min_fen": 30_000, "unit_cost_max_fen": 300_000}]
    typed_back = [
        at.text_input(key=f"tg_{f}_{item}").value for f in ("budget_fen", "unit_cost_min_fen", "unit_cost_max_fen")
    ]
    assert typed_back == ["135000", "300", "3000"]  # the stored 元, written plainly
    at.text_input(key=f"tg_budget_fen_{item}").input("1,250,000")
    at.text_input(key=f"tg_unit_cost_min_fen_{item}").input("12.345")
    at.text_input(key=f"tg_unit_cost_max_fen_{item}").input("６０００．５")
    next(b for b in at.button if b.label == "保存").click().run()
    assert not at.exception, at.exception
    assert [shown(e.value) for e in column_with(at, f"tg_unit_cost_min_fen_{item}").error] == [
        "合理单价下限最多两位小数（到分）"
    ]
    assert rows(reference_url, stored) == before  # nothing saved
    at.text_input(key=f"tg_unit_cost_min_fen_{item}").input("−")
    next(b for b in at.button if b.label == "保存").click().run()
    assert [shown(e.value) for e in at.error] == [
        "合理单价下限应填写以元为单位的数字，例如 1350 或 1350.50；“−”不是金额"
    ]
    at.text_input(key=f"tg_unit_cost_min_fen_{item}").input("")  # 可空
    next(b for b in at.button if b.label == "保存").click().run()
    assert not at.exception and not at.error
    assert rows(reference_url, stored) == [
        {"budget_fen": 125_000_000, "unit_cost_min_fen": None, "unit_cost_max_fen": 600_050}
    ]
    assert at.text_input(key=f"tg_budget_fen_{item}").value == "1250000"  # typed back plainly
    assert at.text_input(key=f"tg_unit_cost_max_fen_{item}").value == "6000.50"


def test_an_items_planned_months_are_chosen_on_the_targets_page_and_a_reversed_span_is_refused(reference_url):
    at = AppTest.from_string(page_script("targets", reference_url, who="王管理"), default_timeout=60)
    at.query_params["year"] = "2023"
    at.run()
    plan = {s.label: s for s in at.selectbox if s.label in ("计划实施期：从", "到")}
    plan["计划实施期：从"].set_value(9)
    plan["到"].set_value(3)
    next(b for b in at.button if b.label == "保存").click().run()
    assert any(e.value == "计划结束月份不能早于开始月份" for e in at.error)
    stored = "SELECT plan_start_month AS a, plan_end_month AS b FROM projectitem WHERE code = 'wheelchair'"
    assert {(r["a"], r["b"]) for r in rows(reference_url, stored)} == {(None, None)}
    plan = {s.label: s for s in at.selectbox if s.label in ("计划实施期：从", "到")}
    plan["计划实施期：从"].set_value(7)
    plan["到"].set_value(12)
    next(b for b in at.button if b.label == "保存").click().run()
    assert not at.exception and not at.error
    assert (7, 12) in {(r["a"], r["b"]) for r in rows(reference_url, stored)}


def accounts_page(url: str) -> AppTest:
    at = AppTest.from_string(page_script("accounts", url, who="王管理"), default_timeout=60)
    at.query_params["year"] = "2023"
    return at.run()


def test_an_administrator_adds_an_account_and_a_short_password_is_refused_beside_the_field(reference_url):
    at = accounts_page(reference_url)
    form = {t.label: t for t in at.text_input}
    form["用户名（登录用，字母或数字）"].input("zhangsan")
    form["姓名"].input("张三")
    form["初始密码"].input("123")
    next(b for b in at.button if b.label == "新增").click().run()
    assert any("密码" in e.value for e in at.error)
    assert rows(reference_url, "SELECT COUNT(*) AS n FROM account WHERE username = 'zhangsan'")[0]["n"] == 0
    {t.label: t for t in at.text_input}["初始密码"].input("张三的密码-2023")
    next(b for b in at.button if b.label == "新增").click().run()
    assert not at.exception, at.exception
    made = rows(reference_url, "SELECT display_name, role, password_hash FROM account WHERE username = 'zhangsan'")
    assert made[0]["display_name"] == "张三" and made[0]["password_hash"].startswith("$argon2id$")
    audit = rows(reference_url, "SELECT actor FROM auditlog WHERE table_name = 'account' ORDER BY id DESC")
    assert audit[0]["actor"] == "王管理"


def test_only_an_administrator_manages_accounts(reference_url):
    import pytest

    from data_layer import auth
    from data_layer.domain.errors import ValidationFailed
    from tests.conftest import person

    with pytest.raises(ValidationFailed, match="只有管理员"):
        auth.create_account(
            reference_url,
            username="x1",
            display_name="某",
            role="admin",
            password="够长的密码-2023",
            by=person("科员", "staff"),
        )
    assert rows(reference_url, "SELECT COUNT(*) AS n FROM account")[0]["n"] == 0


def test_the_boards_setting_closes_the_boards_to_visitors(reference_url):
    from data_layer import app_settings

    at = accounts_page(reference_url)
    at.button(key="ac_boards").click().run()
    assert not at.exception, at.exception
    assert app_settings.boards_public(reference_url) is False


def test_a_subsidy_standard_is_typed_in_yuan_and_read_exactly(reference_url):
    from datetime import date

    at = AppTest.from_string(page_script("subsidy_types", reference_url, who="王管理"), default_timeout=60)
    at.query_params["year"] = "2023"
    at.run()
    assert not at.exception, at.exception
    type_id = at.selectbox(key="st_type").value
    before = rows(reference_url, "SELECT COUNT(*) AS n FROM subsidystandard")[0]["n"]
    at.date_input(key="st_from").set_value(date(2023, 7, 1))
    at.text_input(key="st_amount").input("12.345")
    next(b for b in at.button if b.label == "保存标准").click().run()
    assert not at.exception, at.exception
    assert [shown(e.value) for e in column_with(at, "st_amount").error] == ["标准最多两位小数（到分）"]
    assert rows(reference_url, "SELECT COUNT(*) AS n FROM subsidystandard")[0]["n"] == before
    at.text_input(key="st_amount").input("６，０００．５元")  # full-width, a thousands separator and the unit
    next(b for b in at.button if b.label == "保存标准").click().run()
    assert not at.exception and not at.error
    saved = rows(
        reference_url,
        f"SELECT amount_fen FROM subsidystandard WHERE type_id = {type_id} AND effective_from = '2023-07-01'",
    )
    assert saved == [{"amount_fen": 600_050}]
    assert 6000.5 in set(next(d.value for d in at.dataframe if "标准" in d.value.columns)["标准"])  # the grid's 元
    assert [shown(t.value) for t in at.toast][-1].endswith("2023年7月1日起 6,000.50 元")


def test_township_targets_are_typed_as_text_and_a_cell_that_cannot_be_read_saves_nothing(reference_url):
    at = AppTest.from_string(page_script("targets", reference_url, who="王管理"), default_timeout=60)
    at.query_params["year"] = "2023"
    at.run()
    item = at.selectbox(key="tg_item").value
    grid = f"tg_towns_{item}"
    first, second = [
        r["id"] for r in rows(reference_url, "SELECT id FROM township WHERE active ORDER BY sort_order, id")
    ][:2]
    stored = f"SELECT township_id, target FROM itemtownshiptarget WHERE item_id = {item}"
    before = rows(reference_url, stored)
    at.session_state[grid] = {
        "edited_rows": {0: {"目标": "１２台"}, 1: {"目标": "abc"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    at.button(key="tg_save_towns").click().run()
    assert not at.exception, at.exception
    name = rows(reference_url, f"SELECT name FROM township WHERE id = {second}")[0]["name"]
    assert [shown(e.value) for e in at.error] == [f"{name}的目标应填写整数，例如 12；“abc”不是整数"]
    assert rows(reference_url, stored) == before  # nothing written
    at.session_state[grid] = {
        "edited_rows": {0: {"目标": "１２台"}, 1: {"目标": "3"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    at.button(key="tg_save_towns").click().run()
    assert not at.exception and not at.error
    after = {r["township_id"]: r["target"] for r in rows(reference_url, stored)}
    assert (after[first], after[second]) == (12, 3)
