"""Outlets, targets per level and townships' quotas (媒体与宣传目标), and the publicity pace they give:
the services' rules, the administrator's page, and the key projects' edge cases of 序时进度."""

from __future__ import annotations

import math
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from data_layer.domain.errors import ValidationFailed
from data_layer.domain.scope import FilterSpec, make_scope
from data_layer.queries import publicity as q
from data_layer.services import publicity
from data_layer.services.records import services_for
from tests.conftest import person, rows, shown
from tests.test_pages import page_script

ADMIN = person("王管理")


def county(url: str) -> int:
    return rows(url, "SELECT id FROM county ORDER BY id")[0]["id"]


def outlet(url: str, name: str) -> dict:
    return rows(url, "SELECT * FROM outlet WHERE name = ?", (name,))[0]


def townships(url: str) -> list[int]:
    return [r["id"] for r in rows(url, "SELECT id FROM township WHERE active ORDER BY sort_order, id")]


def add(url: str, outlet_id: int, day: date, township_id: int | None = None, title: str = "") -> int:
    return services_for(publicity.ARTICLE).create(
        db_url=url,
        actor=ADMIN,
        today=date(2026, 11, 28),
        values=dict(
            county_id=county(url),
            outlet_id=outlet_id,
            title=title or f"稿件 {day} {outlet_id} {township_id}",
            published_on=day,
            township_id=township_id,
        ),
    )


# --- outlets ------------------------------------------------------------------------------------------


def test_an_outlet_is_added_last_and_its_name_is_unique(reference_url):
    new = publicity.create_outlet(
        db_url=reference_url, actor=ADMIN, name=" 大众日报 ", level="provincial", medium="报纸"
    )
    made = rows(reference_url, "SELECT * FROM outlet WHERE id = ?", (new,))[0]
    assert made["name"] == "大众日报" and made["sort_order"] == max(
        r["sort_order"] for r in rows(reference_url, "SELECT sort_order FROM outlet")
    )
    with pytest.raises(ValidationFailed) as refused:
        publicity.create_outlet(db_url=reference_url, actor=ADMIN, name="大众日报", level="county", medium="报纸")
    assert "已登记" in refused.value.errors["name"]
    with pytest.raises(ValidationFailed) as refused:
        publicity.create_outlet(db_url=reference_url, actor=ADMIN, name="某台", level="世界级", medium="")
    assert set(refused.value.errors) == {"level", "medium"}


def test_only_an_administrator_changes_outlets(reference_url):
    with pytest.raises(ValidationFailed, match="管理员"):
        publicity.create_outlet(
            db_url=reference_url, actor=person("科员", "staff"), name="某报", level="county", medium="报纸"
        )


def test_changing_an_outlets_level_moves_its_articles(reference_url):
    site = outlet(reference_url, "中残联信息网站")
    add(reference_url, site["id"], date(2023, 3, 1))
    scope = make_scope(FilterSpec(2023))
    before = q.by_level(reference_url, scope, date(2026, 11, 28)).set_index("level")["articles"]
    assert before["national"] == 1 and before["provincial"] == 0
    changed = publicity.update_outlet(
        db_url=reference_url,
        actor=ADMIN,
        outlet_id=site["id"],
        name=site["name"],
        level="provincial",
        medium=site["medium"],
        first_used_on=date(2020, 1, 1),
    )
    assert changed
    after = q.by_level(reference_url, scope, date(2026, 11, 28)).set_index("level")["articles"]
    assert after["national"] == 0 and after["provincial"] == 1
    audit = rows(reference_url, "SELECT actor, before FROM auditlog WHERE table_name = 'outlet' ORDER BY id DESC")
    assert audit[0]["actor"] == ADMIN.username and "national" in audit[0]["before"]


def test_a_first_use_in_the_future_is_refused(reference_url):
    site = outlet(reference_url, "淄博电台")
    with pytest.raises(ValidationFailed) as refused:
        publicity.update_outlet(
            db_url=reference_url,
            actor=ADMIN,
            outlet_id=site["id"],
            name=site["name"],
            level=site["level"],
            medium=site["medium"],
            first_used_on=date(2099, 1, 1),
        )
    assert "晚于今天" in refused.value.errors["first_used_on"]


# --- targets and quotas ---------------------------------------------------------------------------------


