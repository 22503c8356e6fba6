"""Bad inputs into every public write service, table-driven, on both engines: each case is refused in Chinese,
held for confirmation, accepted — or it crashed, which is the failure. A refused, held or crashed case changes no
row of any table (the audit log too).

The cases are generated: each service has one valid call (its baseline); every keyword it takes (and every field
of a record's ``values``, a grid's rows or an import's rows) is replaced in turn by the bad values of its kind
(``BAD``: wrong types, numbers past their column, huge or hidden text, dates a century off, ids that are none or
a deleted record's, actors who may not). One store per engine serves the whole module; a case that is accepted
stays written, so later cases meet the store as the earlier ones left it, as a person's next save would.

``python -m tests.test_bad_inputs`` prints the table per engine (tried, refused, held, accepted, crashed) and
lists the crashes; ``-v`` lists the accepted cases too.
"""

from __future__ import annotations

import inspect
import re
import sqlite3
import sys
import tempfile
import time
import types
import typing
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher

from data_layer import app_settings, auth
from data_layer.domain.errors import GridRejected, NeedsConfirmation, ValidationFailed
from data_layer.domain.roles import Actor
from data_layer.infra.db import dispose_engines
from data_layer.services import article_import as article_imports
from data_layer.services import (
    employers,
    indicators,
    levy,
    levy_collection,
    levy_reviews,
    locks,
    meetings,
    org,
    projects,
    provenance,
    publicity,
    subsidies,
)
from data_layer.services._core import RecordType
from data_layer.services.records import services_for
from tests.conftest import ENGINES, PASSWORD, person, rows

TODAY = date(2026, 11, 28)
ADMIN = person("管理员")
CJK = re.compile(r"[\u4e00-\u9fff]")

# --- the bad values, by kind of field ------------------------------------------------------------------------

MISSING = object()  # the keyword (or field) left out
DELETED = object()  # the id of a deleted row of the same kind (where the store has one)
NAN, INF = float("nan"), float("inf")
HUGE = "长" * 100_000

BAD: dict[str, list[Any]] = {
    "int": ["3", 1.5, NAN, True, -1, 0, 2**31, 2**63, 10**20, -(2**63) - 1],
    "id": ["1", 1.0, True, -1, 0, 999_999, 2**31, 2**63, -(2**63) - 1, DELETED],
    "text": [5, HUGE, "名称\x00", "名\x07称", "\u202e名称", "   ", "😀👍🏽"],
    "date": [
        "2023-05-01",
        "2023-13-01",
        20230501,
        datetime(2023, 5, 1, 12, 0),
        date(1899, 12, 31),
        date(9999, 12, 31),
        date(1, 1, 1),
    ],
    "datetime": ["2023-05-01 12:00", date(2023, 5, 1), datetime(1899, 1, 1), datetime(9999, 12, 31)],
    "bool": ["是", 1, 0.0],
    "decimal": ["0.015", 0.015, Decimal("NaN"), Decimal("Infinity"), Decimal("-1"), Decimal(10**20), 2**63],
    "float": [NAN, INF, -INF, "0.1", -1.0, 1e308, True],
    "dict": ["x", [], {}, {"x": HUGE}],
    "list": ["x", {}, [], [None], [HUGE]],
    "any": [],
}
NOT_A_SCALAR = [None, [1]]  # for every scalar kind (None only where the field is required)
SKIPPED = {"session", "db_url", "kind", "progress", "today", "address"}  # not input a person gives


def kind_of(name: str, annotation: Any) -> tuple[str, bool, str | None]:
    """(kind, optional, item kind of a list) of a keyword from its annotation."""
    optional = False
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        optional = len(args) < len(typing.get_args(annotation))
        annotation = args[0] if len(args) == 1 else Any
        origin = typing.get_origin(annotation)
    if origin in (list, tuple):
        items = typing.get_args(annotation)
        item = kind_of(name, items[0])[0] if items and items[0] is not Ellipsis else "any"
        return "list", optional, item
    if origin is dict or annotation is dict:
        return "dict", optional, None
    if annotation is Actor:
        return "actor", optional, None
    if annotation is bool:
        return "bool", optional, None
    if annotation is int:
        return ("id" if name.endswith("_id") else "int"), optional, None
    if annotation is str:
        return "text", optional, None
    if annotation is datetime:
        return "datetime", optional, None
    if annotation is date:
        return "date", optional, None
    if annotation is Decimal:
        return "decimal", optional, None
    if annotation is float:
        return "float", optional, None
    return "any", optional, None


# a few of each kind, for the fields of a correction or a grid's row (their create has the whole table)
QUICK: dict[str, list[Any]] = {
    "int": ["3", -1, 2**63],
    "id": ["1", 999_999, 2**63, DELETED],
    "text": [5, HUGE, "名称\x00", "   "],
    "date": ["2023-05-01", date(1899, 12, 31), date(9999, 12, 31)],
    "bool": ["是"],
    "decimal": ["0.015", Decimal("NaN")],
}


