"""Levy policy and the county's levy year, enforcement campaigns and inspections."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from decimal import Decimal

from sqlmodel import Session, select

from data_layer.domain import rules, text
from data_layer.domain.errors import Checks
from data_layer.domain.roles import Actor
from data_layer.models import (
    INSPECTION_MODES,
    INSPECTION_RESULTS,
    Campaign,
    County,
    Employer,
    Inspection,
    LevyPolicy,
    LevyYear,
)
from data_layer.queries.levy_context import inspection_context
from data_layer.services._core import (
    RecordType,
    change_row,
    check_actor,
    check_count,
    check_text,
    exists,
    insert,
    one_writer_at_a_time,
    permitted,
    service,
)

MODE_NAMES = {"onsite": "现场检查", "documentary": "书面检查"}
RESULT_NAMES = {"meets": "达标", "below": "未达标", "undeclared": "未申报", "other": "其他"}


@service(admin=True)
def set_levy_policy(
    *,
    session: Session,
    actor: Actor,
    year: int,
    quota_ratio: Decimal,
    exempt_max_staff: int,
    tier_ratio: Decimal,
    tier_high_share: Decimal,
    tier_low_share: Decimal,
    wage_cap_multiple: Decimal,
    local_avg_wage_fen: int,
    note: str = "",
) -> int:
    checks = Checks()
    check_actor(checks, actor)
    checks.require(session.get(LevyPolicy, year) is None, "year", f"{year} 年的政策参数已存在")
    checks.require(Decimal(0) < Decimal(quota_ratio) < 1, "quota_ratio", "安排比例应在 0 与 1 之间")
    checks.require(
        Decimal(0) <= Decimal(tier_ratio) <= Decimal(quota_ratio), "tier_ratio", "减征分档比例应不高于安排比例"
    )
    for field, share in (("tier_high_share", tier_high_share), ("tier_low_share", tier_low_share)):
        checks.require(Decimal(0) <= Decimal(share) <= 1, field, "缴纳比例应在 0 与 1 之间")
    check_count(checks, "exempt_max_staff", exempt_max_staff, "免征人数上限")
    check_count(checks, "local_avg_wage_fen", local_avg_wage_fen, "社会平均工资")
    checks.raise_if_any()
    row = LevyPolicy(
        year=year,
        quota_ratio=quota_ratio,
        exempt_max_staff=exempt_max_staff,
        tier_ratio=tier_ratio,
        tier_high_share=tier_high_share,
        tier_low_share=tier_low_share,
        wage_cap_multiple=wage_cap_multiple,
        local_avg_wage_fen=local_avg_wage_fen,
        note=note,
    )
    return insert(session, row, actor=actor)


@service(admin=True)
def set_levy_year(
    *,
    session: Session,
    actor: Actor,
    county_id: int,
    year: int,
    task_fen: int,
    review_deadline: date | None,
    is_demo: bool = False,
) -> None:
    """The county's collection task (征收任务) and annual-review deadline for a year (created or changed)."""
    checks = Checks()
    check_actor(checks, actor)
    checks.require(session.get(County, county_id) is not None, "county_id", "请选择县区")
    check_count(checks, "task_fen", task_fen, "征收任务")
    if review_deadline is not None:
        checks.require(
            review_deadline.year in (year, year + 1), "review_deadline", f"截止日期应在 {year} 年内（或次年年初）"
        )
    checks.raise_if_any()
    row = session.exec(select(LevyYear).where(LevyYear.county_id == county_id, LevyYear.year == year)).first()
    if row is None:
        insert(
            session,
            LevyYear(
                county_id=county_id, year=year, task_fen=task_fen, review_deadline=review_deadline, is_demo=is_demo
            ),
            actor=actor,
        )
    else:
        change_row(session, row, actor, "update", task_fen=task_fen, review_deadline=review_deadline)


@service(area="levy")
def create_campaign(
    *,
    session: Session,
    actor: Actor,
    county_id: int,
    name: str,
    document: str,
    start_date: date,
    end_date: date,
    is_demo: bool = False,
) -> int:
    checks = Checks()
    check_actor(checks, actor)
    checks.require(session.get(County, county_id) is not None, "county_id", "请选择县区")
    check_text(checks, "name", name, "活动名称", 80)
    if checks.require(isinstance(start_date, date) and isinstance(end_date, date), "start_date", "请填写起止日期"):
        checks.require(start_date <= end_date, "end_date", "结束日期不能早于开始日期")
    checks.raise_if_any()
    row = Campaign(
        county_id=county_id,
        name=name.strip(),
        document=document,
        start_date=start_date,
        end_date=end_date,
        is_demo=is_demo,
    )
    return insert(session, row, actor=actor)


