"""Subsidy disbursements: defaults, rules, corrections, the grid, the monthly query and the Excel download."""

from __future__ import annotations

import io
import json
from collections import defaultdict
from datetime import UTC, date, datetime

import openpyxl
import pandas as pd
import pytest

from data_layer import checks
from data_layer.domain.errors import GridRejected, NeedsConfirmation, ValidationFailed
from data_layer.domain.scope import FilterSpec, make_scope
from data_layer.export import to_csv, to_xlsx
from data_layer.queries import subsidies as q
from data_layer.services import subsidies as service
from data_layer.services.records import services_for
from tests.conftest import entering, person, rows
from tests.test_services import TODAY, count, ids

YEAR = make_scope(FilterSpec(2023))
DISBURSEMENT = services_for(service.DISBURSEMENT)


def july(i: dict) -> dict:
    """A grid's shared values: one type, one county, July, paid on the 10th."""
    month = date(2023, 7, 1)
    return dict(type_id=i["type"], county_id=i["county"], month_from=month, month_to=month, paid_date=date(2023, 7, 10))


def disburse(url, i, **over):
    values = dict(
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
    return entering(service.DISBURSEMENT)(db_url=url, **{**values, **over})


def saved(url, row_id):
    return rows(url, "SELECT * FROM disbursement WHERE id = ?", (row_id,))[0]


def test_standard_and_amount_default_from_the_rules(reference_url):
    i = ids(reference_url)
    row = saved(reference_url, disburse(reference_url, i, month_to=date(2023, 9, 1)))
    assert (row["standard_fen"], row["amount_fen"]) == (3000, 20 * 3000 * 3)  # 30 元/户/月 × 3 months


def test_a_mid_year_standard_change_applies_from_its_date(reference_url):
    i = ids(reference_url)
    service.add_standard(
        db_url=reference_url,
        actor=person("管理员"),
        type_id=i["type"],
        effective_from=date(2023, 8, 1),
        amount_fen=4000,
    )
    july = saved(reference_url, disburse(reference_url, i))
    august = saved(
        reference_url,
        disburse(reference_url, i, month_from=date(2023, 8, 1), month_to=date(2023, 8, 1), paid_date=date(2023, 8, 10)),
    )
    assert (july["standard_fen"], august["standard_fen"]) == (3000, 4000)


def test_a_different_amount_needs_a_reason(reference_url):
    i = ids(reference_url)
    with pytest.raises(NeedsConfirmation) as err:
        disburse(reference_url, i, amount_fen=50_000)
    assert "amount" in err.value.warnings and "= 600.00 元" in err.value.warnings["amount"]
    assert count(reference_url, "disbursement") == 0
    row = saved(
        reference_url,
        disburse(reference_url, i, amount_fen=50_000, confirm=True, warning_note="两户当月去世，按实际发放"),
    )
    assert (row["amount_fen"], row["warning_note"]) == (50_000, "两户当月去世，按实际发放")
    found = checks.findings(reference_url)
    mismatch = found[found["check"] == "disbursement.amount"].iloc[0]
    assert mismatch["note"] == "两户当月去世，按实际发放" and mismatch["link"] == f"entry_subsidies?record={row['id']}"


def test_the_same_month_twice_is_a_warning(reference_url):
    i = ids(reference_url)
    disburse(reference_url, i)
    with pytest.raises(NeedsConfirmation) as err:
        disburse(reference_url, i, paid_date=date(2023, 7, 20))
    assert "duplicate" in err.value.warnings


def test_a_jump_in_the_monthly_roll_is_a_warning(reference_url):
    i = ids(reference_url)
    disburse(reference_url, i)
    with pytest.raises(NeedsConfirmation) as err:
        disburse(
            reference_url,
            i,
            month_from=date(2023, 8, 1),
            month_to=date(2023, 8, 1),
            recipients=40,
            paid_date=date(2023, 8, 10),
        )
    assert "jump" in err.value.warnings
    disburse(
        reference_url,
        i,
        month_from=date(2023, 8, 1),
        month_to=date(2023, 8, 1),
        recipients=22,
        paid_date=date(2023, 8, 10),
    )  # +10%: fine


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"month_to": date(2024, 1, 1)}, "month_to"),
        ({"paid_date": date(2022, 6, 1)}, "paid_date"),  # more than a year before the months it covers
        ({"recipients": -3}, "recipients"),
        ({"standard_fen": -1}, "standard_fen"),
        ({"township_id": 999}, "township_id"),
    ],
)
def test_errors_write_nothing(reference_url, over, field):
    i = ids(reference_url)
    with pytest.raises(ValidationFailed) as err:
        disburse(reference_url, i, **over)
    assert field in err.value.errors
    assert count(reference_url, "disbursement") == 0


