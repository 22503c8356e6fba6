"""年审与名册: the annual review of each employer as a workflow (已通知 → 已申报 → 审核通过, or 退回 → 重新申报),
the roster of disabled employees it declares, the year's notices in bulk, and the roster as a workbook.

``?record=<review id>`` opens one review. Names and ID numbers are shown in full only to accounts that enter
the levy area (data_layer/roles.py ``sees_people``); every export is masked unless an administrator asks for
the full numbers, which is audited first.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
import streamlit as st

from data_layer.domain import id_number, text
from data_layer.domain.errors import Problems
from data_layer.domain.inputs import parse_text
from data_layer.domain.links import RECORD_PARAM
from data_layer.export import XLSX_MIME, to_xlsx
from data_layer.queries import levy_records
from data_layer.services import levy_reviews as service
from data_layer.views.roster import removable, roster_table
from pages.common.context import ViewContext, current
from pages.common.employer_picker import pick_employer, show_in_picker
from pages.common.entry_fields import as_text, attempt, read
from pages.common.entry_spec import Field
from pages.common.fmt import escape_markdown
from pages.common.forms import confirm_block, field_error, other_errors, saved_toast
from pages.common.ui import GRID_ROW_PX, empty, grid_height

STATES = service.STATE_NAMES  # 已通知 / 已申报 / 退回 / 审核通过
BADGE = {"notified": "gray", "declared": "blue", "returned": "orange", "approved": "green"}
ALL = "all"
LIST_ROWS = 10  # the review list shows this many rows; more scroll inside it
# the declaration's numbers, typed as text and read exactly (data_layer/inputs.py)
DECLARED = [
    Field("staff", "职工人数", "count"),
    Field("avg_wage_fen", "年平均工资", "money"),
    Field("disabled_staff", "残疾职工人数", "count"),
]


def render() -> None:
    ctx = current()
    saved_toast("rv_toast", long=True)
    if ctx.actor is None:
        st.warning("请先登录", icon=":material/lock:")
        return
    open_linked_review(ctx)
    top = st.columns([1, 4], vertical_alignment="top")
    year = choose_year(ctx, top[0])
    with top[1]:
        employer_id = choose_employer(ctx)
    if employer_id is None:
        render_browse(ctx, year)
    else:
        with st.expander("按状态浏览本年年审"):
            render_browse(ctx, year)
        render_employer(ctx, year, employer_id)
    if ctx.actor.may_enter("levy"):
        st.divider()
        render_bulk_notice(ctx, year)


# --- choosing the year, the state, the employer ----------------------------------------------------------


def open_linked_review(ctx: ViewContext) -> None:
    """``?record=<id>`` opens that review once (its employer and year); later choices are the user's."""
    wanted = st.query_params.get(RECORD_PARAM)
    if not wanted or not wanted.isdigit() or st.session_state.get("rv_linked") == wanted:
        return
    st.session_state.rv_linked = wanted
    found = levy_records.review(ctx.url, int(wanted), ctx.view.access)
    if found is None:  # none, or another township's: the data layer reads it to nobody but that township
        st.session_state.rv_link_problem = f"年审记录 {wanted} 不存在或不属于本乡镇"
    else:
        st.session_state.rv_year = int(found["year"])
        opened(int(found["employer_id"]), found["credit_code"])


def opened(employer_id: int, credit_code: str) -> None:
    """An employer opened from a link or the list; the picker shows it too."""
    st.session_state.rv_employer = st.session_state.rv_pick_last = employer_id
    show_in_picker("rv_pick", employer_id, credit_code)


def choose_year(ctx: ViewContext, where) -> int:
    years = sorted({*levy_records.review_years(ctx.url), ctx.spec.year}, reverse=True)
    if st.session_state.get("rv_year") not in years:
        st.session_state.rv_year = ctx.spec.year
    return where.selectbox("年审年度", years, key="rv_year", format_func=lambda y: f"{y}年")


def choose_state(ctx: ViewContext, year: int) -> str:
    counts = levy_records.review_counts(ctx.url, ctx.scope, year)
    names = {ALL: f"全部（{text.count(sum(counts.values()))}）"}
    names |= {code: f"{name}（{text.count(counts.get(code, 0))}）" for code, name in STATES.items()}
    return st.radio("状态", list(names), format_func=names.__getitem__, key="rv_state", horizontal=True)


