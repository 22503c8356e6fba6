"""Pick an employer by typing part of its name or of its 统一社会信用代码: a search box and the matches.

The matches come from the filter's townships (a township officer's are their own), so a page never offers
an employer its reader may not see. Both widgets sit outside any form, so the list follows what is typed.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from data_layer.queries import employers
from pages.common.context import ViewContext
from pages.common.fmt import escape_markdown
from pages.common.tables import linked

MATCH_LIMIT = 50  # the picker lists this many matches; more means: type more of the name


def pick_employer(ctx: ViewContext, key: str, *, label: str = "用人单位", inline: bool = False) -> int | None:
    """The chosen employer's id, or None while nothing is chosen. ``key`` prefixes both widgets' keys;
    ``inline`` puts the search box and the matches side by side."""
    search, choose = st.columns([2, 3]) if inline else (st.container(), st.container())
    text = search.text_input(
        f"查找{label}",
        key=f"{key}_q",
        placeholder="输入单位名称或统一社会信用代码的一部分",
    )
    found = employers.registry(ctx.url, ctx.scope, text or "", limit=MATCH_LIMIT + 1)
    more = len(found) > MATCH_LIMIT
    found = found.head(MATCH_LIMIT)
    labels = {
        int(r.employer_id): f"{r.name}（{r.credit_code}，{r.township if isinstance(r.township, str) else '县本级'}）"
        for r in found.itertuples(index=False)
    }
    choice_key = f"{key}_id"
    if st.session_state.get(choice_key) not in labels:  # the search changed: an earlier choice no longer listed
        st.session_state[choice_key] = next(iter(labels)) if len(labels) == 1 else None
    chosen = choose.selectbox(
        label,
        list(labels),
        format_func=labels.__getitem__,
        key=choice_key,
        index=None,
        placeholder="没有找到符合的单位" if not labels else f"请选择（找到 {len(labels)} 家）",
    )
    if more:
        choose.caption(escape_markdown(f"只列出前 {MATCH_LIMIT} 家，请多输入几个字缩小范围"))
    return None if chosen is None else int(chosen)


def show_in_picker(key: str, employer_id: int, credit_code: str) -> None:
    """Make the picker show an employer opened another way (a link, a list): its credit code as the search.
    Call it before the picker is drawn in the run (or from a callback)."""
    st.session_state[f"{key}_q"] = credit_code
    st.session_state[f"{key}_id"] = employer_id


def opened_employer(ctx: ViewContext, key: str) -> int | None:
    """The employer open on the page: the last one chosen in the picker, or opened another way
    (:func:`open_employer`: a link, a list's row). Clearing the picker keeps it open."""
    picked = pick_employer(ctx, key, inline=True)
    if picked != st.session_state.get(f"{key}_last"):  # a new choice in the picker opens that employer
        st.session_state[f"{key}_last"] = picked
        st.session_state[f"{key}_open"] = picked or st.session_state.get(f"{key}_open")
    return st.session_state.get(f"{key}_open")


def open_employer(key: str, employer_id: int, credit_code: str) -> None:
    """Open an employer from a link or a list: the page shows it, and the picker with it."""
    st.session_state[f"{key}_open"] = st.session_state[f"{key}_last"] = employer_id
    show_in_picker(key, employer_id, credit_code)


def open_linked(key: str, find: Callable[[int], dict | None], missing: str) -> dict | None:
    """``?record=<id>`` opens that record's employer once (later choices are the user's); ``find`` reads the record
    as the account may (None: not there, or not theirs: ``missing`` names it). Returns the record opened now."""
    if (wanted := linked(key)) is None:
        return None
    found = find(wanted)
    if found is None:
        st.error(escape_markdown(missing.format(wanted)), icon=":material/block:")
    else:
        open_employer(key, int(found["employer_id"]), found["credit_code"])
    return found


def open_chosen_row(key: str, table, grid_key: str) -> None:
    """A list's chosen row (the selection of the grid ``grid_key``) opens its employer (``employer_id`` and
    ``credit_code`` columns): for ``st.dataframe(on_select=...)``."""
    for i in st.session_state[grid_key].selection.rows:
        open_employer(key, int(table["employer_id"].iloc[i]), table["credit_code"].iloc[i])
