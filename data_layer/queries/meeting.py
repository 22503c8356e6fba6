"""Stored meeting packs: the list, one pack with its frozen figures, and how many records of its period changed
since it was frozen. The figures themselves are built by data_layer/views/meeting.py from the boards."""

from __future__ import annotations

import json
from datetime import date, datetime

import pandas as pd
from sqlalchemy import String, and_, cast, func, select

from data_layer.access import Access
from data_layer.models import Article, AuditLog, Disbursement, IndicatorValue, MeetingPack, ProgressEntry
from data_layer.queries import org
from data_layer.queries._sql import frame, scalar

# --- stored packs ------------------------------------------------------------------------------------------

PACK_COLUMNS = ["id", "name", "filter_label", "period_start", "period_end", "data_as_of", "created_by", "created_at"]


def _own_township(url: str, access: Access) -> list[str] | None:
    """The filter a township officer's packs must have (their township alone); None: any pack is readable."""
    if access.every_township:
        return None
    towns = org.townships(url)
    return list(towns.loc[towns["township_id"] == access.township_id, "label"])


def _only(params: dict, own: list[str]) -> bool:
    """A pack's filter (its URL query) covers exactly the officer's township."""
    chosen = params.get("township") or []
    return ([chosen] if isinstance(chosen, str) else list(chosen)) == own


def packs(url: str, access: Access) -> pd.DataFrame:
    """The packs not deleted that ``access`` may read, newest first (uncached: a pack frozen in another session
    shows at once). A township officer reads only packs frozen for their own township."""
    p = MeetingPack
    stmt = (
        select(*[getattr(p, c) for c in PACK_COLUMNS], p.filter_params)
        .where(p.deleted_at.is_(None))
        .order_by(p.created_at.desc(), p.id.desc())
    )
    found = frame(url, stmt, [*PACK_COLUMNS, "filter_params"])
    own = _own_township(url, access)
    if own is not None:
        found = found[[_only(json.loads(f), own) for f in found["filter_params"]]]
    return found[PACK_COLUMNS].reset_index(drop=True)


def pack(url: str, pack_id: int, access: Access) -> dict | None:
    """One pack with its figures (parsed), deleted or not; None if there is none that ``access`` may read."""
    p = MeetingPack
    rows = frame(
        url,
        select(*[getattr(p, c) for c in [*PACK_COLUMNS, "filter_params", "figures", "deleted_at"]]).where(
            p.id == pack_id
        ),
        [*PACK_COLUMNS, "filter_params", "figures", "deleted_at"],
    )
    if rows.empty:
        return None
    out = rows.iloc[0].to_dict()
    out["figures"] = json.loads(out["figures"])
    out["filter_params"] = json.loads(out["filter_params"])
    own = _own_township(url, access)
    if own is not None and not _only(out["filter_params"], own):
        return None
    return out


# Entered records with the date that puts them in a period: a change to one of them after a pack was frozen
# may change the pack's figures.
DATED = (
    (ProgressEntry, "entry_date"),
    (Disbursement, "paid_date"),
    (Article, "published_on"),
    (IndicatorValue, "period_start"),
)


def changes_since(url: str, frozen_at: datetime, start: date, end: date) -> int:
    """How many records dated in the period were created, corrected, deleted or restored after ``frozen_at``."""
    total = 0
    for model, column in DATED:
        dated = getattr(model, column)
        stmt = (
            select(func.count(AuditLog.id))
            .join(model, cast(model.id, String) == AuditLog.row_id)
            .where(
                AuditLog.table_name == model.__tablename__, AuditLog.at > frozen_at, and_(dated >= start, dated <= end)
            )
        )
        total += int(scalar(url, stmt) or 0)
    return total
