"""Progress entry rules: warnings to confirm, corrections, deletion and restore, the month grid, settings."""

from __future__ import annotations

import json
from datetime import date

import pytest

from data_layer import app_settings
from data_layer.domain.errors import GridRejected, NeedsConfirmation, ValidationFailed
from data_layer.domain.pacing import PaceThresholds
from data_layer.domain.scope import FilterSpec, make_scope
from data_layer.queries import projects as q
from data_layer.services import projects as service
from data_layer.services.records import services_for
from tests.conftest import entering, person, rows
from tests.test_services import TODAY, count, ids

YEAR = make_scope(FilterSpec(2023))
PROGRESS = services_for(service.PROGRESS)


def add(url, i, **over):
    values = dict(
        actor=person("李四"),
        item_id=i["item"],
        township_id=i["township"],
        entry_date=date(2023, 5, 20),
        quantity=3,
        amount_fen=3 * 45_000,
        today=TODAY,
    )
    return entering(service.PROGRESS)(db_url=url, **{**values, **over})


def wheelchairs_done(url, scope=YEAR) -> float:
    got = q.item_progress(url, scope)
    return got[(got.project_code == "shuangbai") & (got.item_code == "wheelchair")].done_ytd.iloc[0]


@pytest.mark.parametrize(
    ("over", "code"),
    [
        ({"quantity": 2, "amount_fen": 2_000}, "unit_cost"),  # 10 元 a wheelchair
        ({"quantity": 2, "amount_fen": 2 * 900_000}, "unit_cost"),  # 9,000 元 a wheelchair
        ({"quantity": 700, "amount_fen": 700 * 45_000}, "over_target"),  # target 300
    ],
)
def test_warnings_need_confirmation(reference_url, over, code):
    i = ids(reference_url)
    before = count(reference_url, "progressentry"), count(reference_url, "auditlog")
    with pytest.raises(NeedsConfirmation) as err:
        add(reference_url, i, **over)
    assert code in err.value.warnings and any("\u4e00" <= c <= "\u9fff" for c in err.value.warnings[code])
    assert (count(reference_url, "progressentry"), count(reference_url, "auditlog")) == before
    entry_id = add(reference_url, i, **over, confirm=True, warning_note="已电话核实")
    saved = rows(reference_url, "SELECT * FROM progressentry WHERE id = ?", (entry_id,))[0]
    assert saved["warning_note"] == "已电话核实"


def test_a_repeat_within_seven_days_is_a_warning(reference_url):
    i = ids(reference_url)
    add(reference_url, i)
    with pytest.raises(NeedsConfirmation) as err:
        add(reference_url, i, entry_date=date(2023, 5, 25))
    assert "repeat" in err.value.warnings
    add(reference_url, i, entry_date=date(2023, 6, 10))  # 21 days later: no warning


def test_the_township_target_is_the_one_that_counts(reference_url):
    i = ids(reference_url)
    service.set_township_target(
        db_url=reference_url, actor=person("管理员"), item_id=i["item"], township_id=i["township"], target=10
    )
    with pytest.raises(NeedsConfirmation) as err:  # 25 > 2 × 10, though far below the county's 300
        add(reference_url, i, quantity=25, amount_fen=25 * 45_000)
    assert "该乡镇剩余目标" in err.value.warnings["over_target"]


def test_edit_is_audited_and_read(reference_url):
    i = ids(reference_url)
    entry_id = add(reference_url, i)
    services_for(service.PROGRESS).update(
        db_url=reference_url,
        actor=person("王五"),
        record_id=entry_id,
        today=TODAY,
        values=dict(
            township_id=i["township"], entry_date=date(2023, 5, 21), quantity=5, amount_fen=5 * 45_000, note="更正"
        ),
    )
    audit = rows(reference_url, "SELECT * FROM auditlog WHERE table_name = 'progressentry' ORDER BY id")
    assert [a["action"] for a in audit] == ["create", "update"]
    assert json.loads(audit[1]["before"])["quantity"] == 3 and json.loads(audit[1]["after"])["quantity"] == 5
    assert audit[1]["actor"] == "王五"
    assert wheelchairs_done(reference_url) == 5


