"""操作记录: the query against the raw log, the changes in words (rows named, not numbered), the filters, Beijing
time, and the page's chain status."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import create_engine, text
from streamlit.testing.v1 import AppTest

from data_layer import auth
from data_layer.domain import text as words
from data_layer.queries import audit_log
from data_layer.queries.audit_log import AuditFilter
from data_layer.services import locks, org, projects
from data_layer.services.projects import PROGRESS
from data_layer.services.records import services_for
from tests.conftest import person, rows, shown
from tests.test_pages import page_script
from tests.test_services import TODAY, ids

EVERYTHING = AuditFilter()


def entry(url: str, i: dict, who: str = "李四", township: str = "township") -> int:
    return services_for(projects.PROGRESS).create(
        db_url=url,
        actor=person(who),
        today=TODAY,
        values=dict(
            item_id=i["item"], township_id=i[township], entry_date=date(2023, 5, 20), quantity=3, amount_fen=135_000
        ),
    )


def test_every_entry_of_the_log_is_listed_newest_first(demo_url):
    found, total = audit_log.entries(demo_url, EVERYTHING, limit=50)
    raw = rows(demo_url, "SELECT id FROM auditlog ORDER BY id DESC")
    assert total == len(raw) and list(found["id"]) == [r["id"] for r in raw[:50]]


def test_a_correction_shows_the_fields_before_and_after_with_a_link(reference_url):
    i = ids(reference_url)
    record = entry(reference_url, i)
    services_for(PROGRESS).update(
        db_url=reference_url, actor=person("王五"), record_id=record, values={"quantity": 4, "amount_fen": 180_000}
    )
    found, _ = audit_log.entries(reference_url, AuditFilter(actor="王五"))
    assert len(found) == 1
    change = found.iloc[0]
    assert (change["action_name"], change["table_name"], change["row_id"]) == ("修改", "重点工程进度", str(record))
    assert "数量：3 → 4" in change["changes"] and "金额：1,350.00 元 → 1,800.00 元" in change["changes"]
    assert change["link"] == f"entry_projects?record={record}"


def test_filters_by_person_township_and_day(reference_url):
    i = ids(reference_url)
    i["other"] = rows(reference_url, "SELECT id FROM township WHERE id <> ? ORDER BY id", (i["township"],))[0]["id"]
    entry(reference_url, i, "甲")
    entry(reference_url, i, "乙", township="other")
    mine, _ = audit_log.entries(reference_url, AuditFilter(township_id=i["township"], table="progressentry"))
    assert list(mine["actor"]) == ["甲"]
    by_person, _ = audit_log.entries(reference_url, AuditFilter(actor="乙"))
    assert list(by_person["actor"]) == ["乙"]
    none, total = audit_log.entries(reference_url, AuditFilter(start=date(2000, 1, 1), end=date(2000, 1, 2)))
    assert none.empty and total == 0


def page(url: str, role: str = "admin") -> AppTest:
    at = AppTest.from_string(page_script("audit", url, role=role), default_timeout=60)
    at.query_params["year"] = str(date.today().year)
    return at.run()


def test_the_page_says_the_chain_is_whole_and_names_a_row_changed_in_the_database(reference_url):
    i = ids(reference_url)
    entry(reference_url, i)
    at = page(reference_url)
    assert not at.exception, at.exception
    assert any("防篡改校验：完整" in shown(s.value) for s in at.success)
    grid = at.dataframe[0].value
    assert len(grid) == rows(reference_url, "SELECT COUNT(*) AS n FROM auditlog")[0]["n"]
    assert list(grid.columns[4:7]) == ["数据表", "记录", "记录编号"]
    assert (
        f"乡镇（街道）：{rows(reference_url, 'SELECT name FROM township WHERE id = ?', (i['township'],))[0]['name']}"
        in (grid["改动（原值 → 新值）"].iloc[0])
    )
    tampered = rows(reference_url, "SELECT MIN(id) AS id FROM auditlog")[0]["id"]
    with create_engine(reference_url).begin() as conn:  # a SQL client, behind the app's back
        conn.execute(text("UPDATE auditlog SET actor = '县长' WHERE id = :id"), {"id": tampered})
    at = page(reference_url)
    assert any(f"第 {tampered} 条" in shown(e.value) for e in at.error)


def named_ids(url: str) -> tuple[dict, dict]:
    """The reference rows' ids (tests/test_services.py ``ids``, with a second township) and their names."""
    i = ids(url)
    i["other"] = rows(url, "SELECT id FROM township WHERE id <> ? ORDER BY id", (i["township"],))[0]["id"]
    name = lambda table, key: rows(url, f"SELECT name FROM {table} WHERE id = ?", (i[key],))[0]["name"]  # noqa: E731
    names = {key: name("projectitem", key) for key in ("item", "county_item")}
    names |= {key: name("township", key) for key in ("township", "other")}
    return i, names


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"township_id": "other"}, ["乡镇（街道）：{township} → {other}"]),
        (
            {"item_id": "county_item", "township_id": None},
            ["指标：{item} → {county_item}", "乡镇（街道）：{township} → （空）"],
        ),
        ({"quantity": 4}, ["数量：3 → 4"]),
    ],
    ids=["township", "item and township", "no row named"],
)
def test_a_changed_entry_names_its_item_and_township_not_their_numbers(reference_url, values, expected):
    i, names = named_ids(reference_url)
    record = entry(reference_url, i)
    changed = {field: i[key] if isinstance(key, str) else key for field, key in values.items()}
    services_for(PROGRESS).update(db_url=reference_url, actor=person("王五"), record_id=record, values=changed)
    found, _ = audit_log.entries(reference_url, AuditFilter(actor="王五"))
    change = found.iloc[0]["changes"]
    for words_expected in expected:
        assert words_expected.format(**names) in change, change
    for field, key in changed.items():
        if key is not None and field.endswith("_id"):
            assert f"：{key}" not in change and f"→ {key}" not in change  # no bare number
    created = audit_log.entries(reference_url, AuditFilter(actor="李四"))[0].iloc[0]
    assert f"指标：{names['item']}；乡镇（街道）：{names['township']}；" in created["changes"]
    # an entry has no name: its record is its number, in both columns
    assert (found.iloc[0]["record"], found.iloc[0]["row_id"]) == (str(record), str(record))


