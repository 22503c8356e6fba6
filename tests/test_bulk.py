"""The bulk path (data_layer/services/bulk.py): the services' own rules, batches, one audit entry per batch,
ids that later writes continue from, nothing left behind by a failure."""

from __future__ import annotations

from datetime import date

import pytest

from data_layer.domain import credit_code
from data_layer.domain.errors import ValidationFailed
from data_layer.infra import audit
from data_layer.infra.db import session_scope
from data_layer.models import AnnualReview, Article, Employer, Inspection, RosterPerson
from data_layer.services import employers, levy_reviews, publicity
from data_layer.services.bulk import BulkLoad
from data_layer.services.records import services_for
from seeds.demo import DEMO_ACTOR
from tests.conftest import person, rows

TODAY = date(2026, 11, 28)


def employer(county_id: int, credit: str | None = None, **changes) -> dict:
    values = dict(
        county_id=county_id,
        township_id=None,
        name="沂源测试机械有限公司",
        credit_code=credit or code(2),
        staff=120,
        disabled_staff=1,
        avg_wage_fen=6_000_000,
        size_class="small",
        above_designated_size=False,
        registered_on=date(2020, 3, 1),
    )
    return {**values, **changes}


def county_of(url: str) -> int:
    return rows(url, "SELECT MIN(id) AS id FROM county")[0]["id"]


def count(url: str, table: str) -> int:
    return rows(url, f"SELECT COUNT(*) AS n FROM {table}")[0]["n"]


def test_rows_are_checked_by_their_services_rules_and_a_bad_row_leaves_nothing(reference_url):
    county = county_of(reference_url)
    cases = [
        (
            Employer,
            employer(county, credit=code(0)[:-1] + ("0" if code(0)[-1] != "0" else "1")),
            "credit_code",
            "校验位",
        ),
        (Employer, employer(county, staff=3, disabled_staff=5), "disabled_staff", "不能多于职工人数"),
        (Employer, employer(county, name="公司" * 41), "name", "不能超过 80 个字"),
    ]
    for model, values, field, words in cases:
        with pytest.raises(ValidationFailed) as refused, session_scope(reference_url) as session:
            bulk = BulkLoad(session, DEMO_ACTOR, today=TODAY)
            bulk.add(Employer, employer(county, credit=code(1)))  # a good row first
            bulk.add(model, values)
            bulk.finish()
        assert field in refused.value.errors and words in refused.value.errors[field]
        assert "第 2 行" in refused.value.errors[field]
    assert count(reference_url, "employer") == 0  # not even the good row of the refused batch


def bulk_write(url: str, *rows_to_add: tuple, batch: int = 5000) -> list[int]:
    """Queue rows (model, values[, options]) in one transaction and finish; returns their ids."""
    with session_scope(url) as session:
        bulk = BulkLoad(session, DEMO_ACTOR, today=TODAY, batch=batch)
        ids = [bulk.add(model, values, **(more[0] if more else {})) for model, values, *more in rows_to_add]
        bulk.finish()
    return ids


def test_the_workflow_rule_of_a_review_is_the_one_the_services_apply(reference_url):
    """A declaration cannot predate its notice, a returned review needs its reason: the same words on a form
    (the service's step) and in the seed (the bulk path's final state)."""
    actor = person()
    [employer_id] = bulk_write(reference_url, (Employer, employer(county_of(reference_url))))
    levy_reviews.notify_reviews(
        db_url=reference_url, actor=actor, year=2023, notified_on=date(2023, 6, 26), employer_ids=[employer_id]
    )
    review_id = rows(reference_url, "SELECT id FROM annualreview")[0]["id"]
    with pytest.raises(ValidationFailed) as form:
        levy_reviews.declare_review(
            db_url=reference_url,
            actor=actor,
            review_id=review_id,
            declared_on=date(2023, 6, 1),
            staff=100,
            avg_wage_fen=5_000_000,
            disabled_staff=1,
        )
    state = dict(
        employer_id=employer_id,
        year=2022,
        notified_on=date(2022, 6, 26),
        status="declared",
        declared_on=date(2022, 6, 1),
        staff=100,
        avg_wage_fen=5_000_000,
        disabled_staff=1,
    )
    with pytest.raises(ValidationFailed) as seeded:
        bulk_write(reference_url, (AnnualReview, state))
    assert form.value.errors["declared_on"] == "申报日期不能早于通知日期"
    assert seeded.value.errors["declared_on"].endswith("申报日期不能早于通知日期")
    returned = {**state, "declared_on": date(2022, 7, 1), "status": "returned", "reviewed_on": date(2022, 7, 5)}
    with pytest.raises(ValidationFailed) as no_reason:
        bulk_write(reference_url, (AnnualReview, returned))
    assert no_reason.value.errors["reason"].endswith("请填写退回原因")
    assert count(reference_url, "annualreview") == 1  # the form's notice only


