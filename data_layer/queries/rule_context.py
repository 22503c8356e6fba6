"""The rule context: what the soft rules need to know about each entered record, computed in SQL.

One statement per record type serves the entry services (for the rows they have just
flushed, inside their own transaction) and the data-quality checks (for every row, through
the cached readers below), so a warning on entry and a finding on 数据质量 are one computation.

Progress: the target that applies (the township's where the item's target is split, else the
item's) and what was done towards it before the entry, counting entries in the order
(date, id): the order things happened and, within a day, the order they were saved; and an
earlier identical entry within ``REPEAT_WINDOW_DAYS`` days.
Disbursements: the standard in force on the paid date, an earlier record of the same unit whose
months overlap, and the previous roll of the same unit (the latest record ending before it begins).
"""

from __future__ import annotations

from dataclasses import fields
from functools import cache

from sqlalchemy import Date, Float, and_, bindparam, case, cast, extract, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel import Session

from data_layer.domain.contexts import DisbursementContext, ProgressContext  # noqa: F401
from data_layer.domain.rules import REPEAT_WINDOW_DAYS
from data_layer.infra.cache import cached_query
from data_layer.infra.db import get_engine
from data_layer.models import (
    AppSetting,
    Disbursement,
    ItemTownshipTarget,
    ProgressEntry,
    Project,
    ProjectItem,
    SubsidyStandard,
    SubsidyType,
    Township,
)
from data_layer.queries.projects import entry_value


class days_after(FunctionElement):  # noqa: N801 (reads as the SQL function it stands for)
    """``date + n days`` on both stores (SQLite keeps dates as ISO text, PostgreSQL as dates)."""

    type = Date()
    inherit_cache = True


@compiles(days_after, "sqlite")
def _days_after_sqlite(element, compiler, **kw):
    day, days = list(element.clauses)
    return f"date({compiler.process(day, **kw)}, printf('%+d days', {compiler.process(days, **kw)}))"


@compiles(days_after)
def _days_after_default(element, compiler, **kw):
    day, days = list(element.clauses)
    return f"({compiler.process(day, **kw)} + {compiler.process(days, **kw)})"


def same_township(dialect: str, a, b):
    """Two township ids are equal or both NULL (县本级), spelled for each store's index: SQLite searches
    ``a IS b`` in a composite index; PostgreSQL cannot use ``IS NOT DISTINCT FROM`` at all (4 s for a province's
    disbursements, walking each county's rows) but can the equality and ``IS NULL`` arms of an OR (0.6 s)."""
    if dialect == "sqlite":
        return a.is_not_distinct_from(b)
    return or_(and_(a.is_(None), b.is_(None)), a == b)


IDS = bindparam("ids", expanding=True)  # the rows a service has just written
# Which rows a context statement reads: the ones a service has just written, every live row, or only those a
# soft rule warns about (the data-quality checks: the rule in SQL, so a province's clean rows never leave it).
ROWS = ("ids", "all", "warned")


def months_between(month_from, month_to):
    """SQL form of rules.months_between: how many months month_from..month_to covers, both included."""
    return (
        (extract("year", month_to) - extract("year", month_from)) * 12
        + extract("month", month_to)
        - extract("month", month_from)
        + 1
    )


def positive_part(value):
    """``max(value, 0)`` on both stores (SQLite's two-argument max is PostgreSQL's greatest)."""
    return case((value > 0, value), else_=0)


def progress_warned(c):
    """SQL form of rules.progress_warnings over a progress context's columns: true exactly where it warns
    (tests/test_quality.py checks the two pick the same entries on both stores)."""
    unit_cost = cast(c.amount_fen, Float) / func.nullif(c.quantity, 0)
    done = case((c.township_target, c.done_township), else_=c.done_item)
    return or_(
        and_(
            c.quantity != 0,
            c.amount_fen != 0,
            c.cost_min_fen.is_not(None),
            c.cost_max_fen.is_not(None),
            or_(unit_cost < c.cost_min_fen, unit_cost > c.cost_max_fen),
        ),
        and_(c.quantity == 0, c.amount_fen == 0),
        and_(c.measure == "count", c.records_money, c.quantity > 0, c.amount_fen == 0),
        and_(c.target != 0, c.value > 2 * positive_part(c.target - done)),
        c.repeat_of.is_not(None),
    )


