"""The employer registry (用人单位名录): one employer on a form, or a whole list from an import.

One rule set (``employer_errors``) serves the form, the import's dry run and its commit, and the seed.
The credit code identifies an employer: an import row whose code is registered updates that employer.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, select

from data_layer.domain import credit_code
from data_layer.domain.errors import Checks, ValidationFailed
from data_layer.domain.inputs import parse_count, parse_yuan, read_fields
from data_layer.domain.roles import Actor
from data_layer.domain.typed_inputs import checked_fields, readable_fields
from data_layer.infra.db import get_engine
from data_layer.infra.settings import CHINA
from data_layer.models import SIZE_CLASSES, County, Employer, FileLog, Township, utcnow
from data_layer.services._core import (
    audit,
    change_row,
    check_actor,
    check_count,
    check_row,
    check_text,
    insert,
    permitted,
    service,
    value_problems,
)

SIZE_NAMES = {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型"}
# the registry's own fields, as an import or a form changes them (the county and the registration date stay)
EDITABLE = ("name", "township_id", "staff", "disabled_staff", "avg_wage_fen", "size_class", "above_designated_size")


def employer_fields(
    *,
    county_id: int,
    township_id: int | None,
    name: str,
    credit_code: str,
    staff: int,
    disabled_staff: int = 0,
    avg_wage_fen: int = 0,
    size_class: str,
    above_designated_size: bool = False,
    registered_on: date,
    is_demo: bool = False,
) -> None:
    """An employer's fields and their types: a correction's values and an import's rows are checked against them
    (strictly: "1" is not a township, 1 not “是”) before any rule looks them up."""


def normalize_code(code: object) -> str:
    return credit_code.normalize(code)


def employer_errors(
    session: Session,
    values: dict[str, Any],
    *,
    current_id: int | None = None,
    registered: Mapping[str, int] | None = None,
) -> dict[str, str]:
    """The hard rules of one employer's values; ``current_id`` is the employer being changed (its own code).
    ``registered`` (credit code → employer id, looked up for a whole file at once) saves a query per row."""
    checks = Checks()
    county = values.get("county_id")
    checks.require(county is not None and session.get(County, county) is not None, "county_id", "请选择县区")
    township = values.get("township_id")
    if township is not None:
        found = session.get(Township, township)
        ok = found is not None and found.county_id == values.get("county_id")
        if checks.require(ok, "township_id", "乡镇（街道）不存在或不属于本县") and not found.active:
            # an employer already there keeps its deactivated township; none is put there anew (an import reads
            # every township's name, so a list naming a deactivated one is told so, not “不存在”)
            kept = current_id is not None and session.get(Employer, current_id).township_id == township
            checks.require(kept, "township_id", f"{found.name}已停用，请填写现在的乡镇（街道）")
    check_text(checks, "name", values.get("name"), "单位名称", 80)
    code = normalize_code(values.get("credit_code"))
    if checks.require(len(code) == 18, "credit_code", "统一社会信用代码应为 18 位") and checks.require(
        credit_code.is_valid(code), "credit_code", "统一社会信用代码校验位不对，请核对"
    ):
        if registered is not None:
            clash = registered.get(code)
        else:
            clash = session.exec(select(Employer.id).where(Employer.credit_code == code)).first()
        taken = clash is not None and clash != current_id
        checks.require(not taken, "credit_code", f"统一社会信用代码 {code} 已登记（编号 {clash}）")
    check_count(checks, "staff", values.get("staff"), "职工人数")
    check_count(checks, "disabled_staff", values.get("disabled_staff"), "残疾职工人数")
    staff, disabled = values.get("staff"), values.get("disabled_staff")
    if "staff" not in checks.errors and "disabled_staff" not in checks.errors:
        checks.require(disabled <= staff, "disabled_staff", "残疾职工人数不能多于职工人数")
    check_count(checks, "avg_wage_fen", values.get("avg_wage_fen"), "年平均工资")
    checks.require(values.get("size_class") in SIZE_CLASSES, "size_class", "企业规模应为 大型 / 中型 / 小型 / 微型")
    checks.require(isinstance(values.get("registered_on"), date), "registered_on", "请填写登记日期")
    if not checks.errors:
        checks.errors.update(value_problems(Employer, {**values, "credit_code": code}))
    return checks.errors


def check_employer(*, db_url: str, values: dict[str, Any], current_id: int | None = None) -> dict[str, str]:
    """``employer_errors`` without writing anything: a form that found a problem of its own (a number it could
    not read) still shows every other problem beside its field at once."""
    with Session(get_engine(db_url)) as session:
        return employer_errors(session, _values(**values), current_id=current_id)


def _values(**kwargs: Any) -> dict[str, Any]:
    return {
        **kwargs,
        "credit_code": normalize_code(kwargs.get("credit_code")),
        "name": (kwargs.get("name") or "").strip(),
    }


CHOOSE = {"township_id": "请选择所属乡镇（街道）", "size_class": "请选择企业规模"}  # a drop-down left on “请选择”


def read_form(typed: Mapping[str, str], chosen: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """A form's counts and 元 typed as text, read exactly (data_layer/domain/inputs.py), with its other values
    (``chosen``); a message for each field that cannot be read or was left on “请选择”, to show beside it.
    Left empty, 残疾职工人数 and the wage are 0, as the import reads an empty cell."""
    values, errors = read_fields(
        {
            "staff": (typed["staff"], parse_count, "职工人数"),
            "disabled_staff": (typed["disabled_staff"], parse_count, "残疾职工人数"),
            "avg_wage_fen": (typed["avg_wage_fen"], parse_yuan, "上年职工年平均工资"),
        }
    )
    if "staff" in values and values["staff"] is None:
        errors["staff"] = "请填写职工人数"
    for name in ("disabled_staff", "avg_wage_fen"):
        if name in values and values[name] is None:
            values[name] = 0
    errors |= {name: message for name, message in CHOOSE.items() if name in chosen and chosen[name] is None}
    return {k: v for k, v in values.items() if v is not None} | dict(chosen), errors


@service(area="levy")
def create_employer(
    *,
    session: Session,
    actor: Actor,
    county_id: int,
    township_id: int | None,
    name: str,
    credit_code: str,
    staff: int,
    disabled_staff: int = 0,
    avg_wage_fen: int = 0,
    size_class: str,
    above_designated_size: bool = False,
    registered_on: date,
    is_demo: bool = False,
) -> int:
    checks = Checks()
    check_actor(checks, actor)
    checks.raise_if_any()
    values = _values(
        county_id=county_id,
        township_id=township_id,
        name=name,
        credit_code=credit_code,
        staff=staff,
        disabled_staff=disabled_staff,
        avg_wage_fen=avg_wage_fen,
        size_class=size_class,
        above_designated_size=above_designated_size,
        registered_on=registered_on,
    )
    if errors := employer_errors(session, values):
        raise ValidationFailed(errors)
    return insert(session, Employer(**values, is_demo=is_demo, created_by=actor.name), actor=actor)


@service(area="levy")
def update_employer(*, session: Session, actor: Actor, employer_id: int, values: dict) -> None:
    """Change an employer's registry fields (``EDITABLE``); the credit code and county stay."""
    checks = Checks()
    check_actor(checks, actor)
    row = session.get(Employer, employer_id)
    checks.require(row is not None, "employer_id", "用人单位不存在")
    unknown = set(values) - set(EDITABLE)
    checks.require(not unknown, "values", "只能修改名称、乡镇、人数、工资和规模")
    checks.raise_if_any()
    values = checked_fields(employer_fields, values, partial=True)
    permitted(actor, township_id=row.township_id)
    permitted(actor, township_id=values.get("township_id", row.township_id))
    merged = {**row.model_dump(include=set(EDITABLE) | {"county_id", "credit_code", "registered_on"}), **values}
    if errors := employer_errors(session, _values(**merged), current_id=employer_id):
        raise ValidationFailed(errors)
    changes = {k: v for k, v in values.items() if getattr(row, k) != (v.strip() if isinstance(v, str) else v)}
    if changes:
        change_row(session, row, actor, "update", **changes, updated_at=utcnow())