def bad_values(name: str, annotation: Any, *, required: bool, quick: bool = False) -> list[Any]:
    kind, optional, item = kind_of(name, annotation)
    if kind == "actor":
        return ["actor:" + a for a in ACTORS]
    if quick:
        return [*QUICK.get(kind, BAD[kind][:3]), *([None] if not optional else [])]
    values = list(BAD[kind])
    if kind == "list" and item in BAD:
        values += [[v] for v in BAD[item][:6] if v is not DELETED]
    if kind not in ("list", "dict", "any"):
        values += [v for v in NOT_A_SCALAR if v is not None or not optional]
    if required:
        values.append(MISSING)
    return values


def hints(fn: Callable) -> dict[str, tuple[Any, bool]]:
    """A function's keywords: name → (annotation, required)."""
    fn = inspect.unwrap(fn)
    found = typing.get_type_hints(fn)
    return {
        name: (found.get(name, Any), p.default is inspect.Parameter.empty)
        for name, p in inspect.signature(fn).parameters.items()
        if p.kind is inspect.Parameter.KEYWORD_ONLY and name not in SKIPPED
    }


# the actors a write may come from that are wrong for it (a keyword ``actor`` or ``by``)
ACTORS = ["none", "text", "leader", "staff-without-area", "officer-elsewhere", "nameless"]


def actor_for(code: str, ctx: dict) -> Any:
    return {
        "none": None,
        "text": "管理员",
        "leader": person("领导", "leader"),
        "staff-without-area": person("科员", "staff", areas=()),
        "officer-elsewhere": person("干事", "township", ctx["other_township"]),
        "nameless": Actor(username="x", name="  ", role="admin"),
    }[code]


# --- the services and their valid calls ----------------------------------------------------------------------


@dataclass
class Service:
    name: str
    call: Callable[[str, dict], Any]  # (store, keywords)
    base: Callable[[dict, int], dict]  # a valid call's keywords (ctx, case number: what must be unique)
    keywords: dict[str, tuple[Any, bool]]
    nested: dict[str, dict[str, tuple[Any, bool]]] = field(default_factory=dict)  # keyword → its fields
    deleted: str | None = None  # ctx's key of a deleted row's id, for DELETED
    may_write: bool = False  # a refusal that writes by design (a failed sign-in is counted and logged)
    quick: bool = False  # a few bad values a field (QUICK), not the whole table: the same path as another's
    typed: bool = True  # a ``@service``: a keyword left out is a message too (a plain function's is a TypeError)


def served(fn: Callable) -> Callable[[str, dict], Any]:
    return lambda url, kw: fn(db_url=url, **kw)


def positional(fn: Callable) -> Callable[[str, dict], Any]:
    return lambda url, kw: fn(url, **kw)


RECORDS: dict[str, RecordType] = {
    "progress": projects.PROGRESS,
    "disbursement": subsidies.DISBURSEMENT,
    "article": publicity.ARTICLE,
    "indicator_value": indicators.INDICATOR_VALUE,
    "inspection": levy.INSPECTION,
    "payment": levy_collection.PAYMENT,
    "assessment": levy_collection.ASSESSMENT,
    "review": levy_reviews.REVIEW,
    "roster_line": levy_reviews.ROSTER_LINE,
}
CHANGES = {  # a valid correction of each kind
    "progress": {"quantity": 4},
    "disbursement": {"note": "补录"},
    "article": {"title": "第二十三次全国助残日活动"},
    "indicator_value": {"value": 13},
    "inspection": {"mode": "documentary"},
    "payment": {"amount_fen": 200_00},
    "assessment": {"amount_fen": 6_000_00},
    "review": {"notified_on": date(2023, 5, 21)},
    "roster_line": {"months": 6},
}


