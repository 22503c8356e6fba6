"""The rule context of the levy's records. Inspections and payments: an earlier record (lower id, not
deleted) of the same employer on the same day in the same campaign, or of the same amount on the same day to the
same assessment. Reviews: an approved one's live roster size. Roster lines: another employer with the same person
that year. Assessments: the amount the levy rules give for the inputs stored with it. As for the other record
types, one statement serves the entry service (the rows it has just written, in its transaction) and the
data-quality checks (every live row a rule warns about)."""

from __future__ import annotations

from dataclasses import fields
from decimal import Decimal
from functools import cache

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from data_layer.domain import levy_rules
from data_layer.domain.contexts import (
    AssessmentContext,
    InspectionContext,
    PaymentContext,
    ReviewContext,
    RosterContext,
)
from data_layer.infra.cache import cached_query
from data_layer.infra.db import get_engine
from data_layer.models import (
    AnnualReview,
    Campaign,
    Employer,
    Inspection,
    LevyAssessment,
    LevyPayment,
    RosterPerson,
)

IDS = bindparam("ids", expanding=True)


@cache
def _inspection_stmt(rows: str):
    i, other = Inspection, aliased(Inspection)
    same_campaign = func.coalesce(other.campaign_id, -1) == func.coalesce(i.campaign_id, -1)
    repeat = (
        select(func.min(other.id))
        .where(
            other.id < i.id,
            other.deleted_at.is_(None),
            other.employer_id == i.employer_id,
            other.inspected_on == i.inspected_on,
            same_campaign,
        )
        .scalar_subquery()
    )
    stmt = (
        select(
            i.id,
            i.employer_id,
            Employer.name.label("employer"),
            func.coalesce(Campaign.name, "日常检查").label("campaign"),
            i.inspected_on,
            i.mode,
            i.result,
            i.warning_note,
            repeat.label("repeat_of"),
        )
        .join(Employer, Employer.id == i.employer_id)
        .outerjoin(Campaign, Campaign.id == i.campaign_id)
        .where(i.deleted_at.is_(None))
    )
    if rows == "ids":
        stmt = stmt.where(i.id.in_(IDS))
    s = stmt.subquery()
    ordered = select(s).order_by(s.c.inspected_on, s.c.id)
    return ordered.where(s.c.repeat_of.is_not(None)) if rows == "warned" else ordered


@cache
def _payment_stmt(rows: str):
    p, other = LevyPayment, aliased(LevyPayment)
    repeat = (
        select(func.min(other.id))
        .where(
            other.id < p.id,
            other.deleted_at.is_(None),
            other.assessment_id == p.assessment_id,
            other.paid_on == p.paid_on,
            other.amount_fen == p.amount_fen,
        )
        .scalar_subquery()
    )
    stmt = (
        select(
            p.id,
            p.assessment_id,
            Employer.name.label("employer"),
            LevyAssessment.year,
            p.paid_on,
            p.amount_fen,
            p.warning_note,
            repeat.label("repeat_of"),
        )
        .join(LevyAssessment, LevyAssessment.id == p.assessment_id)
        .join(Employer, Employer.id == LevyAssessment.employer_id)
        .where(p.deleted_at.is_(None))
    )
    if rows == "ids":
        stmt = stmt.where(p.id.in_(IDS))
    s = stmt.subquery()
    ordered = select(s).order_by(s.c.paid_on, s.c.id)
    return ordered.where(s.c.repeat_of.is_not(None)) if rows == "warned" else ordered


def _read(conn, stmt, kind, ids: list[int] | None = None) -> list:
    names = [f.name for f in fields(kind)]
    found = conn.execute(stmt, {"ids": ids} if ids is not None else {})
    return [kind(**{n: m[n] for n in names}) for m in (row._mapping for row in found)]


def inspection_context(session: Session, ids: list[int]) -> dict[int, InspectionContext]:
    """For the service: the inspections it has just written, in its transaction."""
    return {c.id: c for c in _read(session, _inspection_stmt("ids"), InspectionContext, ids)}


def payment_context(session: Session, ids: list[int]) -> dict[int, PaymentContext]:
    return {c.id: c for c in _read(session, _payment_stmt("ids"), PaymentContext, ids)}


@cached_query
def inspection_contexts(url: str, rows: str = "warned") -> list[InspectionContext]:
    """For the data-quality checks: the live inspections a soft rule warns about (``rows="all"``: every one)."""
    with get_engine(url).connect() as conn:
        return _read(conn, _inspection_stmt(rows), InspectionContext)


@cached_query
def payment_contexts(url: str, rows: str = "warned") -> list[PaymentContext]:
    with get_engine(url).connect() as conn:
        return _read(conn, _payment_stmt(rows), PaymentContext)


# --- reviews, roster lines, assessments ---------------------------------------------------------------------


def _only(stmt, rows: str, key, warned):
    if rows == "ids":
        stmt = stmt.where(key.in_(IDS))
    s = stmt.subquery()
    ordered = select(s).order_by(s.c.year, s.c.id)
    return ordered.where(warned(s)) if rows == "warned" else ordered


