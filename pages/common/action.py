"""One way a page writes: a form's save, a step's button, a correction, a delete or a restore.

A page builds an ``Action`` (its key) and hands ``run`` the service call. What the service refused comes
back beside the fields (``errors``); a busy or read-only store is one of those errors, in words, with the
typed values kept for another try; a suspicious value or a closed month waits under the form for a
confirmation with a note (``confirm``), which repeats the very same call; a save leaves a toast for the next
run and fresh, empty widgets (``generation``). Every entry form, levy step and correction goes through here,
so the confirm flow is written once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from data_layer.domain.errors import Problems
from pages.common.entry_fields import attempt
from pages.common.forms import confirm_block, saved_toast

# ``call(confirm, note)`` writes: ``confirm`` is True once the person confirmed the warnings, ``note`` their words
Call = Callable[[bool, str], Any]
Done = Callable[[Any], str] | str  # the toast's words, from what the call returned (a new record's number)


@dataclass(frozen=True)
class Action:
    key: str  # prefix of this action's state and widget keys (``<key>_confirm_note``, ``<key>_gen`` …)
    toast: str = ""  # the session key of the page's toast; empty: ``<key>_toast`` (``show_toast`` shows it)

    def _state(self, name: str) -> str:
        return f"{self.key}_{name}"

    @property
    def toast_key(self) -> str:
        return self.toast or self._state("toast")

    def show_toast(self) -> None:
        """The toast the last save left (call it near the top of the page: it shows on the run after)."""
        saved_toast(self.toast_key, long=True)

    @property
    def generation(self) -> int:
        """Part of a form's widget keys: a save starts a fresh, empty form."""
        return st.session_state.get(self._state("gen"), 0)

    def problems(self, owner: object = None) -> Problems:
        """What the last try said, if it was about ``owner`` (a record's number: one record's errors are not
        shown beside another's)."""
        kept = st.session_state.get(self._state("problems"))
        return kept[1] if kept is not None and kept[0] == owner else Problems()

    def errors(self, owner: object = None) -> dict[str, str]:
        return self.problems(owner).errors

    def run(
        self,
        call: Call,
        done: Done,
        *,
        owner: object = None,
        unreadable: dict[str, str] | None = None,
        after: Callable[[Any], None] | None = None,
        confirm: bool = False,
    ) -> bool:
        """Write once; True when saved. ``unreadable``: fields that could not be read (nothing is written until
        every value reads); ``after(result)``: what the page keeps once saved (a new campaign chosen …)."""
        if unreadable:
            st.session_state[self._state("problems")] = (owner, Problems(errors=unreadable))
            st.session_state.pop(self._state("pending"), None)
            return False
        note = st.session_state.get(self._state("confirm_note"), "") if confirm else ""
        result, problems = attempt(lambda: call(confirm, note))
        if problems:
            st.session_state[self._state("problems")] = (owner, problems)
            pending = (owner, call, done, after) if problems.warnings else None
            st.session_state[self._state("pending")] = pending
            return False
        self.forget()
        st.session_state[self._state("gen")] = self.generation + 1
        st.session_state[self.toast_key] = done(result) if callable(done) else done
        if after is not None:
            after(result)
        return True

    def confirm(self, owner: object = None) -> None:
        """The warnings of the last try about ``owner``, a note, and 确认保存 / 返回修改 (nothing else saves it)."""
        pending = st.session_state.get(self._state("pending"))
        warnings = self.problems(owner).warnings
        if pending is None or pending[0] != owner or not warnings:
            return
        _, call, done, after = pending
        confirm_block(
            warnings,
            key=self._state("confirm"),
            on_confirm=lambda: self.run(call, done, owner=owner, after=after, confirm=True),
            on_cancel=self.forget,
        )

    def forget(self) -> None:
        for name in ("problems", "pending", "confirm_note"):
            st.session_state.pop(self._state(name), None)
