"""Who may write what, enforced by the services themselves: a table of role × service → allowed or
refused, where a refused write says why in Chinese and leaves every table of the store unchanged."""

from __future__ import annotations

from datetime import date

import pytest

from data_layer import auth
from data_layer.domain.errors import ValidationFailed
from data_layer.domain.roles import ROLES, Actor
from data_layer.services import (
    employers,
    indicators,
    levy,
    levy_collection,
    levy_reviews,
    org,
    projects,
    publicity,
    subsidies,
)
from data_layer.services.projects import PROGRESS
from data_layer.services.records import services_for
from tests.conftest import entering, person, rows
from tests.test_services import TODAY, employer_kwargs, ids

EVERY_TABLE = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    "postgresql": "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
}


def store_content(url: str) -> dict[str, list[dict]]:
    """Every row of every table: what a refused write must leave exactly as it was."""
    tables = [r["name"] for r in rows(url, EVERY_TABLE[url.split(":")[0].split("+")[0]])]
    return {t: rows(url, f'SELECT * FROM "{t}" ORDER BY 1') for t in tables}


def other_township(url: str, own: int) -> int:
    return rows(url, "SELECT id FROM township WHERE id <> ? ORDER BY id", (own,))[0]["id"]


def someone(role: str, i: dict, url: str, **over) -> Actor:
    township = {"township": i["township"], "other_township": other_township(url, i["township"])}.get(role)
    kind = "township" if township is not None else role
    return person(f"{kind}-用户", kind, township, over.get("areas"))


ACCOUNTS = {
    "领导": lambda i, url: someone("leader", i, url),
    "科室·仅重点工程": lambda i, url: someone("staff", i, url, areas=("projects",)),
    "科室·全部领域": lambda i, url: someone("staff", i, url),
    "本镇干事": lambda i, url: someone("township", i, url),
    "他镇干事": lambda i, url: someone("other_township", i, url),
    "管理员": lambda i, url: someone("admin", i, url),
}


def progress_on(i: dict, county_wide: bool = False) -> dict:
    item, township = (i["county_item"], None) if county_wide else (i["item"], i["township"])
    return dict(
        item_id=item, township_id=township, entry_date=date(2023, 5, 20), quantity=3, amount_fen=135_000, today=TODAY
    )


def a_progress_entry(url: str, i: dict) -> int:
    return entering(projects.PROGRESS)(db_url=url, actor=person("管理员"), **progress_on(i))


# service → a call with the acting account; each writes for 鲁村镇 unless it says otherwise
SERVICES = {
    "录入进度": lambda url, i, who: entering(projects.PROGRESS)(db_url=url, actor=who, **progress_on(i)),
    "录入县本级进度": lambda url, i, who: entering(projects.PROGRESS)(db_url=url, actor=who, **progress_on(i, True)),
    "修改进度": lambda url, i, who: services_for(PROGRESS).update(
        db_url=url, actor=who, record_id=a_progress_entry(url, i), values={"quantity": 4, "amount_fen": 180_000}
    ),
    "删除进度": lambda url, i, who: services_for(PROGRESS).delete(
        db_url=url, actor=who, record_id=a_progress_entry(url, i)
    ),
    "录入补贴发放": lambda url, i, who: services_for(subsidies.DISBURSEMENT).create(
        db_url=url,
        actor=who,
        today=TODAY,
        values=dict(
            type_id=i["type"],
            county_id=i["county"],
            township_id=i["township"],
            month_from=date(2023, 7, 1),
            month_to=date(2023, 7, 1),
            recipients=20,
            paid_date=date(2023, 7, 10),
        ),
    ),
    "录入用人单位": lambda url, i, who: employers.create_employer(db_url=url, actor=who, **employer_kwargs(i)),
    "录入本镇稿件": lambda url, i, who: services_for(publicity.ARTICLE).create(
        db_url=url,
        actor=who,
        today=TODAY,
        values=dict(
            county_id=i["county"],
            outlet_id=i["outlet"],
            title="鲁村镇助残日活动",
            published_on=date(2023, 5, 21),
            township_id=i["township"],
        ),
    ),
    "录入全县稿件": lambda url, i, who: services_for(publicity.ARTICLE).create(
        db_url=url,
        actor=who,
        today=TODAY,
        values=dict(
            county_id=i["county"], outlet_id=i["outlet"], title="全县助残日活动", published_on=date(2023, 5, 21)
        ),
    ),
    "录入其他指标": lambda url, i, who: services_for(indicators.INDICATOR_VALUE).create(
        db_url=url,
        actor=who,
        values=dict(
            indicator_id=i["indicator"],
            county_id=i["county"],
            township_id=i["township"],
            period_start=date(2023, 7, 1),
            period_end=date(2023, 7, 31),
            value=12,
        ),
    ),
    "改乡镇目标": lambda url, i, who: projects.set_township_target(
        db_url=url, actor=who, item_id=i["item"], township_id=i["township"], target=9
    ),
    "改补贴标准": lambda url, i, who: subsidies.add_standard(
        db_url=url, actor=who, type_id=i["type"], effective_from=date(2023, 8, 1), amount_fen=4000
    ),
    "新建乡镇": lambda url, i, who: org.create_township(
        db_url=url, actor=who, county_id=i["county"], name="新城街道", kind="街道"
    ),
}

