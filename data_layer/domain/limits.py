"""Hard limits: a value outside them is refused with a message (a typo, a unit mixed up, an id pasted
into an amount), never stored. They are data: change them here. What is suspicious but possible is a
warning instead (data_layer/rules.py).

The per-record maxima also keep every sum safe: 10¹⁰ fen a record leaves room for 9×10⁸ records
before a 64-bit sum could overflow.
"""

from __future__ import annotations

from datetime import date

from data_layer.domain import text

EARLIEST = date(2000, 1, 1)  # no record of this store is older ...
EARLIEST_BY_FIELD = {"registered_on": date(1949, 10, 1)}  # ... but an employer may have registered long ago
PLAN_AHEAD_YEARS = 1  # projects, targets and standards at most for next year
ARREARS_MONTHS = 24  # a payment may cover months up to two years before the day it is paid

# The largest value one record may hold, by field (money in fen).
MAXIMUM: dict[str, int] = {
    "quantity": 100_000,  # people, households or wheelchairs in one progress entry
    "recipients": 100_000,  # one township's roll in one payment
    "amount_fen": 100_000_000_00,  # 1 亿元 in one record
    "standard_fen": 1_000_000_00,  # 100 万元 a person, household or payment
    "budget_fen": 10_000_000_000_00,  # 100 亿元 for one item
    "unit_cost_min_fen": 1_000_000_00,  # 100 万元 a unit
    "unit_cost_max_fen": 1_000_000_00,
    "annual_target": 10_000_000_000,  # money items count in 元: 100 亿元
    "target": 10_000_000_000,
    "staff": 10_000_000,
    "disabled_staff": 10_000_000,
    "avg_wage_fen": 100_000_000_00,  # 100 万元 a year
    "value": 100_000_000_000,
    "task_fen": 10_000_000_000_00,  # 100 亿元 a county's levy task
}
MONEY = {
    "amount_fen",
    "standard_fen",
    "budget_fen",
    "unit_cost_min_fen",
    "unit_cost_max_fen",
    "avg_wage_fen",
    "task_fen",
}


def latest_year(today: date) -> int:
    return today.year + PLAN_AHEAD_YEARS


def maximum_in_words(field: str) -> str:
    """The limit as a person reads it: “1 亿元”, “100,000”."""
    limit = MAXIMUM[field]
    if field not in MONEY:
        return text.count(limit)
    yuan = limit // 100  # the limits are whole 万元 or 亿元: integer arithmetic, nothing to round
    return f"{text.count(yuan // 100_000_000)} 亿元" if yuan >= 100_000_000 else f"{text.count(yuan // 10_000)} 万元"
