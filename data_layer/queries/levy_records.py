"""Reads for the levy entry pages (年审与名册, 执法检查录入, 残保金核定与缴纳): one record with what belongs to
it, the lists to pick from, and the employer search. Counts and sums are taken in SQL; the filter's townships
apply through ``in_units`` (a township officer's scope is their own township)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pandas as pd
from sqlalchemy import Select, case, func, literal, select
from sqlmodel import Session

from data_layer.access import Access
from data_layer.domain import levy_rules
from data_layer.domain.levy_rules import Policy, RosterLine
from data_layer.domain.scope import Scope
from data_layer.infra.cache import cached_query
from data_layer.infra.db import get_engine
from data_layer.models import (
    Account,
    AnnualReview,
    AuditLog,
    Campaign,
    Employer,
    Inspection,
    LevyAssessment,
    LevyPayment,
    LevyPolicy,
    LevyYear,
    RosterPerson,
    Township,
)
from data_layer.queries import levy_plan
from data_layer.queries._sql import frame, in_units, with_township_ids
from data_layer.queries.audit_log import who


def _frame(url: str, stmt: Select) -> pd.DataFrame:
    """Rows under the labels the statement gives its columns."""
    return frame(url, stmt, [c.name for c in stmt.selected_columns])


def _one(url: str, stmt: Select) -> dict | None:
    found = _frame(url, stmt)
    if found.empty:
        return None
    out = found.iloc[0].to_dict()
    if "township_id" in out:
        out["township_id"] = None if pd.isna(out["township_id"]) else int(out["township_id"])
    return out


def _count_if(cond):  # a CASE, not a cast: PostgreSQL casts a boolean to INTEGER but not to BIGINT
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


# --- employers ----------------------------------------------------------------------------------------------


@cached_query
def _employer(url: str, employer_id: int) -> dict | None:
    e = Employer
    stmt = (
        select(
            e.id.label("employer_id"),
            e.name.label("employer"),
            e.credit_code.label("credit_code"),
            e.county_id.label("county_id"),
            e.township_id.label("township_id"),
            func.coalesce(Township.name, "县本级").label("township"),
            e.staff.label("staff"),
            e.avg_wage_fen.label("avg_wage_fen"),
        )
        .outerjoin(Township, Township.id == e.township_id)
        .where(e.id == employer_id)
    )
    return _one(url, stmt)


def employer(url: str, employer_id: int, access: Access) -> dict | None:
    """One record by its number, or None where there is none that ``access`` may read."""
    return access.visible(_employer(url, employer_id))


# --- annual reviews ---------------------------------------------------------------------------------------


def _roster_size():
    return (
        select(func.count(RosterPerson.id))
        .where(RosterPerson.review_id == AnnualReview.id, RosterPerson.deleted_at.is_(None))
        .scalar_subquery()
    ).label("roster_people")


def _reviews_select() -> Select:
    r = AnnualReview
    return (
        select(
            r.id.label("review_id"),
            r.employer_id.label("employer_id"),
            Employer.name.label("employer"),
            Employer.credit_code.label("credit_code"),
            Employer.county_id.label("county_id"),
            Employer.township_id.label("township_id"),
            func.coalesce(Township.name, "县本级").label("township"),
            r.year.label("year"),
            r.status.label("status"),
            r.notified_on.label("notified_on"),
            r.declared_on.label("declared_on"),
            r.reviewed_on.label("reviewed_on"),
            r.return_reason.label("return_reason"),
            r.resubmissions.label("resubmissions"),
            r.staff.label("staff"),
            r.disabled_staff.label("disabled_staff"),
            r.avg_wage_fen.label("avg_wage_fen"),
            r.warning_note.label("warning_note"),
            r.created_by.label("created_by"),
            r.created_at.label("created_at"),
            r.deleted_at.label("deleted_at"),
            _roster_size(),
        )
        .join(Employer, Employer.id == r.employer_id)
        .outerjoin(Township, Township.id == Employer.township_id)
    )


@cached_query
def _review(url: str, review_id: int) -> dict | None:
    """One annual review with its employer and the number of people on its roster."""
    return _one(url, _reviews_select().where(AnnualReview.id == review_id))


def review(url: str, review_id: int, access: Access) -> dict | None:
    """One record by its number, or None where there is none that ``access`` may read."""
    return access.visible(_review(url, review_id))


@cached_query
def review_of(url: str, employer_id: int, year: int) -> int | None:
    """The employer's review of ``year``, in the 回收站 or not (one per employer and year)."""
    found = _frame(
        url,
        select(AnnualReview.id.label("review_id")).where(
            AnnualReview.employer_id == employer_id, AnnualReview.year == year
        ),
    )
    return None if found.empty else int(found["review_id"].iloc[0])


