"""结账 and 取消结账: an administrator closes months once reported, and may reopen them with a reason.
Both are audited; what a closed month means for a write is data_layer/period_locks.py."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from data_layer.domain.errors import Checks, NeedsConfirmation
from data_layer.domain.limits import EARLIEST
from data_layer.domain.roles import Actor
from data_layer.models import PeriodLock
from data_layer.period_locks import REASON_MAX, first_of, month_name
from data_layer.services._core import audit, check_actor, service, snapshot


@service(admin=True)
def close_months(
    *,
    session: Session,
    actor: Actor,
    months: list[date],
    note: str = "",
    today: date | None = None,
    confirm: bool = True,
) -> list[int]:
    """Close each month (any day of it); months already closed are left as they are. ``confirm=False`` (a
    person at the page): the months to be closed come back as a question first (``NeedsConfirmation``)."""
    checks = Checks()
    check_actor(checks, actor)
    checks.require(bool(months), "months", "请选择要结账的月份")
    checks.require(len(note.strip()) <= REASON_MAX, "note", f"说明不能超过 {REASON_MAX} 字")
    today = today or date.today()
    late = [m for m in months if first_of(m) > first_of(today)]
    checks.require(not late, "months", f"{'、'.join(month_name(m) for m in late)}还没到，不能结账")
    early = [m for m in months if m < EARLIEST]
    checks.require(not early, "months", f"{EARLIEST.year}年以前的月份没有数据，不能结账")
    checks.raise_if_any()
    wanted = [m for m in sorted({first_of(m) for m in months}) if not _closed(session, m)]
    if not confirm and wanted:
        named = "、".join(month_name(m) for m in wanted)
        question = f"将结账 {len(wanted)} 个月：{named}。结账后其他人不能再录入、修改或删除这些月份的数据。"
        raise NeedsConfirmation({"months": question})
    closed = []
    for month in wanted:
        lock = PeriodLock(month=month, locked_by=actor.name, note=note.strip())
        session.add(lock)
        session.flush()
        audit(session, actor=actor, action="lock", row=lock)
        closed.append(lock.id)
    return closed


def _closed(session: Session, month: date) -> bool:
    return session.exec(select(PeriodLock).where(PeriodLock.month == month)).first() is not None


@service(admin=True)
def reopen_months(*, session: Session, actor: Actor, months: list[date], reason: str) -> None:
    """Reopen closed months (a late report, a correction round), several at once for one reason (all or none);
    the reason stays in the audit log."""
    checks = Checks()
    checks.require(bool(months), "months", "请选择要取消结账的月份")
    checks.raise_if_any()
    for month in sorted(set(months)):
        _reopen(session, actor, month, reason)


def _reopen(session: Session, actor: Actor, month: date, reason: str) -> None:
    checks = Checks()
    check_actor(checks, actor)
    lock = session.exec(select(PeriodLock).where(PeriodLock.month == first_of(month))).first()
    checks.require(lock is not None, "months", f"{month_name(first_of(month))}没有结账")
    if checks.require(bool(reason.strip()), "reason", "请写明取消结账的原因"):
        checks.require(len(reason.strip()) <= REASON_MAX, "reason", f"原因不能超过 {REASON_MAX} 字")
    checks.raise_if_any()
    before = snapshot(lock)
    lock.note = f"取消结账：{reason.strip()}"[:REASON_MAX]  # what the audit entry's "after" shows
    audit(session, actor=actor, action="unlock", row=lock, before=before)
    session.delete(lock)
    session.flush()
