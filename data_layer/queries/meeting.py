"""A meeting's slides as figures: what each area's slide shows (headline numbers, one chart, lines to read out),
built from the same queries the boards draw from, as plain JSON-ready values. A meeting pack freezes this
(data_layer/services/meetings.py); the meeting page and the PowerPoint deck draw from the frozen copy only.

A figure is ``{"label", "kind", "value", "unit", "note", "status", "status_label"}``: ``kind`` says how to write the
value (``pct`` a share, ``wan`` fen shown as 万元, ``count`` a whole number with its unit); ``format_value`` is the
one place that writes it, for the slides and the deck alike.
"""

from __future__ import annotations

import math
from datetime import date, datetime

import pandas as pd
from sqlalchemy import String, and_, cast, func, select

from data_layer.checks import findings
from data_layer.documents.colours import LEVEL_COLOURS, STATUS_COLOURS, subsidy_colours
from data_layer.domain import text
from data_layer.domain.pacing import DEFAULT_THRESHOLDS, STATUS_LABELS, PaceThresholds
from data_layer.domain.scope import Scope
from data_layer.models import Article, AuditLog, Disbursement, IndicatorValue, MeetingPack, ProgressEntry
from data_layer.queries import levy, projects, publicity, subsidies
from data_layer.queries._sql import frame, scalar

SLIDE_TITLES = {
    "overview": "工作总览",
    "projects": "三项重点工程",
    "subsidies": "社会保障补贴发放",
    "levy": "按比例就业与残保金征收",
    "publicity": "信息宣传",
    "attention": "需要关注",
}


