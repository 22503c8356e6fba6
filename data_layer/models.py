"""The tables of the store.

Money is integer fen (1 元 = 100 fen), never a float; counts are integers. Both are 64-bit columns
(PostgreSQL's plain INTEGER stops at 21,474,836.47 元). Every fact table carries ``is_demo`` so the
app can tell generated rows from real ones, and ``deleted_at`` where an entry can be deleted and restored.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Index,
    Integer,
    MetaData,
    Numeric,
    Text,
    UniqueConstraint,
    text,
)
from sqlmodel import Field, SQLModel

# Named constraints let Alembic's SQLite batch mode drop and recreate them.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata

AREA_LEVELS = ("national", "provincial", "municipal", "county")
SUBSIDY_UNITS = ("household", "person")
PAYMENT_MODES = ("monthly", "yearly", "one_off")
INSPECTION_MODES = ("onsite", "documentary")
INSPECTION_RESULTS = ("meets", "below", "undeclared", "other")  # 达标 / 未达标 / 未申报 / 其他
REVIEW_STATES = ("notified", "declared", "returned", "approved")  # 已通知 / 已申报 / 退回 / 审核通过
REVIEW_STATE_NAMES = {"notified": "已通知", "declared": "已申报", "returned": "退回", "approved": "审核通过"}
DISABILITY_CATEGORIES = (1, 2, 3, 4, 5, 6, 7)  # 视力 听力 言语 肢体 智力 精神 多重
SIZE_CLASSES = ("large", "medium", "small", "micro")
ITEM_SCOPES = ("township", "county", "any")
ARTICLE_KINDS = ("信息", "新闻", "专题片", "其他")


def utcnow() -> datetime:
    return datetime.now(UTC)


# A record's number, and every reference to one: 64-bit, so that no table that grows (the audit log, entries,
# payments, sign-ins) runs out at PostgreSQL's 2,147,483,647. SQLite's INTEGER PRIMARY KEY is 64-bit already
# and must stay spelled INTEGER to remain the row's own number (its autoincrement).
RECORD_ID = BigInteger().with_variant(Integer(), "sqlite")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


# --- organisation -------------------------------------------------------------


class County(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True, sa_type=RECORD_ID)
    name: str = Field(max_length=40, unique=True)
    code: str = Field(max_length=6, description="行政区划代码, 6 digits")
    sort_order: int = 0


class Township(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("county_id", "name", name="uq_township_county_name"),)
    id: int | None = Field(default=None, primary_key=True, sa_type=RECORD_ID)
    county_id: int = Field(foreign_key="county.id", sa_type=RECORD_ID, index=True)
    name: str = Field(max_length=40)
    kind: str = Field(default="镇", max_length=10, description="镇 / 街道 / 开发区")
    sort_order: int = 0
    active: bool = True


# --- key projects ---------------------------------------------------------------


class Project(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("county_id", "year", "code", name="uq_project_county_year_code"),)
    id: int | None = Field(default=None, primary_key=True, sa_type=RECORD_ID)
    county_id: int = Field(foreign_key="county.id", sa_type=RECORD_ID, index=True)
    year: int = Field(index=True)
    code: str = Field(max_length=20)
    name: str = Field(max_length=80)
    sort_order: int = 0


class ProjectItem(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("project_id", "code", name="uq_projectitem_project_code"),
        CheckConstraint("annual_target >= 0", name="target_nonneg"),
        CheckConstraint("budget_fen IS NULL OR budget_fen >= 0", name="budget_nonneg"),
        CheckConstraint(_in("measure", ("count", "money")), name="measure_known"),
        CheckConstraint(_in("scope", ITEM_SCOPES), name="scope_known"),
        CheckConstraint(
            "(plan_start_month IS NULL AND plan_end_month IS NULL) OR "
            "(plan_start_month BETWEEN 1 AND 12 AND plan_end_month BETWEEN plan_start_month AND 12)",
            name="plan_months",
        ),
    )
    id: int | None = Field(default=None, primary_key=True, sa_type=RECORD_ID)
    project_id: int = Field(foreign_key="project.id", sa_type=RECORD_ID, index=True)
    code: str = Field(max_length=20)
    name: str = Field(max_length=80)
    unit: str = Field(max_length=10, description="人 / 户 / 台 / 处 / 元")
    measure: str = Field(default="count", max_length=10, description="count: quantity; money: amount_fen")
    scope: str = Field(default="township", max_length=10, description="township / county (县本级 only) / any")
    annual_target: int = Field(sa_type=BigInteger, default=0, description="in the item's unit; for money items, 元")
    budget_fen: int | None = Field(default=None, sa_type=BigInteger)
    unit_cost_min_fen: int | None = Field(default=None, sa_type=BigInteger)
    unit_cost_max_fen: int | None = Field(default=None, sa_type=BigInteger)
    # The months the work is planned in (both empty: spread over the whole year); 序时进度 follows them.
    plan_start_month: int | None = None
    plan_end_month: int | None = None
    sort_order: int = 0


class ItemTownshipTarget(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("item_id", "township_id", name="uq_itemtownshiptarget_item_township"),
        CheckConstraint("target >= 0", name="target_nonneg"),
    )
    id: int | None = Field(default=None, primary_key=True, sa_type=RECORD_ID)
    item_id: int = Field(foreign_key="projectitem.id", sa_type=RECORD_ID, index=True)
    township_id: int = Field(foreign_key="township.id", sa_type=RECORD_ID, index=True)
    target: int = Field(sa_type=BigInteger)


class ProgressEntry(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint("quantity >= 0", name="quantity_nonneg"),
        CheckConstraint("amount_fen >= 0", name="amount_nonneg"),
        Index("ix_progressentry_item_date", "item_id", "entry_date"),
    )
    id: int | None = Field(default=None, primary_key=True, sa_type=RECORD_ID)
    item_id: int = Field(foreign_key="projectitem.id", sa_type=RECORD_ID)
    township_id: int | None = Field(default=None, foreign_key="township.id", sa_type=RECORD_ID, index=True)
    entry_date: date
    quantity: int = Field(default=0, sa_type=BigInteger)
    amount_fen: int = Field(default=0, sa_type=BigInteger)
    note: str = Field(default="", max_length=200)
    warning_note: str = Field(
        default="", max_length=200, description="why a value that raised a warning is right (confirmed on entry)"
    )
    is_demo: bool = False
    created_by: str = Field(max_length=40)
    created_at: datetime = Field(default_factory=utcnow)
    deleted_at: datetime | None = None


# --- subsidies ------------------------------------------------------------------


class SubsidyType(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint(_in("unit", SUBSIDY_UNITS), name="unit_known"),
        CheckConstraint(_in("payment", PAYMENT_MODES), name="payment_known"),
        CheckConstraint(_in("standard_basis", ("month", "payment")), name="basis_known"),
    )
    id: int | None = Field(default=None, primary_key=True, sa_type=RECORD_ID)
    code: str = Field(max_length=20, unique=True)
    name: str = Field(max_length=60)
    unit: str = Field(max_length=10, description="household or person")
    payment: str = Field(max_length=10, description="monthly / yearly / one_off")
    standard_basis: str = Field(
        default="month", max_length=10, description="month: standard x months; payment: standard once"
    )
    sort_order: int = 0


class SubsidyStandard(SQLModel, table=True):
    """A standard in force from ``effective_from``: per unit per month, or per payment."""

    __table_args__ = (
        UniqueConstraint("type_id", "effective_from", name="uq_subsidystandard_type_from"),
        CheckConstraint("amount_fen >= 0", name="amount_nonneg"),
    )
    id: int | None = Field(default=None, primary_key=True, sa_type=RECORD_ID)
    type_id: int = Field(foreign_key="subsidytype.id", sa_type=RECORD_ID, index=True)
    effective_from: date
    amount_fen: int = Field(sa_type=BigInteger)
    note: str = Field(default="", max_length=200)


class Disbursement(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint("recipients >= 0", name="recipients_nonneg"),
        CheckConstraint("standard_fen >= 0", name="standard_nonneg"),
        CheckConstraint("amount_fen >= 0", name="amount_nonneg"),
        CheckConstraint("month_to >= month_from", name="months_ordered"),
        Index("ix_disbursement_type_paid", "type_id", "paid_date"),
        # the repeat and gap checks look up the same unit's (type, county, township) other payments
        Index("ix_disbursement_unit", "type_id", "county_id", "township_id", "month_to"),
    )
    id: int | None = Field(default=None, primary_key=True, sa_type=RECORD_ID)
    type_id: int = Field(foreign_key="subsidytype.id", sa_type=RECORD_ID)
    county_id: int = Field(foreign_key="county.id", sa_type=RECORD_ID, index=True)
    township_id: int | None = Field(default=None, foreign_key="township.id", sa_type=RECORD_ID, index=True)
    month_from: date = Field(description="first day of the first month covered")
    month_to: date = Field(description="first day of the last month covered")
    recipients: int = Field(sa_type=BigInteger)
    standard_fen: int = Field(sa_type=BigInteger)
    amount_fen: int = Field(sa_type=BigInteger)
    paid_date: date
    note: str = Field(default="", max_length=200)
    warning_note: str = Field(
        default="",
        max_length=200,
        sa_column_kwargs={"server_default": ""},
        description="the reason for an amount that is not count × standard × months, or another warning",
    )
    is_demo: bool = False
    created_by: str = Field(max_length=40)
    created_at: datetime = Field(default_factory=utcnow)
    deleted_at: datetime | None = None


# --- levy enforcement -------------------------------------------------------------


class LevyPolicy(SQLModel, table=True):
    """The levy rules of one year, as data (财税〔2015〕72号, 财政部公告2023年第8号)."""

    __table_args__ = (
        CheckConstraint("quota_ratio > 0 AND quota_ratio < 1", name="quota_range"),
        CheckConstraint("exempt_max_staff >= 0", name="exempt_nonneg"),
    )
    year: int = Field(primary_key=True)
    quota_ratio: Decimal = Field(sa_type=Numeric(6, 4), description="e.g. 0.015")
    exempt_max_staff: int = Field(description="employers with at most this many staff are exempt")
    tier_ratio: Decimal = Field(sa_type=Numeric(6, 4), description="at or above this ratio pays tier_high_share")
    tier_high_share: Decimal = Field(sa_type=Numeric(5, 4), description="e.g. 0.5")
    tier_low_share: Decimal = Field(sa_type=Numeric(5, 4), description="below tier_ratio, e.g. 0.9")
    wage_cap_multiple: Decimal = Field(sa_type=Numeric(4, 2), description="cap on the employer's wage")
    local_avg_wage_fen: int = Field(description="local social average wage, last year")
    note: str = Field(default="", max_length=200)


class Employer(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint("staff >= 0", name="staff_nonneg"),
        CheckConstraint("disabled_staff >= 0 AND disabled_staff <= staff", name="disabled_within_staff"),
        CheckConstraint("avg_wage_fen >= 0", name="wage_nonneg"),
        CheckConstraint(_in("size_class", SIZE_CLASSES), name="size_known"),
    )
    id: int | None = Field(default=None, primary_key=True, sa_type=RECORD_ID)
    county_id: int = Field(foreign_key="county.id", sa_type=RECORD_ID, index=True)
    township_id: int | None = Field(default=None, foreign_key="township.id", sa_type=RECORD_ID, index=True)
    name: str = Field(max_length=80)
    credit_code: str = Field(max_length=18, unique=True, description="统一社会信用代码")
    staff: int = Field(sa_type=BigInteger)
    disabled_staff: int = Field(default=0, sa_type=BigInteger)
    avg_wage_fen: int = Field(default=0, sa_type=BigInteger)
    size_class: str = Field(max_length=10)
    above_designated_size: bool = Field(default=False, description="规模以上企业")
    registered_on: date = Field(description="first registered with the DPF")
    is_demo: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(default="", max_length=40, sa_column_kwargs={"server_default": ""})
    updated_at: datetime | None = None


class LevyYear(SQLModel, table=True):
    """A county's levy year: the collection task (征收任务) and the annual review's deadline. An employer whose
    review is not approved by the deadline counts as employing no disabled people that year."""

    __table_args__ = (
        UniqueConstraint("county_id", "year", name="uq_levyyear_county_year"),
        CheckConstraint("task_fen >= 0", name="task_nonneg"),
    )
    id: int | None = Field(default=None, primary_key=True, sa_type=RECORD_ID)
    county_id: int = Field(foreign_key="county.id", sa_type=RECORD_ID, index=True)
    year: int
    task_fen: int = Field(default=0, sa_type=BigInteger, description="征收任务")
    review_deadline: date | None = Field(default=None, description="年审截止日期")
    is_demo: bool = False


class Campaign(SQLModel, table=True):
    __table_args__ = (CheckConstraint("end_date >= start_date", name="dates_ordered"),)
    id: int | None = Field(default=None, primary_key=True, sa_type=RECORD_ID)
    county_id: int = Field(foreign_key="county.id", sa_type=RECORD_ID, index=True)
    name: str = Field(max_length=80)
    document: str = Field(default="", max_length=60)
    start_date: date
    end_date: date
    is_demo: bool = False


class AnnualReview(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("employer_id", "year", name="uq_annualreview_employer_year"),
        CheckConstraint("staff >= 0 AND disabled_staff >= 0", name="counts_nonneg"),
        CheckConstraint(_in("status", REVIEW_STATES), name="status_known"),
    )
    id: int | None = Field(default=None, primary_key=True, sa_type=RECORD_ID)
    employer_id: int = Field(foreign_key="employer.id", sa_type=RECORD_ID, index=True)
    year: int = Field(index=True, description="the review year; it declares the year before's staff and wages")
    status: str = Field(default="notified", max_length=10, sa_column_kwargs={"server_default": "notified"})
    notified_on: date
    declared_on: date | None = None
    reviewed_on: date | None = Field(default=None, description="the latest decision: approved or returned")
    return_reason: str = Field(default="", max_length=200, sa_column_kwargs={"server_default": ""})
    resubmissions: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    staff: int | None = Field(default=None, sa_type=BigInteger, description="在职职工人数 (上年, monthly average)")
    disabled_staff: int | None = Field(default=None, sa_type=BigInteger, description="the disabled staff claimed")
    avg_wage_fen: int | None = Field(default=None, sa_type=BigInteger, description="上年职工年平均工资")
    warning_note: str = Field(
        default="", max_length=200, sa_column_kwargs={"server_default": ""}, description="why a warning is right"
    )
    is_demo: bool = False
    updated_at: datetime | None = None
    created_by: str = Field(default="", max_length=40, sa_column_kwargs={"server_default": ""})
    created_at: datetime | None = Field(default_factory=utcnow, description="None for reviews before 0015")
    deleted_at: datetime | None = None


class RosterPerson(SQLModel, table=True):
    """One disabled employee on an employer's annual-review roster (personal data: shown masked)."""

    __table_args__ = (
        UniqueConstraint("review_id", "id_number", name="uq_rosterperson_review_id_number"),
        CheckConstraint("grade BETWEEN 1 AND 4", name="grade_range"),
        CheckConstraint("category BETWEEN 1 AND 7", name="category_range"),
        CheckConstraint("months BETWEEN 1 AND 12", name="months_range"),
    )
    id: int | None = Field(default=None, primary_key=True, sa_type=RECORD_ID)
    review_id: int = Field(foreign_key="annualreview.id", sa_type=RECORD_ID, index=True)
    name: str = Field(max_length=40)
    id_number: str = Field(max_length=18, index=True, description="身份证号 (GB 11643)")
    cert_number: str = Field(max_length=20, description="残疾人证号: the ID number + category + grade")
    category: int
    grade: int
    contract_ok: bool = Field(description="labour contract of a year or more")
    insurance_ok: bool = Field(description="social insurance paid in full")
    months: int = Field(default=12, description="months employed in the year declared")
    listed_on: date | None = Field(default=None, description="名册登记日期: the month it belongs to for 结账")
    warning_note: str = Field(
        default="", max_length=200, sa_column_kwargs={"server_default": ""}, description="why a warning is right"
    )
    is_demo: bool = False
    created_by: str = Field(default="", max_length=40)
    created_at: datetime = Field(default_factory=utcnow)
    deleted_at: datetime | None = None