ADMIN = Actor(username="admin", name="管理员", role="admin")


def a_review(url: str, i: dict) -> int:
    """An employer of 鲁村镇 notified for 2023 (made by an administrator before the call)."""
    employer = employers.create_employer(db_url=url, actor=ADMIN, **employer_kwargs(i))
    levy_reviews.notify_reviews(
        db_url=url, actor=ADMIN, year=2023, notified_on=date(2023, 6, 26), employer_ids=[employer]
    )
    return rows(url, "SELECT id FROM annualreview WHERE employer_id = ?", (employer,))[0]["id"]


def an_approved_review(url: str, i: dict) -> int:
    review = a_review(url, i)
    levy_reviews.declare_review(
        db_url=url,
        actor=ADMIN,
        review_id=review,
        declared_on=date(2023, 7, 1),
        staff=120,
        avg_wage_fen=6_000_000,
        disabled_staff=0,
    )
    levy_reviews.approve_review(db_url=url, actor=ADMIN, review_id=review, reviewed_on=date(2023, 7, 5))
    return review


def an_assessment(url: str, i: dict) -> int:
    an_approved_review(url, i)
    levy_collection.assess_year(
        db_url=url,
        actor=ADMIN,
        county_id=i["county"],
        year=2023,
        assessed_on=date(2023, 10, 10),
        due_on=date(2023, 11, 30),
        today=date(2023, 10, 10),
    )
    return rows(url, "SELECT id FROM levyassessment")[0]["id"]


# services whose record is made first (by an administrator), then handed to the call as ``made``
MADE_FIRST = {
    "年审申报": a_review,
    "名册录入": a_review,
    "批量核定": an_approved_review,
    "登记缴款": an_assessment,
    "录入执法检查": lambda url, i: employers.create_employer(db_url=url, actor=ADMIN, **employer_kwargs(i)),
}
LEVY = {
    "年审申报": lambda url, i, who, review: levy_reviews.declare_review(
        db_url=url,
        actor=who,
        review_id=review,
        declared_on=date(2023, 7, 1),
        staff=120,
        avg_wage_fen=6_000_000,
        disabled_staff=1,
    ),
    "名册录入": lambda url, i, who, review: services_for(levy_reviews.ROSTER_LINE).create(
        db_url=url,
        actor=who,
        values=dict(
            review_id=review,
            name="演示职工",
            id_number="11010519491231002X",
            cert_number="11010519491231002X42",
            category=4,
            grade=2,
            contract_ok=True,
            insurance_ok=True,
            months=12,
        ),
    ),
    "批量核定": lambda url, i, who, _: levy_collection.assess_year(
        db_url=url,
        actor=who,
        county_id=i["county"],
        year=2023,
        assessed_on=date(2023, 10, 10),
        due_on=date(2023, 11, 30),
        today=date(2023, 10, 10),
    ),
    "登记缴款": lambda url, i, who, assessment: services_for(levy_collection.PAYMENT).create(
        db_url=url, actor=who, values={"assessment_id": assessment, "paid_on": date(2023, 11, 1), "amount_fen": 100}
    ),
    "录入执法检查": lambda url, i, who, employer: services_for(levy.INSPECTION).create(
        db_url=url,
        actor=who,
        values=dict(
            employer_id=employer, campaign_id=None, inspected_on=date(2023, 6, 1), mode="onsite", result="meets"
        ),
    ),
    "设置征收任务": lambda url, i, who, _: levy.set_levy_year(
        db_url=url, actor=who, county_id=i["county"], year=2023, task_fen=100_000_00, review_deadline=date(2023, 9, 30)
    ),
    "导出完整名册": lambda url, i, who, _: levy_reviews.record_unmasked_export(
        db_url=url, actor=who, file_name="名册.xlsx", rows=3, detail="2023 年名册"
    ),
}

