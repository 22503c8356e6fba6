"""Accounts, passwords and signed-in browsers.

Passwords are hashed with argon2id and never logged, shown or stored in the clear. A sign-in gives an
opaque random token (the HttpOnly cookie); the store keeps only its SHA-256, with an expiry, so a
sign-out (or an administrator disabling the account) ends it everywhere. Repeated failures of one name from
one address make the next attempt from there wait (the owner's own PC is not held up by someone guessing
elsewhere), with the same words whether the name is an account or not; every attempt is in the audit log.
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from data_layer.domain.errors import Checks, ValidationFailed
from data_layer.domain.roles import AREAS, ROLES, SYSTEM, Actor, permitted
from data_layer.domain.typed_inputs import clean_text
from data_layer.infra.db import session_scope
from data_layer.infra.store_errors import writing
from data_layer.models import Account, AuditLog, SignIn, SignInThrottle, Township, utcnow

PASSWORD_MIN = 8
PASSWORD_MAX = 128  # argon2 takes any length; a cap keeps a pasted book out of the hasher
SIGN_IN_HOURS = 12  # a working day: reloads and new tabs stay signed in
FREE_FAILURES = 3  # after these, each failure doubles the wait before the next attempt from there (capped)
MAX_WAIT_SECONDS = 300
COOKIE = "dpf_session"
_hasher = PasswordHasher()  # argon2id with the library's current parameters


class SignInRefused(Exception):
    """Why a sign-in did not happen, in Chinese (the same words for an unknown name and a wrong password)."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


WRONG = "用户名或密码不对"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime | None) -> datetime | None:
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=UTC)


def _audit(session: Session, username: str, action: str, account_id: int | None, detail: str = "") -> None:
    from data_layer.infra.audit import append

    append(
        session,
        AuditLog(
            actor=username[:40] or "?",
            action=action,
            table_name="account",
            row_id=str(account_id or ""),
            after=detail or None,
        ),
    )


def sign_in(url: str, username: object, password: object, address: str = "") -> str:
    """A new token for a right username and password; ``SignInRefused`` otherwise (the attempt is audited).
    ``address``: the client's, as the server saw it (failures are counted per name and address)."""
    name = username.strip() if isinstance(username, str) else ""
    if not name or not isinstance(password, str) or not password:
        raise SignInRefused("请填写用户名和密码")
    if len(name) > 40 or any(not c.isprintable() for c in name):
        raise SignInRefused(WRONG)
    where = (address or "")[:64]
    with writing(url) as session:
        throttle = session.exec(
            select(SignInThrottle).where(SignInThrottle.username == name, SignInThrottle.address == where)
        ).first() or SignInThrottle(username=name, address=where)
        account = session.exec(select(Account).where(Account.username == name)).first()
        locked = _aware(throttle.locked_until)
        if locked is not None and locked > _now():  # the same words for an account and a name that is none
            wait = int((locked - _now()).total_seconds()) + 1
            refusal, why = SignInRefused(f"失败次数太多，请 {wait} 秒后再试"), "尝试过于频繁"
        elif account is None:
            _hasher.hash(password)  # the same time as a wrong password: no hint that the name is unknown
            refusal, why = SignInRefused(WRONG), "用户名不存在"
        else:
            refusal, why = _check(account, password)
        if refusal is None:
            if throttle.id is not None:
                session.delete(throttle)
            token = secrets.token_urlsafe(32)
            expires = _now() + timedelta(hours=SIGN_IN_HOURS)
            session.add(SignIn(token_hash=token_hash(token), account_id=account.id, expires_at=expires))
            _audit(session, name, "login", account.id, where)
            return token
        if refusal.message == WRONG:
            _count_failure(throttle)
            session.add(throttle)
        _audit(session, name, "login_failed", account.id if account else None, f"{why}（{where or '地址不明'}）")
    raise refusal