@cache  # built once: constructing the statement costs more than running it for one row
def _progress_stmt(rows: str):
    e = ProgressEntry
    done = entry_value(ProjectItem.measure, e.quantity, e.amount_fen)
    order = (e.entry_date, e.id)
    earlier = (None, -1)  # every row before this one in the window's order
    running = (
        select(
            e.id,
            e.item_id,
            e.township_id,
            e.entry_date,
            e.quantity,
            e.amount_fen,
            e.warning_note,
            done.label("value"),
            ItemTownshipTarget.target.label("own_target"),
            func.coalesce(func.sum(done).over(partition_by=e.item_id, order_by=order, rows=earlier), 0).label(
                "done_item"
            ),
            func.coalesce(
                func.sum(done).over(partition_by=(e.item_id, e.township_id), order_by=order, rows=earlier), 0
            ).label("done_township"),
        )
        .join(ProjectItem, ProjectItem.id == e.item_id)
        .outerjoin(
            ItemTownshipTarget,
            and_(ItemTownshipTarget.item_id == e.item_id, ItemTownshipTarget.township_id == e.township_id),
        )
        .where(e.deleted_at.is_(None))
    )
    if rows == "ids":  # the windows run per item: only the items of the asked entries are needed
        running = running.where(e.item_id.in_(select(e.item_id).where(e.id.in_(IDS))))
    r = running.subquery()
    other, earlier_row = aliased(ProgressEntry), aliased(ProgressEntry)
    repeat_of = (
        select(func.max(other.id))
        .where(
            other.item_id == r.c.item_id,
            other.id < r.c.id,
            other.deleted_at.is_(None),
            # spelled so SQLite searches (item, date) in ix_progressentry_item_date, not every 县本级 entry
            func.coalesce(other.township_id, 0) == func.coalesce(r.c.township_id, 0),
            other.quantity == r.c.quantity,
            other.amount_fen == r.c.amount_fen,
            other.entry_date >= days_after(r.c.entry_date, -REPEAT_WINDOW_DAYS),
            other.entry_date <= days_after(r.c.entry_date, REPEAT_WINDOW_DAYS),
        )
        .scalar_subquery()
    )
    own = r.c.own_target.is_not(None)
    with_repeat = (
        select(
            r.c.id,
            r.c.item_id,
            r.c.township_id,
            r.c.entry_date,
            r.c.quantity,
            r.c.amount_fen,
            r.c.warning_note,
            Project.year,
            ProjectItem.name.label("item"),
            ProjectItem.unit,
            ProjectItem.measure,
            Township.name.label("township"),
            ProjectItem.unit_cost_min_fen.label("cost_min_fen"),
            ProjectItem.unit_cost_max_fen.label("cost_max_fen"),
            (
                ProjectItem.budget_fen.is_not(None)
                | ProjectItem.unit_cost_min_fen.is_not(None)
                | ProjectItem.unit_cost_max_fen.is_not(None)
            ).label("records_money"),
            r.c.value,
            func.coalesce(r.c.own_target, ProjectItem.annual_target).label("target"),
            own.label("township_target"),
            r.c.done_item,
            r.c.done_township,
            repeat_of.label("repeat_of"),
        )
        .join(ProjectItem, ProjectItem.id == r.c.item_id)
        .join(Project, Project.id == ProjectItem.project_id)
        .outerjoin(Township, Township.id == r.c.township_id)
    )
    if rows == "ids":
        with_repeat = with_repeat.where(r.c.id.in_(IDS))
    w = with_repeat.subquery()
    stmt = (
        select(w, earlier_row.entry_date.label("repeat_date"))
        .outerjoin(earlier_row, earlier_row.id == w.c.repeat_of)
        .order_by(w.c.entry_date, w.c.id)
    )
    return stmt.where(progress_warned(w.c)) if rows == "warned" else stmt


def _progress(row) -> ProgressContext:
    m = dict(row._mapping)
    done = m["done_township"] if m["township_target"] else m["done_item"]
    return ProgressContext(
        **{f.name: m[f.name] for f in fields(ProgressContext) if f.name in m and f.name != "done_before"},
        done_before=float(done),
    )


def standard_in_force(type_id, on):
    """The type's standard (fen) in force on a day: the latest one effective on or before it."""
    s = SubsidyStandard
    return (
        select(s.amount_fen)
        .where(s.type_id == type_id, s.effective_from <= on)
        .order_by(s.effective_from.desc())
        .limit(1)
    )


def disbursement_warned(c, previous_recipients):
    """SQL form of rules.disbursement_warnings over a disbursement context's columns (the jump share is the
    bound parameter ``jump_share``): true exactly where it warns."""
    factor = case((c.basis == "month", months_between(c.month_from, c.month_to)), else_=1)
    return or_(
        c.amount_fen != c.recipients * c.standard_fen * factor,
        and_(c.standard_in_force_fen.is_not(None), c.standard_fen != c.standard_in_force_fen),
        c.overlap_of.is_not(None),
        and_(
            c.payment == "monthly",
            previous_recipients.is_not(None),
            previous_recipients != 0,
            func.abs(c.recipients - previous_recipients) > bindparam("jump_share", type_=Float) * previous_recipients,
        ),
    )


