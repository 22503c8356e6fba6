"""残保金核定与缴纳: the what-if calculator with its “why this amount”, the year's batch assessment (a dry run,
then the commit), one assessment with its payments and a payment form, and the year's assessments with what
is paid and owed. ``?record=<assessment id>`` opens one assessment.

Every amount comes from data_layer/levy_rules.py (``explain``); this page only writes its steps out.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pandas as pd
import streamlit as st

from data_layer.domain import levy_rules, text
from data_layer.domain.errors import Problems, ValidationFailed
from data_layer.domain.inputs import parse_decimal
from data_layer.domain.levy_rules import Breakdown, Policy, RosterLine
from data_layer.domain.links import RECORD_PARAM
from data_layer.export import XLSX_MIME, to_xlsx
from data_layer.infra.settings import CHINA
from data_layer.queries import levy_records, org
from data_layer.services import levy_collection as service
from data_layer.services.records import services_for
from pages.common.context import ViewContext, current
from pages.common.employer_picker import pick_employer, show_in_picker
from pages.common.entry_fields import attempt, read
from pages.common.entry_spec import Field
from pages.common.fmt import escape_markdown
from pages.common.forms import confirm_block, field_error, other_errors, saved_toast
from pages.common.ui import GRID_ROW_PX, big_number, empty, grid_height

SECTIONS = {"calc": "测算器", "batch": "批量核定", "one": "单位核定与缴纳", "list": "本年核定一览"}
LIST_ROWS = 12
PAYMENTS = services_for(service.PAYMENT)
# the basis in a few words, where a table column is narrow (the whole words are on the assessment itself)
SHORT_BASIS = {service.BASIS_APPROVED: "年审通过", service.BASIS_NOT_APPROVED: "未按期通过，按 0 人计"}


def render() -> None:
    ctx = current()
    saved_toast("lc_toast", long=True)
    if ctx.actor is None:
        st.warning("请先登录", icon=":material/lock:")
        return
    open_linked_assessment(ctx)
    st.session_state.setdefault("lc_section", "calc")
    top = st.columns([3, 1], vertical_alignment="bottom")
    section = (
        top[0].segmented_control(
            "栏目", list(SECTIONS), format_func=SECTIONS.__getitem__, key="lc_section", label_visibility="collapsed"
        )
        or "calc"
    )
    if section == "calc":
        render_calculator(ctx)
        return
    year = choose_year(ctx, top[1])
    {"batch": render_batch, "one": render_one, "list": render_list}[section](ctx, year)


def open_linked_assessment(ctx: ViewContext) -> None:
    """``?record=<id>`` opens that assessment once; later choices are the user's."""
    wanted = st.query_params.get(RECORD_PARAM)
    if not wanted or not wanted.isdigit() or st.session_state.get("lc_linked") == wanted:
        return
    st.session_state.lc_linked = wanted
    st.session_state.lc_section = "one"
    st.session_state.lc_open = int(wanted)
    found = levy_records.assessment(ctx.url, int(wanted), ctx.view.access)
    if found is not None:
        st.session_state.lc_year = int(found["year"])
        opened(int(wanted), int(found["employer_id"]), found["credit_code"])


def opened(assessment_id: int, employer_id: int, credit_code: str) -> None:
    """An assessment opened from a link or the list; the picker shows its employer too."""
    st.session_state.lc_open = assessment_id
    st.session_state.lc_pick_last = employer_id
    show_in_picker("lc_pick", employer_id, credit_code)


def choose_year(ctx: ViewContext, where) -> int:
    years = sorted({*levy_records.review_years(ctx.url), ctx.spec.year}, reverse=True)
    if st.session_state.get("lc_year") not in years:
        st.session_state.lc_year = ctx.spec.year
    return where.selectbox("核定年度", years, key="lc_year", format_func=lambda y: f"{y}年")


