"""目标任务 (admin): items and their annual targets, the split by township, and the pace thresholds."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data_layer import app_settings
from data_layer.domain import text
from data_layer.domain.errors import ValidationFailed
from data_layer.domain.inputs import parse_count, parse_percent, parse_yuan, read_fields
from data_layer.domain.roles import Actor
from data_layer.queries import levy_records, org, projects
from data_layer.services import levy as levy_service
from data_layer.services import projects as service
from pages.common.context import ViewContext, current
from pages.common.fmt import escape_markdown
from pages.common.forms import field_error, other_errors, saved_toast
from pages.common.ui import GRID_ROW_PX, empty, grid_height, short_project_name


def render() -> None:
    ctx = current()
    saved_toast("tg_toast")
    name = ctx.actor  # an administrator (the navigation opens this page to no one else)
    items = projects.items_for_entry(ctx.url, ctx.spec.year, ctx.scope.county_ids)
    if items.empty:
        empty(f"{ctx.spec.year}年尚未设置重点工程")
    else:
        labels = {r.item_id: f"{short_project_name(r.project)} · {r.item}" for r in items.itertuples()}
        item_id = st.selectbox("指标", list(labels), format_func=labels.__getitem__, key="tg_item")
        item = items[items["item_id"] == item_id].iloc[0]
        left, right = st.columns(2, gap="large")
        with left:
            render_item_form(ctx, item, name)
        with right:
            render_township_targets(ctx, item, name)
    st.divider()
    render_thresholds(ctx, name)
    st.divider()
    render_levy_year(ctx, name)


# the item's amounts in 元 (可空): the service's keyword, the field's name, the stored column
MONEY_FIELDS = (
    ("budget_fen", "预算", "budget_fen"),
    ("unit_cost_min_fen", "合理单价下限", "cost_min_fen"),
    ("unit_cost_max_fen", "合理单价上限", "cost_max_fen"),
)


def render_item_form(ctx: ViewContext, item: pd.Series, name: Actor) -> None:
    st.subheader("指标与年度目标")
    errors = st.session_state.get("tg_errors", {})
    item_id = int(item["item_id"])
    with st.form(f"tg_item_{item_id}"):
        item_name = st.text_input("名称", value=item["item"], max_chars=80, key=f"tg_name_{item_id}")
        field_error(errors, "name")
        unit = st.text_input("计量单位", value=item["unit"], max_chars=10, key=f"tg_unit_{item_id}")
        field_error(errors, "unit")
        # Typed as text and read exactly (data_layer/domain/inputs.py); the service refuses a negative in Chinese.
        typed = {
            "annual_target": (
                st.text_input(
                    f"年度目标（{escape_markdown(item['unit'])}）",
                    value=str(int(item["annual_target"])),
                    key=f"tg_target_{item_id}",
                ),
                parse_count,
                "年度目标",
            )
        }
        field_error(errors, "annual_target")
        for field, label, stored in MONEY_FIELDS:
            typed[field] = (
                st.text_input(
                    f"{label}（元，可空）",
                    value=text.yuan_input(item[stored]),
                    placeholder="例如 6000 或 6000.50",
                    key=f"tg_{field}_{item_id}",
                ),
                parse_yuan,
                label,
            )
            field_error(errors, field)
        first, last = plan_months(item)
        months = list(range(1, 13))
        plan_from, plan_to = st.columns(2)
        start = plan_from.selectbox("计划实施期：从", months, index=first - 1, format_func=lambda m: f"{m}月")
        end = plan_to.selectbox("到", months, index=last - 1, format_func=lambda m: f"{m}月")
        st.caption("序时进度按计划实施期计算：开始前为 0，结束后为 100%。1月到12月即全年均衡。")
        field_error(errors, "plan_start_month", "plan_end_month")
        other_errors(errors, {"name", "unit", "annual_target", *typed, "plan_start_month", "plan_end_month"})
        if st.form_submit_button("保存", type="primary"):
            values, unreadable = read_fields(typed)
            if unreadable:  # nothing goes to the service until every number can be read
                st.session_state.tg_errors = unreadable
                st.rerun()
            try:
                service.update_item(
                    db_url=ctx.url,
                    actor=name,
                    item_id=item_id,
                    name=item_name,
                    unit=unit,
                    plan_start_month=None if (start, end) == (1, 12) else start,
                    plan_end_month=None if (start, end) == (1, 12) else end,
                    **values,
                )
            except ValidationFailed as exc:
                st.session_state.tg_errors = exc.errors
            else:
                st.session_state.tg_errors = {}
                st.session_state.tg_toast = f"已保存：{item_name}"
                forget_typed(f"tg_{field}_{item_id}" for field in ("target", *(f for f, _, _ in MONEY_FIELDS)))
            st.rerun()


def typed_count(value) -> str:
    """A stored whole number as it is typed back into a text cell (“12”); none → “”."""
    return "" if value is None or value != value else str(int(value))


def forget_typed(keys) -> None:
    """After a save, the fields show the stored value typed back plainly (“８” saved reads “8”), not what was typed."""
    for widget_key in keys:
        st.session_state.pop(widget_key, None)


def plan_months(item: pd.Series) -> tuple[int, int]:
    """The item's planned months as the form shows them; no plan is January to December."""
    first, last = item["plan_start_month"], item["plan_end_month"]
    if first is None or last is None or first != first or last != last:
        return 1, 12
    return int(first), int(last)