# --- import: a list checked as a whole, then written as a whole -----------------------------------------


@dataclass
class PlannedRow:
    """One row of an import after the dry run."""

    line: int  # the row number in the file (as the person sees it in Excel)
    values: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)
    employer_id: int | None = None  # the registered employer it updates
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # field → (now, after)

    @property
    def action(self) -> str:
        if self.errors:
            return "error"
        if self.employer_id is None:
            return "create"
        return "update" if self.changes else "same"


# what a new employer gets for an optional cell left empty (an employer already registered keeps its own)
NEW_DEFAULTS = {"disabled_staff": 0, "avg_wage_fen": 0, "above_designated_size": False}
PROGRESS_EVERY = 200
WRITE_BATCH = 500
CODES_PER_QUERY = 2_000  # well under every engine's limit of bound parameters


def registered_codes(session: Session, codes: list[str]) -> dict[str, Employer]:
    """The registered employers among ``codes``, in a few queries for a whole file."""
    wanted = sorted({c for c in codes if c})
    found: dict[str, Employer] = {}
    for start in range(0, len(wanted), CODES_PER_QUERY):
        chunk = wanted[start : start + CODES_PER_QUERY]
        found.update((e.credit_code, e) for e in session.exec(select(Employer).where(Employer.credit_code.in_(chunk))))
    return found


