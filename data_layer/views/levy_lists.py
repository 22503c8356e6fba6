"""The levy entry pages' lists in words: inspections and open findings (执法检查录入), the batch's dry run,
an assessment's payments and the year's assessments (残保金核定与缴纳). Queries return stored values; these
tables are what the pages and the workbook show, built once (money through ``text``: half-up, once).
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from data_layer.domain import text
from data_layer.export import to_xlsx
from data_layer.queries.levy_plan import BASIS_APPROVED, BASIS_NOT_APPROVED
from data_layer.services.levy import MODE_NAMES, RESULT_NAMES

ROUTINE = 0  # the campaign choice for an inspection outside any campaign (日常检查)
# the basis in a few words, where a table column is narrow (the whole words are on the assessment itself)
SHORT_BASIS = {BASIS_APPROVED: "年审通过", BASIS_NOT_APPROVED: "未按期通过，按 0 人计"}


def campaign_names(campaigns: pd.DataFrame) -> dict[int, str]:
    """The campaign choice: each campaign with its dates, and routine checks last."""
    names = {
        int(c.campaign_id): f"{c.campaign}（{text.period(c.start_date, c.end_date)}）"
        for c in campaigns.itertuples(index=False)
    }
    return {**names, ROUTINE: "日常检查（不属于专项活动）"}


def inspections_so_far(campaigns: pd.DataFrame, campaign_id: int | None, year: int, counts: dict, units: str) -> str:
    """The campaign's (or the year's routine) inspections counted, in a line."""
    what = campaign_names(campaigns)[campaign_id] if campaign_id is not None else f"{year}年日常检查"
    return (
        f"{what} · {units}：共 {text.count(counts['inspections'])} 次，现场检查 {text.count(counts['onsite'])} 次，"
        f"书面检查 {text.count(counts['documentary'])} 次，涉及 {text.count(counts['employers'])} 家单位"
    )


def first_day(campaigns: pd.DataFrame, campaign_id: int | None, today: date, default: date) -> date:
    """The entry's first date: today within the campaign's dates (``default`` for routine checks)."""
    found = campaigns[campaigns["campaign_id"] == campaign_id]
    if found.empty:
        return default
    return min(max(today, found["start_date"].iloc[0]), found["end_date"].iloc[0])


def inspection_words(found: dict) -> str:
    """One inspection in a line: employer, date, mode and result."""
    return (
        f"{found['employer']}（{found['township']}），{found['campaign']}，{text.day(found['inspected_on'])} "
        f"{MODE_NAMES[found['mode']]}，{RESULT_NAMES[found['result']]}"
    )


def inspection_lines(found: dict) -> list[str]:
    """An inspection for whoever only reads it."""
    return [
        f"{found['campaign']} · {text.day(found['inspected_on'])} · {MODE_NAMES[found['mode']]} · "
        f"结果：{RESULT_NAMES[found['result']]}",
        f"检查人员：{found['inspectors'] or '—'}",
        f"检查情况：{found['finding'] or '—'}",
        f"整改期限：{text.day(found['follow_up_due'])} · 办结日期：{text.day(found['closed_on'])}",
    ]


def inspection_table(found: pd.DataFrame) -> pd.DataFrame:
    """Short columns first and the inspectors' text last, so a 1024-wide screen shows what matters."""
    columns = {
        "检查日期": [text.day(d) for d in found["inspected_on"]],
        "单位": found["employer"],
        "乡镇": found["township"],
        "方式": [MODE_NAMES[m] for m in found["mode"]],
        "结果": [RESULT_NAMES[r] for r in found["result"]],
        "整改期限": [text.day(d) for d in found["follow_up_due"]],
    }
    if "overdue" in found:  # the open findings: whether the due date has passed (none of them is closed)
        columns["是否逾期"] = ["已逾期" if late else "未到期" for late in found["overdue"]]
    else:
        columns["办结日期"] = [text.day(d) for d in found["closed_on"]]
    return pd.DataFrame(columns | {"检查人员": found["inspectors"], "检查情况": found["finding"]})


def yuan_cells(fens) -> list[float | None]:
    """元 for a grid's or a workbook's cells: the very number ``text.yuan`` prints (half-up to the fen), a number
    so the column sorts and sums."""
    return [None if (v := text.yuan_number(fen)) is None else float(v) for fen in fens]


