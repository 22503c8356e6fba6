"""Article entry (信息宣传录入): each rule through the service, the findings on 数据质量, and the page."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from data_layer import checks
from data_layer.domain.errors import NeedsConfirmation, ValidationFailed
from data_layer.infra.cache import clear_reads
from data_layer.infra.db import get_engine
from data_layer.services import publicity as service
from data_layer.services.records import delete_record
from tests.conftest import entering, person, rows, shown
from tests.test_pages import page_script
from tests.test_services import TODAY, count, ids

YEAR = "20230101_20231231"


def article(url, i, **over):
    values = dict(
        county_id=i["county"],
        outlet_id=i["outlet"],
        title="鲁村镇开展助残日走访慰问活动",
        published_on=date(2023, 5, 21),
        township_id=i["township"],
        kind="信息",
        link="",
        today=TODAY,
    )
    return entering(service.ARTICLE)(db_url=url, actor=person(), **{**values, **over})


def articles(url: str) -> list[dict]:
    return rows(url, "SELECT * FROM article ORDER BY id")


def first_used(url: str, outlet_id: int, on: date) -> None:
    with get_engine(url).begin() as conn:
        conn.execute(text("UPDATE outlet SET first_used_on = :on WHERE id = :id"), {"on": on, "id": outlet_id})
    clear_reads()


def test_an_article_is_saved_with_its_kind_and_link(reference_url):
    i = ids(reference_url)
    new_id = article(reference_url, i, kind="新闻", link="https://www.cdpf.org.cn/a/1", title="  标题有空格  ")
    saved = articles(reference_url)
    assert [(r["id"], r["title"], r["kind"], r["link"], r["warning_note"]) for r in saved] == [
        (new_id, "标题有空格", "新闻", "https://www.cdpf.org.cn/a/1", "")
    ]
    assert rows(reference_url, "SELECT COUNT(*) AS n FROM auditlog WHERE table_name = 'article'")[0]["n"] == 1


def test_an_empty_kind_is_信息(reference_url):
    article(reference_url, ids(reference_url), kind="")
    assert articles(reference_url)[0]["kind"] == "信息"


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "长" * 121}, "title"),
        ({"outlet_id": 99_999}, "outlet_id"),
        ({"published_on": date(2026, 11, 29)}, "published_on"),  # the day after TODAY
        ({"link": "www.example.com/a"}, "link"),
        ({"link": "ftp://example.com/a"}, "link"),
        ({"kind": "评论"}, "kind"),
        ({"township_id": 99_999}, "township_id"),
    ],
)
def test_errors_write_nothing(reference_url, over, field):
    with pytest.raises(ValidationFailed) as err:
        article(reference_url, ids(reference_url), **over)
    assert field in err.value.errors
    assert count(reference_url, "article") == 0


def test_county_wide_is_allowed(reference_url):
    article(reference_url, ids(reference_url), township_id=None)
    assert articles(reference_url)[0]["township_id"] is None


def test_a_township_officer_enters_only_their_own(reference_url):
    i = ids(reference_url)
    officer = person("鲁村镇干事", role="township", township_id=i["township"])
    other = rows(reference_url, "SELECT id FROM township WHERE id <> ? ORDER BY id", (i["township"],))[0]["id"]
    values = dict(county_id=i["county"], outlet_id=i["outlet"], title="稿件", published_on=date(2023, 5, 21))
    for township_id in (other, None):
        with pytest.raises(ValidationFailed) as err:
            entering(service.ARTICLE)(
                db_url=reference_url, actor=officer, township_id=township_id, today=TODAY, **values
            )
        assert "township_id" in err.value.errors
    entering(service.ARTICLE)(db_url=reference_url, actor=officer, township_id=i["township"], today=TODAY, **values)
    assert [r["township_id"] for r in articles(reference_url)] == [i["township"]]


def test_the_same_title_is_a_warning_confirmed_with_a_note(reference_url):
    i = ids(reference_url)
    first = article(reference_url, i)
    with pytest.raises(NeedsConfirmation) as err:
        article(reference_url, i, published_on=date(2023, 5, 22))
    assert set(err.value.warnings) == {"title"} and f"编号 {first}" in err.value.warnings["title"]
    assert count(reference_url, "article") == 1
    second = article(reference_url, i, published_on=date(2023, 5, 22), confirm=True, warning_note="同稿投往两家媒体")
    assert [r["warning_note"] for r in articles(reference_url)] == ["", "同稿投往两家媒体"]
    found = checks.findings(reference_url)
    repeat = found[found["check"] == "article.title"]
    assert len(repeat) == 1
    assert repeat.iloc[0]["note"] == "同稿投往两家媒体"
    assert repeat.iloc[0]["link"] == f"entry_publicity?record={second}"
    assert repeat.iloc[0]["area"] == "信息宣传"


def test_a_deleted_article_is_no_longer_a_repeat(reference_url):
    i = ids(reference_url)
    first = article(reference_url, i)
    delete_record(db_url=reference_url, kind=service.ARTICLE, record_id=first, actor=person())
    article(reference_url, i)  # no warning: the first one is in the 回收站
    assert count(reference_url, "article") == 2


def test_the_same_link_is_a_warning(reference_url):
    i = ids(reference_url)
    link = "https://www.sdcl.org.cn/xw/1.html"
    article(reference_url, i, link=link)
    with pytest.raises(NeedsConfirmation) as err:
        article(reference_url, i, title="另一个标题", link=link)
    assert set(err.value.warnings) == {"link"}
    article(reference_url, i, title="第三个标题", link="")  # two empty links are not a repeat
    article(reference_url, i, title="另一个标题", link=link, confirm=True)
    assert articles(reference_url)[-1]["warning_note"] == "已核实"


def test_a_date_before_the_outlets_first_use_is_a_warning(reference_url):
    i = ids(reference_url)
    first_used(reference_url, i["outlet"], date(2023, 6, 1))
    with pytest.raises(NeedsConfirmation) as err:
        article(reference_url, i)
    assert set(err.value.warnings) == {"before_first_use"} and "2023年6月1日" in err.value.warnings["before_first_use"]
    article(reference_url, i, published_on=date(2023, 6, 1))  # on the day itself: fine
    article(reference_url, i, title="更早的稿件", confirm=True, warning_note="首次使用日期登记有误")
    found = checks.findings(reference_url)
    assert found[found["check"] == "article.before_first_use"]["note"].tolist() == ["首次使用日期登记有误"]


# --- the page -----------------------------------------------------------------------------------------------


def page(url: str, **params) -> AppTest:
    at = AppTest.from_string(page_script("entry_publicity", url), default_timeout=60)
    at.query_params["year"] = "2023"
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def fill(at: AppTest, *, title=None, kind=None, link=None, gen=0, day=date(2023, 5, 21)) -> AppTest:
    at.date_input(key=f"pa_k_published_on_{YEAR}").set_value(day)
    for name, value in (("title", title), ("link", link)):
        if value is not None:
            at.text_input(key=f"pa_f_{name}_{gen}").input(value)
    if kind is not None:  # a dropdown of the four kinds
        at.selectbox(key=f"pa_f_kind_{gen}").set_value(kind)
    at.form_submit_button[0].click().run()
    assert not at.exception, at.exception
    return at


def test_the_page_saves_an_article_and_keeps_outlet_and_date(reference_url):
    at = page(reference_url)
    outlet = at.selectbox(key="pa_subject").value
    at.selectbox(key="pa_unit").select_index(1).run()
    township = at.selectbox(key="pa_unit").value
    kinds = at.selectbox(key="pa_f_kind_0")
    assert (kinds.options, kinds.value) == (["信息", "新闻", "专题片", "其他"], "信息")  # chosen, never typed
    fill(at, title="沂源县残联召开重点工作推进会", kind="新闻", link="https://example.cn/1")
    saved = articles(reference_url)
    assert [(r["outlet_id"], r["township_id"], r["title"], r["kind"], r["published_on"]) for r in saved] == [
        (outlet, township, "沂源县残联召开重点工作推进会", "新闻", "2023-05-21")
    ]
    assert at.selectbox(key="pa_subject").value == outlet
    assert at.date_input(key=f"pa_k_published_on_{YEAR}").value == date(2023, 5, 21)
    assert at.text_input(key="pa_f_title_1").value == ""  # a fresh form for the next article
    toast = [shown(t.value) for t in at.toast]
    assert len(toast) == 1 and toast[0].startswith(f"已保存 #{saved[0]['id']}：")
    assert "《沂源县残联召开重点工作推进会》（新闻，2023年5月21日 发表）" in toast[0]


def test_the_page_shows_errors_beside_the_fields(reference_url):
    at = fill(page(reference_url), title="", link="www.example.cn")
    assert any("请填写稿件标题" in e.value for e in at.error)
    assert any("链接应以 http:// 或 https:// 开头" in shown(e.value) for e in at.error)
    assert articles(reference_url) == []


def test_the_page_asks_to_confirm_a_duplicate_title(reference_url):
    at = page(reference_url)
    fill(at, title="全县助残日活动")
    fill(at, title="全县助残日活动", gen=1, day=date(2023, 5, 22))
    assert len(articles(reference_url)) == 1
    assert any("标题相同的稿件已录入" in w.value for w in at.warning)
    at.text_input(key="pa_confirm_note").input("市级、县级媒体各刊发一次")
    at.button(key="pa_confirm_yes").click().run()
    assert not at.exception, at.exception
    assert [r["warning_note"] for r in articles(reference_url)] == ["", "市级、县级媒体各刊发一次"]


def test_the_grid_saves_a_day_of_articles(reference_url):
    at = page(reference_url)
    at.segmented_control(key="pa_mode").set_value("grid").run()
    month = at.selectbox(key=f"pa_g_month_{YEAR}").value
    key = f"pa_g_editor_0_{at.selectbox(key='pa_subject').value}_{month}"
    at.session_state[key] = {
        "edited_rows": {0: {"稿件标题": "第一篇"}, 1: {"稿件标题": "第二篇", "稿件类型": "专题片"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.button(key="pa_g_save").click().run()
    assert not at.exception, at.exception
    assert [(r["title"], r["kind"]) for r in articles(reference_url)] == [("第一篇", "信息"), ("第二篇", "专题片")]


def test_a_correction_through_the_page(reference_url):
    new_id = article(reference_url, ids(reference_url))
    at = page(reference_url, record=str(new_id))
    suffix = f"{new_id}_0"
    at.text_input(key=f"pa_e_title_{suffix}").input("鲁村镇开展助残日走访慰问活动（更正）")
    at.form_submit_button[0].click().run()
    assert not at.exception, at.exception
    assert [r["title"] for r in articles(reference_url)] == ["鲁村镇开展助残日走访慰问活动（更正）"]
