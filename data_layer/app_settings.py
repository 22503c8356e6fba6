"""Settings an admin changes in the app (stored in the appsetting table), with their defaults."""

from __future__ import annotations

from sqlmodel import Session, select

from data_layer.domain.errors import Checks
from data_layer.domain.pacing import PaceThresholds
from data_layer.domain.roles import Actor
from data_layer.infra.cache import cached_query
from data_layer.infra.db import get_engine
from data_layer.models import AppSetting
from data_layer.services._core import audit, check_actor, service, snapshot

DEFAULTS = {"pace.behind": "0.05", "pace.far_behind": "0.20", "subsidy.jump": "0.3", "boards.public": "1"}
LABELS = {
    "pace.behind": "滞后阈值（完成进度落后序时进度超过）",
    "pace.far_behind": "严重滞后阈值",
    "subsidy.jump": "补贴环比变动提醒阈值",
    "boards.public": "看板免登录",
    "store.id": "数据库标识",
}


@cached_query
def all_settings(url: str) -> dict[str, str]:
    with Session(get_engine(url)) as session:
        stored = {s.key: s.value for s in session.exec(select(AppSetting))}
    return {**DEFAULTS, **stored}


def pace_thresholds(url: str) -> PaceThresholds:
    values = all_settings(url)
    return PaceThresholds(behind=float(values["pace.behind"]), far_behind=float(values["pace.far_behind"]))


@service(admin=True)
def set_pace_thresholds(*, session: Session, actor: Actor, behind: float, far_behind: float) -> None:
    """Change how far completion may trail time elapsed before it is 滞后 / 严重滞后 (shares, e.g. 0.05)."""
    checks = Checks()
    check_actor(checks, actor)
    checks.require(isinstance(behind, (int, float)) and 0 <= behind < 1, "behind", "滞后阈值应在 0 与 1 之间")
    checks.require(
        isinstance(far_behind, (int, float)) and 0 <= far_behind < 1, "far_behind", "严重滞后阈值应在 0 与 1 之间"
    )
    if not checks.errors:
        checks.require(far_behind > behind, "far_behind", "严重滞后阈值应大于滞后阈值")
    checks.raise_if_any()
    for key, value in (("pace.behind", behind), ("pace.far_behind", far_behind)):
        row = session.get(AppSetting, key)
        before = snapshot(row) if row else None
        if row is None:
            row = AppSetting(key=key, value=str(value))
        row.value = str(value)
        session.add(row)
        session.flush()
        audit(session, actor=actor, action="update" if before else "create", row=row, before=before)


def boards_public(url: str) -> bool:
    """Whether 总览 and the area boards open without signing in (the meeting-room PC); on by default."""
    return all_settings(url).get("boards.public", "1") == "1"


@service(admin=True)
def set_boards_public(*, session: Session, actor: Actor, public: bool) -> None:
    """An administrator opens the boards to the LAN, or closes them to signed-in accounts only."""
    checks = Checks()
    check_actor(checks, actor)
    checks.raise_if_any()
    row = session.get(AppSetting, "boards.public")
    before = snapshot(row) if row else None
    row = row or AppSetting(key="boards.public", value="1")
    row.value = "1" if public else "0"
    session.add(row)
    session.flush()
    audit(session, actor=actor, action="update" if before else "create", row=row, before=before)
