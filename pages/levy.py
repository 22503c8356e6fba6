"""残保金征收: the year's review, inspections and collection as of the period's end — four ratios that mean
what a leader means, the funnel, townships and sizes, the campaign by day, and today's worklist."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from data_layer.domain import text
from data_layer.export import Sheet
from data_layer.queries import levy
from pages.common import charts, ui
from pages.common.context import ViewContext, current
from pages.common.downloads import download_buttons
from pages.common.fmt import escape_markdown
from pages.common.ui import GRID_ROW_PX, big_number, county_names, empty, grid_height, township_names, township_order

SPLIT_COLOUR = "#60a5fa"  # the three parts of 审核通过, lighter than the steps of the funnel


def render() -> None:
    ctx = current()
    total = levy.summary(ctx.url, ctx.scope).iloc[0]
    render_headline(ctx)
    if int(total["registered"]) == 0:
        empty("没有登记的用人单位。用人单位在“数据录入 → 用人单位名录”中登记或导入。")
        return
    render_funnel(ctx, total)
    render_by_township(ctx, total)
    render_by_size(ctx)
    download_buttons(ctx, "残保金征收", lambda: sheets(ctx), key="levy")
    render_campaigns(ctx)
    render_worklist(ctx)


def ratio_parts(r: levy.Ratio) -> str:
    """The line under a ratio: what it was computed from, or why it cannot be."""
    if r.unit == "分":
        collected = f"已征收 {text.wan(r.numerator)}"
        return f"{collected} ÷ 任务 {text.wan(r.denominator)}" if r.value is not None else f"{collected}；{r.why_none}"
    if r.value is None:
        return r.why_none
    return f"{text.count(r.numerator)} ÷ {text.count(r.denominator)} 家"


def render_headline(ctx: ViewContext) -> None:
    st.caption(f"{ctx.scope.end.year}年度，截至{text.day(ctx.scope.end)}（所选期间的最后一天）")
    ratios = levy.headline(ctx.url, ctx.scope)
    for col, r in zip(st.columns(len(ratios)), ratios, strict=True):
        with col:
            big_number(r.label, text.pct(r.value), "", ratio_parts(r))
            st.caption(escape_markdown(r.definition))


def render_funnel(ctx: ViewContext, t: pd.Series) -> None:
    st.subheader(f"{ctx.scope.end.year}年度年审与征收进度")
    steps = [
        ("登记", t["registered"], ""),
        ("已通知", t["notified"], ""),
        ("已申报", t["declared"], ""),
        ("审核通过", t["approved"], ""),
        ("其中：达标", t["meets"], ""),
        ("其中：应缴纳", t["owes"], ""),
        ("其中：免征", t["approved_exempt"], ""),
        ("已核定", t["assessed"], f" · {text.wan(t['assessed_fen'])}"),
        ("已缴清", t["paid_up"], f" · 已缴入 {text.wan(t['collected_fen'])}"),
    ]
    values = [int(v) for _, v, _ in steps]
    fig = charts.hbar(
        [label for label, _, _ in steps],
        values,
        text=[f"{text.count(v)} 家{extra}" for (_, _, extra), v in zip(steps, values, strict=True)],
        colours=[SPLIT_COLOUR if label.startswith("其中") else charts.PRIMARY for label, _, _ in steps],
        x_max=max(values) * 1.75,
        height=40 + 40 * len(steps),
    )
    charts.show(fig, "levy_funnel")
    st.caption(
        f"审核通过的单位分为达标、应缴纳和免征三类；另有退回待重新申报 {text.count(t['returned'])} 家。"
        "已缴清：核定金额截至期末已全部缴入。"
    )


MEASURES = {  # what the township chart can show: column, label, and how a value reads
    "review_rate": ("年审完成率", text.pct),
    "inspection_rate": ("检查覆盖率", text.pct),
    "quota_rate": ("达标率", text.pct),
    "collected_fen": ("已征收", text.wan),
}


TABLE_NOTE = (
    "应年审：期末已登记、不属于免征的单位；已通过：其中年审审核通过的；已检查：本期接受过执法检查的；"
    "核定金额、已征收：本年度，截至期末。"
)


# Counts with thousands separators (the browser's zh-CN locale writes 1,536).
COUNTS = {c: st.column_config.NumberColumn(format="localized") for c in ("登记单位", "应年审", "已通过", "已检查")}


def table(rows: pd.DataFrame, first: str, names: pd.Series) -> pd.DataFrame:
    """The measures of each row as a leader reads them (rates as %, “—” where there is nothing to divide)."""
    return pd.DataFrame(
        {
            first: list(names),
            "登记单位": rows["registered"].astype(int),
            "应年审": rows["liable"].astype(int),
            "已通过": rows["approved_liable"].astype(int),
            "年审完成率": rows["review_rate"].map(text.pct),
            "已检查": rows["inspected"].astype(int),
            "检查覆盖率": rows["inspection_rate"].map(text.pct),
            "达标率": rows["quota_rate"].map(text.pct),
            "核定金额": rows["assessed_fen"].map(text.yuan),
            "已征收": rows["collected_fen"].map(text.yuan),
        }
    )


def in_township_order(ctx: ViewContext, rows: pd.DataFrame) -> pd.DataFrame:
    """The township rows named, in the admin's order, 县本级 last."""
    rows = rows.assign(township=rows["township_id"].map(township_names(ctx)))
    present = set(rows["township"])  # once: a province has 1,800 townships
    order = [t for t in township_order(ctx) + ["县本级"] if t in present]
    return rows.set_index("township").reindex(order).reset_index()


