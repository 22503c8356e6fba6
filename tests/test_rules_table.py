"""The soft rules of data_layer/domain/rules.py, the levy's hard rules of data_layer/domain/levy_rules.py and the
pure steps of data_layer/period_locks.py, called directly: one row per case, (input, expected outcome), with the
rows at each boundary (exactly twice, exactly five times, exactly the share, the first and last month…)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from data_layer import period_locks
from data_layer.domain import levy_rules, rules
from data_layer.domain.contexts import (
    ArticleContext,
    AssessmentContext,
    DisbursementContext,
    IndicatorValueContext,
    InspectionContext,
    PaymentContext,
    ProgressContext,
    ReviewContext,
    RosterContext,
)
from data_layer.domain.errors import NeedsConfirmation, ValidationFailed
from data_layer.domain.levy_rules import Policy, RosterLine

D = date

# --- the arithmetic the warnings rest on ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("month_from", "month_to", "months"),
    [
        (D(2023, 1, 1), D(2023, 1, 1), 1),  # one month, both ends included
        (D(2023, 1, 1), D(2023, 12, 1), 12),
        (D(2022, 12, 1), D(2023, 1, 1), 2),  # across the year's end
        (D(2022, 1, 1), D(2023, 12, 1), 24),
        (D(2023, 3, 31), D(2023, 4, 1), 2),  # the day of the month does not matter
        (D(2023, 4, 1), D(2023, 3, 1), 0),  # reversed: nothing covered
    ],
)
def test_months_between(month_from, month_to, months):
    assert rules.months_between(month_from, month_to) == months


@pytest.mark.parametrize(
    ("basis", "month_from", "month_to", "factor"),
    [
        ("month", D(2023, 1, 1), D(2023, 3, 1), 3),
        ("month", D(2023, 5, 1), D(2023, 5, 1), 1),
        ("payment", D(2023, 1, 1), D(2023, 12, 1), 1),  # per payment: the months do not multiply
        ("once", D(2023, 1, 1), D(2023, 6, 1), 1),
    ],
)
def test_standard_factor(basis, month_from, month_to, factor):
    assert rules.standard_factor(basis, month_from, month_to) == factor


@pytest.mark.parametrize(
    ("basis", "recipients", "standard_fen", "months", "expected"),
    [
        ("month", 885, 5_000, 12, 885 * 5_000 * 12),
        ("month", 0, 5_000, 12, 0),
        ("month", 10, 5_000, 1, 50_000),
        ("payment", 10, 5_000, 12, 50_000),  # the months are ignored
    ],
)
def test_expected_amount_fen(basis, recipients, standard_fen, months, expected):
    assert rules.expected_amount_fen(basis, recipients, standard_fen, months) == expected


NAN = float("nan")


@pytest.mark.parametrize(
    ("quantity", "amount_fen", "low", "high", "outside"),
    [
        (10, 100_000, 5_000, 20_000, None),  # 10,000 fen each: inside
        (10, 50_000, 5_000, 20_000, None),  # exactly the low bound
        (10, 200_000, 5_000, 20_000, None),  # exactly the high bound
        (10, 49_990, 5_000, 20_000, 4_999.0),  # just below
        (10, 200_010, 5_000, 20_000, 20_001.0),  # just above
        (0, 100_000, 5_000, 20_000, None),  # no quantity: not measurable
        (10, 0, 5_000, 20_000, None),  # no money: not measurable
        (10, 1, None, 20_000, None),  # no range
        (10, 1, 5_000, None, None),
        (10, 1, NAN, NAN, None),  # a range read as NaN from a frame
        (3, 10, 1, 3, 10 / 3),  # a fraction of a fen
    ],
)
def test_unit_cost_outside(quantity, amount_fen, low, high, outside):
    assert rules.unit_cost_outside(quantity, amount_fen, low, high) == outside


@pytest.mark.parametrize(
    ("value", "target", "done", "over"),
    [
        (20, 10, 0, False),  # exactly twice the remaining
        (21, 10, 0, True),
        (20.5, 10, 0, True),
        (10, 10, 5, False),  # twice the 5 left
        (11, 10, 5, True),
        (1, 10, 10, True),  # nothing left: anything more is over
        (0, 10, 10, False),  # nothing, nothing left
        (1, 10, 15, True),  # done beyond the target: remaining counts as 0, not negative
        (1_000, 0, 0, False),  # no target: never over
        (1_000, None, 0, False),
    ],
)
def test_over_twice_remaining(value, target, done, over):
    assert rules.over_twice_remaining(value, target, done) is over


@pytest.mark.parametrize(
    ("previous", "current", "share", "jumped"),
    [
        (100, 120, 0.2, False),  # exactly the share
        (100, 121, 0.2, True),
        (100, 80, 0.2, False),  # down by exactly the share
        (100, 79, 0.2, True),  # down by more
        (100, 100, 0.0, False),
        (100, 101, 0.0, True),
        (0, 1_000, 0.2, False),  # nothing before: nothing to compare with
    ],
)
def test_roll_jumped(previous, current, share, jumped):
    assert rules.roll_jumped(previous, current, share) is jumped


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        ((D(2023, 1, 1), D(2023, 3, 1)), (D(2023, 3, 1), D(2023, 5, 1)), True),  # share the last month
        ((D(2023, 1, 1), D(2023, 3, 1)), (D(2023, 4, 1), D(2023, 6, 1)), False),  # one after the other
        ((D(2023, 4, 1), D(2023, 6, 1)), (D(2023, 1, 1), D(2023, 3, 1)), False),
        ((D(2023, 1, 1), D(2023, 12, 1)), (D(2023, 6, 1), D(2023, 6, 1)), True),  # one inside the other
        ((D(2023, 6, 1), D(2023, 6, 1)), (D(2023, 6, 1), D(2023, 6, 1)), True),  # the same month
    ],
)
def test_months_overlap(a, b, overlap):
    assert rules.months_overlap(*a, *b) is overlap
    assert rules.months_overlap(*b, *a) is overlap  # symmetric


@pytest.mark.parametrize(
    ("value", "last", "factor", "above"),
    [
        (500, 100, 5, False),  # exactly five times
        (501, 100, 5, True),
        (10, 0, 5, False),  # nothing last year: nothing to compare with
        (10, -1, 5, False),
        (301, 100, 3, True),
        (300, 100, 3, False),
    ],
)
def test_far_above(value, last, factor, above):
    assert rules.far_above(value, last, factor) is above


def test_far_above_uses_the_outlier_factor_by_default():
    assert rules.OUTLIER_FACTOR == 5
    assert not rules.far_above(500, 100) and rules.far_above(501, 100)


# --- the warnings each kind of record gives -------------------------------------------------------------------

PROGRESS = ProgressContext(
    id=1,
    item_id=1,
    township_id=3,
    entry_date=D(2023, 5, 2),
    quantity=10,
    amount_fen=100_000,
    warning_note="",
    year=2023,
    item="辅助器具适配",
    unit="件",
    measure="count",
    township="鲁村镇",
    cost_min_fen=5_000,
    cost_max_fen=20_000,
    records_money=True,
    value=10,
    target=100,
    township_target=True,
    done_before=0,
    repeat_of=None,
    repeat_date=None,
)


@pytest.mark.parametrize(
    ("changes", "keys"),
    [
        ({}, set()),
        ({"amount_fen": 49_990}, {"unit_cost"}),
        ({"amount_fen": 50_000}, set()),  # the low bound itself
        ({"quantity": 0, "amount_fen": 0, "value": 0}, {"empty"}),
        ({"amount_fen": 0}, {"no_amount"}),  # a count with money recorded, but no money
        ({"amount_fen": 0, "records_money": False}, set()),  # an item that records no money
        ({"amount_fen": 0, "measure": "money"}, set()),
        ({"value": 200, "quantity": 200, "amount_fen": 2_000_000}, set()),  # exactly twice the 100 left
        ({"value": 201, "quantity": 201, "amount_fen": 2_010_000}, {"over_target"}),
        ({"done_before": 95}, set()),  # 10 = 2 × 5 left
        ({"done_before": 96}, {"over_target"}),  # 10 > 2 × 4
        ({"target": 0}, set()),
        ({"repeat_of": 7, "repeat_date": D(2023, 4, 30)}, {"repeat"}),
        ({"amount_fen": 0, "repeat_of": 7, "repeat_date": D(2023, 4, 30)}, {"no_amount", "repeat"}),
    ],
)
def test_progress_warnings(changes, keys):
    assert set(rules.progress_warnings(replace(PROGRESS, **changes))) == keys


def test_progress_warnings_words():
    over = rules.progress_warnings(replace(PROGRESS, done_before=96))["over_target"]
    assert over == "本次 10 件 超过该乡镇剩余目标 4 件 的两倍（目标 100，此前已完成 96）"
    county = rules.progress_warnings(replace(PROGRESS, done_before=96, township_target=False))["over_target"]
    assert "超过全县剩余目标" in county
    cost = rules.progress_warnings(replace(PROGRESS, amount_fen=300_000))["unit_cost"]
    assert cost == "单价 300.00 元/件 超出合理范围 50–200 元"
    repeat = rules.progress_warnings(replace(PROGRESS, repeat_of=7, repeat_date=D(2023, 4, 30)))["repeat"]
    assert repeat.startswith("7 天内已有一条相同的记录（2023年4月30日，编号 7）")


DISBURSEMENT = DisbursementContext(
    id=1,
    type_id=1,
    county_id=1,
    township_id=3,
    month_from=D(2023, 1, 1),
    month_to=D(2023, 3, 1),
    recipients=100,
    standard_fen=5_000,
    amount_fen=1_500_000,  # 100 × 50 元 × 3 months
    paid_date=D(2023, 4, 5),
    warning_note="",
    type="困难残疾人生活补贴",
    unit="人",
    payment="monthly",
    basis="month",
    township="鲁村镇",
    standard_in_force_fen=5_000,
    overlap_of=None,
    overlap_from=None,
    overlap_to=None,
    previous_recipients=100,
    previous_month=D(2022, 12, 1),
    jump_share=0.2,
)


@pytest.mark.parametrize(
    ("changes", "keys"),
    [
        ({}, set()),
        ({"amount_fen": 1_499_999}, {"amount"}),
        ({"amount_fen": 500_000}, {"amount"}),  # one month's worth for three
        ({"basis": "payment", "amount_fen": 500_000}, set()),  # per payment: × 1
        ({"basis": "payment"}, {"amount"}),
        ({"standard_in_force_fen": 6_000}, {"standard"}),
        ({"standard_in_force_fen": None}, set()),  # no standard in force: nothing to compare with
        ({"overlap_of": 9, "overlap_from": D(2023, 3, 1), "overlap_to": D(2023, 5, 1)}, {"duplicate"}),
        ({"recipients": 120, "amount_fen": 1_800_000}, set()),  # exactly 20 % more
        ({"recipients": 121, "amount_fen": 1_815_000}, {"jump"}),
        ({"recipients": 79, "amount_fen": 1_185_000}, {"jump"}),
        ({"recipients": 121, "amount_fen": 1_815_000, "payment": "once"}, set()),  # only a monthly roll jumps
        ({"recipients": 121, "amount_fen": 1_815_000, "previous_recipients": None}, set()),  # no earlier roll
        ({"recipients": 121, "amount_fen": 1}, {"amount", "jump"}),
    ],
)
def test_disbursement_warnings(changes, keys):
    assert set(rules.disbursement_warnings(replace(DISBURSEMENT, **changes))) == keys


def test_disbursement_warnings_words():
    w = rules.disbursement_warnings(replace(DISBURSEMENT, amount_fen=1_000_000, standard_in_force_fen=6_000))
    assert w["amount"] == "金额 10,000.00 元不等于 100 × 50.00 元 × 3 个月 = 15,000.00 元，请说明原因"
    assert w["standard"] == "标准 50.00 元与发放日（2023年4月5日）有效的标准 60.00 元不同"
    per_payment = rules.disbursement_warnings(replace(DISBURSEMENT, basis="payment"))["amount"]
    assert "个月" not in per_payment and "= 5,000.00 元" in per_payment
    jump = rules.disbursement_warnings(replace(DISBURSEMENT, recipients=121, amount_fen=1_815_000))["jump"]
    assert jump == "人（户）数 121 比上次（2022年12月 100）变化超过 20%"


ARTICLE = ArticleContext(
    id=1,
    outlet_id=1,
    township_id=None,
    title="标题",
    link="https://example.org/a",
    kind="news",
    published_on=D(2023, 5, 2),
    warning_note="",
    outlet="沂源新闻",
    township=None,
    first_used_on=D(2023, 5, 2),
    same_title_of=None,
    same_link_of=None,
)


@pytest.mark.parametrize(
    ("changes", "keys"),
    [
        ({}, set()),  # published on the outlet's first day of use
        ({"published_on": D(2023, 5, 1)}, {"before_first_use"}),
        ({"first_used_on": None, "published_on": D(2000, 1, 1)}, set()),
        ({"same_title_of": 4}, {"title"}),
        ({"same_link_of": 5}, {"link"}),
        ({"same_title_of": 4, "same_link_of": 4, "published_on": D(2023, 1, 1)}, {"title", "link", "before_first_use"}),
    ],
)
def test_article_warnings(changes, keys):
    assert set(rules.article_warnings(replace(ARTICLE, **changes))) == keys


INDICATOR = IndicatorValueContext(
    id=1,
    indicator_id=1,
    county_id=1,
    township_id=None,
    period_start=D(2023, 1, 1),
    period_end=D(2023, 6, 30),
    value=500,
    warning_note="",
    indicator="新增就业",
    unit="人",
    category="就业",
    township=None,
    overlap_of=None,
    overlap_start=None,
    overlap_end=None,
    overlap_value=None,
    last_value=100,
    last_count=1,
)


@pytest.mark.parametrize(
    ("changes", "keys"),
    [
        ({}, set()),  # exactly five times last year's
        ({"value": 501}, {"outlier"}),
        ({"value": 501, "last_value": 0, "last_count": 0}, set()),
        (
            {"overlap_of": 3, "overlap_start": D(2023, 6, 1), "overlap_end": D(2023, 12, 31), "overlap_value": 7},
            {"repeat"},
        ),
    ],
)
def test_indicator_warnings(changes, keys):
    assert set(rules.indicator_warnings(replace(INDICATOR, **changes))) == keys


def test_indicator_warnings_name_the_unit_or_the_county():
    outlier = rules.indicator_warnings(replace(INDICATOR, value=501))["outlier"]
    assert outlier.startswith("数值 501 人 超过县本级去年同期的 5 倍（去年同期 100 人）")
    repeat = rules.indicator_warnings(
        replace(
            INDICATOR,
            township="鲁村镇",
            overlap_of=3,
            overlap_start=D(2023, 1, 1),
            overlap_end=D(2023, 3, 31),
            overlap_value=7,
        )
    )["repeat"]
    assert repeat.startswith("鲁村镇“新增就业”2023年1月1日至3月31日已有数值 7 人（编号 3）")


INSPECTION = InspectionContext(
    id=2,
    employer_id=1,
    employer="某公司",
    campaign="日常检查",
    inspected_on=D(2023, 5, 2),
    mode="onsite",
    result="ok",
    warning_note="",
    repeat_of=None,
)
PAYMENT = PaymentContext(
    id=2,
    assessment_id=1,
    employer="某公司",
    year=2023,
    paid_on=D(2023, 5, 2),
    amount_fen=12_345,
    warning_note="",
    repeat_of=None,
)


@pytest.mark.parametrize(
    ("rule", "context", "expected"),
    [
        (rules.inspection_warnings, INSPECTION, {}),
        (
            rules.inspection_warnings,
            replace(INSPECTION, repeat_of=1),
            {"inspected_on": "某公司 在 2023年5月2日 已有一条日常检查的检查记录（编号 1），请确认不是重复录入"},
        ),
        (rules.payment_warnings, PAYMENT, {}),
        (
            rules.payment_warnings,
            replace(PAYMENT, repeat_of=1),
            {"amount_fen": "某公司 在 2023年5月2日 已登记一笔 123.45 元 的缴款（编号 1），请确认不是重复登记"},
        ),
    ],
)
def test_repeat_warnings(rule, context, expected):
    assert rule(context) == expected


REVIEW = ReviewContext(
    id=1, employer="某公司", year=2023, status="approved", disabled_staff=2, roster_people=0, warning_note=""
)


@pytest.mark.parametrize(
    ("changes", "warned"),
    [
        ({}, True),  # approved, two declared, nobody on the roster
        ({"roster_people": 1}, False),
        ({"disabled_staff": 0}, False),
        ({"disabled_staff": None}, False),
        ({"status": "declared"}, False),  # only an approval counts the roster
        ({"status": "returned"}, False),
        ({"status": "notified"}, False),
    ],
)
def test_review_warnings(changes, warned):
    found = rules.review_warnings(replace(REVIEW, **changes))
    assert found == ({"roster": "申报残疾职工 2 人，但名册为空：审核通过后按名册计 0 人，请核实"} if warned else {})


ROSTER = RosterContext(
    id=1, review_id=1, employer="某公司", year=2023, name="张三", id_number="x", warning_note="", elsewhere=None
)


@pytest.mark.parametrize(
    ("elsewhere", "expected"),
    [
        (None, {}),
        ("另一公司", {"id_number": "此人已在“另一公司”2023 年的名册中：一人只能在一家单位计入"}),
    ],
)
def test_roster_warnings(elsewhere, expected):
    assert rules.roster_warnings(replace(ROSTER, elsewhere=elsewhere)) == expected


@pytest.mark.parametrize(
    ("amount_fen", "computed_fen", "warned"),
    [
        (100_000, 100_000, False),
        (100_000, None, False),  # nothing to compute from
        (100_000, 100_001, True),  # one fen apart
        (0, 1, True),
        (100_000, 0, True),
    ],
)
def test_assessment_warnings(amount_fen, computed_fen, warned):
    c = AssessmentContext(
        id=1, employer="某公司", year=2023, amount_fen=amount_fen, computed_fen=computed_fen, warning_note=""
    )
    found = rules.assessment_warnings(c)
    assert bool(found) is warned
    if warned:
        assert found["amount_fen"].startswith(f"核定金额为 {rules.text.yuan(amount_fen)}，按核定依据计算应为 ")


# --- the levy's hard rules -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "counts", "weight"),
    [
        (RosterLine(3, 12, True, True), True, Decimal(1)),
        (RosterLine(4, 12, True, True), True, Decimal(1)),
        (RosterLine(1, 12, True, True), True, Decimal(2)),  # grade 1 and 2 count as two
        (RosterLine(2, 12, True, True), True, Decimal(2)),
        (RosterLine(2, 6, True, True), True, Decimal(1)),
        (RosterLine(3, 6, True, True), True, Decimal("0.5")),
        (RosterLine(3, 1, True, True), True, Decimal(1) / 12),
        (RosterLine(3, 0, True, True), True, Decimal(0)),
        (RosterLine(1, 12, False, True), False, Decimal(0)),  # no contract of a year or more
        (RosterLine(1, 12, True, False), False, Decimal(0)),  # no social insurance
        (RosterLine(3, 12, False, False), False, Decimal(0)),
    ],
)
def test_roster_line_counts_and_weight(line, counts, weight):
    assert levy_rules.counts(line) is counts
    assert levy_rules.weight(line) == weight


@pytest.mark.parametrize(
    ("lines", "weighted"),
    [
        ([], Decimal("0.0000")),
        ([(3, 12, True, True), (1, 12, True, True)], Decimal("3.0000")),
        ([(3, 1, True, True)], Decimal("0.0833")),  # 1/12, to four places
        ([(3, 1, True, True)] * 2, Decimal("0.1667")),  # 2/12 rounded half up once, not 0.0833 × 2
        ([(3, 11, True, True), (2, 12, False, True)], Decimal("0.9167")),
    ],
)
def test_weighted_disabled(lines, weighted):
    assert levy_rules.weighted_disabled(RosterLine(*line) for line in lines) == weighted


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
    ("staff", "disabled", "wage_fen", "amount_fen", "exempt", "share"),
    [
        (0, 0, 6_000_000, 0, True, 0),  # no staff
        (30, 0, 6_000_000, 0, True, 0),  # the exemption line itself
        (31, 0, 6_000_000, 2_511_000, False, Decimal("0.9")),  # one over: 0.465 × 60,000 元 × 90 %
        (200, Decimal("1.9999"), 6_000_000, 5_400_540, False, Decimal("0.9")),  # just below 1 %
        (200, 2, 6_000_000, 3_000_000, False, Decimal("0.5")),  # exactly 1 %
        (200, 3, 6_000_000, 0, False, 0),  # exactly the quota
        (200, 4, 6_000_000, 0, False, 0),  # above it: no negative levy
        (100, 0, 16_000_000, 21_600_000, False, Decimal("0.9")),  # exactly the wage cap
        (100, 0, 16_000_001, 21_600_000, False, Decimal("0.9")),  # over it: capped
        (100, 0, 1, 1, False, Decimal("0.9")),  # 1.35 fen rounds half up to 1
    ],
)
def test_levy_due_boundaries(staff, disabled, wage_fen, amount_fen, exempt, share):
    b = levy_rules.explain(POLICY, staff=staff, disabled_staff=disabled, avg_wage_fen=wage_fen)
    assert (b.amount_fen, b.exempt, b.share) == (amount_fen, exempt, share)
    assert levy_rules.levy_due_fen(POLICY, staff=staff, disabled_staff=disabled, avg_wage_fen=wage_fen) == amount_fen
    assert b.shortfall == max(staff * POLICY.quota_ratio - Decimal(disabled), 0)
    assert b.meets_quota is (not exempt and b.shortfall == 0)


# --- period locks: the pure steps ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "first", "name"),
    [
        (D(2023, 3, 1), D(2023, 3, 1), "2023年3月"),
        (D(2023, 3, 31), D(2023, 3, 1), "2023年3月"),
        (D(2024, 2, 29), D(2024, 2, 1), "2024年2月"),
        (D(2023, 12, 31), D(2023, 12, 1), "2023年12月"),
    ],
)
def test_first_of_and_month_name(day, first, name):
    assert period_locks.first_of(day) == first
    assert period_locks.month_name(day) == name


LOCKED = {"locked": "2023年5月已结账：……"}


@pytest.mark.parametrize(
    ("warnings", "confirm", "reason", "outcome"),
    [
        ({}, False, "", None),  # an open month needs nothing
        ({"other": "x"}, False, "", None),  # only the lock asks for a reason
        (LOCKED, False, "上报后发现错录", NeedsConfirmation),  # not confirmed yet: asked
        (LOCKED, True, "", period_locks.REASON_NEEDED),
        (LOCKED, True, "   ", period_locks.REASON_NEEDED),  # blanks are no reason
        (LOCKED, True, None, period_locks.REASON_NEEDED),
        (LOCKED, True, "上报后发现错录", None),
        (LOCKED, True, "因" * period_locks.REASON_MAX, None),  # exactly the limit
        (LOCKED, True, " " + "因" * period_locks.REASON_MAX + " ", None),  # blanks around do not count
        (LOCKED, True, "因" * (period_locks.REASON_MAX + 1), f"原因不能超过 {period_locks.REASON_MAX} 字"),
    ],
)
def test_require_reason(warnings, confirm, reason, outcome):
    if outcome is None:
        assert period_locks.require_reason(warnings, confirm, reason) is None
    elif outcome is NeedsConfirmation:
        with pytest.raises(NeedsConfirmation) as asked:
            period_locks.require_reason(warnings, confirm, reason)
        assert asked.value.warnings == warnings
    else:
        with pytest.raises(ValidationFailed) as refused:
            period_locks.require_reason(warnings, confirm, reason)
        assert refused.value.errors == {"warning_note": outcome}
