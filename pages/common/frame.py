"""The frame every page runs in: page config, start-up, the shared filter, navigation.

This file is the Streamlit script; ``dashboard.py`` serves it as an ASGI app (``st.App``), with
the app's own HTTP routes beside it. Because the script is not beside the ``pages/`` folder,
Streamlit never enters its legacy multipage mode: a bookmark such as
``/projects?year=2023&township=鲁村镇`` opened first after a restart shows this frame and that page.
"""

from __future__ import annotations

import logging
import sys
import uuid
from datetime import date
from pathlib import Path

# Streamlit puts this script's folder on the path; the packages live at the repository's root.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from html import escape

import streamlit as st  # noqa: E402
from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException

from data_layer import app_settings, auth
from data_layer.domain.errors import StoreUnavailable
from data_layer.infra import backup, guard, settings, store
from data_layer.infra.guard import StoreVanished
from data_layer.queries import org
from pages.common import navigation
from pages.common.chinese_names import chinese_names
from pages.common.context import current, publish, render_filters
from pages.common.fmt import escape_markdown
from pages.common.ui import status_line

FAVICON = str(Path(__file__).resolve().parent / "favicon.png")  # served by the app itself: no icon font from outside
log = logging.getLogger("dpf.pages")


# Less empty space around the page; big numbers that scale with the screen (1024 to 1920 wide)
# and wrap instead of being cut off with “…” as st.metric values are.
CSS = """
.block-container {padding: 3.6rem 1.5rem 1rem 1.5rem}
.big-number {display: flex; flex-wrap: wrap; align-items: baseline; column-gap: 0.8em}
.big-number .label {font-size: clamp(16px, 1.1vw, 21px); color: #4b5563}
.big-number .value {font-size: clamp(36px, 2.9vw, 58px); font-weight: 650; line-height: 1.15; color: #111827}
.big-number .value small {font-size: 0.5em; font-weight: 500; margin-left: 0.15em}
.big-number .note {font-size: clamp(16px, 1.1vw, 21px); color: #1f2937}
/* Streamlit's own hint under a focused input is English ("Press Enter to submit form"): say it in Chinese. */
[data-testid="InputInstructions"] > span:first-child {font-size: 0}
[data-testid="InputInstructions"] > span:first-child::after {content: "按回车键确认"; font-size: 12px}
[data-testid="stForm"] [data-testid="InputInstructions"] > span:first-child::after {content: "按回车键保存"}
.entry-preview {font-size: 1.05rem; color: #111827}
.status-badge {font-weight: 700; font-size: 1.3rem}
.pace-done {font-size: clamp(16px, 1.1vw, 21px); margin-left: 0.8em; white-space: nowrap}
.level-key {font-size: 1.1rem; color: #1f2937}
.level-chip {margin-left: 1.2em; white-space: nowrap}
.level-chip span {font-size: 1.3em}
/* The file uploader's own words are English ("Upload", "200MB per file"): a Chinese button, no size line. */
[data-testid="stFileUploaderDropzoneInstructions"] {display: none}
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] > * {display: none}
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"]::after {
  content: "选择文件"; font-size: 1rem; white-space: nowrap}
/* A long toast is cut to three lines with an English "view more": show it whole, without the button. */
[data-testid="stToastText"] {
  display: block !important; -webkit-line-clamp: unset !important; overflow: visible !important}
[data-testid="stToastViewButton"] {display: none}
/* On a phone (a township officer entering in the field) the first field within the first screen: a smaller
   title, the filter row in two lines (Streamlit stacks its columns below 640 px: one a line), the account line
   small. */
@media (max-width: 640px) {
  .block-container {padding: 4rem 0.8rem 1rem 0.8rem}
  .block-container h1 {font-size: 1.55rem; padding: 0.2rem 0}
  .st-key-filter-row [data-testid="stHorizontalBlock"] {flex-wrap: wrap !important; gap: 0.2rem 0.5rem}
  .st-key-filter-row [data-testid="stColumn"] {min-width: 0 !important; width: auto !important;
    flex: 1 1 calc(50% - 0.5rem) !important}
  .st-key-filter-row [data-testid="stColumn"]:last-child {flex: 1 1 100% !important}
  .st-key-filter-row label p {font-size: 0.8rem}
  .signout {font-size: 0.85rem !important}
}
/* Contrast of at least 4.5:1 (WCAG 2.1 AA): the navigation's icons and Streamlit's grey captions are drawn at
   60 % opacity (3.9:1 and 2.9:1); the same grey as the page's own notes, opaque (#4b5563, 7.6:1). */
[data-testid="stTopNavLink"] [color], [data-testid="stTopNavLink"] [data-testid="stIconMaterial"] {
  color: #4b5563 !important}
[data-testid="stCaptionContainer"] {color: #4b5563 !important; opacity: 1 !important}
/* Words for a screen reader only (a chart read aloud): out of sight and out of the flow. */
.sr-only {position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap}
[data-testid="stElementContainer"]:has(> div > .sr-only), [data-testid="stElementContainer"]:has(.sr-only) {
  position: absolute; width: 1px; height: 1px; overflow: hidden}
/* Scripts that only set a cookie take no room. */
[data-testid="stLayoutWrapper"]:has(> .st-key-quiet-scripts) {display: none}
"""


