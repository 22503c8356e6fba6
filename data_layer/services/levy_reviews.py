"""The annual review (年审) as a workflow, and the roster of disabled employees each review declares, both on the
shared record writers (services/_core.py): a review and a roster line are record types (``REVIEW``,
``ROSTER_LINE``) with their hard rules, their soft rules confirmed with a note, corrections, delete and restore
(回收站), 结账, the audit log and the writers' lock.

已通知 → 已申报 → 审核通过, or 退回 (with the reason) → 重新申报 → … → 审核通过. The notice creates the review;
each later step (``declare_review``, ``approve_review``, ``return_review``) goes through ``_core.step_one``, the
path a correction takes; a correction of the declared figures is ``services_for(REVIEW).update``. The roster can
change until the review is approved. The rules of a roster line (ID check digit, the certificate number built
from it) are in data_layer/domain/id_number.py, shared with the import and the checks.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from data_layer.domain import id_number, rules
from data_layer.domain.errors import Checks, GridRejected, ValidationFailed
from data_layer.domain.roles import Actor
from data_layer.models import (
    REVIEW_STATE_NAMES,
    AnnualReview,
    Employer,
    FileLog,
    LevyAssessment,
    RosterPerson,
    utcnow,
)
from data_layer.queries.levy_context import review_context, roster_context
from data_layer.services._core import (
    RecordType,
    audit,
    check_actor,
    check_count,
    check_text,
    create_rows,
    exists,
    one_writer_at_a_time,
    permitted,
    service,
    step_one,
)
from data_layer.services.levy import employer_township, one_per_employer_year

STATE_NAMES = REVIEW_STATE_NAMES
REASON_MAX = 200
DECLARED = ("declared_on", "staff", "avg_wage_fen", "disabled_staff")  # what a declaration (and its correction) sets


def _not_future(checks: Checks, field: str, day: object, today: date, label: str) -> bool:
    if not checks.require(isinstance(day, date), field, f"请填写{label}"):
        return False
    return checks.require(day <= today, field, f"{label}不能晚于今天")


def review_errors(values: dict, today: date) -> dict[str, str]:
    """What a review must look like in each state (已通知 → 已申报 → 审核通过 / 退回): the declaration's
    figures once declared, dates in order and not in the future, a reason when returned. Every step of the
    workflow ends with it, and the seed writes its reviews' final states through it."""
    checks = Checks()
    status = values.get("status", "notified")
    checks.require(status in STATE_NAMES, "status", "年审状态应为 已通知 / 已申报 / 退回 / 审核通过")
    notified, declared, reviewed = values.get("notified_on"), values.get("declared_on"), values.get("reviewed_on")
    _not_future(checks, "notified_on", notified, today, "通知日期")
    if status == "notified":
        return checks.errors
    if _not_future(checks, "declared_on", declared, today, "申报日期") and isinstance(notified, date):
        checks.require(declared >= notified, "declared_on", "申报日期不能早于通知日期")
    check_count(checks, "staff", values.get("staff"), "职工人数")
    check_count(checks, "avg_wage_fen", values.get("avg_wage_fen"), "年平均工资")
    check_count(checks, "disabled_staff", values.get("disabled_staff"), "残疾职工人数")
    if "staff" not in checks.errors and "disabled_staff" not in checks.errors:
        checks.require(values["disabled_staff"] <= values["staff"], "disabled_staff", "残疾职工人数不能多于职工人数")
    decided = status in ("approved", "returned")
    if decided and _not_future(checks, "reviewed_on", reviewed, today, "审核日期") and isinstance(declared, date):
        checks.require(reviewed >= declared, "reviewed_on", "审核日期不能早于申报日期")
    if status == "returned":
        check_text(checks, "reason", values.get("return_reason"), "退回原因", REASON_MAX)
    return checks.errors


# --- the review as a record type ------------------------------------------------------------------------------

REVIEW_COLUMNS = (
    "employer_id",
    "year",
    "status",
    "notified_on",
    "declared_on",
    "reviewed_on",
    "return_reason",
    "resubmissions",
    "staff",
    "disabled_staff",
    "avg_wage_fen",
)


