"""Subsidy types, their standards by effective date, and disbursements."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from data_layer.errors import Checks
from data_layer.models import PAYMENT_MODES, SUBSIDY_UNITS, County, Disbursement, SubsidyStandard, SubsidyType, Township
from data_layer.services._core import check_actor, check_count, check_text, insert, service


def months_between(month_from: date, month_to: date) -> int:
    """How many months ``month_from``..``month_to`` covers, both included."""
    return (month_to.year - month_from.year) * 12 + month_to.month - month_from.month + 1


def expected_amount_fen(basis: str, recipients: int, standard_fen: int, months: int) -> int:
    """count × standard × months (or × 1 where the standard is per payment)."""
    return recipients * standard_fen * (months if basis == "month" else 1)


@service
def create_subsidy_type(
    *,
    session: Session,
    actor: str,
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


@service
def add_standard(
    *, session: Session, actor: str, type_id: int, effective_from: date, amount_fen: int, note: str = ""
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
    """The type's standard (fen) in force on ``on``: the latest effective on or before it."""
    row = session.exec(
        select(SubsidyStandard)
        .where(SubsidyStandard.type_id == type_id, SubsidyStandard.effective_from <= on)
        .order_by(col(SubsidyStandard.effective_from).desc())
    ).first()
    return row.amount_fen if row else None


@service
def add_disbursement(
    *,
    session: Session,
    actor: str,
    type_id: int,
    county_id: int,
    township_id: int | None,
    month_from: date,
    month_to: date,
    recipients: int,
    standard_fen: int,
    amount_fen: int,
    paid_date: date,
    note: str = "",
    is_demo: bool = False,
    today: date | None = None,
) -> int:
    checks = Checks()
    check_actor(checks, actor)
    checks.require(session.get(SubsidyType, type_id) is not None, "type_id", "请选择补贴类型")
    checks.require(session.get(County, county_id) is not None, "county_id", "请选择县区")
    if township_id is not None:
        township = session.get(Township, township_id)
        if checks.require(township is not None, "township_id", "乡镇不存在，请从列表中选择"):
            checks.require(township.county_id == county_id, "township_id", "该乡镇不属于所选县区")
    if checks.require(isinstance(month_from, date) and isinstance(month_to, date), "month_from", "请填写发放月份"):
        checks.require(month_from.year == month_to.year, "month_to", "所属月份须在同一年内")
        checks.require(month_from <= month_to, "month_to", "结束月份不能早于开始月份")
    check_count(checks, "recipients", recipients, "人（户）数")
    check_count(checks, "standard_fen", standard_fen, "标准")
    check_count(checks, "amount_fen", amount_fen, "金额")
    if checks.require(isinstance(paid_date, date), "paid_date", "请填写发放日期"):
        checks.require(paid_date <= (today or date.today()), "paid_date", "发放日期不能晚于今天")
        if isinstance(month_from, date):
            checks.require((month_from - paid_date).days <= 366, "paid_date", "发放日期早于所属月份一年以上")
    checks.require(len(note or "") <= 200, "note", "备注不能超过 200 字")
    checks.raise_if_any()
    row = Disbursement(
        type_id=type_id,
        county_id=county_id,
        township_id=township_id,
        month_from=month_from.replace(day=1),
        month_to=month_to.replace(day=1),
        recipients=recipients,
        standard_fen=standard_fen,
        amount_fen=amount_fen,
        paid_date=paid_date,
        note=(note or "").strip(),
        is_demo=is_demo,
        created_by=actor,
    )
    return insert(session, row, actor=actor)
