"""One stored record opened for correction: who entered it and when, its fields to change (保存修改), 删除 —
or, once deleted, 恢复 from the 回收站. The entry pages and the levy pages open their records here, so a
correction, a delete and a restore look and behave the same everywhere (and confirm through ``Action``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import streamlit as st

from data_layer.domain import text
from data_layer.services.records import RecordServices
from pages.common.action import Action
from pages.common.context import ViewContext
from pages.common.entry_spec import Field
from pages.common.field_form import Form, form_action, record_write
from pages.common.fmt import escape_markdown
from pages.common.forms import other_errors

PER_ROW = 4  # fields per row of the correction form (it must fit a 1024-wide screen)
# widgets drawn before the fields (an entry record's township): (the record, a widget key) → values to save
Lead = Callable[[dict, str], dict[str, Any]]


@dataclass(frozen=True)
class Correction:
    key: str  # prefix of the form's widget and state keys
    services: RecordServices
    describe: str  # the record in words (township, item, amount, date)
    fields: list[Field]  # what can be corrected; the rest of the record stays as stored
    year: int  # the year a month field belongs to
    toast: str  # the session key of the page's toast
    lead: Lead | None = None
    lead_names: tuple[str, ...] = ()  # the values ``lead`` returns (their errors are shown beside it)

    @property
    def action(self) -> Action:
        return Action(self.key, toast=self.toast)


def render_correction(c: Correction, ctx: ViewContext, record: dict, *, may_change: bool = True) -> None:
    record_id = int(record["id"])
    line = f"{c.describe} · 录入人 {record['created_by']}"
    if record.get("created_at") is not None:  # (the levy's records keep the time in the audit log only)
        line += f" · 录入时间 {text.time(record['created_at'])}"
    if record.get("warning_note"):
        line += f" · 核实说明：{record['warning_note']}"
    st.markdown(f"**#{record_id}** {escape_markdown(line)}")
    action = c.action
    if record["deleted_at"] is not None:
        st.warning("这条记录已删除，不计入任何统计。", icon=":material/delete:")
        other_errors(action.errors(record_id), set())
        if may_change and st.button(
            "恢复这条记录", key=f"{c.key}_restore_{record_id}", icon=":material/restore_from_trash:"
        ):
            mark(c, ctx, record_id, "restore")
            st.rerun()
        action.confirm(record_id)
        return
    if not may_change:
        return
    update = partial(c.services.update, db_url=ctx.url, actor=ctx.actor, record_id=record_id, today=ctx.today)
    form_action(
        action,
        Form(c.fields, "保存修改", PER_ROW),
        record_write(update),
        f"已修改 #{record_id}",
        year=c.year,
        owner=record_id,
        values=record,
        lead=(lambda widget_key: c.lead(record, widget_key)) if c.lead else None,
        lead_names=c.lead_names,
    )
    if st.button("删除这条记录", key=f"{c.key}_delete_{record_id}", icon=":material/delete:"):
        mark(c, ctx, record_id, "delete")
        st.rerun()


def mark(c: Correction, ctx: ViewContext, record_id: int, change: str) -> None:
    """Delete or restore (in a closed month an administrator confirms with a reason)."""
    done = f"已删除 #{record_id}（可在回收站恢复）" if change == "delete" else f"已恢复 #{record_id}"
    service = c.services.delete if change == "delete" else c.services.restore
    c.action.run(
        lambda confirm, note: service(
            db_url=ctx.url, actor=ctx.actor, record_id=record_id, confirm=confirm, warning_note=note
        ),
        done,
        owner=record_id,
    )


def pick_correction(
    make: Callable[[dict], Correction], ctx: ViewContext, records: dict[int, dict], words: str, key: str
) -> None:
    """Choose one of ``records`` (each with its ``label``: a roster line's name and masked ID number) and open it
    for correction, delete or restore (``make`` gives its ``Correction``)."""
    if not records:
        return
    label = {i: r["label"] for i, r in records.items()}
    pick = st.selectbox(words, [*records], format_func=label.get, index=None, placeholder="请选择", key=key)
    if pick is not None:
        render_correction(make(records[pick]), ctx, records[pick])