def validate_review(session: Session, checks: Checks, values: dict, *, today: date, current=None) -> dict:
    """The hard rules of a review: a new one is a notice (one per employer and year); a step or a correction
    keeps the employer and the year, and the review after it must satisfy ``review_errors``. Declared figures
    are corrected only once declared."""
    if current is None:
        stored = {"status": "notified", "resubmissions": 0, "return_reason": ""}
        stored |= {name: values.get(name) for name in ("employer_id", "year", "notified_on")}
        had = f"这家单位 {stored['year']} 年已有年审"
        one_per_employer_year(session, checks, AnnualReview, stored, "年审", had)
    else:  # a different employer or year is another review: said, never silently kept as it was
        for name, words in (("employer_id", "单位"), ("year", "年度")):
            checks.require(
                values.get(name, getattr(current, name)) == getattr(current, name),
                name,
                f"年审的{words}不能修改：登记错了请删除这份年审，再为正确的{words}发年审通知",
            )
        stored = {name: values.get(name) for name in REVIEW_COLUMNS}
        stored |= {"employer_id": current.employer_id, "year": current.year, "updated_at": utcnow()}
        if stored["status"] == "notified":
            for name in DECLARED:
                checks.require(stored[name] is None, name, "年审尚未申报，请先办理“申报”")
    errors = review_errors(stored, today)
    checks.errors.update({k: v for k, v in errors.items() if k not in checks.errors})
    stored["is_demo"] = bool(values.get("is_demo", False))
    return stored


def review_warnings(session: Session, ids: list[int]) -> dict[int, dict[str, str]]:
    return {i: rules.review_warnings(c) for i, c in review_context(session, ids).items()}


def review_guard(session: Session, row: AnnualReview, deleted: bool) -> dict[str, str]:
    """A review an assessment was computed from is not deleted before that assessment."""
    if not deleted:
        return {}
    assessed = session.exec(
        select(LevyAssessment.id).where(LevyAssessment.review_id == row.id, LevyAssessment.deleted_at.is_(None))
    ).first()
    if assessed is None:
        return {}
    return {"review_id": f"这份年审已据以核定残保金（核定 #{assessed}），不能删除；请先删除那份核定"}


def review_fields(
    *,
    employer_id: int,
    year: int,
    notified_on: date,
    declared_on: date | None = None,
    staff: int | None = None,
    avg_wage_fen: int | None = None,
    disabled_staff: int | None = None,
    is_demo: bool = False,
) -> None:
    """A review's fields as a notice creates them and a correction changes them (the workflow's own fields, the
    state and the decision, change only through its steps)."""


REVIEW = RecordType(
    fields=review_fields,
    model=AnnualReview,
    area="levy",
    id_field="review_id",
    date_field="notified_on",
    also_dated=("declared_on",),
    validate=validate_review,
    warnings=review_warnings,
    township_of=employer_township,
    guard=review_guard,
)


# --- the workflow's steps ---------------------------------------------------------------------------------


@service(area="levy")
def notify_reviews(
    *,
    session: Session,
    actor: Actor,
    year: int,
    notified_on: date,
    employer_ids: list[int],
    is_demo: bool = False,
    confirm: bool = False,
    warning_note: str = "",
    today: date | None = None,
) -> int:
    """Send the year's notice (已通知) to employers that have none yet (one in the 回收站 counts as one): the
    reviews are created through the shared writers, all or none; returns how many were notified."""
    checks = Checks()
    check_actor(checks, actor)
    _not_future(checks, "notified_on", notified_on, today or date.today(), "通知日期")
    checks.require(employer_ids, "employer_ids", "请选择要通知的用人单位")
    checks.raise_if_any()
    for employer_id in dict.fromkeys(employer_ids):
        employer = session.get(Employer, employer_id)
        if employer is None:
            raise ValidationFailed({"employer_ids": f"用人单位编号 {employer_id} 不存在"})
        permitted(actor, township_id=employer.township_id)
    one_writer_at_a_time(session, REVIEW)  # who has a review is read under the lock the writes take
    already = set(
        session.exec(
            select(AnnualReview.employer_id).where(
                AnnualReview.year == year, AnnualReview.employer_id.in_(employer_ids)
            )
        )
    )
    wanted = [e for e in dict.fromkeys(employer_ids) if e not in already]
    values = [{"employer_id": e, "year": year, "notified_on": notified_on, "is_demo": is_demo} for e in wanted]
    if values:
        try:
            create_rows(
                session, REVIEW, actor=actor, rows=values, confirm=confirm, warning_note=warning_note, today=today
            )
        except GridRejected as rejected:
            next(iter(rejected.problems.values())).raise_for(confirm)
            raise
    return len(values)


def asked(confirm: bool, warning_note: str, today: date | None) -> dict:
    """A step's confirmation, its note and the day it is entered, as ``step_one`` takes them."""
    return {"confirm": confirm, "warning_note": warning_note, "today": today}


