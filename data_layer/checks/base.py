"""The registry of data-quality checks and the finding each reports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

FINDING_COLUMNS = ["check", "title", "area", "record", "values", "why", "link", "note"]


@dataclass(frozen=True)
class Finding:
    check: str  # the check's code
    title: str  # what the check tests, in words
    area: str  # 重点工程 / 补贴发放 / 信息宣传 / 报告数字 …
    record: str  # which record: “进度记录 #123 …” or “报告数字 sb_wheelchairs …”
    values: str  # the values that were tested
    why: str  # why they look wrong (for entered records: the very warning the form gave)
    link: str  # url path and query of the page that shows (or edits) the record
    note: str = ""  # the note a person gave when confirming the value


@dataclass(frozen=True)
class Check:
    code: str
    title: str
    area: str
    run: Callable[[str], list[Finding]]


REGISTRY: dict[str, Check] = {}


def check(code: str, title: str, area: str):
    """Register a check; each area adds its own in data_layer/checks/<area>.py."""

    def register(fn: Callable[[str], list[Finding]]) -> Callable[[str], list[Finding]]:
        REGISTRY[code] = Check(code, title, area, fn)
        return fn

    return register