def render_by_township(ctx: ViewContext, total: pd.Series) -> None:
    st.subheader("分乡镇")
    rows = levy.by_township(ctx.url, ctx.scope)
    if not ui.townships_fit(len(rows)):
        return
    rows = in_township_order(ctx, rows)
    pick = st.segmented_control(
        "图中显示", list(MEASURES), default="review_rate", format_func=lambda m: MEASURES[m][0], key="levy_measure"
    )
    column = pick or "review_rate"
    label, shown = MEASURES[column]
    ranked = rows.sort_values(column, na_position="last", kind="stable")
    values = ranked[column].fillna(0)
    rates = column.endswith("_rate")
    scale = 100 if rates else 1 / 1e6  # rates in %, money in 万元
    top = 100.0 if rates else max(float(values.max() * scale), 1.0)  # a rate's bar is measured against 100 %
    fig = charts.hbar(
        list(ranked["township"]),
        list(values * scale),
        text=[shown(v) for v in ranked[column]],
        x_max=top * 1.3,
        height=60 + 34 * len(ranked),
    )
    charts.show(fig, "levy_by_township")
    st.caption(f"{label}，由低到高；“—”表示没有可计算的单位。")
    with_total = pd.concat([rows, pd.DataFrame([total]).assign(township="合计")], ignore_index=True)
    st.dataframe(
        table(with_total, "乡镇（街道）", with_total["township"]),
        hide_index=True,
        width="stretch",
        height=grid_height(len(with_total)),  # the 合计 row must never hide below a scroll
        row_height=GRID_ROW_PX,
        column_config=COUNTS,
    )
    st.caption(TABLE_NOTE)


def render_by_size(ctx: ViewContext) -> None:
    st.subheader("分企业规模")
    rows = levy.by_size(ctx.url, ctx.scope)
    shown = table(rows, "企业规模", rows["size"])
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        height=grid_height(len(rows)),
        row_height=GRID_ROW_PX,
        column_config=COUNTS,
    )


CAMPAIGNS_DRAWN = 3  # more campaigns than this (a province's 140 drew 140 charts: 13 s) become one table


def render_campaigns(ctx: ViewContext) -> None:
    rows = levy.campaigns(ctx.url, ctx.scope)
    days = levy.campaign_by_day(ctx.url, ctx.scope)
    if rows.empty and days.empty:
        return
    st.subheader("专项执法检查")
    if len(rows) > CAMPAIGNS_DRAWN:  # a city's or a province's: one line each, the daily charts per county
        spans = zip(rows["start_date"], rows["end_date"], strict=True)
        table = pd.DataFrame(
            {
                "县（区）": rows["county"],
                "检查活动": rows["campaign"],
                "文号": rows["document"],
                "起止日期": [f"{text.day(a)}至{text.day(b)}" for a, b in spans],
                "检查单位（家）": rows["inspected"],
                "其中现场检查（家）": rows["onsite"],
            }
        )
        counted = {
            c: st.column_config.NumberColumn(format="localized") for c in ("检查单位（家）", "其中现场检查（家）")
        }
        height = grid_height(min(len(table), 12))
        st.dataframe(table, hide_index=True, width="stretch", height=height, column_config=counted)
        st.caption(f"共 {len(rows)} 次专项检查；逐日检查进度图请先在筛选中选择一个县（区）。")
        return
    for r in rows.itertuples():
        st.markdown(
            f"**{escape_markdown(r.campaign)}**（{escape_markdown(r.document)}），"
            f"{text.day(r.start_date)}至{text.day(r.end_date)}："
            f"检查用人单位 **{text.count(r.inspected)}** 家，其中现场检查 **{text.count(r.onsite)}** 家。"
        )
    for campaign_id, one in days.groupby("campaign_id", sort=False):
        charts.show(campaign_chart(one), f"levy_campaign_{campaign_id}")
    st.caption("累计现场检查次数，按检查日期逐日累加。")


