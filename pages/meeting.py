"""会议模式: a meeting's frozen figures on the projector, one slide per area, driven from the keyboard or a
presentation clicker; and, before the meeting, freezing a pack, the list of packs and their PowerPoint decks.

``?pack=<id>`` shows a pack full screen (the frame hides its navigation and filter row, see frame.py);
``&slide=<n>`` keeps the place across a reload; ``&auto=<seconds>`` advances by itself (a hall screen).
"""

from __future__ import annotations

import streamlit as st

from data_layer.documents.meeting_deck import PPTX_MIME, meeting_deck
from data_layer.domain import text
from data_layer.domain.errors import ValidationFailed
from data_layer.queries import meeting, org
from data_layer.services import meetings as service
from data_layer.views.meeting import slides
from pages.common.context import ViewContext, current
from pages.common.fmt import escape_markdown
from pages.common.forms import field_error, saved_toast
from pages.common.slides import (
    PACK_PARAM,
    SLIDE_PARAM,
    auto_seconds,
    keys_script,
    leave,
    nav_buttons,
    slide_html,
    slide_number,
)
from pages.common.ui import empty


def render() -> None:
    ctx = current()
    if PACK_PARAM in st.query_params:
        present(ctx)
    else:
        render_packs(ctx)


# --- before the meeting: freeze, list, hand out ---------------------------------------------------------


def render_packs(ctx: ViewContext) -> None:
    saved_toast("mt_toast")
    actor = ctx.actor
    if actor is not None and actor.kind.enters:
        render_freeze(ctx)
    st.subheader("已冻结的会议数据")
    found = meeting.packs(ctx.url, ctx.view.access)
    if found.empty:
        empty("还没有冻结的会议数据。会前由科室人员按上方筛选条件冻结一份，会上放映的就是这份数据。")
        return
    st.caption("放映：全屏，键盘 → / PageDown / 空格 下一页，← / PageUp 上一页，Home 第一页，数字键跳页，Esc 返回。")
    for row in found.itertuples():
        render_pack_row(ctx, row)


def render_freeze(ctx: ViewContext) -> None:
    errors = st.session_state.get("mt_errors", {})
    with st.form("mt_freeze", border=True):
        st.markdown(f"**冻结会议数据**：按当前筛选（{escape_markdown(ctx.label())}）生成各页数字，会上放映这份数据。")
        name = st.text_input("会议名称", value=f"{ctx.spec.label()}工作调度会", max_chars=60)
        field_error(errors, "name", "actor", "figures")
        if st.form_submit_button("冻结并放映", type="primary"):
            freeze(ctx, name)


def freeze(ctx: ViewContext, name: str) -> None:
    figures = slides(ctx.view)
    try:
        pack_id = service.freeze_pack(
            db_url=ctx.url,
            actor=ctx.actor,
            name=name,
            filter_label=ctx.label(),
            filter_params=ctx.query_params(),
            period_start=ctx.scope.start,
            period_end=ctx.scope.end,
            figures=figures,
            data_as_of=org.last_write(ctx.url),
        )
    except ValidationFailed as exc:
        st.session_state.mt_errors = exc.errors
        st.rerun()
    st.session_state.mt_errors = {}
    st.query_params[PACK_PARAM] = str(pack_id)
    st.query_params[SLIDE_PARAM] = "1"
    st.rerun()


def render_pack_row(ctx: ViewContext, row) -> None:
    with st.container(border=True):
        left, mid, right = st.columns([3, 1, 1], vertical_alignment="center")
        left.markdown(
            f"**{escape_markdown(row.name)}**  \n{escape_markdown(row.filter_label)} · "
            f"数据最后更新 {text.time(row.data_as_of)} · "
            f"{escape_markdown(row.created_by)} 冻结于 {text.time(row.created_at)}"
        )
        if mid.button("放映", key=f"mt_show_{row.id}", type="primary", icon=":material/slideshow:"):
            st.query_params[PACK_PARAM] = str(row.id)
            st.query_params[SLIDE_PARAM] = "1"
            st.rerun()
        pack = meeting.pack(ctx.url, int(row.id), ctx.view.access)
        right.download_button(
            "下载演示文稿",
            data=meeting_deck(pack),
            file_name=f"{row.name}.pptx",
            mime=PPTX_MIME,
            key=f"mt_deck_{row.id}",
            icon=":material/download:",
        )
        if ctx.actor is not None and ctx.actor.kind.admin and st.button("删除", key=f"mt_delete_{row.id}"):
            service.delete_pack(db_url=ctx.url, actor=ctx.actor, pack_id=int(row.id))
            st.session_state.mt_toast = f"已删除“{row.name}”"
            st.rerun()


# --- the meeting: one slide at a time -------------------------------------------------------------------


OFFLINE = "暂时读不到数据库：下面是本次会议已显示的冻结数据，数据库恢复后自动接上。"


def load(ctx: ViewContext, pack_id: int) -> tuple[dict | None, str]:
    """The pack, and a banner; if the store cannot be read, the copy this session showed last."""
    kept = st.session_state.get(f"mt_pack_{pack_id}")
    try:
        pack = meeting.pack(ctx.url, pack_id, ctx.view.access)
    except Exception:  # the store is locked, moved or its server restarted: never a blank projector
        return kept, OFFLINE if kept else ""
    if pack is not None:
        st.session_state[f"mt_pack_{pack_id}"] = pack
    return pack, ""


def pack_param() -> int:
    try:
        return int(st.query_params[PACK_PARAM])
    except (KeyError, ValueError):
        return -1


def present_kept() -> bool:
    """The frame itself could not read the store (locked, moved, its server restarted) while a slide was up:
    the slide from the copy this session showed, with a banner — not an error on the projector. False if this
    session has no copy of the pack (then the frame says what happened)."""
    pack = st.session_state.get(f"mt_pack_{pack_param()}")
    if pack is None:
        return False
    show_slide(pack, OFFLINE, 0)
    return True


def present(ctx: ViewContext) -> None:
    pack, banner = load(ctx, pack_param())
    if pack is None or pack.get("deleted_at") is not None:
        st.warning("这份会议数据不存在或已删除。", icon=":material/warning:")
        st.button("返回会议数据列表", on_click=leave, key="mt_back")
        return
    changed = (
        0 if banner else meeting.changes_since(ctx.url, pack["created_at"], pack["period_start"], pack["period_end"])
    )
    show_slide(pack, banner, changed)


def show_slide(pack: dict, banner: str, changed: int) -> None:
    slides = pack["figures"]["slides"]
    number = slide_number(len(slides))
    st.html(slide_html(pack, slides[number - 1], number, len(slides), changed, banner))
    nav_buttons(len(slides), number)
    keys_script(auto_seconds())
