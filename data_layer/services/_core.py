"""What every write service shares: the transaction, the audit entry, cache invalidation."""

from __future__ import annotations

import functools
import inspect
import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import BigInteger, text
from sqlalchemy import inspect as sa_inspect
from sqlmodel import Session, SQLModel

from data_layer import period_locks
from data_layer.domain import id_number
from data_layer.domain.errors import Checks, GridRejected, Problems, ValidationFailed, label_of
from data_layer.domain.limits import EARLIEST, EARLIEST_BY_FIELD, MAXIMUM, latest_year, maximum_in_words
from data_layer.domain.roles import ANY, AREAS, Actor, permitted  # noqa: F401 (the services' role check)
from data_layer.domain.typed_inputs import checked, checked_fields, widen
from data_layer.infra import store_identity
from data_layer.infra.audit import append
from data_layer.infra.cache import clear_reads
from data_layer.infra.store_errors import writing
from data_layer.models import AuditLog, Township

F = TypeVar("F", bound=Callable[..., Any])
# what a 64-bit column may hold; every other whole number a service takes is checked against 32 bits
widen({c.name for t in SQLModel.metadata.tables.values() for c in t.columns if isinstance(c.type, BigInteger)})


def service(fn: F | None = None, *, admin: bool = False, area: str | None = None) -> Any:
    """Run ``fn`` in the caller's session, or in a transaction of its own on ``db_url``.

    Seeds and bulk imports pass ``session=`` to write many rows in one transaction; a
    form passes ``db_url=``. Either way the row and its audit entry commit together.
    ``admin``: only an administrator may call it; ``area``: only accounts that enter that area.
    A ``township_id`` argument must be the acting township officer's own.
    """
    if fn is None:
        return lambda f: service(f, admin=admin, area=area)
    # a township left out falls back to the service's default (None: 县本级), which is a township too
    township_param = inspect.signature(fn).parameters.get("township_id")
    township_default = (
        ANY if township_param is None or township_param.default is inspect.Parameter.empty else township_param.default
    )

    @functools.wraps(fn)
    def wrapper(*, session: Session | None = None, db_url: str | None = None, **kwargs: Any) -> Any:
        kwargs = checked(fn, kwargs)  # types and text, before anything touches the store
        permitted(kwargs.get("actor"), admin=admin, area=area, township_id=kwargs.get("township_id", township_default))
        if session is not None:
            still_allowed(session, kwargs.get("actor"))
            return fn(session=session, **kwargs)
        if db_url is None:
            raise TypeError(f"{fn.__name__} needs session= or db_url=")
        with writing(db_url) as own:
            still_allowed(own, kwargs.get("actor"))
            result = fn(session=own, **kwargs)
        clear_reads()
        store_identity.entered(db_url)  # a person's write: this store must never be silently replaced
        return result

    return wrapper  # type: ignore[return-value]


def still_allowed(session: Session, actor: Actor | None) -> None:
    """A signed-in account is read again inside the write: one disabled (or changed) since sign-in is refused."""
    if actor is None or actor.account_id is None:
        return
    from data_layer.models import Account

    account = session.get(Account, actor.account_id)
    if account is None or not account.active:
        raise ValidationFailed({"actor": "这个账号已停用，不能再保存，请联系管理员"})
    if account.role != actor.role or (account.township_id or None) != actor.township_id:
        raise ValidationFailed({"actor": "账号的角色或所属乡镇已变，请重新登录"})


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(row: SQLModel) -> str:
    """A row as JSON text for the audit log; personal data (a roster's names and ID numbers) masked, as the
    log is read by administrators who do not enter the levy area and is never to hold them in full."""
    values = {k: _plain(v) for k, v in row.model_dump().items()}
    for name, masked in id_number.PERSONAL_FIELDS.get(row.__tablename__, {}).items():  # type: ignore[attr-defined]
        if values.get(name):
            values[name] = masked(values[name])
    return json.dumps(values, ensure_ascii=False)


