"""操作记录: the audit log as an administrator reads it — who did what to which record, and the fields
before → after — filtered by person, table, township and date.

A record, and a field that points at another row (an item, a township, a subsidy type, an outlet, an employer,
an account, an indicator, a campaign, a review), reads as that row's name as it is now — “捐赠轮椅”, “鲁村镇” —,
looked up once per table for the whole page (never a query per entry); a row no longer there reads as
“#9（已删除）”. The record's number stays beside its name (``row_id``). Times are Beijing time (the text module).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pandas as pd
from sqlalchemy import Select, func, or_, select

from data_layer.app_settings import LABELS as SETTING_LABELS
from data_layer.domain import text
from data_layer.domain.errors import label_of
from data_layer.domain.links import record_link
from data_layer.domain.table_names import TABLE_NAMES
from data_layer.models import (
    Account,
    AnnualReview,
    AuditLog,
    Campaign,
    County,
    Employer,
    Indicator,
    LevyAssessment,
    LevyYear,
    LockOverride,
    MeetingPack,
    Outlet,
    Project,
    ProjectItem,
    SubsidyType,
    metadata,
)
from data_layer.queries import org
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
GONE = "（已删除）"  # after the number of a row no longer in the store


def _year(year: object) -> str:
    return f"{year}年"


# How the log names a row of each table it names rows of: the row's id and the columns its name is made of (one
# statement, joined where a name needs another table's), and the words made of them. Townships are named as every
# screen names them (org.townships' label: “城关镇（沂源县）” where two counties have a 城关镇). A roster person is
# never named (personal data); entries (a progress entry, a payment) have no name but their number.
NAMED: dict[str, tuple[Select, Callable[..., str]]] = {
    "county": (select(County.id, County.name), str),
    "project": (select(Project.id, Project.name, Project.year), lambda name, year: f"{name}（{_year(year)}）"),
    "projectitem": (select(ProjectItem.id, ProjectItem.name), str),
    "subsidytype": (select(SubsidyType.id, SubsidyType.name), str),
    "employer": (select(Employer.id, Employer.name), str),
    "campaign": (select(Campaign.id, Campaign.name), str),
    "annualreview": (
        select(AnnualReview.id, Employer.name, AnnualReview.year).join(
            Employer, Employer.id == AnnualReview.employer_id
        ),
        lambda employer, year: f"{employer} {_year(year)}年审",
    ),
    "levyassessment": (
        select(LevyAssessment.id, Employer.name, LevyAssessment.year).join(
            Employer, Employer.id == LevyAssessment.employer_id
        ),
        lambda employer, year: f"{employer} {_year(year)}核定",
    ),
    "outlet": (select(Outlet.id, Outlet.name), str),
    "indicator": (select(Indicator.id, Indicator.name), str),
    "account": (select(Account.id, Account.username, Account.display_name), lambda user, name: who(user, name)),
    "meetingpack": (select(MeetingPack.id, MeetingPack.name), str),
    "levyyear": (
        select(LevyYear.id, County.name, LevyYear.year).join(County, County.id == LevyYear.county_id),
        lambda county, year: f"{county} {_year(year)}",
    ),
}
TOWNSHIP = "township"
Names = dict[str, dict[int, str]]  # table → id → name, for the rows a page of the log mentions


@functools.cache
def _refers(table: str, field: str) -> str | None:
    """The table a field of ``table``'s rows points at (its foreign key), when the log names that table's rows."""
    found = metadata.tables.get(table)
    column = found.columns.get(field) if found is not None else None
    if column is None:
        return None
    targets = {fk.column.table.name for fk in column.foreign_keys}
    return next((t for t in targets if t in NAMED or t == TOWNSHIP), None)


@functools.cache
def _is_time(table: str, field: str) -> bool:
    """A stored time (UTC), which reads in Beijing time; dates stay as they are."""
    found = metadata.tables.get(table)
    column = found.columns.get(field) if found is not None else None
    if column is None:
        return False
    try:
        kind = getattr(column.type, "impl_instance", column.type).python_type
    except NotImplementedError:
        return False
    return issubclass(kind, datetime)


@dataclass(frozen=True)
class AuditFilter:
    start: date | None = None
    end: date | None = None
    actor: str | None = None  # a username
    table: str | None = None
    township_id: int | None = None


def _fields(snapshot: object) -> dict:
    if not isinstance(snapshot, str) or not snapshot:  # no snapshot (None, or NaN in a column of none)
        return {}
    try:
        value = json.loads(snapshot)
    except ValueError:
        return {"内容": snapshot}
    return value if isinstance(value, dict) else {"内容": value}


def _key(value: object) -> int | None:
    """A row's id as the log holds it (an int in a snapshot, digits in ``row_id``); None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 19 else None


def named(names: Names, table: str, key: object) -> str | None:
    """The name of row ``key`` of ``table`` (“#9（已删除）” if it is gone); None where the log names no rows of
    ``table`` or ``key`` is no id."""
    number = _key(key)
    if number is None or (table not in NAMED and table != TOWNSHIP):
        return None
    return names.get(table, {}).get(number, f"#{number}{GONE}")