def render_browse(ctx: ViewContext, year: int) -> None:
    """The year's reviews in one state (or all), with the count of each state; a row opens its review."""
    state = choose_state(ctx, year)
    found = levy_records.reviews(ctx.url, ctx.scope, year, None if state == ALL else state)
    if found.empty:
        empty(f"{ctx.units_label()} {year} 年没有{'' if state == ALL else STATES[state]}的年审")
        return
    st.session_state.rv_list_ids = [
        (int(e), c) for e, c in zip(found["employer_id"], found["credit_code"], strict=True)
    ]
    table = pd.DataFrame(
        {
            "单位": found["employer"],
            "乡镇": found["township"],
            "状态": [STATES[s] for s in found["status"]],
            "通知日期": [text.day(d) for d in found["notified_on"]],
            "申报日期": [text.day(d) for d in found["declared_on"]],
            "审核日期": [text.day(d) for d in found["reviewed_on"]],
            "重新申报": [f"{n} 次" if n else "" for n in found["resubmissions"]],
            "名册人数": found["roster_people"],
        }
    )
    st.caption(f"共 {text.count(len(table))} 家，最近办理的在上；点一行打开该单位的年审")
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        row_height=GRID_ROW_PX,
        height=grid_height(min(len(table), LIST_ROWS)),
        key="rv_list",
        on_select=picked_from_list,
        selection_mode="single-row",
    )


def picked_from_list() -> None:
    rows = st.session_state.rv_list.selection.rows
    if rows:
        opened(*st.session_state.rv_list_ids[rows[0]])


def choose_employer(ctx: ViewContext) -> int | None:
    problem = st.session_state.pop("rv_link_problem", None)
    if problem:
        st.error(escape_markdown(problem), icon=":material/block:")
    picked = pick_employer(ctx, "rv_pick", inline=True)
    if picked != st.session_state.get("rv_pick_last"):  # a new choice in the picker opens that employer
        st.session_state.rv_pick_last = picked
        if picked is not None:
            st.session_state.rv_employer = picked
    return st.session_state.get("rv_employer")


# --- one employer's review --------------------------------------------------------------------------------


def render_employer(ctx: ViewContext, year: int, employer_id: int) -> None:
    employer = levy_records.employer(ctx.url, employer_id, ctx.view.access)
    if employer is None or not ctx.actor.township_allowed(employer["township_id"]):
        return
    review_id = levy_records.review_of(ctx.url, employer_id, year)
    st.subheader(escape_markdown(employer["employer"]))
    if review_id is None:
        st.caption(escape_markdown(f"统一社会信用代码 {employer['credit_code']} · {employer['township']}"))
        empty(f"{year} 年尚未向这家单位发出年审通知")
        if ctx.actor.may_enter("levy"):
            render_one_notice(ctx, year, employer_id)
        return
    review = levy_records.review(ctx.url, review_id, ctx.view.access)
    render_facts(review)
    render_history(ctx, review_id)
    if ctx.actor.may_enter("levy"):
        render_actions(ctx, review)
    else:
        st.caption(escape_markdown(f"您的账号（{ctx.actor.kind.name}）只能查看年审，不能录入"))
    render_roster(ctx, review)


def render_facts(review: dict) -> None:
    status = review["status"]
    st.markdown(
        f"{escape_markdown(review['credit_code'])} · {escape_markdown(review['township'])} · {review['year']}年年审"
        f" · 状态 :{BADGE[status]}-badge[{STATES[status]}]"
    )
    left, middle, right = st.columns(3)
    left.markdown(
        f"通知日期：{text.day(review['notified_on'])}  \n申报日期：{text.day(review['declared_on'])}  \n"
        f"审核日期：{text.day(review['reviewed_on'])}"
    )
    middle.markdown(
        f"申报职工人数：{text.count(review['staff'], '人')}  \n"
        f"申报残疾职工：{text.count(review['disabled_staff'], '人')}  \n"
        f"名册人数：{text.count(review['roster_people'], '人')}"
    )
    right.markdown(
        f"上年职工年平均工资：{text.yuan(review['avg_wage_fen'])}  \n"
        f"重新申报：{text.count(review['resubmissions'], '次')}"
    )
    if status == "returned":
        st.warning(escape_markdown(f"退回原因：{review['return_reason']}"), icon=":material/undo:")