def audit(session: Session, *, actor: Actor, action: str, row: SQLModel, before: str | None = None) -> AuditLog:
    """Write the audit entry for ``row`` in the caller's transaction."""
    entry = AuditLog(
        actor=actor.username,
        action=action,
        table_name=row.__tablename__,  # type: ignore[attr-defined]
        row_id=str(row_key(row)),
        before=before,
        after=None if action == "delete" else snapshot(row),
    )
    append(session, entry)
    return entry


def row_key(row: SQLModel) -> Any:
    """The row's primary key (``id`` for most tables, ``year`` for the levy policy)."""
    identity = sa_inspect(row).identity
    return identity[0] if identity else None


def insert(session: Session, row: SQLModel, *, actor: Actor) -> Any:
    """Add ``row``, flush for its key, audit it; return the key."""
    check_row(row)
    session.add(row)
    session.flush()
    audit(session, actor=actor, action="create", row=row)
    # Hold the row for the rest of the transaction: the identity map only holds weak
    # references, and a bulk load re-reads the rows it validates against (3× faster seeds).
    session.info.setdefault("written", []).append(row)
    return row_key(row)


def check_actor(checks: Checks, actor: Actor) -> None:
    """A person to write as: a signed-in account (or the system); its name is what 录入人 shows."""
    if checks.require(isinstance(actor, Actor) and actor.name.strip(), "actor", "请先登录再保存"):
        checks.require(len(actor.name) <= 40, "actor", f"录入人不能超过 40 个字（现有 {len(actor.name)} 个字）")


def check_text(checks: Checks, field: str, value: str | None, label: str, max_len: int) -> None:
    if checks.require(value and value.strip(), field, f"请填写{label}"):
        checks.require(len(value.strip()) <= max_len, field, f"{label}不能超过 {max_len} 个字")


def check_count(checks: Checks, field: str, value: object, label: str, *, allow_none: bool = False) -> None:
    """A whole number ≥ 0 (bools are not numbers here); its upper limit is checked on the row (row_problems)."""
    if value is None and allow_none:
        return
    if not checks.require(value is not None, field, f"请填写{label}"):
        return
    ok = isinstance(value, int) and not isinstance(value, bool)
    if checks.require(ok, field, f"{label}必须是整数"):
        checks.require(value >= 0, field, f"{label}不能为负数")  # type: ignore[operator]


def row_problems(row: SQLModel) -> dict[str, str]:
    """What no table may hold, whichever service wrote the row: text longer than its column, a number
    beyond its hard limit. Checked before every write, so both engines refuse the same values."""
    return value_problems(type(row), {c.name: getattr(row, c.name, None) for c in row.__table__.columns})  # type: ignore[attr-defined]


def value_problems(model: type[SQLModel], values: dict[str, Any]) -> dict[str, str]:
    """``row_problems`` of a row given as its column values (the bulk path writes no model objects)."""
    errors: dict[str, str] = {}
    last = latest_year(date.today())
    for name, length in _limited(model):
        value = values.get(name)
        if isinstance(value, str) and length and len(value) > length:
            errors[name] = f"{label_of(name)}不能超过 {length} 个字（现有 {len(value)} 个字）"
        elif isinstance(value, int) and name in MAXIMUM and not 0 <= value <= MAXIMUM[name]:
            errors[name] = f"{label_of(name)}超出合理范围：一条记录最多 {maximum_in_words(name)}"
        elif _outside_window(name, value, last):
            first = EARLIEST_BY_FIELD.get(name, EARLIEST).year
            errors[name] = f"{label_of(name)}应在 {first} 年到 {last} 年之间"
    return errors


