"""A list a page shows as a grid (records, payments, a dry run), and the one whose rows open a record.

Every list has the same look (full width, the projector's row height, as many rows as fit before a scroll),
and picking a row opens its record the same way on every page (``on_pick(the row's id)``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from data_layer.domain.links import RECORD_PARAM, record_number
from pages.common.ui import GRID_ROW_PX, grid_height

LIST_ROWS = 8  # rows in sight before a list scrolls


def show_table(
    table: pd.DataFrame,
    *,
    key: str | None = None,
    rows: int | None = LIST_ROWS,
    column_config: dict | None = None,
    ids: Sequence[Any] = (),
    on_pick: Callable[[Any], None] | None = None,
) -> None:
    """``table`` (column names are its headers); ``rows`` caps the height (None: every row in sight). With
    ``on_pick``, a picked row calls it with that row's entry of ``ids`` (the record's number)."""
    picking = {}
    if on_pick is not None:
        st.session_state[f"{key}_ids"] = list(ids)

        def picked() -> None:
            chosen = st.session_state[key].selection.rows
            if chosen:
                on_pick(st.session_state[f"{key}_ids"][chosen[0]])

        picking = {"on_select": picked, "selection_mode": "single-row"}
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        row_height=GRID_ROW_PX,
        height=grid_height(len(table) if rows is None else min(len(table), rows)),
        column_config=column_config,
        key=key,
        **picking,
    )


def yuan_column(label: str):
    """A column of 元 (numbers from ``text.yuan_number``: they sort and sum) written as 1,234.50."""
    return st.column_config.NumberColumn(label, format="%,.2f")


def linked(key: str, params: tuple[str, ...] = (RECORD_PARAM,)) -> int | None:
    """The record a link opened (``?record=<id>``; ``params``: older names of it too), once: later choices on the
    page are the user's. Every page that opens a record from a link asks here."""
    wanted = next((st.query_params[p] for p in params if st.query_params.get(p)), None)
    if record_number(wanted) is None or st.session_state.get(f"{key}_linked") == wanted:
        return None
    st.session_state[f"{key}_linked"] = wanted
    return record_number(wanted)
