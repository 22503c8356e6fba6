"""The soft rules, each in one place, and the warnings they give.

A warning is computed from a record's rule context (data_layer/domain/contexts.py, read from the store by
data_layer/queries/*_context.py): the entry services raise it for the user to confirm, and the data-quality
checks list it as a finding, word for word, with the note that confirmed it.
"""

from __future__ import annotations

from datetime import date

from data_layer.domain import text
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

REPEAT_WINDOW_DAYS = 7  # an identical entry within this many days looks like a repeat
OUTLIER_FACTOR = 5  # an indicator value more than this many times last year's same period looks like a typo


def months_between(month_from: date, month_to: date) -> int:
    """How many months ``month_from``..``month_to`` covers, both included."""
    return (month_to.year - month_from.year) * 12 + month_to.month - month_from.month + 1


def standard_factor(basis: str, month_from: date, month_to: date) -> int:
    """What the standard is multiplied by besides the count: the months covered, or 1 per payment."""
    return months_between(month_from, month_to) if basis == "month" else 1


def expected_amount_fen(basis: str, recipients: int, standard_fen: int, months: int) -> int:
    """count × standard × months (or × 1 where the standard is per payment)."""
    return recipients * standard_fen * (months if basis == "month" else 1)


def unit_cost_outside(quantity: int, amount_fen: int, low_fen, high_fen) -> float | None:
    """The unit cost (fen) when it falls outside [low, high]; None when fine or not measurable."""
    if not quantity or not amount_fen or low_fen is None or high_fen is None or low_fen != low_fen:
        return None
    unit_cost = amount_fen / quantity
    return None if low_fen <= unit_cost <= high_fen else unit_cost


def over_twice_remaining(value: float, target: float, done: float) -> bool:
    """More than twice what is left of a (positive) target."""
    return bool(target) and value > 2 * max(target - done, 0)


def roll_jumped(previous: int, current: int, share: float) -> bool:
    """A monthly roll that moved by more than ``share`` of the previous month's."""
    return bool(previous) and abs(current - previous) > share * previous


def progress_warnings(c: ProgressContext) -> dict[str, str]:
    """The soft rules of a progress entry: suspicious but possible."""
    warnings: dict[str, str] = {}
    unit_cost = unit_cost_outside(c.quantity, c.amount_fen, c.cost_min_fen, c.cost_max_fen)
    if unit_cost is not None:
        warnings["unit_cost"] = (
            f"单价 {text.yuan(unit_cost)}/{c.unit} 超出合理范围 "
            f"{text.whole_yuan(c.cost_min_fen, unit=False)}–{text.whole_yuan(c.cost_max_fen)}"
        )
    if c.quantity == 0 and c.amount_fen == 0:
        warnings["empty"] = "数量和金额都是 0：这条记录不计入任何进度，请填写数量或金额，或确认确实要记这一条"
    if c.measure == "count" and c.records_money and c.quantity > 0 and c.amount_fen == 0:
        warnings["no_amount"] = (
            f"有数量（{text.count(c.quantity, c.unit)}）但金额为 0：这一项记录资金，请补填金额，或确认确实没有支出"
        )
    if over_twice_remaining(c.value, c.target, c.done_before):
        where = "该乡镇" if c.township_target else "全县"
        remaining = max(c.target - c.done_before, 0)
        n = text.decimal_text
        warnings["over_target"] = (
            f"本次 {n(c.value)} {c.unit} 超过{where}剩余目标 {n(remaining)} {c.unit} 的两倍"
            f"（目标 {n(c.target)}，此前已完成 {n(c.done_before)}）"
        )
    if c.repeat_of is not None:
        warnings["repeat"] = (
            f"{REPEAT_WINDOW_DAYS} 天内已有一条相同的记录（{text.day(c.repeat_date)}，编号 {c.repeat_of}），"
            "是否重复录入？"
        )
    return warnings


def disbursement_warnings(c: DisbursementContext) -> dict[str, str]:
    """The soft rules of a disbursement: the amount is not count × standard × months, the standard is not
    the one in force, the months repeat, the monthly roll jumps."""
    warnings: dict[str, str] = {}
    factor = standard_factor(c.basis, c.month_from, c.month_to)
    expected = c.recipients * c.standard_fen * factor
    if c.amount_fen != expected:
        formula = f"{text.count(c.recipients)} × {text.yuan(c.standard_fen)}" + (
            f" × {factor} 个月" if c.basis == "month" else ""
        )
        warnings["amount"] = f"金额 {text.yuan(c.amount_fen)}不等于 {formula} = {text.yuan(expected)}，请说明原因"
    if c.standard_in_force_fen is not None and c.standard_fen != c.standard_in_force_fen:
        warnings["standard"] = (
            f"标准 {text.yuan(c.standard_fen)}与发放日（{text.day(c.paid_date)}）有效的标准 "
            f"{text.yuan(c.standard_in_force_fen)}不同"
        )
    if c.overlap_of is not None:
        warnings["duplicate"] = (
            f"同一补贴、同一乡镇的 {text.month_range(c.overlap_from, c.overlap_to)} "
            f"已有发放记录（编号 {c.overlap_of}），是否重复录入？"
        )
    if (
        c.payment == "monthly"
        and c.previous_recipients is not None
        and roll_jumped(c.previous_recipients, c.recipients, c.jump_share)
    ):
        warnings["jump"] = (
            f"人（户）数 {text.count(c.recipients)} 比上次（{text.month(c.previous_month)} "
            f"{text.count(c.previous_recipients)}）变化超过 {text.pct(c.jump_share, 0)}"
        )
    return warnings