def _take(session: Session, actor: Actor, review_id: int, step, day_field: str, options: dict) -> None:
    """A step of the review's workflow through the shared writers (``step_one``), dated by ``day_field``."""
    step_one(session, REVIEW, review_id, actor=actor, step=step, day_field=day_field, **options)


def _state_is(checks: Checks, row: AnnualReview, *states: str, words: str) -> None:
    checks.require(row.status in states, "review_id", f"{words}（现为{STATE_NAMES[row.status]}）")


@service(area="levy")
def declare_review(
    *,
    session: Session,
    actor: Actor,
    review_id: int,
    declared_on: date,
    staff: int,
    avg_wage_fen: int,
    disabled_staff: int,
    confirm: bool = False,
    warning_note: str = "",
    today: date | None = None,
) -> None:
    """The employer's declaration (已申报), or its resubmission after a return (重新申报)."""

    def step(checks: Checks, row: AnnualReview) -> dict:
        checks.require(row.status != "approved", "review_id", "年审已审核通过，不能再申报；如需更正请用“修改申报”")
        again = 1 if row.status == "returned" else 0
        figures = dict(declared_on=declared_on, staff=staff, avg_wage_fen=avg_wage_fen, disabled_staff=disabled_staff)
        return {"status": "declared", **figures, "resubmissions": row.resubmissions + again}

    _take(session, actor, review_id, step, "declared_on", asked(confirm, warning_note, today))


@service(area="levy")
def approve_review(
    *,
    session: Session,
    actor: Actor,
    review_id: int,
    reviewed_on: date,
    confirm: bool = False,
    warning_note: str = "",
    today: date | None = None,
) -> None:
    """审核通过. A declaration that claims disabled employees with an empty roster is asked about first (the
    review's soft rule, listed on 数据质量 with the note that confirmed it)."""

    def step(checks: Checks, row: AnnualReview) -> dict:
        _state_is(checks, row, "declared", words="只有已申报的年审可以审核")
        return {"status": "approved", "reviewed_on": reviewed_on, "return_reason": ""}

    _take(session, actor, review_id, step, "reviewed_on", asked(confirm, warning_note, today))


@service(area="levy")
def return_review(
    *,
    session: Session,
    actor: Actor,
    review_id: int,
    reviewed_on: date,
    reason: str,
    confirm: bool = False,
    warning_note: str = "",
    today: date | None = None,
) -> None:
    """退回 with the reason the employer reads; it may declare again (重新申报)."""

    def step(checks: Checks, row: AnnualReview) -> dict:
        _state_is(checks, row, "declared", words="只有已申报的年审可以退回")
        check_text(checks, "reason", reason, "退回原因", REASON_MAX)
        return {"status": "returned", "reviewed_on": reviewed_on, "return_reason": (reason or "").strip()}

    _take(session, actor, review_id, step, "reviewed_on", asked(confirm, warning_note, today))


# --- the roster -----------------------------------------------------------------------------------------


def roster_errors(values: dict) -> dict[str, str]:
    """The hard rules of one roster line (shared by the form, an import and the seed)."""
    checks = Checks()
    check_text(checks, "name", values.get("name"), "姓名", 40)
    number = id_number.normalize(values.get("id_number"))
    problem = id_number.id_problem(number)
    checks.require(problem is None, "id_number", problem or "")
    category, grade = values.get("category"), values.get("grade")
    checks.require(
        category in id_number.CATEGORIES, "category", "请选择残疾类别（视力、听力、言语、肢体、智力、精神、多重）"
    )
    checks.require(grade in id_number.GRADES, "grade", "残疾等级应为一至四级")
    if problem is None:
        cert = id_number.normalize(values.get("cert_number"))
        known = category if category in id_number.CATEGORIES else None, grade if grade in id_number.GRADES else None
        cert_problem = id_number.cert_problem(cert, number, *known)
        checks.require(cert_problem is None, "cert_number", cert_problem or "")
    months = values.get("months")
    ok = isinstance(months, int) and not isinstance(months, bool) and 1 <= months <= 12
    checks.require(ok, "months", "在岗月数应为 1 到 12")
    return checks.errors


ROSTER_COLUMNS = ("name", "id_number", "cert_number", "category", "grade", "contract_ok", "insurance_ok", "months")


def _open_review(session: Session, checks: Checks, review_id: object, field: str = "review_id") -> AnnualReview | None:
    """The review a roster line belongs to, while its roster may change (not approved, not in the 回收站)."""
    review = session.get(AnnualReview, review_id) if exists(session, AnnualReview, review_id) else None
    if not checks.require(review is not None, field, "年审记录不存在"):
        return None
    checks.require(review.deleted_at is None, field, "这份年审在回收站中，请先恢复年审")
    checks.require(review.status != "approved", field, "年审已审核通过，名册不能再改")
    return review


