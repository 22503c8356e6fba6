"""The office's 信息报送台账 (the ledger of articles sent and published) as it keeps it in Excel, read into the
rows ``data_layer.services.article_import`` checks and writes.

This module reads cells and nothing more: an Excel date, “2023-05-20”, “2023年5月20日” or “2023/5/20” is the
date published; an outlet's name as registered is that outlet; a township's name (or 县本级, or nothing) is the
township the article is about. A cell that means nothing usable is an entry in ``_errors`` under the field the
service's rules use, so the row's problems read the same as the form's. Whether a row may be stored is the
service's rule (``validate_article``, the same as the entry form's).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from data_layer.documents.import_plan import ImportPlan, plan
from data_layer.documents.sheets import (
    Column,
    Layout,
    ParsedFile,
    cell_text,
    name_key,
    parse_date,
    problem_list,
    read_file,
    shown,
)
from data_layer.domain.inputs import is_blank
from data_layer.domain.typed_inputs import clean_text
from data_layer.models import ARTICLE_KINDS

COUNTY_LEVEL = "县本级"
KINDS = " / ".join(ARTICLE_KINDS)
COLUMNS = (
    Column(
        "published_on",
        "发表日期",
        aliases=("日期", "发布日期", "刊发日期", "采用日期", "刊发时间", "发表时间"),
        note="必填，写成 2023-05-20、2023/5/20 或 2023年5月20日（Excel 的日期格式也可以）；不能晚于今天。",
    ),
    Column(
        "outlet",
        "发表媒体",
        aliases=("媒体", "刊发媒体", "采用媒体", "发布媒体", "媒体名称", "采用单位"),
        note="必填，与已登记的媒体名称一致，见下方名单；未登记的媒体请先请管理员登记。",
    ),
    Column(
        "title",
        "稿件标题",
        aliases=("标题", "信息标题", "稿件名称", "题目", "文章标题"),
        note="必填，最多 120 个字。与已录入稿件（或本文件中另一行）标题相同的，导入前需核实确认。",
    ),
    Column(
        "township",
        "乡镇（街道）",
        required=False,
        aliases=("乡镇", "所属乡镇", "所属乡镇（街道）", "街道"),
        note=f"可以没有这一列；稿件所写的本县乡镇（街道）全称，见下方名单；空着或写“{COUNTY_LEVEL}”为县本级。",
    ),
    Column(
        "kind",
        "类型",
        required=False,
        aliases=("稿件类型", "信息类型"),
        note=f"可以没有这一列；{KINDS}，空着按“信息”。",
    ),
    Column(
        "link",
        "链接",
        required=False,
        aliases=("网址", "链接地址", "网页链接"),
        note="可以没有这一列；以 http:// 或 https:// 开头。与已录入稿件链接相同的，导入前需核实确认。",
    ),
)
HEADERS = tuple(c.header for c in COLUMNS)
LAYOUT = Layout(COLUMNS, noun="台账", row_noun="稿件", example_field="title")
# the service's field names, in the file's column order (a row's problems are listed in this order)
ORDER = ("published_on", "outlet_id", "title", "township_id", "kind", "link")
EXCEL_DAY_ZERO = date(1899, 12, 30)  # a date typed into a number column arrives as days since this one
EXCEL_SERIALS = range(20_000, 80_000)  # 1954 to 2119: a plausible serial, not a count someone typed


def _published_on(value: Any, errors: dict[str, str]) -> date | None:
    if is_blank(value):
        return None  # the service says what is missing
    if isinstance(value, (int, float)) and not isinstance(value, bool) and int(value) in EXCEL_SERIALS:
        return EXCEL_DAY_ZERO + timedelta(days=int(value))
    found = parse_date(value)
    if found is None:
        errors["published_on"] = f"发表日期“{shown(value)}”不是日期，请写成 2023-05-20"
    return found


def _outlet(value: Any, outlets: Mapping[str, int], errors: dict[str, str]) -> int | None:
    if is_blank(value):
        return None
    found = outlets.get(name_key(value))
    if found is None:
        errors["outlet_id"] = f"发表媒体“{shown(value)}”未登记（已登记的媒体见模板的填写说明）"
    return found


def _township(value: Any, townships: Mapping[str, int], errors: dict[str, str]) -> int | None:
    key = name_key(value)
    if key in ("", COUNTY_LEVEL):
        return None
    found = townships.get(key)
    if found is None:
        errors["township_id"] = f"乡镇（街道）“{shown(value)}”不存在"
    return found


def row_values(
    cells: Mapping[str, Any], *, county_id: int, outlets: Mapping[str, int], townships: Mapping[str, int]
) -> dict[str, Any]:
    """One row's values for the service (the entry form's fields); ``outlets``/``townships``: ``name_key`` → id."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {
        "county_id": county_id,
        "published_on": _published_on(cells.get("published_on"), errors),
        "outlet_id": _outlet(cells.get("outlet"), outlets, errors),
        "title": clean_text(shown(cells.get("title")), "title", errors),  # as typed (NFC), no hidden characters
        "township_id": _township(cells.get("township"), townships, errors),
        "kind": cell_text(cells.get("kind")),
        "link": clean_text(shown(cells.get("link")), "link", errors),
    }
    if errors:
        values["_errors"] = errors
    return values


def parse_articles(
    data: bytes, file_name: str, *, county_id: int, outlets: Mapping[str, int], townships: Mapping[str, int]
) -> ParsedFile:
    """The ledger's rows for the dry run. ``outlets`` and ``townships``: names as registered → ids.

    Raises ``FileRefused`` (its ``message`` in Chinese) for a file that is not a ledger of articles at all."""
    outlet_ids = {name_key(name): i for name, i in outlets.items()}
    town_ids = {name_key(name): i for name, i in townships.items()}
    return read_file(
        data,
        file_name,
        LAYOUT,
        lambda cells: row_values(cells, county_id=county_id, outlets=outlet_ids, townships=town_ids),
    )


def in_column_order(problems: Mapping[str, str]) -> list[str]:
    """A row's problems (errors or warnings) in the order of the file's columns."""
    return problem_list(problems, ORDER)


# --- the dry run in words (the page's preview) ----------------------------------------------------------


def _day(value: date | None) -> str:
    return "" if value is None else f"{value.year}年{value.month}月{value.day}日"


def preview(parsed: ParsedFile, planned: list, outlets: Mapping[int, str], townships: Mapping[int, str]) -> ImportPlan:
    """The dry run (``plan_articles``' rows) of ``parsed`` in words; ``outlets``/``townships``: id → name. An
    import never changes a stored article: a row is a new one, one to confirm, or one already stored as it is."""
    import pandas as pd

    def created(new: list) -> pd.DataFrame:
        shown = ("行号", "发表日期", "发表媒体", "乡镇（街道）", "稿件标题", "类型", "链接")
        return pd.DataFrame(
            [
                (
                    r.line,
                    _day(r.values.get("published_on")),
                    outlets.get(r.values.get("outlet_id"), ""),
                    townships.get(r.values.get("township_id"), COUNTY_LEVEL),
                    r.values.get("title", ""),
                    r.values.get("kind") or ARTICLE_KINDS[0],
                    r.values.get("link", ""),
                )
                for r in new
            ],
            columns=list(shown),
        )

    return plan(parsed, planned, name_header="稿件标题", order=ORDER, create_rows=created)
