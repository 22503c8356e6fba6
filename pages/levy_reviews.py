"""年审与名册: each employer's annual review (已通知 → 已申报 → 审核通过, or 退回 → 重新申报), its roster, the
year's notices in bulk, corrections and the 回收站; ``?record=<review id>`` opens one. Every write is an ``Action``
form or ``render_correction``; the tables, and what is masked for whom, come from data_layer/views."""

from __future__ import annotations

from functools import partial

import streamlit as st

from data_layer.domain import id_number, text
from data_layer.queries import levy_records
from data_layer.services import levy_reviews as service
from data_layer.services.records import services_for
from data_layer.views import reviews as view
from data_layer.views.roster import export_log, line_records, roster_note, roster_table, roster_title, roster_workbook
from pages.common.action import Action
from pages.common.context import ViewContext, current
from pages.common.correction import Correction, pick_correction, render_correction
from pages.common.downloads import masked_download
from pages.common.employer_picker import open_chosen_row, open_linked, opened_employer
from pages.common.entry_spec import Field, coded
from pages.common.field_form import Form, form_action, record_write, step_write
from pages.common.fmt import escape_markdown
from pages.common.ui import GRID_ROW_PX, empty, grid_height

TOAST = "rv_toast"
GRID = {"hide_index": True, "width": "stretch", "row_height": GRID_ROW_PX}
NOTICE = [Field("notified_on", "通知日期", "date")]
DECLARED = [
    Field("declared_on", "申报日期", "date"),
    Field("staff", "上年在职职工人数（人）", "count"),
    Field("avg_wage_fen", "上年职工年平均工资（元）", "money"),
    Field("disabled_staff", "申报残疾职工人数（人）", "count"),
]
APPROVE = [Field("reviewed_on", "审核日期", "date")]
RETURN = [Field("reviewed_on", "退回日期", "date"), Field("reason", "退回原因（必填，单位会看到）", "text")]
PERSON = [
    Field("name", "姓名", "text"),
    Field("id_number", "身份证号（18 位）", "text"),
    Field("cert_number", "残疾人证号（20 位）", "text"),
    coded("months", "上年在岗月数", {m: f"{m} 个月" for m in range(12, 0, -1)}),
    coded("category", "残疾类别", id_number.CATEGORIES, placeholder="请选择"),
    coded("grade", "残疾等级", id_number.GRADES, placeholder="请选择"),
    coded("contract_ok", "签订一年以上劳动合同", {True: "是", False: "否"}),
    coded("insurance_ok", "足额缴纳社会保险", {True: "是", False: "否"}),
]
YES = {"contract_ok": True, "insurance_ok": True}  # a new roster line starts so
REVIEWS, LINES = services_for(service.REVIEW), services_for(service.ROSTER_LINE)
STEPS = {  # what each state offers: (action key, title, fields, button, service, toast)
    "notified": [("rv_declare", "**申报**", DECLARED, "保存申报", service.declare_review, "已申报")],
    "returned": [("rv_declare", "**重新申报**", DECLARED, "重新申报", service.declare_review, "已重新申报")],
    "declared": [
        ("rv_approve", "**审核通过**", APPROVE, "审核通过", service.approve_review, "已审核通过"),
        ("rv_return", "**退回**（补正后可重新申报）", RETURN, "退回", service.return_review, "已退回"),
    ],
}