def render_township_targets(ctx: ViewContext, item: pd.Series, name: Actor) -> None:
    st.subheader("目标分解到乡镇")
    if item["scope"] == "county":
        st.caption("该指标只按县本级统计，不分解到乡镇。")
        return
    towns = org.townships(ctx.url)
    towns = towns[towns["active"] & (towns["county_id"] == item["county_id"])]
    targets = projects.township_targets(
        ctx.url,
        ctx.scope.__class__(
            year=ctx.spec.year,
            period="all",
            start=ctx.scope.year_start,
            end=ctx.scope.year_start.replace(month=12, day=31),
            county_ids=(int(item["county_id"]),),
        ),
    )
    targets = targets[(targets.project_code == item["project_code"]) & (targets.item_code == item["item_code"])]
    current_targets = dict(zip(targets["township_id"], targets["target"], strict=True))
    base = pd.DataFrame(
        {
            "township_id": towns["township_id"],
            "乡镇": towns["township"],
            "目标": [typed_count(current_targets.get(t)) for t in towns["township_id"]],  # typed as text
        }
    )
    edited = st.data_editor(
        base,
        key=f"tg_towns_{item['item_id']}",
        hide_index=True,
        width="stretch",
        disabled=["乡镇"],
        column_order=["乡镇", "目标"],
        row_height=GRID_ROW_PX,
        height=grid_height(len(base)),
        column_config={"目标": st.column_config.TextColumn(f"目标（{item['unit']}）", alignment="right")},
    )
    new, unreadable = read_fields(
        {int(r.township_id): (r.目标, parse_count, f"{r.乡镇}的目标") for r in edited.itertuples(index=False)}
    )
    new = {township: target for township, target in new.items() if target is not None}  # empty: no target
    total = sum(new.values())
    unit = item["unit"]
    split = f"分解合计 {text.count(total)} {unit}，全县年度目标 {text.count(item['annual_target'])} {unit}"
    st.caption(escape_markdown(split + ("" if total == item["annual_target"] else "（不一致）")))
    if st.button("保存乡镇目标", key="tg_save_towns", type="primary"):
        if unreadable:  # nothing is saved until every cell can be read
            st.error(escape_markdown("；".join(unreadable.values())), icon=":material/error:")
            return
        try:
            changed = service.set_township_targets(
                db_url=ctx.url, actor=name, item_id=int(item["item_id"]), targets=new
            )
        except ValidationFailed as exc:
            st.error(escape_markdown(exc))
            return
        st.session_state.tg_toast = f"已保存 {changed} 个乡镇的目标"
        st.rerun()


def render_thresholds(ctx: ViewContext, name: Actor) -> None:
    st.subheader("进度预警阈值")
    current_values = app_settings.pace_thresholds(ctx.url)
    errors = st.session_state.get("tg_threshold_errors", {})
    with st.form("tg_thresholds"):
        cols = st.columns(2)
        typed = {}
        for column, field, label, share in (
            (cols[0], "behind", "滞后：完成进度落后序时进度超过（百分点）", current_values.behind),
            (cols[1], "far_behind", "严重滞后：落后超过（百分点）", current_values.far_behind),
        ):
            with column:
                typed[field] = st.text_input(label, value=text.percent_input(share), key=f"tg_{field}")
                field_error(errors, field)
        other_errors(errors, {"behind", "far_behind"})
        if st.form_submit_button("保存阈值"):
            save_thresholds(ctx, name, typed)


