"""The report's figure checks (data_layer/checks/report.py), each against a hand computation over the rows of
``seedfigure`` and ``projectitem``; ``printed_number`` row by row. One copy of the reference store per engine
serves the module: a few figures are rewritten once so each check meets a row on its boundary (exactly the
plausible bound, exactly twice the target, exactly the unit-cost floor, a product that holds)."""

from __future__ import annotations

import json
import re
import sqlite3
from collections import defaultdict

import pytest

from data_layer.checks import report
from tests.conftest import ENGINES, rows
from tests.shared_stores import shared_store

CHANGES = {  # code: (printed, checks)
    "sb_solar": ("70", {"plausible": [0, 70]}),  # exactly the upper bound: fine
    "ym_welding": ("69", {"plausible": [0, 68]}),  # one over it
    "sb_doorbells": ("200", {}),  # exactly twice the 2023 target of 100: fine
    "plan_training": ("263", {}),  # 263 > 2 × 131
    "jd_bases": ("600", {"unit_cost_floor": {"money": "zc_visit_money", "item": "shuangbai.doorbell"}}),  # = 50 元
    "jd_new_base": ("601", {"unit_cost_floor": {"money": "zc_visit_money", "item": "shuangbai.doorbell"}}),  # < 50 元
    "bz_housing_amount": (  # 50 × 200 × 30 = 300,000: holds
        "30万元",
        {"product": {"count": "bz_housing_households", "standard": "bz_pension_standard", "months": 30}},
    ),
    "kf_children_files": ("80", {"parts": ["kf_cp", "kf_intellectual", "kf_deaf", "kf_autism"]}),  # 17 ≠ 80
    "zc_visits_all": (  # 130 + 2 + 51 + 13 + 4 = 200, printed and used: holds
        "200余户",
        {
            "parts": [
                "zc_visits_dpf",
                "jd_training_bases",
                "zc_donor_enterprises",
                "kf_psy_inpatient",
                "kf_intellectual",
            ]
        },
    ),
}


def rewrite(url: str) -> None:
    statements = [
        ("UPDATE seedfigure SET value_printed = ?, checks = ? WHERE code = ?", (p, json.dumps(c), code))
        for code, (p, c) in CHANGES.items()
    ]
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            for sql, params in statements:
                conn.execute(sql, params)
        return
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        for sql, params in statements:
            conn.execute(sql.replace("?", "%s"), params)


@pytest.fixture(scope="module", params=ENGINES)
def url(request, tmp_path_factory):
    yield from shared_store(request, tmp_path_factory, "reference", rewrite)


# --- by hand -------------------------------------------------------------------------------------------------


def number_by_hand(printed: str, checks: dict) -> float | None:
    if "number" in checks:
        return float(checks["number"])
    head = re.match(r"[0-9.]+", printed)
    if not head or re.search(r"[0-9]", printed[head.end() :]) or head.group().count(".") > 1:
        return None
    scale = 10_000 if printed[head.end() :].startswith("万") else 1
    return float(head.group()) * scale


def figures(url: str) -> dict[str, dict]:
    out = {}
    for f in rows(url, "SELECT * FROM seedfigure"):
        f["checks"] = json.loads(f["checks"] or "{}")
        f["n"] = number_by_hand(str(f["value_printed"]), f["checks"])
        out[f["code"]] = f
    return out


def items(url: str) -> list[dict]:
    return rows(
        url,
        "SELECT p.code || '.' || i.code AS item, p.year, i.unit_cost_min_fen, i.annual_target "
        "FROM projectitem i JOIN project p ON p.id = i.project_id",
    )


def codes(found) -> list[str]:
    return sorted(f.record.split("：")[0].removeprefix("报告数字 ") for f in found)


