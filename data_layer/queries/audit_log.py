"""操作记录: the audit log as an administrator reads it — who did what to which record, and the fields
before → after — filtered by person, table, township and date."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pandas as pd
from sqlalchemy import func, or_, select

from data_layer.app_settings import LABELS as SETTING_LABELS
from data_layer.domain.errors import label_of
from data_layer.domain.links import record_link
from data_layer.domain.table_names import TABLE_NAMES
from data_layer.infra.settings import CHINA
from data_layer.models import Account, AuditLog, LockOverride
from data_layer.queries._sql import frame

ACTIONS = {
    "create": "新增",
    "update": "修改",
    "delete": "删除",
    "restore": "恢复",
    "login": "登录",
    "login_failed": "登录失败",
    "logout": "退出",
    "lock": "结账",
    "unlock": "取消结账",
    "after_lock": "结账后修改",
    "bulk": "批量写入",  # one entry per batch of the bulk path (seeds): its ids, row count and digest
}
# the entry page that opens a record of a table (?record=<id>)
RECORD_PAGES = {
    "progressentry": "entry_projects",
    "disbursement": "entry_subsidies",
    "article": "entry_publicity",
    "employer": "levy_registry",
    "annualreview": "levy_reviews",
    "inspection": "levy_inspections",
    "levyassessment": "levy_collection",
}
# bookkeeping every row has, and secrets: no one reads them as a change
NOT_SHOWN = {"created_at", "created_by", "is_demo", "id", "password_hash", "token_hash", "chain"}
WRITERS = {"system": "系统", "demo": "演示数据"}  # who wrote rows without an account (seeds, the command line)


@dataclass(frozen=True)
class AuditFilter:
    start: date | None = None
    end: date | None = None
    actor: str | None = None  # a username
    table: str | None = None
    township_id: int | None = None


def _fields(text: object) -> dict:
    if not isinstance(text, str) or not text:  # no snapshot (None, or NaN in a column of none)
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {"内容": text}
    return value if isinstance(value, dict) else {"内容": value}


def changes(before: str | None, after: str | None) -> str:
    """“数量：3 → 4；金额：…” for the fields that differ (every field of a new row, none of a deleted one)."""
    old, new = _fields(before), _fields(after)
    parts = []
    for field in dict.fromkeys([*old, *new]):
        if field in NOT_SHOWN or field == "key" or old.get(field) == new.get(field):
            continue  # a setting's key is already its record
        label = label_of(field) if label_of(field) != "这一项" else field
        if not old:
            parts.append(f"{label}：{_shown(field, new[field])}")
        elif field in new:
            parts.append(f"{label}：{_shown(field, old.get(field))} → {_shown(field, new[field])}")
    return "；".join(parts)


def _shown(field: str, value: object) -> str:
    if value in (None, ""):
        return "（空）"
    if field.endswith("_fen") and isinstance(value, int):
        return f"{value / 100:,.2f} 元"
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def _township_mentioned(township_id: int):
    """Rows whose before or after names the township. The snapshots are ``json.dumps`` of a row (services
    /_core.py ``snapshot``), so the key is written exactly one way; a LIKE works alike on both engines."""
    patterns = [f'%"township_id": {township_id},%', f'%"township_id": {township_id}}}%']
    return or_(*(column.like(p) for column in (AuditLog.after, AuditLog.before) for p in patterns))


def entries(url: str, chosen: AuditFilter, limit: int = 2000) -> tuple[pd.DataFrame, int]:
    """The newest ``limit`` entries that match (and how many match in all), with names, changes and links."""
    conditions = []
    if chosen.start is not None:
        conditions.append(AuditLog.at >= datetime.combine(chosen.start, time(), CHINA))
    if chosen.end is not None:
        conditions.append(AuditLog.at < datetime.combine(chosen.end + timedelta(days=1), time(), CHINA))
    if chosen.actor:
        conditions.append(AuditLog.actor == chosen.actor)
    if chosen.table:
        conditions.append(AuditLog.table_name == chosen.table)
    if chosen.township_id is not None:
        conditions.append(_township_mentioned(chosen.township_id))
    total = frame(url, select(func.count()).select_from(AuditLog).where(*conditions), ["n"])["n"].iloc[0]
    stmt = (
        select(
            AuditLog.id,
            AuditLog.at,
            AuditLog.actor,
            Account.display_name,
            AuditLog.action,
            AuditLog.table_name,
            AuditLog.row_id,
            AuditLog.before,
            AuditLog.after,
            LockOverride.reason,
        )
        .outerjoin(Account, Account.username == AuditLog.actor)
        .outerjoin(LockOverride, LockOverride.audit_id == AuditLog.id)
        .where(*conditions)
        .order_by(AuditLog.id.desc())
        .limit(limit)
    )
    found = frame(
        url, stmt, ["id", "at", "actor", "name", "action", "table", "row_id", "before", "after", "after_lock"]
    )
    found["at"] = [_local(moment) for moment in found["at"]]
    found["who"] = [who(a, n) for a, n in zip(found["actor"], found["name"], strict=True)]
    found["action_name"] = found["action"].map(lambda a: ACTIONS.get(a, a))
    found["table_name"] = found["table"].map(lambda t: TABLE_NAMES.get(t, t))
    setting = found["table"] == "appsetting"  # a setting's key is its record: name it in words
    found.loc[setting, "row_id"] = found.loc[setting, "row_id"].map(lambda k: SETTING_LABELS.get(k, k))
    found["changes"] = [
        (f"【结账后修改，原因：{why}】" if isinstance(why, str) else "") + changes(b, a)
        for b, a, why in zip(found["before"], found["after"], found["after_lock"], strict=True)
    ]
    found["link"] = [
        record_link(RECORD_PAGES[t], int(r)) if t in RECORD_PAGES and str(r).isdigit() else None
        for t, r in zip(found["table"], found["row_id"], strict=True)
    ]
    return found, int(total)


def who(username: str, name: object) -> str:
    """“演示科室人员（keshi）”; a name without an account (the system, an early entry) as it was written."""
    if isinstance(name, str) and name:
        return f"{name}（{username}）"
    return WRITERS.get(username, username)


def _local(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(CHINA).replace(tzinfo=None)


def people(url: str) -> pd.DataFrame:
    """Everyone the log names (username, and the account's name where there is one)."""
    stmt = (
        select(AuditLog.actor, func.max(Account.display_name))
        .outerjoin(Account, Account.username == AuditLog.actor)
        .group_by(AuditLog.actor)
        .order_by(AuditLog.actor)
    )
    found = frame(url, stmt, ["username", "name"])
    found["label"] = [who(u, n) for u, n in zip(found["username"], found["name"], strict=True)]
    return found


def tables(url: str) -> list[str]:
    stmt = select(AuditLog.table_name).distinct().order_by(AuditLog.table_name)
    return list(frame(url, stmt, ["table"])["table"])