def record_values(name: str, ctx: dict, variant: int) -> dict:
    """A valid record of kind ``name``; variants 0 (kept live), 1 (deleted), 2 (the create baseline), 3 (deleted,
    for the restore's cases) differ."""
    day = date(2023, 5, 20) + timedelta(days=variant)
    month = date(2023, 5 + variant, 1)
    return {
        "progress": lambda: dict(
            item_id=ctx["item"], township_id=ctx["township"], entry_date=day, quantity=3, amount_fen=180_000
        ),
        "disbursement": lambda: dict(
            type_id=ctx["type"],
            county_id=ctx["county"],
            township_id=ctx["township"],
            month_from=month,
            month_to=month,
            recipients=10,
            paid_date=month.replace(day=20),
        ),
        "article": lambda: dict(
            county_id=ctx["county"], outlet_id=ctx["outlet"], title=f"助残日活动{variant}", published_on=day
        ),
        "indicator_value": lambda: dict(
            indicator_id=ctx["indicator"],
            county_id=ctx["county"],
            township_id=ctx["township"],
            period_start=month,
            period_end=(month + timedelta(days=32)).replace(day=1) - timedelta(days=1),
            value=12,
        ),
        "inspection": lambda: dict(
            employer_id=ctx["employer_inspected"], campaign_id=None, inspected_on=day, mode="onsite"
        ),
        "payment": lambda: dict(
            assessment_id=ctx["assessment"], paid_on=date(2023, 11, 1 + variant), amount_fen=100_00
        ),
        "assessment": lambda: dict(
            employer_id=ctx[f"employer_assessed{variant}"],
            year=2023,
            assessed_on=day,
            due_on=date(2023, 6, 30),
            amount_fen=5_000_00,
        ),
        "review": lambda: dict(employer_id=ctx[f"employer_reviewed{variant}"], year=2023, notified_on=day),
        "roster_line": lambda: dict(review_id=ctx["review_roster"], listed_on=day, **roster_line(variant + 1)),
    }[name]()


def record_services(name: str) -> list[Service]:
    kind, writes = RECORDS[name], services_for(RECORDS[name])
    fields = hints(kind.fields)
    optional = {k: (a, False) for k, (a, _) in fields.items()}
    rows_of = lambda ctx, n: [record_values(name, ctx, 2)]  # noqa: E731
    base = {"today": TODAY}
    return [
        Service(
            f"{name}.create",
            served(writes.create),
            lambda ctx, n: {**base, "actor": ADMIN, "values": record_values(name, ctx, 2)},
            hints(writes.create.func),
            {"values": fields},
            deleted=None,
        ),
        Service(
            f"{name}.update",
            served(writes.update),
            lambda ctx, n: {**base, "actor": ADMIN, "record_id": ctx[f"{name}.live"], "values": CHANGES[name]},
            hints(writes.update.func),
            {"values": optional},
            deleted=f"{name}.deleted",
            quick=True,
        ),
        Service(
            f"{name}.add_rows",
            served(writes.add_rows),
            lambda ctx, n: {**base, "actor": ADMIN, "shared": {}, "rows": rows_of(ctx, n)},
            hints(writes.add_rows.func),
            {"rows": fields},
            quick=True,
        ),
        Service(
            f"{name}.delete",
            served(writes.delete),
            lambda ctx, n: {"actor": ADMIN, "record_id": ctx[f"{name}.live"]},
            hints(writes.delete.func),
            deleted=f"{name}.deleted",
            quick=True,
        ),
        Service(
            f"{name}.restore",
            served(writes.restore),
            lambda ctx, n: {"actor": ADMIN, "record_id": ctx[f"{name}.to_restore"]},
            hints(writes.restore.func),
            deleted=None,
            quick=True,
        ),
    ]


def employer_values(ctx: dict, n: int) -> dict:
    return dict(
        county_id=ctx["county"],
        township_id=ctx["township"],
        name=f"坏输入测试单位{n}",
        credit_code=code_for(200 + n),
        staff=120,
        disabled_staff=1,
        avg_wage_fen=6_000_000,
        size_class="small",
        above_designated_size=False,
        registered_on=date(2023, 3, 1),
    )


