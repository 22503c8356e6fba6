"""媒体与宣传目标 (admin): the outlets articles are placed in (name, level, medium, first use), the county's
targets per level for a year, and the townships' quotas of articles (乡镇信息报送任务)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data_layer.domain import text
from data_layer.domain.errors import ValidationFailed
from data_layer.domain.inputs import parse_count, read_fields
from data_layer.models import AREA_LEVELS
from data_layer.queries import org, publicity
from data_layer.queries.publicity import LEVEL_LABELS
from data_layer.services import publicity as service
from pages.common.context import ViewContext, current
from pages.common.fmt import escape_markdown
from pages.common.forms import field_error, other_errors, saved_toast
from pages.common.ui import GRID_ROW_PX, empty, grid_height

NEW = -1  # the outlet choice “新增媒体”


def render() -> None:
    ctx = current()
    saved_toast("ps_toast")
    counties = org.counties(ctx.url)
    if counties.empty:
        empty("尚未设置县区")
        return
    year = ctx.spec.year  # the filter's year (its row is above): a year's settings beside that year's boards
    county = int(counties["county_id"].iloc[0])
    if ctx.multi_county:
        names = dict(zip(counties["county_id"], counties["county"], strict=True))
        county = st.selectbox("县区", list(names), format_func=names.__getitem__, key="ps_county")
    left, right = st.columns(2, gap="large")
    with left:
        render_level_targets(ctx, county, year)
    with right:
        render_quotas(ctx, county, year)
    st.divider()
    render_outlets(ctx)


def render_level_targets(ctx: ViewContext, county: int, year: int) -> None:
    st.subheader(f"{year}年各级宣传目标（篇）")
    now = publicity.level_targets(ctx.url, county, year)
    errors = st.session_state.get("ps_target_errors", {})
    with st.form(f"ps_targets_{county}_{year}"):
        typed = {}
        cols = st.columns(2)
        for i, level in enumerate(AREA_LEVELS):
            with cols[i % 2]:
                typed[level] = st.text_input(
                    LEVEL_LABELS[level], value=str(now.get(level, "")), placeholder="空为不设目标", key=f"ps_t_{level}"
                )
                field_error(errors, level)
        other_errors(errors, set(AREA_LEVELS))
        total = sum(now.values())
        st.caption(
            f"现合计 {text.count(total)} 篇。信息宣传页按“全年累计÷年度目标”比较序时进度。" if now else "尚未设置"
        )
        if st.form_submit_button("保存各级目标", type="primary"):
            save_targets(ctx, county, year, typed)


def save_targets(ctx: ViewContext, county: int, year: int, typed: dict) -> None:
    """Typed text → whole numbers (empty → no target); a message beside a field that cannot be read, and nothing
    saved."""
    values, errors = read_fields({level: (typed_text, parse_count, "目标篇数") for level, typed_text in typed.items()})
    if not errors:
        try:
            changed = service.set_publicity_targets(
                db_url=ctx.url, actor=ctx.actor, county_id=county, year=year, targets=values
            )
        except ValidationFailed as exc:
            errors = exc.errors
        else:
            st.session_state.ps_toast = f"已保存 {year} 年各级目标（{changed} 项有变化）"
    st.session_state.ps_target_errors = errors
    st.rerun()


def render_quotas(ctx: ViewContext, county: int, year: int) -> None:
    st.subheader(f"{year}年乡镇报送任务（篇）")
    rows = publicity.quotas(ctx.url, county, year)
    if rows.empty:
        st.caption("没有启用的乡镇")
        return
    base = pd.DataFrame(
        {
            "township_id": rows["township_id"],
            "乡镇": rows["township"],
            "任务": ["" if pd.isna(v) else str(int(v)) for v in rows["target"]],  # typed as text, read exactly
        }
    )
    edited = st.data_editor(
        base,
        key=f"ps_quotas_{county}_{year}",
        hide_index=True,
        width="stretch",
        disabled=["乡镇"],
        column_order=["乡镇", "任务"],
        row_height=GRID_ROW_PX,
        height=grid_height(len(base)),  # every township in sight
        column_config={"任务": st.column_config.TextColumn("全年任务（篇，空为不设）", alignment="right")},
    )
    quotas, unreadable = read_fields(
        {int(r.township_id): (r.任务, parse_count, f"{r.乡镇}的任务") for r in edited.itertuples(index=False)}
    )
    total = sum(v for v in quotas.values() if v is not None)
    st.caption(f"合计 {text.count(total)} 篇。只计写到该乡镇的稿件（不论媒体级别）。")
    if st.button("保存乡镇任务", key="ps_save_quotas", type="primary"):
        if unreadable:  # nothing is saved until every cell can be read
            st.error(escape_markdown("；".join(unreadable.values())), icon=":material/error:")
            return
        try:
            changed = service.set_publicity_quotas(db_url=ctx.url, actor=ctx.actor, year=year, quotas=quotas)
        except ValidationFailed as exc:
            st.error(escape_markdown("；".join(exc.errors.values())))
            return
        st.session_state.ps_toast = f"已保存 {changed} 个乡镇的报送任务"
        st.rerun()


def outlet_table(rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "媒体": rows["outlet"],
            "级别": [LEVEL_LABELS[lv] for lv in rows["level"]],
            "媒体类型": rows["medium"],
            "首次使用": [text.day(d) if d is not None and not pd.isna(d) else "未登记" for d in rows["first_used_on"]],
            "已登记稿件（篇）": rows["articles"],
            "最近一篇": [text.day(d) if d is not None and not pd.isna(d) else "—" for d in rows["last_article"]],
        }
    )


def render_outlets(ctx: ViewContext) -> None:
    st.subheader("发表媒体")
    rows = publicity.outlet_usage(ctx.url)
    if not rows.empty:
        st.dataframe(
            outlet_table(rows),
            hide_index=True,
            width="stretch",
            height=grid_height(len(rows)),
            row_height=GRID_ROW_PX,
            key="ps_outlets",
        )
    choices = {NEW: "新增媒体", **dict(zip(rows["outlet_id"], rows["outlet"], strict=True))}
    chosen = st.selectbox("修改或新增", list(choices), format_func=choices.__getitem__, key="ps_outlet")
    current_row = None if chosen == NEW else rows[rows["outlet_id"] == chosen].iloc[0]
    render_outlet_form(ctx, chosen, current_row)


def render_outlet_form(ctx: ViewContext, chosen: int, row: pd.Series | None) -> None:
    errors = st.session_state.get("ps_outlet_errors", {})
    with st.form(f"ps_outlet_{chosen}", clear_on_submit=row is None):
        cols = st.columns([2, 1, 1, 1])
        with cols[0]:
            name = st.text_input("媒体名称", value="" if row is None else row["outlet"], max_chars=60)
            field_error(errors, "name")
        with cols[1]:
            levels = list(AREA_LEVELS)
            level = st.selectbox(
                "级别",
                levels,
                index=None if row is None else levels.index(row["level"]),
                format_func=LEVEL_LABELS.__getitem__,
                placeholder="请选择",
            )
            field_error(errors, "level")
        with cols[2]:
            medium = st.text_input(
                "媒体类型", value="" if row is None else row["medium"], placeholder="网站、报纸、杂志/网站……"
            )
            field_error(errors, "medium")
        with cols[3]:
            first = None if row is None or pd.isna(row["first_used_on"]) else row["first_used_on"]
            first_used_on = st.date_input("首次使用日期（可空）", value=first, format="YYYY-MM-DD")
            field_error(errors, "first_used_on")
        if row is not None and row["articles"]:
            st.caption(
                f"已有 {text.count(row['articles'])} 篇稿件，改级别会把这些稿件一起改到新级别。"
                + first_use_hint(row["first_article"], first)
            )
        other_errors(errors, {"name", "level", "medium", "first_used_on"})
        if st.form_submit_button("新增媒体" if row is None else "保存修改", type="primary"):
            save_outlet(ctx, chosen, dict(name=name, level=level, medium=medium, first_used_on=first_used_on))


def first_use_hint(first_article, first_used_on) -> str:
    """Why an outlet's first use matters: an article dated before it is a warning to confirm."""
    if first_article is None or pd.isna(first_article):
        return ""
    earliest = text.day(first_article)
    if first_used_on is None:
        return f"最早一篇发表于{earliest}。"
    return f"最早一篇发表于{earliest}；早于首次使用日期的稿件录入时要核实。"


def save_outlet(ctx: ViewContext, chosen: int, values: dict) -> None:
    try:
        if chosen == NEW:
            service.create_outlet(db_url=ctx.url, actor=ctx.actor, **values)
            done = f"已新增媒体“{values['name'].strip()}”"
        else:
            changed = service.update_outlet(db_url=ctx.url, actor=ctx.actor, outlet_id=int(chosen), **values)
            done = f"已保存“{values['name'].strip()}”" if changed else "没有修改"
    except ValidationFailed as exc:
        st.session_state.ps_outlet_errors = exc.errors
    else:
        st.session_state.ps_outlet_errors = {}
        st.session_state.ps_toast = done
    st.rerun()
