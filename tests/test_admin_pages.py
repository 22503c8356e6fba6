"""The administrators' pages save as the signed-in account (no typed name), and the audit log says who."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import rows
from tests.test_pages import page_script


def test_thresholds_are_saved_by_the_signed_in_administrator(reference_url):
    at = AppTest.from_string(page_script("targets", reference_url, who="王管理"), default_timeout=60)
    at.query_params["year"] = "2023"
    at.run()
    assert not at.exception, at.exception
    by_label = {n.label: n for n in at.number_input}
    by_label["滞后：完成进度落后序时进度超过（百分点）"].set_value(8.0)
    by_label["严重滞后：落后超过（百分点）"].set_value(25.0)
    next(b for b in at.button if b.label == "保存阈值").click().run()
    assert not at.exception, at.exception
    saved = {r["key"]: r["value"] for r in rows(reference_url, "SELECT key, value FROM appsetting")}
    assert (saved["pace.behind"], saved["pace.far_behind"]) == ("0.08", "0.25")
    audit = rows(reference_url, "SELECT actor FROM auditlog WHERE table_name = 'appsetting' ORDER BY id DESC")
    assert audit[0]["actor"] == "王管理"


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
