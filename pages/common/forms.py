"""Pieces every entry form shares: who is entering, errors beside fields, warnings to confirm."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import streamlit as st

from data_layer.money import yuan_to_fen


def actor() -> str:
    """The name of the person entering records, asked once per session and kept."""
    return st.text_input(
        "录入人", key="actor", placeholder="请填写您的姓名", max_chars=40, help="每条记录都会记下录入人和时间，便于核对"
    ).strip()


def field_error(errors: dict[str, str], *fields: str) -> None:
    """The message for a field, right under it."""
    for name in fields:
        if name in errors:
            st.error(errors[name], icon=":material/error:")


def other_errors(errors: dict[str, str], shown: set[str]) -> None:
    for name, message in errors.items():
        if name not in shown:
            st.error(message, icon=":material/error:")


def to_fen(value: float | None) -> int | None:
    """元 from a number input → fen; None stays None (the service says what is missing)."""
    return None if value is None else yuan_to_fen(round(value, 2))


def to_count(value: float | int | None):
    """A number input's value as a whole number where it is one (the service rejects 2.5)."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def default_day(year: int, today: date) -> date:
    """Today within the year being entered; else that year's last day."""
    return today if today.year == year else date(year, 12, 31)


def confirm_block(warnings: dict[str, str], *, key: str, on_confirm: Callable, on_cancel: Callable) -> None:
    """Suspicious values: list them, ask for a note, save only on an explicit confirmation."""
    with st.container(border=True):
        st.warning(
            "以下数值可能有误，请核实：\n\n" + "\n".join(f"- {w}" for w in warnings.values()), icon=":material/warning:"
        )
        st.text_input("核实说明（例如“已电话核实”）", key=f"{key}_note", max_chars=200)
        left, right = st.columns(2)
        left.button("已核实，确认保存", key=f"{key}_yes", type="primary", on_click=on_confirm)
        right.button("返回修改", key=f"{key}_no", on_click=on_cancel)
