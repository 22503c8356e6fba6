"""Key projects, their items and targets, and progress entries."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from data_layer.errors import Checks, GridRejected, RowProblems
from data_layer.models import (
    ITEM_SCOPES,
    County,
    ItemTownshipTarget,
    ProgressEntry,
    Project,
    ProjectItem,
    Township,
)
from data_layer.rules import REPEAT_WINDOW_DAYS, over_twice_remaining, unit_cost_outside
from data_layer.services._core import (
    audit,
    change_row,
    check_actor,
    check_count,
    check_text,
    confirm_warnings,
    insert,
    service,
    set_deleted,
    snapshot,
)


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
    for name_, value in (
        ("budget_fen", budget_fen),
        ("unit_cost_min_fen", unit_cost_min_fen),
        ("unit_cost_max_fen", unit_cost_max_fen),
    ):
        check_count(checks, name_, value, "金额", allow_none=True)
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


def progress_warnings(
    session: Session,
    *,
    item_id: int,
    township_id: int | None,
    entry_date: date,
    quantity: int,
    amount_fen: int,
    exclude_id: int | None = None,
) -> dict[str, str]:
    """The soft rules of a progress entry: suspicious but possible, saved only once confirmed."""
    item = session.get(ProjectItem, item_id)
    warnings: dict[str, str] = {}
    unit_cost = unit_cost_outside(quantity, amount_fen, item.unit_cost_min_fen, item.unit_cost_max_fen)
    if unit_cost is not None:
        warnings["unit_cost"] = (
            f"单价 {unit_cost / 100:,.2f} 元/{item.unit} 超出合理范围 "
            f"{item.unit_cost_min_fen / 100:,.0f}–{item.unit_cost_max_fen / 100:,.0f} 元"
        )
    done_value = quantity if item.measure == "count" else amount_fen / 100
    target, done = _target_and_done(session, item, township_id, entry_date, exclude_id)
    if over_twice_remaining(done_value, target, done):
        where = "该乡镇" if township_id is not None and target != item.annual_target else "全县"
        warnings["over_target"] = (
            f"本次 {done_value:,.0f} {item.unit} 超过{where}剩余目标（{max(target - done, 0):,.0f}）的两倍"
        )
    repeat = _recent_repeat(session, item_id, township_id, entry_date, quantity, amount_fen, exclude_id)
    if repeat is not None:
        warnings["repeat"] = (
            f"{REPEAT_WINDOW_DAYS} 天内已有一条相同的记录（{repeat.entry_date:%Y-%m-%d}，编号 {repeat.id}），"
            "是否重复录入？"
        )
    return warnings


def _target_and_done(session, item, township_id, entry_date, exclude_id) -> tuple[float, float]:
    """The target that applies (the township's, if set; else the county's) and what is done before this entry."""
    e = ProgressEntry
    target = None
    clauses = [e.item_id == item.id, e.deleted_at.is_(None), e.entry_date <= entry_date]
    if township_id is not None:
        row = session.exec(
            select(ItemTownshipTarget).where(
                ItemTownshipTarget.item_id == item.id, ItemTownshipTarget.township_id == township_id
            )
        ).first()
        if row is not None:
            target = row.target
            clauses.append(e.township_id == township_id)
    if target is None:
        target = item.annual_target
    if exclude_id is not None:
        clauses.append(e.id != exclude_id)
    column = e.quantity if item.measure == "count" else e.amount_fen / 100.0
    done = session.exec(select(func.coalesce(func.sum(column), 0)).where(*clauses)).one()
    return float(target), float(done)


def _recent_repeat(session, item_id, township_id, entry_date, quantity, amount_fen, exclude_id):
    e = ProgressEntry
    stmt = select(e).where(
        e.item_id == item_id,
        e.township_id.is_(None) if township_id is None else e.township_id == township_id,
        e.quantity == quantity,
        e.amount_fen == amount_fen,
        e.deleted_at.is_(None),
        e.entry_date >= entry_date - timedelta(days=REPEAT_WINDOW_DAYS),
        e.entry_date <= entry_date + timedelta(days=REPEAT_WINDOW_DAYS),
    )
    if exclude_id is not None:
        stmt = stmt.where(e.id != exclude_id)
    return session.exec(stmt).first()


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
    confirm: bool = False,
    warning_note: str = "",
    is_demo: bool = False,
    today: date | None = None,
) -> int:
    """Record progress. Errors raise ``ValidationFailed``; warnings raise ``NeedsConfirmation``
    unless ``confirm`` (then ``warning_note`` says why the value is right)."""
    checks = Checks()
    check_actor(checks, actor)
    values = dict(
        item_id=item_id, township_id=township_id, entry_date=entry_date, quantity=quantity, amount_fen=amount_fen
    )
    check_progress(session, checks, **values, note=note, today=today or date.today())
    checks.raise_if_any()
    kept = confirm_warnings(progress_warnings(session, **values), confirm, warning_note)
    row = ProgressEntry(**values, note=(note or "").strip(), warning_note=kept, is_demo=is_demo, created_by=actor)
    return insert(session, row, actor=actor)


def _entry(session: Session, checks: Checks, entry_id: int) -> ProgressEntry | None:
    row = session.get(ProgressEntry, entry_id)
    checks.require(row is not None, "entry_id", "记录不存在")
    return row


@service
def update_progress(
    *,
    session: Session,
    actor: str,
    entry_id: int,
    township_id: int | None,
    entry_date: date,
    quantity: int,
    amount_fen: int,
    note: str = "",
    confirm: bool = False,
    warning_note: str = "",
    today: date | None = None,
) -> None:
    """Correct an entry (a typo): the same rules as a new one, audited with the old values."""
    checks = Checks()
    check_actor(checks, actor)
    row = _entry(session, checks, entry_id)
    if row is not None:
        checks.require(row.deleted_at is None, "entry_id", "记录已删除，请先恢复")
        check_progress(
            session,
            checks,
            item_id=row.item_id,
            township_id=township_id,
            entry_date=entry_date,
            quantity=quantity,
            amount_fen=amount_fen,
            note=note,
            today=today or date.today(),
        )
    checks.raise_if_any()
    warnings = progress_warnings(
        session,
        item_id=row.item_id,
        township_id=township_id,
        entry_date=entry_date,
        quantity=quantity,
        amount_fen=amount_fen,
        exclude_id=entry_id,
    )
    kept = confirm_warnings(warnings, confirm, warning_note)
    change_row(
        session,
        row,
        actor,
        "update",
        township_id=township_id,
        entry_date=entry_date,
        quantity=quantity,
        amount_fen=amount_fen,
        note=(note or "").strip(),
        warning_note=kept,
    )


@service
def delete_progress(*, session: Session, actor: str, entry_id: int) -> None:
    """Delete an entry: it stays in the store, marked deleted, and can be restored."""
    set_deleted(session, ProgressEntry, entry_id, actor=actor, field="entry_id", deleted=True)


@service
def restore_progress(*, session: Session, actor: str, entry_id: int) -> None:
    set_deleted(session, ProgressEntry, entry_id, actor=actor, field="entry_id", deleted=False)


@service
def add_progress_rows(
    *,
    session: Session,
    actor: str,
    item_id: int,
    entry_date: date,
    rows: list[dict],
    confirm: bool = False,
    warning_note: str = "",
    today: date | None = None,
) -> list[int]:
    """Save a grid (one item, one date, many townships) all or nothing.

    Each row has ``township_id``, ``quantity``, ``amount_fen`` and ``note``. Any error, or any
    warning without ``confirm``, raises ``GridRejected`` with every row's problems.
    """
    checks = Checks()
    check_actor(checks, actor)
    checks.raise_if_any()
    problems: dict[int, RowProblems] = {}
    kept: dict[int, str] = {}
    for index, r in enumerate(rows):
        values = dict(
            item_id=item_id,
            township_id=r.get("township_id"),
            entry_date=entry_date,
            quantity=r.get("quantity"),
            amount_fen=r.get("amount_fen"),
        )
        row_checks = Checks()
        check_progress(session, row_checks, **values, note=r.get("note") or "", today=today or date.today())
        found = RowProblems(errors=row_checks.errors)
        if not found.errors:
            found.warnings = progress_warnings(session, **values)
            kept[index] = confirm_warnings(found.warnings, True, warning_note)
        if found.errors or (found.warnings and not confirm):
            problems[index] = found
    if problems:
        raise GridRejected(problems)
    ids = []
    for index, r in enumerate(rows):
        entry = ProgressEntry(
            item_id=item_id,
            township_id=r.get("township_id"),
            entry_date=entry_date,
            quantity=r["quantity"],
            amount_fen=r["amount_fen"],
            note=(r.get("note") or "").strip(),
            warning_note=kept[index],
            created_by=actor,
        )
        ids.append(insert(session, entry, actor=actor))
    return ids


@service
def update_item(
    *,
    session: Session,
    actor: str,
    item_id: int,
    name: str,
    unit: str,
    annual_target: int,
    budget_fen: int | None,
    unit_cost_min_fen: int | None,
    unit_cost_max_fen: int | None,
) -> None:
    """Change an item's name, unit, annual target, budget or plausible unit-cost range (admin)."""
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
    )


@service
def set_township_targets(*, session: Session, actor: str, item_id: int, targets: dict[int, int]) -> int:
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
