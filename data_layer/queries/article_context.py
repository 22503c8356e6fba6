"""The rule context of articles (信息宣传): what the soft rules need to know about each, computed in SQL.

As for progress and disbursements (data_layer/queries/rule_context.py), one statement serves the entry
service (the rows it has just flushed, in its transaction) and the data-quality checks (every live row),
so a warning on entry and a finding on 数据质量 are one computation. An article repeats an earlier one
(lower id, not deleted) with the same title or the same link; it predates its outlet's first use.
"""

from __future__ import annotations

from dataclasses import fields
from functools import cache

from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from data_layer.domain.contexts import ArticleContext  # noqa: F401
from data_layer.infra.cache import cached_query
from data_layer.infra.db import get_engine
from data_layer.models import Article, Outlet, Township

IDS = bindparam("ids", expanding=True)


def article_warned(c):
    """SQL form of rules.article_warnings over an article context's columns: true exactly where it warns."""
    return or_(
        c.same_title_of.is_not(None),
        c.same_link_of.is_not(None),
        and_(c.first_used_on.is_not(None), c.published_on < c.first_used_on),
    )


@cache  # built once: constructing the statement costs more than running it for one row
def _article_stmt(rows: str):
    a, other = Article, aliased(Article)
    earlier = (other.id < a.id, other.deleted_at.is_(None))
    same_title = select(func.max(other.id)).where(*earlier, other.title == a.title).scalar_subquery()
    same_link = select(func.max(other.id)).where(*earlier, a.link != "", other.link == a.link).scalar_subquery()
    stmt = (
        select(
            a.id,
            a.outlet_id,
            a.township_id,
            a.title,
            a.link,
            a.kind,
            a.published_on,
            a.warning_note,
            Outlet.name.label("outlet"),
            Township.name.label("township"),
            Outlet.first_used_on,
            same_title.label("same_title_of"),
            same_link.label("same_link_of"),
        )
        .join(Outlet, Outlet.id == a.outlet_id)
        .outerjoin(Township, Township.id == a.township_id)
        .where(a.deleted_at.is_(None))
    )
    if rows == "ids":
        stmt = stmt.where(a.id.in_(IDS))
    s = stmt.subquery()
    ordered = select(s).order_by(s.c.published_on, s.c.id)
    return ordered.where(article_warned(s.c)) if rows == "warned" else ordered


def _articles(conn, rows: str, ids: list[int] | None = None) -> list[ArticleContext]:
    names = [f.name for f in fields(ArticleContext)]
    found = conn.execute(_article_stmt(rows), {"ids": ids} if rows == "ids" else {})
    return [ArticleContext(**{n: m[n] for n in names}) for m in (row._mapping for row in found)]


def article_context(session: Session, ids: list[int]) -> dict[int, ArticleContext]:
    """For the service: the rows it has just written, in its transaction."""
    return {c.id: c for c in _articles(session, "ids", ids)}


@cached_query
def article_contexts(url: str, rows: str = "warned") -> list[ArticleContext]:
    """For the data-quality checks: the live articles a soft rule warns about (``rows="all"``: every one)."""
    with get_engine(url).connect() as conn:
        return _articles(conn, rows)
