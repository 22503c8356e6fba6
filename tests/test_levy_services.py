"""The levy services' rules: the annual review's workflow, the roster, the batch assessment, payments, who may
do what. Amounts are computed by hand in the comments; rows are read back with plain SQL."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import Session

from data_layer.domain import credit_code, id_number
from data_layer.domain.errors import NeedsConfirmation, ValidationFailed
from data_layer.infra.db import get_engine
from data_layer.services import employers, levy, levy_collection, levy_reviews
from data_layer.services.records import services_for
from tests.conftest import person, rows

TODAY = date(2026, 11, 28)
YEAR = 2023
DEADLINE = date(2023, 9, 30)
ADMIN = person("王管理")
STAFF = person("李科员", "staff", areas=("levy",))


def township(url: str, name: str = "鲁村镇") -> int:
    return rows(url, "SELECT id FROM township WHERE name = ?", (name,))[0]["id"]


def county(url: str) -> int:
    return rows(url, "SELECT id FROM county")[0]["id"]


def code_for(n: int) -> str:
    """A valid 统一社会信用代码 for employer ``n`` (organisation bodies whose own check is not X)."""
    for k in range(n * 10, n * 10 + 10):
        try:
            return credit_code.make("91", "370323", f"{k:08d}")
        except ValueError:
            continue
    raise AssertionError(n)


def employer(url: str, n: int, staff: int = 100, town: str = "鲁村镇", wage_yuan: int = 100_000) -> int:
    return employers.create_employer(
        db_url=url,
        actor=ADMIN,
        county_id=county(url),
        township_id=township(url, town),
        name=f"测试单位{n}",
        credit_code=code_for(n),
        staff=staff,
        avg_wage_fen=wage_yuan * 100,
        size_class="medium",
        registered_on=date(2020, 1, 1),
    )


def pid(n: int) -> str:
    """A synthetic ID number with a valid check character."""
    return id_number.make(f"370323198{n % 10}0101{n:03d}")


def roster_line(n: int, grade: int = 4, category: int = 4, months: int = 12, **changes) -> dict:
    number = pid(n)
    values = dict(
        name=f"测试职工{n}",
        id_number=number,
        cert_number=f"{number}{category}{grade}",
        category=category,
        grade=grade,
        contract_ok=True,
        insurance_ok=True,
        months=months,
    )
    return values | changes


def notified(url: str, employer_id: int, on: date = date(2023, 6, 26), actor=ADMIN) -> int:
    levy_reviews.notify_reviews(
        db_url=url, actor=actor, year=YEAR, notified_on=on, employer_ids=[employer_id], today=TODAY
    )
    return rows(url, "SELECT id FROM annualreview WHERE employer_id = ? AND year = ?", (employer_id, YEAR))[0]["id"]


def declare(url: str, review_id: int, staff: int = 100, claimed: int = 0, on=date(2023, 7, 10), actor=ADMIN):
    levy_reviews.declare_review(
        db_url=url,
        actor=actor,
        review_id=review_id,
        declared_on=on,
        staff=staff,
        avg_wage_fen=100_000_00,
        disabled_staff=claimed,
        today=TODAY,
    )


def approve(url: str, review_id: int, on=date(2023, 8, 1), confirm: bool = True):
    levy_reviews.approve_review(
        db_url=url, actor=ADMIN, review_id=review_id, reviewed_on=on, confirm=confirm, today=TODAY
    )


ROSTER = services_for(levy_reviews.ROSTER_LINE)


def add_person(url: str, review_id: int, values: dict, confirm: bool = False, actor=ADMIN) -> int:
    values = {"review_id": review_id, "listed_on": date(2023, 7, 1), **values}
    return ROSTER.create(db_url=url, actor=actor, values=values, confirm=confirm, today=TODAY)


def remove_person(url: str, person_id: int, actor=ADMIN) -> None:
    ROSTER.delete(db_url=url, actor=actor, record_id=person_id)


def review_row(url: str, review_id: int) -> dict:
    return rows(url, "SELECT * FROM annualreview WHERE id = ?", (review_id,))[0]


def count(url: str, table: str) -> int:
    return rows(url, f"SELECT COUNT(*) AS n FROM {table}")[0]["n"]


# --- the workflow -----------------------------------------------------------------------------------------


def test_notified_declared_returned_resubmitted_approved(reference_url):
    review = notified(reference_url, employer(reference_url, 1))
    assert review_row(reference_url, review)["status"] == "notified"
    declare(reference_url, review)
    levy_reviews.return_review(
        db_url=reference_url,
        actor=ADMIN,
        review_id=review,
        reviewed_on=date(2023, 7, 20),
        reason="缺少社会保险缴费证明",
        today=TODAY,
    )
    row = review_row(reference_url, review)
    assert (row["status"], row["return_reason"], row["resubmissions"]) == ("returned", "缺少社会保险缴费证明", 0)
    declare(reference_url, review, on=date(2023, 7, 25))
    row = review_row(reference_url, review)
    assert (row["status"], row["declared_on"], row["resubmissions"]) == ("declared", "2023-07-25", 1)
    approve(reference_url, review, on=date(2023, 8, 2))
    row = review_row(reference_url, review)
    assert (row["status"], row["reviewed_on"], row["return_reason"]) == ("approved", "2023-08-02", "")


def test_a_correction_that_moves_a_review_or_a_roster_line_is_refused_not_ignored(reference_url):
    """Another employer or year is another review, another review's line another line: a correction that asks
    for it is refused in words, never saved as if it had been done."""
    from data_layer.domain.errors import ValidationFailed

    other = employer(reference_url, 2)
    first, second = notified(reference_url, employer(reference_url, 1)), notified(reference_url, other)
    declare(reference_url, first)
    person = add_person(reference_url, first, roster_line(1), confirm=True)
    before = review_row(reference_url, first)
    reviews = services_for(levy_reviews.REVIEW)
    for changes, field in (({"employer_id": other}, "employer_id"), ({"year": YEAR - 1}, "year")):
        with pytest.raises(ValidationFailed) as refused:
            reviews.update(db_url=reference_url, actor=ADMIN, record_id=first, values=changes, today=TODAY)
        assert "不能修改" in refused.value.errors[field]
    with pytest.raises(ValidationFailed) as refused:
        ROSTER.update(db_url=reference_url, actor=ADMIN, record_id=person, values={"review_id": second}, today=TODAY)
    assert "不能移到另一份年审" in refused.value.errors["review_id"]
    assert review_row(reference_url, first) == before
    assert rows(reference_url, "SELECT review_id FROM rosterperson WHERE id = ?", (person,))[0]["review_id"] == first


def test_a_second_notice_for_the_same_year_adds_nothing(reference_url):
    e = employer(reference_url, 1)
    notified(reference_url, e)
    again = levy_reviews.notify_reviews(
        db_url=reference_url, actor=ADMIN, year=YEAR, notified_on=date(2023, 6, 27), employer_ids=[e], today=TODAY
    )
    assert again == 0 and count(reference_url, "annualreview") == 1


@pytest.mark.parametrize(
    "state, step",
    [
        ("notified", "approve"),
        ("notified", "return"),
        ("approved", "approve"),
        ("approved", "return"),
        ("approved", "declare"),
        ("returned", "approve"),
    ],
)
def test_steps_not_allowed_in_a_state_are_refused_and_change_nothing(reference_url, state, step):
    review = notified(reference_url, employer(reference_url, 1))
    if state != "notified":
        declare(reference_url, review)
    if state == "approved":
        approve(reference_url, review)
    if state == "returned":
        levy_reviews.return_review(
            db_url=reference_url,
            actor=ADMIN,
            review_id=review,
            reviewed_on=date(2023, 7, 20),
            reason="材料不全",
            today=TODAY,
        )
    before = review_row(reference_url, review)
    with pytest.raises(ValidationFailed) as refused:
        if step == "approve":
            approve(reference_url, review, on=date(2023, 8, 5))
        elif step == "return":
            levy_reviews.return_review(
                db_url=reference_url,
                actor=ADMIN,
                review_id=review,
                reviewed_on=date(2023, 8, 5),
                reason="材料不全",
                today=TODAY,
            )
        else:
            declare(reference_url, review, on=date(2023, 8, 5))
    assert "review_id" in refused.value.errors
    assert review_row(reference_url, review) == before


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_return_needs_its_reason(reference_url, reason):
    review = notified(reference_url, employer(reference_url, 1))
    declare(reference_url, review)
    with pytest.raises(ValidationFailed) as refused:
        levy_reviews.return_review(
            db_url=reference_url,
            actor=ADMIN,
            review_id=review,
            reviewed_on=date(2023, 7, 20),
            reason=reason,
            today=TODAY,
        )
    assert refused.value.errors["reason"] == "请填写退回原因"
    assert review_row(reference_url, review)["status"] == "declared"


def test_dates_must_follow_each_other(reference_url):
    review = notified(reference_url, employer(reference_url, 1), on=date(2023, 6, 26))
    with pytest.raises(ValidationFailed) as refused:
        declare(reference_url, review, on=date(2023, 6, 25))
    assert refused.value.errors["declared_on"] == "申报日期不能早于通知日期"
    with pytest.raises(ValidationFailed) as refused:
        declare(reference_url, review, on=date(2026, 12, 1))
    assert refused.value.errors["declared_on"] == "申报日期不能晚于今天"
    declare(reference_url, review, on=date(2023, 7, 10))
    with pytest.raises(ValidationFailed) as refused:
        approve(reference_url, review, on=date(2023, 7, 9))
    assert refused.value.errors["reviewed_on"] == "审核日期不能早于申报日期"
    assert review_row(reference_url, review)["status"] == "declared"


def test_approving_a_claim_with_an_empty_roster_is_asked_first(reference_url):
    review = notified(reference_url, employer(reference_url, 1))
    declare(reference_url, review, claimed=2)
    with pytest.raises(NeedsConfirmation) as asked:
        approve(reference_url, review, confirm=False)
    assert "名册为空" in asked.value.warnings["roster"]
    assert review_row(reference_url, review)["status"] == "declared"
    approve(reference_url, review, confirm=True)
    assert review_row(reference_url, review)["status"] == "approved"


# --- the roster ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"id_number": pid(1)[:17] + ("0" if pid(1)[17] != "0" else "1")}, "id_number", "身份证号校验位不对，请核对"),
        ({"id_number": pid(1)[:17]}, "id_number", "身份证号应为 18 位"),
        ({"id_number": id_number.make("37032319801332001")}, "id_number", "身份证号中的出生日期不存在"),
        ({"cert_number": pid(2) + "44"}, "cert_number", "残疾人证号前 18 位应与身份证号一致"),
        ({"cert_number": pid(1) + "14"}, "cert_number", "残疾人证号中的类别（视力）与所填类别不一致"),
        ({"cert_number": pid(1) + "42"}, "cert_number", "残疾人证号中的等级（二级）与所填等级不一致"),
        ({"months": 13}, "months", "在岗月数应为 1 到 12"),
        ({"name": " "}, "name", "请填写姓名"),
    ],
)
def test_a_bad_roster_line_is_refused_beside_its_field(reference_url, changes, field, message):
    review = notified(reference_url, employer(reference_url, 1))
    with pytest.raises(ValidationFailed) as refused:
        add_person(reference_url, review, roster_line(1, **changes))
    assert refused.value.errors[field] == message
    assert count(reference_url, "rosterperson") == 0


def test_a_good_line_is_kept_with_its_numbers_normalised(reference_url):
    review = notified(reference_url, employer(reference_url, 1))
    line = roster_line(1)
    add_person(reference_url, review, line | {"id_number": f" {line['id_number'].lower()} "})
    saved = rows(reference_url, "SELECT name, id_number, cert_number, months FROM rosterperson")
    assert saved == [
        {"name": "测试职工1", "id_number": line["id_number"], "cert_number": line["cert_number"], "months": 12}
    ]


def wide(text: str, every: bool = True) -> str:
    """Digits and letters as a Chinese input method types them in full width (all, or the seventh alone)."""
    if not every:
        return text[:6] + chr(ord(text[6]) + 0xFEE0) + text[7:]
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)


@pytest.mark.parametrize("every", [False, True], ids=["one digit full-width", "all full-width"])
def test_a_full_width_id_number_is_the_same_person(reference_url, every):
    """“370323１98507076137” (a digit typed full-width) is stored in ordinary digits, so the same person typed
    plainly on another employer's roster is asked about; typed all full-width it is not refused as a wrong check."""
    first = notified(reference_url, employer(reference_url, 1))
    second = notified(reference_url, employer(reference_url, 2))
    line = roster_line(1)
    add_person(
        reference_url,
        first,
        line | {"id_number": wide(line["id_number"], every), "cert_number": wide(line["cert_number"], every)},
    )
    saved = rows(reference_url, "SELECT id_number, cert_number FROM rosterperson")
    assert saved == [{"id_number": line["id_number"], "cert_number": line["cert_number"]}]
    with pytest.raises(NeedsConfirmation) as asked:
        add_person(reference_url, second, line)
    assert "一人只能在一家单位计入" in asked.value.warnings["id_number"]