def rename_township(url: str, i: dict) -> None:
    org.update_township(
        db_url=url,
        actor=person("王五"),
        township_id=i["township"],
        name="鲁村新镇",
        kind="镇",
        sort_order=0,
        active=True,
    )


def add_account(url: str, i: dict) -> None:
    auth.create_account(
        url,
        username="zhangsan",
        display_name="张三",
        role="township",
        password="correct-horse",
        township_id=i["township"],
        by=person("王五"),
    )


def close_may(url: str, i: dict) -> None:
    locks.close_months(db_url=url, actor=person("王五"), months=[date(2023, 5, 1)], today=TODAY)


@pytest.mark.parametrize(
    ("write", "table", "record", "change"),
    [
        (rename_township, "township", "鲁村新镇", "名称：鲁村镇 → 鲁村新镇"),
        (add_account, "account", "张三（zhangsan）", "账号 zhangsan"),
        (close_may, "periodlock", "2023年5月", "月份：2023-05-01"),
    ],
    ids=["township", "account", "结账"],
)
def test_a_record_reads_by_its_name_with_its_number_beside(reference_url, write, table, record, change):
    i, _ = named_ids(reference_url)
    write(reference_url, i)
    found, _ = audit_log.entries(reference_url, AuditFilter(table=table))
    newest = found.iloc[0]
    stored = rows(reference_url, "SELECT row_id FROM auditlog WHERE id = ?", (int(newest["id"]),))[0]["row_id"]
    assert (newest["record"], newest["row_id"]) == (record, stored)
    assert change in newest["changes"], newest["changes"]


