"""The hard rules of the levy's records (services/levy_collection.py, levy_reviews.py, levy.py) and of a project
item's plan, called directly with one row per case — (values, the fields refused) — with the rows on each
boundary (due on the day assessed, paying exactly what is owed, 1 and 12 months, a date equal to the one before
it); and the small pure steps of data_layer/domain the services lean on, row by row."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from data_layer.domain import credit_code, errors, id_number, inputs, limits, links, money, roles, text
from data_layer.domain.errors import Checks, ValidationFailed
from data_layer.domain.levy_rules import Policy, explain
from data_layer.domain.levy_words import BY_PEOPLE, BY_WEIGHT, read_calculator, why_steps
from data_layer.domain.scope import planned_elapsed
from data_layer.domain.typed_inputs import checked_fields, clean_text
from data_layer.models import Employer, ProgressEntry
from data_layer.services import _core, levy, levy_collection, levy_reviews, projects
from tests.conftest import person

D = date
TODAY = D(2026, 11, 28)

# --- assessments and payments ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "refused"),
    [
        ({"assessed_on": D(2023, 10, 1), "due_on": D(2023, 12, 31), "amount_fen": 1}, set()),
        ({"assessed_on": D(2023, 10, 1), "due_on": D(2023, 10, 1), "amount_fen": 100}, set()),  # due the same day
        ({"assessed_on": D(2023, 10, 1), "due_on": D(2023, 9, 30), "amount_fen": 100}, {"due_on"}),
        ({"assessed_on": D(2023, 10, 1), "due_on": D(2023, 12, 31), "amount_fen": 0}, {"amount_fen"}),
        ({"assessed_on": D(2023, 10, 1), "due_on": D(2023, 12, 31), "amount_fen": -5}, {"amount_fen"}),
        ({"assessed_on": D(2023, 10, 1), "due_on": D(2023, 12, 31), "amount_fen": 1.5}, {"amount_fen"}),
        ({"due_on": D(2023, 12, 31), "amount_fen": 100}, {"assessed_on"}),
        ({"assessed_on": D(2023, 10, 1), "amount_fen": 100}, {"due_on"}),
        ({}, {"assessed_on", "due_on", "amount_fen"}),
    ],
)
def test_assessment_errors(values, refused):
    assert set(levy_collection.assessment_errors(values)) == refused


ASSESSMENT = {"assessed_on": D(2023, 10, 1), "amount_fen": 100_000}


@pytest.mark.parametrize(
    ("values", "paid_before", "refused"),
    [
        ({"paid_on": D(2023, 10, 1), "amount_fen": 100_000}, 0, set()),  # all of it, on the day assessed
        ({"paid_on": D(2023, 11, 1), "amount_fen": 40_000}, 60_000, set()),  # exactly what is still owed
        ({"paid_on": D(2023, 11, 1), "amount_fen": 40_001}, 60_000, {"amount_fen"}),  # a fen more
        ({"paid_on": D(2023, 11, 1), "amount_fen": 1}, 100_000, {"amount_fen"}),  # nothing owed
        ({"paid_on": D(2023, 9, 30), "amount_fen": 100}, 0, {"paid_on"}),  # before the assessment
        ({"paid_on": TODAY, "amount_fen": 100}, 0, set()),  # today
        ({"paid_on": D(2026, 11, 29), "amount_fen": 100}, 0, {"paid_on"}),  # tomorrow
        ({"paid_on": D(2023, 11, 1), "amount_fen": 0}, 0, {"amount_fen"}),
        ({"amount_fen": 100}, 0, {"paid_on"}),
        ({}, 0, {"paid_on", "amount_fen"}),
    ],
)
def test_payment_errors(values, paid_before, refused):
    assert set(levy_collection.payment_errors(values, ASSESSMENT, paid_before, TODAY)) == refused


def test_payment_errors_name_what_is_owed_and_read_a_row_too():
    class Row:
        assessed_on, amount_fen = D(2023, 10, 1), 100_000

    found = levy_collection.payment_errors({"paid_on": D(2023, 11, 1), "amount_fen": 50_000}, Row(), 60_000, TODAY)
    assert found == {"amount_fen": "超过尚欠金额：应缴 1,000.00 元，尚欠 400.00 元"}


# --- reviews and roster lines ----------------------------------------------------------------------------------

DECLARED = {
    "status": "declared",
    "notified_on": D(2023, 6, 1),
    "declared_on": D(2023, 6, 10),
    "staff": 100,
    "avg_wage_fen": 6_000_000,
    "disabled_staff": 2,
}


@pytest.mark.parametrize(
    ("changes", "refused"),
    [
        ({}, set()),
        ({"status": "notified", "declared_on": None, "staff": None}, set()),  # a notice needs no figures
        ({"status": "unknown"}, {"status"}),
        ({"notified_on": D(2026, 11, 29), "status": "notified"}, {"notified_on"}),  # in the future
        ({"declared_on": D(2023, 6, 1)}, set()),  # declared the day notified
        ({"declared_on": D(2023, 5, 31)}, {"declared_on"}),
        ({"declared_on": None}, {"declared_on"}),
        ({"disabled_staff": 100}, set()),  # as many as the staff
        ({"disabled_staff": 101}, {"disabled_staff"}),
        ({"staff": -1}, {"staff"}),
        ({"staff": None}, {"staff"}),
        ({"avg_wage_fen": -1}, {"avg_wage_fen"}),
        ({"status": "approved", "reviewed_on": D(2023, 6, 10)}, set()),  # approved the day declared
        ({"status": "approved", "reviewed_on": D(2023, 6, 9)}, {"reviewed_on"}),
        ({"status": "approved", "reviewed_on": None}, {"reviewed_on"}),
        ({"status": "returned", "reviewed_on": D(2023, 6, 20), "return_reason": "缺材料"}, set()),
        ({"status": "returned", "reviewed_on": D(2023, 6, 20), "return_reason": "  "}, {"reason"}),
        ({"status": "returned", "reviewed_on": D(2023, 6, 20), "return_reason": "因" * 201}, {"reason"}),
    ],
)
def test_review_errors(changes, refused):
    assert set(levy_reviews.review_errors(DECLARED | changes, TODAY)) == refused


NUMBER = id_number.make("37032319800101001")


def line(**changes) -> dict:
    values = {
        "name": "张三",
        "id_number": NUMBER,
        "cert_number": f"{NUMBER}43",
        "category": 4,
        "grade": 3,
        "months": 12,
    }
    return values | changes


@pytest.mark.parametrize(
    ("values", "refused"),
    [
        (line(), set()),
        (line(months=1), set()),
        (line(months=0), {"months"}),
        (line(months=13), {"months"}),
        (line(months=True), {"months"}),  # a tick is no number of months
        (line(months=6.0), {"months"}),
        (line(name=""), {"name"}),
        (line(name="张" * 41), {"name"}),
        (line(id_number=NUMBER[:-1] + ("0" if NUMBER[-1] != "0" else "1")), {"id_number"}),  # a wrong check char
        (line(id_number=NUMBER.lower()), set()),  # read as meant
        (line(category=8), {"category"}),  # the certificate is then not checked against it
        (line(grade=5), {"grade"}),
        (line(cert_number=f"{NUMBER}42"), {"cert_number"}),  # the grade digit is not the grade
        (line(cert_number=f"{NUMBER}33"), {"cert_number"}),  # the category digit is not the category
        (line(cert_number=""), {"cert_number"}),
    ],
)
def test_roster_errors(values, refused):
    assert set(levy_reviews.roster_errors(values)) == refused


# --- inspections -----------------------------------------------------------------------------------------------

INSPECTION = {"employer_id": 1, "inspected_on": D(2023, 5, 2), "mode": "onsite", "result": "meets"}


@pytest.mark.parametrize(
    ("changes", "refused"),
    [
        ({}, set()),
        ({"employer_id": 2}, {"employer_id"}),  # not an employer
        ({"inspected_on": TODAY}, set()),
        ({"inspected_on": D(2026, 11, 29)}, {"inspected_on"}),
        ({"inspected_on": None}, {"inspected_on"}),
        ({"mode": "phone"}, {"mode"}),
        ({"result": "great"}, {"result"}),
        ({"result": "below"}, {"follow_up_due"}),  # below the quota: a follow-up date is needed
        ({"result": "undeclared", "follow_up_due": D(2023, 5, 2)}, set()),  # due the day inspected
        ({"result": "below", "follow_up_due": D(2023, 5, 1)}, {"follow_up_due"}),
        ({"finding": "查" * 200, "inspectors": "人" * 60}, set()),
        ({"finding": "查" * 201}, {"finding"}),
        ({"inspectors": "人" * 61}, {"inspectors"}),
        ({"closed_on": D(2023, 5, 2)}, set()),
        ({"closed_on": D(2023, 5, 1)}, {"closed_on"}),
    ],
)
def test_inspection_errors(changes, refused):
    # the employers that exist are given, and no campaign named: the rules need no store
    assert set(levy.inspection_errors(None, INSPECTION | changes, TODAY, employers={1})) == refused


@pytest.mark.parametrize(
    ("closed_on", "refused"),
    [
        (D(2023, 5, 2), None),  # the day inspected
        (TODAY, None),
        (D(2023, 5, 1), "办结日期不能早于检查日期"),
        (D(2026, 11, 29), "办结日期不能晚于今天"),
        (None, "请填写办结日期"),
        ("2023-05-03", "请填写办结日期"),  # text, not a date
    ],
)
def test_closing_errors(closed_on, refused):
    found = levy.closing_errors(D(2023, 5, 2), closed_on, TODAY)
    assert found == ({} if refused is None else {"closed_on": refused})


@pytest.mark.parametrize(
    ("start", "end", "refused"),
    [
        (None, None, {}),  # the whole year
        (1, 12, {}),
        (7, 7, {}),
        (7, 6, {"plan_end_month": "计划结束月份不能早于开始月份"}),
        (0, 6, {"plan_start_month": "计划实施期应为 1—12 月，开始和结束月份都要选"}),
        (1, 13, {"plan_start_month": "计划实施期应为 1—12 月，开始和结束月份都要选"}),
        (3, None, {"plan_start_month": "计划实施期应为 1—12 月，开始和结束月份都要选"}),
        (None, 3, {"plan_start_month": "计划实施期应为 1—12 月，开始和结束月份都要选"}),
    ],
)
def test_check_plan(start, end, refused):
    checks = Checks()
    projects.check_plan(checks, start, end)
    assert checks.errors == refused


# --- the small pure steps ----------------------------------------------------------------------------------------

ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


@pytest.mark.parametrize(
    "first17", ["11010519491231002", "37032319800101001", "44030419991231999", "00000000000000000"]
)
def test_id_check_char(first17):
    by_hand = "10X98765432"[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]
    assert id_number.check_char(first17) == by_hand
    assert id_number.check_char("11010519491231002") == "X"  # the standard's own example


@pytest.mark.parametrize("first17", ["91350100M000100Y4", "91370323MA3C00000", "12100000400000000"])
def test_credit_code_check_char(first17):
    total = sum(CODE_ALPHABET.index(c) * w for c, w in zip(first17, CODE_WEIGHTS, strict=True))
    assert credit_code.check_char(first17) == CODE_ALPHABET[(31 - total % 31) % 31]


@pytest.mark.parametrize(
    ("number", "born"),
    [
        ("11010519491231002X", D(1949, 12, 31)),
        ("110105200002290021", D(2000, 2, 29)),  # a leap day
        ("110105190002290021", None),  # 1900 had none
        ("110105199913010021", None),  # month 13
        ("1101", None),
    ],
)
def test_birth_date(number, born):
    assert id_number.birth_date(number) == born


@pytest.mark.parametrize(
    ("value", "code", "blank"),
    [
        (" 9137 0323 ma3c ", "91370323MA3C", False),
        ("９１３７", "9137", False),  # full-width digits
        ("\u3000ab\u3000", "AB", False),  # full-width spaces
        (None, "", True),
        (float("nan"), "NAN", True),
        ("   ", "", True),
        ("", "", True),
        (0, "", False),  # the number 0 is typed
    ],
)
def test_code_text_and_is_blank(value, code, blank):
    assert inputs.code_text(value) == code
    assert inputs.is_blank(value) is blank


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("1", 1),
        ("2147483648", 2_147_483_648),  # keys are 64-bit (migration 0017)
        ("9223372036854775807", 2**63 - 1),
        ("9223372036854775808", None),
        ("99999999999999999999", None),
        ("0", None),
        ("-1", None),
        ("1.0", None),
        ("１", None),
        ("", None),
        (None, None),
        (5, None),
    ],
)
def test_record_number(typed, number):
    assert links.record_number(typed) == number


def test_record_link_and_label_of():
    assert links.record_link("levy_reviews", 12) == "levy_reviews?record=12"
    assert links.record_link("entry_projects", 3.0) == "entry_projects?record=3"
    assert errors.label_of("warning_note") == "核实说明" and errors.label_of("no_such_field") == "这一项"


@pytest.mark.parametrize(
    ("field", "words"),
    [
        ("amount_fen", "1 亿元"),
        ("budget_fen", "100 亿元"),
        ("standard_fen", "100 万元"),
        ("quantity", "100,000"),
        ("staff", "10,000,000"),
    ],
)
def test_maximum_in_words(field, words):
    assert limits.maximum_in_words(field) == words


def test_latest_year():
    assert limits.latest_year(D(2026, 12, 31)) == 2026 + limits.PLAN_AHEAD_YEARS


@pytest.mark.parametrize(
    ("fen", "yuan"),
    [
        (12345, Decimal("123.45")),
        (12345.5, Decimal("123.46")),
        (0.5, Decimal("0.01")),
        (0.4, Decimal("0.00")),
        (None, None),
        (float("nan"), None),
    ],
)
def test_yuan_number(fen, yuan):
    assert text.yuan_number(fen) == yuan


@pytest.mark.parametrize(
    ("share", "places", "number"),
    [
        (0.5255, 1, Decimal("0.526")),
        (0.5, 1, Decimal("0.500")),
        (1, 0, Decimal("1.00")),
        (0.12345, 2, Decimal("0.1235")),
        (None, 1, None),
    ],
)
def test_share_number(share, places, number):
    assert text.share_number(share, places) == number


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        (1.5, 2, "1.5"),
        (2.0, 2, "2"),
        (1234.567, 2, "1,234.57"),
        (Decimal("0.125"), 2, "0.13"),
        (0.0833, 4, "0.0833"),
        (None, 2, text.NONE),
    ],
)
def test_decimal_text(value, places, shown):
    assert text.decimal_text(value, places) == shown


@pytest.mark.parametrize(
    ("day", "key"), [(D(2023, 5, 1), "2023-05"), (D(2023, 12, 31), "2023-12"), (D(999, 1, 1), "0999-01")]
)
def test_month_key(day, key):
    assert text.month_key(day) == key


@pytest.mark.parametrize(
    ("period_end", "today", "start", "end", "elapsed"),
    [
        (D(2023, 12, 31), D(2023, 6, 30), 7, 12, 0.0),  # before the plan
        (D(2023, 12, 31), D(2023, 7, 1), 7, 12, 1 / 184),
        (D(2023, 12, 31), D(2023, 12, 31), 7, 12, 1.0),
        (D(2023, 6, 30), D(2023, 12, 31), 1, 6, 1.0),  # the plan's last day
        (D(2023, 3, 31), D(2023, 12, 31), 3, 3, 1.0),
        (D(2023, 3, 15), D(2023, 12, 31), 3, 3, 15 / 31),
        (D(2023, 1, 1), D(2023, 12, 31), None, None, 1 / 365),  # no plan: the year's share
        (D(2024, 12, 31), D(2024, 2, 29), None, 6, 60 / 366),  # half a plan is no plan
    ],
)
def test_planned_elapsed(period_end, today, start, end, elapsed):
    assert planned_elapsed(period_end.year, period_end, today, start, end) == pytest.approx(elapsed)


def test_yuan_measure_is_a_float_division():
    assert money.yuan_measure(12345) == 123.45 and money.yuan_measure(1) == 0.01


@pytest.mark.parametrize(
    ("actor", "kwargs", "refused"),
    [
        (None, {"admin": True}, None),  # the store's own bookkeeping
        (person(role="admin"), {"admin": True, "area": "levy", "township_id": 5}, None),
        (person(role="staff"), {"admin": True}, "actor"),
        (person(role="staff", areas=("projects",)), {"area": "projects"}, None),
        (person(role="staff", areas=("projects",)), {"area": "levy"}, "actor"),
        (person(role="leader"), {"area": "projects"}, "actor"),  # 领导 only reads
        (person(role="township", township_id=3), {"township_id": 3}, None),
        (person(role="township", township_id=3), {"township_id": 4}, "township_id"),
        (person(role="township", township_id=3), {"township_id": None}, "township_id"),  # a county-wide record
    ],
)
def test_permitted(actor, kwargs, refused):
    if refused is None:
        assert roles.permitted(actor, **kwargs) is None
    else:
        with pytest.raises(ValidationFailed) as no:
            roles.permitted(actor, **kwargs)
        assert list(no.value.errors) == [refused]


@pytest.mark.parametrize(
    ("value", "cleaned", "refused"),
    [
        ("  张三 ", "张三", False),
        ("e\u0301", "\u00e9", False),  # NFC
        ("张\u200b三", "张\u200b三", True),  # a zero-width space: invisible, refused
        ("a\x07b", "a\x07b", True),
        (5, 5, False),
        ({"a": " x ", "b": [" y "]}, {"a": "x", "b": ["y"]}, False),
    ],
)
def test_clean_text(value, cleaned, refused):
    found: dict[str, str] = {}
    assert clean_text(value, "name", found) == cleaned
    assert bool(found) is refused
    if refused:
        assert "看不见的控制字符" in found["name"]


POLICY = Policy(Decimal("0.015"), 30, Decimal("0.01"), Decimal("0.5"), Decimal("0.9"), Decimal("2"), 8_000_000)


@pytest.mark.parametrize(
    ("staff", "disabled", "wage", "last", "steps"),
    [
        (30, 0, 6_000_000, "免征残保金", 2),
        (200, 3, 6_000_000, "达到安排比例，无需缴纳", 2),
        (200, 0, 6_000_000, "= **162,000.00 元**", 5),  # 3 × 60,000 元 × 90 %
        (100, 0, 30_000_000, "= **216,000.00 元**", 5),  # 1.5 × 160,000 元 (capped at 2 × 80,000) × 90 %
    ],
)
def test_why_steps(staff, disabled, wage, last, steps):
    b = explain(POLICY, staff=staff, disabled_staff=disabled, avg_wage_fen=wage)
    lines = why_steps(b, POLICY)
    assert len(lines) == steps and last in lines[-1]
    assert lines[0].startswith(f"应安排残疾人就业人数 = 在职职工 {staff} 人")
    if steps == 5:
        assert ("按上限" in lines[2]) is (wage > 16_000_000)


# --- the shared writers' checks (services/_core.py) and the typed fields -----------------------------------------


@pytest.mark.parametrize(
    ("value", "refused"),
    [
        ("名", None),
        ("名" * 40, None),
        ("  名  ", None),
        ("名" * 41, "备注不能超过 40 个字"),
        ("", "请填写备注"),
        ("  ", "请填写备注"),
        (None, "请填写备注"),
    ],
)
def test_check_text(value, refused):
    checks = Checks()
    _core.check_text(checks, "note", value, "备注", 40)
    assert checks.errors == ({} if refused is None else {"note": refused})


@pytest.mark.parametrize(
    ("value", "allow_none", "refused"),
    [
        (0, False, None),
        (12, False, None),
        (-1, False, "人数不能为负数"),
        (1.0, False, "人数必须是整数"),
        (True, False, "人数必须是整数"),  # a tick is no count
        ("3", False, "人数必须是整数"),
        (None, False, "请填写人数"),
        (None, True, None),
    ],
)
def test_check_count(value, allow_none, refused):
    checks = Checks()
    _core.check_count(checks, "staff", value, "人数", allow_none=allow_none)
    assert checks.errors == ({} if refused is None else {"staff": refused})


@pytest.mark.parametrize(
    ("actor", "refused"),
    [
        (person("张三"), None),
        (person("名" * 40), None),
        (person("名" * 41), "录入人不能超过 40 个字（现有 41 个字）"),
        (person("  "), "请先登录再保存"),
        ("张三", "请先登录再保存"),  # a name is not an account
        (None, "请先登录再保存"),
    ],
)
def test_check_actor(actor, refused):
    checks = Checks()
    _core.check_actor(checks, actor)
    assert checks.errors == ({} if refused is None else {"actor": refused})


@pytest.mark.parametrize(
    ("warnings", "note", "kept"),
    [({}, "说明", ""), ({"x": "y"}, "  说明 ", "说明"), ({"x": "y"}, "", "已核实"), ({"x": "y"}, None, "已核实")],
)
def test_kept_note(warnings, note, kept):
    assert _core.kept_note(warnings, note) == kept


@pytest.mark.parametrize(
    ("model", "values", "refused"),
    [
        (Employer, {"name": "名" * 80, "staff": 10_000_000}, set()),  # at the limits
        (Employer, {"name": "名" * 81}, {"name"}),
        (Employer, {"staff": 10_000_001}, {"staff"}),
        (Employer, {"staff": -1}, {"staff"}),
        (ProgressEntry, {"quantity": 100_000, "amount_fen": 10_000_000_000}, set()),
        (ProgressEntry, {"amount_fen": 10_000_000_001}, {"amount_fen"}),
        (ProgressEntry, {"entry_date": date(1999, 12, 31)}, {"entry_date"}),  # before the store's first year
        (ProgressEntry, {"entry_date": date(limits.latest_year(date.today()) + 1, 1, 1)}, {"entry_date"}),
    ],
)
def test_value_problems(model, values, refused):
    assert set(_core.value_problems(model, values)) == refused


@pytest.mark.parametrize(
    ("values", "partial", "refused"),
    [
        ({"assessment_id": 1, "paid_on": D(2023, 5, 2), "amount_fen": 100}, False, None),
        ({"amount_fen": 100}, True, None),  # a correction names only what changes
        ({"amount_fen": 100}, False, {"assessment_id", "paid_on"}),
        ({"assessment_id": 1, "paid_on": "2023-05-02", "amount_fen": 100}, False, {"paid_on"}),  # text, not a date
        ({"assessment_id": 1, "paid_on": D(2023, 5, 2), "amount_fen": 1.5}, False, {"amount_fen"}),
        ({"assessment_id": 1, "paid_on": D(2023, 5, 2), "amount_fen": True}, False, {"amount_fen"}),
    ],
)
def test_checked_fields(values, partial, refused):
    from data_layer.services.levy_collection import payment_fields

    if refused is None:
        assert checked_fields(payment_fields, values, partial=partial) == values
    else:
        with pytest.raises(ValidationFailed) as no:
            checked_fields(payment_fields, values, partial=partial)
        assert set(no.value.errors) == refused


@pytest.mark.parametrize(
    ("raw", "way", "read", "refused"),
    [
        (
            {"staff": "200", "avg_wage_fen": "60000", "weighted": "1.5"},
            BY_WEIGHT,
            (200, 6_000_000, Decimal("1.5")),
            None,
        ),
        (
            {"staff": "２００", "avg_wage_fen": "60,000.00", "weighted": ""},
            BY_WEIGHT,
            (200, 6_000_000, Decimal(0)),
            None,
        ),
        (
            {"staff": "200", "avg_wage_fen": "60000", "severe": "1", "other": "2"},
            BY_PEOPLE,
            (200, 6_000_000, Decimal(4)),
            None,
        ),
        (
            {
                "staff": "200",
                "avg_wage_fen": "60000",
                "severe": "1",
                "severe_months": "6",
                "other": "1",
                "other_months": "3",
            },
            BY_PEOPLE,
            (200, 6_000_000, Decimal("1.2500")),  # 2 × 6/12 + 3/12
            None,
        ),
        (
            {"staff": "2", "avg_wage_fen": "1", "weighted": "2"},
            BY_WEIGHT,
            (2, 100, Decimal(2)),
            None,
        ),  # as many as staff
        ({"staff": "2", "avg_wage_fen": "1", "weighted": "2.01"}, BY_WEIGHT, None, {"weighted"}),
        ({"staff": "2", "avg_wage_fen": "1", "severe": "2"}, BY_PEOPLE, None, {"severe"}),  # grade 1–2 count twice
        ({"staff": "", "avg_wage_fen": "1"}, BY_WEIGHT, None, {"staff"}),
        ({"staff": "-1", "avg_wage_fen": "1"}, BY_WEIGHT, None, {"staff"}),
        ({"staff": "1.5", "avg_wage_fen": "x"}, BY_WEIGHT, None, {"staff", "avg_wage_fen"}),
        ({"staff": "10", "avg_wage_fen": "1", "weighted": "-1"}, BY_WEIGHT, None, {"weighted"}),
        ({"staff": "10", "avg_wage_fen": "1", "other": "-1"}, BY_PEOPLE, None, {"other"}),
    ],
)
def test_read_calculator(raw, way, read, refused):
    values, found = read_calculator(raw, way)
    if refused is None:
        assert found == {} and (values["staff"], values["avg_wage_fen"], values["disabled"]) == read
    else:
        assert values is None and set(found) == refused