class Inspection(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint(_in("mode", INSPECTION_MODES), name="mode_known"),
        CheckConstraint(_in("result", INSPECTION_RESULTS), name="result_known"),
    )
    id: int | None = Field(default=None, primary_key=True, sa_type=RECORD_ID)
    employer_id: int = Field(foreign_key="employer.id", sa_type=RECORD_ID, index=True)
    campaign_id: int | None = Field(default=None, foreign_key="campaign.id", sa_type=RECORD_ID, index=True)
    inspected_on: date = Field(index=True)
    mode: str = Field(max_length=12)
    result: str = Field(default="other", max_length=12, sa_column_kwargs={"server_default": "other"})
    finding: str = Field(default="", max_length=200, description="what the inspectors wrote")
    inspectors: str = Field(default="", max_length=60, sa_column_kwargs={"server_default": ""})
    follow_up_due: date | None = Field(default=None, description="整改期限 for a finding to follow up")
    closed_on: date | None = None
    warning_note: str = Field(
        default="", max_length=200, sa_column_kwargs={"server_default": ""}, description="why a repeat is right"
    )
    is_demo: bool = False
    created_by: str = Field(default="", max_length=40, sa_column_kwargs={"server_default": ""})
    deleted_at: datetime | None = None


class LevyAssessment(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("employer_id", "year", name="uq_levyassessment_employer_year"),
        CheckConstraint("amount_fen >= 0", name="amount_nonneg"),
    )
    id: int | None = Field(default=None, primary_key=True, sa_type=RECORD_ID)
    employer_id: int = Field(foreign_key="employer.id", sa_type=RECORD_ID, index=True)
    year: int = Field(index=True, description="the review year it follows (staff and wages of the year before)")
    assessed_on: date
    amount_fen: int = Field(sa_type=BigInteger)
    is_demo: bool = False
    # What the amount was computed from, so "why this amount" reads the same later (levy_rules.explain).
    review_id: int | None = Field(default=None, foreign_key="annualreview.id", sa_type=RECORD_ID, index=True)
    due_on: date | None = Field(default=None, description="缴纳期限")
    staff: int | None = Field(default=None, sa_type=BigInteger)
    disabled_weighted: Decimal | None = Field(default=None, sa_type=Numeric(12, 4))
    avg_wage_fen: int | None = Field(default=None, sa_type=BigInteger)
    basis: str = Field(default="", max_length=40, sa_column_kwargs={"server_default": ""})
    warning_note: str = Field(
        default="", max_length=200, sa_column_kwargs={"server_default": ""}, description="why a warning is right"
    )
    created_by: str = Field(default="", max_length=40, sa_column_kwargs={"server_default": ""})
    deleted_at: datetime | None = None