def months_overlap(a_from: date, a_to: date, b_from: date, b_to: date) -> bool:
    return a_from <= b_to and a_to >= b_from


def article_warnings(c: ArticleContext) -> dict[str, str]:
    """The soft rules of an article: its title or its link is already recorded, it predates its outlet's first use."""
    warnings: dict[str, str] = {}
    if c.same_title_of is not None:
        warnings["title"] = f"标题相同的稿件已录入（编号 {c.same_title_of}），是否重复录入？"
    if c.same_link_of is not None:
        warnings["link"] = f"链接相同的稿件已录入（编号 {c.same_link_of}），是否重复录入？"
    if c.first_used_on is not None and c.published_on < c.first_used_on:
        warnings["before_first_use"] = (
            f"发表日期 {text.day(c.published_on)} 早于{c.outlet}的首次使用日期 "
            f"{text.day(c.first_used_on)}，请核对日期或媒体"
        )
    return warnings


def far_above(value: int, last_value: int, factor: int = OUTLIER_FACTOR) -> bool:
    """More than ``factor`` times a (positive) value to compare with."""
    return last_value > 0 and value > factor * last_value


def indicator_warnings(c: IndicatorValueContext) -> dict[str, str]:
    """The soft rules of an indicator value: the same indicator and unit already has a value for an overlapping
    period (其他工作 would count both), or it is more than ``OUTLIER_FACTOR`` times last year's same period."""
    warnings: dict[str, str] = {}
    where = c.township or "县本级"
    if c.overlap_of is not None:
        warnings["repeat"] = (
            f"{where}“{c.indicator}”{text.period(c.overlap_start, c.overlap_end)}已有数值 "
            f"{text.count(c.overlap_value, c.unit)}"
            f"（编号 {c.overlap_of}），与本条期间重叠，两条都会计入合计，是否重复录入？"
        )
    if far_above(c.value, c.last_value):
        warnings["outlier"] = (
            f"数值 {text.count(c.value, c.unit)} 超过{where}去年同期的 {OUTLIER_FACTOR} 倍"
            f"（去年同期 {text.count(c.last_value, c.unit)}），请核对是否多打了数字"
        )
    return warnings


def inspection_warnings(c: InspectionContext) -> dict[str, str]:
    """An inspection of an employer on a day when the same campaign already inspected it: most likely entered
    twice (two inspectors, two tabs); kept only once confirmed."""
    if c.repeat_of is None:
        return {}
    return {
        "inspected_on": f"{c.employer} 在 {text.day(c.inspected_on)} 已有一条{c.campaign}的检查记录"
        f"（编号 {c.repeat_of}），请确认不是重复录入"
    }


def payment_warnings(c: PaymentContext) -> dict[str, str]:
    """A payment of the same amount on the same day to the same assessment: most likely entered twice."""
    if c.repeat_of is None:
        return {}
    return {
        "amount_fen": f"{c.employer} 在 {text.day(c.paid_on)} 已登记一笔 {text.yuan(c.amount_fen)} 的缴款"
        f"（编号 {c.repeat_of}），请确认不是重复登记"
    }


def review_warnings(c: ReviewContext) -> dict[str, str]:
    """An approved review that declared disabled employees with an empty roster: assessed as employing none."""
    if c.status != "approved" or not c.disabled_staff or c.roster_people:
        return {}
    return {"roster": f"申报残疾职工 {text.count(c.disabled_staff, '人')}，但名册为空：审核通过后按名册计 0 人，请核实"}


def roster_warnings(c: RosterContext) -> dict[str, str]:
    """One person counts for one employer a year: the same ID number on another employer's roster that year."""
    if c.elsewhere is None:
        return {}
    return {"id_number": f"此人已在“{c.elsewhere}”{c.year} 年的名册中：一人只能在一家单位计入"}


def assessment_warnings(c: AssessmentContext) -> dict[str, str]:
    """An assessment whose amount is not what the levy rules give for the inputs stored with it (a correction)."""
    if c.computed_fen is None or c.computed_fen == c.amount_fen:
        return {}
    return {
        "amount_fen": f"核定金额为 {text.yuan(c.amount_fen)}，按核定依据计算应为 {text.yuan(c.computed_fen)}，"
        "请核实并写明原因"
    }
