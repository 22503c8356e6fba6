"""One import for every list an office brings: a page declares an ``ImportSpec`` and calls ``render_import``.

What it does: the last import's outcome, the template's download and the file chooser; the dry run (with a
progress bar) kept for the reruns that follow while the same file is chosen; its counts and tables (problems,
rows to confirm, new records, changes “原值 → 新值”); the all-or-nothing commit through ``Action`` (the one
confirm flow: rows to confirm wait for a note) with a progress bar; and the list of recent imports. The file's
reading and every rule are the data layer's (data_layer/services/list_imports.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from data_layer.documents.import_plan import ImportPlan, ImportRun
from data_layer.documents.sheets import MAX_BYTES, MAX_ROWS, FileRefused, check_size
from data_layer.domain import text
from data_layer.export import XLSX_MIME
from data_layer.queries.file_logs import import_log
from data_layer.queries.org import acting_county
from data_layer.services.list_imports import Importer, ListKind
from pages.common.action import Action
from pages.common.context import ViewContext
from pages.common.fmt import escape_markdown
from pages.common.forms import other_errors
from pages.common.ui import GRID_ROW_PX, empty, grid_height

TABLE_ROWS = 12  # rows visible before a table scrolls
WORDS_PX = 460  # a problem in words: wide enough to read whole, narrow enough for 1024 pixels
LOG_ROWS = 20  # the recent imports listed
LIMITS = (
    f"支持 Excel 工作簿（.xlsx）和 CSV 文件（UTF-8 或 GBK 编码），不超过 {MAX_BYTES // 1024 // 1024} MB、"
    f"{text.count(MAX_ROWS)} 行。"
)
Progress = Callable[[int, int], Any]


@dataclass(frozen=True)
class ImportSpec:
    """What a page declares: its key and words; the list itself (its words, template, dry run, commit, import
    log and who may import it) is the data layer's ``ListKind``."""

    key: str  # prefix of the component's widget and session keys
    kind: ListKind  # data_layer/services/list_imports.py: EMPLOYERS, ARTICLES …
    intro: str  # what to do, above the file chooser (the limits follow it)

    @property
    def action(self) -> Action:
        return Action(f"{self.key}_import")


def render_import(spec: ImportSpec, ctx: ViewContext) -> None:
    """Upload, dry run, commit, then the recent imports; read-only accounts see the imports only."""
    if ctx.actor is not None and ctx.actor.may_enter(spec.kind.area):
        county = acting_county(ctx.url, ctx.actor, ctx.scope)
        if county is None:
            empty(f"尚未设置县区和乡镇（街道），不能导入{spec.kind.noun}。")
            return
        who = Importer(ctx.url, ctx.actor, county)
        spec.action.show_toast()
        kept = render_upload(spec, who)
        if kept is not None:
            render_plan(spec, kept[1].plan)
            render_commit(spec, who, *kept)
    render_log(spec, ctx)


def render_upload(spec: ImportSpec, who: Importer) -> tuple[tuple, ImportRun] | None:
    """The last import's outcome, what to do, the template and the file chooser; the chosen file's dry run."""
    done = st.session_state.pop(f"{spec.key}_imported", None)
    if done:
        st.success(escape_markdown(done), icon=":material/task_alt:")
    left, right = st.columns([3, 1], vertical_alignment="center")
    left.markdown(spec.intro + LIMITS)
    right.download_button(
        "下载导入模板",
        lambda: spec.kind.template(who.db_url, who.county),
        file_name=spec.kind.template_name,
        mime=XLSX_MIME,
        icon=":material/download:",
        key=f"{spec.key}_template",
    )
    generation = spec.action.generation  # a new, empty chooser after each import
    uploaded = st.file_uploader(f"选择{spec.kind.noun}文件（.xlsx 或 .csv）", key=f"{spec.key}_upload_{generation}")
    if uploaded is None:
        st.session_state.pop(f"{spec.key}_run", None)
        return None
    return dry_run(spec, who, uploaded)


def dry_run(spec: ImportSpec, who: Importer, uploaded) -> tuple[tuple, ImportRun] | None:
    """Read and check the file once; (what it is about, the run) stays in the session while the same file is
    chosen and nothing it depends on changes."""
    owner = (uploaded.file_id, uploaded.name, uploaded.size, who.county.county_id, who.actor.username)
    kept = st.session_state.get(f"{spec.key}_run")
    if kept is not None and kept[0] == owner:
        return kept
    bar = st.empty()
    try:
        check_size(uploaded.size, spec.kind.noun)  # before reading a byte of it
        run = spec.kind.dry_run(who, uploaded.getvalue(), uploaded.name, steps(bar, "正在逐行检查"))
    except FileRefused as refused:
        st.session_state.pop(f"{spec.key}_run", None)
        st.error(escape_markdown(f"不能导入“{uploaded.name}”：{refused.message}"), icon=":material/error:")
        return None
    finally:
        bar.empty()
    st.session_state[f"{spec.key}_run"] = (owner, run)
    return owner, run


def steps(bar, words: str) -> Progress:
    """A progress bar told ``(done, total)``."""
    return lambda done, total: bar.progress(
        done / total if total else 1.0, text=f"{words}：{text.count(done)} / {text.count(total)}"
    )


def counts(spec: ImportSpec, plan: ImportPlan) -> list[tuple[str, int, str]]:
    """The dry run's figures: (label, rows, unit)."""
    u = spec.kind.unit
    figures = (("新增", plan.created), ("更新", plan.updated), ("无变化", plan.same), ("需核实", plan.warned))
    return [(label, value, u) for label, value in figures] + [("有问题", plan.problems, "行")]


