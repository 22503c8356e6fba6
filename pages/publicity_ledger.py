"""信息报送台账: the articles of the filtered period as the office's ledger lists them, and its Excel export;
for accounts that enter publicity, the import of a whole ledger (a dry run that lists every row's problems and
the rows to confirm, then all or nothing), its template and the log of imports.

The rules are the entry form's (data_layer/services/article_import.py through services/publicity.py), the file
format the reader's (data_layer/documents/article_sheet.py); this page draws them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd
import streamlit as st

from data_layer.documents import article_sheet as sheet
from data_layer.documents.article_workbooks import ledger_workbook, template_workbook
from data_layer.domain import text
from data_layer.domain.errors import StoreUnavailable, ValidationFailed
from data_layer.export import XLSX_MIME
from data_layer.queries import article_ledger, articles, org
from data_layer.queries.publicity import LEVEL_LABELS
from data_layer.services import article_import as service
from pages.common import file_import
from pages.common.context import ViewContext, current
from pages.common.file_import import WORDS_PX, DryRun, grid, table
from pages.common.fmt import escape_markdown
from pages.common.forms import field_error
from pages.common.ui import empty

TABS = ("台账", "批量导入", "导入记录")
SHOWN_AT_MOST = 2_000  # rows in the on-screen table (the export holds every row)


@dataclass(frozen=True)
class County:
    """Where imported rows belong: the county, its townships (all of them: a row naming a disabled township or
    another's gets the rule's own message, not “unknown”), and the registered outlets."""

    county_id: int
    townships: dict[str, int]  # name → id, in the administrator's order
    outlets: dict[str, int]  # name → id, in the administrator's order


def render() -> None:
    ctx = current()
    actor = ctx.actor
    if actor is None or not actor.may_enter("publicity"):  # leaders and visitors: the ledger, read-only
        render_ledger(ctx)
        return
    tabs = st.tabs(TABS, key="al_tab", on_change="rerun")  # only the open tab runs
    for tab, draw in zip(tabs, (render_ledger, render_import, render_log), strict=True):
        if tab.open:
            with tab:
                draw(ctx)


def acting_county(ctx: ViewContext) -> County | None:
    """A township officer's county; else the filter's one county, or the first."""
    towns = org.townships(ctx.url)
    actor = ctx.actor
    if not actor.kind.every_township:
        county_ids = towns.loc[towns["township_id"] == actor.township_id, "county_id"]
    else:
        county_ids = pd.Series(ctx.scope.county_ids[:1] or towns["county_id"].head(1).tolist())
    if county_ids.empty:
        return None
    county_id = int(county_ids.iloc[0])
    towns = towns[towns["county_id"] == county_id]
    outlets = articles.outlets(ctx.url)
    return County(
        county_id,
        dict(zip(towns["township"], (int(i) for i in towns["township_id"]), strict=True)),
        dict(zip(outlets["outlet"], (int(i) for i in outlets["outlet_id"]), strict=True)),
    )


# --- 台账 ---------------------------------------------------------------------------------------------------


def ledger_table(ledger: pd.DataFrame) -> pd.DataFrame:
    """The ledger on screen: dates in Chinese, levels in words; who entered each is in the export (the screen
    keeps the title whole at 1024 pixels)."""
    return pd.DataFrame(
        {
            "发表日期": [text.day(d) for d in ledger["published_on"]],
            "媒体": ledger["outlet"],
            "级别": ledger["level"].map(LEVEL_LABELS),
            "乡镇": ledger["township"],
            "标题": ledger["title"],
            "类型": ledger["kind"],
            "链接": ledger["link"].replace("", None),
        }
    )


def render_ledger(ctx: ViewContext) -> None:
    ledger = article_ledger.ledger(ctx.url, ctx.scope)
    by_level = ledger["level"].value_counts()
    levels = "，".join(
        f"{name} {text.count(int(by_level[lv]))} 篇" for lv, name in LEVEL_LABELS.items() if lv in by_level
    )
    line = f"**{escape_markdown(ctx.label())}**：共 **{text.count(len(ledger))}** 篇" + (
        f"（{levels}）" if levels else ""
    )
    if len(ledger) > SHOWN_AT_MOST:
        line += f"。下表列出最早的 {text.count(SHOWN_AT_MOST)} 篇，导出的表格含全部"
    st.markdown(line)
    if ledger.empty:
        empty("所选期间和乡镇没有录入的稿件。")
        return
    links = st.column_config.LinkColumn(display_text="打开", width="small")
    grid(ledger_table(ledger.head(SHOWN_AT_MOST)), {"链接": links})
    taken = datetime.now(text.CHINA)
    st.download_button(
        "导出台账表格（Excel，含录入人）",
        lambda: ledger_workbook(
            ledger, levels=LEVEL_LABELS, filter_label=f"{ctx.label()}，共 {text.count(len(ledger))} 篇", taken_at=taken
        ),
        file_name=f"信息报送台账_{text.stamp(taken)}.xlsx",
        mime=XLSX_MIME,
        icon=":material/download:",
        key="al_export",
    )


# --- 批量导入 ------------------------------------------------------------------------------------------------


def render_import(ctx: ViewContext) -> None:
    county = acting_county(ctx)
    if county is None:
        empty("尚未设置县区和乡镇（街道），不能导入稿件。")
        return
    uploaded = file_import.render_upload(
        "al",
        "先下载模板，把台账填进去（或把已有台账的列名改成模板的列名），再选择文件。"
        f"{file_import.LIMITS}系统按录入表单的同样规则逐行检查：有问题的行必须改正，全部没有问题才能导入；"
        "标题或链接重复等需要核实的行，导入时写一条核实说明。",
        lambda: template_workbook(list(county.outlets), list(county.townships)),
        "信息报送台账导入模板.xlsx",
        "选择台账文件（.xlsx 或 .csv）",
    )
    if uploaded is None:
        return
    run = dry_run(ctx, county, uploaded)
    if run is None:
        return
    render_preview(run.preview)
    if run.preview.may_commit:
        render_commit(ctx, run)


def dry_run(ctx: ViewContext, county: County, uploaded) -> DryRun | None:
    def parse(data: bytes, name: str):
        return sheet.parse_articles(
            data, name, county_id=county.county_id, outlets=county.outlets, townships=county.townships
        )

    def check(parsed) -> sheet.ArticlePreview:
        with st.spinner("正在逐行检查……"):
            planned = service.preview_import(db_url=ctx.url, rows=parsed.rows, actor=ctx.actor)
        outlets = {i: name for name, i in county.outlets.items()}
        return sheet.preview(parsed, planned, outlets, {i: name for name, i in county.townships.items()})

    return file_import.dry_run(uploaded, "al_dry_run", (county.county_id, ctx.actor.username), "台账", check, parse)


def render_preview(preview: sheet.ArticlePreview) -> None:
    """The dry run's counts and its tables: rows with problems, rows to confirm, the articles to import."""
    figures = (
        ("可直接导入", preview.ready, "篇"),
        ("需核实", preview.warned, "篇"),
        ("有问题", preview.problems, "行"),
    )
    file_import.render_summary(preview, figures)
    file_import.render_problems(preview)
    if preview.warned:
        title = f"需要核实的行（{text.count(preview.warned)} 篇：导入时须写明核实说明）"
        table(preview.warning_rows, title, {"需核实": st.column_config.TextColumn(width=WORDS_PX)})
    if not preview.article_rows.empty and not preview.problems:
        table(preview.article_rows, f"将导入的稿件（{text.count(len(preview.article_rows))} 篇）", {})