def campaign_chart(days: pd.DataFrame) -> go.Figure:
    last = days.iloc[-1]
    fig = go.Figure(
        go.Scatter(
            x=list(days["day"]),
            y=list(days["cumulative"]),
            mode="lines",
            line=dict(shape="hv", color=charts.PRIMARY, width=4),
            hoverinfo="skip",
        )
    )
    fig.add_annotation(
        x=last["day"],
        y=last["cumulative"],
        text=f"{text.day(last['day'])}：累计 {text.count(last['cumulative'])} 次",
        showarrow=True,
        arrowhead=0,
        ax=-60,
        ay=-30,
        xanchor="right",
        font=dict(size=18),
        bgcolor="white",
    )
    fig.update_layout(
        height=320, font=charts.FONT, margin=dict(l=10, r=30, t=40, b=10), showlegend=False, plot_bgcolor="white"
    )
    fig.update_xaxes(tickformat="%-m月%-d日", tickfont=dict(size=16), gridcolor="#e5e7eb", automargin=True)
    fig.update_yaxes(title_text="次", rangemode="tozero", gridcolor="#e5e7eb", tickformat=",.0f", automargin=True)
    return fig


# --- the download ------------------------------------------------------------------------------------

RATES = ("年审完成率", "检查覆盖率", "达标率")
COUNTED = ("登记单位（家）", "应年审（家）", "已通过（家）", "已检查（家）")
MONEY = ("核定金额（元）", "已征收（元）")


def numbers(rows: pd.DataFrame, first: str, names: pd.Series) -> pd.DataFrame:
    """The table of ``table`` as numbers for Excel: counts, rates as shares (shown as %), money in 元."""
    return pd.DataFrame(
        {
            first: list(names),
            COUNTED[0]: rows["registered"].astype(int).to_numpy(),
            COUNTED[1]: rows["liable"].astype(int).to_numpy(),
            COUNTED[2]: rows["approved_liable"].astype(int).to_numpy(),
            RATES[0]: rows["review_rate"].astype(float).to_numpy(),
            COUNTED[3]: rows["inspected"].astype(int).to_numpy(),
            RATES[1]: rows["inspection_rate"].astype(float).to_numpy(),
            RATES[2]: rows["quota_rate"].astype(float).to_numpy(),
            MONEY[0]: (rows["assessed_fen"].astype(float) / 100).to_numpy(),
            MONEY[1]: (rows["collected_fen"].astype(float) / 100).to_numpy(),
        }
    )


def ratio_table(ratios: list[levy.Ratio]) -> pd.DataFrame:
    """The four ratios with what they are computed from (money in 万元) or why they cannot be."""

    def part(value: float, unit: str) -> float:
        return round(value / 1e6, 2) if unit == "分" else int(value)

    return pd.DataFrame(
        {
            "指标": [r.label for r in ratios],
            "比率": [r.value for r in ratios],
            "分子": [part(r.numerator, r.unit) for r in ratios],
            "分母": [part(r.denominator, r.unit) for r in ratios],
            "单位": ["万元" if r.unit == "分" else r.unit for r in ratios],
            "说明": [r.definition if r.value is not None else r.why_none for r in ratios],
        }
    )


def sheets(ctx: ViewContext) -> list[Sheet]:
    """The download: the four ratios, the townships with the county's 合计 row (its rates computed, not summed),
    the sizes, and every overdue item of the 待办 (the screen lists the first few hundred of each kind)."""
    total = levy.summary(ctx.url, ctx.scope)
    rows = levy.by_township(ctx.url, ctx.scope)
    rows = in_township_order(ctx, rows)
    with_total = pd.concat([rows, total.assign(township="合计")], ignore_index=True)
    sizes = levy.by_size(ctx.url, ctx.scope)
    rate_formats = {r: "pct" for r in RATES}
    year = f"{ctx.scope.end.year}年度，截至{text.day(ctx.scope.end)}"
    return [
        Sheet(
            ratio_table(levy.headline(ctx.url, ctx.scope)),
            f"残保金征收四项比率（{year}）",
            name="四项比率",
            formats={"比率": "pct", "分子": "general", "分母": "general"},
        ),
        Sheet(
            numbers(with_total, "乡镇（街道）", with_total["township"]),
            f"分乡镇（{year}）",
            name="分乡镇",
            formats=rate_formats,
        ),
        Sheet(
            numbers(sizes, "企业规模", sizes["size"]),
            f"分企业规模（{year}）",
            name="分企业规模",
            totals=COUNTED + MONEY,
            formats=rate_formats,
        ),
        *worklist_sheets(ctx),
    ]