class LevyPayment(SQLModel, table=True):
    __table_args__ = (CheckConstraint("amount_fen > 0", name="amount_pos"),)
    id: int | None = Field(default=None, primary_key=True, sa_type=RECORD_ID)
    assessment_id: int = Field(foreign_key="levyassessment.id", sa_type=RECORD_ID, index=True)
    paid_on: date
    amount_fen: int = Field(sa_type=BigInteger)
    warning_note: str = Field(
        default="", max_length=200, sa_column_kwargs={"server_default": ""}, description="why a repeat is right"
    )
    is_demo: bool = False
    created_by: str = Field(default="", max_length=40, sa_column_kwargs={"server_default": ""})
    deleted_at: datetime | None = None


class FileLog(SQLModel, table=True):
    """A file that came in (an import) or went out with personal data (an unmasked export): who, when, what."""

    id: int | None = Field(default=None, primary_key=True, sa_type=RECORD_ID)
    kind: str = Field(max_length=30, description="import.employer / export.roster_unmasked …")
    file_name: str = Field(max_length=120)
    actor: str = Field(max_length=40)
    at: datetime = Field(default_factory=utcnow)
    rows: int = 0
    created: int = 0
    updated: int = 0
    detail: str = Field(default="", max_length=200)


# --- publicity ----------------------------------------------------------------------


