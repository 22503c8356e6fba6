"""补贴发放: money paid and recipients by subsidy type and township."""

from __future__ import annotations

import streamlit as st

from data_layer.queries import subsidies
from pages.common import charts
from pages.common.context import ViewContext, current
from pages.common.fmt import num, wan
from pages.common.frame import handover
from pages.common.ui import empty, township_names, township_order

UNIT_LABELS = {"household": "户", "person": "人"}
PAYMENT_LABELS = {"monthly": "按月", "yearly": "按年", "one_off": "一次性"}


def render() -> None:
    ctx = current()
    by_type = subsidies.totals_by_type(ctx.url, ctx.scope)
    cols = st.columns(3)
    cols[0].metric("发放金额", wan(int(by_type["amount_fen"].sum())))
    cols[1].metric("发放笔数", num(by_type["payments"].sum()))
    cols[2].metric("补贴类型", f"{int((by_type['amount_fen'] > 0).sum())} 类")
    if by_type["amount_fen"].sum() == 0:
        empty("本期没有补贴发放记录")
        return
    render_by_type(by_type)
    render_by_township(ctx, by_type)


def render_by_type(by_type) -> None:
    st.subheader("按补贴类型")
    table = by_type.assign(
        计发单位=by_type["unit"].map(UNIT_LABELS),
        发放方式=by_type["payment"].map(PAYMENT_LABELS),
        金额万元=by_type["amount_fen"] / 1e6,
    ).rename(columns={"type": "补贴类型", "recipients": "人（户）数", "payments": "笔数"})
    st.dataframe(
        table[["补贴类型", "计发单位", "发放方式", "人（户）数", "金额万元", "笔数"]],
        hide_index=True,
        width="stretch",
        column_config={
            "金额万元": st.column_config.NumberColumn("金额（万元）", format="%.2f"),
            "人（户）数": st.column_config.NumberColumn(format="localized"),
        },
    )


def render_by_township(ctx: ViewContext, by_type) -> None:
    st.subheader("分乡镇发放金额（万元）")
    rows = subsidies.totals_by_township(ctx.url, ctx.scope)
    names = township_names(ctx)
    rows = rows.assign(township=rows["township_id"].map(names))
    order = township_order(ctx) + (["县本级"] if (rows["township"] == "县本级").any() else [])
    type_names = dict(zip(by_type["type_code"], by_type["type"], strict=True))
    series = {}
    for code in by_type["type_code"]:
        part = rows[rows.type_code == code].set_index("township")["amount_fen"]
        if part.sum() > 0:
            series[type_names[code]] = [float(part.get(t, 0)) / 1e6 for t in order]
    charts.show(charts.stacked_bars(order, series, y_title="万元"), "subsidies_by_township")
    pivot = (
        rows.pivot_table(
            index="township", columns="type_code", values="amount_fen", aggfunc="sum", fill_value=0
        ).reindex(order, fill_value=0)
        / 1e6
    )
    pivot.columns = [type_names[c] for c in pivot.columns]
    pivot["合计"] = pivot.sum(axis=1)
    pivot.loc["合计"] = pivot.sum(axis=0)
    st.dataframe(
        pivot.rename_axis("乡镇（街道）"),
        width="stretch",
        column_config={c: st.column_config.NumberColumn(format="%.2f") for c in pivot.columns},
    )
    st.caption(
        f"单位：万元；人（户）数合计 {num(by_type['recipients'].sum())}（按月发放的补贴按各乡镇最大月发放户数计）"
    )


handover(__name__)