@cache
def _disbursement_stmt(rows: str, dialect: str):
    d, other = Disbursement, aliased(Disbursement)
    same_unit = and_(
        other.type_id == d.type_id,
        other.county_id == d.county_id,
        same_township(dialect, other.township_id, d.township_id),
        other.deleted_at.is_(None),
        other.id != d.id,
    )
    in_force = standard_in_force(d.type_id, d.paid_date).scalar_subquery()
    overlap_of = (
        # “id + 0”: no id range or max(id) for SQLite to walk the township index by (every 县本级 row of a
        # province shares township NULL); it looks the unit up in ix_disbursement_unit instead (so does PostgreSQL)
        select(func.max(other.id + 0))
        .where(same_unit, other.id + 0 < d.id, other.month_from <= d.month_to, other.month_to >= d.month_from)
        .scalar_subquery()
    )
    previous_id = (
        select(other.id)
        .where(same_unit, other.month_to < d.month_from)
        .order_by(other.month_to.desc(), other.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    inner = (
        select(
            d.id,
            d.type_id,
            d.county_id,
            d.township_id,
            d.month_from,
            d.month_to,
            d.recipients,
            d.standard_fen,
            d.amount_fen,
            d.paid_date,
            d.warning_note,
            SubsidyType.name.label("type"),
            SubsidyType.unit,
            SubsidyType.payment,
            SubsidyType.standard_basis.label("basis"),
            Township.name.label("township"),
            in_force.label("standard_in_force_fen"),
            overlap_of.label("overlap_of"),
            previous_id.label("previous_id"),
        )
        .join(SubsidyType, SubsidyType.id == d.type_id)
        .outerjoin(Township, Township.id == d.township_id)
        .where(d.deleted_at.is_(None))
    )
    if rows == "ids":
        inner = inner.where(d.id.in_(IDS))
    i = inner.subquery()
    overlap, previous = aliased(Disbursement), aliased(Disbursement)
    stmt = (
        select(
            i,
            overlap.month_from.label("overlap_from"),
            overlap.month_to.label("overlap_to"),
            previous.recipients.label("previous_recipients"),
            previous.month_to.label("previous_month"),
        )
        .outerjoin(overlap, overlap.id == i.c.overlap_of)
        .outerjoin(previous, previous.id == i.c.previous_id)
        .order_by(i.c.type_id, i.c.county_id, i.c.township_id, i.c.month_from, i.c.id)
    )
    return stmt.where(disbursement_warned(i.c, previous.recipients)) if rows == "warned" else stmt


def _jump_share(conn) -> float:
    """How far a monthly roll may move month on month before it is a warning (a setting)."""
    from data_layer.app_settings import DEFAULTS

    stored = conn.execute(select(AppSetting.value).where(AppSetting.key == "subsidy.jump")).scalar()
    return float(stored if stored is not None else DEFAULTS["subsidy.jump"])


def _disbursements(conn, rows: str, ids: list[int] | None = None) -> list[DisbursementContext]:
    share = _jump_share(conn)
    names = {f.name for f in fields(DisbursementContext)}
    out = []
    params = {"ids": ids} if rows == "ids" else {"jump_share": share} if rows == "warned" else {}
    dialect = conn.get_bind().dialect if isinstance(conn, Session) else conn.dialect
    for row in conn.execute(_disbursement_stmt(rows, dialect.name), params):
        m = {k: v for k, v in row._mapping.items() if k in names}
        out.append(DisbursementContext(**m, jump_share=share))
    return out


# --- for the services: the rows they have just written, in their transaction ----------------------


def progress_context(session: Session, entry_ids: list[int]) -> dict[int, ProgressContext]:
    return {c.id: c for c in map(_progress, session.execute(_progress_stmt("ids"), {"ids": entry_ids}))}


def disbursement_context(session: Session, ids: list[int]) -> dict[int, DisbursementContext]:
    return {c.id: c for c in _disbursements(session, "ids", ids)}


# --- for the data-quality checks: the live rows a soft rule warns about (``rows="all"``: every live row) ----


@cached_query
def progress_contexts(url: str, rows: str = "warned") -> list[ProgressContext]:
    with get_engine(url).connect() as conn:
        return [_progress(r) for r in conn.execute(_progress_stmt(rows))]


@cached_query
def disbursement_contexts(url: str, rows: str = "warned") -> list[DisbursementContext]:
    with get_engine(url).connect() as conn:
        return _disbursements(conn, rows)
