"""Outlets, articles and publicity targets."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, select

from data_layer.domain import rules
from data_layer.domain.errors import Checks
from data_layer.domain.roles import Actor
from data_layer.infra.settings import CHINA
from data_layer.models import (
    AREA_LEVELS,
    ARTICLE_KINDS,
    Article,
    County,
    Outlet,
    PublicityQuota,
    PublicityTarget,
    Township,
)
from data_layer.queries.article_context import article_context
from data_layer.services._core import (
    RecordType,
    audit,
    change_row,
    check_actor,
    check_count,
    check_text,
    check_township,
    exists,
    insert,
    service,
    snapshot,
)


def outlet_errors(session: Session, values: dict, *, current_id: int | None = None) -> dict[str, str]:
    """The rules of an outlet, for a new one and for a change."""
    checks = Checks()
    check_text(checks, "name", values.get("name"), "媒体名称", 60)
    name = (values.get("name") or "").strip()
    if name:
        same = session.exec(select(Outlet).where(Outlet.name == name, Outlet.id != (current_id or -1))).first()
        checks.require(same is None, "name", f"媒体“{name}”已登记")
    checks.require(values.get("level") in AREA_LEVELS, "level", "级别应为 国家级 / 省级 / 市级 / 县级")
    check_text(checks, "medium", values.get("medium"), "媒体类型", 20)  # the report's own: 杂志/网站, 广播电视 …
    first = values.get("first_used_on")
    if first is not None and checks.require(isinstance(first, date), "first_used_on", "首次使用日期无法识别"):
        checks.require(first <= datetime.now(CHINA).date(), "first_used_on", "首次使用日期不能晚于今天")
    return checks.errors


@service(admin=True)
def create_outlet(
    *,
    session: Session,
    actor: Actor,
    name: str,
    level: str,
    medium: str,
    sort_order: int | None = None,
    first_used_on: date | None = None,
) -> int:
    """Register an outlet; without ``sort_order`` it goes last among those of its level."""
    checks = Checks()
    check_actor(checks, actor)
    values = dict(name=name, level=level, medium=medium, first_used_on=first_used_on)
    checks.errors.update(outlet_errors(session, values))
    checks.raise_if_any()
    if sort_order is None:
        orders = session.exec(select(Outlet.sort_order)).all()
        sort_order = max(orders, default=-1) + 1
    row = Outlet(name=name.strip(), level=level, medium=medium, sort_order=sort_order, first_used_on=first_used_on)
    return insert(session, row, actor=actor)


@service(admin=True)
def update_outlet(
    *, session: Session, actor: Actor, outlet_id: int, name: str, level: str, medium: str, first_used_on: date | None
) -> bool:
    """Correct an outlet (its articles follow it: a level changed moves them all); returns whether it changed."""
    checks = Checks()
    check_actor(checks, actor)
    row = session.get(Outlet, outlet_id) if isinstance(outlet_id, int) else None
    if not checks.require(row is not None, "outlet_id", "媒体不存在"):
        checks.raise_if_any()
    values = dict(name=name, level=level, medium=medium, first_used_on=first_used_on)
    checks.errors.update(outlet_errors(session, values, current_id=outlet_id))
    checks.raise_if_any()
    values["name"] = name.strip()
    changes = {k: v for k, v in values.items() if getattr(row, k) != v}
    if changes:
        change_row(session, row, actor, "update", **changes)
    return bool(changes)


def validate_article(session: Session, checks: Checks, values: dict, *, today: date, current=None) -> dict:
    """The hard rules of an article (errors: nothing is written); returns the values to store."""
    v = {k: values.get(k) for k in ENTERED}
    checks.require(exists(session, County, v["county_id"]), "county_id", "请选择县区")
    checks.require(exists(session, Outlet, v["outlet_id"]), "outlet_id", "请选择发表媒体（须是已登记的媒体）")
    check_text(checks, "title", v["title"], "稿件标题", 120)
    v["title"] = (v["title"] or "").strip()
    if checks.require(isinstance(v["published_on"], date), "published_on", "请填写发表日期"):
        checks.require(v["published_on"] <= today, "published_on", "发表日期不能晚于今天")
    check_township(session, checks, v["township_id"], v["county_id"], current)
    v["kind"] = (v["kind"] or "").strip() or "信息"  # most of what the office sends is 信息
    checks.require(v["kind"] in ARTICLE_KINDS, "kind", f"稿件类型应为 {' / '.join(ARTICLE_KINDS)}")
    v["link"] = (v["link"] or "").strip()
    checks.require(
        not v["link"] or v["link"].startswith(("http://", "https://")), "link", "链接应以 http:// 或 https:// 开头"
    )
    v["is_demo"] = bool(v["is_demo"])
    return v


# What a person enters (the rest is bookkeeping the writers keep).
BOOKKEEPING = ("id", "warning_note", "created_by", "created_at", "deleted_at")
ENTERED = [name for name in Article.model_fields if name not in BOOKKEEPING]


def article_warnings(session: Session, ids: list[int]) -> dict[int, dict[str, str]]:
    """The soft rules of the given articles, from the rule context the data-quality checks use."""
    return {i: rules.article_warnings(c) for i, c in article_context(session, ids).items()}


def article_fields(
    *,
    county_id: int,
    outlet_id: int,
    title: str,
    published_on: date,
    township_id: int | None = None,
    link: str = "",
    kind: str = "信息",
    is_demo: bool = False,
) -> None:
    """A 稿件's fields and their types: what a page, a grid or a test hands the shared writers is checked
    against them (strictly: "3" is not a number, True not a count) before any rule runs."""


ARTICLE = RecordType(
    fields=article_fields,
    area="publicity",
    id_field="article_id",
    date_field="published_on",
    model=Article,
    validate=validate_article,
    warnings=article_warnings,
)


@service(admin=True)
def set_publicity_target(*, session: Session, actor: Actor, county_id: int, year: int, level: str, target: int) -> int:
    checks = Checks()
    check_actor(checks, actor)
    checks.require(session.get(County, county_id) is not None, "county_id", "请选择县区")
    checks.require(level in AREA_LEVELS, "level", "级别应为 国家级 / 省级 / 市级 / 县级")
    check_count(checks, "target", target, "目标篇数")
    checks.raise_if_any()
    row = session.exec(
        select(PublicityTarget).where(
            PublicityTarget.county_id == county_id, PublicityTarget.year == year, PublicityTarget.level == level
        )
    ).first()
    if row is None:
        return insert(session, PublicityTarget(county_id=county_id, year=year, level=level, target=target), actor=actor)
    change_row(session, row, actor, "update", target=target)  # checked like a new row: no overflow at commit
    return row.id  # type: ignore[return-value]


@service(admin=True)
def set_publicity_targets(
    *, session: Session, actor: Actor, county_id: int, year: int, targets: dict[str, int | None]
) -> int:
    """A county's targets per level for ``year`` at once (all or nothing): ``None`` removes one. Returns how many
    changed."""
    checks = Checks()
    check_actor(checks, actor)
    checks.require(exists(session, County, county_id), "county_id", "请选择县区")
    for level, target in targets.items():
        checks.require(level in AREA_LEVELS, "level", "级别应为 国家级 / 省级 / 市级 / 县级")
        check_count(checks, level, target, "目标篇数", allow_none=True)
    checks.raise_if_any()
    changed = 0
    for level, target in targets.items():
        row = session.exec(
            select(PublicityTarget).where(
                PublicityTarget.county_id == county_id, PublicityTarget.year == year, PublicityTarget.level == level
            )
        ).first()
        if target is None and row is not None:
            audit(session, actor=actor, action="delete", row=row, before=snapshot(row))
            session.delete(row)
        elif target is not None and (row is None or row.target != target):
            set_publicity_target(
                session=session, actor=actor, county_id=county_id, year=year, level=level, target=target
            )
        else:
            continue
        changed += 1
    return changed


@service(admin=True)
def set_publicity_quotas(*, session: Session, actor: Actor, year: int, quotas: dict[int, int | None]) -> int:
    """Townships' quotas of articles for ``year`` at once (all or nothing): ``None`` removes a quota.
    Returns how many changed."""
    checks = Checks()
    check_actor(checks, actor)
    for township_id, target in quotas.items():
        checks.require(exists(session, Township, township_id), "quotas", f"乡镇（编号 {township_id}）不存在")
        check_count(checks, f"quota_{township_id}", target, "任务篇数", allow_none=True)
    checks.raise_if_any()
    changed = 0
    for township_id, target in quotas.items():
        row = session.exec(
            select(PublicityQuota).where(PublicityQuota.township_id == township_id, PublicityQuota.year == year)
        ).first()
        if row is None and target is not None:
            insert(session, PublicityQuota(township_id=township_id, year=year, target=target), actor=actor)
        elif row is not None and target is None:
            audit(session, actor=actor, action="delete", row=row, before=snapshot(row))
            session.delete(row)
        elif row is not None and row.target != target:
            change_row(session, row, actor, "update", target=target)
        else:
            continue
        changed += 1
    return changed
