"""The employer registry's import (用人单位名录): a file read into rows, checked row by row in a dry run, written
all or nothing; files refused as a whole; the template and the export; the registry page."""

from __future__ import annotations

import contextlib
import io
import time
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook
from streamlit.testing.v1 import AppTest

from data_layer.documents import employer_sheet as sheet
from data_layer.documents.employer_workbooks import registry_workbook, template_workbook
from data_layer.domain import credit_code
from data_layer.domain.errors import ValidationFailed
from data_layer.domain.scope import FilterSpec, make_scope
from data_layer.infra.settings import CHINA
from data_layer.queries import employers as registry_q
from data_layer.services import employers
from tests.conftest import person, rows, shown
from tests.test_pages import page_script

HEADERS = list(sheet.HEADERS)
STAFF = person("李科员", "staff", areas=("levy",))


def codes(n: int, start: int = 0) -> list[str]:
    """``n`` valid credit codes (the organisation body counts up; bodies whose check would be X are skipped)."""
    found, i = [], start
    while len(found) < n:
        with contextlib.suppress(ValueError):
            found.append(credit_code.make("91", "370323", f"{i:08d}"))
        i += 1
    return found


def xlsx(lines: list[list], *, above: list[list] = (), headers: list[str] = HEADERS) -> bytes:
    """A workbook: rows ``above`` the header (a title), the header, then ``lines``."""
    book = Workbook()
    for row in [*above, headers, *lines]:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(lines: list[list], encoding: str) -> bytes:
    text = "\r\n".join(",".join(str(c) for c in row) for row in [HEADERS, *lines]) + "\r\n"
    return text.encode(encoding)


def county(url: str) -> tuple[int, dict[str, int]]:
    towns = rows(url, "SELECT id, name, county_id FROM township")
    return towns[0]["county_id"], {t["name"]: t["id"] for t in towns}


def parse(url: str, data: bytes, name: str = "名单.xlsx") -> sheet.ParsedFile:
    county_id, towns = county(url)
    return sheet.parse_employers(data, name, county_id=county_id, townships=towns)


def dry_run(url: str, data: bytes, name: str = "名单.xlsx", actor=STAFF):
    parsed = parse(url, data, name)
    return parsed, employers.preview_import(db_url=url, rows=parsed.rows, actor=actor)


def counts(url: str) -> tuple[int, int, int]:
    one = lambda table: rows(url, f"SELECT COUNT(*) AS n FROM {table}")[0]["n"]  # noqa: E731
    return one("employer"), one("filelog"), one("auditlog")


def register(url: str, code: str, **over) -> int:
    county_id, towns = county(url)
    values = dict(
        county_id=county_id,
        township_id=towns["鲁村镇"],
        name="沂源测试机械有限公司",
        credit_code=code,
        staff=120,
        disabled_staff=1,
        avg_wage_fen=5_800_000,
        size_class="small",
        above_designated_size=True,
        registered_on=date(2020, 3, 1),
    )
    return employers.create_employer(db_url=url, actor=STAFF, **{**values, **over})


# --- the dry run: every problem, per row, and nothing written ----------------------------------------------


