"""Every page, who may open it, and the navigation each person gets.

A page someone may not open is not in their navigation; opened by its URL it shows why (or, for a
visitor, the sign-in form that leads back to it), never the page. The write services and the read
scope enforce the same roles again (data_layer/roles.py), so this is the door, not the only lock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from data_layer.auth import SignedIn
from data_layer.domain.roles import AREAS

# Who may open a page: "board" (anyone, if the boards are public; else anyone signed in), "signed",
# "desk" (signed in, every township: leaders, staff, administrators), "report" (those who enter data),
# "admin", or "enter:<area>"; "a|b" is either.
Need = str


@dataclass(frozen=True)
class PageDef:
    path: str
    title: str
    headline: str
    icon: str
    section: str  # "" keeps the boards as plain links in the top bar; the other sections are menus
    module: str  # pages/<module>.py, whose render() draws it
    need: Need
    listed: Need = ""  # who sees it in the navigation, if fewer than may open it (the others follow links)


PAGES = [
    PageDef("overview", "总览", "县残联工作总览", ":material/dashboard:", "", "overview", "board"),
    PageDef("projects", "重点工程", "三项重点工程", ":material/flag:", "", "projects", "board"),
    PageDef("subsidies", "补贴发放", "社会保障补贴发放", ":material/payments:", "", "subsidies", "board"),
    PageDef("levy", "残保金征收", "按比例安排残疾人就业 · 残保金征收", ":material/work:", "", "levy", "board"),
    PageDef("publicity", "信息宣传", "信息宣传", ":material/campaign:", "", "publicity", "board"),
    PageDef("other_work", "其他工作", "其他工作", ":material/volunteer_activism:", "", "other_work", "board"),
    PageDef(
        "entry_projects",
        "重点工程进度录入",
        "重点工程进度录入",
        ":material/edit_note:",
        "数据录入",
        "entry_projects",
        "enter:projects",
    ),
    PageDef(
        "entry_subsidies",
        "补贴发放录入",
        "补贴发放录入",
        ":material/payments:",
        "数据录入",
        "entry_subsidies",
        "enter:subsidies",
    ),
    PageDef(
        "entry_publicity",
        "信息宣传录入",
        "信息宣传录入",
        ":material/campaign:",
        "数据录入",
        "entry_publicity",
        "enter:publicity",
    ),
    PageDef(
        "publicity_ledger",
        "信息报送台账",
        "信息报送台账",
        ":material/list_alt:",
        "数据录入",
        "publicity_ledger",
        "board",  # the list for everyone who sees the boards (信息宣传 links to it); the import tabs only for
        listed="enter:publicity",  # publicity entry, and only they find it under 数据录入
    ),
    PageDef(
        "entry_other_work",
        "其他工作录入",
        "其他工作录入",
        ":material/volunteer_activism:",
        "数据录入",
        "entry_other_work",
        "enter:other",
    ),
    PageDef(
        "levy_registry",
        "用人单位名录",
        "用人单位名录",
        ":material/domain:",
        "数据录入",
        "levy_registry",
        "desk|enter:levy",  # leaders follow the board's 待办 links here, read-only
        "enter:levy",
    ),
    PageDef(
        "levy_reviews",
        "年审与名册",
        "年审与残疾职工名册",
        ":material/assignment_turned_in:",
        "数据录入",
        "levy_reviews",
        "desk|enter:levy",  # leaders follow the board's 待办 links here, read-only and with personal data masked
        "enter:levy",
    ),
    PageDef(
        "levy_inspections",
        "执法检查录入",
        "残保金执法检查录入",
        ":material/fact_check:",
        "数据录入",
        "levy_inspections",
        "desk|enter:levy",  # leaders follow the board's 待办 links here, read-only and with personal data masked
        "enter:levy",
    ),
    PageDef(
        "levy_collection",
        "残保金核定与缴纳",
        "残保金核定与缴纳",
        ":material/calculate:",
        "数据录入",
        "levy_collection",
        "desk|enter:levy",  # leaders follow the board's 待办 links here, read-only and with personal data masked
        "enter:levy",
    ),
    PageDef("reporting", "填报情况", "填报情况与结账", ":material/checklist:", "数据录入", "reporting", "report"),
    PageDef("quality", "数据质量", "数据质量", ":material/rule:", "数据管理", "quality", "desk"),
    PageDef(
        "sources",
        "数据来源",
        "数据来源：上半年工作报告中的数字",
        ":material/fact_check:",
        "数据管理",
        "sources",
        "board",
    ),
    # in a menu: one more top-level link makes the bar overflow into Streamlit's English “N more” at 1024 wide
    PageDef("meeting", "会议模式", "会议模式", ":material/slideshow:", "数据管理", "meeting", "board"),
    PageDef("work_report", "工作总结", "工作总结初稿", ":material/description:", "数据管理", "work_report", "report"),
    PageDef("targets", "目标任务", "目标任务与预警阈值", ":material/tune:", "数据管理", "targets", "admin"),
    PageDef(
        "publicity_settings",
        "媒体与宣传目标",
        "媒体与宣传目标",
        ":material/newspaper:",
        "数据管理",
        "publicity_settings",
        "admin",
    ),
    PageDef(
        "subsidy_types", "补贴类型与标准", "补贴类型与标准", ":material/tune:", "数据管理", "subsidy_types", "admin"
    ),
    PageDef("accounts", "账号与权限", "账号与权限", ":material/manage_accounts:", "系统管理", "accounts", "admin"),
    PageDef("audit", "操作记录", "操作记录", ":material/history:", "系统管理", "audit", "admin"),
    PageDef("backup_restore", "备份与恢复", "备份与恢复", ":material/backup:", "系统管理", "backup_restore", "admin"),
]
BY_PATH = {p.path: p for p in PAGES}


def allowed(need: Need, who: SignedIn | None, boards_public: bool) -> bool:
    if "|" in need:
        return any(allowed(n, who, boards_public) for n in need.split("|"))
    if need == "board":
        return boards_public or who is not None
    if who is None:
        return False
    role = who.actor.kind
    if need.startswith("enter:"):
        return who.actor.may_enter(need.split(":", 1)[1])
    return {"signed": True, "desk": role.every_township, "report": role.enters, "admin": role.admin}[need]


def refusal(need: Need, who: SignedIn) -> str:
    need = need.split("|")[-1]  # the narrowest door names what is missing
    role = who.actor.kind.name
    if need.startswith("enter:"):
        if not who.actor.kind.enters:
            return f"{role}账号只能查看，不能录入。"
        return f"您的账号没有“{AREAS[need.split(':', 1)[1]]}”的录入权限，请联系管理员。"
    if need == "admin":
        return f"只有管理员可以打开这个页面（您是{role}）。"
    return f"{role}账号不能打开这个页面。"


def page_of(definition: PageDef, who: SignedIn | None, boards_public: bool) -> Callable[[], None]:
    """What the page's URL shows this person: the page, a refusal, or the sign-in form."""
    import importlib

    if allowed(definition.need, who, boards_public):
        return importlib.import_module(f"pages.{definition.module}").render

    def refused() -> None:
        from pages import signin

        if who is None:
            signin.render(next_path=here(definition), reason="请先登录：这个页面只对登录的工作人员开放。")
        else:
            st.warning(refusal(definition.need, who), icon=":material/block:")

    return refused


