"""工作总结: the half-year (or any period's) work report drafted from the store, every number traceable.

The draft follows the office's own 上半年工作总结 (shared/seed): a title, 一、工作完成情况 with (一) the key
projects, (二) the other lines of work, (三) 作风建设 left to the author, and 二、下一步工作打算 from the
targets still open. Every number in it is a :class:`Fact`: the metric (the same keys as the report's
provenance, data_layer/queries/provenance.py ``reproduce``), the query behind it, the filter, its value — and a
flag where the author should look again: the figure rests on records entered over a warning, or the office's
own report printed another value for it. The Word document (data_layer/documents/work_report_docx.py) turns
each fact into a comment; the Excel sheet lists them one per row.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from sqlalchemy import func, select, true

from data_layer.domain import text as words
from data_layer.domain.money import fen_as_yuan, yuan_as_fen
from data_layer.domain.scope import Scope
from data_layer.models import (
    Article,
    Campaign,
    Disbursement,
    Indicator,
    IndicatorValue,
    Outlet,
    ProgressEntry,
    Project,
    ProjectItem,
    SubsidyType,
)
from data_layer.queries import indicators, levy, org, projects, publicity, subsidies
from data_layer.queries._sql import frame, in_units
from data_layer.queries.indicators import same_period_last_year
from data_layer.queries.provenance import figures, reproduce

# which query a metric's value comes from (provenance.reproduce dispatches on the part before “:”)
QUERIES = {
    "progress.quantity": "projects.item_progress（本期完成数量）",
    "progress.amount": "projects.item_progress（本期金额）",
    "progress.target": "projects.item_progress（年度目标）",
    "progress.remaining": "projects.item_progress（年度目标 − 年初至期末累计）",
    "progress.ytd": "projects.item_progress（年初至期末累计 ÷ 年度目标）",
    "project.amount": "projects.item_progress（工程各指标本期金额之和）",
    "disb.recipients": "subsidies.totals_by_type（人/户数）",
    "disb.amount": "subsidies.totals_by_type（发放金额）",
    "standard": "subsidystandard（期末适用标准）",
    "levy.onsite": "levy.period_activity（现场检查单位数）",
    "levy.notified": "levy.period_activity（发出年审通知单位数）",
    "levy.campaign_inspected": "levy.period_activity（专项检查覆盖单位数）",
    "campaign.start_day": "campaign（本期开始的专项检查：开始日）",
    "campaign.end_day": "campaign（本期开始的专项检查：结束日）",
    "articles.total": "publicity.by_outlet（各媒体稿件之和）",
    "articles.outlet": "publicity.by_outlet（该媒体本期稿件）",
    "articles.target": "publicity.by_level（年度目标之和）",
    "articles.ytd": "publicity.by_level（年初至期末累计）",
    "indicator": "indicators.totals（本期开始的填报值之和）",
    "levy.task": "levy.task_fen（该年度征收任务）",
    "levy.collected": "levy.summary（年初至期末已征收）",
    "org.township_units": "org.townships_in_scope（范围内的镇、街道数）",
    "yoy": "同比：本期 ÷ 去年同期 − 1（同一查询，去年同期）",
}
UNIT_WORDS = {"household": "户", "person": "人"}
# Under whose leadership the report's office worked, by what its scope covers (org.scope_area)
LEADERSHIP = {"全县": "县委、县政府", "全市": "市委、市政府", "全省": "省委、省政府"}


@dataclass(frozen=True)
class Fact:
    """One number of the draft: what it is, its value, how it reads, where it comes from, and what to check."""

    number: int
    section: str
    metric: str
    value: Decimal | None
    unit: str
    text: str
    query: str
    filter: str
    flag: str = ""  # why the author should check it (empty: nothing to check)
    sentence: str = ""  # the sentence it stands in, filled once the paragraph is written


Segment = str | Fact


@dataclass
class Paragraph:
    kind: str  # title, heading1, heading2, body, placeholder
    segments: list[Segment] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(s if isinstance(s, str) else s.text for s in self.segments)


@dataclass
class Draft:
    title: str
    filter: str
    paragraphs: list[Paragraph]

    @property
    def facts(self) -> list[Fact]:
        return [s for p in self.paragraphs for s in p.segments if isinstance(s, Fact)]


# --- the warnings and corrections a figure rests on -------------------------------------------------------


def confirmed_warnings(url: str, scope: Scope) -> dict[str, int]:
    """metric → how many of its records in the period were saved over a warning (with the note that confirmed it)."""
    warned = {}
    e = ProgressEntry
    stmt = (
        select(Project.code, ProjectItem.code, func.count(e.id))
        .join(ProjectItem, ProjectItem.id == e.item_id)
        .join(Project, Project.id == ProjectItem.project_id)
        .where(
            e.deleted_at.is_(None),
            e.warning_note != "",
            e.entry_date.between(scope.start, scope.end),
            in_units(scope, e.township_id, Project.county_id),
        )
        .group_by(Project.code, ProjectItem.code)
    )
    for r in frame(url, stmt, ["p", "i", "n"]).itertuples():
        for kind in ("progress.quantity", "progress.amount"):
            warned[f"{kind}:{r.p}.{r.i}"] = int(r.n)
        warned[f"project.amount:{r.p}"] = warned.get(f"project.amount:{r.p}", 0) + int(r.n)
    d, a, v = Disbursement, Article, IndicatorValue
    by_type = _warned_per(url, scope, d, SubsidyType.code, SubsidyType.id == d.type_id, d.paid_date)
    for code, n in by_type.items():
        warned[f"disb.amount:{code}"] = warned[f"disb.recipients:{code}"] = n
    for outlet, n in _warned_per(url, scope, a, Outlet.name, Outlet.id == a.outlet_id, a.published_on).items():
        warned[f"articles.outlet:{outlet}"] = n
        warned["articles.total"] = warned.get("articles.total", 0) + n
    for code, n in _warned_per(url, scope, v, Indicator.code, Indicator.id == v.indicator_id, v.period_start).items():
        warned[f"indicator:{code}"] = n
    return warned


def _warned_per(url: str, scope: Scope, record, key, joined_on, day) -> dict[str, int]:
    """How many of ``record``'s live rows of the period were saved over a warning, per ``key`` (a joined column)."""
    stmt = (
        select(key, func.count(record.id))
        .join(key.class_, joined_on)
        .where(
            record.deleted_at.is_(None),
            record.warning_note != "",
            day.between(scope.start, scope.end),
            in_units(scope, record.township_id, record.county_id),
        )
        .group_by(key)
    )
    return {k: int(n) for k, n in frame(url, stmt, ["key", "n"]).itertuples(index=False)}


