"""Numbers and dates the way a Chinese reader expects them."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime

from data_layer.money import fen_to_wan
from data_layer.settings import CHINA


def wan(fen: float | int | None, places: int = 2) -> str:
    """12157600 fen → "121.58 万元"."""
    if fen is None or (isinstance(fen, float) and math.isnan(fen)):
        return "—"
    return f"{fen_to_wan(int(round(fen)), places):,} 万元"


def yuan(fen: float | int | None) -> str:
    if fen is None or (isinstance(fen, float) and math.isnan(fen)):
        return "—"
    return f"{int(round(fen)) / 100:,.2f} 元"


def num(value: float | int | None, unit: str = "") -> str:
    """1536 → "1,536"; keeps one decimal only where the value has one."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return f"{text} {unit}".strip()


def pct(rate: float | None, places: int = 1) -> str:
    if rate is None or (isinstance(rate, float) and math.isnan(rate)):
        return "—"
    return f"{rate * 100:.{places}f}%"


def cn_date(d: date | None) -> str:
    """2023-05-20 → "2023年5月20日"."""
    return "—" if d is None else f"{d.year}年{d.month}月{d.day}日"


def cn_datetime(ts: datetime | None) -> str:
    """A stored (UTC) time in Beijing time: "2023年5月20日 14:05"."""
    if ts is None:
        return "—"
    local = ts.astimezone(CHINA) if ts.tzinfo else ts.replace(tzinfo=UTC).astimezone(CHINA)
    return f"{cn_date(local.date())} {local:%H:%M}"


def month_span(month_from: date, month_to: date) -> str:
    """The months a payment covers: "2023-07", or "2023-07–2023-09"."""
    return f"{month_from:%Y-%m}" + (f"–{month_to:%Y-%m}" if month_to != month_from else "")


_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()<>#+-.!|~$:"})


def escape_markdown(text: object) -> str:
    """Stored text (a name, a note, a title) shown as the very characters typed, wherever Streamlit reads
    markdown: no link, image, emphasis or HTML can come out of it."""
    return str(text).translate(_MARKDOWN)
