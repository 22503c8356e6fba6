"""Helpers the query modules share: run a statement into a frame; the unit filter."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import pandas as pd
from sqlalchemy import ColumnElement, Float, Numeric, Select, true
from sqlalchemy.types import TypeEngine

from data_layer.domain.scope import Scope
from data_layer.infra.db import get_engine


def frame(url: str, stmt: Select, columns: Sequence[str]) -> pd.DataFrame:
    """Execute ``stmt`` and return its rows under ``columns`` (an empty frame keeps the columns)."""
    with get_engine(url).connect() as conn:
        rows = conn.execute(stmt).all()
    exact = [_is_decimal(c.type) for c in stmt.selected_columns]
    if not all(exact) and any(isinstance(v, Decimal) for r in rows[:1] for v in r):
        rows = [tuple(v if keep else plain_number(v) for v, keep in zip(r, exact, strict=True)) for r in rows]
    return pd.DataFrame([tuple(r) for r in rows], columns=list(columns))


def scalar(url: str, stmt: Select) -> object:
    with get_engine(url).connect() as conn:
        return plain_number(conn.execute(stmt).scalar())


def _is_decimal(kind: TypeEngine) -> bool:
    """A column the models keep as Decimal (ratios, the report's values); everything else is int or float."""
    return isinstance(kind, Numeric) and not isinstance(kind, Float) and bool(kind.asdecimal)


def plain_number(value: object) -> object:
    """PostgreSQL returns sums of integers and of floats as NUMERIC (Decimal); SQLite as int and float.
    The app computes with int and float on both."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def in_units(scope: Scope, township_col, county_col) -> ColumnElement[bool]:
    """Rows of the chosen townships (county-wide rows drop out), and of the chosen counties."""
    clause: ColumnElement[bool] = true()
    if scope.township_ids:
        clause = clause & township_col.in_(scope.township_ids)
    if scope.county_ids:
        clause = clause & county_col.in_(scope.county_ids)
    return clause


def with_township_ids(df: pd.DataFrame, column: str = "township_id") -> pd.DataFrame:
    """Township ids as ints, with None for county-wide rows (not NaN, which names nothing)."""
    ids = [None if pd.isna(v) else int(v) for v in df[column]]
    df[column] = pd.Series(ids, index=df.index, dtype=object)
    return df
