"""执法检查录入: quick entry of inspections during a campaign (the campaign and the date stay after each save,
the employer is found by name or credit code), the campaign's inspections so far, the findings still open
with their 办结, and new campaigns. ``?record=<inspection id>`` opens one inspection.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from data_layer.domain import text
from data_layer.domain.errors import Problems
from data_layer.domain.links import RECORD_PARAM
from data_layer.models import INSPECTION_MODES, INSPECTION_RESULTS
from data_layer.queries import levy_records, org
from data_layer.services import levy as service
from data_layer.services.records import services_for
from pages.common.context import ViewContext, current
from pages.common.employer_picker import pick_employer
from pages.common.entry_fields import attempt, default_day
from pages.common.fmt import escape_markdown
from pages.common.forms import confirm_block, field_error, other_errors, saved_toast
from pages.common.ui import GRID_ROW_PX, grid_height

ROUTINE = 0  # the campaign choice for an inspection outside any campaign (日常检查)
INSPECTIONS = services_for(service.INSPECTION)
FOLLOW_UP = ("below", "undeclared")  # results that need a 整改期限
LIST_ROWS = 8
FORM_FIELDS = {"mode", "result", "inspectors", "finding", "follow_up_due"}


def render() -> None:
    ctx = current()
    saved_toast("in_toast", long=True)
    if ctx.actor is None:
        st.warning("请先登录", icon=":material/lock:")
        return
    open_linked_inspection()
    campaigns = levy_records.campaigns(ctx.url, ctx.scope)
    may_enter = ctx.actor.may_enter("levy")
    if may_enter:
        st.caption(escape_markdown(f"录入人：{ctx.actor.name}（{ctx.actor.kind.name}）"))
    if st.session_state.get("in_open_from") == "link":  # opened from a link (a worklist): first on the page
        render_inspection(ctx, int(st.session_state.in_open), may_enter)
    campaign_id = render_entry(ctx, campaigns, may_enter)
    st.divider()
    render_so_far(ctx, campaigns, campaign_id)
    st.divider()
    render_follow_ups(ctx, may_enter)
    if may_enter:
        st.divider()
        render_new_campaign(ctx)


def open_linked_inspection() -> None:
    """``?record=<id>`` opens that inspection once; later choices are the user's."""
    wanted = st.query_params.get(RECORD_PARAM)
    if wanted and wanted.isdigit() and st.session_state.get("in_linked") != wanted:
        st.session_state.in_linked = wanted
        st.session_state.in_open = int(wanted)
        st.session_state.in_open_from = "link"


# --- quick entry ---------------------------------------------------------------------------------------------


def campaign_names(campaigns: pd.DataFrame) -> dict[int, str]:
    names = {
        int(c.campaign_id): f"{c.campaign}（{text.period(c.start_date, c.end_date)}）"
        for c in campaigns.itertuples(index=False)
    }
    return {**names, ROUTINE: "日常检查（不属于专项活动）"}


