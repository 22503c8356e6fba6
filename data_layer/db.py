"""The engine (one per database URL) and short-lived sessions."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, event
from sqlmodel import Session, create_engine

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    # WAL lets the dashboard read while staff write; the timeout waits out short write locks.
    for pragma in ("journal_mode=WAL", "busy_timeout=15000", "foreign_keys=ON", "synchronous=NORMAL"):
        cur.execute(f"PRAGMA {pragma}")
    cur.close()


def get_engine(url: str) -> Engine:
    """The shared, thread-safe engine for ``url``, created on first use."""
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            is_sqlite = url.startswith("sqlite")
            engine = create_engine(
                url,
                pool_pre_ping=True,
                connect_args={"check_same_thread": False, "timeout": 15} if is_sqlite else {},
            )
            if is_sqlite:
                event.listen(engine, "connect", _sqlite_pragmas)
            _engines[url] = engine
        return engine


def dispose_engines() -> None:
    """Close every pooled connection (tests, reset)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


@contextmanager
def session_scope(url: str) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    with Session(get_engine(url), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
