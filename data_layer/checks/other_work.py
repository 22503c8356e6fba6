"""Indicator values (其他工作) that break a soft rule: the warnings the entry form gave, listed."""

from __future__ import annotations

from functools import partial

from data_layer.checks.base import Finding, check
from data_layer.domain import rules, text
from data_layer.domain.links import record_link
from data_layer.infra.cache import cached_query
from data_layer.queries.indicator_context import IndicatorValueContext, indicator_value_contexts

AREA = "其他工作"
TITLES = {
    "repeat": "同一指标、同一单位期间重叠的数值",
    "outlier": f"数值超过去年同期的 {rules.OUTLIER_FACTOR} 倍",
}


@cached_query
def _warned(url: str) -> list[tuple[IndicatorValueContext, dict[str, str]]]:
    return [(c, w) for c in indicator_value_contexts(url) if (w := rules.indicator_warnings(c))]


def record(c: IndicatorValueContext) -> str:
    where = c.township or "县本级"
    return f"指标数值 #{c.id}：{c.category} · {c.indicator}（{where}，{text.period(c.period_start, c.period_end)}）"


def values(c: IndicatorValueContext) -> str:
    return f"数值 {text.count(c.value, c.unit)}"


def _found(url: str, code: str) -> list[Finding]:
    return [
        Finding(
            f"indicator.{code}",
            TITLES[code],
            AREA,
            record(c),
            values(c),
            warnings[code],
            record_link("entry_other_work", c.id),
            c.warning_note,
        )
        for c, warnings in _warned(url)
        if code in warnings
    ]


for _code, _title in TITLES.items():
    check(f"indicator.{_code}", _title, AREA)(partial(_found, code=_code))
