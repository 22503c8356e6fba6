"""The one place that turns money, shares, counts, dates and times into words.

Every output reads figures through here — the boards, the meeting slides and deck, the workbooks, the work
report, the data-quality findings and the rules' warnings — so a figure reads the same wherever it is shown:

- money is stored as integer fen and rounded **half-up** once, here (10,050 元 is 1.01 万元 everywhere);
- a share is shown in percent with one decimal, also half-up (0.52549 → 52.5%, 0.5255 → 52.6%);
- counts carry thousands separators (1,536 篇);
- times are stored in UTC and always shown in Beijing time; dates as 2023年5月20日.

The ``*_number`` functions give the rounded value itself (a ``Decimal``), for a spreadsheet cell or a chart
that must hold the very number the text prints.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal

CHINA = timezone(timedelta(hours=8))  # the office's clock: Beijing time (no daylight saving)
NONE = "—"  # what a figure that cannot be given reads as


def missing(value: object) -> bool:
    """None, NaN, pandas' NA or NaT: nothing to show."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    try:
        import pandas as pd

        return bool(pd.isna(value)) if not isinstance(value, (str, bytes, date)) else False
    except (TypeError, ValueError):
        return False


def _decimal(value: float | int | Decimal) -> Decimal:
    """A number as the decimal it reads as: a float through its shortest repr (0.1 → 0.1, not 0.1000000000000000055)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(repr(float(value)))


def _half_up(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _grouped(value: Decimal, places: int) -> str:
    return f"{value:,.{places}f}"


# --- money -------------------------------------------------------------------------------------------------


def wan_number(fen: float | int | Decimal | None, places: int = 2) -> Decimal | None:
    """Fen → 万元, rounded half-up: 1,005,000 fen → Decimal("1.01")."""
    if missing(fen):
        return None
    return _half_up(_decimal(fen) / 1_000_000, places)


def wan(fen: float | int | Decimal | None, places: int = 2, *, unit: bool = True) -> str:
    """12,157,600 fen → “121.58 万元”; 1,005,000 fen → “1.01 万元”."""
    number = wan_number(fen, places)
    if number is None:
        return NONE
    return _grouped(number, places) + (" 万元" if unit else "")


def yuan_number(fen: float | int | Decimal | None) -> Decimal | None:
    """Fen → 元 to the fen (a fraction of a fen, from an average, rounded half-up)."""
    if missing(fen):
        return None
    return _half_up(_decimal(fen) / 100, 2)


def yuan(fen: float | int | Decimal | None, *, unit: bool = True) -> str:
    """1,005,000 fen → “10,050.00 元”."""
    number = yuan_number(fen)
    if number is None:
        return NONE
    return _grouped(number, 2) + (" 元" if unit else "")


def whole_yuan(fen: float | int | Decimal | None, *, unit: bool = True) -> str:
    """A bound or a standard in whole 元 where it has no fen: 600,000 fen → “6,000 元”, 5,050 → “50.50 元”;
    ``unit=False`` leaves the unit off (a range “100–500 元” names it once)."""
    number = yuan_number(fen)
    if number is None:
        return NONE
    return (_grouped(number, 0) if number == number.to_integral_value() else _grouped(number, 2)) + (
        " 元" if unit else ""
    )


def yuan_input(fen: float | int | Decimal | None) -> str:
    """A fen amount as it is typed back into a 元 field: 600,000 fen → “6000”, 600,050 → “6000.50”, none → “”.
    No separators and no unit, so data_layer/domain/inputs.py (``parse_yuan``) reads it back to the same fen."""
    number = yuan_number(fen)
    if number is None:
        return ""
    return f"{number:.0f}" if number == number.to_integral_value() else f"{number:.2f}"


def report_money(fen: int | Decimal) -> str:
    """Money as a work report writes it: “6760元”; from 1 万元 on “26.55万元” — the 万元 rounded as on every board
    (half-up, two places), without thousands separators or trailing zeros."""
    fen = _decimal(fen)
    if abs(fen) >= 1_000_000:
        return f"{plain(wan_number(fen))}万元"
    return f"{plain(yuan_number(fen))}元"


def plain(value: Decimal | float | int) -> str:
    """1536 → “1536”, 2.50 → “2.5”: no separators, no trailing zeros (a report's sentence); two places at most."""
    text = f"{_half_up(_decimal(value), 2):f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


# --- shares, counts ----------------------------------------------------------------------------------------


def pct_number(share: float | Decimal | None, places: int = 1) -> Decimal | None:
    """A share in percent points, rounded half-up: 0.5255 → Decimal("52.6")."""
    if missing(share):
        return None
    return _half_up(_decimal(share) * 100, places)


def share_number(share: float | Decimal | None, places: int = 1) -> Decimal | None:
    """A share rounded as :func:`pct` prints it, kept a share (0.5255 → Decimal("0.526")): a spreadsheet cell
    formatted as a percentage shows the very digits the page shows."""
    number = pct_number(share, places)
    return None if number is None else number.scaleb(-2)


def pct(share: float | Decimal | None, places: int = 1) -> str:
    """0.5255 → “52.6%”; nothing to divide → “—”."""
    number = pct_number(share, places)
    return NONE if number is None else f"{number:.{places}f}%"


def rate(share: float | Decimal | None) -> str:
    """A rule's rate as the policy writes it: 0.015 → “1.5%”, 0.9 → “90%”, no trailing zeros (four decimals at
    most). A measured share is ``pct``, always with its decimal."""
    number = pct_number(share, 4)
    return NONE if number is None else f"{_bare(number)}%"


def percent_input(share: float | Decimal | None) -> str:
    """A share as it is typed back into a field in percent points: 0.08 → “8”, 0.125 → “12.5”, none → “”
    (``parse_percent`` in data_layer/domain/inputs.py reads it back)."""
    number = pct_number(share, 4)
    return "" if number is None else _bare(number)


def _bare(number: Decimal) -> str:
    """No trailing zeros, no exponent, no separators: Decimal("8.0000") → “8”, Decimal("100") → “100”."""
    text = f"{number.normalize():f}"
    return "0" if text == "-0" else text


def count(value: float | int | Decimal | None, unit: str = "") -> str:
    """1536 → “1,536”, with its unit: “1,536 篇”. A value with a fraction keeps one decimal (“2.5 人”)."""
    if missing(value):
        return NONE
    number = _decimal(value)
    if number == number.to_integral_value():
        words = _grouped(number, 0)
    else:
        words = _grouped(_half_up(number, 1), 1)
    return f"{words} {unit}".strip()


def decimal_text(value: float | int | Decimal | None, places: int = 2) -> str:
    """A measured value with up to ``places`` decimals, none where it is whole: 1.5 人 of a quota shortfall."""
    if missing(value):
        return NONE
    number = _half_up(_decimal(value), places).normalize()
    return _grouped(number, max(-number.as_tuple().exponent, 0))


def head_count(value: float | int | Decimal | None) -> str:
    """A weighted head count of disabled staff (残保金), as the rule computes it: 2, 0.5, 1.6667 — four decimals at
    most, for a month's share of a year (1/12 → 0.0833) reads back near enough to check by hand."""
    return decimal_text(value, 4)


# --- dates, periods, times --------------------------------------------------------------------------------


def day(d: date | None) -> str:
    """2023-05-20 → “2023年5月20日”."""
    if missing(d):
        return NONE
    return f"{d.year}年{d.month}月{d.day}日"


def iso_day(d: date | None) -> str:
    """2023-05-20 → “2023-05-20” (a grid cell or a record's line, where the long form takes too much room)."""
    return NONE if missing(d) else f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


def month(d: date) -> str:
    """2023-05-01 → “2023年5月”."""
    return f"{d.year}年{d.month}月"


def month_key(d: date) -> str:
    """2023-05-01 → “2023-05” (a month as a sortable key: a grid column, a chart's category)."""
    return f"{d.year:04d}-{d.month:02d}"


def month_span(month_from: date, month_to: date) -> str:
    """The months a payment covers: “2023-07”, or “2023-07–2023-09”."""
    first = month_key(month_from)
    return first if month_to == month_from else f"{first}–{month_key(month_to)}"


def month_range(month_from: date, month_to: date) -> str:
    """“2023年7月–9月” (one year), “2023年12月–2024年1月”, or one month “2023年7月”."""
    if (month_from.year, month_from.month) == (month_to.year, month_to.month):
        return month(month_from)
    last = f"{month_to.month}月" if month_to.year == month_from.year else month(month_to)
    return f"{month(month_from)}–{last}"


def period(start: date, end: date) -> str:
    """“2023年1月1日至6月30日”; one day alone (助残日); the end's year only where it differs."""
    first = day(start)
    if start == end:
        return first
    last = f"{end.month}月{end.day}日" if end.year == start.year else day(end)
    return f"{first}至{last}"


def local(moment: datetime | str | None) -> datetime | None:
    """A stored time in Beijing time. The store keeps UTC: a time without a zone is UTC too."""
    if missing(moment):
        return None
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if hasattr(moment, "to_pydatetime"):
        moment = moment.to_pydatetime()
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(CHINA)


def local_day(moment: datetime | str | None) -> date | None:
    """The Beijing date of a stored time (a lock made at 00:30 Beijing time is on that day, not the UTC one)."""
    at = local(moment)
    return None if at is None else at.date()


def time(moment: datetime | str | None) -> str:
    """A stored time as “2023年5月20日 14:05”, Beijing time."""
    at = local(moment)
    return NONE if at is None else f"{day(at.date())} {at.hour:02d}:{at.minute:02d}"


def short_time(moment: datetime | str | None) -> str:
    """A stored time as “2023-05-20 14:05”, Beijing time (a grid's 录入时间)."""
    at = local(moment)
    return NONE if at is None else f"{iso_day(at.date())} {at.hour:02d}:{at.minute:02d}"


def as_of(moment: datetime | str | None) -> str:
    """“2023年5月20日 14:05（北京时间）”: the time figures were taken, on a sheet that leaves the app."""
    return NONE if missing(moment) else f"{time(moment)}（北京时间）"


def compact_day(d: date) -> str:
    """2023-11-29 → “20231129” (a day in a downloaded file's name)."""
    return f"{d.year:04d}{d.month:02d}{d.day:02d}"


def stamp(moment: datetime | None = None) -> str:
    """“20231129” of a moment's Beijing date (now by default): the day in a downloaded file's name."""
    at = local(moment or datetime.now(UTC))
    return compact_day(at.date())


def file_stamp(moment: datetime | None = None) -> str:
    """“20261207-175500” of a moment in Beijing time (now by default), to the second: a file name that sorts by
    when it was made (a backup). A time without a zone is UTC, as everywhere here."""
    at = local(moment or datetime.now(UTC))
    return f"{compact_day(at.date())}-{at.hour:02d}{at.minute:02d}{at.second:02d}"


# --- a figure's value in words, by its kind ----------------------------------------------------------------

KINDS = ("wan", "yuan", "pct", "count", "decimal", "text", "day")


def value(kind: str, v: object, unit: str = "") -> str:
    """How a figure of ``kind`` reads: “121.58 万元”, “10,050.00 元”, “54.2%”, “1,234 篇”, “2023年5月20日”."""
    if kind == "wan":
        return wan(v)
    if kind == "yuan":
        return yuan(v)
    if kind == "pct":
        return pct(v)
    if kind == "count":
        return count(v, unit)
    if kind == "decimal":
        return NONE if missing(v) else f"{decimal_text(v)} {unit}".strip()
    if kind == "day":
        return day(v)
    return NONE if missing(v) else f"{v} {unit}".strip() if unit else str(v)


def number(kind: str, v: object) -> Decimal | int | None:
    """The number a figure of ``kind`` prints, as a value (a spreadsheet cell, a chart's data): 万元 and 元 rounded
    as printed, a share in percent points, a count as it is."""
    if missing(v):
        return None
    if kind == "wan":
        return wan_number(v)
    if kind == "yuan":
        return yuan_number(v)
    if kind == "pct":
        return pct_number(v)
    if kind == "decimal":
        return _half_up(_decimal(v), 2)
    if kind == "count":
        n = _decimal(v)
        return int(n) if n == n.to_integral_value() else _half_up(n, 1)
    return None