def other_services() -> list[Service]:
    def svc(fn, base, *, nested=None, deleted=None, call=None, name=None, may_write=False):
        return Service(
            name or fn.__name__,
            call or served(fn),
            base,
            hints(fn),
            nested or {},
            deleted,
            may_write=may_write,
            typed=call is None,
        )

    employer_fields = {k: v for k, v in hints(employers.create_employer).items() if k != "actor"}
    editable = {k: (employer_fields[k][0], False) for k in employers.EDITABLE}
    article_fields = hints(publicity.ARTICLE.fields)
    return [
        svc(employers.create_employer, lambda c, n: {"actor": ADMIN, **employer_values(c, n)}),
        svc(
            employers.update_employer,
            lambda c, n: {"actor": ADMIN, "employer_id": c["employer_updated"], "values": {"staff": 150}},
            nested={"values": editable},
        ),
        svc(
            employers.import_employers,
            lambda c, n: {"actor": ADMIN, "file_name": "名单.xlsx", "rows": [(2, employer_values(c, 500 + n))]},
            nested={"rows": employer_fields},
        ),
        svc(
            article_imports.import_articles,
            lambda c, n: {
                "actor": ADMIN,
                "file_name": "稿件.xlsx",
                "rows": [(2, {**record_values("article", c, 0), "title": f"导入的稿件{n}"})],
                "today": TODAY,
            },
            nested={"rows": article_fields},
        ),
        svc(org.create_county, lambda c, n: {"actor": ADMIN, "name": f"测试县{n}", "code": f"9{n:05d}"}),
        svc(
            org.create_township,
            lambda c, n: {"actor": ADMIN, "county_id": c["county"], "name": f"新城街道{n}", "kind": "街道"},
        ),
        svc(
            org.update_township,
            lambda c, n: {
                "actor": ADMIN,
                "township_id": c["spare_township"],
                "name": c["spare_township_name"],
                "kind": "镇",
                "sort_order": 0,
                "active": True,
            },
        ),
        svc(
            publicity.create_outlet,
            lambda c, n: {"actor": ADMIN, "name": f"测试日报{n}", "level": "provincial", "medium": "报纸"},
        ),
        svc(
            publicity.update_outlet,
            lambda c, n: {
                "actor": ADMIN,
                "outlet_id": c["outlet"],
                "name": c["outlet_name"],
                "level": "national",
                "medium": c["outlet_medium"],
                "first_used_on": None,
            },
        ),
        svc(
            publicity.set_publicity_target,
            lambda c, n: {"actor": ADMIN, "county_id": c["county"], "year": 2024, "level": "county", "target": 40},
        ),
        svc(
            publicity.set_publicity_targets,
            lambda c, n: {"actor": ADMIN, "county_id": c["county"], "year": 2024, "targets": {"national": 5}},
        ),
        svc(
            publicity.set_publicity_quotas,
            lambda c, n: {"actor": ADMIN, "year": 2023, "quotas": {c["township"]: 6}},
        ),
        svc(
            subsidies.create_subsidy_type,
            lambda c, n: {
                "actor": ADMIN,
                "code": f"bad{n}",
                "name": f"测试补贴{n}",
                "unit": "person",
                "payment": "one_off",
                "standard_basis": "payment",
            },
        ),
        svc(
            subsidies.add_standard,
            lambda c, n: {
                "actor": ADMIN,
                "type_id": c["type"],
                "effective_from": date(2023, 8, 1) + timedelta(days=n),
                "amount_fen": 4000,
            },
        ),
        svc(
            subsidies.update_subsidy_type,
            lambda c, n: {"actor": ADMIN, "type_id": c["type"], **c["type_fields"]},
        ),
        svc(
            indicators.create_indicator,
            lambda c, n: {"actor": ADMIN, "code": f"bad{n}", "name": f"测试指标{n}", "unit": "人", "category": "康复"},
        ),
        svc(
            levy.set_levy_policy,
            lambda c, n: {
                "actor": ADMIN,
                "year": 2024,
                "local_avg_wage_fen": 8_000_000,
                "quota_ratio": Decimal("0.015"),
                "exempt_max_staff": 30,
                "tier_ratio": Decimal("0.01"),
                "tier_high_share": Decimal("0.5"),
                "tier_low_share": Decimal("0.9"),
                "wage_cap_multiple": Decimal("2"),
            },
        ),
        svc(
            levy.set_levy_year,
            lambda c, n: {
                "actor": ADMIN,
                "county_id": c["county"],
                "year": 2024,
                "task_fen": 0,
                "review_deadline": date(2024, 9, 30),
            },
        ),
        svc(
            levy.create_campaign,
            lambda c, n: {
                "actor": ADMIN,
                "county_id": c["county"],
                "name": f"专项执法检查{n}",
                "document": "源政办发〔2023〕44号",
                "start_date": date(2023, 5, 20),
                "end_date": date(2023, 6, 20),
            },
        ),
        svc(
            levy.close_inspection,
            lambda c, n: {
                "actor": ADMIN,
                "inspection_id": c["inspection.live"],
                "closed_on": date(2023, 6, 1),
                "today": TODAY,
            },
            deleted="inspection.deleted",
        ),
        svc(
            provenance.add_seed_figure,
            lambda c, n: {
                "actor": ADMIN,
                "code": f"bad.{n}",
                "source": "工作报告",
                "area": "projects",
                "item": "测试",
                "section": "一、",
                "quote": "共 12 人",
                "value_printed": "12",
                "value_used": Decimal("12"),
                "unit": "人",
            },
        ),
        svc(
            meetings.freeze_pack,
            lambda c, n: {
                "actor": ADMIN,
                "name": f"调度会{n}",
                "filter_label": "2023年 · 全县",
                "filter_params": {"year": 2023},
                "period_start": date(2023, 1, 1),
                "period_end": date(2023, 6, 30),
                "figures": {"slides": [{"key": "overview"}]},
                "data_as_of": None,
            },
        ),
        svc(meetings.delete_pack, lambda c, n: {"actor": ADMIN, "pack_id": c["pack"]}, deleted="pack.deleted"),
        svc(
            projects.create_project,
            lambda c, n: {
                "actor": ADMIN,
                "county_id": c["county"],
                "year": 2024,
                "code": f"bad{n}",
                "name": f"工程{n}",
            },
        ),
        svc(
            projects.create_item,
            lambda c, n: {
                "actor": ADMIN,
                "project_id": c["project"],
                "code": f"bad{n}",
                "name": f"项目{n}",
                "unit": "台",
            },
        ),
        svc(
            projects.set_township_target,
            lambda c, n: {"actor": ADMIN, "item_id": c["item"], "township_id": c["township"], "target": 10},
        ),
        svc(
            projects.update_item,
            lambda c, n: {
                "actor": ADMIN,
                "item_id": c["item"],
                "name": "捐赠轮椅",
                "unit": "台",
                "annual_target": 300,
                "budget_fen": 3_000_000_000,
                "unit_cost_min_fen": 30_000,
                "unit_cost_max_fen": 300_000,
            },
        ),
        svc(
            projects.set_township_targets,
            lambda c, n: {"actor": ADMIN, "item_id": c["item"], "targets": {c["township"]: 40}},
        ),
        svc(
            levy_reviews.notify_reviews,
            lambda c, n: {
                "actor": ADMIN,
                "year": 2023,
                "notified_on": date(2023, 6, 26),
                "employer_ids": [c["employer_notified"]],
                "today": TODAY,
            },
        ),
        svc(
            levy_reviews.declare_review,
            lambda c, n: {
                "actor": ADMIN,
                "review_id": c["review_to_declare"],
                "declared_on": date(2023, 7, 10),
                "staff": 100,
                "avg_wage_fen": 10_000_000,
                "disabled_staff": 0,
                "today": TODAY,
            },
            deleted="review.deleted",
        ),
        svc(
            levy_reviews.approve_review,
            lambda c, n: {
                "actor": ADMIN,
                "review_id": c["review_to_approve"],
                "reviewed_on": date(2023, 8, 1),
                "today": TODAY,
            },
            deleted="review.deleted",
        ),
        svc(
            levy_reviews.return_review,
            lambda c, n: {
                "actor": ADMIN,
                "review_id": c["review_to_return"],
                "reviewed_on": date(2023, 7, 20),
                "reason": "缺少社会保险缴费证明",
                "today": TODAY,
            },
            deleted="review.deleted",
        ),
        svc(
            levy_collection.assess_year,
            lambda c, n: {
                "actor": ADMIN,
                "county_id": c["county"],
                "year": 2023,
                "assessed_on": date(2023, 10, 10),
                "due_on": date(2023, 11, 30),
                "today": TODAY,
            },
        ),
        svc(
            levy_reviews.record_unmasked_export,
            lambda c, n: {"actor": ADMIN, "file_name": "名册（完整）.xlsx", "rows": 3, "detail": "年审记录 1：3 人"},
        ),
        svc(app_settings.set_pace_thresholds, lambda c, n: {"actor": ADMIN, "behind": 0.1, "far_behind": 0.3}),
        svc(app_settings.set_boards_public, lambda c, n: {"actor": ADMIN, "public": True}),
        svc(
            auth.create_account,
            lambda c, n: {
                "username": f"user{n}",
                "display_name": "张三",
                "role": "staff",
                "password": PASSWORD,
                "areas": ("projects",),
                "by": ADMIN,
            },
            call=positional(auth.create_account),
        ),
        svc(
            auth.set_password,
            lambda c, n: {"username": "zhangsan", "password": "another-horse-2023", "by": ADMIN},
            call=positional(auth.set_password),
        ),
        svc(
            auth.set_active,
            lambda c, n: {"username": "zhangsan", "active": True, "by": ADMIN},
            call=positional(auth.set_active),
        ),
        Service(
            "sign_in",
            lambda url, kw: auth.sign_in(url, kw.get("username", MISSING), kw.get("password", MISSING)),
            lambda c, n: {"username": "zhangsan", "password": PASSWORD},
            {"username": (str, True), "password": (str, True)},
            may_write=True,
            typed=False,
        ),
        # 结账 last: a closed month would refuse the records' cases dated in it
        svc(
            locks.close_months,
            lambda c, n: {"actor": ADMIN, "months": [date(2022, 12, 1)], "today": TODAY},
        ),
        svc(locks.reopen_months, lambda c, n: {"actor": ADMIN, "months": [date(2022, 12, 1)], "reason": "补报"}),
    ]


