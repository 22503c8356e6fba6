"""The levy in words: an employer's question answered by the calculator (its inputs read and checked), and
“why this amount” step by step, in the order data_layer/domain/levy_rules.py computes it. The calculator, an
assessment opened on 残保金核定与缴纳 and any document that explains an amount read these, so the steps and
the checks of a what-if are written once.
"""

from __future__ import annotations

from decimal import Decimal

from data_layer.domain import levy_rules, text
from data_layer.domain.inputs import parse_count, parse_decimal, parse_yuan
from data_layer.domain.levy_rules import Breakdown, Policy, RosterLine

BY_PEOPLE, BY_WEIGHT = "people", "weight"  # disabled staff typed by grade and months, or as a weighted count
WAYS = {BY_PEOPLE: "按等级和在岗月数填写", BY_WEIGHT: "直接填写折算人数"}
GROUPS = {"severe": ("一、二级", 1), "other": ("三、四级", 3)}  # a group's words and a grade that stands for it


def read_calculator(raw: dict, way: str) -> tuple[dict | None, dict[str, str]]:
    """The calculator's typed text → ``{staff, avg_wage_fen, disabled}`` (the weighted head count), or a message
    per field: every number read as typed (full-width digits too), none negative, no more disabled staff than
    staff. ``raw``: ``staff``, ``avg_wage_fen``, and by ``way`` ``severe``/``other`` with ``<group>_months``,
    or ``weighted``."""
    errors: dict[str, str] = {}
    values: dict[str, int | None] = {}
    for name, label, reader in (
        ("staff", "在职职工人数", parse_count),
        ("avg_wage_fen", "职工年平均工资", parse_yuan),
    ):
        try:
            values[name] = reader(raw.get(name), label)
        except ValueError as exc:
            errors[name] = str(exc)
            continue
        if values[name] is None:
            errors[name] = f"请填写{label}"
        elif values[name] < 0:
            errors[name] = f"{label}不能为负数"
    disabled = Decimal(0)
    if way == BY_PEOPLE:
        lines: list[RosterLine] = []
        for group, (label, grade) in GROUPS.items():
            try:
                count = parse_count(raw.get(group), f"{label}残疾职工人数") or 0
            except ValueError as exc:
                errors[group] = str(exc)
                continue
            if count < 0:
                errors[group] = "人数不能为负数"
            lines += [RosterLine(grade, int(raw.get(f"{group}_months") or 12), True, True)] * max(count, 0)
        disabled = levy_rules.weighted_disabled(lines)
    else:
        try:
            disabled = parse_decimal(raw.get("weighted"), "折算人数", minimum=0) or Decimal(0)
        except ValueError as exc:
            errors["weighted"] = str(exc)
    if errors:
        return None, errors
    if disabled > values["staff"]:
        return None, {"weighted" if way == BY_WEIGHT else "severe": "残疾职工人数不能多于在职职工人数"}
    return {"staff": values["staff"], "avg_wage_fen": values["avg_wage_fen"], "disabled": disabled}, {}


def why_steps(b: Breakdown, policy: Policy) -> list[str]:
    """“Why this amount”, step by step (markdown: the amount owed in bold)."""
    quota = text.rate(policy.quota_ratio)
    required = text.head_count(b.required)
    lines = [f"应安排残疾人就业人数 = 在职职工 {text.count(b.staff)} 人 × 安排比例 {quota} = {required} 人"]
    if b.exempt:
        lines.append(f"在职职工 {text.count(b.staff)} 人，不超过 {policy.exempt_max_staff} 人：免征残保金")
        return lines
    if b.shortfall == 0:
        lines.append(
            f"已安排残疾人 {text.head_count(b.disabled)} 人（折算），不少于应安排的 {required} 人："
            "达到安排比例，无需缴纳"
        )
        return lines
    disabled, shortfall = text.head_count(b.disabled), text.head_count(b.shortfall)
    lines.append(f"差额 = 应安排 {required} 人 − 已安排残疾人（折算）{disabled} 人 = {shortfall} 人")
    local = text.yuan(policy.local_avg_wage_fen)
    cap = (
        f"当地社会平均工资 {local}的 {text.decimal_text(policy.wage_cap_multiple, 4)} 倍为 {text.yuan(b.wage_cap_fen)}"
    )
    if b.wage_used_fen < b.wage_fen:
        wage, used = text.yuan(b.wage_fen), text.yuan(b.wage_used_fen)
        lines.append(f"计征工资：单位上年职工年平均工资 {wage}，超过上限（{cap}），按上限 {used}计")
    else:
        lines.append(f"计征工资：单位上年职工年平均工资 {text.yuan(b.wage_fen)}，未超过上限（{cap}），按实际工资计")
    ratio = f"{disabled} ÷ {text.count(b.staff)} = {text.pct(b.ratio, 2)}"
    lines.append(f"实际安排比例 = {ratio}；{b.tier}")
    lines.append(
        f"应缴残保金 = 差额 {shortfall} 人 × 计征工资 {text.yuan(b.wage_used_fen)} × {text.rate(b.share)}"
        f" = **{text.yuan(b.amount_fen)}**"
    )
    return lines