def plan_import(
    session: Session,
    rows: list[tuple[int, dict[str, Any]]],
    progress: Callable[[int, int], Any] | None = None,
    *,
    actor: Actor | None = None,
) -> list[PlannedRow]:
    """The dry run: every row's problems, and for each good row whether it creates or updates (and what).
    ``progress(done, total)`` is called every 200 rows (a file of thousands takes seconds). With ``actor``, a
    township officer's rows of another township are problems of their own (the commit refuses them anyway).

    A row's values may leave out an optional field (an empty cell): a new employer takes ``NEW_DEFAULTS`` and
    today as its registration date; a registered one keeps what the registry holds."""
    planned: list[PlannedRow] = []
    first_line: dict[str, int] = {}
    rows = [(line, _readable(raw)) for line, raw in rows]  # a value of the wrong type is the row's problem
    codes = [normalize_code(v.get("credit_code")) for _, v in rows]
    registered = registered_codes(session, codes)
    ids = {code: e.id for code, e in registered.items()}
    # held for the whole run: the identity map keeps rows only while referenced, and the rules look up the
    # county and township of every row (a query each, 5,000 rows: seconds)
    held = [*session.exec(select(County)), *session.exec(select(Township))]  # noqa: F841
    today = datetime.now(CHINA).date()
    for done, ((line, raw), code) in enumerate(zip(rows, codes, strict=True), start=1):
        errors = dict(raw.get("_errors", {}))
        values = _values(**{k: v for k, v in raw.items() if k != "_errors"})
        existing = registered.get(code)
        if existing is not None:  # an update: the registration date and the county are the registry's
            kept = {k: getattr(existing, k) for k in EDITABLE if k not in values}
            values = {**kept, **values, "county_id": existing.county_id, "registered_on": existing.registered_on}
        else:
            values = {**NEW_DEFAULTS, "registered_on": today, **values}
        if code and code in first_line:
            errors.setdefault("credit_code", f"与第 {first_line[code]} 行的统一社会信用代码重复")
        elif code:
            first_line[code] = line
        current = existing.id if existing else None
        for name, message in employer_errors(session, values, current_id=current, registered=ids).items():
            errors.setdefault(name, message)
        if actor is not None:
            for name, message in _outside_township(actor, values, existing).items():
                errors.setdefault(name, message)
        row = PlannedRow(line=line, values=values, errors=errors, employer_id=current)
        if existing is not None and not errors:
            row.changes = {
                k: (getattr(existing, k), values[k])
                for k in EDITABLE
                if k in values and getattr(existing, k) != values[k]
            }
        planned.append(row)
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == len(rows)):
            progress(done, len(rows))
    return planned


def _write_new(session: Session, actor: Actor, rows: list[Employer]) -> None:
    """Flush a batch of new employers (their ids come back together) and audit each; 3× faster than a flush
    per row, which matters while a file of thousands holds the store's write lock."""
    session.flush()
    for row in rows:
        audit(session, actor=actor, action="create", row=row)
    session.info.setdefault("written", []).extend(rows)  # held: the identity map keeps rows only while referenced
    rows.clear()


