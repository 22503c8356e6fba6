"""Subsidy types, their standards by effective date, and disbursements."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from data_layer.errors import Checks, GridRejected, RowProblems
from data_layer.models import (
    PAYMENT_MODES,
    SUBSIDY_UNITS,
    County,
    Disbursement,
    SubsidyStandard,
    SubsidyType,
    Township,
)
from data_layer.rules import expected_amount_fen, months_between, roll_jumped
from data_layer.services._core import (
    change_row,
    check_actor,
    check_count,
    check_text,
    confirm_warnings,
    insert,
    service,
    set_deleted,
)


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


def check_disbursement(
    session: Session,
    checks: Checks,
    *,
    type_id,
    county_id,
    township_id,
    month_from,
    month_to,
    recipients,
    standard_fen,
    amount_fen,
    paid_date,
    note: str,
    today: date,
) -> None:
    """The hard rules of a disbursement (errors: nothing is written)."""
    checks.require(session.get(SubsidyType, type_id) is not None, "type_id", "请选择补贴类型")
    checks.require(session.get(County, county_id) is not None, "county_id", "请选择县区")
    if township_id is not None:
        township = session.get(Township, township_id)
        if checks.require(township is not None, "township_id", "乡镇不存在，请从列表中选择"):
            checks.require(township.county_id == county_id, "township_id", "该乡镇不属于所选县区")
    if checks.require(isinstance(month_from, date) and isinstance(month_to, date), "month_from", "请填写所属月份"):
        checks.require(month_from.year == month_to.year, "month_to", "所属月份须在同一年内")
        checks.require(month_from <= month_to, "month_to", "结束月份不能早于开始月份")
    check_count(checks, "recipients", recipients, "人（户）数")
    check_count(checks, "standard_fen", standard_fen, "标准")
    check_count(checks, "amount_fen", amount_fen, "金额")
    if checks.require(isinstance(paid_date, date), "paid_date", "请填写发放日期"):
        checks.require(paid_date <= today, "paid_date", "发放日期不能晚于今天")
        if isinstance(month_from, date):
            checks.require((month_from - paid_date).days <= 366, "paid_date", "发放日期早于所属月份一年以上")
    checks.require(len(note or "") <= 200, "note", "备注不能超过 200 字")


def disbursement_warnings(
    session: Session,
    *,
    type_id,
    county_id,
    township_id,
    month_from,
    month_to,
    recipients,
    standard_fen,
    amount_fen,
    exclude_id: int | None = None,
) -> dict[str, str]:
    """The soft rules: the amount is not count × standard × months, the roll jumps, the month repeats."""
    subsidy = session.get(SubsidyType, type_id)
    months = months_between(month_from, month_to)
    expected = expected_amount_fen(subsidy.standard_basis, recipients, standard_fen, months)
    warnings: dict[str, str] = {}
    if amount_fen != expected:
        formula = f"{recipients:,} × {standard_fen / 100:,.2f} 元" + (
            f" × {months} 个月" if subsidy.standard_basis == "month" else ""
        )
        warnings["amount"] = f"金额 {amount_fen / 100:,.2f} 元不等于 {formula} = {expected / 100:,.2f} 元，请说明原因"
    d = Disbursement
    same_unit = [
        d.type_id == type_id,
        d.county_id == county_id,
        d.deleted_at.is_(None),
        d.township_id.is_(None) if township_id is None else d.township_id == township_id,
    ]
    if exclude_id is not None:
        same_unit.append(d.id != exclude_id)
    overlap = session.exec(select(d).where(*same_unit, d.month_from <= month_to, d.month_to >= month_from)).first()
    if overlap is not None:
        warnings["duplicate"] = (
            f"同一补贴、同一乡镇的 {overlap.month_from:%Y年%m月}–{overlap.month_to:%m月} "
            f"已有发放记录（编号 {overlap.id}），是否重复录入？"
        )
    if subsidy.payment == "monthly":
        before = session.exec(
            select(d).where(*same_unit, d.month_to < month_from).order_by(col(d.month_to).desc())
        ).first()
        share = _jump_share(session)
        if before is not None and roll_jumped(before.recipients, recipients, share):
            warnings["jump"] = (
                f"人（户）数 {recipients:,} 比上次（{before.month_to:%Y年%m月} {before.recipients:,}）"
                f"变化超过 {share:.0%}"
            )
    return warnings


def _jump_share(session: Session) -> float:
    """How far a monthly roll may move month on month before it is a warning (a setting, default 30%)."""
    from data_layer.app_settings import DEFAULTS
    from data_layer.models import AppSetting

    row = session.get(AppSetting, "subsidy.jump")
    return float(row.value if row else DEFAULTS["subsidy.jump"])


def _fill_defaults(session, values: dict) -> dict:
    """No standard given: the type's standard in force on the paid date. No amount: count × standard × months."""
    out = dict(values)
    if out.get("standard_fen") is None and isinstance(out.get("paid_date"), date):
        out["standard_fen"] = standard_in_force(session, out["type_id"], out["paid_date"])
    subsidy = session.get(SubsidyType, out["type_id"]) if out.get("type_id") is not None else None
    ready = (
        all(isinstance(out.get(k), int) for k in ("recipients", "standard_fen"))
        and isinstance(out.get("month_from"), date)
        and isinstance(out.get("month_to"), date)
    )
    if out.get("amount_fen") is None and subsidy is not None and ready:
        months = months_between(out["month_from"], out["month_to"])
        out["amount_fen"] = expected_amount_fen(subsidy.standard_basis, out["recipients"], out["standard_fen"], months)
    return out


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
    paid_date: date,
    standard_fen: int | None = None,
    amount_fen: int | None = None,
    note: str = "",
    confirm: bool = False,
    warning_note: str = "",
    is_demo: bool = False,
    today: date | None = None,
) -> int:
    """Record a disbursement. The standard defaults to the one in force on the paid date and the amount
    to count × standard × months; a different amount is a warning whose note is the reason."""
    checks = Checks()
    check_actor(checks, actor)
    values = _fill_defaults(
        session,
        dict(
            type_id=type_id,
            county_id=county_id,
            township_id=township_id,
            month_from=month_from,
            month_to=month_to,
            recipients=recipients,
            standard_fen=standard_fen,
            amount_fen=amount_fen,
            paid_date=paid_date,
        ),
    )
    check_disbursement(session, checks, **values, note=note, today=today or date.today())
    checks.raise_if_any()
    values.pop("paid_date")
    kept = confirm_warnings(disbursement_warnings(session, **values), confirm, warning_note)
    values["month_from"], values["month_to"] = month_from.replace(day=1), month_to.replace(day=1)
    row = Disbursement(
        **values, paid_date=paid_date, note=(note or "").strip(), warning_note=kept, is_demo=is_demo, created_by=actor
    )
    return insert(session, row, actor=actor)