def printed_values(url: str, scope: Scope) -> dict[str, tuple[str, str]]:
    """metric → (what the office's report printed, why it differs) for the report's figures of this very period and
    county, where it printed a plain number."""
    every = list(org.counties(url)["county_id"])
    chosen = list(scope.county_ids) or every
    # the report is one county's — the first, which the store was seeded with: a township's, another county's or a
    # whole city's figures are not compared with it
    if scope.township_ids or len(chosen) != 1 or chosen[0] != every[0]:
        return {}
    wanted = f"{scope.year}-{scope.period}"
    out = {}
    for f in figures(url).itertuples():
        if f.period == wanted and isinstance(f.metric, str) and f.metric and re.fullmatch(r"\d+", f.value_printed):
            out[f.metric] = (f.value_printed, f.why_differs or "")
    return out


def campaigns(url: str, scope: Scope):
    """The enforcement campaigns that started within the period (name, start, end)."""
    stmt = (
        select(Campaign.name, Campaign.start_date, Campaign.end_date)
        .where(Campaign.start_date.between(scope.start, scope.end), _county(scope, Campaign.county_id))
        .order_by(Campaign.start_date)
    )
    return frame(url, stmt, ["name", "start", "end"])


def _county(scope: Scope, column):
    return column.in_(scope.county_ids) if scope.county_ids else true()


def standard_bases(url: str) -> dict[str, str]:
    """type code → how its standard is paid: “month” (每月) or “payment” (每次)."""
    return dict(frame(url, select(SubsidyType.code, SubsidyType.standard_basis), ["code", "basis"]).itertuples(False))


def _close(parts: list) -> list:
    """The sentence ends with “。” (a trailing “；” or “，” becomes it)."""
    if parts and isinstance(parts[-1], str) and parts[-1][-1:] in "；，":
        parts[-1] = parts[-1][:-1] + "。"
    else:
        parts.append("。")
    return parts


def last_year(scope: Scope) -> Scope:
    """The same period a year earlier (the 同比 base)."""
    return replace(
        scope,
        year=scope.year - 1,
        start=same_period_last_year(scope.start),
        end=same_period_last_year(scope.end),
    )


# --- writing ----------------------------------------------------------------------------------------------


