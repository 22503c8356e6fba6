"""重点工程: progress of the three key projects' items against their annual targets."""

from __future__ import annotations

import streamlit as st

from data_layer.pacing import completion
from data_layer.queries import projects
from pages.common import charts
from pages.common.context import ViewContext, current
from pages.common.fmt import num, pct, wan
from pages.common.frame import handover
from pages.common.ui import empty, short_project_name, township_names, township_order


def render() -> None:
    ctx = current()
    items = projects.item_progress(ctx.url, ctx.scope)
    if items.empty:
        empty(f"{ctx.spec.year}年尚未设置重点工程")
        return
    summary = projects.project_summary(ctx.url, ctx.scope, ctx.today)
    cols = st.columns(len(summary))
    for col, row in zip(cols, summary.itertuples(), strict=True):
        col.metric(
            short_project_name(row.project),
            pct(row.completion),
            f"序时进度 {pct(row.elapsed)} · {row.status_label}",
            delta_color="off",
            delta_arrow="off",
        )
    for (_code, name), group in items.groupby(["project_code", "project"], sort=False):
        st.subheader(name)
        render_items(group)
    render_by_township(ctx, items)


def render_items(group) -> None:
    table = group.assign(
        完成进度=[completion(r.done_ytd, r.target) for r in group.itertuples()],
        金额=[wan(a) for a in group["amount_ytd_fen"]],
    ).rename(
        columns={
            "item": "指标",
            "unit": "单位",
            "target": "年度目标",
            "done_period": "本期完成",
            "done_ytd": "年初至期末累计",
        }
    )
    st.dataframe(
        table[["指标", "单位", "年度目标", "本期完成", "年初至期末累计", "完成进度", "金额"]],
        hide_index=True,
        width="stretch",
        column_config={
            "年度目标": st.column_config.NumberColumn(format="localized"),
            "本期完成": st.column_config.NumberColumn(format="localized"),
            "年初至期末累计": st.column_config.NumberColumn(format="localized"),
            "完成进度": st.column_config.ProgressColumn(format="percent", min_value=0, max_value=1),
        },
    )


def render_by_township(ctx: ViewContext, items) -> None:
    st.subheader("分乡镇完成情况")
    labels = {
        (r.project_code, r.item_code): f"{short_project_name(r.project)} · {r.item}（{r.unit}）"
        for r in items.itertuples()
    }
    chosen = st.selectbox("指标", list(labels), format_func=labels.__getitem__, key="projects_item")
    rows = projects.township_progress(ctx.url, ctx.scope)
    rows = rows[(rows.project_code == chosen[0]) & (rows.item_code == chosen[1])]
    names = township_names(ctx)
    done = {names[t]: v for t, v in zip(rows["township_id"], rows["done_ytd"], strict=True)}
    order = township_order(ctx) + (["县本级"] if "县本级" in done else [])
    values = sorted(((t, done.get(t, 0)) for t in order), key=lambda tv: tv[1], reverse=True)
    if not values:
        empty("没有乡镇")
        return
    fig = charts.hbar(
        [t for t, _ in values],
        [v for _, v in values],
        text=[num(v) for _, v in values],
        x_max=max(max(v for _, v in values), 1) * 1.25,
        height=60 + 34 * len(values),
    )
    charts.show(fig, "projects_by_township")


handover(__name__)
