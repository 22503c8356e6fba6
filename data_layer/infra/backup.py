"""备份与恢复: a whole-store snapshot in one portable file, a dry run of it, and an all-or-nothing restore.

The file format (``.dpfbak``) is the same on both engines: gzip-compressed UTF-8 JSON::

    {"format": "dpf-backup", "version": 1, "alembic_revision": "0005", "made_at": "<ISO, UTC>",
     "engine": "sqlite" | "postgresql", "tables": {name: row_count, ...},
     "data": {name: {"columns": [...], "rows": [[value, ...], ...]}, ...}}

Tables come in the metadata's ``sorted_tables`` order (parents first). JSON numbers, strings, booleans and
null are stored as they are; dates and datetimes as ISO text (datetimes with their offset), Decimals as
text, bytes as base64. A restore turns them back by the column's type in the models, so every value
round-trips exactly.

Why one portable format rather than a copy of the SQLite file or pg_dump: one file restores on either engine
(a county moving from the embedded SQLite file to PostgreSQL restores its SQLite backup there), a dry run can
read and check it without touching the store, and a restore writes in place inside one transaction. Writing
in place matters: replacing the SQLite file under the running app would look to data_layer/guard.py like a
swapped store, and a half-copied file cannot be rolled back. Consistency of the snapshot: SQLite is first
copied with the online backup API (one step under one read lock: one moment, even in WAL mode, never a file
copy of a live database) and read from that copy; PostgreSQL is read in one REPEATABLE READ transaction.

A backup holds the schema revision it was made at; only a backup at this program's revision is restored
(the rows are written through the current models). The whole file is held in memory: fine for a county store.
"""

from __future__ import annotations

import base64
import gzip
import json
import os
import sqlite3
import tempfile
import zlib
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Integer, create_engine, func, inspect, select, text
from sqlalchemy.exc import IntegrityError, InternalError, OperationalError
from sqlalchemy.pool import NullPool

from data_layer.domain import text as words
from data_layer.domain.errors import StoreUnavailable, ValidationFailed
from data_layer.domain.roles import Actor
from data_layer.domain.table_names import TABLE_NAMES
from data_layer.infra import guard, migrate, settings, store_identity
from data_layer.infra.audit import REWIND, append
from data_layer.infra.cache import clear_reads
from data_layer.infra.db import get_engine, session_scope
from data_layer.infra.store_errors import GONE, store_unavailable
from data_layer.models import Account, AppSetting, AuditLog, SignIn, metadata

FORMAT, VERSION, SUFFIX = "dpf-backup", 1, ".dpfbak"
KEEP_DAILY = 14


DAMAGED = "备份文件已损坏或不完整（无法读出全部内容），没有恢复，数据库保持原样。"
NOT_OURS = "这不是本系统的备份文件，没有恢复，数据库保持原样。"


class BackupRefused(Exception):
    """A backup file that cannot be restored (the message says why, in words for the administrator)."""


class TableCount(NamedTuple):
    table: str
    name: str  # the Chinese name where there is one, else the table's own
    in_backup: int
    in_store: int


@dataclass(frozen=True)
class BackupPlan:
    """What a restore of this file would do: rows per table in the backup and in the store now."""

    made_at: datetime
    revision: str
    engine: str  # the engine the backup was made on
    tables: list[TableCount]


@dataclass(frozen=True)
class RestoreResult:
    made_at: datetime  # of the restored backup
    restored: dict[str, int]  # rows per table now in the store
    saved_first: Path  # the before-restore backup of the store as it was


@dataclass(frozen=True)
class BackupFile:
    path: Path
    kind: str  # daily / before-restore / backup (made by hand) / other
    made_at: datetime
    size: int


@dataclass(frozen=True)
class _Backup:
    made_at: datetime
    revision: str
    engine: str
    rows: dict[str, list[dict[str, Any]]]


# --- making a backup ------------------------------------------------------------------------------------


def make_backup(url: str) -> bytes:
    """A consistent snapshot of every table of the store at ``url``, as the bytes of a ``.dpfbak`` file."""
    path = guard.sqlite_file(url)
    if path is None:
        with get_engine(url).connect() as conn:
            conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            with conn.begin():  # every table as of one moment, while others keep writing
                doc = _read(conn)
    else:
        doc = _sqlite_snapshot(path)
    return gzip.compress(json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode(), compresslevel=6)


def write_backup(url: str, path: str | Path) -> Path:
    """Write a backup of ``url`` to ``path`` (via a temporary file: a reader never sees half a backup)."""
    return _atomic_write(Path(path), make_backup(url))


