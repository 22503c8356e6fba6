"""What the levy's batch assessment would write, read from the store: the year's policy and review deadline, each
review's roster and basis, and the dry run of the batch (data_layer/services/levy_collection.py writes what it
shows, computed again inside its transaction). A read, so both the services and the queries use it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session, select

from data_layer.domain import levy_rules
from data_layer.domain.errors import ValidationFailed
from data_layer.domain.levy_rules import Breakdown, Policy, RosterLine
from data_layer.models import AnnualReview, Employer, LevyAssessment, LevyPolicy, LevyYear, RosterPerson

BASIS_APPROVED = "年审通过"
BASIS_NOT_APPROVED = "未按期通过年审，按未安排残疾人计"


def policy_for(session: Session, year: int) -> Policy | None:
    row = session.get(LevyPolicy, year)
    if row is None:
        return None
    return Policy(
        row.quota_ratio,
        row.exempt_max_staff,
        row.tier_ratio,
        row.tier_high_share,
        row.tier_low_share,
        row.wage_cap_multiple,
        row.local_avg_wage_fen,
    )


def deadline_of(session: Session, county_id: int, year: int) -> date | None:
    row = session.exec(select(LevyYear).where(LevyYear.county_id == county_id, LevyYear.year == year)).first()
    return row.review_deadline if row else None


def counts_roster(review: Any, deadline: date | None) -> bool:
    """The rule: only a review approved by the deadline counts its disabled employees."""
    if review.status != "approved" or review.reviewed_on is None:
        return False
    return deadline is None or review.reviewed_on <= deadline


def roster_lines(session: Session, review_id: int) -> list[RosterLine]:
    return rosters_of(session, [review_id]).get(review_id, [])


def rosters_of(session: Session, review_ids: list[int]) -> dict[int, list[RosterLine]]:
    """The roster lines of many reviews in a few queries (a county's batch has thousands)."""
    found: dict[int, list[RosterLine]] = {}
    columns = (RosterPerson.review_id, RosterPerson.grade, RosterPerson.months)
    columns += (RosterPerson.contract_ok, RosterPerson.insurance_ok)
    for start in range(0, len(review_ids), 900):  # SQLite's bound-parameter limit, with room
        chunk = review_ids[start : start + 900]
        live = select(*columns).where(RosterPerson.review_id.in_(chunk), RosterPerson.deleted_at.is_(None))
        for review_id, *line in session.exec(live):
            found.setdefault(review_id, []).append(RosterLine(*line))
    return found


@dataclass(frozen=True)
class Planned:
    """One assessment the batch would write."""

    employer_id: int
    employer: str
    review_id: int
    status: str
    basis: str
    breakdown: Breakdown


def basis_of(
    session: Session, review: Any, deadline: date | None, lines: list[RosterLine] | None = None
) -> tuple[str, int, Decimal, int]:
    """(basis, staff, weighted disabled, wage) the levy of ``review`` (a row of ``_REVIEW_COLUMNS``) is computed
    from; ``lines``: its roster, when the caller read many at once."""
    staff = review.staff if review.staff is not None else review.employer_staff
    wage = review.avg_wage_fen if review.avg_wage_fen is not None else review.employer_wage
    if counts_roster(review, deadline):
        lines = roster_lines(session, review.id) if lines is None else lines
        return BASIS_APPROVED, staff, levy_rules.weighted_disabled(lines), wage
    return BASIS_NOT_APPROVED, staff, Decimal(0), wage


# What the batch reads of each review and its employer: plain columns, not objects (a city's batch has
# tens of thousands of reviews).
_REVIEW_COLUMNS = (
    AnnualReview.id,
    AnnualReview.status,
    AnnualReview.reviewed_on,
    AnnualReview.staff,
    AnnualReview.avg_wage_fen,
    Employer.id.label("employer_id"),
    Employer.name.label("employer_name"),
    Employer.staff.label("employer_staff"),
    Employer.avg_wage_fen.label("employer_wage"),
)


def plan_assessments(session: Session, *, county_id: int, year: int, today: date) -> list[Planned]:
    """The dry run: for every review of the year without an assessment, approved ones, and once the deadline
    has passed the ones never approved; only those owing something."""
    policy = policy_for(session, year)
    if policy is None:
        raise ValidationFailed({"year": f"尚未设置 {year} 年的残保金政策参数，请管理员先设置"})
    deadline = deadline_of(session, county_id, year)
    past_deadline = deadline is not None and today > deadline
    # one in the 回收站 counts as assessed (it is restored, not assessed again: one per employer and year)
    assessed = select(LevyAssessment.employer_id).where(LevyAssessment.year == year)
    rows = session.exec(
        select(*_REVIEW_COLUMNS)
        .join(Employer, Employer.id == AnnualReview.employer_id)
        .where(
            AnnualReview.year == year,
            AnnualReview.deleted_at.is_(None),
            Employer.county_id == county_id,
            AnnualReview.employer_id.not_in(assessed),
        )
        .order_by(Employer.id)
    ).all()
    planned = []
    rosters = rosters_of(session, [review.id for review in rows if counts_roster(review, deadline)])
    for review in rows:
        if review.status != "approved" and not past_deadline:
            continue
        basis, staff, disabled, wage = basis_of(session, review, deadline, rosters.get(review.id, []))
        breakdown = levy_rules.explain(policy, staff=staff, disabled_staff=disabled, avg_wage_fen=wage)
        if breakdown.amount_fen > 0:
            line = Planned(review.employer_id, review.employer_name, review.id, review.status, basis, breakdown)
            planned.append(line)
    return planned