@cached_query
def reviews(url: str, scope: Scope, year: int, status: str | None = None, deleted: bool = False) -> pd.DataFrame:
    """The year's reviews of the filter's townships (one state, or all), the latest change first; ``deleted``:
    those in the 回收站."""
    kept = AnnualReview.deleted_at.is_not(None) if deleted else AnnualReview.deleted_at.is_(None)
    units = in_units(scope, Employer.township_id, Employer.county_id)
    stmt = _reviews_select().where(AnnualReview.year == year, kept, units)
    if status is not None:
        stmt = stmt.where(AnnualReview.status == status)
    latest = func.coalesce(AnnualReview.reviewed_on, AnnualReview.declared_on, AnnualReview.notified_on)
    return with_township_ids(_frame(url, stmt.order_by(latest.desc(), AnnualReview.id.desc())))


@cached_query
def review_counts(url: str, scope: Scope, year: int) -> dict[str, int]:
    """Reviews of the year per state (a state without any is left out)."""
    stmt = (
        select(AnnualReview.status.label("status"), func.count().label("reviews"))
        .join(Employer, Employer.id == AnnualReview.employer_id)
        .where(
            AnnualReview.year == year,
            AnnualReview.deleted_at.is_(None),
            in_units(scope, Employer.township_id, Employer.county_id),
        )
        .group_by(AnnualReview.status)
    )
    found = _frame(url, stmt)
    return {str(s): int(n) for s, n in zip(found["status"], found["reviews"], strict=True)}


@cached_query
def review_years(url: str) -> list[int]:
    """Years that have reviews, a levy year or a policy, newest first."""
    years = set()
    for column in (AnnualReview.year, LevyYear.year, LevyPolicy.year):
        years |= {int(y) for y in _frame(url, select(column.label("year")).distinct())["year"]}
    return sorted(years, reverse=True)


@cached_query
def employers_without_review(url: str, scope: Scope, year: int) -> pd.DataFrame:
    """Employers of the filter's townships that have no review for ``year`` yet (whom a notice would reach; one
    in the 回收站 is restored, not notified again)."""
    has_review = select(AnnualReview.id).where(AnnualReview.employer_id == Employer.id, AnnualReview.year == year)
    stmt = (
        select(Employer.id.label("employer_id"), Employer.name.label("employer"))
        .where(~has_review.exists(), in_units(scope, Employer.township_id, Employer.county_id))
        .order_by(Employer.id)
    )
    return _frame(url, stmt)


@cached_query
def roster(url: str, review_id: int, deleted: bool = False) -> pd.DataFrame:
    """The review's roster in the order entered, each line with whether it counts and what it adds
    (data_layer/levy_rules.py: contract and insurance both needed; grade 1–2 counts as two; × months / 12);
    ``deleted``: its lines in the 回收站."""
    p = RosterPerson
    stmt = (
        select(
            p.id.label("person_id"),
            p.name.label("name"),
            p.id_number.label("id_number"),
            p.cert_number.label("cert_number"),
            p.category.label("category"),
            p.grade.label("grade"),
            p.contract_ok.label("contract_ok"),
            p.insurance_ok.label("insurance_ok"),
            p.months.label("months"),
            p.listed_on.label("listed_on"),
            p.warning_note.label("warning_note"),
            p.created_by.label("created_by"),
            p.created_at.label("created_at"),
            p.deleted_at.label("deleted_at"),
        )
        .where(p.review_id == review_id, p.deleted_at.is_not(None) if deleted else p.deleted_at.is_(None))
        .order_by(p.id)
    )
    out = _frame(url, stmt)
    lines = _lines(out)
    out["counts"] = [levy_rules.counts(line) for line in lines]
    # what a full year of this person adds: 2 for grade 1–2, else 1 (the rule's own weight, not a copy of it)
    out["per_person"] = [levy_rules.weight(RosterLine(line.grade, 12, True, True)) for line in lines]
    out["weight"] = [levy_rules.weight(line) for line in lines]
    return out


def _lines(out: pd.DataFrame) -> list[RosterLine]:
    columns = (out["grade"], out["months"], out["contract_ok"], out["insurance_ok"])
    return [RosterLine(int(g), int(m), bool(c), bool(i)) for g, m, c, i in zip(*columns, strict=True)]


@cached_query
def roster_weighted(url: str, review_id: int) -> Decimal:
    """The roster's weighted head count, as the levy counts it when the review is approved by the deadline."""
    return levy_rules.weighted_disabled(_lines(roster(url, review_id)))


