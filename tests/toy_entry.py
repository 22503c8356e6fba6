"""A toy record type for the entry component's tests: parcels handed out, kept in memory.

Its services follow the same contract as the real ones (keyword-only, ``ValidationFailed`` with
per-field errors, ``NeedsConfirmation`` with warnings, ``GridRejected`` per row), so the tests
exercise the component alone, without a database.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd

from data_layer.domain.errors import GridRejected, Problems, ValidationFailed
from data_layer.services.records import RecordServices
from pages.common.entry_spec import COUNTY_WIDE, EntrySpec, Field, GridSpec, Records, Subject, Words

STORE: dict[int, dict] = {}
TOWNS = {1: "甲镇", 2: "乙镇", 3: "丙镇"}
KINDS = pd.DataFrame({"kind_id": [10, 11], "kind": ["米", "面"]})
CALLS: list[str] = []


def reset() -> None:
    STORE.clear()
    CALLS.clear()


def _problems(values: dict) -> Problems:
    found = Problems()
    if values.get("parcels") is None:
        found.errors["parcels"] = "请填写件数"
    elif values["parcels"] < 0:
        found.errors["parcels"] = "件数不能为负数"
    elif values["parcels"] > 100:
        found.warnings["big"] = f"件数 {values['parcels']} 超过 100"
    if not values.get("actor"):
        found.errors["actor"] = "请填写录入人"
    return found


def _store(values: dict, warnings: dict, note: str) -> int:
    new_id = max(STORE, default=0) + 1
    keep = {k: values[k] for k in ("kind_id", "township_id", "day", "parcels", "note")}
    STORE[new_id] = {
        **keep,
        "id": new_id,
        "warning_note": (note or "已核实") if warnings else "",
        "created_by": values["actor"],
        "created_at": datetime(2026, 11, 28, 1, 0, tzinfo=UTC),
        "deleted_at": None,
    }
    return new_id


def create(*, db_url, actor, values, confirm=False, warning_note="", today=None) -> int:
    CALLS.append("create")
    values = {**values, "actor": actor.name}
    _problems(values).raise_for(confirm)
    return _store(values, _problems(values).warnings, warning_note)


def add_rows(*, db_url, actor, shared, rows, confirm=False, warning_note="", today=None) -> list[int]:
    CALLS.append("add_rows")
    found = {i: p for i, r in enumerate(rows) if (p := _problems({**r, "actor": actor.name}))}
    if any(p.errors for p in found.values()) or (found and not confirm):
        raise GridRejected(found)
    return [_store({**r, **shared, "actor": actor.name}, {}, warning_note) for r in rows]


def update(*, db_url, actor, record_id, values, confirm=False, warning_note="", today=None) -> None:
    record = STORE[record_id]
    _problems({**record, **values, "actor": actor.name}).raise_for(confirm)
    record.update(values)


def set_deleted(deleted: bool):
    def change(*, db_url, actor, record_id, confirm=False, warning_note="") -> None:
        if not actor:
            raise ValidationFailed({"actor": "请填写录入人"})
        if (STORE[record_id]["deleted_at"] is not None) == deleted:
            raise ValidationFailed({"record_id": "记录已删除" if deleted else "记录未被删除"})
        STORE[record_id]["deleted_at"] = datetime.now(UTC) if deleted else None

    return change


def load(url, record_id, access) -> dict | None:
    return dict(STORE[record_id], year=2023) if record_id in STORE else None


def listing(deleted: bool) -> pd.DataFrame:
    rows = [r for r in STORE.values() if (r["deleted_at"] is not None) == deleted]
    table = pd.DataFrame(rows, columns=["id", "township_id", "day", "parcels", "note"])
    table["township"] = table["township_id"].map(TOWNS)
    return table.rename(columns={"id": "编号", "day": "日期", "township": "乡镇", "parcels": "件数"})[
        ["编号", "日期", "乡镇", "件数"]
    ]


def fields(kind) -> list[Field]:
    return [
        Field("day", "日期", "date", keep=True),
        Field("parcels", "件数", "count"),
        Field("note", "备注", "text"),
    ]


SPEC = EntrySpec(
    key="toy",
    url_path="toy",
    words=Words(noun="发放记录", subject="物资", one_by_one="逐条"),
    subject=Subject(
        key="kind_id",
        choices=lambda ctx: KINDS,
        name=lambda kind: kind["kind"],
        of_record=lambda ctx, record: KINDS[KINDS["kind_id"] == record["kind_id"]].iloc[0],
    ),
    units=lambda ctx, kind: {**TOWNS, COUNTY_WIDE: "县本级"},
    unit_names=lambda ctx: {**TOWNS, 9: "丁镇"},
    fields=fields,
    services=RecordServices(
        create=create,
        update=update,
        delete=set_deleted(True),
        restore=set_deleted(False),
        add_rows=add_rows,
        area="other",
    ),
    records=Records(
        load=load,
        describe=lambda ctx, r: f"{TOWNS.get(r['township_id'], '县本级')} {r['parcels']} 件（{r['day']:%Y-%m-%d}）",
        recent=lambda ctx, kind: listing(deleted=False),
        deleted=lambda ctx: listing(deleted=True),
    ),
    grid=GridSpec(
        columns=lambda kind: [f for f in fields(kind) if not f.keep],
        day=Field("day", "发放日期", "date"),
        recorded=lambda ctx, kind, first: {1: "5 件"},
        shared=lambda ctx, kind, month, day: {"kind_id": int(kind["kind_id"]), "day": day},
    ),
)

TODAY = date(2026, 11, 28)
