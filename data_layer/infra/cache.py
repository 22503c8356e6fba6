"""Cached reads: keyed by the database URL, every filter, and the store's data version.

Several app processes may serve one store (a city or province on PostgreSQL behind a proxy). Clearing the
cache after a write only clears the writing process's; so every cached read is also keyed by the store's
data version — the newest audit entry, which every write appends in its own transaction (and which a
restored backup replaces) —, read at most every ``VERSION_TTL`` seconds per process. A write in one process
is then seen by every other on its next rerun.
"""

from __future__ import annotations

import functools
import inspect
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st
from sqlalchemy import select

F = TypeVar("F", bound=Callable[..., Any])
VERSION_TTL = 0.5  # seconds: one page run reads the version once, however many queries it makes
_versions: dict[str, tuple[float, tuple]] = {}
_lock = threading.Lock()


def data_version(url: str) -> tuple:
    """The store's newest audit entry (id, time, chain hash): changes with every write, in every process."""
    now = time.monotonic()
    with _lock:
        known = _versions.get(url)
    if known is not None and now - known[0] < VERSION_TTL:
        return known[1]
    from data_layer.infra.db import get_engine
    from data_layer.models import AuditLog

    stmt = select(AuditLog.id, AuditLog.at, AuditLog.chain).order_by(AuditLog.id.desc()).limit(1)
    with get_engine(url).connect() as conn:
        row = conn.execute(stmt).first()
    version = tuple(str(v) for v in row) if row else ()
    with _lock:
        _versions[url] = (now, version)
    return version


def cached_query(fn: F) -> F:
    """``fn(url, …)`` cached per arguments and data version. The URL is a real (hashed) argument, so one store's
    rows never serve another; the version makes a write elsewhere a new key, not a stale hit."""

    @functools.wraps(fn)  # the cache names the entry after ``fn`` (module, name and source), not this wrapper
    def versioned(url: str, version: tuple, *args: Any, **kwargs: Any) -> Any:
        return fn(url, *args, **kwargs)

    # the parameters as called (url, version, then fn's own), so the cache names each argument it hashes rightly
    params = list(inspect.signature(fn).parameters.values())
    version_param = inspect.Parameter("version", inspect.Parameter.POSITIONAL_OR_KEYWORD)
    versioned.__signature__ = inspect.signature(fn).replace(parameters=[params[0], version_param, *params[1:]])
    cached = st.cache_data(ttl="10m", max_entries=512, show_spinner=False)(versioned)

    @functools.wraps(fn)
    def read(url: str, *args: Any, **kwargs: Any) -> Any:
        return cached(url, data_version(url), *args, **kwargs)

    read.clear = cached.clear  # type: ignore[attr-defined]
    return read  # type: ignore[return-value]


def clear_reads() -> None:
    """Forget every cached query result and the known data versions (after a write, between tests)."""
    st.cache_data.clear()
    with _lock:
        _versions.clear()