SERVICES: dict[str, Service] = {
    s.name: s for s in [*(s for r in RECORDS for s in record_services(r)), *other_services()]
}


# --- the store the cases run on -------------------------------------------------------------------------------


def prepare(url: str) -> dict:
    """The rows the baselines point at: reference ids, employers, a review in each state, one live and one
    deleted record of each kind, a meeting pack, an account."""
    from tests.test_levy_services import declare, employer, notified, one_assessment
    from tests.test_record_types import refs

    one = lambda sql: rows(url, sql)[0]  # noqa: E731
    ctx = dict(refs(url))
    ctx["other_township"] = one(f"SELECT id FROM township WHERE id <> {ctx['township']} ORDER BY id")["id"]
    spare = one(
        f"SELECT id, name FROM township WHERE id NOT IN ({ctx['township']}, {ctx['other_township']}) ORDER BY id"
    )
    ctx["spare_township"], ctx["spare_township_name"] = spare["id"], spare["name"]
    outlet = one(f"SELECT name, medium FROM outlet WHERE id = {ctx['outlet']}")
    ctx["outlet_name"], ctx["outlet_medium"] = outlet["name"], outlet["medium"]
    kind = one(f"SELECT name, unit, payment, standard_basis FROM subsidytype WHERE id = {ctx['type']}")
    ctx["type_fields"] = kind
    ctx["project"] = one("SELECT id FROM project WHERE year = 2023 AND code = 'shuangbai'")["id"]
    ctx["assessment"] = one_assessment(url)[0]  # employer 1, its review approved, the year assessed
    for key, n in (("employer_inspected", 3), ("employer_notified", 6), ("employer_updated", 7)):
        ctx[key] = employer(url, n)
    for variant in range(4):
        ctx[f"employer_reviewed{variant}"] = employer(url, 10 + variant)
        ctx[f"employer_assessed{variant}"] = employer(url, 20 + variant)
    ctx["review_roster"] = notified(url, employer(url, 30), on=date(2023, 4, 20))
    ctx["review_to_declare"] = notified(url, employer(url, 31))
    for key, n in (("review_to_approve", 32), ("review_to_return", 33)):
        ctx[key] = notified(url, employer(url, n))
        declare(url, ctx[key])
    for name, kind in RECORDS.items():
        writes = services_for(kind)
        for variant, state in ((0, "live"), (1, "deleted"), (3, "to_restore")):
            values = record_values(name, ctx, variant)
            ctx[f"{name}.{state}"] = writes.create(db_url=url, actor=ADMIN, values=values, confirm=True, today=TODAY)
        for state in ("deleted", "to_restore"):  # the restore's cases restore the second; the first stays deleted
            writes.delete(db_url=url, actor=ADMIN, record_id=ctx[f"{name}.{state}"])
    pack = SERVICES["freeze_pack"]
    ctx["pack"], ctx["pack.deleted"] = (pack.call(url, pack.base(ctx, 10_000 + i)) for i in range(2))
    meetings.delete_pack(db_url=url, actor=ADMIN, pack_id=ctx["pack.deleted"])
    auth.create_account(url, username="zhangsan", display_name="张三", role="staff", password=PASSWORD, by=ADMIN)
    return ctx