def _num(value) -> float | None:
    """A JSON-safe number: NaN and None become None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def figure(label: str, kind: str, value, unit: str = "", note: str = "", status: str | None = None, words=None):
    return {
        "label": label,
        "kind": kind,
        "value": _num(value),
        "unit": unit,
        "note": note,
        "status": status,
        "status_label": words,
    }


def format_value(kind: str, value: float | None, unit: str = "") -> str:
    """How a slide and the deck write a figure: 54.2%, 121.58 万元, 1,234 篇; “—” where there is none."""
    if value is None:
        return "—"
    if kind == "pct":
        return f"{value * 100:.1f}%"
    if kind == "wan":
        return text.wan(value)
    return f"{value:,.0f}" + (f" {unit}" if unit else "")


def short_name(project: str) -> str:
    """残疾人民生救助“双百工程” → 双百工程; 阳光家园残疾人托养工程 → 阳光家园."""
    if "“" in project:
        return project.split("“", 1)[1].split("”", 1)[0]
    return project[:4]


def _projects(url: str, scope: Scope, today: date, thresholds: PaceThresholds) -> tuple[dict, pd.DataFrame]:
    summary = projects.project_summary(url, scope, today, thresholds)
    items = projects.item_pace(url, scope, today, thresholds)
    numbers = []
    for row in summary.itertuples():
        mine = items[items["project_code"] == row.project_code]
        note = f"{len(mine)} 项指标"
        if row.not_started:  # an average never hides an item at zero
            note += f"，{row.not_started} 项尚未开始" + (f"（{row.not_due} 项未到计划期）" if row.not_due else "")
        numbers.append(figure(short_name(row.project), "pct", row.completion, "", note, row.status, row.status_label))
    # the projects' mean 序时进度 (each follows its items' plans), beside their mean completion on the overview
    elapsed = _mean([_num(e) for e in summary["elapsed"]])
    chart = {
        "title": "完成进度与序时进度",
        "kind": "pct",
        "categories": [short_name(p) for p in summary["project"]],
        "colours": [STATUS_COLOURS[s] for s in summary["status"]],
        "series": [
            {"name": "完成进度", "values": [_num(r) for r in summary["completion"]]},
            {"name": "序时进度", "values": [_num(e) for e in summary["elapsed"]]},
        ],
    }
    return {"numbers": numbers, "chart": chart, "elapsed": elapsed}, items


def _subsidies(url: str, scope: Scope) -> dict:
    by_type = subsidies.totals_by_type(url, scope)
    paid = by_type[by_type["amount_fen"] > 0]
    people = int(paid.loc[paid["unit"] == "person", "recipients"].sum())
    households = int(paid.loc[paid["unit"] == "household", "recipients"].sum())
    return {
        "numbers": [
            figure("发放金额", "wan", int(by_type["amount_fen"].sum())),
            figure("惠及人数", "count", people, "人"),
            figure("惠及户数", "count", households, "户"),
        ],
        "chart": {
            "title": "各类补贴发放金额（万元）",
            "kind": "wan",
            "categories": [t.replace("残疾人", "") for t in paid["type"]],
            "colours": [subsidy_colours(list(by_type["type_code"]))[c] for c in paid["type_code"]],
            "series": [{"name": "发放金额", "values": [float(a) for a in paid["amount_fen"]]}],
        },
    }


def _levy(url: str, scope: Scope) -> dict:
    ratios = levy.headline(url, scope)
    collection = ratios[-1]
    task = f"征收任务 {format_value('wan', collection.denominator)}" if collection.denominator else collection.why_none
    return {
        "numbers": [
            figure("已征收", "wan", collection.numerator, note=task),
            *[figure(r.label, "pct", r.value, note=r.why_none if r.value is None else "") for r in ratios],
        ],
        "chart": {
            "title": "四项比率",
            "kind": "pct",
            "categories": [r.label for r in ratios],
            "series": [{"name": "比率", "values": [_num(r.value) for r in ratios]}],
        },
    }


def _publicity(url: str, scope: Scope, today: date, thresholds: PaceThresholds) -> dict:
    levels = publicity.by_level(url, scope, today, thresholds)
    total = publicity.all_levels(levels, scope, today, thresholds)
    target = total.target
    note = f"全年累计 {total.year_to_date:,} 篇" + ("" if math.isnan(target) else f" / 目标 {target:,.0f} 篇")
    numbers = [figure("本期发表稿件", "count", total.articles, "篇", note, total.status, total.status_label)]
    for row in levels.itertuples():
        words = f"全年累计 {row.year_to_date:,} 篇" + ("" if math.isnan(row.target) else f" / 目标 {row.target:,.0f}")
        numbers.append(figure(row.level_label, "count", row.articles, "篇", words, row.status, row.status_label))
    return {
        "numbers": numbers,
        "chart": {
            "title": "各级媒体：全年累计与年度目标（篇）",
            "kind": "count",
            "categories": list(levels["level_label"]),
            "colours": [LEVEL_COLOURS[lv] for lv in levels["level"]],
            "series": [
                {"name": "全年累计", "values": [float(v) for v in levels["year_to_date"]]},
                {"name": "年度目标", "values": [_num(v) for v in levels["target"]]},
            ],
        },
    }


def _attention(url: str, scope: Scope, today: date, thresholds: PaceThresholds, items: pd.DataFrame) -> dict:
    """The laggards (items behind their pace, townships with no article) and the open data-quality findings."""
    late = items[items["status"].isin(("far_behind", "behind"))].sort_values("completion")
    lines = [
        f"{short_name(r.project)} · {r.item}：完成 {format_value('pct', _num(r.completion))}，"
        f"序时 {format_value('pct', r.elapsed)}（{STATUS_LABELS[r.status]}）"
        for r in late.itertuples()
    ]
    towns = publicity.by_township(url, scope, today, thresholds)
    silent = list(towns.loc[towns["articles"] == 0, "township"])
    if silent:
        lines.append(f"本期没有稿件的乡镇：{'、'.join(silent)}")
    found = findings(url)
    by_area = found.groupby("area", sort=False).size() if len(found) else pd.Series(dtype=int)
    return {
        "numbers": [
            figure("滞后的指标", "count", len(late), "项"),
            figure("未供稿的乡镇", "count", len(silent), "个"),
            figure("数据质量待核实", "count", len(found), "条"),
        ],
        "lines": lines,
        "chart": {
            "title": "待核实的数据问题（条）",
            "kind": "count",
            "categories": [str(a) for a in by_area.index],
            "series": [{"name": "问题", "values": [float(n) for n in by_area]}],
        },
    }


def build_figures(url: str, scope: Scope, today: date, thresholds: PaceThresholds = DEFAULT_THRESHOLDS) -> dict:
    """Every slide's figures for the filter, as the boards would show them today."""
    project_slide, items = _projects(url, scope, today, thresholds)
    subsidy_slide = _subsidies(url, scope)
    levy_slide = _levy(url, scope)
    publicity_slide = _publicity(url, scope, today, thresholds)
    overview = {
        "numbers": [
            figure(
                "重点工程平均完成",
                "pct",
                _mean([n["value"] for n in project_slide["numbers"]]),
                note=f"序时进度 {format_value('pct', project_slide['elapsed'])}",
            ),
            subsidy_slide["numbers"][0] | {"label": "补贴发放金额"},
            levy_slide["numbers"][0] | {"label": "已征收残保金"},
            publicity_slide["numbers"][0] | {"label": "发表稿件"},
        ],
        "chart": project_slide["chart"],
    }
    slides = {
        "overview": overview,
        "projects": project_slide,
        "subsidies": subsidy_slide,
        "levy": levy_slide,
        "publicity": publicity_slide,
        "attention": _attention(url, scope, today, thresholds, items),
    }
    return {
        "version": 1,
        "elapsed": project_slide["elapsed"],
        "slides": [{"key": k, "title": SLIDE_TITLES[k], "lines": [], **v} for k, v in slides.items()],
    }


