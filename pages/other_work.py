"""其他工作: the report's other work items (rehabilitation, certificates, petitions, 助残日, bases, culture),
each for the filtered period against the same period of last year; and, for those who enter them, a form."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data_layer.errors import ValidationFailed
from data_layer.queries import indicators, org
from data_layer.services.indicators import add_indicator_value
from pages.common.context import ViewContext, current
from pages.common.fmt import escape_markdown, num, pct
from pages.common.forms import field_error, other_errors, saved_toast
from pages.common.ui import GRID_ROW_PX, empty, grid_height

FORM_FIELDS = {"indicator_id", "township_id", "county_id", "period_start", "period_end", "value", "note"}


def render() -> None:
    ctx = current()
    saved_toast("ow_toast")
    rows = indicators.year_on_year(ctx.url, ctx.scope)
    if rows.empty:
        empty("还没有设置工作指标。")
    else:
        if int(rows["count"].sum()) == 0:
            empty("本期没有其他工作数据。下表列出各项指标，本期数值待录入。")
        render_tables(ctx, rows)
    actor = ctx.actor
    if actor is not None and actor.may_enter("other") and not rows.empty:
        render_entry(ctx)


def shown_value(value: int, count: int, at_least: bool) -> str:
    """The value as the report would say it: “200 以上” for its “200多”; “—” when nothing was entered."""
    if count == 0:
        return "—"
    return num(value) + (" 以上" if at_least else "")


def change(value: int, count: int, last_value: int, last_count: int) -> str:
    """同比 in words: 增长 / 下降 x%, 持平; “—” when either period has no value (or last year's was 0)."""
    if count == 0 or last_count == 0 or last_value == 0:
        return "—"
    rate = (value - last_value) / last_value
    if rate == 0:
        return "持平"
    return f"{'增长' if rate > 0 else '下降'} {pct(abs(rate))}"


def table(rows: pd.DataFrame, last_label: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "指标": rows["indicator"],
            "本期": [
                shown_value(v, c, a) for v, c, a in zip(rows["value"], rows["count"], rows["at_least"], strict=True)
            ],
            last_label: [shown_value(v, c, False) for v, c in zip(rows["last_value"], rows["last_count"], strict=True)],
            "同比": [
                change(v, c, lv, lc)
                for v, c, lv, lc in zip(
                    rows["value"], rows["count"], rows["last_value"], rows["last_count"], strict=True
                )
            ],
            "单位": rows["unit"],
        }
    )


def render_tables(ctx: ViewContext, rows: pd.DataFrame) -> None:
    last_label = f"{ctx.scope.year - 1}年同期"
    config = {
        "指标": st.column_config.TextColumn(width="large"),
        "本期": st.column_config.TextColumn(width="small"),
        last_label: st.column_config.TextColumn(width="small"),
        "同比": st.column_config.TextColumn(width="small"),
        "单位": st.column_config.TextColumn(width="small"),
    }
    for category, group in rows.groupby("category", sort=False):
        st.subheader(escape_markdown(category))
        st.dataframe(
            table(group, last_label),
            hide_index=True,
            width="stretch",
            height=grid_height(len(group)),  # every row in sight: no indicator hidden below a scroll
            row_height=GRID_ROW_PX,
            column_config=config,
            key=f"ow_table_{category}",
        )
    if rows["at_least"].any():
        st.caption("“以上”：上半年工作报告写作“多”（如“200多户”），这里按下限计。")
    st.caption("同比“—”：去年同期没有数据，无从比较。数值按期间的开始日期计入。")


def unit_options(ctx: ViewContext) -> list[tuple[int, int | None, str]]:
    """(county, township or None for 县本级, label) the account may enter for."""
    actor = ctx.actor
    towns = org.townships(ctx.url)
    towns = towns[towns["active"]]
    counties = org.counties(ctx.url)
    options: list[tuple[int, int | None, str]] = []
    for county_id, county in zip(counties["county_id"], counties["county"], strict=True):
        prefix = f"{county} · " if ctx.multi_county else ""
        if actor is not None and actor.township_allowed(None):
            options.append((int(county_id), None, prefix + "县本级"))
        mine = towns[towns["county_id"] == county_id]
        for township_id, township in zip(mine["township_id"], mine["township"], strict=True):
            if actor is not None and actor.township_allowed(int(township_id)):
                options.append((int(county_id), int(township_id), prefix + township))
    return options


def render_entry(ctx: ViewContext) -> None:
    st.subheader("录入工作数据")
    choices = indicators.choices(ctx.url)
    labels = zip(choices["indicator_id"], choices["indicator"], choices["unit"], strict=True)
    names = {int(i): f"{n}（{u}）" for i, n, u in labels}
    units = unit_options(ctx)
    errors = st.session_state.get("ow_errors", {})
    with st.form("ow_entry"):
        left, right = st.columns(2)
        with left:
            indicator_id = st.selectbox(
                "指标", list(names), index=None, format_func=names.get, placeholder="请选择", key="ow_indicator"
            )
            field_error(errors, "indicator_id")
            unit = st.selectbox(
                "乡镇（街道）", units, index=0 if units else None, format_func=lambda u: u[2], key="ow_unit"
            )
            field_error(errors, "township_id", "county_id")
            # No min_value: Streamlit's out-of-range tooltip is English; the service refuses a negative in Chinese.
            value = st.number_input("数值", value=None, step=1, key="ow_value")
            field_error(errors, "value")
        with right:
            start = st.date_input("期间开始", value=ctx.scope.start, format="YYYY-MM-DD", key="ow_start")
            field_error(errors, "period_start")
            end = st.date_input("期间结束", value=ctx.scope.end, format="YYYY-MM-DD", key="ow_end")
            field_error(errors, "period_end")
            note = st.text_input("备注（可空）", max_chars=200, key="ow_note")
            field_error(errors, "note")
        other_errors(errors, FORM_FIELDS)
        if st.form_submit_button("保存", type="primary"):
            save(ctx, indicator_id, unit, value, start, end, note, names)


def save(ctx: ViewContext, indicator_id, unit, value, start, end, note: str, names: dict) -> None:
    try:
        if unit is None:
            raise ValidationFailed({"township_id": "请选择乡镇（街道）"})
        add_indicator_value(
            db_url=ctx.url,
            actor=ctx.actor,
            indicator_id=indicator_id,
            county_id=unit[0],
            township_id=unit[1],
            period_start=start,
            period_end=end,
            value=int(value) if value is not None and float(value).is_integer() else value,
            note=note,
        )
    except ValidationFailed as exc:
        st.session_state.ow_errors = exc.errors
    else:
        st.session_state.ow_errors = {}
        st.session_state.ow_toast = f"已保存：{names[indicator_id]} {unit[2]} {num(value)}"
    st.rerun()