def test_a_renamed_row_reads_by_its_current_name_and_a_gone_one_says_so(reference_url):
    i, _ = named_ids(reference_url)
    entry(reference_url, i, "李四")
    rename_township(reference_url, i)
    created = audit_log.entries(reference_url, AuditFilter(actor="李四"))[0].iloc[0]
    assert "乡镇（街道）：鲁村新镇；" in created["changes"]
    gone = 987_654
    names = audit_log.names_of(reference_url, [("projectitem", gone), ("township", i["township"])])
    after = f'{{"item_id": {gone}, "township_id": {i["township"]}}}'
    assert audit_log.changes(None, after, "progressentry", names) == f"指标：#{gone}（已删除）；乡镇（街道）：鲁村新镇"
    assert audit_log.record_name("projectitem", str(gone), names) == f"#{gone}（已删除）"


def test_times_read_in_beijing_time(reference_url):
    i, _ = named_ids(reference_url)
    entry(reference_url, i)
    found, _ = audit_log.entries(reference_url, AuditFilter(actor="李四"))
    stored = rows(reference_url, "SELECT at FROM auditlog WHERE id = ?", (int(found.iloc[0]["id"]),))[0]["at"]
    utc = datetime.fromisoformat(str(stored)).replace(tzinfo=UTC)
    shown_at = found.iloc[0]["at"]
    assert shown_at.utcoffset().total_seconds() == 8 * 3600 and shown_at == utc
    assert words.short_time(utc) == f"{shown_at:%Y-%m-%d %H:%M}"


def test_a_restore_names_the_backup_by_its_time_in_beijing_time(reference_url):
    from data_layer.infra import backup

    result = backup.restore_backup(reference_url, backup.make_backup(reference_url), actor=person("王五"))
    restore = audit_log.entries(reference_url, AuditFilter(table="backup"))[0].iloc[0]
    assert restore["action_name"] == "恢复" and restore["record"] == f"{words.short_time(result.made_at)} 的备份"


def test_every_table_has_a_name_people_read():
    """操作记录 and the backup's dry run name each table in Chinese: a new table needs its name."""
    from data_layer.domain.table_names import TABLE_NAMES
    from data_layer.models import metadata

    assert set(metadata.tables) <= set(TABLE_NAMES)


def test_newest_entries_cut_off_in_the_database_are_named_by_the_head_kept_outside(reference_url):
    """Deleting the newest three entries leaves a chain that still links up; the head kept beside the data
    folder (written after each commit) says how far the log went, for verify, the page and the start-up check."""
    from data_layer.infra import audit

    i = ids(reference_url)
    entry(reference_url, i)
    for n, who in enumerate(("王五", "赵六", "孙七")):  # three more writes, three more entries
        auth.create_account(
            reference_url, username=f"user{n}", display_name=who, role="staff", password="correct-horse"
        )
    newest = rows(reference_url, "SELECT MAX(id) AS id FROM auditlog")[0]["id"]
    assert audit.head_of(reference_url)["id"] == newest
    assert audit.verify(reference_url).whole and audit.cut_end(reference_url) is None
    with create_engine(reference_url).begin() as conn:  # a SQL client, behind the app's back
        conn.execute(text("DELETE FROM auditlog WHERE id > :id"), {"id": newest - 3})
    verdict = audit.verify(reference_url)
    assert not verdict.whole
    cut = f"操作记录的末尾被截去：最近一次保存写到第 {newest} 条，现在只到第 {newest - 3} 条（至少 3 条不见了）"
    assert verdict.reason == cut and audit.cut_end(reference_url) == cut
    at = page(reference_url)
    assert any("末尾被截去" in shown(e.value) for e in at.error)