def _count_failure(throttle: SignInThrottle) -> None:
    throttle.failures += 1
    throttle.last_at = _now()
    extra = throttle.failures - FREE_FAILURES
    if extra > 0:
        throttle.locked_until = _now() + timedelta(seconds=min(2**extra, MAX_WAIT_SECONDS))


def _check(account: Account, password: str) -> tuple[SignInRefused | None, str]:
    """None when the password is right and the account may sign in; else the refusal and why (for the log)."""
    try:
        _hasher.verify(account.password_hash, password)
    except (VerificationError, InvalidHashError):
        return SignInRefused(WRONG), "密码不对"
    if not account.active:
        return SignInRefused("这个账号已停用，请联系管理员"), "账号已停用"
    return None, ""


def sign_out(url: str, token: str | None) -> None:
    """End the signed-in browser (every tab that shares its cookie)."""
    if not token:
        return
    with writing(url) as session:
        found = session.exec(select(SignIn).where(SignIn.token_hash == token_hash(token))).first()
        if found is not None and found.ended_at is None:
            found.ended_at = _now()
            session.add(found)
            account = session.get(Account, found.account_id)
            _audit(session, account.username if account else "?", "logout", found.account_id)


@dataclass(frozen=True)
class SignedIn:
    actor: Actor
    role_name: str
    township: str | None


def signed_in(url: str, token: str | None) -> SignedIn | None:
    """The account behind a cookie's token, if it is known, not expired, not ended, and the account active."""
    if not token or not isinstance(token, str) or len(token) > 200:
        return None
    with session_scope(url) as session:
        found = session.exec(select(SignIn).where(SignIn.token_hash == token_hash(token))).first()
        if found is None or found.ended_at is not None or _aware(found.expires_at) <= _now():
            return None
        account = session.get(Account, found.account_id)
        if account is None or not account.active:
            return None
        township = session.get(Township, account.township_id) if account.township_id else None
        return SignedIn(actor_of(account), ROLES[account.role].name, township.name if township else None)


def actor_of(account: Account) -> Actor:
    return Actor(
        username=account.username,
        name=account.display_name,
        role=account.role,
        areas=tuple(a for a in account.areas.split(",") if a),
        township_id=account.township_id,
        account_id=account.id,
    )


# --- administering accounts (the command line and, later, the admin page) -------------------------


def _validate(session: Session, checks: Checks, *, role: str, areas: tuple[str, ...], township_id: int | None):
    checks.require(isinstance(role, str) and role in ROLES, "role", "角色应为 领导 / 科室人员 / 乡镇专职干事 / 管理员")
    listed = isinstance(areas, (tuple, list)) and all(isinstance(a, str) and a in AREAS for a in areas)
    checks.require(listed, "areas", "业务范围只能是 " + " / ".join(AREAS.values()))
    number = isinstance(township_id, int) and not isinstance(township_id, bool)
    if checks.require(township_id is None or number, "township_id", "所属乡镇应从列表中选择") and role == "township":
        ok = number and 0 < township_id < 2**31 and session.get(Township, township_id) is not None
        checks.require(ok, "township_id", "乡镇专职干事须指定所属乡镇")


def _check_password(checks: Checks, password: object) -> None:
    ok = isinstance(password, str) and len(password) >= PASSWORD_MIN
    if checks.require(ok, "password", f"密码至少 {PASSWORD_MIN} 位"):
        checks.require(len(password) <= PASSWORD_MAX, "password", f"密码不能超过 {PASSWORD_MAX} 位")
        # a control or direction character (U+202E …) cannot be typed back at the sign-in form as it was meant
        hidden = any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") for c in password)
        checks.require(not hidden, "password", "密码不能含控制字符或不可见的格式字符")


