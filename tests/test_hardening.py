"""Bad input, races and faults, on both engines: every bad value is refused with a Chinese message on its
field and nothing is written; suspicious values need confirming; concurrent duplicates store one row."""

from __future__ import annotations

import re
import threading
from datetime import date
from decimal import Decimal

import pytest

from data_layer.domain.errors import NeedsConfirmation, StoreUnavailable, ValidationFailed
from data_layer.services import org, projects, subsidies
from data_layer.services.records import services_for
from tests.conftest import entering, person, rows
from tests.test_services import TODAY, ids

TABLES = ("progressentry", "disbursement", "subsidytype", "subsidystandard", "project", "township", "auditlog")
CHINESE = ("\u4e00", "\u9fff")


def counts(url: str) -> dict[str, int]:
    return {t: rows(url, f"SELECT COUNT(*) AS n FROM {t}")[0]["n"] for t in TABLES}


def progress(i: dict, **over) -> dict:
    good = dict(
        actor=person("李四"),
        item_id=i["item"],
        township_id=i["township"],
        entry_date=date(2023, 5, 20),
        quantity=3,
        amount_fen=135_000,
        note="助残日",
        today=TODAY,
    )
    return {**good, **over}


def disbursement(i: dict, **over) -> dict:
    good = dict(
        actor=person("李四"),
        type_id=i["type"],
        county_id=i["county"],
        township_id=i["township"],
        month_from=date(2023, 7, 1),
        month_to=date(2023, 7, 1),
        recipients=20,
        paid_date=date(2023, 7, 10),
        today=TODAY,
    )
    return {**good, **over}


def standard(i: dict, **over) -> dict:
    return {**dict(actor=person("管理员"), type_id=i["type"], effective_from=date(2023, 8, 1), amount_fen=4000), **over}


def project(i: dict, **over) -> dict:
    return {**dict(actor=person("管理员"), county_id=i["county"], year=2024, code="newproj", name="新工程"), **over}


def subsidy_type(i: dict, **over) -> dict:
    good = dict(actor=person("管理员"), code="visit", name="走访慰问", unit="household", payment="one_off")
    return {**good, **over}


def township(i: dict, **over) -> dict:
    return {**dict(actor=person("管理员"), county_id=i["county"], name="新城街道", kind="街道"), **over}


