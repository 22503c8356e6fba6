"""Plotly figures sized for a projector: big ticks and labels, no mode bar, no legend hunting."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
import streamlit as st

# one palette for the boards, the slides and the deck, re-exported here for the pages
from data_layer.documents.colours import LEVEL_COLOURS, STATUS_COLOURS, STATUS_MARKS, subsidy_colours  # noqa: F401

FONT = dict(family="Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif", size=18, color="#1f2937")
PRIMARY = "#1d4ed8"


def _layout(fig: go.Figure, height: int, top: int = 4, right: int = 30) -> go.Figure:
    fig.update_layout(
        height=height,
        font=FONT,
        margin=dict(l=10, r=right, t=top, b=10),
        showlegend=False,
        plot_bgcolor="rgba(0,0,0,0)",
        paper_bgcolor="rgba(0,0,0,0)",
        bargap=0.25,
        uniformtext=dict(minsize=17, mode="show"),  # never shrink bar labels below 17 px
    )
    fig.update_yaxes(automargin=True)
    fig.update_xaxes(automargin=True)  # the month labels under the axis get the room they need, never cut
    return fig


def headroom(values: Sequence[float | None], share: float = 0.18) -> list[float]:
    """A value axis from 0 with room above the largest value for the label written over it."""
    largest = max([v for v in values if v is not None], default=0) or 1
    return [0, largest * (1 + share)]


def hbar(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    text: Sequence[str],
    colours: Sequence[str] | str = PRIMARY,
    height: int = 260,
    x_max: float | None = None,
    marker_at: float | None = None,
    marker_label: str = "",
    targets: Sequence[float | None] | None = None,
    text_room: int = 30,
) -> go.Figure:
    """Horizontal bars, top to bottom in the given order, each labelled with ``text``; ``text_room`` (px) is kept
    free right of the plot for the longest bar's label, whatever the screen's width.

    With a ``marker_at`` line (序时进度) or ``targets`` ticks the labels stand in a column right of the plot instead
    of at each bar's end, so no line or tick runs through a figure.
    """
    column = marker_at is not None or targets is not None
    fig = go.Figure(
        go.Bar(
            y=list(labels),
            x=list(values),
            orientation="h",
            text=None if column else list(text),
            textposition="outside",
            cliponaxis=False,
            marker_color=colours,
            textfont=dict(size=20),
            hoverinfo="skip",
        )
    )
    if targets is not None:
        fig.add_trace(
            go.Scatter(
                y=list(labels),
                x=[t if t is not None else None for t in targets],
                mode="markers",
                marker=dict(symbol="line-ns", size=30, line=dict(width=4, color="#111827")),
                hoverinfo="skip",
            )
        )
    if column:
        marks = [t for t in (targets or []) if t is not None] + ([marker_at] if marker_at is not None else [])
        x_max = max(x_max or 0, *marks, max(values, default=0)) or 1
        fig.add_trace(
            go.Scatter(
                y=list(labels),
                x=[x_max] * len(labels),
                mode="text",
                text=[f"  {t}" for t in text],
                textposition="middle right",
                textfont=dict(size=20),
                cliponaxis=False,
                hoverinfo="skip",
            )
        )
        text_room = max(text_room, max((text_px(t) for t in text), default=0) + 24)
    elif len(values):  # the longest bar's label past its end: room for it whatever the card's width (a
        # province's “7,548.24 万元” was cut at 1024 px, where x_max's headroom alone was too narrow)
        longest = max(range(len(values)), key=lambda i: values[i])
        text_room = max(text_room, text_px(text[longest]) + 8)
    if marker_at is not None:
        fig.add_vline(x=marker_at, line=dict(color="#111827", width=3, dash="dash"))
        fig.add_annotation(
            x=marker_at,
            y=1.0,
            yref="paper",
            text=marker_label,
            showarrow=False,
            yanchor="bottom",
            font=dict(size=16),
            bgcolor="white",
        )
    fig.update_yaxes(autorange="reversed", tickfont=dict(size=20))
    fig.update_xaxes(visible=False, range=[0, x_max] if x_max else None)
    return _layout(fig, height, top=26 if marker_at is not None else 4, right=text_room)


def text_px(text: str, size: int = 20) -> int:
    """About how wide ``text`` is at ``size`` px: a Chinese character is a full square, Latin and digits about half."""
    return round(sum(size if ord(c) > 0x2E80 or c in "●▲■○" else size * 0.58 for c in text))


def whole_number_ticks(fig: go.Figure, largest: float, axis: str = "y") -> go.Figure:
    """Counts tick at whole numbers: a small range would otherwise tick 0, 0.5, 1 and print “0, 1, 1, 2, 2”."""
    if 0 <= largest <= 6:
        (fig.update_yaxes if axis == "y" else fig.update_xaxes)(dtick=1, tick0=0)
    return fig


def stacked_bars(
    categories: Sequence[str],
    series: dict[str, Sequence[float]],
    *,
    height: int = 420,
    y_title: str = "",
    colours: Sequence[str] | None = None,
) -> go.Figure:
    """Vertical stacked bars (e.g. townships × subsidy types), with a legend on top; ``colours`` per series."""
    fig = go.Figure(
        [
            go.Bar(name=name, x=list(categories), y=list(values), marker_color=colours[i] if colours else None)
            for i, (name, values) in enumerate(series.items())
        ]
    )
    fig.update_layout(barmode="stack")
    _layout(fig, height)
    fig.update_layout(
        showlegend=True,
        # in the order given (stacked bars would list the top one first), so every chart's key reads alike
        legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0, font=dict(size=16), traceorder="normal"),
        margin=dict(l=10, r=10, t=50, b=10),
    )
    fig.update_yaxes(title_text=y_title, tickformat=",.0f", exponentformat="none", gridcolor="#e5e7eb")
    fig.update_xaxes(tickfont=dict(size=16), tickangle=0, automargin=True)  # month labels level, never cut
    heights = [sum(v or 0 for v in column) for column in zip(*series.values(), strict=True)] if series else []
    return whole_number_ticks(fig, max(heights, default=0))


def stacked_hbars(
    categories: Sequence[str],
    series: dict[str, Sequence[float]],
    *,
    colours: Sequence[str],
    totals_text: Sequence[str],
    height: int | None = None,
) -> go.Figure:
    """Horizontal stacked bars (e.g. townships × subsidy types): every category's name is read level at any width,
    and each bar's total stands at its end; the legend on top in the series' order."""
    labels = list(categories)
    fig = go.Figure(
        [
            go.Bar(name=name, y=labels, x=list(values), orientation="h", marker_color=colours[i], hoverinfo="skip")
            for i, (name, values) in enumerate(series.items())
        ]
    )
    ends = [sum(v or 0 for v in column) for column in zip(*series.values(), strict=True)] if series else []
    fig.add_trace(
        go.Scatter(
            y=labels,
            x=ends,
            mode="text",
            text=[f"  {t}" for t in totals_text],
            textposition="middle right",
            textfont=dict(size=18),
            cliponaxis=False,
            showlegend=False,
            hoverinfo="skip",
        )
    )
    fig.update_layout(barmode="stack")
    _layout(fig, height or 90 + 34 * len(labels), right=110)
    fig.update_layout(
        showlegend=True,
        legend=dict(orientation="h", y=1.0, yanchor="bottom", x=0, font=dict(size=16), traceorder="normal"),
        margin=dict(l=10, r=110, t=70, b=10),
    )
    fig.update_yaxes(autorange="reversed", tickfont=dict(size=18))
    fig.update_xaxes(
        tickformat=",.0f", exponentformat="none", gridcolor="#e5e7eb", tickfont=dict(size=16), automargin=True
    )
    return whole_number_ticks(fig, max(ends, default=0), axis="x")


def line_vs_pace(
    months: Sequence[int],
    done: Sequence[float],
    pace: Sequence[float],
    *,
    unit: str,
    height: int = 320,
    labels: Sequence[str] = (),
) -> go.Figure:
    """Cumulative progress by month against the even-pace line (the target spread over the year); each month's
    point carries its value (``labels``)."""
    x = [f"{m}月" for m in months]
    fig = go.Figure(
        [
            go.Scatter(
                x=x,
                y=list(pace),
                name="序时进度线",
                mode="lines",
                line=dict(color="#6b7280", width=3, dash="dash"),
            ),
            go.Scatter(
                x=x,
                y=list(done),
                name=f"累计完成（{unit}）",
                mode="lines+markers+text",
                line=dict(color=PRIMARY, width=4),
                marker=dict(size=10),
                text=list(labels) or None,
                textposition="top center",
                textfont=dict(size=16),
            ),
        ]
    )
    _layout(fig, height, top=40)
    fig.update_layout(showlegend=True, legend=dict(orientation="h", y=1.12, x=0, font=dict(size=16)))
    # the unit in the legend, not as an axis title: plotly turns a vertical title's Chinese characters on their side
    fig.update_yaxes(tickformat=",.0f", gridcolor="#e5e7eb", range=headroom([*done, *pace]))
    return whole_number_ticks(fig, max([v for v in [*done, *pace] if v is not None], default=0))


def with_legend(fig: go.Figure, height: int) -> go.Figure:
    """Our layout, with the legend on top (for charts of several series)."""
    _layout(fig, height, top=50)
    fig.update_layout(showlegend=True, legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0, font=dict(size=16)))
    fig.update_xaxes(tickfont=dict(size=16))
    return fig


def show(fig: go.Figure, key: str) -> None:
    # theme=None keeps our font sizes (the default theme shrinks ticks to 12 px).
    st.plotly_chart(fig, theme=None, config={"displayModeBar": False, "staticPlot": False}, key=key)


# --- a board's chart (data_layer/views/board.py) ----------------------------------------------------------------


def draw(chart, *, height: int | None = None, room: float = 1.3, text_room: int = 30) -> go.Figure:
    """The plotly figure of a board's ``Chart``: the values it plots are the numbers the text module prints
    (万元 rounded half-up, shares in percent points), its labels the words every other output uses."""
    first = chart.series[0]
    values = [v or 0.0 for v in first.numbers]
    colours = list(first.colours) if first.colours else PRIMARY
    if chart.shape == "bars":
        # a second series is a tick on each bar (a target, each one's pace), unless one line says it for all
        ticks = chart.series[1].numbers if len(chart.series) > 1 and chart.marker is None else None
        pct = first.kind == "pct"
        largest = max([*values, *[t or 0 for t in ticks or []], 0.0])
        return hbar(
            list(chart.categories),
            values,
            text=chart.bar_labels,
            colours=colours if len(colours) == len(values) or isinstance(colours, str) else colours[0],
            x_max=max(100.0, largest * 1.1) if pct else max(largest * room, 1.0),
            marker_at=float(chart.marker.number) if chart.marker is not None else None,
            marker_label=f"{chart.marker.label} {chart.marker.text}" if chart.marker is not None else "",
            targets=ticks,
            height=height or 40 + 38 * len(values),
            text_room=text_room,
        )
    stacks = {s.name: [v or 0.0 for v in s.numbers] for s in chart.series}
    stack_colours = [s.colours[0] if s.colours else PRIMARY for s in chart.series]
    if chart.shape == "stacked":
        return stacked_hbars(
            list(chart.categories), stacks, colours=stack_colours, totals_text=chart.bar_labels, height=height
        )
    if chart.shape == "columns":
        return stacked_bars(list(chart.categories), stacks, colours=stack_colours, height=height or 400)
    if chart.shape == "pace":
        done, pace = chart.series
        return line_vs_pace(
            list(chart.categories),
            done.numbers,
            pace.numbers,
            unit=done.unit,
            height=height or 320,
            labels=[t.removesuffix(f" {done.unit}") for t in done.texts],
        )
    if chart.shape == "bars_line":
        return bars_with_line(chart, height or 360)
    if chart.shape == "steps":
        return steps(chart, height or 320)
    raise ValueError(f"no drawing for a chart of shape {chart.shape}")


def bars_with_line(chart, height: int) -> go.Figure:
    """Columns of the first series (their values on top), the second as a line on an axis of its own (e.g. the
    months' amounts in 万元 and their recipients)."""
    bars, line = chart.series
    fig = go.Figure(
        [
            go.Bar(
                x=list(chart.categories),
                y=bars.numbers,
                name=f"{bars.name}（{bars.axis_unit}）",
                marker_color=PRIMARY,
                text=[t.removesuffix(f" {bars.axis_unit}") for t in bars.texts],
                textposition="outside",
            ),
            go.Scatter(
                x=list(chart.categories),
                y=line.numbers,
                name=line.name,
                yaxis="y2",
                mode="lines+markers",
                line=dict(color="#d97706", width=3),
            ),
        ]
    )
    fig.update_layout(
        # units in the legend: plotly would turn a vertical axis title's Chinese characters on their side
        yaxis=dict(tickformat=",.0f", range=headroom(bars.numbers)),
        yaxis2=dict(overlaying="y", side="right", tickformat=",.0f", rangemode="tozero", showgrid=False),
    )
    return with_legend(fig, height)


def steps(chart, height: int) -> go.Figure:
    """A cumulative count by day as a step line, its last value written at its end (a campaign's inspections)."""
    series = chart.series[0]
    fig = go.Figure(
        go.Scatter(
            x=list(chart.categories),
            y=series.numbers,
            mode="lines",
            line=dict(shape="hv", color=PRIMARY, width=4),
            hoverinfo="skip",
        )
    )
    if chart.categories:
        fig.add_annotation(
            x=chart.categories[-1],
            y=series.numbers[-1],
            text=chart.bar_labels[-1],
            showarrow=True,
            arrowhead=0,
            ax=-60,
            ay=-30,
            xanchor="right",
            font=dict(size=18),
            bgcolor="white",
        )
    fig.update_layout(height=height, font=FONT, margin=dict(l=10, r=30, t=40, b=10), showlegend=False)
    fig.update_layout(plot_bgcolor="white")
    fig.update_xaxes(tickfont=dict(size=16), gridcolor="#e5e7eb", automargin=True)
    fig.update_yaxes(
        title_text=series.unit, rangemode="tozero", gridcolor="#e5e7eb", tickformat=",.0f", automargin=True
    )
    return fig
