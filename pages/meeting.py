"""会议模式: a meeting's frozen figures on the projector, one slide per area, driven from the keyboard or a
presentation clicker; and, before the meeting, freezing a pack, the list of packs and their PowerPoint decks.

``?pack=<id>`` shows a pack full screen (the frame hides its navigation and filter row, see frame.py);
``&slide=<n>`` keeps the place across a reload; ``&auto=<seconds>`` advances by itself (a hall screen).
"""

from __future__ import annotations

from html import escape

import streamlit as st

from data_layer import app_settings
from data_layer.documents.colours import PRIMARY
from data_layer.documents.meeting_deck import PPTX_MIME, meeting_deck
from data_layer.domain import text
from data_layer.domain.errors import ValidationFailed
from data_layer.queries import meeting, org
from data_layer.queries.meeting import format_value
from data_layer.services import meetings as service
from pages.common.charts import STATUS_COLOURS, STATUS_MARKS
from pages.common.context import ViewContext, current
from pages.common.fmt import escape_markdown
from pages.common.forms import field_error, saved_toast
from pages.common.ui import empty

PACK_PARAM, SLIDE_PARAM, AUTO_PARAM = "pack", "slide", "auto"


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
    found = meeting.packs(ctx.url)
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
    figures = meeting.build_figures(ctx.url, ctx.scope, ctx.today, app_settings.pace_thresholds(ctx.url))
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
        pack = meeting.pack(ctx.url, int(row.id))
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
        pack = meeting.pack(ctx.url, pack_id)
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


def slide_number(count: int) -> int:
    """The slide shown (1-based), from the URL; kept within the pack."""
    try:
        wanted = int(st.query_params.get(SLIDE_PARAM, "1"))
    except ValueError:
        wanted = 1
    return min(max(wanted, 1), count)


def go(number: int) -> None:
    st.query_params[SLIDE_PARAM] = str(number)


def leave() -> None:
    for name in (PACK_PARAM, SLIDE_PARAM, AUTO_PARAM):
        st.query_params.pop(name, None)


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


def auto_seconds() -> int:
    try:
        return max(int(st.query_params.get(AUTO_PARAM, "0")), 0)
    except ValueError:
        return 0


def nav_buttons(count: int, number: int) -> None:
    """Buttons the keyboard presses (kept off screen: a slide shows figures, not controls)."""
    with st.container(key="mt_nav"):
        st.button("上一页", key="mt_prev", on_click=go, args=(max(number - 1, 1),))
        st.button(
            "下一页",
            key="mt_next",
            on_click=go,
            args=(number % count + 1 if auto_seconds() else min(number + 1, count),),
        )
        for i in range(1, count + 1):
            st.button(f"第 {i} 页", key=f"mt_go_{i}", on_click=go, args=(i,))
        st.button("返回", key="mt_exit", on_click=leave)


KEYS_JS = """
(() => {
  const press = (name) => { const b = document.querySelector('.st-key-' + name + ' button'); if (b) b.click(); };
  if (window.__meetingKeys) document.removeEventListener('keydown', window.__meetingKeys);
  window.__meetingKeys = (e) => {
    if (!document.querySelector('.meeting-slide')) return;  // only while a slide is shown
    const k = e.key;
    if (['ArrowRight', 'PageDown', ' ', 'Enter'].includes(k)) press('mt_next');
    else if (['ArrowLeft', 'PageUp', 'Backspace'].includes(k)) press('mt_prev');
    else if (k === 'Home') press('mt_go_1');
    else if (k === 'Escape') press('mt_exit');
    else if (/^[1-9]$/.test(k)) press('mt_go_' + k);
    else return;
    e.preventDefault();
  };
  document.addEventListener('keydown', window.__meetingKeys);
  clearInterval(window.__meetingAuto);
  const every = %d;
  if (every > 0) window.__meetingAuto = setInterval(() => press('mt_next'), every * 1000);
})();
"""


def keys_script(auto: int) -> None:
    st.html(f"<script>{KEYS_JS % auto}</script>", unsafe_allow_javascript=True)


def number_html(n: dict) -> str:
    number, _, unit = format_value(n["kind"], n["value"], n["unit"]).partition(" ")  # “121.58 万元”: a smaller unit
    value = escape(number) + (f"<small>{escape(unit)}</small>" if unit else "")
    status = ""
    if n.get("status"):
        colour, mark = STATUS_COLOURS[n["status"]], STATUS_MARKS[n["status"]]
        status = f'<div class="m-status" style="color:{colour}">{mark} {escape(n["status_label"])}</div>'
    note = f'<div class="m-note">{escape(n["note"])}</div>' if n.get("note") else ""
    label = f'<div class="m-label">{escape(n["label"])}</div>'
    return f'<div class="m-figure">{label}<div class="m-value">{value}</div>{status}{note}</div>'


BAR_ROOM = 60  # percent of the track the longest bar takes: the rest holds its words


