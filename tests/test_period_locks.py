"""结账: a closed month refuses everyone's writes but an administrator's, whose changes need a reason and are
listed as changes after closing; closing and reopening are audited."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import text

from data_layer import checks
from data_layer.domain.errors import GridRejected, NeedsConfirmation, ValidationFailed
from data_layer.infra.cache import clear_reads
from data_layer.infra.db import get_engine
from data_layer.queries import audit_log, reporting
from data_layer.services import locks, projects
from data_layer.services.projects import PROGRESS
from data_layer.services.records import services_for
from tests.conftest import entering, person, rows
from tests.test_roles import progress_on, store_content
from tests.test_services import TODAY, ids

ADMIN, STAFF = person("管理员", "admin"), person("科员", "staff")
MAY = date(2023, 5, 1)


def entry_in(url: str, i: dict, day: date, who=STAFF) -> int:
    return entering(projects.PROGRESS)(db_url=url, actor=who, **{**progress_on(i), "entry_date": day})


@pytest.fixture
def closed_may(reference_url):
    i = ids(reference_url)
    april, may = entry_in(reference_url, i, date(2023, 4, 20)), entry_in(reference_url, i, date(2023, 5, 20))
    locks.close_months(db_url=reference_url, actor=ADMIN, months=[MAY], note="上半年已上报")
    return reference_url, i, april, may


def test_anyone_but_an_administrator_is_refused_in_a_closed_month_and_nothing_changes(closed_may):
    url, i, april, may = closed_may
    before = store_content(url)
    update = services_for(PROGRESS).update
    attempts = [
        lambda: entry_in(url, i, date(2023, 5, 25)),
        lambda: update(db_url=url, actor=STAFF, record_id=may, values={"quantity": 4, "amount_fen": 180_000}),
        lambda: update(db_url=url, actor=STAFF, record_id=april, values={"entry_date": date(2023, 5, 2)}),
        lambda: services_for(PROGRESS).delete(db_url=url, actor=STAFF, record_id=may),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationFailed) as refused:
            attempt()
        assert "2023年5月已结账（管理员，" in " ".join(refused.value.errors.values())
    assert store_content(url) == before
    entry_in(url, i, date(2023, 6, 1))  # the next month is open


def test_a_grid_row_in_a_closed_month_is_refused_with_its_row(closed_may):
    url, i, _, _ = closed_may
    with pytest.raises(GridRejected) as refused:
        services_for(PROGRESS).add_rows(
            db_url=url,
            actor=STAFF,
            shared={"item_id": i["item"], "entry_date": date(2023, 5, 31)},
            rows=[{"township_id": i["township"], "quantity": 1, "amount_fen": 45_000}],
            today=TODAY,
        )
    assert "已结账" in refused.value.problems[0].errors["entry_date"]


def test_an_administrator_changes_a_closed_month_only_with_a_reason_and_it_is_listed(closed_may):
    url, i, _, may = closed_may
    update = services_for(PROGRESS).update
    change = dict(db_url=url, actor=ADMIN, record_id=may, values={"quantity": 4, "amount_fen": 180_000})
    with pytest.raises(NeedsConfirmation) as asked:
        update(**change)
    assert "2023年5月已结账" in asked.value.warnings["locked"]
    with pytest.raises(ValidationFailed, match="原因"):
        update(**change, confirm=True, warning_note="  ")
    update(**change, confirm=True, warning_note="乡镇补报，局长同意")
    assert rows(url, "SELECT quantity FROM progressentry WHERE id = ?", (may,))[0]["quantity"] == 4
    overrides = rows(url, "SELECT month, table_name, row_id, reason FROM lockoverride")
    assert [(o["table_name"], o["row_id"], o["reason"]) for o in overrides] == [
        ("progressentry", str(may), "乡镇补报，局长同意")
    ]
    found = checks.findings(url)
    listed = found[found["check"] == "locks.after_closing"]
    assert list(listed["note"]) == ["乡镇补报，局长同意"] and list(listed["link"]) == [f"entry_projects?record={may}"]
    entries, _ = audit_log.entries(url, audit_log.AuditFilter(table="progressentry"))
    assert entries.iloc[0]["changes"].startswith("【结账后修改，原因：乡镇补报，局长同意】")
    services_for(PROGRESS).delete(db_url=url, actor=ADMIN, record_id=may, confirm=True, warning_note="重复录入")
    assert len(rows(url, "SELECT id FROM lockoverride")) == 2


def test_closing_and_reopening_are_for_administrators_audited_and_need_a_reason(closed_may):
    url, i, _, _ = closed_may
    with pytest.raises(ValidationFailed, match="管理员"):
        locks.close_months(db_url=url, actor=STAFF, months=[date(2023, 6, 1)])
    with pytest.raises(ValidationFailed, match="还没到"):
        locks.close_months(db_url=url, actor=ADMIN, months=[date(2099, 1, 1)])
    with pytest.raises(ValidationFailed, match="2000年以前的月份没有数据"):
        locks.close_months(db_url=url, actor=ADMIN, months=[date(1900, 1, 1)])
    assert list(reporting.closed_months(url)["month"]) == [MAY]
    with pytest.raises(ValidationFailed, match="原因"):
        locks.reopen_months(db_url=url, actor=ADMIN, months=[MAY], reason="")
    locks.reopen_months(db_url=url, actor=ADMIN, months=[date(2023, 5, 17)], reason="东里镇补报")
    assert reporting.closed_months(url).empty
    entry_in(url, i, date(2023, 5, 30))  # open again
    actions = [
        r["action"] for r in rows(url, "SELECT action FROM auditlog WHERE table_name = 'periodlock' ORDER BY id")
    ]
    assert actions == ["lock", "unlock"]
    unlock = audit_log.entries(url, audit_log.AuditFilter(table="periodlock"))[0].iloc[0]
    assert unlock["action_name"] == "取消结账" and "取消结账：东里镇补报" in unlock["changes"]


def test_the_lock_and_the_change_after_closing_read_in_beijing_time(closed_may):
    """The store keeps UTC: a lock made at 00:30 Beijing time (16:30 UTC the day before) is dated on the Beijing
    day in the refusal, and a change made at 10:00 Beijing time (02:00 UTC) is listed at 10:00."""
    url, i, _, may = closed_may
    with get_engine(url).begin() as conn:
        conn.execute(text("UPDATE periodlock SET locked_at = :at"), {"at": datetime(2026, 12, 7, 16, 30)})
    with pytest.raises(ValidationFailed) as refused:
        entry_in(url, i, date(2023, 5, 25))
    assert "2023年5月已结账（管理员，2026年12月8日）" in " ".join(refused.value.errors.values())

    values = {"quantity": 4, "amount_fen": 180_000}
    services_for(PROGRESS).update(
        db_url=url, actor=ADMIN, record_id=may, values=values, confirm=True, warning_note="乡镇补报"
    )
    with get_engine(url).begin() as conn:
        conn.execute(
            text("UPDATE auditlog SET at = :at WHERE id IN (SELECT audit_id FROM lockoverride)"),
            {"at": datetime(2026, 12, 8, 2, 0)},
        )
    clear_reads()  # changed behind the services' back
    found = checks.findings(url)
    listed = found[found["check"] == "locks.after_closing"]
    assert len(listed) == 1 and listed.iloc[0]["values"].endswith("，2026-12-08 10:00")
