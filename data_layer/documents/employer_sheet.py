"""An employer list as the office receives it (tax, market regulation, social insurance): an .xlsx workbook or
a .csv file, read into the rows ``data_layer.services.employers.plan_import`` checks and ``import_employers``
writes.

This module reads cells and nothing more: it turns the text of a cell into the value it means (“120.0” is 120
people, “中型” is medium, “鲁村镇” is that township's id), or notes why it cannot (``_errors``, per field, with
the row number as Excel shows it). Whether a row may be stored is the services' rule. A file that cannot be
read at all is refused as a whole (``FileRefused``), before any row is looked at.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from data_layer.inputs import is_blank, parse_count, parse_yuan
from data_layer.services._inputs import clean_text
from data_layer.services.employers import SIZE_NAMES

MAX_BYTES = 20 * 1024 * 1024  # checked before the file is opened
MAX_ROWS = 20_000  # data rows; a bigger list is split (one transaction holds every row of a file)
HEADER_WITHIN = 5  # the header may sit under a title row or two
EXAMPLE_PREFIX = "示例"  # the template's example rows: never imported


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    required: bool = True  # the column must be in the file (a cell may still be left empty where ``note`` says)
    aliases: tuple[str, ...] = ()  # other headers the same column comes under in lists from other offices
    note: str = ""  # what the template's 填写说明 says about it


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


class FileRefused(ValueError):
    """The file as a whole cannot be imported (not a workbook, no header, too big…): nothing is read or written."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass
class ParsedFile:
    """What a file holds, ready for the dry run."""

    file_name: str
    kind: str  # how it was read, in words (“Excel 工作簿”, “CSV 文件（GBK 编码）”)
    header_line: int
    rows: list[tuple[int, dict[str, Any]]]  # (row number as Excel shows it, values for plan_import)
    cells: dict[int, dict[str, str]] = field(default_factory=dict)  # row number → header → the cell as typed
    examples: int = 0  # the template's example rows, left out


# --- the file as rows of cells --------------------------------------------------------------------------


def check_size(size: int) -> None:
    """Refuse a file over ``MAX_BYTES`` before reading a byte of it."""
    if size == 0:
        raise FileRefused("文件是空的（0 字节），请检查是否选错了文件。")
    if size > MAX_BYTES:
        raise FileRefused(
            f"文件太大：{size / 1024 / 1024:.1f} MB，超过 {MAX_BYTES // 1024 // 1024} MB 的上限。"
            "请把名单拆成几个文件分别导入。"
        )


def read_cells(data: bytes, file_name: str) -> tuple[str, Iterator[tuple[int, list[Any]]]]:
    """How the file was read, and its rows as (row number, cells) from the first row of the first sheet."""
    check_size(len(data))
    suffix = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if data[:4] == b"PK\x03\x04":
        return "Excel 工作簿", _workbook_rows(data, suffix)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":  # an OLE container: .xls, or a workbook with a password
        raise FileRefused(
            "这是旧版 Excel（.xls）文件，或设置了打开密码的工作簿，无法读取。请在 Excel 中“另存为”"
            "Excel 工作簿（.xlsx）并去掉密码后再导入。"
        )
    if suffix in ("xlsx", "xlsm"):
        raise FileRefused(
            f"文件名是 .{suffix}，但内容不是 Excel 工作簿（可能已损坏，或是改了扩展名的其他文件）。"
            "请在 Excel 中打开名单，另存为 .xlsx 后再导入。"
        )
    if suffix in ("csv", "txt"):
        encoding, text = _decode(data)
        return f"CSV 文件（{encoding} 编码）", _csv_rows(text)
    shown = f".{suffix}" if suffix else "没有扩展名"
    raise FileRefused(f"只能导入 Excel 工作簿（.xlsx）或 CSV 文件（.csv），这个文件是 {shown}。")