def render_commit(ctx: ViewContext, run: DryRun) -> None:
    preview = run.preview
    kept = st.session_state.get("al_errors")  # (the file it is about, field → message)
    errors = kept[1] if kept is not None and kept[0] == run.key else {}
    with st.form("al_commit_form", border=preview.warned > 0):
        if preview.warned:
            st.text_input(
                "核实说明（保存在需核实的每篇稿件上）",
                key="al_note",
                max_chars=200,
                placeholder="例如：同题稿件分别被两家媒体采用，已逐篇核对",
            )
            field_error(errors, "warning_note")
        label = f"导入 {text.count(preview.ready + preview.warned)} 篇稿件"
        submitted = st.form_submit_button(label, type="primary", icon=":material/upload:")
    field_error(errors, "rows", "actor")
    if submitted:
        commit(ctx, run)


def commit(ctx: ViewContext, run: DryRun) -> None:
    note = st.session_state.get("al_note", "") if run.preview.warned else ""
    if run.preview.warned and not note.strip():
        st.session_state.al_errors = (run.key, {"warning_note": "请写明核实说明：这些行为什么没有问题"})
        st.rerun()
    try:
        with st.spinner("正在导入（全部写入或全部不写入）……"):
            result = service.import_articles(
                db_url=ctx.url, actor=ctx.actor, file_name=run.file_name, rows=run.rows, warning_note=note
            )
    except StoreUnavailable as refused:
        st.session_state.al_errors = (run.key, {"rows": f"没有导入：{refused.message}"})
        st.rerun()
    except ValidationFailed as refused:
        st.session_state.al_errors = (run.key, {k: f"没有导入：{v}" for k, v in refused.errors.items()})
        st.session_state.pop("al_dry_run", None)  # checked again on the next run, against the store as it is now
        st.rerun()
    confirmed = f"，其中 {text.count(run.preview.warned)} 篇经核实确认" if run.preview.warned else ""
    for key in ("al_errors", "al_note"):
        st.session_state.pop(key, None)
    file_import.imported("al", f"已导入“{run.file_name}”：新增稿件 {text.count(result['created'])} 篇{confirmed}。")


# --- 导入记录 ------------------------------------------------------------------------------------------------


def render_log(ctx: ViewContext) -> None:
    own = not ctx.actor.kind.every_township  # a township officer: their own imports
    log = article_ledger.import_log(ctx.url, ctx.actor.username if own else None)
    file_import.render_log(log, own, "信息报送台账", {"created": "新增稿件", "detail": "说明"})
