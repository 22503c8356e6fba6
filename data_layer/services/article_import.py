"""Import of the office's 信息报送台账: a file of articles checked row by row in a dry run, then written all or
nothing, through the entry form's own path (``create_rows`` with ``ARTICLE``: the same errors, the same warnings
from the rule context, the same closed months and township limits, the same audit entries).

A title or a link that another row of the same file already has is a warning too: the rows are written in the
file's order, so the rule context sees the earlier row as already recorded; the message then names that row's
number in the file instead of a record number that exists only inside the dry run.

A row that repeats a stored article field for field (the same ledger, or an exported one, brought again) is left
as it is: counted as unchanged, neither written twice nor asked about.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlmodel import Session, select

from data_layer.domain import rules
from data_layer.domain.errors import Checks, GridRejected, NeedsConfirmation, Problems, ValidationFailed
from data_layer.domain.roles import Actor
from data_layer.domain.typed_inputs import readable_fields
from data_layer.infra.db import get_engine
from data_layer.models import ARTICLE_KINDS, Article, FileLog
from data_layer.queries.article_context import ArticleContext, article_context
from data_layer.queries.article_ledger import IMPORT_KIND
from data_layer.services._core import NOTE_MAX, RecordType, check_actor, create_rows, insert, service
from data_layer.services.publicity import ARTICLE, validate_article

Rows = list[tuple[int, dict[str, Any]]]  # (row number as Excel shows it, the values article_sheet read)
Progress = Callable[[int, int], Any] | None  # (steps done, steps in all): the page's progress bar
TITLES_PER_QUERY = 2_000  # well under every engine's limit of bound parameters
NOTE_NEEDED = "请写明核实说明：这些行为什么没有问题"


@dataclass
class PlannedArticle:
    """One row of the ledger after the dry run."""

    line: int
    values: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)  # the row cannot be imported
    warnings: dict[str, str] = field(default_factory=dict)  # imported once confirmed with a note
    stored_as: int | None = None  # the stored article it repeats field for field (nothing to write)

    @property
    def action(self) -> str:
        if self.errors:
            return "error"
        return "same" if self.stored_as is not None else "warning" if self.warnings else "create"


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


def _readable(rows: Rows) -> Rows:
    """Each row's values as an article's fields type them, before anything looks them up (a repeat, a title in
    the store): a value of another type or with a hidden character is left out and named in ``_errors``, beside
    what the reader found."""
    found = []
    for line, raw in rows:
        values, errors = readable_fields(ARTICLE.fields, _stored(raw))
        errors = {**errors, **raw.get("_errors", {})}
        found.append((line, {**values, "_errors": errors} if errors else values))
    return found


def _stored(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k != "_errors"}


def _as_stored(values: dict[str, Any]) -> tuple:
    """An article's fields as the entry form stores them (an empty type is 信息), to compare a row with the store."""
    title, kind, link = ((values.get(k) or "").strip() for k in ("title", "kind", "link"))
    where = values.get("county_id"), values.get("township_id")
    return (*where, values.get("outlet_id"), values.get("published_on"), title, kind or ARTICLE_KINDS[0], link)


def already_stored(session: Session, actor: Actor, rows: Rows) -> dict[int, int]:
    """The readable rows that repeat a stored article field for field: row number → the article's number.
    Looked up before the dry run writes anything (a row must not find itself). A township officer's rows of
    another township are left to the rules, which refuse them."""
    readable = [(line, values) for line, values in rows if not values.get("_errors")]
    titles = sorted({(values.get("title") or "").strip() for _, values in readable} - {""})
    stored: dict[tuple, int] = {}
    for start in range(0, len(titles), TITLES_PER_QUERY):
        alike = select(Article).where(
            Article.title.in_(titles[start : start + TITLES_PER_QUERY]), Article.deleted_at.is_(None)
        )
        for article in session.exec(alike.order_by(Article.id)):
            stored.setdefault(_as_stored(article.model_dump()), article.id)
    return {
        line: stored[_as_stored(values)]
        for line, values in readable
        if _as_stored(values) in stored and actor.township_allowed(values.get("township_id"))
    }


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
    """The dry run: every row's errors and warnings, as the entry form would give them, and the rows already
    stored. It writes the other readable rows in ``session`` (the rule context reads what is stored): the caller
    rolls back."""
    rows = _readable(rows)
    same = already_stored(session, actor, rows)
    problems = _attempt(session, actor, [r for r in rows if r[0] not in same], confirm=False, note="", today=today)
    planned = []
    for line, values in rows:
        row = PlannedArticle(line, _stored(values), stored_as=same.get(line))
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