def render_entry(ctx: ViewContext, campaigns: pd.DataFrame, may_enter: bool) -> int | None:
    """The kept choices (campaign, date) above the form, the employer, the form; returns the campaign."""
    problems: Problems = st.session_state.get("in_problems") or Problems()
    errors = problems.errors
    names = campaign_names(campaigns)
    if "in_campaign_next" in st.session_state:  # a campaign just created (its widget was drawn already then)
        st.session_state.in_campaign = st.session_state.pop("in_campaign_next")
        st.session_state.pop("in_day", None)
    if st.session_state.get("in_campaign") not in names:
        st.session_state.in_campaign = next(iter(names))
    top = st.columns([3, 1])
    with top[0]:
        chosen = st.selectbox(
            "检查活动",
            list(names),
            format_func=names.__getitem__,
            key="in_campaign",
            on_change=lambda: st.session_state.pop("in_day", None),  # a new campaign: a date within its dates
        )
        field_error(errors, "campaign_id")
    campaign_id = None if chosen == ROUTINE else int(chosen)
    if not may_enter:
        st.caption(escape_markdown(f"您的账号（{ctx.actor.kind.name}）只能查看检查记录，不能录入"))
        return campaign_id
    with top[1]:
        if "in_day" not in st.session_state:
            st.session_state.in_day = first_day(ctx, campaigns, campaign_id)
        day = st.date_input("检查日期", key="in_day", format="YYYY-MM-DD")
        field_error(errors, "inspected_on")
    gen = st.session_state.setdefault("in_gen", 0)
    employer_id = pick_employer(ctx, f"in_pick_{gen}", label="被检查单位", inline=True)
    field_error(errors, "employer_id", "township_id")
    with st.form(f"in_form_{gen}"):
        row = st.columns([1, 2, 1])
        with row[0]:
            mode = st.radio("检查方式", INSPECTION_MODES, format_func=service.MODE_NAMES.get, key=f"in_mode_{gen}")
            field_error(errors, "mode")
        with row[1]:
            result = st.radio(
                "检查结果",
                INSPECTION_RESULTS,
                format_func=service.RESULT_NAMES.get,
                key=f"in_result_{gen}",
                horizontal=True,
            )
            field_error(errors, "result")
        with row[2]:
            due = st.date_input("整改期限（未达标、未申报必填）", value=None, format="YYYY-MM-DD", key=f"in_due_{gen}")
            field_error(errors, "follow_up_due")
        inspectors = st.text_input("检查人员", max_chars=60, key=f"in_inspectors_{gen}")
        field_error(errors, "inspectors")
        finding = st.text_area("检查情况", height=80, max_chars=200, key=f"in_finding_{gen}")
        field_error(errors, "finding")
        other_errors(errors, FORM_FIELDS | {"campaign_id", "inspected_on", "employer_id", "township_id"})
        button, hint = st.columns([1, 5], vertical_alignment="center")
        submitted = button.form_submit_button("保存", type="primary")
        hint.caption("保存后检查活动和日期保持不变，可接着录下一家单位。")
    if submitted:
        values = dict(
            employer_id=employer_id,
            campaign_id=campaign_id,
            inspected_on=day,
            mode=mode,
            result=result,
            finding=(finding or "").strip(),
            inspectors=(inspectors or "").strip(),
            follow_up_due=due,
        )
        save(ctx, values)
        st.rerun()
    pending = st.session_state.get("in_pending")
    if pending and problems.warnings:
        confirm_block(
            problems.warnings,
            key="in_confirm",
            on_confirm=lambda: save(ctx, pending, confirm=True),
            on_cancel=lambda: forget("in_problems", "in_pending"),
        )
    return campaign_id


def first_day(ctx: ViewContext, campaigns: pd.DataFrame, campaign_id: int | None) -> date:
    """Today, within the campaign's dates (or within the filtered period for routine checks)."""
    found = campaigns[campaigns["campaign_id"] == campaign_id]
    if found.empty:
        return default_day(ctx)
    return min(max(ctx.today, found["start_date"].iloc[0]), found["end_date"].iloc[0])


def save(ctx: ViewContext, values: dict, *, confirm: bool = False) -> None:
    """Save one inspection; on success a toast, a fresh form, and the campaign and date kept."""
    reason = st.session_state.get("in_confirm_note", "") if confirm else ""
    new_id, problems = attempt(
        lambda: INSPECTIONS.create(
            db_url=ctx.url, actor=ctx.actor, values=values, confirm=confirm, warning_note=reason, today=ctx.today
        )
    )
    st.session_state.in_problems = problems
    st.session_state.in_pending = values if problems.warnings else None
    if new_id is not None:
        forget("in_problems", "in_pending", "in_confirm_note")
        st.session_state.in_gen = st.session_state.get("in_gen", 0) + 1
        st.session_state.in_toast = saved_text(ctx, new_id)


def saved_text(ctx: ViewContext, inspection_id: int) -> str:
    found = levy_records.inspection(ctx.url, inspection_id, ctx.view.access)
    if found is None:
        return f"已保存 #{inspection_id}"
    words = f"{service.MODE_NAMES[found['mode']]}，{service.RESULT_NAMES[found['result']]}"
    return f"已保存 #{inspection_id}：{found['employer']}，{text.day(found['inspected_on'])} {words}"


