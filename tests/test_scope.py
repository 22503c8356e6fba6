from datetime import date

import pytest

from data_layer.domain.scope import FilterSpec, make_scope, parse_params, time_elapsed, to_params

YEARS = [2023, 2022]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, FilterSpec(2023)),
        ({"year": ["2022"]}, FilterSpec(2022)),
        ({"year": ["1999"]}, FilterSpec(2023)),  # unknown year → default
        ({"year": ["abc"], "period": ["h1"]}, FilterSpec(2023, "h1")),
        ({"period": ["q3"]}, FilterSpec(2023, "q3")),
        ({"period": ["bogus"]}, FilterSpec(2023)),
        ({"from": ["2022-03"], "to": ["2022-05"]}, FilterSpec(2022, "range", 3, 5)),
        ({"from": ["2022-05"], "to": ["2022-03"]}, FilterSpec(2023)),  # reversed → ignored
        ({"from": ["2022-03"], "to": ["2023-05"]}, FilterSpec(2023)),  # across years → ignored
        ({"township": ["鲁村镇", "东里镇", "鲁村镇"]}, FilterSpec(2023, townships=("鲁村镇", "东里镇"))),
        ({"county": ["沂源县"]}, FilterSpec(2023, counties=("沂源县",))),
    ],
)
def test_parse_params(params, expected):
    assert parse_params(params, default_year=2023, years=YEARS) == expected


@pytest.mark.parametrize(
    "spec",
    [
        FilterSpec(2023),
        FilterSpec(2023, "h1", townships=("鲁村镇",)),
        FilterSpec(2022, "range", 2, 11),
        FilterSpec(2022, "q4", counties=("沂源县",), townships=("东里镇", "悦庄镇")),
    ],
)
def test_params_round_trip(spec):
    as_lists = {k: v if isinstance(v, list) else [v] for k, v in to_params(spec).items()}
    assert parse_params(as_lists, default_year=2023, years=YEARS) == spec


@pytest.mark.parametrize(
    ("spec", "start", "end"),
    [
        (FilterSpec(2023), date(2023, 1, 1), date(2023, 12, 31)),
        (FilterSpec(2023, "h1"), date(2023, 1, 1), date(2023, 6, 30)),
        (FilterSpec(2023, "h2"), date(2023, 7, 1), date(2023, 12, 31)),
        (FilterSpec(2024, "q1"), date(2024, 1, 1), date(2024, 3, 31)),
        (FilterSpec(2023, "range", 2, 2), date(2023, 2, 1), date(2023, 2, 28)),
        (FilterSpec(2024, "range", 2, 2), date(2024, 2, 1), date(2024, 2, 29)),
    ],
)
def test_date_range(spec, start, end):
    scope = make_scope(spec)
    assert (scope.start, scope.end) == (start, end)


@pytest.mark.parametrize(
    ("year", "end", "today", "expected"),
    [
        (2023, date(2023, 6, 30), date(2026, 1, 1), 181 / 365),
        (2024, date(2024, 6, 30), date(2026, 1, 1), 182 / 366),  # leap year
        (2023, date(2023, 12, 31), date(2026, 1, 1), 1.0),
        (2023, date(2023, 1, 1), date(2026, 1, 1), 1 / 365),
        (2026, date(2026, 12, 31), date(2026, 3, 31), 90 / 365),  # today inside the period
        (2027, date(2027, 6, 30), date(2026, 11, 28), 0.0),  # period in the future
        (2023, date(2023, 3, 31), date(2023, 2, 10), 41 / 365),
    ],
)
def test_time_elapsed(year, end, today, expected):
    assert time_elapsed(year, end, today) == pytest.approx(expected)
