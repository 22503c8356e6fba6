"""补贴发放: money paid and recipients by township and subsidy type, by month, and the records behind them."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from data_layer.domain import text
from data_layer.export import Sheet
from data_layer.queries import subsidies
from pages.common import charts, ui
from pages.common.context import ViewContext, current
from pages.common.downloads import download_buttons
from pages.common.entry_fields import edit_link
from pages.common.ui import GRID_ROW_PX, big_number, empty, grid_height, township_names, township_order

UNIT_LABELS = {"household": "户", "person": "人"}


def render() -> None:
    ctx = current()
    by_type = subsidies.totals_by_type(ctx.url, ctx.scope)
    paid = by_type[by_type["amount_fen"] > 0]
    people = int(paid.loc[paid["unit"] == "person", "recipients"].sum())
    households = int(paid.loc[paid["unit"] == "household", "recipients"].sum())
    cols = st.columns(3)
    with cols[0]:
        big_number("发放金额", f"{int(by_type['amount_fen'].sum()) / 1e6:,.2f}", "万元")
    with cols[1]:
        big_number("惠及", f"{text.count(people)} 人 · {text.count(households)} 户")
    with cols[2]:
        big_number("发放笔数", text.count(by_type["payments"].sum()), "笔")
    if paid.empty:
        empty("本期没有补贴发放记录。发放记录在“数据录入 → 补贴发放录入”中登记。")
        return
    render_by_township(ctx, by_type)
    render_by_month(ctx)
    render_records(ctx)


def township_table(ctx: ViewContext, by_type: pd.DataFrame, value: str) -> pd.DataFrame:
    """Townships × types of ``value`` (amount in 万元, or recipients), with row and column totals."""
    rows = subsidies.totals_by_township(ctx.url, ctx.scope)
    names = township_names(ctx)
    rows = rows.assign(township=rows["township_id"].map(names))
    order = township_order(ctx) + (["县本级"] if (rows["township"] == "县本级").any() else [])
    type_names = dict(zip(by_type["type_code"], by_type["type"], strict=True))
    pivot = rows.pivot_table(index="township", columns="type_code", values=value, aggfunc="sum", fill_value=0)
    pivot = pivot.reindex(index=order, columns=[c for c in by_type["type_code"] if c in pivot.columns], fill_value=0)
    if value == "amount_fen":
        pivot = pivot / 1e6
    pivot.columns = [type_names[c] for c in pivot.columns]
    pivot["合计"] = pivot.sum(axis=1)
    pivot.index.name = "乡镇（街道）"
    return pivot


def render_by_township(ctx: ViewContext, by_type: pd.DataFrame) -> None:
    st.subheader("分乡镇、分类型发放金额（万元）")
    amounts = township_table(ctx, by_type, "amount_fen")
    if not ui.townships_fit(len(amounts) - 1):  # less the 合计 row
        return
    series = {name: list(amounts[name]) for name in amounts.columns if name != "合计"}
    colour_of = type_colours(by_type)
    fig = charts.stacked_hbars(
        list(amounts.index),
        series,
        colours=[colour_of[name] for name in series],
        totals_text=[f"{v:,.2f}" for v in amounts["合计"]],
    )
    charts.show(fig, "subsidies_by_township")
    with_total = pd.concat([amounts, amounts.sum().to_frame("合计").T])
    st.caption("点选一行，只看该乡镇。")
    st.dataframe(
        with_total.reset_index(names="乡镇（街道）"),  # a column, sized to the longest name (an index is cut)
        hide_index=True,
        width="stretch",
        on_select=narrow_to_township,
        selection_mode="single-row",
        key="subsidies_towns",
        height=grid_height(len(with_total)),  # the 合计 row in sight, never below a scroll
        row_height=GRID_ROW_PX,
        column_config={c: st.column_config.NumberColumn(format="%,.2f") for c in with_total.columns},
    )
    people = people_table(ctx, by_type)
    with st.expander("分乡镇惠及人（户）数"):
        with_total = pd.concat([people, people.sum().to_frame("合计").T])
        st.dataframe(
            with_total.reset_index(names="乡镇（街道）"),
            hide_index=True,
            width="stretch",
            height=grid_height(len(with_total)),
            row_height=GRID_ROW_PX,
        )
    download_buttons(ctx, "补贴发放", lambda: sheets(ctx), key="subsidies", csv=True)


def type_colours(by_type: pd.DataFrame) -> dict[str, str]:
    """Type name → its colour (the admin's order of all types, paid or not, so a colour never moves)."""
    colours = charts.subsidy_colours(list(by_type["type_code"]))
    return {name: colours[code] for code, name in zip(by_type["type_code"], by_type["type"], strict=True)}


def narrow_to_township() -> None:
    rows = st.session_state.subsidies_towns.selection.rows
    order = township_order(current())
    if rows and rows[0] < len(order):
        st.session_state.f_townships = [order[rows[0]]]


def people_table(ctx: ViewContext, by_type: pd.DataFrame) -> pd.DataFrame:
    """Townships × types of recipients, each type's header with its unit (人 or 户)."""
    people = township_table(ctx, by_type, "recipients")
    units = dict(zip(by_type["type"], by_type["unit"].map(UNIT_LABELS), strict=True))
    people.columns = [f"{c}（{units[c]}）" if c in units else "合计（人+户）" for c in people.columns]
    return people


def month_table(months: pd.DataFrame) -> pd.DataFrame:
    """Each month and type: recipients, amount and what one recipient got against the standard."""
    return pd.DataFrame(
        {
            "月份": months["month"],
            "补贴类型": months["type"],
            "人（户）数": months["recipients"].astype(int),
            "金额（万元）": months["amount_fen"] / 1e6,
            "人均实发（元）": months["per_recipient_fen"] / 100,
            "人均应发（按标准，元）": months["standard_per_recipient_fen"] / 100,
        }
    )


def sheets(ctx: ViewContext) -> list[Sheet]:
    """What the page shows, as the download's tables: the township table (also the CSV), recipients, months, and
    every record (the screen lists the latest few hundred)."""
    by_type = subsidies.totals_by_type(ctx.url, ctx.scope)
    amounts = township_table(ctx, by_type, "amount_fen")
    amounts.columns = [f"{c}（万元）" for c in amounts.columns]
    people = people_table(ctx, by_type)
    months = month_table(subsidies.by_month(ctx.url, ctx.scope))
    records = records_table(ctx, subsidies.disbursements(ctx.url, ctx.scope))
    return [
        Sheet(
            amounts.reset_index(),
            "社会保障补贴分乡镇、分类型发放金额（万元）",
            name="分乡镇发放金额",
            totals=tuple(amounts.columns),
        ),
        Sheet(people.reset_index(), "分乡镇惠及人（户）数", name="分乡镇惠及人（户）数", totals=tuple(people.columns)),
        Sheet(
            months,
            "逐月发放",
            name="逐月发放",
            totals=("人（户）数", "金额（万元）"),  # an average per recipient is never summed
        ),
        Sheet(
            records.rename(columns={"标准": "标准（元）", "金额": "金额（元）"}),
            "发放记录",
            name="发放记录",
            totals=("人（户）数", "金额（元）"),
            formats={"编号": "general"},
        ),
    ]


def render_by_month(ctx: ViewContext) -> None:
    st.subheader("逐月发放")
    months = subsidies.by_month(ctx.url, ctx.scope)
    totals = months.groupby("month", sort=True).agg(amount_fen=("amount_fen", "sum"), recipients=("recipients", "sum"))
    labels = [f"{int(m[5:])}月" for m in totals.index]
    fig = go.Figure(
        [
            go.Bar(
                x=labels,
                y=totals["amount_fen"] / 1e6,
                name="发放金额（万元）",
                marker_color=charts.PRIMARY,
                text=[f"{v / 1e6:,.2f}" for v in totals["amount_fen"]],
                textposition="outside",
            ),
            go.Scatter(
                x=labels,
                y=totals["recipients"],
                name="人（户）数",
                yaxis="y2",
                mode="lines+markers",
                line=dict(color="#d97706", width=3),
            ),
        ]
    )
    fig.update_layout(
        # units in the legend: plotly would turn a vertical axis title's Chinese characters on their side
        yaxis=dict(tickformat=",.0f", rangemode="tozero"),
        yaxis2=dict(
            overlaying="y", side="right", tickformat=",.0f", rangemode="tozero", tickmode="auto", showgrid=False
        ),
    )
    charts.show(charts.with_legend(fig, 360), "subsidies_by_month")
    table = month_table(months)
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "人（户）数": st.column_config.NumberColumn(format="localized"),
            **{c: st.column_config.NumberColumn(format="%,.2f") for c in table.columns[3:]},
        },
    )