def county_id(ctx: ViewContext) -> int | None:
    if ctx.scope.county_ids:
        return ctx.scope.county_ids[0]
    counties = org.counties(ctx.url)
    return None if counties.empty else int(counties["county_id"].iloc[0])


# --- why this amount -----------------------------------------------------------------------------------------


def steps(b: Breakdown, policy: Policy) -> list[str]:
    """“Why this amount”, step by step, in the order the rule computes it."""
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


def render_breakdown(b: Breakdown, policy: Policy, title: str) -> None:
    big_number(title, text.yuan(b.amount_fen).removesuffix(" 元"), "元")
    st.markdown("\n".join(f"{i}. {line}" for i, line in enumerate(steps(b, policy), start=1)))


# --- (1) the calculator --------------------------------------------------------------------------------------

CALC_NUMBERS = [
    Field("staff", "在职职工人数", "count"),
    Field("avg_wage_fen", "职工年平均工资", "money"),
    Field("severe", "一、二级残疾职工人数", "count"),
    Field("other", "三、四级残疾职工人数", "count"),
]
BY_PEOPLE, BY_WEIGHT = "people", "weight"


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
        if typed is not None:
            policy = levy_records.policy(ctx.url, typed["year"])
            b = levy_rules.explain(
                policy, staff=typed["staff"], disabled_staff=typed["disabled"], avg_wage_fen=typed["avg_wage_fen"]
            )
            render_breakdown(b, policy, f"按 {typed['year']} 年政策测算的应缴残保金")
        else:
            st.caption("填写左侧后点“测算”，这里写出金额和计算过程。")


def calculator_form(ctx: ViewContext, years: list[int]) -> dict | None:
    """The inputs as typed values, once 测算 was pressed and every value reads; else None."""
    if st.session_state.get("lc_c_year") not in years:
        st.session_state.lc_c_year = ctx.spec.year if ctx.spec.year in years else years[0]
    way = st.radio(
        "残疾职工",
        [BY_PEOPLE, BY_WEIGHT],
        format_func={BY_PEOPLE: "按等级和在岗月数填写", BY_WEIGHT: "直接填写折算人数"}.get,
        key="lc_c_way",
        horizontal=True,
    )
    errors = st.session_state.get("lc_c_errors", {})
    with st.form("lc_calc"):
        top = st.columns(3)
        top[0].selectbox("政策年度", years, key="lc_c_year", format_func=lambda y: f"{y}年")
        with top[1]:
            staff = st.text_input("职工人数（人）", key="lc_c_staff")
            field_error(errors, "staff")
        with top[2]:
            wage = st.text_input("年平均工资（元）", key="lc_c_wage")
            field_error(errors, "avg_wage_fen")
        raw = {"staff": staff, "avg_wage_fen": wage}
        if way == BY_PEOPLE:
            raw |= people_fields(errors)
        else:
            raw["weighted"] = st.text_input("已安排残疾人折算人数（可有小数）", key="lc_c_weighted")
            field_error(errors, "weighted")
        pressed = st.form_submit_button("测算", type="primary")
    if pressed:
        st.session_state.lc_c_typed, st.session_state.lc_c_errors = read_calculator(raw, way)
        st.rerun()
    typed = st.session_state.get("lc_c_typed")
    return {**typed, "year": st.session_state.lc_c_year} if typed else None


def people_fields(errors: dict[str, str]) -> dict:
    raw = {}
    for group, label in (("severe", "一、二级"), ("other", "三、四级")):
        count, months = st.columns(2)
        with count:
            raw[group] = st.text_input(f"{label}残疾职工（人）", key=f"lc_c_{group}")
            field_error(errors, group)
        raw[f"{group}_months"] = months.selectbox(
            "平均在岗月数", list(range(12, 0, -1)), format_func=lambda m: f"{m} 个月", key=f"lc_c_{group}_months"
        )
    st.caption("一、二级残疾职工按 2 人计；须签订一年以上劳动合同并足额缴纳社保才计入。")
    return raw


