"""The one text module: money rounded half-up once, shares and counts, Beijing time; and no other module that
turns money or time into text (checked over the source, so a new hand-written conversion fails here)."""

from __future__ import annotations

import ast
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from data_layer.domain import text

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("fen", "expected"),
    [
        (1_005_000, "1.01 万元"),  # 10,050 元: half-up (the deck's round() and 总览's f-string said 1.00)
        (1_004_900, "1.00 万元"),  # 10,049 元
        (1_004_999, "1.00 万元"),
        (1_005_001, "1.01 万元"),
        (12_157_600, "12.16 万元"),
        (26_550_000, "26.55 万元"),
        (754_824_000_00, "75,482.40 万元"),
        (0, "0.00 万元"),
        (-1_005_000, "-1.01 万元"),
        (None, "—"),
        (float("nan"), "—"),
        (1_004_999.5, "1.00 万元"),  # an average's half fen
        (1_005_000.0, "1.01 万元"),  # a float from pandas
    ],
)
def test_wan_rounds_half_up_once(fen, expected):
    assert text.wan(fen) == expected


def test_every_50_yuan_step_rounds_as_decimal_half_up():
    """4,000 amounts from 1 to 21 万元 in 50-元 steps: the text module agrees with exact decimal arithmetic
    (three of the four old rules disagreed on 1,000 of them)."""
    for step in range(4000):
        fen = 1_000_000 + step * 5_000
        exact = (Decimal(fen) / Decimal(1_000_000)).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
        assert text.wan_number(fen) == exact
        assert text.wan(fen) == f"{exact:,.2f} 万元"
        assert text.wan_number(float(fen)) == exact  # pandas' float sums round the same way


@pytest.mark.parametrize(
    ("fen", "expected"),
    [(1_005_000, "10,050.00 元"), (5, "0.05 元"), (0.5, "0.01 元"), (1.5, "0.02 元"), (2.5, "0.03 元"), (None, "—")],
)
def test_yuan(fen, expected):
    assert text.yuan(fen) == expected


@pytest.mark.parametrize(
    ("share", "expected"),
    [(0.5255, "52.6%"), (0.52549, "52.5%"), (0.125, "12.5%"), (0.0625, "6.3%"), (1, "100.0%"), (None, "—")],
)
def test_pct_one_decimal_half_up(share, expected):
    assert text.pct(share) == expected


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [(1536, "篇", "1,536 篇"), (1536.0, "", "1,536"), (2.5, "人", "2.5 人"), (None, "", "—")],
)
def test_count(value, unit, expected):
    assert text.count(value, unit) == expected


def test_report_money_is_the_boards_rounding_without_separators():
    assert text.report_money(26_550_000) == "26.55万元"
    assert text.report_money(1_005_000) == "1.01万元"
    assert text.report_money(676_000) == "6760元"
    assert text.report_money(30_000_000) == "30万元"
    assert text.wan_number(1_005_000) == Decimal(text.report_money(1_005_000).removesuffix("万元"))


def test_times_are_beijing_time_across_midnight():
    """A lock made at 00:30 Beijing time (16:30 UTC the day before) is on the Beijing date in every message."""
    at = datetime(2026, 12, 7, 16, 30, tzinfo=UTC)
    assert text.time(at) == "2026年12月8日 00:30"
    assert text.short_time(at) == "2026-12-08 00:30"
    assert text.local_day(at) == date(2026, 12, 8)
    assert text.as_of(at) == "2026年12月8日 00:30（北京时间）"
    assert text.time(at.replace(tzinfo=None)) == "2026年12月8日 00:30"  # the store's naive times are UTC
    assert text.time("2026-12-07T16:30:00+00:00") == "2026年12月8日 00:30"
    assert text.stamp(at) == "20261208"
    assert text.file_stamp(at) == "20261208-003000"
    assert text.file_stamp(datetime(2026, 12, 7, 9, 55, 0)) == "20261207-175500"  # naive: UTC


def test_compact_day_and_whole_yuan_without_unit():
    assert text.compact_day(date(2023, 5, 2)) == "20230502"
    assert text.whole_yuan(600_000, unit=False) == "6,000"
    assert text.whole_yuan(5_050, unit=False) == "50.50"
    assert text.whole_yuan(600_000) == "6,000 元"


@pytest.mark.parametrize(
    ("fen", "typed"),
    [(600_000, "6000"), (600_050, "6000.50"), (600_005, "6000.05"), (0, "0"), (-45_000, "-450"), (None, "")],
)
def test_a_fen_amount_typed_back_reads_back_to_the_same_fen(fen, typed):
    from data_layer.domain.inputs import parse_yuan

    assert text.yuan_input(fen) == typed
    assert parse_yuan(typed, "金额") == fen


