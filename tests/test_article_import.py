"""The import of the office's 信息报送台账: a file read into rows (a title row above the header, aliases, every
date the office writes, a GBK CSV), the dry run's per-row errors and warnings (the form's rules, repeats in the
store and in the file), all or nothing, the note that confirms warnings, township officers and closed months,
the log; the template, the export against a plain count; the page through AppTest."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from data_layer.documents import article_sheet as sheet
from data_layer.documents.article_workbooks import ledger_workbook, template_workbook
from data_layer.documents.sheets import FileRefused
from data_layer.domain.errors import NeedsConfirmation, ValidationFailed
from data_layer.domain.scope import FilterSpec, make_scope
from data_layer.queries import article_ledger
from data_layer.queries.publicity import LEVEL_LABELS
from data_layer.services import article_import as importer
from data_layer.services import publicity
from data_layer.services.locks import close_months
from data_layer.services.records import services_for
from tests.conftest import person, rows, shown
from tests.test_employer_import import xlsx as workbook
from tests.test_pages import page_script

HEADERS = ["发表日期", "发表媒体", "稿件标题", "乡镇（街道）", "类型", "链接"]
STAFF = person("宣传干事", "staff", areas=("publicity",))
TODAY = date(2023, 12, 31)
RADIO = "淄博电台"


def xlsx(lines: list[list], *, above: list[list] = (), headers: list[str] = HEADERS) -> bytes:
    """A workbook: rows ``above`` the header (a title), the header (the ledger's), then ``lines``."""
    return workbook(lines, above=above, headers=headers)


def names(url: str) -> tuple[int, dict[str, int], dict[str, int]]:
    """The county, its townships and the outlets (name → id), read with plain SQL."""
    towns = rows(url, "SELECT id, name, county_id FROM township")
    outlets = rows(url, "SELECT id, name FROM outlet")
    return towns[0]["county_id"], {t["name"]: t["id"] for t in towns}, {o["name"]: o["id"] for o in outlets}


def parse(url: str, data: bytes, name: str = "台账.xlsx") -> sheet.ParsedFile:
    county_id, towns, outlets = names(url)
    return sheet.parse_articles(data, name, county_id=county_id, outlets=outlets, townships=towns)


def dry_run(url: str, data: bytes, actor=STAFF, name: str = "台账.xlsx"):
    parsed = parse(url, data, name)
    return parsed, importer.preview_import(db_url=url, rows=parsed.rows, actor=actor, today=TODAY)


def commit(url: str, parsed, actor=STAFF, note: str = "", confirm: bool | None = None):
    """The import as the component calls it: confirmed once the person wrote a note (unless said otherwise)."""
    return importer.import_articles(
        db_url=url,
        actor=actor,
        file_name=parsed.file_name,
        rows=parsed.rows,
        confirm=bool(note) if confirm is None else confirm,
        warning_note=note,
        today=TODAY,
    )


def count(url: str, table: str) -> int:
    return rows(url, f"SELECT COUNT(*) AS n FROM {table}")[0]["n"]


def stored_article(url: str, title: str, published_on: date) -> int:
    county_id, _, outlets = names(url)
    return services_for(publicity.ARTICLE).create(
        db_url=url,
        actor=person(),
        today=TODAY,
        values=dict(
            county_id=county_id,
            outlet_id=outlets[RADIO],
            title=title,
            published_on=published_on,
            link="https://zbtv.example/stored",
        ),
    )


# --- reading the file ------------------------------------------------------------------------------------


def test_a_ledger_under_a_title_row_with_other_offices_headers_is_read(reference_url):
    data = xlsx(
        [
            [datetime(2023, 5, 20), RADIO, "我县开展助残日活动", "鲁村镇", "", "https://a.example/1"],
            ["2023年5月21日", RADIO, "第二篇", "县本级", "新闻", ""],
            ["2023/5/22", RADIO, "第三篇", "", "专题片", None],
            ["2023-05-23", RADIO, "第四篇", None, None, None],
            [45068, RADIO, "日期存成了数字", None, None, None],
            [],  # an empty line below the list
        ],
        above=[["2023年信息报送台账"], []],
        headers=["日期", "采用媒体", "信息标题", "乡镇", "稿件类型", "网址"],
    )
    parsed = parse(reference_url, data)
    _, towns, outlets = names(reference_url)
    assert parsed.header_line == 3
    assert [line for line, _ in parsed.rows] == [4, 5, 6, 7, 8]
    values = [v for _, v in parsed.rows]
    assert [v["published_on"] for v in values] == [
        date(2023, 5, 20),
        date(2023, 5, 21),
        date(2023, 5, 22),
        date(2023, 5, 23),
        date(2023, 5, 22),  # Excel's serial 45068
    ]
    assert {v["outlet_id"] for v in values} == {outlets[RADIO]}
    assert [v["township_id"] for v in values[:3]] == [towns["鲁村镇"], None, None]
    assert [v["kind"] for v in values[:3]] == ["", "新闻", "专题片"]
    assert not any("_errors" in v for v in values)


def test_a_gbk_csv_is_read(reference_url):
    text = "\r\n".join(
        [",".join(HEADERS), f"2023-06-01,{RADIO},残疾人就业招聘会举行,东里镇,信息,", f"2023-06-02,{RADIO},第二篇,,,"]
    )
    parsed = parse(reference_url, text.encode("gbk"), "台账.csv")
    assert parsed.kind == "CSV 文件（GBK 编码）"
    assert [v["title"] for _, v in parsed.rows] == ["残疾人就业招聘会举行", "第二篇"]


@pytest.mark.parametrize(
    ("lines", "headers", "message"),
    [
        ([[1, 2, 3]], ["甲", "乙", "丙"], "在前 5 行中找不到表头"),
        ([["2023-05-20", RADIO]], ["发表日期", "发表媒体"], "缺少这些列：稿件标题"),
        ([], HEADERS, "没有稿件的数据行"),
    ],
)
def test_a_file_that_is_no_ledger_is_refused_as_a_whole(reference_url, lines, headers, message):
    with pytest.raises(FileRefused, match=message):
        parse(reference_url, xlsx(lines, headers=headers))


# --- the dry run -----------------------------------------------------------------------------------------


def test_the_dry_run_reports_each_rows_errors_and_warnings_and_writes_nothing(reference_url):
    stored_article(reference_url, "已录入的稿件", date(2023, 4, 1))
    before = (count(reference_url, "article"), count(reference_url, "auditlog"))
    data = xlsx(
        [
            ["2023-05-20", RADIO, "助残日活动", "鲁村镇", "", ""],  # 2: fine
            ["2023-05-21", RADIO, "助残日活动", "", "", ""],  # 3: the title of row 2
            ["2023-05-22", RADIO, "已录入的稿件", "", "", ""],  # 4: the title of a stored article
            ["2023-05-23", RADIO, "另一篇", "", "", "https://zbtv.example/stored"],  # 5: a stored link
            ["2023-05-24", "某某晚报", "未登记媒体", "", "", ""],  # 6: unknown outlet
            ["五月", RADIO, "", "某某镇", "小说", "ftp://x"],  # 7: everything wrong
            ["2024-02-01", RADIO, "未来的稿件", "", "", ""],  # 8: after today
        ]
    )
    parsed, planned = dry_run(reference_url, data)
    assert (count(reference_url, "article"), count(reference_url, "auditlog")) == before
    stored_id = rows(reference_url, "SELECT id FROM article")[0]["id"]
    assert {p.line: p.action for p in planned} == {
        2: "create",
        3: "warning",
        4: "warning",
        5: "warning",
        6: "error",
        7: "error",
        8: "error",
    }
    by_line = {p.line: p for p in planned}
    assert by_line[3].warnings == {"title": "与本文件第 2 行的标题相同，是否重复导入？"}
    assert by_line[4].warnings == {"title": f"标题相同的稿件已录入（编号 {stored_id}），是否重复录入？"}
    assert by_line[5].warnings == {"link": f"链接相同的稿件已录入（编号 {stored_id}），是否重复录入？"}
    assert sheet.in_column_order(by_line[7].errors) == [
        "发表日期“五月”不是日期，请写成 2023-05-20",
        "请填写稿件标题",
        "乡镇（街道）“某某镇”不存在",
        "稿件类型应为 信息 / 新闻 / 专题片 / 其他",
        "链接应以 http:// 或 https:// 开头",
    ]
    assert by_line[6].errors == {"outlet_id": "发表媒体“某某晚报”未登记（已登记的媒体见模板的填写说明）"}
    assert by_line[8].errors == {"published_on": "发表日期不能晚于今天"}
    _, towns, outlets = names(reference_url)
    preview = sheet.preview(parsed, planned, {i: n for n, i in outlets.items()}, {i: n for n, i in towns.items()})
    # a row to confirm is a new article too; an import never updates one
    counted = (preview.created, preview.updated, preview.same, preview.warned, preview.problems, preview.may_commit)
    assert counted == (4, 0, 0, 3, 3, False)
    assert list(preview.problem_rows["行号"]) == [6, 7, 7, 7, 7, 7, 8]  # one line a problem
    assert list(preview.warning_rows["行号"]) == [3, 4, 5]
    assert list(preview.create_rows["行号"]) == [2, 3, 4, 5]
    assert preview.update_rows.empty


# --- the commit: all or nothing --------------------------------------------------------------------------


def test_one_bad_row_refuses_the_whole_file(reference_url):
    data = xlsx([["2023-05-20", RADIO, "第一篇", "", "", ""], ["2023-05-21", "某某晚报", "第二篇", "", "", ""]])
    parsed = parse(reference_url, data)
    before = count(reference_url, "article")
    with pytest.raises(ValidationFailed) as refused:
        commit(reference_url, parsed)
    assert refused.value.errors["rows"].startswith("有 1 行有问题（第一处：第 3 行，发表媒体“某某晚报”未登记")
    assert count(reference_url, "article") == before
    assert count(reference_url, "filelog") == 0


def test_warnings_are_imported_only_with_a_note_kept_on_each_such_row(reference_url):
    data = xlsx(
        [
            ["2023-05-20", RADIO, "助残日活动", "鲁村镇", "", ""],
            ["2023-05-21", RADIO, "助残日活动", "", "新闻", ""],
            ["2023-05-22", RADIO, "第三篇", "", "", "https://a.example/3"],
        ]
    )
    parsed = parse(reference_url, data, "六月台账.xlsx")
    with pytest.raises(NeedsConfirmation) as asked:
        commit(reference_url, parsed)
    assert "有 1 行需要核实（第一处：第 3 行，与本文件第 2 行的标题相同" in asked.value.warnings["rows"]
    assert "warning_note" not in asked.value.warnings
    with pytest.raises(NeedsConfirmation) as asked:  # confirmed without a word: asked again, for the note
        commit(reference_url, parsed, confirm=True)
    assert asked.value.warnings["warning_note"] == "请写明核实说明：这些行为什么没有问题"
    assert count(reference_url, "article") == 0
    assert commit(reference_url, parsed, note="两家媒体分别采用") == {"rows": 3, "created": 3, "updated": 0}
    stored = rows(reference_url, "SELECT title, kind, township_id, warning_note, created_by FROM article ORDER BY id")
    _, towns, _ = names(reference_url)
    assert [(r["title"], r["kind"], r["township_id"], r["warning_note"]) for r in stored] == [
        ("助残日活动", "信息", towns["鲁村镇"], ""),
        ("助残日活动", "新闻", None, "两家媒体分别采用"),
        ("第三篇", "信息", None, ""),
    ]
    assert {r["created_by"] for r in stored} == {"宣传干事"}
    # audited like the form's creates; the file in the log
    audited = rows(reference_url, "SELECT table_name FROM auditlog WHERE actor = '宣传干事'")
    assert sorted(r["table_name"] for r in audited) == ["article"] * 3 + ["filelog"]
    log = rows(reference_url, "SELECT kind, file_name, actor, rows, created, detail FROM filelog")
    assert log == [
        {
            "kind": "import.article",
            "file_name": "六月台账.xlsx",
            "actor": "宣传干事",
            "rows": 3,
            "created": 3,
            "detail": "新增稿件 3 篇；核实说明：两家媒体分别采用",
        }
    ]
    shown_log = article_ledger.import_log(reference_url)
    assert list(shown_log[["actor", "file_name", "created"]].iloc[0]) == ["宣传干事", "六月台账.xlsx", 3]


def test_a_township_officer_imports_only_their_own_townships_rows(reference_url):
    _, towns, _ = names(reference_url)
    officer = person("鲁村干事", "township", township_id=towns["鲁村镇"], areas=("publicity",))
    data = xlsx(
        [
            ["2023-05-20", RADIO, "本镇的稿件", "鲁村镇", "", ""],
            ["2023-05-21", RADIO, "别的镇的稿件", "东里镇", "", ""],
        ]
    )
    parsed, planned = dry_run(reference_url, data, actor=officer)
    assert {p.line: p.errors for p in planned} == {
        2: {},
        3: {"township_id": "乡镇专职干事只能录入本乡镇的数据"},
    }
    with pytest.raises(ValidationFailed, match="有 1 行有问题（第一处：第 3 行，乡镇专职干事只能录入本乡镇的数据"):
        commit(reference_url, parsed, actor=officer)
    assert count(reference_url, "article") == 0


def test_a_closed_month_is_refused_and_an_administrator_needs_a_reason(reference_url):
    close_months(db_url=reference_url, actor=person(), months=[date(2023, 5, 1)], today=TODAY)
    data = xlsx([["2023-05-20", RADIO, "五月的稿件", "", "", ""], ["2023-06-20", RADIO, "六月的稿件", "", "", ""]])
    parsed, planned = dry_run(reference_url, data)
    assert planned[0].errors["published_on"].startswith("2023年5月已结账")
    assert planned[1].action == "create"
    with pytest.raises(ValidationFailed, match="第 2 行，2023年5月已结账"):
        commit(reference_url, parsed)
    admin = person("王管理")
    _, planned = dry_run(reference_url, data, actor=admin)
    assert planned[0].warnings["locked"].startswith("2023年5月已结账：保存即为结账后修改")
    with pytest.raises(NeedsConfirmation, match="需要核实"):
        commit(reference_url, parsed, actor=admin)
    assert count(reference_url, "article") == 0
    commit(reference_url, parsed, actor=admin, note="补录上半年漏报的稿件")
    assert count(reference_url, "article") == 2
    assert count(reference_url, "lockoverride") == 1


def test_an_account_without_publicity_cannot_import(reference_url):
    parsed = parse(reference_url, xlsx([["2023-05-20", RADIO, "一篇", "", "", ""]]))
    with pytest.raises(ValidationFailed, match="没有“宣传”的录入权限"):
        commit(reference_url, parsed, actor=person("残保金干事", "staff", areas=("levy",)))


def test_the_same_ledger_imported_again_leaves_every_article_as_it_is(reference_url):
    lines = [
        ["2023-05-20", RADIO, "助残日活动", "鲁村镇", "", ""],
        ["2023-05-21", RADIO, "第二篇", "", "新闻", "https://a.example/2"],
    ]
    parsed = parse(reference_url, xlsx(lines))
    assert commit(reference_url, parsed) == {"rows": 2, "created": 2, "updated": 0}
    parsed, planned = dry_run(reference_url, xlsx(lines))
    assert [p.action for p in planned] == ["same", "same"]
    _, towns, outlets = names(reference_url)
    preview = sheet.preview(parsed, planned, {i: n for n, i in outlets.items()}, {i: n for n, i in towns.items()})
    assert (preview.created, preview.updated, preview.same, preview.warned, preview.problems) == (0, 0, 2, 0, 0)
    assert not preview.may_commit and preview.create_rows.empty
    assert commit(reference_url, parsed) == {"rows": 2, "created": 0, "updated": 0}
    assert count(reference_url, "article") == 2
    # one cell changed: not an update of the stored article but a new one, whose repeated title is to confirm
    changed = xlsx([lines[0], [*lines[1][:4], "专题片", lines[1][5]]])
    _, planned = dry_run(reference_url, changed)
    assert [p.action for p in planned] == ["same", "warning"]


# --- the template and the export -------------------------------------------------------------------------


def test_the_template_lists_outlets_and_townships_and_its_examples_are_not_imported(reference_url):
    _, towns, outlets = names(reference_url)
    data = template_workbook(list(outlets), list(towns))
    first, notes = load_workbook(io.BytesIO(data)).worksheets
    lines = list(first.iter_rows(values_only=True))
    assert list(lines[0]) == HEADERS and len(lines) == 3
    explained = {r[0] for r in notes.iter_rows(values_only=True)}
    assert set(HEADERS) | set(outlets) | set(towns) | {"县本级"} <= explained
    with pytest.raises(FileRefused, match="模板的示例行不导入"):
        parse(reference_url, data)


def test_the_export_holds_every_article_of_the_period_as_a_plain_count_finds(demo_url):
    _, towns, _ = names(demo_url)
    scope = make_scope(FilterSpec(2023, "h1"), [towns["鲁村镇"]])
    ledger = article_ledger.ledger(demo_url, scope)
    expected = rows(
        demo_url,
        "SELECT a.title, o.name AS outlet, o.level FROM article a JOIN outlet o ON o.id = a.outlet_id "
        "WHERE a.deleted_at IS NULL AND a.township_id = ? AND a.published_on BETWEEN '2023-01-01' AND '2023-06-30' "
        "ORDER BY a.published_on, a.id",
        (towns["鲁村镇"],),
    )
    assert expected, "the demo has articles about 鲁村镇 in the first half"
    data = ledger_workbook(
        ledger, levels=LEVEL_LABELS, filter_label="2023年上半年 · 鲁村镇", taken_at=datetime(2023, 7, 1, 9, 30)
    )
    lines = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert lines[0][0] == f"信息报送台账（共 {len(expected)} 篇）"
    assert lines[1][0] == "筛选：2023年上半年 · 鲁村镇"
    assert lines[3][0] == "数据最后更新：2023年7月1日 17:30（北京时间）"  # a naive time is the store's UTC
    assert list(lines[4]) == ["发表日期", "媒体", "级别", "乡镇（街道）", "标题", "类型", "链接", "录入人"]
    body = lines[5:]
    assert [(r[4], r[1], r[2]) for r in body] == [(e["title"], e["outlet"], LEVEL_LABELS[e["level"]]) for e in expected]
    assert {r[3] for r in body} == {"鲁村镇"}


# --- the page --------------------------------------------------------------------------------------------


def ledger_page(url: str, role: str = "staff", areas=("publicity",)) -> AppTest:
    at = AppTest.from_string(
        page_script("publicity_ledger", url, who="宣传干事", role=role, areas=areas), default_timeout=60
    )
    at.query_params["year"] = "2023"
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_leader_sees_the_list_and_no_import(demo_url):
    at = ledger_page(demo_url, role="leader", areas=())
    assert not at.tabs and not at.file_uploader
    total = rows(
        demo_url,
        "SELECT COUNT(*) AS n FROM article WHERE deleted_at IS NULL "
        "AND published_on BETWEEN '2023-01-01' AND '2023-12-31'",
    )[0]["n"]
    assert f"共 **{total:,}** 篇" in at.markdown[0].value
    assert len(at.dataframe[0].value) == min(total, 2_000)


def test_an_upload_shows_the_dry_run_then_imports_with_a_note(reference_url):
    at = ledger_page(reference_url)
    at.session_state["al_tab"] = "批量导入"
    at.run()
    bad = xlsx([["2023-05-20", "某某晚报", "一篇", "", "", ""]])
    at.file_uploader[0].set_value(("坏台账.xlsx", bad, "application/octet-stream")).run()
    assert not at.exception, at.exception
    assert {m.label: m.value for m in at.metric} == {
        "新增": "0 篇",
        "更新": "0 篇",
        "无变化": "0 篇",
        "需核实": "0 篇",
        "有问题": "1 行",
    }
    assert any("有 1 行有问题，整个文件不能导入" in e.value for e in at.error)
    assert list(at.dataframe[0].value[["行号", "问题"]].iloc[0]) == [
        2,
        "发表媒体“某某晚报”未登记（已登记的媒体见模板的填写说明）",
    ]
    assert not [b for b in at.button if b.label.startswith("确认导入")]
    good = xlsx(
        [["2023-05-20", RADIO, "助残日活动", "鲁村镇", "", ""], ["2023-05-21", RADIO, "助残日活动", "", "", ""]]
    )
    at.file_uploader[0].set_value(("好台账.xlsx", good, "application/octet-stream")).run()
    assert not at.exception, at.exception
    assert [m.value for m in at.metric] == ["2 篇", "0 篇", "0 篇", "1 篇", "0 行"]
    warned = at.dataframe[0].value
    assert list(warned[["行号", "需核实"]].iloc[0]) == [3, "与本文件第 2 行的标题相同，是否重复导入？"]
    submit = next(b for b in at.button if b.label.startswith("确认导入"))
    assert submit.label == "确认导入：新增 2 篇，更新 0 篇"
    submit.click().run()
    assert not at.exception, at.exception
    assert any("有 1 行需要核实（第一处：第 3 行" in w.value for w in at.warning)  # Action's one confirm step
    next(b for b in at.button if b.label == "已核实，确认保存").click().run()
    assert any("请写明核实说明：这些行为什么没有问题" in w.value for w in at.warning)
    assert count(reference_url, "article") == 0
    at.text_input(key="al_import_confirm_note").input("两家栏目分别采用")
    next(b for b in at.button if b.label == "已核实，确认保存").click().run()
    assert not at.exception, at.exception
    assert [shown(s.value) for s in at.success] == [
        "已导入“好台账.xlsx”：新增 2 篇，更新 0 篇，无变化 0 篇，其中 1 篇经核实确认。"
    ]
    assert count(reference_url, "article") == 2
    log = at.dataframe[0].value  # the dry run is gone; the recent imports stay
    assert list(log[["导入人", "文件名", "行数", "新增", "无变化"]].iloc[0]) == ["宣传干事", "好台账.xlsx", 2, 2, 0]
