"""残保金核定与缴纳: the what-if calculator with its “why this amount”, the year's batch assessment (a dry run,
then the commit), one assessment with its payments (recorded, corrected, deleted and restored), and the year's
assessments with what is paid and owed. ``?record=<assessment id>`` opens one assessment.

Every amount comes from data_layer/domain/levy_rules.py (``explain``); this page only lays its steps out.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

import streamlit as st

from data_layer.domain import text
from data_layer.domain.errors import ValidationFailed
from data_layer.export import XLSX_MIME
from data_layer.infra.settings import CHINA
from data_layer.queries import levy_records
from data_layer.services import levy_collection as service
from data_layer.services.records import services_for
from data_layer.views import levy_lists as lists
from pages.common.action import Action
from pages.common.context import ViewContext, current
from pages.common.correction import Correction, render_correction
from pages.common.employer_picker import pick_employer, show_in_picker
from pages.common.entry_fields import read
from pages.common.entry_spec import Field
from pages.common.field_form import Form, field_form, form_action, record_write
from pages.common.fmt import escape_markdown
from pages.common.forms import other_errors
from pages.common.levy_why import render_assessed, render_calculator
from pages.common.tables import linked, show_table, yuan_column
from pages.common.ui import big_number, empty

SECTIONS = {"calc": "测算器", "batch": "批量核定", "one": "单位核定与缴纳", "list": "本年核定一览"}
PAYMENTS, ASSESSMENTS = services_for(service.PAYMENT), services_for(service.ASSESSMENT)
PAY, BATCH = Action("lc_p", "lc_toast"), Action("lc_b", "lc_toast")
PAID = [Field("paid_on", "缴纳日期", "date"), Field("amount_fen", "缴纳金额（元，可部分缴纳）", "money")]
PAY_FORM = Form(PAID, "记录缴纳", per_row=2)
DATES = [Field("assessed_on", "核定日期", "date"), Field("due_on", "缴纳期限", "date")]
BATCH_FORM = Form(DATES, "试算（不保存）", per_row=3)
ASSESSED = [*DATES, Field("amount_fen", "核定金额（元）", "money")]  # a corrected amount asks for a note
MONEY = {name: yuan_column(f"{name}（元）") for name in ("应缴", "已缴", "尚欠", "应缴金额", "金额")}


def render() -> None:
    ctx = current()
    PAY.show_toast()
    if ctx.actor is None:
        st.warning("请先登录", icon=":material/lock:")
        return
    if (wanted := linked("lc")) is not None:
        st.session_state.lc_section, st.session_state.lc_open = "one", wanted
        if (found := levy_records.assessment(ctx.url, wanted, ctx.view.access)) is not None:
            opened((wanted, int(found["employer_id"]), found["credit_code"], int(found["year"])))
    st.session_state.setdefault("lc_section", "calc")
    top = st.columns([3, 1], vertical_alignment="bottom")
    control = top[0].segmented_control
    section = control("栏目", list(SECTIONS), format_func=SECTIONS.get, key="lc_section", label_visibility="collapsed")
    if section in (None, "calc"):
        render_calculator(ctx)
        return
    years = sorted({*levy_records.review_years(ctx.url), ctx.spec.year}, reverse=True)
    if st.session_state.get("lc_year") not in years:
        st.session_state.lc_year = ctx.spec.year
    year = top[1].selectbox("核定年度", years, key="lc_year", format_func=lambda y: f"{y}年")
    {"batch": render_batch, "one": render_one, "list": render_list}[section](ctx, year)


def opened(assessment: tuple[int, int, str, int]) -> None:
    """An assessment opened from a link or the list (its number, employer, credit code and year): its year and
    section, its employer in the picker."""
    assessment_id, employer_id, credit_code, year = assessment
    st.session_state.lc_section, st.session_state.lc_open, st.session_state.lc_year = "one", assessment_id, year
    st.session_state.lc_pick_last = employer_id
    show_in_picker("lc_pick", employer_id, credit_code)


def render_batch(ctx: ViewContext, year: int) -> None:
    if not ctx.actor.may_enter("levy") or not ctx.actor.township_allowed(None):  # the service refuses it too
        st.info("批量核定由县残联有残保金录入权限的人员统一办理", icon=":material/lock:")
        return
    deadline = (levy_records.levy_year(ctx.url, ctx.county_id, year) or {}).get("review_deadline")
    st.caption(
        f"按 {year} 年审核通过的年审计算；年审截止日期 {text.day(deadline)}"
        "（截止日期后才审核通过或未通过的单位，按未安排残疾人计）。已核定的单位不再重复核定。"
    )
    typed = field_form("lc_b", None, BATCH_FORM, year=year, errors=BATCH.errors(), values={"assessed_on": ctx.today})
    if typed:
        st.session_state.lc_b_plan = {"year": year, **read(DATES, typed[0], year)[0]}
        BATCH.forget()
        st.rerun()
    kept = st.session_state.get("lc_b_plan")
    if not kept or kept["year"] != year:
        return
    dates = {"assessed_on": kept["assessed_on"], "due_on": kept["due_on"]}
    try:
        plan = levy_records.assessment_plan(ctx.url, ctx.county_id, year, ctx.today)
    except ValidationFailed as refused:
        other_errors(refused.errors, set())
        return
    if plan.empty:
        empty(f"{year} 年没有需要核定的单位：审核通过的单位都已核定，或应缴金额为零")
        return
    employers, total = f"{text.count(len(plan))} 家单位", text.yuan(int(plan["amount_fen"].sum()))
    what = f"{employers}，合计应缴 {total}"
    when = f"核定日期 {text.day(dates['assessed_on'])}，缴纳期限 {text.day(dates['due_on'])}"
    st.markdown(f"**试算结果：{what}**（{when}；尚未保存）")
    if st.button(f"确认核定这 {employers}（合计 {total}）", type="primary", key="lc_b_commit"):
        assess = partial(service.assess_year, db_url=ctx.url, actor=ctx.actor, county_id=ctx.county_id, year=year)
        BATCH.run(
            lambda *_: assess(today=ctx.today, **dates),
            lambda r: f"已核定 {text.count(r['count'])} 家单位，合计 {text.yuan(r['total_fen'])}",
            after=lambda _: st.session_state.pop("lc_b_plan", None),
        )
        st.rerun()
    show_table(lists.plan_table(plan), rows=12, column_config=MONEY)


def render_one(ctx: ViewContext, year: int) -> None:
    picked = pick_employer(ctx, "lc_pick", inline=True)
    if picked != st.session_state.get("lc_pick_last"):  # a new choice in the picker opens its assessment
        st.session_state.lc_pick_last = picked
        if picked is not None:
            st.session_state.lc_open = levy_records.assessment_of(ctx.url, picked, year) or ("none", picked)
    opened = st.session_state.get("lc_open")
    if isinstance(opened, tuple):
        empty(f"这家单位没有 {year} 年的残保金核定")
    elif opened is not None and (a := levy_records.assessment(ctx.url, int(opened), ctx.view.access)) is None:
        st.error(f"核定记录 {opened} 不存在", icon=":material/error:")
    elif opened is not None:
        st.subheader(escape_markdown(a["employer"]))
        st.markdown(escape_markdown(lists.assessment_line(a)))
        left, right = st.columns([3, 2], gap="large")
        with left:
            render_assessed(ctx, a)
        with right:
            render_payments(ctx, a)
        if ctx.actor.may_enter("levy"):  # a due date typed wrong, an amount decided again; 删除 into the 回收站
            with st.expander("修改、删除或恢复这份核定", expanded=a["deleted_at"] is not None):
                correction = Correction("lc_ae", ASSESSMENTS, lists.assessment_line(a), ASSESSED, year, "lc_toast")
                render_correction(correction, ctx, {**a, "id": a["assessment_id"]})


def render_payments(ctx: ViewContext, a: dict) -> None:
    assessment_id, may_enter = int(a["assessment_id"]), ctx.actor.may_enter("levy")
    st.markdown(lists.paid_line(a))
    for deleted in (False, True):
        found = levy_records.payments(ctx.url, assessment_id, deleted=deleted)
        if found.empty or (deleted and not may_enter):
            continue
        with st.expander(f"回收站（已删除 {len(found)} 笔）") if deleted else st.container():
            st.caption("点一行查看、修改或删除（恢复）这笔缴纳" if may_enter else "")
            ids = [int(i) for i in found["payment_id"]]
            pick = partial(st.session_state.__setitem__, "lc_pay_open")
            show_table(
                lists.payments_table(found), key=f"lc_paid_{deleted:d}", ids=ids, on_pick=pick, column_config=MONEY
            )
            if may_enter and st.session_state.get("lc_pay_open") in ids:
                row = found[found["payment_id"] == st.session_state.lc_pay_open].iloc[0].to_dict()
                describe = f"{a['employer']} {text.day(row['paid_on'])} 缴纳 {text.yuan(row['amount_fen'])}"
                fields = [PAID[0], Field("amount_fen", "缴纳金额（元）", "money")]
                correction = Correction("lc_pe", PAYMENTS, describe, fields, int(a["year"]), "lc_toast")
                render_correction(correction, ctx, {**row, "id": row["payment_id"]})
    if may_enter and a["owed_fen"] > 0:
        pay = record_write(partial(PAYMENTS.create, db_url=ctx.url, actor=ctx.actor, today=ctx.today))
        where = {"owner": assessment_id, "values": {"paid_on": ctx.today}, "fixed": {"assessment_id": assessment_id}}
        form_action(PAY, PAY_FORM, pay, partial(paid_words, ctx, a), year=int(a["year"]), **where)


def render_list(ctx: ViewContext, year: int) -> None:
    found = levy_records.assessments(ctx.url, ctx.scope, year, ctx.today)
    if found.empty:
        empty(f"{ctx.units_label()} {year} 年还没有残保金核定")
        return
    totals = levy_records.assessment_totals(ctx.url, ctx.scope, year)
    task = None if ctx.townships else (levy_records.levy_year(ctx.url, ctx.county_id, year) or {}).get("task_fen")
    figures = lists.assessment_figures(totals, year, task)
    for column, (label, value, unit, note) in zip(st.columns(len(figures)), figures, strict=True):
        with column:
            big_number(label, value, unit, note)
    st.caption("尚欠的在前（缴纳期限早的在上）；点一行查看核定和缴纳")
    show_table(lists.assessments_table(found), key="lc_list", rows=12, column_config=MONEY, **picks(found, year))
    deleted = levy_records.assessments(ctx.url, ctx.scope, year, ctx.today, deleted=True)
    if not deleted.empty and ctx.actor.may_enter("levy"):
        with st.expander(f"回收站（已删除 {text.count(len(deleted))} 份核定；点一行查看并恢复）"):
            show_table(lists.assessments_table(deleted), key="lc_bin", column_config=MONEY, **picks(deleted, year))
    name, workbook = lists.assessments_workbook(found, year, ctx.units_label(), datetime.now(CHINA))
    st.download_button("下载 Excel", workbook, file_name=name, mime=XLSX_MIME, key="lc_xlsx")


def picks(found, year: int) -> dict:
    """A list's rows open their assessment (its number, employer, credit code and year)."""
    ids = zip(found["assessment_id"], found["employer_id"], found["credit_code"], [year] * len(found), strict=True)
    return {"ids": list(ids), "on_pick": opened}


def paid_words(ctx: ViewContext, a: dict, payment_id: int) -> str:
    return lists.payment_words(a["employer"], levy_records.payments(ctx.url, int(a["assessment_id"])), payment_id)