def chart_html(chart: dict) -> str:
    """Horizontal bars in HTML (they scale with the screen like the text): the first series as bars with their
    values, a second one (序时进度, 年度目标) as a tick on each bar and in its label."""
    if not chart["categories"]:
        return '<div class="m-empty">本期没有数据</div>'
    first = chart["series"][0]["values"]
    second = chart["series"][1] if len(chart["series"]) > 1 else None
    top = max([v or 0 for v in first] + [v or 0 for v in (second["values"] if second else [])] + [1e-9])
    rows = []
    colours = chart.get("colours") or [PRIMARY] * len(chart["categories"])  # packs frozen before colours: one
    name_em = max(len(c) for c in chart["categories"]) + 0.5  # every name whole, the bars still aligned
    for i, name in enumerate(chart["categories"]):
        value = first[i]
        width = 0 if value is None else value / top * BAR_ROOM
        words = format_value(chart["kind"], value)
        tick, mark = "", 0.0
        if second and second["values"][i] is not None:
            mark = second["values"][i] / top * BAR_ROOM
            tick = f'<div class="m-tick" style="left:{mark:.1f}%"></div>'
            words += f"（{second['name']} {format_value(chart['kind'], second['values'][i])}）"
        rows.append(
            f'<div class="m-row"><div class="m-cat" style="width:{name_em:.1f}em">{escape(name)}</div>'
            f'<div class="m-track"><div class="m-bar" style="width:{width:.1f}%;background:{colours[i]}"></div>{tick}'
            f'<div class="m-words" style="left:{max(width, mark):.1f}%">{escape(words)}</div></div></div>'
        )
    legend = f'<span class="m-legend">▍{escape(second["name"])}</span>' if second else ""
    return (
        f'<div class="m-chart"><div class="m-chart-title">{escape(chart["title"])}{legend}</div>{"".join(rows)}</div>'
    )


def slide_html(pack: dict, slide: dict, number: int, count: int, changed: int, banner: str = "") -> str:
    figures = "".join(number_html(n) for n in slide["numbers"][:5])
    lines = "".join(f"<li>{escape(line)}</li>" for line in slide.get("lines", [])[:6])
    body = chart_html(slide["chart"])
    if lines:
        body = f'<div class="m-split"><ul class="m-lines">{lines}</ul>{body}</div>'
    badge = f'<span class="m-badge">冻结后有 {changed} 条记录变动</span>' if changed else ""
    as_of = text.time(pack["data_as_of"])
    offline = f'<div class="m-offline">⚠ {escape(banner)}</div>' if banner else ""  # inside: the slide never scrolls
    return f"""<div class="meeting-slide">{offline}
<div class="m-head"><div class="m-title">{escape(slide["title"])}</div>
<div class="m-meta">{escape(pack["filter_label"])} · 数据最后更新 {as_of} · {number} / {count}{badge}</div></div>
<div class="m-figures">{figures}</div>{body}</div>{SLIDE_CSS}"""


# Sizes in viewport units: legible from five metres on a 1920 projector (labels ≥ 28 px, figures ≥ 64 px) and
# scaled with the screen (on a 4:3 projector by its height), so a slide fits 1024×768 without scrolling.
SLIDE_CSS = """<style>
.meeting-slide {height: 96vh; display: flex; flex-direction: column; gap: 2.2vh; color: #111827;
  font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; overflow: hidden}
.m-head {display: flex; justify-content: space-between; align-items: baseline; gap: 2vw}
.m-title {font-size: max(3.4vw, 5.6vh); font-weight: 700; white-space: nowrap}
.m-meta {font-size: max(1.05vw, 1.9vh); color: #4b5563; text-align: right}
.m-badge {margin-left: 1em; padding: 0.1em 0.6em; border: 1px solid #b45309; color: #b45309; border-radius: 0.4em}
.m-figures {display: flex; gap: 2.5vw; flex-wrap: nowrap}
.m-figure {flex: 1 1 0; min-width: 0}
.m-label {font-size: max(1.5vw, 2.7vh); color: #374151}
.m-value {font-size: max(3.4vw, 5.6vh); font-weight: 700; line-height: 1.1; white-space: nowrap}
.m-value small {font-size: 0.5em; font-weight: 500; margin-left: 0.15em}
.m-status {font-size: max(1.5vw, 2.7vh); font-weight: 700}
.m-note {font-size: max(1.15vw, 2.1vh); color: #4b5563}
.m-chart {flex: 1 1 auto; display: flex; flex-direction: column; gap: 1.2vh; min-height: 0}
.m-chart-title {font-size: max(1.5vw, 2.7vh); font-weight: 700}
.m-legend {font-weight: 400; margin-left: 1.5em; color: #111827}
.m-row {display: flex; align-items: center; gap: 1vw; flex: 1 1 0; max-height: 9vh}
.m-cat {flex: none; text-align: right; font-size: max(1.5vw, 2.7vh); white-space: nowrap}
.m-track {position: relative; flex: 1; height: 70%}
.m-bar {height: 100%; background: #0b4f8a; border-radius: 0 0.3em 0.3em 0}
.m-tick {position: absolute; top: -12%; height: 124%; border-left: 0.35vw solid #111827; margin-left: -0.17vw}
.m-words {position: absolute; top: 50%; transform: translateY(-50%); margin-left: 0.8vw; white-space: nowrap;
  font-size: max(1.5vw, 2.7vh)}
.m-split {display: flex; gap: 3vw; flex: 1 1 auto; min-height: 0}
.m-split .m-chart {flex: 1 1 50%}
.m-lines {flex: 1 1 50%; font-size: max(1.3vw, 2.4vh); margin: 0; padding-left: 1.2em; overflow: hidden}
.m-lines li {margin-bottom: 0.8vh}
.m-empty {font-size: max(1.5vw, 2.7vh); color: #4b5563}
.m-offline {font-size: max(1.15vw, 2.1vh); background: #fef3c7; color: #92400e; padding: 0.4vh 1vw;
  border-radius: 0.4em; flex: none}
</style>"""