def test_edit_delete_restore_are_audited(reference_url):
    i = ids(reference_url)
    row_id = disburse(reference_url, i)
    services_for(service.DISBURSEMENT).update(
        db_url=reference_url,
        actor=person("王五"),
        record_id=row_id,
        today=TODAY,
        values=dict(
            township_id=i["township"],
            month_from=date(2023, 7, 1),
            month_to=date(2023, 7, 1),
            recipients=21,
            standard_fen=3000,
            amount_fen=63_000,
            paid_date=date(2023, 7, 10),
        ),
    )
    DISBURSEMENT.delete(db_url=reference_url, actor=person("王五"), record_id=row_id)
    assert q.totals_by_type(reference_url, YEAR).set_index("type_code").at["tekun", "amount_fen"] == 0
    DISBURSEMENT.restore(db_url=reference_url, actor=person("王五"), record_id=row_id)
    assert q.totals_by_type(reference_url, YEAR).set_index("type_code").at["tekun", "amount_fen"] == 63_000
    audit = rows(reference_url, "SELECT * FROM auditlog WHERE table_name = 'disbursement' ORDER BY id")
    assert [a["action"] for a in audit] == ["create", "update", "delete", "restore"]
    assert json.loads(audit[1]["before"])["recipients"] == 20


def test_the_grid_is_all_or_nothing(reference_url):
    i = ids(reference_url)
    grid = [
        {"township_id": i["township"], "recipients": 20},
        {"township_id": i["township"] + 1, "recipients": -1},
        {"township_id": i["township"] + 2, "recipients": 15, "amount_fen": 1},
    ]
    with pytest.raises(GridRejected) as err:
        DISBURSEMENT.add_rows(
            db_url=reference_url,
            actor=person("李四"),
            shared=july(i),
            rows=grid,
            today=TODAY,
        )
    assert set(err.value.problems) == {1, 2}
    assert "recipients" in err.value.problems[1].errors and "amount" in err.value.problems[2].warnings
    assert count(reference_url, "disbursement") == 0
    grid[1]["recipients"] = 12
    made = DISBURSEMENT.add_rows(
        db_url=reference_url,
        actor=person("李四"),
        shared=july(i),
        rows=grid,
        confirm=True,
        warning_note="核实",
        today=TODAY,
    )
    assert len(made) == 3
    assert [r["amount_fen"] for r in rows(reference_url, "SELECT amount_fen FROM disbursement ORDER BY id")] == [
        60_000,
        36_000,
        1,
    ]


def test_by_month_against_the_rows(demo_url):
    scope = make_scope(FilterSpec(2023, "h1"))
    got = q.by_month(demo_url, scope)
    types = {t["id"]: t for t in rows(demo_url, "SELECT * FROM subsidytype")}
    amount, paid_people, expected = defaultdict(int), defaultdict(int), defaultdict(int)
    for r in rows(demo_url, "SELECT * FROM disbursement WHERE deleted_at IS NULL"):
        if "2023-01-01" <= r["paid_date"] <= "2023-06-30":
            t = types[r["type_id"]]
            key = (r["paid_date"][:7], t["code"])
            months = int(r["month_to"][5:7]) - int(r["month_from"][5:7]) + 1
            amount[key] += r["amount_fen"]
            paid_people[key] += r["recipients"]
            expected[key] += r["recipients"] * r["standard_fen"] * (months if t["standard_basis"] == "month" else 1)
    assert {(m, c): a for m, c, a in zip(got.month, got.type_code, got.amount_fen, strict=True)} == dict(amount)
    for r in got.itertuples():
        key = (r.month, r.type_code)
        assert r.per_recipient_fen == pytest.approx(amount[key] / paid_people[key])
        assert r.standard_per_recipient_fen == pytest.approx(expected[key] / paid_people[key])


def test_disbursement_records_trace_every_figure(demo_url):
    scope = make_scope(FilterSpec(2023, "h1"))
    records = q.disbursements(demo_url, scope)
    totals = q.totals_by_type(demo_url, scope)
    assert records["amount_fen"].sum() == totals["amount_fen"].sum() == 121_576_000
    assert (records["created_by"] == "演示数据").all()


def test_excel_has_headers_filter_and_totals():
    table = pd.DataFrame(
        {"乡镇（街道）": ["鲁村镇", "东里镇"], "特困残疾人家庭生活补助": [0.54, 0.36], "合计": [0.54, 0.36]}
    )
    book = openpyxl.load_workbook(
        io.BytesIO(
            to_xlsx(
                table,
                title="补贴发放",
                filter_label="2023年上半年 · 全县",
                taken_at=datetime(2023, 7, 1, tzinfo=UTC),
                totals=("特困残疾人家庭生活补助", "合计"),
            )
        )
    )
    values = [[c.value for c in r] for r in book.active.iter_rows()]
    assert values[0][0] == "补贴发放" and values[1][0] == "筛选：2023年上半年 · 全县"
    assert values[4] == ["乡镇（街道）", "特困残疾人家庭生活补助", "合计"]
    assert values[-1] == ["合计", pytest.approx(0.9), pytest.approx(0.9)]
    assert to_csv(table).startswith("\ufeff".encode())


def test_a_standard_other_than_the_one_in_force_is_a_warning(reference_url):
    i = ids(reference_url)
    with pytest.raises(NeedsConfirmation) as err:
        disburse(reference_url, i, standard_fen=3500)
    assert set(err.value.warnings) == {"standard"} and "有效的标准 30.00 元" in err.value.warnings["standard"]
    row_id = disburse(reference_url, i, standard_fen=3500, confirm=True, warning_note="按县里临时提标发放")
    found = checks.findings(reference_url)
    listed = found[found["check"] == "disbursement.standard"].iloc[0]
    assert listed["note"] == "按县里临时提标发放" and listed["link"] == f"entry_subsidies?record={row_id}"