BIG = 9 * 10**18  # 9e16 元 in fen: past SQLite's 64-bit sum
# (what, service, good kwargs, bad overrides, the field whose message says why)
BAD = [
    ("9e16 元, confirmed", entering(projects.PROGRESS), progress, {"amount_fen": BIG, "confirm": True}, "amount_fen"),
    ("2**70 fen", entering(projects.PROGRESS), progress, {"amount_fen": 2**70}, "amount_fen"),
    ("10¹² wheelchairs", entering(projects.PROGRESS), progress, {"quantity": 10**12}, "quantity"),
    ("2.5 as a count", entering(projects.PROGRESS), progress, {"quantity": 2.5}, "quantity"),
    ("a count as text", entering(projects.PROGRESS), progress, {"quantity": "3"}, "quantity"),
    ("an id as text", entering(projects.PROGRESS), progress, {"item_id": "1"}, "item_id"),
    ("a bool as a count", entering(projects.PROGRESS), progress, {"quantity": True}, "quantity"),
    ("a number as actor", entering(projects.PROGRESS), progress, {"actor": 5}, "actor"),
    ("a list as note", entering(projects.PROGRESS), progress, {"note": ["a"]}, "note"),
    ("a 41-character actor", entering(projects.PROGRESS), progress, {"actor": "张" * 41}, "actor"),
    ("a 201-character note", entering(projects.PROGRESS), progress, {"note": "长" * 201}, "note"),
    ("NUL in a note", entering(projects.PROGRESS), progress, {"note": "助残\x00日"}, "note"),
    ("a tab in the actor", entering(projects.PROGRESS), progress, {"actor": "李\t四"}, "actor"),
    ("a byte-order mark", entering(projects.PROGRESS), progress, {"note": "\ufeff助残日"}, "note"),
    (
        "10,000-character warning note",
        entering(projects.PROGRESS),
        progress,
        {"quantity": 700, "amount_fen": 700 * 45_000, "confirm": True, "warning_note": "核" * 10_000},
        "warning_note",
    ),
    ("a date in 1999", entering(projects.PROGRESS), progress, {"entry_date": date(1999, 5, 20)}, "entry_date"),
    ("a datetime as a date", entering(projects.PROGRESS), progress, {"entry_date": "2023-05-20"}, "entry_date"),
    ("10¹² 元 subsidy", entering(subsidies.DISBURSEMENT), disbursement, {"amount_fen": 10**14}, "amount_fen"),
    ("10⁸ recipients", entering(subsidies.DISBURSEMENT), disbursement, {"recipients": 10**8}, "recipients"),
    (
        "covering 1990, paid 2023",
        entering(subsidies.DISBURSEMENT),
        disbursement,
        {"month_from": date(1990, 1, 1), "month_to": date(1990, 1, 1)},
        "month_from",
    ),
    (
        "covering 2020, paid 2023",
        entering(subsidies.DISBURSEMENT),
        disbursement,
        {"month_from": date(2020, 1, 1), "month_to": date(2020, 12, 1), "paid_date": date(2023, 1, 10)},
        "month_from",
    ),
    ("a standard dated 1900", subsidies.add_standard, standard, {"effective_from": date(1900, 1, 1)}, "effective_from"),
    ("a standard's 201-character note", subsidies.add_standard, standard, {"note": "注" * 201}, "note"),
    ("a project in 2100", projects.create_project, project, {"year": 2100}, "year"),
    ("a type code with spaces", subsidies.create_subsidy_type, subsidy_type, {"code": " tekun "}, "code"),
    (
        "a township name with NUL",
        org.create_township,
        township,
        {"name": "新城\x00街道"},
        "name",
    ),
]


