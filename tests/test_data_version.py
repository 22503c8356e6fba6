"""The data version (the cache key of every read, data_layer/infra/cache.py) and 数据最后更新 (org.last_write) move
with data only: a sign-in, a failed sign-in, a sign-out or a recorded download leaves both as they were; a saved
record, 结账, a setting or a restored backup moves both. On both engines, with the audit chain whole throughout."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from data_layer import app_settings, auth
from data_layer.infra import audit, backup
from data_layer.infra.cache import clear_reads, data_version
from data_layer.infra.db import get_engine
from data_layer.queries import org
from data_layer.services import levy_reviews, locks, projects
from data_layer.services.records import services_for
from tests.conftest import PASSWORD, person, rows
from tests.test_services import TODAY, ids

ADMIN = person("王管理")


def state(url: str) -> tuple:
    """What a fresh process reads: 数据最后更新 and the data version."""
    clear_reads()
    return org.last_write(url), data_version(url)


def audit_rows(url: str) -> int:
    return rows(url, "SELECT COUNT(*) AS n FROM auditlog")[0]["n"]


def sign_in(url: str) -> None:
    auth.sign_in(url, "zhangsan", PASSWORD)


def wrong_password(url: str) -> None:
    with pytest.raises(auth.SignInRefused):
        auth.sign_in(url, "zhangsan", "wrong-password")


def unknown_name(url: str) -> None:
    with pytest.raises(auth.SignInRefused):
        auth.sign_in(url, "nobody", PASSWORD)


def sign_out(url: str) -> None:
    auth.sign_out(url, auth.sign_in(url, "zhangsan", PASSWORD))


def download(url: str) -> None:
    """An administrator's unmasked export of a roster: recorded (FileLog and its audit entry), no data changed."""
    levy_reviews.record_unmasked_export(
        db_url=url, actor=ADMIN, file_name="名册（完整）.xlsx", rows=3, detail="年审记录 1：3 人"
    )


@pytest.mark.parametrize(
    "happening",
    [sign_in, wrong_password, unknown_name, sign_out, download],
    ids=["sign-in", "wrong password", "unknown name", "sign-out", "recorded download"],
)
def test_what_changes_no_data_leaves_the_version_and_last_write(staff, happening):
    before = state(staff)
    logged = audit_rows(staff)
    happening(staff)
    assert audit_rows(staff) > logged  # audited all the same
    assert state(staff) == before
    assert audit.verify(staff).whole


def add_progress(url: str) -> None:
    i = ids(url)
    services_for(projects.PROGRESS).create(
        db_url=url,
        actor=ADMIN,
        today=TODAY,
        values=dict(
            item_id=i["item"], township_id=i["township"], entry_date=date(2023, 5, 20), quantity=3, amount_fen=135_000
        ),
    )


def close_and_reopen(url: str) -> None:
    locks.close_months(db_url=url, actor=ADMIN, months=[date(2023, 5, 1)], today=TODAY)
    locks.reopen_months(db_url=url, actor=ADMIN, months=[date(2023, 5, 1)], reason="补报")


def change_a_setting(url: str) -> None:
    app_settings.set_boards_public(db_url=url, actor=ADMIN, public=False)


@pytest.mark.parametrize(
    "write", [add_progress, close_and_reopen, change_a_setting], ids=["progress entry", "结账 and reopen", "setting"]
)
def test_a_write_of_data_moves_both_even_after_sign_ins(staff, write):
    sign_in(staff)
    before_at, before_version = state(staff)
    write(staff)
    sign_in(staff)  # sign-ins after the write do not hide it
    at, version = state(staff)
    newest = rows(
        staff, "SELECT id, at FROM auditlog WHERE action NOT IN ('login', 'login_failed', 'logout') ORDER BY id DESC"
    )[0]
    assert version != before_version and version[0] == str(newest["id"])
    assert at > before_at
    assert audit.verify(staff).whole


def test_a_restored_backup_is_a_new_version_never_an_earlier_one(staff):
    saved = backup.make_backup(staff)
    at_backup = state(staff)
    add_progress(staff)
    after_write = state(staff)
    backup.restore_backup(staff, saved, actor=ADMIN)
    restored = state(staff)
    assert restored[1] not in (at_backup[1], after_write[1]) and restored[0] > after_write[0]
    assert audit.verify(staff).whole


def test_the_version_is_read_from_its_index_however_many_sign_ins_follow(staff):
    """The look-up that runs every half second per process: one step down ``ix_auditlog_data``, not a walk back
    through the sign-ins after the newest write."""
    engine = get_engine(staff)
    compiled = audit.newest_data_entry().compile(engine)  # the very statement and values the driver is sent
    values = compiled.construct_params()
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            found = conn.exec_driver_sql(
                f"EXPLAIN QUERY PLAN {compiled}", tuple(values[k] for k in compiled.positiontup)
            )
            plan = " ".join(str(r[-1]) for r in found)
        else:
            conn.execute(text("SET enable_seqscan = off"))  # a test store is small enough to read whole
            plan = " ".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN {compiled}", values))
    assert "ix_auditlog_data" in plan, plan
