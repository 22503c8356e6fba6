"""The levy entry pages' reads (data_layer/queries/levy_records.py), the levy's rule contexts
(data_layer/queries/levy_context.py) and the levy's data-quality checks (data_layer/checks/levy.py), each against
a hand computation over the rows a plain SELECT returns.

One copy of the county demo per engine serves the whole module: it is written once, before any test reads it —
a few bad rows around the services (a repeated inspection and payment, one person on two rosters, a corrected
assessment, an approved review whose roster went to the 回收站, records in the 回收站) and one review taken
through its whole workflow — and then only read."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from sqlmodel import Session

from data_layer.checks import levy as levy_checks
from data_layer.domain.scope import FilterSpec, make_scope
from data_layer.infra.db import get_engine
from data_layer.queries import levy_context, levy_plan, levy_records
from data_layer.services import levy_reviews
from tests.conftest import ENGINES, person, rows
from tests.shared_stores import shared_store

TODAY = date(2026, 11, 28)
ADMIN = person("王管理")
COPY = {
    "inspection": "employer_id, campaign_id, inspected_on, mode, finding, is_demo, result, inspectors, follow_up_due, "
    "closed_on, created_by, warning_note, deleted_at",
    "levypayment": "assessment_id, paid_on, amount_fen, is_demo, created_by, warning_note, deleted_at",
    "rosterperson": "review_id, name, id_number, cert_number, category, grade, contract_ok, insurance_ok, months, "
    "is_demo, created_by, created_at, warning_note, deleted_at, listed_on",
}


def execute(url: str, *statements: tuple[str, tuple]) -> None:
    """Writes around the services, by the plain driver."""
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            for sql, params in statements:
                conn.execute(sql, params)
        return
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        for sql, params in statements:
            conn.execute(sql.replace("?", "%s"), params)


def first(url: str, sql: str, params: tuple = ()) -> int:
    return rows(url, sql, params)[0]["id"]


def copy_row(table: str, row_id: int, changes: str = "") -> tuple[str, tuple]:
    """INSERT a copy of a row (a new id), with ``changes`` (``"amount_fen + 1 AS amount_fen"`` style) replacing
    the columns they name."""
    columns = COPY[table].split(", ")
    replaced = {c.split(" AS ")[1].strip(): c for c in changes.split(";") if c}
    chosen = ", ".join(replaced.get(c, c) for c in columns)
    return f"INSERT INTO {table} ({COPY[table]}) SELECT {chosen} FROM {table} WHERE id = ?", (row_id,)


def bad_rows(url: str) -> None:
    insp = [r["id"] for r in rows(url, "SELECT id FROM inspection ORDER BY id LIMIT 2")]
    pay = [r["id"] for r in rows(url, "SELECT id FROM levypayment ORDER BY id LIMIT 2")]
    two = rows(
        url,
        "SELECT r.id, r.employer_id FROM annualreview r WHERE r.year = 2023 AND r.status = 'approved' "
        "AND EXISTS (SELECT 1 FROM rosterperson p WHERE p.review_id = r.id) ORDER BY r.id LIMIT 3",
    )
    line = first(url, "SELECT id FROM rosterperson WHERE review_id = ? ORDER BY id", (two[0]["id"],))
    emptied = two[2]["id"]
    gone_review = first(url, "SELECT id FROM annualreview WHERE year = 2022 ORDER BY id DESC")
    gone_assessment = first(url, "SELECT id FROM levyassessment ORDER BY id DESC")
    unapproved = first(  # assessed again once the deadline has passed, as not approved in time
        url,
        "SELECT a.id FROM levyassessment a JOIN annualreview r ON r.employer_id = a.employer_id AND r.year = a.year "
        "WHERE a.year = 2023 AND r.status <> 'approved' AND a.amount_fen > 0 ORDER BY a.id",
    )
    execute(
        url,
        ("DELETE FROM levypayment WHERE assessment_id = ?", (unapproved,)),
        ("DELETE FROM levyassessment WHERE id = ?", (unapproved,)),
        copy_row("inspection", insp[0]),  # the same employer, day and campaign: a repeat
        copy_row("inspection", insp[1]),
        ("UPDATE inspection SET deleted_at = CURRENT_TIMESTAMP WHERE id = ?", (insp[1],)),  # its original deleted
        copy_row("levypayment", pay[0]),  # a repeat
        copy_row("levypayment", pay[1], "amount_fen + 1 AS amount_fen"),  # another amount: no repeat
        copy_row("rosterperson", line, f"{two[1]['id']} AS review_id"),  # one person at two employers
        ("UPDATE levyassessment SET amount_fen = amount_fen + 100 WHERE id = (SELECT MIN(id) FROM levyassessment)", ()),
        ("UPDATE annualreview SET disabled_staff = 2 WHERE id = ?", (emptied,)),
        ("UPDATE rosterperson SET deleted_at = CURRENT_TIMESTAMP WHERE review_id = ?", (emptied,)),
        ("UPDATE annualreview SET deleted_at = CURRENT_TIMESTAMP WHERE id = ?", (gone_review,)),
        ("UPDATE levyassessment SET deleted_at = CURRENT_TIMESTAMP WHERE id = ?", (gone_assessment,)),
    )
    # one review through its whole workflow, for its history
    employer_id = first(
        url,
        "SELECT id FROM employer e WHERE NOT EXISTS "
        "(SELECT 1 FROM annualreview r WHERE r.employer_id = e.id AND r.year = 2022) ORDER BY id",
    )
    levy_reviews.notify_reviews(
        db_url=url, actor=ADMIN, year=2022, notified_on=date(2022, 6, 1), employer_ids=[employer_id], today=TODAY
    )
    review_id = first(url, "SELECT id FROM annualreview WHERE employer_id = ? AND year = 2022", (employer_id,))
    figures = dict(staff=100, avg_wage_fen=10_000_000, disabled_staff=0, today=TODAY)
    levy_reviews.declare_review(db_url=url, actor=ADMIN, review_id=review_id, declared_on=date(2022, 6, 10), **figures)
    levy_reviews.return_review(
        db_url=url, actor=ADMIN, review_id=review_id, reviewed_on=date(2022, 6, 15), reason="缺少社保证明", today=TODAY
    )
    levy_reviews.declare_review(db_url=url, actor=ADMIN, review_id=review_id, declared_on=date(2022, 6, 20), **figures)
    levy_reviews.approve_review(
        db_url=url, actor=ADMIN, review_id=review_id, reviewed_on=date(2022, 7, 1), confirm=True, today=TODAY
    )


@pytest.fixture(scope="module", params=ENGINES)
def url(request, tmp_path_factory):
    yield from shared_store(request, tmp_path_factory, "demo", bad_rows)


def township_of_most_employers(url: str) -> int:
    return rows(
        url,
        "SELECT township_id AS id, COUNT(*) AS n FROM employer WHERE township_id IS NOT NULL "
        "GROUP BY township_id ORDER BY n DESC, township_id LIMIT 1",
    )[0]["id"]


def scopes(url: str, year: int):
    return [make_scope(FilterSpec(year)), make_scope(FilterSpec(year), [township_of_most_employers(url)])]


def in_scope(township_id, scope) -> bool:
    return not scope.township_ids or township_id in scope.township_ids


# --- levy_records --------------------------------------------------------------------------------------------


def test_review_of_and_assessment_of(url):
    reviews = rows(url, "SELECT id, employer_id, year, deleted_at FROM annualreview ORDER BY id")
    deleted_review = next(r for r in reviews if r["deleted_at"] is not None)
    for r in [reviews[0], reviews[-1], deleted_review]:  # one in the 回收站 is still the employer's review
        assert levy_records.review_of(url, r["employer_id"], r["year"]) == r["id"]
    assert levy_records.review_of(url, reviews[0]["employer_id"], 1999) is None

    assessments = rows(url, "SELECT id, employer_id, year, deleted_at FROM levyassessment ORDER BY id")
    live = [a for a in assessments if a["deleted_at"] is None]
    deleted = next(a for a in assessments if a["deleted_at"] is not None)
    for a in [live[0], live[-1]]:
        assert levy_records.assessment_of(url, a["employer_id"], a["year"]) == a["id"]
    assert levy_records.assessment_of(url, deleted["employer_id"], deleted["year"]) is None  # the 回收站's: none
    assert levy_records.assessment_of(url, live[0]["employer_id"], 1999) is None


def test_years_policies_and_levy_years(url):
    years = set()
    for table in ("annualreview", "levyyear", "levypolicy"):
        years |= {r["year"] for r in rows(url, f"SELECT year FROM {table}")}
    assert levy_records.review_years(url) == sorted(years, reverse=True)
    assert levy_records.policy_years(url) == sorted(
        (r["year"] for r in rows(url, "SELECT year FROM levypolicy")), reverse=True
    )
    for y in rows(url, "SELECT * FROM levyyear"):
        got = levy_records.levy_year(url, y["county_id"], y["year"])
        assert got["task_fen"] == y["task_fen"] and str(got["review_deadline"]) == y["review_deadline"]
    assert levy_records.levy_year(url, 1, 1999) is None


@pytest.mark.parametrize("year", [2022, 2023])
def test_employers_without_review(url, year):
    employers = rows(url, "SELECT id, name, township_id FROM employer ORDER BY id")
    reviewed = {r["employer_id"] for r in rows(url, "SELECT employer_id FROM annualreview WHERE year = ?", (year,))}
    for scope in scopes(url, year):
        expected = [
            (e["id"], e["name"]) for e in employers if e["id"] not in reviewed and in_scope(e["township_id"], scope)
        ]
        got = levy_records.employers_without_review(url, scope, year)
        assert list(zip(got["employer_id"], got["employer"], strict=True)) == expected
    if year == 2022:
        assert expected  # the demo leaves some unnotified


def test_review_history_names_each_step(url):
    review_id = rows(
        url, "SELECT r.id FROM annualreview r WHERE r.year = 2022 AND r.resubmissions = 1 ORDER BY r.id DESC"
    )[0]["id"]
    logged = rows(
        url,
        "SELECT actor FROM auditlog WHERE table_name = 'annualreview' AND row_id = ? ORDER BY id",
        (str(review_id),),
    )
    history = levy_records.review_history(url, review_id)
    assert len(history) == len(logged) == 5
    assert list(history["step"]) == ["发出年审通知", "申报", "退回", "重新申报", "审核通过"]
    assert list(history["day"]) == [
        date(2022, 6, 1),
        date(2022, 6, 10),
        date(2022, 6, 15),
        date(2022, 6, 20),
        date(2022, 7, 1),
    ]
    assert list(history["reason"]) == ["", "", "缺少社保证明", "", ""]
    assert all("王管理" in w for w in history["who"])
    assert levy_records.review_history(url, 10**9).empty


def test_inspection_counts(url):
    found = rows(url, "SELECT i.*, e.township_id FROM inspection i JOIN employer e ON e.id = i.employer_id")
    campaigns = [c["id"] for c in rows(url, "SELECT id FROM campaign")]
    seen = 0
    for year in (2022, 2023):
        for scope in scopes(url, year):
            for campaign_id in [*campaigns, None]:
                mine = [
                    i
                    for i in found
                    if i["deleted_at"] is None
                    and in_scope(i["township_id"], scope)
                    and (
                        i["campaign_id"] == campaign_id
                        if campaign_id is not None
                        else i["campaign_id"] is None and i["inspected_on"][:4] == str(year)
                    )
                ]
                expected = {
                    "inspections": len(mine),
                    "onsite": sum(i["mode"] == "onsite" for i in mine),
                    "documentary": sum(i["mode"] == "documentary" for i in mine),
                    "employers": len({i["employer_id"] for i in mine}),
                }
                assert levy_records.inspection_counts(url, scope, campaign_id, year) == expected
                seen += expected["inspections"]
    assert seen > 0


def test_open_follow_ups(url):
    found = rows(url, "SELECT i.*, e.township_id FROM inspection i JOIN employer e ON e.id = i.employer_id")
    open_ = [i for i in found if i["follow_up_due"] and i["closed_on"] is None and i["deleted_at"] is None]
    dues = sorted({i["follow_up_due"] for i in open_})
    today = date.fromisoformat(dues[len(dues) // 2])  # some overdue, some due today (not overdue), some later
    for scope in scopes(url, 2023):
        expected = sorted(
            ((i["follow_up_due"], i["id"]), i["follow_up_due"] < today.isoformat())
            for i in open_
            if in_scope(i["township_id"], scope)
        )
        got = levy_records.open_follow_ups(url, scope, today)
        assert [x[0][1] for x in expected] == list(got["inspection_id"])
        assert [x[1] for x in expected] == list(got["overdue"])
    assert any(o for _, o in expected) and not all(o for _, o in expected)


def plan_by_hand(url: str, county_id: int, year: int, today: date) -> list[tuple]:
    p = rows(url, "SELECT * FROM levypolicy WHERE year = ?", (year,))[0]
    dec = lambda v: Decimal(str(v))  # noqa: E731
    deadline = rows(url, "SELECT review_deadline FROM levyyear WHERE county_id = ? AND year = ?", (county_id, year))
    deadline = deadline[0]["review_deadline"] if deadline else None
    assessed = {a["employer_id"] for a in rows(url, "SELECT employer_id FROM levyassessment WHERE year = ?", (year,))}
    lines = defaultdict(list)
    for line in rows(url, "SELECT * FROM rosterperson WHERE deleted_at IS NULL"):
        lines[line["review_id"]].append(line)
    out = []
    reviews = rows(
        url,
        "SELECT r.*, e.id AS eid, e.staff AS e_staff, e.avg_wage_fen AS e_wage FROM annualreview r "
        "JOIN employer e ON e.id = r.employer_id WHERE r.year = ? AND r.deleted_at IS NULL AND e.county_id = ? "
        "ORDER BY e.id",
        (year, county_id),
    )
    for r in reviews:
        if r["eid"] in assessed or (r["status"] != "approved" and not (deadline and today.isoformat() > deadline)):
            continue
        in_time = r["status"] == "approved" and r["reviewed_on"] and (deadline is None or r["reviewed_on"] <= deadline)
        staff = r["staff"] if r["staff"] is not None else r["e_staff"]
        wage = r["avg_wage_fen"] if r["avg_wage_fen"] is not None else r["e_wage"]
        disabled = Decimal(0)
        if in_time:
            for x in lines[r["id"]]:
                if x["contract_ok"] and x["insurance_ok"]:
                    disabled += Decimal(2 if x["grade"] in (1, 2) else 1) * x["months"] / Decimal(12)
            disabled = disabled.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
        shortfall = max(staff * dec(p["quota_ratio"]) - disabled, Decimal(0))
        wage_used = min(wage, int(dec(p["wage_cap_multiple"]) * p["local_avg_wage_fen"]))
        if staff <= p["exempt_max_staff"] or shortfall == 0:
            share = Decimal(0)
        elif disabled / staff >= dec(p["tier_ratio"]):
            share = dec(p["tier_high_share"])
        else:
            share = dec(p["tier_low_share"])
        amount = int((shortfall * wage_used * share).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        if amount > 0:
            basis = levy_plan.BASIS_APPROVED if in_time else levy_plan.BASIS_NOT_APPROVED
            out.append((r["eid"], r["id"], r["status"], basis, staff, amount))
    return out


@pytest.mark.parametrize("today", [date(2023, 9, 30), date(2023, 10, 1)], ids=["on the deadline", "after it"])
def test_assessment_plan(url, today):
    expected = plan_by_hand(url, 1, 2023, today)
    got = levy_records.assessment_plan(url, 1, 2023, today)
    assert (
        list(
            zip(
                got["employer_id"],
                got["review_id"],
                got["status"],
                got["basis"],
                got["staff"],
                got["amount_fen"],
                strict=True,
            )
        )
        == expected
    )
    statuses = {e[2] for e in expected}
    assert statuses == ({"approved"} if today == date(2023, 9, 30) else statuses) and expected
    if today > date(2023, 9, 30):
        assert statuses - {"approved"}  # after the deadline the reviews never approved are assessed too


def test_assessment_plan_needs_a_policy(url):
    from data_layer.domain.errors import ValidationFailed

    with pytest.raises(ValidationFailed, match="尚未设置 1999 年的残保金政策参数"):
        levy_records.assessment_plan(url, 1, 1999, TODAY)


# --- levy_plan (the reads the batch shares) ------------------------------------------------------------------


def test_levy_plan_reads(url):
    with Session(get_engine(url)) as session:
        for p in rows(url, "SELECT * FROM levypolicy"):
            got = levy_plan.policy_for(session, p["year"])
            assert (got.exempt_max_staff, got.local_avg_wage_fen) == (p["exempt_max_staff"], p["local_avg_wage_fen"])
            assert got.quota_ratio == Decimal(str(p["quota_ratio"]))
        assert levy_plan.policy_for(session, 1999) is None
        for y in rows(url, "SELECT * FROM levyyear"):
            assert str(levy_plan.deadline_of(session, y["county_id"], y["year"])) == y["review_deadline"]
        assert levy_plan.deadline_of(session, 1, 1999) is None
        review_ids = [r["id"] for r in rows(url, "SELECT id FROM annualreview WHERE year = 2023 ORDER BY id LIMIT 200")]
        live = defaultdict(list)
        for line in rows(url, "SELECT * FROM rosterperson WHERE deleted_at IS NULL ORDER BY id"):
            live[line["review_id"]].append(
                (line["grade"], line["months"], bool(line["contract_ok"]), bool(line["insurance_ok"]))
            )
        got = levy_plan.rosters_of(session, review_ids)
        assert {k: sorted(tuple(x.__dict__.values()) for x in v) for k, v in got.items()} == {
            k: sorted(live[k]) for k in review_ids if live[k]
        }
        some = next(k for k in review_ids if live[k])
        assert sorted(tuple(x.__dict__.values()) for x in levy_plan.roster_lines(session, some)) == sorted(live[some])
        assert levy_plan.roster_lines(session, 10**9) == []


class R:  # a review as the batch reads it
    def __init__(self, status, reviewed_on, staff=None, avg_wage_fen=None, id=0):
        self.status, self.reviewed_on, self.staff, self.avg_wage_fen, self.id = (
            status,
            reviewed_on,
            staff,
            avg_wage_fen,
            id,
        )
        self.employer_staff, self.employer_wage = 50, 7_000_000


@pytest.mark.parametrize(
    ("status", "reviewed_on", "deadline", "counts"),
    [
        ("approved", date(2023, 9, 30), date(2023, 9, 30), True),  # on the deadline
        ("approved", date(2023, 10, 1), date(2023, 9, 30), False),  # a day late
        ("approved", date(2030, 1, 1), None, True),  # no deadline set
        ("approved", None, date(2023, 9, 30), False),
        ("declared", date(2023, 6, 1), date(2023, 9, 30), False),
        ("returned", date(2023, 6, 1), date(2023, 9, 30), False),
        ("notified", None, None, False),
    ],
)
def test_counts_roster_and_basis_of(status, reviewed_on, deadline, counts):
    review = R(status, reviewed_on)
    assert levy_plan.counts_roster(review, deadline) is counts
    lines = [levy_plan.RosterLine(1, 12, True, True)]
    basis = levy_plan.basis_of(None, review, deadline, lines)  # the lines given: no session needed
    if counts:
        assert basis == (levy_plan.BASIS_APPROVED, 50, Decimal("2.0000"), 7_000_000)
    else:
        assert basis == (levy_plan.BASIS_NOT_APPROVED, 50, Decimal(0), 7_000_000)
    declared = R(status, reviewed_on, staff=80, avg_wage_fen=9_000_000)  # the declared figures win
    assert levy_plan.basis_of(None, declared, deadline, lines)[1::2] == (80, 9_000_000)


# --- levy_context and checks/levy -----------------------------------------------------------------------------


def inspection_repeats_by_hand(url: str) -> dict[int, int]:
    live = rows(url, "SELECT * FROM inspection WHERE deleted_at IS NULL ORDER BY id")
    out, seen = {}, {}
    for i in live:
        key = (i["employer_id"], i["inspected_on"], i["campaign_id"])
        if key in seen:
            out[i["id"]] = seen[key]
        else:
            seen[key] = i["id"]
    return out


def payment_repeats_by_hand(url: str) -> dict[int, int]:
    live = rows(url, "SELECT * FROM levypayment WHERE deleted_at IS NULL ORDER BY id")
    out, seen = {}, {}
    for p in live:
        key = (p["assessment_id"], p["paid_on"], p["amount_fen"])
        if key in seen:
            out[p["id"]] = seen[key]
        else:
            seen[key] = p["id"]
    return out


def test_inspection_and_payment_contexts(url):
    inspections = inspection_repeats_by_hand(url)
    assert inspections  # the copy written above
    assert {c.id: c.repeat_of for c in levy_context.inspection_contexts(url)} == inspections
    everyone = levy_context.inspection_contexts(url, "all")
    assert len(everyone) == rows(url, "SELECT COUNT(*) AS n FROM inspection WHERE deleted_at IS NULL")[0]["n"]
    assert {c.id: c.repeat_of for c in everyone if c.repeat_of} == inspections
    assert [(c.inspected_on, c.id) for c in everyone] == sorted((c.inspected_on, c.id) for c in everyone)
    payments = payment_repeats_by_hand(url)
    assert payments
    assert {c.id: c.repeat_of for c in levy_context.payment_contexts(url)} == payments
    assert (
        len(levy_context.payment_contexts(url, "all"))
        == rows(url, "SELECT COUNT(*) AS n FROM levypayment WHERE deleted_at IS NULL")[0]["n"]
    )
    with Session(get_engine(url)) as session:
        some = [*inspections, min(r["id"] for r in rows(url, "SELECT id FROM inspection WHERE deleted_at IS NULL"))]
        got = levy_context.inspection_context(session, some)
        assert {k: c.repeat_of for k, c in got.items()} == {k: inspections.get(k) for k in some}
        got = levy_context.payment_context(session, list(payments))
        assert {k: c.repeat_of for k, c in got.items()} == payments
    assert set(f.record.split("：")[0] for f in levy_checks.inspection_repeats(url)) == {
        f"检查记录 #{i}" for i in inspections
    }
    assert set(f.link for f in levy_checks.payment_repeats(url)) == {
        f"levy_collection?record={r['assessment_id']}"
        for r in rows(url, "SELECT id, assessment_id FROM levypayment")
        if r["id"] in payments
    } or all("levy_collection" in f.link for f in levy_checks.payment_repeats(url))
    assert len(levy_checks.payment_repeats(url)) == len(payments)


def test_review_and_roster_contexts(url):
    people = defaultdict(int)
    for p in rows(url, "SELECT review_id FROM rosterperson WHERE deleted_at IS NULL"):
        people[p["review_id"]] += 1
    live = rows(url, "SELECT * FROM annualreview WHERE deleted_at IS NULL ORDER BY year, id")
    bare = [
        r["id"] for r in live if r["status"] == "approved" and (r["disabled_staff"] or 0) > 0 and not people[r["id"]]
    ]
    assert bare
    assert [c.id for c in levy_context.review_contexts(url)] == bare
    everyone = levy_context.review_contexts(url, "all")
    assert [(c.id, c.roster_people) for c in everyone] == [(r["id"], people[r["id"]]) for r in live]
    assert [f.record.split("：")[0] for f in levy_checks.approved_no_roster(url)] == [f"年审 #{i}" for i in bare]

    lines = rows(
        url,
        "SELECT p.id, p.id_number, r.year, r.employer_id, e.name FROM rosterperson p "
        "JOIN annualreview r ON r.id = p.review_id JOIN employer e ON e.id = r.employer_id "
        "WHERE p.deleted_at IS NULL AND r.deleted_at IS NULL",
    )
    same_person = defaultdict(list)
    for o in lines:
        same_person[(o["id_number"], o["year"])].append(o)
    elsewhere = {}
    for p in lines:
        others = [o["name"] for o in same_person[(p["id_number"], p["year"])] if o["employer_id"] != p["employer_id"]]
        if others:
            elsewhere[p["id"]] = min(others)
    assert len(elsewhere) >= 2  # the person copied to a second employer, on both rosters
    assert {c.id: c.elsewhere for c in levy_context.roster_contexts(url)} == elsewhere
    assert len(levy_context.roster_contexts(url, "all")) == len(lines)
    assert len(levy_checks.shared_person(url)) == len(elsewhere)
    with Session(get_engine(url)) as session:
        assert {k: c.roster_people for k, c in levy_context.review_context(session, bare).items()} == {
            b: 0 for b in bare
        }
        got = levy_context.roster_context(session, list(elsewhere))
        assert {k: c.elsewhere for k, c in got.items()} == elsewhere


def test_assessment_contexts_and_check(url):
    corrected = rows(url, "SELECT MIN(id) AS id FROM levyassessment")[0]["id"]
    a = rows(url, "SELECT * FROM levyassessment WHERE id = ?", (corrected,))[0]
    warned = levy_context.assessment_contexts(url)
    # the demo's batch wrote what the rules give; the one corrected by 1 元 is the only one that differs
    assert [c.id for c in warned] == [corrected]
    assert warned[0].computed_fen == a["amount_fen"] - 100
    everyone = levy_context.assessment_contexts(url, "all")
    assert {c.id for c in everyone} == {
        r["id"] for r in rows(url, "SELECT id FROM levyassessment WHERE deleted_at IS NULL")
    }
    assert all(c.computed_fen == c.amount_fen for c in everyone if c.id != corrected)
    with Session(get_engine(url)) as session:
        assert levy_context.assessment_context(session, [corrected])[corrected].computed_fen == a["amount_fen"] - 100
    found = levy_checks.assessment_amounts(url)
    assert [f.record.split("：")[0] for f in found] == [f"残保金核定 #{corrected}"]
    assert found[0].link.startswith("levy_collection")