@functools.cache
def _limited(model: type[SQLModel]) -> tuple[tuple[str, int | None], ...]:
    """The columns a limit applies to (text with a length, numbers with a maximum, dates and years), with the
    text's length: the other columns need no look per row."""
    found = []
    for column in model.__table__.columns:  # type: ignore[attr-defined]
        length = getattr(column.type, "length", None)
        python_type = getattr(column.type, "python_type", None)
        dated = python_type is not None and issubclass(python_type, date) and not issubclass(python_type, datetime)
        if length or column.name in MAXIMUM or dated or column.name == "year":
            found.append((column.name, length))
    return tuple(found)


def _outside_window(name: str, value: object, last: int) -> bool:
    """Dates and years this store can plausibly hold (a 1900 standard, a 2100 project are typos)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return not EARLIEST_BY_FIELD.get(name, EARLIEST) <= value <= date(last, 12, 31)
    return name == "year" and isinstance(value, int) and not EARLIEST.year <= value <= last


def check_row(row: SQLModel) -> None:
    if errors := row_problems(row):
        raise ValidationFailed(errors)


def check_township(
    session: Session, checks: Checks, township_id: object, county_id: object, current=None, *, county_words="所选县区"
) -> bool:
    """A record's township (None: 县本级, always fine): one that exists, in the record's county, and active —
    a record already there keeps its deactivated township. Returns whether the township is usable."""
    if township_id is None:
        return True
    township = session.get(Township, township_id) if isinstance(township_id, int) else None
    if not checks.require(township is not None, "township_id", "乡镇不存在，请从列表中选择"):
        return False
    ok = checks.require(township.county_id == county_id, "township_id", f"该乡镇不属于{county_words}")
    kept = current is not None and current.township_id == township_id
    return checks.require(township.active or kept, "township_id", f"{township.name}已停用，不能录入新记录") and ok


def exists(session: Session, model: type[SQLModel], key: object) -> bool:
    """Whether a row has this key; a number no key can be (a 20-digit id) is simply not one."""
    if isinstance(key, int) and not isinstance(key, bool) and not 0 < key < 2**63:
        return False
    return key is not None and session.get(model, key) is not None


def change_row(session: Session, row: SQLModel, actor: Actor, action: str, **changes: Any) -> AuditLog:
    """Update (or delete / restore) ``row`` and audit it with its values before."""
    before = snapshot(row)
    for name, value in changes.items():
        setattr(row, name, value)
    check_row(row)
    session.add(row)
    session.flush()
    return audit(session, actor=actor, action=action, row=row, before=before)


def set_deleted(
    session: Session,
    model: type[SQLModel],
    row_id: int,
    *,
    actor: Actor,
    field: str,
    deleted: bool,
    date_field: str | tuple[str, ...] | None = None,
    confirm: bool = False,
    reason: str = "",
    township_of: Callable[[Session, dict], Any] | None = None,
    guard: Callable[[Session, Any, bool], dict[str, str]] | None = None,
) -> None:
    """Soft-delete (or restore) a row: it stays in the store, marked, and the change is audited. A row
    dated in a closed month (``date_field``: one field or several) is refused, or for an administrator needs a
    reason. ``township_of``: the row's township where it has none of its own (a record type's ``township``);
    ``guard(session, row, deleted)``: what refuses this delete or restore (an assessment with payments)."""
    from data_layer.models import utcnow

    checks = Checks()
    check_actor(checks, actor)
    _check_note(checks, reason)  # kept with the override in a closed month: as long as a form's note may be
    row = session.get(model, row_id)
    if checks.require(row is not None, field, "记录不存在"):
        already = (row.deleted_at is not None) == deleted  # type: ignore[attr-defined]
        checks.require(not already, field, "记录已删除" if deleted else "记录未被删除")
    checks.raise_if_any()
    town = township_of(session, row.model_dump()) if township_of else getattr(row, "township_id", ANY)
    permitted(actor, township_id=town)
    if guard is not None and (refused := guard(session, row, deleted)):
        raise ValidationFailed(refused)
    fields = (date_field,) if isinstance(date_field, str) else (date_field or ())
    days = [getattr(row, name) for name in fields]
    locked = period_locks.closed_months(session, days, actor, field)
    period_locks.require_reason(locked, confirm, reason)
    entry = change_row(
        session, row, actor, "delete" if deleted else "restore", deleted_at=utcnow() if deleted else None
    )
    if locked:
        period_locks.record_override(session, entry, days, reason)


# --- records entered through the entry forms: one way to create, correct and check them -----------

NOTE_MAX = 200


@dataclass(frozen=True)
class RecordType:
    """How the shared writers handle one kind of entered record.

    ``validate(session, checks, values, today=, current=)`` applies the hard rules (errors in
    ``checks``) and returns the values to store, defaults filled in. ``warnings(session, ids)``
    applies the soft rules to stored rows through the rule context, the same computation the
    data-quality checks run, so a warning on entry and a finding later can never disagree.
    """

    model: type[SQLModel]
    area: str  # the area of work it belongs to (data_layer/roles.py): who may enter it
    id_field: str  # the field a missing or deleted record's message is reported under (entry_id…)
    date_field: str  # the date that puts a record in a month, for 结账 (data_layer/period_locks.py)
    validate: Callable[..., dict]
    warnings: Callable[[Session, list[int]], dict[int, dict[str, str]]]
    # the township a record belongs to where it has no township of its own (an inspection's or a payment's is its
    # employer's): a township officer writes only their own township's
    township_of: Callable[[Session, dict], int | None] | None = None
    # the record's fields and their types, as a signature (``def progress_fields(*, item_id: int, …)``): what
    # is handed to the writers is checked against it strictly before any rule runs
    fields: Callable[..., None] | None = None
    # further dates that put a record in a month (a review's declaration besides its notice): a correction or a
    # delete touching any of them in a closed month is refused as for ``date_field``
    also_dated: tuple[str, ...] = ()
    # ``guard(session, row, deleted)``: errors that refuse a delete (deleted=True) or a restore (an assessment that
    # has payments; a roster line of an approved review)
    guard: Callable[[Session, Any, bool], dict[str, str]] | None = None

    @property
    def date_fields(self) -> tuple[str, ...]:
        return (self.date_field, *self.also_dated)

    def days(self, values: dict) -> list[date | None]:
        """The dates that put a record (its values) in a month, for 结账."""
        return [values.get(name) for name in self.date_fields]

    def township(self, session: Session, values: dict) -> Any:
        """The record's township (None: 县本级), or ANY where it names none."""
        if self.township_of is not None:
            return self.township_of(session, values)
        return values.get("township_id", ANY)


