"""The audit log as a chain: each row carries a hash over its content and the previous row's hash, so a
row deleted or changed directly in the database (a SQL client, a copied file) breaks the chain at a
place ``verify`` names. Rows written before the chain existed are sealed once, in order, on start.

Not every entry records a change of data: sign-ins, failed sign-ins, sign-outs and the record of a download are
in the log too. :func:`newest_data_entry` is the newest entry that changed data — the store's data version
(data_layer/infra/cache.py) and 数据最后更新 (data_layer/queries/org.py ``last_write``)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC

from sqlalchemy import Select, text
from sqlmodel import Session, select

from data_layer.infra.db import session_scope
from data_layer.models import AUDIT_DATA_ONLY, AuditLog, utcnow

_KEY = "audit_chain"  # the chain's end, kept on the session while a transaction writes many rows
_LOCK = 0x61756469  # PostgreSQL: one appender at a time, so two transactions never fork the chain


def _content(row: AuditLog) -> str:
    moment = row.at.astimezone(UTC) if row.at.tzinfo else row.at.replace(tzinfo=UTC)
    parts = (moment.strftime("%Y-%m-%dT%H:%M:%S.%f"), row.actor, row.action, row.table_name, row.row_id)
    return "\x1f".join((*parts, row.before or "", row.after or ""))


def link(previous: str, row: AuditLog) -> str:
    return hashlib.sha256(f"{previous}\x1e{_content(row)}".encode()).hexdigest()


def _chain_end(session: Session) -> str:
    if _KEY not in session.info:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK})
        last = session.exec(select(AuditLog.chain).order_by(AuditLog.id.desc()).limit(1)).first()
        session.info[_KEY] = last or ""
    return session.info[_KEY]


def append(session: Session, row: AuditLog) -> None:
    """Add ``row`` to the log, chained to the row before it."""
    row.at = row.at or utcnow()
    row.chain = link(_chain_end(session), row)
    session.info[_KEY] = row.chain
    session.add(row)


def newest_data_entry() -> Select:
    """The newest entry that created, changed, deleted or restored data (an import, 结账, a restored backup, a
    setting, an account included): its id, time and chain hash. Sign-ins, failed sign-ins, sign-outs and recorded
    downloads leave it as it was. The condition is written as the partial index ``ix_auditlog_data`` is (literal
    SQL, no bound values), so both engines read the one newest id from that index instead of walking back
    through every sign-in after it."""
    return (
        select(AuditLog.id, AuditLog.at, AuditLog.chain)
        .where(text(AUDIT_DATA_ONLY))
        .order_by(AuditLog.id.desc())
        .limit(1)
    )


def seal(url: str) -> int:
    """Chain the rows written before the chain existed (once, on start); returns how many were sealed."""
    with session_scope(url) as session:
        unsealed = session.exec(select(AuditLog).where(AuditLog.chain == "").order_by(AuditLog.id)).all()
        if not unsealed:
            return 0
        before = session.exec(
            select(AuditLog.chain).where(AuditLog.id < unsealed[0].id).order_by(AuditLog.id.desc()).limit(1)
        ).first()
        previous = before or ""
        for row in unsealed:
            row.chain = previous = link(previous, row)
            session.add(row)
        return len(unsealed)


@dataclass(frozen=True)
class Verdict:
    rows: int
    broken_at: int | None  # the first row whose hash does not follow from the rows before it
    reason: str

    @property
    def whole(self) -> bool:
        return self.broken_at is None


def verify(url: str) -> Verdict:
    """Walk the log in order and recompute every link."""
    previous, count = "", 0
    with session_scope(url) as session:
        for row in session.exec(select(AuditLog).order_by(AuditLog.id)):
            count += 1
            if not row.chain:
                return Verdict(count, row.id, f"第 {row.id} 条没有校验值（在数据库中被直接写入或改动）")
            if row.chain != link(previous, row):
                return Verdict(count, row.id, f"第 {row.id} 条与前一条对不上：它或它前面的记录被改动或删除过")
            previous = row.chain
    return Verdict(count, None, f"完整：{count} 条操作记录首尾相连，没有被改动或删除的痕迹")
