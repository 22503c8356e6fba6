"""Every write service: bad input raises with a clear message and writes nothing; good input
writes exactly one row and one audit entry; the next read shows it."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from data_layer.domain.errors import ValidationFailed
from data_layer.domain.scope import FilterSpec, make_scope
from data_layer.queries import levy as levy_q
from data_layer.queries import org as org_q
from data_layer.queries import projects as projects_q
from data_layer.queries import publicity as publicity_q
from data_layer.queries import subsidies as subsidies_q
from data_layer.services import employers, indicators, levy, org, projects, provenance, publicity, subsidies
from data_layer.services.records import services_for
from tests.conftest import entering, person, rows

TODAY = date(2026, 11, 28)


def ids(url: str) -> dict:
    """Ids of the reference rows the cases point at."""
    one = lambda sql: rows(url, sql)[0]["id"]  # noqa: E731
    return {
        "county": one("SELECT id FROM county"),
        "township": one("SELECT id FROM township WHERE name = '鲁村镇'"),
        "item": one(
            "SELECT i.id FROM projectitem i JOIN project p ON p.id = i.project_id "
            "WHERE p.year = 2023 AND p.code = 'shuangbai' AND i.code = 'wheelchair'"
        ),
        "county_item": one(
            "SELECT i.id FROM projectitem i JOIN project p ON p.id = i.project_id "
            "WHERE p.year = 2023 AND i.code = 'welding'"
        ),
        "project": one("SELECT id FROM project WHERE year = 2023 AND code = 'shuangbai'"),
        "type": one("SELECT id FROM subsidytype WHERE code = 'tekun'"),
        "outlet": one("SELECT id FROM outlet WHERE level = 'national'"),
        "indicator": one("SELECT id FROM indicator WHERE code = 'certificates'"),
    }


def count(url: str, table: str) -> int:
    return rows(url, f"SELECT COUNT(*) AS n FROM {table}")[0]["n"]


def employer_kwargs(i: dict, **over) -> dict:
    base = dict(
        county_id=i["county"],
        township_id=i["township"],
        name="沂源测试机械有限公司",
        credit_code="91350100M000100Y43",
        staff=120,
        disabled_staff=1,
        avg_wage_fen=6_000_000,
        size_class="small",
        above_designated_size=False,
        registered_on=date(2023, 3, 1),
    )
    return {**base, **over}


# (service, table, good kwargs from ids, [(bad overrides, field with the message)])
CASES = [
    (
        org.create_township,
        "township",
        lambda i: dict(county_id=i["county"], name="新城街道", kind="街道"),
        [
            ({"name": "  "}, "name"),
            ({"name": "鲁村镇"}, "name"),
            ({"kind": "村"}, "kind"),
            ({"county_id": 999}, "county_id"),
        ],
    ),
    (
        org.create_county,
        "county",
        lambda i: dict(name="高青县", code="370322"),
        [({"code": "3703"}, "code"), ({"name": "沂源县"}, "name")],
    ),
    (
        entering(projects.PROGRESS),
        "progressentry",
        lambda i: dict(
            item_id=i["item"],
            township_id=i["township"],
            entry_date=date(2023, 5, 20),
            quantity=3,
            amount_fen=180_000,
            note="助残日",
            today=TODAY,
        ),
        [
            ({"quantity": -1}, "quantity"),
            ({"quantity": None}, "quantity"),
            ({"quantity": "三"}, "quantity"),
            ({"quantity": 2.5}, "quantity"),
            ({"amount_fen": -100}, "amount_fen"),
            ({"entry_date": date(2022, 12, 31)}, "entry_date"),
            ({"entry_date": None}, "entry_date"),
            ({"township_id": 9999}, "township_id"),
            ({"township_id": None}, "township_id"),
            ({"item_id": 9999}, "item_id"),
            ({"note": "长" * 201}, "note"),
        ],
    ),
    (
        entering(projects.PROGRESS),
        "progressentry",
        lambda i: dict(
            item_id=i["county_item"], township_id=None, entry_date=date(2023, 5, 20), quantity=10, today=TODAY
        ),
        [({"township_id": "township"}, "township_id")],
    ),
    (
        projects.create_item,
        "projectitem",
        lambda i: dict(project_id=i["project"], code="ramps", name="无障碍坡道", unit="处", annual_target=10),
        [
            ({"annual_target": -1}, "annual_target"),
            ({"measure": "weight"}, "measure"),
            ({"scope": "city"}, "scope"),
            ({"unit": ""}, "unit"),
        ],
    ),
    (
        projects.set_township_target,
        "itemtownshiptarget",
        lambda i: dict(item_id=i["item"], township_id=i["township"], target=25),
        [({"target": -3}, "target"), ({"township_id": 9999}, "township_id")],
    ),
    (
        entering(subsidies.DISBURSEMENT),
        "disbursement",
        lambda i: dict(
            type_id=i["type"],
            county_id=i["county"],
            township_id=i["township"],
            month_from=date(2023, 7, 1),
            month_to=date(2023, 7, 1),
            recipients=20,
            standard_fen=3000,
            amount_fen=60_000,
            paid_date=date(2023, 7, 10),
            today=TODAY,
        ),
        [
            ({"recipients": -1}, "recipients"),
            ({"amount_fen": -5}, "amount_fen"),
            ({"recipients": None}, "recipients"),
            ({"month_to": date(2024, 1, 1)}, "month_to"),
            ({"month_to": date(2023, 6, 1)}, "month_to"),
            ({"paid_date": date(2022, 1, 5)}, "paid_date"),
            ({"paid_date": date(2027, 1, 5)}, "paid_date"),
            ({"type_id": 999}, "type_id"),
            ({"township_id": 9999}, "township_id"),
        ],
    ),
    (
        subsidies.add_standard,
        "subsidystandard",
        lambda i: dict(type_id=i["type"], effective_from=date(2024, 7, 1), amount_fen=4000),
        [({"amount_fen": -1}, "amount_fen"), ({"effective_from": None}, "effective_from")],
    ),
    (
        employers.create_employer,
        "employer",
        lambda i: employer_kwargs(i),
        [
            ({"credit_code": "91350100M000100Y44"}, "credit_code"),
            ({"disabled_staff": 121}, "disabled_staff"),
            ({"staff": -2}, "staff"),
            ({"size_class": "huge"}, "size_class"),
            ({"name": ""}, "name"),
        ],
    ),
    (
        entering(publicity.ARTICLE),
        "article",
        lambda i: dict(
            county_id=i["county"],
            outlet_id=i["outlet"],
            title="沂源县开展助残日活动",
            published_on=date(2023, 5, 18),
            township_id=i["township"],
            today=TODAY,
        ),
        [
            ({"title": ""}, "title"),
            ({"outlet_id": 999}, "outlet_id"),
            ({"published_on": date(2027, 1, 1)}, "published_on"),
            ({"link": "ftp://x"}, "link"),
        ],
    ),
    (
        publicity.set_publicity_target,
        "publicitytarget",
        lambda i: dict(county_id=i["county"], year=2024, level="county", target=30),
        [({"level": "world"}, "level"), ({"target": -1}, "target")],
    ),
    (
        entering(indicators.INDICATOR_VALUE),
        "indicatorvalue",
        lambda i: dict(
            indicator_id=i["indicator"],
            county_id=i["county"],
            township_id=i["township"],
            period_start=date(2023, 7, 1),
            period_end=date(2023, 7, 31),
            value=12,
        ),
        [({"value": -1}, "value"), ({"period_end": date(2023, 6, 1)}, "period_end")],
    ),
    (
        provenance.add_seed_figure,
        "seedfigure",
        lambda i: dict(
            code="new_fig",
            source="测试",
            area="测试",
            item="测试",
            section="一",
            quote="共发放8000元",
            value_printed="8000",
            value_used=Decimal("8000"),
            unit="元",
        ),
        [
            ({"quote": "共发放元"}, "quote"),
            ({"value_used": Decimal("800")}, "why_differs"),
            ({"code": "sb_funds"}, "code"),
        ],
    ),
]


def _params():
    for service, table, good, bads in CASES:
        for bad, field in bads:
            yield pytest.param(
                service, table, good, bad, field, id=f"{service.__name__}-{field}-{list(bad.values())[0]!r}"[:80]
            )


@pytest.mark.parametrize(("service", "table", "good", "bad", "field"), list(_params()))
def test_bad_input_writes_nothing(reference_url, service, table, good, bad, field):
    i = ids(reference_url)
    kwargs = {
        **good(i),
        **{k: i.get(v, v) if k == "township_id" and isinstance(v, str) else v for k, v in bad.items()},
    }
    before = count(reference_url, table), count(reference_url, "auditlog")
    with pytest.raises(ValidationFailed) as err:
        service(db_url=reference_url, actor=person("张三"), **kwargs)
    assert field in err.value.errors, err.value.errors
    message = err.value.errors[field]
    assert message and any("\u4e00" <= ch <= "\u9fff" for ch in message)  # a Chinese message
    assert (count(reference_url, table), count(reference_url, "auditlog")) == before


@pytest.mark.parametrize(
    ("service", "table", "good"),
    [(s, t, g) for s, t, g, _ in CASES],
    ids=[f"{c[0].__name__}-{n}" for n, c in enumerate(CASES)],
)
def test_good_input_writes_one_row_and_one_audit_entry(reference_url, service, table, good):
    i = ids(reference_url)
    before = count(reference_url, table), count(reference_url, "auditlog")
    new_id = service(db_url=reference_url, actor=person("张三"), **good(i))
    assert (count(reference_url, table), count(reference_url, "auditlog")) == (before[0] + 1, before[1] + 1)
    entry = rows(reference_url, "SELECT * FROM auditlog ORDER BY id DESC LIMIT 1")[0]
    assert (entry["actor"], entry["action"], entry["table_name"], entry["row_id"]) == (
        "张三",
        "create",
        table,
        str(new_id),
    )
    assert json.loads(entry["after"])["id"] == new_id


def test_missing_actor_is_an_error(reference_url):
    i = ids(reference_url)
    with pytest.raises(ValidationFailed) as err:
        services_for(projects.PROGRESS).create(
            db_url=reference_url,
            actor=person(" "),
            today=TODAY,
            values=dict(item_id=i["item"], township_id=i["township"], entry_date=date(2023, 5, 1), quantity=1),
        )
    assert "actor" in err.value.errors


def test_several_errors_are_reported_together(reference_url):
    i = ids(reference_url)
    with pytest.raises(ValidationFailed) as err:
        services_for(projects.PROGRESS).create(
            db_url=reference_url,
            actor=person("张三"),
            today=TODAY,
            values=dict(
                item_id=i["item"], township_id=i["township"], entry_date=date(2027, 1, 1), quantity=-1, amount_fen=-1
            ),
        )
    assert set(err.value.errors) == {"entry_date", "quantity", "amount_fen"}


def scope_2023(*townships: int, period: str = "all"):
    return make_scope(FilterSpec(2023, period), townships)


def test_progress_shows_in_next_read(reference_url):
    i = ids(reference_url)
    before = projects_q.item_progress(reference_url, scope_2023(i["township"]))
    services_for(projects.PROGRESS).create(
        db_url=reference_url,
        actor=person("张三"),
        today=TODAY,
        values=dict(
            item_id=i["item"], township_id=i["township"], entry_date=date(2023, 5, 20), quantity=3, amount_fen=135_000
        ),
    )
    after = projects_q.item_progress(reference_url, scope_2023(i["township"]))
    pick = lambda df: df[(df.project_code == "shuangbai") & (df.item_code == "wheelchair")].done_ytd.iloc[0]  # noqa: E731
    assert pick(after) == pick(before) + 3


def test_disbursement_shows_in_next_read(reference_url):
    i = ids(reference_url)
    services_for(subsidies.DISBURSEMENT).create(
        db_url=reference_url,
        actor=person("张三"),
        today=TODAY,
        values=dict(
            type_id=i["type"],
            county_id=i["county"],
            township_id=i["township"],
            month_from=date(2023, 7, 1),
            month_to=date(2023, 7, 1),
            recipients=20,
            standard_fen=3000,
            amount_fen=60_000,
            paid_date=date(2023, 7, 10),
        ),
    )
    by_type = subsidies_q.totals_by_type(reference_url, scope_2023()).set_index("type_code")
    assert (by_type.at["tekun", "amount_fen"], by_type.at["tekun", "recipients"]) == (60_000, 20)


def test_employer_and_inspection_show_in_coverage(reference_url):
    i = ids(reference_url)
    employer = employers.create_employer(db_url=reference_url, actor=person("张三"), **employer_kwargs(i))
    assert levy_q.summary(reference_url, scope_2023()).iloc[0]["inspected"] == 0
    services_for(levy.INSPECTION).create(
        db_url=reference_url,
        actor=person("张三"),
        values=dict(employer_id=employer, campaign_id=None, inspected_on=date(2023, 6, 1), mode="onsite"),
    )
    row = levy_q.summary(reference_url, scope_2023()).iloc[0]
    assert (row["registered"], row["inspected"], row["inspection_rate"]) == (1, 1, 1.0)
    assert levy_q.period_activity(reference_url, scope_2023()).iloc[0]["onsite"] == 1


def test_duplicate_credit_code_is_refused(reference_url):
    i = ids(reference_url)
    employers.create_employer(db_url=reference_url, actor=person("张三"), **employer_kwargs(i))
    with pytest.raises(ValidationFailed) as err:
        employers.create_employer(db_url=reference_url, actor=person("张三"), **employer_kwargs(i, name="另一家"))
    assert "已登记" in err.value.errors["credit_code"]


def test_inspection_outside_campaign_is_refused(reference_url):
    i = ids(reference_url)
    employer = employers.create_employer(db_url=reference_url, actor=person("张三"), **employer_kwargs(i))
    campaign = levy.create_campaign(
        db_url=reference_url,
        actor=person("张三"),
        county_id=i["county"],
        name="专项检查",
        document="",
        start_date=date(2023, 5, 20),
        end_date=date(2023, 6, 30),
    )
    with pytest.raises(ValidationFailed) as err:
        services_for(levy.INSPECTION).create(
            db_url=reference_url,
            actor=person("张三"),
            values=dict(employer_id=employer, campaign_id=campaign, inspected_on=date(2023, 7, 2), mode="onsite"),
        )
    assert "inspected_on" in err.value.errors


def test_article_shows_in_next_read(reference_url):
    i = ids(reference_url)
    services_for(publicity.ARTICLE).create(
        db_url=reference_url,
        actor=person("张三"),
        today=TODAY,
        values=dict(county_id=i["county"], outlet_id=i["outlet"], title="稿件", published_on=date(2023, 5, 18)),
    )
    assert (
        publicity_q.by_level(reference_url, scope_2023(), date(2026, 11, 28))
        .set_index("level")
        .at["national", "articles"]
        == 1
    )


def test_township_update_is_audited_and_read(reference_url):
    i = ids(reference_url)
    org.update_township(
        db_url=reference_url,
        actor=person("管理员"),
        township_id=i["township"],
        name="鲁村镇（新）",
        kind="镇",
        sort_order=3,
        active=True,
    )
    entry = rows(reference_url, "SELECT * FROM auditlog ORDER BY id DESC LIMIT 1")[0]
    assert entry["action"] == "update" and json.loads(entry["before"])["name"] == "鲁村镇"
    assert "鲁村镇（新）" in set(org_q.townships(reference_url)["township"])


def test_database_constraints_back_the_services(reference_url):
    """Even a write that skips the service cannot store a negative amount."""
    import sqlalchemy.exc
    from sqlmodel import Session

    from data_layer.infra.db import get_engine
    from data_layer.models import ProgressEntry

    i = ids(reference_url)
    with Session(get_engine(reference_url)) as session, pytest.raises(sqlalchemy.exc.IntegrityError):
        session.add(
            ProgressEntry(
                item_id=i["item"], township_id=i["township"], entry_date=date(2023, 1, 2), quantity=-5, created_by="x"
            )
        )
        session.commit()