def render_plan(spec: ImportSpec, plan: ImportPlan) -> None:
    """The dry run: how the file was read, the counts, then the tables of what the commit would do."""
    examples = f"，模板的示例行 {plan.examples} 行未计入" if plan.examples else ""
    st.markdown(escape_markdown(f"检查结果：“{plan.file_name}”（{plan.kind}{examples}）"))
    for column, (label, value, unit) in zip(st.columns(5), counts(spec, plan), strict=True):
        column.metric(label, f"{text.count(value)} {unit}")
    if plan.problems:
        st.error(
            f"有 {text.count(plan.problems)} 行有问题，整个文件不能导入。请按下表在 Excel 中改正（行号与 Excel 一致），"
            "保存后重新选择文件。",
            icon=":material/error:",
        )
        title = f"有问题的行（每个问题一行，后面是文件中这一行的内容；共 {text.count(len(plan.problem_rows))} 个问题）"
        table(plan.problem_rows, title, {"问题": st.column_config.TextColumn(width=WORDS_PX)})
    elif not plan.may_commit:
        st.info("文件中的每一行都已在系统中，且没有任何变化，不需要导入。", icon=":material/info:")
    if plan.warned:
        title = f"需要核实的行（{text.count(plan.warned)} {spec.kind.unit}：导入时须写明核实说明）"
        table(plan.warning_rows, title, {"需核实": st.column_config.TextColumn(width=WORDS_PX)})
    if plan.created and not plan.problems:
        table(plan.create_rows, f"将新增（{text.count(plan.created)} {spec.kind.unit}）", {})
    if plan.updated and not plan.problems:
        title = f"将更新（{text.count(plan.updated)} {spec.kind.unit}）：每项变化一行，原值 → 新值"
        table(plan.update_rows, title, {"变化": st.column_config.TextColumn(width=WORDS_PX)})


def render_commit(spec: ImportSpec, who: Importer, owner: tuple, run: ImportRun) -> None:
    """The one button that writes the whole file (rows to confirm: a note first, through ``Action``)."""
    plan, action = run.plan, spec.action
    other_errors(action.errors(owner), set())
    if not plan.may_commit:
        return
    u = spec.kind.unit
    label = f"确认导入：新增 {text.count(plan.created)} {u}，更新 {text.count(plan.updated)} {u}"
    if st.button(label, type="primary", icon=":material/upload:", key=f"{spec.key}_commit"):
        commit(spec, who, run, owner)
    action.confirm(owner)


def commit(spec: ImportSpec, who: Importer, run: ImportRun, owner: tuple) -> None:
    def call(confirm: bool, note: str) -> dict[str, int]:
        bar = st.progress(0.0, text="正在导入（全部写入或全部不写入）……")
        try:
            progress = steps(bar, "正在导入（全部写入或全部不写入）")
            return spec.kind.commit(who, run, confirm, note, progress)
        finally:
            bar.empty()

    saved = spec.action.run(call, lambda result: outcome(spec, run, result), owner=owner, after=forget(spec))
    if not saved and spec.action.errors(owner):  # refused: checked again, against the store as it is now
        st.session_state.pop(f"{spec.key}_run", None)
    st.rerun()


def outcome(spec: ImportSpec, run: ImportRun, result: dict[str, int]) -> str:
    u, created, updated = spec.kind.unit, result["created"], result["updated"]
    confirmed = f"，其中 {text.count(run.plan.warned)} {u}经核实确认" if run.plan.warned else ""
    return (
        f"已导入“{run.file_name}”：新增 {text.count(created)} {u}，更新 {text.count(updated)} {u}，"
        f"无变化 {text.count(result['rows'] - created - updated)} {u}{confirmed}。"
    )


def forget(spec: ImportSpec) -> Callable[[Any], None]:
    """After an import: its outcome above the chooser on the next run, and the dry run forgotten."""

    def after(_: Any) -> None:
        # shown above the chooser, where it stays until the next file: no toast besides
        st.session_state[f"{spec.key}_imported"] = st.session_state.pop(spec.action.toast_key, "")
        st.session_state.pop(f"{spec.key}_run", None)

    return after


def table(rows: pd.DataFrame, title: str, config: dict) -> None:
    """One of the dry run's tables under its title, every row at the grid's row height."""
    st.markdown(f"**{escape_markdown(title)}**")
    grid(rows, {"行号": st.column_config.NumberColumn(width="small", format="%d"), **config})


def grid(rows: pd.DataFrame, config: dict) -> None:
    """A table with every visible row at the grid's row height, scrolling after ``TABLE_ROWS`` rows."""
    st.dataframe(
        rows,
        hide_index=True,
        width="stretch",
        height=grid_height(min(len(rows), TABLE_ROWS)),
        row_height=GRID_ROW_PX,
        column_config=config,
    )


def render_log(spec: ImportSpec, ctx: ViewContext) -> None:
    """The recent imports of this kind, newest first; a township officer's own only."""
    own = ctx.actor is not None and not ctx.actor.kind.every_township
    log = import_log(ctx.url, spec.kind.log_kind, ctx.actor.username if own else None)
    st.markdown(f"**最近的导入**（{'您本人的' if own else '所有人的'}{spec.kind.noun}）")
    if log.empty:
        empty(f"还没有导入过{spec.kind.noun}。")
        return
    shown = pd.DataFrame(
        {
            "导入时间": [text.short_time(at) for at in log["at"]],
            "导入人": log["actor"],
            "文件名": log["file_name"],
            "行数": log["rows"],
            "新增": log["created"],
            "更新": log["updated"],
            "无变化": log["unchanged"],
            "说明": log["detail"],
        }
    ).head(LOG_ROWS)
    grid(shown, {"文件名": st.column_config.TextColumn(width="medium")})