def _sqlite_snapshot(path: Path) -> dict:
    if not path.exists():  # sqlite3.connect would create an empty store and back that up
        raise StoreUnavailable(GONE)
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "snapshot.sqlite3"
        with (
            closing(sqlite3.connect(path, timeout=settings.write_wait_seconds())) as source,
            closing(sqlite3.connect(copy)) as target,
        ):
            source.backup(target)  # all pages in one step, under one read lock: one moment of the store
        engine = create_engine(f"sqlite:///{copy}", poolclass=NullPool)
        try:
            with engine.connect() as conn:
                return _read(conn)
        finally:
            engine.dispose()


def _read(conn: Connection) -> dict:
    revision = _revision_of(conn)
    head = _head()
    if revision != head:
        raise BackupRefused(
            f"数据库的结构版本（{revision or '无'}）不是本程序的版本（{head}），"
            "请先执行 python -m data_layer migrate 再备份。"
        )
    data = {}
    for table in metadata.sorted_tables:
        result = conn.execute(select(table).order_by(*table.primary_key.columns))
        data[table.name] = {"columns": list(result.keys()), "rows": [[_encode(v) for v in row] for row in result]}
    return {
        "format": FORMAT,
        "version": VERSION,
        "alembic_revision": revision,
        "made_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "engine": conn.dialect.name,
        "tables": {name: len(part["rows"]) for name, part in data.items()},
        "data": data,
    }


def _encode(value: Any) -> Any:
    if isinstance(value, date):  # datetime too
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)  # text, not a float: 0.0150 stays 0.0150
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


# --- reading and checking a backup ----------------------------------------------------------------------


def _head() -> str:
    return ScriptDirectory.from_config(migrate.alembic_config("")).get_current_head()


def _revision_of(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _decoder(column) -> Any:
    """How a column's JSON value becomes its Python value again (None: as it is)."""
    try:  # a TypeDecorator (SQLModel's UTCDateTime, AutoString) says "object": ask the type it wraps
        kind = getattr(column.type, "impl_instance", column.type).python_type
    except NotImplementedError:
        return None
    return {datetime: datetime.fromisoformat, date: date.fromisoformat, Decimal: Decimal, bytes: base64.b64decode}.get(
        kind
    )


def _load(data: bytes) -> _Backup:
    """The backup in ``data``, checked through: any damage is a ``BackupRefused`` before anything is written."""
    try:
        doc = json.loads(gzip.decompress(data))
    except (OSError, EOFError, zlib.error, ValueError):  # not gzip, cut short, not JSON
        raise BackupRefused(DAMAGED) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise BackupRefused(NOT_OURS)
    if doc.get("version") != VERSION:
        raise BackupRefused(f"备份文件的格式版本（{doc.get('version')}）本程序不认识，没有恢复，数据库保持原样。")
    revision, head = doc.get("alembic_revision"), _head()
    if revision != head:
        known = {s.revision for s in ScriptDirectory.from_config(migrate.alembic_config("")).walk_revisions()}
        why = "备份来自旧版本的程序，请用当时版本的程序恢复" if revision in known else "本程序不认识这个版本"
        raise BackupRefused(
            f"备份的数据库结构版本（{revision}）与本程序（{head}）不同：{why}。没有恢复，数据库保持原样。"
        )
    parts, counts = doc.get("data"), doc.get("tables")
    if not isinstance(parts, dict) or not isinstance(counts, dict):
        raise BackupRefused(DAMAGED)
    if unknown := sorted(set(parts) - set(metadata.tables)):
        raise BackupRefused(f"备份中有本程序不认识的表：{'、'.join(unknown)}。没有恢复，数据库保持原样。")
    if missing := sorted(set(metadata.tables) - set(parts)):
        raise BackupRefused(f"备份缺少这些表：{'、'.join(missing)}。没有恢复，数据库保持原样。")
    try:
        made_at = datetime.fromisoformat(doc["made_at"])
    except (KeyError, TypeError, ValueError):
        raise BackupRefused(DAMAGED) from None
    rows = {t.name: _decode(t, parts[t.name], counts.get(t.name)) for t in metadata.sorted_tables}
    return _Backup(made_at, revision, str(doc.get("engine", "")), rows)


def _decode(table, part: Any, count: Any) -> list[dict[str, Any]]:
    """One table's rows as the dicts an insert takes, each value of its column's Python type."""
    name = TABLE_NAMES.get(table.name, table.name)
    try:
        columns, values = part["columns"], part["rows"]
        if sorted(columns) != sorted(table.columns.keys()):
            raise BackupRefused(f"备份中“{name}”的列与本程序对不上。没有恢复，数据库保持原样。")
        if count != len(values):  # the header and the rows disagree: cut short or edited
            raise BackupRefused(DAMAGED)
        decoders = [_decoder(table.c[c]) for c in columns]
        decoded = []
        for row in values:
            if not isinstance(row, list):
                raise TypeError(row)
            decoded.append(
                {c: v if v is None or d is None else d(v) for c, d, v in zip(columns, decoders, row, strict=True)}
            )
        return decoded
    except (KeyError, TypeError, ValueError, ArithmeticError):  # a value that is not of its column's type
        raise BackupRefused(f"备份中“{name}”的数据已损坏。没有恢复，数据库保持原样。") from None


def _store_counts(conn: Connection) -> dict[str, int]:
    return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in metadata.sorted_tables}