@pytest.mark.parametrize("every", [False, True], ids=["one character full-width", "all full-width"])
def test_a_full_width_credit_code_is_registered_as_typed_plainly(reference_url, every):
    code = code_for(7)
    employers.create_employer(
        db_url=reference_url,
        actor=ADMIN,
        county_id=county(reference_url),
        township_id=township(reference_url, "鲁村镇"),
        name="全角代码单位",
        credit_code=wide(code, every),
        staff=50,
        avg_wage_fen=10_000_000,
        size_class="small",
        registered_on=date(2020, 1, 1),
    )
    assert rows(reference_url, "SELECT credit_code FROM employer WHERE name = '全角代码单位'") == [
        {"credit_code": code}
    ]
    with pytest.raises(ValidationFailed) as refused:  # the same code typed plainly is the same employer
        employer(reference_url, 7)
    assert "已登记" in refused.value.errors["credit_code"]


def test_the_audit_log_never_holds_a_name_or_an_id_number_in_full(reference_url):
    review = notified(reference_url, employer(reference_url, 1))
    line = roster_line(1)
    person_id = add_person(reference_url, review, line)
    remove_person(reference_url, person_id)
    logged = " ".join(
        f"{r['before']} {r['after']}"
        for r in rows(reference_url, "SELECT before, after FROM auditlog WHERE table_name = 'rosterperson'")
    )
    assert logged.count(id_number.mask(line["id_number"])) == 2  # the create and the delete, masked
    assert line["id_number"] not in logged and line["id_number"][6:14] not in logged  # not even the birth date
    assert line["name"] not in logged and id_number.mask_name(line["name"]) in logged


