"""Meeting packs (冻结的会议数据): a staff member freezes the figures before a meeting; only an administrator
deletes one (it stays in the store, marked deleted, like an entered record)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from sqlmodel import Session

from data_layer.domain.errors import Checks
from data_layer.domain.limits import EARLIEST
from data_layer.domain.roles import Actor
from data_layer.models import MeetingPack, utcnow
from data_layer.services._core import change_row, check_actor, check_text, insert, service


@service
def freeze_pack(
    *,
    session: Session,
    actor: Actor,
    name: str,
    filter_label: str,
    filter_params: dict,
    period_start: date,
    period_end: date,
    figures: dict,
    data_as_of: datetime | None,
) -> int:
    """Store a pack of figures (built by data_layer/queries/meeting.build_figures) under a name."""
    checks = Checks()
    check_actor(checks, actor)
    checks.require(isinstance(actor, Actor) and actor.kind.enters, "actor", "只有科室人员和管理员可以冻结会议数据")
    check_text(checks, "name", name, "会议名称", 60)
    checks.require(figures.get("slides"), "figures", "没有可冻结的数据")
    if data_as_of is not None:  # when the store was last written (org.last_write): a moment in UTC, not ahead
        now = utcnow()
        known = data_as_of.tzinfo is not None and data_as_of.date() >= EARLIEST and data_as_of <= now + timedelta(1)
        checks.require(known, "data_as_of", "数据截止时间不对，请重新生成会议数据")
    checks.raise_if_any()
    row = MeetingPack(
        name=name.strip(),
        filter_label=filter_label[:120],
        filter_params=json.dumps(filter_params, ensure_ascii=False),
        period_start=period_start,
        period_end=period_end,
        data_as_of=data_as_of,
        figures=json.dumps(figures, ensure_ascii=False),
        created_by=actor.name,
    )
    return insert(session, row, actor=actor)


@service(admin=True)
def delete_pack(*, session: Session, actor: Actor, pack_id: int) -> None:
    checks = Checks()
    row = session.get(MeetingPack, pack_id) if isinstance(pack_id, int) else None
    checks.require(row is not None and row.deleted_at is None, "pack_id", "会议数据不存在或已删除")
    checks.raise_if_any()
    change_row(session, row, actor, "delete", deleted_at=utcnow())