def forget(*names: str) -> None:
    for name in names:
        st.session_state.pop(name, None)


# --- the campaign so far ---------------------------------------------------------------------------------


def inspection_table(found: pd.DataFrame) -> pd.DataFrame:
    """Short columns first and the inspectors' text last, so a 1024-wide screen shows what matters."""
    columns = {
        "检查日期": [text.day(d) for d in found["inspected_on"]],
        "单位": found["employer"],
        "乡镇": found["township"],
        "方式": [service.MODE_NAMES[m] for m in found["mode"]],
        "结果": [service.RESULT_NAMES[r] for r in found["result"]],
        "整改期限": [text.day(d) for d in found["follow_up_due"]],
    }
    if "overdue" in found:  # the open findings: whether the due date has passed (none of them is closed)
        columns["是否逾期"] = ["已逾期" if late else "未到期" for late in found["overdue"]]
    else:
        columns["办结日期"] = [text.day(d) for d in found["closed_on"]]
    return pd.DataFrame(columns | {"检查人员": found["inspectors"], "检查情况": found["finding"]})


def render_so_far(ctx: ViewContext, campaigns: pd.DataFrame, campaign_id: int | None) -> None:
    year = ctx.spec.year
    name = campaign_names(campaigns)[campaign_id if campaign_id is not None else ROUTINE]
    what = escape_markdown(name if campaign_id is not None else f"{year}年日常检查")
    counts = levy_records.inspection_counts(ctx.url, ctx.scope, campaign_id, year)
    st.subheader("已录入的检查")
    st.markdown(
        f"{what} · {escape_markdown(ctx.units_label())}：共 **{text.count(counts['inspections'])}** 次，"
        f"现场检查 **{text.count(counts['onsite'])}** 次，书面检查 **{text.count(counts['documentary'])}** 次，"
        f"涉及 {text.count(counts['employers'])} 家单位"
    )
    found = levy_records.inspections(ctx.url, ctx.scope, campaign_id, year)
    if found.empty:
        st.caption("还没有检查记录")
        return
    opens(found, "in_list", "最新录入的在上；点一行查看这次检查")


def opens(found: pd.DataFrame, key: str, caption: str) -> None:
    """A table of inspections; picking a row opens that inspection below the open findings."""
    st.session_state[f"{key}_ids"] = [int(i) for i in found["inspection_id"]]
    st.caption(caption)
    table = inspection_table(found)
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        row_height=GRID_ROW_PX,
        height=grid_height(min(len(table), LIST_ROWS)),
        key=key,
        on_select=lambda: picked(key),
        selection_mode="single-row",
    )


def picked(key: str) -> None:
    rows = st.session_state[key].selection.rows
    if rows:
        st.session_state.in_open = st.session_state[f"{key}_ids"][rows[0]]
        st.session_state.in_open_from = "list"


# --- open findings and 办结 ---------------------------------------------------------------------------------


def render_follow_ups(ctx: ViewContext, may_enter: bool) -> None:
    st.subheader("待整改（未办结）")
    found = levy_records.open_follow_ups(ctx.url, ctx.scope, ctx.today)
    if found.empty:
        st.caption(escape_markdown(f"{ctx.units_label()}没有未办结的整改"))
    else:
        late = int(found["overdue"].sum())
        opens(
            found, "in_open_list", f"共 {text.count(len(found))} 项，其中 {text.count(late)} 项已过整改期限；点一行办结"
        )
    opened = st.session_state.get("in_open")
    if opened is not None and st.session_state.get("in_open_from") == "list":
        render_inspection(ctx, int(opened), may_enter)