def test_targets_are_set_together_and_an_empty_one_removes_it(reference_url):
    c = county(reference_url)
    changed = publicity.set_publicity_targets(
        db_url=reference_url, actor=ADMIN, county_id=c, year=2024, targets={"national": 5, "county": 40}
    )
    assert changed == 2
    assert q.level_targets(reference_url, c, 2024) == {"national": 5, "county": 40}
    publicity.set_publicity_targets(
        db_url=reference_url, actor=ADMIN, county_id=c, year=2024, targets={"national": None, "county": 40}
    )
    assert rows(reference_url, "SELECT level, target FROM publicitytarget WHERE year = 2024") == [
        {"level": "county", "target": 40}
    ]


def test_a_negative_target_refuses_all_of_them(reference_url):
    c = county(reference_url)
    with pytest.raises(ValidationFailed) as refused:
        publicity.set_publicity_targets(
            db_url=reference_url, actor=ADMIN, county_id=c, year=2024, targets={"national": 5, "county": -1}
        )
    assert "负数" in refused.value.errors["county"]
    assert rows(reference_url, "SELECT COUNT(*) AS n FROM publicitytarget WHERE year = 2024")[0]["n"] == 0


def test_quotas_per_township(reference_url):
    first, second, *_ = townships(reference_url)
    publicity.set_publicity_quotas(db_url=reference_url, actor=ADMIN, year=2023, quotas={first: 6, second: 4})
    publicity.set_publicity_quotas(db_url=reference_url, actor=ADMIN, year=2023, quotas={first: 7, second: None})
    got = q.quotas(reference_url, county(reference_url), 2023)
    assert got.iloc[0]["target"] == 7 and math.isnan(got.iloc[1]["target"])
    assert len(got) == len(townships(reference_url))
    with pytest.raises(ValidationFailed):
        publicity.set_publicity_quotas(db_url=reference_url, actor=ADMIN, year=2023, quotas={first: 1, 99999: 2})
    assert rows(reference_url, "SELECT target FROM publicityquota WHERE township_id = ?", (first,))[0]["target"] == 7


# --- the pace: the key projects' rule and edge cases --------------------------------------------------------


def paced(url: str, level: str, today: date, period: str = "all"):
    return q.by_level(url, make_scope(FilterSpec(2023, period)), today).set_index("level").loc[level]


@pytest.mark.parametrize(
    ("today", "period", "elapsed", "status"),
    [
        (date(2022, 12, 31), "all", 0.0, "正常"),  # the year has not begun: nothing is late yet
        (date(2023, 12, 31), "all", 1.0, "严重滞后"),  # 2 of 24 by the year's end
        (date(2026, 11, 28), "h1", 181 / 365, "严重滞后"),  # a past half-year: paced to its end
        (date(2023, 1, 20), "all", 20 / 365, "正常"),  # 2 of 24 on 20 January is ahead of time
    ],
)
def test_publicity_pace_follows_the_key_projects_rule(reference_url, today, period, elapsed, status):
    site = outlet(reference_url, "中残联信息网站")
    add(reference_url, site["id"], date(2023, 1, 5))
    add(reference_url, site["id"], date(2023, 1, 6))
    row = paced(reference_url, "national", today, period)
    assert row["year_to_date"] == 2 and row["target"] == 24
    assert row["elapsed"] == pytest.approx(elapsed) and row["status_label"] == status


def test_a_zero_target_has_no_pace_and_an_overshoot_is_on_track(reference_url):
    c = county(reference_url)
    publicity.set_publicity_targets(
        db_url=reference_url, actor=ADMIN, county_id=c, year=2023, targets={"national": 0, "provincial": 1}
    )
    radio = outlet(reference_url, "山东广播经济频道")
    add(reference_url, radio["id"], date(2023, 2, 1))
    add(reference_url, radio["id"], date(2023, 2, 2))
    national = paced(reference_url, "national", date(2023, 12, 31))
    assert math.isnan(national["completion"]) and national["status_label"] == "无目标"
    provincial = paced(reference_url, "provincial", date(2023, 12, 31))
    assert provincial["completion"] == 2.0 and provincial["status_label"] == "正常"