def _outside_township(actor: Actor, values: dict[str, Any], existing: Employer | None) -> dict[str, str]:
    """A township officer imports only their own township's employers (and cannot move one in or out)."""
    if existing is not None and not actor.township_allowed(existing.township_id):
        return {"township_id": "这个代码已登记在其他乡镇，乡镇专职干事只能导入本乡镇的单位"}
    if not actor.township_allowed(values.get("township_id")):
        return {"township_id": "乡镇专职干事只能导入本乡镇的单位"}
    return {}


# the fields a row may leave out (a new employer takes the default, a registered one keeps its value)
_DEFAULTED = {
    name
    for name, p in inspect.signature(employer_fields).parameters.items()
    if p.default is not inspect.Parameter.empty
}


def _readable(raw: dict[str, Any]) -> dict[str, Any]:
    """A row's values as ``employer_fields`` types them; a value of another type (a list, "1" for a township, a
    hidden character) is left out and named in ``_errors`` beside what the reader found."""
    values, errors = readable_fields(employer_fields, {k: v for k, v in raw.items() if k != "_errors"})
    values = {k: v for k, v in values.items() if not (v is None and k in _DEFAULTED)}  # an empty optional cell
    errors = {**errors, **raw.get("_errors", {})}
    return {**values, "_errors": errors} if errors else values


def preview_import(
    *,
    db_url: str,
    rows: list[tuple[int, dict[str, Any]]],
    actor: Actor | None = None,
    progress: Callable[[int, int], Any] | None = None,
) -> list[PlannedRow]:
    """The dry run on its own, for the page's preview: reads the store, writes nothing."""
    with Session(get_engine(db_url)) as session:
        return plan_import(session, rows, progress, actor=actor)


@service(area="levy")
def import_employers(
    *,
    session: Session,
    actor: Actor,
    file_name: str,
    rows: list[tuple[int, dict[str, Any]]],
    progress: Any = None,
) -> dict[str, int]:
    """All rows or none: the dry run is repeated inside the transaction (the store may have changed since the
    preview); any row with a problem refuses the whole file. ``progress(done, total)`` is called as it goes:
    through the check of every row, then through the writes (``total`` is twice the rows)."""
    checks = Checks()
    check_actor(checks, actor)
    checks.require(rows, "rows", "文件中没有数据行")
    checks.raise_if_any()
    steps = 2 * len(rows)
    planned = plan_import(
        session, rows, None if progress is None else lambda done, _: progress(done, steps), actor=actor
    )
    bad = [p for p in planned if p.errors]
    if bad:
        first = f"第 {bad[0].line} 行，{next(iter(bad[0].errors.values()))}"
        raise ValidationFailed({"rows": f"有 {len(bad)} 行有问题（第一处：{first}），整个文件未导入"})
    for p in planned:
        permitted(actor, township_id=p.values.get("township_id"))
    created = updated = 0
    new_rows: list[Employer] = []  # written a batch at a time: one INSERT for many rows, then their audit entries
    for done, p in enumerate(planned, start=1):
        if p.action == "create":
            row = Employer(**p.values, created_by=actor.name)
            check_row(row)
            session.add(row)
            new_rows.append(row)
            created += 1
        elif p.action == "update":
            row = session.get(Employer, p.employer_id)
            change_row(
                session, row, actor, "update", **{k: after for k, (_, after) in p.changes.items()}, updated_at=utcnow()
            )
            updated += 1
        if len(new_rows) == WRITE_BATCH or done == len(planned):
            _write_new(session, actor, new_rows)
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == len(planned)):
            progress(len(planned) + done, steps)
    log = FileLog(
        kind="import.employer",
        file_name=file_name[:120],
        actor=actor.username,
        rows=len(planned),
        created=created,
        updated=updated,
        detail=f"新增 {created} 家，更新 {updated} 家，无变化 {len(planned) - created - updated} 家",
    )
    session.add(log)
    session.flush()
    audit(session, actor=actor, action="create", row=log)
    return {"rows": len(planned), "created": created, "updated": updated}