def render_inspection(ctx: ViewContext, inspection_id: int, may_enter: bool) -> None:
    found = levy_records.inspection(ctx.url, inspection_id, ctx.view.access)
    if found is None:
        st.error(f"检查记录 {inspection_id} 不存在", icon=":material/error:")
        return
    if not ctx.actor.township_allowed(found["township_id"]):
        st.error("乡镇专职干事只能查看本乡镇单位的检查记录", icon=":material/block:")
        return
    with st.container(border=True):
        title, close = st.columns([6, 1], vertical_alignment="center")
        title.markdown(f"**{escape_markdown(found['employer'])}**（{escape_markdown(found['township'])}）")
        close.button("收起", key="in_dismiss", on_click=lambda: forget("in_open", "in_open_from"))
        lines = [
            f"{escape_markdown(found['campaign'])} · {text.day(found['inspected_on'])} · "
            f"{service.MODE_NAMES[found['mode']]} · 结果：{service.RESULT_NAMES[found['result']]}",
            f"检查人员：{escape_markdown(found['inspectors'] or '—')}",
            f"检查情况：{escape_markdown(found['finding'] or '—')}",
            f"整改期限：{text.day(found['follow_up_due'])} · 办结日期：{text.day(found['closed_on'])}",
        ]
        st.markdown("  \n".join(lines))
        if found["closed_on"] is None and found["follow_up_due"] is not None and may_enter:
            render_close(ctx, found)


def render_close(ctx: ViewContext, found: dict) -> None:
    inspection_id = int(found["inspection_id"])
    kept = st.session_state.get("in_close_errors")
    errors = kept[1] if kept and kept[0] == inspection_id else {}
    with st.form(f"in_close_{inspection_id}"):
        cols = st.columns([1, 3], vertical_alignment="bottom")
        day = cols[0].date_input("办结日期", value=ctx.today, format="YYYY-MM-DD", key=f"in_close_day_{inspection_id}")
        submitted = cols[1].form_submit_button("办结", type="primary")
        field_error(errors, "closed_on")
        other_errors(errors, {"closed_on"})
    if submitted:
        _, problems = attempt(
            lambda: service.close_inspection(
                db_url=ctx.url, actor=ctx.actor, inspection_id=inspection_id, closed_on=day, today=ctx.today
            )
        )
        st.session_state.in_close_errors = (inspection_id, problems.errors)
        if not problems:
            st.session_state.in_toast = f"已办结：{found['employer']}"
        st.rerun()


# --- a new campaign ------------------------------------------------------------------------------------------


def county_id(ctx: ViewContext) -> int | None:
    if ctx.scope.county_ids:
        return ctx.scope.county_ids[0]
    counties = org.counties(ctx.url)
    return None if counties.empty else int(counties["county_id"].iloc[0])


def render_new_campaign(ctx: ViewContext) -> None:
    errors = st.session_state.get("in_campaign_errors", {})
    with st.expander("新建检查活动", expanded=bool(errors)):
        gen = st.session_state.setdefault("in_campaign_gen", 0)
        with st.form(f"in_new_campaign_{gen}"):
            top = st.columns([2, 1])
            with top[0]:
                name = st.text_input("活动名称", max_chars=80, key=f"in_c_name_{gen}")
                field_error(errors, "name")
            document = top[1].text_input(
                "文号", max_chars=60, key=f"in_c_doc_{gen}", placeholder="例如 源政办发〔2023〕44号"
            )
            dates = st.columns(2)
            with dates[0]:
                start = st.date_input("开始日期", value=None, format="YYYY-MM-DD", key=f"in_c_start_{gen}")
                field_error(errors, "start_date")
            with dates[1]:
                end = st.date_input("结束日期", value=None, format="YYYY-MM-DD", key=f"in_c_end_{gen}")
                field_error(errors, "end_date")
            other_errors(errors, {"name", "start_date", "end_date"})
            submitted = st.form_submit_button("新建活动")
        if submitted:
            new_id, problems = attempt(
                lambda: service.create_campaign(
                    db_url=ctx.url,
                    actor=ctx.actor,
                    county_id=county_id(ctx),
                    name=name,
                    document=(document or "").strip(),
                    start_date=start,
                    end_date=end,
                )
            )
            st.session_state.in_campaign_errors = problems.errors
            if new_id is not None:
                st.session_state.in_campaign_gen = gen + 1
                st.session_state.in_campaign_next = int(new_id)  # the next inspections belong to it
                st.session_state.in_toast = f"已新建检查活动：{name.strip()}"
            st.rerun()