def validate_roster(session: Session, checks: Checks, values: dict, *, today: date, current=None) -> dict:
    """The hard rules of a roster line: its review open, its numbers read as meant (full-width digits as
    ordinary ones: ``id_number.normalize``) and right, the person not twice on one roster (a line in the 回收站
    is restored, not typed again). A correction keeps its review."""
    review_id = current.review_id if current is not None else values.get("review_id")
    if current is not None:  # another review's line is another line: said, never silently kept
        moved = values.get("review_id", review_id) != review_id
        checks.require(not moved, "review_id", "名册行不能移到另一份年审：请在那份年审的名册中另行登记")
    _open_review(session, checks, review_id)
    stored = {name: values.get(name) for name in ROSTER_COLUMNS}
    stored |= {"review_id": review_id, "name": (values.get("name") or "").strip()}
    stored |= {name: id_number.normalize(values.get(name)) for name in ("id_number", "cert_number")}
    listed = values.get("listed_on") or (None if current is not None else today)
    if isinstance(listed, date):
        checks.require(listed <= today, "listed_on", "登记日期不能晚于今天")
    stored["listed_on"] = listed
    errors = roster_errors(stored)
    checks.errors.update({k: v for k, v in errors.items() if k not in checks.errors})
    if "id_number" not in checks.errors:
        same = select(RosterPerson.deleted_at).where(
            RosterPerson.review_id == review_id,
            RosterPerson.id_number == stored["id_number"],
            RosterPerson.id != (current.id if current is not None else -1),
        )
        twice = session.exec(same).all()
        if twice:
            live = any(d is None for d in twice)
            words = "这个人已在本单位本年度的名册中" if live else "这个人在本名册的回收站中，请恢复那一条"
            checks.require(False, "id_number", words)
    stored["is_demo"] = bool(values.get("is_demo", False))
    return stored


def roster_township(session: Session, values: dict) -> int | None:
    """A roster line's township: its review's employer's."""
    review = session.get(AnnualReview, values.get("review_id")) if values.get("review_id") is not None else None
    return employer_township(session, {"employer_id": review.employer_id}) if review is not None else None


def roster_warnings(session: Session, ids: list[int]) -> dict[int, dict[str, str]]:
    """One person counts for one employer a year: on another employer's roster that year is asked about."""
    return {i: rules.roster_warnings(c) for i, c in roster_context(session, ids).items()}


def roster_guard(session: Session, row: RosterPerson, deleted: bool) -> dict[str, str]:
    """A line is deleted or restored only while its review's roster may change."""
    checks = Checks()
    review = _open_review(session, checks, row.review_id, "person_id")
    if not deleted and review is not None and not checks.errors:
        again = session.exec(
            select(RosterPerson.id).where(
                RosterPerson.review_id == row.review_id,
                RosterPerson.id_number == row.id_number,
                RosterPerson.id != row.id,
                RosterPerson.deleted_at.is_(None),
            )
        ).first()
        checks.require(again is None, "person_id", "这个人已在本单位本年度的名册中，不能再恢复一条")
    return checks.errors


def roster_fields(
    *,
    review_id: int,
    name: str,
    id_number: str,
    cert_number: str,
    category: int | None,
    grade: int | None,
    contract_ok: bool = True,
    insurance_ok: bool = True,
    months: int = 12,
    listed_on: date | None = None,
    is_demo: bool = False,
) -> None:
    """A roster line's fields and their types, checked strictly before any rule runs."""


ROSTER_LINE = RecordType(
    fields=roster_fields,
    model=RosterPerson,
    area="levy",
    id_field="person_id",
    date_field="listed_on",
    validate=validate_roster,
    warnings=roster_warnings,
    township_of=roster_township,
    guard=roster_guard,
)


@service(admin=True)
def record_unmasked_export(*, session: Session, actor: Actor, file_name: str, rows: int, detail: str) -> None:
    """An administrator downloaded names and ID numbers in full: who, when, how many, audited."""
    checks = Checks()
    check_actor(checks, actor)
    check_count(checks, "rows", rows, "导出的行数")
    checks.raise_if_any()
    log = FileLog(
        kind="export.roster_unmasked", file_name=file_name[:120], actor=actor.username, rows=rows, detail=detail[:200]
    )
    session.add(log)
    session.flush()
    audit(session, actor=actor, action="create", row=log)
