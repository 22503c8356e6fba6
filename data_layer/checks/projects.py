"""Key-project progress entries that break a soft rule: the warnings the entry form gave, listed."""

from __future__ import annotations

from functools import partial

from data_layer.checks.base import Finding, check
from data_layer.domain import rules, text
from data_layer.domain.links import record_link
from data_layer.infra.cache import cached_query
from data_layer.queries.rule_context import ProgressContext, progress_contexts

AREA = "重点工程"
TITLES = {
    "empty": "数量和金额都是 0",
    "unit_cost": "单价超出合理范围",
    "no_amount": "有数量、金额为 0",
    "over_target": "超过剩余目标的两倍",
    "repeat": f"{rules.REPEAT_WINDOW_DAYS} 天内重复的记录",
}


@cached_query
def _warned(url: str) -> list[tuple[ProgressContext, dict[str, str]]]:
    return [(c, w) for c in progress_contexts(url) if (w := rules.progress_warnings(c))]


def record(c: ProgressContext) -> str:
    return f"进度记录 #{c.id}：{c.year}年 {c.item}，{c.township or '县本级'}，{text.iso_day(c.entry_date)}"


def _found(url: str, code: str) -> list[Finding]:
    return [
        Finding(
            f"progress.{code}",
            TITLES[code],
            AREA,
            record(c),
            f"本次 {text.count(c.quantity, c.unit)}，{text.yuan(c.amount_fen)}"
            if c.measure == "count"
            else f"本次 {text.yuan(c.amount_fen)}",
            warnings[code],
            record_link("entry_projects", c.id),
            c.warning_note,
        )
        for c, warnings in _warned(url)
        if code in warnings
    ]


for _code, _title in TITLES.items():
    check(f"progress.{_code}", _title, AREA)(partial(_found, code=_code))
