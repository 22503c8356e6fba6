"""The drafted work report as a Word document close to 党政机关公文格式 (GB/T 9704-2012), and its figures as Excel.

A4; margins 37 / 35 / 28 / 26 mm (top, bottom, left, right), which leave about 28 characters a line and, at a
fixed line pitch of 28.95 pt, 22 lines a page. Title in 方正小标宋简体 二号 (22 pt), body in 仿宋 三号 (16 pt),
一级标题 in 黑体, 二级标题 in 楷体, page numbers “— 1 —” in 宋体 四号 at the foot. Fonts a Windows or WPS
office PC may lack are given an ``altName`` in the font table (方正小标宋简体 → 宋体), so Word and WPS fall back
to one that is there. Every number is a Word comment naming its query, filter and value; a number to check
(it rests on records saved over a warning, or the office's report printed another value) is highlighted.
"""

from __future__ import annotations

import io
from datetime import datetime

import pandas as pd
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

from data_layer.domain import text as words
from data_layer.export import Sheet, workbook
from data_layer.queries.work_report import Draft, Fact

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TITLE_FONT, BODY_FONT, H1_FONT, H2_FONT, PAGE_FONT = "方正小标宋简体", "仿宋", "黑体", "楷体", "宋体"
ALT_NAMES = {TITLE_FONT: "宋体", "仿宋": "仿宋_GB2312", "楷体": "楷体_GB2312"}  # what to use where a font is missing
LINE_PITCH = Pt(28.95)  # 22 lines in the 225 mm of type area
AUTHOR = "县残联工作看板"


def _fonts(run_or_style, name: str, size: float, *, bold: bool = False) -> None:
    font = run_or_style.font
    font.name, font.size, font.bold = name, Pt(size), bold
    r_pr = run_or_style.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _alt_names(doc) -> None:
    """The font table names a fallback for each font an office PC may lack (Word and WPS read ``w:altName``).
    python-docx keeps the font table as plain bytes: it is parsed, added to and written back."""
    part = next(p for p in doc.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
    root = etree.fromstring(part.blob)
    for name, alt in ALT_NAMES.items():
        entry = etree.SubElement(root, qn("w:font"))
        entry.set(qn("w:name"), name)
        etree.SubElement(entry, qn("w:altName")).set(qn("w:val"), alt)
        etree.SubElement(entry, qn("w:charset")).set(qn("w:val"), "86")  # GB2312
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_number(section) -> None:
    """“— 1 —” centred at the foot of every page (a PAGE field)."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(paragraph.add_run("— "), PAGE_FONT, 14)
    run = paragraph.add_run()
    _fonts(run, PAGE_FONT, 14)
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    _fonts(paragraph.add_run(" —"), PAGE_FONT, 14)


def comment_text(fact: Fact) -> str:
    if fact.value is None:
        value = words.NONE
    elif fact.unit == "%":
        value = words.pct(fact.value)
    else:
        value = f"{words.plain(fact.value)}{fact.unit}"
    line = f"[{fact.number}] 查询：{fact.query}；指标：{fact.metric}；筛选：{fact.filter}；值：{value}"
    return line + (f"。请核实：{fact.flag}" if fact.flag else "")


def report_docx(draft: Draft) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.start_type = WD_SECTION.NEW_PAGE
    normal = doc.styles["Normal"]
    _fonts(normal, BODY_FONT, 16)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = LINE_PITCH
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
    _alt_names(doc)
    _page_number(section)
    doc.core_properties.title, doc.core_properties.author = draft.title, AUTHOR
    for p in draft.paragraphs:
        paragraph = doc.add_paragraph()
        if p.kind == "title":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.line_spacing = Pt(36)
            paragraph.paragraph_format.space_after = Pt(28.95)
            _fonts(paragraph.add_run(p.text), TITLE_FONT, 22)
            continue
        paragraph.paragraph_format.first_line_indent = Pt(32)  # two characters
        font = {"heading1": H1_FONT, "heading2": H2_FONT}.get(p.kind, BODY_FONT)
        for segment in p.segments:
            run = paragraph.add_run(segment if isinstance(segment, str) else segment.text)
            _fonts(run, font, 16)
            if p.kind == "placeholder":
                run.font.highlight_color = WD_COLOR_INDEX.GRAY_25
            if isinstance(segment, Fact):
                if segment.flag:
                    run.font.highlight_color = WD_COLOR_INDEX.YELLOW
                doc.add_comment(run, text=comment_text(segment), author=AUTHOR, initials="KB")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def facts_table(draft: Draft) -> pd.DataFrame:
    """One row per number of the document, in its order: to check against the ledgers."""
    rows = [
        {
            "序号": f.number,
            "章节": f.section,
            "句子": f.sentence,
            "文中写法": f.text,
            "数值": None if f.value is None else float(f.value),
            "单位": f.unit,
            "查询": f.query,
            "指标": f.metric,
            "筛选": f.filter,
            "请核实": f.flag,
        }
        for f in draft.facts
    ]
    columns = ["序号", "章节", "句子", "文中写法", "数值", "单位", "查询", "指标", "筛选", "请核实"]
    return pd.DataFrame(rows, columns=columns)


def facts_workbook(draft: Draft, *, period: str, taken_at: datetime | None) -> bytes:
    sheet = Sheet(
        facts_table(draft),
        f"{draft.title}：文中数字与来源",
        name="文中数字",
        formats={"序号": "int", "数值": "general"},
        widths={"句子": 60, "请核实": 40},
    )
    return workbook([sheet], filter_label=draft.filter, period=period, taken_at=taken_at)
