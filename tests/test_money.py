from decimal import Decimal

import pytest

from data_layer.domain.money import fen_to_wan, fen_to_yuan, yuan_to_fen


@pytest.mark.parametrize(
    ("value", "fen"),
    [(12.5, 1250), ("12.50", 1250), ("1,234.56", 123456), (0, 0), (Decimal("0.01"), 1), ("531000", 53_100_000)],
)
def test_yuan_to_fen(value, fen):
    assert yuan_to_fen(value) == fen


@pytest.mark.parametrize("value", ["abc", "", "1.234", "nan", "inf"])
def test_yuan_to_fen_rejects(value):
    with pytest.raises(ValueError):
        yuan_to_fen(value)


def test_wan_and_yuan():
    assert fen_to_wan(121_576_000) == Decimal("121.58")
    assert fen_to_wan(121_575_000) == Decimal("121.58")  # half-up, as people round
    assert fen_to_yuan(676_000) == Decimal("6760.00")
