"""Articles that break a soft rule: the warnings the entry form gave, listed."""

from __future__ import annotations

from functools import partial

from data_layer.checks.base import Finding, check
from data_layer.domain import rules, text
from data_layer.domain.links import record_link
from data_layer.infra.cache import cached_query
from data_layer.queries.article_context import ArticleContext, article_contexts

AREA = "信息宣传"
TITLES = {
    "title": "同一标题的稿件重复录入",
    "link": "同一链接的稿件重复录入",
    "before_first_use": "发表日期早于媒体首次使用日期",
}


@cached_query
def _warned(url: str) -> list[tuple[ArticleContext, dict[str, str]]]:
    return [(c, w) for c in article_contexts(url) if (w := rules.article_warnings(c))]


def record(c: ArticleContext) -> str:
    return f"稿件 #{c.id}：{c.title}（{c.outlet}，{c.township or '县本级'}，{text.iso_day(c.published_on)} 发表）"


def values(c: ArticleContext) -> str:
    return f"标题“{c.title}”，{c.kind}，链接 {c.link or '无'}"


def _found(url: str, code: str) -> list[Finding]:
    return [
        Finding(
            f"article.{code}",
            TITLES[code],
            AREA,
            record(c),
            values(c),
            warnings[code],
            record_link("entry_publicity", c.id),
            c.warning_note,
        )
        for c, warnings in _warned(url)
        if code in warnings
    ]


for _code, _title in TITLES.items():
    check(f"article.{_code}", _title, AREA)(partial(_found, code=_code))