def test_one_person_twice_on_one_roster_is_refused(reference_url):
    review = notified(reference_url, employer(reference_url, 1))
    add_person(reference_url, review, roster_line(1))
    with pytest.raises(ValidationFailed) as refused:
        add_person(reference_url, review, roster_line(1, name="另一个名字"))
    assert refused.value.errors["id_number"] == "这个人已在本单位本年度的名册中"
    assert count(reference_url, "rosterperson") == 1


def test_a_person_on_another_employers_roster_needs_confirming(reference_url):
    first = notified(reference_url, employer(reference_url, 1))
    second = notified(reference_url, employer(reference_url, 2))
    add_person(reference_url, first, roster_line(1))
    with pytest.raises(NeedsConfirmation) as asked:
        add_person(reference_url, second, roster_line(1))
    assert asked.value.warnings["id_number"] == "此人已在“测试单位1”2023 年的名册中：一人只能在一家单位计入"
    assert count(reference_url, "rosterperson") == 1
    add_person(reference_url, second, roster_line(1), confirm=True)
    assert count(reference_url, "rosterperson") == 2


def test_the_roster_cannot_change_after_approval(reference_url):
    review = notified(reference_url, employer(reference_url, 1))
    person_id = add_person(reference_url, review, roster_line(1))
    declare(reference_url, review, claimed=1)
    approve(reference_url, review)
    with pytest.raises(ValidationFailed) as refused:
        add_person(reference_url, review, roster_line(2))
    assert refused.value.errors["review_id"] == "年审已审核通过，名册不能再改"
    with pytest.raises(ValidationFailed) as refused:
        remove_person(reference_url, person_id)
    assert refused.value.errors["person_id"] == "年审已审核通过，名册不能再改"
    assert count(reference_url, "rosterperson") == 1


