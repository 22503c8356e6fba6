"""A review's roster of disabled employees as a table, with personal data shown in full or masked as the account
may see it: decided here, for the screen and for every export."""

from __future__ import annotations

import pandas as pd

from data_layer.access import Access, NotReadable
from data_layer.domain import id_number, text
from data_layer.queries import levy_records


def yes_no(value: object) -> str:
    return "是" if bool(value) else "否"


def counted_text(line) -> str:
    """“计 2 人 × 6/12”, or why the line does not count."""
    if not line.counts:
        missing = [w for w, ok in (("劳动合同", line.contract_ok), ("社保", line.insurance_ok)) if not ok]
        return f"不计（缺{'、'.join(missing)}）"
    each = f"计 {text.head_count(line.per_person)} 人"
    return each if int(line.months) == 12 else f"{each} × {int(line.months)}/12"


def people_shown(access: Access, *, export: bool = False, full: bool = False) -> bool:
    """Names and ID numbers in full: on screen for accounts that check rosters; in a file only when an
    administrator asked for the full numbers (the service records that ask in 操作记录 first)."""
    if export:
        return full and access.actor is not None and access.actor.kind.admin
    return access.people


def roster_table(url: str, review_id: int, access: Access, *, export: bool = False, full: bool = False) -> pd.DataFrame:
    """The roster as a table: names, ID and certificate numbers masked unless :func:`people_shown`; a review of
    another township is not this account's to read."""
    if levy_records.review(url, review_id, access) is None:
        raise NotReadable("没有这份年审")
    roster = levy_records.roster(url, review_id)
    shown = people_shown(access, export=export, full=full)
    hide = (lambda v: v) if shown else id_number.mask
    return pd.DataFrame(
        {
            "姓名": list(roster["name"]) if shown else [id_number.mask_name(n) for n in roster["name"]],
            "身份证号": [hide(v) for v in roster["id_number"]],
            "残疾人证号": [hide(v) for v in roster["cert_number"]],
            "类别": [id_number.CATEGORIES[int(c)] for c in roster["category"]],
            "等级": [id_number.GRADES[int(g)] for g in roster["grade"]],
            "合同满一年": [yes_no(v) for v in roster["contract_ok"]],
            "社保足额": [yes_no(v) for v in roster["insurance_ok"]],
            "在岗月数": list(roster["months"]),
            "计入": [counted_text(r) for r in roster.itertuples(index=False)],
            "折算人数": [text.head_count(w) for w in roster["weight"]],
        }
    )


def removable(url: str, review_id: int, access: Access) -> dict[int, str]:
    """The roster's people as the 移出名册 choice names them: name and masked ID number (only for those who check
    rosters; nobody else is offered the choice)."""
    if not access.people or levy_records.review(url, review_id, access) is None:
        return {}
    roster = levy_records.roster(url, review_id)
    return {int(r.person_id): f"{r.name}（{id_number.mask(r.id_number)}）" for r in roster.itertuples(index=False)}


def roster_note(access: Access) -> str:
    """The line under the roster: how a line counts, and whether the numbers were masked for this account."""
    rule = (
        "一、二级残疾人按 2 人计；须同时有一年以上劳动合同并足额缴纳社保才计入；按在岗月数折算。"
        "年审在截止日期前审核通过，名册才计入当年残保金核定。"
    )
    return rule + ("" if people_shown(access) else "身份证号、残疾人证号已遮盖。")


def line_records(url: str, review_id: int, access: Access, *, deleted: bool = False) -> dict[int, dict]:
    """The roster's lines (``deleted``: those in the 回收站) as records a correction opens: every stored field,
    who entered it, and ``label`` (the name and the masked ID number). Only for accounts that check rosters —
    nobody else is offered to change, delete or restore one."""
    if not access.people or levy_records.review(url, review_id, access) is None:
        return {}
    roster = levy_records.roster(url, review_id, deleted=deleted)
    records = {}
    for r in roster.to_dict("records"):
        label = f"{r['name']}（{id_number.mask(r['id_number'])}）"
        records[int(r["person_id"])] = r | {"id": int(r["person_id"]), "label": label}
    return records


def roster_workbook(url: str, review: dict, access: Access, full: bool = False) -> bytes:
    """The roster as a workbook (masked unless ``full``, for an administrator: :func:`people_shown`)."""
    from datetime import UTC, datetime

    from data_layer.export import to_xlsx

    title = roster_title(review)
    table = roster_table(url, int(review["review_id"]), access, export=True, full=full)
    return to_xlsx(table, title=title, filter_label=title, taken_at=datetime.now(UTC), totals=False)


def roster_title(review: dict) -> str:
    return f"{review['employer']} {review['year']}年残疾职工名册"


def export_log(review: dict, people: int) -> dict:
    """What 操作记录 keeps of an administrator's full roster (``record_unmasked_export``'s words)."""
    return {
        "file_name": f"{roster_title(review)}（完整）.xlsx",
        "rows": people,
        "detail": f"年审记录 {review['review_id']}：{people} 人的姓名、身份证号、残疾人证号",
    }
