"""The engine (one per database URL) and short-lived sessions."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, event
from sqlmodel import Session, create_engine

from data_layer.domain.errors import StoreUnavailable
from data_layer.infra import guard, settings

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def _sqlite_pragmas(url: str, timeout_ms: int):
    def on_connect(dbapi_conn, _record) -> None:
        cur = dbapi_conn.cursor()
        # WAL lets the dashboard read while staff write; the timeout waits out short write locks.
        for pragma in ("journal_mode=WAL", f"busy_timeout={timeout_ms}", "foreign_keys=ON", "synchronous=NORMAL"):
            cur.execute(f"PRAGMA {pragma}")
        cur.close()
        guard.opened(url)  # the file this process works on (a later, different file is noticed)

    return on_connect


def get_engine(url: str) -> Engine:
    """The shared, thread-safe engine for ``url``, created on first use."""
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            is_sqlite = url.startswith("sqlite")
            wait = settings.write_wait_seconds()
            pool = {}
            if not is_sqlite:
                size, overflow = settings.pool_size()
                pool = dict(pool_size=size, max_overflow=overflow, pool_recycle=1800)
            engine = create_engine(
                url,
                pool_pre_ping=True,
                connect_args={"check_same_thread": False, "timeout": wait}
                if is_sqlite
                # a held lock: a message, not a hang; no JIT: compiling a board query took PostgreSQL about 1 s,
                # more than running it (the dashboard's queries are many and short)
                else {"options": f"-c lock_timeout={int(wait * 1000)} -c jit=off"},
                **pool,
            )
            if is_sqlite:
                event.listen(engine, "connect", _sqlite_pragmas(url, int(wait * 1000)))
            _engines[url] = engine
        return engine


def dispose_engines() -> None:
    """Close every pooled connection (tests, reset)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
    guard.forget()


@contextmanager
def session_scope(url: str) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    with Session(get_engine(url), expire_on_commit=False) as session:
        try:
            yield session
            if not guard.intact(url):  # the file was deleted or replaced: this write would be lost
                raise StoreUnavailable(guard.VANISHED)
            session.commit()
        except BaseException:
            session.rollback()
            raise