def read_calculator(raw: dict, way: str) -> tuple[dict | None, dict[str, str]]:
    """Typed values (staff, wage, the weighted disabled head count), or the message per field."""
    values, errors = read(CALC_NUMBERS, raw, 0)
    for field, label in (("staff", "在职职工人数"), ("avg_wage_fen", "职工年平均工资")):
        if field not in errors and values.get(field) is None:
            errors[field] = f"请填写{label}"
        elif field not in errors and values[field] < 0:
            errors[field] = f"{label}不能为负数"
    if way == BY_PEOPLE:
        lines = []
        for group, grade in (("severe", 1), ("other", 3)):
            count = values.get(group) or 0
            if count < 0:
                errors[group] = "人数不能为负数"
            lines += [RosterLine(grade, int(raw[f"{group}_months"]), True, True)] * max(count, 0)
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


# --- (2) the batch assessment ----------------------------------------------------------------------------


def render_batch(ctx: ViewContext, year: int) -> None:
    if not ctx.actor.may_enter("levy"):
        st.info(escape_markdown(f"您的账号（{ctx.actor.kind.name}）不能核定残保金"), icon=":material/lock:")
        return
    if not ctx.actor.township_allowed(None):  # the batch is county-wide (the service refuses it too)
        st.info("批量核定由县残联统一办理：乡镇专职干事只能录入和修改本乡镇的数据", icon=":material/lock:")
        return
    county = county_id(ctx)
    deadline = (levy_records.levy_year(ctx.url, county, year) or {}).get("review_deadline")
    st.caption(
        escape_markdown(
            f"按 {year} 年审核通过的年审计算；年审截止日期 {text.day(deadline)}"
            "（截止日期后才审核通过或未通过的单位，按未安排残疾人计）。已核定的单位不再重复核定。"
        )
    )
    errors = st.session_state.get("lc_b_errors", {})
    with st.form("lc_batch"):
        cols = st.columns([1, 1, 2], vertical_alignment="bottom")
        assessed_on = cols[0].date_input("核定日期", value=ctx.today, format="YYYY-MM-DD", key="lc_b_assessed")
        due_on = cols[1].date_input("缴纳期限", value=None, format="YYYY-MM-DD", key="lc_b_due")
        tried = cols[2].form_submit_button("试算（不保存）")
        field_error(errors, "assessed_on", "due_on")
    if tried:
        st.session_state.lc_b_plan = {"year": year, "assessed_on": assessed_on, "due_on": due_on}
        st.session_state.lc_b_errors = {}
        st.rerun()
    plan_args = st.session_state.get("lc_b_plan")
    if not plan_args or plan_args["year"] != year:
        return
    try:
        plan = levy_records.assessment_plan(ctx.url, county, year, ctx.today)
    except ValidationFailed as refused:
        other_errors(refused.errors, set())
        return
    if plan.empty:
        empty(f"{year} 年没有需要核定的单位：审核通过的单位都已核定，或应缴金额为零")
        return
    total = int(plan["amount_fen"].sum())
    dates = f"核定日期 {text.day(plan_args['assessed_on'])}，缴纳期限 {text.day(plan_args['due_on'])}"
    st.markdown(f"**试算结果：{text.count(len(plan))} 家单位，合计应缴 {text.yuan(total)}**（{dates}；尚未保存）")
    other_errors(errors, {"assessed_on", "due_on"})
    if st.button(
        f"确认核定这 {text.count(len(plan))} 家单位（合计 {text.yuan(total)}）", type="primary", key="lc_b_commit"
    ):
        result, problems = attempt(
            lambda: service.assess_year(
                db_url=ctx.url,
                actor=ctx.actor,
                county_id=county,
                year=year,
                assessed_on=plan_args["assessed_on"],
                due_on=plan_args["due_on"],
                today=ctx.today,
            )
        )
        st.session_state.lc_b_errors = problems.errors
        if result is not None:
            st.session_state.pop("lc_b_plan", None)
            st.session_state.lc_toast = (
                f"已核定 {text.count(result['count'])} 家单位，合计 {text.yuan(result['total_fen'])}"
            )
        st.rerun()
    table = pd.DataFrame(
        {
            "单位": plan["employer"],
            "核定依据": [SHORT_BASIS.get(b, b) for b in plan["basis"]],
            "在职职工": plan["staff"],
            "折算残疾职工": [text.head_count(d) for d in plan["disabled_weighted"]],
            "计征工资": [
                text.yuan(w) + ("（已封顶）" if capped else "")
                for w, capped in zip(plan["wage_used_fen"], plan["wage_capped"], strict=True)
            ],
            "应缴金额": yuan_cells(plan["amount_fen"]),
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        row_height=GRID_ROW_PX,
        height=grid_height(min(len(table), LIST_ROWS)),
        column_config={"应缴金额": yuan_column("应缴金额（元）")},
    )


# --- (3) one assessment and its payments -------------------------------------------------------------------


def render_one(ctx: ViewContext, year: int) -> None:
    picked = pick_employer(ctx, "lc_pick", inline=True)
    if picked != st.session_state.get("lc_pick_last"):  # a new choice in the picker opens its assessment
        st.session_state.lc_pick_last = picked
        if picked is not None:
            st.session_state.lc_open = levy_records.assessment_of(ctx.url, picked, year) or ("none", picked)
    opened = st.session_state.get("lc_open")
    if isinstance(opened, tuple):
        empty(f"这家单位没有 {year} 年的残保金核定")
        return
    if opened is None:
        return
    found = levy_records.assessment(ctx.url, int(opened), ctx.view.access)
    if found is None:
        st.error(f"核定记录 {opened} 不存在", icon=":material/error:")
        return
    if not ctx.actor.township_allowed(found["township_id"]):
        st.error("乡镇专职干事只能查看本乡镇单位的残保金核定", icon=":material/block:")
        return
    render_assessment(ctx, found)


def render_assessment(ctx: ViewContext, a: dict) -> None:
    st.subheader(escape_markdown(a["employer"]))
    st.markdown(
        escape_markdown(
            f"{a['credit_code']} · {a['township']} · {a['year']}年核定 · 核定日期 {text.day(a['assessed_on'])}"
            f" · 缴纳期限 {text.day(a['due_on'])} · 依据：{a['basis']}"
        )
    )
    left, right = st.columns([3, 2], gap="large")
    with left:
        policy = levy_records.policy(ctx.url, int(a["year"]))
        if policy is None or a["staff"] is None or a["avg_wage_fen"] is None:
            big_number("核定金额", text.yuan(a["amount_fen"]).removesuffix(" 元"), "元")
            st.caption("这条核定没有保存计算依据，无法写出计算过程")
        else:
            b = levy_rules.explain(
                policy,
                staff=int(a["staff"]),
                disabled_staff=Decimal(a["disabled_weighted"] or 0),
                avg_wage_fen=int(a["avg_wage_fen"]),
            )
            render_breakdown(b, policy, "核定金额")
            if b.amount_fen != a["amount_fen"]:
                st.warning(
                    f"按现在的 {a['year']} 年政策参数重算为 {text.yuan(b.amount_fen)}，"
                    f"与核定金额 {text.yuan(a['amount_fen'])} 不同",
                    icon=":material/warning:",
                )
        if a["review_id"] is not None:
            review_link(ctx, int(a["review_id"]))
    with right:
        render_payments(ctx, a)


def review_link(ctx: ViewContext, review_id: int) -> None:
    """The review the amount was computed from, opened on 年审与名册 (its roster, its dates)."""
    page = st.session_state.get("pages_by_path", {}).get("levy_reviews")
    if page is None:  # a page run on its own (tests): no navigation to link into
        st.caption(f"依据的年审记录编号 {review_id}")
        return
    params = {**ctx.query_params(), RECORD_PARAM: str(review_id)}
    st.page_link(page, label="查看依据的年审和名册", query_params=params, icon=":material/arrow_forward:")


def render_payments(ctx: ViewContext, a: dict) -> None:
    assessment_id = int(a["assessment_id"])
    st.markdown(
        f"**缴纳情况**：应缴 {text.yuan(a['amount_fen'])}，已缴 {text.yuan(a['paid_fen'])}，"
        f"{'尚欠 **' + text.yuan(a['owed_fen']) + '**' if a['owed_fen'] > 0 else '已缴清'}"
    )
    paid = levy_records.payments(ctx.url, assessment_id)
    if paid.empty:
        st.caption("还没有缴纳记录")
    else:
        table = pd.DataFrame(
            {
                "缴纳日期": [text.day(d) for d in paid["paid_on"]],
                "金额": yuan_cells(paid["amount_fen"]),
                "录入人": paid["created_by"],
            }
        )
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            row_height=GRID_ROW_PX,
            height=grid_height(len(table)),
            column_config={"金额": yuan_column("金额（元）")},
        )
    if a["owed_fen"] <= 0 or not ctx.actor.may_enter("levy"):
        return
    problems: Problems = st.session_state.get("lc_p_problems") or Problems()
    kept_for = st.session_state.get("lc_p_for")
    errors = problems.errors if kept_for == assessment_id else {}
    gen = st.session_state.setdefault("lc_p_gen", 0)
    with st.form(f"lc_pay_{assessment_id}_{gen}"):
        cols = st.columns(2)
        with cols[0]:
            day = st.date_input("缴纳日期", value=ctx.today, format="YYYY-MM-DD", key=f"lc_p_day_{gen}")
            field_error(errors, "paid_on")
        with cols[1]:
            amount = st.text_input("缴纳金额（元，可部分缴纳）", key=f"lc_p_amount_{gen}")
            field_error(errors, "amount_fen")
        other_errors(errors, {"paid_on", "amount_fen"})
        submitted = st.form_submit_button("记录缴纳", type="primary")
    if submitted:
        values, unreadable = read([Field("amount_fen", "缴纳金额", "money")], {"amount_fen": amount}, 0)
        pay(ctx, a, {"paid_on": day, **values}, unreadable)
        st.rerun()
    pending = st.session_state.get("lc_p_pending")
    if pending and kept_for == assessment_id and problems.warnings:
        confirm_block(
            problems.warnings,
            key="lc_p_confirm",
            on_confirm=lambda: pay(ctx, a, pending, {}, confirm=True),
            on_cancel=lambda: st.session_state.pop("lc_p_pending", None),
        )


