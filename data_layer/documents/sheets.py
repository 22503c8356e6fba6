"""A list that comes in as a file (an .xlsx workbook or a .csv file), read into rows of cells under known
columns: what every import shares (the employer list, the office's article ledger).

The file is read, its header found among the first rows (under a title row or two, by a column's header or
one of its aliases), and each data row handed to the importer's own ``row_values``, which turns cells into
values or notes why it cannot (``_errors``, per field). A file that cannot be read at all is refused as a
whole (``FileRefused``), before any row is looked at; so is one too big or with too many rows.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import time
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any

from data_layer.domain import text as words
from data_layer.domain.inputs import is_blank

MAX_BYTES = 20 * 1024 * 1024  # checked before the file is opened
MAX_ROWS = 20_000  # data rows; a bigger list is split (one transaction holds every row of a file)
# A small file may unpack into a huge one (an .xlsx is a zip): what is read is limited before and while parsing,
# so a file built to never finish is refused in seconds and the app stays free for everyone else.
MAX_UNPACKED = 100 * 1024 * 1024  # the workbook's parts, unpacked
MAX_ROWS_READ = MAX_ROWS + 5_000  # rows read from the sheet, blank ones too (a list of 20,000 with gaps fits)
MAX_CELL = 2_000  # characters in one cell (a title or a name is far shorter)
MAX_SECONDS = 30  # reading the file, whatever it holds
HEADER_WITHIN = 5  # the header may sit under a title row or two
EXAMPLE_PREFIX = "示例"  # the template's example rows: never imported


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    required: bool = True  # the column must be in the file (a cell may still be left empty where ``note`` says)
    aliases: tuple[str, ...] = ()  # other headers the same column comes under in lists from other offices
    note: str = ""  # what the template's 填写说明 says about it


@dataclass(frozen=True)
class Layout:
    """One kind of list: its columns, and the words its messages use for the file and for a row."""

    columns: tuple[Column, ...]
    noun: str  # the file as the office calls it (名单, 台账)
    row_noun: str  # what one data row is (单位, 稿件)
    example_field: str  # the column whose cell starts with ``EXAMPLE_PREFIX`` on the template's example rows

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)

    @cached_property
    def names(self) -> dict[str, Column]:
        """Every header and alias as compared (``header_key``) → its column."""
        return {header_key(name): c for c in self.columns for name in (c.header, *c.aliases)}


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
    rows: list[tuple[int, dict[str, Any]]]  # (row number as Excel shows it, values for the service's dry run)
    cells: dict[int, dict[str, str]] = field(default_factory=dict)  # row number → header → the cell as typed
    examples: int = 0  # the template's example rows, left out


# --- the file as rows of cells --------------------------------------------------------------------------


def check_size(size: int, noun: str = "名单") -> None:
    """Refuse a file over ``MAX_BYTES`` before reading a byte of it."""
    if size == 0:
        raise FileRefused("文件是空的（0 字节），请检查是否选错了文件。")
    if size > MAX_BYTES:
        raise FileRefused(
            f"文件太大：{size / 1024 / 1024:.1f} MB，超过 {MAX_BYTES // 1024 // 1024} MB 的上限。"
            f"请把{noun}拆成几个文件分别导入。"
        )


def read_cells(data: bytes, file_name: str, noun: str = "名单") -> tuple[str, Iterator[tuple[int, list[Any]]]]:
    """How the file was read, and its rows as (row number, cells) from the first row of the first sheet."""
    check_size(len(data), noun)
    suffix = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if data[:4] == b"PK\x03\x04":
        return "Excel 工作簿", _workbook_rows(data, noun)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":  # an OLE container: .xls, or a workbook with a password
        raise FileRefused(
            "这是旧版 Excel（.xls）文件，或设置了打开密码的工作簿，无法读取。请在 Excel 中“另存为”"
            "Excel 工作簿（.xlsx）并去掉密码后再导入。"
        )
    if suffix in ("xlsx", "xlsm"):
        raise FileRefused(
            f"文件名是 .{suffix}，但内容不是 Excel 工作簿（可能已损坏，或是改了扩展名的其他文件）。"
            f"请在 Excel 中打开{noun}，另存为 .xlsx 后再导入。"
        )
    if suffix in ("csv", "txt"):
        encoding, text = _decode(data)
        return f"CSV 文件（{encoding} 编码）", _csv_rows(text)
    shown_suffix = f".{suffix}" if suffix else "没有扩展名"
    raise FileRefused(f"只能导入 Excel 工作簿（.xlsx）或 CSV 文件（.csv），这个文件是 {shown_suffix}。")


def _workbook_rows(data: bytes, noun: str) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        parts = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except zipfile.BadZipFile as exc:
        raise FileRefused("文件已损坏，无法作为 Excel 工作簿打开。请在 Excel 中重新保存后再导入。") from exc
    names = {p.filename for p in parts}
    unpacked = sum(p.file_size for p in parts)
    if unpacked > MAX_UNPACKED:
        raise FileRefused(
            f"这个工作簿解压后有 {unpacked / 1024 / 1024:,.0f} MB，超过 {MAX_UNPACKED // 1024 // 1024} MB 的上限"
            f"（可能含有大量空行或超长的内容）。请只保留{noun}本身，另存为新的 .xlsx 后再导入。"
        )
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
        raise FileRefused(f"这个文件是{other}，不是 Excel 工作簿。请把{noun}放在 Excel 中，另存为 .xlsx 后再导入。")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # “no default style” and the like, from files other programs wrote
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file; all mean the same to the person
        raise FileRefused("文件已损坏，无法作为 Excel 工作簿打开。请在 Excel 中重新保存后再导入。") from exc
    _no_formula_without_value(data, book)
    return _sheet_rows(book)


# a cell holding a formula and no result saved with it (<c r="B3"><f>…</f></c>): read as data, it would be empty
_FORMULA_ONLY = re.compile(
    rb'<c r="([A-Z]{1,3}[0-9]{1,7})"[^>]*>\s*<f[^>]*?(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>'
)


def _no_formula_without_value(data: bytes, book) -> None:
    """A formula cell is read by the result Excel saved with it; one without a result is refused by its name
    (its formula text is never read as data)."""
    path = getattr(book.worksheets[0], "_worksheet_path", None) if book.worksheets else None
    if not path:
        return
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        found = _FORMULA_ONLY.search(z.read(path)) if path in z.namelist() else None
    if found:
        cell = found.group(1).decode()
        raise FileRefused(
            f"单元格 {cell} 是公式，文件里没有保存它的计算结果（可能是其他程序生成的文件）。"
            "请在 Excel 中打开这个文件并保存一次，或把公式改成数值后再导入。"
        )


def _sheet_rows(book) -> Iterator[tuple[int, list[Any]]]:
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # some programs write a wrong size (A1:A1); read to the last real row
        yield from _limited(enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1))
    finally:
        book.close()


def _limited(rows: Iterator[tuple[int, Any]]) -> Iterator[tuple[int, list[Any]]]:
    """Rows as read, within the limits: rows read (blank ones too), a cell's length, the time spent."""
    started = time.monotonic()
    for number, values in rows:
        if number > MAX_ROWS_READ:
            raise FileRefused(
                f"文件超过 {MAX_ROWS_READ:,} 行（空行也算在内）。请删去表格下方的空行或把名单拆成几个文件后再导入。"
            )
        if time.monotonic() - started > MAX_SECONDS:
            raise FileRefused(f"读取这个文件超过了 {MAX_SECONDS} 秒，已停止。请只保留名单本身，另存为新文件后再导入。")
        cells = list(values)
        if any(isinstance(v, str) and len(v) > MAX_CELL for v in cells):
            raise FileRefused(f"第 {number} 行有一格超过 {MAX_CELL:,} 个字，不像是名单的内容。请检查这一行后再导入。")
        yield number, cells


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
    csv.field_size_limit(MAX_BYTES)  # a long cell is read and then named (``_limited``), never a csv.Error
    yield from _limited(enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1))


