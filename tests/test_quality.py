"""The data-quality registry finds the report's artefacts and suspicious entries, and nothing on clean data."""

from __future__ import annotations

from datetime import date

import pytest

from data_layer import checks
from data_layer.domain.errors import NeedsConfirmation
from data_layer.services import projects as service
from data_layer.services.records import services_for
from tests.conftest import entering, person, rows
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
    entry_id = services_for(service.PROGRESS).create(
        db_url=reference_url,
        actor=person("李四"),
        confirm=True,
        warning_note="捐赠的二手轮椅",
        today=TODAY,
        values=dict(
            item_id=i["item"], township_id=i["township"], entry_date=date(2023, 5, 20), quantity=2, amount_fen=2_000
        ),
    )
    found = checks.findings(reference_url)
    row = found[(found["check"] == "progress.unit_cost")].iloc[0]
    assert f"#{entry_id}" in row["record"] and row["note"] == "捐赠的二手轮椅"
    assert row["link"] == f"entry_projects?record={entry_id}"
    services_for(service.PROGRESS).delete(db_url=reference_url, actor=person("李四"), record_id=entry_id)
    assert checks.findings(reference_url).query("check == 'progress.unit_cost'").empty


def test_repeats_and_over_target_entries(reference_url):
    i = ids(reference_url)
    for day in (date(2023, 5, 20), date(2023, 5, 24)):
        services_for(service.PROGRESS).create(
            db_url=reference_url,
            actor=person("李四"),
            confirm=True,
            today=TODAY,
            values=dict(item_id=i["item"], township_id=i["township"], entry_date=day, quantity=3, amount_fen=135_000),
        )
    services_for(service.PROGRESS).create(
        db_url=reference_url,
        actor=person("李四"),
        confirm=True,
        today=TODAY,
        values=dict(
            item_id=i["item"],
            township_id=i["township"],
            entry_date=date(2023, 6, 20),
            quantity=700,
            amount_fen=700 * 45_000,
        ),
    )
    found = checks.findings(reference_url)
    assert len(found[found["check"] == "progress.repeat"]) == 1
    over = found[found["check"] == "progress.over_target"]
    assert len(over) == 1 and "本次 700" in over.iloc[0]["values"] and "剩余目标 294" in over.iloc[0]["why"]


def test_the_demo_has_only_the_findings_it_confirmed(demo_url):
    found = checks.findings(demo_url)
    entries = found[found["area"] == "重点工程"]
    assert (entries["note"] != "").all()  # every demo warning was confirmed, with a note


def test_the_form_and_the_finding_agree_on_which_entry_overshot(reference_url):
    """Issue #7 §2: an item without township targets; 90 in one township in January, 90 in another in
    December. The form warns on December; 数据质量 must list December, with its note, and not January."""
    i = ids(reference_url)
    doorbells = rows(
        reference_url,
        "SELECT i.id, i.annual_target FROM projectitem i JOIN project p ON p.id = i.project_id "
        "WHERE p.year = 2023 AND i.code = 'doorbell'",
    )[0]
    assert doorbells["annual_target"] == 100 and not rows(reference_url, "SELECT * FROM itemtownshiptarget")
    first_town = rows(reference_url, "SELECT id FROM township WHERE name = '南麻街道'")[0]["id"]
    assert first_town < i["township"]  # the old check ran township by township: December came first

    def add(township_id, day, **kw):
        return entering(service.PROGRESS)(
            db_url=reference_url,
            actor=person("李四"),
            item_id=doorbells["id"],
            township_id=township_id,
            entry_date=day,
            quantity=90,
            amount_fen=90 * 10_000,
            today=TODAY,
            **kw,
        )

    january = add(i["township"], date(2023, 1, 15))
    with pytest.raises(NeedsConfirmation) as warned:
        add(first_town, date(2023, 12, 15))
    december = add(first_town, date(2023, 12, 15), confirm=True, warning_note="年底集中安装，已核实")
    found = checks.findings(reference_url)
    over = found[found["check"] == "progress.over_target"]
    assert list(over["record"].str.extract(r"#(\d+)")[0].astype(int)) == [december]
    assert january != december
    assert over.iloc[0]["note"] == "年底集中安装，已核实"
    assert over.iloc[0]["why"] == warned.value.warnings["over_target"]  # word for word what the form said