def code_for(n: int) -> str:
    from tests.test_levy_services import code_for as code

    return code(n)


def roster_line(n: int) -> dict:
    from tests.test_levy_services import roster_line as line

    return line(n)


@contextmanager
def cheap_passwords():
    """Argon2 at its lightest while the cases run: a hundred accounts at the library's cost take seconds each
    engine, and what is tried here is the input, not the hash."""
    kept = auth._hasher
    auth._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    try:
        yield
    finally:
        auth._hasher = kept


class Fingerprint:
    """What a refused write must leave as it was: every table's row count, and a mark of any committed change
    (SQLite: the database's data_version, seen from a connection of our own; PostgreSQL: each table's sum of its
    rows' xmin, the transaction that last wrote each row)."""

    def __init__(self, url: str):
        self.url = url
        if url.startswith("sqlite"):
            self.conn = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
            tables = [r[0] for r in self.conn.execute(EVERY_TABLE["sqlite"])]
            counts = ", ".join(f'(SELECT COUNT(*) FROM "{t}")' for t in tables)
            self.sql = f"SELECT {counts}"
        else:
            import psycopg

            self.conn = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)
            tables = [r[0] for r in self.conn.execute(EVERY_TABLE["postgresql"])]
            self.sql = " UNION ALL ".join(
                f'SELECT COUNT(*), COALESCE(SUM(xmin::text::bigint), 0) FROM "{t}"' for t in tables
            )
        self.tables = tables
        self.last = self.take()

    def take(self) -> tuple:
        """The store's mark now (kept as ``last``: the next case's before)."""
        self.last = self.read()
        return self.last

    def read(self) -> tuple:
        if self.url.startswith("sqlite"):
            counts = self.conn.execute(self.sql).fetchone()
            version = self.conn.execute("PRAGMA data_version").fetchone()[0]
            return (*counts, version)
        return tuple(self.conn.execute(self.sql).fetchall())

    def changed(self, before: tuple, after: tuple) -> list[str]:
        names = [*self.tables, "(a commit)"] if self.url.startswith("sqlite") else self.tables
        return [n for n, b, a in zip(names, before, after, strict=True) if b != a]

    def close(self) -> None:
        self.conn.close()


EVERY_TABLE = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    "postgresql": "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
}


