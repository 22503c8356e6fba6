"""Money is integer fen in the store; people read 元 and 万元."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation


def yuan_to_fen(value: object) -> int:
    """``12.5`` or ``"12.50"`` 元 → 1250 fen. Raises ``ValueError`` on non-numbers or sub-fen digits."""
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"不是有效的金额：{value}") from exc
    if not amount.is_finite():
        raise ValueError(f"不是有效的金额：{value}")
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise ValueError("金额最多两位小数（到分）")
    return int(fen)


def fen_to_yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def fen_to_wan(fen: int, places: int = 2) -> Decimal:
    """Fen → 万元, rounded half-up (leaders read 121.58 万元)."""
    return (Decimal(fen) / 1_000_000).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
