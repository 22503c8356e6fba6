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

from pages.common.context import ViewContext
from pages.common.ui import township_names

COUNTY_WIDE = -1  # the unit choice “县本级” (a record tied to no township)
FieldKind = Literal["count", "money", "text", "date", "month"]


@dataclass(frozen=True)
class Field:
    """One value of a record, named as the service's keyword (``quantity``, ``amount_fen``, ``paid_date``)."""

    name: str
    label: str
    kind: FieldKind
    keep: bool = False  # stays after a save (drawn above the form; starts from the filter, then the last save)
    help: str | None = None
    placeholder: str | None = None
    width: float = 1.0


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
    fixed: Callable[[ViewContext, pd.Series, date, date], dict]  # the add-rows service's shared arguments
    add_rows: Callable[..., list[int]]


@dataclass(frozen=True)
class EntrySpec:
    key: str  # prefix of the page's widget keys
    url_path: str  # the page's URL path (links that open a record)
    noun: str  # what one record is called: 进度记录, 发放记录
    modes: dict[str, str]  # quick / grid / edit → the tab's words
    subject_label: str  # 指标, 补贴类型
    subject_key: str  # the services' keyword for it: item_id, type_id
    subjects: Callable[[ViewContext], pd.DataFrame]  # the choices, with a ``subject_key`` column
    subject_name: Callable[[pd.Series], str]
    record_subject: Callable[[ViewContext, dict], pd.Series | None]  # the subject of a stored record
    units: Callable[[ViewContext, pd.Series], dict[int, str]]  # township id (or COUNTY_WIDE) → name
    fields: Callable[[pd.Series], list[Field]]
    id_field: str  # entry_id, disbursement_id
    create: Callable[..., int]
    update: Callable[..., None]
    delete: Callable[..., None]
    restore: Callable[..., None]
    load: Callable[[str, int], dict | None]
    describe: Callable[[ViewContext, dict], str]  # a stored record in words: township, item, amount, date
    recent: Callable[[ViewContext, pd.Series], pd.DataFrame]  # shown under the form; has 编号
    deleted: Callable[[ViewContext], pd.DataFrame]  # the 回收站; has 编号
    grid: GridSpec
    fixed: Callable[[ViewContext, pd.Series], dict[str, Any]] = lambda ctx, subject: {}
    subject_caption: Callable[[ViewContext, pd.Series], str] | None = None
    preview: Callable[[ViewContext, pd.Series, dict], Preview | None] | None = None
    unit_names: Callable[[ViewContext], dict] = township_names  # every township, active or not (a record's own)
    missing: str = "尚未设置可录入的内容"
    year_of: Callable[[dict], int] = field(default=lambda record: record["year"])