def _check_store(conn: Connection) -> None:
    """Rows are written through the current models: the store must have their schema."""
    if (revision := _revision_of(conn)) != _head():
        raise BackupRefused(
            f"当前数据库的结构版本（{revision or '无'}）不是本程序的版本，请先执行 python -m data_layer migrate。"
        )


def inspect_backup(url: str, data: bytes) -> BackupPlan:
    """A dry run: the backup's rows per table against the store's now. Changes nothing."""
    backup = _load(data)
    with get_engine(url).connect() as conn:
        _check_store(conn)
        store = _store_counts(conn)
    names = [t.name for t in metadata.sorted_tables]
    tables = [TableCount(t, TABLE_NAMES.get(t, t), len(backup.rows[t]), store[t]) for t in names]
    return BackupPlan(backup.made_at, backup.revision, backup.engine, tables)


# --- restoring ------------------------------------------------------------------------------------------


def restore_backup(url: str, data: bytes, *, actor: Actor) -> RestoreResult:
    """Replace every table's rows with the backup's, in one transaction (all or nothing), after saving the
    store as it is to a before-restore backup. The store keeps its own identity (``guard.STORE_ID``): it is
    the same store at the same place, now holding the backup's content, so the guard does not see a swap."""
    if not actor.kind.admin:
        raise ValidationFailed({"actor": "只有管理员可以恢复备份"})
    backup = _load(data)  # a damaged file is refused before anything is written, even the safety copy
    with get_engine(url).connect() as conn:
        _check_store(conn)
    try:
        saved_first = write_backup(url, _new_path("before-restore"))
    except OSError as exc:  # no copy of the store as it is: no restore either
        raise BackupRefused(f"无法先备份当前数据库（{exc.strerror or exc}），没有恢复，数据库保持原样。") from exc
    try:
        with session_scope(url) as session:
            conn = session.connection()
            if conn.dialect.name == "postgresql":  # writers wait (readers still see the old rows until commit)
                names = ", ".join(conn.dialect.identifier_preparer.format_table(t) for t in metadata.sorted_tables)
                conn.execute(text(f"LOCK TABLE {names} IN EXCLUSIVE MODE"))
            before = _store_counts(conn)
            own_id = conn.execute(select(AppSetting.value).where(AppSetting.key == guard.STORE_ID)).scalar()
            live = _live_sign_ins(conn)
            for table in reversed(metadata.sorted_tables):  # children first, so no foreign key is left dangling
                conn.execute(table.delete())
            for table in metadata.sorted_tables:  # parents first
                rows = backup.rows[table.name]
                if table.name == AppSetting.__tablename__ and own_id is not None:
                    rows = [r for r in rows if r["key"] != guard.STORE_ID] + [{"key": guard.STORE_ID, "value": own_id}]
                if rows:
                    conn.execute(table.insert(), rows)
            if conn.dialect.name == "postgresql":
                _reset_sequences(conn)
            _keep_sign_ins(conn, live)
            restored = _store_counts(conn)
            # After the restored audit rows (the chain continues from the backup's last row), in this transaction;
            # the head kept outside the log follows it back to the backup's end.
            session.info[REWIND] = True
            append(
                session,
                AuditLog(
                    actor=actor.username,
                    action="restore",
                    table_name="backup",
                    row_id=backup.made_at.isoformat(timespec="seconds")[:40],
                    before=json.dumps({"tables": before}, ensure_ascii=False),
                    after=json.dumps(
                        {"made_at": backup.made_at.isoformat(), "saved_first": saved_first.name, "tables": restored},
                        ensure_ascii=False,
                    ),
                ),
            )
    except IntegrityError as exc:
        raise BackupRefused("备份中的数据不符合数据库的约束（可能文件被改动过），没有恢复，数据库保持原样。") from exc
    except (OperationalError, InternalError) as exc:  # busy past the timeout, read-only, gone: rolled back
        raise store_unavailable(exc) from exc
    clear_reads()
    store_identity.entered(url)  # the store holds entered data again: never silently replaced by a demo
    return RestoreResult(backup.made_at, restored, saved_first)