# --- the header -----------------------------------------------------------------------------------------


def header_key(text: object) -> str:
    """A header as compared: full-width brackets and letters as ASCII, no spaces, no “*” marking it required."""
    return re.sub(r"[\s*＊]", "", unicodedata.normalize("NFKC", str(text or "")))


def _columns_of(cells: list[Any], layout: Layout) -> dict[str, int]:
    """Field → column index for the headers this row holds (the first of two alike wins)."""
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        column = layout.names.get(header_key(cell))
        if column is not None:
            found.setdefault(column.field, index)
    return found


def find_header(first: list[tuple[int, list[Any]]], layout: Layout) -> tuple[int, dict[str, int]]:
    """The header's row number among the file's first rows, and field → column index."""
    if not any(any(not is_blank(c) for c in cells) for _, cells in first):
        raise FileRefused(
            f"文件的前 {HEADER_WITHIN} 行都是空的，找不到表头（表头应在前 {HEADER_WITHIN} 行内）。"
            "请检查是否选错了文件。"
        )
    best_line, best = max(((n, _columns_of(cells, layout)) for n, cells in first), key=lambda nc: (len(nc[1]), -nc[0]))
    missing = [c.header for c in layout.columns if c.required and c.field not in best]
    if len(best) < 2:
        raise FileRefused(
            f"在前 {HEADER_WITHIN} 行中找不到表头。第一张工作表应有这些列：{'、'.join(layout.headers)}。"
            f"可下载模板，把{layout.noun}复制进去再导入。"
        )
    if missing:
        raise FileRefused(
            f"第 {best_line} 行的表头缺少这些列：{'、'.join(missing)}。请按模板的列名填写（列的顺序不限）。"
        )
    return best_line, best


