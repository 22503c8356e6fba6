from decimal import Decimal

import pytest

from data_layer.domain.levy_rules import Policy, levy_due_fen

POLICY = Policy(
    quota_ratio=Decimal("0.015"),
    exempt_max_staff=30,
    tier_ratio=Decimal("0.01"),
    tier_high_share=Decimal("0.5"),
    tier_low_share=Decimal("0.9"),
    wage_cap_multiple=Decimal("2"),
    local_avg_wage_fen=8_000_000,
)


@pytest.mark.parametrize(
    ("staff", "disabled", "wage_fen", "expected_fen"),
    [
        (30, 0, 6_000_000, 0),  # 30 or fewer staff: exempt
        (200, 3, 6_000_000, 0),  # 200 × 1.5% = 3: at quota
        (200, 0, 6_000_000, round(3 * 6_000_000 * 0.9)),  # below 1%: pays 90%
        (200, 2, 6_000_000, round(1 * 6_000_000 * 0.5)),  # 1% ≤ ratio < 1.5%: pays 50%
        (100, 0, 6_000_000, round(Decimal("1.5") * 6_000_000 * Decimal("0.9"))),  # fractional shortfall
        (100, 0, 30_000_000, round(Decimal("1.5") * 16_000_000 * Decimal("0.9"))),  # wage capped at 2×
    ],
)
def test_levy_due(staff, disabled, wage_fen, expected_fen):
    assert levy_due_fen(POLICY, staff=staff, disabled_staff=disabled, avg_wage_fen=wage_fen) == expected_fen


# --- cases computed by hand: (staff, roster lines (grade, months, contract, insurance), wage 元, amount 元) ---
G3 = (3, 12, True, True)  # one grade-3 employee all year
OLD_POLICY = Policy(  # a year without the relief tiers and with a lower exemption line (a policy row that differs)
    quota_ratio=Decimal("0.015"),
    exempt_max_staff=20,
    tier_ratio=Decimal("0"),
    tier_high_share=Decimal("1"),
    tier_low_share=Decimal("1"),
    wage_cap_multiple=Decimal("3"),
    local_avg_wage_fen=8_000_000,
)


@pytest.mark.parametrize(
    ("policy", "staff", "roster", "wage_yuan", "amount_yuan", "tier"),
    [
        (POLICY, 30, [], 60_000, 0, "免征"),  # 30 staff: exempt
        (POLICY, 31, [], 60_000, 25_110, "90%"),  # 31 × 1.5 % = 0.465; × 60,000 × 90 %
        (POLICY, 200, [G3, G3], 60_000, 30_000, "50%"),  # exactly 1 %: (3 − 2) × 60,000 × 50 %
        (POLICY, 200, [G3, (3, 11, True, True)], 60_000, 58_498.20, "90%"),  # 1.9167 < 2: 1.0833 × 60,000 × 90 %
        (POLICY, 200, [(2, 12, True, True)], 60_000, 30_000, "50%"),  # a grade-2 employee counts as two
        (POLICY, 200, [(1, 6, True, True)], 60_000, 108_000, "90%"),  # grade 1, half a year: 1; (3 − 1) × 60,000 × 90 %
        (POLICY, 200, [(3, 12, True, False)], 60_000, 162_000, "90%"),  # no social insurance: does not count
        (POLICY, 200, [(3, 12, False, True)], 60_000, 162_000, "90%"),  # contract under a year: does not count
        (POLICY, 100, [], 60_000, 81_000, "90%"),  # fractional shortfall 1.5
        (POLICY, 100, [], 300_000, 216_000, "90%"),  # wage capped at 2 × 80,000: 1.5 × 160,000 × 90 %
        (POLICY, 200, [G3, G3, G3], 60_000, 0, "已达到"),  # at quota
        (OLD_POLICY, 25, [], 60_000, 22_500, "100%"),  # 25 > 20: 0.375 × 60,000, no relief
        (OLD_POLICY, 100, [], 300_000, 360_000, "100%"),  # cap 3 × 80,000 = 240,000; 1.5 × 240,000
    ],
)
def test_levy_by_hand(policy, staff, roster, wage_yuan, amount_yuan, tier):
    from data_layer.domain.levy_rules import RosterLine, explain, weighted_disabled

    disabled = weighted_disabled(RosterLine(*line) for line in roster)
    breakdown = explain(policy, staff=staff, disabled_staff=disabled, avg_wage_fen=wage_yuan * 100)
    assert breakdown.amount_fen == round(Decimal(str(amount_yuan)) * 100)
    assert tier in breakdown.tier or (tier == "100%" and breakdown.share == 1)
    assert breakdown.wage_used_fen == min(wage_yuan * 100, int(policy.wage_cap_multiple * policy.local_avg_wage_fen))
    assert breakdown.required == staff * policy.quota_ratio


def test_breakdown_meets_quota_only_when_not_exempt():
    from data_layer.domain.levy_rules import explain

    assert explain(POLICY, staff=200, disabled_staff=3, avg_wage_fen=1).meets_quota
    assert not explain(POLICY, staff=10, disabled_staff=3, avg_wage_fen=1).meets_quota  # exempt, not "meets"
