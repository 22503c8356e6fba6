"""Subsidy types, their standards by effective date, and disbursements."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from data_layer.domain import rules
from data_layer.domain.errors import Checks
from data_layer.domain.limits import ARREARS_MONTHS
from data_layer.domain.roles import Actor
from data_layer.models import (
    PAYMENT_MODES,
    SUBSIDY_UNITS,
    County,
    Disbursement,
    SubsidyStandard,
    SubsidyType,
)
from data_layer.queries import rule_context
from data_layer.queries.rule_context import disbursement_context
from data_layer.services._core import (
    RecordType,
    change_row,
    check_actor,
    check_count,
    check_text,
    check_township,
    insert,
    service,
)


@service(admin=True)
def create_subsidy_type(
    *,
    session: Session,
    actor: Actor,
    code: str,
    name: str,
    unit: str,
    payment: str,
    standard_basis: str = "month",
    sort_order: int = 0,
) -> int:
    checks = Checks()
    check_actor(checks, actor)
    check_text(checks, "code", code, "补贴代码", 20)
    check_text(checks, "name", name, "补贴名称", 60)
    checks.require(unit in SUBSIDY_UNITS, "unit", "计发单位应为 户 或 人")
    checks.require(payment in PAYMENT_MODES, "payment", "发放方式应为 按月 / 按年 / 一次性")
    checks.require(standard_basis in ("month", "payment"), "standard_basis", "标准口径应为 每月 或 每次")
    if code and session.exec(select(SubsidyType).where(SubsidyType.code == code)).first():
        checks.require(False, "code", f"补贴代码“{code}”已存在")
    checks.raise_if_any()
    row = SubsidyType(
        code=code, name=name.strip(), unit=unit, payment=payment, standard_basis=standard_basis, sort_order=sort_order
    )
    return insert(session, row, actor=actor)


@service(admin=True)
def add_standard(
    *, session: Session, actor: Actor, type_id: int, effective_from: date, amount_fen: int, note: str = ""
) -> int:
    checks = Checks()
    check_actor(checks, actor)
    checks.require(session.get(SubsidyType, type_id) is not None, "type_id", "请选择补贴类型")
    checks.require(isinstance(effective_from, date), "effective_from", "请填写生效日期")
    check_count(checks, "amount_fen", amount_fen, "标准")
    checks.raise_if_any()
    row = SubsidyStandard(type_id=type_id, effective_from=effective_from, amount_fen=amount_fen, note=note)
    return insert(session, row, actor=actor)


def standard_in_force(session: Session, type_id: int, on: date) -> int | None:
    """The type's standard (fen) in force on ``on`` (the rule context's definition)."""
    return session.execute(rule_context.standard_in_force(type_id, on)).scalar()


def validate_disbursement(session: Session, checks: Checks, values: dict, *, today: date, current=None) -> dict:
    """The hard rules of a disbursement (errors: nothing is written); returns the values to store.

    No standard given: the type's standard in force on the paid date. No amount: count × standard
    × months (a different amount is a warning whose note is the reason).
    """
    v = {k: values.get(k) for k in ENTERED}
    subsidy = session.get(SubsidyType, v["type_id"]) if v["type_id"] is not None else None
    checks.require(subsidy is not None, "type_id", "请选择补贴类型")
    checks.require(session.get(County, v["county_id"]) is not None, "county_id", "请选择县区")
    check_township(session, checks, v["township_id"], v["county_id"], current)
    months_ok = isinstance(v["month_from"], date) and isinstance(v["month_to"], date)
    if checks.require(months_ok, "month_from", "请填写所属月份"):
        v["month_from"], v["month_to"] = v["month_from"].replace(day=1), v["month_to"].replace(day=1)
        checks.require(v["month_from"].year == v["month_to"].year, "month_to", "所属月份须在同一年内")
        checks.require(v["month_from"] <= v["month_to"], "month_to", "结束月份不能早于开始月份")
    if checks.require(isinstance(v["paid_date"], date), "paid_date", "请填写发放日期"):
        checks.require(v["paid_date"] <= today, "paid_date", "发放日期不能晚于今天")
        if months_ok:
            checks.require((v["month_from"] - v["paid_date"]).days <= 366, "paid_date", "发放日期早于所属月份一年以上")
            arrears = rules.months_between(v["month_from"], v["paid_date"]) - 1
            late = f"所属月份比发放日期早 {ARREARS_MONTHS} 个月以上，请核对年份"
            checks.require(arrears <= ARREARS_MONTHS, "month_from", late)
        if v["standard_fen"] is None and subsidy is not None:
            v["standard_fen"] = standard_in_force(session, subsidy.id, v["paid_date"])
            checks.require(v["standard_fen"] is not None, "standard_fen", "发放日尚无有效的补贴标准，请填写标准")
    check_count(checks, "recipients", v["recipients"], "人（户）数")
    check_count(checks, "standard_fen", v["standard_fen"], "标准")
    ready = subsidy is not None and months_ok and not checks.errors
    if v["amount_fen"] is None and ready:
        factor = rules.standard_factor(subsidy.standard_basis, v["month_from"], v["month_to"])
        v["amount_fen"] = v["recipients"] * v["standard_fen"] * factor
    check_count(checks, "amount_fen", v["amount_fen"], "金额")
    v["note"] = (v["note"] or "").strip()
    checks.require(len(v["note"]) <= 200, "note", "备注不能超过 200 字")
    v["is_demo"] = bool(v["is_demo"])
    return v


# What a person enters (the rest is bookkeeping the writers keep).
ENTERED = [
    name
    for name in Disbursement.model_fields
    if name not in ("id", "warning_note", "created_by", "created_at", "deleted_at")
]


def disbursement_warnings(session: Session, ids: list[int]) -> dict[int, dict[str, str]]:
    """The soft rules of the given disbursements, from the rule context the data-quality checks use."""
    return {i: rules.disbursement_warnings(c) for i, c in disbursement_context(session, ids).items()}


def disbursement_fields(
    *,
    type_id: int,
    county_id: int,
    township_id: int | None,
    month_from: date,
    month_to: date,
    recipients: int | None,
    paid_date: date,
    standard_fen: int | None = None,
    amount_fen: int | None = None,
    note: str = "",
    is_demo: bool = False,
) -> None:
    """A 发放记录's fields and their types: what a page, a grid or a test hands the shared writers is checked
    against them (strictly: "3" is not a number, True not a count) before any rule runs."""


DISBURSEMENT = RecordType(
    fields=disbursement_fields,
    area="subsidies",
    id_field="disbursement_id",
    date_field="paid_date",
    model=Disbursement,
    validate=validate_disbursement,
    warnings=disbursement_warnings,
)


@service(admin=True)
def update_subsidy_type(
    *, session: Session, actor: Actor, type_id: int, name: str, unit: str, payment: str, standard_basis: str
) -> None:
    checks = Checks()
    check_actor(checks, actor)
    row = session.get(SubsidyType, type_id)
    checks.require(row is not None, "type_id", "补贴类型不存在")
    check_text(checks, "name", name, "补贴名称", 60)
    checks.require(unit in SUBSIDY_UNITS, "unit", "计发单位应为 户 或 人")
    checks.require(payment in PAYMENT_MODES, "payment", "发放方式应为 按月 / 按年 / 一次性")
    checks.require(standard_basis in ("month", "payment"), "standard_basis", "标准口径应为 每月 或 每次")
    checks.raise_if_any()
    change_row(
        session, row, actor, "update", name=name.strip(), unit=unit, payment=payment, standard_basis=standard_basis
    )