class Outlet(SQLModel, table=True):
    __table_args__ = (CheckConstraint(_in("level", AREA_LEVELS), name="level_known"),)
    id: int | None = Field(default=None, primary_key=True, sa_type=RECORD_ID)
    name: str = Field(max_length=60, unique=True)
    level: str = Field(max_length=12)
    medium: str = Field(default="网站", max_length=20, description="网站 / 杂志 / 报纸 / 电台 / 电视")
    sort_order: int = 0
    first_used_on: date | None = Field(default=None, description="the first article the office placed there")


class Article(SQLModel, table=True):
    __table_args__ = (
        Index("ix_article_outlet_date", "outlet_id", "published_on"),
        CheckConstraint(_in("kind", ARTICLE_KINDS), name="kind_known"),
    )
    id: int | None = Field(default=None, primary_key=True, sa_type=RECORD_ID)
    county_id: int = Field(foreign_key="county.id", sa_type=RECORD_ID, index=True)
    outlet_id: int = Field(foreign_key="outlet.id", sa_type=RECORD_ID)
    title: str = Field(max_length=120, index=True)  # the repeat check looks up earlier articles by title
    published_on: date = Field(index=True)
    township_id: int | None = Field(default=None, foreign_key="township.id", sa_type=RECORD_ID, index=True)
    link: str = Field(default="", max_length=300, index=True)  # and by link
    kind: str = Field(default="信息", max_length=10, sa_column_kwargs={"server_default": "信息"})
    is_demo: bool = False
    created_by: str = Field(max_length=40)
    created_at: datetime = Field(default_factory=utcnow)
    deleted_at: datetime | None = None
    warning_note: str = Field(default="", max_length=200, sa_column_kwargs={"server_default": ""})


