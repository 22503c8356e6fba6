"""Pieces every form shares: who is entering, errors beside fields, warnings to confirm."""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import unquote

import streamlit as st

from data_layer.money import yuan_to_fen
from pages.common.fmt import escape_markdown

ACTOR_COOKIE = "dpf_actor"


def actor() -> str:
    """The name of the person entering records: typed once, kept on every page of the tab and, through a
    browser-session cookie, in new tabs until the browser closes (until accounts replace it)."""
    if "actor" not in st.session_state:
        st.session_state.actor = remembered_name()
    name = st.text_input(
        "录入人",
        key="actor",
        placeholder="请填写您的姓名",
        help="每条记录都会记下录入人和时间，便于核对；本浏览器关闭前不必再填",
        persist_state="session",
    ).strip()
    remember(name)
    return name


def remembered_name() -> str:
    """The name the browser's cookie brought with this session's first request ("" without one)."""
    value = st.context.cookies.get(ACTOR_COOKIE)
    return unquote(value) if isinstance(value, str) else ""


def remember(name: str) -> None:
    """Keep the name in a session cookie the next tab's first request brings along. Not a sign-in:
    anyone may type any name here; accounts come with the access-control issue."""
    if name == remembered_name():
        return
    value = json.dumps(name).replace("<", "\\u003c")
    with st.container(key="quiet-scripts"):
        st.html(
            f"<script>document.cookie = '{ACTOR_COOKIE}=' + encodeURIComponent({value}) + '; path=/; SameSite=Lax';"
            "</script>",
            unsafe_allow_javascript=True,
        )


def field_error(errors: dict[str, str], *fields: str) -> None:
    """The message for a field, right under it."""
    for name in fields:
        if name in errors:
            st.error(escape_markdown(errors[name]), icon=":material/error:")


def other_errors(errors: dict[str, str], shown: set[str]) -> None:
    for name, message in errors.items():
        if name not in shown:
            st.error(escape_markdown(message), icon=":material/error:")


def confirm_block(warnings: dict[str, str], *, key: str, on_confirm: Callable, on_cancel: Callable) -> None:
    """Suspicious values: list them, ask for a note, save only on an explicit confirmation."""
    with st.container(border=True):
        st.warning(
            "以下数值可能有误，请核实：\n\n" + "\n".join(f"- {escape_markdown(w)}" for w in warnings.values()),
            icon=":material/warning:",
        )
        st.text_input("核实说明（例如“已电话核实”）", key=f"{key}_note")
        left, right = st.columns(2)
        left.button("已核实，确认保存", key=f"{key}_yes", type="primary", on_click=on_confirm)
        right.button("返回修改", key=f"{key}_no", on_click=on_cancel)


def to_fen(value: float | None) -> int | None:
    """元 from a number input → fen; None stays None (the service says what is missing)."""
    return None if value is None else yuan_to_fen(round(value, 2))
