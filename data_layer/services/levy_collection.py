"""Levy assessments (核定) from the annual review, payments against them, and what each employer owes.

An assessment is computed by data_layer/levy_rules.py from the review: the staff and wage declared, and the
roster's weighted head count if the review was approved by the year's deadline; an employer not approved by
the deadline counts as employing no disabled people (its declared staff, or the registry's). The inputs are
stored with the amount, so “why this amount” reads the same later.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, select

from data_layer.domain import rules, text
from data_layer.domain.errors import Checks, GridRejected, ValidationFailed, label_of
from data_layer.domain.roles import Actor
from data_layer.models import Employer, LevyAssessment, LevyPayment
from data_layer.queries.levy_context import assessment_context, payment_context
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
from data_layer.services import levy
from data_layer.services._core import (
    RecordType,
    check_actor,
    create_rows,
    one_writer_at_a_time,
    permitted,
    service,
)


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
    confirm: bool = False,
    warning_note: str = "",
    today: date | None = None,
) -> dict[str, int]:
    """Write the batch the dry run showed (computed again inside the transaction, under the writers' lock): each
    assessment through the shared writers (``ASSESSMENT``), all or none."""
    checks = Checks()
    check_actor(checks, actor)
    checks.errors.update(assessment_errors({"assessed_on": assessed_on, "due_on": due_on, "amount_fen": 1}))
    checks.raise_if_any()
    permitted(actor, area="levy", township_id=None)  # a county-wide batch: not a township officer's
    one_writer_at_a_time(session, ASSESSMENT)  # two batches at once: the second plans after the first is stored
    planned = plan_assessments(session, county_id=county_id, year=year, today=today or date.today())
    if not planned:
        raise ValidationFailed({"year": "没有需要核定的单位"})
    values = [
        {**assessment_values(p, year=year, assessed_on=assessed_on, due_on=due_on), "is_demo": is_demo} for p in planned
    ]
    try:
        create_rows(
            session, ASSESSMENT, actor=actor, rows=values, confirm=confirm, warning_note=warning_note, today=today
        )
    except GridRejected as rejected:
        index, problems = next(iter(rejected.problems.items()))
        if problems.errors:  # the employer named: a batch's refusal says which line
            who = planned[index].employer
            raise ValidationFailed({k: f"{who}：{v}" for k, v in problems.errors.items()}) from None
        problems.raise_for(confirm)
        raise
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
    if not checks.require(assessment.deleted_at is None, "assessment_id", "这份核定在回收站中，请先恢复核定"):
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


# --- the assessment as a record type --------------------------------------------------------------------------

INPUTS = ("employer_id", "year", "review_id", "staff", "disabled_weighted", "avg_wage_fen", "basis")


def validate_assessment(session: Session, checks: Checks, values: dict, *, today: date, current=None) -> dict:
    """The hard rules of an assessment: one per employer and year (one in the 回收站 is restored, not assessed
    again), dated, due after it, owing something. A correction keeps what it was computed from (the employer,
    the year, the inputs) and changes its dates or amount, never below what is already paid; an amount that is
    not what the inputs give is a warning to confirm with a note (``rules.assessment_warnings``)."""
    source = current.model_dump() if current is not None else values
    stored = {name: source.get(name) for name in INPUTS}
    stored |= {name: values.get(name) for name in ("assessed_on", "due_on", "amount_fen")}
    if current is None:
        had = f"这家单位 {stored['year']} 年已核定"
        levy.one_per_employer_year(session, checks, LevyAssessment, stored, "核定", had)
    else:
        for name in INPUTS:  # what it was computed from stays as it was computed
            same = values.get(name) == getattr(current, name)
            checks.require(same, name, f"{label_of(name)}是核定时的依据，不能修改；请修改核定金额并写明原因")
        paid = paid_fen(session, current.id)
        amount = stored["amount_fen"]
        if isinstance(amount, int) and paid:
            checks.require(amount >= paid, "amount_fen", f"核定金额不能少于已缴金额 {text.yuan(paid)}")
    errors = assessment_errors(stored)
    checks.errors.update({k: v for k, v in errors.items() if k not in checks.errors})
    stored["is_demo"] = bool(values.get("is_demo", False))
    return stored


def assessment_warnings(session: Session, ids: list[int]) -> dict[int, dict[str, str]]:
    return {i: rules.assessment_warnings(c) for i, c in assessment_context(session, ids).items()}


def assessment_guard(session: Session, row: LevyAssessment, deleted: bool) -> dict[str, str]:
    """An assessment with payments is not deleted: the payments are deleted first (each its own correction)."""
    if not deleted:
        return {}
    stmt = select(func.count(LevyPayment.id), func.coalesce(func.sum(LevyPayment.amount_fen), 0)).where(
        LevyPayment.assessment_id == row.id, LevyPayment.deleted_at.is_(None)
    )
    count, total = session.exec(stmt).one()
    if not count:
        return {}
    return {
        "assessment_id": f"这份核定已有 {count} 笔缴款（合计 {text.yuan(total)}），不能删除；"
        "如确需删除，请先删除这些缴款"
    }


def assessment_fields(
    *,
    employer_id: int,
    year: int,
    assessed_on: date,
    due_on: date,
    amount_fen: int,
    review_id: int | None = None,
    staff: int | None = None,
    disabled_weighted: Decimal | None = None,
    avg_wage_fen: int | None = None,
    basis: str = "",
    is_demo: bool = False,
) -> None:
    """An assessment's fields and their types, checked strictly before any rule runs."""


ASSESSMENT = RecordType(
    fields=assessment_fields,
    model=LevyAssessment,
    area="levy",
    id_field="assessment_id",
    date_field="assessed_on",
    validate=validate_assessment,
    warnings=assessment_warnings,
    township_of=levy.employer_township,
    guard=assessment_guard,
)
