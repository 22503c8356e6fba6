"""Levy enforcement coverage: employers registered, reviewed, inspected."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import case, func, or_, select

from data_layer.cache import cached_query
from data_layer.models import AnnualReview, Campaign, Employer, Inspection
from data_layer.queries._sql import frame, in_units, with_township_ids
from data_layer.scope import Scope

COVERAGE_COLUMNS = ["registered", "notified", "inspected", "onsite", "covered", "coverage"]


@cached_query
def coverage(url: str, scope: Scope, by_township: bool = False) -> pd.DataFrame:
    """Employers registered by the period's end, and how many the period reached (one row, or one a township).

    Covered = sent the annual-review notice or inspected within the period (each employer once).
    """
    e = Employer
    notified = (
        select(AnnualReview.id)
        .where(AnnualReview.employer_id == e.id, AnnualReview.notified_on.between(scope.start, scope.end))
        .exists()
    )
    inspected = (
        select(Inspection.id)
        .where(Inspection.employer_id == e.id, Inspection.inspected_on.between(scope.start, scope.end))
        .exists()
    )
    onsite = (
        select(Inspection.id)
        .where(
            Inspection.employer_id == e.id,
            Inspection.mode == "onsite",
            Inspection.inspected_on.between(scope.start, scope.end),
        )
        .exists()
    )

    def count_if(cond):  # a CASE, not a cast: PostgreSQL casts a boolean to INTEGER but not to BIGINT
        return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)

    measures = (
        func.count(),
        count_if(notified),
        count_if(inspected),
        count_if(onsite),
        count_if(or_(notified, inspected)),
    )
    where = (e.registered_on <= scope.end, in_units(scope, e.township_id, e.county_id))
    if by_township:
        stmt = (
            select(e.township_id, *measures)
            .where(*where)
            .group_by(e.township_id)
            .order_by(e.township_id.nulls_last())  # one order on both engines
        )
        out = with_township_ids(frame(url, stmt, ["township_id", *COVERAGE_COLUMNS[:-1]]))
    else:
        out = frame(url, select(*measures).where(*where), COVERAGE_COLUMNS[:-1])
    out["coverage"] = out["covered"] / out["registered"].where(out["registered"] > 0)
    return out


@cached_query
def campaigns(url: str, scope: Scope) -> pd.DataFrame:
    """Campaigns overlapping the period, with the employers each inspected (on site / in all)."""
    i = Inspection
    stmt = (
        select(
            Campaign.name,
            Campaign.document,
            Campaign.start_date,
            Campaign.end_date,
            func.count(func.distinct(i.employer_id)),
            func.count(func.distinct(case((i.mode == "onsite", i.employer_id)))),
        )
        .join(i, i.campaign_id == Campaign.id)
        .join(Employer, Employer.id == i.employer_id)
        .where(
            Campaign.start_date <= scope.end,
            Campaign.end_date >= scope.start,
            in_units(scope, Employer.township_id, Campaign.county_id),
        )
        .group_by(Campaign.id)
        .order_by(Campaign.start_date)
    )
    return frame(url, stmt, ["campaign", "document", "start_date", "end_date", "inspected", "onsite"])
