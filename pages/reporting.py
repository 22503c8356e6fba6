"""填报情况: a township × month table per area of whether each township has entered its records, the
latest entry, and whom to chase; the closed months (结账), which an administrator closes and reopens here."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from data_layer.domain import text
from data_layer.domain.errors import ValidationFailed
from data_layer.period_locks import month_name
from data_layer.queries import reporting
from data_layer.services import locks
from pages.common.context import ViewContext, current
from pages.common.fmt import escape_markdown
from pages.common.forms import saved_toast
from pages.common.ui import GRID_ROW_PX, empty, grid_height, township_order

DONE, MISSING, NOT_YET = "✓ {n} 条", "✗ 未报", "—"


def render() -> None:
    ctx = current()
    saved_toast("rp_toast")
    towns = township_order(ctx)
    if not towns:
        empty("所选范围内没有乡镇")
        return
    entered = reporting.entered_by_month(ctx.url, ctx.scope)
    closed = reporting.closed_months(ctx.url)
    closed_here = {m.month for m in closed["month"] if m.year == ctx.spec.year}
    months = reporting.months_of(ctx.scope, ctx.today)
    area = st.segmented_control("领域", reporting.AREAS, default=reporting.AREAS[0], key="rp_area")
    area = area or reporting.AREAS[0]
    if not months:
        empty(f"{ctx.label()}还没有开始")
    else:
        render_matrix(ctx, entered[entered["area"] == area], towns, months, closed_here, area)
    if ctx.actor is not None and ctx.actor.kind.admin:
        st.divider()
        render_locks(ctx, closed)
    elif closed_here:
        st.caption("已结账：" + "、".join(f"{m}月" for m in sorted(closed_here)) + "（结账后的数据只有管理员可以更正）")


def matrix(entered: pd.DataFrame, towns: list[str], months: list[int], closed: set[int]) -> pd.DataFrame:
    """One row per township: a cell per month (✓ n 条 / ✗ 未报), the latest entry, and how many months are missing."""
    counts = {(r.township, r.month): r.entries for r in entered.itertuples()}
    latest = entered.groupby("township")["latest"].max().to_dict()
    table = pd.DataFrame({"乡镇": towns})
    for month in months:
        header = f"{month}月（已结账）" if month in closed else f"{month}月"
        table[header] = [DONE.format(n=counts[(t, month)]) if (t, month) in counts else MISSING for t in towns]
    table["最近录入"] = [text.iso_day(latest[t]) if t in latest else "无" for t in towns]
    table["未报月数"] = [sum((t, m) not in counts for m in months) for t in towns]
    return table


def render_matrix(ctx: ViewContext, entered, towns: list[str], months: list[int], closed: set[int], area: str):
    table = matrix(entered, towns, months, closed)
    last = months[-1]
    chase = reporting.not_reported(entered, towns, last)
    st.markdown(f"**{escape_markdown(ctx.label())} · {area}** · ✓ 已录入，✗ 未报")
    if chase:
        st.warning(
            escape_markdown(f"{last}月还没有录入{area}数据的乡镇（{len(chase)} 个）：" + "、".join(chase)),
            icon=":material/notifications:",
        )
    else:
        who = towns[0] if len(towns) == 1 else "各乡镇都"
        st.success(escape_markdown(f"{last}月{who}已录入{area}数据"), icon=":material/task_alt:")
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height=grid_height(len(table)),
        row_height=GRID_ROW_PX,
        column_config={"未报月数": st.column_config.NumberColumn(format="%d")},
    )


def render_locks(ctx: ViewContext, closed: pd.DataFrame) -> None:
    st.subheader("结账")
    st.caption(
        "已上报的月份结账后，其他人不能再录入、修改或删除这些月份的数据；管理员更正时须写明原因，并在数据质量和操作记录中标出。"
    )
    year = ctx.spec.year
    closed_months = set(closed["month"])
    open_months = [
        date(year, m, 1)
        for m in range(1, 13)
        if date(year, m, 1) not in closed_months and date(year, m, 1) <= ctx.today
    ]
    left, right = st.columns(2, gap="large")
    with left, st.form("rp_close"):
        chosen = st.multiselect(
            "要结账的月份", open_months, format_func=month_name, placeholder="选择月份", key="rp_months"
        )
        note = st.text_input("说明（可空）", placeholder="例如：上半年报表已上报县政府")
        if st.form_submit_button("结账", type="primary"):
            try:
                locks.close_months(db_url=ctx.url, actor=ctx.actor, months=chosen, note=note, today=ctx.today)
            except ValidationFailed as refused:
                st.error(escape_markdown(refused), icon=":material/error:")
            else:
                st.session_state.rp_toast = "已结账：" + "、".join(month_name(m) for m in sorted(chosen))
                st.rerun()
    with right:
        if closed.empty:
            st.info("还没有结账的月份", icon=":material/lock_open:")
            return
        shown = closed.assign(
            月份=[month_name(m) for m in closed["month"]],
            结账人=closed["locked_by"],
            结账时间=[text.short_time(t) for t in closed["locked_at"]],
            说明=closed["note"],
        )[["月份", "结账人", "结账时间", "说明"]]
        st.dataframe(shown, hide_index=True, width="stretch", height=grid_height(len(shown)), row_height=GRID_ROW_PX)
        with st.form("rp_reopen"):
            month = st.selectbox("取消结账的月份", list(closed["month"]), format_func=month_name)
            reason = st.text_input("原因（必填）", placeholder="例如：东里镇补报 5 月数据")
            if st.form_submit_button("取消结账"):
                try:
                    locks.reopen_month(db_url=ctx.url, actor=ctx.actor, month=month, reason=reason)
                except ValidationFailed as refused:
                    st.error(escape_markdown(refused), icon=":material/error:")
                else:
                    st.session_state.rp_toast = f"已取消结账：{month_name(month)}"
                    st.rerun()
