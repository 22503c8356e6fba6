"""A fresh store per test; Streamlit caches and pooled engines cleared between tests."""

from __future__ import annotations

import logging
import os
import re
import shutil
import sqlite3
import tempfile
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import streamlit as st

from data_layer.auth import SignedIn
from data_layer.domain.roles import ROLES, Actor
from data_layer.infra import migrate, store
from data_layer.infra.db import dispose_engines
from tests import postgres_support

# The app's daily backups (pages/common/frame.py) go to a scratch folder, never the repository's data folder.
os.environ.setdefault("DPF_BACKUP_DIR", tempfile.mkdtemp(prefix="dpf-backups-"))

ENGINES = ["sqlite", "postgresql"]  # every store fixture runs each test on both

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


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL server for the session, or a skip that says why there is none."""
    bin_dir = postgres_support.binaries()
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql): the PostgreSQL half is skipped")
    server = postgres_support.Server(bin_dir)
    yield server
    dispose_engines()
    server.stop()


@pytest.fixture(scope="session")
def postgres_templates(postgres) -> dict[str, str]:
    """Template databases: empty (migrated), reference data, the county demo."""
    names = {}
    for name, demo, seeded in (("tpl_empty", False, False), ("tpl_reference", False, True), ("tpl_demo", True, True)):
        url = postgres.create(name)
        migrate.upgrade(url)
        if seeded:
            store.seed(url, demo=demo)
        names[name] = url
    dispose_engines()  # a template must have no open connections
    st.cache_data.clear()
    return names


def _store(request, tmp_path, kind: str, engine: str | None = None) -> str:
    """A private store of ``kind`` on the engine this test runs on."""
    if (engine or request.param) == "sqlite":
        if kind == "empty":
            url = sqlite_url(tmp_path / "empty.sqlite3")
            migrate.upgrade(url)
            return url
        return _copy(request.getfixturevalue(f"{kind}_template"), tmp_path)
    request.getfixturevalue("postgres_templates")
    server = request.getfixturevalue("postgres")
    url = server.clone(f"tpl_{kind}")

    def drop() -> None:
        dispose_engines()
        server.drop(url)

    request.addfinalizer(drop)
    return url


@pytest.fixture
def make_store(request, tmp_path):
    """For tests that choose the kind of store themselves: ``make_store("demo", "postgresql")``."""
    return lambda kind, engine: _store(request, tmp_path, kind, engine)


@pytest.fixture(params=ENGINES)
def demo_url(request, tmp_path) -> str:
    """A private copy of the seeded county demo."""
    return _store(request, tmp_path, "demo")


@pytest.fixture(params=ENGINES)
def empty_url(request, tmp_path) -> str:
    """A migrated store with no rows at all."""
    return _store(request, tmp_path, "empty")


@pytest.fixture(params=ENGINES)
def reference_url(request, tmp_path) -> str:
    """The county, its townships and projects, and the report's figures: no demo records."""
    return _store(request, tmp_path, "reference")


def rows(url: str, sql: str, params: tuple = ()) -> list[dict]:
    """Plain driver rows as dicts (sqlite3 or psycopg, no SQLAlchemy): the independent path the tests compare
    queries against. Values come back as SQLite gives them (dates as ISO text, booleans as 0/1), so one
    expectation holds on both engines."""
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            conn.row_factory = sqlite3.Row
            return [dict(r) for r in conn.execute(sql, params)]
    import psycopg
    from psycopg.rows import dict_row

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), row_factory=dict_row) as conn:
        found = conn.execute(sql.replace("?", "%s"), params).fetchall()
    return [{k: _as_sqlite(v) for k, v in r.items()} for r in found]


def _as_sqlite(value):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def shown(markdown: str) -> str:
    """What a reader sees of a markdown text the app escaped (``\\#1`` reads as ``#1``)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def person(name: str = "张三", role: str = "admin", township_id: int | None = None, areas=None) -> Actor:
    """Someone acting in a test: by default an administrator (every area, every township)."""
    from data_layer.domain.roles import AREAS

    return Actor(
        username=name, name=name, role=role, areas=tuple(AREAS) if areas is None else areas, township_id=township_id
    )


def signed_in_as(
    name: str = "张三", role: str = "admin", township_id: int | None = None, township=None, areas=None
) -> SignedIn:
    return SignedIn(person(name, role, township_id, areas), ROLES[role].name, township)


PASSWORD = "correct-horse"


@pytest.fixture
def staff(reference_url) -> str:
    """The reference store with one account: zhangsan (科室人员, 重点工程), password ``PASSWORD``."""
    from data_layer import auth

    auth.create_account(
        reference_url, username="zhangsan", display_name="张三", role="staff", password=PASSWORD, areas=("projects",)
    )
    return reference_url


def entering(kind):
    """What an entry page calls to create a record of ``kind`` (services.records.services_for), as a function of
    the record's fields as keywords: for tables of cases that name a writer and its arguments side by side."""
    from data_layer.services.records import services_for

    writes = services_for(kind)
    outside = {"db_url", "session", "actor", "confirm", "warning_note", "today"}

    def create(**kwargs):
        values = {k: v for k, v in kwargs.items() if k not in outside}
        return writes.create(**{k: v for k, v in kwargs.items() if k in outside}, values=values)

    return create


def updating(kind):
    """What an entry page calls to correct a record of ``kind``, as a function of keywords (the record's number as
    ``record_id``, ``entry_id`` or ``disbursement_id``, and the fields that change)."""
    from data_layer.services.records import services_for

    writes = services_for(kind)
    outside = {"db_url", "session", "actor", "confirm", "warning_note", "today"}
    numbers = {"record_id", "entry_id", "disbursement_id"}

    def update(**kwargs):
        values = {k: v for k, v in kwargs.items() if k not in outside | numbers}
        number = next(kwargs[k] for k in numbers if k in kwargs)
        return writes.update(**{k: v for k, v in kwargs.items() if k in outside}, record_id=number, values=values)

    return update