class PublicityTarget(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("county_id", "year", "level", name="uq_publicitytarget_county_year_level"),
        CheckConstraint("target >= 0", name="target_nonneg"),
        CheckConstraint(_in("level", AREA_LEVELS), name="level_known"),
    )
    id: int | None = Field(default=None, primary_key=True, sa_type=RECORD_ID)
    county_id: int = Field(foreign_key="county.id", sa_type=RECORD_ID)
    year: int
    level: str = Field(max_length=12)
    target: int = Field(sa_type=BigInteger)


class PublicityQuota(SQLModel, table=True):
    """A township's quota of articles for a year (乡镇信息报送任务): articles about it, at any level."""

    __table_args__ = (
        UniqueConstraint("township_id", "year", name="uq_publicityquota_township_year"),
        CheckConstraint("target >= 0", name="target_nonneg"),
    )
    id: int | None = Field(default=None, primary_key=True, sa_type=RECORD_ID)
    township_id: int = Field(foreign_key="township.id", sa_type=RECORD_ID, index=True)
    year: int
    target: int = Field(sa_type=BigInteger)


# --- meetings -----------------------------------------------------------------------------


class MeetingPack(SQLModel, table=True):
    """A meeting's figures, frozen before it (冻结的会议数据): the slides show these, not live data, and can be
    shown again months later exactly as then. ``figures`` is the JSON that data_layer/meeting.py builds."""

    id: int | None = Field(default=None, primary_key=True, sa_type=RECORD_ID)
    name: str = Field(max_length=60)
    filter_label: str = Field(max_length=120, description="the filter in words, as the slides say it")
    filter_params: str = Field(max_length=400, description="the filter as URL parameters (JSON)")
    period_start: date
    period_end: date
    data_as_of: datetime | None = Field(default=None, description="the store's last change when frozen")
    figures: str = Field(sa_type=Text)
    created_by: str = Field(max_length=40)
    created_at: datetime = Field(default_factory=utcnow)
    deleted_at: datetime | None = None


