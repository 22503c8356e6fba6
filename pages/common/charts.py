"""Plotly figures sized for a projector: big ticks and labels, no mode bar, no legend hunting."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
import streamlit as st

FONT = dict(family="Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif", size=18, color="#1f2937")
STATUS_COLOURS = {"on_track": "#15803d", "behind": "#d97706", "far_behind": "#b91c1c", "no_target": "#6b7280"}
STATUS_MARKS = {"on_track": "●", "behind": "▲", "far_behind": "■", "no_target": "○"}  # a shape per status
# One colour per outlet level on every page and chart, from the Okabe–Ito palette: the four stay apart for a
# red–green colour-blind viewer and on a washed-out projector (they differ in lightness as well as hue).
LEVEL_COLOURS = {"national": "#0b4f8a", "provincial": "#e69f00", "municipal": "#56b4e9", "county": "#b9467f"}
PRIMARY = "#1d4ed8"


def _layout(fig: go.Figure, height: int, top: int = 4, right: int = 30) -> go.Figure:
    fig.update_layout(
        height=height,
        font=FONT,
        margin=dict(l=10, r=right, t=top, b=4),
        showlegend=False,
        plot_bgcolor="rgba(0,0,0,0)",
        paper_bgcolor="rgba(0,0,0,0)",
        bargap=0.25,
        uniformtext=dict(minsize=17, mode="show"),  # never shrink bar labels below 17 px
    )
    fig.update_yaxes(automargin=True)
    return fig


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
    free right of the plot for the longest bar's label, whatever the screen's width."""
    fig = go.Figure(
        go.Bar(
            y=list(labels),
            x=list(values),
            orientation="h",
            text=list(text),
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
    return fig


def line_vs_pace(
    months: Sequence[int], done: Sequence[float], pace: Sequence[float], *, unit: str, height: int = 320
) -> go.Figure:
    """Cumulative progress by month against the even-pace line (the target spread over the year)."""
    labels = [f"{m}月" for m in months]
    fig = go.Figure(
        [
            go.Scatter(
                x=labels,
                y=list(pace),
                name="序时进度线",
                mode="lines",
                line=dict(color="#6b7280", width=3, dash="dash"),
            ),
            go.Scatter(
                x=labels,
                y=list(done),
                name="累计完成",
                mode="lines+markers+text",
                line=dict(color=PRIMARY, width=4),
                marker=dict(size=10),
                text=[f"{v:,.0f}" for v in done],
                textposition="top center",
                textfont=dict(size=16),
            ),
        ]
    )
    _layout(fig, height, top=40)
    fig.update_layout(showlegend=True, legend=dict(orientation="h", y=1.12, x=0, font=dict(size=16)))
    fig.update_yaxes(title_text=unit, tickformat=",.0f", gridcolor="#e5e7eb", rangemode="tozero")
    return fig


def with_legend(fig: go.Figure, height: int) -> go.Figure:
    """Our layout, with the legend on top (for charts of several series)."""
    _layout(fig, height, top=50)
    fig.update_layout(showlegend=True, legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0, font=dict(size=16)))
    fig.update_xaxes(tickfont=dict(size=16))
    return fig


def show(fig: go.Figure, key: str) -> None:
    # theme=None keeps our font sizes (the default theme shrinks ticks to 12 px).
    st.plotly_chart(fig, theme=None, config={"displayModeBar": False, "staticPlot": False}, key=key)
