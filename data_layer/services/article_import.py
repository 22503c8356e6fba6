"""Import of the office's 信息报送台账: a file of articles checked row by row in a dry run, then written all or
nothing, through the entry form's own path (``create_rows`` with ``ARTICLE``: the same errors, the same warnings
from the rule context, the same closed months and township limits, the same audit entries).

A title or a link that another row of the same file already has is a warning too: the rows are written in the
file's order, so the rule context sees the earlier row as already recorded; the message then names that row's
number in the file instead of a record number that exists only inside the dry run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlmodel import Session

from data_layer.domain import rules
from data_layer.domain.errors import Checks, GridRejected, Problems, ValidationFailed
from data_layer.domain.roles import Actor
from data_layer.infra.db import get_engine
from data_layer.models import FileLog
from data_layer.queries.article_context import ArticleContext, article_context
from data_layer.queries.article_ledger import IMPORT_KIND
from data_layer.services._core import NOTE_MAX, RecordType, check_actor, create_rows, insert, service
from data_layer.services.publicity import ARTICLE, validate_article

Rows = list[tuple[int, dict[str, Any]]]  # (row number as Excel shows it, the values article_sheet read)


@dataclass
class PlannedArticle:
    """One row of the ledger after the dry run."""

    line: int
    values: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)  # the row cannot be imported
    warnings: dict[str, str] = field(default_factory=dict)  # imported once confirmed with a note

    @property
    def action(self) -> str:
        return "error" if self.errors else "warning" if self.warnings else "create"


def _key(values: dict[str, Any]) -> tuple:
    """A row as stored, to find it again among the rows the rule context reads back."""
    return (values.get("title") or "").strip(), values.get("outlet_id"), values.get("published_on")


def _in_file(rows: Rows) -> RecordType:
    """``ARTICLE`` whose repeat warnings name the file's row when the repeated article is one of the file's."""
    line_of: dict[tuple, int] = {}
    for line, values in rows:
        line_of.setdefault(_key(values), line)

    def line_in_file(c: ArticleContext) -> int | None:
        return line_of.get((c.title, c.outlet_id, c.published_on))

    def warnings(session: Session, ids: list[int]) -> dict[int, dict[str, str]]:
        contexts = article_context(session, ids)
        found = {}
        for i, c in contexts.items():
            found[i] = rules.article_warnings(c)
            for name, other, words in (("title", c.same_title_of, "标题"), ("link", c.same_link_of, "链接")):
                if other in contexts:  # a row of this file, written just before
                    line = line_in_file(contexts[other])
                    found[i][name] = f"与本文件第 {line} 行的{words}相同，是否重复导入？"
        return found

    return replace(ARTICLE, warnings=warnings)


def _stored(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k != "_errors"}


def _attempt(
    session: Session, actor: Actor, rows: Rows, *, confirm: bool, note: str, today: date | None
) -> dict[int, Problems]:
    """``create_rows`` over the rows the reader could read (in the caller's transaction): each row's problems by
    its number in the file; none when every row was written."""
    readable = [(line, values) for line, values in rows if not values.get("_errors")]
    try:
        create_rows(
            session,
            _in_file(readable),
            actor=actor,
            rows=[_stored(values) for _, values in readable],
            confirm=confirm,
            warning_note=note,
            today=today,
        )
    except GridRejected as rejected:
        return {readable[index][0]: problems for index, problems in rejected.problems.items()}
    return {}


def plan_articles(session: Session, rows: Rows, *, actor: Actor, today: date | None = None) -> list[PlannedArticle]:
    """The dry run: every row's errors and warnings, as the entry form would give them. It writes the readable
    rows in ``session`` (the rule context reads what is stored): the caller rolls back."""
    problems = _attempt(session, actor, rows, confirm=False, note="", today=today)
    planned = []
    for line, values in rows:
        row = PlannedArticle(line, _stored(values))
        cell_errors = values.get("_errors")
        if cell_errors:  # a cell the reader could not read: its words, then the form's rules on the other cells
            row.errors = dict(cell_errors)
            for name, message in _rule_errors(session, row.values, today).items():
                row.errors.setdefault(name, message)
        elif line in problems:
            row.errors, row.warnings = problems[line].errors, problems[line].warnings
        planned.append(row)
    return planned


def _rule_errors(session: Session, values: dict[str, Any], today: date | None) -> dict[str, str]:
    checks = Checks()
    validate_article(session, checks, values, today=today or date.today())
    return checks.errors


def preview_import(*, db_url: str, rows: Rows, actor: Actor, today: date | None = None) -> list[PlannedArticle]:
    """The dry run on its own, for the page's preview: nothing it writes is kept."""
    with Session(get_engine(db_url)) as session:
        try:
            return plan_articles(session, rows, actor=actor, today=today)
        finally:
            session.rollback()


def _first(problems: dict[int, Problems], pick: Callable[[Problems], dict[str, str]]) -> str:
    line = min(line for line, p in problems.items() if pick(p))
    return f"第 {line} 行，{next(iter(pick(problems[line]).values()))}"


@service(area="publicity")
def import_articles(
    *,
    session: Session,
    actor: Actor,
    file_name: str,
    rows: Rows,
    warning_note: str = "",
    today: date | None = None,
) -> dict[str, int]:
    """All rows or none: the dry run is repeated inside the transaction (the store may have changed since the
    preview); a row with an error refuses the whole file, and rows with warnings are written only when
    ``warning_note`` says why they are right (stored as each such row's note, as the form's confirm step)."""
    checks = Checks()
    check_actor(checks, actor)
    checks.require(rows, "rows", "文件中没有数据行")
    note = (warning_note or "").strip()
    checks.require(len(note) <= NOTE_MAX, "warning_note", f"核实说明不能超过 {NOTE_MAX} 字")
    checks.raise_if_any()
    unreadable = {line: Problems(errors=values["_errors"]) for line, values in rows if values.get("_errors")}
    problems = unreadable or _attempt(session, actor, rows, confirm=bool(note), note=note, today=today)
    wrong = {line: p for line, p in problems.items() if p.errors}
    if wrong:
        first = _first(wrong, lambda p: p.errors)
        raise ValidationFailed({"rows": f"有 {len(wrong)} 行有问题（第一处：{first}），整个文件未导入"})
    if problems:
        first = _first(problems, lambda p: p.warnings)
        raise ValidationFailed(
            {"warning_note": f"有 {len(problems)} 行需要核实（第一处：{first}），请写明核实说明后再导入"}
        )
    log = FileLog(
        kind=IMPORT_KIND,
        file_name=file_name[:120],
        actor=actor.username,
        rows=len(rows),
        created=len(rows),
        detail=(f"新增稿件 {len(rows)} 篇" + (f"；核实说明：{note}" if note else ""))[:200],
    )
    insert(session, log, actor=actor)
    return {"rows": len(rows), "created": len(rows)}
