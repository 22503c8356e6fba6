import pytest

from data_layer.domain import credit_code


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000600037341L"])  # published examples
def test_known_valid_codes(code):
    assert credit_code.is_valid(code)


@pytest.mark.parametrize(
    "code", ["91350100M000100Y44", "91350100M000100Y4", "9135010OM000100Y43", "", None, "91350100m000100y43"]
)
def test_invalid_codes(code):
    assert not credit_code.is_valid(code)


def test_make_builds_valid_codes():
    code = credit_code.make("91", "370323", "MA3C1234")
    assert len(code) == 18 and credit_code.is_valid(code)
    assert code[8:17] == "MA3C1234" + credit_code.org_check_char("MA3C1234")