def test_a_township_is_paced_by_its_quota_and_the_silent_ones_show(reference_url):
    first, second, *_ = townships(reference_url)
    publicity.set_publicity_quotas(db_url=reference_url, actor=ADMIN, year=2023, quotas={first: 4, second: 4})
    site = outlet(reference_url, "县级媒体、网站")
    for day in (date(2023, 1, 10), date(2023, 2, 10)):
        add(reference_url, site["id"], day, first)
    add(reference_url, site["id"], date(2023, 3, 10))  # 县本级: no township's
    scope = make_scope(FilterSpec(2023, "h1"))
    got = q.by_township(reference_url, scope, date(2026, 11, 28)).set_index("township_id")
    assert got.loc[first, "articles"] == 2 and got.loc[first, "completion"] == 0.5
    assert got.loc[first, "status_label"] == "正常"  # 50 % done, 49.6 % of the year gone by 30 June
    assert got.loc[second, "articles"] == 0 and got.loc[second, "status_label"] == "严重滞后"
    assert q.county_wide(reference_url, scope) == 1


# --- the page ---------------------------------------------------------------------------------------------


def settings_page(url: str) -> AppTest:
    at = AppTest.from_string(page_script("publicity_settings", url, who="王管理"), default_timeout=60)
    at.query_params["year"] = "2023"
    return at.run()


def test_the_administrator_sets_targets_and_a_typo_is_refused_beside_its_field(reference_url):
    at = settings_page(reference_url)
    assert not at.exception, at.exception
    fields = {t.label: t for t in at.text_input}
    assert fields["国家级"].value == "24"
    fields["国家级"].input("30")
    fields["县级"].input("三十")
    next(b for b in at.button if b.label == "保存各级目标").click().run()
    assert [e.value for e in at.error] == ["目标篇数应填写整数，例如 12；“三十”不是整数"]
    assert q.level_targets(reference_url, county(reference_url), 2023)["national"] == 24  # nothing written
    {t.label: t for t in at.text_input}["县级"].input("35")
    next(b for b in at.button if b.label == "保存各级目标").click().run()
    assert not at.exception, at.exception
    assert q.level_targets(reference_url, county(reference_url), 2023) == {
        "national": 30,
        "provincial": 12,
        "municipal": 80,
        "county": 35,
    }


def test_the_townships_quotas_are_typed_as_text_and_a_cell_that_cannot_be_read_saves_nothing(reference_url):
    at = settings_page(reference_url)
    grid = f"ps_quotas_{county(reference_url)}_2023"
    first, second = townships(reference_url)[:2]
    at.session_state[grid] = {
        "edited_rows": {0: {"任务": "１２"}, 1: {"任务": "2.5"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    at.button(key="ps_save_quotas").click().run()
    assert not at.exception, at.exception
    name = rows(reference_url, "SELECT name FROM township WHERE id = ?", (second,))[0]["name"]
    assert [shown(e.value) for e in at.error] == [f"{name}的任务必须是整数，“2.5”有小数"]
    assert rows(reference_url, "SELECT COUNT(*) AS n FROM publicityquota")[0]["n"] == 0  # nothing written
    at.session_state[grid] = {
        "edited_rows": {0: {"任务": "１２"}, 1: {"任务": "1,000"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert any("合计 1,012 篇" in c.value for c in at.caption)
    at.button(key="ps_save_quotas").click().run()
    assert not at.exception and not at.error
    got = q.quotas(reference_url, county(reference_url), 2023).set_index("township_id")["target"]
    assert (got[first], got[second]) == (12, 1000)


def test_the_administrator_adds_an_outlet_on_the_page(reference_url):
    at = settings_page(reference_url)
    form = {t.label: t for t in at.text_input}
    form["媒体名称"].input("沂源融媒")
    form["媒体类型"].input("新媒体")
    next(s for s in at.selectbox if s.label == "级别").set_value("county")
    next(b for b in at.button if b.label == "新增媒体").click().run()
    assert not at.exception, at.exception
    assert outlet(reference_url, "沂源融媒")["level"] == "county"
    shown = next(d.value for d in at.dataframe if "媒体" in d.value.columns)
    assert "沂源融媒" in list(shown["媒体"])


def test_a_target_beyond_any_county_is_refused_in_chinese_not_at_commit(reference_url):
    c = county(reference_url)
    with pytest.raises(ValidationFailed) as refused:  # the level already has a target: the change path
        publicity.set_publicity_targets(
            db_url=reference_url, actor=ADMIN, county_id=c, year=2023, targets={"national": 10**20}
        )
    assert "超出合理范围" in next(iter(refused.value.errors.values()))
    assert q.level_targets(reference_url, c, 2023)["national"] == 24
