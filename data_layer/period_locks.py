"""结账: a month closed once it has been reported. The shared record writers (services/_core.py) ask here
before they write a record dated in a month: anyone but an administrator is refused, naming the lock; an
administrator is asked to confirm with a reason, and the change is recorded as made after closing
(``LockOverride``, listed on 数据质量 and in 操作记录)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from data_layer.domain import text
from data_layer.domain.errors import NeedsConfirmation, ValidationFailed
from data_layer.domain.roles import Actor
from data_layer.models import AuditLog, LockOverride, PeriodLock

REASON_MAX = 200
REASON_NEEDED = "结账后修改必须写明原因"


def month_name(month: date) -> str:
    """“2023年3月”: text.month (the name pages/reporting.py and services/locks.py import)."""
    return text.month(month)


def first_of(day: date) -> date:
    return day.replace(day=1)


def lock_of(session: Session, day: date | None) -> PeriodLock | None:
    if day is None:
        return None
    return session.exec(select(PeriodLock).where(PeriodLock.month == first_of(day))).first()


def refusal(lock: PeriodLock) -> str:
    return (
        f"{month_name(lock.month)}已结账（{lock.locked_by}，{text.day(text.local_day(lock.locked_at))}），"
        "不能再录入、修改或删除这个月的数据；如需更正请联系管理员"
    )


def warning(lock: PeriodLock) -> str:
    return f"{month_name(lock.month)}已结账：保存即为结账后修改，会在数据质量和操作记录中标出，请在说明中写明原因"


def closed_months(session: Session, days: list[date | None], actor: Actor, field: str) -> dict[str, str]:
    """The errors (for anyone but an administrator) or warnings (for an administrator) that writing a record
    dated on ``days`` (its old and new dates) meets; empty when every month is open."""
    locks = {lock.month: lock for day in days if (lock := lock_of(session, day)) is not None}
    if not locks:
        return {}
    lock = locks[min(locks)]
    if not actor.kind.admin:
        raise ValidationFailed({field: refusal(lock)})
    return {"locked": warning(lock)}


def require_reason(warnings: dict[str, str], confirm: bool, reason: str) -> None:
    """An administrator's change after closing needs a reason (the note that confirms it)."""
    if "locked" not in warnings:
        return
    if not confirm:
        raise NeedsConfirmation(warnings)
    if not (reason or "").strip():
        raise ValidationFailed({"warning_note": REASON_NEEDED})
    if len(reason.strip()) > REASON_MAX:
        raise ValidationFailed({"warning_note": f"原因不能超过 {REASON_MAX} 字"})


def record_override(session: Session, entry: AuditLog, days: list[date | None], reason: str) -> None:
    """Mark the audit entry just written as a change after closing, with its reason."""
    month = min(first_of(d) for d in days if d is not None and lock_of(session, d) is not None)
    session.flush()  # the audit entry's id
    session.add(
        LockOverride(
            audit_id=entry.id, month=month, table_name=entry.table_name, row_id=entry.row_id, reason=reason.strip()
        )
    )


def check_write(
    session: Session, actor: Actor, days: list[date | None], field: str, confirm: bool, reason: str
) -> bool:
    """For a writer outside the shared record path (the levy's inspections and payments): refuse, or ask an
    administrator for a reason. True when the write is after closing (then ``record_override`` it)."""
    warnings = closed_months(session, days, actor, field)
    require_reason(warnings, confirm, reason)
    return bool(warnings)