def inspection_errors(
    session: Session, values: dict, today: date, employers: Collection[int] | None = None
) -> dict[str, str]:
    """The hard rules of one inspection (the form and the seed); with ``closed_on``, of its closing too.
    ``employers``: the ids of the employers that exist, looked up for a whole batch at once."""
    checks = Checks()
    employer_id, campaign_id = values.get("employer_id"), values.get("campaign_id")
    inspected_on, follow_up_due = values.get("inspected_on"), values.get("follow_up_due")
    mode, result = values.get("mode"), values.get("result", "other")
    finding, inspectors = values.get("finding", ""), values.get("inspectors", "")
    if employers is None:
        known = exists(session, Employer, employer_id)
    else:
        known = employer_id in employers
    checks.require(known, "employer_id", "请选择用人单位")
    campaign = session.get(Campaign, campaign_id) if campaign_id is not None else None
    checks.require(campaign_id is None or campaign is not None, "campaign_id", "检查活动不存在")
    if checks.require(isinstance(inspected_on, date), "inspected_on", "请填写检查日期"):
        checks.require(inspected_on <= today, "inspected_on", "检查日期不能晚于今天")
        if campaign:
            checks.require(
                campaign.start_date <= inspected_on <= campaign.end_date,
                "inspected_on",
                f"检查日期应在活动期间（{text.period(campaign.start_date, campaign.end_date)}）内",
            )
    checks.require(mode in INSPECTION_MODES, "mode", "检查方式应为 现场检查 或 书面检查")
    checks.require(result in INSPECTION_RESULTS, "result", "检查结果应为 达标 / 未达标 / 未申报 / 其他")
    if result in ("below", "undeclared"):
        checks.require(follow_up_due is not None, "follow_up_due", "未达标或未申报的单位需要填写整改期限")
    if follow_up_due is not None and isinstance(inspected_on, date):
        checks.require(follow_up_due >= inspected_on, "follow_up_due", "整改期限不能早于检查日期")
    checks.require(len(finding or "") <= 200, "finding", "检查情况不能超过 200 字")
    checks.require(len(inspectors or "") <= 60, "inspectors", "检查人员不能超过 60 字")
    if values.get("closed_on") is not None and isinstance(inspected_on, date):
        checks.errors.update(closing_errors(inspected_on, values["closed_on"], today))
    return checks.errors


def closing_errors(inspected_on: date, closed_on: object, today: date) -> dict[str, str]:
    checks = Checks()
    if checks.require(isinstance(closed_on, date), "closed_on", "请填写办结日期"):
        checks.require(closed_on >= inspected_on, "closed_on", "办结日期不能早于检查日期")
        checks.require(closed_on <= today, "closed_on", "办结日期不能晚于今天")
    return checks.errors


def validate_inspection(session: Session, checks: Checks, values: dict, *, today: date, current=None) -> dict:
    """The hard rules of an inspection (errors: nothing is written); returns the values to store. A correction
    may change or clear its 办结 date (a finding closed by mistake opens again)."""
    stored = {name: values.get(name, default) for name, default in INSPECTION_FIELDS.items()}
    checks.errors.update({k: v for k, v in inspection_errors(session, stored, today).items() if k not in checks.errors})
    stored["is_demo"] = bool(values.get("is_demo", False))
    return stored


INSPECTION_FIELDS = {
    "employer_id": None,
    "campaign_id": None,
    "inspected_on": None,
    "mode": None,
    "result": "other",
    "finding": "",
    "inspectors": "",
    "follow_up_due": None,
    "closed_on": None,
}


def employer_township(session: Session, values: dict) -> int | None:
    """An inspection's township: its employer's."""
    employer = session.get(Employer, values.get("employer_id")) if values.get("employer_id") is not None else None
    return employer.township_id if employer is not None else None


def inspection_warnings(session: Session, ids: list[int]) -> dict[int, dict[str, str]]:
    """The soft rules of the given inspections, from the rule context the data-quality checks use."""
    return {i: rules.inspection_warnings(c) for i, c in inspection_context(session, ids).items()}


def inspection_fields(
    *,
    employer_id: int,
    campaign_id: int | None,
    inspected_on: date,
    mode: str,
    result: str = "other",
    finding: str = "",
    inspectors: str = "",
    follow_up_due: date | None = None,
    closed_on: date | None = None,
    is_demo: bool = False,
) -> None:
    """An inspection's fields and their types, checked strictly before any rule runs."""


INSPECTION = RecordType(
    fields=inspection_fields,
    model=Inspection,
    area="levy",
    id_field="inspection_id",
    date_field="inspected_on",
    validate=validate_inspection,
    warnings=inspection_warnings,
    township_of=employer_township,
)


@service(area="levy")
def close_inspection(
    *, session: Session, actor: Actor, inspection_id: int, closed_on: date, today: date | None = None
) -> None:
    """The finding was followed up (整改完成 / 已缴纳): the inspection leaves the worklist. A step of its own
    (not a correction): a finding is closed months after its inspection's month was closed (结账), and two
    people closing it at once close it once."""
    checks = Checks()
    check_actor(checks, actor)
    checks.raise_if_any()
    one_writer_at_a_time(session, INSPECTION)
    row = session.get(Inspection, inspection_id) if inspection_id is not None else None
    if checks.require(row is not None, "inspection_id", "检查记录不存在"):
        checks.require(row.deleted_at is None, "inspection_id", "记录已删除，请先恢复")
        checks.require(row.closed_on is None, "inspection_id", "这条检查已办结")
        checks.errors.update(closing_errors(row.inspected_on, closed_on, today or date.today()))
    checks.raise_if_any()
    permitted(actor, township_id=session.get(Employer, row.employer_id).township_id)
    change_row(session, row, actor, "update", closed_on=closed_on)


def one_per_employer_year(session: Session, checks: Checks, model, stored: dict, noun: str, had: str) -> None:
    """A review or an assessment: one per employer and year — one in the 回收站 is restored, not made again.
    ``noun``: the record in words (年审, 核定); ``had``: the refusal when a live one is there."""
    employer_id, year = stored["employer_id"], stored["year"]
    if not checks.require(exists(session, Employer, employer_id), "employer_id", "请选择用人单位"):
        return
    same = select(model.id, model.deleted_at).where(model.employer_id == employer_id, model.year == year)
    found = session.exec(same).first()
    if found is not None:
        words = f"这家单位 {year} 年的{noun}在回收站中，请恢复" if found.deleted_at is not None else had
        checks.require(False, "employer_id", words)
