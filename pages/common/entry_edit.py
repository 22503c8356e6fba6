"""Corrections in the entry workflow: open a record by its number, change, delete or restore it."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from data_layer.domain import text
from data_layer.domain.errors import Problems
from data_layer.domain.inputs import parse_count
from data_layer.domain.roles import Actor
from pages.common.context import ViewContext
from pages.common.entry_fields import (
    announce,
    attempt,
    key,
    linked_table,
    read,
    unit_choice,
    unit_id,
    widget,
)
from pages.common.entry_spec import EntrySpec
from pages.common.fmt import escape_markdown
from pages.common.forms import confirm_block, field_error, other_errors

PER_ROW = 4  # fields per row of the correction form (it must fit a 1024-wide screen)


def render_edit(spec: EntrySpec, ctx: ViewContext, subjects: pd.DataFrame, actor: Actor) -> None:
    typed = st.text_input("记录编号", key=key(spec, "e_id"), placeholder="在列表中点“修改”会自动带出编号")
    if typed and typed.strip():
        try:
            record_id = parse_count(typed, "记录编号")
        except ValueError as exc:
            st.error(escape_markdown(exc), icon=":material/error:")
        else:
            record = spec.records.load(ctx.url, record_id, ctx.view.access) if record_id else None
            if record is None:
                missing = f"没有编号为 {typed.strip()} 的{spec.words.noun}"
                st.error(escape_markdown(missing), icon=":material/error:")
            else:
                render_record(spec, ctx, record, actor)
    deleted = spec.records.deleted(ctx)
    title = f"**回收站：已删除的{spec.words.noun}**（{ctx.spec.year}年，{len(deleted)} 条；打开后可恢复）"
    linked_table(ctx, spec, deleted, "查看/恢复", title)


def render_record(spec: EntrySpec, ctx: ViewContext, record: dict, actor: Actor) -> None:
    record_id = int(record["id"])
    line = f"{spec.records.describe(ctx, record)} · 录入人 {record['created_by']} · 录入时间 "
    line += text.time(record["created_at"])
    if record.get("warning_note"):
        line += f" · 核实说明：{record['warning_note']}"
    st.markdown(f"**#{record_id}** {escape_markdown(line)}")
    if record["deleted_at"] is not None:
        st.warning("这条记录已删除，不计入任何统计。", icon=":material/delete:")
        if st.button("恢复这条记录", key=key(spec, f"restore_{record_id}"), icon=":material/restore_from_trash:"):
            mark(spec, ctx, actor, record_id, "restore")
            st.rerun()
        confirm_pending(spec, ctx, actor, record_id)
        return
    subject = spec.subject.of_record(ctx, record)
    if subject is None:
        st.error("找不到这条记录所属的指标或类型", icon=":material/error:")
        return
    fields = spec.fields(subject)
    year = spec.year_of(record)
    problems: Problems = st.session_state.get(key(spec, "e_problems")) or Problems()
    suffix = f"{record_id}_{st.session_state.get(key(spec, 'e_gen'), 0)}"  # fresh widgets per record and save
    with st.form(key(spec, f"e_form_{suffix}")):
        raw = {}
        slots = [None, *fields]
        for start in range(0, len(slots), PER_ROW):
            for column, f in zip(st.columns(PER_ROW), slots[start : start + PER_ROW], strict=False):
                with column:
                    if f is None:
                        town = choose_township(spec, ctx, subject, record, f"e_unit_{suffix}")
                        field_error(problems.errors, "township_id")
                    else:
                        raw[f.name] = widget(f, key(spec, f"e_{f.name}_{suffix}"), value=record.get(f.name), year=year)
                        field_error(problems.errors, f.name)
        other_errors(problems.errors, {f.name for f in fields} | {"township_id"})
        submitted = st.form_submit_button("保存修改", type="primary")
    if submitted:
        values, unreadable = read(fields, raw, year)
        values = {"township_id": unit_id(town), **values}
        save_change(spec, ctx, actor, record_id, values, unreadable)
        st.rerun()
    confirm_pending(spec, ctx, actor, record_id)
    if st.button("删除这条记录", key=key(spec, f"delete_{record_id}"), icon=":material/delete:"):
        mark(spec, ctx, actor, record_id, "delete")
        st.rerun()


def confirm_pending(spec: EntrySpec, ctx: ViewContext, actor: Actor, record_id: int) -> None:
    """A change that raised warnings (a suspicious value, a closed month) waits here for confirmation."""
    problems: Problems = st.session_state.get(key(spec, "e_problems")) or Problems()
    pending = st.session_state.get(key(spec, "e_pending"))
    if not (problems.warnings and pending):
        return

    def confirmed() -> None:
        if pending in ("delete", "restore"):
            mark(spec, ctx, actor, record_id, pending, confirm=True)
        else:
            save_change(spec, ctx, actor, record_id, pending, {}, confirm=True)

    confirm_block(
        problems.warnings,
        key=key(spec, "e_confirm"),
        on_confirm=confirmed,
        on_cancel=lambda: st.session_state.pop(key(spec, "e_problems"), None),
    )


def mark(spec: EntrySpec, ctx: ViewContext, actor: Actor, record_id: int, action: str, confirm: bool = False):
    """Delete or restore (in a closed month an administrator confirms with a reason)."""
    note = st.session_state.get(key(spec, "e_confirm_note"), "") if confirm else ""
    st.session_state[key(spec, "e_pending")] = action
    done = f"已删除 #{record_id}（可在回收站恢复）" if action == "delete" else f"已恢复 #{record_id}"
    service = spec.services.delete if action == "delete" else spec.services.restore
    change(spec, ctx, service, done, actor=actor, record_id=record_id, confirm=confirm, warning_note=note)


def choose_township(spec: EntrySpec, ctx: ViewContext, subject, record: dict, name: str) -> int:
    """The record's township stays a choice even when it is no longer active, so saving never moves it."""
    choices = dict(spec.units(ctx, subject))
    current = unit_choice(record.get("township_id"))
    if current not in choices:
        choices[current] = f"{spec.unit_names(ctx).get(record.get('township_id'), '县本级')}（已停用）"
    options = list(choices)
    return st.selectbox(
        "乡镇（街道）", options, index=options.index(current), format_func=choices.__getitem__, key=key(spec, name)
    )


def save_change(spec, ctx, actor: Actor, record_id: int, values: dict, unreadable: dict, confirm: bool = False):
    if unreadable:
        st.session_state[key(spec, "e_problems")] = Problems(errors=unreadable)
        return
    note = st.session_state.get(key(spec, "e_confirm_note"), "") if confirm else ""
    st.session_state[key(spec, "e_pending")] = values
    change(
        spec,
        ctx,
        spec.services.update,
        f"已修改 #{record_id}",
        actor=actor,
        record_id=record_id,
        values=values,
        confirm=confirm,
        warning_note=note,
        today=ctx.today,
    )


def change(spec: EntrySpec, ctx: ViewContext, fn: Callable, done: str, **kwargs) -> None:
    """Update, delete or restore; what the service said stays for the next run, or a toast says it is done."""
    _, problems = attempt(lambda: fn(db_url=ctx.url, **kwargs))
    st.session_state[key(spec, "e_problems")] = problems
    if not problems:
        for state in ("e_problems", "e_pending", "e_confirm_note"):
            st.session_state.pop(key(spec, state), None)
        st.session_state[key(spec, "e_gen")] = st.session_state.get(key(spec, "e_gen"), 0) + 1
        announce(spec, done)