def test_a_person_is_removed_before_approval_into_the_bin_and_restored(reference_url):
    review = notified(reference_url, employer(reference_url, 1))
    person_id = add_person(reference_url, review, roster_line(1))
    remove_person(reference_url, person_id)
    assert rows(reference_url, "SELECT COUNT(*) AS n FROM rosterperson WHERE deleted_at IS NULL")[0]["n"] == 0
    with pytest.raises(ValidationFailed) as refused:  # the same person again: restored, not typed twice
        add_person(reference_url, review, roster_line(1))
    assert refused.value.errors["id_number"] == "这个人在本名册的回收站中，请恢复那一条"
    ROSTER.restore(db_url=reference_url, actor=ADMIN, record_id=person_id)
    audit = rows(reference_url, "SELECT action FROM auditlog WHERE table_name = 'rosterperson' ORDER BY id")
    assert [a["action"] for a in audit] == ["create", "delete", "restore"]


# --- the batch assessment --------------------------------------------------------------------------------

# 2023 policy (seeds/reference.yaml): quota 1.5 %, exempt ≤ 30 staff, 50 % at ≥ 1 %, else 90 %,
# wage capped at 2 × 82,000 元 = 164,000 元.
EXPECTED_FEN = {
    # 200 staff, one grade-2 employee all year (counts 2): 3 − 2 = 1 short; 2 ÷ 200 = 1 % → 50 %
    "测试单位1": 1 * 100_000_00 * 50 // 100,
    # 100 staff, approved after the deadline: its grade-4 employee does not count; 1.5 short at 90 %
    "测试单位2": 150 * 100_000_00 * 90 // 10_000,
    # 80 staff, declared and never approved: counts no one; 1.2 short at 90 %, wage 250,000 capped at 164,000
    "测试单位3": 120 * 164_000_00 * 90 // 10_000,
}