STEP_NAMES = {"notified": "发出年审通知", "declared": "申报", "returned": "退回", "approved": "审核通过"}
MARKS = {"delete": "删除（移入回收站）", "restore": "从回收站恢复"}


@cached_query
def review_history(url: str, review_id: int) -> pd.DataFrame:
    """Every step of a review from the audit log, oldest first: when, who, what, the date it names, and a
    return's reason. A declaration after a return reads 重新申报."""
    stmt = (
        select(
            AuditLog.id.label("audit_id"),
            AuditLog.at.label("at"),
            AuditLog.actor.label("username"),
            AuditLog.action.label("action"),
            Account.display_name.label("name"),
            AuditLog.before.label("before"),
            AuditLog.after.label("after"),
        )
        .outerjoin(Account, Account.username == AuditLog.actor)
        .where(AuditLog.table_name == AnnualReview.__tablename__, AuditLog.row_id == str(int(review_id)))
        .order_by(AuditLog.id)
    )
    found = _frame(url, stmt)
    steps = []
    for r in found.itertuples():
        after = json.loads(r.after) if isinstance(r.after, str) and r.after else {}
        before = json.loads(r.before) if isinstance(r.before, str) and r.before else {}
        status = after.get("status") or before.get("status", "notified")
        step = STEP_NAMES.get(status, status)
        if r.action in MARKS:  # into the 回收站 and back
            step, status = MARKS[r.action], before.get("status", "notified")
        elif status == "declared" and before.get("status") == "returned":
            step = "重新申报"
        elif status == before.get("status"):
            step = "修改申报" if status != "notified" else "修改通知日期"
        day_field = {"notified": "notified_on", "declared": "declared_on"}.get(status, "reviewed_on")
        day = (after or before).get(day_field)
        steps.append(
            {
                "at": r.at,
                "who": who(r.username, r.name),
                "step": step,
                "day": date.fromisoformat(day) if day else None,
                "reason": (after or before).get("return_reason", "") if status == "returned" else "",
            }
        )
    return pd.DataFrame(steps, columns=["at", "who", "step", "day", "reason"])


# --- campaigns and inspections ------------------------------------------------------------------------------


@cached_query
def campaigns(url: str, scope: Scope) -> pd.DataFrame:
    """The campaigns of the filter's counties, the latest first."""
    stmt = select(
        Campaign.id.label("campaign_id"),
        Campaign.name.label("campaign"),
        Campaign.document.label("document"),
        Campaign.start_date.label("start_date"),
        Campaign.end_date.label("end_date"),
    ).order_by(Campaign.start_date.desc(), Campaign.id.desc())
    if scope.county_ids:
        stmt = stmt.where(Campaign.county_id.in_(scope.county_ids))
    return _frame(url, stmt)


def _inspections_select() -> Select:
    i = Inspection
    return (
        select(
            i.id.label("inspection_id"),
            i.inspected_on.label("inspected_on"),
            i.employer_id.label("employer_id"),
            Employer.name.label("employer"),
            Employer.credit_code.label("credit_code"),
            Employer.township_id.label("township_id"),
            func.coalesce(Township.name, "县本级").label("township"),
            i.campaign_id.label("campaign_id"),
            func.coalesce(Campaign.name, "日常检查").label("campaign"),
            i.mode.label("mode"),
            i.result.label("result"),
            i.inspectors.label("inspectors"),
            i.finding.label("finding"),
            i.follow_up_due.label("follow_up_due"),
            i.closed_on.label("closed_on"),
            i.warning_note.label("warning_note"),
            i.created_by.label("created_by"),
            i.deleted_at.label("deleted_at"),
        )
        .join(Employer, Employer.id == i.employer_id)
        .outerjoin(Township, Township.id == Employer.township_id)
        .outerjoin(Campaign, Campaign.id == i.campaign_id)
    )


def _of_campaign(campaign_id: int | None, year: int, deleted: bool = False):
    """A campaign's inspections, or (no campaign) the routine ones of ``year``; ``deleted``: those in the 回收站."""
    kept = Inspection.deleted_at.is_not(None) if deleted else Inspection.deleted_at.is_(None)
    if campaign_id is not None:
        return (Inspection.campaign_id == campaign_id) & kept
    year_of = Inspection.inspected_on.between(date(year, 1, 1), date(year, 12, 31))
    return Inspection.campaign_id.is_(None) & year_of & kept