def _workbook_rows(data: bytes, suffix: str) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except zipfile.BadZipFile as exc:
        raise FileRefused("文件已损坏，无法作为 Excel 工作簿打开。请在 Excel 中重新保存后再导入。") from exc
    if "xl/workbook.xml" not in names:
        other = (
            " Word 文档"
            if "word/document.xml" in names
            else " PowerPoint 演示文稿"
            if "ppt/presentation.xml" in names
            else " WPS 或 OpenOffice 表格（.ods 等）"
            if "content.xml" in names
            else "压缩包"
        )
        raise FileRefused(f"这个文件是{other}，不是 Excel 工作簿。请把名单放在 Excel 中，另存为 .xlsx 后再导入。")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # “no default style” and the like, from files other programs wrote
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file; all mean the same to the person
        raise FileRefused("文件已损坏，无法作为 Excel 工作簿打开。请在 Excel 中重新保存后再导入。") from exc
    return _sheet_rows(book)


def _sheet_rows(book) -> Iterator[tuple[int, list[Any]]]:
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # some programs write a wrong size (A1:A1); read to the last real row
        for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
            yield number, list(values)
    finally:
        book.close()


def _decode(data: bytes) -> tuple[str, str]:
    """CSV text from Chinese Excel: UTF-8 (with or without the byte-order mark), GBK, or Excel's “Unicode text”."""
    if data[:3] == b"\xef\xbb\xbf":
        encoding, text = "UTF-8", data[3:].decode("utf-8", errors="strict")
    elif data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encoding, text = "UTF-16", data.decode("utf-16")
    else:
        try:
            encoding, text = "UTF-8", data.decode("utf-8")
        except UnicodeDecodeError:
            try:  # GB18030 reads every GBK (and GB2312) file
                encoding, text = "GBK", data.decode("gb18030")
            except UnicodeDecodeError as exc:
                raise FileRefused("无法识别文件的文字编码：CSV 文件应为 UTF-8 或 GBK 编码。") from exc
    if "\x00" in text:
        raise FileRefused("这个文件不是文本格式的 CSV 文件。请在 Excel 中另存为“CSV（逗号分隔）”后再导入。")
    return encoding, text


def _csv_rows(text: str) -> Iterator[tuple[int, list[Any]]]:
    first = text.split("\n", 5)[: HEADER_WITHIN + 1]
    delimiter = max(",\t;", key=lambda d: sum(line.count(d) for line in first))
    yield from enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1)


# --- the header -----------------------------------------------------------------------------------------


def _key(text: object) -> str:
    """A header as compared: full-width brackets and letters as ASCII, no spaces, no “*” marking it required."""
    return re.sub(r"[\s*＊]", "", unicodedata.normalize("NFKC", str(text or "")))


_NAMES = {_key(name): c for c in COLUMNS for name in (c.header, *c.aliases)}


def _columns_of(cells: list[Any]) -> dict[str, int]:
    """Field → column index for the headers this row holds (the first of two alike wins)."""
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        column = _NAMES.get(_key(cell))
        if column is not None:
            found.setdefault(column.field, index)
    return found


def _find_header(first: list[tuple[int, list[Any]]]) -> tuple[int, dict[str, int]]:
    if not any(any(not is_blank(c) for c in cells) for _, cells in first):
        raise FileRefused(
            f"文件的前 {HEADER_WITHIN} 行都是空的，找不到表头（表头应在前 {HEADER_WITHIN} 行内）。"
            "请检查是否选错了文件。"
        )
    best_line, best = max(((n, _columns_of(cells)) for n, cells in first), key=lambda nc: (len(nc[1]), -nc[0]))
    missing = [c.header for c in COLUMNS if c.required and c.field not in best]
    if len(best) < 2:
        raise FileRefused(
            f"在前 {HEADER_WITHIN} 行中找不到表头。第一张工作表应有这些列：{'、'.join(HEADERS)}。"
            "可下载模板，把名单复制进去再导入。"
        )
    if missing:
        raise FileRefused(
            f"第 {best_line} 行的表头缺少这些列：{'、'.join(missing)}。请按模板的列名填写（列的顺序不限）。"
        )
    return best_line, best


