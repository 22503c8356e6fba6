"""What a board shows, built once in the data layer and drawn by every output.

A :class:`Board` holds figures (a headline number with its label, kind, unit, status and note), tables (columns
with their kinds; a 合计 row only where a sum means something, computed from the stored values) and chart
series (categories, values with their kinds and units). The page draws it, the meeting slide and the deck draw
it, the Excel download writes it, the work report words it, and a chart's text alternative reads it — all
through data_layer/domain/text.py, so a figure reads the same everywhere.

Values are kept as stored (money in fen, shares as 0–1, counts, dates, UTC times); ``text`` gives the words and
``number`` the rounded value a cell or a chart holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

import pandas as pd

from data_layer.domain import text

# How a column's values read (data_layer/domain/text.py): money as 万元 or 元, a share, a count, a number with
# decimals, a date, a stored time, words, a link, a status (its word; a grid adds its shape).
COLUMN_KINDS = ("wan", "yuan", "pct", "count", "decimal", "day", "time", "text", "link", "status")


def downloaded(table: Table) -> Table:
    """The table as a download holds it: without the columns that only make sense on screen (links)."""
    kept = tuple(c for c in table.columns if c.download and c.kind != "link")
    return table if len(kept) == len(table.columns) else replace(table, columns=kept)


@dataclass(frozen=True)
class Figure:
    """A headline number: what it is, its value as stored, how it reads, and how it stands."""

    key: str
    label: str
    kind: str  # wan, yuan, pct, count, decimal, text, day
    value: Any
    unit: str = ""  # a count's (人, 户, 篇, 家); money and shares carry theirs in the kind
    note: str = ""
    status: str | None = None  # on_track, behind, far_behind, no_target
    status_label: str = ""

    @property
    def text(self) -> str:
        """“121.58 万元”, “54.2%”, “1,536 篇”; “—” where there is none."""
        return text.value(self.kind, self.value, self.unit)

    @property
    def number(self):
        """The value as printed (万元 rounded half-up to two places, a share in percent points)."""
        return text.number(self.kind, self.value)

    @property
    def shown_unit(self) -> str:
        """The unit a big number writes small beside it: 万元, 篇 (a share keeps its % beside its digits)."""
        return {"wan": "万元", "yuan": "元", "pct": ""}.get(self.kind, self.unit)

    @property
    def number_unit(self) -> str:
        """The unit of :attr:`number` in a table of figures: 万元, %, 篇."""
        return "%" if self.kind == "pct" else self.shown_unit

    @property
    def digits(self) -> str:
        """The value without its unit (“121.58”, “54.2”, “1,536”), for a big number that writes its unit small."""
        words = self.text
        if words == text.NONE:
            return words
        return words.removesuffix(self.shown_unit).strip() if self.shown_unit else words

    def spoken(self) -> str:
        """The figure in one sentence, for a screen reader and a slide's notes: “发放金额 26.55 万元（…）”."""
        parts = [f"{self.label} {self.text}"]
        if self.status_label:
            parts.append(self.status_label)
        if self.note:
            parts.append(self.note)
        return "，".join(parts)

    def to_dict(self) -> dict:
        """JSON-ready (a frozen meeting pack keeps it): the value, and the words it read as when frozen."""
        value = self.value
        if isinstance(value, date | datetime):
            value = value.isoformat()
        elif value is not None and not isinstance(value, str):
            value = None if text.missing(value) else float(value)
        return {
            "key": self.key,
            "label": self.label,
            "kind": self.kind,
            "value": value,
            "unit": self.unit,
            "note": self.note,
            "status": self.status,
            "status_label": self.status_label or None,
            "text": self.text,
        }

    @classmethod
    def from_dict(cls, d: Mapping) -> Figure:
        return cls(
            key=d.get("key") or d["label"],
            label=d["label"],
            kind=d["kind"],
            value=d.get("value"),
            unit=d.get("unit") or "",
            note=d.get("note") or "",
            status=d.get("status"),
            status_label=d.get("status_label") or "",
        )


@dataclass(frozen=True)
class Column:
    """One column of a table: its header as shown (with the unit), how its values read, and whether its sum
    means something (never a rate, an average, or heads counted again every month)."""

    name: str
    kind: str = "text"
    total: bool = False
    width: str | None = None  # small, medium, large (the grid); a long text column is large
    download: bool = True  # False: on screen only (a link that opens the record in the app)
    short: str = ""  # the grid's header where the screen is narrow and the table's title gives the unit

    @property
    def header(self) -> str:
        return self.name


