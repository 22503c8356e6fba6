from decimal import Decimal

import pytest

from data_layer.levy_rules import Policy, levy_due_fen

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
