"""A form drawn from declared fields: each field's widget with its message right under it, the messages of
no field below them all, and one button. The levy steps, a correction and a new campaign are each a list of
``Field`` and a call to ``field_form``; what was typed is read by ``entry_fields.read`` (the one number reader).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from pages.common.action import Action, Done
from pages.common.entry_fields import read, widget
from pages.common.entry_spec import Field
from pages.common.forms import field_error, other_errors

# a widget drawn in the first cell before the fields (an entry record's township): its key → values to save
Lead = Callable[[str], dict[str, Any]]


@dataclass(frozen=True)
class Form:
    """A form a page declares: its fields, its button, its rows (fields per row, or the count of each row in
    turn; a field's ``width`` is its share of its row), a line beside the button, and the fields whose messages
    are drawn elsewhere (choices above the form)."""

    fields: Sequence[Field]
    submit: str
    per_row: int | Sequence[int] = 4
    hint: str = ""
    shown: frozenset[str] = frozenset()


def field_form(
    key: str,
    suffix: object,
    form: Form,
    *,
    year: int,
    errors: Mapping[str, str],
    values: Mapping[str, Any] | None = None,
    lead: Lead | None = None,
    lead_names: tuple[str, ...] = (),
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The form ``<key>_form_<suffix>``, its widgets ``<key>_<field>_<suffix>`` (a new ``suffix`` — the record,
    the save's generation — gives fresh widgets), ``values`` in them to start with. Once submitted: (the typed
    values, the lead's values)."""
    fields, per_row = form.fields, form.per_row
    slots: list[Field | None] = [None, *fields] if lead else list(fields)
    sizes = [per_row] * len(slots) if isinstance(per_row, int) else list(per_row)
    tail = "" if suffix is None else f"_{suffix}"  # no suffix: widgets that keep what was typed across runs
    with st.form(f"{key}_form{tail}"):
        raw: dict[str, Any] = {}
        led: dict[str, Any] = {}
        start = 0
        for size in sizes:
            row = slots[start : start + size]
            if not row:
                break
            weights = [1.0 if f is None else f.width for f in row] + [1.0] * (size - len(row))  # a short last row
            for column, f in zip(st.columns(weights), row, strict=False):
                with column:
                    if f is None:
                        led = lead(f"{key}_unit{tail}")
                        field_error(dict(errors), *lead_names)
                    else:
                        given = (values or {}).get(f.name)
                        raw[f.name] = widget(f, f"{key}_{f.name}{tail}", value=given, year=year)
                        field_error(dict(errors), f.name)
            start += size
        other_errors(dict(errors), {f.name for f in fields} | set(lead_names) | set(form.shown))
        if form.hint:
            button, note = st.columns([1, 5], vertical_alignment="center")
            note.caption(form.hint)
        else:
            button = st
        pressed = button.form_submit_button(form.submit, type="primary")
    return (raw, led) if pressed else None


def form_action(
    action: Action,
    form: Form,
    write: Callable[[dict[str, Any], bool, str], Any],
    done: Done,
    *,
    year: int,
    owner: object = None,
    fixed: Mapping[str, Any] | None = None,
    after: Callable[[Any], None] | None = None,
    **drawing: Any,
) -> None:
    """A declared form that writes through ``action``: drawn (``drawing``: ``field_form``'s ``values`` and
    ``lead``), read (a value that cannot be read is named beside its field and nothing is written), written with
    ``write(values, confirm, note)`` (with the ``fixed`` values chosen above the form), and its warnings
    confirmed under it. ``owner``: the record the form is
    about (its number keys the form's widgets; a new record's form is keyed by the action's generation)."""
    suffix = action.generation if owner is None else f"{owner}_{action.generation}"
    typed = field_form(action.key, suffix, form, year=year, errors=action.errors(owner), **drawing)
    if typed:
        values, unreadable = read(form.fields, typed[0], year)
        values |= {**typed[1], **(fixed or {})}
        action.run(
            lambda confirm, note: write(values, confirm, note), done, owner=owner, unreadable=unreadable, after=after
        )
        st.rerun()
    action.confirm(owner)


def record_write(call: Callable[..., Any]) -> Callable[[dict[str, Any], bool, str], Any]:
    """A record type's write (``values=``, ``confirm=``, ``warning_note=``: data_layer/services/records.py)
    as a form's write."""
    return lambda values, confirm, note: call(values=values, confirm=confirm, warning_note=note)


def step_write(call: Callable[..., Any], *, confirms: bool = False) -> Callable[[dict[str, Any], bool, str], Any]:
    """A step's service (its values as keywords) as a form's write; ``confirms``: a step whose warnings are confirmed
    with a note (``confirm=``, ``warning_note=``: a review's approval), else there is nothing to confirm."""
    if confirms:
        return lambda values, confirm, note: call(**values, confirm=confirm, warning_note=note)
    return lambda values, confirm, note: call(**values)
