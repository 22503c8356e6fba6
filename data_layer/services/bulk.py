"""The bulk path: many generated rows checked with the services' own rules, in batches, then inserted at once.

A province's demo is millions of rows; one service call per row (an ORM object, a flush and an audit row each)
takes hours. Here every row is checked by the rule function its service applies (``RULES``: the very same
functions, so a form and a seed can never disagree) and by the table's column limits (``value_problems``, as
on every write), then each batch goes in as one multi-row INSERT, with one audit entry per batch that names
its ids and a digest of its rows. Records with soft rules are checked against them once a batch is stored,
and the caller's note is kept where one applies, as a person confirming the warning would.

The caller owns the transaction: a row that breaks a rule raises ``ValidationFailed`` (naming the table and
the row), and an error or a killed process leaves no batch behind. The forms keep using the services.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import bindparam, func, insert, text, update
from sqlmodel import Session, SQLModel, select

from data_layer import period_locks
from data_layer.domain.errors import Checks, ValidationFailed
from data_layer.domain.roles import Actor
from data_layer.infra.audit import append
from data_layer.models import (
    AnnualReview,
    Article,
    AuditLog,
    Disbursement,
    Employer,
    IndicatorValue,
    Inspection,
    ItemTownshipTarget,
    LevyAssessment,
    LevyPayment,
    ProgressEntry,
    RosterPerson,
)
from data_layer.services import employers, indicators, levy, levy_collection, levy_reviews, projects, publicity
from data_layer.services import subsidies as subsidy_service
from data_layer.services._core import RecordType, check_actor, kept_note, permitted, value_problems

BATCH = 5000
BULK = "bulk"  # the audit action of one batch (操作记录: 批量写入)

# Records entered through the shared record writers: their validate / warnings functions.
RECORDS: dict[type[SQLModel], RecordType] = {
    ProgressEntry: projects.PROGRESS,
    Disbursement: subsidy_service.DISBURSEMENT,
    Article: publicity.ARTICLE,
    IndicatorValue: indicators.INDICATOR_VALUE,
}


def _employer(session: Session, values: dict, today: date, context: dict) -> dict[str, str]:
    return employers.employer_errors(session, values, registered=context["registered"])


def _payment(session: Session, values: dict, today: date, context: dict) -> dict[str, str]:
    return levy_collection.payment_errors(values, context["assessment"], context.get("paid_before", 0), today)


# The other tables' hard rules, each the function its service applies.
RULES: dict[type[SQLModel], Callable[[Session, dict, date, dict], dict[str, str]]] = {
    Employer: _employer,
    ItemTownshipTarget: lambda s, v, today, c: projects.target_errors(s, v),
    Inspection: lambda s, v, today, c: levy.inspection_errors(s, v, today, c["employers"]),
    AnnualReview: lambda s, v, today, c: levy_reviews.review_errors(v, today),
    RosterPerson: lambda s, v, today, c: levy_reviews.roster_errors(v),
    LevyAssessment: lambda s, v, today, c: levy_collection.assessment_errors(v),
    LevyPayment: _payment,
}


def _employer_ids(session: Session, rows: list[dict]) -> set[int]:
    wanted = sorted({row["employer_id"] for row in rows if row.get("employer_id") is not None})
    found: set[int] = set()
    for start in range(0, len(wanted), 900):
        found.update(session.exec(select(Employer.id).where(Employer.id.in_(wanted[start : start + 900]))))
    return found


def _credit_codes(session: Session, rows: list[dict]) -> dict[str, int]:
    codes = [row.get("credit_code") for row in rows]
    return {code: e.id for code, e in employers.registered_codes(session, codes).items()}


# One lookup per batch instead of one per row (the rules take it as an argument), as an import does.
_LOOKUPS: dict[type[SQLModel], dict[str, Callable[[Session, list[dict]], Any]]] = {
    Employer: {"registered": _credit_codes},
    Inspection: {"employers": _employer_ids},
}


def _defaults(model: type[SQLModel]) -> dict[str, Any]:
    """Each column's default (the model's), so every row of a batch names the same columns."""
    found = {}
    for name, field in model.model_fields.items():
        found[name] = field.default_factory if field.default_factory is not None else field.default
    return found


class BulkLoad:
    """Buffers rows per table, assigns their ids (the caller holds the write transaction), and writes a
    table's buffer, parents first, whenever ``batch`` rows wait."""

    def __init__(
        self,
        session: Session,
        actor: Actor,
        *,
        today: date | None = None,
        batch: int = BATCH,
        progress: Callable[[int], None] | None = None,
    ):
        checks = Checks()
        check_actor(checks, actor)
        checks.raise_if_any()
        self.s, self.actor, self.today, self.batch = session, actor, today or date.today(), batch
        self.progress = progress  # called with the number of rows each written batch held
        self.waiting: dict[type[SQLModel], list[tuple[dict, dict]]] = {}  # in the order tables first came
        self.ids: dict[type[SQLModel], int] = {}
        self.defaults: dict[type[SQLModel], dict[str, Any]] = {}
        self.written = 0

    def add(self, model: type[SQLModel], values: dict, *, warning_note: str = "", **context: Any) -> int:
        """Queue one row; returns its id. ``warning_note``: kept on a record a soft rule warns about
        (as if confirmed with that note); ``context``: what the table's rule needs beyond the row."""
        if model not in RECORDS and model not in RULES:
            raise TypeError(f"{model.__name__} has no bulk rule")
        if model not in self.ids:
            last = self.s.exec(select(func.max(model.id))).one()  # type: ignore[attr-defined]
            self.ids[model] = last or 0
            self.defaults[model] = _defaults(model)
        self.ids[model] += 1
        row = {"id": self.ids[model], **values}
        self.waiting.setdefault(model, []).append((row, {"warning_note": warning_note, **context}))
        if sum(len(rows) for rows in self.waiting.values()) >= self.batch:
            self.flush()
        return row["id"]

    def flush(self) -> None:
        """Write everything queued (before a query that must see it, and at the end)."""
        for model, rows in self.waiting.items():
            if rows:
                self._write(model, rows)
                rows.clear()

    def finish(self) -> int:
        """Flush, and on PostgreSQL move each id sequence past the ids given here; returns the rows written."""
        self.flush()
        if self.s.get_bind().dialect.name == "postgresql":
            for model in self.ids:
                table = model.__tablename__  # type: ignore[attr-defined]
                self.s.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
                )
        return self.written

    # --- one batch ---------------------------------------------------------------------------------------
    def _write(self, model: type[SQLModel], queued: list[tuple[dict, dict]]) -> None:
        kind = RECORDS.get(model)
        for key, lookup in _LOOKUPS.get(model, {}).items():  # what the rules ask of the store, once per batch
            found = lookup(self.s, [row for row, _ in queued])
            for _, context in queued:
                context[key] = found
        rows = [self._checked(model, kind, row, context, index) for index, (row, context) in enumerate(queued)]
        if kind is not None:
            self._open_months(kind, rows)
        self.s.connection().execute(insert(model.__table__), rows)  # type: ignore[attr-defined]
        if kind is not None:
            self._keep_notes(kind, rows, [context for _, context in queued])
        self._audit(model, rows)
        self.written += len(rows)
        if self.progress:
            self.progress(len(rows))

    def _checked(self, model: type[SQLModel], kind: RecordType | None, row: dict, context: dict, index: int) -> dict:
        checks = Checks()
        if kind is not None:
            stored = kind.validate(self.s, checks, row, today=self.today, current=None)
            values = {"id": row["id"], **stored, "created_by": self.actor.name}
        else:
            checks.errors.update(RULES[model](self.s, row, self.today, context))
            values = dict(row)
            if "created_by" in self.defaults[model]:
                values["created_by"] = self.actor.name
        if "township_id" in values:
            permitted(self.actor, township_id=values["township_id"])
        for name, default in self.defaults[model].items():
            if name not in values:
                values[name] = default() if callable(default) else default
        if not checks.errors:
            checks.errors.update(value_problems(model, values))
        if checks.errors:
            field, message = next(iter(checks.errors.items()))
            raise ValidationFailed({field: f"{model.__tablename__} 第 {index + 1} 行（编号 {row['id']}）：{message}"})  # type: ignore[attr-defined]
        return values

    def _open_months(self, kind: RecordType, rows: list[dict]) -> None:
        """A seed never writes into a month already closed (结账): refused for the whole batch."""
        months = sorted({period_locks.first_of(d) for row in rows if (d := row.get(kind.date_field))})
        if period_locks.closed_months(self.s, months, self.actor, kind.date_field):
            raise ValidationFailed({kind.date_field: "批量写入不能写入已结账的月份"})

    def _keep_notes(self, kind: RecordType, rows: list[dict], contexts: list[dict]) -> None:
        """The soft rules, on the stored batch: a warned row keeps the caller's note, as if confirmed."""
        found = kind.warnings(self.s, [row["id"] for row in rows])
        notes = [
            {"row_id": row["id"], "kept_note": kept_note(found[row["id"]], context["warning_note"])}
            for row, context in zip(rows, contexts, strict=True)
            if found.get(row["id"])
        ]
        if notes:
            table = kind.model.__table__  # type: ignore[attr-defined]
            stmt = update(table).where(table.c.id == bindparam("row_id")).values(warning_note=bindparam("kept_note"))
            self.s.connection().execute(stmt, notes)
            kept = {n["row_id"]: n["kept_note"] for n in notes}
            for row in rows:
                row["warning_note"] = kept.get(row["id"], row.get("warning_note", ""))

    def _audit(self, model: type[SQLModel], rows: list[dict]) -> None:
        """One entry per batch: its ids and a digest of its rows (personal data is never in the log)."""
        digest = hashlib.sha256()
        for row in rows:
            digest.update(repr(tuple(row.values())).encode())
        first, last = rows[0]["id"], rows[-1]["id"]
        append(
            self.s,
            AuditLog(
                actor=self.actor.username,
                action=BULK,
                table_name=model.__tablename__,  # type: ignore[attr-defined]
                row_id=f"{first}-{last}",
                after=json.dumps(
                    {"行数": len(rows), "编号": f"{first}–{last}", "校验值": digest.hexdigest()}, ensure_ascii=False
                ),
            ),
        )