def changes(before: str | None, after: str | None, table: str = "", names: Names | None = None) -> str:
    """“数量：3 → 4；金额：…” for the fields that differ (every field of a new row, none of a deleted one); a field
    that points at a named row (``names``: from :func:`names_of`) reads as its name, a stored time in Beijing time."""
    old, new = _fields(before), _fields(after)
    parts = []
    for field in dict.fromkeys([*old, *new]):
        if field in NOT_SHOWN or field == "key" or old.get(field) == new.get(field):
            continue  # a setting's key is already its record
        label = label_of(field) if label_of(field) != "这一项" else field
        if not old:
            parts.append(f"{label}：{_shown(table, field, new[field], names)}")
        elif field in new:
            was, now = (_shown(table, field, v, names) for v in (old.get(field), new[field]))
            parts.append(f"{label}：{was} → {now}")
    return "；".join(parts)


def _shown(table: str, field: str, value: object, names: Names | None = None) -> str:
    if value in (None, ""):
        return "（空）"
    if field.endswith("_fen") and isinstance(value, int):
        return text.yuan(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    refers = _refers(table, field)
    if refers is not None and names is not None:
        return named(names, refers, value) or str(value)
    if isinstance(value, str) and _is_time(table, field):
        try:
            return text.short_time(value)
        except ValueError:  # not a time after all (a row written by hand): as it is
            return value
    return str(value)


def names_of(url: str, mentioned: Iterable[tuple[str, object]]) -> Names:
    """The names of the rows ``mentioned`` ((table, id) pairs): one look-up per table, of only those ids."""
    wanted: dict[str, set[int]] = {}
    for table, key in mentioned:
        number = _key(key)
        if number is not None and (table in NAMED or table == TOWNSHIP):
            wanted.setdefault(table, set()).add(number)
    found: Names = {}
    for table, keys in wanted.items():
        if table == TOWNSHIP:
            towns = org.townships(url)
            found[table] = {int(i): label for i, label in zip(towns["township_id"], towns["label"], strict=True)}
            continue
        stmt, words = NAMED[table]
        id_column = stmt.selected_columns[0]
        columns = [f"c{n}" for n in range(len(stmt.selected_columns))]
        got = frame(url, stmt.where(id_column.in_(sorted(keys))), columns)
        found[table] = {int(r[0]): words(*r[1:]) for r in got.itertuples(index=False)}
    return found


def _mentions(table: str, row_id: object, snapshots: Iterable[dict]) -> list[tuple[str, object]]:
    """The named rows one entry mentions: its own record, and the rows its fields point at."""
    found: list[tuple[str, object]] = [(table, row_id)]
    for fields in snapshots:
        found += [(refers, v) for f, v in fields.items() if (refers := _refers(table, f)) is not None]
    return found


def record_name(table: str, row_id: object, names: Names, snapshots: Iterable[dict] = ()) -> str:
    """What the 记录 column says: a named row's name, a setting's label, the month of a 结账, the time of a restored
    backup; else the record's number as it is."""
    if (name := named(names, table, row_id)) is not None:
        return name
    if table == "appsetting":
        return SETTING_LABELS.get(row_id, str(row_id))
    if table == "periodlock":
        months = [f["month"] for f in snapshots if isinstance(f.get("month"), str)]
        if months:
            return text.month(date.fromisoformat(months[0]))
    if table == "backup":
        try:
            return f"{text.short_time(str(row_id))} 的备份"
        except ValueError:
            pass
    return str(row_id)


def _township_mentioned(township_id: int):
    """Rows whose before or after names the township. The snapshots are ``json.dumps`` of a row (services
    /_core.py ``snapshot``), so the key is written exactly one way; a LIKE works alike on both engines."""
    patterns = [f'%"township_id": {township_id},%', f'%"township_id": {township_id}}}%']
    return or_(*(column.like(p) for column in (AuditLog.after, AuditLog.before) for p in patterns))


def entries(url: str, chosen: AuditFilter, limit: int = 2000) -> tuple[pd.DataFrame, int]:
    """The newest ``limit`` entries that match (and how many match in all), with names, changes and links:
    ``at`` in Beijing time, ``record`` the record's name (``row_id`` its number), ``changes`` in words."""
    conditions = []
    if chosen.start is not None:
        conditions.append(AuditLog.at >= datetime.combine(chosen.start, time(), text.CHINA))
    if chosen.end is not None:
        conditions.append(AuditLog.at < datetime.combine(chosen.end + timedelta(days=1), time(), text.CHINA))
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
    snapshots = [(_fields(b), _fields(a)) for b, a in zip(found["before"], found["after"], strict=True)]
    names = names_of(
        url,
        (m for t, r, s in zip(found["table"], found["row_id"], snapshots, strict=True) for m in _mentions(t, r, s)),
    )
    found["at"] = [text.local(moment) for moment in found["at"]]
    found["who"] = [who(a, n) for a, n in zip(found["actor"], found["name"], strict=True)]
    found["action_name"] = found["action"].map(lambda a: ACTIONS.get(a, a))
    found["table_name"] = found["table"].map(lambda t: TABLE_NAMES.get(t, t))
    found["record"] = [
        record_name(t, r, names, s) for t, r, s in zip(found["table"], found["row_id"], snapshots, strict=True)
    ]
    found["changes"] = [
        (f"【结账后修改，原因：{why}】" if isinstance(why, str) else "") + changes(b, a, t, names)
        for b, a, why, t in zip(found["before"], found["after"], found["after_lock"], found["table"], strict=True)
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
