"""Accounts, passwords, signed-in browsers and the audit chain, on both engines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from data_layer import auth
from data_layer.domain.errors import ValidationFailed
from data_layer.domain.roles import ROLES
from data_layer.infra import audit
from tests.conftest import PASSWORD, rows


def test_a_password_is_stored_only_as_an_argon2id_hash(staff):
    stored = rows(staff, "SELECT password_hash FROM account WHERE username = 'zhangsan'")[0]["password_hash"]
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert not any(PASSWORD in (r["after"] or "") for r in rows(staff, "SELECT after FROM auditlog"))


def test_sign_in_gives_a_token_whose_hash_alone_is_stored(staff):
    token = auth.sign_in(staff, "zhangsan", PASSWORD)
    stored = rows(staff, "SELECT token_hash FROM signin")
    assert [r["token_hash"] for r in stored] == [auth.token_hash(token)] and token not in str(stored)
    who = auth.signed_in(staff, token)
    assert (who.actor.username, who.actor.name, who.actor.role, who.role_name) == (
        "zhangsan",
        "张三",
        "staff",
        "科室人员",
    )


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [
        ("zhangsan", "wrong-password", "用户名或密码不对"),
        ("nobody", PASSWORD, "用户名或密码不对"),  # the same words: no hint whether the name exists
        ("", PASSWORD, "请填写用户名和密码"),
        ("zhangsan", "", "请填写用户名和密码"),
        ("' OR 1=1 --", PASSWORD, "用户名或密码不对"),
        ("张" * 41, PASSWORD, "用户名或密码不对"),
        ("zhang\x00san", PASSWORD, "用户名或密码不对"),
        (None, None, "请填写用户名和密码"),
    ],
)
def test_a_refused_sign_in_says_why_in_chinese_and_is_audited(staff, username, password, message):
    before = rows(staff, "SELECT COUNT(*) AS n FROM signin")[0]["n"]
    with pytest.raises(auth.SignInRefused) as refused:
        auth.sign_in(staff, username, password)
    assert refused.value.message == message
    assert rows(staff, "SELECT COUNT(*) AS n FROM signin")[0]["n"] == before


GUESSER, OWNER = "10.0.0.66", "10.0.0.12"


def test_repeated_failures_slow_the_next_attempt_from_that_address_only(staff):
    for _ in range(auth.FREE_FAILURES + 1):
        with pytest.raises(auth.SignInRefused):
            auth.sign_in(staff, "zhangsan", "wrong-password", GUESSER)
    with pytest.raises(auth.SignInRefused) as refused:  # even the right password waits there now
        auth.sign_in(staff, "zhangsan", PASSWORD, GUESSER)
    assert "秒后再试" in refused.value.message
    failed = rows(staff, "SELECT COUNT(*) AS n FROM auditlog WHERE action = 'login_failed'")[0]["n"]
    assert failed == auth.FREE_FAILURES + 2
    assert auth.signed_in(staff, auth.sign_in(staff, "zhangsan", PASSWORD, OWNER)) is not None  # the owner's PC


def test_an_unknown_name_and_an_account_answer_alike_however_often_they_are_tried(staff):
    answers = {}
    for name in ("zhangsan", "nobody-here"):
        said = []
        for _ in range(auth.FREE_FAILURES + 2):
            with pytest.raises(auth.SignInRefused) as refused:
                auth.sign_in(staff, name, "wrong-password", GUESSER)
            said.append(refused.value.message.split("请 ")[0])  # the wait's seconds aside
        answers[name] = said
    assert answers["zhangsan"] == answers["nobody-here"]
    assert answers["zhangsan"][-1] == "失败次数太多，"


def test_a_password_with_a_hidden_character_or_a_name_that_is_not_text_is_refused(staff):
    from data_layer.domain.errors import ValidationFailed

    for password in ("abc\u202edefgh", "abcdefgh\x07", "abc\u200bdefgh"):
        with pytest.raises(ValidationFailed, match="控制字符"):
            auth.create_account(staff, username="lisi", display_name="李四", role="staff", password=password)
    with pytest.raises(ValidationFailed, match="用户名应为"):
        auth.create_account(staff, username=123, display_name="李四", role="staff", password="correct-horse")


def test_sign_out_ends_the_token_everywhere(staff):
    token = auth.sign_in(staff, "zhangsan", PASSWORD)
    auth.sign_out(staff, token)
    assert auth.signed_in(staff, token) is None


@pytest.mark.parametrize("token", ["", "forged-token", "x" * 500, None])
def test_an_unknown_or_altered_token_is_nobody(staff, token):
    auth.sign_in(staff, "zhangsan", PASSWORD)
    assert auth.signed_in(staff, token) is None


def test_an_expired_token_is_nobody(staff):
    from data_layer.infra.db import get_engine

    token = auth.sign_in(staff, "zhangsan", PASSWORD)
    with get_engine(staff).begin() as conn:
        conn.exec_driver_sql(
            "UPDATE signin SET expires_at = ?" if staff.startswith("sqlite") else "UPDATE signin SET expires_at = %s",
            (datetime.now(UTC) - timedelta(minutes=1),),
        )
    assert auth.signed_in(staff, token) is None


def test_disabling_an_account_ends_its_sign_ins_and_refuses_new_ones(staff):
    token = auth.sign_in(staff, "zhangsan", PASSWORD)
    auth.set_active(staff, username="zhangsan", active=False)
    assert auth.signed_in(staff, token) is None
    with pytest.raises(auth.SignInRefused) as refused:
        auth.sign_in(staff, "zhangsan", PASSWORD)
    assert "停用" in refused.value.message


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"password": "short"}, "password"),
        ({"role": "boss"}, "role"),
        ({"areas": ("everything",)}, "areas"),
        ({"role": "township"}, "township_id"),  # a township officer belongs to a township
        ({"username": "zhangsan"}, "username"),  # taken
        ({"username": "a\x00b"}, "username"),
        ({"display_name": "李\x00四"}, "display_name"),
        ({"password": "p" * 129}, "password"),
    ],
)
def test_bad_accounts_are_refused(staff, over, field):
    values = dict(username="lisi", display_name="李四", role="staff", password=PASSWORD, areas=("projects",))
    with pytest.raises(ValidationFailed) as err:
        auth.create_account(staff, **{**values, **over})
    assert field in err.value.errors


def test_roles_are_data_with_chinese_names():
    assert {r.name for r in ROLES.values()} == {"领导", "科室人员", "乡镇专职干事", "管理员"}
    assert not ROLES["leader"].enters and not ROLES["township"].every_township and ROLES["admin"].admin


def test_the_audit_chain_is_whole_until_a_row_is_touched(staff):
    auth.sign_in(staff, "zhangsan", PASSWORD)
    assert audit.verify(staff).whole
    from data_layer.infra.db import get_engine

    middle = rows(staff, "SELECT id FROM auditlog ORDER BY id")[1]["id"]
    with get_engine(staff).begin() as conn:
        conn.exec_driver_sql(f"DELETE FROM auditlog WHERE id = {middle}")
    verdict = audit.verify(staff)
    assert not verdict.whole and verdict.broken_at == middle + 1 and "对不上" in verdict.reason


def test_the_demo_has_one_account_per_role(demo_url):
    found = {
        r["username"]: r["role"] for r in rows(demo_url, "SELECT username, role FROM account WHERE is_demo = TRUE")
    }
    assert sorted(found.values()) == sorted(ROLES)
    assert auth.signed_in(demo_url, auth.sign_in(demo_url, "lucun", "lucun-2023")).township == "鲁村镇"


def test_the_same_account_made_from_two_tabs_at_once_is_made_once_and_the_other_told(staff):
    import threading

    outcomes: list[object] = []

    def make() -> None:
        try:
            outcomes.append(
                auth.create_account(staff, username="twin", display_name="双", role="staff", password=PASSWORD)
            )
        except ValidationFailed as refused:
            outcomes.append(refused.errors)

    threads = [threading.Thread(target=make) for _ in range(6)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sum(isinstance(o, int) for o in outcomes) == 1
    assert all("username" in o for o in outcomes if isinstance(o, dict))
    assert rows(staff, "SELECT COUNT(*) AS n FROM account WHERE username = 'twin'")[0]["n"] == 1


def test_a_read_only_store_refuses_sign_in_and_account_changes_in_words(staff):
    from data_layer.domain.errors import StoreUnavailable
    from data_layer.infra.store_errors import READ_ONLY
    from tests.test_faults import read_only

    read_only(staff)
    for attempt in (
        lambda: auth.sign_in(staff, "zhangsan", PASSWORD),
        lambda: auth.set_password(staff, username="zhangsan", password="另一个密码-2023"),
        lambda: auth.create_account(staff, username="lisi", display_name="李四", role="leader", password=PASSWORD),
    ):
        with pytest.raises(StoreUnavailable) as err:
            attempt()
        assert err.value.message == READ_ONLY
