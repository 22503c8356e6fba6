"""The employer registry (用人单位名录): one employer on a form, or a whole list from an import.

One rule set (``employer_errors``) serves the form, the import's dry run and its commit, and the seed.
The credit code identifies an employer: an import row whose code is registered updates that employer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session, select

from data_layer import credit_code
from data_layer.errors import Checks, ValidationFailed
from data_layer.models import SIZE_CLASSES, County, Employer, FileLog, Township, utcnow
from data_layer.roles import Actor
from data_layer.services._core import (
    audit,
    change_row,
    check_actor,
    check_count,
    check_text,
    insert,
    permitted,
    row_problems,
    service,
)

SIZE_NAMES = {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型"}
# the registry's own fields, as an import or a form changes them (the county and the registration date stay)
EDITABLE = ("name", "township_id", "staff", "disabled_staff", "avg_wage_fen", "size_class", "above_designated_size")


def normalize_code(code: object) -> str:
    return str(code or "").strip().replace(" ", "").upper()


def employer_errors(session: Session, values: dict[str, Any], *, current_id: int | None = None) -> dict[str, str]:
    """The hard rules of one employer's values; ``current_id`` is the employer being changed (its own code)."""
    checks = Checks()
    checks.require(session.get(County, values.get("county_id")) is not None, "county_id", "请选择县区")
    township = values.get("township_id")
    if township is not None:
        found = session.get(Township, township)
        ok = found is not None and found.county_id == values.get("county_id")
        checks.require(ok, "township_id", "乡镇（街道）不存在或不属于本县")
    check_text(checks, "name", values.get("name"), "单位名称", 80)
    code = normalize_code(values.get("credit_code"))
    if checks.require(len(code) == 18, "credit_code", "统一社会信用代码应为 18 位") and checks.require(
        credit_code.is_valid(code), "credit_code", "统一社会信用代码校验位不对，请核对"
    ):
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
        checks.errors.update(row_problems(Employer(**{**values, "credit_code": code})))
    return checks.errors


def _values(**kwargs: Any) -> dict[str, Any]:
    return {
        **kwargs,
        "credit_code": normalize_code(kwargs.get("credit_code")),
        "name": (kwargs.get("name") or "").strip(),
    }


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


def plan_import(session: Session, rows: list[tuple[int, dict[str, Any]]], progress: Any = None) -> list[PlannedRow]:
    """The dry run: every row's problems, and for each good row whether it creates or updates (and what).
    ``progress(done, total)`` is called every 200 rows (a file of thousands takes seconds)."""
    planned: list[PlannedRow] = []
    first_line: dict[str, int] = {}
    codes = [normalize_code(v.get("credit_code")) for _, v in rows]
    registered = {e.credit_code: e for e in session.exec(select(Employer).where(Employer.credit_code.in_(set(codes))))}
    for (line, raw), code in zip(rows, codes, strict=True):
        values = _values(**raw)
        existing = registered.get(code)
        errors = dict(raw.get("_errors", {}))
        values.pop("_errors", None)
        if existing is not None:  # an update: the registration date and the county are the registry's
            values = {**values, "county_id": existing.county_id, "registered_on": existing.registered_on}
        if code and code in first_line:
            errors.setdefault("credit_code", f"与第 {first_line[code]} 行的统一社会信用代码重复")
        elif code:
            first_line[code] = line
        for name, message in employer_errors(session, values, current_id=existing.id if existing else None).items():
            errors.setdefault(name, message)
        row = PlannedRow(line=line, values=values, errors=errors, employer_id=existing.id if existing else None)
        if existing is not None and not errors:
            row.changes = {
                k: (getattr(existing, k), values[k])
                for k in EDITABLE
                if k in values and getattr(existing, k) != values[k]
            }
        planned.append(row)
    return planned


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
    preview); any row with a problem refuses the whole file. ``progress(done, total)`` is called as it goes."""
    checks = Checks()
    check_actor(checks, actor)
    checks.require(rows, "rows", "文件中没有数据行")
    checks.raise_if_any()
    planned = plan_import(session, rows)
    bad = [p for p in planned if p.errors]
    if bad:
        first = f"第 {bad[0].line} 行，{next(iter(bad[0].errors.values()))}"
        raise ValidationFailed({"rows": f"有 {len(bad)} 行有问题（第一处：{first}），整个文件未导入"})
    for p in planned:
        permitted(actor, township_id=p.values.get("township_id"))
    created = updated = 0
    for done, p in enumerate(planned, start=1):
        if p.action == "create":
            insert(session, Employer(**p.values, created_by=actor.name), actor=actor)
            created += 1
        elif p.action == "update":
            row = session.get(Employer, p.employer_id)
            change_row(
                session, row, actor, "update", **{k: after for k, (_, after) in p.changes.items()}, updated_at=utcnow()
            )
            updated += 1
        if progress is not None and (done % 200 == 0 or done == len(planned)):
            progress(done, len(planned))
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
