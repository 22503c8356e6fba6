"""Cached reads: keyed by the database URL, every filter, and the store's data version.

Several app processes may serve one store (a city or province on PostgreSQL behind a proxy). Clearing the
cache after a write only clears the writing process's; so every cached read is also keyed by the store's
data version, read at most every ``VERSION_TTL`` seconds per process. A write in one process is then seen by
every other on its next rerun.

The data version is the newest audit entry that changed data (data_layer/infra/audit.py ``newest_data_entry``):
every write appends one in its own transaction, and a restored backup replaces the log and appends its own
(a new id and chain hash: a new version, never an earlier one again). Sign-ins, failed sign-ins, sign-outs and
recorded downloads are audited too but change no figure, so they are left out: a sign-in neither empties every
process's caches nor moves 数据最后更新 (data_layer/queries/org.py ``last_write``, the same entry's time).

Why a partial index rather than a version row that every data write bumps: the audit entry is already written
in every data write's transaction, through one function, on both engines; an index over the entries that
change data (``ix_auditlog_data``, migration 0013) makes “the newest of them” one index step on SQLite and
PostgreSQL alike, however many sign-ins came after it. A version row would be a second thing every writer (the
services, the bulk path, accounts, settings, a restore) must remember to bump, a row every write contends on,
and one more table in every backup; the index needs none of that and nothing that writes has to change.
"""

from __future__ import annotations

import functools
import inspect
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

F = TypeVar("F", bound=Callable[..., Any])
VERSION_TTL = 0.5  # seconds: one page run reads the version once, however many queries it makes
_versions: dict[str, tuple[float, tuple]] = {}
_lock = threading.Lock()


def data_version(url: str) -> tuple:
    """The store's newest audit entry that changed data (id, time, chain hash): changes with every write of data,
    in every process, and with nothing else."""
    now = time.monotonic()
    with _lock:
        known = _versions.get(url)
    if known is not None and now - known[0] < VERSION_TTL:
        return known[1]
    from data_layer.infra.audit import newest_data_entry
    from data_layer.infra.db import get_engine

    with get_engine(url).connect() as conn:
        row = conn.execute(newest_data_entry()).first()
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
