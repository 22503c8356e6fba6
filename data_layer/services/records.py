"""Entered records of any type (progress, disbursements, and the areas to come): create, correct, delete,
restore and save a grid, all through one path (services/_core.py), each as one audited transaction.

A record type is a ``RecordType`` (its table, hard rules and soft rules); ``services_for`` gives the
entry workflow its five writes for that type.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial

from sqlmodel import Session

from data_layer.domain.roles import Actor
from data_layer.services._core import RecordType, create_one, create_rows, permitted, service, set_deleted, update_one


@service
def create_record(
    *,
    session: Session,
    kind: RecordType,
    actor: Actor,
    values: dict,
    confirm: bool = False,
    warning_note: str = "",
    today: date | None = None,
) -> int:
    """One new record. Errors raise ``ValidationFailed``; warnings raise ``NeedsConfirmation`` unless
    ``confirm`` (then ``warning_note`` says why the value is right)."""
    return create_one(
        session,
        kind,
        actor=actor,
        values=values,
        confirm=confirm,
        warning_note=warning_note,
        today=today,
    )


@service
def update_record(
    *,
    session: Session,
    kind: RecordType,
    record_id: int,
    actor: Actor,
    values: dict,
    confirm: bool = False,
    warning_note: str = "",
    today: date | None = None,
) -> None:
    """Correct a record (a typo): the same rules as a new one, audited with the values before."""
    update_one(
        session,
        kind,
        record_id,
        actor=actor,
        values=values,
        confirm=confirm,
        warning_note=warning_note,
        today=today,
    )


@service
def delete_record(
    *, session: Session, kind: RecordType, record_id: int, actor: Actor, confirm: bool = False, warning_note: str = ""
) -> None:
    """Delete a record: it stays in the store, marked deleted, out of every figure, and can be restored.
    In a closed month only an administrator may, confirming with a reason (``warning_note``)."""
    _set_deleted(session, kind, record_id, actor, True, confirm, warning_note)


@service
def restore_record(
    *, session: Session, kind: RecordType, record_id: int, actor: Actor, confirm: bool = False, warning_note: str = ""
) -> None:
    _set_deleted(session, kind, record_id, actor, False, confirm, warning_note)


def _set_deleted(session, kind: RecordType, record_id: int, actor: Actor, deleted: bool, confirm: bool, reason: str):
    permitted(actor, area=kind.area)
    set_deleted(
        session,
        kind.model,
        record_id,
        actor=actor,
        field=kind.id_field,
        deleted=deleted,
        date_field=kind.date_fields,
        confirm=confirm,
        reason=reason,
        township_of=kind.township,
        guard=kind.guard,
    )


@service
def add_records(
    *,
    session: Session,
    kind: RecordType,
    actor: Actor,
    shared: dict,
    rows: list[dict],
    confirm: bool = False,
    warning_note: str = "",
    today: date | None = None,
) -> list[int]:
    """A grid (``shared`` values, e.g. the item and the date, and one row per township): all rows or none.

    Any error, or any warning without ``confirm``, raises ``GridRejected`` with every row's problems.
    """
    return create_rows(
        session,
        kind,
        actor=actor,
        rows=[{**row, **shared} for row in rows],
        confirm=confirm,
        warning_note=warning_note,
        today=today,
    )


@dataclass(frozen=True)
class RecordServices:
    """The five writes of one record type, as the entry workflow calls them (``db_url=`` and keywords)."""

    create: Callable[..., int]
    update: Callable[..., None]
    delete: Callable[..., None]
    restore: Callable[..., None]
    add_rows: Callable[..., list[int]]
    area: str  # the area of work an account needs to write these (data_layer.domain.roles.AREAS)


def services_for(kind: RecordType) -> RecordServices:
    return RecordServices(
        create=partial(create_record, kind=kind),
        update=partial(update_record, kind=kind),
        delete=partial(delete_record, kind=kind),
        restore=partial(restore_record, kind=kind),
        add_rows=partial(add_records, kind=kind),
        area=kind.area,
    )
