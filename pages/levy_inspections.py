"""执法检查录入: quick entry of inspections during a campaign (the campaign and the date stay after each save,
the employer is found by name or credit code), the campaign's inspections so far, the findings still open
with their 办结, corrections and the 回收站, and new campaigns. ``?record=<inspection id>`` opens one.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import pandas as pd
import streamlit as st

from data_layer.domain import text
from data_layer.models import INSPECTION_MODES, INSPECTION_RESULTS
from data_layer.queries import levy_records
from data_layer.services import levy as service
from data_layer.services.records import services_for
from data_layer.views import levy_lists as lists
from pages.common.action import Action
from pages.common.context import ViewContext, current
from pages.common.correction import Correction, render_correction
from pages.common.employer_picker import pick_employer
from pages.common.entry_fields import default_day
from pages.common.entry_spec import Field
from pages.common.field_form import Form, form_action, record_write, step_write
from pages.common.fmt import escape_markdown
from pages.common.forms import field_error
from pages.common.tables import linked, show_table

INSPECTIONS = services_for(service.INSPECTION)
ENTRY, CLOSE, CAMPAIGN = Action("in", "in_toast"), Action("in_close", "in_toast"), Action("in_c", "in_toast")
KEPT = {"campaign_id", "inspected_on", "employer_id", "township_id"}  # chosen above the form, errors shown there
MODE = Field("mode", "检查方式", "radio", options=INSPECTION_MODES, labels=service.MODE_NAMES)
RESULT = Field("result", "检查结果", "radio", options=INSPECTION_RESULTS, labels=service.RESULT_NAMES, width=2)
DUE = Field("follow_up_due", "整改期限（未达标、未申报必填）", "date")
INSPECTORS = Field("inspectors", "检查人员", "text", max_chars=60)
FINDING = Field("finding", "检查情况", "note", max_chars=200)
HINT = "保存后检查活动和日期保持不变，可接着录下一家单位。"
ENTRY_FORM = Form([MODE, RESULT, DUE, INSPECTORS, FINDING], "保存", (3, 1, 1), HINT, KEPT)
CLOSED_ON = Field("closed_on", "办结日期", "date")
CLOSE_FORM = Form([CLOSED_ON], "办结", per_row=3)
NAMED = Field("name", "活动名称", "text", max_chars=80, width=2)
DOCUMENT = Field("document", "文号", "text", max_chars=60, placeholder="例如 源政办发〔2023〕44号")
DATES = [Field("start_date", "开始日期", "date"), Field("end_date", "结束日期", "date")]
CAMPAIGN_FORM = Form([NAMED, DOCUMENT, *DATES], "新建活动", per_row=(2, 2))
# what a correction may change (the employer and the campaign: delete and enter again)
CORRECTED = [Field("inspected_on", "检查日期", "date"), *(replace(f, kind="choice", width=1) for f in (MODE, RESULT))]
CORRECTED += [replace(DUE, label="整改期限"), CLOSED_ON, INSPECTORS, FINDING]


def render() -> None:
    ctx = current()
    ENTRY.show_toast()
    if ctx.actor is None:
        st.warning("请先登录", icon=":material/lock:")
        return
    if (wanted := linked("in")) is not None:
        opened(wanted, "link")
    campaigns = levy_records.campaigns(ctx.url, ctx.scope)
    may_enter = ctx.actor.may_enter("levy")
    if may_enter:
        st.caption(escape_markdown(f"录入人：{ctx.actor.name}（{ctx.actor.kind.name}）"))
    show_opened(ctx, "link", may_enter)  # opened from a worklist's link: first on the page
    campaign_id = render_entry(ctx, campaigns, may_enter)
    st.divider()
    render_so_far(ctx, campaigns, campaign_id, may_enter)
    st.divider()
    render_follow_ups(ctx, may_enter)
    if may_enter:
        st.divider()
        render_new_campaign(ctx)


def opened(inspection_id: int, where: str) -> None:
    st.session_state.in_open, st.session_state.in_open_from = inspection_id, where


def show_opened(ctx: ViewContext, where: str, may_enter: bool) -> None:
    if st.session_state.get("in_open") is not None and st.session_state.get("in_open_from") == where:
        render_inspection(ctx, int(st.session_state.in_open), may_enter)


def render_entry(ctx: ViewContext, campaigns: pd.DataFrame, may_enter: bool) -> int | None:
    """The kept choices (campaign, date) above the form, the employer, the form; returns the campaign."""
    errors = ENTRY.errors()
    names = lists.campaign_names(campaigns)
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
    campaign_id = None if chosen == lists.ROUTINE else int(chosen)
    if not may_enter:
        st.caption(escape_markdown(f"您的账号（{ctx.actor.kind.name}）只能查看检查记录，不能录入"))
        return campaign_id
    with top[1]:
        if "in_day" not in st.session_state:
            st.session_state.in_day = lists.first_day(campaigns, campaign_id, ctx.today, default_day(ctx))
        day = st.date_input("检查日期", key="in_day", format="YYYY-MM-DD")
        field_error(errors, "inspected_on")
    employer_id = pick_employer(ctx, f"in_pick_{ENTRY.generation}", label="被检查单位", inline=True)
    field_error(errors, "employer_id", "township_id")
    kept = {"employer_id": employer_id, "campaign_id": campaign_id, "inspected_on": day}
    write = record_write(partial(INSPECTIONS.create, db_url=ctx.url, actor=ctx.actor, today=ctx.today))
    form_action(ENTRY, ENTRY_FORM, write, partial(saved_text, ctx), year=ctx.spec.year, fixed=kept)
    return campaign_id


def saved_text(ctx: ViewContext, inspection_id: int) -> str:
    found = levy_records.inspection(ctx.url, inspection_id, ctx.view.access)
    return f"已保存 #{inspection_id}：{lists.inspection_words(found)}" if found else f"已保存 #{inspection_id}"


def render_so_far(ctx: ViewContext, campaigns: pd.DataFrame, campaign_id: int | None, may_enter: bool) -> None:
    year = ctx.spec.year
    counts = levy_records.inspection_counts(ctx.url, ctx.scope, campaign_id, year)
    st.subheader("已录入的检查")
    st.markdown(escape_markdown(lists.inspections_so_far(campaigns, campaign_id, year, counts, ctx.units_label())))
    found = levy_records.inspections(ctx.url, ctx.scope, campaign_id, year)
    if found.empty:
        st.caption("还没有检查记录")
    else:
        opens(found, "in_list", "最新录入的在上；点一行查看、修改或删除这次检查")
    deleted = levy_records.inspections(ctx.url, ctx.scope, campaign_id, year, deleted=True)
    if may_enter and not deleted.empty:
        with st.expander(f"回收站（已删除 {text.count(len(deleted))} 条）"):
            opens(deleted, "in_bin", "已删除的检查不计入任何统计；点一行查看并恢复", where="bin")
            show_opened(ctx, "bin", may_enter)


def opens(found: pd.DataFrame, key: str, caption: str, where: str = "list") -> None:
    st.caption(caption)
    show_table(
        lists.inspection_table(found),
        key=key,
        ids=[int(i) for i in found["inspection_id"]],
        on_pick=lambda inspection_id: opened(inspection_id, where),
    )


def render_follow_ups(ctx: ViewContext, may_enter: bool) -> None:
    st.subheader("待整改（未办结）")
    found = levy_records.open_follow_ups(ctx.url, ctx.scope, ctx.today)
    if found.empty:
        st.caption(escape_markdown(f"{ctx.units_label()}没有未办结的整改"))
    else:
        late = text.count(int(found["overdue"].sum()))
        opens(found, "in_open_list", f"共 {text.count(len(found))} 项，其中 {late} 项已过整改期限；点一行办结")
    show_opened(ctx, "list", may_enter)


def render_inspection(ctx: ViewContext, inspection_id: int, may_enter: bool) -> None:
    found = levy_records.inspection(ctx.url, inspection_id, ctx.view.access)
    if found is None:
        st.error(f"检查记录 {inspection_id} 不存在", icon=":material/error:")
        return
    with st.container(border=True):
        title, close = st.columns([6, 1], vertical_alignment="center")
        title.markdown(f"**{escape_markdown(found['employer'])}**（{escape_markdown(found['township'])}）")
        close.button("收起", key="in_dismiss", on_click=lambda: opened(None, ""))
        if not may_enter:
            st.markdown("  \n".join(escape_markdown(line) for line in lists.inspection_lines(found)))
            return
        if found["closed_on"] is None and found["follow_up_due"] is not None and found["deleted_at"] is None:
            render_close(ctx, found)
        words = lists.inspection_words(found)
        correction = Correction("in_e", INSPECTIONS, words, CORRECTED, ctx.spec.year, "in_toast")
        render_correction(correction, ctx, {**found, "id": inspection_id})


def render_close(ctx: ViewContext, found: dict) -> None:
    close = partial(service.close_inspection, db_url=ctx.url, actor=ctx.actor, inspection_id=found["inspection_id"])
    done, day = f"已办结：{found['employer']}", {"closed_on": ctx.today}
    form_action(
        CLOSE, CLOSE_FORM, step_write(close), done, year=ctx.today.year, owner=found["inspection_id"], values=day
    )


def render_new_campaign(ctx: ViewContext) -> None:
    create = partial(service.create_campaign, db_url=ctx.url, actor=ctx.actor, county_id=ctx.county_id)
    with st.expander("新建检查活动", expanded=bool(CAMPAIGN.errors())):
        form_action(
            CAMPAIGN, CAMPAIGN_FORM, step_write(create), "已新建检查活动", year=ctx.spec.year, after=kept_campaign
        )


def kept_campaign(campaign_id: int) -> None:
    st.session_state.in_campaign_next = int(campaign_id)  # the next inspections belong to it
