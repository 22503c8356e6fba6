"""An employer list as the office receives it (tax, market regulation, social insurance): an .xlsx workbook or
a .csv file, read into the rows ``data_layer.services.employers.plan_import`` checks and ``import_employers``
writes.

This module reads cells and nothing more: it turns the text of a cell into the value it means (“120.0” is 120
people, “中型” is medium, “鲁村镇” is that township's id), or notes why it cannot (``_errors``, per field, with
the row number as Excel shows it). Whether a row may be stored is the services' rule. A file that cannot be
read at all is refused as a whole (``FileRefused``), before any row is looked at.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from data_layer.documents import sheets
from data_layer.documents.import_plan import ImportPlan, change_lines, plan
from data_layer.documents.sheets import (
    Column,
    Layout,
    ParsedFile,
    name_key,
    parse_date,
    read_file,
    shown,
)
from data_layer.documents.sheets import cell_text as _text
from data_layer.documents.sheets import problem_list as _problem_list
from data_layer.domain import credit_code
from data_layer.domain import text as words
from data_layer.domain.inputs import is_blank, parse_count, parse_yuan
from data_layer.domain.typed_inputs import clean_text
from data_layer.services.employers import SIZE_NAMES

# the file limits and the refusal of a whole file, where the registry page and its tests find them
MAX_BYTES, MAX_ROWS, FileRefused, check_size = sheets.MAX_BYTES, sheets.MAX_ROWS, sheets.FileRefused, sheets.check_size

COLUMNS = (
    Column("name", "单位名称", aliases=("企业名称", "单位全称"), note="必填，与营业执照一致，最多 80 个字。"),
    Column(
        "credit_code",
        "统一社会信用代码",
        aliases=("社会信用代码", "信用代码"),
        note="必填，18 位，最后一位是校验位。已登记的代码更新该单位，未登记的新增。模板中这一列是“文本”格式："
        "设成数字格式时，全是数字的代码会被 Excel 改成科学计数法，后几位丢失。",
    ),
    Column(
        "township",
        "所属乡镇（街道）",
        aliases=("所属乡镇", "乡镇（街道）", "乡镇", "所属街道"),
        note="必填，本县乡镇（街道）的全称，见下方名单。",
    ),
    Column("staff", "职工人数", aliases=("在职职工人数", "职工总数"), note="必填，整数。"),
    Column(
        "disabled_staff", "残疾职工人数", aliases=("安排残疾人数",), note="整数；空着：新增单位按 0，已登记单位不变。"
    ),
    Column(
        "avg_wage",
        "上年职工年平均工资（元）",
        aliases=("上年职工年平均工资", "职工年平均工资（元）", "年平均工资（元）"),
        note="以元为单位，最多两位小数；空着：新增单位按 0，已登记单位不变。",
    ),
    Column("size_class", "企业规模", note="必填：大型、中型、小型或微型。"),
    Column(
        "above",
        "规模以上企业",
        aliases=("是否规模以上企业", "规上企业"),
        note="是 或 否；空着：新增单位按“否”，已登记单位不变。",
    ),
    Column(
        "registered_on",
        "登记日期",
        required=False,
        note="可以没有这一列；写成 2023-05-20。空着的新增单位按导入当天登记；已登记单位的登记日期不变。",
    ),
)
HEADERS = tuple(c.header for c in COLUMNS)
SIZE_WORDS = {word: size for size, word in SIZE_NAMES.items()}  # 大型 → large
YES, NO = {"是", "√", "Y", "YES", "1", "TRUE"}, {"否", "×", "N", "NO", "0", "FALSE"}
# where a cell's problem is reported: the service's field name, so the service's own message never doubles it
FIELD_OF = {"township": "township_id", "avg_wage": "avg_wage_fen", "above": "above_designated_size"}


# --- cells to values ------------------------------------------------------------------------------------


def _credit_code(value: Any, errors: dict[str, str]) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool) or re.fullmatch(r"[\d.]+E\+\d+", _text(value)):
        errors["credit_code"] = "统一社会信用代码被存成了数字，后几位已丢失，请把这一列设为文本后重填"
        return ""
    code = credit_code.normalize(_text(value))
    if not code:
        errors["credit_code"] = "请填写统一社会信用代码"
    return code


def _size(value: Any, errors: dict[str, str]) -> str | None:
    text = _text(value)
    if not text:
        return None  # the service says what is missing
    size = SIZE_WORDS.get(text.removesuffix("企业"))
    if size is None:
        errors["size_class"] = f"企业规模应为 大型 / 中型 / 小型 / 微型，“{shown(value)}”不是"
    return size


def _yes_no(value: Any, errors: dict[str, str]) -> bool | None:
    if isinstance(value, bool):
        return value
    text = _text(value).upper()
    if text in YES or text in NO:
        return text in YES
    errors["above_designated_size"] = f"规模以上企业应填“是”或“否”，“{shown(value)}”不是"
    return None


def _date(value: Any, errors: dict[str, str]) -> date | None:
    found = parse_date(value)
    if found is None:
        errors["registered_on"] = f"登记日期“{shown(value)}”不是日期，请写成 2023-05-20"
    return found


def _wage(value: Any) -> int | None:
    if isinstance(value, float):  # a formula's result (an average): as Excel shows it, to the fen
        value = Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    try:
        return parse_yuan(value, "上年职工年平均工资")
    except ValueError as exc:
        if "最多两位小数" in str(exc):
            raise
        raise ValueError(f"上年职工年平均工资应为以元为单位的数字，“{shown(value)}”不是") from exc


def row_values(cells: Mapping[str, Any], *, county_id: int, townships: Mapping[str, int]) -> dict[str, Any]:
    """One row's values for ``plan_import``; a cell that means nothing usable is an entry in ``_errors``.
    An optional cell left empty is left out (the service keeps the registry's value, or the default)."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {
        "county_id": county_id,
        "name": clean_text(shown(cells.get("name")), "name", errors),  # as typed (NFC), no hidden characters
        "credit_code": _credit_code(cells.get("credit_code"), errors),
        "size_class": _size(cells.get("size_class"), errors),
    }
    town = name_key(cells.get("township"))
    values["township_id"] = townships.get(town)
    if not town:
        errors["township_id"] = "请填写所属乡镇（街道）"
    elif values["township_id"] is None:
        errors["township_id"] = f"乡镇（街道）“{shown(cells.get('township'))}”不存在"
    for name, label in (("staff", "职工人数"), ("disabled_staff", "残疾职工人数")):
        try:
            number = parse_count(cells.get(name), label)
        except ValueError as exc:
            errors[name] = str(exc)
            number = None
        if number is not None or name == "staff":
            values[name] = number
    optional = (("avg_wage", "avg_wage_fen", _wage), ("above", "above_designated_size", None))
    for column, name, parse in optional:
        if is_blank(cells.get(column)):
            continue
        if parse is None:
            values[name] = _yes_no(cells.get(column), errors)
            continue
        try:
            values[name] = parse(cells.get(column))
        except ValueError as exc:
            errors[name] = str(exc)
    if not is_blank(cells.get("registered_on")):
        values["registered_on"] = _date(cells.get("registered_on"), errors)
    values = {k: v for k, v in values.items() if not (k in errors and v is None)}
    if errors:
        values["_errors"] = errors
    return values


