"""Every entered record type on the shared writers (data_layer/services/records.py), table-driven: created,
corrected, deleted into the 回收站 and restored, refused in a closed month (and an administrator's change there
needs a reason), each step audited — progress, disbursements, articles, indicator values, and the levy's
inspections and payments alike. Identical records saved at the same moment store one and tell the others."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from data_layer.domain.errors import NeedsConfirmation, ValidationFailed
from data_layer.services import indicators, levy, levy_collection, locks, projects, publicity, subsidies
from data_layer.services.records import services_for
from tests.conftest import person, rows
from tests.test_levy_services import employer, one_assessment

TODAY = date(2026, 11, 28)
ADMIN = person("管理员")
STAFF = person("科员", "staff")


def one(url: str, sql: str) -> int:
    return rows(url, sql)[0]["id"]


def refs(url: str) -> dict:
    return {
        "county": one(url, "SELECT id FROM county"),
        "township": one(url, "SELECT id FROM township WHERE name = '鲁村镇'"),
        "item": one(
            url,
            "SELECT i.id FROM projectitem i JOIN project p ON p.id = i.project_id "
            "WHERE p.year = 2023 AND p.code = 'shuangbai' AND i.code = 'wheelchair'",
        ),
        "type": one(url, "SELECT id FROM subsidytype WHERE code = 'tekun'"),
        "outlet": one(url, "SELECT id FROM outlet WHERE level = 'national'"),
        "indicator": one(url, "SELECT id FROM indicator WHERE code = 'certificates'"),
    }


# kind, its table, a record's values from the reference ids, and a correction
KINDS = {
    "progress": (
        projects.PROGRESS,
        lambda url, r: dict(
            item_id=r["item"], township_id=r["township"], entry_date=date(2023, 5, 20), quantity=3, amount_fen=180_000
        ),
        {"quantity": 4},
    ),
    "disbursement": (
        subsidies.DISBURSEMENT,
        lambda url, r: dict(
            type_id=r["type"],
            county_id=r["county"],
            township_id=r["township"],
            month_from=date(2023, 5, 1),
            month_to=date(2023, 5, 1),
            recipients=10,
            paid_date=date(2023, 5, 20),
        ),
        {"note": "补录"},
    ),
    "article": (
        publicity.ARTICLE,
        lambda url, r: dict(
            county_id=r["county"], outlet_id=r["outlet"], title="助残日活动", published_on=date(2023, 5, 20)
        ),
        {"title": "第二十三次全国助残日活动"},
    ),
    "indicator value": (
        indicators.INDICATOR_VALUE,
        lambda url, r: dict(
            indicator_id=r["indicator"],
            county_id=r["county"],
            township_id=r["township"],
            period_start=date(2023, 5, 1),
            period_end=date(2023, 5, 31),
            value=12,
        ),
        {"value": 13},
    ),
    "inspection": (
        levy.INSPECTION,
        lambda url, r: dict(
            employer_id=employer(url, 1), campaign_id=None, inspected_on=date(2023, 5, 20), mode="onsite"
        ),
        {"mode": "documentary"},
    ),
    "payment": (
        levy_collection.PAYMENT,
        lambda url, r: dict(assessment_id=one_assessment(url)[0], paid_on=date(2023, 11, 20), amount_fen=100_00),
        {"amount_fen": 200_00},
    ),
}


def audited(url: str, table: str, record_id: int) -> list[str]:
    found = rows(
        url, "SELECT action FROM auditlog WHERE table_name = ? AND row_id = ? ORDER BY id", (table, str(record_id))
    )
    return [r["action"] for r in found]


@pytest.mark.parametrize("name", list(KINDS))
def test_a_record_is_created_corrected_deleted_and_restored_each_audited(reference_url, name):
    kind, values_of, change = KINDS[name]
    writes, table = services_for(kind), kind.model.__tablename__
    record_id = writes.create(
        db_url=reference_url, actor=STAFF, values=values_of(reference_url, refs(reference_url)), today=TODAY
    )
    writes.update(db_url=reference_url, actor=STAFF, record_id=record_id, values=change, today=TODAY)
    stored = rows(reference_url, f"SELECT * FROM {table} WHERE id = ?", (record_id,))[0]
    assert all(stored[k] == v for k, v in change.items())
    writes.delete(db_url=reference_url, actor=STAFF, record_id=record_id)
    assert rows(reference_url, f"SELECT deleted_at FROM {table} WHERE id = ?", (record_id,))[0]["deleted_at"]
    with pytest.raises(ValidationFailed):  # a deleted record is restored first, then corrected
        writes.update(db_url=reference_url, actor=STAFF, record_id=record_id, values=change, today=TODAY)
    writes.restore(db_url=reference_url, actor=STAFF, record_id=record_id)
    assert rows(reference_url, f"SELECT deleted_at FROM {table} WHERE id = ?", (record_id,))[0]["deleted_at"] is None
    assert audited(reference_url, table, record_id) == ["create", "update", "delete", "restore"]


@pytest.mark.parametrize("name", list(KINDS))
def test_a_closed_month_refuses_staff_and_asks_an_administrator_for_a_reason(reference_url, name):
    kind, values_of, change = KINDS[name]
    writes, table = services_for(kind), kind.model.__tablename__
    values = values_of(reference_url, refs(reference_url))
    record_id = writes.create(db_url=reference_url, actor=STAFF, values=values, today=TODAY)
    locks.close_months(db_url=reference_url, actor=ADMIN, months=[values[kind.date_field]], today=TODAY)
    for attempt in (
        lambda: writes.update(db_url=reference_url, actor=STAFF, record_id=record_id, values=change, today=TODAY),
        lambda: writes.delete(db_url=reference_url, actor=STAFF, record_id=record_id),
    ):
        with pytest.raises(ValidationFailed) as refused:
            attempt()
        assert "已结账" in " ".join(refused.value.errors.values())
    with pytest.raises(NeedsConfirmation):  # an administrator is asked first
        writes.update(db_url=reference_url, actor=ADMIN, record_id=record_id, values=change, today=TODAY)
    writes.update(
        db_url=reference_url,
        actor=ADMIN,
        record_id=record_id,
        values=change,
        confirm=True,
        warning_note="核对原始凭证后更正",
        today=TODAY,
    )
    assert audited(reference_url, table, record_id) == ["create", "update"]
    assert rows(reference_url, "SELECT COUNT(*) AS n FROM lockoverride")[0]["n"] == 1


@pytest.mark.parametrize(("name", "field"), [("inspection", "inspected_on"), ("payment", "amount_fen")])
def test_identical_levy_records_saved_at_the_same_moment_store_one_and_tell_the_others(reference_url, name, field):
    """Eight tabs saving the same inspection (one employer, one day, one campaign) or the same payment: one stored,
    the other seven asked whether it is a repeat (and stored only once confirmed, with the note on 数据质量)."""
    kind, values_of, _ = KINDS[name]
    writes, values = services_for(kind), values_of(reference_url, refs(reference_url))
    if name == "payment":
        values["amount_fen"] = 1_00  # eight of them still owe nothing more than is assessed
    start, outcomes = threading.Barrier(8), [None] * 8

    def save(k: int) -> None:
        start.wait()
        try:
            outcomes[k] = writes.create(db_url=reference_url, actor=STAFF, values=values, today=TODAY)
        except (ValidationFailed, NeedsConfirmation) as told:
            outcomes[k] = told

    threads = [threading.Thread(target=save, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stored = [o for o in outcomes if isinstance(o, int)]
    asked = [o for o in outcomes if isinstance(o, NeedsConfirmation)]
    assert len(stored) == 1 and len(asked) == 7, outcomes
    assert all("重复" in a.warnings[field] for a in asked)
    table = kind.model.__tablename__
    assert rows(reference_url, f"SELECT COUNT(*) AS n FROM {table}")[0]["n"] == 1
    again = writes.create(
        db_url=reference_url, actor=STAFF, values=values, confirm=True, warning_note="两次检查", today=TODAY
    )
    from data_layer import checks

    found = checks.findings(reference_url)
    listed = found[found["check"] == f"levy.{name}_repeat"]
    assert len(listed) == 1 and listed.iloc[0]["note"] == "两次检查" and f"#{again}" in listed.iloc[0]["record"]