def pay(ctx: ViewContext, a: dict, values: dict, unreadable: dict, *, confirm: bool = False) -> None:
    assessment_id = int(a["assessment_id"])
    st.session_state.lc_p_for = assessment_id
    if unreadable:  # nothing goes to the service until the amount can be read
        st.session_state.lc_p_problems = Problems(errors=unreadable)
        return
    reason = st.session_state.get("lc_p_confirm_note", "") if confirm else ""
    new_id, problems = attempt(
        lambda: PAYMENTS.create(
            db_url=ctx.url,
            actor=ctx.actor,
            values={"assessment_id": assessment_id, **values},
            confirm=confirm,
            warning_note=reason,
            today=ctx.today,
        )
    )
    st.session_state.lc_p_problems = problems
    st.session_state.lc_p_pending = values if problems.warnings else None
    if new_id is not None:
        st.session_state.lc_p_gen = st.session_state.get("lc_p_gen", 0) + 1
        st.session_state.lc_toast = f"已记录缴纳：{a['employer']} {text.yuan(values['amount_fen'])}"


# --- (4) the year's assessments ------------------------------------------------------------------------------


def render_list(ctx: ViewContext, year: int) -> None:
    found = levy_records.assessments(ctx.url, ctx.scope, year, ctx.today)
    if found.empty:
        empty(f"{ctx.units_label()} {year} 年还没有残保金核定")
        return
    totals = levy_records.assessment_totals(ctx.url, ctx.scope, year)
    cols = st.columns(4)
    with cols[0]:
        big_number(
            "核定单位", text.count(totals["assessments"]), "家", f"其中 {text.count(totals['owing'])} 家尚未缴清"
        )
    with cols[1]:
        big_number("核定金额", wan_text(totals["amount_fen"]), "万元")
    with cols[2]:
        big_number("已缴", wan_text(totals["paid_fen"]), "万元", collected_note(ctx, year))
    with cols[3]:
        big_number("尚欠", wan_text(totals["owed_fen"]), "万元")
    st.session_state.lc_list_ids = [
        (int(a), int(e), c)
        for a, e, c in zip(found["assessment_id"], found["employer_id"], found["credit_code"], strict=True)
    ]
    table = pd.DataFrame(
        {
            "单位": found["employer"],
            "乡镇": found["township"],
            "应缴": yuan_cells(found["amount_fen"]),
            "已缴": yuan_cells(found["paid_fen"]),
            "尚欠": yuan_cells(found["owed_fen"]),
            "缴纳期限": [text.day(d) for d in found["due_on"]],
            "状态": [
                "已缴清" if owed <= 0 else "逾期未缴清" if late else "未缴清"
                for owed, late in zip(found["owed_fen"], found["overdue"], strict=True)
            ],
        }
    )
    st.caption("尚欠的在前（缴纳期限早的在上）；点一行查看核定和缴纳")
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        row_height=GRID_ROW_PX,
        height=grid_height(min(len(table), LIST_ROWS)),
        key="lc_list",
        on_select=picked_from_list,
        selection_mode="single-row",
        column_config={name: yuan_column(f"{name}（元）") for name in ("应缴", "已缴", "尚欠")},
    )
    render_download(ctx, year, found)