# --- cells to values ------------------------------------------------------------------------------------


def shown(value: Any) -> str:
    """A cell as the person typed it (the preview shows the file's own text)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d") if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _text(value: Any) -> str:
    return unicodedata.normalize("NFKC", shown(value)).strip()


def _credit_code(value: Any, errors: dict[str, str]) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool) or re.fullmatch(r"[\d.]+E\+\d+", _text(value)):
        errors["credit_code"] = "统一社会信用代码被存成了数字，后几位已丢失，请把这一列设为文本后重填"
        return ""
    code = re.sub(r"\s", "", _text(value)).upper()
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


DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s.*)?|(\d{4})(\d{2})(\d{2})")


def _date(value: Any, errors: dict[str, str]) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = DATE.fullmatch(_text(value))
    if match:
        year, month, day = (int(g) for g in (match.groups()[:3] if match.group(1) else match.groups()[3:]))
        try:
            return date(year, month, day)
        except ValueError:
            pass
    errors["registered_on"] = f"登记日期“{shown(value)}”不是日期，请写成 2023-05-20"
    return None


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
    town = re.sub(r"\s", "", _text(cells.get("township")))
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


def parse_employers(data: bytes, file_name: str, *, county_id: int, townships: Mapping[str, int]) -> ParsedFile:
    """The file's rows for the dry run. ``townships``: the acting county's township names → ids.

    Raises ``FileRefused`` (its ``message`` in Chinese) for a file that is not a list of employers at all."""
    kind, rows = read_cells(data, file_name)
    first = []
    for number, cells in rows:
        first.append((number, cells))
        if len(first) == HEADER_WITHIN:
            break
    header_line, columns = _find_header(first)
    towns = {re.sub(r"\s", "", unicodedata.normalize("NFKC", name)): i for name, i in townships.items()}
    parsed = ParsedFile(file_name=file_name, kind=kind, header_line=header_line, rows=[])
    body = (*((n, c) for n, c in first if n > header_line),)
    for number, cells in itertools.chain(body, rows):
        by_field = {f: cells[i] if i < len(cells) else None for f, i in columns.items()}
        if all(is_blank(v) for v in by_field.values()):
            continue  # an empty line (Excel keeps formatted rows below the list)
        if _text(by_field.get("name")).startswith(EXAMPLE_PREFIX):
            parsed.examples += 1
            continue
        if len(parsed.rows) == MAX_ROWS:
            raise FileRefused(
                f"文件超过 {MAX_ROWS:,} 行数据，一次最多导入 {MAX_ROWS:,} 行。请把名单拆成几个文件分别导入。"
            )
        parsed.rows.append((number, row_values(by_field, county_id=county_id, townships=towns)))
        parsed.cells[number] = {c.header: shown(by_field.get(c.field)) for c in COLUMNS if c.field in columns}
    if not parsed.rows:
        examples = "（模板的示例行不导入）" if parsed.examples else ""
        raise FileRefused(f"文件只有表头（第 {header_line} 行），没有单位的数据行{examples}。")
    return parsed


# --- the dry run in words (the page's preview) ----------------------------------------------------------

FIELD_WORDS = {c.field: c.header for c in COLUMNS} | {
    "township_id": "所属乡镇（街道）",
    "avg_wage_fen": "上年职工年平均工资",
    "above_designated_size": "规模以上企业",
}
ORDER = ("name", "credit_code", "township_id", "staff", "disabled_staff", "avg_wage_fen", "size_class")
ORDER += ("above_designated_size", "registered_on")


@dataclass
class ImportPreview:
    """What an import would do, row by row, in words."""

    file_name: str
    kind: str
    created: int
    updated: int
    same: int
    problems: int  # rows with at least one problem
    examples: int
    problem_rows: Any  # DataFrame: 行号, 单位名称, 问题, then the file's other cells as typed
    create_rows: Any  # DataFrame: 行号 and the new employer's values
    update_rows: Any  # DataFrame: 行号, 单位名称, 统一社会信用代码, 变化 (“字段：原值 → 新值”)

    @property
    def may_commit(self) -> bool:
        return self.problems == 0 and self.created + self.updated > 0


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
        return f"{value / 100:,.2f} 元"
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _ranked(fields) -> list[str]:
    return sorted(fields, key=lambda f: ORDER.index(f) if f in ORDER else len(ORDER))


def problem_list(errors: Mapping[str, str]) -> list[str]:
    """A row's problems in the order of the file's columns."""
    return [errors[f] for f in _ranked(errors)]


def problem_words(errors: Mapping[str, str]) -> str:
    """A row's problems on one line."""
    return "；".join(problem_list(errors))