# --- other work items -------------------------------------------------------------------


class Indicator(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True, sa_type=RECORD_ID)
    code: str = Field(max_length=30, unique=True)
    name: str = Field(max_length=80)
    unit: str = Field(max_length=10)
    category: str = Field(max_length=20, description="康复 / 组织 / 信访 / 助残日 / 基地 / 文体")
    sort_order: int = 0


class IndicatorValue(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint("value >= 0", name="value_nonneg"),
        CheckConstraint("period_end >= period_start", name="period_ordered"),
        # the repeat and last-year checks look up the same unit's values of the indicator
        Index("ix_indicatorvalue_unit", "indicator_id", "county_id", "township_id", "period_start"),
    )
    id: int | None = Field(default=None, primary_key=True, sa_type=RECORD_ID)
    indicator_id: int = Field(foreign_key="indicator.id", sa_type=RECORD_ID, index=True)
    county_id: int = Field(foreign_key="county.id", sa_type=RECORD_ID, index=True)
    township_id: int | None = Field(default=None, foreign_key="township.id", sa_type=RECORD_ID, index=True)
    period_start: date
    period_end: date
    value: int = Field(sa_type=BigInteger)
    note: str = Field(default="", max_length=200)
    is_demo: bool = False
    created_by: str = Field(max_length=40)
    created_at: datetime = Field(default_factory=utcnow)
    deleted_at: datetime | None = None
    warning_note: str = Field(default="", max_length=200, sa_column_kwargs={"server_default": ""})