def assessment_store(url: str) -> None:
    """Three employers that owe, and two that do not (exempt; meeting the quota)."""
    levy.set_levy_year(db_url=url, actor=ADMIN, county_id=county(url), year=YEAR, task_fen=0, review_deadline=DEADLINE)
    in_time = notified(url, employer(url, 1, staff=200))
    add_person(url, in_time, roster_line(1, grade=2))
    declare(url, in_time, staff=200, claimed=1)
    approve(url, in_time, on=date(2023, 9, 30))
    late = notified(url, employer(url, 2, staff=100))
    add_person(url, late, roster_line(2, grade=4))
    declare(url, late, staff=100, claimed=1)
    approve(url, late, on=date(2023, 10, 1))
    never = notified(url, employer(url, 3, staff=80, wage_yuan=250_000))
    levy_reviews.declare_review(
        db_url=url,
        actor=ADMIN,
        review_id=never,
        declared_on=date(2023, 7, 10),
        staff=80,
        avg_wage_fen=250_000_00,
        disabled_staff=0,
        today=TODAY,
    )
    exempt = notified(url, employer(url, 4, staff=30))
    declare(url, exempt, staff=30)
    approve(url, exempt)
    meets = notified(url, employer(url, 5, staff=100))
    for n in (5, 6):
        add_person(url, meets, roster_line(n, grade=1, category=1))  # two grade-1 people: 4 ≥ 1.5
    declare(url, meets, staff=100, claimed=2)
    approve(url, meets)


def plan(url: str, today: date) -> dict[str, tuple[str, int]]:
    with Session(get_engine(url)) as session:
        planned = levy_collection.plan_assessments(session, county_id=county(url), year=YEAR, today=today)
    return {p.employer: (p.basis, p.breakdown.amount_fen) for p in planned}


def test_the_plan_counts_rosters_only_of_reviews_approved_in_time(reference_url):
    assessment_store(reference_url)
    after_deadline = plan(reference_url, date(2023, 10, 10))
    assert after_deadline == {
        "测试单位1": (levy_collection.BASIS_APPROVED, EXPECTED_FEN["测试单位1"]),
        "测试单位2": (levy_collection.BASIS_NOT_APPROVED, EXPECTED_FEN["测试单位2"]),
        "测试单位3": (levy_collection.BASIS_NOT_APPROVED, EXPECTED_FEN["测试单位3"]),
    }
    # before the deadline, a review not yet approved waits: it is not assessed as employing no one
    before = plan(reference_url, date(2023, 9, 30))
    assert set(before) == {"测试单位1", "测试单位2"}


