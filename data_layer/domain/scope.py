"""The filter every view shares: year, period, townships, counties — and its URL form."""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

PERIODS: dict[str, str] = {
    "all": "全年",
    "h1": "上半年",
    "h2": "下半年",
    "q1": "第一季度",
    "q2": "第二季度",
    "q3": "第三季度",
    "q4": "第四季度",
    "range": "按月份",
}
_PERIOD_MONTHS = {"all": (1, 12), "h1": (1, 6), "h2": (7, 12), "q1": (1, 3), "q2": (4, 6), "q3": (7, 9), "q4": (10, 12)}
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Scope:
    """What a view shows: a date range within one year, and which units (empty = all)."""

    year: int
    period: str
    start: date
    end: date
    township_ids: tuple[int, ...] = ()
    county_ids: tuple[int, ...] = ()

    @property
    def year_start(self) -> date:
        return date(self.year, 1, 1)


@dataclass(frozen=True)
class FilterSpec:
    """The filter as a person (or a URL) states it, before names are resolved to ids."""

    year: int
    period: str = "all"
    month_from: int = 1
    month_to: int = 12
    townships: tuple[str, ...] = ()
    counties: tuple[str, ...] = field(default_factory=tuple)

    def date_range(self) -> tuple[date, date]:
        m0, m1 = _PERIOD_MONTHS.get(self.period, (self.month_from, self.month_to))
        return date(self.year, m0, 1), date(self.year, m1, calendar.monthrange(self.year, m1)[1])

    def label(self) -> str:
        if self.period == "range":
            return f"{self.year}年{self.month_from}–{self.month_to}月"
        return f"{self.year}年{PERIODS[self.period]}"


def parse_params(params: Mapping[str, Sequence[str]], *, default_year: int, years: Sequence[int]) -> FilterSpec:
    """Read ``year``, ``period`` (or ``from``/``to`` as YYYY-MM) and repeated ``township``/``county``.

    Anything invalid falls back to the default, so a mangled bookmark still opens a page.
    """

    def first(key: str) -> str | None:
        values = params.get(key) or []
        return values[0] if values else None

    year = int(first("year")) if (first("year") or "").isdigit() and int(first("year")) in years else default_year
    period = first("period") or "all"
    month_from, month_to = 1, 12
    m0, m1 = _MONTH.match(first("from") or ""), _MONTH.match(first("to") or "")
    if m0 and m1 and m0.group(1) == m1.group(1) and int(m0.group(1)) in years:
        a, b = int(m0.group(2)), int(m1.group(2))
        if 1 <= a <= b <= 12:
            year, period, month_from, month_to = int(m0.group(1)), "range", a, b
    if period not in _PERIOD_MONTHS and period != "range":
        period = "all"
    if period == "range" and (month_from, month_to) == (1, 12) and not (m0 and m1):
        period = "all"
    return FilterSpec(
        year=year,
        period=period,
        month_from=month_from,
        month_to=month_to,
        townships=tuple(dict.fromkeys(params.get("township") or [])),
        counties=tuple(dict.fromkeys(params.get("county") or [])),
    )


def to_params(spec: FilterSpec) -> dict[str, str | list[str]]:
    """The URL query of ``spec``; defaults are left out so links stay short."""
    out: dict[str, str | list[str]] = {"year": str(spec.year)}
    if spec.period == "range":
        out["from"] = f"{spec.year}-{spec.month_from:02d}"
        out["to"] = f"{spec.year}-{spec.month_to:02d}"
    elif spec.period != "all":
        out["period"] = spec.period
    if spec.townships:
        out["township"] = list(spec.townships)
    if spec.counties:
        out["county"] = list(spec.counties)
    return out


def make_scope(spec: FilterSpec, township_ids: Sequence[int] = (), county_ids: Sequence[int] = ()) -> Scope:
    start, end = spec.date_range()
    return Scope(
        year=spec.year,
        period=spec.period,
        start=start,
        end=end,
        township_ids=tuple(sorted(township_ids)),
        county_ids=tuple(sorted(county_ids)),
    )


def time_elapsed(year: int, period_end: date, today: date) -> float:
    """序时进度: the share of ``year`` gone by the end of the period, or by today if today is inside it.

    A period wholly in the future has 0 elapsed only if the year has not begun; otherwise
    the share runs to today. Days are counted inclusively, so 31 Dec gives exactly 1.0.
    """
    days_in_year = 366 if calendar.isleap(year) else 365
    as_of = min(period_end, today)
    if as_of < date(year, 1, 1):
        return 0.0
    if as_of.year > year:
        return 1.0
    return (as_of - date(year, 1, 1)).days / days_in_year + 1 / days_in_year


def planned_elapsed(
    year: int, period_end: date, today: date, start_month: int | None = None, end_month: int | None = None
) -> float:
    """序时进度 of an item planned for months ``start_month``…``end_month`` of ``year``.

    Without a plan it is the year's :func:`time_elapsed`. With one, it is 0 before the first
    planned month, 1 after the last, and the share of the planned days gone in between — so
    work planned for the second half-year is not behind in June.
    """
    if start_month is None or end_month is None:
        return time_elapsed(year, period_end, today)
    first = date(year, start_month, 1)
    last = date(year, end_month, calendar.monthrange(year, end_month)[1])
    as_of = min(period_end, today)
    if as_of < first:
        return 0.0
    if as_of >= last:
        return 1.0
    return ((as_of - first).days + 1) / ((last - first).days + 1)
