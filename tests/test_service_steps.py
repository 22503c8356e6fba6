"""Steps the levy and registry services take inside their transaction — what an assessment has been paid, which
township a payment, an inspection or a roster line belongs to, the registered credit codes of a file, the hard
rules of an employer, an outlet and a township's target — called directly in a session over the county demo and
compared with plain rows; and the employer form's reading of typed text, row by row. One demo copy per engine;
nothing is written."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import pytest
from sqlmodel import Session

from data_layer.domain import credit_code, text
from data_layer.infra.db import get_engine
from data_layer.services import _core, employers, levy, levy_collection, levy_reviews, projects, publicity
from tests.conftest import ENGINES, rows
from tests.shared_stores import shared_store


@pytest.fixture(scope="module", params=ENGINES)
def url(request, tmp_path_factory):
    yield from shared_store(request, tmp_path_factory, "demo")


@pytest.fixture
def session(url):
    with Session(get_engine(url)) as s:
        yield s


def test_paid_fen(url, session):
    paid = defaultdict(int)
    for p in rows(url, "SELECT assessment_id, amount_fen FROM levypayment WHERE deleted_at IS NULL"):
        paid[p["assessment_id"]] += p["amount_fen"]
    assessments = [a["id"] for a in rows(url, "SELECT id FROM levyassessment ORDER BY id")]
    for a in assessments[:40] + assessments[-40:]:
        assert levy_collection.paid_fen(session, a) == paid[a]
    assert any(paid[a] for a in assessments[:40]) and levy_collection.paid_fen(session, 10**9) == 0


def test_township_of_a_payment_an_inspection_and_a_roster_line(url, session):
    employer_town = {e["id"]: e["township_id"] for e in rows(url, "SELECT id, township_id FROM employer")}
    for a in rows(url, "SELECT id, employer_id FROM levyassessment ORDER BY id LIMIT 30"):
        assert (
            levy_collection.assessment_township(session, {"assessment_id": a["id"]}) == employer_town[a["employer_id"]]
        )
    for i in rows(url, "SELECT employer_id FROM inspection ORDER BY id LIMIT 30"):
        assert levy.employer_township(session, {"employer_id": i["employer_id"]}) == employer_town[i["employer_id"]]
    for r in rows(url, "SELECT id, employer_id FROM annualreview ORDER BY id LIMIT 30"):
        assert levy_reviews.roster_township(session, {"review_id": r["id"]}) == employer_town[r["employer_id"]]
    for nothing in ({}, {"assessment_id": None}, {"assessment_id": 10**9}):
        assert levy_collection.assessment_township(session, nothing) is None
    assert levy.employer_township(session, {"employer_id": 10**9}) is None
    assert levy_reviews.roster_township(session, {"review_id": None}) is None


def test_registered_codes(url, session):
    registered = {e["credit_code"]: e["id"] for e in rows(url, "SELECT id, credit_code FROM employer")}
    codes = list(registered)[:5] + ["91370323MA3C000000", "", list(registered)[0]]
    found = employers.registered_codes(session, codes)
    assert {c: e.id for c, e in found.items()} == {c: registered[c] for c in codes if c in registered}
    assert employers.registered_codes(session, []) == {}


def code(first17: str) -> str:
    return first17 + credit_code.check_char(first17)


@pytest.fixture
def employer_row(url) -> dict:
    return rows(url, "SELECT * FROM employer ORDER BY id LIMIT 1")[0]


@pytest.mark.parametrize(
    ("changes", "refused"),
    [
        ({}, set()),
        ({"credit_code": "taken"}, {"credit_code"}),  # another employer's code
        ({"credit_code": code("91370323MA3C00001").lower()}, set()),  # read as upper case
        ({"credit_code": code("91370323MA3C00001")[:-1] + "0"}, {"credit_code"}),  # a wrong check character
        ({"credit_code": "9137"}, {"credit_code"}),
        ({"staff": 10, "disabled_staff": 10}, set()),  # as many disabled as staff
        ({"staff": 10, "disabled_staff": 11}, {"disabled_staff"}),
        ({"staff": -1}, {"staff"}),
        ({"size_class": "huge"}, {"size_class"}),
        ({"registered_on": "2023-01-01"}, {"registered_on"}),
        ({"name": ""}, {"name"}),
        ({"name": "名" * 81}, {"name"}),
        ({"township_id": 10**6}, {"township_id"}),
        ({"county_id": 10**6}, {"county_id", "township_id"}),  # the township is then not the county's
        ({"township_id": None}, set()),  # 县本级
    ],
)
def test_employer_errors(url, session, employer_row, changes, refused):
    values = {
        "county_id": employer_row["county_id"],
        "township_id": employer_row["township_id"],
        "name": "新单位",
        "credit_code": code("91370323MA3C00001"),
        "staff": 50,
        "disabled_staff": 1,
        "avg_wage_fen": 6_000_000,
        "size_class": "small",
        "registered_on": date(2023, 1, 1),
    } | changes
    if values["credit_code"] == "taken":
        values["credit_code"] = employer_row["credit_code"]
    assert set(employers.employer_errors(session, values)) == refused
    if changes.get("credit_code") == "taken":  # its own code, when it is the one changed
        assert set(employers.employer_errors(session, values, current_id=employer_row["id"])) == set()
        assert set(employers.employer_errors(session, values, registered={})) == set()  # a file's own lookup


@pytest.mark.parametrize(
    ("changes", "refused"),
    [
        ({}, set()),
        ({"name": "taken"}, {"name"}),
        ({"name": " "}, {"name"}),
        ({"level": "world"}, {"level"}),
        ({"medium": ""}, {"medium"}),
        ({"first_used_on": date(2099, 1, 1)}, {"first_used_on"}),
        ({"first_used_on": "2023-01-01"}, {"first_used_on"}),
        ({"first_used_on": None}, set()),
    ],
)
def test_outlet_errors(url, session, changes, refused):
    taken = rows(url, "SELECT id, name, level FROM outlet ORDER BY id LIMIT 1")[0]
    values = {"name": "新媒体", "level": taken["level"], "medium": "网站", "first_used_on": date(2023, 1, 1)} | changes
    if values["name"] == "taken":
        values["name"] = taken["name"]
        assert set(publicity.outlet_errors(session, values, current_id=taken["id"])) == set()  # its own name
    assert set(publicity.outlet_errors(session, values)) == refused


@pytest.mark.parametrize(
    ("changes", "refused"),
    [
        ({}, set()),
        ({"target": 0}, set()),
        ({"target": -1}, {"target"}),
        ({"item_id": 10**6}, {"item_id"}),
        ({"township_id": 10**6}, {"township_id"}),
    ],
)
def test_target_errors(url, session, changes, refused):
    item = rows(url, "SELECT id FROM projectitem ORDER BY id LIMIT 1")[0]["id"]
    township = rows(url, "SELECT id FROM township ORDER BY id LIMIT 1")[0]["id"]
    values = {"item_id": item, "township_id": township, "target": 10} | changes
    assert set(projects.target_errors(session, values)) == refused


@pytest.mark.parametrize(
    ("typed", "chosen", "values", "refused"),
    [
        (
            {"staff": "120", "disabled_staff": "2", "avg_wage_fen": "65,000.50"},
            {"size_class": "small"},
            {"staff": 120, "disabled_staff": 2, "avg_wage_fen": 6_500_050, "size_class": "small"},
            set(),
        ),
        (
            {"staff": "１２０", "disabled_staff": "", "avg_wage_fen": ""},
            {},
            {"staff": 120, "disabled_staff": 0, "avg_wage_fen": 0},
            set(),
        ),  # empty: 0
        (
            {"staff": "", "disabled_staff": "1", "avg_wage_fen": "1"},
            {},
            {"disabled_staff": 1, "avg_wage_fen": 100},
            {"staff"},
        ),
        (
            {"staff": "1.5", "disabled_staff": "0", "avg_wage_fen": "1"},
            {},
            {"disabled_staff": 0, "avg_wage_fen": 100},
            {"staff"},
        ),
        (
            {"staff": "10", "disabled_staff": "0", "avg_wage_fen": "1.234"},
            {},
            {"staff": 10, "disabled_staff": 0},
            {"avg_wage_fen"},
        ),
        (
            {"staff": "10", "disabled_staff": "0", "avg_wage_fen": "0"},
            {"township_id": None, "size_class": None},
            {"staff": 10, "disabled_staff": 0, "avg_wage_fen": 0, "township_id": None, "size_class": None},
            {"township_id", "size_class"},
        ),
    ],
)
def test_read_form(typed, chosen, values, refused):
    got, errors = employers.read_form(typed, chosen)
    assert got == values and set(errors) == refused


@pytest.mark.parametrize(("typed", "normal"), [(" 91370323ma3c ０１ ", "91370323MA3C01"), (None, ""), ("", "")])
def test_normalize_code(typed, normal):
    assert employers.normalize_code(typed) == normal


# --- accounts, settings and reading rights ------------------------------------------------------------------------


def test_accounts_settings_and_readable_townships(url, session):
    from argon2 import PasswordHasher

    from data_layer import access, app_settings, auth
    from data_layer.models import Account

    accounts = rows(url, "SELECT * FROM account ORDER BY id")
    real_admin = any(a["role"] == "admin" and not a["is_demo"] and a["active"] for a in accounts)
    assert auth.has_real_admin(url) is real_admin is False  # the demo's administrator is a demo account
    for a in accounts:
        actor = auth.actor_of(session.get(Account, a["id"]))
        assert (actor.username, actor.name, actor.role, actor.township_id) == (
            a["username"],
            a["display_name"],
            a["role"],
            a["township_id"],
        )
        assert actor.areas == tuple(x for x in a["areas"].split(",") if x)
    hashed = auth.hash_password("correct-horse")
    assert hashed != "correct-horse" and PasswordHasher().verify(hashed, "correct-horse")
    assert auth.hash_password("correct-horse") != hashed  # salted

    stored = {s["key"]: s["value"] for s in rows(url, "SELECT key, value FROM appsetting")}
    assert app_settings.all_settings(url) == app_settings.DEFAULTS | stored

    towns = [t["id"] for t in rows(url, "SELECT id FROM township ORDER BY sort_order, id")]
    assert list(access.readable_townships(url, access.Access("全县"))["township_id"]) == towns
    assert list(access.readable_townships(url, access.Access("鲁村镇", township_id=towns[3]))["township_id"]) == [
        towns[3]
    ]


# --- what the levy's writers refuse: deletes that would orphan records, a payment beyond what is owed ------------


def test_assessment_and_review_guards(url, session):
    from data_layer.models import AnnualReview, LevyAssessment

    payments = defaultdict(list)
    for p in rows(url, "SELECT assessment_id, amount_fen FROM levypayment WHERE deleted_at IS NULL"):
        payments[p["assessment_id"]].append(p["amount_fen"])
    assessments = rows(url, "SELECT id, review_id FROM levyassessment WHERE deleted_at IS NULL ORDER BY id")
    for a in assessments[:60]:
        row = session.get(LevyAssessment, a["id"])
        assert levy_collection.assessment_guard(session, row, deleted=False) == {}
        found = levy_collection.assessment_guard(session, row, deleted=True)
        paid = payments[a["id"]]
        assert bool(found) is bool(paid)
        if paid:
            assert found["assessment_id"].startswith(f"这份核定已有 {len(paid)} 笔缴款（合计 {text.yuan(sum(paid))}）")
    assert any(payments[a["id"]] for a in assessments[:60]) and not all(payments[a["id"]] for a in assessments[:60])

    assessed = {a["review_id"]: a["id"] for a in assessments if a["review_id"] is not None}
    reviews = [r["id"] for r in rows(url, "SELECT id FROM annualreview WHERE year = 2023 ORDER BY id LIMIT 80")]
    for r in reviews:
        found = levy_reviews.review_guard(session, session.get(AnnualReview, r), deleted=True)
        assert found == (
            {"review_id": f"这份年审已据以核定残保金（核定 #{assessed[r]}），不能删除；请先删除那份核定"}
            if r in assessed
            else {}
        )
    assert any(r in assessed for r in reviews) and not all(r in assessed for r in reviews)


def test_validate_payment(url, session):
    from data_layer.domain.errors import Checks
    from data_layer.models import LevyPayment

    paid = defaultdict(int)
    for p in rows(url, "SELECT assessment_id, amount_fen FROM levypayment WHERE deleted_at IS NULL"):
        paid[p["assessment_id"]] += p["amount_fen"]
    a = next(
        a
        for a in rows(url, "SELECT * FROM levyassessment WHERE deleted_at IS NULL ORDER BY id")
        if 0 < paid[a["id"]] < a["amount_fen"]
    )
    owed, day = a["amount_fen"] - paid[a["id"]], date.fromisoformat(a["assessed_on"])
    today = date(2026, 11, 28)

    def refused(amount, current=None, assessment_id=a["id"], paid_on=day):
        checks = Checks()
        values = {"assessment_id": assessment_id, "paid_on": paid_on, "amount_fen": amount}
        stored = levy_collection.validate_payment(session, checks, values, today=today, current=current)
        assert not stored or stored["amount_fen"] == amount
        return set(checks.errors)

    assert refused(owed) == set()  # exactly what is still owed
    assert refused(owed + 1) == {"amount_fen"}
    assert refused(1, paid_on=day - timedelta(days=1)) == {"paid_on"}
    assert refused(1, assessment_id=10**9) == {"assessment_id"}
    one = rows(
        url, "SELECT id, amount_fen FROM levypayment WHERE assessment_id = ? AND deleted_at IS NULL", (a["id"],)
    )[0]
    current = session.get(LevyPayment, one["id"])
    assert refused(owed + one["amount_fen"], current=current) == set()  # a correction does not count its own amount
    assert refused(owed + one["amount_fen"] + 1, current=current) == {"amount_fen"}


# --- the township a record may name, the account that writes, a refusal of the store itself ----------------------


def test_check_township(url, session):
    from data_layer.domain.errors import Checks
    from data_layer.models import Township

    towns = rows(url, "SELECT id, county_id, name FROM township ORDER BY id")
    county, town = towns[0]["county_id"], towns[0]["id"]

    def refused(township_id, county_id=county, current=None):
        checks = Checks()
        usable = _core.check_township(session, checks, township_id, county_id, current)
        assert bool(usable) is (not checks.errors)
        return checks.errors.get("township_id")

    assert refused(None) is None  # 县本级
    assert refused(town) is None
    assert refused(10**6) == "乡镇不存在，请从列表中选择"
    assert refused(str(town)) == "乡镇不存在，请从列表中选择"  # an id, not its text
    assert refused(town, county_id=10**6) == "该乡镇不属于所选县区"
    session.get(Township, town).active = False  # deactivated, in this session only
    assert refused(town) == f"{towns[0]['name']}已停用，不能录入新记录"
    assert refused(town, current=type("Row", (), {"township_id": town})()) is None  # a record already there keeps it
    session.rollback()


def test_still_allowed(url, session):
    from data_layer import auth
    from data_layer.domain.errors import ValidationFailed
    from data_layer.models import Account

    account = session.get(Account, rows(url, "SELECT id FROM account WHERE role = 'staff'")[0]["id"])
    actor = auth.actor_of(account)
    _core.still_allowed(session, actor)  # as signed in
    _core.still_allowed(session, None)
    for change, message in (({"active": False}, "已停用"), ({"role": "leader"}, "角色或所属乡镇已变")):
        for k, v in change.items():
            setattr(account, k, v)
        with pytest.raises(ValidationFailed, match=message):
            _core.still_allowed(session, actor)
        session.rollback()
        account = session.get(Account, actor.account_id)


def test_integrity_failed_names_the_field(url, session):
    from sqlalchemy import insert
    from sqlalchemy.exc import IntegrityError

    from data_layer.infra.store_errors import integrity_failed
    from data_layer.models import Employer

    taken = rows(url, "SELECT * FROM employer ORDER BY id LIMIT 1")[0]
    values = {k: v for k, v in taken.items() if k not in ("id", "created_at", "updated_at")}
    values["registered_on"] = date.fromisoformat(values["registered_on"])
    values["is_demo"], values["above_designated_size"] = bool(values["is_demo"]), bool(values["above_designated_size"])
    with pytest.raises(IntegrityError) as refused:
        session.execute(insert(Employer).values(**values))  # the same credit code again
    session.rollback()
    assert integrity_failed(refused.value).errors == {
        "credit_code": "已有统一社会信用代码相同的记录，不能重复保存（可能别人刚刚保存了同一条）"
    }
    with pytest.raises(IntegrityError) as refused:
        session.execute(insert(Employer).values(**(values | {"credit_code": "X" * 18, "name": None})))
    session.rollback()
    assert integrity_failed(refused.value).errors == {"name": "请填写名称"}


def test_roster_guard_and_one_review_per_employer_year(url, session):
    from data_layer.domain.errors import Checks
    from data_layer.models import AnnualReview, RosterPerson

    statuses = {r["id"]: r["status"] for r in rows(url, "SELECT id, status FROM annualreview")}
    lines = rows(url, "SELECT id, review_id FROM rosterperson WHERE deleted_at IS NULL ORDER BY id")
    for p in lines[:40]:
        found = levy_reviews.roster_guard(session, session.get(RosterPerson, p["id"]), deleted=True)
        approved = statuses[p["review_id"]] == "approved"
        assert found == ({"person_id": "年审已审核通过，名册不能再改"} if approved else {})
    assert any(statuses[p["review_id"]] == "approved" for p in lines[:40])

    reviewed = {(r["employer_id"], r["year"]) for r in rows(url, "SELECT employer_id, year FROM annualreview")}
    employer = rows(url, "SELECT id FROM employer ORDER BY id LIMIT 1")[0]["id"]
    for year in (2022, 2023, 2030):
        checks = Checks()
        stored = {"employer_id": employer, "year": year}
        levy.one_per_employer_year(session, checks, AnnualReview, stored, "年审", f"这家单位 {year} 年已有年审")
        assert checks.errors == ({"employer_id": f"这家单位 {year} 年已有年审"} if (employer, year) in reviewed else {})
    checks = Checks()
    levy.one_per_employer_year(session, checks, AnnualReview, {"employer_id": 10**9, "year": 2023}, "年审", "")
    assert checks.errors == {"employer_id": "请选择用人单位"}


def test_validate_assessment_keeps_its_inputs(url, session):
    from data_layer.domain.errors import Checks
    from data_layer.models import LevyAssessment

    paid = defaultdict(int)
    for p in rows(url, "SELECT assessment_id, amount_fen FROM levypayment WHERE deleted_at IS NULL"):
        paid[p["assessment_id"]] += p["amount_fen"]
    a = next(a for a in rows(url, "SELECT * FROM levyassessment ORDER BY id") if paid[a["id"]])
    current = session.get(LevyAssessment, a["id"])
    inputs = {name: getattr(current, name) for name in levy_collection.INPUTS}
    dates = {"assessed_on": current.assessed_on, "due_on": current.due_on}

    def refused(**changes):
        checks = Checks()
        values = inputs | dates | {"amount_fen": current.amount_fen} | changes
        levy_collection.validate_assessment(session, checks, values, today=date(2026, 11, 28), current=current)
        return set(checks.errors)

    assert refused() == set()
    assert refused(amount_fen=paid[a["id"]]) == set()  # down to what is paid
    assert refused(amount_fen=paid[a["id"]] - 1) == {"amount_fen"}  # never below it
    assert refused(staff=(inputs["staff"] or 0) + 1) == {"staff"}  # what it was computed from stays
    assert refused(year=inputs["year"] + 1) == {"year"}
    assert refused(due_on=current.assessed_on) == set()
    new = inputs | dates | {"amount_fen": 100}  # a second assessment of the same employer and year
    checks = Checks()
    levy_collection.validate_assessment(session, checks, new, today=date(2026, 11, 28))
    assert checks.errors == {"employer_id": f"这家单位 {inputs['year']} 年已核定"}


def test_validate_review(url, session):
    from data_layer.domain.errors import Checks
    from data_layer.models import AnnualReview

    today = date(2026, 11, 28)
    reviewed = {r["employer_id"] for r in rows(url, "SELECT employer_id FROM annualreview WHERE year = 2022")}
    employers_ = [e["id"] for e in rows(url, "SELECT id FROM employer ORDER BY id")]
    fresh, taken = next(e for e in employers_ if e not in reviewed), next(e for e in employers_ if e in reviewed)

    def notice(employer_id, notified_on=date(2022, 6, 1)):
        checks = Checks()
        values = {"employer_id": employer_id, "year": 2022, "notified_on": notified_on}
        stored = levy_reviews.validate_review(session, checks, values, today=today)
        return stored, checks.errors

    stored, found = notice(fresh)
    assert found == {} and (stored["status"], stored["resubmissions"], stored["employer_id"]) == ("notified", 0, fresh)
    assert notice(taken)[1] == {"employer_id": "这家单位 2022 年已有年审"}
    assert set(notice(fresh, date(2026, 11, 29))[1]) == {"notified_on"}

    notified = rows(url, "SELECT id FROM annualreview WHERE status = 'notified' ORDER BY id")[0]["id"]
    current = session.get(AnnualReview, notified)
    checks = Checks()
    values = {"status": "notified", "notified_on": current.notified_on, "staff": 10}
    stored = levy_reviews.validate_review(session, checks, values, today=today, current=current)
    assert checks.errors == {"staff": "年审尚未申报，请先办理“申报”"}  # figures only once declared
    assert (stored["employer_id"], stored["year"]) == (current.employer_id, current.year)  # kept from the review
