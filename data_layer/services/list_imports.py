"""Each list an office brings, as the import component (pages/common/file_import.py) calls it: the file read
(data_layer/documents/sheets.py: header, aliases, GBK or UTF-8, .xlsx), checked row by row in a dry run that
writes nothing (an ``ImportPlan`` in words), then written all or nothing by its service, which repeats the
dry run inside its transaction. A new kind of list declares one more ``ListKind`` here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from data_layer.documents import article_sheet, article_workbooks, employer_sheet, employer_workbooks
from data_layer.documents.import_plan import ImportRun
from data_layer.domain.roles import Actor
from data_layer.queries import article_ledger
from data_layer.queries import employers as registry
from data_layer.queries.articles import outlets
from data_layer.queries.org import ActingCounty
from data_layer.services import article_import, employers

Progress = Callable[[int, int], Any] | None  # (done, total): the page's progress bar
Counts = dict[str, int]  # rows, created, updated


@dataclass(frozen=True)
class Importer:
    """Who imports, into which store and county (a township officer's own)."""

    db_url: str
    actor: Actor
    county: ActingCounty

    @property
    def townships(self) -> dict[str, int]:
        """Every township of the county by name (a deactivated one is named by the rules, not “不存在”)."""
        return {name: i for i, name in self.county.townships.items()}


class ListKind:
    """One kind of list: its words, who may import it, its template, dry run and commit, and the log it writes."""

    title: str  # the list as the office calls it (the template's name)
    noun: str  # the file: 名单, 台账
    unit: str  # what a row counts in: 家, 篇
    area: str  # accounts that enter this area may import it
    log_kind: str  # the FileLog kind its commit writes

    @property
    def template_name(self) -> str:
        return f"{self.title}导入模板.xlsx"

    def template(self, db_url: str, county: ActingCounty) -> bytes:
        """The template workbook to fill in: the header, marked examples, and the county's names."""
        raise NotImplementedError

    def dry_run(self, who: Importer, data: bytes, file_name: str, progress: Progress = None) -> ImportRun:
        """The file read and checked row by row; nothing written. Raises ``sheets.FileRefused``."""
        raise NotImplementedError

    def commit(self, who: Importer, run: ImportRun, confirm: bool, note: str, progress: Progress = None) -> Counts:
        """Every row or none; rows to confirm need ``confirm`` and a ``note`` (else ``NeedsConfirmation``)."""
        raise NotImplementedError


class Employers(ListKind):
    title, noun, unit, area, log_kind = "用人单位名录", "名单", "家", "levy", registry.IMPORT_KIND

    def template(self, db_url: str, county: ActingCounty) -> bytes:
        return employer_workbooks.template_workbook(list(county.offered.values()))

    def dry_run(self, who: Importer, data: bytes, file_name: str, progress: Progress = None) -> ImportRun:
        """New credit codes create, registered ones update (field by field), the rest are unchanged."""
        county_id = who.county.county_id
        parsed = employer_sheet.parse_employers(data, file_name, county_id=county_id, townships=who.townships)
        planned = employers.preview_import(db_url=who.db_url, rows=parsed.rows, actor=who.actor, progress=progress)
        return ImportRun(file_name, parsed.rows, employer_sheet.preview(parsed, planned, who.county.townships))

    def commit(self, who: Importer, run: ImportRun, confirm: bool, note: str, progress: Progress = None) -> Counts:
        # the registry's rules are all hard ones: nothing to confirm, so no note
        rows, name, url = run.rows, run.file_name, who.db_url
        return employers.import_employers(db_url=url, actor=who.actor, file_name=name, rows=rows, progress=progress)


class Articles(ListKind):
    title, noun, unit, area, log_kind = "信息报送台账", "台账", "篇", "publicity", article_ledger.IMPORT_KIND

    def template(self, db_url: str, county: ActingCounty) -> bytes:
        return article_workbooks.template_workbook(list(outlets(db_url)["outlet"]), list(county.offered.values()))

    def dry_run(self, who: Importer, data: bytes, file_name: str, progress: Progress = None) -> ImportRun:
        """New articles, those to confirm with a note, and those already stored as they are."""
        found = outlets(who.db_url)
        outlet_ids = dict(zip((int(i) for i in found["outlet_id"]), found["outlet"], strict=True))
        by_name = {name: i for i, name in outlet_ids.items()}
        towns, county_id = who.townships, who.county.county_id
        parsed = article_sheet.parse_articles(data, file_name, county_id=county_id, outlets=by_name, townships=towns)
        planned = article_import.preview_import(db_url=who.db_url, rows=parsed.rows, actor=who.actor, progress=progress)
        return ImportRun(
            file_name, parsed.rows, article_sheet.preview(parsed, planned, outlet_ids, who.county.townships)
        )

    def commit(self, who: Importer, run: ImportRun, confirm: bool, note: str, progress: Progress = None) -> Counts:
        return article_import.import_articles(
            db_url=who.db_url,
            actor=who.actor,
            file_name=run.file_name,
            rows=run.rows,
            confirm=confirm,
            warning_note=note,
            progress=progress,
        )


EMPLOYERS, ARTICLES = Employers(), Articles()
