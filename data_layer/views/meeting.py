"""A meeting's slides, made of the boards' own figures and charts: what each area's slide shows (headline numbers,
one chart, lines to read out). A meeting pack freezes this as JSON (data_layer/services/meetings.py); the meeting
page and the PowerPoint deck draw from the frozen copy only, in the words it was frozen with.

Packs frozen before the figure layer (version 1) carry values without their words: :func:`figure_text` and
:func:`chart_numbers` word them by the same text module.
"""

from __future__ import annotations

from dataclasses import replace

from data_layer.access import View
from data_layer.domain import text
from data_layer.views import attention, levy, projects, publicity, subsidies
from data_layer.views.board import Figure

VERSION = 2
SLIDE_TITLES = {
    "overview": "工作总览",
    "projects": "三项重点工程",
    "subsidies": "社会保障补贴发放",
    "levy": "按比例就业与残保金征收",
    "publicity": "信息宣传",
    "attention": "需要关注",
}


def _slide(key: str, figures: list[Figure], chart, lines: list[str] | None = None) -> dict:
    return {
        "key": key,
        "title": SLIDE_TITLES[key],
        "numbers": [f.to_dict() for f in figures],
        "lines": lines or [],
        "chart": chart.to_dict(),
    }


def slides(view: View) -> dict:
    """Every slide's figures for the view, as the boards show them now (JSON-ready)."""
    project_figures, project_chart, _ = projects.summary_parts(view)
    subsidy_figures, subsidy_chart = subsidies.headline_parts(view)
    levy_figures, levy_chart, _ = levy.headline_parts(view)
    level_figures, levels, _ = publicity.level_parts(view)
    _, year_chart = publicity.level_charts(view, levels)
    need = attention.build(view)

    def pick(figures: list[Figure], key: str, label: str | None = None) -> Figure:
        found = next(f for f in figures if f.key == key)
        return replace(found, label=label) if label else found

    average = pick(project_figures, "average")
    return {
        "version": VERSION,
        "elapsed": project_chart.series[1].values[0] if project_chart.series[1].values else None,
        "slides": [
            _slide(
                "overview",
                [
                    average,
                    pick(subsidy_figures, "paid", "补贴发放金额"),
                    pick(levy_figures, "collected", "已征收残保金"),
                    pick(level_figures, "articles", "发表稿件"),
                ],
                project_chart,
            ),
            _slide("projects", [f for f in project_figures if f.key.startswith("project:")], project_chart),
            _slide("subsidies", [pick(subsidy_figures, k) for k in ("paid", "people", "households")], subsidy_chart),
            _slide("levy", [f for f in levy_figures if f.key == "collected" or f.key.startswith("ratio:")], levy_chart),
            _slide(
                "publicity",
                [f for f in level_figures if f.key == "articles" or f.key.startswith("level:")],
                year_chart,
            ),
            _slide("attention", list(need.figures), need.chart("findings"), list(need.table("lines").rows["事项"])),
        ],
    }


def figure_text(n: dict) -> str:
    """A frozen figure in the words it was frozen with (a version-1 pack's, worded now by the text module)."""
    return n.get("text") or text.value(n["kind"], n.get("value"), n.get("unit") or "")


def figure_parts(n: dict) -> tuple[str, str]:
    """A frozen figure's digits and the unit written small beside them (“121.58”, “万元”; “54.2%”, “”)."""
    words = figure_text(n)
    unit = {"wan": "万元", "yuan": "元"}.get(n["kind"], n.get("unit") or "" if n["kind"] == "count" else "")
    if unit and words.endswith(f" {unit}"):
        return words[: -len(unit) - 1], unit
    return words, ""


def chart_texts(chart: dict, series: int = 0) -> list[str]:
    """A frozen chart series' values in words."""
    s = chart["series"][series]
    if "texts" in s:
        return s["texts"]
    return [text.value(chart["kind"], v) for v in s["values"]]


def chart_numbers(chart: dict, series: int = 0) -> list[float | None]:
    """What a frozen chart plots: the numbers it printed (万元 rounded half-up, shares in percent points)."""
    s = chart["series"][series]
    if "numbers" in s:
        return s["numbers"]
    kind = s.get("kind") or chart["kind"]
    return [None if v is None else float(text.number(kind, v)) for v in s["values"]]