class _Writer:
    """Collects paragraphs; every number goes through :meth:`fact`, so it is numbered, traced and flagged."""

    def __init__(self, url: str, scope: Scope, filter_label: str) -> None:
        self.url, self.scope, self.filter = url, scope, filter_label
        self.paragraphs: list[Paragraph] = []
        self.count = 0
        self.section = ""
        self.warned = confirmed_warnings(url, scope)
        self.printed = printed_values(url, scope)

    def heading(self, kind: str, text: str) -> None:
        self.section = text
        self.paragraphs.append(Paragraph(kind, [text]))

    def body(self, *segments: Segment, kind: str = "body") -> None:
        sentence = "".join(s if isinstance(s, str) else s.text for s in segments)
        done = [replace(s, sentence=sentence) if isinstance(s, Fact) else s for s in segments]
        self.paragraphs.append(Paragraph(kind, done))

    def placeholder(self, text: str) -> None:
        self.body(f"【待补充：{text}】", kind="placeholder")

    def nothing(self, opening: list[Segment], missing: str) -> None:
        """A line of work with no records in the period: its opening sentence, then what the author must add."""
        self.body(*opening)
        self.placeholder(missing)

    def fact(self, metric: str, value: Decimal | None, unit: str, text: str | None = None, *, flag: str = "") -> Fact:
        self.count += 1
        warned = self.warned.get(metric, 0)
        notes = [flag] if flag else []
        if warned:
            notes.append(f"其中 {warned} 条记录是录入时出现提醒、经确认并写明说明后保存的，请核实")
        printed = self.printed.get(metric)
        if printed and value is not None and Decimal(printed[0]) != value:
            notes.append(f"原报告印为“{printed[0]}”，本稿按库中数据为 {words.plain(value)}。{printed[1]}".strip())
        if text is None:
            # money facts hold 元 (the report's printed values are 元); worded from fen, rounded as on the boards
            text = (
                words.NONE
                if value is None
                else words.report_money(yuan_as_fen(value))
                if unit == "元"
                else f"{words.plain(value)}{unit}"
            )
        kind = metric.partition(":")[0]
        return Fact(
            self.count, self.section, metric, value, unit, text, QUERIES.get(kind, kind), self.filter, "；".join(notes)
        )

    def value(self, metric: str, scope: Scope | None = None) -> Decimal | None:
        return reproduce(self.url, metric, scope or self.scope)

    def measured(self, metric: str, unit: str, text: Callable[[Decimal], str] | None = None) -> Fact:
        value = self.value(metric)
        return self.fact(metric, value, unit, None if value is None or text is None else text(value))

    def year_on_year(self, metric: str, now: Decimal | None) -> list[Segment]:
        """“，同比增长 12.5%” where the same period of last year has a value (nothing otherwise)."""
        before = self.value(metric, last_year(self.scope))
        if now is None or before is None or before == 0:
            return []
        change = now / before - 1
        trend = "与去年同期持平" if change == 0 else ("同比增长" if change > 0 else "同比下降")
        if change == 0:
            return [f"，{trend}"]
        return [f"，{trend}", self.fact(f"yoy:{metric}", change, "%", words.pct(abs(change)))]


def build_draft(url: str, scope: Scope, *, title_unit: str, filter_label: str, period_words: str) -> Draft:
    """The draft for ``scope``: ``title_unit`` names who reports (县残疾人联合会, or a township), ``period_words``
    the period in words (2023年上半年)."""
    w = _Writer(url, scope, filter_label)
    title = f"{title_unit}{period_words}工作总结"
    w.paragraphs.append(Paragraph("title", [title]))
    leaders = LEADERSHIP.get(org.scope_area(url, scope), "各级党委、政府")
    w.body(
        f"{period_words}，在{leaders}的正确领导和上级残联的指导帮助下，{title_unit}按照年度工作方案，团结奋斗，"
        f"扎实工作，各项工作取得新的进展。现将{period_words}工作开展情况及下一步工作打算汇报如下："
    )
    w.heading("heading1", f"一、{period_words}工作完成情况")
    _key_projects(w)
    w.heading("heading2", "（二）业务工作全面推进")
    _other_work(w)
    w.heading("heading2", "（三）作风建设进一步加强")
    w.placeholder("作风建设、学习教育、党风廉政建设等情况，由起草人根据实际填写")
    w.heading("heading1", "二、下一步工作打算")
    _plans(w)
    return Draft(title, filter_label, w.paragraphs)