def test_every_kind_of_bad_row_is_reported_per_row_and_nothing_is_written(reference_url):
    good, bad_check, other, dup_free = codes(4)
    wrong_digit = bad_check[:17] + ("0" if bad_check[17] != "0" else "1")
    data = xlsx(
        [
            ["沂源甲公司", good, "鲁村镇", 120, 2, 58000, "小型", "是"],  # row 3: fine
            ["沂源乙公司", wrong_digit, "鲁村镇", 50, 0, 46000, "小型", "否"],  # 4: check digit
            ["", other, "鲁村镇", 50, 0, 46000, "小型", "否"],  # 5: no name
            ["沂源丙公司", dup_free, "鲁村镇", 10, 12, 46000, "微型", "否"],  # 6: more disabled than staff
            ["沂源丁公司", codes(1, 100)[0], "不存在镇", 40, 0, 46000, "小型", "否"],  # 7: unknown township
            ["沂源戊公司", good, "东里镇", 60, 0, 46000, "小型", "否"],  # 8: the code of row 3 again
            ["沂源己公司", codes(1, 200)[0], "东里镇", "abc", 0, 46000, "小型", "否"],  # 9: staff not a number
            ["沂源庚公司", codes(1, 300)[0], "东里镇", "1,200", 3.0, "52000.50", "中型", "否"],  # 10: fine
        ],
        above=[["2023年用人单位名录（税务局提供）"]],
    )
    before = counts(reference_url)
    parsed, planned = dry_run(reference_url, data)
    assert parsed.header_line == 2
    report = {p.line: sheet.problem_words(p.errors) for p in planned if p.errors}
    assert report == {
        4: "统一社会信用代码校验位不对，请核对",
        5: "请填写单位名称",
        6: "残疾职工人数不能多于职工人数",
        7: "乡镇（街道）“不存在镇”不存在",
        8: "与第 3 行的统一社会信用代码重复",
        9: "职工人数应填写整数，例如 12；“abc”不是整数",
    }
    fine = {p.line: p.values for p in planned if not p.errors}
    assert set(fine) == {3, 10}
    assert (fine[10]["staff"], fine[10]["disabled_staff"], fine[10]["avg_wage_fen"]) == (1200, 3, 5_200_050)
    # the page's table of problems: row number, the cells as typed, the problem in words
    towns = {i: n for n, i in county(reference_url)[1].items()}
    preview = sheet.preview(parsed, planned, towns)
    assert (preview.created, preview.updated, preview.same, preview.problems) == (2, 0, 0, 6)
    assert not preview.may_commit
    table = preview.problem_rows.set_index("行号")
    assert list(table.index) == [4, 5, 6, 7, 8, 9]
    assert table.loc[9, "职工人数"] == "abc" and table.loc[7, "所属乡镇（街道）"] == "不存在镇"
    assert table.loc[4, "问题"] == report[4]
    with pytest.raises(ValidationFailed, match="有 6 行有问题（第一处：第 4 行"):
        employers.import_employers(db_url=reference_url, actor=STAFF, file_name="名单.xlsx", rows=parsed.rows)
    assert counts(reference_url) == before


@pytest.mark.parametrize(
    ("cells", "problem"),
    [
        ({"credit_code": 9.13703231e17}, "统一社会信用代码被存成了数字，后几位已丢失"),
        ({"credit_code": ""}, "请填写统一社会信用代码"),
        ({"township": ""}, "请填写所属乡镇（街道）"),
        ({"staff": 120.5}, "职工人数必须是整数"),
        ({"staff": ""}, "请填写职工人数"),
        ({"disabled_staff": "两人"}, "残疾职工人数应填写整数"),
        ({"avg_wage": "五万"}, "上年职工年平均工资应为以元为单位的数字，“五万”不是"),
        ({"avg_wage": "4521.123"}, "上年职工年平均工资最多两位小数（到分）"),
        ({"size_class": "特大"}, "企业规模应为 大型 / 中型 / 小型 / 微型，“特大”不是"),
        ({"size_class": ""}, "企业规模应为 大型 / 中型 / 小型 / 微型"),
        ({"above": "也许"}, "规模以上企业应填“是”或“否”，“也许”不是"),
        ({"registered_on": "去年"}, "登记日期“去年”不是日期，请写成 2023-05-20"),
        ({"registered_on": "2023-02-30"}, "登记日期“2023-02-30”不是日期"),
        ({"name": "沂源\u200b公司"}, "名称含有看不见的控制字符（U+200B）"),
    ],
)
def test_a_cell_that_means_nothing_usable_is_a_problem_of_its_row(reference_url, cells, problem):
    base = {
        "name": "沂源测试公司",
        "credit_code": codes(1)[0],
        "township": "鲁村镇",
        "staff": 120,
        "disabled_staff": 1,
        "avg_wage": 58000,
        "size_class": "小型",
        "above": "否",
        "registered_on": "2023-05-20",
    }
    line = list({**base, **cells}.values())
    _, planned = dry_run(reference_url, xlsx([line]))
    assert problem in sheet.problem_words(planned[0].errors)


