"""Corrections in the entry workflow: open a record by its number, change, delete or restore it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data_layer.domain.inputs import parse_count
from data_layer.domain.roles import Actor
from pages.common.context import ViewContext
from pages.common.correction import Correction, render_correction
from pages.common.entry_fields import (
    key,
    linked_table,
    unit_choice,
    unit_id,
)
from pages.common.entry_spec import EntrySpec
from pages.common.fmt import escape_markdown


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
    subject = None if record["deleted_at"] is not None else spec.subject.of_record(ctx, record)
    if record["deleted_at"] is None and subject is None:
        st.error("找不到这条记录所属的指标或类型", icon=":material/error:")
        return
    correction = Correction(
        key=key(spec, "e"),
        services=spec.services,
        describe=spec.records.describe(ctx, record),
        fields=[] if subject is None else spec.fields(subject),
        year=spec.year_of(record),
        toast=key(spec, "toast"),
        lead=lambda stored, name: {"township_id": unit_id(choose_township(spec, ctx, subject, stored, name))},
        lead_names=("township_id",),
    )
    render_correction(correction, ctx, record)


def choose_township(spec: EntrySpec, ctx: ViewContext, subject, record: dict, name: str) -> int:
    """The record's township stays a choice even when it is no longer active, so saving never moves it."""
    choices = dict(spec.units(ctx, subject))
    current = unit_choice(record.get("township_id"))
    if current not in choices:
        choices[current] = f"{spec.unit_names(ctx).get(record.get('township_id'), '县本级')}（已停用）"
    options = list(choices)
    return st.selectbox(
        "乡镇（街道）", options, index=options.index(current), format_func=choices.__getitem__, key=name
    )
