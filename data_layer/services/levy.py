"""Employers, levy policy, the annual review, inspections, levy assessments and payments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlmodel import Session, select

from data_layer import credit_code
from data_layer.errors import Checks
from data_layer.models import (
    INSPECTION_MODES,
    SIZE_CLASSES,
    AnnualReview,
    Campaign,
    County,
    Employer,
    Inspection,
    LevyAssessment,
    LevyPayment,
    LevyPolicy,
    Township,
)
from data_layer.roles import Actor
from data_layer.services._core import check_actor, check_count, check_text, insert, service


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


@service(area="levy")
def create_employer(
    *,
    session: Session,
    actor: Actor,
    county_id: int,
    township_id: int | None,
    name: str,
    credit_code_: str,
    staff: int,
    disabled_staff: int,
    avg_wage_fen: int,
    size_class: str,
    above_designated_size: bool,
    registered_on: date,
    is_demo: bool = False,
) -> int:
    checks = Checks()
    check_actor(checks, actor)
    checks.require(session.get(County, county_id) is not None, "county_id", "请选择县区")
    if township_id is not None:
        checks.require(session.get(Township, township_id) is not None, "township_id", "乡镇不存在")
    check_text(checks, "name", name, "单位名称", 80)
    code = (credit_code_ or "").strip().upper()
    if checks.require(credit_code.is_valid(code), "credit_code", "统一社会信用代码应为 18 位且校验位正确"):
        clash = session.exec(select(Employer).where(Employer.credit_code == code)).first()
        checks.require(clash is None, "credit_code", f"统一社会信用代码 {code} 已登记")
    check_count(checks, "staff", staff, "职工人数")
    check_count(checks, "disabled_staff", disabled_staff, "残疾职工人数")
    if isinstance(staff, int) and isinstance(disabled_staff, int):
        checks.require(disabled_staff <= staff, "disabled_staff", "残疾职工人数不能多于职工人数")
    check_count(checks, "avg_wage_fen", avg_wage_fen, "年平均工资")
    checks.require(size_class in SIZE_CLASSES, "size_class", "规模应为 大型 / 中型 / 小型 / 微型")
    checks.require(isinstance(registered_on, date), "registered_on", "请填写登记日期")
    checks.raise_if_any()
    row = Employer(
        county_id=county_id,
        township_id=township_id,
        name=name.strip(),
        credit_code=code,
        staff=staff,
        disabled_staff=disabled_staff,
        avg_wage_fen=avg_wage_fen,
        size_class=size_class,
        above_designated_size=above_designated_size,
        registered_on=registered_on,
        is_demo=is_demo,
    )
    return insert(session, row, actor=actor)


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


@service(area="levy")
def add_annual_review(
    *,
    session: Session,
    actor: Actor,
    employer_id: int,
    year: int,
    notified_on: date,
    reviewed_on: date | None = None,
    staff: int | None = None,
    disabled_staff: int | None = None,
    is_demo: bool = False,
) -> int:
    checks = Checks()
    check_actor(checks, actor)
    checks.require(session.get(Employer, employer_id) is not None, "employer_id", "用人单位不存在")
    checks.require(isinstance(notified_on, date), "notified_on", "请填写通知日期")
    if reviewed_on is not None and isinstance(notified_on, date):
        checks.require(reviewed_on >= notified_on, "reviewed_on", "审核日期不能早于通知日期")
    check_count(checks, "staff", staff, "职工人数", allow_none=True)
    check_count(checks, "disabled_staff", disabled_staff, "残疾职工人数", allow_none=True)
    clash = session.exec(
        select(AnnualReview).where(AnnualReview.employer_id == employer_id, AnnualReview.year == year)
    ).first()
    checks.require(clash is None, "year", f"该单位 {year} 年的年审已登记")
    checks.raise_if_any()
    row = AnnualReview(
        employer_id=employer_id,
        year=year,
        notified_on=notified_on,
        reviewed_on=reviewed_on,
        staff=staff,
        disabled_staff=disabled_staff,
        is_demo=is_demo,
    )
    return insert(session, row, actor=actor)


@service(area="levy")
def add_inspection(
    *,
    session: Session,
    actor: Actor,
    employer_id: int,
    campaign_id: int | None,
    inspected_on: date,
    mode: str,
    finding: str = "",
    is_demo: bool = False,
) -> int:
    checks = Checks()
    check_actor(checks, actor)
    checks.require(session.get(Employer, employer_id) is not None, "employer_id", "用人单位不存在")
    campaign = session.get(Campaign, campaign_id) if campaign_id is not None else None
    checks.require(campaign_id is None or campaign is not None, "campaign_id", "检查活动不存在")
    if checks.require(isinstance(inspected_on, date), "inspected_on", "请填写检查日期") and campaign:
        checks.require(
            campaign.start_date <= inspected_on <= campaign.end_date,
            "inspected_on",
            f"检查日期应在活动期间 {campaign.start_date}–{campaign.end_date} 内",
        )
    checks.require(mode in INSPECTION_MODES, "mode", "检查方式应为 现场检查 或 书面检查")
    checks.require(len(finding or "") <= 200, "finding", "检查结论不能超过 200 字")
    checks.raise_if_any()
    row = Inspection(
        employer_id=employer_id,
        campaign_id=campaign_id,
        inspected_on=inspected_on,
        mode=mode,
        finding=finding,
        is_demo=is_demo,
    )
    return insert(session, row, actor=actor)


@service(area="levy")
def add_levy_assessment(
    *,
    session: Session,
    actor: Actor,
    employer_id: int,
    year: int,
    assessed_on: date,
    amount_fen: int,
    is_demo: bool = False,
) -> int:
    checks = Checks()
    check_actor(checks, actor)
    checks.require(session.get(Employer, employer_id) is not None, "employer_id", "用人单位不存在")
    checks.require(isinstance(assessed_on, date), "assessed_on", "请填写核定日期")
    check_count(checks, "amount_fen", amount_fen, "核定金额")
    checks.raise_if_any()
    row = LevyAssessment(
        employer_id=employer_id, year=year, assessed_on=assessed_on, amount_fen=amount_fen, is_demo=is_demo
    )
    return insert(session, row, actor=actor)


@service(area="levy")
def add_levy_payment(
    *, session: Session, actor: Actor, assessment_id: int, paid_on: date, amount_fen: int, is_demo: bool = False
) -> int:
    checks = Checks()
    check_actor(checks, actor)
    checks.require(session.get(LevyAssessment, assessment_id) is not None, "assessment_id", "核定记录不存在")
    checks.require(isinstance(paid_on, date), "paid_on", "请填写缴纳日期")
    checks.require(isinstance(amount_fen, int) and amount_fen > 0, "amount_fen", "缴纳金额应大于 0")
    checks.raise_if_any()
    return insert(
        session,
        LevyPayment(assessment_id=assessment_id, paid_on=paid_on, amount_fen=amount_fen, is_demo=is_demo),
        actor=actor,
    )