# --- the cases and their outcomes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    service: str
    where: str  # the keyword, or keyword.field
    value: Any
    label: str


def shown(value: Any) -> str:
    if value is MISSING:
        return "(left out)"
    if value is DELETED:
        return "(a deleted row's id)"
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:30]}…({len(text)} chars)"


def cases_of(service: Service) -> list[Case]:
    found = []
    for name, (annotation, required) in service.keywords.items():
        if name in service.nested:
            continue
        for value in bad_values(name, annotation, required=required and service.typed, quick=service.quick):
            found.append(Case(service.name, name, value, f"{name}={shown(value)}"))
    for name, fields in service.nested.items():
        for value in (
            bad_values(name, list, required=False) if name == "rows" else bad_values(name, dict, required=False)
        ):
            found.append(Case(service.name, name, value, f"{name}={shown(value)}"))
        for field_name, (annotation, required) in fields.items():
            for value in bad_values(field_name, annotation, required=required, quick=service.quick):
                if isinstance(value, str) and value.startswith("actor:"):
                    continue
                found.append(Case(service.name, f"{name}.{field_name}", value, f"{name}.{field_name}={shown(value)}"))
    return found


def _put(container: dict, key: str, value: Any) -> None:
    if value is MISSING:
        container.pop(key, None)
    else:
        container[key] = value


def keywords_of(service: Service, case: Case, ctx: dict, n: int) -> dict | None:
    """The baseline with the case's bad value put in; None where the case does not apply (no deleted row)."""
    kw = service.base(ctx, n)
    value = case.value
    if value is DELETED and "." not in case.where:
        if service.deleted is None or service.deleted not in ctx:
            return None
        value = ctx[service.deleted]
    if isinstance(value, str) and value.startswith("actor:"):
        value = actor_for(value.removeprefix("actor:"), ctx)
    outer, _, inner = case.where.partition(".")
    if case.value is DELETED and inner:  # a field naming another record: that kind's deleted one
        value = ctx.get(f"{inner.removesuffix('_id')}.deleted")
        if value is None:
            return None
    if not inner:
        _put(kw, outer, value)
        return kw
    if outer == "values":
        kw["values"] = dict(kw["values"])
        _put(kw["values"], inner, value)
    elif outer == "rows":
        first = kw["rows"][0]
        if isinstance(first, tuple):  # an import's (line, values)
            values = dict(first[1])
            _put(values, inner, value)
            kw["rows"] = [(first[0], values)]
        else:
            values = dict(first)
            _put(values, inner, value)
            kw["rows"] = [values]
    return kw


def messages(exc: BaseException) -> list[str]:
    if isinstance(exc, ValidationFailed):
        return list(exc.errors.values()) or [str(exc)]
    if isinstance(exc, GridRejected):
        return [p.text() for p in exc.problems.values()] or [str(exc)]
    if isinstance(exc, NeedsConfirmation):
        return list(exc.warnings.values()) or [str(exc)]
    if isinstance(exc, auth.SignInRefused):
        return [exc.message]
    return [f"{type(exc).__name__}: {exc}"]


OWN_REFUSALS = (ValidationFailed, GridRejected, auth.SignInRefused)


@dataclass
class Outcome:
    case: Case
    result: str  # refused / held / accepted / crashed
    detail: str = ""
    changed: list[str] = field(default_factory=list)


def run_case(url: str, service: Service, case: Case, ctx: dict, n: int, fingerprint: Fingerprint) -> Outcome | None:
    kw = keywords_of(service, case, ctx, n)
    if kw is None:
        return None
    before = fingerprint.last
    try:
        service.call(url, kw)
    except NeedsConfirmation as exc:
        outcome = Outcome(case, "held", "；".join(messages(exc))[:200])
    except OWN_REFUSALS as exc:
        said = messages(exc)
        chinese = all(CJK.search(m) for m in said)
        outcome = Outcome(case, "refused" if chinese else "crashed", "；".join(said)[:200])
    except Exception as exc:  # noqa: BLE001 — any other exception is what the harness is for
        outcome = Outcome(case, "crashed", f"{type(exc).__name__}: {str(exc)[:200]}")
    else:
        fingerprint.take()
        return Outcome(case, "accepted")
    after = fingerprint.take()
    if not service.may_write:
        outcome.changed = fingerprint.changed(before, after)
    return outcome


@dataclass
class Run:
    engine: str
    outcomes: list[Outcome] = field(default_factory=list)

    def tally(self) -> Counter:
        found = Counter(o.result for o in self.outcomes)
        found["tried"] = len(self.outcomes)
        return found

    def failures(self) -> list[str]:
        found = []
        for o in self.outcomes:
            where = f"[{self.engine}] {o.case.service}: {o.case.label}"
            if o.result == "crashed":
                found.append(f"{where} crashed: {o.detail}")
            if o.changed:
                found.append(f"{where} {o.result}, yet changed {', '.join(o.changed)}")
        return found


