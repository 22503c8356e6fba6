"""Numbers as people type them: read exactly, or refused with the reason (never rounded or misread)."""

from __future__ import annotations

import pytest

from data_layer.domain.inputs import parse_count, parse_text, parse_yuan


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