def test_the_batch_writes_what_the_plan_showed_once(reference_url):
    assessment_store(reference_url)
    result = levy_collection.assess_year(
        db_url=reference_url,
        actor=ADMIN,
        county_id=county(reference_url),
        year=YEAR,
        assessed_on=date(2023, 10, 10),
        due_on=date(2023, 11, 30),
        today=date(2023, 10, 10),
    )
    assert result == {"count": 3, "total_fen": sum(EXPECTED_FEN.values())}
    saved = rows(
        reference_url,
        "SELECT e.name, a.amount_fen, a.staff, a.disabled_weighted FROM levyassessment a "
        "JOIN employer e ON e.id = a.employer_id ORDER BY e.name",
    )
    assert {r["name"]: r["amount_fen"] for r in saved} == EXPECTED_FEN
    assert [(r["staff"], Decimal(str(r["disabled_weighted"]))) for r in saved] == [(200, 2), (100, 0), (80, 0)]
    with pytest.raises(ValidationFailed) as refused:
        levy_collection.assess_year(
            db_url=reference_url,
            actor=ADMIN,
            county_id=county(reference_url),
            year=YEAR,
            assessed_on=date(2023, 10, 11),
            due_on=date(2023, 11, 30),
            today=date(2023, 10, 11),
        )
    assert refused.value.errors["year"] == "没有需要核定的单位"
    assert count(reference_url, "levyassessment") == 3


def test_a_year_without_a_policy_cannot_be_planned(reference_url):
    with Session(get_engine(reference_url)) as session, pytest.raises(ValidationFailed) as refused:
        levy_collection.plan_assessments(session, county_id=county(reference_url), year=2021, today=TODAY)
    assert "尚未设置 2021 年的残保金政策参数" in refused.value.errors["year"]


# --- payments ------------------------------------------------------------------------------------------------


def one_assessment(url: str) -> tuple[int, int]:
    """An assessment of 135,000 元 (100 staff, no one counted, 1.5 short at 90 %); (id, amount)."""
    levy.set_levy_year(db_url=url, actor=ADMIN, county_id=county(url), year=YEAR, task_fen=0, review_deadline=DEADLINE)
    review = notified(url, employer(url, 1, staff=100))
    declare(url, review)
    approve(url, review)
    levy_collection.assess_year(
        db_url=url,
        actor=ADMIN,
        county_id=county(url),
        year=YEAR,
        assessed_on=date(2023, 10, 10),
        due_on=date(2023, 11, 30),
        today=date(2023, 10, 10),
    )
    found = rows(url, "SELECT id, amount_fen FROM levyassessment")[0]
    assert found["amount_fen"] == 135_000_00
    return found["id"], found["amount_fen"]


def pay(url: str, assessment_id: int, fen: int, on=date(2023, 11, 1), actor=ADMIN) -> int:
    values = {"assessment_id": assessment_id, "paid_on": on, "amount_fen": fen}
    return services_for(levy_collection.PAYMENT).create(db_url=url, actor=actor, values=values, today=TODAY)


def test_partial_payments_add_up_and_overpayment_is_refused(reference_url):
    assessment, amount = one_assessment(reference_url)
    pay(reference_url, assessment, 100_000_00)
    with pytest.raises(ValidationFailed) as refused:
        pay(reference_url, assessment, 35_000_01)
    assert refused.value.errors["amount_fen"] == "超过尚欠金额：应缴 135,000.00 元，尚欠 35,000.00 元"
    pay(reference_url, assessment, 35_000_00)
    paid = rows(reference_url, "SELECT SUM(amount_fen) AS paid FROM levypayment WHERE assessment_id = ?", (assessment,))
    assert paid[0]["paid"] == amount
    with pytest.raises(ValidationFailed) as refused:
        pay(reference_url, assessment, 1)
    assert "尚欠 0.00 元" in refused.value.errors["amount_fen"]
    assert count(reference_url, "levypayment") == 2


