"""Subsidy disbursements: amounts and recipients by type (and later by township and month)."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Integer, and_, case, func, select

from data_layer.access import Access
from data_layer.domain.scope import Scope
from data_layer.infra.cache import cached_query
from data_layer.models import County, Disbursement, SubsidyStandard, SubsidyType, Township
from data_layer.queries._sql import frame, in_units, scalar, with_township_ids
from data_layer.queries.rule_context import standard_in_force

TYPE_COLUMNS = ["type_code", "type", "unit", "payment", "amount_fen", "recipients", "payments"]


def _in_scope(scope: Scope):
    d = Disbursement
    return and_(
        d.deleted_at.is_(None),
        d.paid_date >= scope.start,
        d.paid_date <= scope.end,
        in_units(scope, d.township_id, d.county_id),
    )


@cached_query
def totals_by_type(url: str, scope: Scope) -> pd.DataFrame:
    """Per type: money paid in the period and the recipients it reached.

    Recipients: a monthly subsidy pays the same roll every month, so its recipients are
    the largest monthly roll of each township, summed; yearly and one-off payments add up.
    """
    d = Disbursement
    per_unit = (
        select(
            d.type_id,
            func.sum(d.amount_fen).label("amount_fen"),
            func.max(d.recipients).label("max_roll"),
            func.sum(d.recipients).label("sum_roll"),
            func.count().label("payments"),
        )
        .where(_in_scope(scope))
        .group_by(d.type_id, d.county_id, d.township_id)
    ).subquery()
    monthly = SubsidyType.payment == "monthly"
    stmt = (
        select(
            SubsidyType.code,
            SubsidyType.name,
            SubsidyType.unit,
            SubsidyType.payment,
            func.coalesce(func.sum(per_unit.c.amount_fen), 0),
            func.coalesce(func.sum(case((monthly, per_unit.c.max_roll), else_=per_unit.c.sum_roll)), 0),
            func.coalesce(func.sum(per_unit.c.payments), 0),
        )
        .select_from(SubsidyType)
        .outerjoin(per_unit, per_unit.c.type_id == SubsidyType.id)
        .group_by(SubsidyType.id)
        .order_by(SubsidyType.sort_order, SubsidyType.id)
    )
    return frame(url, stmt, TYPE_COLUMNS)


@cached_query
def totals_by_township(url: str, scope: Scope) -> pd.DataFrame:
    """Per township (None = 县本级) and type: money paid and recipients (same rule as by type)."""
    d = Disbursement
    monthly = SubsidyType.payment == "monthly"
    stmt = (
        select(
            d.township_id,
            SubsidyType.code,
            func.sum(d.amount_fen),
            case((monthly, func.max(d.recipients)), else_=func.sum(d.recipients)),
        )
        .join(SubsidyType, SubsidyType.id == d.type_id)
        .where(_in_scope(scope))
        .group_by(d.township_id, SubsidyType.code, SubsidyType.payment)
        .order_by(d.township_id.nulls_last(), SubsidyType.code)
    )
    return with_township_ids(frame(url, stmt, ["township_id", "type_code", "amount_fen", "recipients"]))


@cached_query
def by_month(url: str, scope: Scope) -> pd.DataFrame:
    """Per month paid and type: amount, recipients, and the average paid per recipient against the standard."""
    d = Disbursement
    text = SubsidyType.code.type
    month = func.substr(func.cast(d.paid_date, text), 1, 7)
    # months covered (a disbursement never spans two years): to − from + 1
    covered = (
        func.cast(func.substr(func.cast(d.month_to, text), 6, 2), Integer)
        - func.cast(func.substr(func.cast(d.month_from, text), 6, 2), Integer)
        + 1
    )
    factor = case((SubsidyType.standard_basis == "month", covered), else_=1)
    per_unit = (
        select(
            month.label("month"),
            d.type_id,
            func.sum(d.amount_fen).label("amount_fen"),
            func.max(d.recipients).label("max_roll"),
            func.sum(d.recipients).label("sum_roll"),
            func.sum(d.recipients * d.standard_fen * factor).label("expected_fen"),
        )
        .join(SubsidyType, SubsidyType.id == d.type_id)
        .where(_in_scope(scope))
        .group_by(month, d.type_id, d.county_id, d.township_id)
    ).subquery()
    stmt = (
        select(
            per_unit.c.month,
            SubsidyType.code,
            SubsidyType.name,
            func.sum(per_unit.c.amount_fen),
            func.sum(case((SubsidyType.payment == "monthly", per_unit.c.max_roll), else_=per_unit.c.sum_roll)),
            func.sum(per_unit.c.sum_roll),
            func.sum(per_unit.c.expected_fen),
        )
        .join(SubsidyType, SubsidyType.id == per_unit.c.type_id)
        .group_by(per_unit.c.month, SubsidyType.id)
        .order_by(per_unit.c.month, SubsidyType.sort_order)
    )
    out = frame(
        url, stmt, ["month", "type_code", "type", "amount_fen", "recipients", "paid_recipients", "expected_fen"]
    )
    people = out["paid_recipients"].where(out["paid_recipients"] > 0)
    out["per_recipient_fen"] = out["amount_fen"] / people
    out["standard_per_recipient_fen"] = out["expected_fen"] / people
    return out.drop(columns=["paid_recipients"])


DISBURSEMENT_COLUMNS = [
    "id",
    "paid_date",
    "type_code",
    "type",
    "township_id",
    "township",
    "county",
    "month_from",
    "month_to",
    "recipients",
    "standard_fen",
    "amount_fen",
    "note",
    "warning_note",
    "created_by",
    "created_at",
    "deleted_at",
]


def _records(scope: Scope, type_code: str | None, deleted: bool) -> list:
    d = Disbursement
    clauses = [
        d.paid_date >= scope.start,
        d.paid_date <= scope.end,
        in_units(scope, d.township_id, d.county_id),
        d.deleted_at.is_not(None) if deleted else d.deleted_at.is_(None),
    ]
    if type_code:
        clauses.append(d.type_id.in_(select(SubsidyType.id).where(SubsidyType.code == type_code)))
    return clauses


@cached_query
def disbursement_count(url: str, scope: Scope, type_code: str | None = None, deleted: bool = False) -> int:
    """How many disbursements :func:`disbursements` lists (without a limit)."""
    stmt = select(func.count()).select_from(Disbursement).where(*_records(scope, type_code, deleted))
    return int(scalar(url, stmt))


@cached_query
def disbursements(
    url: str, scope: Scope, type_code: str | None = None, deleted: bool = False, limit: int | None = None
) -> pd.DataFrame:
    """The disbursements behind the figures (newest first): who entered what, when. ``deleted``: the bin;
    ``limit``: the newest that many (a screen's worth of a province's tens of thousands)."""
    d = Disbursement
    stmt = (
        select(
            d.id,
            d.paid_date,
            SubsidyType.code,
            SubsidyType.name,
            d.township_id,
            func.coalesce(Township.name, "县本级"),
            County.name,
            d.month_from,
            d.month_to,
            d.recipients,
            d.standard_fen,
            d.amount_fen,
            d.note,
            d.warning_note,
            d.created_by,
            d.created_at,
            d.deleted_at,
        )
        .join(SubsidyType, SubsidyType.id == d.type_id)
        .join(County, County.id == d.county_id)
        .outerjoin(Township, Township.id == d.township_id)
        .where(*_records(scope, type_code, deleted))
        .order_by(d.paid_date.desc(), d.id.desc())
        .limit(limit)
    )
    return frame(url, stmt, DISBURSEMENT_COLUMNS)


@cached_query
def _disbursement(url: str, disbursement_id: int) -> dict | None:
    d = Disbursement
    cols = [
        "id",
        "type_id",
        "county_id",
        "township_id",
        "month_from",
        "month_to",
        "recipients",
        "standard_fen",
        "amount_fen",
        "paid_date",
        "note",
        "warning_note",
        "created_by",
        "created_at",
        "deleted_at",
    ]
    rows = frame(url, select(*[getattr(d, c) for c in cols]).where(d.id == disbursement_id), cols)
    if rows.empty:
        return None
    out = rows.iloc[0].to_dict()
    out["township_id"] = None if pd.isna(out["township_id"]) else int(out["township_id"])
    return out


def disbursement(url: str, disbursement_id: int, access: Access) -> dict | None:
    """One record by its number, or None where there is none that ``access`` may read."""
    return access.visible(_disbursement(url, disbursement_id))


@cached_query
def types_and_standards(url: str) -> pd.DataFrame:
    """Every subsidy type with each of its standards (newest first)."""
    stmt = (
        select(
            SubsidyType.id,
            SubsidyType.code,
            SubsidyType.name,
            SubsidyType.unit,
            SubsidyType.payment,
            SubsidyType.standard_basis,
            SubsidyStandard.effective_from,
            SubsidyStandard.amount_fen,
        )
        .outerjoin(SubsidyStandard, SubsidyStandard.type_id == SubsidyType.id)
        .order_by(SubsidyType.sort_order, SubsidyType.id, SubsidyStandard.effective_from.desc())
    )
    return frame(
        url,
        stmt,
        ["type_id", "type_code", "type", "unit", "payment", "standard_basis", "effective_from", "standard_fen"],
    )


@cached_query
def standard_on(url: str, type_id: int, on: date) -> int | None:
    """The standard (fen) in force for a type on a day, as the entry services and checks apply it."""
    return scalar(url, standard_in_force(type_id, on))