def render_history(ctx: ViewContext, review_id: int) -> None:
    steps = levy_records.review_history(ctx.url, review_id)
    with st.expander(f"办理经过（{len(steps)} 步）"):
        table = pd.DataFrame(
            {
                "日期": [text.day(d) for d in steps["day"]],
                "办理": steps["step"],
                "退回原因": steps["reason"],
                "办理人": steps["who"],
                "录入时间": [text.short_time(t) for t in steps["at"]],
            }
        )
        st.dataframe(table, hide_index=True, width="stretch", row_height=GRID_ROW_PX, height=grid_height(len(table)))


# --- what may be done in each state -----------------------------------------------------------------------


def errors_of(form: str, review_id: int) -> dict[str, str]:
    """What the service refused on the last try of ``form`` for this review (shown beside the fields)."""
    kept = st.session_state.get(f"rv_err_{form}")
    return kept[1] if kept and kept[0] == review_id else {}


def outcome(form: str, review_id: int, problems: Problems, done: str | None) -> None:
    """Keep what the service said for the next run; on success a toast and a clean form."""
    st.session_state[f"rv_err_{form}"] = (review_id, problems.errors)
    if done is not None and not problems:
        st.session_state.rv_toast = done


def render_actions(ctx: ViewContext, review: dict) -> None:
    status = review["status"]
    if status in ("notified", "returned"):
        render_declare(ctx, review)
    elif status == "declared":
        left, right = st.columns(2, gap="large")
        with left:
            render_approve(ctx, review)
        with right:
            render_return(ctx, review)
    else:
        st.success("已审核通过：名册和申报不能再改", icon=":material/verified:")


def render_declare(ctx: ViewContext, review: dict) -> None:
    again = review["status"] == "returned"
    review_id = int(review["review_id"])
    errors = errors_of("declare", review_id)
    employer = levy_records.employer(ctx.url, int(review["employer_id"]), ctx.view.access)
    staff = review["staff"] if review["staff"] is not None else employer["staff"]
    wage = review["avg_wage_fen"] if review["avg_wage_fen"] is not None else employer["avg_wage_fen"]
    claimed = review["disabled_staff"] if review["disabled_staff"] is not None else review["roster_people"]
    st.markdown("**重新申报**（退回后再次申报）" if again else "**申报**（单位报来的上年职工与残疾职工情况）")
    with st.form(f"rv_declare_{review_id}"):
        cols = st.columns(4)
        declared_on = cols[0].date_input(
            "申报日期", value=ctx.today, format="YYYY-MM-DD", key=f"rv_declare_day_{review_id}"
        )
        field_error(errors, "declared_on")
        with cols[1]:
            staff_text = st.text_input(
                "上年在职职工人数（人）", value=as_text(DECLARED[0], staff), key=f"rv_declare_staff_{review_id}"
            )
            field_error(errors, "staff")
        with cols[2]:
            wage_text = st.text_input(
                "上年职工年平均工资（元）", value=as_text(DECLARED[1], wage), key=f"rv_declare_wage_{review_id}"
            )
            field_error(errors, "avg_wage_fen")
        with cols[3]:
            claimed_text = st.text_input(
                "申报残疾职工人数（人）", value=as_text(DECLARED[2], claimed), key=f"rv_declare_claimed_{review_id}"
            )
            field_error(errors, "disabled_staff")
        other_errors(errors, {"declared_on", "staff", "avg_wage_fen", "disabled_staff"})
        if st.form_submit_button("重新申报" if again else "保存申报", type="primary"):
            typed = {"staff": staff_text, "avg_wage_fen": wage_text, "disabled_staff": claimed_text}
            values, unreadable = read(DECLARED, typed, review["year"])
            if unreadable:  # nothing goes to the service until every number can be read
                outcome("declare", review_id, Problems(errors=unreadable), None)
            else:
                _, problems = attempt(
                    lambda: service.declare_review(
                        db_url=ctx.url,
                        actor=ctx.actor,
                        review_id=review_id,
                        declared_on=declared_on,
                        today=ctx.today,
                        **values,
                    )
                )
                outcome("declare", review_id, problems, f"已{'重新申报' if again else '申报'}：{review['employer']}")
            st.rerun()


