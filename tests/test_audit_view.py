"""操作记录: the query against the raw log, the changes in words, the filters, and the page's chain status."""

from __future__ import annotations

from datetime import date

from sqlalchemy import create_engine, text
from streamlit.testing.v1 import AppTest

from data_layer.queries import audit_log
from data_layer.queries.audit_log import AuditFilter
from data_layer.services import projects
from data_layer.services.projects import PROGRESS
from data_layer.services.records import services_for
from tests.conftest import person, rows, shown
from tests.test_pages import page_script
from tests.test_services import TODAY, ids

EVERYTHING = AuditFilter()


def entry(url: str, i: dict, who: str = "李四", township: str = "township") -> int:
    return projects.add_progress(
        db_url=url,
        actor=person(who),
        item_id=i["item"],
        township_id=i[township],
        entry_date=date(2023, 5, 20),
        quantity=3,
        amount_fen=135_000,
        today=TODAY,
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
    assert len(at.dataframe[0].value) == rows(reference_url, "SELECT COUNT(*) AS n FROM auditlog")[0]["n"]
    tampered = rows(reference_url, "SELECT MIN(id) AS id FROM auditlog")[0]["id"]
    with create_engine(reference_url).begin() as conn:  # a SQL client, behind the app's back
        conn.execute(text("UPDATE auditlog SET actor = '县长' WHERE id = :id"), {"id": tampered})
    at = page(reference_url)
    assert any(f"第 {tampered} 条" in shown(e.value) for e in at.error)
