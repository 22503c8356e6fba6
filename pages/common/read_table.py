"""A table that is read rather than edited, as a real HTML table: its text wraps inside the page's width (no
sideways scroll on a 1024 projector, where a grid sizes each column to its longest cell), a screen reader walks
it by row and column (caption, header cells), and its links are links. The grid stays where rows are picked.

Values are written as the grid writes them (board.cell_text, status words with their shapes): one figure, one
way of writing it, on every output.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

import streamlit as st

from data_layer.documents.colours import STATUS_MARKS
from data_layer.domain import text
from data_layer.domain.pacing import STATUS_LABELS
from data_layer.views.board import Table, cell_text
from pages.common.ui import GRID_ROW_PX

NUMERIC = {"wan", "yuan", "decimal", "pct", "count"}
WHOLE = {"day", "time", "link"}


def read_table(
    t: Table,
    *,
    rows: int | None = None,
    columns: Sequence[str] | None = None,
    links: Mapping[str, tuple[list[str], str]] | None = None,
    total: bool = True,
) -> None:
    """``t`` with its title as the caption; ``rows`` rows in sight before the table scrolls (down, never
    sideways); ``columns``: the ones the screen shows (the download has them all); ``links``: a column the page
    adds, as (each row's address, the words of the link)."""
    st.html(table_html(t, rows=rows, columns=columns, links=links, total=total) + f"<style>{CSS}</style>")


def table_html(
    t: Table,
    *,
    rows: int | None = None,
    columns: Sequence[str] | None = None,
    links: Mapping[str, tuple[list[str], str]] | None = None,
    total: bool = True,
) -> str:
    frame = t.with_total() if total and t.totals else t.rows
    shown = [c for c in t.columns if columns is None or c.name in columns]
    head = "".join(f'<th scope="col" class="{klass(c.kind)}">{escape(c.short or c.name)}</th>' for c in shown)
    head += "".join(f'<th scope="col">{escape(name)}</th>' for name in links or {})
    body = []
    for i, record in enumerate(frame.to_dict("records")):
        cells = []
        for n, c in enumerate(shown):
            words = escape(cell(c.kind, record[c.name]))
            if c.kind == "link" and words:
                words = f'<a href="{words}" target="_self">打开</a>'
            tag = 'th scope="row"' if n == 0 else "td"
            cells.append(f'<{tag} class="{klass(c.kind)}">{words}</{tag.split()[0]}>')
        for addresses, words in (links or {}).values():
            address = addresses[i] if i < len(addresses) else ""
            cells.append(
                f'<td><a href="{escape(address)}" target="_self">{escape(words)}</a></td>' if address else "<td></td>"
            )
        body.append(f"<tr>{''.join(cells)}</tr>")
    height = "" if rows is None or len(frame) <= rows else f' style="max-height:{(rows + 1) * (GRID_ROW_PX + 4)}px"'
    # focusable and named: a keyboard user scrolls it with the arrow keys, a screen reader announces it
    return (
        f'<div class="read-table" tabindex="0" role="region" aria-label="{escape(t.title)}"{height}>'
        f"<table><caption>{escape(t.title)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


SHAPES = {label: STATUS_MARKS[code] for code, label in STATUS_LABELS.items()}


def status_shown(label: object) -> str:
    """“▲ 滞后”: a status word with its shape (other words, such as 不属于任何乡镇, as they are)."""
    if text.missing(label):
        return ""
    return f"{SHAPES[label]} {label}" if label in SHAPES else str(label)


def cell(kind: str, value: object) -> str:
    return status_shown(value) if kind == "status" else cell_text(kind, value)


def klass(kind: str) -> str:
    """Numbers right-aligned; numbers, days, times and links never broken across lines; text wraps."""
    return "num" if kind in NUMERIC else "whole" if kind in WHOLE else "text"


CSS = """
.read-table {overflow: auto; border: 1px solid #d1d5db; border-radius: 0.5rem}
.read-table:focus-visible {outline: 3px solid #0b4f8a; outline-offset: 2px}
.read-table table {width: 100%; border-collapse: collapse; font-size: 1rem; color: #111827}
.read-table caption {position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0)}
.read-table th, .read-table td {padding: 0.4rem 0.6rem; border-bottom: 1px solid #e5e7eb; vertical-align: top;
  text-align: left; overflow-wrap: break-word}
.read-table thead th {position: sticky; top: 0; background: #f3f4f6; font-weight: 600; z-index: 1}
.read-table tbody th {font-weight: 400}
.read-table .num {text-align: right; font-variant-numeric: tabular-nums}
.read-table td.num, .read-table td.whole {white-space: nowrap}
.read-table a {color: #0b4f8a}
"""
