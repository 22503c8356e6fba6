"""Each list an office brings, as the import component (pages/common/file_import.py) calls it: the file read
(data_layer/documents/sheets.py: header, aliases, GBK or UTF-8, .xlsx), checked row by row in a dry run that
writes nothing (an ``ImportPlan`` in words), then written all or nothing by its service, which repeats the
dry run inside its transaction. A new kind of list adds its pair of functions here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from data_layer.documents import article_sheet, employer_sheet
from data_layer.documents.import_plan import ImportRun
from data_layer.domain.roles import Actor
from data_layer.queries.articles import outlets
from data_layer.queries.org import ActingCounty
from data_layer.services import article_import, employers

Progress = Callable[[int, int], Any] | None  # (done, total): the page's progress bar


def _by_name(ids: dict[int, str]) -> dict[str, int]:
    return {name: i for i, name in ids.items()}


def employers_dry_run(
    *, db_url: str, actor: Actor, county: ActingCounty, data: bytes, file_name: str, progress: Progress = None
) -> ImportRun:
    """An employer list: new credit codes create, registered ones update (field by field), the rest unchanged."""
    parsed = employer_sheet.parse_employers(
        data, file_name, county_id=county.county_id, townships=_by_name(county.townships)
    )
    planned = employers.preview_import(db_url=db_url, rows=parsed.rows, actor=actor, progress=progress)
    return ImportRun(file_name, parsed.rows, employer_sheet.preview(parsed, planned, county.townships))


def employers_commit(
    *, db_url: str, actor: Actor, run: ImportRun, confirm: bool, warning_note: str, progress: Progress = None
) -> dict[str, int]:
    """The registry's rules are all hard ones: nothing to confirm (``confirm`` and the note are not needed)."""
    return employers.import_employers(
        db_url=db_url, actor=actor, file_name=run.file_name, rows=run.rows, progress=progress
    )


def _outlet_ids(db_url: str) -> dict[int, str]:
    found = outlets(db_url)
    return dict(zip((int(i) for i in found["outlet_id"]), found["outlet"], strict=True))


def articles_dry_run(
    *,
    db_url: str,
    actor: Actor,
    county: ActingCounty,
    data: bytes,
    file_name: str,
    progress: Progress = None,
    today: date | None = None,
) -> ImportRun:
    """The office's 信息报送台账: new articles, those to confirm with a note, and those already stored as they are."""
    outlet_ids = _outlet_ids(db_url)
    parsed = article_sheet.parse_articles(
        data,
        file_name,
        county_id=county.county_id,
        outlets=_by_name(outlet_ids),
        townships=_by_name(county.townships),
    )
    planned = article_import.preview_import(
        db_url=db_url, rows=parsed.rows, actor=actor, today=today, progress=progress
    )
    return ImportRun(file_name, parsed.rows, article_sheet.preview(parsed, planned, outlet_ids, county.townships))


def articles_commit(
    *,
    db_url: str,
    actor: Actor,
    run: ImportRun,
    confirm: bool,
    warning_note: str,
    progress: Progress = None,
    today: date | None = None,
) -> dict[str, int]:
    return article_import.import_articles(
        db_url=db_url,
        actor=actor,
        file_name=run.file_name,
        rows=run.rows,
        confirm=confirm,
        warning_note=warning_note,
        today=today,
        progress=progress,
    )