def test_a_township_officer_imports_only_their_own_township(reference_url):
    _, towns = county(reference_url)
    officer = person("鲁村干事", "township", township_id=towns["鲁村镇"], areas=("levy",))
    elsewhere = register(reference_url, codes(1, 500)[0], township_id=towns["东里镇"], name="东里已登记公司")
    a, b = codes(2)
    data = xlsx(
        [
            ["鲁村新公司", a, "鲁村镇", 40, 0, 46000, "小型", "否"],
            ["东里新公司", b, "东里镇", 40, 0, 46000, "小型", "否"],
            ["东里已登记公司", codes(1, 500)[0], "鲁村镇", 40, 0, 46000, "小型", "否"],  # moving it in
        ]
    )
    before = counts(reference_url)
    parsed, planned = dry_run(reference_url, data, actor=officer)
    report = {p.line: sheet.problem_words(p.errors) for p in planned if p.errors}
    assert report == {
        3: "乡镇专职干事只能导入本乡镇的单位",
        4: "这个代码已登记在其他乡镇，乡镇专职干事只能导入本乡镇的单位",
    }
    with pytest.raises(ValidationFailed, match="有 2 行有问题"):
        employers.import_employers(db_url=reference_url, actor=officer, file_name="x.xlsx", rows=parsed.rows)
    assert counts(reference_url) == before
    assert (
        rows(reference_url, "SELECT township_id FROM employer WHERE id = ?", (elsewhere,))[0]["township_id"]
        == (towns["东里镇"])
    )


# --- the commit ---------------------------------------------------------------------------------------------


def test_a_good_workbook_creates_and_updates_the_expected_rows_and_logs_the_file(reference_url):
    changed, unchanged, new_a, new_b = codes(4)
    first = register(reference_url, changed, name="沂源老厂", staff=120, size_class="small")
    register(reference_url, unchanged, name="沂源不变厂", staff=40, disabled_staff=0, above_designated_size=False)
    data = xlsx(
        [
            # the same code: staff and size change; disabled staff left empty keeps the registry's 1
            ["沂源老厂", changed, "鲁村镇", 130, "", 58000, "中型", "是", "2023-05-20"],
            ["沂源不变厂", unchanged, "鲁村镇", 40, 0, 58000, "小型", "否"],
            ["沂源新厂甲", new_a, "东里镇", 35, 1, "46,000.00", "小型", "否", "2023年6月1日"],
            ["沂源新厂乙", new_b, "东里镇", 8, "", "", "微型", ""],  # no date: registered today
            ["示例：沂源某某公司", codes(1, 900)[0], "鲁村镇", 1, 0, 1, "微型", "否"],  # the template's example
        ],
        headers=[*HEADERS],
    )
    parsed, planned = dry_run(reference_url, data)
    assert parsed.examples == 1
    assert {p.line: p.action for p in planned} == {2: "update", 3: "same", 4: "create", 5: "create"}
    assert planned[0].changes == {"staff": (120, 130), "size_class": ("small", "medium")}
    towns = {i: n for n, i in county(reference_url)[1].items()}
    preview = sheet.preview(parsed, planned, towns)
    assert list(preview.update_rows["变化"]) == ["职工人数：120 → 130", "企业规模：小型 → 中型"]  # one line a change
    assert sheet.change_words(planned[0].changes, towns) == "职工人数：120 → 130；企业规模：小型 → 中型"
    assert list(preview.create_rows["单位名称"]) == ["沂源新厂甲", "沂源新厂乙"]
    assert preview.may_commit
    steps = []
    result = employers.import_employers(
        db_url=reference_url,
        actor=STAFF,
        file_name="2023年名录.xlsx",
        rows=parsed.rows,
        progress=lambda done, total: steps.append((done, total)),
    )
    assert result == {"rows": 4, "created": 2, "updated": 1}
    assert steps[-1] == (8, 8)
    stored = {
        r["credit_code"]: r
        for r in rows(
            reference_url,
            "SELECT e.*, t.name AS township FROM employer e JOIN township t ON t.id = e.township_id",
        )
    }
    assert len(stored) == 4
    old = stored[changed]
    assert (old["id"], old["staff"], old["disabled_staff"], old["size_class"]) == (first, 130, 1, "medium")
    assert old["registered_on"] == "2020-03-01"  # an update keeps the registration date
    a, b = stored[new_a], stored[new_b]
    assert (a["name"], a["township"], a["staff"], a["avg_wage_fen"], a["registered_on"]) == (
        "沂源新厂甲",
        "东里镇",
        35,
        4_600_000,
        "2023-06-01",
    )
    today = datetime.now(CHINA).date().isoformat()
    assert (b["disabled_staff"], b["avg_wage_fen"], b["above_designated_size"], b["registered_on"]) == (0, 0, 0, today)
    log = rows(reference_url, "SELECT kind, file_name, actor, rows, created, updated, detail FROM filelog")
    assert log == [
        {
            "kind": "import.employer",
            "file_name": "2023年名录.xlsx",
            "actor": "李科员",
            "rows": 4,
            "created": 2,
            "updated": 1,
            "detail": "新增 2 家，更新 1 家，无变化 1 家",
        }
    ]
    shown = registry_q.import_log(reference_url)
    assert list(shown[["file_name", "rows", "created", "updated", "unchanged"]].iloc[0]) == [
        "2023年名录.xlsx",
        4,
        2,
        1,
        1,
    ]


