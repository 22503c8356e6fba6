"""One employer on a form: registered anew (登记) or corrected (保存修改), through ``Action`` (its errors beside
the fields, a busy or read-only store in words, a toast and fresh widgets after a save). The rules and the
reading of typed numbers are the service's (data_layer/services/employers.py)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from data_layer.domain import text
from data_layer.domain.inputs import parse_text
from data_layer.queries.org import ActingCounty
from data_layer.services import employers as service
from data_layer.services.employers import SIZE_NAMES
from pages.common.action import Action
from pages.common.context import ViewContext
from pages.common.fmt import escape_markdown
from pages.common.forms import field_error, other_errors

TOAST = "er_toast"
NEW, EDIT = Action("er_new", toast=TOAST), Action("er_edit", toast=TOAST)
FIELDS = {"name", "credit_code", "township_id", "staff", "disabled_staff", "avg_wage_fen", "size_class"}
YES_NO = {True: "是", False: "否"}


def choice(label: str, options: dict, key: str, value: Any) -> Any:
    """A drop-down of ``options`` (value → words), on “请选择” until one is picked (``value``: the stored one)."""
    keys = list(options)
    index = keys.index(value) if value in keys else None
    return st.selectbox(label, keys, index=index, format_func=options.get, placeholder="请选择", key=key)


def number_fields(prefix: str, record: dict | None, errors: dict[str, str]) -> dict[str, str]:
    """职工人数, 残疾职工人数 and the wage, typed as text (read exactly by the service's ``read_form``)."""
    stored = record or {}
    shown = {
        "staff": ("职工人数", str(stored.get("staff", ""))),
        "disabled_staff": ("残疾职工人数", str(stored.get("disabled_staff", ""))),
        "avg_wage_fen": ("上年职工年平均工资（元）", text.yuan_input(stored["avg_wage_fen"]) if record else ""),
    }
    typed = {}
    for column, (name, (label, value)) in zip(st.columns(3), shown.items(), strict=True):
        with column:
            typed[name] = st.text_input(label, value=value, key=f"{prefix}_{name}")
            field_error(errors, name)
    return typed


def save(action: Action, ctx: ViewContext, call, unreadable: dict, done: str, **check) -> None:
    """Write through the service. With a value the form could not read nothing is written, but the service's
    rules are checked too (``check``), so every problem shows beside its field at once."""
    if unreadable:
        unreadable = service.check_employer(db_url=ctx.url, **check) | unreadable
    action.run(lambda confirm, note: call(), done, owner=check.get("current_id"), unreadable=unreadable)
    st.rerun()


def render_new(ctx: ViewContext, county: ActingCounty) -> None:
    st.caption(escape_markdown(f"录入人：{ctx.actor.name}（{ctx.actor.kind.name}）。登记到：{county.name}。"))
    errors = NEW.errors()
    prefix = f"er_n{NEW.generation}"
    with st.form(f"{prefix}_form"):
        top = st.columns([2, 1.3, 1])
        with top[0]:
            name = st.text_input("单位名称", max_chars=80, key=f"{prefix}_name")
            field_error(errors, "name")
        with top[1]:
            code = st.text_input(
                "统一社会信用代码", max_chars=24, key=f"{prefix}_code", placeholder="18 位，最后一位是校验位"
            )
            field_error(errors, "credit_code")
        with top[2]:
            town = choice("所属乡镇（街道）", county.offered, f"{prefix}_town", None)
            field_error(errors, "township_id")
        typed = number_fields(prefix, None, errors)
        bottom = st.columns(3)
        with bottom[0]:
            size = choice("企业规模", SIZE_NAMES, f"{prefix}_size", None)
            field_error(errors, "size_class")
        with bottom[1]:
            above = st.selectbox("规模以上企业", [False, True], format_func=YES_NO.get, key=f"{prefix}_above")
        with bottom[2]:
            registered = st.date_input("登记日期", value=ctx.today, format="YYYY-MM-DD", key=f"{prefix}_date")
            field_error(errors, "registered_on")
        other_errors(errors, FIELDS | {"registered_on"})
        saved = st.form_submit_button("登记", type="primary")
    if saved:
        chosen = dict(township_id=town, name=parse_text(name), credit_code=parse_text(code), size_class=size)
        values, unreadable = service.read_form(typed, chosen | dict(above_designated_size=above))
        values["registered_on"] = registered
        save(
            NEW,
            ctx,
            lambda: service.create_employer(db_url=ctx.url, actor=ctx.actor, county_id=county.county_id, **values),
            unreadable,
            f"已登记：{values['name']}",
            values={"county_id": county.county_id, **values},
        )


def render_edit(ctx: ViewContext, county: ActingCounty, employer_id: int, record: dict) -> None:
    st.subheader(f"修改：{escape_markdown(record['name'])}")
    changed = f"，最近修改 {text.time(record['updated_at'])}" if record["updated_at"] else ""
    st.caption(
        escape_markdown(
            f"统一社会信用代码 {record['credit_code']} · 登记日期 {text.day(record['registered_on'])} · "
            f"录入人 {record['created_by'] or '—'}{changed}。代码和登记日期不能修改。"
        )
    )
    errors = EDIT.errors(employer_id)
    prefix = f"er_e{employer_id}_{EDIT.generation}"
    towns = dict(county.offered)
    if record["township_id"] in county.townships:  # a township since deactivated: the employer's own stays
        towns.setdefault(record["township_id"], county.townships[record["township_id"]])
    with st.form(f"{prefix}_form"):
        top = st.columns([2, 1, 1, 1])
        with top[0]:
            name = st.text_input("单位名称", value=record["name"], max_chars=80, key=f"{prefix}_name")
            field_error(errors, "name")
        with top[1]:
            town = choice("所属乡镇（街道）", towns, f"{prefix}_town", record["township_id"])
            field_error(errors, "township_id")
        with top[2]:
            size = choice("企业规模", SIZE_NAMES, f"{prefix}_size", record["size_class"])
            field_error(errors, "size_class")
        with top[3]:
            above = choice("规模以上企业", YES_NO, f"{prefix}_above", bool(record["above_designated_size"]))
        typed = number_fields(prefix, record, errors)
        other_errors(errors, FIELDS)
        saved = st.form_submit_button("保存修改", type="primary")
    if saved:
        chosen = {"name": parse_text(name), "township_id": town, "size_class": size, "above_designated_size": above}
        values, unreadable = service.read_form(typed, chosen)
        stored = {k: record[k] for k in ("county_id", "credit_code", "registered_on")}
        save(
            EDIT,
            ctx,
            lambda: service.update_employer(db_url=ctx.url, actor=ctx.actor, employer_id=employer_id, values=values),
            unreadable,
            f"已保存：{values['name']}",
            values={**stored, **values},
            current_id=employer_id,
        )