@pytest.mark.parametrize(("what", "call", "good", "bad", "field"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_value_is_refused_in_words_and_writes_nothing(reference_url, what, call, good, bad, field):
    i = ids(reference_url)
    before = counts(reference_url)
    with pytest.raises(ValidationFailed) as err:
        call(db_url=reference_url, **good(i, **bad))
    assert field in err.value.errors, err.value.errors
    message = err.value.errors[field]
    assert any(CHINESE[0] <= c <= CHINESE[1] for c in message), message
    assert counts(reference_url) == before
    call(db_url=reference_url, **good(i))  # the same call with good values goes through


@pytest.mark.parametrize(
    ("call", "good", "field"),
    [
        (subsidies.add_standard, lambda i: standard(i, effective_from=date(2020, 1, 1)), "effective_from"),
        (projects.create_project, lambda i: project(i, year=2023, code="shuangbai"), "code"),
    ],
)
def test_a_unique_clash_is_a_message_on_the_field(reference_url, call, good, field):
    i = ids(reference_url)
    before = counts(reference_url)
    with pytest.raises(ValidationFailed) as err:
        call(db_url=reference_url, **good(i))
    assert field in err.value.errors and "相同" in err.value.errors[field]
    assert counts(reference_url) == before


def test_text_is_trimmed_and_normalised_once(reference_url):
    i = ids(reference_url)
    entry_id = entering(projects.PROGRESS)(db_url=reference_url, **progress(i, note="  助残日  ", actor=person("李四")))
    saved = rows(reference_url, "SELECT note, created_by FROM progressentry WHERE id = ?", (entry_id,))[0]
    assert saved == {"note": "助残日", "created_by": "李四"}
    decomposed = "Cafe\u0301"  # é as e + a combining accent: stored as the one composed character
    entering(projects.PROGRESS)(db_url=reference_url, **progress(i, note=decomposed, entry_date=date(2023, 6, 20)))
    assert rows(reference_url, "SELECT note FROM progressentry ORDER BY id DESC LIMIT 1")[0]["note"] == "Café"


def test_a_budget_above_21_million_yuan_is_stored_on_both_engines(reference_url):
    i = ids(reference_url)
    projects.update_item(
        db_url=reference_url,
        actor=person("管理员"),
        item_id=i["item"],
        name="捐赠轮椅",
        unit="台",
        annual_target=300,
        budget_fen=3_000_000_000,  # 3000万元: past PostgreSQL's 32-bit INTEGER
        unit_cost_min_fen=30_000,
        unit_cost_max_fen=300_000,
    )
    assert rows(reference_url, "SELECT budget_fen FROM projectitem WHERE id = ?", (i["item"],))[0]["budget_fen"] == (
        3_000_000_000
    )


def _at_once(n: int, call) -> list[object]:
    """``call`` from ``n`` threads released together; what each returned or raised."""
    start, results = threading.Barrier(n), [None] * n

    def run(k: int) -> None:
        start.wait()
        try:
            results[k] = call()
        except Exception as exc:  # noqa: BLE001 (the outcome is what the test looks at)
            results[k] = exc

    threads = [threading.Thread(target=run, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.parametrize("record", ["progress", "disbursement"])
def test_the_same_entry_saved_from_eight_tabs_at_once_is_stored_once(reference_url, record):
    i = ids(reference_url)
    stored = []
    for round_ in range(4):
        if record == "progress":
            values = progress(i, entry_date=date(2023, 3 + 2 * round_, 10))
            outcome = _at_once(8, lambda v=values: entering(projects.PROGRESS)(db_url=reference_url, **v))
        else:
            month = date(2023, 3 + 2 * round_, 1)
            values = disbursement(i, month_from=month, month_to=month, paid_date=month.replace(day=10))
            outcome = _at_once(8, lambda v=values: entering(subsidies.DISBURSEMENT)(db_url=reference_url, **v))
        saved = [r for r in outcome if isinstance(r, int)]
        refused = [r for r in outcome if isinstance(r, NeedsConfirmation | StoreUnavailable)]
        assert len(saved) == 1 and len(refused) == 7, outcome
        assert all(isinstance(r, NeedsConfirmation) for r in refused), refused  # “是否重复录入？”
        stored.append(len(saved))
    table = "progressentry" if record == "progress" else "disbursement"
    assert rows(reference_url, f"SELECT COUNT(*) AS n FROM {table}")[0]["n"] == 4


def test_grid_rows_refused_by_the_hard_limits_write_nothing(reference_url):
    i = ids(reference_url)
    grid = services_for(projects.PROGRESS)
    from data_layer.domain.errors import GridRejected

    with pytest.raises(GridRejected) as err:
        grid.add_rows(
            db_url=reference_url,
            actor=person("李四"),
            shared={"item_id": i["item"], "entry_date": date(2023, 5, 31)},
            rows=[
                {"township_id": i["township"], "quantity": 2, "amount_fen": 90_000},
                {"township_id": i["township"] + 1, "quantity": 2, "amount_fen": BIG},
            ],
            today=TODAY,
        )
    assert set(err.value.problems) == {1} and "amount_fen" in err.value.problems[1].errors
    assert rows(reference_url, "SELECT COUNT(*) AS n FROM progressentry")[0]["n"] == 0


def test_numbers_beyond_their_columns_are_refused_in_chinese_on_both_engines(reference_url):
    """An id of 2⁶³ (beyond every 64-bit key), a sort order of 2⁴⁰ and a local wage of 3×10⁹ 分 in a 32-bit column:
    each a Chinese message on its field, nothing written, never a driver's DataError. An id of 2³¹ fits the keys
    (64-bit since migration 0017) and is simply no record."""
    from data_layer.services import levy

    i, admin = ids(reference_url), person()
    before = {t: rows(reference_url, f"SELECT COUNT(*) AS n FROM {t}")[0]["n"] for t in TABLES}
    values = dict(item_id=i["item"], township_id=i["township"], entry_date=date(2023, 5, 20), quantity=3)
    calls = [
        lambda: entering(projects.PROGRESS)(db_url=reference_url, actor=admin, **{**values, "item_id": 2**63}),
        lambda: entering(projects.PROGRESS)(db_url=reference_url, actor=admin, **{**values, "township_id": 2**63}),
        lambda: services_for(projects.PROGRESS).update(
            db_url=reference_url, actor=admin, record_id=-(2**63) - 1, values={"quantity": 4}, today=TODAY
        ),
        lambda: org.create_county(db_url=reference_url, actor=admin, name="新县", code="999999", sort_order=2**40),
        lambda: levy.set_levy_policy(
            db_url=reference_url,
            actor=admin,
            year=2024,
            local_avg_wage_fen=3_000_000_000,
            quota_ratio=Decimal("0.015"),
            exempt_max_staff=30,
            tier_ratio=Decimal("0.01"),
            tier_high_share=Decimal("0.5"),
            tier_low_share=Decimal("0.9"),
            wage_cap_multiple=Decimal("2"),
        ),
    ]
    for call in calls:
        with pytest.raises(ValidationFailed) as refused:
            call()
        assert any(m.endswith("超出允许的范围") for m in refused.value.errors.values()), refused.value.errors
    for call in (
        lambda: entering(projects.PROGRESS)(db_url=reference_url, actor=admin, **{**values, "item_id": 2**31}),
        lambda: services_for(projects.PROGRESS).update(
            db_url=reference_url, actor=admin, record_id=2**31, values={"quantity": 4}, today=TODAY
        ),
    ):
        with pytest.raises(ValidationFailed) as refused:
            call()
        assert all(re.search(r"[\u4e00-\u9fff]", m) for m in refused.value.errors.values()), refused.value.errors
    assert {t: rows(reference_url, f"SELECT COUNT(*) AS n FROM {t}")[0]["n"] for t in TABLES} == before


def test_an_entry_of_nothing_asks_first_and_is_listed_once_confirmed(reference_url):
    from data_layer import checks

    i = ids(reference_url)
    values = dict(item_id=i["item"], township_id=i["township"], entry_date=date(2023, 5, 20), quantity=0, amount_fen=0)
    with pytest.raises(NeedsConfirmation) as asked:
        entering(projects.PROGRESS)(db_url=reference_url, actor=person(), today=TODAY, **values)
    assert asked.value.warnings["empty"].startswith("数量和金额都是 0")
    assert rows(reference_url, "SELECT COUNT(*) AS n FROM progressentry")[0]["n"] == 0
    entering(projects.PROGRESS)(
        db_url=reference_url, actor=person(), today=TODAY, confirm=True, warning_note="补记一条空记录", **values
    )
    listed = checks.findings(reference_url).query("check == 'progress.empty'")
    assert len(listed) == 1 and listed["note"].iloc[0] == "补记一条空记录"


def test_record_numbers_pass_two_to_the_31_on_both_engines(reference_url):
    """Keys are 64-bit (migration 0017): with the next number past 2³¹ an entry is saved, its audit row written,
    and it opens and corrects by that number — on PostgreSQL the column and its sequence both widened."""
    from sqlalchemy import create_engine, text

    from data_layer.domain import links

    i = ids(reference_url)
    values = dict(item_id=i["item"], township_id=i["township"], entry_date=date(2023, 5, 20), quantity=3)
    create = entering(projects.PROGRESS)
    options = dict(db_url=reference_url, actor=person(), today=TODAY, confirm=True, warning_note="核实")
    create(**options, **values)
    start = 2**31 + 7
    engine = create_engine(reference_url)
    with engine.begin() as conn:
        for table in ("progressentry", "auditlog"):
            if engine.dialect.name == "postgresql":
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {start})"))
            else:  # SQLite gives the next row the largest number + 1
                conn.execute(text(f"UPDATE {table} SET id = {start} WHERE id = (SELECT MAX(id) FROM {table})"))
    engine.dispose()
    number = create(**options, **values)
    assert number > 2**31 and links.record_number(str(number)) == number
    services_for(projects.PROGRESS).update(**options, record_id=number, values={"quantity": 4})
    assert rows(reference_url, f"SELECT quantity FROM progressentry WHERE id = {number}")[0]["quantity"] == 4
    assert rows(reference_url, "SELECT MAX(id) AS n FROM auditlog")[0]["n"] > 2**31
