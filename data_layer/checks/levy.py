"""Levy records the review workflow should have stopped, or that only show across employers: one person on two
rosters in a year, a certificate number that is not the ID number's, more disabled staff than staff, an approved
review claiming disabled staff with no roster. Rows written around the services (an old import, a SQL client)
show here. Personal data is shown masked, as on every board.
"""

from __future__ import annotations

from sqlalchemy import String, cast, or_, select

from data_layer.checks.base import Finding, check
from data_layer.domain import id_number, rules, text
from data_layer.domain.links import record_link
from data_layer.models import AnnualReview, Employer, RosterPerson
from data_layer.queries._sql import frame
from data_layer.queries.levy_context import (
    assessment_contexts,
    inspection_contexts,
    payment_contexts,
    review_contexts,
    roster_contexts,
)

AREA = "残保金"


def cert_mismatch_clause(cert, number, category, grade):
    """``id_number.cert_problem`` as a SQL condition (true where it finds a problem), so the check reads only the
    roster lines that break it: the certificate is the ID number, the category digit and the grade digit."""
    expected = number + cast(category, String) + cast(grade, String)
    return or_(
        cert.is_(None),
        cert != expected,
        category.not_in(list(id_number.CATEGORIES)),
        grade.not_in(list(id_number.GRADES)),
    )


def _review(review_id: int, year: int, employer: str) -> str:
    return f"年审 #{review_id}：{year}年 {employer}"


def _person(name: str, number: str) -> str:
    return f"{id_number.mask_name(name)}（身份证号 {id_number.mask(number)}）"


@check("levy.shared_person", "同一人同一年度在两家单位的名册上", AREA)
def shared_person(url: str) -> list[Finding]:
    """Each live roster line whose person is on another employer's roster the same year (the warning the roster
    form asked to confirm, word for word, with its note): one finding a line, so each employer's review can be
    opened and corrected."""
    return [
        Finding(
            "levy.shared_person",
            "同一人同一年度在两家单位的名册上",
            AREA,
            _review(c.review_id, c.year, c.employer),
            _person(c.name, c.id_number),
            rules.roster_warnings(c)["id_number"],
            record_link("levy_reviews", c.review_id),
            c.warning_note,
        )
        for c in roster_contexts(url)
    ]


@check("levy.cert_mismatch", "残疾人证号与身份证号不符", AREA)
def cert_mismatch(url: str) -> list[Finding]:
    rp, r, e = RosterPerson, AnnualReview, Employer
    stmt = (
        select(r.id, r.year, e.name, rp.name, rp.id_number, rp.cert_number, rp.category, rp.grade)
        .join(r, r.id == rp.review_id)
        .join(e, e.id == r.employer_id)
        .where(
            cert_mismatch_clause(rp.cert_number, rp.id_number, rp.category, rp.grade),
            rp.deleted_at.is_(None),
            r.deleted_at.is_(None),
        )
        .order_by(r.year, r.id, rp.id)
    )
    people = frame(url, stmt, ["review_id", "year", "employer", "name", "id_number", "cert", "category", "grade"])
    out = []
    for p in people.itertuples():
        problem = id_number.cert_problem(p.cert, p.id_number, int(p.category), int(p.grade))
        if problem:
            out.append(
                Finding(
                    "levy.cert_mismatch",
                    "残疾人证号与身份证号不符",
                    AREA,
                    _review(p.review_id, p.year, p.employer),
                    f"{_person(p.name, p.id_number)}，残疾人证号 {id_number.mask(p.cert)}",
                    problem,
                    record_link("levy_reviews", p.review_id),
                )
            )
    return out


