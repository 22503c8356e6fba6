"""Levy assessments (核定) from the annual review, payments against them, and what each employer owes.

An assessment is computed by data_layer/levy_rules.py from the review: the staff and wage declared, and the
roster's weighted head count if the review was approved by the year's deadline; an employer not approved by
the deadline counts as employing no disabled people (its declared staff, or the registry's). The inputs are
stored with the amount, so “why this amount” reads the same later.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from data_layer.domain import rules, text
from data_layer.domain.errors import Checks, ValidationFailed
from data_layer.domain.roles import Actor
from data_layer.models import Employer, LevyAssessment, LevyPayment
from data_layer.queries.levy_context import payment_context
from data_layer.queries.levy_plan import (  # noqa: F401 (the services' names for the plan they write)
    BASIS_APPROVED,
    BASIS_NOT_APPROVED,
    Planned,
    basis_of,
    counts_roster,
    deadline_of,
    plan_assessments,
    policy_for,
    roster_lines,
    rosters_of,
)
from data_layer.services._core import RecordType, check_actor, permitted, service
from data_layer.services.levy import insert_dated


def assessment_errors(values: dict) -> dict[str, str]:
    """The hard rules of an assessment (the batch, and the seed's rows): dated, due after it, owing something."""
    checks = Checks()
    assessed_on, due_on = values.get("assessed_on"), values.get("due_on")
    checks.require(isinstance(assessed_on, date), "assessed_on", "请填写核定日期")
    if checks.require(isinstance(due_on, date), "due_on", "请填写缴纳期限") and isinstance(assessed_on, date):
        checks.require(due_on >= assessed_on, "due_on", "缴纳期限不能早于核定日期")
    amount = values.get("amount_fen")
    checks.require(isinstance(amount, int) and amount > 0, "amount_fen", "核定金额应大于 0")
    return checks.errors


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
    checks.errors.update(assessment_errors({"assessed_on": assessed_on, "due_on": due_on, "amount_fen": 1}))
    checks.raise_if_any()
    permitted(actor, township_id=None)  # a county-wide batch: not a township officer's
    planned = plan_assessments(session, county_id=county_id, year=year, today=today or date.today())
    if not planned:
        raise ValidationFailed({"year": "没有需要核定的单位"})
    for p in planned:
        values = assessment_values(p, year=year, assessed_on=assessed_on, due_on=due_on)
        row = LevyAssessment(**values, is_demo=is_demo, created_by=actor.name)
        insert_dated(session, row, actor, [assessed_on], None)
    return {"count": len(planned), "total_fen": sum(p.breakdown.amount_fen for p in planned)}


def assessment_values(p: Planned, *, year: int, assessed_on: date, due_on: date) -> dict:
    """The stored assessment of one planned line: the amount with the inputs it was computed from."""
    b = p.breakdown
    return dict(
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
    )


def paid_fen(session: Session, assessment_id: int) -> int:
    stmt = select(func.coalesce(func.sum(LevyPayment.amount_fen), 0)).where(
        LevyPayment.assessment_id == assessment_id, LevyPayment.deleted_at.is_(None)
    )
    return int(session.exec(stmt).one())


def payment_errors(values: dict, assessment, paid_before: int, today: date | None) -> dict[str, str]:
    """The hard rules of a payment against ``assessment`` (a row, or its values), ``paid_before`` already paid:
    not in the future, not before the assessment, more than 0 and not more than is still owed."""
    checks = Checks()
    get = assessment.get if isinstance(assessment, dict) else lambda name: getattr(assessment, name)
    paid_on, amount_fen = values.get("paid_on"), values.get("amount_fen")
    if checks.require(isinstance(paid_on, date), "paid_on", "请填写缴纳日期"):
        checks.require(paid_on <= (today or date.today()), "paid_on", "缴纳日期不能晚于今天")
        checks.require(paid_on >= get("assessed_on"), "paid_on", "缴纳日期不能早于核定日期")
    if checks.require(isinstance(amount_fen, int) and amount_fen > 0, "amount_fen", "缴纳金额应大于 0"):
        owed = get("amount_fen") - paid_before
        checks.require(
            amount_fen <= owed,
            "amount_fen",
            f"超过尚欠金额：应缴 {text.yuan(get('amount_fen'))}，尚欠 {text.yuan(owed)}",
        )
    return checks.errors


def validate_payment(session: Session, checks: Checks, values: dict, *, today: date, current=None) -> dict:
    """The hard rules of a payment: dated, not before the assessment, more than 0 and no more than is still owed —
    read under the writers' lock (services/_core.one_writer_at_a_time), so payments made at the same moment are
    checked one after the other and never overpay. A correction does not count its own amount as paid."""
    assessment_id = values.get("assessment_id")
    assessment = session.get(LevyAssessment, assessment_id) if assessment_id is not None else None
    if not checks.require(assessment is not None, "assessment_id", "核定记录不存在"):
        return {}
    paid = paid_fen(session, assessment_id) - (
        current.amount_fen if current is not None and current.deleted_at is None else 0
    )
    stored = {"assessment_id": assessment_id, "paid_on": values.get("paid_on"), "amount_fen": values.get("amount_fen")}
    errors = payment_errors(stored, assessment, paid, today)
    checks.errors.update({k: v for k, v in errors.items() if k not in checks.errors})
    stored["is_demo"] = bool(values.get("is_demo", False))
    return stored


def assessment_township(session: Session, values: dict) -> int | None:
    """A payment's township: its employer's."""
    assessment = session.get(LevyAssessment, values.get("assessment_id")) if values.get("assessment_id") else None
    employer = session.get(Employer, assessment.employer_id) if assessment is not None else None
    return employer.township_id if employer is not None else None


def payment_warnings(session: Session, ids: list[int]) -> dict[int, dict[str, str]]:
    return {i: rules.payment_warnings(c) for i, c in payment_context(session, ids).items()}


def payment_fields(*, assessment_id: int, paid_on: date, amount_fen: int, is_demo: bool = False) -> None:
    """A payment's fields and their types, checked strictly before any rule runs."""


PAYMENT = RecordType(
    fields=payment_fields,
    model=LevyPayment,
    area="levy",
    id_field="payment_id",
    date_field="paid_on",
    validate=validate_payment,
    warnings=payment_warnings,
    township_of=assessment_township,
)