@service
def update_disbursement(
    *,
    session: Session,
    actor: str,
    disbursement_id: int,
    township_id: int | None,
    month_from: date,
    month_to: date,
    recipients: int,
    standard_fen: int,
    amount_fen: int,
    paid_date: date,
    note: str = "",
    confirm: bool = False,
    warning_note: str = "",
    today: date | None = None,
) -> None:
    checks = Checks()
    check_actor(checks, actor)
    row = session.get(Disbursement, disbursement_id)
    if checks.require(row is not None, "disbursement_id", "记录不存在"):
        checks.require(row.deleted_at is None, "disbursement_id", "记录已删除，请先恢复")
    checks.raise_if_any()
    values = dict(
        type_id=row.type_id,
        county_id=row.county_id,
        township_id=township_id,
        month_from=month_from,
        month_to=month_to,
        recipients=recipients,
        standard_fen=standard_fen,
        amount_fen=amount_fen,
    )
    check_disbursement(session, checks, **values, paid_date=paid_date, note=note, today=today or date.today())
    checks.raise_if_any()
    kept = confirm_warnings(disbursement_warnings(session, **values, exclude_id=disbursement_id), confirm, warning_note)
    change_row(
        session,
        row,
        actor,
        "update",
        township_id=township_id,
        month_from=month_from.replace(day=1),
        month_to=month_to.replace(day=1),
        recipients=recipients,
        standard_fen=standard_fen,
        amount_fen=amount_fen,
        paid_date=paid_date,
        note=(note or "").strip(),
        warning_note=kept,
    )


@service
def delete_disbursement(*, session: Session, actor: str, disbursement_id: int) -> None:
    """Delete a disbursement: it stays in the store, marked deleted, and can be restored."""
    set_deleted(session, Disbursement, disbursement_id, actor=actor, field="disbursement_id", deleted=True)


@service
def restore_disbursement(*, session: Session, actor: str, disbursement_id: int) -> None:
    set_deleted(session, Disbursement, disbursement_id, actor=actor, field="disbursement_id", deleted=False)


@service
def add_disbursement_rows(
    *,
    session: Session,
    actor: str,
    type_id: int,
    county_id: int,
    month: date,
    paid_date: date,
    rows: list[dict],
    confirm: bool = False,
    warning_note: str = "",
    today: date | None = None,
) -> list[int]:
    """A grid: one type, one month, many townships (``township_id``, ``recipients``, optional ``amount_fen``,
    ``note``); all or nothing, like the progress grid."""
    checks = Checks()
    check_actor(checks, actor)
    checks.raise_if_any()
    problems: dict[int, RowProblems] = {}
    prepared = []
    for index, r in enumerate(rows):
        values = _fill_defaults(
            session,
            dict(
                type_id=type_id,
                county_id=county_id,
                township_id=r.get("township_id"),
                month_from=month,
                month_to=month,
                recipients=r.get("recipients"),
                standard_fen=r.get("standard_fen"),
                amount_fen=r.get("amount_fen"),
                paid_date=paid_date,
            ),
        )
        row_checks = Checks()
        check_disbursement(session, row_checks, **values, note=r.get("note") or "", today=today or date.today())
        found = RowProblems(errors=row_checks.errors)
        if not found.errors:
            found.warnings = disbursement_warnings(session, **{k: v for k, v in values.items() if k != "paid_date"})
        if found.errors or (found.warnings and not confirm):
            problems[index] = found
        prepared.append((values, found.warnings, r.get("note") or ""))
    if problems:
        raise GridRejected(problems)
    ids = []
    for values, warnings, note in prepared:
        row = Disbursement(
            **values, note=note.strip(), warning_note=confirm_warnings(warnings, True, warning_note), created_by=actor
        )
        ids.append(insert(session, row, actor=actor))
    return ids


@service
def update_subsidy_type(
    *, session: Session, actor: str, type_id: int, name: str, unit: str, payment: str, standard_basis: str
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