def _key_projects(w: _Writer) -> None:
    w.heading("heading2", "（一）重点工作进展情况")
    items = projects.item_progress(w.url, w.scope)
    if items.empty:
        w.placeholder(f"{w.scope.year}年尚未设置重点工程及其目标")
        return
    for n, ((code, name), group) in enumerate(items.groupby(["project_code", "project"], sort=False), start=1):
        parts: list[Segment] = [f"{n}、实施{name}。"]
        spent = w.value(f"project.amount:{code}")
        if spent:
            parts += ["投入资金", w.fact(f"project.amount:{code}", spent, "元"), "，"]
        done_any = False
        for r in group.itertuples():
            metric = f"progress.{'amount' if r.measure == 'money' else 'quantity'}:{code}.{r.item_code}"
            done = w.value(metric)
            if not done:
                continue
            done_any = True
            parts += [r.item, w.fact(metric, done, "元" if r.measure == "money" else r.unit)]
            if r.target == r.target and r.target > 0:
                target = Decimal(int(r.target))
                parts += [
                    "（年度目标",
                    w.fact(f"progress.target:{code}.{r.item_code}", target, r.unit),
                    "，年初以来完成",
                    w.fact(
                        f"progress.ytd:{code}.{r.item_code}", Decimal(str(r.completion)), "%", words.pct(r.completion)
                    ),
                    "）",
                ]
            parts += w.year_on_year(metric, done)
            parts.append("；")
        if not done_any:
            parts.append("本期尚无完成记录；")
        w.body(*_close(parts))


LEVY, SUBSIDIES, PUBLICITY = "残保金", "社会保障", "宣传"
# the order of the office's report: 康复, 就业与残保金, 助残日, 基地, 社会保障, 组织与证件, 信访, 宣传, 文体
ORDER = ("康复", LEVY, "助残日", "基地", SUBSIDIES, "组织", "信访", PUBLICITY, "文体")


def _other_work(w: _Writer) -> None:
    totals = indicators.totals(w.url, w.scope)
    categories = list(ORDER) + [c for c in dict.fromkeys(totals["category"]) if c not in ORDER]
    n = 0
    for category in categories:
        rows = totals[(totals["category"] == category) & (totals["value"] > 0)]
        if category in (LEVY, SUBSIDIES, PUBLICITY):
            n += 1
            {LEVY: _levy, SUBSIDIES: _subsidies, PUBLICITY: _publicity}[category](w, n)
        elif category == "组织":
            n += _organisation(w, n + 1, rows)
        elif not rows.empty:
            n += 1
            parts: list[Segment] = [f"{n}、做好{category}工作。"]
            for r in rows.itertuples():
                parts += _indicator(w, r)
            w.body(*_close(parts))


def _indicator(w: _Writer, r) -> list[Segment]:
    value = Decimal(int(r.value))
    return [
        r.indicator,
        w.fact(f"indicator:{r.code}", value, r.unit),
        *w.year_on_year(f"indicator:{r.code}", value),
        "；",
    ]


def _levy(w: _Writer, n: int) -> None:
    parts: list[Segment] = [f"{n}、加强残疾人就业和残保金征收工作。"]
    found = campaigns(w.url, w.scope)
    for c in found.itertuples():
        parts += [
            "从",
            w.fact("campaign.start_day", Decimal(c.start.day), "日", words.day(c.start)),
            "至",
            w.fact("campaign.end_day", Decimal(c.end.day), "日", words.day(c.end)),
            f"开展{c.name}，",
        ]
    covered = w.value("levy.campaign_inspected")
    onsite = w.value("levy.onsite")
    notified = w.value("levy.notified")
    if covered:
        parts += ["对", w.fact("levy.campaign_inspected", covered, "家"), "用人单位进行专项执法检查，"]
    if onsite:
        parts += ["现场检查", w.fact("levy.onsite", onsite, "家"), "用人单位，"]
    if notified:
        parts += ["向", w.fact("levy.notified", notified, "家"), "用人单位发放按比例安排残疾人就业年审通知，"]
    if len(parts) == 1:
        return w.nothing(parts, "本期没有专项检查、现场检查或年审通知的记录")
    w.body(*_close(parts))