def serialised(session: Session, key: str) -> None:
    """From here to the commit, this transaction is the only writer of ``key``: a check that reads what is stored
    (what is still owed, a repeat) and the write that follows it cannot interleave with another's. PostgreSQL: a
    transaction-scoped advisory lock per key. SQLite: the database's write lock, taken now by a write that changes
    nothing (SQLite has one writer; the reads after it see every commit before it)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": zlib.crc32(key.encode())})
    else:
        session.execute(text("UPDATE appsetting SET key = key WHERE 0"))


def typed_fields(kind: RecordType, values: dict, *, partial: bool = False) -> dict:
    """``values`` cleaned and checked against the record type's fields (``partial``: a correction's changed fields
    only); raises ``ValidationFailed`` naming each field in words."""
    if kind.fields is None:
        return values
    return checked_fields(kind.fields, values, partial=partial)


def one_writer_at_a_time(session: Session, kind: RecordType) -> None:
    """The soft rules read what is stored after this write; two writes of one record type must not both read
    before either commits (two tabs saving the same entry would both pass the repeat check)."""
    serialised(session, kind.model.__tablename__)  # type: ignore[attr-defined]


def kept_note(warnings: dict[str, str], warning_note: str) -> str:
    """The note stored with a confirmed warning (none without a warning)."""
    return ((warning_note or "").strip() or "已核实") if warnings else ""


def _check_note(checks: Checks, warning_note: str) -> None:
    checks.require(len((warning_note or "").strip()) <= NOTE_MAX, "warning_note", f"核实说明不能超过 {NOTE_MAX} 字")


def create_rows(
    session: Session,
    kind: RecordType,
    *,
    actor: Actor,
    rows: list[dict],
    confirm: bool = False,
    warning_note: str = "",
    today: date | None = None,
) -> list[int]:
    """Write every row or none (a grid, an import, or a form's one row).

    Rows without errors are written first, so the soft rules see them exactly as they will
    be stored (each row after the ones before it); then any error, or any warning not yet
    confirmed, raises ``GridRejected`` and the transaction is rolled back.
    """
    checks = Checks()
    check_actor(checks, actor)
    _check_note(checks, warning_note)
    checks.raise_if_any()
    permitted(actor, area=kind.area)
    one_writer_at_a_time(session, kind)
    today = today or date.today()
    problems: dict[int, Problems] = {}
    written: list[tuple[int, SQLModel]] = []
    locked: dict[int, dict[str, str]] = {}  # rows dated in a closed month (an administrator's, to confirm)
    for index, values in enumerate(rows):
        row_checks = Checks()
        try:
            values = typed_fields(kind, values)
        except ValidationFailed as wrong:
            problems[index] = Problems(errors=wrong.errors)
            continue
        stored = kind.validate(session, row_checks, values, today=today, current=None)
        town = kind.township(session, stored) if kind.township_of is None or not row_checks.errors else ANY
        if town is not ANY and not actor.township_allowed(town):
            row_checks.require(False, "township_id", "乡镇专职干事只能录入本乡镇的数据")
        if not row_checks.errors:
            try:
                locked[index] = period_locks.closed_months(session, kind.days(stored), actor, kind.date_field)
            except ValidationFailed as refused:
                row_checks.errors.update(refused.errors)
        if row_checks.errors:
            problems[index] = Problems(errors=row_checks.errors)
            continue
        row = kind.model(**stored, created_by=actor.name)
        if errors := row_problems(row):
            problems[index] = Problems(errors=errors)
            continue
        session.add(row)
        written.append((index, row))
    session.flush()
    found = kind.warnings(session, [row.id for _, row in written]) if written else {}
    for index, row in written:
        warnings = {**found.get(row.id, {}), **locked.get(index, {})}
        if warnings and not confirm:
            problems[index] = Problems(warnings=warnings)
        elif locked.get(index) and not warning_note.strip():
            problems[index] = Problems(errors={"warning_note": period_locks.REASON_NEEDED})
        row.warning_note = kept_note(warnings, warning_note)
    if problems:
        raise GridRejected(problems)
    for index, row in written:
        session.add(row)
        entry = audit(session, actor=actor, action="create", row=row)
        if locked.get(index):
            period_locks.record_override(session, entry, kind.days(row.model_dump()), warning_note)
    return [row_key(row) for _, row in written]


def create_one(session: Session, kind: RecordType, *, values: dict, **options: Any) -> int:
    """One record through the same path as a grid: errors raise ``ValidationFailed``, unconfirmed
    warnings ``NeedsConfirmation``."""
    try:
        return create_rows(session, kind, rows=[values], **options)[0]
    except GridRejected as exc:
        exc.problems[0].raise_for(confirm=False)
        raise


def update_one(
    session: Session,
    kind: RecordType,
    row_id: int,
    *,
    actor: Actor,
    values: dict,
    confirm: bool = False,
    warning_note: str = "",
    today: date | None = None,
) -> None:
    """Correct a record: the same rules as a new one, audited with the values before."""
    checks = Checks()
    check_actor(checks, actor)
    _check_note(checks, warning_note)
    values = typed_fields(kind, values, partial=True)
    if kind.fields is not None:  # a record's workflow (a review's state) is not a correction's to change
        declared = inspect.signature(kind.fields).parameters
        for name in values:
            checks.require(name in declared, name, f"{label_of(name)}不能在这里修改")
    row = _live_row(session, kind, row_id, checks)
    checks.raise_if_any()
    permitted(actor, area=kind.area, township_id=kind.township(session, row.model_dump()))
    one_writer_at_a_time(session, kind)
    stored = kind.validate(session, checks, {**row.model_dump(), **values}, today=today or date.today(), current=row)
    town = kind.township(session, stored) if kind.township_of is None or not checks.errors else ANY
    if town is not ANY and not actor.township_allowed(town):
        checks.require(False, "township_id", "乡镇专职干事只能录入和修改本乡镇的数据")
    checks.raise_if_any()
    days = [*kind.days(row.model_dump()), *kind.days(stored)]  # moved out of or into a closed month
    change_one(session, kind, row, actor=actor, stored=stored, days=days, confirm=confirm, warning_note=warning_note)


def _live_row(session: Session, kind: RecordType, row_id: object, checks: Checks) -> Any:
    """The stored record to change: one that exists and is not in the 回收站 (None, with the error, otherwise)."""
    row = session.get(kind.model, row_id) if exists(session, kind.model, row_id) else None
    if checks.require(row is not None, kind.id_field, "记录不存在"):
        checks.require(row.deleted_at is None, kind.id_field, "记录已删除，请先恢复")  # type: ignore[attr-defined]
    return row


def change_one(
    session: Session,
    kind: RecordType,
    row: Any,
    *,
    actor: Actor,
    stored: dict,
    days: list[date | None],
    confirm: bool,
    warning_note: str,
) -> None:
    """Write checked values to a stored record (a correction, or a step of its workflow): refused or asked in a
    closed month (``days``), the soft rules asked with the row as it will be, the note kept, audited with the
    values before."""
    locked = period_locks.closed_months(session, days, actor, kind.date_field)
    before = snapshot(row)
    for name, value in stored.items():
        setattr(row, name, value)
    check_row(row)
    session.add(row)
    session.flush()
    warnings = {**kind.warnings(session, [row.id]).get(row.id, {}), **locked}
    Problems(warnings=warnings).raise_for(confirm)
    period_locks.require_reason(locked, confirm, warning_note)
    row.warning_note = kept_note(warnings, warning_note)
    session.add(row)
    entry = audit(session, actor=actor, action="update", row=row, before=before)
    if locked:
        period_locks.record_override(session, entry, days, warning_note)


def step_one(
    session: Session,
    kind: RecordType,
    row_id: int,
    *,
    actor: Actor,
    step: Callable[[Checks, Any], dict],
    day_field: str,
    confirm: bool = False,
    warning_note: str = "",
    today: date | None = None,
) -> None:
    """One step of a record's workflow (a review's 申报, 审核通过, 退回) through the same path as a correction:
    the account's area and township, the writers' lock, ``step(checks, row)``'s own rules (the states it may
    follow) giving the changes, the record's hard rules after it, 结账 of the step's date (``day_field``), its
    soft rules confirmed with a note, the audit entry."""
    checks = Checks()
    check_actor(checks, actor)
    _check_note(checks, warning_note)
    row = _live_row(session, kind, row_id, checks)
    checks.raise_if_any()
    permitted(actor, area=kind.area, township_id=kind.township(session, row.model_dump()))
    one_writer_at_a_time(session, kind)
    changes = step(checks, row)
    checks.raise_if_any()
    today = today or date.today()
    stored = kind.validate(session, checks, {**row.model_dump(), **changes}, today=today, current=row)
    checks.raise_if_any()
    days = [changes.get(day_field)]
    change_one(session, kind, row, actor=actor, stored=stored, days=days, confirm=confirm, warning_note=warning_note)
