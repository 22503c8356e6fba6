"""账号 (administrators): who may sign in, with which role, areas and township; new accounts, new passwords,
disabling; and whether the boards open on the LAN without signing in."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data_layer import app_settings, auth
from data_layer.domain.errors import ValidationFailed
from data_layer.domain.roles import AREAS, ROLES
from data_layer.queries import accounts, org
from pages.common.context import ViewContext, current
from pages.common.forms import field_error, saved_toast
from pages.common.ui import GRID_ROW_PX, grid_height


def render() -> None:
    ctx = current()
    saved_toast("ac_toast")
    found = accounts.accounts(ctx.url)
    table = pd.DataFrame(
        {
            "用户名": found["username"],
            "姓名": found["name"],
            "角色": found["role_name"],
            "可录入领域": found["area_names"],
            "所属乡镇": found["township"].fillna("—"),
            "状态": ["启用" if a else "已停用" for a in found["active"]],
            "演示账号": ["是" if d else "" for d in found["is_demo"]],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch", height=grid_height(len(table)), row_height=GRID_ROW_PX)
    left, right = st.columns(2, gap="large")
    with left:
        render_new(ctx)
    with right:
        render_change(ctx, list(found["username"]))
        st.divider()
        render_boards(ctx)


def attempt(action, done: str, errors_key: str) -> None:
    try:
        action()
    except ValidationFailed as refused:
        st.session_state[errors_key] = refused.errors  # shown beside the fields on the run that follows
    else:
        st.session_state.pop(errors_key, None)
        st.session_state.ac_toast = done
    st.rerun()


def render_new(ctx: ViewContext) -> None:
    st.subheader("新增账号")
    errors = st.session_state.get("ac_new_errors", {})
    towns = org.townships(ctx.url)
    town_names = dict(zip(towns["township_id"], towns["label"], strict=True))
    with st.form("ac_new", clear_on_submit=False):
        username = st.text_input("用户名（登录用，字母或数字）", max_chars=40)
        field_error(errors, "username")
        name = st.text_input("姓名", max_chars=40)
        field_error(errors, "display_name")
        role = st.selectbox("角色", list(ROLES), format_func=lambda r: ROLES[r].name)
        field_error(errors, "role")
        areas = st.multiselect(
            "可录入的领域（科室人员、乡镇专职干事）", list(AREAS), format_func=AREAS.get, placeholder="请选择（可多选）"
        )
        field_error(errors, "areas")
        township = st.selectbox(
            "所属乡镇（乡镇专职干事）",
            list(town_names),
            index=None,
            format_func=town_names.get,
            placeholder="不属于乡镇",
        )
        field_error(errors, "township_id")
        password = st.text_input("初始密码", type="password")
        field_error(errors, "password", "actor")
        if st.form_submit_button("新增", type="primary"):
            attempt(
                lambda: auth.create_account(
                    ctx.url,
                    username=username,
                    display_name=name,
                    role=role,
                    password=password,
                    areas=tuple(areas),
                    township_id=township,
                    by=ctx.actor,
                ),
                f"已新增账号 {username}",
                "ac_new_errors",
            )


def render_change(ctx: ViewContext, usernames: list[str]) -> None:
    st.subheader("重设密码、停用或启用")
    errors = st.session_state.get("ac_change_errors", {})
    with st.form("ac_change"):
        username = st.selectbox("账号", usernames)
        password = st.text_input("新密码（只停用或启用时不填）", type="password")
        field_error(errors, "password", "username", "actor")
        reset, disable, enable = st.columns(3)
        if reset.form_submit_button("重设密码"):
            attempt(
                lambda: auth.set_password(ctx.url, username=username, password=password, by=ctx.actor),
                f"已重设 {username} 的密码（其已登录的浏览器需重新登录）",
                "ac_change_errors",
            )
        if disable.form_submit_button("停用"):
            attempt(
                lambda: auth.set_active(ctx.url, username=username, active=False, by=ctx.actor),
                f"已停用 {username}",
                "ac_change_errors",
            )
        if enable.form_submit_button("启用"):
            attempt(
                lambda: auth.set_active(ctx.url, username=username, active=True, by=ctx.actor),
                f"已启用 {username}",
                "ac_change_errors",
            )


def render_boards(ctx: ViewContext) -> None:
    st.subheader("看板是否免登录")
    public = app_settings.boards_public(ctx.url)
    st.markdown(
        "现在：**总览和各领域看板在局域网内免登录可看**（会议室电脑）。" if public else "现在：**看板也要登录才能看**。"
    )
    st.caption("录入、管理、操作记录和含个人信息的页面始终要登录。")
    label = "改为登录后才能看" if public else "改为局域网内免登录可看"
    if st.button(label, key="ac_boards"):
        app_settings.set_boards_public(db_url=ctx.url, actor=ctx.actor, public=not public)
        st.session_state.ac_toast = "已保存看板设置"
        st.rerun()
