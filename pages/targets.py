"""目标任务 (admin): items and their annual targets, the split by township, and the pace thresholds."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data_layer import app_settings
from data_layer.domain import text
from data_layer.domain.errors import ValidationFailed
from data_layer.domain.roles import Actor
from data_layer.queries import levy_records, org, projects
from data_layer.services import levy as levy_service
from data_layer.services import projects as service
from pages.common.context import ViewContext, current
from pages.common.fmt import escape_markdown
from pages.common.forms import field_error, saved_toast, to_fen
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


def render_item_form(ctx: ViewContext, item: pd.Series, name: Actor) -> None:
    st.subheader("指标与年度目标")
    errors = st.session_state.get("tg_errors", {})
    with st.form(f"tg_item_{item['item_id']}"):
        item_name = st.text_input("名称", value=item["item"], max_chars=80)
        unit = st.text_input("计量单位", value=item["unit"], max_chars=10)
        # No min_value: Streamlit's out-of-range tooltip is English; the service refuses a negative in Chinese.
        target = st.number_input(
            f"年度目标（{escape_markdown(item['unit'])}）", step=1, value=int(item["annual_target"])
        )
        field_error(errors, "annual_target")
        budget = st.number_input("预算（元，可空）", value=fen_or_none(item["budget_fen"]), format="%.2f")
        low = st.number_input("合理单价下限（元，可空）", value=fen_or_none(item["cost_min_fen"]))
        high = st.number_input("合理单价上限（元，可空）", value=fen_or_none(item["cost_max_fen"]))
        field_error(errors, "unit_cost_max_fen", "name", "unit", "actor")
        first, last = plan_months(item)
        months = list(range(1, 13))
        plan_from, plan_to = st.columns(2)
        start = plan_from.selectbox("计划实施期：从", months, index=first - 1, format_func=lambda m: f"{m}月")
        end = plan_to.selectbox("到", months, index=last - 1, format_func=lambda m: f"{m}月")
        st.caption("序时进度按计划实施期计算：开始前为 0，结束后为 100%。1月到12月即全年均衡。")
        field_error(errors, "plan_start_month", "plan_end_month")
        if st.form_submit_button("保存", type="primary"):
            try:
                service.update_item(
                    db_url=ctx.url,
                    actor=name,
                    item_id=int(item["item_id"]),
                    name=item_name,
                    unit=unit,
                    annual_target=int(target),
                    budget_fen=to_fen(budget),
                    unit_cost_min_fen=to_fen(low),
                    unit_cost_max_fen=to_fen(high),
                    plan_start_month=None if (start, end) == (1, 12) else start,
                    plan_end_month=None if (start, end) == (1, 12) else end,
                )
            except ValidationFailed as exc:
                st.session_state.tg_errors = exc.errors
            else:
                st.session_state.tg_errors = {}
                st.session_state.tg_toast = f"已保存：{item_name}"
            st.rerun()


def plan_months(item: pd.Series) -> tuple[int, int]:
    """The item's planned months as the form shows them; no plan is January to December."""
    first, last = item["plan_start_month"], item["plan_end_month"]
    if first is None or last is None or first != first or last != last:
        return 1, 12
    return int(first), int(last)


def fen_or_none(value) -> float | None:
    return None if value is None or value != value else float(value) / 100


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
            "目标": [current_targets.get(t) for t in towns["township_id"]],
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
        column_config={"目标": st.column_config.NumberColumn(f"目标（{item['unit']}）", step=1)},
    )
    total = edited["目标"].fillna(0).sum()
    unit = item["unit"]
    split = f"分解合计 {text.count(total)} {unit}，全县年度目标 {text.count(item['annual_target'])} {unit}"
    st.caption(escape_markdown(split + ("" if total == item["annual_target"] else "（不一致）")))
    if st.button("保存乡镇目标", key="tg_save_towns", type="primary"):
        new = {int(r.township_id): int(r.目标) for r in edited.itertuples() if r.目标 == r.目标 and r.目标 is not None}
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
    with st.form("tg_thresholds"):
        cols = st.columns(2)
        behind = cols[0].number_input(
            "滞后：完成进度落后序时进度超过（百分点）",
            value=current_values.behind * 100,
            step=1.0,
        )
        far = cols[1].number_input(
            "严重滞后：落后超过（百分点）",
            value=current_values.far_behind * 100,
            step=1.0,
        )
        if st.form_submit_button("保存阈值"):
            try:
                app_settings.set_pace_thresholds(db_url=ctx.url, actor=name, behind=behind / 100, far_behind=far / 100)
            except ValidationFailed as exc:
                st.error(escape_markdown(exc))
                return
            st.session_state.tg_toast = "已保存预警阈值"
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
            task = st.number_input(
                "征收任务（元）", value=fen_or_none(now["task_fen"]) if now else None, format="%.2f", step=10_000.0
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
            try:
                levy_service.set_levy_year(
                    db_url=ctx.url,
                    actor=name,
                    county_id=county,
                    year=year,
                    task_fen=to_fen(task),
                    review_deadline=deadline,
                )
            except ValidationFailed as exc:
                st.session_state.tg_levy_errors = exc.errors
            else:
                st.session_state.tg_levy_errors = {}
                st.session_state.tg_toast = f"已保存 {year} 年残保金征收任务和年审截止日期"
            st.rerun()
