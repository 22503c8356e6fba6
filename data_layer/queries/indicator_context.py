"""The rule context of indicator values (其他工作): what the soft rules need to know about each, computed in SQL.

As for articles (data_layer/queries/article_context.py), one statement serves the entry service (the rows it
has just flushed, in its transaction) and the data-quality checks (every live row), so a warning on entry and
a finding on 数据质量 are one computation. A value repeats an earlier one (lower id, not deleted) of the same
indicator and unit (a township, or 县本级) whose period overlaps its own; and it is compared with what the same
unit recorded for the indicator in the same period last year (values whose period starts in it, as 其他工作
counts them).
"""

from __future__ import annotations

from dataclasses import fields
from functools import cache

from sqlalchemy import Date, and_, bindparam, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel import Session

from data_layer.domain.contexts import IndicatorValueContext  # noqa: F401
from data_layer.domain.rules import OUTLIER_FACTOR
from data_layer.infra.cache import cached_query
from data_layer.infra.db import get_engine
from data_layer.models import Indicator, IndicatorValue, Township

IDS = bindparam("ids", expanding=True)


class year_before(FunctionElement):  # noqa: N801 (reads as the SQL function it stands for)
    """The same day a year earlier on both stores; 29 February becomes the 28th, as in
    queries/indicators.same_period_last_year (SQLite alone would roll it over to 1 March)."""

    type = Date()
    inherit_cache = True


@compiles(year_before, "sqlite")
def _year_before_sqlite(element, compiler, **kw):
    day = compiler.process(list(element.clauses)[0], **kw)
    return f"date({day}, '-1 year', CASE WHEN strftime('%m-%d', {day}) = '02-29' THEN '-1 day' ELSE '+0 days' END)"


@compiles(year_before)
def _year_before_default(element, compiler, **kw):
    return f"CAST(({compiler.process(list(element.clauses)[0], **kw)} - INTERVAL '1 year') AS DATE)"


def value_warned(c):
    """SQL form of rules.indicator_warnings over an indicator value context's columns: true exactly where it warns."""
    return or_(c.overlap_of.is_not(None), and_(c.last_value > 0, c.value > OUTLIER_FACTOR * c.last_value))


@cache  # built once: constructing the statement costs more than running it for one row
def _value_stmt(rows: str):
    v, other = IndicatorValue, aliased(IndicatorValue)
    # the same unit, spelled so that SQLite looks it up through ix_indicatorvalue_unit: with “township IS ?” it
    # walked the township index instead, and every 县本级 value of a province shares township NULL
    same_unit = and_(
        other.indicator_id == v.indicator_id,
        other.county_id == v.county_id,
        func.coalesce(other.township_id, 0) == func.coalesce(v.township_id, 0),
        other.deleted_at.is_(None),
    )
    overlap_of = (
        # “id + 0”: neither max(id) nor an id range for SQLite to walk the indicator's index by, backwards
        # hoping for an early hit (40 s at province scale); it searches the unit in ix_indicatorvalue_unit
        select(func.max(other.id + 0))
        .where(
            same_unit,
            other.id + 0 < v.id,
            other.period_start <= v.period_end,
            other.period_end >= v.period_start,
        )
        .scalar_subquery()
    )
    last_year = and_(same_unit, other.period_start.between(year_before(v.period_start), year_before(v.period_end)))
    last_value = select(func.coalesce(func.sum(other.value), 0)).where(last_year).scalar_subquery()
    last_count = select(func.count(other.id)).where(last_year).scalar_subquery()
    inner = (
        select(
            v.id,
            v.indicator_id,
            v.county_id,
            v.township_id,
            v.period_start,
            v.period_end,
            v.value,
            v.warning_note,
            Indicator.name.label("indicator"),
            Indicator.unit,
            Indicator.category,
            Township.name.label("township"),
            overlap_of.label("overlap_of"),
            last_value.label("last_value"),
            last_count.label("last_count"),
        )
        .join(Indicator, Indicator.id == v.indicator_id)
        .outerjoin(Township, Township.id == v.township_id)
        .where(v.deleted_at.is_(None))
    )
    if rows == "ids":
        inner = inner.where(v.id.in_(IDS))
    i = inner.subquery()
    overlap = aliased(IndicatorValue)
    stmt = (
        select(
            i,
            overlap.period_start.label("overlap_start"),
            overlap.period_end.label("overlap_end"),
            overlap.value.label("overlap_value"),
        )
        .outerjoin(overlap, overlap.id == i.c.overlap_of)
        .order_by(i.c.indicator_id, i.c.period_start, i.c.id)
    )
    return stmt.where(value_warned(i.c)) if rows == "warned" else stmt


def _values(conn, rows: str, ids: list[int] | None = None) -> list[IndicatorValueContext]:
    names = [f.name for f in fields(IndicatorValueContext)]
    found = conn.execute(_value_stmt(rows), {"ids": ids} if rows == "ids" else {})
    out = []
    for row in found:
        mapping = row._mapping  # a property that builds a view each time it is read
        m = {n: mapping[n] for n in names}
        m["last_value"], m["last_count"] = int(m["last_value"]), int(m["last_count"])  # PostgreSQL: NUMERIC sums
        out.append(IndicatorValueContext(**m))
    return out


def indicator_value_context(session: Session, ids: list[int]) -> dict[int, IndicatorValueContext]:
    """For the service: the rows it has just written, in its transaction."""
    return {c.id: c for c in _values(session, "ids", ids)}


@cached_query
def indicator_value_contexts(url: str, rows: str = "warned") -> list[IndicatorValueContext]:
    """For the data-quality checks: the live values a soft rule warns about (``rows="all"``: every one)."""
    with get_engine(url).connect() as conn:
        return _values(conn, rows)
