"""操作记录 (administrators): every change and sign-in, filtered by day, person, table and the filter row's
township; whether the chain of the log is whole; an Excel copy. Records and the rows a change points at read
by name (the record's number beside it), times in Beijing time (data_layer/queries/audit_log.py).

The days are the page's own: the filter row's year is a year of the work's data, while the log is about
when people did things (a 2023 figure corrected today)."""

from __future__ import annotations

from datetime import datetime, timedelta

import streamlit as st

from data_layer.domain import text
from data_layer.domain.table_names import TABLE_NAMES
from data_layer.export import XLSX_MIME, to_xlsx
from data_layer.infra import audit
from data_layer.queries import audit_log
from pages.common.context import ViewContext, current
from pages.common.fmt import escape_markdown
from pages.common.ui import empty

COLUMNS = {
    "id": "序号",
    "at": "时间",
    "who": "操作人",
    "action_name": "操作",
    "table_name": "数据表",
    "record": "记录",  # its name where it has one (a township, an item, an employer …)
    "row_id": "记录编号",
    "changes": "改动（原值 → 新值）",
    "link": "打开记录",
}


def render() -> None:
    ctx = current()
    render_chain(ctx)
    chosen = choose(ctx)
    found, total = audit_log.entries(ctx.url, chosen)
    if found.empty:
        empty("所选条件下没有操作记录")
        return
    shown = f"共 {text.count(total)} 条" + (
        f"，显示最新的 {text.count(len(found))} 条（请缩小条件）" if total > len(found) else ""
    )
    st.markdown(f"**{escape_markdown(label(ctx, chosen))}** · {shown}")
    table = found[list(COLUMNS)].rename(columns=COLUMNS)
    table["打开记录"] = table["打开记录"].fillna("")
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height=min(720, 40 + 36 * len(table)),
        column_config={
            "时间": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm:ss"),
            "改动（原值 → 新值）": st.column_config.TextColumn(width="large"),
            # a record an entry page opens shows its number as the link; the others stay empty
            "打开记录": st.column_config.LinkColumn(display_text=r"record=(\d+)$"),
            "序号": st.column_config.NumberColumn(format="%d"),
        },
    )
    st.download_button(
        "下载 Excel",
        to_xlsx(
            table.drop(columns=["打开记录"]),
            title="操作记录",
            filter_label=label(ctx, chosen),
            taken_at=datetime.now(text.CHINA),
            totals=False,
        ),
        file_name=f"操作记录_{ctx.label()}.xlsx",
        mime=XLSX_MIME,
        key="audit_xlsx",
    )


def render_chain(ctx: ViewContext) -> None:
    """Whether a row was changed or deleted directly in the database since it was written."""
    verdict = audit.verify(ctx.url)
    if verdict.whole:
        st.success(f"防篡改校验：{verdict.reason}", icon=":material/verified:")
    else:
        st.error(
            f"防篡改校验未通过：{verdict.reason}。请保留数据库文件，联系管理员查明原因。", icon=":material/gpp_bad:"
        )


def choose(ctx: ViewContext) -> audit_log.AuditFilter:
    people = audit_log.people(ctx.url)
    names = dict(zip(people["username"], people["label"], strict=True))
    today = ctx.today
    days, left, right = st.columns([2, 2, 2])
    picked = days.date_input(
        "日期",
        (today - timedelta(days=30), today),
        max_value=today,
        format="YYYY-MM-DD",
        key="audit_days",
    )
    start, end = (picked[0], picked[-1]) if isinstance(picked, tuple) and picked else (None, None)
    who = left.selectbox(
        "操作人", list(names), index=None, format_func=names.get, placeholder="全部人员", key="audit_who"
    )
    tables = audit_log.tables(ctx.url)
    table = right.selectbox(
        "数据表",
        tables,
        index=None,
        format_func=lambda t: TABLE_NAMES.get(t, t),
        placeholder="全部数据表",
        key="audit_table",
    )
    township = ctx.scope.township_ids[0] if len(ctx.scope.township_ids) == 1 else None
    if len(ctx.scope.township_ids) > 1:
        st.caption("按乡镇筛选时请只选一个乡镇；现在显示全部乡镇的记录。")
    return audit_log.AuditFilter(start, end, who, table, township)


def label(ctx: ViewContext, chosen: audit_log.AuditFilter) -> str:
    parts = [ctx.units_label()]
    if chosen.start:
        parts.append(f"{text.iso_day(chosen.start)} 至 {text.iso_day(chosen.end)}")
    if chosen.actor:
        parts.append(f"操作人 {chosen.actor}")
    if chosen.table:
        parts.append(f"数据表 {TABLE_NAMES.get(chosen.table, chosen.table)}")
    return " · ".join(parts)
