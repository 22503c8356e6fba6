"""The steps of data_layer/period_locks.py that read the store (``lock_of``, ``check_write``,
``record_override``) called directly, table by table, and the 结账后修改 check (data_layer/checks/locks.py)
against the rows of ``lockoverride`` joined to ``auditlog`` by hand. One reference store per engine, with May
and July 2023 closed and one change after closing, serves the module."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from data_layer import period_locks
from data_layer.checks import locks as lock_checks
from data_layer.domain.errors import NeedsConfirmation, ValidationFailed
from data_layer.infra.db import get_engine
from data_layer.models import AuditLog, LockOverride
from data_layer.services import locks, projects
from data_layer.services.records import services_for
from tests.conftest import ENGINES, entering, person, rows
from tests.shared_stores import shared_store
from tests.test_roles import progress_on
from tests.test_services import ids

ADMIN, STAFF = person("管理员", "admin"), person("科员", "staff")
D = date
MAY, JULY = D(2023, 5, 1), D(2023, 7, 1)


def closed(url: str) -> None:
    i = ids(url)
    may = entering(projects.PROGRESS)(db_url=url, actor=STAFF, **{**progress_on(i), "entry_date": D(2023, 5, 20)})
    locks.close_months(db_url=url, actor=ADMIN, months=[D(2023, 5, 9), JULY], note="上报", today=D(2023, 8, 1))
    services_for(projects.PROGRESS).update(
        db_url=url, actor=ADMIN, record_id=may, values={"quantity": 4}, confirm=True, warning_note=" 乡镇补报 "
    )


@pytest.fixture(scope="module", params=ENGINES)
def url(request, tmp_path_factory):
    yield from shared_store(request, tmp_path_factory, "reference", closed)


@pytest.mark.parametrize(
    ("day", "month"),
    [
        (None, None),
        (D(2023, 5, 1), MAY),
        (D(2023, 5, 31), MAY),
        (D(2023, 4, 30), None),
        (D(2023, 6, 1), None),
        (D(2023, 7, 15), JULY),
        (D(2022, 5, 10), None),  # the same month of another year
    ],
)
def test_lock_of(url, day, month):
    with Session(get_engine(url)) as session:
        lock = period_locks.lock_of(session, day)
        assert (lock.month if lock else None) == month
    if month:
        assert rows(url, "SELECT locked_by FROM periodlock WHERE month = ?", (month.isoformat(),)) == [
            {"locked_by": lock.locked_by}
        ]


REFUSED_MAY, REFUSED_JULY = "2023年5月已结账（管理员，", "2023年7月已结账（管理员，"


@pytest.mark.parametrize(
    ("actor", "days", "confirm", "reason", "outcome"),
    [
        (STAFF, [D(2023, 6, 10)], False, "", False),  # an open month
        (STAFF, [None], False, "", False),
        (STAFF, [], False, "", False),
        (STAFF, [D(2023, 5, 20)], False, "", REFUSED_MAY),
        (STAFF, [D(2023, 6, 10), D(2023, 7, 1)], False, "", REFUSED_JULY),  # moved into a closed month
        (STAFF, [D(2023, 7, 31), D(2023, 5, 1)], True, "理由", REFUSED_MAY),  # the earliest closed month is named
        (ADMIN, [D(2023, 6, 10)], False, "", False),
        (ADMIN, [D(2023, 5, 20)], False, "", NeedsConfirmation),
        (ADMIN, [D(2023, 5, 20)], True, " ", period_locks.REASON_NEEDED),
        (ADMIN, [D(2023, 5, 20)], True, "乡镇补报", True),
        (ADMIN, [None, D(2023, 7, 2)], True, "乡镇补报", True),
    ],
)
def test_check_write(url, actor, days, confirm, reason, outcome):
    with Session(get_engine(url)) as session:
        call = lambda: period_locks.check_write(session, actor, days, "paid_on", confirm, reason)  # noqa: E731
        if isinstance(outcome, bool):
            assert call() is outcome
        elif outcome is NeedsConfirmation:
            with pytest.raises(NeedsConfirmation) as asked:
                call()
            assert asked.value.warnings["locked"].startswith("2023年5月已结账：保存即为结账后修改")
        elif outcome == period_locks.REASON_NEEDED:
            with pytest.raises(ValidationFailed) as refused:
                call()
            assert refused.value.errors == {"warning_note": outcome}
        else:
            with pytest.raises(ValidationFailed) as refused:
                call()
            assert list(refused.value.errors) == ["paid_on"]
            assert refused.value.errors["paid_on"].startswith(outcome)


@pytest.mark.parametrize(
    ("days", "month"),
    [
        ([D(2023, 5, 20)], MAY),
        ([D(2023, 6, 10), D(2023, 7, 3), None], JULY),  # only the closed month counts
        ([D(2023, 7, 3), D(2023, 5, 2)], MAY),  # the earliest closed one
    ],
)
def test_record_override_marks_the_audit_entry(url, days, month):
    with Session(get_engine(url)) as session:
        entry = AuditLog(actor="管理员", action="update", table_name="levypayment", row_id="7")
        session.add(entry)
        period_locks.record_override(session, entry, days, "  补录  ")
        session.flush()
        got = session.exec(select(LockOverride).where(LockOverride.audit_id == entry.id)).one()
        assert (got.month, got.table_name, got.row_id, got.reason) == (month, "levypayment", "7", "补录")
        session.rollback()  # the module's store stays as it was


def test_changed_after_closing(url):
    expected = rows(
        url,
        "SELECT o.table_name, o.row_id, o.reason, o.month, a.actor, a.action FROM lockoverride o "
        "JOIN auditlog a ON a.id = o.audit_id ORDER BY o.id",
    )
    found = lock_checks.changed_after_closing(url)
    assert len(found) == len(expected) == 1
    (f,), (e,) = found, expected
    assert (f.record, f.note) == (f"重点工程进度 #{e['row_id']}", e["reason"]) and e["reason"] == "乡镇补报"
    assert f.why == f"{e['month'][:4]}年{int(e['month'][5:7])}月已结账后由管理员修改"
    assert f.link == f"entry_projects?record={e['row_id']}" and e["actor"] in f.values