def render() -> None:
    ctx = current()
    Action("rv", toast=TOAST).show_toast()
    if ctx.actor is None:
        return st.warning("请先登录", icon=":material/lock:")
    find = partial(levy_records.review, ctx.url, access=ctx.view.access)
    if linked := open_linked("rv_pick", find, "年审记录 {} 不存在或不属于本乡镇"):
        st.session_state.rv_year = int(linked["year"])
    top = st.columns([1, 4], vertical_alignment="top")
    years = sorted({*levy_records.review_years(ctx.url), ctx.spec.year}, reverse=True)
    if st.session_state.get("rv_year") not in years:
        st.session_state.rv_year = ctx.spec.year
    year = top[0].selectbox("年审年度", years, key="rv_year", format_func=lambda y: f"{y}年")
    with top[1]:
        employer_id = opened_employer(ctx, "rv_pick")
    with st.expander("按状态浏览本年年审", expanded=employer_id is None):
        render_list(ctx, year)
    if employer_id is not None:
        render_employer(ctx, year, employer_id)
    if ctx.actor.may_enter("levy"):
        st.divider()
        render_bulk_notice(ctx, year)
        with st.expander("回收站（已删除的年审，点一行打开后可恢复）"):
            render_list(ctx, year, deleted=True)


def render_list(ctx: ViewContext, year: int, *, deleted: bool = False) -> None:
    """The year's reviews in one state (or in the 回收站); a row opens its review."""
    names = view.state_choices(ctx.url, ctx.scope, year)
    state = view.ALL if deleted else st.radio("状态", [*names], format_func=names.get, key="rv_state", horizontal=True)
    table = view.review_list(ctx.url, ctx.scope, year, state, deleted)
    if table.empty:
        return empty(f"{ctx.units_label()} {year} 年{'回收站是空的' if deleted else '没有这个状态的年审'}")
    chosen = partial(open_chosen_row, "rv_pick", table, key := f"rv_list_{int(deleted)}")
    st.caption(f"共 {text.count(len(table))} 家；点一行打开该单位的年审")
    shown, height = table.drop(columns=["employer_id", "credit_code"]), grid_height(min(len(table), 10))
    st.dataframe(shown, **GRID, height=height, key=key, on_select=chosen, selection_mode="single-row")


def render_employer(ctx: ViewContext, year: int, employer_id: int) -> None:
    employer = levy_records.employer(ctx.url, employer_id, ctx.view.access)
    if employer is None or not ctx.actor.township_allowed(employer["township_id"]):
        return
    may_enter = ctx.actor.may_enter("levy")
    review_id = levy_records.review_of(ctx.url, employer_id, year)
    st.subheader(escape_markdown(employer["employer"]))
    if review_id is None:
        st.caption(escape_markdown(f"统一社会信用代码 {employer['credit_code']} · {employer['township']}"))
        empty(f"{year} 年尚未向这家单位发出年审通知")
        if may_enter:
            notify(ctx, year, [employer_id], "rv_notice", employer_id, "发送年审通知")
        return
    review = view.review(ctx.url, review_id, ctx.view.access)
    live = review["deleted_at"] is None
    st.markdown(f"{escape_markdown(review['heading'])} · 状态 {review['badge']}")
    if live:
        for column, facts in zip(st.columns(3), review["facts"], strict=True):
            column.markdown(facts)
        if review["returned"]:
            st.warning(escape_markdown(review["returned"]), icon=":material/undo:")
        with st.expander("办理经过"):
            steps = view.history_table(ctx.url, review_id)
            if steps.empty:  # written in bulk (the demo, an import): no step of its own in 操作记录
                st.caption("没有逐步的办理记录（批量写入的年审）")
            else:
                st.dataframe(steps, **GRID)
    if not may_enter:
        st.caption(escape_markdown(f"您的账号（{ctx.actor.kind.name}）只能查看年审，不能录入"))
    fields = NOTICE + (DECLARED if review["declared_on"] else [])
    fix = Correction("rv_fix", REVIEWS, review["describe"], fields, year, TOAST)
    with st.expander("修改申报、删除或恢复这份年审", expanded=not live):
        render_correction(fix, ctx, review, may_change=may_enter)
    if live and may_enter:
        render_steps(ctx, review)
    if live:
        render_roster(ctx, review, may_enter and review["status"] != "approved")