def create_account(
    url: str,
    *,
    username: str,
    display_name: str,
    role: str,
    password: str,
    areas: tuple[str, ...] = (),
    township_id: int | None = None,
    is_demo: bool = False,
    session: Session | None = None,
    by: Actor = SYSTEM,
) -> int:
    """Add an account (the password is stored only as its argon2id hash). ``by``: the administrator doing it
    (the command line and the seeds act as the system)."""
    _admin_only(by)
    checks = Checks()
    name = username.strip() if isinstance(username, str) else ""
    checks.require(0 < len(name) <= 40 and name.isprintable(), "username", "用户名应为 1–40 个可见字符")
    display_name = display_name if isinstance(display_name, str) else ""
    checks.require(0 < len(display_name.strip()) <= 40, "display_name", "姓名应为 1–40 个字")
    clean_text(display_name, "display_name", checks.errors)  # no control characters (as every stored text)
    _check_password(checks, password)
    checks.require(isinstance(is_demo, bool), "is_demo", "演示标记应为“是”或“否”")

    def write(s: Session) -> int:
        _validate(s, checks, role=role, areas=areas, township_id=township_id)
        if "username" not in checks.errors:
            taken = s.exec(select(Account).where(Account.username == name)).first() is not None
            checks.require(not taken, "username", f"用户名“{name}”已被使用")
        checks.raise_if_any()
        row = Account(
            username=name,
            display_name=display_name.strip(),
            role=role,
            areas=",".join(areas),
            township_id=township_id if role == "township" else None,
            password_hash=hash_password(password),
            is_demo=is_demo,
        )
        s.add(row)
        s.flush()
        _audit(s, by.username, "create", row.id, f"账号 {name}（{ROLES[role].name}）")
        return row.id

    if session is not None:
        return write(session)
    with writing(url) as own:
        return write(own)


def set_password(url: str, *, username: str, password: str, by: Actor = SYSTEM) -> None:
    _admin_only(by)
    checks = Checks()
    _check_password(checks, password)
    checks.raise_if_any()
    with writing(url) as session:
        account = _account(session, username)
        account.password_hash = hash_password(password)
        session.add(account)
        for held in session.exec(select(SignInThrottle).where(SignInThrottle.username == account.username)):
            session.delete(held)  # a new password: nobody waits for the old one's failures
        _end_sign_ins(session, account.id)
        _audit(session, by.username, "update", account.id, "重设密码")


def set_active(url: str, *, username: str, active: bool, by: Actor = SYSTEM) -> None:
    _admin_only(by)
    if not isinstance(active, bool):
        raise ValidationFailed({"active": "是否启用应为“是”或“否”"})
    with writing(url) as session:
        account = _account(session, username)
        if not active and account.username == by.username:
            raise ValidationFailed({"username": "不能停用自己正在使用的账号"})
        account.active = active
        session.add(account)
        if not active:
            _end_sign_ins(session, account.id)
        _audit(session, by.username, "update", account.id, "启用账号" if active else "停用账号")


def _admin_only(by: Actor) -> None:
    if not isinstance(by, Actor):  # None would pass the role check below, as a service without an actor does
        raise ValidationFailed({"actor": "请先登录再保存"})
    permitted(by, admin=True)  # the write services' own role check


def _account(session: Session, username: str) -> Account:
    if not isinstance(username, str) or not username.isprintable():  # no account has such a name (sign_in's rule)
        raise ValidationFailed({"username": "用户名应为 1–40 个可见字符"})
    account = session.exec(select(Account).where(Account.username == username)).first()
    if account is None:
        raise ValidationFailed({"username": f"没有用户名为“{username}”的账号"})
    return account


def _end_sign_ins(session: Session, account_id: int) -> None:
    for found in session.exec(select(SignIn).where(SignIn.account_id == account_id, SignIn.ended_at.is_(None))):
        found.ended_at = utcnow()
        session.add(found)


def has_real_admin(url: str) -> bool:
    """True once an administrator who is not a demo account exists."""
    with session_scope(url) as session:
        found = select(Account.id).where(Account.role == "admin", Account.is_demo.is_(False), Account.active)
        return session.exec(found).first() is not None


FIRST_ADMIN = (
    "尚无正式的管理员账号。请在服务器上执行：\n"
    "    python -m data_layer user add --username <用户名> --name <姓名> --role admin\n"
    "（会提示输入密码）。演示数据中的账号见 README。"
)