def preview_import(
    *, db_url: str, rows: Rows, actor: Actor, today: date | None = None, progress: Progress = None
) -> list[PlannedArticle]:
    """The dry run on its own, for the page's preview: nothing it writes is kept. The rows are checked in one
    pass of the shared writers, so ``progress`` hears only that it is over."""
    with Session(get_engine(db_url)) as session:
        try:
            planned = plan_articles(session, rows, actor=actor, today=today)
        finally:
            session.rollback()
    if progress is not None:
        progress(len(rows), len(rows))
    return planned


def _steps(progress: Progress, total: int) -> Callable[[int], Any]:
    """``progress`` told of one step of ``total`` at a time (or nobody, without one)."""
    return (lambda done: None) if progress is None else (lambda done: progress(done, total))


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
    confirm: bool = False,
    warning_note: str = "",
    today: date | None = None,
    progress: Progress = None,
) -> dict[str, int]:
    """All rows or none: the dry run is repeated inside the transaction (the store may have changed since the
    preview); a row with an error refuses the whole file, and rows with warnings are written only once confirmed
    (``confirm``) with a ``warning_note`` that says why they are right (stored as each such row's note, as the
    form's confirm step); until then ``NeedsConfirmation`` names them.
    Rows already stored as they are are left alone. ``progress(done, total)`` hears of the check, the writes
    (in one pass of the shared writers) and the log."""
    checks = Checks()
    check_actor(checks, actor)
    checks.require(rows, "rows", "文件中没有数据行")
    note = (warning_note or "").strip()
    checks.require(len(note) <= NOTE_MAX, "warning_note", f"核实说明不能超过 {NOTE_MAX} 字")
    checks.raise_if_any()
    steps = _steps(progress, 3)
    steps(0)
    rows = _readable(rows)
    unreadable = {line: Problems(errors=values["_errors"]) for line, values in rows if values.get("_errors")}
    same = {} if unreadable else already_stored(session, actor, rows)
    steps(1)
    new = [row for row in rows if row[0] not in same]
    confirmed = confirm and bool(note)
    problems = unreadable or _attempt(session, actor, new, confirm=confirmed, note=note, today=today)
    wrong = {line: p for line, p in problems.items() if p.errors}
    if wrong:
        first = _first(wrong, lambda p: p.errors)
        raise ValidationFailed({"rows": f"有 {len(wrong)} 行有问题（第一处：{first}），整个文件未导入"})
    if problems:
        first = _first(problems, lambda p: p.warnings)
        warned = {"rows": f"有 {len(problems)} 行需要核实（第一处：{first}），请写明核实说明后再导入"}
        raise NeedsConfirmation(warned | ({"warning_note": NOTE_NEEDED} if confirm else {}))
    steps(2)
    unchanged = f"，无变化 {len(same)} 篇" if same else ""
    log = FileLog(
        kind=IMPORT_KIND,
        file_name=file_name[:120],
        actor=actor.username,
        rows=len(rows),
        created=len(new),
        detail=(f"新增稿件 {len(new)} 篇{unchanged}" + (f"；核实说明：{note}" if note else ""))[:200],
    )
    insert(session, log, actor=actor)
    steps(3)
    return {"rows": len(rows), "created": len(new), "updated": 0}