def here(definition: PageDef) -> str:
    """This page with its filter, to come back to after signing in."""
    from urllib.parse import urlencode

    params = [(name, value) for name in st.query_params for value in st.query_params.get_all(name)]
    return f"/{definition.path}" + (f"?{urlencode(params)}" if params else "")


def build(who: SignedIn | None, boards_public: bool, home: Callable[[], None]) -> dict[str, list]:
    """The sections of the top navigation for this person. Pages they may not open stay registered but
    hidden (in the unnamed section, so no empty menu shows), and their URL explains."""
    from pages import signin

    sections: dict[str, list] = {"": [st.Page(home, title="首页", url_path="home", default=True, visibility="hidden")]}
    for d in PAGES:
        shown = allowed(d.listed or d.need, who, boards_public)
        opens = allowed(d.need, who, boards_public)
        page = st.Page(
            page_of(d, who, boards_public),
            title=d.title,
            icon=d.icon,
            url_path=d.path,
            visibility="visible" if shown and opens else "hidden",
        )
        sections.setdefault(d.section if shown and opens else "", []).append(page)
    sign_in = "visible" if who is None else "hidden"
    sections[""].append(
        st.Page(signin.render, title="登录", icon=":material/login:", url_path="signin", visibility=sign_in)
    )
    return sections
