"""Key projects, their items and targets, and progress entries."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from data_layer.domain import rules
from data_layer.domain.errors import Checks
from data_layer.domain.limits import EARLIEST, latest_year
from data_layer.domain.roles import Actor
from data_layer.models import (
    ITEM_SCOPES,
    County,
    ItemTownshipTarget,
    ProgressEntry,
    Project,
    ProjectItem,
    Township,
)
from data_layer.queries.rule_context import progress_context
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
def create_project(
    *, session: Session, actor: Actor, county_id: int, year: int, code: str, name: str, sort_order: int = 0
) -> int:
    checks = Checks()
    check_actor(checks, actor)
    checks.require(session.get(County, county_id) is not None, "county_id", "请选择县区")
    last = latest_year(date.today())
    checks.require(EARLIEST.year <= year <= last, "year", f"年度应在 {EARLIEST.year}–{last} 之间")
    check_text(checks, "code", code, "工程代码", 20)
    check_text(checks, "name", name, "工程名称", 80)
    checks.raise_if_any()
    row = Project(county_id=county_id, year=year, code=code, name=name.strip(), sort_order=sort_order)
    return insert(session, row, actor=actor)


@service(admin=True)
def create_item(
    *,
    session: Session,
    actor: Actor,
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
    plan_start_month: int | None = None,
    plan_end_month: int | None = None,
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
    for name_, value in (
        ("budget_fen", budget_fen),
        ("unit_cost_min_fen", unit_cost_min_fen),
        ("unit_cost_max_fen", unit_cost_max_fen),
    ):
        check_count(checks, name_, value, "金额", allow_none=True)
    check_plan(checks, plan_start_month, plan_end_month)
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
        plan_start_month=plan_start_month,
        plan_end_month=plan_end_month,
        sort_order=sort_order,
    )
    return insert(session, row, actor=actor)


def check_plan(checks: Checks, start_month: int | None, end_month: int | None) -> None:
    """The planned months: both empty (the whole year), or 1 ≤ start ≤ end ≤ 12."""
    if start_month is None and end_month is None:
        return
    months = range(1, 13)
    if start_month not in months or end_month not in months:
        checks.require(False, "plan_start_month", "计划实施期应为 1—12 月，开始和结束月份都要选")
    else:
        checks.require(start_month <= end_month, "plan_end_month", "计划结束月份不能早于开始月份")


def target_errors(session: Session, values: dict) -> dict[str, str]:
    """The hard rules of one township's target for an item (the form and the seed)."""
    checks = Checks()
    checks.require(session.get(ProjectItem, values.get("item_id")) is not None, "item_id", "请选择指标")
    checks.require(session.get(Township, values.get("township_id")) is not None, "township_id", "请选择乡镇")
    check_count(checks, "target", values.get("target"), "目标")
    return checks.errors


@service(admin=True)
def set_township_target(*, session: Session, actor: Actor, item_id: int, township_id: int, target: int) -> int:
    """Create or change an item's target for one township."""
    checks = Checks()
    check_actor(checks, actor)
    checks.errors.update(target_errors(session, {"item_id": item_id, "township_id": township_id, "target": target}))
    checks.raise_if_any()
    row = session.exec(
        select(ItemTownshipTarget).where(
            ItemTownshipTarget.item_id == item_id, ItemTownshipTarget.township_id == township_id
        )
    ).first()
    if row is None:
        return insert(session, ItemTownshipTarget(item_id=item_id, township_id=township_id, target=target), actor=actor)
    change_row(session, row, actor, "update", target=target)  # the row's hard limits, then its audit entry
    return row.id  # type: ignore[return-value]