def _edges(url: str) -> None:
    """Rows on and just past each soft rule's edge, written straight into the demo store: the SQL form of a
    rule (which rows the checks read) and its Python form (the words) must split them the same way."""
    from sqlalchemy import text

    from data_layer.infra.cache import clear_reads
    from data_layer.infra.db import get_engine
    from data_layer.queries import indicator_context

    items = rows(
        url,
        "SELECT e.id, e.quantity, i.unit_cost_max_fen AS high, i.unit_cost_min_fen AS low FROM progressentry e"
        " JOIN projectitem i ON i.id = e.item_id WHERE i.unit_cost_max_fen IS NOT NULL AND e.quantity > 1"
        " AND e.deleted_at IS NULL ORDER BY e.id",
    )
    monthly = rows(
        url,
        "SELECT d.id FROM disbursement d JOIN subsidytype t ON t.id = d.type_id"
        " WHERE t.payment = 'monthly' AND d.deleted_at IS NULL ORDER BY d.id",
    )
    compared = [c for c in indicator_context.indicator_value_contexts(url, rows="all") if c.last_value > 0]
    outlet = rows(url, "SELECT id FROM outlet ORDER BY id")[0]["id"]
    first_article = rows(url, f"SELECT min(id) AS id FROM article WHERE outlet_id = {outlet}")
    assert len(items) >= 4 and len(monthly) >= 3 and len(compared) >= 2 and first_article[0]["id"]
    high, low, over, free = items[:4]
    article = first_article[0]
    changes = [
        # unit cost exactly at the highest and the lowest plausible, and one fen past the highest; money left out
        (
            "UPDATE progressentry SET amount_fen = :v WHERE id = :id",
            {"v": high["quantity"] * high["high"], "id": high["id"]},
        ),
        (
            "UPDATE progressentry SET amount_fen = :v WHERE id = :id",
            {"v": low["quantity"] * low["low"], "id": low["id"]},
        ),
        (
            "UPDATE progressentry SET amount_fen = :v WHERE id = :id",
            {"v": over["quantity"] * over["high"] + 1, "id": over["id"]},
        ),
        ("UPDATE progressentry SET amount_fen = 0 WHERE id = :id", {"id": free["id"]}),
        # an amount one fen off; months across a new year (December to February: 3) at the right amount
        ("UPDATE disbursement SET amount_fen = amount_fen + 1 WHERE id = :id", {"id": monthly[0]["id"]}),
        (
            "UPDATE disbursement SET month_from = :f, month_to = :t, amount_fen = recipients * standard_fen * 3"
            " WHERE id = :id",
            {"f": date(2021, 12, 1), "t": date(2022, 2, 1), "id": monthly[1]["id"]},
        ),
        # a monthly roll that moves by far more than the allowed share
        ("UPDATE disbursement SET recipients = recipients * 3 + 7 WHERE id = :id", {"id": monthly[2]["id"]}),
        # exactly five times last year's same period, and one more
        (
            "UPDATE indicatorvalue SET value = :v WHERE id = :id",
            {"v": 5 * compared[0].last_value, "id": compared[0].id},
        ),
        (
            "UPDATE indicatorvalue SET value = :v WHERE id = :id",
            {"v": 5 * compared[1].last_value + 1, "id": compared[1].id},
        ),
        # an outlet first used after its earliest article
        ("UPDATE outlet SET first_used_on = :d WHERE id = :id", {"d": date(2020, 1, 1), "id": outlet}),
        ("UPDATE article SET published_on = :d WHERE id = :id", {"d": date(2019, 1, 1), "id": article["id"]}),
    ]
    with get_engine(url).begin() as conn:
        for sql, params in changes:
            conn.execute(text(sql), params)
    clear_reads()  # the rows changed behind the services' back: the data version did not move


def test_every_entry_warning_is_a_finding_with_the_same_words(demo_url):
    """The form and 数据质量 share one computation: the rule context of each stored entry. The checks read only
    the rows the SQL form of each rule selects; every row's context through the Python form must warn on
    exactly those, word for word — on rows placed on and just past each rule's edge too."""
    from data_layer.domain import rules
    from data_layer.queries import article_context, indicator_context, rule_context

    _edges(demo_url)
    found = checks.findings(demo_url)
    forms = [
        ("progress", rule_context.progress_contexts, rules.progress_warnings),
        ("disbursement", rule_context.disbursement_contexts, rules.disbursement_warnings),
        ("article", article_context.article_contexts, rules.article_warnings),
        ("indicator", indicator_context.indicator_value_contexts, rules.indicator_warnings),
    ]
    expected = {
        (f"{kind}.{code}", c.id, message)
        for kind, contexts, warnings in forms
        for c in contexts(demo_url, rows="all")
        for code, message in warnings(c).items()
    }
    for kind, contexts, warnings in forms:  # the SQL form selects no row more than the Python form warns about
        selected = {c.id for c in contexts(demo_url)}
        assert selected == {c.id for c in contexts(demo_url, rows="all") if warnings(c)}, kind
    entered = found[found["area"].isin(["重点工程", "补贴发放", "信息宣传", "其他工作"])]
    got = {(r.check, int(r.link.split("record=")[1]), r.why) for r in entered.itertuples()}
    assert got == expected
    kinds = {check for check, _, _ in expected}
    assert {"progress.unit_cost", "progress.no_amount", "disbursement.amount", "disbursement.jump"} <= kinds
    assert {"indicator.outlier", "article.before_first_use"} <= kinds
