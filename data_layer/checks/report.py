"""The report's printed figures checked against each other and against the plausible ranges of the store."""

from __future__ import annotations

import json
import re
from collections import defaultdict

from sqlalchemy import select

from data_layer.checks.base import Finding, check
from data_layer.domain import text
from data_layer.domain.money import yuan_as_fen
from data_layer.domain.rules import over_twice_remaining
from data_layer.models import Project, ProjectItem, SeedFigure
from data_layer.queries._sql import frame


def _figures(url: str) -> dict[str, dict]:
    cols = ["code", "item", "value_printed", "value_used", "unit", "period", "metric", "checks"]
    rows = frame(url, select(*[getattr(SeedFigure, c) for c in cols]), cols)
    out = {}
    for r in rows.to_dict("records"):
        r["checks"] = json.loads(r["checks"] or "{}")
        out[r["code"]] = r
    return out


def printed_number(figure: dict) -> float | None:
    """The printed value as a number: “20230” → 20230, “30万元” → 300000; None for words (“一处”)."""
    if "number" in figure["checks"]:
        return float(figure["checks"]["number"])
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(万)?[^\d]*", str(figure["value_printed"]))
    if not m:
        return None
    return float(m.group(1)) * (10_000 if m.group(2) else 1)


def _figure_finding(code: str, title: str, f: dict, values: str, why: str) -> Finding:
    return Finding(
        code,
        title,
        "报告数字",
        f"报告数字 {f['code']}：{f['item']}（原文“{f['value_printed']}”）",
        values,
        why,
        "sources",
    )


@check("report.plausible", "报告数字超出合理范围", "报告数字")
def report_plausible(url: str) -> list[Finding]:
    out = []
    for f in _figures(url).values():
        bounds, value = f["checks"].get("plausible"), printed_number(f)
        if bounds and value is not None and not bounds[0] <= value <= bounds[1]:
            out.append(
                _figure_finding(
                    "report.plausible",
                    "报告数字超出合理范围",
                    f,
                    f"原文数值 {text.count(value)}",
                    f"合理范围 {text.count(bounds[0])}–{text.count(bounds[1], f['unit'])}",
                )
            )
    return out


@check("report.unit_cost_floor", "报告数字隐含的单价过低", "报告数字")
def report_unit_cost_floor(url: str) -> list[Finding]:
    """Even if all the money went to this item, each unit would cost less than the item's minimum."""
    figures = _figures(url)
    items = frame(
        url,
        select(Project.code, ProjectItem.code, Project.year, ProjectItem.unit_cost_min_fen).join(
            Project, Project.id == ProjectItem.project_id
        ),
        ["p", "i", "year", "min_fen"],
    )
    minimum = {(r.p, r.i, r.year): r.min_fen for r in items.itertuples()}
    out = []
    for f in figures.values():
        rule = f["checks"].get("unit_cost_floor")
        if not rule or rule["money"] not in figures:
            continue
        count, money_fen = printed_number(f), yuan_as_fen(figures[rule["money"]]["value_used"])
        project, item = rule["item"].split(".")
        floor_fen = minimum.get((project, item, int(f["period"][:4])))
        if count and floor_fen and money_fen / count < floor_fen:
            out.append(
                _figure_finding(
                    "report.unit_cost_floor",
                    "报告数字隐含的单价过低",
                    f,
                    f"{text.whole_yuan(money_fen)} ÷ {text.count(count, f['unit'])} = "
                    f"{text.yuan(money_fen / count)}/{f['unit']}",
                    f"即使资金全部用于此项，单价也低于合理下限 {text.whole_yuan(floor_fen)}",
                )
            )
    return out


@check("report.over_target", "报告数字超过年度目标的两倍", "报告数字")
def report_over_target(url: str) -> list[Finding]:
    items = frame(
        url,
        select(Project.code, ProjectItem.code, Project.year, ProjectItem.annual_target).join(
            Project, Project.id == ProjectItem.project_id
        ),
        ["p", "i", "year", "target"],
    )
    targets = defaultdict(int)
    for r in items.itertuples():
        targets[(f"{r.p}.{r.i}", r.year)] += r.target
    out = []
    for f in _figures(url).values():
        metric, value = f["metric"], printed_number(f)
        if not isinstance(metric, str) or not metric.startswith("progress.quantity:") or value is None:
            continue
        target = targets.get((metric.split(":", 1)[1], int(f["period"][:4])))
        if over_twice_remaining(value, target, 0):
            out.append(
                _figure_finding(
                    "report.over_target",
                    "报告数字超过年度目标的两倍",
                    f,
                    f"原文 {text.count(value)}，年度目标 {text.count(target)}",
                    "超过全年目标的两倍",
                )
            )
    return out


@check("report.parts_sum", "分项之和不等于合计", "报告数字")
def report_parts_sum(url: str) -> list[Finding]:
    figures = _figures(url)
    out = []
    for f in figures.values():
        parts = [figures[c] for c in f["checks"].get("parts", []) if c in figures]
        if not parts:
            continue
        total = printed_number(f)
        printed = sum(printed_number(p) or 0 for p in parts)
        used = sum(float(p["value_used"]) for p in parts)
        if total is not None and (printed != total or used != total):
            listing = "+".join(str(p["value_printed"]) for p in parts)
            out.append(
                _figure_finding(
                    "report.parts_sum",
                    "分项之和不等于合计",
                    f,
                    f"分项 {listing} = {text.count(printed)}（按采用值 {text.count(used)}）",
                    f"合计印为 {text.count(total)}",
                )
            )
    return out


@check("report.count_standard", "人数 × 标准 × 月数 ≠ 金额", "报告数字")
def report_count_standard(url: str) -> list[Finding]:
    figures = _figures(url)
    out = []
    for f in figures.values():
        rule = f["checks"].get("product")
        if not rule or rule["count"] not in figures or rule["standard"] not in figures:
            continue
        count, standard = printed_number(figures[rule["count"]]), printed_number(figures[rule["standard"]])
        amount, months = printed_number(f), rule.get("months", 1)
        if None not in (count, standard, amount) and count * standard * months != amount:
            out.append(
                _figure_finding(
                    "report.count_standard",
                    "人数 × 标准 × 月数 ≠ 金额",
                    f,
                    f"{text.count(count)} × {text.whole_yuan(yuan_as_fen(standard))} × {months} 个月 = "
                    f"{text.whole_yuan(yuan_as_fen(count * standard * months))}",
                    f"金额印为 {text.whole_yuan(yuan_as_fen(amount))}，"
                    f"相差 {text.decimal_text(amount / (count * standard * months), 1)} 倍",
                )
            )
    return out
