"""工作总结: the period's work report drafted from the store (Word), and its numbers with their sources (Excel).

The filter row chooses the period (上半年, 全年, a quarter or a month range) and the scope (全县, or one township for
its own report). The draft is shown here as it will read, numbers to check marked; the Word file carries each
number's source as a comment.
"""

from __future__ import annotations

from html import escape

import streamlit as st

from data_layer.documents.work_report_docx import DOCX_MIME, facts_workbook, report_docx
from data_layer.domain import text
from data_layer.export import XLSX_MIME
from data_layer.queries import org
from data_layer.queries.work_report import Draft, Fact, build_draft
from pages.common.context import ViewContext, current
from pages.common.downloads import file_name
from pages.common.ui import empty


def reporter(ctx: ViewContext) -> str:
    """Who reports: the county's federation (the city's, the province's for the whole of a store of several
    counties), or one township's (its own report)."""
    if len(ctx.townships) == 1:
        return f"{ctx.townships[0]}残联"
    if ctx.townships or len(ctx.counties) > 1:
        return f"{ctx.units_label()}残联"
    names = list(ctx.counties) or list(org.counties(ctx.url)["county"])
    return f"{names[0]}残疾人联合会" if len(names) == 1 else f"{org.level(org.counties(ctx.url))}残疾人联合会"


def draft_of(ctx: ViewContext) -> Draft:
    return build_draft(
        ctx.url, ctx.scope, title_unit=reporter(ctx), filter_label=ctx.label(), period_words=ctx.spec.label()
    )


def render() -> None:
    ctx = current()
    draft = draft_of(ctx)
    flagged = [f for f in draft.facts if f.flag]
    holes = [p for p in draft.paragraphs if p.kind == "placeholder"]
    st.markdown(
        f"按上方筛选（**{escape(ctx.label())}**）从库中起草。文中 **{len(draft.facts)}** 个数字，"
        f"每个都在 Word 批注里注明查询、筛选和数值；**{len(flagged)}** 个需要核实（黄色），"
        f"**{len(holes)}** 处待起草人补充（灰色）。"
    )
    buttons = st.container(horizontal=True)
    buttons.download_button(
        "下载 Word 初稿",
        lambda: report_docx(draft_of(ctx)),
        file_name=file_name(ctx, "工作总结", "docx"),
        mime=DOCX_MIME,
        key="wr_docx",
        on_click="ignore",
        type="primary",
        icon=":material/description:",
    )
    buttons.download_button(
        "下载数字核对表（Excel）",
        lambda: facts_workbook(
            draft_of(ctx), period=text.period(ctx.scope.start, ctx.scope.end), taken_at=org.last_write(ctx.url)
        ),
        file_name=file_name(ctx, "工作总结_数字核对", "xlsx"),
        mime=XLSX_MIME,
        key="wr_xlsx",
        on_click="ignore",
        icon=":material/table:",
    )
    if not draft.facts:
        empty("所选期间和范围在库中没有数据：初稿只有结构和待补充的段落。")
    st.html(preview_html(draft))


def preview_html(draft: Draft) -> str:
    """The draft as it will read: headings in their weight, numbers underlined, numbers to check in yellow with
    the reason on hover, placeholders in grey."""
    out = []
    for p in draft.paragraphs:
        body = "".join(_segment(s) for s in p.segments)
        out.append(f'<p class="wr-{p.kind}">{body}</p>')
    return f'<div class="wr-draft">{"".join(out)}</div>{PREVIEW_CSS}'


def _segment(segment: str | Fact) -> str:
    if isinstance(segment, str):
        return escape(segment)
    cls = "wr-flag" if segment.flag else "wr-fact"
    why = escape(f"[{segment.number}] {segment.query}" + (f"。请核实：{segment.flag}" if segment.flag else ""))
    mark = f"<sup>⚠{segment.number}</sup>" if segment.flag else ""
    return f'<span class="{cls}" title="{why}">{escape(segment.text)}</span>{mark}'


PREVIEW_CSS = """<style>
.wr-draft {max-width: 46em; margin: 1rem auto; padding: 2.5rem 3rem; background: #fff; border: 1px solid #d1d5db;
  font-family: "FangSong", "仿宋", "Noto Serif CJK SC", serif; font-size: 1.15rem; line-height: 1.9; color: #111827}
.wr-draft p {text-indent: 2em; margin: 0}
.wr-draft .wr-title {text-indent: 0; text-align: center; font-size: 1.6rem; font-weight: 700; margin-bottom: 1rem;
  font-family: "Noto Serif CJK SC", "SimSun", serif}
.wr-draft .wr-heading1 {font-family: "Noto Sans CJK SC", "SimHei", sans-serif; font-weight: 700}
.wr-draft .wr-heading2 {font-family: "KaiTi", "楷体", "Noto Serif CJK SC", serif; font-weight: 700}
.wr-draft .wr-placeholder {background: #e5e7eb}
.wr-fact {text-decoration: underline dotted #6b7280}
.wr-flag {background: #fde68a; text-decoration: underline solid #92400e}
.wr-draft sup {color: #92400e; font-size: 0.7em}
</style>"""