def test_a_failure_in_the_middle_of_the_commit_leaves_nothing(reference_url, monkeypatch):
    """The update is written first, then the new rows are inserted together; the audit entry of the third new
    row fails, after all of them reached the database inside the transaction: none may stay."""
    existing = codes(1, 700)[0]
    register(reference_url, existing, staff=120)
    data = xlsx(
        [["沂源测试机械有限公司", existing, "鲁村镇", 150, 1, 58000, "小型", "是"]]
        + [[f"沂源新公司{i}", code, "东里镇", 40, 0, 46000, "小型", "否"] for i, code in enumerate(codes(4))]
    )
    parsed = parse(reference_url, data)
    before = counts(reference_url)
    real_audit, audited = employers.audit, []

    def failing_audit(session, *, actor, action, row, before=None):
        audited.append(row.name)
        if len(audited) == 3:
            assert session.get(type(row), row.id) is row  # written, with its id, inside the transaction
            raise RuntimeError("disk full")
        return real_audit(session, actor=actor, action=action, row=row, before=before)

    monkeypatch.setattr(employers, "audit", failing_audit)
    with pytest.raises(RuntimeError, match="disk full"):
        employers.import_employers(db_url=reference_url, actor=STAFF, file_name="x.xlsx", rows=parsed.rows)
    assert audited == ["沂源新公司0", "沂源新公司1", "沂源新公司2"]
    assert counts(reference_url) == before
    assert rows(reference_url, "SELECT staff FROM employer WHERE credit_code = ?", (existing,))[0]["staff"] == 120


# --- files refused as a whole ----------------------------------------------------------------------------


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def too_many_rows() -> bytes:
    line = "沂源测试公司,91370323MA3C00006M,鲁村镇,10,0,46000,小型,否"
    return ("\n".join([",".join(HEADERS), *[line] * (sheet.MAX_ROWS + 1)]) + "\n").encode("utf-8")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("名单.xlsx", b"", "文件是空的"),
        ("名单.csv", b"", "文件是空的"),
        ("名单.xlsx", docx(), "这个文件是 Word 文档，不是 Excel 工作簿"),
        ("名单.xlsx", bytes(range(256)) * 40, "文件名是 .xlsx，但内容不是 Excel 工作簿"),
        ("名单.xlsx", b"PK\x03\x04" + bytes(range(256)) * 4, "文件已损坏"),
        ("名单.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "旧版 Excel（.xls）"),
        ("名单.docx", b"just some words", "只能导入 Excel 工作簿（.xlsx）或 CSV 文件（.csv），这个文件是 .docx"),
        ("名单.csv", b"\x00\x01\x02" * 100, "不是文本格式的 CSV 文件"),
        ("名单.xlsx", xlsx([["沂源测试公司", "x", "鲁村镇"]], headers=HEADERS[:3] + ["备注"]), "缺少这些列"),
        ("名单.xlsx", xlsx([]), "文件只有表头（第 1 行），没有单位的数据行"),
        ("名单.xlsx", xlsx([[1, 2, 3]], headers=["甲", "乙", "丙"]), "在前 5 行中找不到表头"),
        ("名单.xlsx", xlsx([], above=[[], [], [], [], []]), "文件的前 5 行都是空的，找不到表头"),
        ("名单.xlsx", xlsx([], headers=[]), "文件的前 5 行都是空的"),
        ("名单.csv", too_many_rows(), "文件超过 20,000 行数据"),
    ],
)
def test_files_that_cannot_be_imported_are_refused_as_a_whole(reference_url, name, data, message):
    before = counts(reference_url)
    with pytest.raises(sheet.FileRefused) as refused:
        parse(reference_url, data, name)
    assert message in refused.value.message
    assert counts(reference_url) == before