Y, N = True, False
# columns: 领导, 科室·仅重点工程, 科室·全部领域, 本镇干事, 他镇干事, 管理员
ALLOWED = {
    "录入进度": (N, Y, Y, Y, N, Y),
    "录入县本级进度": (N, Y, Y, N, N, Y),
    "修改进度": (N, Y, Y, Y, N, Y),
    "删除进度": (N, Y, Y, Y, N, Y),
    "录入补贴发放": (N, N, Y, Y, N, Y),
    "录入用人单位": (N, N, Y, Y, N, Y),
    "录入本镇稿件": (N, N, Y, Y, N, Y),
    "录入全县稿件": (N, N, Y, N, N, Y),
    "录入其他指标": (N, N, Y, Y, N, Y),
    "改乡镇目标": (N, N, N, N, N, Y),
    "改补贴标准": (N, N, N, N, N, Y),
    "新建乡镇": (N, N, N, N, N, Y),
    "年审申报": (N, N, Y, Y, N, Y),
    "名册录入": (N, N, Y, Y, N, Y),
    "批量核定": (N, N, Y, N, N, Y),  # county-wide: not a township officer's
    "登记缴款": (N, N, Y, Y, N, Y),
    "录入执法检查": (N, N, Y, Y, N, Y),
    "设置征收任务": (N, N, N, N, N, Y),
    "导出完整名册": (N, N, N, N, N, Y),
}
CASES = [
    (service, account, allowed)
    for service, row in ALLOWED.items()
    for account, allowed in zip(ACCOUNTS, row, strict=True)
]


def test_the_table_covers_every_service_and_account():
    assert set(ALLOWED) == set(SERVICES) | set(LEVY) and all(len(row) == len(ACCOUNTS) for row in ALLOWED.values())


@pytest.mark.parametrize(("service", "account", "allowed"), CASES, ids=[f"{s}-{a}" for s, a, _ in CASES])
def test_role_by_service(reference_url, service, account, allowed):
    i = ids(reference_url)
    who = ACCOUNTS[account](i, reference_url)
    if service in LEVY:
        made = MADE_FIRST.get(service, lambda url, i: None)(reference_url, i)
        call = lambda url, i, who: LEVY[service](url, i, who, made)  # noqa: E731
    else:
        call = SERVICES[service]
    if allowed:
        call(reference_url, i, who)
        return
    if service in ("修改进度", "删除进度"):  # the record to change is made first, by an administrator
        record = a_progress_entry(reference_url, i)
        call = lambda url, i, who: (  # noqa: E731
            services_for(PROGRESS).update if service == "修改进度" else services_for(PROGRESS).delete
        )(db_url=url, actor=who, record_id=record, **({"values": {"quantity": 4}} if service == "修改进度" else {}))
    before = store_content(reference_url)
    with pytest.raises(ValidationFailed) as refused:
        call(reference_url, i, who)
    message = " ".join(refused.value.errors.values())
    assert any(word in message for word in ("管理员", "只能查看", "录入权限", "本乡镇")), message
    assert store_content(reference_url) == before


def test_a_disabled_account_is_refused_even_while_signed_in(reference_url):
    i = ids(reference_url)
    account_id = auth.create_account(
        reference_url,
        username="keyuan",
        display_name="科员",
        role="staff",
        password="科员的密码-2023",
        areas=("projects",),
    )
    token = auth.sign_in(reference_url, "keyuan", "科员的密码-2023")
    who = auth.signed_in(reference_url, token).actor
    assert who.account_id == account_id
    entering(projects.PROGRESS)(db_url=reference_url, actor=who, **progress_on(i))
    auth.set_active(reference_url, username="keyuan", active=False)
    before = store_content(reference_url)
    with pytest.raises(ValidationFailed, match="已停用"):
        entering(projects.PROGRESS)(db_url=reference_url, actor=who, **progress_on(i))
    assert store_content(reference_url) == before


def test_created_by_and_the_audit_log_name_the_account(reference_url):
    i = ids(reference_url)
    who = Actor(username="lucun", name="鲁村镇干事", role="township", township_id=i["township"], account_id=None)
    entry = entering(projects.PROGRESS)(db_url=reference_url, actor=who, **progress_on(i))
    saved = rows(reference_url, "SELECT created_by FROM progressentry WHERE id = ?", (entry,))[0]
    audit = rows(reference_url, "SELECT actor FROM auditlog WHERE table_name = 'progressentry' ORDER BY id DESC")[0]
    assert (saved["created_by"], audit["actor"]) == ("鲁村镇干事", "lucun")
    assert ROLES["township"].name == "乡镇专职干事"