@cached_query
def inspections(url: str, scope: Scope, campaign_id: int | None, year: int, deleted: bool = False) -> pd.DataFrame:
    """A campaign's inspections in the filter's townships (or the year's routine ones), the latest first;
    ``deleted``: the 回收站."""
    stmt = _inspections_select().where(
        _of_campaign(campaign_id, year, deleted), in_units(scope, Employer.township_id, Employer.county_id)
    )
    return with_township_ids(_frame(url, stmt.order_by(Inspection.inspected_on.desc(), Inspection.id.desc())))


@cached_query
def inspection_counts(url: str, scope: Scope, campaign_id: int | None, year: int) -> dict[str, int]:
    """Inspections so far: in all, on site, documentary, and the employers they reached."""
    i = Inspection
    stmt = (
        select(
            func.count().label("inspections"),
            _count_if(i.mode == "onsite").label("onsite"),
            _count_if(i.mode == "documentary").label("documentary"),
            func.count(func.distinct(i.employer_id)).label("employers"),
        )
        .join(Employer, Employer.id == i.employer_id)
        .where(_of_campaign(campaign_id, year), in_units(scope, Employer.township_id, Employer.county_id))
    )
    return {k: int(v) for k, v in _frame(url, stmt).iloc[0].items()}


@cached_query
def open_follow_ups(url: str, scope: Scope, today: date) -> pd.DataFrame:
    """Findings with a follow-up due date not yet closed (any year), the earliest due first; ``overdue``
    when the due date has passed."""
    overdue = case((Inspection.follow_up_due < today, True), else_=False).label("overdue")
    stmt = (
        _inspections_select()
        .add_columns(overdue)
        .where(
            Inspection.follow_up_due.is_not(None),
            Inspection.closed_on.is_(None),
            Inspection.deleted_at.is_(None),
            in_units(scope, Employer.township_id, Employer.county_id),
        )
        .order_by(Inspection.follow_up_due, Inspection.id)
    )
    out = with_township_ids(_frame(url, stmt))
    return out.astype({"overdue": bool})


@cached_query
def _inspection(url: str, inspection_id: int) -> dict | None:
    return _one(url, _inspections_select().where(Inspection.id == inspection_id))


def inspection(url: str, inspection_id: int, access: Access) -> dict | None:
    """One record by its number, or None where there is none that ``access`` may read."""
    return access.visible(_inspection(url, inspection_id))


# --- policy, levy year, assessments, payments ---------------------------------------------------------------


@cached_query
def policy(url: str, year: int) -> Policy | None:
    """The year's levy policy (the same reading the assessment uses)."""
    with Session(get_engine(url)) as session:
        return levy_plan.policy_for(session, year)


@cached_query
def policy_years(url: str) -> list[int]:
    return [int(y) for y in _frame(url, select(LevyPolicy.year.label("year")).order_by(LevyPolicy.year.desc()))["year"]]


@cached_query
def levy_year(url: str, county_id: int, year: int) -> dict | None:
    """The county's 征收任务 and 年审截止日期 for ``year`` (None: not set)."""
    stmt = select(LevyYear.task_fen.label("task_fen"), LevyYear.review_deadline.label("review_deadline")).where(
        LevyYear.county_id == county_id, LevyYear.year == year
    )
    return _one(url, stmt)


@cached_query
def assessment_plan(url: str, county_id: int, year: int, today: date) -> pd.DataFrame:
    """The batch assessment's dry run (data_layer/queries/levy_plan.plan_assessments) as a table;
    raises ValidationFailed when the year has no policy."""
    with Session(get_engine(url)) as session:
        planned = levy_plan.plan_assessments(session, county_id=county_id, year=year, today=today)
    return pd.DataFrame(
        [
            {
                "employer_id": p.employer_id,
                "employer": p.employer,
                "review_id": p.review_id,
                "status": p.status,
                "basis": p.basis,
                "staff": p.breakdown.staff,
                "disabled_weighted": p.breakdown.disabled,
                "wage_used_fen": p.breakdown.wage_used_fen,
                "wage_capped": p.breakdown.wage_used_fen < p.breakdown.wage_fen,
                "amount_fen": p.breakdown.amount_fen,
            }
            for p in planned
        ],
        columns=[
            "employer_id",
            "employer",
            "review_id",
            "status",
            "basis",
            "staff",
            "disabled_weighted",
            "wage_used_fen",
            "wage_capped",
            "amount_fen",
        ],
    )


def _paid_by_assessment():
    return (
        select(LevyPayment.assessment_id, func.sum(LevyPayment.amount_fen).label("paid"))
        .where(LevyPayment.deleted_at.is_(None))
        .group_by(LevyPayment.assessment_id)
        .subquery()
    )