def test_wrong_columns_are_named(reference_url):
    data = xlsx([["沂源测试公司"]], headers=["企业名称", "统一社会信用代码", "乡镇", "职工人数", "备注"])
    with pytest.raises(sheet.FileRefused) as refused:
        parse(reference_url, data)
    assert refused.value.message == (
        "第 1 行的表头缺少这些列：残疾职工人数、上年职工年平均工资（元）、企业规模、规模以上企业。"
        "请按模板的列名填写（列的顺序不限）。"
    )


def test_an_oversize_file_is_refused_before_it_is_read(reference_url):
    with pytest.raises(sheet.FileRefused, match=r"文件太大：20\.0 MB，超过 20 MB 的上限"):
        sheet.check_size(sheet.MAX_BYTES + 1)
    big = b"PK\x03\x04" + b"\0" * sheet.MAX_BYTES  # never opened: the size is checked first
    with pytest.raises(sheet.FileRefused, match="文件太大"):
        parse(reference_url, big)


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-8"])
def test_csv_from_chinese_excel_is_read_in_gbk_and_utf8(reference_url, encoding):
    a, b = codes(2)
    lines = [
        ["沂源测试甲公司", a, "鲁村镇", 120, 2, 58000, "小型", "是", "2023/5/20"],
        ["沂源测试乙公司", b, "东里镇", "15", "0", "46000.5", "微型", "否", ""],
    ]
    parsed, planned = dry_run(reference_url, csv_bytes(lines, encoding), "名单.csv")
    assert parsed.kind == f"CSV 文件（{'GBK' if encoding == 'gbk' else 'UTF-8'} 编码）"
    assert [p.action for p in planned] == ["create", "create"]
    _, towns = county(reference_url)
    first = planned[0].values
    assert (first["name"], first["township_id"], first["staff"], first["registered_on"]) == (
        "沂源测试甲公司",
        towns["鲁村镇"],
        120,
        date(2023, 5, 20),
    )
    assert planned[1].values["avg_wage_fen"] == 4_600_050


def test_the_header_is_found_under_a_title_with_other_offices_words(reference_url):
    headers = ["序号", "企业名称", "统一社会信用代码", "所属乡镇(街道)", "在职职工人数", "残疾职工人数"]
    headers += ["上年职工年平均工资(元)", "企业规模", "是否规模以上企业"]
    data = xlsx(
        [[1, "沂源测试公司", codes(1)[0], "鲁村镇", 120.0, 0, 58000, "小型企业", "否"]],
        above=[["市场监管局提供"], ["截至2023年6月"]],
        headers=headers,
    )
    parsed, planned = dry_run(reference_url, data)
    assert parsed.header_line == 3
    assert [(p.line, p.action) for p in planned] == [(4, "create")]
    assert (planned[0].values["staff"], planned[0].values["size_class"]) == (120, "small")


