"""Subsidy disbursements that break a soft rule: the warnings the entry form gave, listed."""

from __future__ import annotations

from functools import partial

from data_layer.checks.base import Finding, check
from data_layer.domain import rules, text
from data_layer.domain.links import record_link
from data_layer.infra.cache import cached_query
from data_layer.queries.rule_context import DisbursementContext, disbursement_contexts

AREA = "补贴发放"
TITLES = {
    "amount": "金额 ≠ 人数 × 标准 × 月数",
    "standard": "标准与发放日有效标准不同",
    "duplicate": "同一补贴、乡镇、月份重复发放",
    "jump": "按月发放人数变化过大",
}


@cached_query
def _warned(url: str) -> list[tuple[DisbursementContext, dict[str, str]]]:
    return [(c, w) for c in disbursement_contexts(url) if (w := rules.disbursement_warnings(c))]


def record(c: DisbursementContext) -> str:
    months = text.month_span(c.month_from, c.month_to)
    return f"发放记录 #{c.id}：{c.type}，{c.township or '县本级'}，{months}，{text.iso_day(c.paid_date)} 发放"


def _found(url: str, code: str) -> list[Finding]:
    return [
        Finding(
            f"disbursement.{code}",
            TITLES[code],
            AREA,
            record(c),
            f"{text.count(c.recipients)} × {text.yuan(c.standard_fen)}，实发 {text.yuan(c.amount_fen)}",
            warnings[code],
            record_link("entry_subsidies", c.id),
            c.warning_note,
        )
        for c, warnings in _warned(url)
        if code in warnings
    ]


for _code, _title in TITLES.items():
    check(f"disbursement.{_code}", _title, AREA)(partial(_found, code=_code))