def validate_progress(session: Session, checks: Checks, values: dict, *, today: date, current=None) -> dict:
    """The hard rules of a progress entry (errors: nothing is written); returns the values to store.

    A count item's money left empty is 0 (the soft rules ask about it where the item records
    money); a money item's amount is required. ``current``: the entry being corrected, which
    may keep a township that has since been made inactive.
    """
    item_id, township_id, entry_date = values.get("item_id"), values.get("township_id"), values.get("entry_date")
    item = session.get(ProjectItem, item_id) if item_id is not None else None
    if not checks.require(item is not None, "item_id", "请选择指标"):
        return {}
    project = session.get(Project, item.project_id)
    if township_id is not None:
        if check_township(session, checks, township_id, project.county_id, current, county_words="本工程所在县区"):
            checks.require(item.scope != "county", "township_id", f"“{item.name}”只按县本级录入，请选择“县本级”")
    else:
        checks.require(item.scope != "township", "township_id", f"“{item.name}”须按乡镇录入，请选择乡镇")
    if checks.require(isinstance(entry_date, date), "entry_date", "请填写日期"):
        checks.require(entry_date.year == project.year, "entry_date", f"日期应在 {project.year} 年内")
        checks.require(entry_date <= today, "entry_date", "日期不能晚于今天")
    money = item.measure == "money"
    quantity = 0 if money and values.get("quantity") in (None, 0) else values.get("quantity")
    amount = values.get("amount_fen")
    if amount is None and not money:
        amount = 0
    check_count(checks, "quantity", quantity, "数量")
    check_count(checks, "amount_fen", amount, "金额")
    note = (values.get("note") or "").strip()
    checks.require(len(note) <= 200, "note", "备注不能超过 200 字")
    return dict(
        item_id=item_id,
        township_id=township_id,
        entry_date=entry_date,
        quantity=quantity,
        amount_fen=amount,
        note=note,
        is_demo=bool(values.get("is_demo", False)),
    )


def progress_warnings(session: Session, entry_ids: list[int]) -> dict[int, dict[str, str]]:
    """The soft rules of the given entries, from the rule context the data-quality checks use."""
    return {i: rules.progress_warnings(c) for i, c in progress_context(session, entry_ids).items()}


def progress_fields(
    *,
    item_id: int,
    township_id: int | None,
    entry_date: date,
    quantity: int | None = 0,
    amount_fen: int | None = 0,
    note: str = "",
    is_demo: bool = False,
) -> None:
    """A 进度记录's fields and their types: what a page, a grid or a test hands the shared writers is checked
    against them (strictly: "3" is not a number, True not a count) before any rule runs."""


PROGRESS = RecordType(
    fields=progress_fields,
    model=ProgressEntry,
    area="projects",
    id_field="entry_id",
    date_field="entry_date",
    validate=validate_progress,
    warnings=progress_warnings,
)


@service(admin=True)
def update_item(
    *,
    session: Session,
    actor: Actor,
    item_id: int,
    name: str,
    unit: str,
    annual_target: int,
    budget_fen: int | None,
    unit_cost_min_fen: int | None,
    unit_cost_max_fen: int | None,
    plan_start_month: int | None = None,
    plan_end_month: int | None = None,
) -> None:
    """Change an item's name, unit, annual target, budget, plausible unit-cost range or planned months (admin)."""
    checks = Checks()
    check_actor(checks, actor)
    row = session.get(ProjectItem, item_id)
    checks.require(row is not None, "item_id", "指标不存在")
    check_text(checks, "name", name, "指标名称", 80)
    check_text(checks, "unit", unit, "计量单位", 10)
    check_count(checks, "annual_target", annual_target, "年度目标")
    for name_, value in (
        ("budget_fen", budget_fen),
        ("unit_cost_min_fen", unit_cost_min_fen),
        ("unit_cost_max_fen", unit_cost_max_fen),
    ):
        check_count(checks, name_, value, "金额", allow_none=True)
    if isinstance(unit_cost_min_fen, int) and isinstance(unit_cost_max_fen, int):
        checks.require(unit_cost_min_fen <= unit_cost_max_fen, "unit_cost_max_fen", "单价上限不能低于下限")
    check_plan(checks, plan_start_month, plan_end_month)
    checks.raise_if_any()
    change_row(
        session,
        row,
        actor,
        "update",
        name=name.strip(),
        unit=unit.strip(),
        annual_target=annual_target,
        budget_fen=budget_fen,
        unit_cost_min_fen=unit_cost_min_fen,
        unit_cost_max_fen=unit_cost_max_fen,
        plan_start_month=plan_start_month,
        plan_end_month=plan_end_month,
    )


@service(admin=True)
def set_township_targets(*, session: Session, actor: Actor, item_id: int, targets: dict[int, int]) -> int:
    """Set several townships' targets for an item at once (all or nothing); returns how many changed."""
    changed = 0
    for township_id, target in targets.items():
        row = session.exec(
            select(ItemTownshipTarget).where(
                ItemTownshipTarget.item_id == item_id, ItemTownshipTarget.township_id == township_id
            )
        ).first()
        if row is None or row.target != target:
            set_township_target(session=session, actor=actor, item_id=item_id, township_id=township_id, target=target)
            changed += 1
    return changed
