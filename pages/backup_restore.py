"""备份与恢复 (administrators): download a backup now, see the daily ones, restore one after a dry run."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from data_layer.domain import text
from data_layer.domain.errors import ValidationFailed
from data_layer.infra import backup
from pages.common.context import ViewContext, current
from pages.common.fmt import escape_markdown
from pages.common.ui import GRID_ROW_PX, grid_height

MIME = "application/octet-stream"
KINDS = {"daily": "每日自动", "before-restore": "恢复前自动", "backup": "手动", "other": "其他"}


def render() -> None:
    ctx = current()
    done = st.session_state.pop("br_done", None)
    if done:
        st.success(escape_markdown(done), icon=":material/task_alt:")
    left, right = st.columns(2, gap="large")
    with left:
        render_download(ctx)
    with right:
        render_daily()
    render_files()
    st.divider()
    render_restore(ctx)


def render_download(ctx: ViewContext) -> None:
    st.subheader("下载备份")
    st.caption("备份包含全部数据（含账号和操作记录），请妥善保管，不要发给无关人员。")
    if st.button("生成备份文件", icon=":material/backup:", key="br_make"):
        st.session_state.br_file = (backup.make_backup(ctx.url), datetime.now(text.CHINA))
    made = st.session_state.get("br_file")
    if made:
        data, at = made
        st.download_button(
            f"下载（{text.short_time(at)} 生成，{text.count(len(data) / 1024, '')} 千字节）",
            data,
            file_name=f"县残联看板备份_{text.file_stamp(at)}{backup.SUFFIX}",
            mime=MIME,
            type="primary",
            icon=":material/download:",
            key="br_download",
        )


def render_daily() -> None:
    folder = backup.backup_folder()
    st.subheader("自动备份", help=f"备份文件夹：{folder}")
    latest = backup.latest_daily()
    if latest is None:
        st.warning("还没有自动备份：系统每天第一次打开时自动备份一次。", icon=":material/warning:")
    else:
        st.markdown(f"最近一次每日备份：**{text.time(latest.made_at)}**，保留最近 {backup.KEEP_DAILY} 天。")
    st.caption("备份文件保存在服务器的备份文件夹中（位置见标题旁的问号）。")


def render_files() -> None:
    files = backup.list_backups()[:20]
    if files:
        table = pd.DataFrame(
            {
                "时间": [text.short_time(f.made_at) for f in files],
                "类型": [KINDS.get(f.kind, f.kind) for f in files],
                "大小（千字节）": [round(f.size / 1024) for f in files],
            }
        )
        st.dataframe(
            table, hide_index=True, width="stretch", height=grid_height(min(len(table), 8)), row_height=GRID_ROW_PX
        )


def render_restore(ctx: ViewContext) -> None:
    st.subheader("从备份恢复")
    st.caption("先检查备份文件，核对各表的行数；确认后用备份替换当前全部数据。恢复前系统会自动再备份一次当前数据。")
    generation = st.session_state.get("br_generation", 0)  # a new, empty uploader after each restore
    uploaded = st.file_uploader("选择备份文件", type=[backup.SUFFIX.lstrip(".")], key=f"br_upload_{generation}")
    if uploaded is None:
        return
    data = uploaded.getvalue()
    try:
        plan = backup.inspect_backup(ctx.url, data)
    except backup.BackupRefused as refused:
        st.error(escape_markdown(str(refused)), icon=":material/error:")
        return
    made_on = "内置文件" if plan.engine == "sqlite" else "数据库服务器"
    st.markdown(
        f"备份时间 **{text.time(plan.made_at)}**，数据库 {made_on}，"
        f"结构版本 {plan.revision}。下表是恢复后与现在各表的行数："
    )
    counts = pd.DataFrame(
        {
            "数据表": [t.name for t in plan.tables],
            "备份中（恢复后）": [t.in_backup for t in plan.tables],
            "当前": [t.in_store for t in plan.tables],
            "变化": [t.in_backup - t.in_store for t in plan.tables],
        }
    )
    st.dataframe(counts, hide_index=True, width="stretch", height=grid_height(len(counts)), row_height=GRID_ROW_PX)
    sure = st.checkbox("我已核对，用这个备份替换当前全部数据", key="br_sure")
    if st.button("恢复", type="primary", disabled=not sure, icon=":material/restore:", key="br_restore"):
        try:
            result = backup.restore_backup(ctx.url, data, actor=ctx.actor)
        except (backup.BackupRefused, ValidationFailed) as refused:
            st.error(escape_markdown(str(refused)), icon=":material/error:")
            return
        st.session_state.pop("br_sure", None)
        st.session_state.br_generation = generation + 1
        st.session_state.br_done = (
            f"已恢复到 {text.time(result.made_at)} 的备份；恢复前的数据已另存到备份文件夹（类型“恢复前自动”）。"
        )
        st.rerun()