def test_five_thousand_rows_are_checked(reference_url):
    _, towns = county(reference_url)
    names = list(towns)
    data = xlsx(
        [
            [f"沂源测试企业{i:04d}有限公司", code, names[i % len(names)], 20 + i % 300, i % 3, 46000 + i, "小型", "否"]
            for i, code in enumerate(codes(5_000))
        ]
    )
    started = time.perf_counter()
    parsed = parse(reference_url, data)
    read = time.perf_counter() - started
    ticks = []
    planned = employers.preview_import(
        db_url=reference_url, rows=parsed.rows, actor=STAFF, progress=lambda done, total: ticks.append(done)
    )
    print(f"\n5,000 rows: read {read:.2f} s, dry run {time.perf_counter() - started - read:.2f} s")
    assert len(planned) == 5_000 and all(p.action == "create" for p in planned)
    assert ticks[0] == 200 and ticks[-1] == 5_000


# --- the template and the export ---------------------------------------------------------------------------


def test_the_template_has_the_header_two_marked_examples_and_an_explanation(reference_url):
    _, towns = county(reference_url)
    data = template_workbook(list(towns))
    book = load_workbook(io.BytesIO(data))
    first, notes = book.worksheets
    lines = list(first.iter_rows(values_only=True))
    assert list(lines[0]) == HEADERS
    assert len(lines) == 3 and all(str(line[0]).startswith("示例") for line in lines[1:])
    assert all(credit_code.is_valid(line[1]) for line in lines[1:])
    explained = [r[0] for r in notes.iter_rows(values_only=True)]
    assert all(h in explained for h in HEADERS) and set(towns) <= set(explained)
    with pytest.raises(sheet.FileRefused, match="模板的示例行不导入"):
        parse(reference_url, data)


def test_the_export_is_the_registry_on_screen_and_imports_again_unchanged(reference_url):
    _, towns = county(reference_url)
    for i, code in enumerate(codes(3)):
        register(reference_url, code, name=f"沂源导出测试{i}", township_id=towns["鲁村镇" if i else "东里镇"])
    scope = make_scope(FilterSpec(2023), [towns["鲁村镇"]])
    found = registry_q.registry(reference_url, scope)
    expected = rows(reference_url, "SELECT name FROM employer WHERE township_id = ? ORDER BY id", (towns["鲁村镇"],))
    assert list(found["name"]) == [r["name"] for r in expected]
    data = registry_workbook(found, filter_label="鲁村镇，共 2 家", taken_at=datetime(2023, 7, 1, 9, 30))
    sheet_rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert sheet_rows[1][0] == "筛选：鲁村镇，共 2 家"
    assert list(sheet_rows[4]) == HEADERS and len(sheet_rows) == 5 + 2
    _, planned = dry_run(reference_url, data)
    assert [p.action for p in planned] == ["same", "same"]


@pytest.mark.parametrize(
    ("search", "where", "params"),
    [
        ("", "1 = 1", ()),
        ("导出测试1", "name LIKE ?", ("%导出测试1%",)),
        ("91370323", "credit_code LIKE ?", ("91370323%",)),
        ("100%", "name LIKE ? ESCAPE '!'", ("%100!%%",)),
    ],
)
def test_the_registry_search_matches_names_and_codes(reference_url, search, where, params):
    _, towns = county(reference_url)
    for i, code in enumerate(codes(3)):
        register(reference_url, code, name=f"沂源导出测试{i}", township_id=towns["鲁村镇"])
    scope = make_scope(FilterSpec(2023))
    expected = rows(reference_url, f"SELECT COUNT(*) AS n, SUM(staff) AS s FROM employer WHERE {where}", params)[0]
    totals = registry_q.registry_totals(reference_url, scope, search)
    assert (totals["employers"], totals["staff"]) == (expected["n"], expected["s"] or 0)
    assert len(registry_q.registry(reference_url, scope, search)) == expected["n"]


# --- the page ----------------------------------------------------------------------------------------------


