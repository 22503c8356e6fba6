"""The audit log as a chain: each row carries a hash over its content and the previous row's hash, so a
row deleted or changed directly in the database (a SQL client, a copied file) breaks the chain at a
place ``verify`` names. Rows written before the chain existed are sealed once, in order, on start.

Not every entry records a change of data: sign-ins, failed sign-ins, sign-outs and the record of a download are
in the log too. :func:`newest_data_entry` is the newest entry that changed data — the store's data version
(data_layer/infra/cache.py) and 数据最后更新 (data_layer/queries/org.py ``last_write``).

A chain alone cannot show that its newest rows were cut off (what is left still links up), nor that every row
was rewritten with fresh hashes. So the chain's head — the newest row's id and hash — is also kept outside the
table it protects, in a small file beside the data folder (written after each commit that added to the log),
and ``verify`` and the start-up check compare the log with it."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

from sqlalchemy import Select, event, text
from sqlmodel import Session, select

from data_layer.infra import guard
from data_layer.infra.db import get_engine, session_scope
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
    """Add ``row`` to the log, chained to the row before it; once committed, it is the head kept outside."""
    row.at = row.at or utcnow()
    row.chain = link(_chain_end(session), row)
    session.info[_KEY] = row.chain
    session.add(row)
    if not session.info.get(_LISTENING):
        session.info[_LISTENING] = True
        event.listen(session, "after_flush", _flushed)
        event.listen(session, "after_commit", _committed)
        event.listen(session, "after_rollback", lambda s: s.info.pop(_HEAD, None))
    session.info[_NEWEST] = row


# --- the head, kept outside the table -------------------------------------------------------------------

_NEWEST, _HEAD, _LISTENING = "audit_newest", "audit_head", "audit_listening"
REWIND = "audit_rewind"  # set on a session that replaced the log (a restored backup): its head may be lower
_heads_lock = threading.Lock()
log = logging.getLogger(__name__)


def _flushed(session: Session, _context) -> None:
    row = session.info.get(_NEWEST)
    if row is not None and row.id is not None:
        session.info[_HEAD] = (row.id, row.chain)


def _committed(session: Session) -> None:
    head = session.info.pop(_HEAD, None)
    session.info.pop(_NEWEST, None)
    rewind = session.info.pop(REWIND, False)
    if head is not None:
        bind = session.get_bind()
        _keep_head(_store_key(getattr(bind, "engine", bind).url), *head, rewind=rewind)


def heads_path() -> Path:
    """Beside the data folder, like the guard's ledger: deleting or copying the store leaves it in place."""
    return guard.ledger_path().with_name(".dpf-audit-heads.json")


def _store_key(url) -> str:
    return url.render_as_string(hide_password=True)


def _heads() -> dict:
    try:
        found = json.loads(heads_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _keep_head(key: str, row_id: int, chain: str, *, rewind: bool = False) -> None:
    """Remember the newest row (never move back — two processes may commit in either order — unless the log was
    replaced: ``rewind``)."""
    with _heads_lock:
        heads = _heads()
        if heads.get(key, {}).get("id", 0) > row_id and not rewind:
            return
        heads[key] = {"id": row_id, "chain": chain}
        path = heads_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            spare = path.with_suffix(f".{os.getpid()}.tmp")
            spare.write_text(json.dumps(heads, ensure_ascii=False), encoding="utf-8")
            os.replace(spare, path)
        except OSError as exc:  # the write is committed; the next one keeps the head again
            log.warning("操作记录的末尾校验值没有写入：%s", exc)


def head_of(url: str) -> dict | None:
    """The head kept for the store at ``url`` (its id and hash), if any."""
    return _heads().get(_store_key(get_engine(url).url))


def cut_end(url: str) -> str | None:
    """The start-up check (two reads, not a walk): the kept head must still be in the log, unchanged."""
    head = head_of(url)
    if head is None:
        return None
    with session_scope(url) as session:
        newest = session.exec(select(AuditLog.id).order_by(AuditLog.id.desc()).limit(1)).first() or 0
        chain = session.exec(select(AuditLog.chain).where(AuditLog.id == head["id"])).first()
    if chain is None:
        lost = head["id"] - newest
        return (
            f"操作记录的末尾被截去：最近一次保存写到第 {head['id']} 条，现在只到第 {newest} 条（至少 {lost} 条不见了）"
        )
    if chain != head["chain"]:
        return f"第 {head['id']} 条（最近一次保存时的最后一条）与保存时不同：操作记录被改写过"
    return None


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
    if cut := cut_end(url):
        return Verdict(count, head_of(url)["id"], cut)
    return Verdict(count, None, f"完整：{count} 条操作记录首尾相连，没有被改动或删除的痕迹")
