"""The soft rules, each in one place: the entry services warn with them, data_layer/quality.py lists
what breaks them in the store."""

from __future__ import annotations

from datetime import date

REPEAT_WINDOW_DAYS = 7  # an identical entry within this many days looks like a repeat


def months_between(month_from: date, month_to: date) -> int:
    """How many months ``month_from``..``month_to`` covers, both included."""
    return (month_to.year - month_from.year) * 12 + month_to.month - month_from.month + 1


def expected_amount_fen(basis: str, recipients: int, standard_fen: int, months: int) -> int:
    """count × standard × months (or × 1 where the standard is per payment)."""
    return recipients * standard_fen * (months if basis == "month" else 1)


def unit_cost_outside(quantity: int, amount_fen: int, low_fen, high_fen) -> float | None:
    """The unit cost (fen) when it falls outside [low, high]; None when fine or not measurable."""
    if not quantity or not amount_fen or low_fen is None or high_fen is None or low_fen != low_fen:
        return None
    unit_cost = amount_fen / quantity
    return None if low_fen <= unit_cost <= high_fen else unit_cost


def over_twice_remaining(value: float, target: float, done: float) -> bool:
    """More than twice what is left of a (positive) target."""
    return bool(target) and value > 2 * max(target - done, 0)


def roll_jumped(previous: int, current: int, share: float) -> bool:
    """A monthly roll that moved by more than ``share`` of the previous month's."""
    return bool(previous) and abs(current - previous) > share * previous


def months_overlap(a_from: date, a_to: date, b_from: date, b_to: date) -> bool:
    return a_from <= b_to and a_to >= b_from
