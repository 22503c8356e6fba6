"""Database errors in words: a constraint the store enforced becomes a message on its field, a store that
cannot take the write (busy, read-only, full, gone) a message that says nothing was saved."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import DBAPIError, IntegrityError, InternalError, OperationalError
from sqlmodel import Session

from data_layer.domain.errors import StoreUnavailable, ValidationFailed, label_of
from data_layer.models import metadata

BUSY = "数据库正忙：别人正在保存，等了一会儿仍未轮到。本次没有保存，请稍后再点一次“保存”。"
READ_ONLY = "数据库现在只能读、不能写（文件或文件夹被设为只读）。本次没有保存，请联系管理员。"
FULL = "服务器的磁盘已满。本次没有保存，请联系管理员清理磁盘后再试。"
GONE = "连接不上数据库，本次没有保存。请稍后再试，或联系管理员。"


def _constraint(name: str | None):
    for table in metadata.tables.values():
        for constraint in table.constraints:
            if constraint.name == name:
                return constraint
    return None


def _columns(exc: IntegrityError) -> tuple[str, list[str]]:
    """The kind of constraint (unique / check / foreign key / not null) and the columns it is on."""
    diag = getattr(exc.orig, "diag", None)
    text = str(exc.orig)
    if diag is not None:  # PostgreSQL names the constraint
        found = _constraint(diag.constraint_name)
        kind = {"23505": "unique", "23514": "check", "23503": "foreign", "23502": "null"}.get(exc.orig.sqlstate, "")
        columns = [c.name for c in found.columns] if found is not None and hasattr(found, "columns") else []
        return kind, columns or ([diag.column_name] if diag.column_name else [])
    if m := re.search(r"UNIQUE constraint failed: (.+)$", text):
        return "unique", [c.split(".")[-1].strip() for c in m.group(1).split(",")]
    if m := re.search(r"NOT NULL constraint failed: (.+)$", text):
        return "null", [m.group(1).split(".")[-1].strip()]
    if m := re.search(r"CHECK constraint failed: (\w+)", text):
        found = _constraint(m.group(1))
        return "check", [c.name for c in found.columns] if found is not None else []
    return ("foreign", []) if "FOREIGN KEY" in text else ("", [])


def integrity_failed(exc: IntegrityError) -> ValidationFailed:
    """A write the store refused, as the message a form shows on the field."""
    kind, columns = _columns(exc)
    field = columns[-1] if columns else "input"
    labels = "、".join(dict.fromkeys(label_of(c) for c in columns)) or "内容"
    message = {
        "unique": f"已有{labels}相同的记录，不能重复保存（可能别人刚刚保存了同一条）",
        "check": f"{labels}不符合要求",
        "foreign": f"所选的{labels}不存在，可能刚被删除",
        "null": f"请填写{labels}",
    }.get(kind, "保存的内容与已有数据冲突，本次没有保存")
    return ValidationFailed({field: message})


def store_unavailable(exc: DBAPIError) -> StoreUnavailable:
    text = str(exc.orig).lower()
    if "locked" in text or "busy" in text or "lock timeout" in text:
        return StoreUnavailable(BUSY)
    if "readonly" in text or "read-only" in text or "read only" in text:
        return StoreUnavailable(READ_ONLY)
    if "full" in text or "no space" in text:
        return StoreUnavailable(FULL)
    return StoreUnavailable(GONE)


@contextmanager
def writing(url: str) -> Iterator[Session]:
    """A transaction on ``url`` whose database errors come out in words: a clash a check could not see (another
    tab saved the same first) on its field, a store that cannot take the write as ``StoreUnavailable``."""
    from data_layer.infra.db import session_scope

    try:
        with session_scope(url) as session:
            yield session
    except IntegrityError as exc:
        raise integrity_failed(exc) from exc
    except (OperationalError, InternalError) as exc:  # busy past the timeout, read-only, disk full, gone
        raise store_unavailable(exc) from exc