RECORD_COLUMNS = [
    "编号",
    "发放日期",
    "补贴类型",
    "乡镇",
    "所属月份",
    "人（户）数",
    "标准",
    "金额",
    "备注",
    "说明",
    "录入人",
    "录入时间",
]


def records_table(ctx: ViewContext, rows: pd.DataFrame) -> pd.DataFrame:
    """Disbursement records (subsidies.disbursements: the latest paid first) as the grid and the download show
    them; with the county where the store holds several (township names repeat across counties)."""
    columns = RECORD_COLUMNS[:3] + ["县（区）"] + RECORD_COLUMNS[3:] if ctx.multi_county else RECORD_COLUMNS
    return rows.assign(
        所属月份=[text.month_span(a, b) for a, b in zip(rows["month_from"], rows["month_to"], strict=True)],
        标准=rows["standard_fen"] / 100,
        金额=rows["amount_fen"] / 100,
        录入时间=rows["created_at"].map(lambda t: t.tz_convert("Asia/Shanghai").strftime("%Y-%m-%d %H:%M")),
    ).rename(
        columns={
            "id": "编号",
            "paid_date": "发放日期",
            "type": "补贴类型",
            "township": "乡镇",
            "recipients": "人（户）数",
            "note": "备注",
            "warning_note": "说明",
            "created_by": "录入人",
            "county": "县（区）",
        }
    )[columns]


def render_records(ctx: ViewContext) -> None:
    total = subsidies.disbursement_count(ctx.url, ctx.scope)
    st.subheader(f"发放记录：{text.count(total)} 条")
    # a province's period holds tens of thousands: the latest paid first, read only as far as shown
    latest = subsidies.disbursements(ctx.url, ctx.scope, limit=ui.ROWS_ON_SCREEN)
    shown = records_table(ctx, ui.first_rows(latest, "条", total))
    st.dataframe(
        shown.assign(修改=[edit_link(ctx, "entry_subsidies", i) for i in shown["编号"]]),
        hide_index=True,
        width="stretch",
        height=420,
        column_config={
            "修改": st.column_config.LinkColumn(display_text="修改"),
            "人（户）数": st.column_config.NumberColumn(format="localized"),
            "标准": st.column_config.NumberColumn("标准（元）", format="%,.2f"),
            "金额": st.column_config.NumberColumn("金额（元）", format="%,.2f"),
        },
    )