@dataclass(frozen=True)
class Table:
    """Rows under known columns, values as stored; a 合计 row computed from the stored values where asked."""

    key: str
    title: str
    columns: tuple[Column, ...]
    rows: pd.DataFrame
    sheet: str | None = None  # its tab in the Excel download (None: shown only on screen)
    totals: bool = False  # a 合计 row under the rows
    total_label: str = "合计"
    total_values: Mapping[str, Any] = field(default_factory=dict)  # a total that is not the column's sum
    note: str = ""
    index: str | None = None  # the column that names a row (the 合计 label goes there)

    def __post_init__(self) -> None:
        missing_columns = [c.name for c in self.columns if c.name not in self.rows.columns]
        if missing_columns:
            raise ValueError(f"table {self.key}: no values for {missing_columns}")

    @property
    def column(self) -> dict[str, Column]:
        return {c.name: c for c in self.columns}

    def total_row(self) -> dict[str, Any] | None:
        """The 合计 row, summed from stored values (fen, counts): never the sum of rounded cells."""
        if not self.totals:
            return None
        first = self.index or self.columns[0].name
        row: dict[str, Any] = {c.name: None for c in self.columns}
        row[first] = self.total_label
        for c in self.columns:
            if c.name in self.total_values:
                row[c.name] = self.total_values[c.name]
            elif c.total:
                values = pd.to_numeric(self.rows[c.name], errors="coerce")
                row[c.name] = values.sum(min_count=1) if len(values) else 0
                if not text.missing(row[c.name]) and float(row[c.name]).is_integer():
                    row[c.name] = int(row[c.name])
        return row

    def with_total(self) -> pd.DataFrame:
        """The rows and, where asked, the 合计 row (values as stored)."""
        frame = self.rows[[c.name for c in self.columns]]
        total = self.total_row()
        if total is None or frame.empty:
            return frame.reset_index(drop=True)
        return pd.concat([frame, pd.DataFrame([total])], ignore_index=True)

    def shown(self, with_total: bool = True) -> pd.DataFrame:
        """The table as a reader sees it: every value in words (the text module's), the 合计 row included."""
        frame = self.with_total() if with_total else self.rows[[c.name for c in self.columns]]
        return pd.DataFrame({c.name: [cell_text(c.kind, v) for v in frame[c.name]] for c in self.columns})

    def numbers(self, with_total: bool = True) -> pd.DataFrame:
        """The table as a spreadsheet holds it: money rounded as printed, shares as 0.526, times in Beijing time."""
        frame = self.with_total() if with_total else self.rows[[c.name for c in self.columns]]
        return pd.DataFrame({c.name: [cell_number(c.kind, v) for v in frame[c.name]] for c in self.columns})

    def head(self, n: int) -> Table:
        """The first ``n`` rows (a long list's screen), without a 合计 row."""
        return replace(self, rows=self.rows.head(n), totals=False)


def table(
    key: str,
    title: str,
    cells: Sequence[tuple[Column, Iterable]],
    *,
    extra: Mapping[str, Iterable] | None = None,
    **options: Any,
) -> Table:
    """A table from its columns, each beside its values (``extra``: values a page uses that no column shows, such
    as a row's key or its status code)."""
    rows = pd.DataFrame({c.name: list(values) for c, values in cells} | {k: list(v) for k, v in (extra or {}).items()})
    return Table(key, title, tuple(c for c, _ in cells), rows, **options)


def cell_text(kind: str, value: Any) -> str:
    if kind == "time":
        return text.short_time(value)
    if kind == "day":
        return text.iso_day(value) if not text.missing(value) else ""
    if kind in ("text", "link", "status"):
        return "" if text.missing(value) else str(value)
    if text.missing(value):
        return text.NONE
    if kind == "wan":
        return text.wan(value, unit=False)
    if kind == "yuan":
        return text.yuan(value, unit=False)
    return text.value(kind, value)


def cell_number(kind: str, value: Any) -> Any:
    """A cell as a spreadsheet stores it (the number a reader sees, rounded as the text module rounds it)."""
    if text.missing(value):
        return None
    if kind in ("wan", "yuan", "decimal"):
        return float(text.number(kind, value))
    if kind == "pct":
        return float(text.share_number(value))
    if kind == "count":
        n = text.number("count", value)
        return int(n) if float(n).is_integer() else float(n)
    if kind == "time":
        local = text.local(value)
        return local.replace(tzinfo=None)
    if kind == "day":
        return value
    return value if isinstance(value, str) else str(value)


@dataclass(frozen=True)
class Series:
    """One series of a chart: a value per category, with its kind and unit (and colours per category)."""

    name: str
    kind: str
    values: tuple
    unit: str = ""
    colours: tuple[str, ...] | None = None

    @property
    def texts(self) -> list[str]:
        return [text.value(self.kind, v, self.unit) for v in self.values]

    @property
    def numbers(self) -> list[float | None]:
        """What the chart plots: 万元 rounded as printed, shares in percent points, counts as they are."""
        out = []
        for v in self.values:
            n = text.number(self.kind, v)
            out.append(None if n is None else float(n))
        return out

    @property
    def axis_unit(self) -> str:
        return {"wan": "万元", "yuan": "元", "pct": "%"}.get(self.kind, self.unit)


