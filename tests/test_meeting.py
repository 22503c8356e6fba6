"""会议模式: a pack's figures against the store, freezing and deleting packs, the changes badge, the deck, and
the page (the browser half is in test_browser.py)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from pptx import Presentation
from pptx.util import Inches
from streamlit.testing.v1 import AppTest

from data_layer import access
from data_layer.documents.colours import LEVEL_COLOURS, subsidy_colours
from data_layer.documents.meeting_deck import FONT, meeting_deck
from data_layer.domain.errors import ValidationFailed
from data_layer.domain.scope import FilterSpec, make_scope, to_params
from data_layer.queries import meeting, org
from data_layer.queries import projects as projects_query
from data_layer.services import meetings, publicity
from data_layer.services.records import services_for
from data_layer.views.meeting import chart_numbers, slides
from tests.conftest import person, rows
from tests.test_pages import page_script

TODAY = date(2026, 11, 29)
SPEC = FilterSpec(2023, "h1")
STAFF = person("科员", "staff", areas=("projects", "subsidies", "levy", "publicity", "other"))
EVERYONE = access.VISITOR


def build_figures(url: str) -> dict:
    return slides(access.view(url, STAFF, SPEC, TODAY))


def slide(figures: dict, key: str) -> dict:
    return next(s for s in figures["slides"] if s["key"] == key)


def value(page: dict, label: str) -> float | None:
    return next(n["value"] for n in page["numbers"] if n["label"] == label)


def freeze(url: str, actor=STAFF) -> int:
    scope = make_scope(SPEC)
    return meetings.freeze_pack(
        db_url=url,
        actor=actor,
        name="上半年工作调度会",
        filter_label="2023年上半年 · 全县",
        filter_params=to_params(SPEC),
        period_start=scope.start,
        period_end=scope.end,
        figures=build_figures(url),
        data_as_of=org.last_write(url),
    )


def test_the_slides_figures_are_the_stores(demo_url):
    figures = build_figures(demo_url)
    assert [s["key"] for s in figures["slides"]] == [
        "overview",
        "projects",
        "subsidies",
        "levy",
        "publicity",
        "attention",
    ]
    paid = rows(demo_url, "SELECT amount_fen, paid_date FROM disbursement WHERE deleted_at IS NULL")
    in_h1 = sum(r["amount_fen"] for r in paid if "2023-01-01" <= r["paid_date"][:10] <= "2023-06-30")
    assert value(slide(figures, "subsidies"), "发放金额") == in_h1
    assert value(slide(figures, "overview"), "补贴发放金额") == in_h1
    articles = rows(demo_url, "SELECT published_on FROM article WHERE deleted_at IS NULL")
    assert value(slide(figures, "publicity"), "本期发表稿件") == sum(
        "2023-01-01" <= a["published_on"][:10] <= "2023-06-30" for a in articles
    )
    chart = slide(figures, "publicity")["chart"]
    targets = {
        t["level"]: t["target"] for t in rows(demo_url, "SELECT level, target FROM publicitytarget WHERE year = 2023")
    }
    assert chart["series"][1]["values"] == [
        float(targets[lv]) for lv in ("national", "provincial", "municipal", "county")
    ]
    projects = slide(figures, "projects")
    assert [n["label"] for n in projects["numbers"]] == ["双百工程", "圆梦工程", "阳光家园"]
    # 免费实用技术培训: nothing done by June, and planned for July–December — said, and not called behind
    assert "1 项尚未开始（1 项未到计划期）" in projects["numbers"][1]["note"]
    attention = slide(figures, "attention")
    assert not any("免费实用技术培训" in line for line in attention["lines"])
    summary = projects_query.project_summary(demo_url, make_scope(FilterSpec(2023, "h1"), []), TODAY)
    assert projects["chart"]["series"][1]["values"] == pytest.approx(list(summary["elapsed"]))
    # one colour per subsidy type and per level, as the boards draw them
    types = [r["code"] for r in rows(demo_url, "SELECT code FROM subsidytype ORDER BY sort_order, id")]
    paid_types = slide(figures, "subsidies")["chart"]["colours"]
    assert paid_types == [subsidy_colours(types)[c] for c in types][: len(paid_types)]
    assert slide(figures, "publicity")["chart"]["colours"] == [
        LEVEL_COLOURS[lv] for lv in ("national", "provincial", "municipal", "county")
    ]
    json.dumps(figures)  # stored as JSON: no NaN, no numpy types


def test_a_pack_is_frozen_and_later_changes_are_counted_not_shown(demo_url):
    pack_id = freeze(demo_url)
    pack = meeting.pack(demo_url, pack_id, EVERYONE)
    before = value(slide(pack["figures"], "publicity"), "本期发表稿件")
    assert meeting.changes_since(demo_url, pack["created_at"], pack["period_start"], pack["period_end"]) == 0
    outlet = rows(demo_url, "SELECT id FROM outlet ORDER BY id")[0]["id"]
    county = rows(demo_url, "SELECT id FROM county ORDER BY id")[0]["id"]
    for day in (date(2023, 6, 1), date(2023, 9, 1)):  # one inside the pack's period, one outside
        services_for(publicity.ARTICLE).create(
            db_url=demo_url,
            actor=STAFF,
            values=dict(county_id=county, outlet_id=outlet, title=f"会后补录 {day}", published_on=day),
        )
    again = meeting.pack(demo_url, pack_id, EVERYONE)
    assert value(slide(again["figures"], "publicity"), "本期发表稿件") == before  # frozen
    assert meeting.changes_since(demo_url, pack["created_at"], pack["period_start"], pack["period_end"]) == 1


def test_who_may_freeze_and_delete(demo_url):
    with pytest.raises(ValidationFailed):
        freeze(demo_url, person("领导", "leader"))
    pack_id = freeze(demo_url)
    with pytest.raises(ValidationFailed, match="管理员"):
        meetings.delete_pack(db_url=demo_url, actor=STAFF, pack_id=pack_id)
    meetings.delete_pack(db_url=demo_url, actor=person("王管理"), pack_id=pack_id)
    assert meeting.packs(demo_url, EVERYONE).empty
    assert meeting.pack(demo_url, pack_id, EVERYONE)["deleted_at"] is not None  # kept, marked deleted


def test_the_deck_is_16_9_with_native_charts_of_the_packs_figures(demo_url):
    pack = meeting.pack(demo_url, freeze(demo_url), EVERYONE)
    deck = Presentation(__import__("io").BytesIO(meeting_deck(pack)))
    assert (deck.slide_width, deck.slide_height) == (Inches(13.333), Inches(7.5))
    pages = pack["figures"]["slides"]
    assert len(deck.slides) == 1 + len(pages)
    for shown, page in zip(list(deck.slides)[1:], pages, strict=True):
        charts = [s.chart for s in shown.shapes if s.has_chart]
        assert len(charts) == (1 if page["chart"]["categories"] else 0)
        if not charts:
            continue
        plot = charts[0].plots[0]
        assert list(plot.categories) == page["chart"]["categories"]
        for got, want in zip(plot.series, page["chart"]["series"], strict=True):
            assert list(got.values) == chart_numbers(page["chart"], page["chart"]["series"].index(want))
        if page["chart"].get("colours"):  # each subsidy type, level or status in its colour on the boards
            points = plot.series[0].points
            assert [f"#{points[i].format.fill.fore_color.rgb}".lower() for i in range(len(points))] == [
                c.lower() for c in page["chart"]["colours"]
            ]
        words = " ".join(s.text_frame.text for s in shown.shapes if s.has_text_frame)
        assert page["title"] in words and pack["filter_label"] in words
    typefaces = {e.get("typeface") for e in deck.slides[1].shapes[0]._element.iter() if e.tag.endswith("}ea")}
    assert typefaces == {FONT}  # Chinese set in 微软雅黑, not left to the theme


def meeting_page(url: str, **params) -> AppTest:
    at = AppTest.from_string(page_script("meeting", url, who="科员", role="staff"), default_timeout=60)
    at.query_params["year"] = "2023"
    at.query_params["period"] = "h1"
    for name, v in params.items():
        at.query_params[name] = v
    return at.run()


def test_staff_freeze_a_pack_on_the_page_and_it_is_shown(demo_url):
    at = meeting_page(demo_url)
    assert not at.exception, at.exception
    at.button(key="FormSubmitter:mt_freeze-冻结并放映").click().run()
    assert not at.exception, at.exception
    assert len(meeting.packs(demo_url, EVERYONE)) == 1
    assert at.query_params["pack"] == [str(meeting.packs(demo_url, EVERYONE)["id"].iloc[0])] or at.query_params[
        "pack"
    ] == str(meeting.packs(demo_url, EVERYONE)["id"].iloc[0])


def test_the_slides_follow_the_keys_buttons(demo_url):
    pack_id = freeze(demo_url)
    at = meeting_page(demo_url, pack=str(pack_id), slide="1")
    assert not at.exception, at.exception
    assert "工作总览" in " ".join(h.body for h in at.get("html") if "meeting-slide" in h.body)
    at.button(key="mt_next").click().run()
    assert "三项重点工程" in " ".join(h.body for h in at.get("html") if "meeting-slide" in h.body)
    at.button(key="mt_go_6").click().run()
    shown = " ".join(h.body for h in at.get("html") if "meeting-slide" in h.body)
    assert "需要关注" in shown and "6 / 6" in shown
    at.button(key="mt_next").click().run()  # the last slide stays (no auto-advance)
    assert "6 / 6" in " ".join(h.body for h in at.get("html") if "meeting-slide" in h.body)
    at.button(key="mt_exit").click().run()
    assert "pack" not in at.query_params