def registry_page(url: str, **params) -> AppTest:
    script = page_script("levy_registry", url, who="李科员", role="staff", areas=("levy",))
    at = AppTest.from_string(script, default_timeout=60)
    at.query_params["year"] = "2023"
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def test_the_page_lists_the_registry_for_staff(demo_url):
    at = registry_page(demo_url)
    assert not at.exception, at.exception
    count = rows(demo_url, "SELECT COUNT(*) AS n, SUM(staff) AS s FROM employer")[0]
    assert at.markdown[0].value.startswith(f"**全县**：共 **{count['n']:,}** 家，职工 {count['s']:,} 人")
    table = at.dataframe[0].value
    assert len(table) == count["n"]
    first = rows(
        demo_url,
        "SELECT e.name, e.credit_code, t.name AS township FROM employer e JOIN township t ON t.id = e.township_id "
        "ORDER BY t.sort_order, t.id, e.id LIMIT 1",
    )[0]
    assert list(table.iloc[0][["单位名称", "统一社会信用代码", "乡镇"]]) == list(first.values())


def test_a_record_link_opens_the_employer_and_a_change_is_saved(reference_url):
    employer = register(reference_url, codes(1)[0], name="沂源链接测试公司")
    at = registry_page(reference_url, record=str(employer))
    assert not at.exception, at.exception
    assert at.subheader[0].value == "修改：沂源链接测试公司"
    staff = next(t for t in at.text_input if t.label == "职工人数")
    staff.input("0")
    next(b for b in at.button if b.label == "保存修改").click().run()
    assert "残疾职工人数不能多于职工人数" in [e.value for e in at.error]
    assert rows(reference_url, "SELECT staff FROM employer")[0]["staff"] == 120
    next(t for t in at.text_input if t.label == "职工人数").input("150")
    next(b for b in at.button if b.label == "保存修改").click().run()
    assert not at.exception, at.exception
    assert rows(reference_url, "SELECT staff, updated_at FROM employer")[0]["staff"] == 150


def test_an_upload_through_the_page_shows_the_preview_and_commits(reference_url):
    at = registry_page(reference_url)
    at.session_state["er_tab"] = "批量导入"
    at.run()
    a, b = codes(2)
    bad = xlsx([["沂源页面甲公司", a, "鲁村镇", 10, 12, 46000, "小型", "否"]])
    at.file_uploader[0].set_value(("坏名单.xlsx", bad, "application/octet-stream")).run()
    assert not at.exception, at.exception
    assert any("有 1 行有问题，整个文件不能导入" in e.value for e in at.error)
    problems = at.dataframe[0].value
    assert list(problems[["行号", "问题"]].iloc[0]) == [2, "残疾职工人数不能多于职工人数"]
    assert not [x for x in at.button if x.label.startswith("确认导入")]
    good = xlsx(
        [
            ["沂源页面甲公司", a, "鲁村镇", 20, 1, 46000, "小型", "否"],
            ["沂源页面乙公司", b, "东里镇", 5, 0, 0, "微型", "否"],
        ]
    )
    at.file_uploader[0].set_value(("好名单.xlsx", good, "application/octet-stream")).run()
    assert not at.exception, at.exception
    commit = next(x for x in at.button if x.label.startswith("确认导入"))
    assert commit.label == "确认导入：新增 2 家，更新 0 家"
    commit.click().run()
    assert not at.exception, at.exception
    assert [shown(s.value) for s in at.success] == ["已导入“好名单.xlsx”：新增 2 家，更新 0 家，无变化 0 家。"]
    assert rows(reference_url, "SELECT COUNT(*) AS n FROM employer")[0]["n"] == 2
    log = at.dataframe[0].value  # the dry run is gone; the recent imports stay
    assert list(log[["导入人", "文件名", "行数", "新增"]].iloc[0]) == ["李科员", "好名单.xlsx", 2, 2]
    at.file_uploader[0].set_value(("好名单.xlsx", good, "application/octet-stream")).run()  # the same file again
    assert [m.value for m in at.metric] == ["0 家", "0 家", "2 家", "0 家", "0 行"]
    assert any("不需要导入" in i.value for i in at.info)
    assert not [x for x in at.button if x.label.startswith("确认导入")]


def test_a_refused_file_is_a_message_on_the_page(reference_url):
    at = registry_page(reference_url)
    at.session_state["er_tab"] = "批量导入"
    at.run()
    at.file_uploader[0].set_value(("名单.docx", docx(), "application/octet-stream")).run()
    assert not at.exception, at.exception
    assert [shown(e.value) for e in at.error] == [
        "不能导入“名单.docx”：这个文件是 Word 文档，不是 Excel 工作簿。请把名单放在 Excel 中，另存为 .xlsx 后再导入。"
    ]


