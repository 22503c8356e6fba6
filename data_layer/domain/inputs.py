"""Typed values from what a person typed: counts, 元 amounts, decimals and percentages, read exactly or refused
with a reason.

Forms, grids and (later) importers read numbers as text through these, so "１２" typed with a
Chinese input method, "1,350.00" and "−450" are read as meant, and "2.5" as a count or
"1e20" as money is refused with a message instead of being rounded or misread.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from data_layer.domain.money import yuan_to_fen

_MINUS = str.maketrans({"−": "-", "－": "-", "—": "-", "–": "-"})
_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def _clean(value: object, unit_words: tuple[str, ...] = ()) -> str:
    """Full-width digits and signs to ASCII (NFKC), thousands separators and unit words dropped."""
    text = unicodedata.normalize("NFKC", str(value)).translate(_MINUS).strip()
    for word in unit_words:
        text = text.removesuffix(word).strip()
    return text.replace(",", "").replace(" ", "")


def code_text(value: object) -> str:
    """A number that is an identifier (身份证号, 残疾人证号, 统一社会信用代码), read as meant: full-width digits
    and letters as ordinary ones (NFKC), every space gone (full-width ones too), letters upper case."""
    return "".join(unicodedata.normalize("NFKC", str(value or "")).split()).upper()


def is_blank(value: object) -> bool:
    """Nothing typed: None, NaN (an empty grid cell) or white space."""
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value).strip() == ""


def parse_count(value: object, label: str) -> int | None:
    """A whole number of people, households, items…; None when left empty."""
    if is_blank(value):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = _clean(value, ("人", "户", "台", "处", "个", "名", "篇", "家", "件", "次"))
    if _INTEGER.fullmatch(text):
        return int(text)
    if _DECIMAL.fullmatch(text):
        number = Decimal(text)
        if number == number.to_integral_value():
            return int(number)
        raise ValueError(f"{label}必须是整数，“{value}”有小数")
    raise ValueError(f"{label}应填写整数，例如 12；“{value}”不是整数")


def parse_yuan(value: object, label: str) -> int | None:
    """An amount in 元 → fen; None when left empty. At most two decimals (分)."""
    if is_blank(value):
        return None
    text = _clean(value, ("元",))
    if not _DECIMAL.fullmatch(text):
        raise ValueError(f"{label}应填写以元为单位的数字，例如 1350 或 1350.50；“{value}”不是金额")
    try:
        return yuan_to_fen(text)
    except (ValueError, InvalidOperation) as exc:
        raise ValueError(f"{label}最多两位小数（到分）") from exc


def parse_decimal(
    value: object, label: str, *, places: int | None = None, minimum: Decimal | int | None = None
) -> Decimal | None:
    """A number that may have decimals (a weighted head count 2.5, a share), read exactly as a ``Decimal``;
    None when left empty. ``places``: at most that many decimals; ``minimum``: nothing below it."""
    if is_blank(value):
        return None
    text = _clean(value)
    if not _DECIMAL.fullmatch(text):
        raise ValueError(f"{label}应填写数字，例如 2.5；“{value}”不是数字")
    return _checked(text, label, places, minimum)


def parse_percent(
    value: object, label: str, *, places: int | None = 2, minimum: Decimal | int | None = None
) -> Decimal | None:
    """A share typed in percent points (“8”, “12.5”, “8%”, “８％”) → the share itself, Decimal("0.08"); None when
    left empty. ``places`` and ``minimum`` are in percent points, as typed."""
    if is_blank(value):
        return None
    text = _clean(value, ("百分点", "%"))
    if not _DECIMAL.fullmatch(text):
        raise ValueError(f"{label}应填写百分数，例如 5 或 12.5（即 5%、12.5%）；“{value}”不是数字")
    return _checked(text, label, places, minimum).scaleb(-2)  # percent points → the share, exactly


def _checked(text: str, label: str, places: int | None, minimum: Decimal | int | None) -> Decimal:
    """A number's text already matched as a decimal: its decimals (trailing zeros do not count) and its floor."""
    number = Decimal(text)
    if places is not None and len(text.partition(".")[2].rstrip("0")) > places:
        raise ValueError(f"{label}必须是整数" if places == 0 else f"{label}最多 {places} 位小数")
    if minimum is not None and number < minimum:
        raise ValueError(f"{label}不能为负数" if minimum == 0 else f"{label}不能小于 {minimum}")
    return number


Reader = Callable[[object, str], Any]


def read_fields(typed: Mapping[str, tuple[object, Reader, str]]) -> tuple[dict[str, Any], dict[str, str]]:
    """Several typed values at once: ``{name: (typed text, reader, label)}`` → the values read, and for each
    name that could not be read its message (to show beside its field; nothing is written then)."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, (value, reader, label) in typed.items():
        try:
            values[name] = reader(value, label)
        except ValueError as exc:
            errors[name] = str(exc)
    return values, errors


def parse_text(value: object) -> str:
    """Free text as stored: trimmed, None as empty."""
    return "" if is_blank(value) else str(value).strip()
