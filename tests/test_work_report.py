"""工作总结: the draft of the half-year report against the office's own report (the round trip), the Word file
opened with python-docx (sections, fonts, one comment per number, the numbers against plain SELECTs), the Excel
sheet of its numbers, and drafts for periods and scopes with nothing in them."""

from __future__ import annotations

import io
import re
from collections import defaultdict
from datetime import date
from decimal import Decimal

import docx
import pytest
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from data_layer.documents.work_report_docx import BODY_FONT, H1_FONT, H2_FONT, TITLE_FONT, facts_workbook, report_docx
from data_layer.domain.scope import FilterSpec, make_scope
from data_layer.export import HEADER_ROW
from data_layer.queries.work_report import Draft, _Writer, build_draft
from data_layer.services.records import services_for
from tests.conftest import rows
from tests.test_pages import page_script

H1 = ("2023-01-01", "2023-06-30")
H1_SPEC = FilterSpec(2023, "h1")


def draft(url: str, spec: FilterSpec = H1_SPEC, township_ids=()) -> Draft:
    return build_draft(
        url,
        make_scope(spec, township_ids),
        title_unit="沂源县残疾人联合会",
        filter_label=f"{spec.label()} · 全县",
        period_words=spec.label(),
    )


@pytest.fixture
def h1(demo_url) -> Draft:
    return draft(demo_url)


def by_metric(d: Draft) -> dict[str, list]:
    out = defaultdict(list)
    for f in d.facts:
        out[f.metric].append(f)
    return out


def test_the_2023_h1_draft_holds_every_figure_of_the_report_the_store_holds_as_used(demo_url, h1):
    """The round trip: each of the report's 2023 上半年 figures that has a metric appears with its value as used
    (at least it, for the report's “多”/“余”), and each printed number the store corrects is flagged with it."""
    facts = by_metric(h1)
    seed = rows(demo_url, "SELECT * FROM seedfigure WHERE period = '2023-h1' AND metric != ''")
    assert len(seed) >= 50
    for f in seed:
        assert f["metric"] in facts, f"{f['code']} ({f['metric']}) is not in the draft"
        got = facts[f["metric"]][0]
        used = Decimal(str(f["value_used"]))
        assert got.value >= used if f["metric_rule"] == "at_least" else got.value == used, f["code"]
        if re.fullmatch(r"\d+", f["value_printed"]) and Decimal(f["value_printed"]) != used:
            assert f"原报告印为“{f['value_printed']}”" in got.flag, f["code"]
    # the artefacts corrected: 低保 = 885 people × 50 元 × 12 months; the publicity total is the sum of its parts
    assert facts["disb.amount:dibao"][0].value == 885 * 50 * 12 and facts["disb.amount:dibao"][0].text == "53.1万元"
    outlets = [f.value for m, fs in facts.items() if m.startswith("articles.outlet:") for f in fs]
    assert facts["articles.total"][0].value == sum(outlets) == 72
    text = "".join(p.text for p in h1.paragraphs)
    assert "为885名残疾人发放低保重度残疾人生活补贴，标准为每人每月50元，共发放53.1万元" in text
    assert "共享阳光杂志和网站15篇" in text and "现场检查206家用人单位" in text and "办理残疾人证859人" in text
    assert "从2023年5月20日至2023年6月30日开展" in text


def test_the_reports_money_rounds_as_every_board_does():
    """Half-up to 两位 万元, as the boards (text.report_money): 10,050 元 is 1.01万元, not the half-even 1万元."""
    w = object.__new__(_Writer)  # a writer without a store: only the wording of a fact is tested
    w.count, w.section, w.filter, w.warned, w.printed = 0, "", "", {}, {}
    assert w.fact("disb.amount:x", Decimal("10050"), "元").text == "1.01万元"
    assert w.fact("disb.amount:x", Decimal("6760.5"), "元").text == "6760.5元"
    assert w.fact("progress.remaining:x", Decimal("265500.30000000004"), "元").text == "26.55万元"  # a float sum
    assert w.fact("disb.amount:x", None, "元").text == "—"


def test_the_draft_has_the_reports_structure_and_plans_from_the_open_targets(h1):
    kinds = [(p.kind, p.text) for p in h1.paragraphs if p.kind != "body"]
    assert kinds[0] == ("title", "沂源县残疾人联合会2023年上半年工作总结")
    headings = [t for k, t in kinds if k.startswith("heading")]
    assert headings == [
        "一、2023年上半年工作完成情况",
        "（一）重点工作进展情况",
        "（二）业务工作全面推进",
        "（三）作风建设进一步加强",
        "二、下一步工作打算",
    ]
    assert any(k == "placeholder" and "作风建设" in t for k, t in kinds)  # left to the author
    plans = " ".join(p.text for p in h1.paragraphs[[p.text for p in h1.paragraphs].index("二、下一步工作打算") :])
    assert "贫困残疾人免费实用技术培训还需完成131人（计划下半年实施）" in plans  # the report's 下半年 plan: 131