def test_the_new_employer_form_shows_every_problem_beside_its_field_and_writes_nothing(reference_url):
    at = registry_page(reference_url)
    at.session_state["er_tab"] = "新增单位"
    at.run()
    good = codes(1)[0]
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    fields = {t.label: t for t in at.text_input}
    fields["单位名称"].input("沂源表单测试有限公司")
    fields["统一社会信用代码"].input(wrong)
    fields["职工人数"].input("五十")
    next(b for b in at.button if b.label == "登记").click().run()
    assert not at.exception, at.exception
    shown_errors = {shown(e.value) for e in at.error}
    assert shown_errors == {
        "统一社会信用代码校验位不对，请核对",
        "请选择所属乡镇（街道）",
        "职工人数应填写整数，例如 12；“五十”不是整数",
        "请选择企业规模",
    }
    assert rows(reference_url, "SELECT COUNT(*) AS n FROM employer")[0]["n"] == 0
    {t.label: t for t in at.text_input}["统一社会信用代码"].input(good)
    {t.label: t for t in at.text_input}["职工人数"].input("50")
    at.selectbox(key=next(s.key for s in at.selectbox if s.label == "所属乡镇（街道）")).select(
        county(reference_url)[1]["鲁村镇"]
    )
    at.selectbox(key=next(s.key for s in at.selectbox if s.label == "企业规模")).select("small")
    next(b for b in at.button if b.label == "登记").click().run()
    assert not at.exception, at.exception
    stored = rows(reference_url, "SELECT name, credit_code, staff, size_class, created_by FROM employer")
    assert [tuple(r.values()) for r in stored] == [("沂源表单测试有限公司", good, 50, "small", "李科员")]


def test_a_township_officer_sees_only_their_own_townships_employers(demo_url):
    lucun = rows(demo_url, "SELECT id FROM township WHERE name = '鲁村镇'")[0]["id"]
    script = page_script("levy_registry", demo_url, "鲁村干事", "township", lucun, "鲁村镇", ("levy",))
    at = AppTest.from_string(script, default_timeout=60)
    at.query_params["year"] = "2023"
    at.run()
    assert not at.exception, at.exception
    own = rows(demo_url, "SELECT COUNT(*) AS n FROM employer WHERE township_id = ?", (lucun,))[0]["n"]
    assert at.markdown[0].value.startswith(f"**鲁村镇**：共 **{own:,}** 家")
    assert set(at.dataframe[0].value["乡镇"]) == {"鲁村镇"}
    other = rows(demo_url, "SELECT id FROM employer WHERE township_id <> ? LIMIT 1", (lucun,))[0]["id"]
    at.query_params["record"] = str(other)
    at.run()
    assert [e.value for e in at.error] == [f"没有编号为 {other} 的用人单位（或不在所选乡镇）"]


def test_a_deactivated_township_is_named_as_such_and_an_employer_already_there_keeps_it(reference_url):
    from data_layer.services.org import update_township

    _, towns = county(reference_url)
    lucun = rows(reference_url, "SELECT * FROM township WHERE name = '鲁村镇'")[0]
    kept, new = codes(2)
    register(reference_url, kept)  # in 鲁村镇
    update_township(
        db_url=reference_url,
        actor=person(),
        township_id=lucun["id"],
        name="鲁村镇",
        kind=lucun["kind"],
        sort_order=lucun["sort_order"],
        active=False,
    )
    data = xlsx(
        [
            ["沂源测试机械有限公司", kept, "鲁村镇", 130, 1, 58000, "小型", "是"],
            ["沂源停用乡镇新公司", new, "鲁村镇", 10, 0, 0, "微型", "否"],
        ]
    )
    _, planned = dry_run(reference_url, data)
    assert [(p.action, p.errors) for p in planned] == [
        ("update", {}),
        ("error", {"township_id": "鲁村镇已停用，请填写现在的乡镇（街道）"}),
    ]
