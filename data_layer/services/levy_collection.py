"""Levy assessments (核定) from the annual review, payments against them, and what each employer owes.

An assessment is computed by data_layer/levy_rules.py from the review: the staff and wage declared, and the
roster's weighted head count if the review was approved by the year's deadline; an employer not approved by
the deadline counts as employing no disabled people (its declared staff, or the registry's). The inputs are
stored with the amount, so “why this amount” reads the same later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, select

from data_layer import levy_rules, period_locks
from data_layer.errors import Checks, ValidationFailed
from data_layer.levy_rules import Breakdown, Policy, RosterLine
from data_layer.models import AnnualReview, Employer, LevyAssessment, LevyPayment, LevyPolicy, LevyYear, RosterPerson
from data_layer.roles import Actor
from data_layer.services._core import check_actor, permitted, service
from data_layer.services.levy import insert_dated

BASIS_APPROVED = "年审通过"
BASIS_NOT_APPROVED = "未按期通过年审，按未安排残疾人计"


def policy_for(session: Session, year: int) -> Policy | None:
    row = session.get(LevyPolicy, year)
    if row is None:
        return None
    return Policy(
        row.quota_ratio,
        row.exempt_max_staff,
        row.tier_ratio,
        row.tier_high_share,
        row.tier_low_share,
        row.wage_cap_multiple,
        row.local_avg_wage_fen,
    )


def deadline_of(session: Session, county_id: int, year: int) -> date | None:
    row = session.exec(select(LevyYear).where(LevyYear.county_id == county_id, LevyYear.year == year)).first()
    return row.review_deadline if row else None


def counts_roster(review: AnnualReview, deadline: date | None) -> bool:
    """The rule: only a review approved by the deadline counts its disabled employees."""
    if review.status != "approved" or review.reviewed_on is None:
        return False
    return deadline is None or review.reviewed_on <= deadline


def roster_lines(session: Session, review_id: int) -> list[RosterLine]:
    rows = session.exec(select(RosterPerson).where(RosterPerson.review_id == review_id))
    return [RosterLine(p.grade, p.months, p.contract_ok, p.insurance_ok) for p in rows]


@dataclass(frozen=True)
class Planned:
    """One assessment the batch would write."""

    employer_id: int
    employer: str
    review_id: int
    status: str
    basis: str
    breakdown: Breakdown


def basis_of(
    session: Session, review: AnnualReview, employer: Employer, deadline: date | None
) -> tuple[str, int, Decimal, int]:
    """(basis, staff, weighted disabled, wage) the levy of ``review`` is computed from."""
    staff = review.staff if review.staff is not None else employer.staff
    wage = review.avg_wage_fen if review.avg_wage_fen is not None else employer.avg_wage_fen
    if counts_roster(review, deadline):
        return BASIS_APPROVED, staff, levy_rules.weighted_disabled(roster_lines(session, review.id)), wage
    return BASIS_NOT_APPROVED, staff, Decimal(0), wage


def plan_assessments(session: Session, *, county_id: int, year: int, today: date) -> list[Planned]:
    """The dry run: for every review of the year without an assessment, approved ones, and once the deadline
    has passed the ones never approved; only those owing something."""
    policy = policy_for(session, year)
    if policy is None:
        raise ValidationFailed({"year": f"尚未设置 {year} 年的残保金政策参数，请管理员先设置"})
    deadline = deadline_of(session, county_id, year)
    past_deadline = deadline is not None and today > deadline
    assessed = select(LevyAssessment.employer_id).where(LevyAssessment.year == year)
    rows = session.exec(
        select(AnnualReview, Employer)
        .join(Employer, Employer.id == AnnualReview.employer_id)
        .where(AnnualReview.year == year, Employer.county_id == county_id, AnnualReview.employer_id.not_in(assessed))
        .order_by(Employer.id)
    ).all()
    planned = []
    for review, employer in rows:
        if review.status != "approved" and not past_deadline:
            continue
        basis, staff, disabled, wage = basis_of(session, review, employer, deadline)
        breakdown = levy_rules.explain(policy, staff=staff, disabled_staff=disabled, avg_wage_fen=wage)
        if breakdown.amount_fen > 0:
            planned.append(Planned(employer.id, employer.name, review.id, review.status, basis, breakdown))
    return planned


@service(area="levy")
def assess_year(
    *,
    session: Session,
    actor: Actor,
    county_id: int,
    year: int,
    assessed_on: date,
    due_on: date,
    is_demo: bool = False,
    today: date | None = None,
) -> dict[str, int]:
    """Write the batch the dry run showed (computed again inside the transaction): all or none."""
    checks = Checks()
    check_actor(checks, actor)
    checks.require(isinstance(assessed_on, date), "assessed_on", "请填写核定日期")
    if checks.require(isinstance(due_on, date), "due_on", "请填写缴纳期限") and isinstance(assessed_on, date):
        checks.require(due_on >= assessed_on, "due_on", "缴纳期限不能早于核定日期")
    checks.raise_if_any()
    permitted(actor, township_id=None)  # a county-wide batch: not a township officer's
    planned = plan_assessments(session, county_id=county_id, year=year, today=today or date.today())
    if not planned:
        raise ValidationFailed({"year": "没有需要核定的单位"})
    total = 0
    for p in planned:
        b = p.breakdown
        row = LevyAssessment(
            employer_id=p.employer_id,
            year=year,
            assessed_on=assessed_on,
            amount_fen=b.amount_fen,
            review_id=p.review_id,
            due_on=due_on,
            staff=b.staff,
            disabled_weighted=b.disabled,
            avg_wage_fen=b.wage_fen,
            basis=p.basis,
            is_demo=is_demo,
            created_by=actor.name,
        )
        insert_dated(session, row, actor, [assessed_on], None)
        total += b.amount_fen
    return {"count": len(planned), "total_fen": total}


def paid_fen(session: Session, assessment_id: int) -> int:
    stmt = select(func.coalesce(func.sum(LevyPayment.amount_fen), 0)).where(LevyPayment.assessment_id == assessment_id)
    return int(session.exec(stmt).one())


@service(area="levy")
def record_payment(
    *,
    session: Session,
    actor: Actor,
    assessment_id: int,
    paid_on: date,
    amount_fen: int,
    confirm: bool = False,
    reason: str = "",
    is_demo: bool = False,
    today: date | None = None,
) -> int:
    """A payment against an assessment: partial payments add up; more than what is still owed is refused."""
    checks = Checks()
    check_actor(checks, actor)
    assessment = session.get(LevyAssessment, assessment_id) if assessment_id is not None else None
    checks.require(assessment is not None, "assessment_id", "核定记录不存在")
    if checks.require(isinstance(paid_on, date), "paid_on", "请填写缴纳日期"):
        checks.require(paid_on <= (today or date.today()), "paid_on", "缴纳日期不能晚于今天")
        if assessment is not None:
            checks.require(paid_on >= assessment.assessed_on, "paid_on", "缴纳日期不能早于核定日期")
    if checks.require(isinstance(amount_fen, int) and amount_fen > 0, "amount_fen", "缴纳金额应大于 0") and assessment:
        owed = assessment.amount_fen - paid_fen(session, assessment_id)
        checks.require(
            amount_fen <= owed,
            "amount_fen",
            f"超过尚欠金额：应缴 {assessment.amount_fen / 100:,.2f} 元，尚欠 {owed / 100:,.2f} 元",
        )
    checks.raise_if_any()
    permitted(actor, township_id=session.get(Employer, assessment.employer_id).township_id)
    after_closing = period_locks.check_write(session, actor, [paid_on], "paid_on", confirm, reason)
    row = LevyPayment(
        assessment_id=assessment_id, paid_on=paid_on, amount_fen=amount_fen, is_demo=is_demo, created_by=actor.name
    )
    return insert_dated(session, row, actor, [paid_on], reason if after_closing else None)