THRESHOLD_LABELS = {"behind": "滞后阈值", "far_behind": "严重滞后阈值"}


def save_thresholds(ctx: ViewContext, actor: Actor, typed: dict[str, str]) -> None:
    """Percent points typed as text → the shares the setting keeps (8 → 0.08); a message beside a field that
    cannot be read or is out of range, and nothing saved."""
    values, errors = read_fields(
        {
            name: (typed[name], lambda v, label: parse_percent(v, label, minimum=0), THRESHOLD_LABELS[name])
            for name in typed
        }
    )
    for name, label in THRESHOLD_LABELS.items():
        if name in errors:
            continue
        if values.get(name) is None:
            errors[name] = f"请填写{label}"
        elif values[name] >= 1:
            errors[name] = f"{label}应小于 100 个百分点"
    if not errors:
        try:
            app_settings.set_pace_thresholds(
                db_url=ctx.url, actor=actor, behind=float(values["behind"]), far_behind=float(values["far_behind"])
            )
        except ValidationFailed as exc:
            errors = exc.errors
        else:
            st.session_state.tg_toast = "已保存预警阈值"
            forget_typed(f"tg_{field}" for field in THRESHOLD_LABELS)
    st.session_state.tg_threshold_errors = errors
    st.rerun()


def render_levy_year(ctx: ViewContext, name: Actor) -> None:
    """The county's levy year: the collection task (征收任务) and the annual review's deadline (年审截止日期)."""
    st.subheader("残保金年度设置")
    counties = org.counties(ctx.url)
    if counties.empty:
        st.caption("尚未设置县区")
        return
    errors = st.session_state.get("tg_levy_errors", {})
    top = st.columns([1, 1, 2] if ctx.multi_county else [1, 3])
    years = sorted({*levy_records.review_years(ctx.url), ctx.spec.year, ctx.spec.year + 1}, reverse=True)
    year = top[0].selectbox(
        "年度", years, index=years.index(ctx.spec.year), key="tg_levy_year", format_func=lambda y: f"{y}年"
    )
    county_names = dict(zip(counties["county_id"], counties["county"], strict=True))
    county = int(counties["county_id"].iloc[0])
    if ctx.multi_county:
        county = top[1].selectbox(
            "县区", list(county_names), format_func=county_names.__getitem__, key="tg_levy_county"
        )
    now = levy_records.levy_year(ctx.url, county, year)
    if now is None:
        st.caption(f"{year}年尚未设置")
    else:
        st.caption(f"现为：征收任务 {text.yuan(now['task_fen'])}，年审截止日期 {text.day(now['review_deadline'])}")
    with st.form(f"tg_levy_{county}_{year}"):
        cols = st.columns(2)
        with cols[0]:
            task = st.text_input(
                "征收任务（元）",
                value=text.yuan_input(now["task_fen"]) if now else "",
                placeholder="例如 1250000",
                key=f"tg_levy_task_{county}_{year}",
            )
            field_error(errors, "task_fen")
        with cols[1]:
            deadline = st.date_input(
                "年审截止日期（此日后才审核通过的单位，当年按未安排残疾人计）",
                value=now["review_deadline"] if now else None,
                format="YYYY-MM-DD",
            )
            field_error(errors, "review_deadline")
        field_error(errors, "county_id", "actor")
        if st.form_submit_button("保存残保金年度设置"):
            values, unreadable = read_fields({"task_fen": (task, parse_yuan, "征收任务")})
            if unreadable:  # nothing goes to the service until the amount can be read
                st.session_state.tg_levy_errors = unreadable
                st.rerun()
            try:
                levy_service.set_levy_year(
                    db_url=ctx.url,
                    actor=name,
                    county_id=county,
                    year=year,
                    task_fen=values["task_fen"],
                    review_deadline=deadline,
                )
            except ValidationFailed as exc:
                st.session_state.tg_levy_errors = exc.errors
            else:
                st.session_state.tg_levy_errors = {}
                st.session_state.tg_toast = f"已保存 {year} 年残保金征收任务和年审截止日期"
                forget_typed([f"tg_levy_task_{county}_{year}"])
            st.rerun()
