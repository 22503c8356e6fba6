"""Numbers as people type them: read exactly, or refused with the reason (never rounded or misread)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from data_layer.domain.inputs import (
    parse_count,
    parse_decimal,
    parse_percent,
    parse_text,
    parse_yuan,
    read_fields,
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("", None),
        ("  ", None),
        (None, None),
        ("12", 12),
        (" 12 ", 12),
        ("１２", 12),  # full-width digits from a Chinese input method
        ("1,200", 1200),
        ("12人", 12),
        ("12 户", 12),
        ("3.0", 3),
        ("-3", -3),  # read as typed; the service refuses a negative count in words
        ("−3", -3),  # a typographic minus is still a minus
        (7, 7),
    ],
)
def test_counts_read_as_meant(typed, expected):
    assert parse_count(typed, "人数") == expected


@pytest.mark.parametrize(
    ("typed", "words"),
    [("2.5", "人数必须是整数"), ("1e20", "人数应填写整数"), ("三", "人数应填写整数"), ("12/3", "人数应填写整数")],
)
def test_counts_refused_with_the_reason(typed, words):
    with pytest.raises(ValueError, match=words):
        parse_count(typed, "人数")


@pytest.mark.parametrize(
    ("typed", "fen"),
    [
        ("", None),
        ("1350", 135_000),
        ("1,350.50", 135_050),
        ("1350元", 135_000),
        ("１３５０．５", 135_050),
        ("−450", -45_000),
        (".5", 50),
        ("0", 0),
    ],
)
def test_money_read_as_meant(typed, fen):
    assert parse_yuan(typed, "金额") == fen


@pytest.mark.parametrize(
    ("typed", "words"),
    [("1e20", "不是金额"), ("12.345", "最多两位小数"), ("十元", "不是金额"), ("nan", "不是金额"), ("inf", "不是金额")],
)
def test_money_refused_with_the_reason(typed, words):
    with pytest.raises(ValueError, match=words):
        parse_yuan(typed, "金额")


def test_text_is_trimmed_and_none_is_empty():
    assert parse_text("  助残日  ") == "助残日" and parse_text(None) == ""


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("", None),
        (None, None),
        ("2.5", Decimal("2.5")),
        ("２．５", Decimal("2.5")),  # full-width, from a Chinese input method
        (" 0.4167 ", Decimal("0.4167")),
        ("1,200.5", Decimal("1200.5")),
        ("3", Decimal(3)),
        (".5", Decimal("0.5")),
        ("−1.5", Decimal("-1.5")),  # read as typed; ``minimum`` refuses it where it must not be
        ("2.50", Decimal("2.50")),
    ],
)
def test_decimals_read_as_meant(typed, expected):
    assert parse_decimal(typed, "折算人数") == expected


@pytest.mark.parametrize(
    ("typed", "options", "words"),
    [
        ("两人", {}, "折算人数应填写数字"),
        ("1e3", {}, "折算人数应填写数字"),
        ("nan", {}, "折算人数应填写数字"),
        ("1/2", {}, "折算人数应填写数字"),
        ("-0.5", {"minimum": 0}, "折算人数不能为负数"),
        ("0.5", {"minimum": 1}, "折算人数不能小于 1"),
        ("2.555", {"places": 2}, "折算人数最多 2 位小数"),
        ("2.5", {"places": 0}, "折算人数必须是整数"),
    ],
)
def test_decimals_refused_with_the_reason(typed, options, words):
    with pytest.raises(ValueError, match=words):
        parse_decimal(typed, "折算人数", **options)


@pytest.mark.parametrize(("typed", "places"), [("2.500", 1), ("3.0", 0), ("1,000,000.25", 2)])
def test_trailing_zeros_are_not_decimals(typed, places):
    assert parse_decimal(typed, "数", places=places) == Decimal(typed.replace(",", ""))


@pytest.mark.parametrize(
    ("typed", "share"),
    [
        ("", None),
        ("8", Decimal("0.08")),
        ("12.5", Decimal("0.125")),
        ("8%", Decimal("0.08")),
        ("８％", Decimal("0.08")),  # full-width digits and percent sign
        ("5 百分点", Decimal("0.05")),
        ("0", Decimal(0)),
        ("100", Decimal(1)),
    ],
)
def test_percentages_read_as_the_share(typed, share):
    assert parse_percent(typed, "阈值") == share


@pytest.mark.parametrize(
    ("typed", "options", "words"),
    [
        ("百分之五", {}, "阈值应填写百分数"),
        ("0.08.", {}, "阈值应填写百分数"),
        ("5.125", {}, "阈值最多 2 位小数"),
        ("−5", {"minimum": 0}, "阈值不能为负数"),
    ],
)
def test_percentages_refused_with_the_reason(typed, options, words):
    with pytest.raises(ValueError, match=words):
        parse_percent(typed, "阈值", **options)


def test_several_fields_read_at_once_with_a_message_per_field():
    values, errors = read_fields(
        {
            "staff": ("１２０", parse_count, "职工人数"),
            "avg_wage_fen": ("46,000.5", parse_yuan, "平均工资"),
            "weighted": ("2.5人", parse_decimal, "折算人数"),
            "target": ("", parse_count, "目标"),
        }
    )
    assert values == {"staff": 120, "avg_wage_fen": 4_600_050, "target": None}
    assert errors == {"weighted": "折算人数应填写数字，例如 2.5；“2.5人”不是数字"}
