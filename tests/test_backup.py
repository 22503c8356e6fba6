"""备份与恢复: a backup restores every row exactly (on either engine, and across them), keeps the store's
identity and the audit chain whole, and a damaged file or a non-administrator changes nothing."""

from __future__ import annotations

import gzip
import json
import random
import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from data_layer.__main__ import main
from data_layer.domain.errors import ValidationFailed
from data_layer.domain.text import CHINA
from data_layer.infra import audit, backup, guard, store, store_identity
from data_layer.infra.db import get_engine
from data_layer.models import metadata
from data_layer.services import indicators
from tests.conftest import person, rows

ADMIN = person("管理员甲", "admin")
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def _backup_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("DPF_BACKUP_DIR", str(tmp_path / "backups"))


def is_own(table: str, row: dict) -> bool:
    """The rows a restore does not take from the backup: the store's identity and the restore's audit entry."""
    if table == "appsetting":
        return row["key"] == guard.STORE_ID
    return table == "auditlog" and row["action"] == "restore" and row["table_name"] == "backup"


def content(url: str) -> dict[str, list[dict]]:
    """Every row of every table, through the plain driver (not the code under test)."""
    found = {}
    for table in metadata.sorted_tables:
        order = ", ".join(c.name for c in table.primary_key.columns)
        found[table.name] = [
            r for r in rows(url, f"SELECT * FROM {table.name} ORDER BY {order}") if not is_own(table.name, r)
        ]
    return found


def typed_content(url: str) -> dict[str, list[tuple]]:
    """Every row as Python values (dates, aware datetimes, Decimals): comparable across the two engines."""
    with get_engine(url).connect() as conn:
        return {
            t.name: [
                tuple(r)
                for r in conn.execute(select(t).order_by(*t.primary_key.columns))
                if not is_own(t.name, r._asdict())
            ]
            for t in metadata.sorted_tables
        }


def one_more_indicator(url: str, code: str) -> int:
    return indicators.create_indicator(db_url=url, actor=ADMIN, code=code, name="测试指标", unit="人", category="康复")


def unpack(data: bytes) -> dict:
    return json.loads(gzip.decompress(data))


def pack(doc: dict) -> bytes:
    return gzip.compress(json.dumps(doc, ensure_ascii=False).encode())


def test_round_trip_restores_every_row(demo_url):
    first_id = store.name_store(demo_url)
    saved = content(demo_url)
    data = backup.make_backup(demo_url)
    assert unpack(data)["tables"] == {name: len(found) for name, found in saved.items()} | {"appsetting": 1}

    # Change the store every way: a row through a service, rows deleted and altered behind its back, and the
    # store's identity (as if this were another store that the backup is now restored into).
    one_more_indicator(demo_url, "after_backup")
    with get_engine(demo_url).begin() as conn:
        conn.exec_driver_sql("DELETE FROM levypayment WHERE id IN (SELECT id FROM levypayment ORDER BY id LIMIT 5)")
        some = "SELECT id FROM progressentry ORDER BY id LIMIT 20"
        conn.exec_driver_sql(f"UPDATE progressentry SET note = '被改过' WHERE id IN ({some})")
        conn.exec_driver_sql("DELETE FROM auditlog WHERE id = 3")  # the chain is now broken
        conn.exec_driver_sql(f"UPDATE appsetting SET value = 'current-store' WHERE key = '{guard.STORE_ID}'")
    guard.accept(demo_url, "current-store")
    assert not audit.verify(demo_url).whole
    changed = content(demo_url)

    plan = backup.inspect_backup(demo_url, data)
    counts = {t.table: (t.in_backup, t.in_store) for t in plan.tables}
    assert counts["levypayment"] == (len(saved["levypayment"]), len(saved["levypayment"]) - 5)
    assert counts["indicator"] == (len(saved["indicator"]), len(saved["indicator"]) + 1)
    assert plan.revision == unpack(data)["alembic_revision"] and plan.made_at.tzinfo is not None
    assert dict((t.table, t.name) for t in plan.tables)["levypayment"] == "残保金缴纳"
    assert content(demo_url) == changed  # a dry run changes nothing

    result = backup.restore_backup(demo_url, data, actor=ADMIN)

    assert content(demo_url) == saved
    assert result.restored["levypayment"] == len(saved["levypayment"])
    assert audit.verify(demo_url).whole  # restored rows, then the restore's own entry chained after them
    entry = rows(demo_url, "SELECT * FROM auditlog ORDER BY id DESC LIMIT 1")[0]
    assert (entry["action"], entry["actor"], entry["table_name"]) == ("restore", ADMIN.username, "backup")
    assert json.loads(entry["after"])["tables"]["levypayment"] == len(saved["levypayment"])
    # The store keeps its own identity, so the guard still accepts it on the next start.
    assert store_identity.store_id(demo_url) == "current-store" != first_id
    store_identity.check_on_start(demo_url)
    # The store as it was just before is kept; it restores the changed state.
    assert result.saved_first.exists() and result.saved_first.name.startswith("before-restore-")
    assert [b.kind for b in backup.list_backups()] == ["before-restore"]
    before = {t.table: t.in_backup for t in backup.inspect_backup(demo_url, result.saved_first.read_bytes()).tables}
    assert before == {name: len(found) for name, found in changed.items()} | {"appsetting": 1}
    # Later writes take fresh ids (PostgreSQL's sequences follow the restored rows).
    assert one_more_indicator(demo_url, "after_restore") > max(r["id"] for r in saved["indicator"])
    assert audit.verify(demo_url).whole


