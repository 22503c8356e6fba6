"""Changes an administrator made to records of a closed month (结账后修改), with the reason given."""

from __future__ import annotations

from sqlalchemy import select

from data_layer.checks.base import Finding, check
from data_layer.domain import text
from data_layer.domain.links import record_link
from data_layer.domain.table_names import TABLE_NAMES
from data_layer.models import AuditLog, LockOverride
from data_layer.period_locks import month_name
from data_layer.queries._sql import frame
from data_layer.queries.audit_log import ACTIONS, RECORD_PAGES, who


@check("locks.after_closing", "结账后修改", "结账")
def changed_after_closing(url: str) -> list[Finding]:
    stmt = (
        select(
            LockOverride.month,
            LockOverride.table_name,
            LockOverride.row_id,
            LockOverride.reason,
            AuditLog.actor,
            AuditLog.action,
            AuditLog.at,
        )
        .join(AuditLog, AuditLog.id == LockOverride.audit_id)
        .order_by(LockOverride.id)
    )
    found = frame(url, stmt, ["month", "table", "row_id", "reason", "actor", "action", "at"])
    return [
        Finding(
            "locks.after_closing",
            "结账后修改",
            "结账",
            f"{TABLE_NAMES.get(r.table, r.table)} #{r.row_id}",
            f"{ACTIONS.get(r.action, r.action)}，{who(r.actor, None)}，{text.short_time(r.at)}",
            f"{month_name(r.month)}已结账后由管理员{ACTIONS.get(r.action, r.action)}",
            record_link(RECORD_PAGES[r.table], int(r.row_id)) if r.table in RECORD_PAGES else "audit",
            r.reason,
        )
        for r in found.itertuples()
    ]
