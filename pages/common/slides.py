"""One slide of a frozen meeting pack as HTML, sized for a projector, and the keys that turn the slides: what
会议模式 shows full screen. The figures are the pack's, in the words they were frozen with."""

from __future__ import annotations

from html import escape

import streamlit as st

from data_layer.documents.colours import PRIMARY
from data_layer.domain import text
from data_layer.views.meeting import chart_numbers, chart_texts, figure_parts
from pages.common.charts import STATUS_COLOURS, STATUS_MARKS

PACK_PARAM, SLIDE_PARAM, AUTO_PARAM = "pack", "slide", "auto"

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
    number, unit = figure_parts(n)  # “121.58 万元”: a smaller unit
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
    first, words_of = chart_numbers(chart), chart_texts(chart)
    second = chart["series"][1] if len(chart["series"]) > 1 else None
    ticks = chart_numbers(chart, 1) if second else []
    top = max([v or 0 for v in first] + [v or 0 for v in ticks] + [1e-9])
    rows = []
    colours = chart.get("colours") or [PRIMARY] * len(chart["categories"])  # packs frozen before colours: one
    name_em = max(len(c) for c in chart["categories"]) + 0.5  # every name whole, the bars still aligned
    for i, name in enumerate(chart["categories"]):
        value = first[i]
        width = 0 if value is None else value / top * BAR_ROOM
        words = words_of[i]
        tick, mark = "", 0.0
        if second and ticks[i] is not None:
            mark = ticks[i] / top * BAR_ROOM
            tick = f'<div class="m-tick" style="left:{mark:.1f}%"></div>'
            words += f"（{second['name']} {chart_texts(chart, 1)[i]}）"
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


# --- turning the slides: the URL keeps the place, buttons off screen take the keys ----------------------


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
