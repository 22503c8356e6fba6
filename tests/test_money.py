from decimal import Decimal

import pytest

from data_layer.domain.money import fen_as_yuan, yuan_as_fen, yuan_to_fen


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


def test_fen_as_yuan_is_exact_and_back():
    assert fen_as_yuan(676_000) == Decimal("6760")
    assert fen_as_yuan(123_456) == Decimal("1234.56")
    assert fen_as_yuan(1_005_000.0) == Decimal("10050")  # a float sum of fen
    assert fen_as_yuan(5) == Decimal("0.05")  # no rounding: text.yuan words it
    assert yuan_as_fen(fen_as_yuan(123_456)) == 123_456
    assert yuan_as_fen(0.1 + 0.2) == 30  # a float sum's noise goes
    assert yuan_as_fen(Decimal("-12.5")) == -1250
