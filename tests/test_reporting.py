"""填报情况: the township × month table against a count made directly in SQL; a township officer sees their
own row; an administrator closes a month on the page and the column says 已结账."""

from __future__ import annotations

from collections import Counter
from datetime import date

from streamlit.testing.v1 import AppTest

from data_layer.domain.scope import FilterSpec, make_scope
from data_layer.queries import reporting
from tests.conftest import rows
from tests.test_pages import page_script


def test_the_counts_are_those_of_the_store(demo_url):
    scope = make_scope(FilterSpec(2023, "h1"), [])
    found = reporting.entered_by_month(demo_url, scope)
    sources = {
        "重点工程": ("progressentry", "entry_date"),
        "补贴发放": ("disbursement", "paid_date"),
        "信息宣传": ("article", "published_on"),
        "其他工作": ("indicatorvalue", "period_start"),
    }
    for area, (table, day) in sources.items():
        deleted = "AND deleted_at IS NULL" if table != "indicatorvalue" else ""
        raw = rows(
            demo_url,
            f"SELECT t.name AS township, {day} AS day FROM {table} x JOIN township t ON t.id = x.township_id "
            f"WHERE {day} >= '2023-01-01' AND {day} <= '2023-06-30' {deleted}",
        )
        expected = Counter((r["township"], int(str(r["day"])[5:7])) for r in raw)
        mine = found[found["area"] == area]
        cells = zip(mine["township"], mine["month"], strict=True)
        assert dict(zip(cells, mine["entries"], strict=True)) == expected, area


def page(url: str, **who) -> AppTest:
    at = AppTest.from_string(page_script("reporting", url, **who), default_timeout=60)
    at.query_params["year"] = "2023"
    at.query_params["period"] = "h1"
    return at.run()


def test_a_township_officer_sees_only_their_own_row(demo_url):
    lucun = rows(demo_url, "SELECT id FROM township WHERE name = '鲁村镇'")[0]["id"]
    at = page(demo_url, who="鲁村干事", role="township", township_id=lucun, township="鲁村镇")
    assert not at.exception, at.exception
    assert list(at.dataframe[0].value["乡镇"]) == ["鲁村镇"]
    assert not any(b.label == "结账" for b in at.button)  # closing months is for administrators


def test_an_administrator_closes_a_month_and_the_column_says_so(demo_url):
    at = page(demo_url)
    at.button_group(key="rp_months_0").set_value([date(2023, 5, 1), date(2023, 6, 1)])
    at.button(key="rp_close_go").click().run()
    assert not at.exception, at.exception
    assert rows(demo_url, "SELECT month FROM periodlock") == []  # asked once first, naming the months
    assert any("将结账 2 个月：2023年5月、2023年6月" in w.value for w in at.warning)
    at.text_input(key="rp_close_confirm_note").input("上半年已上报")
    at.button(key="rp_close_confirm_yes").click().run()
    assert [str(r["month"]) for r in rows(demo_url, "SELECT month FROM periodlock")] == ["2023-05-01", "2023-06-01"]
    at.button_group(key="rp_back_0").set_value([date(2023, 5, 1), date(2023, 6, 1)])
    at.button(key="rp_reopen_go").click().run()
    assert [e.value for e in at.error] == ["请写明取消结账的原因"]
    at.text_input(key="rp_reason_0").input("东里镇补报")
    at.button(key="rp_reopen_go").click().run()
    assert rows(demo_url, "SELECT month FROM periodlock") == []  # both reopened at once
    at.button_group(key="rp_months_1").set_value([date(2023, 5, 1)])
    at.button(key="rp_close_go").click().run()
    at.button(key="rp_close_confirm_yes").click().run()
    assert [str(r["month"]) for r in rows(demo_url, "SELECT month FROM periodlock")] == ["2023-05-01"]
    assert "5月（已结账）" in at.dataframe[0].value.columns
