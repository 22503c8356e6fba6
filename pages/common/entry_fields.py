"""The pieces the entry workflow is built from: widget keys, a field's widget, reading what was typed,
calling a service and keeping what it said, choosing the subject and the township."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import partial
from typing import Any
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from data_layer.domain import text
from data_layer.domain.errors import NeedsConfirmation, Problems, StoreUnavailable, ValidationFailed
from data_layer.domain.inputs import parse_count, parse_text, parse_yuan
from data_layer.domain.links import record_link
from data_layer.queries import org
from pages.common.context import ViewContext
from pages.common.entry_spec import COUNTY_WIDE, EntrySpec, Field
from pages.common.fmt import escape_markdown
from pages.common.forms import field_error


def key(spec: EntrySpec, name: str) -> str:
    """A widget or state key of this entry page (its prefix keeps two pages' state apart)."""
    return f"{spec.key}_{name}"


def edit_link(ctx: ViewContext, url_path: str, record_id: int) -> str:
    """The link that opens a record in its entry page, keeping the filter."""
    return f"{record_link(url_path, record_id)}&{urlencode(ctx.query_params(), doseq=True)}"


def period_key(ctx: ViewContext) -> str:
    """The filtered period inside a widget's key (“20230101_20230630”): a new period gives its fields afresh."""
    return f"{text.compact_day(ctx.scope.start)}_{text.compact_day(ctx.scope.end)}"


def default_day(ctx: ViewContext) -> date:
    """Today, clamped into the filtered period (a past year's entries default to its last day)."""
    return min(max(ctx.today, ctx.scope.start), ctx.scope.end)


# --- one field ----------------------------------------------------------------------------------------


def as_text(f: Field, value: Any) -> str:
    """A stored value as it is typed back into its field."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if f.kind == "money":
        return text.yuan_input(value)  # 6000, or 6000.50 where there are fen
    return str(value)


def widget(f: Field, widget_key: str, *, value: Any = None, year: int) -> Any:
    """The input for ``f``: numbers are typed as text and read exactly (see data_layer/inputs.py)."""
    label = escape_markdown(f.label)  # labels read markdown; a unit or an item name is stored text
    if f.kind == "date":
        return st.date_input(label, value=value, key=widget_key, format="YYYY-MM-DD", help=f.help)
    if f.kind == "month":
        index = value.month - 1 if isinstance(value, date) else 0
        return st.selectbox(
            label, range(1, 13), index=index, key=widget_key, format_func=lambda m: f"{year}年{m}月", help=f.help
        )
    if f.kind in ("choice", "radio"):  # with a placeholder, nothing is chosen until the person chooses
        index = f.options.index(value) if value in f.options else None if f.placeholder else 0
        words = f.labels.get if f.labels else str
        draw = (
            partial(st.selectbox, placeholder=f.placeholder)
            if f.kind == "choice"
            else partial(st.radio, horizontal=True)
        )
        return draw(label, f.options, index=index, key=widget_key, help=f.help, format_func=words)
    draw = partial(st.text_area, height=80) if f.kind == "note" else st.text_input
    return draw(
        label, value=as_text(f, value), key=widget_key, placeholder=f.placeholder, help=f.help, max_chars=f.max_chars
    )


def read(fields: list[Field], raw: dict[str, Any], year: int) -> tuple[dict, dict[str, str]]:
    """Typed values for the service, and a message per field that could not be read."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for f in fields:
        value = raw.get(f.name)
        try:
            if f.kind == "count":
                values[f.name] = parse_count(value, f.label)
            elif f.kind == "money":
                values[f.name] = parse_yuan(value, f.label)
            elif f.kind in ("text", "note") or (f.kind in ("choice", "radio") and isinstance(value, str)):
                values[f.name] = parse_text(value)
            elif f.kind in ("choice", "radio"):  # a code that is not text (a number, yes / no) as chosen; None: none
                values[f.name] = value
            elif f.kind == "month":
                values[f.name] = date(year, int(value), 1)
            else:
                values[f.name] = value
        except ValueError as exc:
            errors[f.name] = str(exc)
    return values, errors


# --- calling a service ------------------------------------------------------------------------------------


def attempt(call: Callable[[], Any]) -> tuple[Any, Problems]:
    """Run a write; what it refused (errors) or wants confirmed (warnings) comes back as ``Problems``."""
    try:
        return call(), Problems()
    except ValidationFailed as exc:
        return None, Problems(errors=exc.errors)
    except NeedsConfirmation as exc:
        return None, Problems(warnings=exc.warnings)
    except StoreUnavailable as exc:  # nothing saved; the typed values stay for another try
        return None, Problems(errors={"store": exc.message})


def announce(spec: EntrySpec, message: str) -> None:
    """A toast for the next run (a toast right before ``st.rerun`` would never show)."""
    st.session_state[key(spec, "toast")] = message


def show_announcement(spec: EntrySpec) -> None:
    message = st.session_state.pop(key(spec, "toast"), None)
    if message:
        st.toast(escape_markdown(message), icon=":material/check_circle:", duration="long")


def saved_text(spec: EntrySpec, ctx: ViewContext, record_id: int) -> str:
    record = spec.records.load(ctx.url, record_id, ctx.view.access)
    return f"已保存 #{record_id}：{spec.records.describe(ctx, record)}" if record else f"已保存 #{record_id}"


# --- what the entry is about, and where ---------------------------------------------------------------


def choose_subject(spec: EntrySpec, ctx: ViewContext, subjects: pd.DataFrame) -> pd.Series:
    """The item or type, kept across saves (outside the form, so a save never resets it)."""
    ids = [int(i) for i in subjects[spec.subject.key]]
    names = {int(r[spec.subject.key]): spec.subject.name(r) for _, r in subjects.iterrows()}
    widget_key = key(spec, "subject")
    if st.session_state.get(widget_key) not in ids:
        st.session_state[widget_key] = ids[0]
    chosen = st.selectbox(spec.words.subject, ids, format_func=names.__getitem__, key=widget_key)
    subject = subjects[subjects[spec.subject.key] == chosen].iloc[0]
    if spec.subject.caption is not None:
        st.caption(escape_markdown(spec.subject.caption(ctx, subject)))
    return subject


def choose_unit(spec: EntrySpec, ctx: ViewContext, subject: pd.Series, errors: dict[str, str]) -> int | None:
    """The township, kept across saves; it starts from the township chosen in the filter."""
    choices = spec.units(ctx, subject)
    widget_key = key(spec, "unit")
    if st.session_state.get(widget_key) not in choices:
        in_filter = [t for t in ctx.scope.township_ids if t in choices]
        st.session_state[widget_key] = in_filter[0] if in_filter else next(iter(choices))
    chosen = st.selectbox("乡镇（街道）", list(choices), format_func=choices.__getitem__, key=widget_key)
    field_error(errors, "township_id")
    return unit_id(chosen)


def unit_id(choice: int) -> int | None:
    return None if choice == COUNTY_WIDE else int(choice)


def unit_choice(township_id: int | None) -> int:
    return COUNTY_WIDE if township_id is None else int(township_id)


def linked_table(ctx: ViewContext, spec: EntrySpec, table: pd.DataFrame, label: str, title: str) -> None:
    """A list of records with a link on each that opens it for correction."""
    st.markdown(title)
    if table.empty:
        st.caption("没有记录")
        return
    table = table.assign(**{label: [edit_link(ctx, spec.url_path, i) for i in table["编号"]]})
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={label: st.column_config.LinkColumn(label, display_text=label)},
    )


# --- the periods the entry lists cover --------------------------------------------------------------


def whole_year(ctx: ViewContext):
    """Entry lists show the whole year being entered, whatever period the boards are filtered to."""
    return replace(ctx.scope, period="all", start=ctx.scope.year_start, end=date(ctx.spec.year, 12, 31))


def month_scope(ctx: ViewContext, first: date):
    """One month of the filtered year, every township of the filtered counties (the grid's rows)."""
    last = date(first.year, first.month, calendar.monthrange(first.year, first.month)[1])
    return replace(ctx.scope, period="range", start=first, end=last, township_ids=())


def township_choices(ctx: ViewContext, county_id: int, *, townships: bool = True, county_wide: bool = True) -> dict:
    """What a new record may name: the county's active townships (in the admin's order), and/or 县本级."""
    towns = org.townships(ctx.url)
    towns = towns[towns["active"] & (towns["county_id"] == county_id)]
    if ctx.actor is not None and not ctx.actor.kind.every_township:  # a township officer: their own only
        towns, county_wide = towns[towns["township_id"] == ctx.actor.township_id], False
    choices = dict(zip(towns["township_id"], towns["township"], strict=True)) if townships else {}
    return {**choices, COUNTY_WIDE: "县本级"} if county_wide else choices