def test_a_payment_before_the_assessment_or_without_one_is_refused(reference_url):
    assessment, _ = one_assessment(reference_url)
    with pytest.raises(ValidationFailed) as refused:
        pay(reference_url, assessment, 100, on=date(2023, 10, 9))
    assert refused.value.errors["paid_on"] == "缴纳日期不能早于核定日期"
    with pytest.raises(ValidationFailed) as refused:
        pay(reference_url, assessment + 1000, 100)
    assert refused.value.errors["assessment_id"] == "核定记录不存在"
    with pytest.raises(ValidationFailed) as refused:
        pay(reference_url, assessment, 0)
    assert refused.value.errors["amount_fen"] == "缴纳金额应大于 0"
    assert count(reference_url, "levypayment") == 0


# --- who may do what -------------------------------------------------------------------------------------------


def test_a_township_officer_is_refused_another_townships_employer(reference_url):
    officer = person("鲁村干事", "township", township_id=township(reference_url), areas=("levy",))
    own = employer(reference_url, 1, town="鲁村镇")
    other = employer(reference_url, 2, town="南麻街道")
    review_own = notified(reference_url, own, actor=officer)
    declare(reference_url, review_own, actor=officer)  # their own township: allowed
    with pytest.raises(ValidationFailed) as refused:
        notified(reference_url, other, actor=officer)
    assert refused.value.errors["township_id"] == "乡镇专职干事只能录入和修改本乡镇的数据"
    review_other = notified(reference_url, other)
    for attempt in (
        lambda: declare(reference_url, review_other, actor=officer),
        lambda: add_person(reference_url, review_other, roster_line(1), actor=officer),
        lambda: services_for(levy.INSPECTION).create(
            db_url=reference_url,
            actor=officer,
            values={"employer_id": other, "campaign_id": None, "inspected_on": date(2023, 6, 1), "mode": "onsite"},
            today=TODAY,
        ),
    ):
        with pytest.raises(ValidationFailed) as refused:
            attempt()
        assert refused.value.errors["township_id"].startswith("乡镇专职干事只能录入")
    assert review_row(reference_url, review_other)["status"] == "notified"
    assert count(reference_url, "rosterperson") == 0 and count(reference_url, "inspection") == 0


def test_a_township_officer_cannot_run_the_county_batch(reference_url):
    officer = person("鲁村干事", "township", township_id=township(reference_url), areas=("levy",))
    with pytest.raises(ValidationFailed) as refused:
        levy_collection.assess_year(
            db_url=reference_url,
            actor=officer,
            county_id=county(reference_url),
            year=YEAR,
            assessed_on=date(2023, 10, 10),
            due_on=date(2023, 11, 30),
            today=TODAY,
        )
    assert refused.value.errors["township_id"] == "乡镇专职干事只能录入和修改本乡镇的数据"


def test_an_account_without_the_levy_area_enters_nothing(reference_url):
    review = notified(reference_url, employer(reference_url, 1))
    projects_only = person("王科员", "staff", areas=("projects",))
    with pytest.raises(ValidationFailed) as refused:
        declare(reference_url, review, actor=projects_only)
    assert refused.value.errors["actor"] == "您的账号没有“残保金”的录入权限，请联系管理员"


def test_an_unmasked_export_is_for_administrators_and_audited(reference_url):
    export = dict(file_name="名册（完整）.xlsx", rows=3, detail="年审记录 1：3 人")
    with pytest.raises(ValidationFailed) as refused:
        levy_reviews.record_unmasked_export(db_url=reference_url, actor=STAFF, **export)
    assert refused.value.errors["actor"].startswith("只有管理员")
    assert count(reference_url, "filelog") == 0
    levy_reviews.record_unmasked_export(db_url=reference_url, actor=ADMIN, **export)
    logged = rows(reference_url, "SELECT kind, file_name, actor, rows FROM filelog")
    assert logged == [
        {"kind": "export.roster_unmasked", "file_name": "名册（完整）.xlsx", "actor": "王管理", "rows": 3}
    ]
    audit = rows(reference_url, "SELECT actor, action FROM auditlog WHERE table_name = 'filelog'")
    assert audit == [{"actor": "王管理", "action": "create"}]