def plan_table(plan: pd.DataFrame) -> pd.DataFrame:
    """The batch assessment's dry run, one employer a row."""
    return pd.DataFrame(
        {
            "单位": plan["employer"],
            "核定依据": [SHORT_BASIS.get(b, b) for b in plan["basis"]],
            "在职职工": plan["staff"],
            "折算残疾职工": [text.head_count(d) for d in plan["disabled_weighted"]],
            "计征工资": [
                text.yuan(w) + ("（已封顶）" if capped else "")
                for w, capped in zip(plan["wage_used_fen"], plan["wage_capped"], strict=True)
            ],
            "应缴金额": yuan_cells(plan["amount_fen"]),
        }
    )


def payments_table(paid: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "缴纳日期": [text.day(d) for d in paid["paid_on"]],
            "金额": yuan_cells(paid["amount_fen"]),
            "录入人": paid["created_by"],
        }
    )


def assessment_state(owed_fen: int, overdue: bool) -> str:
    return "已缴清" if owed_fen <= 0 else "逾期未缴清" if overdue else "未缴清"


def assessments_table(found: pd.DataFrame) -> pd.DataFrame:
    """The year's assessments with what is paid and owed (the page's list)."""
    return pd.DataFrame(
        {
            "单位": found["employer"],
            "乡镇": found["township"],
            "应缴": yuan_cells(found["amount_fen"]),
            "已缴": yuan_cells(found["paid_fen"]),
            "尚欠": yuan_cells(found["owed_fen"]),
            "缴纳期限": [text.day(d) for d in found["due_on"]],
            "状态": [
                assessment_state(owed, late) for owed, late in zip(found["owed_fen"], found["overdue"], strict=True)
            ],
        }
    )


def assessments_workbook(found: pd.DataFrame, year: int, units: str, taken_at: datetime) -> tuple[str, bytes]:
    """The year's assessments as the workbook offered for download: its file name and its bytes."""
    title = f"{year}年残保金核定与缴纳"
    totals = ("应缴（元）", "已缴（元）", "尚欠（元）")
    workbook = to_xlsx(
        assessments_export(found), title=title, filter_label=f"{year}年 · {units}", taken_at=taken_at, totals=totals
    )
    return f"{title}_{units}.xlsx", workbook


def assessments_export(found: pd.DataFrame) -> pd.DataFrame:
    """The same list as a workbook: the credit code, the basis and both dates too."""
    return pd.DataFrame(
        {
            "单位": found["employer"],
            "统一社会信用代码": found["credit_code"],
            "乡镇": found["township"],
            "核定依据": found["basis"],
            "核定日期": [text.day(d) for d in found["assessed_on"]],
            "缴纳期限": [text.day(d) for d in found["due_on"]],
            "应缴（元）": yuan_cells(found["amount_fen"]),
            "已缴（元）": yuan_cells(found["paid_fen"]),
            "尚欠（元）": yuan_cells(found["owed_fen"]),
        }
    )


def assessment_line(a: dict) -> str:
    """One assessment under its employer's name: code, township, year, dates and basis."""
    return (
        f"{a['credit_code']} · {a['township']} · {a['year']}年核定 · 核定日期 {text.day(a['assessed_on'])}"
        f" · 缴纳期限 {text.day(a['due_on'])} · 依据：{a['basis']}"
    )


def paid_line(a: dict) -> str:
    """What an assessment asks, what is paid, and what is still owed (markdown: the debt in bold)."""
    owed = f"尚欠 **{text.yuan(a['owed_fen'])}**" if a["owed_fen"] > 0 else "已缴清"
    return f"**缴纳情况**：应缴 {text.yuan(a['amount_fen'])}，已缴 {text.yuan(a['paid_fen'])}，{owed}"


def payment_words(employer: str, paid: pd.DataFrame, payment_id: int) -> str:
    """A payment just recorded, in the toast's words."""
    found = paid[paid["payment_id"] == payment_id]
    amount = text.yuan(int(found["amount_fen"].iloc[0])) if not found.empty else ""
    return f"已记录缴纳：{employer} {amount}".rstrip()


def assessment_figures(totals: dict, year: int, task_fen: int | None) -> list[tuple[str, str, str, str]]:
    """The year's four headline figures (label, value, unit, note): assessed employers, assessed, paid, owed.
    ``task_fen``: the county's 征收任务 beside what is paid (None for a township's view: it would mislead)."""
    task = f"{year}年征收任务 {text.wan(task_fen, unit=False)} 万元" if task_fen else ""
    return [
        ("核定单位", text.count(totals["assessments"]), "家", f"其中 {text.count(totals['owing'])} 家尚未缴清"),
        ("核定金额", text.wan(totals["amount_fen"], unit=False), "万元", ""),
        ("已缴", text.wan(totals["paid_fen"], unit=False), "万元", task),
        ("尚欠", text.wan(totals["owed_fen"], unit=False), "万元", ""),
    ]