@cache
def _review_stmt(rows: str):
    r = AnnualReview
    people = (
        select(func.count(RosterPerson.id))
        .where(RosterPerson.review_id == r.id, RosterPerson.deleted_at.is_(None))
        .scalar_subquery()
    )
    stmt = (
        select(
            r.id,
            Employer.name.label("employer"),
            r.year,
            r.status,
            r.disabled_staff,
            people.label("roster_people"),
            r.warning_note,
        )
        .join(Employer, Employer.id == r.employer_id)
        .where(r.deleted_at.is_(None))
    )
    bare = lambda s: (s.c.status == "approved") & (s.c.disabled_staff > 0) & (s.c.roster_people == 0)  # noqa: E731
    return _only(stmt, rows, r.id, bare)


@cache
def _roster_stmt(rows: str):
    p, r = RosterPerson, AnnualReview
    op, orv, oe = aliased(RosterPerson), aliased(AnnualReview), aliased(Employer)
    elsewhere = (
        select(func.min(oe.name))
        .select_from(op)
        .join(orv, orv.id == op.review_id)
        .join(oe, oe.id == orv.employer_id)
        .where(
            op.id_number == p.id_number,
            orv.year == r.year,
            orv.employer_id != r.employer_id,
            op.deleted_at.is_(None),
            orv.deleted_at.is_(None),
        )
        .scalar_subquery()
    )
    stmt = (
        select(
            p.id,
            p.review_id,
            Employer.name.label("employer"),
            r.year,
            p.name,
            p.id_number,
            p.warning_note,
            elsewhere.label("elsewhere"),
        )
        .join(r, r.id == p.review_id)
        .join(Employer, Employer.id == r.employer_id)
        .where(p.deleted_at.is_(None), r.deleted_at.is_(None))
    )
    return _only(stmt, rows, p.id, lambda s: s.c.elsewhere.is_not(None))


@cache
def _assessment_stmt(rows: str):
    a = LevyAssessment
    stmt = (
        select(
            a.id,
            Employer.name.label("employer"),
            a.year,
            a.amount_fen,
            a.staff,
            a.disabled_weighted,
            a.avg_wage_fen,
            a.warning_note,
        )
        .join(Employer, Employer.id == a.employer_id)
        .where(a.deleted_at.is_(None))
    )
    return _only(stmt, "ids" if rows == "ids" else "all", a.id, None)  # the rule runs in Python, on every live one


def _assessments(conn, stmt, ids: list[int] | None = None) -> list[AssessmentContext]:
    """Each assessment with what the levy rules give for its stored inputs under its year's policy."""
    found = [row._mapping for row in conn.execute(stmt, {"ids": ids} if ids is not None else {})]
    policies = {}
    for year in {int(m["year"]) for m in found}:
        policies[year] = _policy(conn, year)
    out = []
    for m in found:
        policy, inputs = policies[int(m["year"])], (m["staff"], m["disabled_weighted"], m["avg_wage_fen"])
        computed = None
        if policy is not None and None not in inputs:
            staff, disabled, wage = inputs
            computed = levy_rules.explain(policy, staff=staff, disabled_staff=Decimal(str(disabled)), avg_wage_fen=wage)
        names = {"id", "employer", "year", "amount_fen", "warning_note"}
        values = {n: m[n] for n in names}
        out.append(AssessmentContext(**values, computed_fen=None if computed is None else computed.amount_fen))
    return out


def _policy(conn, year: int):
    from data_layer.queries.levy_plan import policy_for

    if isinstance(conn, Session):
        return policy_for(conn, year)
    with Session(bind=conn) as session:
        return policy_for(session, year)


def review_context(session: Session, ids: list[int]) -> dict[int, ReviewContext]:
    return {c.id: c for c in _read(session, _review_stmt("ids"), ReviewContext, ids)}


def roster_context(session: Session, ids: list[int]) -> dict[int, RosterContext]:
    return {c.id: c for c in _read(session, _roster_stmt("ids"), RosterContext, ids)}


def assessment_context(session: Session, ids: list[int]) -> dict[int, AssessmentContext]:
    return {c.id: c for c in _assessments(session, _assessment_stmt("ids"), ids)}


@cached_query
def review_contexts(url: str, rows: str = "warned") -> list[ReviewContext]:
    with get_engine(url).connect() as conn:
        return _read(conn, _review_stmt(rows), ReviewContext)


@cached_query
def roster_contexts(url: str, rows: str = "warned") -> list[RosterContext]:
    with get_engine(url).connect() as conn:
        return _read(conn, _roster_stmt(rows), RosterContext)


@cached_query
def assessment_contexts(url: str, rows: str = "warned") -> list[AssessmentContext]:
    """Every live assessment whose amount is not what its inputs give (``rows="all"``: every one)."""
    from data_layer.domain import rules

    with get_engine(url).connect() as conn:
        found = _assessments(conn, _assessment_stmt("all"))
    return found if rows == "all" else [c for c in found if rules.assessment_warnings(c)]
