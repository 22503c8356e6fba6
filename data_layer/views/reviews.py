"""年审与名册 as the page shows it: the year's reviews as a list, one review's facts and its steps so far, the
values its forms start from, and a review as the record a correction opens. Words and numbers are formatted
here (data_layer/domain/text.py), never in the page."""

from __future__ import annotations

import pandas as pd

from data_layer.access import Access
from data_layer.domain import text
from data_layer.domain.scope import Scope
from data_layer.models import REVIEW_STATE_NAMES as STATES
from data_layer.queries import levy_records

BADGE = {"notified": "gray", "declared": "blue", "returned": "orange", "approved": "green"}
ALL = "all"


def state_choices(url: str, scope: Scope, year: int) -> dict[str, str]:
    """全部 and each state, with how many reviews of the year are in it (the radio's words)."""
    counts = levy_records.review_counts(url, scope, year)
    names = {ALL: f"全部（{text.count(sum(counts.values()))}）"}
    return names | {code: f"{name}（{text.count(counts.get(code, 0))}）" for code, name in STATES.items()}


def review_list(url: str, scope: Scope, year: int, state: str = ALL, deleted: bool = False) -> pd.DataFrame:
    """The year's reviews in one state (or all; ``deleted``: the 回收站) as the list shows them, with the
    ``employer_id`` and ``credit_code`` a chosen row opens (not shown)."""
    found = levy_records.reviews(url, scope, year, None if state == ALL else state, deleted)
    return pd.DataFrame(
        {
            "编号": found["review_id"],
            "单位": found["employer"],
            "乡镇": found["township"],
            "状态": [STATES[s] for s in found["status"]],
            "通知日期": [text.day(d) for d in found["notified_on"]],
            "申报日期": [text.day(d) for d in found["declared_on"]],
            "审核日期": [text.day(d) for d in found["reviewed_on"]],
            "重新申报": [f"{n} 次" if n else "" for n in found["resubmissions"]],
            "名册人数": found["roster_people"],
            "employer_id": found["employer_id"],
            "credit_code": found["credit_code"],
        }
    )


def history_table(url: str, review_id: int) -> pd.DataFrame:
    steps = levy_records.review_history(url, review_id)
    return pd.DataFrame(
        {
            "日期": [text.day(d) for d in steps["day"]],
            "办理": steps["step"],
            "退回原因": steps["reason"],
            "办理人": steps["who"],
            "录入时间": [text.short_time(t) for t in steps["at"]],
        }
    )


def review(url: str, review_id: int, access: Access) -> dict | None:
    """One review as the page and its correction show it (``id``, the facts in words), or None where there is
    none ``access`` may read."""
    found = levy_records.review(url, review_id, access)
    if found is None:
        return None
    status = found["status"]
    head = f"{found['credit_code']} · {found['township']} · {found['year']}年年审"
    return found | {
        "id": int(found["review_id"]),
        "heading": head,  # stored text: the page escapes it
        "badge": f":{BADGE[status]}-badge[{STATES[status]}]",
        "facts": [
            f"通知日期：{text.day(found['notified_on'])}  \n申报日期：{text.day(found['declared_on'])}  \n"
            f"审核日期：{text.day(found['reviewed_on'])}",
            f"申报职工人数：{text.count(found['staff'], '人')}  \n"
            f"申报残疾职工：{text.count(found['disabled_staff'], '人')}  \n"
            f"名册人数：{text.count(found['roster_people'], '人')}",
            f"上年职工年平均工资：{text.yuan(found['avg_wage_fen'])}  \n"
            f"重新申报：{text.count(found['resubmissions'], '次')}",
        ],
        "returned": f"退回原因：{found['return_reason']}" if status == "returned" else "",
        "describe": f"{found['employer']} {found['year']}年年审（{STATES[status]}）",
    }


def declaration_defaults(url: str, review: dict, access: Access) -> dict:
    """What the declaration form starts from: the review's figures, else the registry's and the roster's size."""
    employer = levy_records.employer(url, int(review["employer_id"]), access) or {}

    def first(*values):
        return next((v for v in values if v is not None and not pd.isna(v)), None)

    return {
        "staff": first(review["staff"], employer.get("staff")),
        "avg_wage_fen": first(review["avg_wage_fen"], employer.get("avg_wage_fen")),
        "disabled_staff": first(review["disabled_staff"], review["roster_people"]),
    }