def notify(ctx: ViewContext, year: int, ids: list[int], key: str, owner: int, button: str) -> None:
    """A form that sends the year's notice to the employers ``ids``."""
    call = partial(
        service.notify_reviews, db_url=ctx.url, actor=ctx.actor, today=ctx.today, year=year, employer_ids=ids
    )
    done = lambda n: f"已向 {text.count(n)} 家单位发送 {year} 年年审通知"  # noqa: E731
    form(ctx, key, owner, Form(NOTICE, button), step_write(call), done)


def form(ctx: ViewContext, key: str, owner, spec: Form, call, done, fixed=None, **values) -> None:
    """One of the page's forms (``form_action``), about ``owner``, its dates starting today."""
    values = {f.name: ctx.today for f in spec.fields if f.kind == "date"} | values
    form_action(Action(key, TOAST), spec, call, done, year=ctx.spec.year, owner=owner, values=values, fixed=fixed)


def render_steps(ctx: ViewContext, review: dict) -> None:
    """The steps the review's state offers, each a form; an approved review offers none."""
    if review["status"] == "approved":
        return st.success("已审核通过：名册和申报不能再改", icon=":material/verified:")
    steps, rid = STEPS[review["status"]], review["id"]
    defaults = view.declaration_defaults(ctx.url, review, ctx.view.access)
    for column, (key, title, fields, button, write, done) in zip(st.columns(len(steps)), steps, strict=True):
        with column:
            st.markdown(title)
            call = partial(write, db_url=ctx.url, actor=ctx.actor, today=ctx.today, review_id=rid)
            done = f"{done}：{review['employer']}"
            form(ctx, key, rid, Form(fields, button, len(fields)), step_write(call, confirms=True), done, **defaults)


def render_roster(ctx: ViewContext, review: dict, may_change: bool) -> None:
    rid, access = review["id"], ctx.view.access
    table = roster_table(ctx.url, rid, access)
    total = text.head_count(levy_records.roster_weighted(ctx.url, rid))
    st.markdown(f"**残疾职工名册**（{len(table)} 人，折算合计 **{total} 人**）")
    if table.empty:
        st.caption("名册为空")
    else:
        st.dataframe(table, **GRID, height=grid_height(len(table)))
        st.caption(roster_note(access))
    if may_change:
        st.markdown("**加入名册**")
        add = record_write(partial(LINES.create, db_url=ctx.url, actor=ctx.actor, today=ctx.today))
        form(ctx, "rv_p", rid, Form(PERSON, "加入名册"), add, "已加入名册", {"review_id": rid}, **YES)
        for deleted, words in ((False, "修改或删除名册中的一人"), (True, "名册回收站（已删除的人员，可恢复）")):
            lines, key = line_records(ctx.url, rid, access, deleted=deleted), f"rv_line_{int(deleted)}_{rid}"
            line = lambda r: Correction("rv_line", LINES, r["label"], PERSON, ctx.spec.year, TOAST)  # noqa: E731
            pick_correction(line, ctx, lines, words, key)
    if not table.empty:
        log = export_log(review, len(table))
        audit = partial(service.record_unmasked_export, db_url=ctx.url, actor=ctx.actor, **log)
        admin, build = ctx.actor.kind.admin, partial(roster_workbook, ctx.url, review, access)
        masked_download(f"rv_roster_{rid}", "导出名册", roster_title(review), build, audit, admin=admin, toast=TOAST)


def render_bulk_notice(ctx: ViewContext, year: int) -> None:
    """Notices for every employer of the filter's townships that has none for the year."""
    waiting = levy_records.employers_without_review(ctx.url, ctx.scope, year)
    many, units = text.count(len(waiting)), ctx.units_label()
    st.markdown(f"**批量发送 {year} 年年审通知**")
    if waiting.empty:
        return st.caption(escape_markdown(f"{units}登记的用人单位都已收到 {year} 年的年审通知"))
    st.caption(escape_markdown(f"{units}有 {many} 家用人单位尚未收到 {year} 年的年审通知"))
    notify(ctx, year, [int(e) for e in waiting["employer_id"]], "rv_notice_all", year, f"向 {many} 家单位发送年审通知")