# --- the whole file -------------------------------------------------------------------------------------


LAYOUT = Layout(COLUMNS, noun="名单", row_noun="单位", example_field="name")


def parse_employers(data: bytes, file_name: str, *, county_id: int, townships: Mapping[str, int]) -> ParsedFile:
    """The file's rows for the dry run. ``townships``: the acting county's township names → ids.

    Raises ``FileRefused`` (its ``message`` in Chinese) for a file that is not a list of employers at all."""
    towns = {name_key(name): i for name, i in townships.items()}
    return read_file(data, file_name, LAYOUT, lambda cells: row_values(cells, county_id=county_id, townships=towns))


# --- the dry run in words (the page's preview) ----------------------------------------------------------

FIELD_WORDS = {c.field: c.header for c in COLUMNS} | {
    "township_id": "所属乡镇（街道）",
    "avg_wage_fen": "上年职工年平均工资",
    "above_designated_size": "规模以上企业",
}
ORDER = ("name", "credit_code", "township_id", "staff", "disabled_staff", "avg_wage_fen", "size_class")
ORDER += ("above_designated_size", "registered_on")


def in_words(name: str, value: Any, townships: Mapping[Any, str]) -> str:
    """A stored value as a person reads it."""
    if value is None or value == "":
        return "（空）"
    if name == "township_id":
        return townships.get(value, "县本级")
    if name == "size_class":
        return SIZE_NAMES.get(value, str(value))
    if name == "above_designated_size":
        return "是" if value else "否"
    if name == "avg_wage_fen":
        return words.yuan(value)
    if isinstance(value, date):
        return words.day(value)
    if isinstance(value, int):
        return words.count(value)
    return str(value)


def problem_list(errors: Mapping[str, str]) -> list[str]:
    """A row's problems in the order of the file's columns."""
    return _problem_list(errors, ORDER)


def problem_words(errors: Mapping[str, str]) -> str:
    """A row's problems on one line."""
    return "；".join(problem_list(errors))


def change_list(changes: Mapping[str, tuple[Any, Any]], townships: Mapping[Any, str]) -> list[str]:
    """“职工人数：120 → 130”, one a changed field, in the order of the file's columns."""
    return change_lines(changes, ORDER, FIELD_WORDS, lambda f, v: in_words(f, v, townships))


def change_words(changes: Mapping[str, tuple[Any, Any]], townships: Mapping[Any, str]) -> str:
    """The changes on one line: “职工人数：120 → 130；企业规模：小型 → 中型”."""
    return "；".join(change_list(changes, townships))


def preview(parsed: ParsedFile, planned: list, townships: Mapping[Any, str]) -> ImportPlan:
    """The dry run (``plan_import``'s rows) of ``parsed`` in words; ``townships``: id → name."""
    import pandas as pd

    def created(new: list) -> pd.DataFrame:
        return pd.DataFrame(
            [{"行号": r.line, **{FIELD_WORDS[f]: in_words(f, r.values.get(f), townships) for f in ORDER}} for r in new],
            columns=["行号", *[FIELD_WORDS[f] for f in ORDER]],
        )

    def updated(changed: list) -> pd.DataFrame:
        return pd.DataFrame(
            [
                {
                    "行号": r.line,
                    "单位名称": r.values["name"],
                    "统一社会信用代码": r.values["credit_code"],
                    "变化": line,
                }
                for r in changed
                for line in change_list(r.changes, townships)
            ],
            columns=["行号", "单位名称", "统一社会信用代码", "变化"],
        )

    return plan(parsed, planned, name_header="单位名称", order=ORDER, create_rows=created, update_rows=updated)
