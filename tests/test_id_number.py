import pytest

from data_layer.checks.levy import cert_mismatch_clause
from data_layer.domain import id_number

# Published examples: GB 11643-1999's own (…002X), and ones used in the standard's explanations.
VALID = ["11010519491231002X", "440524188001010014", "370323199901116031"]


@pytest.mark.parametrize("number", VALID)
def test_known_valid_numbers(number):
    assert id_number.id_problem(number) is None


@pytest.mark.parametrize(
    ("number", "words"),
    [
        ("110105194912310021", "校验位"),  # check character should be X
        ("11010519491231002", "18 位"),
        ("1101051949123100222", "18 位"),
        ("11010519491331002X", "出生日期"),  # month 13
        ("1101051949123100AX", "数字"),
        ("11010519491231002x", "数字"),  # lower-case x is not normalised here (normalize() does that)
        ("", "18 位"),
    ],
)
def test_invalid_numbers(number, words):
    assert words in id_number.id_problem(number)


def test_normalize_makes_lowercase_x_valid():
    assert id_number.id_problem(id_number.normalize(" 11010519491231002x ")) is None


@pytest.mark.parametrize(
    ("cert", "category", "grade", "words"),
    [
        ("11010519491231002X42", 4, 2, None),
        ("11010519491231002X42", None, None, None),
        ("11010519491231002X4", 4, 2, "20 位"),
        ("44052418800101001442", 4, 2, "前 18 位"),  # another person's number
        ("11010519491231002X82", None, None, "类别"),  # category 8 does not exist
        ("11010519491231002X45", None, None, "等级"),  # grade 5 does not exist
        ("11010519491231002X42", 5, 2, "类别"),
        ("11010519491231002X42", 4, 3, "等级"),
    ],
)
def test_certificate_numbers(cert, category, grade, words):
    problem = id_number.cert_problem(cert, "11010519491231002X", category, grade)
    assert problem is None if words is None else words in problem


def test_masking_keeps_only_region_and_last_four():
    assert id_number.mask("370323199901116031") == "370323********6031"
    assert id_number.mask("370323199901116031" + "42") == "370323**********3142"
    assert id_number.mask_name("演示职工") == "演***"
    assert id_number.mask("") == "" and id_number.mask_name("") == ""


def test_the_sql_form_of_the_certificate_rule_agrees_with_the_rule(reference_url):
    """The data-quality check reads only the lines ``cert_mismatch_clause`` selects; it must select exactly
    the ones ``cert_problem`` finds a problem with, on both engines."""
    from sqlalchemy import literal, select

    from data_layer.infra.db import get_engine

    number = id_number.make("37032319900101123")
    cases = [
        (number + "74", 7, 4),  # right
        (number + "73", 7, 4),  # grade digit differs
        (number + "64", 7, 4),  # category digit differs
        (number[:-1] + "0" + "74", 7, 4) if number[-1] != "0" else (number[:-1] + "1" + "74", 7, 4),
        (number + "7", 7, 4),  # too short
        (number + "84", 8, 4),  # no such category
        (number + "75", 7, 5),  # no such grade
    ]
    with get_engine(reference_url).connect() as conn:
        for cert, category, grade in cases:
            clause = cert_mismatch_clause(literal(cert), literal(number), literal(category), literal(grade))
            flagged = bool(conn.execute(select(clause)).scalar())
            assert flagged == (id_number.cert_problem(cert, number, category, grade) is not None), cert