@pytest.mark.parametrize("source, target", [("sqlite", "postgresql"), ("postgresql", "sqlite")])
def test_a_backup_restores_on_the_other_engine(make_store, source, target):
    source_url, target_url = make_store("demo", source), make_store("reference", target)
    store.name_store(source_url)
    target_id = store.name_store(target_url)
    data = backup.make_backup(source_url)
    assert unpack(data)["engine"] == source

    backup.restore_backup(target_url, data, actor=ADMIN)

    assert typed_content(target_url) == typed_content(source_url)
    assert store_identity.store_id(target_url) == target_id
    assert audit.verify(target_url).whole
    one_more_indicator(target_url, "after_restore")  # the demo's ids are far beyond the reference's
    assert audit.verify(target_url).whole


def damaged(good: bytes) -> dict[str, bytes]:
    doc = unpack(good)

    def changed(table: str, column: str, value) -> bytes:
        copy = json.loads(json.dumps(doc))
        part = copy["data"][table]
        part["rows"][0][part["columns"].index(column)] = value
        return pack(copy)

    unknown_table = {**doc, "data": {**doc["data"], "nosuchtable": {"columns": ["id"], "rows": [[1]]}}}
    unknown_table["tables"] = {**doc["tables"], "nosuchtable": 1}
    return {
        "truncated": good[: len(good) // 2],
        "random": random.Random(7).randbytes(4096),
        "empty": b"",
        "gzip of text": gzip.compress("这不是备份".encode()),
        "a JSON list": pack([1, 2, 3]),
        "wrong format tag": pack({**doc, "format": "other-backup"}),
        "unknown table": pack(unknown_table),
        "unknown revision": pack({**doc, "alembic_revision": "9999"}),
        "older revision": pack({**doc, "alembic_revision": "0004"}),
        "rows cut short": pack({**doc, "data": {**doc["data"], "county": {**doc["data"]["county"], "rows": []}}}),
        "bad datetime": changed("auditlog", "at", "昨天"),
        "bad decimal": changed("levypolicy", "quota_ratio", "一成半"),
        "short row": pack({**doc, "data": {**doc["data"], "county": {**doc["data"]["county"], "rows": [[1]]}}}),
    }


def test_a_damaged_file_is_refused_and_changes_nothing(reference_url):
    good = backup.make_backup(reference_url)
    one_more_indicator(reference_url, "after_backup")
    before = content(reference_url)
    for what, data in damaged(good).items():
        with pytest.raises(backup.BackupRefused) as refused:
            backup.inspect_backup(reference_url, data)
        assert CHINESE.search(str(refused.value)), what
        with pytest.raises(backup.BackupRefused):
            backup.restore_backup(reference_url, data, actor=ADMIN)
        assert content(reference_url) == before, what
    assert backup.list_backups() == []  # refused before even the safety copy
    assert "不认识的表：nosuchtable" in _message(reference_url, damaged(good)["unknown table"])
    assert "旧版本" in _message(reference_url, damaged(good)["older revision"])


def _message(url: str, data: bytes) -> str:
    with pytest.raises(backup.BackupRefused) as refused:
        backup.inspect_backup(url, data)
    return str(refused.value)


def test_a_failing_restore_rolls_back_everything(reference_url):
    """A backup that is well formed but breaks a constraint (two counties of one name): nothing is restored."""
    doc = unpack(backup.make_backup(reference_url))
    county = doc["data"]["county"]
    twin = list(county["rows"][0])
    twin[county["columns"].index("id")] = 999
    county["rows"].append(twin)
    doc["tables"]["county"] += 1
    one_more_indicator(reference_url, "after_backup")
    before = content(reference_url)
    with pytest.raises(backup.BackupRefused, match="保持原样"):
        backup.restore_backup(reference_url, pack(doc), actor=ADMIN)
    assert content(reference_url) == before
    assert audit.verify(reference_url).whole


@pytest.mark.parametrize("role", ["staff", "leader", "township"])
def test_only_an_administrator_restores(make_store, role):
    url = make_store("reference", "sqlite")
    data = backup.make_backup(url)
    before = content(url)
    with pytest.raises(ValidationFailed) as refused:
        backup.restore_backup(url, data, actor=person("李四", role, township_id=1 if role == "township" else None))
    assert refused.value.errors == {"actor": "只有管理员可以恢复备份"}
    assert content(url) == before
    assert backup.list_backups() == []


def test_daily_backups_keep_the_latest_14(make_store, tmp_path):
    url = make_store("reference", "sqlite")
    kept = backup.write_backup(url, backup.backup_folder() / "before-restore-20250101-000000.dpfbak")
    start = datetime(2026, 3, 1, 8, 30, tzinfo=CHINA)  # the office's morning: +9 hours is the same Beijing day
    for day in range(20):
        now = start + timedelta(days=day)
        assert backup.daily_backup_if_due(url, now=now) == backup.backup_folder() / f"daily-{now:%Y%m%d}.dpfbak"
        assert backup.daily_backup_if_due(url, now=now + timedelta(hours=9)) is None  # once a day
    daily = sorted(p.name for p in backup.backup_folder().glob("daily-*"))
    assert daily == [f"daily-{start + timedelta(days=d):%Y%m%d}.dpfbak" for d in range(6, 20)]
    assert kept.exists()  # a before-restore backup is never pruned
    assert backup.latest_daily().path.name == "daily-20260320.dpfbak"
    listed = backup.list_backups()
    assert len(listed) == 15 and {b.kind for b in listed} == {"daily", "before-restore"}
    assert [b.made_at for b in listed] == sorted((b.made_at for b in listed), reverse=True)
    assert all(b.size > 0 for b in listed)
    backup.inspect_backup(url, backup.latest_daily().path.read_bytes())  # a whole, restorable file


def test_daily_backup_from_several_processes_at_once(make_store):
    url = make_store("reference", "sqlite")
    now = datetime(2026, 4, 1, 7, 0, tzinfo=CHINA)
    threads = [threading.Thread(target=backup.daily_backup_if_due, args=(url, now)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [p.name for p in backup.backup_folder().iterdir()] == ["daily-20260401.dpfbak"]  # no temporary left
    backup.inspect_backup(url, (backup.backup_folder() / "daily-20260401.dpfbak").read_bytes())


def test_command_line_backup_and_restore(make_store, monkeypatch, capsys, tmp_path):
    url = make_store("reference", "sqlite")
    monkeypatch.setenv("DATABASE_URL", url)
    backup_id = store.name_store(url)
    assert main(["backup"]) == 0
    out = capsys.readouterr().out
    made = next(backup.backup_folder().glob("backup-*.dpfbak"))
    assert f"已备份：{made}" in out and "乡镇（街道）" in out
    saved = content(url)

    one_more_indicator(url, "after_backup")
    assert main(["restore", str(made)]) == 0  # a dry run
    assert "预演" in capsys.readouterr().out
    assert len(content(url)["indicator"]) == len(saved["indicator"]) + 1
    assert main(["restore", str(made), "--yes"]) == 0
    assert "已恢复" in capsys.readouterr().out
    assert content(url) == saved

    (tmp_path / "bad.dpfbak").write_bytes(b"not a backup")
    assert main(["restore", str(tmp_path / "bad.dpfbak"), "--yes"]) == 1
    assert "损坏" in capsys.readouterr().err

    # A new, empty store in the place of one that vanished: the restore fills it and it takes the backup's
    # identity, which is the one the guard expects there.
    out_file = tmp_path / "chosen.dpfbak"
    assert main(["backup", "--out", str(out_file)]) == 0
    fresh = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", fresh)
    assert main(["restore", str(out_file), "--yes"]) == 0
    assert store_identity.store_id(fresh) == backup_id
    assert content(fresh) == content(url)


def test_backup_names_and_messages_are_in_beijing_time(make_store, monkeypatch, capsys):
    """The store's clock is UTC, the office's Beijing time: 16:30 UTC is already the next day in Beijing, and a
    file's name and the restore's messages say so."""
    url = make_store("reference", "sqlite")
    late = datetime(2026, 12, 7, 16, 30, tzinfo=UTC)
    assert backup.daily_backup_if_due(url, now=late).name == "daily-20261208.dpfbak"
    assert backup._new_path("backup", late).name == "backup-20261208-003000.dpfbak"
    assert backup._new_path("backup", late.replace(tzinfo=None)).name == "backup-20261208-003000.dpfbak"  # naive: UTC
    made = backup.backup_folder() / "chosen.dpfbak"
    backup.write_backup(url, made)
    made.write_bytes(pack({**unpack(made.read_bytes()), "made_at": late.isoformat()}))
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["restore", str(made)]) == 0
    assert "备份时间：2026年12月8日 00:30（北京时间" in capsys.readouterr().out
    assert main(["restore", str(made), "--yes"]) == 0
    assert "已恢复到 2026年12月8日 00:30 的备份" in capsys.readouterr().out