RUNS: dict[str, Run] = {}  # engine → what ran; the tests and the script read the counts here
COUNTER = iter(range(1, 10**9))  # unique names across cases (a new county, a new code)


def run_service(url: str, ctx: dict, fingerprint: Fingerprint, engine: str, name: str) -> list[Outcome]:
    service = SERVICES[name]
    done = []
    for case in cases_of(service):
        outcome = run_case(url, service, case, ctx, next(COUNTER), fingerprint)
        if outcome is not None:
            done.append(outcome)
    RUNS.setdefault(engine, Run(engine)).outcomes.extend(done)
    return done


def table(runs: dict[str, Run]) -> str:
    lines = [f"{'engine':<12}{'tried':>7}{'refused':>9}{'held':>6}{'accepted':>10}{'crashed':>9}"]
    for engine, run in runs.items():
        t = run.tally()
        lines.append(f"{engine:<12}{t['tried']:>7}{t['refused']:>9}{t['held']:>6}{t['accepted']:>10}{t['crashed']:>9}")
    return "\n".join(lines)


# --- the tests: one store per engine for the module, one test per service ----------------------------------


@pytest.fixture(scope="module", params=ENGINES)
def bad_store(request, tmp_path_factory):
    """(engine, url, ctx, fingerprint): a copy of the reference store with the rows the baselines need."""
    from tests.conftest import _copy

    engine = request.param
    if engine == "sqlite":
        url = _copy(request.getfixturevalue("reference_template"), tmp_path_factory.mktemp("bad"))
    else:
        request.getfixturevalue("postgres_templates")
        server = request.getfixturevalue("postgres")
        url = server.clone("tpl_reference")
    with cheap_passwords():
        ctx = prepare(url)
        fingerprint = Fingerprint(url)
        yield engine, url, ctx, fingerprint
    fingerprint.close()
    dispose_engines()
    if engine != "sqlite":
        server.drop(url)


@pytest.mark.parametrize("name", list(SERVICES))
def test_bad_inputs_are_refused_in_chinese_and_change_nothing(bad_store, name):
    engine, url, ctx, fingerprint = bad_store
    done = run_service(url, ctx, fingerprint, engine, name)
    run = Run(engine, done)
    assert done, f"{name}: no case ran"
    assert not run.failures(), "\n".join(run.failures())


def test_the_table_per_engine_has_no_crash():
    """After the services' tests (it runs last): the counts per engine, as the script prints them; both engines
    tried the same cases and answered them alike."""
    if not RUNS:
        pytest.skip("no service's cases ran in this session")
    print("\n" + table(RUNS))
    for run in RUNS.values():
        tally = run.tally()
        assert tally["tried"] and not tally["crashed"], table(RUNS)
    if len(RUNS) == len(ENGINES) and len({len(run.outcomes) for run in RUNS.values()}) == 1:
        tallies = [tuple(run.tally()[k] for k in ("tried", "refused", "held", "accepted")) for run in RUNS.values()]
        assert len(set(tallies)) == 1, table(RUNS)


# --- run as a script: the table per engine --------------------------------------------------------------------


def _script_store(engine: str, folder: Path):
    from data_layer.infra import migrate, store
    from tests import postgres_support

    if engine == "sqlite":
        url = f"sqlite:///{folder / 'bad.sqlite3'}"
        migrate.upgrade(url)
        store.seed(url, demo=False)
        return url, None
    bin_dir = postgres_support.binaries()
    if bin_dir is None:
        return None, None
    server = postgres_support.Server(bin_dir)
    url = server.create("bad")
    migrate.upgrade(url)
    store.seed(url, demo=False)
    return url, server


def main(argv: list[str]) -> int:
    import logging
    import os

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    folder = Path(tempfile.mkdtemp(prefix="dpf-bad-"))
    os.environ["DPF_DATA_DIR"] = str(folder / "data")
    for engine in ENGINES:
        started = time.monotonic()
        url, server = _script_store(engine, folder)
        if url is None:
            print(f"{engine}: not installed, skipped")
            continue
        try:
            with cheap_passwords():
                ctx = prepare(url)
                fingerprint = Fingerprint(url)
                for name in SERVICES:
                    run_service(url, ctx, fingerprint, engine, name)
            fingerprint.close()
        finally:
            dispose_engines()
            if server is not None:
                server.stop()
        print(f"{engine}: {time.monotonic() - started:.1f} s", file=sys.stderr)
    print(table(RUNS))
    for run in RUNS.values():
        for line in run.failures():
            print(line)
        if "-v" in argv:
            for o in run.outcomes:
                if o.result in ("accepted", "held"):
                    print(f"[{run.engine}] {o.result}: {o.case.service}: {o.case.label} {o.detail}")
    return 1 if any(run.failures() for run in RUNS.values()) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
