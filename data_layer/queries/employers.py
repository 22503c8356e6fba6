"""用人单位名录 as the registry page reads it: the list in the filter's townships (searched by name or credit
code), its totals, one employer for the edit form, and the log of imported files."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import ColumnElement, Select, func, or_, select

from data_layer.domain import credit_code
from data_layer.domain.scope import Scope
from data_layer.infra.cache import cached_query
from data_layer.models import Employer, Township
from data_layer.queries import file_logs
from data_layer.queries._sql import frame, in_units, with_township_ids

IMPORT_KIND = "import.employer"  # the FileLog kind data_layer/services/employers.py import_employers writes


def _labelled(url: str, stmt: Select) -> pd.DataFrame:
    """The rows under the labels given beside their expressions."""
    return frame(url, stmt, [c.key for c in stmt.selected_columns])


def _found(scope: Scope, search: str) -> list[ColumnElement[bool]]:
    """Employers of the filter's townships (and counties) whose name or credit code holds ``search``."""
    e = Employer
    where = [in_units(scope, e.township_id, e.county_id)]
    term = (search or "").strip()
    if term:
        code = credit_code.normalize(term)  # typed full-width, it still finds the code
        where.append(or_(e.name.icontains(term, autoescape=True), e.credit_code.contains(code, autoescape=True)))
    return where


def _registry_columns() -> tuple:
    e = Employer
    return (
        e.id.label("employer_id"),
        e.name.label("name"),
        e.credit_code.label("credit_code"),
        e.county_id.label("county_id"),
        e.township_id.label("township_id"),
        Township.name.label("township"),
        e.staff.label("staff"),
        e.disabled_staff.label("disabled_staff"),
        e.avg_wage_fen.label("avg_wage_fen"),
        e.size_class.label("size_class"),
        e.above_designated_size.label("above_designated_size"),
        e.registered_on.label("registered_on"),
        e.created_by.label("created_by"),
        e.updated_at.label("updated_at"),
    )


@cached_query
def registry(url: str, scope: Scope, search: str = "", limit: int | None = None) -> pd.DataFrame:
    """The registry in the townships' order (the administrator's), then in the order employers were registered
    in the app; ``limit`` rows at most (the page's table), every row without it (the export)."""
    stmt = (
        select(*_registry_columns())
        .outerjoin(Township, Township.id == Employer.township_id)
        .where(*_found(scope, search))
        .order_by(Township.sort_order.nulls_last(), Township.id.nulls_last(), Employer.id)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return with_township_ids(_labelled(url, stmt))


@cached_query
def registry_totals(url: str, scope: Scope, search: str = "") -> dict[str, int]:
    """How many employers the search finds, and their staff and disabled staff."""
    e = Employer
    stmt = select(
        func.count().label("employers"),
        func.coalesce(func.sum(e.staff), 0).label("staff"),
        func.coalesce(func.sum(e.disabled_staff), 0).label("disabled_staff"),
    ).where(*_found(scope, search))
    found = _labelled(url, stmt).iloc[0]
    return {k: int(found[k]) for k in ("employers", "staff", "disabled_staff")}


@cached_query
def employer(url: str, employer_id: int, scope: Scope) -> dict | None:
    """One employer for the edit form, or None when there is none of that id within the filter's units."""
    stmt = (
        select(*_registry_columns())
        .outerjoin(Township, Township.id == Employer.township_id)
        .where(Employer.id == employer_id, in_units(scope, Employer.township_id, Employer.county_id))
    )
    found = with_township_ids(_labelled(url, stmt))
    return None if found.empty else found.to_dict("records")[0]


def import_log(url: str, actor: str | None = None) -> pd.DataFrame:
    """Every employer list imported, newest first (``actor``: one account's imports only)."""
    return file_logs.import_log(url, IMPORT_KIND, actor)