# --- 待办 -------------------------------------------------------------------------------------------

# the link that opens the record; counts with thousands separators (a province's employers run to thousands)
WORKLIST_GRID = {
    "打开": st.column_config.LinkColumn(display_text="打开"),
    **{c: st.column_config.NumberColumn(format="localized") for c in ("职工人数", "逾期天数", "已等待天数")},
}


def worklist_table(kind: str, rows: pd.DataFrame, names: dict, counties: dict | None = None) -> pd.DataFrame:
    """The columns that matter for one kind of overdue item, in words; with ``counties`` (county_id → name, in
    a store of several counties, where township names repeat) the county too."""
    out = {"单位": list(rows["employer"])}
    if counties is not None:
        out["县（区）"] = list(rows["county_id"].map(counties))
    out["乡镇（街道）"] = list(rows["township_id"].map(names))
    dates, days = list(rows["since"].map(text.day)), list(rows["days"])
    if kind == "unpaid":
        out |= {"尚欠金额": list(rows["owed_fen"].map(text.yuan)), "缴纳期限": dates, "逾期天数": days}
    else:
        out["职工人数"] = list(rows["staff"].astype(int))
    if kind == "not_declared":
        out |= {"申报截止": dates, "逾期天数": days}
    elif kind == "returned":
        out |= {"退回日期": dates, "退回原因": list(rows["note"])}
    elif kind == "awaiting":
        out |= {"申报日期": dates, "已等待天数": days}
    elif kind == "open_finding":
        out |= {"整改期限": dates, "逾期天数": days, "检查发现": list(rows["note"])}
    elif kind == "never_inspected":
        out["登记日期"] = dates
    out["打开"] = list(rows["link"])
    return pd.DataFrame(out)


def worklist_sheets(ctx: ViewContext) -> list[Sheet]:
    """One sheet per kind of overdue item that has any, with the screen's columns (the amount owed in 元 as a
    number, without the link that opens the record in the app)."""
    rows = levy.worklist(ctx.url, ctx.scope, ctx.today)
    names, counties = township_names(ctx), county_names(ctx)
    out = []
    for kind, label in levy.WORKLIST_KINDS.items():
        mine = rows[rows["kind"] == kind]
        if mine.empty:
            continue
        table = worklist_table(kind, mine, names, counties).drop(columns="打开")
        if kind == "unpaid":
            table = table.rename(columns={"尚欠金额": "尚欠金额（元）"}).assign(
                **{"尚欠金额（元）": mine["owed_fen"].to_numpy() / 100}
            )
        days = {c: "int" for c in ("逾期天数", "已等待天数", "职工人数") if c in table}
        out.append(
            Sheet(
                table,
                f"待办：{label}（截至{text.day(ctx.today)}）",
                name=f"待办-{label}",
                totals=("尚欠金额（元）",) if kind == "unpaid" else (),
                formats=days,
            )
        )
    return out


def render_worklist(ctx: ViewContext) -> None:
    st.subheader(f"待办（截至今天，{text.day(ctx.today)}）")
    st.caption(
        f"年审和缴纳为{ctx.scope.end.year}年度；检查整改和从未检查的单位不分年度。单位按规模（欠缴按金额）由大到小排列。"
    )
    # a province's lists run to tens of thousands: the first of each kind, largest first; all in Excel
    rows = levy.worklist(ctx.url, ctx.scope, ctx.today, limit=ui.ROWS_ON_SCREEN)
    if rows.empty:
        empty("没有逾期待办事项")
        return
    counts = rows.groupby("kind")["of_kind"].first()
    kinds = sorted(levy.WORKLIST_KINDS, key=lambda k: -counts.get(k, 0))  # the most first
    for i, col in enumerate(st.columns(3) * 2):
        with col:
            big_number(levy.WORKLIST_KINDS[kinds[i]], text.count(int(counts.get(kinds[i], 0))), "项")
    names, counties = township_names(ctx), county_names(ctx)
    for kind in kinds:
        n = int(counts.get(kind, 0))
        with st.expander(f"{levy.WORKLIST_KINDS[kind]}：{text.count(n)} 项", expanded=False):
            if n == 0:
                st.markdown("没有。")
                continue
            shown = worklist_table(kind, ui.first_rows(rows[rows["kind"] == kind], "项", n), names, counties)
            st.dataframe(
                shown,
                hide_index=True,
                width="stretch",
                height=grid_height(min(n, 12)),
                row_height=GRID_ROW_PX,
                column_config=WORKLIST_GRID,
            )
