"""A fresh store per test; Streamlit caches and pooled engines cleared between tests."""

from __future__ import annotations

import logging
import shutil
import sqlite3
from pathlib import Path

import pytest
import streamlit as st

from data_layer import migrate, store
from data_layer.db import dispose_engines

# Cached queries run outside a Streamlit server here; that is expected, not worth a warning each.
logging.getLogger("streamlit.runtime.caching.cache_data_api").setLevel(logging.ERROR)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    """No test sees another's cache, engine or data folder."""
    monkeypatch.setenv("DPF_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()
    dispose_engines()


def _template(folder: Path, *, demo: bool) -> Path:
    path = folder / "store.sqlite3"
    url = sqlite_url(path)
    migrate.upgrade(url)
    store.seed(url, demo=demo)
    dispose_engines()
    with sqlite3.connect(path) as conn:  # fold the WAL into the file so a plain copy is complete
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    st.cache_data.clear()
    return path


def _copy(template: Path, folder: Path) -> str:
    path = folder / f"{template.parent.name}.sqlite3"  # demo0 / reference0: two copies may share a folder
    shutil.copy(template, path)
    return sqlite_url(path)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """The county demo, seeded once per session (≈15 s); tests get copies."""
    return _template(tmp_path_factory.mktemp("demo"), demo=True)


@pytest.fixture(scope="session")
def reference_template(tmp_path_factory) -> Path:
    return _template(tmp_path_factory.mktemp("reference"), demo=False)


@pytest.fixture
def demo_url(demo_template, tmp_path) -> str:
    """A private copy of the seeded county demo."""
    return _copy(demo_template, tmp_path)


@pytest.fixture
def empty_url(tmp_path) -> str:
    """A migrated store with no rows at all."""
    url = sqlite_url(tmp_path / "empty.sqlite3")
    migrate.upgrade(url)
    return url


@pytest.fixture
def reference_url(reference_template, tmp_path) -> str:
    """The county, its townships and projects, and the report's figures: no demo records."""
    return _copy(reference_template, tmp_path)


def rows(url: str, sql: str, params: tuple = ()) -> list[dict]:
    """Plain sqlite3 rows as dicts: the independent path the tests compare queries against."""
    path = url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql, params)]