# --- settings --------------------------------------------------------------------------


class AppSetting(SQLModel, table=True):
    """A setting an admin can change (e.g. the pace thresholds), as text keyed by name."""

    key: str = Field(primary_key=True, max_length=60)
    value: str = Field(max_length=200)


# --- accounts ----------------------------------------------------------------------


class Account(SQLModel, table=True):
    """A person who signs in. The role and areas say what they may do (data_layer/roles.py)."""

    __table_args__ = (CheckConstraint(_in("role", ("leader", "staff", "township", "admin")), name="role_known"),)
    id: int | None = Field(default=None, primary_key=True, sa_type=RECORD_ID)
    username: str = Field(max_length=40, unique=True)
    display_name: str = Field(max_length=40)
    role: str = Field(max_length=10)
    areas: str = Field(default="", max_length=80, description="comma-separated area codes they may enter")
    township_id: int | None = Field(default=None, foreign_key="township.id", sa_type=RECORD_ID)
    active: bool = True
    password_hash: str = Field(max_length=200)
    is_demo: bool = False
    created_at: datetime = Field(default_factory=utcnow)


class SignInThrottle(SQLModel, table=True):
    """Failed sign-ins of one typed name from one address (a name that is no account's too, so the answer never
    tells whether an account exists): after a few, the next try from there waits. Another PC — the owner's own
    — is not held up by someone guessing elsewhere."""

    __table_args__ = (UniqueConstraint("username", "address", name="uq_signinthrottle_username_address"),)
    id: int | None = Field(default=None, primary_key=True, sa_type=RECORD_ID)
    username: str = Field(max_length=40)
    address: str = Field(max_length=64)  # the client's IP address as the server saw it
    failures: int = 0
    locked_until: datetime | None = None  # no attempt from this address for this name before this
    last_at: datetime = Field(default_factory=utcnow)


