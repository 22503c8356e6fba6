"""The dry run of an import in words, one shape for every list an office brings (the employer list, the article
ledger, and those to come): what would be created, updated, left as it is, confirmed with a note, or refused,
row by row, as the import component shows it. Each reader fills it through ``plan`` (employer_sheet,
article_sheet); the page keeps an ``ImportRun`` (the plan and the rows its commit writes).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from data_layer.documents.sheets import ParsedFile, problem_list, problem_table

CHANGE_COLUMN = "变化"


class PlannedRow(Protocol):
    """What a service's dry run says of one row (services/employers.PlannedRow, article_import.PlannedArticle)."""

    line: int
    values: dict[str, Any]
    errors: dict[str, str]

    @property
    def action(self) -> str: ...  # error, warning, create, update or same


@dataclass
class ImportPlan:
    """What an import would do, counted in rows and listed in tables whose cells are words."""

    file_name: str
    kind: str  # how the file was read (“Excel 工作簿”, “CSV 文件（GBK 编码）”)
    examples: int  # the template's example rows, left out
    created: int  # rows that add a record (those to confirm included)
    updated: int  # rows that change a stored record
    same: int  # rows already stored exactly as they are
    warned: int  # rows written only once the person confirms them with a note
    problems: int  # rows with at least one error: the whole file is refused
    problem_rows: Any  # DataFrame: 行号, the row's name, 问题, then the file's other cells as typed
    warning_rows: Any  # DataFrame: 行号, the row's name, 需核实, then the file's other cells as typed
    create_rows: Any  # DataFrame: 行号 and the new record in words
    update_rows: Any  # DataFrame: 行号, the record, 变化 (“字段：原值 → 新值”, one line a change)

    @property
    def may_commit(self) -> bool:
        """No row refused, and something to write."""
        return self.problems == 0 and self.created + self.updated > 0


@dataclass
class ImportRun:
    """A file after its dry run: the plan in words and the rows the commit writes (its dry run repeated)."""

    file_name: str
    rows: list[tuple[int, dict[str, Any]]]
    plan: ImportPlan


def plan(
    parsed: ParsedFile,
    planned: Sequence[PlannedRow],
    *,
    name_header: str,
    order: Sequence[str],
    create_rows: Callable[[list], Any],
    update_rows: Callable[[list], Any] | None = None,
) -> ImportPlan:
    """The service's dry run of ``parsed`` in words: the counts, the problems and warnings one line each (in
    the file's column ``order``), and the reader's own tables of the rows that create and update."""
    import pandas as pd

    by_action: dict[str, list] = {"error": [], "warning": [], "create": [], "update": [], "same": []}
    for row in planned:
        by_action[row.action].append(row)
    problems = [(r.line, problem_list(r.errors, order)) for r in by_action["error"]]
    warnings = [(r.line, problem_list(r.warnings, order)) for r in by_action["warning"]]
    new = [*by_action["create"], *by_action["warning"]]  # a row to confirm is a new record too
    changed = by_action["update"]
    return ImportPlan(
        file_name=parsed.file_name,
        kind=parsed.kind,
        examples=parsed.examples,
        created=len(new),
        updated=len(changed),
        same=len(by_action["same"]),
        warned=len(by_action["warning"]),
        problems=len(problems),
        problem_rows=problem_table(parsed, problems, name_header=name_header),
        warning_rows=problem_table(parsed, warnings, name_header=name_header, label="需核实"),
        create_rows=create_rows(sorted(new, key=lambda r: r.line)),
        update_rows=update_rows(changed) if update_rows else pd.DataFrame(columns=["行号", name_header, CHANGE_COLUMN]),
    )


def change_lines(
    changes: Mapping[str, tuple[Any, Any]],
    order: Sequence[str],
    label: Mapping[str, str],
    in_words: Callable[[str, Any], str],
) -> list[str]:
    """“职工人数：120 → 130”, one a changed field (field → (now, after)), in the file's column ``order``."""
    ranked = sorted(changes, key=lambda f: order.index(f) if f in order else len(order))
    return [f"{label.get(f, f)}：{in_words(f, changes[f][0])} → {in_words(f, changes[f][1])}" for f in ranked]
