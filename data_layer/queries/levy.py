"""The levy board: each registered employer's year as of the period's end, counted by funnel step, township and
size; the four headline ratios; the campaign by day; the worklist of what is overdue today.

Every rule lives in one per-employer subquery (``employer_year``): the year is the filter's year Y, the as-of
date the period's end. The aggregates only add its 0/1 flags up, so the funnel, the ratios, the township table
and the size table can never count an employer by different rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import Integer, Select, Subquery, and_, case, cast, exists, func, literal, or_, select, true

from data_layer.domain import text
from data_layer.domain.links import record_link
from data_layer.domain.scope import Scope
from data_layer.infra.cache import cached_query
from data_layer.models import (
    AnnualReview,
    Campaign,
    County,
    Employer,
    Inspection,
    LevyAssessment,
    LevyPayment,
    LevyPolicy,
    LevyYear,
    RosterPerson,
)
from data_layer.queries._sql import frame, in_units, scalar, with_township_ids

SIZE_NAMES = {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型"}
LARGE_STAFF = 100  # a 规上 employer, or one this big, that was never inspected is on the worklist

# What the aggregates add up, in funnel order (each a 0/1 flag of employer_year, or an amount in fen).
FLAGS = [
    "registered",
    "exempt",
    "notified",
    "declared",
    "approved",
    "returned",
    "meets",
    "owes",
    "approved_exempt",
    "assessed",
    "paid_up",
    "inspected",
]
AMOUNTS = ["assessed_fen", "collected_fen"]
MEASURES = FLAGS + AMOUNTS
RATES = ["review_rate", "inspection_rate", "quota_rate"]


def _flag(cond) -> object:
    """A condition as 0/1: a CASE, not a cast (PostgreSQL casts a boolean to INTEGER but not to BIGINT)."""
    return case((cond, 1), else_=0)


def employer_year(scope: Scope) -> Subquery:
    """One row per employer registered by the period's end in the filter's units: its year-Y review, roster,
    assessment and payments as of that date, and whether it was inspected within the period."""
    year, as_of = scope.end.year, scope.end
    e, r, ly, p, a = Employer, AnnualReview, LevyYear, LevyPolicy, LevyAssessment
    rp = RosterPerson
    # A roster line counts with a contract and insurance; a grade 1–2 employee as two. Kept in person-months
    # (÷ 12 gives the head count) so the quota test below is exact integer arithmetic on both engines.
    # Correlated per employer row through the indexes (review_id, assessment_id, employer_id), so one county's
    # view of a province store reads that county's rows only, not every roster and payment of the province.
    weighted = case((and_(rp.contract_ok, rp.insurance_ok), case((rp.grade <= 2, 2), else_=1) * rp.months), else_=0)
    weighted_months = select(func.sum(weighted)).where(rp.review_id == r.id, rp.deleted_at.is_(None)).scalar_subquery()
    paid_fen = (
        select(func.sum(LevyPayment.amount_fen))
        .where(LevyPayment.assessment_id == a.id, LevyPayment.paid_on <= as_of, LevyPayment.deleted_at.is_(None))
        .scalar_subquery()
    )
    was_inspected = exists().where(
        Inspection.employer_id == e.id,
        Inspection.inspected_on.between(scope.start, scope.end),
        Inspection.deleted_at.is_(None),
    )
    declared = r.declared_on <= as_of
    staff = case((and_(declared, r.staff.is_not(None)), r.staff), else_=e.staff)  # as declared, else the registry's
    exempt = staff <= p.exempt_max_staff  # NULL (neither exempt nor not) while the year has no policy
    liable = staff > p.exempt_max_staff
    approved = and_(r.status == "approved", r.reviewed_on <= as_of)
    # THE RULE: only a review approved by the year's deadline (or with none set) counts its roster.
    counts_roster = and_(approved, or_(ly.review_deadline.is_(None), r.reviewed_on <= ly.review_deadline))
    quota_per_10k = cast(func.round(p.quota_ratio * 10000), Integer)
    meets_quota = and_(counts_roster, func.coalesce(weighted_months, 0) * 10000 >= staff * 12 * quota_per_10k)
    assessed = a.assessed_on <= as_of
    collected = func.coalesce(paid_fen, 0)
    return (
        select(
            e.id.label("employer_id"),
            e.county_id.label("county_id"),
            e.township_id.label("township_id"),
            e.size_class.label("size_class"),
            literal(1).label("registered"),
            _flag(exempt).label("exempt"),
            _flag(r.notified_on <= as_of).label("notified"),
            _flag(declared).label("declared"),
            _flag(approved).label("approved"),
            _flag(and_(r.status == "returned", r.reviewed_on <= as_of)).label("returned"),
            _flag(and_(approved, liable, meets_quota)).label("meets"),
            _flag(and_(approved, liable, ~meets_quota)).label("owes"),
            _flag(and_(approved, exempt)).label("approved_exempt"),
            _flag(assessed).label("assessed"),
            _flag(and_(assessed, collected >= a.amount_fen)).label("paid_up"),
            _flag(was_inspected).label("inspected"),
            case((assessed, a.amount_fen), else_=0).label("assessed_fen"),
            collected.label("collected_fen"),
        )
        .select_from(e)
        .outerjoin(r, and_(r.employer_id == e.id, r.year == year, r.deleted_at.is_(None)))
        .outerjoin(ly, and_(ly.county_id == e.county_id, ly.year == year))
        .outerjoin(p, p.year == year)
        .outerjoin(a, and_(a.employer_id == e.id, a.year == year, a.deleted_at.is_(None)))
        .where(e.registered_on <= as_of, in_units(scope, e.township_id, e.county_id))
        .subquery("employer_year")
    )


def _sums(ey: Subquery) -> list:
    return [func.coalesce(func.sum(ey.c[m]), 0).label(m) for m in MEASURES]


def with_rates(df: pd.DataFrame) -> pd.DataFrame:
    """The ratios of each row; NaN where the denominator is 0 (the page says “—” and why)."""

    def ratio(top: str, bottom: pd.Series) -> pd.Series:
        return (df[top] / bottom.where(bottom > 0)).astype(float)

    df["liable"] = df["registered"] - df["exempt"]
    # Approved and not exempt: counting the approved exempt ones too would put the rate above 100 %.
    df["approved_liable"] = df["meets"] + df["owes"]
    df["review_rate"] = ratio("approved_liable", df["liable"])
    df["inspection_rate"] = ratio("inspected", df["registered"])
    df["quota_rate"] = ratio("meets", df["approved_liable"])
    return df


@cached_query
def by_unit_and_size(url: str, scope: Scope) -> pd.DataFrame:
    """The measures per county, township and size class: one pass over the employers (a province's 218,000),
    which the summary, the township, size and county tables below add up — a page reads them once, not four
    times. At most counties × townships × 4 size classes rows."""
    ey = employer_year(scope)
    units = (ey.c.county_id, ey.c.township_id, ey.c.size_class)
    stmt = select(*units, *_sums(ey)).group_by(*units)
    return frame(url, stmt, ["county_id", "township_id", "size_class", *MEASURES])


def _added_up(url: str, scope: Scope, by: str | None) -> pd.DataFrame:
    cube = by_unit_and_size(url, scope)
    if by is None:
        return pd.DataFrame([{m: int(cube[m].sum()) for m in MEASURES}])
    out = cube.groupby(by, dropna=False, sort=True)[MEASURES].sum().reset_index()
    return out.astype({m: "int64" for m in MEASURES})


@cached_query
def summary(url: str, scope: Scope) -> pd.DataFrame:
    """One row: every measure for the filter's year as of the period's end, and the ratios."""
    return with_rates(_added_up(url, scope, None))


@cached_query
def by_township(url: str, scope: Scope) -> pd.DataFrame:
    """The measures and ratios per township (None, last: employers registered county-wide)."""
    return with_rates(with_township_ids(_added_up(url, scope, "township_id")))


@cached_query
def by_size(url: str, scope: Scope) -> pd.DataFrame:
    """The measures and ratios per size class, largest class first, with its name."""
    out = _added_up(url, scope, "size_class")
    out = out.set_index("size_class").reindex(list(SIZE_NAMES), fill_value=0).reset_index()
    out.insert(1, "size", out["size_class"].map(SIZE_NAMES))
    return with_rates(out)


@cached_query
def by_county(url: str, scope: Scope) -> pd.DataFrame:
    """The measures and ratios per county (a city's or a province's comparison), with each county's task."""
    out = with_rates(_added_up(url, scope, "county_id"))
    tasks = select(LevyYear.county_id, LevyYear.task_fen).where(LevyYear.year == scope.end.year, LevyYear.task_fen > 0)
    task = dict(frame(url, tasks, ["county_id", "task_fen"]).itertuples(index=False))
    out["task_fen"] = [task.get(c) for c in out["county_id"]]
    out["collection_rate"] = [
        c / t if t else float("nan") for c, t in zip(out["collected_fen"], out["task_fen"], strict=True)
    ]
    return out


@cached_query
def task_fen(url: str, scope: Scope) -> int | None:
    """The year's collection task (征收任务) of the counties in scope; None for a township filter (tasks are
    set per county) or where no county has one."""
    if scope.township_ids:
        return None
    stmt = select(func.sum(LevyYear.task_fen)).where(LevyYear.year == scope.end.year, LevyYear.task_fen > 0)
    if scope.county_ids:
        stmt = stmt.where(LevyYear.county_id.in_(scope.county_ids))
    value = scalar(url, stmt)
    return None if value is None else int(value)


@cached_query
def policy(url: str, year: int) -> dict | None:
    """The year's quota ratio and exemption threshold (for the definitions on screen), or None."""
    stmt = select(LevyPolicy.quota_ratio, LevyPolicy.exempt_max_staff).where(LevyPolicy.year == year)
    got = frame(url, stmt, ["q", "x"])
    return None if got.empty else {"quota_ratio": float(got["q"].iloc[0]), "exempt_max_staff": int(got["x"].iloc[0])}


@dataclass(frozen=True)
class Ratio:
    """A headline ratio: its value (None when it cannot be computed, with why), the parts, its definition."""

    key: str
    label: str
    definition: str
    value: float | None
    numerator: float
    denominator: float
    unit: str  # 家, or 分 for money
    why_none: str = ""


@cached_query
def headline(url: str, scope: Scope) -> list[Ratio]:
    """年审完成率, 检查覆盖率, 达标率, 征收完成率: none counts a notice as coverage; a zero denominator gives
    None with the reason, never NaN or 100 %."""
    s = summary(url, scope).iloc[0]
    rules = policy(url, scope.end.year)
    quota = text.rate(rules["quota_ratio"]) if rules else "规定"
    exempt = f"职工不超过 {rules['exempt_max_staff']} 人" if rules else "免征"
    registered, liable, judged = int(s["registered"]), int(s["liable"]), int(s["approved_liable"])
    no_policy = "" if rules else f"尚未设置{scope.end.year}年残保金政策参数，"
    task = task_fen(url, scope)
    collected = int(s["collected_fen"])

    def value(top: float, bottom: float) -> float | None:
        return top / bottom if bottom > 0 else None

    if scope.township_ids:
        why_task = "征收任务按县下达，乡镇不设任务"
    else:
        why_task = f"尚未设置{scope.end.year}年征收任务"
    return [
        Ratio(
            "review",
            "年审完成率",
            f"年审审核通过的非免征单位 ÷ 期末已登记的非免征单位（{exempt}的免征）",
            value(judged, liable),
            judged,
            liable,
            "家",
            no_policy + ("没有登记的用人单位" if registered == 0 else "登记单位均为免征，没有应年审的单位"),
        ),
        Ratio(
            "inspection",
            "检查覆盖率",
            "本期内接受过执法检查（现场或书面）的单位 ÷ 期末已登记单位；发放年审通知不算覆盖",
            value(int(s["inspected"]), registered),
            int(s["inspected"]),
            registered,
            "家",
            "没有登记的用人单位",
        ),
        Ratio(
            "quota",
            "达标率",
            f"审核通过的非免征单位中，安排残疾人达到 {quota} 的单位所占比例（截止日后才通过的按未安排计）",
            value(int(s["meets"]), judged),
            int(s["meets"]),
            judged,
            "家",
            no_policy + "截至期末没有审核通过的非免征单位",
        ),
        Ratio(
            "collection",
            "征收完成率",
            "截至期末已缴入的残保金 ÷ 本年度征收任务",
            value(collected, task or 0),
            collected,
            task or 0,
            "分",
            why_task,
        ),
    ]


@cached_query
def period_activity(url: str, scope: Scope) -> pd.DataFrame:
    """One row of what happened within the period itself: employers inspected (in all, on site, in a campaign)
    and reviews notified. The report's figures are reproduced from these (data_layer/queries/provenance.py)."""
    i, e = Inspection, Employer
    within = and_(i.inspected_on.between(scope.start, scope.end), i.deleted_at.is_(None))
    units = in_units(scope, e.township_id, e.county_id)
    inspections = (
        select(
            func.count(func.distinct(i.employer_id)),
            func.count(func.distinct(case((i.mode == "onsite", i.employer_id)))),
            func.count(func.distinct(case((i.campaign_id.is_not(None), i.employer_id)))),
        )
        .join(e, e.id == i.employer_id)
        .where(within, units)
    )
    out = frame(url, inspections, ["inspected", "onsite", "campaign_inspected"])
    notified = (
        select(func.count())
        .select_from(AnnualReview)
        .join(e, e.id == AnnualReview.employer_id)
        .where(AnnualReview.notified_on.between(scope.start, scope.end), AnnualReview.deleted_at.is_(None), units)
    )
    out["notified"] = int(scalar(url, notified) or 0)
    return out


@cached_query
def campaigns(url: str, scope: Scope) -> pd.DataFrame:
    """Campaigns overlapping the period, with the employers each inspected (on site / in all)."""
    i = Inspection
    stmt = (
        select(
            Campaign.name,
            Campaign.document,
            Campaign.start_date,
            Campaign.end_date,
            func.count(func.distinct(i.employer_id)),
            func.count(func.distinct(case((i.mode == "onsite", i.employer_id)))),
            County.name,
        )
        .join(i, i.campaign_id == Campaign.id)
        .join(Employer, Employer.id == i.employer_id)
        .join(County, County.id == Campaign.county_id)
        .where(
            Campaign.start_date <= scope.end,
            Campaign.end_date >= scope.start,
            i.deleted_at.is_(None),
            in_units(scope, Employer.township_id, Campaign.county_id),
        )
        .group_by(Campaign.id, County.name, County.sort_order)
        .order_by(Campaign.start_date, County.sort_order)
    )
    return frame(url, stmt, ["campaign", "document", "start_date", "end_date", "inspected", "onsite", "county"])


CAMPAIGN_DAY_COLUMNS = ["campaign_id", "campaign", "day", "onsite", "cumulative"]


@cached_query
def campaign_by_day(url: str, scope: Scope) -> pd.DataFrame:
    """Each day of every campaign overlapping the period, up to the period's end: on-site inspections that day
    and since the campaign began (days without one are listed too, so the line steps truthfully)."""
    c, i = Campaign, Inspection
    overlapping = (
        c.start_date <= scope.end,
        c.end_date >= scope.start,
        c.county_id.in_(scope.county_ids) if scope.county_ids else true(),
    )
    found = frame(
        url,
        select(c.id, c.name, c.start_date, c.end_date).where(*overlapping).order_by(c.start_date, c.id),
        ["campaign_id", "campaign", "start_date", "end_date"],
    )
    daily = frame(
        url,
        select(i.campaign_id, i.inspected_on, func.count())
        .join(Employer, Employer.id == i.employer_id)
        .join(c, c.id == i.campaign_id)
        .where(
            *overlapping,
            i.mode == "onsite",
            i.deleted_at.is_(None),
            i.inspected_on <= scope.end,
            in_units(scope, Employer.township_id, Employer.county_id),
        )
        .group_by(i.campaign_id, i.inspected_on),
        ["campaign_id", "day", "onsite"],
    )
    counts = {(int(r.campaign_id), r.day): int(r.onsite) for r in daily.itertuples()}
    out = []
    for camp in found.itertuples():
        total, day = 0, camp.start_date
        while day <= min(camp.end_date, scope.end):
            n = counts.get((int(camp.campaign_id), day), 0)
            total += n
            out.append((int(camp.campaign_id), camp.campaign, day, n, total))
            day += timedelta(days=1)
    return pd.DataFrame(out, columns=CAMPAIGN_DAY_COLUMNS)


# --- the worklist -------------------------------------------------------------------------------------

WORKLIST_KINDS = {
    "not_declared": "逾期未申报",
    "returned": "退回后未重新申报",
    "awaiting": "已申报待审核",
    "unpaid": "逾期未缴清",
    "open_finding": "检查发现逾期未整改",
    "never_inspected": "规上或百人以上单位从未检查",
}
WORKLIST_COLUMNS = [
    "kind",
    "record_id",
    "link",
    "employer",
    "county_id",
    "township_id",
    "staff",
    "since",
    "owed_fen",
    "note",
    "of_kind",
]


def _rows(url: str, kind: str, page: str, stmt: Select, limit: int | None, *, owed=None) -> pd.DataFrame:
    """A statement selecting (record id, employer, county, township, staff, since, owed, note) as worklist rows,
    biggest first (``owed``, the debt, where there is one; then the staff; the longest overdue; the record): the
    first ``limit`` of them, each with how many there are of its kind (a window over all, one pass)."""
    record, _, _, _, staff, since = list(stmt.selected_columns)[:6]
    order = [*([owed.desc()] if owed is not None else []), staff.desc(), since.asc(), record.asc()]
    stmt = stmt.add_columns(func.count().over()).order_by(*order).limit(limit)
    out = frame(url, stmt, WORKLIST_COLUMNS[1:2] + WORKLIST_COLUMNS[3:])
    out.insert(0, "kind", kind)
    out.insert(2, "link", [record_link(page, i) for i in out["record_id"]])
    return out


@cached_query
def worklist(url: str, scope: Scope, today: date, limit: int | None = None) -> pd.DataFrame:
    """What is overdue today for the filter's year (reviews, assessments) and in general (inspections):
    one row per record, each with the link that opens it; the biggest employers (or debts) first. With
    ``limit``, the first that many of each kind (a province's run to tens of thousands); ``of_kind`` says how
    many there are of its kind in all."""
    year = scope.end.year
    e, r, ly, a, i = Employer, AnnualReview, LevyYear, LevyAssessment, Inspection
    units = in_units(scope, e.township_id, e.county_id)
    zero, blank = literal(0), literal("")

    def reviews(status: str, since, *where):
        stmt = (
            select(r.id, e.name, e.county_id, e.township_id, e.staff, since, zero, r.return_reason)
            .join(e, e.id == r.employer_id)
            .outerjoin(ly, and_(ly.county_id == e.county_id, ly.year == year))
            .where(r.year == year, r.status == status, r.deleted_at.is_(None), units, *where)
        )
        return stmt

    paid = (
        select(LevyPayment.assessment_id, func.sum(LevyPayment.amount_fen).label("paid_fen"))
        .where(LevyPayment.deleted_at.is_(None))
        .group_by(LevyPayment.assessment_id)
        .subquery("paid")
    )
    owed = a.amount_fen - func.coalesce(paid.c.paid_fen, 0)
    parts = [
        _rows(
            url,
            "not_declared",
            "levy_reviews",
            reviews("notified", ly.review_deadline, ly.review_deadline < today),
            limit,
        ),
        _rows(url, "returned", "levy_reviews", reviews("returned", r.reviewed_on), limit),
        _rows(url, "awaiting", "levy_reviews", reviews("declared", r.declared_on), limit),
        _rows(
            url,
            "unpaid",
            "levy_collection",
            select(a.id, e.name, e.county_id, e.township_id, e.staff, a.due_on, owed, blank)
            .join(e, e.id == a.employer_id)
            .outerjoin(paid, paid.c.assessment_id == a.id)
            .where(a.year == year, a.due_on < today, owed > 0, a.deleted_at.is_(None), units),
            limit,
            owed=owed,
        ),
        _rows(
            url,
            "open_finding",
            "levy_inspections",
            select(i.id, e.name, e.county_id, e.township_id, e.staff, i.follow_up_due, zero, i.finding)
            .join(e, e.id == i.employer_id)
            .where(
                i.result.in_(("below", "undeclared")),
                i.closed_on.is_(None),
                i.deleted_at.is_(None),
                i.follow_up_due < today,
                units,
            ),
            limit,
        ),
        _rows(
            url,
            "never_inspected",
            "levy_registry",
            select(e.id, e.name, e.county_id, e.township_id, e.staff, e.registered_on, zero, blank).where(
                or_(e.above_designated_size, e.staff >= LARGE_STAFF),
                ~exists().where(i.employer_id == e.id, i.deleted_at.is_(None)),
                e.registered_on <= today,
                units,
            ),
            limit,
        ),
    ]
    out = pd.concat([p for p in parts if not p.empty] or [parts[0]], ignore_index=True)
    out = with_township_ids(out)
    out["days"] = [(today - d).days if d is not None else None for d in out["since"]]
    return out  # in WORKLIST_KINDS' order, each kind in its statement's
