"""Data-quality checks: one registry that every area adds to, and the findings it makes.

A check is a function ``(url) -> list[Finding]`` registered with ``@check`` in the area's
module here. Checks on entered records list what breaks the soft rules in data_layer/rules.py,
computed from the rule context the entry services use, so a value confirmed on entry shows
here with the very warning it raised and the note that confirmed it. Each soft rule also has a SQL form beside
its context statement (``progress_warned`` …), so the checks read only the rows a rule warns about — at province
scale a few hundred of a million — and the Python form words them (tests/test_quality.py: the two agree).
"""

from __future__ import annotations

from dataclasses import asdict

import pandas as pd

from data_layer.checks import levy, locks, other_work, projects, publicity, report, subsidies  # noqa: F401  (each registers its checks)
from data_layer.checks.base import FINDING_COLUMNS, REGISTRY, Check, Finding, check
from data_layer.infra.cache import cached_query

__all__ = ["FINDING_COLUMNS", "REGISTRY", "Check", "Finding", "check", "findings"]


@cached_query
def findings(url: str) -> pd.DataFrame:
    """Every current finding of every registered check."""
    rows = [asdict(f) for c in REGISTRY.values() for f in c.run(url)]
    return pd.DataFrame(rows, columns=FINDING_COLUMNS)
