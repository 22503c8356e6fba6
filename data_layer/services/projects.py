"""Key projects, their items and targets, and progress entries."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from data_layer.errors import Checks
from data_layer.models import (
    ITEM_SCOPES,
    County,
    ItemTownshipTarget,
    ProgressEntry,
    Project,
    ProjectItem,
    Township,
)
from data_layer.services._core import audit, check_actor, check_count, check_text, insert, service, snapshot


@service
def create_project(
    *, session: Session, actor: str, county_id: int, year: int, code: str, name: str, sort_order: int = 0
) -> int:
    checks = Checks()
    check_actor(checks, actor)
    checks.require(session.get(County, county_id) is not None, "county_id", "请选择县区")
    checks.require(isinstance(year, int) and 2000 <= year <= 2100, "year", "年度应在 2000–2100 之间")
    check_text(checks, "code", code, "工程代码", 20)
    check_text(checks, "name", name, "工程名称", 80)
    checks.raise_if_any()
    row = Project(county_id=county_id, year=year, code=code, name=name.strip(), sort_order=sort_order)
    return insert(session, row, actor=actor)


@service
def create_item(
    *,
    session: Session,
    actor: str,
    project_id: int,
    code: str,
    name: str,
    unit: str,
    measure: str = "count",
    scope: str = "township",
    annual_target: int = 0,
    budget_fen: int | None = None,
    unit_cost_min_fen: int | None = None,
    unit_cost_max_fen: int | None = None,
    sort_order: int = 0,
) -> int:
    checks = Checks()
    check_actor(checks, actor)
    checks.require(session.get(Project, project_id) is not None, "project_id", "请选择重点工程")
    check_text(checks, "code", code, "指标代码", 20)
    check_text(checks, "name", name, "指标名称", 80)
    check_text(checks, "unit", unit, "计量单位", 10)
    checks.require(measure in ("count", "money"), "measure", "计量方式应为 数量 或 金额")
    checks.require(scope in ITEM_SCOPES, "scope", "范围应为 乡镇 / 县本级 / 均可")
    check_count(checks, "annual_target", annual_target, "年度目标")
    for field, value in (
        ("budget_fen", budget_fen),
        ("unit_cost_min_fen", unit_cost_min_fen),
        ("unit_cost_max_fen", unit_cost_max_fen),
    ):
        check_count(checks, field, value, "金额", allow_none=True)
    checks.raise_if_any()
    row = ProjectItem(
        project_id=project_id,
        code=code,
        name=name.strip(),
        unit=unit.strip(),
        measure=measure,
        scope=scope,
        annual_target=annual_target,
        budget_fen=budget_fen,
        unit_cost_min_fen=unit_cost_min_fen,
        unit_cost_max_fen=unit_cost_max_fen,
        sort_order=sort_order,
    )
    return insert(session, row, actor=actor)


@service
def set_township_target(*, session: Session, actor: str, item_id: int, township_id: int, target: int) -> int:
    """Create or change an item's target for one township."""
    checks = Checks()
    check_actor(checks, actor)
    checks.require(session.get(ProjectItem, item_id) is not None, "item_id", "请选择指标")
    checks.require(session.get(Township, township_id) is not None, "township_id", "请选择乡镇")
    check_count(checks, "target", target, "目标")
    checks.raise_if_any()
    row = session.exec(
        select(ItemTownshipTarget).where(
            ItemTownshipTarget.item_id == item_id, ItemTownshipTarget.township_id == township_id
        )
    ).first()
    if row is None:
        return insert(session, ItemTownshipTarget(item_id=item_id, township_id=township_id, target=target), actor=actor)
    before = snapshot(row)
    row.target = target
    session.add(row)
    audit(session, actor=actor, action="update", row=row, before=before)
    return row.id  # type: ignore[return-value]


def check_progress(
    session: Session,
    checks: Checks,
    *,
    item_id: int,
    township_id: int | None,
    entry_date: date | None,
    quantity: object,
    amount_fen: object,
    note: str,
    today: date,
) -> None:
    """The hard rules of a progress entry (errors: nothing is written)."""
    item = session.get(ProjectItem, item_id) if item_id is not None else None
    if not checks.require(item is not None, "item_id", "请选择指标"):
        return
    project = session.get(Project, item.project_id)
    if township_id is not None:
        township = session.get(Township, township_id)
        if checks.require(township is not None, "township_id", "乡镇不存在，请从列表中选择"):
            checks.require(township.county_id == project.county_id, "township_id", "该乡镇不属于本工程所在县区")
            checks.require(item.scope != "county", "township_id", f"“{item.name}”只按县本级录入，请选择“县本级”")
    else:
        checks.require(item.scope != "township", "township_id", f"“{item.name}”须按乡镇录入，请选择乡镇")
    if checks.require(isinstance(entry_date, date), "entry_date", "请填写日期"):
        checks.require(entry_date.year == project.year, "entry_date", f"日期应在 {project.year} 年内")
        checks.require(entry_date <= today, "entry_date", "日期不能晚于今天")
    check_count(checks, "quantity", quantity, "数量")
    check_count(checks, "amount_fen", amount_fen, "金额")
    checks.require(len(note or "") <= 200, "note", "备注不能超过 200 字")


@service
def add_progress(
    *,
    session: Session,
    actor: str,
    item_id: int,
    township_id: int | None,
    entry_date: date,
    quantity: int = 0,
    amount_fen: int = 0,
    note: str = "",
    is_demo: bool = False,
    today: date | None = None,
) -> int:
    checks = Checks()
    check_actor(checks, actor)
    check_progress(
        session,
        checks,
        item_id=item_id,
        township_id=township_id,
        entry_date=entry_date,
        quantity=quantity,
        amount_fen=amount_fen,
        note=note,
        today=today or date.today(),
    )
    checks.raise_if_any()
    row = ProgressEntry(
        item_id=item_id,
        township_id=township_id,
        entry_date=entry_date,
        quantity=quantity,
        amount_fen=amount_fen,
        note=(note or "").strip(),
        is_demo=is_demo,
        created_by=actor,
    )
    return insert(session, row, actor=actor)
