"""Pieces every form shares: errors beside fields, warnings to confirm.

Numbers are typed into text fields and read by data_layer/domain/inputs.py (``read_fields``, ``parse_count``,
``parse_yuan``…), pre-filled with data_layer/domain/text.py's ``yuan_input`` / ``percent_input``: never a
``number_input`` (a float) rounded here."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from pages.common.fmt import escape_markdown


def field_error(errors: dict[str, str], *fields: str) -> None:
    """The message for a field, right under it."""
    for name in fields:
        if name in errors:
            st.error(escape_markdown(errors[name]), icon=":material/error:")


def other_errors(errors: dict[str, str], shown: set[str]) -> None:
    for name, message in errors.items():
        if name not in shown:
            st.error(escape_markdown(message), icon=":material/error:")


# The confirm step appears below the form that asked for it, often below the fold: bring it into view and put
# the cursor in the note, so the person reads the warning and Enter confirms (the step is a form of its own).
_TO_CONFIRM_JS = """
(() => {
  const box = window.parent.document.querySelector(".st-key-%s");
  if (!box || box.dataset.shown) return;
  box.dataset.shown = "1";
  box.scrollIntoView({block: "center", behavior: "instant"});
  const note = box.querySelector("input");
  if (note) note.focus({preventScroll: true});
})();
"""


# What a confirmation asks, by what it is about: (heading, the note's label, the button)
ASKS = {
    "locked": ("请确认：", "结账后修改的原因（必填）", "已核实，确认保存"),  # a change in a closed month
    "months": ("请确认结账：", "说明（可空，例如“上半年报表已上报县政府”）", "确认结账"),  # closing months
}
SUSPICIOUS = ("以下数值可能有误，请核实：", "核实说明（例如“已电话核实”）", "已核实，确认保存")


def confirm_block(warnings: dict[str, str], *, key: str, on_confirm: Callable, on_cancel: Callable) -> None:
    """Suspicious values (or a step that asks once): list them, ask for a note, go on only on an explicit
    confirmation — the button, or Enter in the note (once: the step is gone after it)."""
    heading, label, button = next((ASKS[k] for k in warnings if k in ASKS), SUSPICIOUS)
    with st.container(border=True, key=f"{key}_box"):
        st.warning(
            heading + "\n\n" + "\n".join(f"- {escape_markdown(w)}" for w in warnings.values()),
            icon=":material/warning:",
        )
        with st.form(f"{key}_form", border=False, enter_to_submit=True):
            st.text_input(label, key=f"{key}_note", help=f"填好后按回车键或点“{button}”")
            st.form_submit_button(button, key=f"{key}_yes", type="primary", on_click=on_confirm)
        st.button("返回修改", key=f"{key}_no", on_click=on_cancel)
        st.html(f"<script>{_TO_CONFIRM_JS % f'{key}_box'}</script>", unsafe_allow_javascript=True)


def saved_toast(key: str, *, long: bool = False) -> None:
    """The toast a save left for the run after it (a page saves, sets ``st.session_state[key]``, reruns)."""
    message = st.session_state.pop(key, None)
    if message:
        st.toast(escape_markdown(message), icon=":material/check_circle:", duration="long" if long else "short")