def render_approve(ctx: ViewContext, review: dict) -> None:
    review_id = int(review["review_id"])
    errors = errors_of("approve", review_id)
    st.markdown("**审核通过**")
    with st.form(f"rv_approve_{review_id}"):
        day = st.date_input("审核日期", value=ctx.today, format="YYYY-MM-DD", key=f"rv_approve_day_{review_id}")
        field_error(errors, "reviewed_on")
        other_errors(errors, {"reviewed_on"})
        if st.form_submit_button("审核通过", type="primary"):
            approve(ctx, review, day, confirm=False)
            st.rerun()
    pending = st.session_state.get("rv_approve_pending")
    if pending and pending["review_id"] == review_id:
        confirm_block(
            pending["warnings"],
            key="rv_approve_confirm",
            on_confirm=lambda: approve(ctx, review, pending["day"], confirm=True),
            on_cancel=lambda: st.session_state.pop("rv_approve_pending", None),
        )


def approve(ctx: ViewContext, review: dict, day: date, *, confirm: bool) -> None:
    review_id = int(review["review_id"])
    _, problems = attempt(
        lambda: service.approve_review(
            db_url=ctx.url, actor=ctx.actor, review_id=review_id, reviewed_on=day, confirm=confirm, today=ctx.today
        )
    )
    st.session_state.rv_approve_pending = (
        {"review_id": review_id, "day": day, "warnings": problems.warnings} if problems.warnings else None
    )
    outcome("approve", review_id, problems, f"已审核通过：{review['employer']}")


def render_return(ctx: ViewContext, review: dict) -> None:
    review_id = int(review["review_id"])
    errors = errors_of("return", review_id)
    st.markdown("**退回**（单位补正后可重新申报）")
    with st.form(f"rv_return_{review_id}"):
        day = st.date_input("退回日期", value=ctx.today, format="YYYY-MM-DD", key=f"rv_return_day_{review_id}")
        field_error(errors, "reviewed_on")
        reason = st.text_area(
            "退回原因（必填，单位会看到）", height=80, max_chars=service.REASON_MAX, key=f"rv_return_reason_{review_id}"
        )
        field_error(errors, "reason")
        other_errors(errors, {"reviewed_on", "reason"})
        if st.form_submit_button("退回"):
            _, problems = attempt(
                lambda: service.return_review(
                    db_url=ctx.url,
                    actor=ctx.actor,
                    review_id=review_id,
                    reviewed_on=day,
                    reason=reason,
                    today=ctx.today,
                )
            )
            outcome("return", review_id, problems, f"已退回：{review['employer']}")
            st.rerun()


# --- the roster ---------------------------------------------------------------------------------------------


def render_roster(ctx: ViewContext, review: dict) -> None:
    review_id = int(review["review_id"])
    sees = ctx.view.access.people
    roster = levy_records.roster(ctx.url, review_id)
    total = levy_records.roster_weighted(ctx.url, review_id)
    st.markdown(f"**残疾职工名册**（{len(roster)} 人，折算合计 **{text.head_count(total)} 人**）")
    if roster.empty:
        st.caption("名册为空")
    else:
        table = roster_table(ctx.url, review_id, ctx.view.access)
        st.dataframe(table, hide_index=True, width="stretch", row_height=GRID_ROW_PX, height=grid_height(len(table)))
        st.caption(
            "一、二级残疾人按 2 人计；须同时有一年以上劳动合同并足额缴纳社保才计入；按在岗月数折算。"
            "年审在截止日期前审核通过，名册才计入当年残保金核定。" + ("" if sees else "身份证号、残疾人证号已遮盖。")
        )
    may_change = ctx.actor.may_enter("levy") and review["status"] != "approved"
    if may_change:
        left, right = st.columns([3, 2], gap="large")
        with left:
            render_add_person(ctx, review)
        with right:
            if not roster.empty:
                render_remove_person(ctx, review, roster)
    if not roster.empty:
        render_export(ctx, review, roster)