def yuan_cells(fens) -> list[float | None]:
    """元 for a grid's or a workbook's cells: the very number ``text.yuan`` prints (half-up to the fen), a number
    so the column sorts and sums."""
    return [None if (v := text.yuan_number(fen)) is None else float(v) for fen in fens]


def yuan_column(label: str):
    return st.column_config.NumberColumn(label, format="%,.2f")


def wan_text(fen: int) -> str:
    return text.wan(fen).removesuffix(" 万元")


def collected_note(ctx: ViewContext, year: int) -> str:
    task = (levy_records.levy_year(ctx.url, county_id(ctx), year) or {}).get("task_fen")
    if not task or ctx.townships:  # the task is the county's: set beside a township's figure it misleads
        return ""
    return f"{year}年征收任务 {wan_text(task)} 万元"


def picked_from_list() -> None:
    rows = st.session_state.lc_list.selection.rows
    if rows:
        opened(*st.session_state.lc_list_ids[rows[0]])
        st.session_state.lc_section = "one"


def render_download(ctx: ViewContext, year: int, found: pd.DataFrame) -> None:
    export = pd.DataFrame(
        {
            "单位": found["employer"],
            "统一社会信用代码": found["credit_code"],
            "乡镇": found["township"],
            "核定依据": found["basis"],
            "核定日期": [text.day(d) for d in found["assessed_on"]],
            "缴纳期限": [text.day(d) for d in found["due_on"]],
            "应缴（元）": yuan_cells(found["amount_fen"]),
            "已缴（元）": yuan_cells(found["paid_fen"]),
            "尚欠（元）": yuan_cells(found["owed_fen"]),
        }
    )
    title = f"{year}年残保金核定与缴纳"
    st.download_button(
        "下载 Excel",
        to_xlsx(
            export,
            title=title,
            filter_label=f"{year}年 · {ctx.units_label()}",
            taken_at=datetime.now(CHINA),
            totals=("应缴（元）", "已缴（元）", "尚欠（元）"),
        ),
        file_name=f"{title}_{ctx.units_label()}.xlsx",
        mime=XLSX_MIME,
        key="lc_xlsx",
    )
