"""The annual review (年审) as a workflow, and the roster of disabled employees each review declares.

已通知 → 已申报 → 审核通过, or 退回 (with the reason) → 重新申报 → … → 审核通过. Every step is one audited
write; the roster can change until the review is approved. The rules of a roster line (ID check digit, the
certificate number built from it) are in data_layer/id_number.py, shared with the import and the checks.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from data_layer.domain import id_number
from data_layer.domain.errors import Checks, NeedsConfirmation, ValidationFailed
from data_layer.domain.roles import Actor
from data_layer.models import AnnualReview, Employer, FileLog, RosterPerson, utcnow
from data_layer.services._core import (
    audit,
    change_row,
    check_actor,
    check_count,
    check_text,
    insert,
    permitted,
    service,
    snapshot,
)

STATE_NAMES = {"notified": "已通知", "declared": "已申报", "returned": "退回", "approved": "审核通过"}
REASON_MAX = 200


def _review(session: Session, checks: Checks, review_id: int, actor: Actor) -> AnnualReview | None:
    review = session.get(AnnualReview, review_id) if review_id is not None else None
    if not checks.require(review is not None, "review_id", "年审记录不存在"):
        return None
    employer = session.get(Employer, review.employer_id)
    permitted(actor, township_id=employer.township_id)
    return review


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


def _step(session: Session, review: AnnualReview, actor: Actor, today: date, **changes) -> None:
    """One step of the workflow: the review after it must satisfy ``review_errors``."""
    errors = review_errors({**review.model_dump(), **changes}, today)
    if errors:
        raise ValidationFailed(errors)
    change_row(session, review, actor, "update", **changes, updated_at=utcnow())


@service(area="levy")
def notify_reviews(
    *,
    session: Session,
    actor: Actor,
    year: int,
    notified_on: date,
    employer_ids: list[int],
    is_demo: bool = False,
    today: date | None = None,
) -> int:
    """Send the year's notice (已通知) to employers that have none yet; returns how many were notified."""
    checks = Checks()
    check_actor(checks, actor)
    _not_future(checks, "notified_on", notified_on, today or date.today(), "通知日期")
    checks.require(employer_ids, "employer_ids", "请选择要通知的用人单位")
    checks.raise_if_any()
    already = set(
        session.exec(
            select(AnnualReview.employer_id).where(
                AnnualReview.year == year, AnnualReview.employer_id.in_(employer_ids)
            )
        )
    )
    count = 0
    for employer_id in dict.fromkeys(employer_ids):
        employer = session.get(Employer, employer_id)
        if employer is None:
            raise ValidationFailed({"employer_ids": f"用人单位编号 {employer_id} 不存在"})
        permitted(actor, township_id=employer.township_id)
        if employer_id in already:
            continue
        row = AnnualReview(employer_id=employer_id, year=year, notified_on=notified_on, is_demo=is_demo)
        insert(session, row, actor=actor)
        count += 1
    return count


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
    today: date | None = None,
) -> None:
    """The employer's declaration (已申报), or its resubmission after a return (重新申报)."""
    checks = Checks()
    check_actor(checks, actor)
    review = _review(session, checks, review_id, actor)
    if review is not None:
        checks.require(review.status != "approved", "review_id", "年审已审核通过，不能再申报；如需更正请先联系管理员")
        if _not_future(checks, "declared_on", declared_on, today or date.today(), "申报日期"):
            checks.require(declared_on >= review.notified_on, "declared_on", "申报日期不能早于通知日期")
    check_count(checks, "staff", staff, "职工人数")
    check_count(checks, "avg_wage_fen", avg_wage_fen, "年平均工资")
    check_count(checks, "disabled_staff", disabled_staff, "残疾职工人数")
    if "staff" not in checks.errors and "disabled_staff" not in checks.errors:
        checks.require(disabled_staff <= staff, "disabled_staff", "残疾职工人数不能多于职工人数")
    checks.raise_if_any()
    resubmitted = review.status == "returned"
    _step(
        session,
        review,
        actor,
        today or date.today(),
        status="declared",
        declared_on=declared_on,
        staff=staff,
        avg_wage_fen=avg_wage_fen,
        disabled_staff=disabled_staff,
        resubmissions=review.resubmissions + (1 if resubmitted else 0),
    )


def _decidable(checks: Checks, review: AnnualReview | None, reviewed_on: object, today: date) -> None:
    if review is None:
        return
    checks.require(
        review.status == "declared", "review_id", f"只有已申报的年审可以审核（现为{STATE_NAMES[review.status]}）"
    )
    if _not_future(checks, "reviewed_on", reviewed_on, today, "审核日期") and review.declared_on:
        checks.require(reviewed_on >= review.declared_on, "reviewed_on", "审核日期不能早于申报日期")


def roster_of(session: Session, review_id: int) -> list[RosterPerson]:
    return list(session.exec(select(RosterPerson).where(RosterPerson.review_id == review_id)))


