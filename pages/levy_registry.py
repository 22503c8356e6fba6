"""用人单位名录 (levy entry): the registry in the filter's townships, searched and exported; one employer added
or corrected on a form (pages/common/employer_form.py); a whole list imported through the shared import
component after a dry run, with the log of imports.

The rules are the services' (data_layer/services/employers.py), the file format the reader's
(data_layer/documents/employer_sheet.py); this page declares them.
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from data_layer.documents.employer_workbooks import registry_workbook
from data_layer.domain import text
from data_layer.domain.links import RECORD_PARAM, record_number
from data_layer.export import XLSX_MIME
from data_layer.queries import employers as registry_q
from data_layer.queries import org
from data_layer.services import list_imports
from data_layer.views.registry import registry_table, totals_line
from pages.common import employer_form
from pages.common.context import ViewContext, current
from pages.common.file_import import ImportSpec, render_import
from pages.common.fmt import escape_markdown
from pages.common.forms import saved_toast
from pages.common.ui import GRID_ROW_PX, empty, grid_height

TABS = ("名录", "新增单位", "批量导入")
SHOWN_AT_MOST = 2_000  # rows in the on-screen table (the export holds every row)
IMPORT = ImportSpec(
    "er",
    list_imports.EMPLOYERS,
    "先下载模板，把名单填进去（或把其他部门给的名单按模板的列名整理好），再选择文件。系统先逐行检查并"
    "列出每一行的问题，全部没有问题才能导入；按统一社会信用代码匹配：已登记的单位更新，未登记的新增。",
)
TABLE_ROWS = 12  # rows visible before the table scrolls


def render() -> None:
    ctx = current()
    actor = ctx.actor
    if actor is None:  # the navigation sends visitors to the sign-in form anyway
        st.warning("请先登录", icon=":material/lock:")
        return
    if not actor.may_enter("levy"):  # a leader following the board's 待办 link: the list, read-only
        render_read_only(ctx)
        return
    county = org.acting_county(ctx.url, actor, ctx.scope)
    if county is None:
        empty("尚未设置县区和乡镇（街道），不能登记用人单位。")
        return
    saved_toast(employer_form.TOAST, long=True)
    linked = st.query_params.get(RECORD_PARAM)
    if record_number(linked) and st.session_state.get("er_linked") != linked:  # a link opens it once
        st.session_state.er_linked, st.session_state.er_record = linked, record_number(linked)
        st.session_state.er_tab = TABS[0]
    tabs = st.tabs(TABS, key="er_tab", on_change="rerun")  # only the open tab runs
    draws = (render_registry, employer_form.render_new, lambda c, _: render_import(IMPORT, c))
    for tab, draw in zip(tabs, draws, strict=True):
        if tab.open:
            with tab:
                draw(ctx, county)


def render_read_only(ctx: ViewContext) -> None:
    """The registry without forms; a linked employer found by its credit code."""
    linked = st.query_params.get(RECORD_PARAM)
    if record_number(linked) and st.session_state.get("er_linked") != linked:
        found = registry_q.employer(ctx.url, record_number(linked), ctx.scope)
        st.session_state.er_linked = linked
        if found is not None:
            st.session_state.er_search = found["credit_code"]
    st.caption("只读：登记和修改用人单位需要“残保金”录入权限。")
    render_registry(ctx, None)


# --- 名录 ---------------------------------------------------------------------------------------------------


def render_registry(ctx: ViewContext, county: org.ActingCounty | None) -> None:
    """The list; with ``county`` (an account that enters the levy area) a picked employer opens on a form."""
    search = st.text_input(
        "查找单位", key="er_search", placeholder="输入单位名称或统一社会信用代码的一部分", max_chars=40
    ).strip()
    totals = registry_q.registry_totals(ctx.url, ctx.scope, search)
    found = registry_q.registry(ctx.url, ctx.scope, search, SHOWN_AT_MOST)
    where = ctx.units_label() + (f"，名称或代码含“{search}”" if search else "")
    st.markdown(totals_line(escape_markdown(where), totals, len(found)))
    chosen = None
    if found.empty:
        empty(
            "没有找到用人单位。"
            if search or ctx.townships
            else "还没有登记的用人单位：可在“新增单位”逐个登记，或“批量导入”名单。"
        )
    else:
        how = "点一下某个单位（这一行的任一格），在下方修改它。" if county is not None else ""
        st.caption(how + "“规上”即规模以上企业。")
        picked = st.dataframe(
            registry_table(found),
            key="er_table",
            on_select=lambda: st.session_state.pop("er_record", None),  # a click replaces a link's employer
            selection_mode="single-cell",  # a click on the row; no checkbox column to take room at 1024 pixels
            hide_index=True,
            width="stretch",
            height=grid_height(min(len(found), TABLE_ROWS)),
            row_height=GRID_ROW_PX,
        )
        rows = [row for row, _ in picked.selection.cells] if picked is not None else []
        chosen = int(found["employer_id"].iloc[rows[0]]) if rows and rows[0] < len(found) else None
    render_export(ctx, search, totals["employers"], where)
    chosen = chosen or st.session_state.get("er_record")
    if chosen is not None and county is not None:
        st.divider()
        record = registry_q.employer(ctx.url, int(chosen), ctx.scope)
        if record is None:
            st.error(f"没有编号为 {chosen} 的用人单位（或不在所选乡镇）", icon=":material/error:")
        else:
            employer_form.render_edit(ctx, county, int(chosen), record)


def render_export(ctx: ViewContext, search: str, count: int, where: str) -> None:
    if not count:
        return
    taken = datetime.now(text.CHINA)
    st.download_button(
        "导出名录表格（含工资，改后可再导入）",
        lambda: registry_workbook(
            registry_q.registry(ctx.url, ctx.scope, search),
            filter_label=f"{where}，共 {text.count(count)} 家",
            taken_at=taken,
        ),
        file_name=f"用人单位名录_{text.stamp(taken)}.xlsx",
        mime=XLSX_MIME,
        icon=":material/download:",
        key="er_export",
    )


# --- 批量导入 ------------------------------------------------------------------------------------------------
