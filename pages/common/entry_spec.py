"""What an entry page declares: its record type's fields, services, lists and words.

The workflow itself (quick form, confirm step, month grid, corrections, 回收站) is in
pages/common/entry.py; a page builds one ``EntrySpec`` and calls ``render_entry``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

import pandas as pd

from data_layer.access import Access
from data_layer.services.records import RecordServices
from pages.common.context import ViewContext
from pages.common.ui import township_names

COUNTY_WIDE = -1  # the unit choice “县本级” (a record tied to no township)
# ``radio``: a choice drawn as buttons (one click, for quick entry); ``note``: text on several lines
FieldKind = Literal["count", "money", "text", "note", "date", "month", "choice", "radio"]


@dataclass(frozen=True)
class Field:
    """One value of a record, named as the service's keyword (``quantity``, ``amount_fen``, ``paid_date``)."""

    name: str
    label: str
    kind: FieldKind
    keep: bool = False  # stays after a save (drawn above the form; starts from the filter, then the last save)
    help: str | None = None
    placeholder: str | None = None
    max_chars: int | None = None  # ``text``/``note``: the longest the service accepts (the field stops there)
    width: float = 1.0
    options: tuple[Any, ...] = ()  # a ``choice``: the values offered (the first is the default, or none with a
    # ``placeholder``); a code that is not text (a number, True / False) is handed to the service as it is
    labels: dict[Any, str] | None = None  # a ``choice`` stored as a code (``onsite``, 4, True): its words
    starts_at: Callable[[date], date] | None = None  # a kept date: its first value from the default day


@dataclass(frozen=True)
class Preview:
    """A live “金额 = 人数 × 标准 × 月数” line under the form, worked out in the browser while typing."""

    count: str  # field names in the form
    rate: str
    total: str
    rate_default_fen: int | None  # used while the rate field is empty (the standard in force)
    factor: int  # months covered, or 1 for a per-payment standard
    per_month: bool  # the standard is per month (the line says “× N 个月”)
    unit: str  # 户 / 人


@dataclass(frozen=True)
class GridSpec:
    """A month for every township at once: one row per unit, the record's ``columns`` typed in."""

    columns: Callable[[pd.Series], list[Field]]  # per row (the unit and the date are the grid's)
    day: Field  # the date every row is saved with (entry_date / paid_date)
    recorded: Callable[[ViewContext, pd.Series, date], dict[int, str]]  # unit → already recorded in the month
    shared: Callable[[ViewContext, pd.Series, date, date], dict]  # (subject, month, day) → values every row has


@dataclass(frozen=True)
class Words:
    """What the page calls things."""

    noun: str  # one record: 进度记录, 发放记录
    subject: str  # what a record is about: 指标, 补贴类型
    one_by_one: str = "逐条录入"  # the quick form's tab
    missing: str = "尚未设置可录入的内容"  # when there is nothing to enter yet


@dataclass(frozen=True)
class Subject:
    """What a record is about (an item, a subsidy type), chosen above the form and kept across saves."""

    key: str  # the services' keyword for it: item_id, type_id
    choices: Callable[[ViewContext], pd.DataFrame]  # one row per choice, with a ``key`` column
    name: Callable[[pd.Series], str]
    of_record: Callable[[ViewContext, dict], pd.Series | None]  # the subject of a stored record
    caption: Callable[[ViewContext, pd.Series], str] | None = None  # a line under the choice (the standards)


@dataclass(frozen=True)
class Records:
    """Stored records as the page shows them."""

    load: Callable[[str, int, Access], dict | None]  # one record by its number, deleted or not (None: not readable)
    describe: Callable[[ViewContext, dict], str]  # in words: township, item, amount, date (the toast)
    recent: Callable[[ViewContext, pd.Series], pd.DataFrame]  # under the form, newest first; has 编号
    deleted: Callable[[ViewContext], pd.DataFrame]  # the 回收站; has 编号
    table: str | None = None  # the table in the audit log (a person's last saves after a lost connection)


@dataclass(frozen=True)
class EntrySpec:
    key: str  # prefix of the page's widget keys
    url_path: str  # the page's URL path (links that open a record)
    words: Words
    subject: Subject
    units: Callable[[ViewContext, pd.Series], dict[int, str]]  # township id (or COUNTY_WIDE) → name
    fields: Callable[[pd.Series], list[Field]]
    services: RecordServices  # create, update, delete, restore, add_rows (data_layer/services/records.py)
    records: Records
    grid: GridSpec
    fixed: Callable[[ViewContext, pd.Series], dict[str, Any]] = lambda ctx, subject: {}  # e.g. the county
    preview: Callable[[ViewContext, pd.Series, dict], Preview | None] | None = None
    unit_names: Callable[[ViewContext], dict] = township_names  # every township, active or not (a record's own)
    year_of: Callable[[dict], int] = field(default=lambda record: record["year"])

    @property
    def modes(self) -> dict[str, str]:
        return {"quick": self.words.one_by_one, "grid": "按月批量录入", "edit": "修改、删除与恢复"}


def coded(name: str, label: str, words: dict, **more: Any) -> Field:
    """A ``choice`` stored as a code (a category number, True / False), shown in ``words``."""
    return Field(name, label, "choice", options=(*words,), labels=words, **more)
