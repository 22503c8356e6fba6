"""填报情况: a township × month table per area of whether each township has entered its records, the
latest entry, and whom to chase; the closed months (结账), which an administrator closes and reopens here."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from data_layer.domain import text
from data_layer.period_locks import month_name
from data_layer.queries import reporting
from data_layer.services import locks
from pages.common.action import Action
from pages.common.context import ViewContext, current
from pages.common.fmt import escape_markdown
from pages.common.forms import field_error, other_errors
from pages.common.ui import GRID_ROW_PX, empty, grid_height, township_order

DONE, MISSING, NOT_YET = "✓ {n} 条", "✗ 未报", "—"
CLOSE, REOPEN = Action("rp_close", "rp_toast"), Action("rp_reopen", "rp_toast")


def render() -> None:
    ctx = current()
    CLOSE.show_toast()
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
    with left:  # months are picked one by one (a typed “3月” once matched all twelve and Enter closed them)
        chosen = st.pills(
            "要结账的月份",
            open_months,
            selection_mode="multi",
            format_func=short_month,
            key=f"rp_months_{CLOSE.generation}",
        )
        field_error(CLOSE.errors(), "months")
        other_errors(CLOSE.errors(), {"months"})
        if st.button("结账", type="primary", key="rp_close_go", disabled=not open_months):
            names = "、".join(month_name(m) for m in sorted(chosen or []))
            CLOSE.run(
                lambda confirm, note: locks.close_months(
                    db_url=ctx.url,
                    actor=ctx.actor,
                    months=list(chosen or []),
                    note=note,
                    today=ctx.today,
                    confirm=confirm,
                ),
                f"已结账：{names}",
            )
            st.rerun()
        CLOSE.confirm()
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
        render_reopen(ctx, list(closed["month"]))


def render_reopen(ctx: ViewContext, closed: list[date]) -> None:
    """Several months at once, for one reason."""
    gen, errors = REOPEN.generation, REOPEN.errors()
    back = st.pills("取消结账的月份", closed, selection_mode="multi", format_func=month_name, key=f"rp_back_{gen}")
    field_error(errors, "months")
    reason = st.text_input("原因（必填）", placeholder="例如：东里镇补报 5 月数据", key=f"rp_reason_{gen}")
    field_error(errors, "reason")
    other_errors(errors, {"months", "reason"})
    if st.button("取消结账", key="rp_reopen_go"):
        names = "、".join(month_name(m) for m in sorted(back or []))
        REOPEN.run(
            lambda *_: locks.reopen_months(db_url=ctx.url, actor=ctx.actor, months=list(back or []), reason=reason),
            f"已取消结账：{names}",
        )
        st.rerun()


def short_month(month: date) -> str:
    return f"{month.month}月"