# 会议模式 shows one slide on the whole screen: no navigation, header, toolbar, filter row or page padding.
PRESENTING_CSS = """
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stTopNav"] {
  display: none !important}
.block-container {padding: 1.5vh 2.5vw 0 2.5vw !important; max-width: 100% !important}
.st-key-presenting-filters, .st-key-mt_nav {position: absolute !important; left: -10000px; height: 0; overflow: hidden}
[data-testid="stMainBlockContainer"] > div {gap: 0}
"""


def _home() -> None:
    """The root URL forwards to 总览 with the filter (or, where the boards need a sign-in, to 登录): the default
    page's own URL is always "/", and 总览 must keep a real path (/overview) for bookmarks."""
    target = "overview" if current().who is not None or boards_open(settings.database_url()) else "signin"
    st.switch_page(st.session_state["pages_by_path"][target], query_params=current().query_params())


def boards_open(url: str) -> bool:
    return app_settings.boards_public(url)


def request_token() -> str | None:
    """The sign-in cookie the browser sent with this session's first request (HttpOnly: only the server sees it)."""
    value = st.context.cookies.get(auth.COOKIE)
    return value if isinstance(value, str) else None


SIGN_OUT = """<form method="post" action="/auth/logout" class="signout"><span>{who}</span>
<button type="submit">退出</button></form>
<style>.signout {{display:flex; gap:.6rem; align-items:center; justify-content:flex-end; font-size:1rem}}
.signout span {{white-space:nowrap; overflow:hidden; text-overflow:ellipsis; min-width:0}}
.signout button {{border:1px solid #9ca3af; background:#fff; border-radius:.35rem; padding:.15rem .7rem;
  white-space:nowrap; flex:none}}
</style>"""


@st.cache_resource(show_spinner="首次启动：正在建立数据库并生成演示数据，约需半分钟……")
def prepare_store(url: str) -> str:
    """Migrate to the newest schema and seed an empty store, once per process and store."""
    store.ensure_ready(url)
    return url


@st.cache_data(ttl=3600, show_spinner=False)
def daily_backup(url: str, day: str) -> str:
    """Once a day (checked at most hourly per process): the day's backup into the backup folder, keeping the
    last 14 (data_layer/backup.py). A failure is logged and shown on 备份与恢复, never in the way of a page."""
    try:
        made = backup.daily_backup_if_due(url)
    except Exception:
        log.exception("daily backup failed")
        return "failed"
    return str(made or "")


