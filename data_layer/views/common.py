"""What every board's builder shares: the board's frame (title, filter, period, as-of) and township names."""

from __future__ import annotations

import pandas as pd

from data_layer.access import View
from data_layer.domain import text
from data_layer.queries import org
from data_layer.views.board import Board

COUNTY_WIDE = "县本级"  # records tied to no township
ROWS_ON_SCREEN = 200  # a list's rows sent to the browser (a province's tens of thousands took a page 3–15 s)


UNFILTERED_PERIOD = "不分期间（见各行）"


def frame(view: View, key: str, title: str, *, unfiltered: str = "", **parts) -> Board:
    """A board of ``view`` with its heading facts: the filter in words, the period, the store's last change.
    ``unfiltered``: what a board the filter does not narrow holds instead (数据质量, 数据来源)."""
    scope = view.scope
    return Board(
        key=key,
        title=title,
        filter_label=unfiltered or view.label(),
        period=UNFILTERED_PERIOD if unfiltered else text.period(scope.start, scope.end),
        as_of=org.last_write(view.url),
        **parts,
    )


def first_rows_note(total: int, shown: int, unit: str, everything: str = "“下载 Excel”") -> str:
    """What a list that shows only its first rows says: how many there are, and where the rest are."""
    if total <= shown:
        return ""
    return f"共 {text.count(total, unit)}，这里列出排在最前的 {shown} {unit}；全部见{everything}。"


def township_names(view: View) -> dict:
    """township_id → label (with its county where two counties' townships share a name); None → 县本级."""
    towns = org.townships(view.url)
    names = dict(zip(towns["township_id"], towns["label"], strict=True))
    names[None] = COUNTY_WIDE
    return names


def county_names(view: View) -> dict | None:
    """county_id → name in a store of several counties (a list then names each row's county), else None."""
    if not view.multi_county:
        return None
    found = org.counties(view.url)
    return dict(zip(found["county_id"], found["county"], strict=True))


def township_order(view: View) -> list[str]:
    """The townships a view covers, in the admin's order (labels)."""
    return list(org.townships_in_scope(view.url, view.scope)["label"])


def named_townships(view: View, rows: pd.DataFrame) -> pd.DataFrame:
    """Rows with a ``township`` label, in the admin's order, 县本级 last (only townships present)."""
    rows = rows.assign(township=rows["township_id"].map(township_names(view)))
    present = set(rows["township"])
    order = [t for t in township_order(view) + [COUNTY_WIDE] if t in present]
    return rows.set_index("township").reindex(order).reset_index()