def _assessments_select() -> Select:
    a, paid = LevyAssessment, _paid_by_assessment()
    paid_fen = func.coalesce(paid.c.paid, 0)
    return (
        select(
            a.id.label("assessment_id"),
            a.employer_id.label("employer_id"),
            Employer.name.label("employer"),
            Employer.credit_code.label("credit_code"),
            Employer.county_id.label("county_id"),
            Employer.township_id.label("township_id"),
            func.coalesce(Township.name, "县本级").label("township"),
            a.year.label("year"),
            a.assessed_on.label("assessed_on"),
            a.due_on.label("due_on"),
            a.amount_fen.label("amount_fen"),
            paid_fen.label("paid_fen"),
            (a.amount_fen - paid_fen).label("owed_fen"),
            a.basis.label("basis"),
            a.staff.label("staff"),
            a.disabled_weighted.label("disabled_weighted"),
            a.avg_wage_fen.label("avg_wage_fen"),
            a.review_id.label("review_id"),
            a.warning_note.label("warning_note"),
            a.created_by.label("created_by"),
            a.deleted_at.label("deleted_at"),
        )
        .join(Employer, Employer.id == a.employer_id)
        .outerjoin(Township, Township.id == Employer.township_id)
        .outerjoin(paid, paid.c.assessment_id == a.id)
    )


@cached_query
def assessments(url: str, scope: Scope, year: int, today: date, deleted: bool = False) -> pd.DataFrame:
    """The year's assessments in the filter's townships with paid and owed: those still owing first (the
    earliest due first), then the settled ones; ``overdue``: still owing after the due date. ``deleted``: those
    in the 回收站."""
    a = LevyAssessment
    units = in_units(scope, Employer.township_id, Employer.county_id)
    kept = a.deleted_at.is_not(None) if deleted else a.deleted_at.is_(None)
    stmt = _assessments_select().where(a.year == year, kept, units)
    owed = stmt.selected_columns.owed_fen
    overdue = case(((owed > 0) & (a.due_on < today), True), else_=False).label("overdue")
    owing = case((owed > 0, literal(0)), else_=literal(1))
    stmt = stmt.add_columns(overdue).order_by(owing, a.due_on, Employer.name, a.id)
    return with_township_ids(_frame(url, stmt)).astype({"overdue": bool})


@cached_query
def assessment_totals(url: str, scope: Scope, year: int) -> dict[str, int]:
    """The year's assessments in the filter's townships: how many, assessed, paid, owed, and how many owe."""
    inner = (
        _assessments_select()
        .where(
            LevyAssessment.year == year,
            LevyAssessment.deleted_at.is_(None),
            in_units(scope, Employer.township_id, Employer.county_id),
        )
        .subquery()
    )
    stmt = select(
        func.count().label("assessments"),
        func.coalesce(func.sum(inner.c.amount_fen), 0).label("amount_fen"),
        func.coalesce(func.sum(inner.c.paid_fen), 0).label("paid_fen"),
        func.coalesce(func.sum(inner.c.owed_fen), 0).label("owed_fen"),
        _count_if(inner.c.owed_fen > 0).label("owing"),
    )
    return {k: int(v) for k, v in _frame(url, stmt).iloc[0].items()}


@cached_query
def _assessment(url: str, assessment_id: int) -> dict | None:
    """One assessment with its employer, what it was computed from, and paid / owed so far."""
    return _one(url, _assessments_select().where(LevyAssessment.id == assessment_id))


def assessment(url: str, assessment_id: int, access: Access) -> dict | None:
    """One record by its number, or None where there is none that ``access`` may read."""
    return access.visible(_assessment(url, assessment_id))


@cached_query
def assessment_of(url: str, employer_id: int, year: int) -> int | None:
    stmt = select(LevyAssessment.id.label("assessment_id")).where(
        LevyAssessment.employer_id == employer_id, LevyAssessment.year == year, LevyAssessment.deleted_at.is_(None)
    )
    found = _frame(url, stmt)
    return None if found.empty else int(found["assessment_id"].iloc[0])


@cached_query
def payments(url: str, assessment_id: int, deleted: bool = False) -> pd.DataFrame:
    """An assessment's payments in the order they were made; ``deleted``: those in the 回收站."""
    p = LevyPayment
    stmt = (
        select(
            p.id.label("payment_id"),
            p.paid_on.label("paid_on"),
            p.amount_fen.label("amount_fen"),
            p.warning_note.label("warning_note"),
            p.created_by.label("created_by"),
            p.deleted_at.label("deleted_at"),
        )
        .where(p.assessment_id == assessment_id, p.deleted_at.is_(None) if not deleted else p.deleted_at.is_not(None))
        .order_by(p.paid_on, p.id)
    )
    return _frame(url, stmt)
