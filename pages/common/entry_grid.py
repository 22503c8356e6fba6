"""The month grid of the entry workflow: one row per township, saved all or nothing."""

from __future__ import annotations

import calendar
from datetime import date

import pandas as pd
import streamlit as st

from data_layer.domain import text
from data_layer.domain.errors import GridRejected, Problems, StoreUnavailable, ValidationFailed
from data_layer.domain.inputs import is_blank
from data_layer.domain.roles import Actor
from pages.common.context import ViewContext
from pages.common.entry_fields import (
    announce,
    choose_subject,
    default_day,
    key,
    period_key,
    read,
    unit_id,
    widget,
)
from pages.common.entry_spec import EntrySpec, Field
from pages.common.forms import other_errors
from pages.common.ui import GRID_ROW_PX, grid_height

NUMERIC = ("count", "money")


def render_grid(spec: EntrySpec, ctx: ViewContext, subjects: pd.DataFrame, actor: Actor) -> None:
    g = spec.grid
    year = ctx.spec.year
    period = period_key(ctx)
    left, mid, right = st.columns([2, 1, 1])
    with left:
        subject = choose_subject(spec, ctx, subjects)
    with mid:
        month = st.selectbox(
            "月份",
            range(1, 13),
            index=default_day(ctx).month - 1,
            key=key(spec, f"g_month_{period}"),
            format_func=lambda m: f"{year}年{m}月",
        )
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    with right:
        day = widget(g.day, key(spec, f"g_day_{period}_{month}"), value=min(max(ctx.today, first), last), year=year)
    columns = g.columns(subject)
    units = spec.units(ctx, subject)
    problems: dict[int, Problems] = st.session_state.get(key(spec, "g_problems"), {})
    base = grid_frame(units, g.recorded(ctx, subject, first), columns, problems)
    gen = st.session_state.setdefault(key(spec, "g_gen"), 0)
    st.caption("每个乡镇一行；只填有数据的行，空行不保存。保存前逐行检查，问题写在最右一列，全部无误才写入。")
    edited = st.data_editor(
        base,
        key=key(spec, f"g_editor_{gen}_{subject[spec.subject.key]}_{month}"),
        hide_index=True,
        width="stretch",
        disabled=["乡镇", "本月已录", "问题"],
        column_order=["乡镇", "本月已录", *[f.label for f in columns], "问题"],
        column_config={
            **{f.label: grid_column(f) for f in columns},
            "本月已录": st.column_config.TextColumn("本月已录", alignment="right"),
            "问题": st.column_config.TextColumn("问题", width="large"),
        },
        row_height=GRID_ROW_PX,
        height=grid_height(len(base)),
    )
    if problems and not any(p.errors for p in problems.values()):
        st.checkbox("已核实上述提醒，仍然保存", key=key(spec, "g_confirm"))
        st.text_input("核实说明（例如“已电话核实”）", key=key(spec, "g_note"))
    other_errors(st.session_state.get(key(spec, "g_errors"), {}), set())
    if st.button("保存本月数据", type="primary", key=key(spec, "g_save")):
        save_grid(spec, ctx, subject, first, day, columns, edited, actor)


def grid_column(f: Field):
    """A choice is picked from its words; everything else is typed as text (numbers are read exactly)."""
    if f.kind == "choice":
        return st.column_config.SelectboxColumn(f.label, options=list(f.options), help=f.help)
    return st.column_config.TextColumn(f.label, alignment="right" if f.kind in NUMERIC else "left")


def grid_frame(units: dict[int, str], recorded: dict[int, str], columns: list[Field], problems: dict) -> pd.DataFrame:
    """One row per unit: what is already recorded in the month, empty cells to type in, the last save's problems."""
    return pd.DataFrame(
        {
            "township_id": list(units),
            "乡镇": list(units.values()),
            "本月已录": [recorded.get(u, "") for u in units],
            **{f.label: [""] * len(units) for f in columns},
            "问题": [problems[u].text() if u in problems else "" for u in units],
        }
    )


def save_grid(spec, ctx, subject, month: date, day: date, columns: list[Field], edited: pd.DataFrame, actor: Actor):
    rows, units, unreadable = [], [], {}
    for _, r in edited.iterrows():
        raw = {f.name: r[f.label] for f in columns}
        if all(is_blank(raw[f.name]) for f in columns):
            continue
        values, errors = read(columns, raw, month.year)
        unit = int(r["township_id"])
        if errors:
            unreadable[unit] = Problems(errors=errors)
        rows.append({"township_id": unit_id(unit), **values})
        units.append(unit)
    if not rows:
        st.warning("没有填写任何数据")
        return
    st.session_state.pop(key(spec, "g_errors"), None)
    if unreadable:  # nothing goes to the service until every number can be read
        st.session_state[key(spec, "g_problems")] = unreadable
        st.rerun()
    try:
        spec.services.add_rows(
            db_url=ctx.url,
            actor=actor,
            shared=spec.grid.shared(ctx, subject, month, day),
            rows=rows,
            confirm=st.session_state.get(key(spec, "g_confirm"), False),
            warning_note=st.session_state.get(key(spec, "g_note"), ""),
            today=ctx.today,
        )
    except ValidationFailed as exc:  # the name or the note, not a row
        st.session_state[key(spec, "g_errors")] = exc.errors
        st.rerun()
    except StoreUnavailable as exc:  # nothing saved; the grid keeps what was typed
        st.session_state[key(spec, "g_errors")] = {"store": exc.message}
        st.rerun()
    except GridRejected as exc:
        st.session_state[key(spec, "g_problems")] = {units[i]: p for i, p in exc.problems.items()}
        st.rerun()
    for state in ("g_problems", "g_confirm", "g_note"):
        st.session_state.pop(key(spec, state), None)
    st.session_state[key(spec, "g_gen")] = st.session_state.get(key(spec, "g_gen"), 0) + 1
    where = f"{spec.subject.name(subject)}，{month.year}年{month.month}月"
    announce(spec, f"已保存 {len(rows)} 条：{where}，{totals(columns, rows)}")
    st.rerun()


def totals(columns: list[Field], rows: list[dict]) -> str:
    """“合计 数量（台）7，金额（元）3,150.00” over the saved rows."""
    parts = []
    for f in columns:
        if f.kind in NUMERIC:
            total = sum(r.get(f.name) or 0 for r in rows)
            parts.append(f"{f.label} {text.yuan(total, unit=False) if f.kind == 'money' else text.count(total)}")
    return "合计 " + "，".join(parts)
