"""Counties and townships: data an admin edits, never code."""

from __future__ import annotations

from sqlmodel import Session, select

from data_layer.domain.errors import Checks
from data_layer.domain.roles import Actor
from data_layer.models import County, Township
from data_layer.services._core import audit, check_actor, check_text, insert, service, snapshot

TOWNSHIP_KINDS = ("镇", "街道", "乡", "开发区")


@service(admin=True)
def create_county(*, session: Session, actor: Actor, name: str, code: str, sort_order: int = 0) -> int:
    checks = Checks()
    check_actor(checks, actor)
    check_text(checks, "name", name, "县区名称", 40)
    checks.require(code and len(code) == 6 and code.isdigit(), "code", "行政区划代码应为 6 位数字")
    if name and session.exec(select(County).where(County.name == name.strip())).first():
        checks.require(False, "name", f"县区“{name}”已存在")
    checks.raise_if_any()
    return insert(session, County(name=name.strip(), code=code, sort_order=sort_order), actor=actor)


def _check_township(session: Session, checks: Checks, county_id: int, name: str, kind: str, own_id=None):
    checks.require(session.get(County, county_id) is not None, "county_id", "请选择所属县区")
    check_text(checks, "name", name, "乡镇（街道）名称", 40)
    checks.require(kind in TOWNSHIP_KINDS, "kind", "类型应为 镇 / 街道 / 乡 / 开发区")
    if name:
        clash = session.exec(
            select(Township).where(Township.county_id == county_id, Township.name == name.strip())
        ).first()
        checks.require(clash is None or clash.id == own_id, "name", f"“{name.strip()}”已存在")


@service(admin=True)
def create_township(
    *, session: Session, actor: Actor, county_id: int, name: str, kind: str = "镇", sort_order: int = 0
) -> int:
    checks = Checks()
    check_actor(checks, actor)
    _check_township(session, checks, county_id, name, kind)
    checks.raise_if_any()
    row = Township(county_id=county_id, name=name.strip(), kind=kind, sort_order=sort_order)
    return insert(session, row, actor=actor)


@service(admin=True)
def update_township(
    *, session: Session, actor: Actor, township_id: int, name: str, kind: str, sort_order: int, active: bool
) -> None:
    checks = Checks()
    check_actor(checks, actor)
    row = session.get(Township, township_id)
    if not checks.require(row is not None, "township_id", "乡镇不存在"):
        checks.raise_if_any()
    _check_township(session, checks, row.county_id, name, kind, own_id=township_id)
    checks.raise_if_any()
    before = snapshot(row)
    row.name, row.kind, row.sort_order, row.active = name.strip(), kind, sort_order, active
    session.add(row)
    audit(session, actor=actor, action="update", row=row, before=before)
