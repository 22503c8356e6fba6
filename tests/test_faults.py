"""Faults a county office meets: the data folder deleted or the file replaced under the running app, a
store that cannot be written (read-only, another writer holding the lock), a page that fails. Each gets a
Chinese message, nothing is half-saved, and a store with entered data is never replaced by a demo."""

from __future__ import annotations

import shutil
import sqlite3
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import event
from streamlit.testing.v1 import AppTest

from data_layer.domain.errors import StoreUnavailable
from data_layer.infra import guard, store, store_identity
from data_layer.infra.db import dispose_engines, get_engine
from data_layer.infra.guard import StoreVanished
from data_layer.infra.store_errors import BUSY, READ_ONLY
from data_layer.services import projects
from tests.conftest import entering, rows, sqlite_url
from tests.test_hardening import progress
from tests.test_pages import ENTRY
from tests.test_services import ids


@pytest.fixture
def used_store(reference_template, tmp_path) -> tuple[str, Path]:
    """A SQLite store someone has entered a record into (so the guard knows it holds entered data)."""
    path = tmp_path / "data" / "dpf.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(reference_template, path)
    url = sqlite_url(path)
    store.ensure_ready(url)
    entering(projects.PROGRESS)(db_url=url, **progress(ids(url)))
    return url, path


def remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def test_a_deleted_store_takes_no_more_writes_and_is_never_replaced_by_a_demo(used_store, monkeypatch):
    url, path = used_store
    i = ids(url)
    remove(path)
    with pytest.raises(StoreUnavailable) as err:  # SQLite would have written into the deleted file
        entering(projects.PROGRESS)(db_url=url, **progress(i, entry_date=date(2023, 6, 20)))
    assert "数据库文件不见了" in err.value.message
    dispose_engines()  # a restart
    with pytest.raises(StoreVanished):
        store.ensure_ready(url)
    assert not path.exists()  # no fresh store, no demo in its place
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file(ENTRY, default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "数据库不见了" and "本次没有保存" in at.error[0].value
    assert not path.exists()


def test_a_replaced_store_is_noticed_on_start(used_store, demo_template):
    url, path = used_store
    dispose_engines()
    remove(path)
    shutil.copy(demo_template, path)  # another store's file where this one was
    with pytest.raises(StoreVanished):
        store.ensure_ready(url)
    guard.accept(url, store_identity.store_id(url))  # an administrator: “this is the store to use now”
    store.ensure_ready(url)


def test_a_store_that_never_held_entered_data_is_rebuilt_as_before(reference_template, tmp_path):
    path = tmp_path / "data" / "demo.sqlite3"
    path.parent.mkdir(parents=True)
    shutil.copy(reference_template, path)
    url = sqlite_url(path)
    store.ensure_ready(url)
    dispose_engines()
    remove(path)
    store.ensure_ready(url, seed_if_empty=False)  # nobody entered anything: a fresh store is fine
    assert path.exists()


def read_only(url: str) -> None:
    """Make the store at ``url`` read-only for every new connection."""
    engine = get_engine(url)
    if engine.dialect.name == "sqlite":  # root ignores file permissions: make the connections read-only
        event.listen(engine, "connect", lambda conn, _: conn.cursor().execute("PRAGMA query_only = ON"))
    else:
        with engine.connect() as conn:
            conn.exec_driver_sql(f'ALTER DATABASE "{engine.url.database}" SET default_transaction_read_only = on')
            conn.commit()
    engine.dispose()


def test_a_read_only_store_says_so_and_keeps_nothing(reference_url):
    read_only(reference_url)
    with pytest.raises(StoreUnavailable) as err:
        entering(projects.PROGRESS)(db_url=reference_url, **progress(ids(reference_url)))
    assert err.value.message == READ_ONLY


def test_a_write_lock_held_elsewhere_ends_in_a_message_not_a_hang(reference_url, monkeypatch):
    monkeypatch.setenv("DPF_WRITE_WAIT", "1")
    dispose_engines()
    i = ids(reference_url)
    if reference_url.startswith("sqlite"):
        holder = sqlite3.connect(reference_url.removeprefix("sqlite:///"), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
    else:
        import psycopg

        holder = psycopg.connect(reference_url.replace("+psycopg", ""))
        holder.execute("LOCK TABLE progressentry IN ACCESS EXCLUSIVE MODE")
    try:
        started = time.monotonic()
        with pytest.raises(StoreUnavailable) as err:
            entering(projects.PROGRESS)(db_url=reference_url, **progress(i))
        assert err.value.message == BUSY and time.monotonic() - started < 10
    finally:
        holder.rollback() if hasattr(holder, "rollback") else None
        holder.close()
    assert rows(reference_url, "SELECT COUNT(*) AS n FROM progressentry")[0]["n"] == 0


def test_a_failing_page_shows_a_chinese_message_with_a_reference(demo_url, monkeypatch):
    from data_layer.queries import projects as project_queries

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(project_queries, "item_progress", broken)
    monkeypatch.setenv("DATABASE_URL", demo_url)
    at = AppTest.from_file(ENTRY, default_timeout=60)
    at.query_params["year"] = "2023"
    at.run()
    assert not at.exception
    assert "这个页面出错了" in at.error[0].value and "编号" in at.error[0].value
    assert "boom" not in at.error[0].value


def test_the_command_line_refuses_a_vanished_store_until_an_administrator_accepts(used_store, monkeypatch, capsys):
    from data_layer.__main__ import main

    url, path = used_store
    dispose_engines()
    remove(path)
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["migrate"]) == 1 and "数据库文件不见了" in capsys.readouterr().err
    assert not path.exists()
    assert main(["accept-store"]) == 0
    assert main(["migrate"]) == 0 and path.exists()


def test_a_reset_on_purpose_is_not_a_vanished_store(used_store):
    url, path = used_store
    store.reset(url)
    store.ensure_ready(url, seed_if_empty=False)
    assert path.exists()
