"""The levy (残保金) an employer owes for a year, from that year's policy row, and why.

财税〔2015〕72号: (staff × quota ratio − disabled staff) × the employer's average wage, that wage capped at
a multiple of the local average (财税〔2017〕18号); 财政部公告2023年第8号: employers with 30 staff or
fewer are exempt, one at or above 1 % pays 50 %, one below pays 90 %. Staff and disabled staff are
monthly averages of the year declared, so a person employed six months counts half, and the shortfall
may be a fraction of a person; a grade 1–2 employee counts as two.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from data_layer.domain import text

DOUBLE_GRADES = (1, 2)  # 一级、二级 count as two employees


@dataclass(frozen=True)
class Policy:
    quota_ratio: Decimal
    exempt_max_staff: int
    tier_ratio: Decimal
    tier_high_share: Decimal
    tier_low_share: Decimal
    wage_cap_multiple: Decimal
    local_avg_wage_fen: int


@dataclass(frozen=True)
class RosterLine:
    grade: int
    months: int
    contract_ok: bool
    insurance_ok: bool


def counts(line: RosterLine) -> bool:
    """A disabled employee counts only with a contract of a year or more and social insurance paid."""
    return bool(line.contract_ok and line.insurance_ok)


def weight(line: RosterLine) -> Decimal:
    """What one roster line adds to the disabled head count: 0, or 1 (2 for grade 1–2) × months / 12."""
    if not counts(line):
        return Decimal(0)
    return Decimal(2 if line.grade in DOUBLE_GRADES else 1) * Decimal(line.months) / Decimal(12)


def weighted_disabled(lines: Iterable[RosterLine]) -> Decimal:
    return sum((weight(line) for line in lines), Decimal(0)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Breakdown:
    """Every step of the amount, for “why this amount”."""

    staff: int
    disabled: Decimal  # weighted
    required: Decimal  # staff × quota
    shortfall: Decimal  # required − disabled, ≥ 0
    wage_fen: int  # the employer's average wage
    wage_cap_fen: int  # cap multiple × local average
    wage_used_fen: int
    ratio: Decimal  # disabled ÷ staff
    exempt: bool
    share: Decimal  # the share of the full amount payable (1, or the relief tier)
    tier: str  # in words
    amount_fen: int

    @property
    def meets_quota(self) -> bool:
        return not self.exempt and self.shortfall == 0


def explain(policy: Policy, *, staff: int, disabled_staff: Decimal | int, avg_wage_fen: int) -> Breakdown:
    disabled = Decimal(disabled_staff)
    required = Decimal(staff) * policy.quota_ratio
    shortfall = max(required - disabled, Decimal(0))
    cap = int(policy.wage_cap_multiple * policy.local_avg_wage_fen)
    wage_used = min(int(avg_wage_fen), cap)
    ratio = disabled / staff if staff > 0 else Decimal(0)
    exempt = staff <= policy.exempt_max_staff or staff <= 0
    if exempt:
        share, tier = Decimal(0), f"职工 {staff} 人，不超过 {policy.exempt_max_staff} 人，免征"
    elif shortfall == 0:
        share, tier = Decimal(0), "已达到安排比例，无需缴纳"
    elif ratio >= policy.tier_ratio:
        share, tier = (
            policy.tier_high_share,
            f"安排比例不低于 {text.rate(policy.tier_ratio)}，按 {text.rate(policy.tier_high_share)} 缴纳",
        )
    else:
        share, tier = (
            policy.tier_low_share,
            f"安排比例低于 {text.rate(policy.tier_ratio)}，按 {text.rate(policy.tier_low_share)} 缴纳",
        )
    amount = int((shortfall * wage_used * share).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return Breakdown(
        staff=staff,
        disabled=disabled,
        required=required,
        shortfall=shortfall,
        wage_fen=int(avg_wage_fen),
        wage_cap_fen=cap,
        wage_used_fen=wage_used,
        ratio=ratio,
        exempt=exempt,
        share=share,
        tier=tier,
        amount_fen=amount,
    )


def levy_due_fen(policy: Policy, *, staff: int, disabled_staff: Decimal | int, avg_wage_fen: int) -> int:
    """(staff × quota − disabled) × min(wage, cap × local wage) × the tier's share; 0 if exempt."""
    return explain(policy, staff=staff, disabled_staff=disabled_staff, avg_wage_fen=avg_wage_fen).amount_fen
