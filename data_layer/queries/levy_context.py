"""The rule context of inspections and payments: an earlier record (lower id, not deleted) of the same employer on
the same day in the same campaign, or of the same amount on the same day to the same assessment. As for the other
record types, one statement serves the entry service (the rows it has just written, in its transaction) and the
data-quality checks (every live row a rule warns about)."""

from __future__ import annotations

from dataclasses import fields
from functools import cache

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from data_layer.domain.contexts import InspectionContext, PaymentContext
from data_layer.infra.cache import cached_query
from data_layer.infra.db import get_engine
from data_layer.models import Campaign, Employer, Inspection, LevyAssessment, LevyPayment

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