def test_an_inspection_and_a_roster_line_meet_the_forms_rules(reference_url):
    [employer_id] = bulk_write(reference_url, (Employer, employer(county_of(reference_url))))
    below = dict(employer_id=employer_id, inspected_on=date(2023, 5, 25), mode="onsite", result="below")
    with pytest.raises(ValidationFailed) as refused:
        bulk_write(reference_url, (Inspection, below))
    assert refused.value.errors["follow_up_due"].endswith("未达标或未申报的单位需要填写整改期限")
    closed_early = {**below, "follow_up_due": date(2023, 6, 25), "closed_on": date(2023, 5, 1)}
    with pytest.raises(ValidationFailed) as refused:
        bulk_write(reference_url, (Inspection, closed_early))
    assert refused.value.errors["closed_on"].endswith("办结日期不能早于检查日期")
    unknown = {**below, "employer_id": employer_id + 100, "follow_up_due": date(2023, 6, 25)}
    with pytest.raises(ValidationFailed) as refused:
        bulk_write(reference_url, (Inspection, unknown))
    assert refused.value.errors["employer_id"].endswith("请选择用人单位")
    line = dict(name="演示职工", id_number="370323199901116032", cert_number="37032319990111603274")
    line.update(category=7, grade=4, contract_ok=True, insurance_ok=True, months=12)
    with pytest.raises(ValidationFailed) as refused:
        bulk_write(reference_url, (RosterPerson, {**line, "review_id": 1}))
    assert "id_number" in refused.value.errors and "校验" in refused.value.errors["id_number"]
    assert count(reference_url, "inspection") == 0 and count(reference_url, "rosterperson") == 0


def code(n: int) -> str:
    """The n-th valid 统一社会信用代码 of a made-up run (some bodies have no valid check character)."""
    for body in range(10_000_000 + n * 50, 10_000_000 + n * 50 + 50):
        try:
            return credit_code.make("91", "370323", str(body))
        except ValueError:
            continue
    raise AssertionError("no valid code")


def test_one_audit_entry_per_batch_the_chain_stays_whole_and_later_writes_continue_the_ids(reference_url):
    county = county_of(reference_url)
    three = [(Employer, employer(county, credit=code(10 + i), name=f"单位{i}")) for i in range(3)]
    ids = bulk_write(reference_url, *three, batch=2)
    assert ids == sorted(ids) and len(set(ids)) == 3
    entries = rows(reference_url, "SELECT row_id, after FROM auditlog WHERE action = 'bulk' ORDER BY id")
    assert [e["row_id"] for e in entries] == [f"{ids[0]}-{ids[1]}", f"{ids[2]}-{ids[2]}"]
    assert '"行数": 2' in entries[0]["after"] and "单位0" not in entries[0]["after"]  # a digest, not the rows
    assert audit.verify(reference_url).whole
    # a form's write after the seed gets the next id on both engines (PostgreSQL: the sequence was moved on)
    later = employers.create_employer(
        db_url=reference_url,
        actor=person(),
        county_id=county,
        township_id=None,
        name="后来登记的单位",
        credit_code=code(20),
        staff=30,
        size_class="small",
        registered_on=date(2024, 1, 5),
    )
    assert later == ids[-1] + 1


def test_a_record_a_soft_rule_warns_about_keeps_the_callers_note_and_others_none(reference_url):
    county = county_of(reference_url)
    outlet = rows(reference_url, "SELECT MIN(id) AS id FROM outlet")[0]["id"]
    article = dict(county_id=county, outlet_id=outlet, title="残联召开推进会", published_on=date(2023, 3, 1))
    again = {**article, "published_on": date(2023, 4, 1)}
    note = {"warning_note": "演示数据：同一标题"}
    ids = bulk_write(reference_url, (Article, article, note), (Article, again, note))
    stored = rows(reference_url, "SELECT warning_note FROM article ORDER BY id")
    assert [a["warning_note"] for a in stored] == ["", "演示数据：同一标题"]
    with session_scope(reference_url) as session:  # the service's soft rule says the same of the stored rows
        warned = publicity.article_warnings(session, ids)
    assert not warned.get(ids[0]) and warned[ids[1]]


def test_an_id_no_row_can_have_is_a_message_not_a_crash(reference_url):
    """A 20-digit employer id (pasted where a number was picked) had crashed SQLite's driver (OverflowError)."""
    from data_layer.services import levy

    with pytest.raises(ValidationFailed) as refused:
        services_for(levy.INSPECTION).create(
            db_url=reference_url,
            actor=person(),
            values=dict(
                employer_id=12345678901234567890,
                campaign_id=None,
                inspected_on=date(2023, 5, 1),
                mode="onsite",
                result="meets",
            ),
        )
    assert refused.value.errors["employer_id"] == "用人单位超出允许的范围"  # checked once, against its column
    assert count(reference_url, "inspection") == 0