def main() -> None:
    st.set_page_config(page_title="县残联工作看板", page_icon=FAVICON, layout="wide", initial_sidebar_state="collapsed")
    # Less empty space above the title: on a projector every line counts.
    st.html(f"<style>{CSS}</style>")
    chinese_names()
    try:
        run_page()
    except ScriptControlException:
        raise  # st.rerun, st.stop and st.switch_page travel as exceptions
    except Exception as exc:
        if keep_presenting():
            log.warning("store unreadable during a meeting: the session's copy of the pack is shown", exc_info=True)
        else:
            show_failure(exc)


def keep_presenting() -> bool:
    """A slide was on the projector when the store became unreadable (locked, moved, its server restarted):
    it stays, from this session's copy, with a banner — never an error or a blank screen in the meeting."""
    if "pack" not in st.query_params:
        return False
    from pages import meeting  # the page module, only on this rare path

    st.html(f"<style>{PRESENTING_CSS}</style>")
    return meeting.present_kept()


def show_failure(exc: Exception) -> None:
    """One error boundary, in Chinese (called inside the ``except``: the traceback is still at hand)."""
    if isinstance(exc, StoreVanished):
        show_recovery()
    elif isinstance(exc, StoreUnavailable):
        st.error(exc.message, icon=":material/error:")
    else:
        # The traceback goes to the server log under a reference a person can quote;
        # the page says what happened in Chinese (Streamlit's own message is English).
        reference = uuid.uuid4().hex[:8].upper()
        log.exception("page failed, reference %s", reference)
        st.error(
            f"这个页面出错了，已记录在服务器日志中（编号 {reference}）。请刷新页面重试；"
            "如果再次出现，请把编号告诉管理员。没有保存成功的内容请重新填写。",
            icon=":material/error:",
        )


def run_page() -> None:
    url = prepare_store(settings.database_url())
    if not guard.intact(url):
        raise StoreVanished(guard.VANISHED)
    daily_backup(url, date.today().isoformat())
    who = auth.signed_in(url, request_token())
    pages = navigation.build(who, boards_open(url), _home)
    st.session_state["pages_by_path"] = {p.url_path: p for section in pages.values() for p in section}
    nav = st.navigation(pages, position="top")
    if nav.url_path == "meeting" and "pack" in st.query_params:  # a slide on the projector: nothing else
        st.html(f"<style>{PRESENTING_CSS}</style>")
        with st.container(key="presenting-filters"):  # the context a page reads, drawn out of sight
            publish(render_filters(url, who))
        nav.run()
        return
    title, status = st.columns([3, 2], vertical_alignment="bottom")
    definition = navigation.BY_PATH.get(nav.url_path)
    headline = definition.headline if definition else nav.title
    title.title(headline.replace("县残联", org.office(org.counties(url)), 1))  # or a city's, a province's
    ctx = render_filters(url, who)
    with status:
        if who is not None:
            named = f"{who.actor.name}（{who.role_name}{'，' + who.township if who.township else ''}）"
            st.html(SIGN_OUT.format(who=escape(named)))
        elif request_token():  # a cookie that no longer signs anyone in: ended, expired, altered, or disabled
            st.caption("登录已失效（已退出、超过一个工作日或账号已停用），需要时请重新登录")
        status_line(ctx)
    publish(ctx)
    nav.run()


def show_recovery() -> None:
    """The store that held entered data is missing or another: say so, and write nothing."""
    st.title("数据库不见了")
    st.error(guard.VANISHED, icon=":material/error:")
    where = guard.sqlite_file(settings.database_url()) or "DATABASE_URL 所指的数据库"
    st.markdown(
        f"""系统记得这个地址上的数据库保存过录入的数据，但现在它不在了，或已被换成另一个数据库：

**{escape_markdown(str(where))}**

1. 请先不要再录入数据（现在也保存不了）。
2. 请管理员把最近的备份复制回上面的位置，然后刷新本页。
3. 如果确实要改用一个新的数据库，管理员在服务器上执行 `python -m data_layer accept-store`，再刷新本页。"""
    )


if __name__ == "__main__":  # run by Streamlit as the app's script
    main()