def render_add_person(ctx: ViewContext, review: dict) -> None:
    review_id = int(review["review_id"])
    errors = errors_of("person", review_id)
    gen = st.session_state.setdefault("rv_person_gen", 0)
    st.markdown("**加入名册**")
    with st.form(f"rv_person_{review_id}_{gen}"):
        row1 = st.columns([1, 2, 2])
        with row1[0]:
            name = st.text_input("姓名", key=f"rv_p_name_{gen}")
            field_error(errors, "name")
        with row1[1]:
            number = st.text_input("身份证号（18 位）", key=f"rv_p_id_{gen}")
            field_error(errors, "id_number")
        with row1[2]:
            cert = st.text_input("残疾人证号（20 位）", key=f"rv_p_cert_{gen}")
            field_error(errors, "cert_number")
        row2 = st.columns(3)
        with row2[0]:
            category = st.selectbox(
                "残疾类别",
                list(id_number.CATEGORIES),
                format_func=id_number.CATEGORIES.get,
                key=f"rv_p_cat_{gen}",
                index=None,
                placeholder="请选择",
            )
            field_error(errors, "category")
        with row2[1]:
            grade = st.selectbox(
                "残疾等级",
                list(id_number.GRADES),
                format_func=id_number.GRADES.get,
                key=f"rv_p_grade_{gen}",
                index=None,
                placeholder="请选择",
            )
            field_error(errors, "grade")
        with row2[2]:
            months = st.selectbox(
                "上年在岗月数", list(range(12, 0, -1)), format_func=lambda m: f"{m} 个月", key=f"rv_p_months_{gen}"
            )
            field_error(errors, "months")
        contract = st.checkbox("签订一年以上劳动合同", value=True, key=f"rv_p_contract_{gen}")
        insurance = st.checkbox("足额缴纳社会保险", value=True, key=f"rv_p_insurance_{gen}")
        other_errors(errors, {"name", "id_number", "cert_number", "category", "grade", "months"})
        if st.form_submit_button("加入名册", type="primary"):
            values = dict(
                name=parse_text(name),
                id_number=number,
                cert_number=cert,
                # not chosen: 0, which the service refuses beside the field with every other problem at once
                category=category or 0,
                grade=grade or 0,
                contract_ok=contract,
                insurance_ok=insurance,
                months=months,
            )
            add_person(ctx, review, values, confirm=False)
            st.rerun()
    pending = st.session_state.get("rv_person_pending")
    if pending and pending["review_id"] == review_id:
        confirm_block(
            pending["warnings"],
            key="rv_person_confirm",
            on_confirm=lambda: add_person(ctx, review, pending["values"], confirm=True),
            on_cancel=lambda: st.session_state.pop("rv_person_pending", None),
        )


def add_person(ctx: ViewContext, review: dict, values: dict, *, confirm: bool) -> None:
    review_id = int(review["review_id"])
    new_id, problems = attempt(
        lambda: service.add_roster_person(
            db_url=ctx.url, actor=ctx.actor, review_id=review_id, confirm=confirm, **values
        )
    )
    st.session_state.rv_person_pending = (
        {"review_id": review_id, "values": values, "warnings": problems.warnings} if problems.warnings else None
    )
    outcome("person", review_id, problems, f"已加入名册：{values['name']}")
    if new_id is not None:
        st.session_state.rv_person_gen = st.session_state.get("rv_person_gen", 0) + 1  # a fresh, empty form


def render_remove_person(ctx: ViewContext, review: dict, roster: pd.DataFrame) -> None:
    review_id = int(review["review_id"])
    errors = errors_of("remove", review_id)
    names = removable(ctx.url, review_id, ctx.view.access)
    st.markdown("**移出名册**")
    with st.form(f"rv_remove_{review_id}"):
        person_id = st.selectbox(
            "人员", list(names), format_func=names.__getitem__, key=f"rv_remove_person_{review_id}"
        )
        field_error(errors, "person_id")
        other_errors(errors, {"person_id"})
        if st.form_submit_button("移出名册"):
            _, problems = attempt(
                lambda: service.remove_roster_person(db_url=ctx.url, actor=ctx.actor, person_id=person_id)
            )
            outcome("remove", review_id, problems, f"已移出名册：{names[person_id]}")
            st.rerun()