def change_list(changes: Mapping[str, tuple[Any, Any]], townships: Mapping[Any, str]) -> list[str]:
    """“职工人数：120 → 130”, one a changed field, in the order of the file's columns."""
    return [
        f"{FIELD_WORDS.get(f, f)}：{in_words(f, changes[f][0], townships)} → {in_words(f, changes[f][1], townships)}"
        for f in _ranked(changes)
    ]


def change_words(changes: Mapping[str, tuple[Any, Any]], townships: Mapping[Any, str]) -> str:
    """The changes on one line: “职工人数：120 → 130；企业规模：小型 → 中型”."""
    return "；".join(change_list(changes, townships))


def preview(parsed: ParsedFile, planned: list, townships: Mapping[Any, str]) -> ImportPreview:
    """The dry run (``plan_import``'s rows) of ``parsed`` in words; ``townships``: id → name."""
    import pandas as pd

    by_action: dict[str, list] = {"error": [], "create": [], "update": [], "same": []}
    for row in planned:
        by_action[row.action].append(row)
    present = [h for h in HEADERS if h != "单位名称" and h in next(iter(parsed.cells.values()), {})]
    # one line a problem (and a change): short cells a grid shows whole, at 1024 pixels too
    problem_rows = pd.DataFrame(
        [
            {
                "行号": r.line,
                "单位名称": parsed.cells[r.line].get("单位名称", ""),
                "问题": problem,
                **{h: parsed.cells[r.line].get(h, "") for h in present},
            }
            for r in by_action["error"]
            for problem in problem_list(r.errors)
        ],
        columns=["行号", "单位名称", "问题", *present],
    )
    new_columns = ("name", "credit_code", "township_id", "staff", "disabled_staff", "avg_wage_fen", "size_class")
    new_columns += ("above_designated_size", "registered_on")
    create_rows = pd.DataFrame(
        [
            {"行号": r.line, **{FIELD_WORDS[f]: in_words(f, r.values.get(f), townships) for f in new_columns}}
            for r in by_action["create"]
        ],
        columns=["行号", *[FIELD_WORDS[f] for f in new_columns]],
    )
    update_rows = pd.DataFrame(
        [
            {"行号": r.line, "单位名称": r.values["name"], "统一社会信用代码": r.values["credit_code"], "变化": change}
            for r in by_action["update"]
            for change in change_list(r.changes, townships)
        ],
        columns=["行号", "单位名称", "统一社会信用代码", "变化"],
    )
    return ImportPreview(
        file_name=parsed.file_name,
        kind=parsed.kind,
        created=len(by_action["create"]),
        updated=len(by_action["update"]),
        same=len(by_action["same"]),
        problems=len(by_action["error"]),
        examples=parsed.examples,
        problem_rows=problem_rows,
        create_rows=create_rows,
        update_rows=update_rows,
    )
