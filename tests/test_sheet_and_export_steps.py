"""The small steps an import reads a file by (data_layer/documents/sheets.py: headers, cell text, names, dates,
problems in the file's column order) and an export writes one by (data_layer/export.py: a column's kind, its
width, a sheet's name, the columns summed, the CSV's text), one row per case."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest

from data_layer import export
from data_layer.documents import employer_sheet, sheets
from data_layer.documents.import_plan import change_lines

D = date


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("单位名称*", "单位名称"),
        (" 统一社会信用代码 ＊", "统一社会信用代码"),
        ("金额（元）", "金额(元)"),  # full-width brackets as ASCII
        ("ＡＢＣ １", "ABC1"),
        (None, ""),
        (12, "12"),
    ],
)
def test_header_key(header, key):
    assert sheets.header_key(header) == key


@pytest.mark.parametrize(
    ("value", "text", "name"),
    [
        ("  鲁村镇 ", "鲁村镇", "鲁村镇"),
        ("鲁 村 镇", "鲁 村 镇", "鲁村镇"),
        ("１２３", "123", "123"),
        (12.0, "12", "12"),  # a whole number read as a float by the spreadsheet
        (12.5, "12.5", "12.5"),
        (None, "", ""),
        (D(2023, 5, 20), "2023-05-20", "2023-05-20"),
        (datetime(2023, 5, 20), "2023-05-20", "2023-05-20"),
    ],
)
def test_cell_text_and_name_key(value, text, name):
    assert sheets.cell_text(value) == text
    assert sheets.name_key(value) == name


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2023-05-20", D(2023, 5, 20)),
        ("2023年5月20日", D(2023, 5, 20)),
        ("2023/5/20", D(2023, 5, 20)),
        ("2023.05.20", D(2023, 5, 20)),
        ("20230520", D(2023, 5, 20)),
        ("２０２３－０５－２０", D(2023, 5, 20)),  # full-width digits and dash, read as ASCII
        ("2023-05-20 08:30", D(2023, 5, 20)),  # a time after the day
        ("2024-02-29", D(2024, 2, 29)),
        ("2023-02-29", None),  # no such day
        ("2023-13-01", None),
        ("5月20日", None),  # no year
        ("", None),
        (None, None),
        (45000, None),  # a bare number is not taken for an Excel serial
        (datetime(2023, 5, 20, 9, 0), D(2023, 5, 20)),
        (D(2023, 5, 20), D(2023, 5, 20)),
    ],
)
def test_parse_date(value, day):
    assert sheets.parse_date(value) == day


ORDER = ["name", "credit_code", "staff"]


@pytest.mark.parametrize(
    ("fields", "ranked"),
    [
        (["staff", "name"], ["name", "staff"]),
        (["other", "credit_code"], ["credit_code", "other"]),  # a field without a column goes last
        ({"staff": 1, "name": 2, "credit_code": 3}, ["name", "credit_code", "staff"]),
        ([], []),
    ],
)
def test_ranked(fields, ranked):
    assert sheets.ranked(fields, ORDER) == ranked


def test_problem_list_follows_the_file_columns():
    errors = {"staff": "职工人数应为整数", "township_id": "乡镇不存在", "name": "请填写单位名称"}
    assert sheets.problem_list(errors, ORDER) == ["请填写单位名称", "职工人数应为整数", "乡镇不存在"]


# --- export --------------------------------------------------------------------------------------------------------

TABLE = pd.DataFrame(
    {
        "乡镇": ["甲镇", "乙镇"],
        "人数": [3, 4],
        "金额": [1.5, 2.25],
        "完成率": [0.5, 0.25],
        "人均金额": [0.5, 0.56],
        "达标": [True, False],
        "备注": ["a", "b"],
    }
)


@pytest.mark.parametrize(
    ("column", "formats", "kind"),
    [
        ("人数", {}, "int"),
        ("金额", {}, "money"),  # a float is money unless told otherwise
        ("完成率", {"完成率": "pct"}, "pct"),
        ("达标", {}, None),  # a boolean is not a number to format
        ("备注", {}, None),
        ("人数", {"人数": "text"}, "text"),  # the caller's format wins
    ],
)
def test_column_kind(column, formats, kind):
    assert export.column_kind(TABLE, column, formats) == kind


def test_summable_leaves_out_rates_averages_and_the_first_column():
    assert export.summable(TABLE, {"完成率": "pct"}) == ["人数", "金额"]
    assert export.summable(TABLE, {"金额": "text"}) == ["人数"]


@pytest.mark.parametrize(
    ("value", "width"),
    [("abc", 3), ("鲁村镇", 6), ("鲁村镇 2", 8), (1234.5, len("1,234.50")), (12, 2), (None, 0), ("", 0)],
)
def test_text_width(value, width):
    assert export.text_width(value) == width


@pytest.mark.parametrize(
    ("wanted", "used", "name"),
    [
        ("进度", set(), "进度"),
        ("进度", {"进度"}, "进度(2)"),
        ("进度", {"进度", "进度(2)"}, "进度(3)"),
        ("a/b:c*d?e\\f", set(), "a_b_c_d_e_f"),
        ("[汇总]", set(), "（汇总）"),
        ("表" * 40, set(), "表" * 31),
        ("表" * 40, {"表" * 31}, "表" * 28 + "(2)"),
        ("", set(), "表"),
    ],
)
def test_tab_name(wanted, used, name):
    taken = set(used)
    assert export.tab_name(wanted, taken) == name
    assert name in taken and len(name) <= 31


def test_csv_table_shows_numbers_as_the_screen_does():
    table = TABLE.assign(金额=[1.5, np.nan])
    got = export.csv_table(table, {"完成率": "pct", "人均金额": "dec1"})
    assert list(got.columns) == ["乡镇", "人数", "金额", "完成率（%）", "人均金额", "达标", "备注"]
    assert list(got["人数"]) == ["3", "4"]
    assert list(got["金额"]) == ["1.50", ""]  # a missing value stays empty
    assert list(got["完成率（%）"]) == ["50.0", "25.0"]
    assert list(got["人均金额"]) == ["0.5", "0.6"]
    assert list(got["备注"]) == ["a", "b"] and list(got["达标"]) == [True, False]
    assert list(TABLE["人数"]) == [3, 4]  # the table itself is left as it was


# --- an employer list's row as the import reads it (documents/employer_sheet.py) ---------------------------------


TOWNS = {"鲁村镇": 4, "南麻街道": 1}
ROW = {
    "name": " 沂源某公司 ",
    "credit_code": "91370323ma3c00001x",
    "township": "鲁 村 镇",
    "staff": "120",
    "disabled_staff": "2",
    "size_class": "小型企业",
}


@pytest.mark.parametrize(
    ("changes", "read", "refused"),
    [
        (
            {},
            {
                "name": "沂源某公司",
                "credit_code": "91370323MA3C00001X",
                "township_id": 4,
                "staff": 120,
                "disabled_staff": 2,
                "size_class": "small",
            },
            set(),
        ),
        (
            {"avg_wage": "65,000.5", "above": "是", "registered_on": "2023年5月20日"},
            {"avg_wage_fen": 6_500_050, "above_designated_size": True, "registered_on": D(2023, 5, 20)},
            set(),
        ),
        ({"avg_wage": 65000.123}, {"avg_wage_fen": 6_500_012}, set()),  # a formula's float, to the fen
        ({"above": "×"}, {"above_designated_size": False}, set()),
        ({"above": "也许"}, {}, {"above_designated_size"}),
        ({"registered_on": "去年"}, {}, {"registered_on"}),
        ({"credit_code": 9.137e17}, {"credit_code": ""}, {"credit_code"}),  # stored as a number: digits lost
        ({"credit_code": "9.13703E+17"}, {"credit_code": ""}, {"credit_code"}),
        ({"credit_code": ""}, {"credit_code": ""}, {"credit_code"}),
        ({"township": "不存在镇"}, {"township_id": "absent"}, {"township_id"}),  # a refused cell is left out
        ({"township": ""}, {"township_id": "absent"}, {"township_id"}),
        ({"size_class": "巨型"}, {}, {"size_class"}),
        ({"size_class": ""}, {"size_class": None}, set()),  # missing: the service says so
        ({"staff": "一百"}, {}, {"staff"}),
        ({"disabled_staff": ""}, {}, set()),  # an optional count left empty is left out
        ({"staff": ""}, {"staff": None}, set()),  # the service asks for it
        ({"avg_wage": "六万"}, {}, {"avg_wage_fen"}),
    ],
)
def test_employer_row_values(changes, read, refused):
    got = employer_sheet.row_values(ROW | changes, county_id=1, townships=TOWNS)
    assert set(got.pop("_errors", {})) == refused
    assert got["county_id"] == 1
    for field, value in read.items():
        assert got.get(field, "absent") == value, field
    if "disabled_staff" in changes and not changes["disabled_staff"]:
        assert "disabled_staff" not in got


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("township_id", 4, "鲁村镇"),
        ("township_id", 99, "县本级"),
        ("size_class", "micro", "微型"),
        ("above_designated_size", True, "是"),
        ("above_designated_size", False, "否"),
        ("avg_wage_fen", 6_500_050, "65,000.50 元"),
        ("registered_on", D(2023, 5, 20), "2023年5月20日"),
        ("staff", 1200, "1,200"),
        ("name", "某公司", "某公司"),
        ("name", "", "（空）"),
        ("staff", None, "（空）"),
    ],
)
def test_employer_in_words(field, value, words):
    assert employer_sheet.in_words(field, value, {4: "鲁村镇"}) == words


def test_change_lines_follow_the_file_columns():
    changes = {"staff": (120, 130), "name": ("旧名", "新名"), "township_id": (None, 4)}
    assert employer_sheet.change_list(changes, {4: "鲁村镇"}) == [
        "单位名称：旧名 → 新名",
        "所属乡镇（街道）：（空） → 鲁村镇",
        "职工人数：120 → 130",
    ]
    words = change_lines({"b": (1, 2), "z": (0, 1), "a": ("x", "y")}, ["a", "b"], {"a": "甲"}, lambda f, v: f"<{v}>")
    assert words == ["甲：<x> → <y>", "b：<1> → <2>", "z：<0> → <1>"]


def test_book_bytes_writes_a_formula_as_text():
    import io

    from openpyxl import Workbook, load_workbook

    book = Workbook()
    sheet = book.active
    sheet["A1"], sheet["A2"], sheet["A3"] = '=HYPERLINK("http://x","点我领补贴")', "鲁村镇", 12
    assert sheet["A1"].data_type == "f"  # what openpyxl would save: a formula
    read = load_workbook(io.BytesIO(export.book_bytes(book))).active
    assert (read["A1"].value, read["A1"].data_type) == ('=HYPERLINK("http://x","点我领补贴")', "s")
    assert (read["A2"].value, read["A3"].value) == ("鲁村镇", 12)
