"""The data-quality registry finds the report's artefacts and suspicious entries, and nothing on clean data."""

from __future__ import annotations

from datetime import date

from data_layer import checks
from data_layer.services import projects as service
from tests.test_services import TODAY, ids


def findings_by(url):
    found = checks.findings(url)
    return {(r.check, r.record.split("：")[0]) for r in found.itertuples()}, found


def test_registry_has_one_place_for_every_area_to_add_to():
    assert {
        "progress.unit_cost",
        "progress.over_target",
        "progress.repeat",
        "report.plausible",
        "report.unit_cost_floor",
        "report.over_target",
        "report.parts_sum",
        "report.count_standard",
    } <= set(checks.REGISTRY)


def test_the_report_artefacts_are_found(reference_url):
    keys, found = findings_by(reference_url)
    expected = {
        ("report.unit_cost_floor", "报告数字 sb_wheelchairs"),  # 20万元 for 20230 wheelchairs
        ("report.plausible", "报告数字 sb_wheelchairs"),
        ("report.over_target", "报告数字 ym_registered"),  # 20234 registered, target 200
        ("report.plausible", "报告数字 jy_campaign_start"),  # 5月2023日
        ("report.plausible", "报告数字 bz_pension_people"),  # 162023 people
        ("report.count_standard", "报告数字 bz_dibao_amount"),  # 885 × 50 × 12 ≠ 53202300
        ("report.parts_sum", "报告数字 xc_total"),  # parts ≠ 62
        ("report.plausible", "报告数字 xc_zbdaily"),  # 2023 articles
        ("report.plausible", "报告数字 plan_housing"),  # 20230 households
    }
    assert expected <= keys
    wheelchair = found[found["check"] == "report.unit_cost_floor"].iloc[0]
    assert "9.89 元/台" in wheelchair["values"] and wheelchair["link"] == "sources"
    parts = found[found["check"] == "report.parts_sum"].iloc[0]
    assert "2,075" in parts["values"] and "72" in parts["values"] and "62" in parts["why"]


def test_no_finding_on_plain_figures(reference_url):
    _, found = findings_by(reference_url)
    for clean in ("sb_solar", "ym_welding", "bz_fuel_amount", "xc_national", "zz_certificates"):
        assert not found["record"].str.contains(f"报告数字 {clean}：").any(), clean


def test_an_empty_store_has_no_findings(empty_url):
    assert checks.findings(empty_url).empty


def test_a_confirmed_entry_is_listed_with_its_note(reference_url):
    i = ids(reference_url)
    entry_id = service.add_progress(
        db_url=reference_url,
        actor="李四",
        item_id=i["item"],
        township_id=i["township"],
        entry_date=date(2023, 5, 20),
        quantity=2,
        amount_fen=2_000,
        confirm=True,
        warning_note="捐赠的二手轮椅",
        today=TODAY,
    )
    found = checks.findings(reference_url)
    row = found[(found["check"] == "progress.unit_cost")].iloc[0]
    assert f"#{entry_id}" in row["record"] and row["note"] == "捐赠的二手轮椅"
    assert row["link"] == f"entry_projects?record={entry_id}"
    service.delete_progress(db_url=reference_url, actor="李四", entry_id=entry_id)
    assert checks.findings(reference_url).query("check == 'progress.unit_cost'").empty


def test_repeats_and_over_target_entries(reference_url):
    i = ids(reference_url)
    for day in (date(2023, 5, 20), date(2023, 5, 24)):
        service.add_progress(
            db_url=reference_url,
            actor="李四",
            item_id=i["item"],
            township_id=i["township"],
            entry_date=day,
            quantity=3,
            amount_fen=135_000,
            confirm=True,
            today=TODAY,
        )
    service.add_progress(
        db_url=reference_url,
        actor="李四",
        item_id=i["item"],
        township_id=i["township"],
        entry_date=date(2023, 6, 20),
        quantity=700,
        amount_fen=700 * 45_000,
        confirm=True,
        today=TODAY,
    )
    found = checks.findings(reference_url)
    assert len(found[found["check"] == "progress.repeat"]) == 1
    over = found[found["check"] == "progress.over_target"]
    assert len(over) == 1 and "本次 700" in over.iloc[0]["values"] and "剩余目标 294" in over.iloc[0]["why"]


def test_the_demo_has_only_the_findings_it_confirmed(demo_url):
    found = checks.findings(demo_url)
    entries = found[found["area"] == "重点工程"]
    assert (entries["note"] != "").all()  # every demo warning was confirmed, with a note
