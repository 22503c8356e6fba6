"""“Why this amount”: an amount owed and the steps that give it (data_layer/domain/levy_words.py), and the
what-if calculator that answers an employer's question with them. 残保金核定与缴纳 shows both; an assessment
opened there is explained by the very steps the calculator writes.
"""

from __future__ import annotations

from decimal import Decimal

import streamlit as st

from data_layer.domain import levy_rules, text
from data_layer.domain.levy_rules import Breakdown, Policy
from data_layer.domain.levy_words import BY_PEOPLE, BY_WEIGHT, GROUPS, WAYS, read_calculator, why_steps
from data_layer.domain.links import RECORD_PARAM
from data_layer.queries import levy_records
from pages.common.context import ViewContext
from pages.common.entry_spec import Field
from pages.common.field_form import Form, field_form
from pages.common.ui import big_number, empty

MONTHS = tuple(range(12, 0, -1))
MONTH_WORDS = {m: f"{m} 个月" for m in MONTHS}
STAFF = [Field("staff", "职工人数（人）", "text"), Field("avg_wage_fen", "年平均工资（元）", "text")]
PEOPLE = [  # a group's head count and its average months at work
    field
    for group, (label, _) in GROUPS.items()
    for field in (
        Field(group, f"{label}残疾职工（人）", "text"),
        Field(f"{group}_months", "平均在岗月数", "choice", options=MONTHS, labels=MONTH_WORDS),
    )
]
WEIGHTED = [Field("weighted", "已安排残疾人折算人数（可有小数）", "text", width=2)]


def render_breakdown(b: Breakdown, policy: Policy, title: str) -> None:
    big_number(title, text.yuan(b.amount_fen).removesuffix(" 元"), "元")
    st.markdown("\n".join(f"{i}. {line}" for i, line in enumerate(why_steps(b, policy), start=1)))


def render_calculator(ctx: ViewContext) -> None:
    """A what-if for an employer's question: nothing is saved."""
    years = levy_records.policy_years(ctx.url)
    if not years:
        empty("尚未设置残保金政策参数，请管理员先设置")
        return
    st.caption(
        "回答用人单位的咨询：填写单位上年的职工人数、职工年平均工资和残疾职工，按所选年度的政策测算应缴残保金，"
        "不保存任何数据。"
    )
    left, right = st.columns(2, gap="large")
    with left:
        typed = calculator_form(ctx, years)
    with right:
        if typed is None:
            st.caption("填写左侧后点“测算”，这里写出金额和计算过程。")
            return
        policy = levy_records.policy(ctx.url, typed["year"])
        b = levy_rules.explain(
            policy, staff=typed["staff"], disabled_staff=typed["disabled"], avg_wage_fen=typed["avg_wage_fen"]
        )
        render_breakdown(b, policy, f"按 {typed['year']} 年政策测算的应缴残保金")


def calculator_form(ctx: ViewContext, years: list[int]) -> dict | None:
    """The inputs as typed values, once 测算 was pressed and every value reads; else None."""
    way = st.radio("残疾职工", list(WAYS), format_func=WAYS.get, key="lc_c_way", horizontal=True)
    year = Field("year", "政策年度", "choice", options=tuple(years), labels={y: f"{y}年" for y in years})
    hint = "一、二级残疾职工按 2 人计；须签订一年以上劳动合同并足额缴纳社保才计入。" if way == BY_PEOPLE else ""
    form = Form([year, *STAFF, *(PEOPLE if way == BY_PEOPLE else WEIGHTED)], "测算", (3, 2, 2), hint)
    start = ctx.spec.year if ctx.spec.year in years else years[0]
    errors = st.session_state.get("lc_c_errors", {})
    typed = field_form("lc_c", None, form, year=ctx.spec.year, errors=errors, values={"year": start})
    if typed:
        raw = typed[0]
        read, st.session_state.lc_c_errors = read_calculator(raw, BY_WEIGHT if way == BY_WEIGHT else BY_PEOPLE)
        st.session_state.lc_c_typed = {**read, "year": int(raw["year"])} if read else None
        st.rerun()
    return st.session_state.get("lc_c_typed")


def render_assessed(ctx: ViewContext, a: dict) -> None:
    """An assessment's amount and the steps that give it, from the inputs stored with it (and a warning where
    the year's policy, changed since, gives another amount); the review it was computed from."""
    policy = levy_records.policy(ctx.url, int(a["year"]))
    if policy is None or a["staff"] is None or a["avg_wage_fen"] is None:
        big_number("核定金额", text.yuan(a["amount_fen"]).removesuffix(" 元"), "元")
        st.caption("这条核定没有保存计算依据，无法写出计算过程")
    else:
        disabled = Decimal(a["disabled_weighted"] or 0)
        b = levy_rules.explain(policy, staff=a["staff"], disabled_staff=disabled, avg_wage_fen=a["avg_wage_fen"])
        render_breakdown(b, policy, "核定金额")
        if b.amount_fen != a["amount_fen"]:
            again, stored = text.yuan(b.amount_fen), text.yuan(a["amount_fen"])
            st.warning(
                f"按现在的 {a['year']} 年政策参数重算为 {again}，与核定金额 {stored} 不同", icon=":material/warning:"
            )
    page = st.session_state.get("pages_by_path", {}).get("levy_reviews")
    if a["review_id"] is not None and page is not None:  # (a page run on its own, in tests, has no navigation)
        params = {**ctx.query_params(), RECORD_PARAM: str(a["review_id"])}
        st.page_link(page, label="查看依据的年审和名册", query_params=params, icon=":material/arrow_forward:")
