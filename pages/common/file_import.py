"""What the pages that import a file share: the dry run kept for the reruns that follow, the refusal of a
whole file in words, the preview's tables, and the log of imports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from data_layer.documents.sheets import MAX_BYTES, MAX_ROWS, FileRefused, ParsedFile, check_size
from data_layer.domain import text
from data_layer.export import XLSX_MIME
from pages.common.fmt import escape_markdown
from pages.common.ui import GRID_ROW_PX, big_number, empty, grid_height

TABLE_ROWS = 12  # rows visible before a table scrolls
WORDS_PX = 460  # a problem in words: wide enough to read whole, narrow enough for 1024 pixels
LIMITS = (
    f"支持 Excel 工作簿（.xlsx）和 CSV 文件（UTF-8 或 GBK 编码），不超过 {MAX_BYTES // 1024 // 1024} MB、"
    f"{text.count(MAX_ROWS)} 行。"
)


@dataclass
class DryRun:
    """An uploaded file after the dry run, kept for the reruns that follow (keyed by the file)."""

    key: tuple
    file_name: str
    rows: list  # what the import service writes
    preview: Any  # the dry run in words (employer_sheet.ImportPreview, article_sheet.ArticlePreview …)


def render_upload(prefix: str, intro: str, template: Callable[[], bytes], template_name: str, label: str):
    """The last import's outcome, what to do (``intro``), the template's download and the file chooser; the
    chosen file, or None. Session keys start with ``prefix`` (``<prefix>_dry_run``, ``<prefix>_imported`` …)."""
    done = st.session_state.pop(f"{prefix}_imported", None)
    if done:
        st.success(escape_markdown(done), icon=":material/task_alt:")
    left, right = st.columns([3, 1], vertical_alignment="center")
    left.markdown(intro)
    right.download_button(
        "下载导入模板",
        template,
        file_name=template_name,
        mime=XLSX_MIME,
        icon=":material/download:",
        key=f"{prefix}_template",
    )
    generation = st.session_state.get(f"{prefix}_upload_gen", 0)  # a new, empty uploader after each import
    uploaded = st.file_uploader(label, key=f"{prefix}_upload_{generation}")
    if uploaded is None:
        st.session_state.pop(f"{prefix}_dry_run", None)
    return uploaded


def imported(prefix: str, message: str) -> None:
    """After an import: its outcome for the next run, the dry run forgotten, a new empty file chooser."""
    st.session_state[f"{prefix}_imported"] = message
    st.session_state.pop(f"{prefix}_dry_run", None)
    st.session_state[f"{prefix}_upload_gen"] = st.session_state.get(f"{prefix}_upload_gen", 0) + 1
    st.rerun()


def dry_run(
    uploaded, state_key: str, owner: tuple, noun: str, check: Callable[[ParsedFile], Any], parse: Callable
) -> DryRun | None:
    """Read and check the file once; the result stays in the session while the same file is chosen.
    ``parse(data, name)`` reads it (or raises ``FileRefused``); ``check(parsed)`` is the dry run in words."""
    key = (uploaded.file_id, uploaded.name, uploaded.size, *owner)
    kept = st.session_state.get(state_key)
    if kept is not None and kept.key == key:
        return kept
    try:
        check_size(uploaded.size, noun)  # before reading a byte of it
        parsed = parse(uploaded.getvalue(), uploaded.name)
    except FileRefused as refused:
        st.session_state.pop(state_key, None)
        st.error(escape_markdown(f"不能导入“{uploaded.name}”：{refused.message}"), icon=":material/error:")
        return None
    run = DryRun(key, uploaded.name, parsed.rows, check(parsed))
    st.session_state[state_key] = run
    return run


def render_summary(preview: Any, figures: tuple[tuple[str, int, str], ...]) -> None:
    """The dry run's heading (the file, how it was read) and its counts as big numbers (label, value, unit)."""
    examples = f"，模板的示例行 {preview.examples} 行未计入" if preview.examples else ""
    st.markdown(escape_markdown(f"检查结果：“{preview.file_name}”（{preview.kind}{examples}）"))
    for column, (label, value, unit) in zip(st.columns(len(figures)), figures, strict=True):
        with column:
            big_number(label, text.count(value), unit)


def render_problems(preview: Any) -> None:
    """The rows that keep the whole file out (``preview.problems`` rows; one line a problem), if any."""
    if not preview.problems:
        return
    st.error(
        f"有 {text.count(preview.problems)} 行有问题，整个文件不能导入。请按下表在 Excel 中改正（行号与 Excel 一致），"
        "保存后重新选择文件。",
        icon=":material/error:",
    )
    title = f"有问题的行（每个问题一行，后面是文件中这一行的内容；共 {text.count(len(preview.problem_rows))} 个问题）"
    table(preview.problem_rows, title, {"问题": st.column_config.TextColumn(width=WORDS_PX)})


def table(rows: pd.DataFrame, title: str, config: dict) -> None:
    """One of the preview's tables under its title, every row at the grid's row height."""
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


def render_log(log: pd.DataFrame, own: bool, noun: str, columns: dict[str, str]) -> None:
    """The imports of one kind (data_layer/queries/file_logs.py), newest first; ``own``: the person's own only.
    ``columns``: the log's further columns to show → their headers."""
    if log.empty:
        empty(f"还没有导入过{noun}。" if not own else f"您还没有导入过{noun}。")
        return
    st.caption(f"共 {text.count(len(log))} 次导入" + ("（您本人的）" if own else ""))
    shown = pd.DataFrame(
        {
            "导入时间": [text.short_time(at) for at in log["at"]],
            "导入人": log["actor"],
            "文件名": log["file_name"],
            "行数": log["rows"],
            **{header: log[column] for column, header in columns.items()},
        }
    )
    grid(shown, {"文件名": st.column_config.TextColumn(width="large")})
