"""Small render helpers shared by pages: the header, links that keep the filter, empty states."""

from __future__ import annotations

from html import escape

import streamlit as st

from data_layer.domain import text
from data_layer.queries import org
from data_layer.queries.publicity import LEVEL_LABELS
from data_layer.views import common
from data_layer.views.projects import short_name as short_project_name  # noqa: F401 (the pages' name)
from data_layer.views.projects import status_words as board_status_words
from pages.common.charts import LEVEL_COLOURS, STATUS_COLOURS
from pages.common.context import ViewContext
from pages.common.fmt import escape_markdown


def status_line(ctx: ViewContext) -> None:
    """The filter in words (the period shown), the time of the store's last change — said apart, so a past period is
    not read as cut off at today —, and the demo badge (kept on screenshots)."""
    parts = [f"**{escape_markdown(ctx.label())}**", f"数据最后更新 {text.time(org.last_write(ctx.url))}"]
    if org.demo_present(ctx.url):
        parts.append(":orange-badge[演示数据]")
    st.markdown(" · ".join(parts))


def link(url_path: str, label: str, ctx: ViewContext) -> None:
    """A link to another page that carries the current filter in its URL."""
    page = st.session_state.get("pages_by_path", {}).get(url_path)
    if page is not None:
        st.page_link(page, label=label, query_params=ctx.query_params(), icon=":material/arrow_forward:")


def big_number(label: str, value: str, unit: str = "", note: str = "") -> None:
    """A headline figure for the projector: label, value (with unit), and a note; it wraps, never truncates."""
    parts = [
        f'<div class="label">{escape(label)}</div>',
        f'<div class="value">{escape(value)}<small>{escape(unit)}</small></div>',
    ]
    if note:
        parts.append(f'<div class="note">{escape(note)}</div>')
    st.html(f'<div class="big-number">{"".join(parts)}</div>')


def status_badge(status: str, label: str) -> str:
    """The status line of a card: shape, word and colour (HTML for ``st.html``)."""
    words = escape(board_status_words(status, label))
    return f'<span class="status-badge" style="color:{STATUS_COLOURS[status]}">{words}</span>'


def level_key() -> None:
    """The outlet levels' colours, once above the charts that use them."""
    chips = "".join(
        f'<span class="level-chip"><span style="color:{LEVEL_COLOURS[lv]}">■</span> {name}</span>'
        for lv, name in LEVEL_LABELS.items()
    )
    st.html(f'<div class="level-key">媒体级别颜色：{chips}</div>')


def card_title(title: str, url_path: str, link_label: str, ctx: ViewContext) -> None:
    """The card's heading with its link to the area page on the same line."""
    left, right = st.columns([3, 1], vertical_alignment="center")
    left.subheader(title)
    with right:
        link(url_path, link_label, ctx)


def empty(message: str) -> None:
    st.info(escape_markdown(message), icon=":material/info:")


def township_names(ctx: ViewContext) -> dict:
    """township_id → label (with its county where two counties' townships share a name), None → 县本级."""
    return common.township_names(ctx.view)


def county_names(ctx: ViewContext) -> dict | None:
    """county_id → name where the store has several counties, else None."""
    return common.county_names(ctx.view)


def township_order(ctx: ViewContext) -> list[str]:
    """Township labels in the admin's order, limited to the filter's townships and counties."""
    return common.township_order(ctx.view)


# Data grids: an explicit row height, and a height that shows every row (the default rows of a
# baseFontSize-18 theme are taller than the 35 px a height estimate assumes, which hid the last row).
GRID_ROW_PX = 38


def grid_height(rows: int) -> int:
    """Header plus every row, with the border: no row hidden below a scroll."""
    return GRID_ROW_PX * (rows + 1) + 3


TOWNSHIPS_ON_A_CHART = 60  # a county has 10–20; a city about 100, a province about 1,800


def townships_fit(count: int) -> bool:
    """Whether ``count`` townships fit one chart or grid. A city's or a province's hundreds cannot be read on a
    projector and take the browser long to draw (a province's 1,800 bars: more than half a minute): over the
    limit the section says how to narrow it instead (各县（区）对比 on 总览 compares the counties)."""
    if count <= TOWNSHIPS_ON_A_CHART:
        return True
    st.info(
        f"所选范围共有 {text.count(count)} 个乡镇（街道），"
        "逐个乡镇的图表请先在筛选中选择一个县（区）；各县（区）对比见总览。"
    )
    return False
