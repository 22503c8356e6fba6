"""Money is integer fen in the store; people read 元 and 万元 (worded in data_layer/domain/text.py, the only place
that rounds money for display). Here: 元 typed by a person → fen, and fen ↔ 元 as exact values for arithmetic."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN_PER_YUAN = 100


def yuan_to_fen(value: object) -> int:
    """``12.5`` or ``"12.50"`` 元 → 1250 fen. Raises ``ValueError`` on non-numbers or sub-fen digits."""
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"不是有效的金额：{value}") from exc
    if not amount.is_finite():
        raise ValueError(f"不是有效的金额：{value}")
    fen = amount * FEN_PER_YUAN
    if fen != fen.to_integral_value():
        raise ValueError("金额最多两位小数（到分）")
    return int(fen)


def fen_as_yuan(fen: int | float | Decimal) -> Decimal:
    """Fen as the exact 元 value (no rounding): 123,456 → Decimal("1234.56"). For arithmetic and comparison
    (the report's printed 元), never for display — text.yuan words it."""
    amount = fen if isinstance(fen, Decimal) else Decimal(int(fen)) if float(fen).is_integer() else Decimal(str(fen))
    return amount / FEN_PER_YUAN


def yuan_as_fen(yuan: int | float | Decimal) -> int:
    """An exact 元 value (from :func:`fen_as_yuan`, or a sum of 元 measures) back to whole fen, rounded half-up
    to the fen (a float sum's last-digit noise goes): Decimal("1234.56") → 123,456."""
    amount = yuan if isinstance(yuan, Decimal) else Decimal(str(yuan))
    return int((amount * FEN_PER_YUAN).to_integral_value(rounding=ROUND_HALF_UP))


def yuan_measure(fen):
    """A fen column as 元 in a SQL expression (a measure that sums to 元): ``amount_fen / 100.0``, a float
    division in every engine (an integer one would drop the fen)."""
    return fen / float(FEN_PER_YUAN)