# --- cells ----------------------------------------------------------------------------------------------


def shown(value: Any) -> str:
    """A cell as the person typed it (the preview shows the file's own text)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return words.iso_day(value.date()) if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def cell_text(value: Any) -> str:
    """A cell's text as compared: full-width letters and digits as ASCII, trimmed."""
    return unicodedata.normalize("NFKC", shown(value)).strip()


def name_key(name: object) -> str:
    """A name (a township, an outlet) as matched: NFKC, no spaces at all."""
    return re.sub(r"\s", "", cell_text(name))


DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s.*)?|(\d{4})(\d{2})(\d{2})")


def parse_date(value: Any) -> date | None:
    """A date cell (an Excel date, “2023-05-20”, “2023年5月20日”, “2023/5/20”, “20230520”); None if it is not one."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = DATE.fullmatch(cell_text(value))
    if match:
        year, month, day = (int(g) for g in (match.groups()[:3] if match.group(1) else match.groups()[3:]))
        try:
            return date(year, month, day)
        except ValueError:
            return None
    return None


# --- the whole file -------------------------------------------------------------------------------------


def read_file(
    data: bytes, file_name: str, layout: Layout, row_values: Callable[[Mapping[str, Any]], dict[str, Any]]
) -> ParsedFile:
    """The file's rows for the dry run: ``row_values`` turns one row's cells (field → cell) into its values.

    Raises ``FileRefused`` (its ``message`` in Chinese) for a file that is not such a list at all."""
    kind, rows = read_cells(data, file_name, layout.noun)
    first = []
    for number, cells in rows:
        first.append((number, cells))
        if len(first) == HEADER_WITHIN:
            break
    header_line, columns = find_header(first, layout)
    parsed = ParsedFile(file_name=file_name, kind=kind, header_line=header_line, rows=[])
    body = (*((n, c) for n, c in first if n > header_line),)
    for number, cells in itertools.chain(body, rows):
        by_field = {f: cells[i] if i < len(cells) else None for f, i in columns.items()}
        if all(is_blank(v) for v in by_field.values()):
            continue  # an empty line (Excel keeps formatted rows below the list)
        if cell_text(by_field.get(layout.example_field)).startswith(EXAMPLE_PREFIX):
            parsed.examples += 1
            continue
        if len(parsed.rows) == MAX_ROWS:
            raise FileRefused(
                f"文件超过 {MAX_ROWS:,} 行数据，一次最多导入 {MAX_ROWS:,} 行。请把{layout.noun}拆成几个文件分别导入。"
            )
        parsed.rows.append((number, row_values(by_field)))
        parsed.cells[number] = {c.header: shown(by_field.get(c.field)) for c in layout.columns if c.field in columns}
    if not parsed.rows:
        examples = "（模板的示例行不导入）" if parsed.examples else ""
        raise FileRefused(f"文件只有表头（第 {header_line} 行），没有{layout.row_noun}的数据行{examples}。")
    return parsed


# --- problems in words ----------------------------------------------------------------------------------


def ranked(fields: Sequence[str] | Mapping[str, Any], order: Sequence[str]) -> list[str]:
    """Fields in the order of the file's columns (others after them)."""
    return sorted(fields, key=lambda f: order.index(f) if f in order else len(order))


def problem_list(errors: Mapping[str, str], order: Sequence[str]) -> list[str]:
    """A row's problems in the order of the file's columns."""
    return [errors[f] for f in ranked(errors, order)]


def problem_words(errors: Mapping[str, str], order: Sequence[str]) -> str:
    """A row's problems on one line."""
    return "；".join(problem_list(errors, order))


def problem_table(
    parsed: ParsedFile, lines: Sequence[tuple[int, Sequence[str]]], name_header: str, label: str = "问题"
) -> Any:
    """One line a problem (short cells a grid shows whole, at 1024 pixels too): 行号, the row's name as typed,
    the problem, then the file's other cells as typed. ``lines``: (row number, its problems in words)."""
    import pandas as pd

    present = [h for h in next(iter(parsed.cells.values()), {}) if h != name_header]
    return pd.DataFrame(
        [
            {
                "行号": line,
                name_header: parsed.cells[line].get(name_header, ""),
                label: problem,
                **{h: parsed.cells[line].get(h, "") for h in present},
            }
            for line, problems in lines
            for problem in problems
        ],
        columns=["行号", name_header, label, *present],
    )