# --- printed_number ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("printed", "checks", "number"),
    [
        ("20230", {}, 20230),
        ("30万元", {}, 300_000),
        ("20万余元", {}, 200_000),
        ("3.5万", {}, 35_000),
        ("1500多家", {}, 1500),
        ("12.5", {}, 12.5),
        ("一处", {}, None),  # words
        ("全部发放到位", {}, None),
        ("", {}, None),
        ("5月2023日", {}, None),  # two numbers: none
        ("5月2023日", {"number": 2023}, 2023),  # the figure says which number it means
    ],
)
def test_printed_number(printed, checks, number):
    assert report.printed_number({"value_printed": printed, "checks": checks}) == number
    assert number_by_hand(printed, checks) == number  # the hand parse the checks below are compared with


# --- the checks ---------------------------------------------------------------------------------------------


def test_report_plausible(url):
    expected = [
        code
        for code, f in figures(url).items()
        if "plausible" in f["checks"]
        and f["n"] is not None
        and not f["checks"]["plausible"][0] <= f["n"] <= f["checks"]["plausible"][1]
    ]
    found = report.report_plausible(url)
    assert codes(found) == sorted(expected)
    assert "ym_welding" in expected and "sb_solar" not in expected  # one over, exactly on the bound
    assert all(f.check == "report.plausible" and f.link == "sources" and f.area == "报告数字" for f in found)


def test_report_unit_cost_floor(url):
    figs = figures(url)
    floors = {(i["item"], i["year"]): i["unit_cost_min_fen"] for i in items(url)}
    expected = []
    for code, f in figs.items():
        rule = f["checks"].get("unit_cost_floor")
        if not rule or rule["money"] not in figs:
            continue
        floor = floors.get((rule["item"], int(f["period"][:4])))
        money_fen = round(float(figs[rule["money"]]["value_used"]) * 100)
        if f["n"] and floor and money_fen / f["n"] < floor:
            expected.append(code)
    found = report.report_unit_cost_floor(url)
    assert codes(found) == sorted(expected)
    assert "jd_new_base" in expected and "jd_bases" not in expected and "sb_wheelchairs" in expected


def test_report_over_target(url):
    targets = defaultdict(int)
    for i in items(url):
        targets[(i["item"], i["year"])] += i["annual_target"]
    expected = []
    for code, f in figures(url).items():
        metric = f["metric"] or ""
        if metric.startswith("progress.quantity:") and f["n"] is not None:
            target = targets.get((metric.split(":", 1)[1], int(f["period"][:4])))
            if target and f["n"] > 2 * target:
                expected.append(code)
    found = report.report_over_target(url)
    assert codes(found) == sorted(expected)
    assert {"ym_registered", "plan_training"} <= set(expected) and "sb_doorbells" not in expected


def test_report_parts_sum(url):
    figs = figures(url)
    expected = []
    for code, f in figs.items():
        parts = [figs[c] for c in f["checks"].get("parts", []) if c in figs]
        if parts and f["n"] is not None:
            printed = sum(p["n"] or 0 for p in parts)
            used = sum(float(p["value_used"]) for p in parts)
            if printed != f["n"] or used != f["n"]:
                expected.append(code)
    found = report.report_parts_sum(url)
    assert codes(found) == sorted(expected)
    assert {"xc_total", "kf_children_files"} <= set(expected)
    assert "zc_visits_all" not in expected  # the parts add up


def test_report_count_standard(url):
    figs = figures(url)
    expected = []
    for code, f in figs.items():
        rule = f["checks"].get("product")
        if not rule or rule["count"] not in figs or rule["standard"] not in figs:
            continue
        count, standard = figs[rule["count"]]["n"], figs[rule["standard"]]["n"]
        if None not in (count, standard, f["n"]) and count * standard * rule.get("months", 1) != f["n"]:
            expected.append(code)
    found = report.report_count_standard(url)
    assert codes(found) == sorted(expected)
    assert "bz_dibao_amount" in expected and "bz_housing_amount" not in expected
    dibao = next(f for f in found if "bz_dibao_amount" in f.record)
    assert "885 × 50 元 × 12 个月 = 531,000 元" in dibao.values