def test_bad_edit_writes_nothing(reference_url):
    i = ids(reference_url)
    entry_id = add(reference_url, i)
    before = count(reference_url, "auditlog")
    with pytest.raises(ValidationFailed) as err:
        services_for(service.PROGRESS).update(
            db_url=reference_url,
            actor=person("王五"),
            record_id=entry_id,
            today=TODAY,
            values=dict(township_id=i["township"], entry_date=date(2023, 5, 21), quantity=-5, amount_fen=0),
        )
    assert "quantity" in err.value.errors
    assert count(reference_url, "auditlog") == before
    assert rows(reference_url, "SELECT quantity FROM progressentry WHERE id = ?", (entry_id,))[0]["quantity"] == 3


def test_delete_and_restore(reference_url):
    i = ids(reference_url)
    entry_id = add(reference_url, i)
    PROGRESS.delete(db_url=reference_url, actor=person("王五"), record_id=entry_id)
    assert wheelchairs_done(reference_url) == 0
    assert list(q.entries(reference_url, YEAR, deleted=True)["id"]) == [entry_id]
    with pytest.raises(ValidationFailed):
        PROGRESS.delete(db_url=reference_url, actor=person("王五"), record_id=entry_id)
    with pytest.raises(ValidationFailed):
        services_for(service.PROGRESS).update(
            db_url=reference_url,
            actor=person("王五"),
            record_id=entry_id,
            today=TODAY,
            values=dict(township_id=i["township"], entry_date=date(2023, 5, 21), quantity=1, amount_fen=45_000),
        )
    PROGRESS.restore(db_url=reference_url, actor=person("王五"), record_id=entry_id)
    assert wheelchairs_done(reference_url) == 3
    actions = [
        a["action"] for a in rows(reference_url, "SELECT action FROM auditlog WHERE table_name = 'progressentry'")
    ]
    assert actions == ["create", "delete", "restore"]


def grid_rows(i, *quantities):
    return [
        {"township_id": i["township"] + n, "quantity": q_, "amount_fen": q_ * 45_000, "note": ""}
        for n, q_ in enumerate(quantities)
    ]


def test_grid_is_all_or_nothing(reference_url):
    i = ids(reference_url)
    rows_in = grid_rows(i, 2, -1, 4)
    with pytest.raises(GridRejected) as err:
        PROGRESS.add_rows(
            db_url=reference_url,
            actor=person("李四"),
            shared={"item_id": i["item"], "entry_date": date(2023, 5, 31)},
            rows=rows_in,
            today=TODAY,
        )
    assert list(err.value.problems) == [1] and "quantity" in err.value.problems[1].errors
    assert count(reference_url, "progressentry") == 0


def test_grid_warnings_need_confirmation(reference_url):
    i = ids(reference_url)
    rows_in = grid_rows(i, 2, 3)
    rows_in[1]["amount_fen"] = 100  # 0.33 元 a wheelchair
    with pytest.raises(GridRejected) as err:
        PROGRESS.add_rows(
            db_url=reference_url,
            actor=person("李四"),
            shared={"item_id": i["item"], "entry_date": date(2023, 5, 31)},
            rows=rows_in,
            today=TODAY,
        )
    assert "unit_cost" in err.value.problems[1].warnings and not err.value.problems[1].errors
    ids_ = PROGRESS.add_rows(
        db_url=reference_url,
        actor=person("李四"),
        shared={"item_id": i["item"], "entry_date": date(2023, 5, 31)},
        rows=rows_in,
        confirm=True,
        warning_note="核实",
        today=TODAY,
    )
    assert len(ids_) == 2 and count(reference_url, "progressentry") == 2
    assert count(reference_url, "auditlog") - count(reference_url, "auditlog WHERE table_name != 'progressentry'") == 2
    assert wheelchairs_done(reference_url) == 5


def plan_wheelchairs(url: str, item_id: int, start: int | None, end: int | None) -> None:
    """The wheelchair item as the reference has it, planned for months ``start``…``end``."""
    service.update_item(
        db_url=url,
        actor=person("管理员"),
        item_id=item_id,
        name="捐赠轮椅",
        unit="台",
        annual_target=300,
        budget_fen=None,
        unit_cost_min_fen=None,
        unit_cost_max_fen=None,
        plan_start_month=start,
        plan_end_month=end,
    )


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [(9, 3, "plan_end_month"), (7, None, "plan_start_month"), (0, 6, "plan_start_month"), (7, 13, "plan_start_month")],
)
def test_an_items_plan_is_refused_beside_its_field_when_it_is_not_a_span_of_months(reference_url, start, end, field):
    i = ids(reference_url)
    before = rows(reference_url, "SELECT * FROM projectitem ORDER BY id")
    with pytest.raises(ValidationFailed) as err:
        plan_wheelchairs(reference_url, i["item"], start, end)
    assert list(err.value.errors) == [field] and "月" in err.value.errors[field]
    assert rows(reference_url, "SELECT * FROM projectitem ORDER BY id") == before