class SignIn(SQLModel, table=True):
    """A signed-in browser: the SHA-256 of its opaque token (the cookie holds the token), until it expires or
    the person signs out."""

    id: int | None = Field(default=None, primary_key=True, sa_type=RECORD_ID)
    token_hash: str = Field(max_length=64, unique=True)
    account_id: int = Field(foreign_key="account.id", sa_type=RECORD_ID, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    ended_at: datetime | None = None


class PeriodLock(SQLModel, table=True):
    """A closed month (结账): once reported, entries dated in it are refused for everyone but an
    administrator, whose changes are recorded as made after closing (``LockOverride``)."""

    id: int | None = Field(default=None, primary_key=True, sa_type=RECORD_ID)
    month: date = Field(unique=True, description="the month's first day")
    locked_by: str = Field(max_length=40)
    locked_at: datetime = Field(default_factory=utcnow)
    note: str = Field(default="", max_length=200)


class LockOverride(SQLModel, table=True):
    """An administrator's change to a record dated in a closed month, with the reason given."""

    id: int | None = Field(default=None, primary_key=True, sa_type=RECORD_ID)
    audit_id: int = Field(foreign_key="auditlog.id", sa_type=RECORD_ID, index=True)
    month: date
    table_name: str = Field(max_length=40)
    row_id: str = Field(max_length=40)
    reason: str = Field(max_length=200)


# --- audit and provenance -------------------------------------------------------------


# Audit entries that record no change of data: a sign-in, a failed sign-in, a sign-out (data_layer/auth.py), and the
# record of a download (an unmasked export's FileLog, whose snapshot — ``json.dumps`` of the row, services/_core.py
# ``snapshot`` — names its kind “export.…”). Every other entry records data created, changed, deleted or restored.
SIGN_IN_ACTIONS = ("login", "login_failed", "logout")
AUDIT_DATA_ONLY = (
    "action NOT IN (" + ", ".join(f"'{a}'" for a in SIGN_IN_ACTIONS) + ")"
    """ AND (table_name <> 'filelog' OR coalesce("after", '') NOT LIKE '%"kind": "export.%')"""
)


class AuditLog(SQLModel, table=True):
    __table_args__ = (
        Index("ix_auditlog_table_row", "table_name", "row_id"),
        # the newest entry that changed data (the store's data version, 数据最后更新: data_layer/infra/cache.py),
        # found in one step however many sign-ins came after it (migration 0013)
        Index("ix_auditlog_data", "id", sqlite_where=text(AUDIT_DATA_ONLY), postgresql_where=text(AUDIT_DATA_ONLY)),
    )
    id: int | None = Field(default=None, primary_key=True, sa_type=RECORD_ID)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor: str = Field(max_length=40)
    action: str = Field(max_length=12, description="create / update / delete / restore")
    table_name: str = Field(max_length=40)
    row_id: str = Field(max_length=40)
    before: str | None = Field(default=None, sa_column=Column(Text))
    after: str | None = Field(default=None, sa_column=Column(Text))
    # Tamper evidence: a hash over this row's content and the previous row's hash (data_layer/audit.py).
    chain: str = Field(default="", max_length=64, sa_column_kwargs={"server_default": ""})


class SeedFigure(SQLModel, table=True):
    """A figure of the source report: as printed, as used, and why they differ."""

    id: int | None = Field(default=None, primary_key=True, sa_type=RECORD_ID)
    code: str = Field(max_length=40, unique=True)
    source: str = Field(max_length=80, description="the report the figure comes from")
    area: str = Field(max_length=20)
    item: str = Field(max_length=80)
    section: str = Field(max_length=80)
    quote: str = Field(sa_column=Column(Text, nullable=False))
    value_printed: str = Field(max_length=40)
    value_used: Decimal | None = Field(default=None, sa_type=Numeric(16, 2))
    unit: str = Field(max_length=10)
    why_differs: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    period: str = Field(default="", max_length=10, description="the period it reports, e.g. 2023-h1")
    metric: str | None = Field(default=None, max_length=60, description="store query that reproduces it")
    metric_rule: str = Field(default="eq", max_length=10, description="eq, or at_least for “1500多家”")
    checks: str = Field(
        default="{}",
        sa_column=Column(Text, nullable=False, server_default="{}"),
        description="JSON: what the data-quality checks test the printed value against",
    )