def expected(url: str, metric: str) -> Decimal | None:
    """A metric's value for 2023 上半年 全县 by plain SELECTs over the rows (not through the app's queries)."""
    kind, _, key = metric.partition(":")
    if kind == "progress.quantity":
        project, item = key.split(".")
        got = rows(
            url,
            "SELECT SUM(e.quantity) AS n FROM progressentry e JOIN projectitem i ON i.id = e.item_id "
            "JOIN project p ON p.id = i.project_id WHERE p.code = ? AND i.code = ? AND e.deleted_at IS NULL "
            "AND e.entry_date BETWEEN ? AND ?",
            (project, item, *H1),
        )
        return Decimal(got[0]["n"] or 0)
    if kind in ("disb.amount", "disb.recipients"):
        paid = rows(
            url,
            "SELECT d.township_id, d.amount_fen, d.recipients, t.payment FROM disbursement d "
            "JOIN subsidytype t ON t.id = d.type_id "
            "WHERE t.code = ? AND d.deleted_at IS NULL AND d.paid_date BETWEEN ? AND ?",
            (key, *H1),
        )
        if kind == "disb.amount":
            return Decimal(sum(p["amount_fen"] for p in paid)) / 100
        rolls = defaultdict(list)  # a monthly subsidy pays one roll each month: each township's largest counts
        for p in paid:
            rolls[p["township_id"]].append(p["recipients"])
        monthly = paid and paid[0]["payment"] == "monthly"
        return Decimal(sum(max(r) if monthly else sum(r) for r in rolls.values()))
    if kind == "articles.outlet":
        got = rows(
            url,
            "SELECT COUNT(*) AS n FROM article a JOIN outlet o ON o.id = a.outlet_id "
            "WHERE o.name = ? AND a.deleted_at IS NULL AND a.published_on BETWEEN ? AND ?",
            (key, *H1),
        )
        return Decimal(got[0]["n"])
    if kind == "indicator":
        got = rows(
            url,
            "SELECT SUM(v.value) AS n FROM indicatorvalue v JOIN indicator i ON i.id = v.indicator_id "
            "WHERE i.code = ? AND v.deleted_at IS NULL AND v.period_start BETWEEN ? AND ?",
            (key, *H1),
        )
        return Decimal(got[0]["n"])
    return None


def test_the_word_file_opens_with_its_sections_fonts_and_a_comment_naming_each_numbers_query(demo_url, h1):
    doc = docx.Document(io.BytesIO(report_docx(h1)))
    section = doc.sections[0]
    sizes = (section.page_width, section.page_height, section.top_margin, section.bottom_margin)
    assert [round(x.mm) for x in (*sizes, section.left_margin, section.right_margin)] == [210, 297, 37, 35, 28, 26]
    paragraphs = [p for p in doc.paragraphs if p.text]
    assert [p.text for p in paragraphs] == [p.text for p in h1.paragraphs]

    def east_asian(run) -> str:
        return run._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))

    title = paragraphs[0].runs[0]
    assert (east_asian(title), title.font.size) == (TITLE_FONT, Pt(22))
    fonts = {p.text: {east_asian(r) for r in p.runs if r.text} for p in paragraphs[1:]}  # not comment marks
    assert fonts["一、2023年上半年工作完成情况"] == {H1_FONT} and fonts["（一）重点工作进展情况"] == {H2_FONT}
    assert {f for p in paragraphs[1:] if p.text[0] not in "一二（" for f in fonts[p.text]} == {BODY_FONT}
    assert {r.font.size for p in paragraphs[1:] for r in p.runs if r.text} == {Pt(16)}
    table = next(p for p in doc.part.package.iter_parts() if p.partname == "/word/fontTable.xml").blob.decode()
    assert 'w:name="方正小标宋简体"><w:altName w:val="宋体"/>' in table  # a fallback on an office PC without it
    assert "PAGE" in "".join(t.text or "" for t in section.footer._element.iter(qn("w:instrText")))

    comments = list(doc.comments)
    assert len(comments) == len(h1.facts) > 90
    anchored, opened = {}, None  # comment id → the text of the run it is anchored to
    for element in doc.element.body.iter():
        if element.tag == qn("w:commentRangeStart"):
            opened = element.get(qn("w:id"))
        elif element.tag == qn("w:t") and opened is not None:
            anchored[opened], opened = element.text, None
    for fact, comment in zip(h1.facts, comments, strict=True):
        assert comment.text.startswith(f"[{fact.number}] 查询：{fact.query}；指标：{fact.metric}")
        assert anchored[str(comment.comment_id)] == fact.text
        want = expected(demo_url, fact.metric)
        if want is not None:
            assert fact.value == want, fact.metric
    highlighted = [r.text for p in doc.paragraphs for r in p.runs if r.font.highlight_color == WD_COLOR_INDEX.YELLOW]
    assert highlighted == [f.text for f in h1.facts if f.flag]
    assert {"200台", "204人", "53.1万元", "72篇"} <= set(highlighted)