def _subsidies(w: _Writer, n: int) -> None:
    by_type = subsidies.totals_by_type(w.url, w.scope)
    paid = by_type[by_type["amount_fen"] > 0]
    parts: list[Segment] = [f"{n}、认真做好残疾人社会保障工作。"]
    if paid.empty:
        return w.nothing(parts, "本期没有补贴发放记录")
    bases = standard_bases(w.url)
    for r in paid.itertuples():
        unit = UNIT_WORDS.get(r.unit, "人")
        who = f"{unit}" if unit == "户" else "名残疾人"
        recipients = w.fact(
            f"disb.recipients:{r.type_code}", Decimal(int(r.recipients)), unit, words.plain(int(r.recipients))
        )
        amount = w.value(f"disb.amount:{r.type_code}")
        standard = w.value(f"standard:{r.type_code}")
        parts += ["为", recipients, f"{who}发放{r.type}，"]
        if standard is not None:
            each = f"每{unit}每月" if bases.get(r.type_code) == "month" else f"每{unit}"
            parts += [f"标准为{each}", w.fact(f"standard:{r.type_code}", standard, "元"), "，"]
        parts += ["共发放", w.fact(f"disb.amount:{r.type_code}", amount, "元")]
        parts += w.year_on_year(f"disb.amount:{r.type_code}", amount)
        parts.append("；")
    w.body(*_close(parts))


def _organisation(w: _Writer, n: int, rows) -> int:
    """The organisation paragraph (numbered ``n``); returns 1 if it was written, 0 if there was nothing to say."""
    parts: list[Segment] = [f"{n}、不断强化基层残疾人组织建设。"]
    units = Decimal(len(org.townships_in_scope(w.url, w.scope)))
    if units and not w.scope.township_ids:
        area = org.scope_area(w.url, w.scope)
        parts += [area, w.fact("org.township_units", units, "个"), "镇（街道）均有残联组织；"]
    for r in rows.itertuples():
        parts += _indicator(w, r)
    if len(parts) == 1:
        return 0
    w.body(*_close(parts))
    return 1


def _publicity(w: _Writer, n: int) -> None:
    outlets = publicity.by_outlet(w.url, w.scope)
    used = outlets[outlets["articles"] > 0]
    parts: list[Segment] = [f"{n}、认真做好残疾人宣传工作。"]
    if used.empty:
        return w.nothing(parts, "本期没有录入发表的稿件")
    # the total is the sum of its parts: the office's printed total (62) did not add up to them (72)
    total = Decimal(int(used["articles"].sum()))
    parts += ["在各级媒体发表残疾人工作稿件", w.fact("articles.total", total, "篇")]
    parts += w.year_on_year("articles.total", total)
    parts.append("，其中，")
    for r in used.itertuples():
        parts += [r.outlet, w.fact(f"articles.outlet:{r.outlet}", Decimal(int(r.articles)), "篇"), "，"]
    w.body(*_close(parts))


def _plans(w: _Writer) -> None:
    """二、下一步工作打算: what the year's targets still ask for after the period (plans named, months given)."""
    items = projects.item_progress(w.url, w.scope)
    n = 0
    for (code, name), group in items.groupby(["project_code", "project"], sort=False):
        open_items = [r for r in group.itertuples() if r.target == r.target and r.target > r.done_ytd]
        if not open_items:
            continue
        n += 1
        parts: list[Segment] = [f"{n}、继续实施{name}，"]
        for r in open_items:
            remaining = Decimal(str(r.target - r.done_ytd))
            when = projects.plan_label(r.plan_start_month, r.plan_end_month)
            unit = "元" if r.measure == "money" else r.unit
            parts += [f"{r.item}还需完成", w.fact(f"progress.remaining:{code}.{r.item_code}", remaining, unit)]
            parts.append(f"（计划{when}实施）；" if when != "全年" else "；")
        w.body(*_close(parts))
    task = levy.task_fen(w.url, w.scope)
    if task:
        n += 1
        collected = fen_as_yuan(int(levy.summary(w.url, w.scope).iloc[0]["collected_fen"]))
        w.body(
            f"{n}、加大残保金征收工作力度，确保完成{w.scope.end.year}年征收任务",
            w.fact("levy.task", fen_as_yuan(task), "元"),
            "，年初以来已征收",
            w.fact("levy.collected", collected, "元"),
            "。",
        )
    levels = publicity.by_level(w.url, w.scope, w.scope.end)
    target = levels["target"].sum(min_count=1)
    if target == target:
        done = int(levels["year_to_date"].sum())
        n += 1
        w.body(
            f"{n}、做好残疾人宣传工作，全年信息宣传目标",
            w.fact("articles.target", Decimal(int(target)), "篇"),
            f"，{'已完成' if done >= target else '年初以来已发表'}",
            w.fact("articles.ytd", Decimal(done), "篇"),
            "。",
        )
    if n == 0:
        w.placeholder(f"{w.scope.year}年的重点工程和宣传目标尚未设置，下一步工作打算请起草人填写")
