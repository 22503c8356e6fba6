"""Pick an employer by typing part of its name or of its 统一社会信用代码: a search box and the matches.

The matches come from the filter's townships (a township officer's are their own), so a page never offers
an employer its reader may not see. Both widgets sit outside any form, so the list follows what is typed.
"""

from __future__ import annotations

import streamlit as st

from data_layer.queries import employers
from pages.common.context import ViewContext
from pages.common.fmt import escape_markdown

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
