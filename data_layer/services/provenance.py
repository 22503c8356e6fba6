"""The source report's figures, kept with where they come from."""

from __future__ import annotations

import json
from decimal import Decimal

from sqlmodel import Session, select

from data_layer.domain.errors import Checks
from data_layer.domain.roles import Actor
from data_layer.models import SeedFigure
from data_layer.services._core import check_actor, check_text, insert, service


@service(admin=True)
def add_seed_figure(
    *,
    session: Session,
    actor: Actor,
    code: str,
    source: str,
    area: str,
    item: str,
    section: str,
    quote: str,
    value_printed: str,
    value_used: Decimal | None,
    unit: str,
    why_differs: str = "",
    period: str = "",
    metric: str | None = None,
    metric_rule: str = "eq",
    figure_checks: dict | None = None,
) -> int:
    checks = Checks()
    check_actor(checks, actor)
    check_text(checks, "code", code, "代码", 40)
    check_text(checks, "section", section, "出处章节", 80)
    check_text(checks, "quote", quote, "原文", 2000)
    check_text(checks, "value_printed", value_printed, "原文数值", 40)
    if code and session.exec(select(SeedFigure).where(SeedFigure.code == code)).first():
        checks.require(False, "code", f"代码“{code}”已存在")
    if value_used is not None and str(value_used) != value_printed:
        # A figure used with another value than printed must say why.
        checks.require(why_differs and why_differs.strip(), "why_differs", "采用值与原文不同，须说明原因")
    if value_used is not None:
        checks.require(quote and value_printed in quote, "quote", "原文摘录中找不到原文数值")
    checks.require(metric_rule in ("eq", "at_least"), "metric_rule", "核对方式应为 eq 或 at_least")
    checks.raise_if_any()
    row = SeedFigure(
        code=code,
        source=source,
        area=area,
        item=item,
        section=section,
        quote=quote,
        value_printed=value_printed,
        value_used=value_used,
        unit=unit,
        why_differs=why_differs,
        period=period,
        metric=metric,
        metric_rule=metric_rule,
        checks=json.dumps(figure_checks or {}, ensure_ascii=False),
    )
    return insert(session, row, actor=actor)