@dataclass(frozen=True)
class Chart:
    """A chart's data: categories and series, and how it is drawn (``shape``): ``bars`` (horizontal bars, the
    first series; a second one as a tick on each bar), ``stacked`` (series stacked per category), ``columns``
    (vertical stacked columns), ``pace`` (a cumulative line against the even-pace line), ``bars_line``
    (columns with a line on a second axis), ``steps`` (a cumulative step line by day)."""

    key: str
    title: str
    shape: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    labels: tuple[str, ...] | None = None  # each bar's words as shown (default: the first series' text)
    marker: Figure | None = None  # one line across every bar (序时进度)
    note: str = ""

    @property
    def bar_labels(self) -> list[str]:
        return list(self.labels) if self.labels is not None else self.series[0].texts

    def alt_text(self) -> str:
        """The chart read aloud: its title, then each category with its values in words, in the order drawn."""
        if not self.categories:
            return f"{self.title}：没有数据"
        parts = []
        for i, category in enumerate(self.categories):
            values = [f"{s.name} {s.texts[i]}" if len(self.series) > 1 else s.texts[i] for s in self.series]
            parts.append(f"{category} {'，'.join(values)}")
        marker = f"（{self.marker.label} {self.marker.text}）" if self.marker else ""
        return f"{self.title}{marker}：" + "；".join(parts) + "。"

    def as_table(self) -> Table:
        """The chart's data as a table (its accessible view and the place a reader checks a bar)."""
        columns = [Column("类别")] + [
            Column(
                f"{s.name}（{s.axis_unit}）" if s.axis_unit and f"（{s.axis_unit}）" not in s.name else s.name, s.kind
            )
            for s in self.series
        ]
        data = {"类别": list(self.categories)}
        for s, c in zip(self.series, columns[1:], strict=True):
            data[c.name] = list(s.values)
        return Table(f"{self.key}_table", self.title, tuple(columns), pd.DataFrame(data))

    def to_dict(self) -> dict:
        """JSON-ready for a frozen meeting pack: categories, and each series' values, numbers and words."""
        first = self.series[0] if self.series else None
        return {
            "key": self.key,
            "title": self.title,
            "shape": self.shape,
            "kind": first.kind if first else "count",
            "categories": list(self.categories),
            "colours": list(first.colours) if first and first.colours else None,
            "series": [
                {
                    "name": s.name,
                    "kind": s.kind,
                    "unit": s.unit,
                    "values": [None if text.missing(v) else float(v) for v in s.values],
                    "numbers": s.numbers,
                    "texts": s.texts,
                }
                for s in self.series
            ],
            "alt": self.alt_text(),
        }


@dataclass(frozen=True)
class Board:
    """Everything one board shows for one filter and one account."""

    key: str
    title: str
    filter_label: str
    period: str  # the period in words (“2023年1月1日至6月30日”)
    as_of: datetime | None  # the store's last data change
    figures: tuple[Figure, ...] = ()
    tables: tuple[Table, ...] = ()
    charts: tuple[Chart, ...] = ()
    notes: Mapping[str, str] = field(default_factory=dict)
    empty: str = ""  # what the board says when there is nothing to show

    def figure(self, key: str) -> Figure:
        return _by_key(self.figures, key)

    def table(self, key: str) -> Table:
        return _by_key(self.tables, key)

    def chart(self, key: str) -> Chart:
        return _by_key(self.charts, key)

    def has(self, key: str) -> bool:
        return any(x.key == key for x in (*self.figures, *self.tables, *self.charts))

    def note(self, key: str) -> str:
        return self.notes.get(key, "")

    def sheets(self) -> list[Table]:
        """What the Excel download holds: the headline figures, then every table with a sheet name."""
        out = []
        if self.figures and not any(t.key == "figures" for t in self.tables):
            out.append(figures_table(self.figures, self.title))
        return out + [t for t in self.tables if t.sheet]


def figures_table(
    figures: Iterable[Figure], title: str, areas: Sequence[str] | None = None, sheet: str = "主要指标"
) -> Table:
    """Headline figures as rows: (their area,) label, the value as printed (a number a spreadsheet can add), its
    unit, and its status or note in words."""
    figures = list(figures)
    rows = pd.DataFrame(
        {
            **({"领域": list(areas)} if areas is not None else {}),
            "指标": [f.label for f in figures],
            "数值": [f.number for f in figures],
            "单位": [f.number_unit for f in figures],
            "状态或说明": ["；".join(p for p in (f.status_label, f.note) if p) for f in figures],
        }
    )
    columns = (Column("指标"), Column("数值", "decimal"), Column("单位"), Column("状态或说明", width="large"))
    if areas is not None:
        columns = (Column("领域"), *columns)
    return Table("figures", title if areas is not None else f"{title}：主要指标", columns, rows, sheet=sheet)


def _by_key(items: Sequence, key: str):
    for item in items:
        if item.key == key:
            return item
    raise KeyError(key)