def _live_sign_ins(conn: Connection) -> list:
    query = (
        select(SignIn.token_hash, Account.username, SignIn.created_at, SignIn.expires_at)
        .join(Account, Account.id == SignIn.account_id)
        .where(SignIn.ended_at.is_(None))
    )
    return list(conn.execute(query))


def _keep_sign_ins(conn: Connection, live: list) -> None:
    """Sign-ins are not the office's data: whoever is signed in now (the administrator restoring, above all)
    stays signed in if the backup has their account; ``signed_in`` still checks it is active."""
    accounts = dict(conn.execute(select(Account.username, Account.id)).all())
    known = set(conn.execute(select(SignIn.token_hash)).scalars())
    keep = [
        {"token_hash": t, "account_id": accounts[u], "created_at": c, "expires_at": e}
        for t, u, c, e in live
        if u in accounts and t not in known
    ]
    if keep:
        conn.execute(SignIn.__table__.insert(), keep)


def _reset_sequences(conn: Connection) -> None:
    """Rows came back with their ids: the next id of each serial column follows the largest one restored."""
    for table in metadata.sorted_tables:
        for column in (c for c in table.primary_key.columns if isinstance(c.type, Integer)):
            conn.execute(
                text(
                    f"SELECT setval(seq, COALESCE((SELECT MAX({column.name}) FROM {table.name}), 0) + 1, false) "
                    "FROM pg_get_serial_sequence(:table, :column) AS seq WHERE seq IS NOT NULL"
                ),
                {"table": table.name, "column": column.name},
            )


# --- the backup folder ----------------------------------------------------------------------------------


def backup_folder() -> Path:
    """Where automatic backups go (``DPF_BACKUP_DIR``, default the data folder's ``backups``)."""
    return Path(os.environ.get("DPF_BACKUP_DIR") or settings.data_dir() / "backups")


def _new_path(kind: str, now: datetime | None = None) -> Path:
    """``backup-20261207-175500.dpfbak``: when it was made, Beijing time (``now``: a time without a zone is UTC)."""
    stamp = f"{kind}-{words.file_stamp(now)}"
    path, n = backup_folder() / f"{stamp}{SUFFIX}", 1
    while path.exists():  # two in one second: never overwrite a backup
        n += 1
        path = backup_folder() / f"{stamp}-{n}{SUFFIX}"
    return path


def new_backup_path() -> Path:
    """A fresh timestamped name in the backup folder for a backup made by hand."""
    return _new_path("backup")


def _atomic_write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")  # not *.dpfbak: never listed
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)  # atomic: another process sees no file or the whole file
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def daily_backup_if_due(url: str, now: datetime | None = None) -> Path | None:
    """Today's ``daily-YYYYMMDD.dpfbak`` if there is none yet (None otherwise); keeps the latest 14 daily
    files and never touches the others. Several processes may call it at once: each writes whole files.
    Today is the Beijing date of ``now`` (default: now; a time without a zone is UTC)."""
    folder = backup_folder()
    path = folder / f"daily-{words.stamp(now)}{SUFFIX}"
    if path.exists():
        return None
    write_backup(url, path)
    for old in sorted(folder.glob(f"daily-*{SUFFIX}"))[:-KEEP_DAILY]:  # names sort by date
        old.unlink(missing_ok=True)
    return path


def list_backups() -> list[BackupFile]:
    """The backup files in the folder, newest first."""
    found = []
    for path in backup_folder().glob(f"*{SUFFIX}"):
        try:
            info = path.stat()
        except FileNotFoundError:  # pruned by another process meanwhile
            continue
        kind = next((k for k in ("daily", "before-restore", "backup") if path.name.startswith(f"{k}-")), "other")
        found.append(BackupFile(path, kind, datetime.fromtimestamp(info.st_mtime, UTC), info.st_size))
    return sorted(found, key=lambda f: (f.made_at, f.path.name), reverse=True)


def latest_daily() -> BackupFile | None:
    daily = [f for f in list_backups() if f.kind == "daily"]
    return max(daily, key=lambda f: f.path.name, default=None)