def render_export(ctx: ViewContext, review: dict, roster: pd.DataFrame) -> None:
    """The roster as a workbook: masked for everyone; in full only after an administrator's export is audited."""
    review_id = int(review["review_id"])
    title = f"{review['employer']} {review['year']}年残疾职工名册"
    sheet = {"title": title, "filter_label": title, "taken_at": datetime.now(UTC), "totals": False}
    left, right = st.columns([1, 2], vertical_alignment="center")
    left.download_button(
        "导出名册（Excel，证件号已遮盖）",
        to_xlsx(roster_table(ctx.url, review_id, ctx.view.access, export=True), **sheet),
        file_name=f"{title}.xlsx",
        mime=XLSX_MIME,
        key=f"rv_xlsx_{review_id}",
    )
    if not ctx.actor.kind.admin:
        return
    with right:
        if not st.checkbox("导出完整身份证号（将记入操作记录）", key=f"rv_full_{review_id}"):
            st.session_state.pop("rv_full_ready", None)
            return
        if st.session_state.get("rv_full_ready") == review_id:
            st.download_button(
                "下载完整名册（Excel）",
                to_xlsx(roster_table(ctx.url, review_id, ctx.view.access, export=True, full=True), **sheet),
                file_name=f"{title}（完整）.xlsx",
                mime=XLSX_MIME,
                key=f"rv_full_xlsx_{review_id}",
                type="primary",
            )
            return
        if st.button("记入操作记录并生成完整名册", key=f"rv_full_go_{review_id}"):
            _, problems = attempt(
                lambda: service.record_unmasked_export(
                    db_url=ctx.url,
                    actor=ctx.actor,
                    file_name=f"{title}（完整）.xlsx",
                    rows=len(roster),
                    detail=f"年审记录 {review_id}：{len(roster)} 人的姓名、身份证号、残疾人证号",
                )
            )
            if problems:
                other_errors(problems.errors, set())
                return
            st.session_state.rv_full_ready = review_id
            st.rerun()


# --- notices ------------------------------------------------------------------------------------------------


def render_one_notice(ctx: ViewContext, year: int, employer_id: int) -> None:
    errors = errors_of("notice_one", employer_id)
    with st.form(f"rv_notice_one_{employer_id}"):
        day = st.date_input("通知日期", value=ctx.today, format="YYYY-MM-DD", key=f"rv_notice_one_day_{employer_id}")
        field_error(errors, "notified_on")
        other_errors(errors, {"notified_on"})
        if st.form_submit_button("发送年审通知", type="primary"):
            notify(ctx, year, day, [employer_id], "notice_one", employer_id)
            st.rerun()


def notify(ctx: ViewContext, year: int, day: date, employer_ids: list[int], form: str, key: int) -> None:
    count, problems = attempt(
        lambda: service.notify_reviews(
            db_url=ctx.url, actor=ctx.actor, year=year, notified_on=day, employer_ids=employer_ids, today=ctx.today
        )
    )
    outcome(form, key, problems, f"已向 {text.count(count or 0)} 家单位发送 {year} 年年审通知")


def render_bulk_notice(ctx: ViewContext, year: int) -> None:
    """Notices for every employer of the filter's townships that has none for the year."""
    waiting = levy_records.employers_without_review(ctx.url, ctx.scope, year)
    st.markdown(f"**批量发送 {year} 年年审通知**")
    if waiting.empty:
        st.caption(escape_markdown(f"{ctx.units_label()}登记的用人单位都已收到 {year} 年的年审通知"))
        return
    st.caption(
        escape_markdown(f"{ctx.units_label()}有 {text.count(len(waiting))} 家用人单位尚未收到 {year} 年的年审通知")
    )
    errors = errors_of("notice_all", year)
    with st.form("rv_notice_all"):
        cols = st.columns([1, 3], vertical_alignment="bottom")
        day = cols[0].date_input("通知日期", value=ctx.today, format="YYYY-MM-DD", key="rv_notice_day")
        submitted = cols[1].form_submit_button(f"向 {text.count(len(waiting))} 家单位发送年审通知", type="primary")
        field_error(errors, "notified_on")
        other_errors(errors, {"notified_on"})
    if submitted:
        notify(ctx, year, day, [int(e) for e in waiting["employer_id"]], "notice_all", year)
        st.rerun()