@check("levy.disabled_over_staff", "残疾职工多于职工总数", AREA)
def disabled_over_staff(url: str) -> list[Finding]:
    e, r = Employer, AnnualReview
    registry = frame(
        url,
        select(e.id, e.name, e.staff, e.disabled_staff).where(e.disabled_staff > e.staff).order_by(e.id),
        ["id", "employer", "staff", "disabled"],
    )
    reviews = frame(
        url,
        select(r.id, r.year, e.name, r.staff, r.disabled_staff)
        .join(e, e.id == r.employer_id)
        .where(r.disabled_staff > r.staff, r.deleted_at.is_(None))
        .order_by(r.year, r.id),
        ["id", "year", "employer", "staff", "disabled"],
    )
    title = "残疾职工多于职工总数"
    return [
        Finding(
            "levy.disabled_over_staff",
            title,
            AREA,
            f"用人单位 #{x.id}：{x.employer}（名录）",
            f"职工 {text.count(x.staff, '人')}，残疾职工 {text.count(x.disabled, '人')}",
            "名录中的残疾职工人数不能多于职工人数",
            record_link("levy_registry", x.id),
        )
        for x in registry.itertuples()
    ] + [
        Finding(
            "levy.disabled_over_staff",
            title,
            AREA,
            _review(x.id, x.year, x.employer),
            f"申报职工 {text.count(x.staff, '人')}，申报残疾职工 {text.count(x.disabled, '人')}",
            "申报的残疾职工人数不能多于职工人数",
            record_link("levy_reviews", x.id),
        )
        for x in reviews.itertuples()
    ]


@check("levy.approved_no_roster", "审核通过但没有残疾职工名册", AREA)
def approved_no_roster(url: str) -> list[Finding]:
    """The review's soft rule (the approval asked to confirm it): declared disabled staff, an empty roster."""
    return [
        Finding(
            "levy.approved_no_roster",
            "审核通过但没有残疾职工名册",
            AREA,
            _review(c.id, c.year, c.employer),
            f"申报残疾职工 {text.count(c.disabled_staff, '人')}，名册 0 人",
            rules.review_warnings(c)["roster"],
            record_link("levy_reviews", c.id),
            c.warning_note,
        )
        for c in review_contexts(url)
    ]


# --- repeats the entry form asked about (the same rule and words, data_layer/domain/rules.py) -----------------


@check("levy.inspection_repeat", "同一单位同一天重复的检查记录", AREA)
def inspection_repeats(url: str) -> list[Finding]:
    return [
        Finding(
            "levy.inspection_repeat",
            "同一单位同一天重复的检查记录",
            AREA,
            f"检查记录 #{c.id}：{c.employer}，{text.iso_day(c.inspected_on)}，{c.campaign}",
            f"与检查记录 #{c.repeat_of} 同一单位、同一天、同一次检查",
            rules.inspection_warnings(c)["inspected_on"],
            record_link("levy_inspections", c.id),
            c.warning_note,
        )
        for c in inspection_contexts(url)
    ]


@check("levy.payment_repeat", "同一天同一金额重复的缴款", AREA)
def payment_repeats(url: str) -> list[Finding]:
    return [
        Finding(
            "levy.payment_repeat",
            "同一天同一金额重复的缴款",
            AREA,
            f"缴款 #{c.id}：{c.employer} {c.year} 年度，{text.iso_day(c.paid_on)}",
            f"{text.yuan(c.amount_fen)}，与缴款 #{c.repeat_of} 相同",
            rules.payment_warnings(c)["amount_fen"],
            record_link("levy_collection", c.assessment_id),
            c.warning_note,
        )
        for c in payment_contexts(url)
    ]


@check("levy.assessment_amount", "核定金额与核定依据不符", AREA)
def assessment_amounts(url: str) -> list[Finding]:
    """An assessment corrected to an amount its stored inputs do not give (confirmed with a note)."""
    return [
        Finding(
            "levy.assessment_amount",
            "核定金额与核定依据不符",
            AREA,
            f"残保金核定 #{c.id}：{c.employer} {c.year} 年度",
            f"核定 {text.yuan(c.amount_fen)}，按依据应为 {text.yuan(c.computed_fen)}",
            rules.assessment_warnings(c)["amount_fen"],
            record_link("levy_collection", c.id),
            c.warning_note,
        )
        for c in assessment_contexts(url)
    ]
