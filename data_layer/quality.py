"""Data-quality checks: one registry that every area adds to, and the findings it makes.

A check is a function ``(url) -> list[Finding]`` registered with ``@check``. The 数据质量 page
lists every finding; the entry forms use the same rules as warnings (services/projects.py),
so a value confirmed on entry still shows here, with the note that confirmed it.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import timedelta
from types import SimpleNamespace

import pandas as pd
from sqlalchemy import and_, select
from sqlalchemy.orm import aliased

from data_layer.cache import cached_query
from data_layer.models import ItemTownshipTarget, ProgressEntry, Project, ProjectItem, SeedFigure, Township
from data_layer.queries._sql import frame
from data_layer.rules import (
    REPEAT_WINDOW_DAYS,
    expected_amount_fen,
    months_between,
    months_overlap,
    over_twice_remaining,
    roll_jumped,
    unit_cost_outside,
)

FINDING_COLUMNS = ["check", "title", "area", "record", "values", "why", "link", "note"]


@dataclass(frozen=True)
class Finding:
    check: str  # the check's code
    title: str  # what the check tests, in words
    area: str  # 重点工程 / 补贴发放 / 信息宣传 / 报告数字 …
    record: str  # which record: “进度记录 #123 …” or “报告数字 sb_wheelchairs …”
    values: str  # the values that were tested
    why: str  # why they look wrong
    link: str  # url path and query of the page that shows (or edits) the record
    note: str = ""  # the note a person gave when confirming the value


@dataclass(frozen=True)
class Check:
    code: str
    title: str
    area: str
    run: Callable[[str], list[Finding]]


REGISTRY: dict[str, Check] = {}


def check(code: str, title: str, area: str):
    """Register a check; areas add theirs in their own module or here."""

    def register(fn: Callable[[str], list[Finding]]) -> Callable[[str], list[Finding]]:
        REGISTRY[code] = Check(code, title, area, fn)
        return fn

    return register


@cached_query
def findings(url: str) -> pd.DataFrame:
    """Every current finding of every registered check."""
    rows = [asdict(f) for c in REGISTRY.values() for f in c.run(url)]
    return pd.DataFrame(rows, columns=FINDING_COLUMNS)


# --- key-project progress entries ------------------------------------------------------------

_ENTRY_COLUMNS = [
    "id",
    "item_id",
    "township_id",
    "entry_date",
    "quantity",
    "amount_fen",
    "warning_note",
    "item",
    "unit",
    "measure",
    "annual_target",
    "cost_min",
    "cost_max",
    "year",
    "township",
]


def _entries(url: str) -> pd.DataFrame:
    e = ProgressEntry
    stmt = (
        select(
            e.id,
            e.item_id,
            e.township_id,
            e.entry_date,
            e.quantity,
            e.amount_fen,
            e.warning_note,
            ProjectItem.name,
            ProjectItem.unit,
            ProjectItem.measure,
            ProjectItem.annual_target,
            ProjectItem.unit_cost_min_fen,
            ProjectItem.unit_cost_max_fen,
            Project.year,
            Township.name,
        )
        .join(ProjectItem, ProjectItem.id == e.item_id)
        .join(Project, Project.id == ProjectItem.project_id)
        .outerjoin(Township, Township.id == e.township_id)
        .where(e.deleted_at.is_(None))
        .order_by(e.item_id, e.township_id, e.entry_date, e.id)
    )
    return frame(url, stmt, _ENTRY_COLUMNS)


def _entry_record(r) -> str:
    where = r.township if isinstance(r.township, str) else "县本级"
    return f"进度记录 #{r.id}：{r.year}年 {r.item}，{where}，{r.entry_date:%Y-%m-%d}"


def _entry_link(r) -> str:
    return f"entry_projects?entry={r.id}"


@check("progress.unit_cost", "单价超出合理范围", "重点工程")
def progress_unit_cost(url: str) -> list[Finding]:
    out = []
    for r in _entries(url).itertuples():
        unit_cost = unit_cost_outside(r.quantity, r.amount_fen, r.cost_min, r.cost_max)
        if unit_cost is not None:
            out.append(
                Finding(
                    "progress.unit_cost",
                    "单价超出合理范围",
                    "重点工程",
                    _entry_record(r),
                    f"{r.quantity:,} {r.unit}，{r.amount_fen / 100:,.2f} 元，单价 {unit_cost / 100:,.2f} 元",
                    f"合理单价 {r.cost_min / 100:,.0f}–{r.cost_max / 100:,.0f} 元/{r.unit}",
                    _entry_link(r),
                    r.warning_note,
                )
            )
    return out


@check("progress.over_target", "超过剩余目标的两倍", "重点工程")
def progress_over_target(url: str) -> list[Finding]:
    """Entries, in date order, that were more than twice what remained of their target."""
    entries = _entries(url)
    targets = frame(
        url,
        select(ItemTownshipTarget.item_id, ItemTownshipTarget.township_id, ItemTownshipTarget.target),
        ["item_id", "township_id", "target"],
    )
    own = {(r.item_id, r.township_id): r.target for r in targets.itertuples()}
    done: dict[tuple, float] = defaultdict(float)
    out = []
    for r in entries.itertuples():
        value = r.quantity if r.measure == "count" else r.amount_fen / 100
        township = None if pd.isna(r.township_id) else int(r.township_id)
        key = (r.item_id, township) if (r.item_id, township) in own else (r.item_id, "county")
        target = own.get((r.item_id, township), r.annual_target)
        remaining = max(target - done[key], 0)
        if over_twice_remaining(value, target, done[key]):
            out.append(
                Finding(
                    "progress.over_target",
                    "超过剩余目标的两倍",
                    "重点工程",
                    _entry_record(r),
                    f"本次 {value:,.0f} {r.unit}；此前累计 {done[key]:,.0f}，目标 {target:,.0f}",
                    f"剩余目标 {remaining:,.0f}，本次超过其两倍",
                    _entry_link(r),
                    r.warning_note,
                )
            )
        done[key] += value
    return out


@check("progress.repeat", f"{REPEAT_WINDOW_DAYS} 天内重复的记录", "重点工程")
def progress_repeat(url: str) -> list[Finding]:
    a, b = aliased(ProgressEntry), aliased(ProgressEntry)
    same = and_(
        a.item_id == b.item_id,
        a.quantity == b.quantity,
        a.amount_fen == b.amount_fen,
        a.id < b.id,
        a.deleted_at.is_(None),
        b.deleted_at.is_(None),
        (a.township_id == b.township_id) | (a.township_id.is_(None) & b.township_id.is_(None)),
    )
    pairs = frame(url, select(a.id, b.id, a.entry_date, b.entry_date).join(b, same), ["a", "b", "da", "db"])
    entries = _entries(url).set_index("id")
    out = []
    for p in pairs.itertuples():
        if abs(p.db - p.da) <= timedelta(days=REPEAT_WINDOW_DAYS):
            r = SimpleNamespace(**entries.loc[p.b].to_dict(), id=p.b)
            out.append(
                Finding(
                    "progress.repeat",
                    f"{REPEAT_WINDOW_DAYS} 天内重复的记录",
                    "重点工程",
                    _entry_record(r),
                    f"与记录 #{p.a}（{p.da:%Y-%m-%d}）的数量、金额相同",
                    "可能重复录入",
                    _entry_link(r),
                    r.warning_note,
                )
            )
    return out


# --- the report's printed figures -----------------------------------------------------------------


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
                    f"原文数值 {value:,.0f}",
                    f"合理范围 {bounds[0]:,}–{bounds[1]:,} {f['unit']}",
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
        count, money = printed_number(f), float(figures[rule["money"]]["value_used"])
        project, item = rule["item"].split(".")
        floor = minimum.get((project, item, int(f["period"][:4])))
        if count and floor and money / count < floor / 100:
            out.append(
                _figure_finding(
                    "report.unit_cost_floor",
                    "报告数字隐含的单价过低",
                    f,
                    f"{money:,.0f} 元 ÷ {count:,.0f} {f['unit']} = {money / count:,.2f} 元/{f['unit']}",
                    f"即使资金全部用于此项，单价也低于合理下限 {floor / 100:,.0f} 元",
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
                    f"原文 {value:,.0f}，年度目标 {target:,}",
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
                    f"分项 {listing} = {printed:,.0f}（按采用值 {used:,.0f}）",
                    f"合计印为 {total:,.0f}",
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
                    f"{count:,.0f} × {standard:,.0f} 元 × {months} 个月 = {count * standard * months:,.0f} 元",
                    f"金额印为 {amount:,.0f} 元，相差 {amount / (count * standard * months):,.1f} 倍",
                )
            )
    return out


# --- subsidy disbursements ---------------------------------------------------------------------------


def _disbursements(url: str) -> pd.DataFrame:
    from data_layer.models import Disbursement, SubsidyType

    d = Disbursement
    cols = [
        "id",
        "type_id",
        "county_id",
        "township_id",
        "month_from",
        "month_to",
        "recipients",
        "standard_fen",
        "amount_fen",
        "paid_date",
        "warning_note",
        "type",
        "payment",
        "basis",
        "township",
    ]
    stmt = (
        select(
            d.id,
            d.type_id,
            d.county_id,
            d.township_id,
            d.month_from,
            d.month_to,
            d.recipients,
            d.standard_fen,
            d.amount_fen,
            d.paid_date,
            d.warning_note,
            SubsidyType.name,
            SubsidyType.payment,
            SubsidyType.standard_basis,
            Township.name,
        )
        .join(SubsidyType, SubsidyType.id == d.type_id)
        .outerjoin(Township, Township.id == d.township_id)
        .where(d.deleted_at.is_(None))
        .order_by(d.type_id, d.county_id, d.township_id, d.month_from, d.id)
    )
    return frame(url, stmt, cols)


def _disbursement_record(r) -> str:
    where = r.township if isinstance(r.township, str) else "县本级"
    return f"发放记录 #{r.id}：{r.type}，{where}，{r.month_from:%Y-%m}，{r.paid_date:%Y-%m-%d} 发放"


@check("disbursement.amount", "金额 ≠ 人数 × 标准 × 月数", "补贴发放")
def disbursement_amount(url: str) -> list[Finding]:
    out = []
    for r in _disbursements(url).itertuples():
        months = months_between(r.month_from, r.month_to) if r.basis == "month" else 1
        expected = expected_amount_fen(r.basis, r.recipients, r.standard_fen, months)
        if r.amount_fen != expected:
            out.append(
                Finding(
                    "disbursement.amount",
                    "金额 ≠ 人数 × 标准 × 月数",
                    "补贴发放",
                    _disbursement_record(r),
                    f"{r.recipients:,} × {r.standard_fen / 100:,.2f} 元 × {months} = {expected / 100:,.2f} 元",
                    f"实发 {r.amount_fen / 100:,.2f} 元",
                    f"entry_subsidies?record={r.id}",
                    r.warning_note,
                )
            )
    return out


@check("disbursement.duplicate", "同一补贴、乡镇、月份重复发放", "补贴发放")
def disbursement_duplicate(url: str) -> list[Finding]:
    rows = _disbursements(url)
    out = []
    for _, group in rows.groupby(["type_id", "county_id", rows["township_id"].fillna(-1)]):
        seen = []
        for r in group.itertuples():
            clash = next((s for s in seen if months_overlap(s.month_from, s.month_to, r.month_from, r.month_to)), None)
            if clash is not None:
                out.append(
                    Finding(
                        "disbursement.duplicate",
                        "同一补贴、乡镇、月份重复发放",
                        "补贴发放",
                        _disbursement_record(r),
                        f"与记录 #{clash.id}（{clash.month_from:%Y-%m}–{clash.month_to:%Y-%m}）月份重叠",
                        "可能重复录入",
                        f"entry_subsidies?record={r.id}",
                        r.warning_note,
                    )
                )
            seen.append(r)
    return out


@check("disbursement.jump", "按月发放人数变化过大", "补贴发放")
def disbursement_jump(url: str) -> list[Finding]:
    from data_layer.app_settings import all_settings

    share = float(all_settings(url).get("subsidy.jump", "0.3"))
    rows = _disbursements(url)
    rows = rows[rows["payment"] == "monthly"]
    out = []
    for _, group in rows.groupby(["type_id", "county_id", rows["township_id"].fillna(-1)]):
        previous = None
        for r in group.itertuples():
            if previous is not None and roll_jumped(previous.recipients, r.recipients, share):
                out.append(
                    Finding(
                        "disbursement.jump",
                        "按月发放人数变化过大",
                        "补贴发放",
                        _disbursement_record(r),
                        f"{previous.month_from:%Y-%m} {previous.recipients:,} → {r.month_from:%Y-%m} {r.recipients:,}",
                        f"变化超过 {share:.0%}",
                        f"entry_subsidies?record={r.id}",
                        r.warning_note,
                    )
                )
            previous = r
    return out