@service(area="levy")
def approve_review(
    *,
    session: Session,
    actor: Actor,
    review_id: int,
    reviewed_on: date,
    confirm: bool = False,
    today: date | None = None,
) -> None:
    """审核通过. A declaration that claims disabled employees with an empty roster is asked about first."""
    checks = Checks()
    check_actor(checks, actor)
    review = _review(session, checks, review_id, actor)
    _decidable(checks, review, reviewed_on, today or date.today())
    checks.raise_if_any()
    if review.disabled_staff and not roster_of(session, review_id) and not confirm:
        raise NeedsConfirmation(
            {"roster": f"申报残疾职工 {review.disabled_staff} 人，但名册为空：通过后按名册计 0 人。确认仍要通过吗？"}
        )
    _step(session, review, actor, today or date.today(), status="approved", reviewed_on=reviewed_on, return_reason="")


@service(area="levy")
def return_review(
    *, session: Session, actor: Actor, review_id: int, reviewed_on: date, reason: str, today: date | None = None
) -> None:
    """退回 with the reason the employer reads; it may declare again (重新申报)."""
    checks = Checks()
    check_actor(checks, actor)
    review = _review(session, checks, review_id, actor)
    _decidable(checks, review, reviewed_on, today or date.today())
    check_text(checks, "reason", reason, "退回原因", REASON_MAX)
    checks.raise_if_any()
    _step(
        session,
        review,
        actor,
        today or date.today(),
        status="returned",
        reviewed_on=reviewed_on,
        return_reason=reason.strip(),
    )


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


@service(area="levy")
def add_roster_person(
    *,
    session: Session,
    actor: Actor,
    review_id: int,
    name: str,
    id_number: str,
    cert_number: str,
    category: int,
    grade: int,
    contract_ok: bool,
    insurance_ok: bool,
    months: int,
    confirm: bool = False,
    is_demo: bool = False,
) -> int:
    """One disabled employee on a review's roster. The same person on another employer's roster for the same
    year is asked about (one person counts for one employer); twice on one roster is refused."""
    from data_layer.domain import id_number as ids

    checks = Checks()
    check_actor(checks, actor)
    review = _review(session, checks, review_id, actor)
    if review is not None:
        checks.require(review.status != "approved", "review_id", "年审已审核通过，名册不能再改")
    values = dict(
        name=name, id_number=id_number, cert_number=cert_number, category=category, grade=grade, months=months
    )
    checks.errors.update({k: v for k, v in roster_errors(values).items() if k not in checks.errors})
    number = ids.normalize(id_number)
    if review is not None and "id_number" not in checks.errors:
        twice = session.exec(
            select(RosterPerson.id).where(RosterPerson.review_id == review_id, RosterPerson.id_number == number)
        ).first()
        checks.require(twice is None, "id_number", "这个人已在本单位本年度的名册中")
    checks.raise_if_any()
    elsewhere = session.exec(
        select(Employer.name)
        .join(AnnualReview, AnnualReview.employer_id == Employer.id)
        .join(RosterPerson, RosterPerson.review_id == AnnualReview.id)
        .where(RosterPerson.id_number == number, AnnualReview.year == review.year, AnnualReview.id != review_id)
    ).first()
    if elsewhere and not confirm:
        raise NeedsConfirmation({"id_number": f"此人已在“{elsewhere}”{review.year} 年的名册中：一人只能在一家单位计入"})
    row = RosterPerson(
        review_id=review_id,
        name=name.strip(),
        id_number=number,
        cert_number=ids.normalize(cert_number),
        category=category,
        grade=grade,
        contract_ok=contract_ok,
        insurance_ok=insurance_ok,
        months=months,
        is_demo=is_demo,
        created_by=actor.name,
    )
    return insert(session, row, actor=actor)


@service(area="levy")
def remove_roster_person(*, session: Session, actor: Actor, person_id: int) -> None:
    checks = Checks()
    check_actor(checks, actor)
    person = session.get(RosterPerson, person_id) if person_id is not None else None
    if checks.require(person is not None, "person_id", "名册中没有这个人"):
        review = _review(session, checks, person.review_id, actor)
        checks.require(review.status != "approved", "person_id", "年审已审核通过，名册不能再改")
    checks.raise_if_any()
    audit(session, actor=actor, action="delete", row=person, before=snapshot(person))
    session.delete(person)
    session.flush()


@service(admin=True)
def record_unmasked_export(*, session: Session, actor: Actor, file_name: str, rows: int, detail: str) -> None:
    """An administrator downloaded names and ID numbers in full: who, when, how many, audited."""
    log = FileLog(
        kind="export.roster_unmasked", file_name=file_name[:120], actor=actor.username, rows=rows, detail=detail[:200]
    )
    session.add(log)
    session.flush()
    audit(session, actor=actor, action="create", row=log)
