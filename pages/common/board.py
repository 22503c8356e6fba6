"""Drawing a board (data_layer/views): its figures as big numbers, its tables as grids, its charts — each value
as the text module writes it, so the page reads what the slide, the deck, the workbook and the report read."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from html import escape

import pandas as pd
import streamlit as st

from data_layer.domain import text
from data_layer.views.board import Chart, Figure, Table, cell_text
from pages.common import charts
from pages.common.read_table import read_table, status_shown
from pages.common.ui import GRID_ROW_PX, big_number, grid_height, status_badge

NUMBER_FORMATS = {"wan": "%,.2f", "yuan": "%,.2f", "decimal": "localized", "count": "localized"}


def figure(f: Figure, note: str | None = None, *, status: bool = False, label: str | None = None) -> None:
    """A headline number: its label, its value with the unit written small, and its note (or ``note``)."""
    big_number(label or f.label, f.digits, f.shown_unit, f.note if note is None else note)
    if status and f.status:
        st.html(status_badge(f.status, f.status_label))


def worded(t: Table, frame: pd.DataFrame) -> set[str]:
    """Numeric columns with a missing value: the grid shows them as words (“—”, never an English “None”)."""
    numeric = ("wan", "yuan", "decimal", "pct", "count")
    return {c.name for c in t.columns if c.kind in numeric and any(text.missing(v) for v in frame[c.name])}


def grid_frame(t: Table, with_total: bool = True) -> pd.DataFrame:
    """The table's values as the grid holds them: the rounded numbers the text module prints (so a grid's sort
    and a reader's eye agree), times and words as text; a numeric column with a gap wholly in words."""
    frame = t.with_total() if with_total else t.rows[[c.name for c in t.columns]]
    as_words = worded(t, frame)
    out = {}
    for c in t.columns:
        values = frame[c.name]
        if c.name in as_words or c.kind == "time":
            out[c.name] = [cell_text(c.kind, v) for v in values]
        elif c.kind in ("wan", "yuan", "decimal"):
            out[c.name] = [float(text.number(c.kind, v)) for v in values]
        elif c.kind == "pct":
            out[c.name] = [float(text.pct_number(v)) for v in values]
        elif c.kind == "count":
            out[c.name] = [text.number("count", v) for v in values]
        elif c.kind == "day":
            out[c.name] = [None if text.missing(v) else text.iso_day(v) for v in values]
        elif c.kind == "status":  # its shape beside its word: a status never rests on its colour alone
            out[c.name] = [status_shown(v) for v in values]
        else:
            out[c.name] = ["" if text.missing(v) else str(v) for v in values]
    return pd.DataFrame(out)


def column_config(
    t: Table, bars: tuple[str, ...] = (), link_text: str = "打开", worded_columns: set[str] = frozenset()
) -> dict:
    config = {}
    for c in t.columns:
        label = c.short or None
        if c.name in worded_columns:  # numbers in words (a gap reads “—”), right-aligned as numbers are
            config[c.name] = st.column_config.TextColumn(label, width=c.width, alignment="right")
        elif c.kind in NUMBER_FORMATS:
            config[c.name] = st.column_config.NumberColumn(label, format=NUMBER_FORMATS[c.kind], width=c.width)
        elif c.kind == "pct":
            config[c.name] = (
                st.column_config.ProgressColumn(label, format="%.1f%%", min_value=0, max_value=100, width=c.width)
                if c.name in bars
                else st.column_config.NumberColumn(label, format="%.1f%%", width=c.width)
            )
        elif c.kind == "link":
            config[c.name] = st.column_config.LinkColumn(label or c.name, display_text=link_text)
        elif c.width or label:
            config[c.name] = st.column_config.TextColumn(label, width=c.width)
    return config


def grid(
    t: Table,
    key: str,
    *,
    rows: int | None = None,
    bars: tuple[str, ...] = (),
    extra: Mapping[str, tuple[list, object]] | None = None,
    on_select: Callable | None = None,
    columns: list[str] | None = None,
    link_text: str = "打开",
    total: bool = True,
) -> None:
    """A table as a grid: every row in sight (the 合计 row never below a scroll) unless ``rows`` caps the height;
    ``extra``: columns the page adds (a link that opens a record: values and their column config); ``columns``:
    the ones a narrow screen shows (the download has them all)."""
    frame = grid_frame(t, total)
    config = column_config(t, bars, link_text, worded(t, t.with_total() if total else t.rows))
    if columns is not None:
        frame = frame[columns]
    for name, (values, column) in (extra or {}).items():
        frame[name] = values + [None] * (len(frame) - len(values))
        config[name] = column
    shown = len(frame) if rows is None else min(len(frame), rows)
    selecting = {"on_select": on_select, "selection_mode": "single-row"} if on_select else {}
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        height=grid_height(shown),
        row_height=GRID_ROW_PX,
        column_config=config,
        key=key,
        **selecting,
    )


def chart(c: Chart, key: str, **drawing) -> None:
    """A board's chart, drawn for the projector (``drawing``: a height or the bars' room for this page), with what
    a screen reader reads in its place (each label with its own value, in the order drawn: the chart's SVG is
    hidden from it) and the same numbers as a table to read."""
    st.html(f'<p class="sr-only">{escape(c.alt_text())}</p>')
    charts.show(charts.draw(c, **drawing), key)
    with st.expander("以表格查看", icon=":material/table:"):
        read_table(c.as_table())
