"""The levy (残保金) an employer owes for a year, from that year's policy row."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Policy:
    quota_ratio: Decimal
    exempt_max_staff: int
    tier_ratio: Decimal
    tier_high_share: Decimal
    tier_low_share: Decimal
    wage_cap_multiple: Decimal
    local_avg_wage_fen: int


def levy_due_fen(policy: Policy, *, staff: int, disabled_staff: Decimal | int, avg_wage_fen: int) -> int:
    """(staff × quota − disabled) × min(wage, cap × local wage), less the relief tier; 0 if exempt.

    ``disabled_staff`` is already weighted (a grade 1–2 employee counts as two). The
    shortfall may be a fraction of a person (财税〔2015〕72号).
    """
    if staff <= policy.exempt_max_staff or staff <= 0:
        return 0
    disabled = Decimal(disabled_staff)
    shortfall = Decimal(staff) * policy.quota_ratio - disabled
    if shortfall <= 0:
        return 0
    wage = min(Decimal(avg_wage_fen), policy.wage_cap_multiple * policy.local_avg_wage_fen)
    share = policy.tier_high_share if disabled / staff >= policy.tier_ratio else policy.tier_low_share
    return int((shortfall * wage * share).quantize(Decimal(1), rounding=ROUND_HALF_UP))