def _mean(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


# --- stored packs ------------------------------------------------------------------------------------------

PACK_COLUMNS = ["id", "name", "filter_label", "period_start", "period_end", "data_as_of", "created_by", "created_at"]


def packs(url: str) -> pd.DataFrame:
    """The packs not deleted, newest first (uncached: a pack frozen in another session shows at once)."""
    p = MeetingPack
    stmt = (
        select(p.id, p.name, p.filter_label, p.period_start, p.period_end, p.data_as_of, p.created_by, p.created_at)
        .where(p.deleted_at.is_(None))
        .order_by(p.created_at.desc(), p.id.desc())
    )
    return frame(url, stmt, PACK_COLUMNS)


def pack(url: str, pack_id: int) -> dict | None:
    """One pack with its figures (parsed), deleted or not."""
    import json

    p = MeetingPack
    rows = frame(
        url,
        select(*[getattr(p, c) for c in [*PACK_COLUMNS, "filter_params", "figures", "deleted_at"]]).where(
            p.id == pack_id
        ),
        [*PACK_COLUMNS, "filter_params", "figures", "deleted_at"],
    )
    if rows.empty:
        return None
    out = rows.iloc[0].to_dict()
    out["figures"] = json.loads(out["figures"])
    out["filter_params"] = json.loads(out["filter_params"])
    return out


# Entered records with the date that puts them in a period: a change to one of them after a pack was frozen
# may change the pack's figures.
DATED = (
    (ProgressEntry, "entry_date"),
    (Disbursement, "paid_date"),
    (Article, "published_on"),
    (IndicatorValue, "period_start"),
)


def changes_since(url: str, frozen_at: datetime, start: date, end: date) -> int:
    """How many records dated in the period were created, corrected, deleted or restored after ``frozen_at``."""
    total = 0
    for model, column in DATED:
        dated = getattr(model, column)
        stmt = (
            select(func.count(AuditLog.id))
            .join(model, cast(model.id, String) == AuditLog.row_id)
            .where(
                AuditLog.table_name == model.__tablename__, AuditLog.at > frozen_at, and_(dated >= start, dated <= end)
            )
        )
        total += int(scalar(url, stmt) or 0)
    return total
