"""Every entered record type on the shared writers (data_layer/services/records.py), table-driven: created,
corrected, deleted into the 回收站 and restored, refused in a closed month (and an administrator's change there
needs a reason), each step audited — progress, disbursements, articles, indicator values, and the levy's
inspections, payments, annual reviews, roster lines and assessments alike. Identical records saved at the same
moment store one and tell the others; the levy's soft rules confirmed with a note are listed on 数据质量; a
deleted review, roster line or assessment leaves every levy figure."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from data_layer import checks
from data_layer.domain.errors import NeedsConfirmation, ValidationFailed
from data_layer.domain.scope import FilterSpec, make_scope
from data_layer.queries import levy as levy_figures
from data_layer.queries import levy_records
from data_layer.services import (
    indicators,
    levy,
    levy_collection,
    levy_reviews,
    locks,
    projects,
    publicity,
    subsidies,
)
from data_layer.services.records import services_for
from tests.conftest import person, rows
from tests.test_levy_services import (
    add_person,
    declare,
    employer,
    notified,
    one_assessment,
    pay,
    roster_line,
)

TODAY = date(2026, 11, 28)
ADMIN = person("管理员")
STAFF = person("科员", "staff")


def one(url: str, sql: str) -> int:
    return rows(url, sql)[0]["id"]


def refs(url: str) -> dict:
    return {
        "county": one(url, "SELECT id FROM county"),
        "township": one(url, "SELECT id FROM township WHERE name = '鲁村镇'"),
        "item": one(
            url,
            "SELECT i.id FROM projectitem i JOIN project p ON p.id = i.project_id "
            "WHERE p.year = 2023 AND p.code = 'shuangbai' AND i.code = 'wheelchair'",
        ),
        "type": one(url, "SELECT id FROM subsidytype WHERE code = 'tekun'"),
        "outlet": one(url, "SELECT id FROM outlet WHERE level = 'national'"),
        "indicator": one(url, "SELECT id FROM indicator WHERE code = 'certificates'"),
    }


# kind, its table, a record's values from the reference ids, and a correction
KINDS = {
    "progress": (
        projects.PROGRESS,
        lambda url, r: dict(
            item_id=r["item"], township_id=r["township"], entry_date=date(2023, 5, 20), quantity=3, amount_fen=180_000
        ),
        {"quantity": 4},
    ),
    "disbursement": (
        subsidies.DISBURSEMENT,
        lambda url, r: dict(
            type_id=r["type"],
            county_id=r["county"],
            township_id=r["township"],
            month_from=date(2023, 5, 1),
            month_to=date(2023, 5, 1),
            recipients=10,
            paid_date=date(2023, 5, 20),
        ),
        {"note": "补录"},
    ),
    "article": (
        publicity.ARTICLE,
        lambda url, r: dict(
            county_id=r["county"], outlet_id=r["outlet"], title="助残日活动", published_on=date(2023, 5, 20)
        ),
        {"title": "第二十三次全国助残日活动"},
    ),
    "indicator value": (
        indicators.INDICATOR_VALUE,
        lambda url, r: dict(
            indicator_id=r["indicator"],
            county_id=r["county"],
            township_id=r["township"],
            period_start=date(2023, 5, 1),
            period_end=date(2023, 5, 31),
            value=12,
        ),
        {"value": 13},
    ),
    "inspection": (
        levy.INSPECTION,
        lambda url, r: dict(
            employer_id=employer(url, 1), campaign_id=None, inspected_on=date(2023, 5, 20), mode="onsite"
        ),
        {"mode": "documentary"},
    ),
    "payment": (
        levy_collection.PAYMENT,
        lambda url, r: dict(assessment_id=one_assessment(url)[0], paid_on=date(2023, 11, 20), amount_fen=100_00),
        {"amount_fen": 200_00},
    ),
    "review": (
        levy_reviews.REVIEW,
        lambda url, r: dict(employer_id=employer(url, 1), year=2023, notified_on=date(2023, 5, 20)),
        {"notified_on": date(2023, 5, 21)},
    ),
    "roster line": (
        levy_reviews.ROSTER_LINE,
        lambda url, r: dict(
            review_id=notified(url, employer(url, 1), on=date(2023, 4, 20)),
            listed_on=date(2023, 5, 20),
            **roster_line(1),
        ),
        {"months": 6},
    ),
    "assessment": (
        levy_collection.ASSESSMENT,
        lambda url, r: dict(
            employer_id=employer(url, 1),
            year=2023,
            assessed_on=date(2023, 5, 20),
            due_on=date(2023, 6, 30),
            amount_fen=5_000_00,
        ),
        {"amount_fen": 6_000_00},
    ),
}


def audited(url: str, table: str, record_id: int) -> list[str]:
    found = rows(
        url, "SELECT action FROM auditlog WHERE table_name = ? AND row_id = ? ORDER BY id", (table, str(record_id))
    )
    return [r["action"] for r in found]


@pytest.mark.parametrize("name", list(KINDS))
def test_a_record_is_created_corrected_deleted_and_restored_each_audited(reference_url, name):
    kind, values_of, change = KINDS[name]
    writes, table = services_for(kind), kind.model.__tablename__
    record_id = writes.create(
        db_url=reference_url, actor=STAFF, values=values_of(reference_url, refs(reference_url)), today=TODAY
    )
    writes.update(db_url=reference_url, actor=STAFF, record_id=record_id, values=change, today=TODAY)
    stored = rows(reference_url, f"SELECT * FROM {table} WHERE id = ?", (record_id,))[0]
    assert all(str(stored[k]) == str(v) for k, v in change.items())
    writes.delete(db_url=reference_url, actor=STAFF, record_id=record_id)
    assert rows(reference_url, f"SELECT deleted_at FROM {table} WHERE id = ?", (record_id,))[0]["deleted_at"]
    with pytest.raises(ValidationFailed):  # a deleted record is restored first, then corrected
        writes.update(db_url=reference_url, actor=STAFF, record_id=record_id, values=change, today=TODAY)
    writes.restore(db_url=reference_url, actor=STAFF, record_id=record_id)
    assert rows(reference_url, f"SELECT deleted_at FROM {table} WHERE id = ?", (record_id,))[0]["deleted_at"] is None
    assert audited(reference_url, table, record_id) == ["create", "update", "delete", "restore"]


@pytest.mark.parametrize("name", list(KINDS))
def test_a_closed_month_refuses_staff_and_asks_an_administrator_for_a_reason(reference_url, name):
    kind, values_of, change = KINDS[name]
    writes, table = services_for(kind), kind.model.__tablename__
    values = values_of(reference_url, refs(reference_url))
    record_id = writes.create(db_url=reference_url, actor=STAFF, values=values, today=TODAY)
    locks.close_months(db_url=reference_url, actor=ADMIN, months=[values[kind.date_field]], today=TODAY)
    for attempt in (
        lambda: writes.update(db_url=reference_url, actor=STAFF, record_id=record_id, values=change, today=TODAY),
        lambda: writes.delete(db_url=reference_url, actor=STAFF, record_id=record_id),
    ):
        with pytest.raises(ValidationFailed) as refused:
            attempt()
        assert "已结账" in " ".join(refused.value.errors.values())
    with pytest.raises(NeedsConfirmation):  # an administrator is asked first
        writes.update(db_url=reference_url, actor=ADMIN, record_id=record_id, values=change, today=TODAY)
    writes.update(
        db_url=reference_url,
        actor=ADMIN,
        record_id=record_id,
        values=change,
        confirm=True,
        warning_note="核对原始凭证后更正",
        today=TODAY,
    )
    assert audited(reference_url, table, record_id) == ["create", "update"]
    assert rows(reference_url, "SELECT COUNT(*) AS n FROM lockoverride")[0]["n"] == 1


def eight_at_once(writes, url: str, values: dict) -> list:
    """Eight tabs saving the same record at the same moment: each one's new id, or what it was told."""
    start, outcomes = threading.Barrier(8), [None] * 8

    def save(k: int) -> None:
        start.wait()
        try:
            outcomes[k] = writes.create(db_url=url, actor=STAFF, values=values, today=TODAY)
        except (ValidationFailed, NeedsConfirmation) as told:
            outcomes[k] = told

    threads = [threading.Thread(target=save, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.mark.parametrize(("name", "field"), [("inspection", "inspected_on"), ("payment", "amount_fen")])
def test_identical_levy_records_saved_at_the_same_moment_store_one_and_tell_the_others(reference_url, name, field):
    """Eight tabs saving the same inspection (one employer, one day, one campaign) or the same payment: one stored,
    the other seven asked whether it is a repeat (and stored only once confirmed, with the note on 数据质量)."""
    kind, values_of, _ = KINDS[name]
    writes, values = services_for(kind), values_of(reference_url, refs(reference_url))
    if name == "payment":
        values["amount_fen"] = 1_00  # eight of them still owe nothing more than is assessed
    outcomes = eight_at_once(writes, reference_url, values)
    stored = [o for o in outcomes if isinstance(o, int)]
    asked = [o for o in outcomes if isinstance(o, NeedsConfirmation)]
    assert len(stored) == 1 and len(asked) == 7, outcomes
    assert all("重复" in a.warnings[field] for a in asked)
    table = kind.model.__tablename__
    assert rows(reference_url, f"SELECT COUNT(*) AS n FROM {table}")[0]["n"] == 1
    again = writes.create(
        db_url=reference_url, actor=STAFF, values=values, confirm=True, warning_note="两次检查", today=TODAY
    )
    from data_layer import checks

    found = checks.findings(reference_url)
    listed = found[found["check"] == f"levy.{name}_repeat"]
    assert len(listed) == 1 and listed.iloc[0]["note"] == "两次检查" and f"#{again}" in listed.iloc[0]["record"]


@pytest.mark.parametrize(
    ("name", "field", "words"),
    [
        ("review", "employer_id", "已有年审"),
        ("roster line", "id_number", "已在本单位本年度的名册中"),
        ("assessment", "employer_id", "已核定"),
    ],
)
def test_identical_reviews_roster_lines_and_assessments_saved_at_once_store_one(reference_url, name, field, words):
    """Eight tabs saving the same notice, the same person on one roster or the same assessment: one per employer
    and year (per roster) is all there may be, so one is stored and the other seven are refused in words."""
    kind, values_of, _ = KINDS[name]
    writes, values = services_for(kind), values_of(reference_url, refs(reference_url))
    outcomes = eight_at_once(writes, reference_url, values)
    stored = [o for o in outcomes if isinstance(o, int)]
    refused = [o for o in outcomes if isinstance(o, ValidationFailed)]
    assert len(stored) == 1 and len(refused) == 7, outcomes
    assert all(words in r.errors[field] for r in refused)
    assert rows(reference_url, f"SELECT COUNT(*) AS n FROM {kind.model.__tablename__}")[0]["n"] == 1


# --- the levy's soft rules, confirmed with a note and listed on 数据质量 ------------------------------------------


def listed(url: str, check: str) -> list[dict]:
    found = checks.findings(url)
    return found[found["check"] == check].to_dict("records")


def test_an_approval_with_an_empty_roster_is_confirmed_with_a_note_and_listed(reference_url):
    review = notified(reference_url, employer(reference_url, 1))
    declare(reference_url, review, claimed=2)
    approve = dict(db_url=reference_url, actor=ADMIN, review_id=review, reviewed_on=date(2023, 8, 1), today=TODAY)
    with pytest.raises(NeedsConfirmation) as asked:
        levy_reviews.approve_review(**approve)
    assert "名册为空" in asked.value.warnings["roster"]
    levy_reviews.approve_review(**approve, confirm=True, warning_note="名册随后补报")
    [finding] = listed(reference_url, "levy.approved_no_roster")
    assert finding["note"] == "名册随后补报" and finding["why"] == asked.value.warnings["roster"]
    assert audited(reference_url, "annualreview", review) == ["create", "update", "update"]


def test_a_person_on_two_rosters_is_confirmed_with_a_note_and_listed(reference_url):
    first = notified(reference_url, employer(reference_url, 1))
    second = notified(reference_url, employer(reference_url, 2))
    add_person(reference_url, first, roster_line(1))
    with pytest.raises(NeedsConfirmation) as asked:
        add_person(reference_url, second, roster_line(1))
    line = services_for(levy_reviews.ROSTER_LINE).create(
        db_url=reference_url,
        actor=ADMIN,
        values={"review_id": second, **roster_line(1)},
        confirm=True,
        warning_note="两家单位各半年",
        today=TODAY,
    )
    found = listed(reference_url, "levy.shared_person")
    assert len(found) == 2  # both rosters, each to be opened and corrected
    mine = next(f for f in found if f["link"].endswith(f"={second}"))
    assert mine["note"] == "两家单位各半年" and mine["why"] == asked.value.warnings["id_number"]
    services_for(levy_reviews.ROSTER_LINE).delete(db_url=reference_url, actor=ADMIN, record_id=line)
    assert listed(reference_url, "levy.shared_person") == []  # a deleted line is on no roster


def test_a_corrected_assessment_amount_needs_a_note_and_is_listed(reference_url):
    assessment, amount = one_assessment(reference_url)
    writes = services_for(levy_collection.ASSESSMENT)
    writes.update(db_url=reference_url, actor=STAFF, record_id=assessment, values={"due_on": date(2023, 12, 31)})
    assert listed(reference_url, "levy.assessment_amount") == []  # the date alone: nothing to confirm
    with pytest.raises(NeedsConfirmation) as asked:
        writes.update(db_url=reference_url, actor=STAFF, record_id=assessment, values={"amount_fen": amount - 100_00})
    assert "按核定依据计算应为 135,000.00 元" in asked.value.warnings["amount_fen"]
    writes.update(
        db_url=reference_url,
        actor=STAFF,
        record_id=assessment,
        values={"amount_fen": amount - 100_00},
        confirm=True,
        warning_note="复核后减免 100 元",
    )
    [finding] = listed(reference_url, "levy.assessment_amount")
    assert finding["note"] == "复核后减免 100 元" and finding["link"] == f"levy_collection?record={assessment}"
    with pytest.raises(ValidationFailed) as refused:  # the employer and the inputs are what it was computed from
        writes.update(db_url=reference_url, actor=STAFF, record_id=assessment, values={"staff": 10})
    assert "staff" in refused.value.errors


def test_an_assessment_with_payments_is_not_deleted(reference_url):
    assessment, _ = one_assessment(reference_url)
    payment = pay(reference_url, assessment, 1_000_00)
    writes = services_for(levy_collection.ASSESSMENT)
    with pytest.raises(ValidationFailed) as refused:
        writes.delete(db_url=reference_url, actor=ADMIN, record_id=assessment)
    assert refused.value.errors["assessment_id"] == (
        "这份核定已有 1 笔缴款（合计 1,000.00 元），不能删除；如确需删除，请先删除这些缴款"
    )
    assert rows(reference_url, "SELECT deleted_at FROM levyassessment")[0]["deleted_at"] is None
    services_for(levy_collection.PAYMENT).delete(db_url=reference_url, actor=ADMIN, record_id=payment)
    writes.delete(db_url=reference_url, actor=ADMIN, record_id=assessment)
    with pytest.raises(ValidationFailed) as refused:  # nothing is paid against an assessment in the 回收站
        pay(reference_url, assessment, 1_000_00)
    assert refused.value.errors["assessment_id"] == "这份核定在回收站中，请先恢复核定"


def test_deleted_reviews_roster_lines_and_assessments_leave_every_levy_figure(reference_url):
    assessment, amount = one_assessment(reference_url)
    scope = make_scope(FilterSpec(2023))
    review = rows(reference_url, "SELECT review_id FROM levyassessment")[0]["review_id"]

    def figures() -> dict:
        total = levy_figures.summary(reference_url, scope).iloc[0]
        counts = levy_records.review_counts(reference_url, scope, 2023)
        owed = levy_records.assessment_totals(reference_url, scope, 2023)
        return {"approved": int(total["approved"]), "assessed": int(total["assessed_fen"]), **counts, **owed}

    before = figures()
    assert before["assessed"] == amount and before["approved"] == 1 and before["assessments"] == 1
    assessments, reviews = services_for(levy_collection.ASSESSMENT), services_for(levy_reviews.REVIEW)
    with pytest.raises(ValidationFailed) as refused:  # the review an assessment was computed from stays
        reviews.delete(db_url=reference_url, actor=ADMIN, record_id=review)
    assert "请先删除那份核定" in refused.value.errors["review_id"]
    assessments.delete(db_url=reference_url, actor=ADMIN, record_id=assessment)
    after = figures()
    assert after["assessed"] == 0 and after["assessments"] == 0 and after["approved"] == 1
    reviews.delete(db_url=reference_url, actor=ADMIN, record_id=review)
    gone = figures()
    assert gone["approved"] == 0 and "approved" not in levy_records.review_counts(reference_url, scope, 2023)
    assert list(levy_records.reviews(reference_url, scope, 2023, deleted=True)["review_id"]) == [review]
    reviews.restore(db_url=reference_url, actor=ADMIN, record_id=review)
    assessments.restore(db_url=reference_url, actor=ADMIN, record_id=assessment)
    assert figures() == before


def test_a_deleted_roster_line_leaves_the_roster_and_its_head_count(reference_url):
    review = notified(reference_url, employer(reference_url, 1))
    kept = add_person(reference_url, review, roster_line(1, grade=2))
    gone = add_person(reference_url, review, roster_line(2, grade=4))
    assert levy_records.roster_weighted(reference_url, review) == 3
    services_for(levy_reviews.ROSTER_LINE).delete(db_url=reference_url, actor=ADMIN, record_id=gone)
    assert levy_records.roster_weighted(reference_url, review) == 2
    assert list(levy_records.roster(reference_url, review)["person_id"]) == [kept]
    assert list(levy_records.roster(reference_url, review, deleted=True)["person_id"]) == [gone]