def test_an_items_plan_moves_its_pace(reference_url):
    """Planned for July–September: in June 0 % is due; on 15 August half of the planned days have gone."""
    plan_wheelchairs(reference_url, ids(reference_url)["item"], 7, 9)
    june = make_scope(FilterSpec(YEAR.year, "h1"), [])
    got = q.item_pace(reference_url, june, date(2026, 11, 29))
    wheelchair = got[got.item_code == "wheelchair"].iloc[0]
    assert (wheelchair["elapsed"], wheelchair["plan"]) == (0.0, "7—9月")
    year = make_scope(FilterSpec(YEAR.year), [])
    mid_august = q.item_pace(reference_url, year, date(YEAR.year, 8, 15))
    assert mid_august[mid_august.item_code == "wheelchair"]["elapsed"].iloc[0] == pytest.approx(46 / 92)


def test_item_and_township_targets_are_data(reference_url):
    i = ids(reference_url)
    service.update_item(
        db_url=reference_url,
        actor=person("管理员"),
        item_id=i["item"],
        name="捐赠轮椅",
        unit="台",
        annual_target=360,
        budget_fen=16_000_000,
        unit_cost_min_fen=30_000,
        unit_cost_max_fen=300_000,
    )
    got = q.item_progress(reference_url, YEAR)
    assert got[got.item_code == "wheelchair"].target.iloc[0] == 360
    with pytest.raises(ValidationFailed) as err:
        service.update_item(
            db_url=reference_url,
            actor=person("管理员"),
            item_id=i["item"],
            name="捐赠轮椅",
            unit="台",
            annual_target=360,
            budget_fen=None,
            unit_cost_min_fen=50_000,
            unit_cost_max_fen=100,
        )
    assert "unit_cost_max_fen" in err.value.errors
    changed = service.set_township_targets(
        db_url=reference_url,
        actor=person("管理员"),
        item_id=i["item"],
        targets={i["township"]: 40, i["township"] + 1: 25},
    )
    assert changed == 2
    assert (
        service.set_township_targets(
            db_url=reference_url, actor=person("管理员"), item_id=i["item"], targets={i["township"]: 40}
        )
        == 0
    )


def test_pace_thresholds_are_settings(reference_url):
    assert app_settings.pace_thresholds(reference_url) == PaceThresholds(0.05, 0.20)
    app_settings.set_pace_thresholds(db_url=reference_url, actor=person("管理员"), behind=0.1, far_behind=0.3)
    assert app_settings.pace_thresholds(reference_url) == PaceThresholds(0.1, 0.3)
    with pytest.raises(ValidationFailed) as err:
        app_settings.set_pace_thresholds(db_url=reference_url, actor=person("管理员"), behind=0.3, far_behind=0.1)
    assert "far_behind" in err.value.errors
    assert count(reference_url, "auditlog WHERE table_name = 'appsetting'") == 2


def test_an_inactive_township_takes_no_new_entries_but_its_entries_can_be_corrected(reference_url):
    from data_layer.services import org

    i = ids(reference_url)
    entry_id = add(reference_url, i)
    org.update_township(
        db_url=reference_url,
        actor=person("管理员"),
        township_id=i["township"],
        name="鲁村镇",
        kind="镇",
        sort_order=4,
        active=False,
    )
    with pytest.raises(ValidationFailed) as err:
        add(reference_url, i, entry_date=date(2023, 6, 20))
    assert "已停用" in err.value.errors["township_id"]
    services_for(service.PROGRESS).update(
        db_url=reference_url,
        actor=person("王五"),
        record_id=entry_id,
        today=TODAY,
        values=dict(township_id=i["township"], entry_date=date(2023, 5, 20), quantity=4, amount_fen=4 * 45_000),
    )
    assert rows(reference_url, "SELECT township_id, quantity FROM progressentry")[0] == {
        "township_id": i["township"],
        "quantity": 4,
    }


def test_a_quantity_without_money_warns_only_where_the_item_records_money(reference_url):
    i = ids(reference_url)
    with pytest.raises(NeedsConfirmation) as err:
        add(reference_url, i, amount_fen=None)
    assert "no_amount" in err.value.warnings
    add(
        reference_url, i, item_id=i["county_item"], township_id=None, quantity=10, amount_fen=None
    )  # training: no money