@pytest.mark.parametrize(
    ("share", "typed", "rate"),
    [
        (0.08, "8", "8%"),
        (0.125, "12.5", "12.5%"),
        (Decimal("0.015"), "1.5", "1.5%"),
        (1, "100", "100%"),
        (0, "0", "0%"),
    ],
)
def test_a_share_typed_back_in_percent_and_a_rule_rate(share, typed, rate):
    from data_layer.domain.inputs import parse_percent

    assert text.percent_input(share) == typed
    assert text.rate(share) == rate
    assert parse_percent(typed, "阈值", places=4) == Decimal(str(share))


def test_head_count_keeps_four_decimals_at_most():
    assert [text.head_count(v) for v in (2, Decimal("0.5"), Decimal(20) / 12, 1.0, None)] == [
        "2",
        "0.5",
        "1.6667",
        "1",
        "—",
    ]


def test_dates_and_periods():
    assert text.day(date(2023, 5, 20)) == "2023年5月20日"
    assert text.iso_day(date(2023, 5, 2)) == "2023-05-02"
    assert text.period(date(2023, 1, 1), date(2023, 6, 30)) == "2023年1月1日至6月30日"
    assert text.period(date(2023, 5, 17), date(2023, 5, 17)) == "2023年5月17日"
    assert text.period(date(2023, 12, 1), date(2024, 1, 31)) == "2023年12月1日至2024年1月31日"
    assert text.month_span(date(2023, 7, 1), date(2023, 9, 1)) == "2023-07–2023-09"
    assert text.month_range(date(2023, 7, 1), date(2023, 9, 1)) == "2023年7月–9月"


def test_a_figure_prints_the_number_it_holds():
    for kind, value in (("wan", 1_005_000), ("pct", 0.5255), ("count", 1536), ("yuan", 1_005_000)):
        printed = text.value(kind, value, "篇" if kind == "count" else "")
        number = text.number(kind, value)
        assert printed.split(" ")[0].rstrip("%").replace(",", "") == str(number)


# --- no other module turns money or time into text ----------------------------------------------------------

SCALES = {100, 1e4, 1e6}  # fen → 元, 元 → 万元, fen → 万元
TIME_CALLS = {"strftime", "astimezone", "tz_convert"}
TIME_FORMATS = ("%Y", "%m", "%d", "%H", "%M")
RETIRED = {"fen_to_wan", "fen_to_yuan", "cn_date", "cn_datetime", "period_text", "as_of_text"}
# Where scaling or a clock is arithmetic, not words: each with its reason.
ALLOWED = {
    ("data_layer/infra/audit.py", "strftime"): "the audit chain hashes a canonical UTC form, never shown",
    ("data_layer/infra/audit.py", "astimezone"): "the audit chain hashes a canonical UTC form, never shown",
    ("data_layer/domain/money.py", "scale"): "fen ↔ 元 as exact values (Decimal), not text",
}


def conversions(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.BinOp)
            and isinstance(node.op, ast.Div)
            and isinstance(node.right, ast.Constant)
            and node.right.value in SCALES
        ):
            found.append((node.lineno, "scale"))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in TIME_CALLS:
            found.append((node.lineno, node.func.attr))
        elif isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            if any(f in ast.unparse(node.format_spec) for f in TIME_FORMATS):
                found.append((node.lineno, "time format"))
        elif isinstance(node, ast.FunctionDef) and node.name in RETIRED:
            found.append((node.lineno, f"def {node.name}"))
        elif isinstance(node, ast.Name | ast.Attribute | ast.alias):
            name = (
                node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else node.name
            )
            if name in RETIRED:
                found.append((node.lineno, name))
    return found


def test_no_module_but_the_text_module_turns_money_or_time_into_text():
    sources = [ROOT / "dashboard.py"] + [
        p for d in ("data_layer", "pages", "seeds", "scripts") for p in (ROOT / d).rglob("*.py")
    ]
    offending = []
    for path in sorted(sources):
        name = path.relative_to(ROOT).as_posix()
        if name == "data_layer/domain/text.py" or "/migrations/" in name:
            continue
        offending += [f"{name}:{line}: {why}" for line, why in conversions(path) if (name, why) not in ALLOWED]
    assert offending == [], "money or time worded outside data_layer/domain/text.py:\n" + "\n".join(offending)
