"""A toy record type for the entry component's tests: parcels handed out, kept in memory.

Its services follow the same contract as the real ones (keyword-only, ``ValidationFailed`` with
per-field errors, ``NeedsConfirmation`` with warnings, ``GridRejected`` per row), so the tests
exercise the component alone, without a database.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd

from data_layer.errors import GridRejected, Problems, ValidationFailed
from pages.common.entry_spec import COUNTY_WIDE, EntrySpec, Field, GridSpec

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


def create(*, db_url, confirm=False, warning_note="", today=None, **values) -> int:
    CALLS.append("create")
    _problems(values).raise_for(confirm)
    return _store(values, _problems(values).warnings, warning_note)


def add_rows(*, db_url, actor, kind_id, day, rows, confirm=False, warning_note="", today=None) -> list[int]:
    CALLS.append("add_rows")
    found = {i: p for i, r in enumerate(rows) if (p := _problems({**r, "actor": actor}))}
    if any(p.errors for p in found.values()) or (found and not confirm):
        raise GridRejected(found)
    return [_store({**r, "actor": actor, "kind_id": kind_id, "day": day}, {}, warning_note) for r in rows]


def update(*, db_url, actor, parcel_id, confirm=False, warning_note="", today=None, **values) -> None:
    record = STORE[parcel_id]
    problems = _problems({**record, **values, "actor": actor})
    problems.raise_for(confirm)
    record.update(values)


def set_deleted(deleted: bool):
    def change(*, db_url, actor, parcel_id) -> None:
        if not actor:
            raise ValidationFailed({"actor": "请填写录入人"})
        if (STORE[parcel_id]["deleted_at"] is not None) == deleted:
            raise ValidationFailed({"parcel_id": "记录已删除" if deleted else "记录未被删除"})
        STORE[parcel_id]["deleted_at"] = datetime.now(UTC) if deleted else None

    return change


def load(url, record_id) -> dict | None:
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
    noun="发放记录",
    modes={"quick": "逐条", "grid": "按月", "edit": "修改"},
    subject_label="物资",
    subject_key="kind_id",
    subjects=lambda ctx: KINDS,
    subject_name=lambda kind: kind["kind"],
    record_subject=lambda ctx, record: KINDS[KINDS["kind_id"] == record["kind_id"]].iloc[0],
    units=lambda ctx, kind: {**TOWNS, COUNTY_WIDE: "县本级"},
    unit_names=lambda ctx: {**TOWNS, 9: "丁镇"},
    fields=fields,
    id_field="parcel_id",
    create=create,
    update=update,
    delete=set_deleted(True),
    restore=set_deleted(False),
    load=load,
    describe=lambda ctx, r: f"{TOWNS.get(r['township_id'], '县本级')} {r['parcels']} 件（{r['day']:%Y-%m-%d}）",
    recent=lambda ctx, kind: listing(deleted=False),
    deleted=lambda ctx: listing(deleted=True),
    grid=GridSpec(
        columns=lambda kind: [f for f in fields(kind) if not f.keep],
        day=Field("day", "发放日期", "date"),
        recorded=lambda ctx, kind, first: {1: "5 件"},
        fixed=lambda ctx, kind, month, day: {"kind_id": int(kind["kind_id"]), "day": day},
        add_rows=add_rows,
    ),
)

TODAY = date(2026, 11, 28)