def test_the_excel_sheet_has_a_row_per_number_of_the_document(h1):
    book = load_workbook(io.BytesIO(facts_workbook(h1, period="2023年1月1日至2023年6月30日", taken_at=None)))
    lines = list(book.active.iter_rows(values_only=True))
    header = lines[HEADER_ROW - 1]
    listed = [dict(zip(header, line, strict=True)) for line in lines[HEADER_ROW:]]
    assert [r["序号"] for r in listed] == [f.number for f in h1.facts]
    assert [r["文中写法"] for r in listed] == [f.text for f in h1.facts]
    assert [r["指标"] for r in listed] == [f.metric for f in h1.facts]
    for r, f in zip(listed, h1.facts, strict=True):
        assert r["数值"] == pytest.approx(float(f.value), abs=1e-6) and f.text in r["句子"]  # rates kept to 6 places
        assert (r["请核实"] or "") == f.flag


@pytest.mark.parametrize(
    ("store", "spec"),
    [
        ("demo", FilterSpec(date.today().year + 1, "h1")),  # a period in the future
        ("demo", FilterSpec(2021, "h1")),  # a year with no targets and no records
        ("reference", FilterSpec(2023, "h1")),  # targets set, nothing recorded
        ("empty", FilterSpec(2023, "all")),
    ],
    ids=["future", "no targets", "nothing recorded", "empty store"],
)
def test_a_draft_still_comes_out_with_its_missing_parts_named(store, spec, make_store):
    url = make_store(store, "sqlite")
    got = draft(url, spec)
    holes = [p.text for p in got.paragraphs if p.kind == "placeholder"]
    assert any("作风建设" in h for h in holes) and len(holes) >= 2
    assert all(f.value is not None for f in got.facts)
    doc = docx.Document(io.BytesIO(report_docx(got)))
    assert doc.paragraphs[0].text.endswith("工作总结") and len(list(doc.comments)) == len(got.facts)


def test_a_townships_own_draft_counts_only_its_records(demo_url):
    town = rows(demo_url, "SELECT id FROM township WHERE name = '鲁村镇'")[0]["id"]
    got = draft(demo_url, township_ids=(town,))
    articles = rows(
        demo_url,
        "SELECT COUNT(*) AS n FROM article WHERE township_id = ? AND deleted_at IS NULL "
        "AND published_on BETWEEN ? AND ?",
        (town, *H1),
    )[0]["n"]
    total = by_metric(got).get("articles.total")
    assert (total[0].value if total else 0) == articles
    assert not any(f.flag.startswith("原报告") for f in got.facts)  # the office's report is county-wide


def test_the_page_offers_both_downloads_and_shows_the_draft(demo_url):
    at = AppTest.from_string(page_script("work_report", demo_url, who="科员", role="staff"), default_timeout=60)
    at.query_params["year"], at.query_params["period"] = "2023", "h1"
    at.run()
    assert not at.exception, at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["下载 Word 初稿", "下载数字核对表（Excel）"]
    shown = " ".join(h.proto.body for h in at.get("html"))
    assert "2023年上半年工作总结" in shown and "wr-flag" in shown


def test_a_number_resting_on_a_record_saved_over_a_warning_is_flagged(demo_url):
    """An article whose title was already recorded is saved once confirmed with a note: its outlet's count and the
    total are highlighted for the author; in 2022 the two items the demo finished over target are too."""
    from data_layer.services import publicity
    from tests.conftest import person

    taken = rows(
        demo_url,
        "SELECT title, outlet_id, county_id FROM article WHERE published_on BETWEEN ? AND ? ORDER BY id",
        ("2023-03-01", "2023-03-31"),
    )[0]
    outlet = rows(demo_url, "SELECT name FROM outlet WHERE id = ?", (taken["outlet_id"],))[0]["name"]
    services_for(publicity.ARTICLE).create(
        db_url=demo_url,
        actor=person("科员", "staff"),
        confirm=True,
        warning_note="同题不同稿，已核实",
        values=dict(
            county_id=taken["county_id"],
            outlet_id=taken["outlet_id"],
            title=taken["title"],
            published_on=date(2023, 3, 20),
        ),
    )
    facts = by_metric(draft(demo_url))
    for metric in (f"articles.outlet:{outlet}", "articles.total"):
        assert "其中 1 条记录是录入时出现提醒、经确认并写明说明后保存的" in facts[metric][0].flag, metric
    warned_2022 = rows(
        demo_url,
        "SELECT p.code AS p, i.code AS i FROM progressentry e JOIN projectitem i ON i.id = e.item_id "
        "JOIN project p ON p.id = i.project_id WHERE e.warning_note != '' AND e.entry_date BETWEEN ? AND ?",
        ("2022-01-01", "2022-12-31"),
    )
    year_2022 = by_metric(draft(demo_url, FilterSpec(2022)))
    for w in warned_2022:
        assert "经确认" in year_2022[f"progress.quantity:{w['p']}.{w['i']}"][0].flag
