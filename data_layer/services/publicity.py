"""Outlets, articles and publicity targets."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from data_layer.errors import Checks
from data_layer.models import AREA_LEVELS, Article, County, Outlet, PublicityTarget, Township
from data_layer.roles import Actor
from data_layer.services._core import audit, check_actor, check_count, check_text, insert, service, snapshot


@service(admin=True)
def create_outlet(*, session: Session, actor: Actor, name: str, level: str, medium: str, sort_order: int = 0) -> int:
    checks = Checks()
    check_actor(checks, actor)
    check_text(checks, "name", name, "媒体名称", 60)
    checks.require(level in AREA_LEVELS, "level", "级别应为 国家级 / 省级 / 市级 / 县级")
    check_text(checks, "medium", medium, "媒体类型", 20)
    if name and session.exec(select(Outlet).where(Outlet.name == name.strip())).first():
        checks.require(False, "name", f"媒体“{name}”已存在")
    checks.raise_if_any()
    return insert(session, Outlet(name=name.strip(), level=level, medium=medium, sort_order=sort_order), actor=actor)


@service(area="publicity")
def add_article(
    *,
    session: Session,
    actor: Actor,
    county_id: int,
    outlet_id: int,
    title: str,
    published_on: date,
    township_id: int | None = None,
    link: str = "",
    is_demo: bool = False,
    today: date | None = None,
) -> int:
    checks = Checks()
    check_actor(checks, actor)
    checks.require(session.get(County, county_id) is not None, "county_id", "请选择县区")
    checks.require(session.get(Outlet, outlet_id) is not None, "outlet_id", "请选择发表媒体")
    check_text(checks, "title", title, "稿件标题", 120)
    if checks.require(isinstance(published_on, date), "published_on", "请填写发表日期"):
        checks.require(published_on <= (today or date.today()), "published_on", "发表日期不能晚于今天")
    if township_id is not None:
        checks.require(session.get(Township, township_id) is not None, "township_id", "乡镇不存在")
    checks.require(not link or link.startswith(("http://", "https://")), "link", "链接应以 http:// 或 https:// 开头")
    checks.raise_if_any()
    row = Article(
        county_id=county_id,
        outlet_id=outlet_id,
        title=title.strip(),
        published_on=published_on,
        township_id=township_id,
        link=link,
        is_demo=is_demo,
        created_by=actor.name,
    )
    return insert(session, row, actor=actor)


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
    before = snapshot(row)
    row.target = target
    session.add(row)
    audit(session, actor=actor, action="update", row=row, before=before)
    return row.id  # type: ignore[return-value]
