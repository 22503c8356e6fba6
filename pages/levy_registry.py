"""用人单位名录 (levy entry): the registry in the filter's townships, searched and exported; one employer added
or corrected on a form; a whole list imported from Excel or CSV after a dry run; the log of imports.

The rules are the services' (data_layer/services/employers.py), the file format the reader's
(data_layer/documents/employer_sheet.py); this page draws them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd
import streamlit as st

from data_layer.documents import employer_sheet as sheet
from data_layer.documents.employer_workbooks import registry_workbook, template_workbook
from data_layer.domain import text
from data_layer.domain.errors import StoreUnavailable, ValidationFailed
from data_layer.domain.inputs import parse_count, parse_text, parse_yuan, read_fields
from data_layer.domain.links import RECORD_PARAM
from data_layer.export import XLSX_MIME
from data_layer.queries import employers as registry_q
from data_layer.queries import org
from data_layer.services import employers as service
from data_layer.services.employers import SIZE_NAMES
from pages.common import file_import
from pages.common.context import ViewContext, current
from pages.common.file_import import WORDS_PX, DryRun, table
from pages.common.fmt import escape_markdown
from pages.common.forms import field_error, other_errors, saved_toast
from pages.common.ui import GRID_ROW_PX, empty, grid_height

TABS = ("名录", "新增单位", "批量导入", "导入记录")
SHOWN_AT_MOST = 2_000  # rows in the on-screen table (the export holds every row)
TABLE_ROWS = 12  # rows visible before the table scrolls


@dataclass(frozen=True)
class County:
    """Where new employers and imported rows belong: the county and its townships (a township officer's own)."""

    county_id: int
    name: str
    townships: dict[int, str]  # id → name, in the administrator's order


def render() -> None:
    ctx = current()
    actor = ctx.actor
    if actor is None:  # the navigation sends visitors to the sign-in form anyway
        st.warning("请先登录", icon=":material/lock:")
        return
    if not actor.may_enter("levy"):  # a leader following the board's 待办 link: the list, read-only
        render_read_only(ctx)
        return
    county = acting_county(ctx)
    if county is None:
        empty("尚未设置县区和乡镇（街道），不能登记用人单位。")
        return
    saved_toast("er_toast", long=True)
    linked = st.query_params.get(RECORD_PARAM)
    if linked and linked.isdigit() and st.session_state.get("er_linked") != linked:  # a link opens it once
        st.session_state.er_linked, st.session_state.er_record = linked, int(linked)
        st.session_state.er_tab = TABS[0]
    tabs = st.tabs(TABS, key="er_tab", on_change="rerun")  # only the open tab runs
    for tab, draw in zip(tabs, (render_registry, render_new, render_import, render_log), strict=True):
        if tab.open:
            with tab:
                draw(ctx, county)


def render_read_only(ctx: ViewContext) -> None:
    """The registry without forms; a linked employer found by its credit code."""
    linked = st.query_params.get(RECORD_PARAM)
    if linked and linked.isdigit() and st.session_state.get("er_linked") != linked:
        found = registry_q.employer(ctx.url, int(linked), ctx.scope)
        st.session_state.er_linked = linked
        if found is not None:
            st.session_state.er_search = found["credit_code"]
    st.caption("只读：登记和修改用人单位需要“残保金”录入权限。")
    render_registry(ctx, None)


def acting_county(ctx: ViewContext) -> County | None:
    """A township officer's county; else the filter's one county, or the first; townships as the forms offer them."""
    towns = org.townships(ctx.url)
    towns = towns[towns["active"]]
    actor = ctx.actor
    if actor is not None and not actor.kind.every_township:
        towns = towns[towns["township_id"] == actor.township_id]
    elif len(ctx.scope.county_ids) == 1:
        towns = towns[towns["county_id"] == ctx.scope.county_ids[0]]
    if towns.empty:
        return None
    county_id = int(towns["county_id"].iloc[0])
    towns = towns[towns["county_id"] == county_id]
    names = dict(zip((int(i) for i in towns["township_id"]), towns["township"], strict=True))
    return County(county_id, str(towns["county"].iloc[0]), names)


def township_words(ctx: ViewContext) -> dict[Any, str]:
    towns = org.townships(ctx.url)
    return {int(i): n for i, n in zip(towns["township_id"], towns["label"], strict=True)} | {None: "县本级"}


# --- 名录 ---------------------------------------------------------------------------------------------------


def registry_table(found: pd.DataFrame) -> pd.DataFrame:
    """The registry on screen: short headers, size and 规模以上 in one column, so every column fits 1024 pixels."""
    sizes = zip(found["size_class"].map(SIZE_NAMES), found["above_designated_size"], strict=True)
    return pd.DataFrame(
        {
            "单位名称": found["name"],
            "统一社会信用代码": found["credit_code"],
            "乡镇": found["township"].fillna("县本级"),
            "职工": found["staff"],
            "残疾职工": found["disabled_staff"],
            "规模": [f"{size}（规上）" if above else size for size, above in sizes],
            "登记日期": [text.day(d) for d in found["registered_on"]],
        }
    )


def render_registry(ctx: ViewContext, county: County | None) -> None:
    """The list; with ``county`` (an account that enters the levy area) a picked employer opens on a form."""
    search = st.text_input(
        "查找单位", key="er_search", placeholder="输入单位名称或统一社会信用代码的一部分", max_chars=40
    ).strip()
    totals = registry_q.registry_totals(ctx.url, ctx.scope, search)
    found = registry_q.registry(ctx.url, ctx.scope, search, SHOWN_AT_MOST)
    where = ctx.units_label() + (f"，名称或代码含“{search}”" if search else "")
    line = (
        f"**{escape_markdown(where)}**：共 **{text.count(totals['employers'])}** 家，"
        f"职工 {text.count(totals['staff'])} 人，残疾职工 {text.count(totals['disabled_staff'])} 人"
    )
    if totals["employers"] > len(found):
        line += f"（下表列出前 {text.count(len(found))} 家，请用查找或乡镇筛选缩小范围；导出的表格含全部）"
    st.markdown(line)
    if found.empty:
        empty(
            "没有找到用人单位。"
            if search or ctx.townships
            else "还没有登记的用人单位：可在“新增单位”逐个登记，或“批量导入”名单。"
        )
        chosen = None
    else:
        how = "点一下某个单位（这一行的任一格），在下方修改它。" if county is not None else ""
        st.caption(how + "“规上”即规模以上企业。")
        picked = st.dataframe(
            registry_table(found),
            key="er_table",
            on_select=lambda: st.session_state.pop("er_record", None),  # a click replaces a link's employer
            selection_mode="single-cell",  # a click on the row; no checkbox column to take room at 1024 pixels
            hide_index=True,
            width="stretch",
            height=grid_height(min(len(found), TABLE_ROWS)),
            row_height=GRID_ROW_PX,
        )
        rows = [row for row, _ in picked.selection.cells] if picked is not None else []
        chosen = int(found["employer_id"].iloc[rows[0]]) if rows and rows[0] < len(found) else None
    render_export(ctx, search, totals["employers"], where)
    chosen = chosen or st.session_state.get("er_record")
    if chosen is not None and county is not None:
        st.divider()
        render_edit(ctx, county, int(chosen))


def render_export(ctx: ViewContext, search: str, count: int, where: str) -> None:
    if not count:
        return
    taken = datetime.now(text.CHINA)
    st.download_button(
        "导出名录表格（含工资，改后可再导入）",
        lambda: registry_workbook(
            registry_q.registry(ctx.url, ctx.scope, search),
            filter_label=f"{where}，共 {text.count(count)} 家",
            taken_at=taken,
        ),
        file_name=f"用人单位名录_{text.stamp(taken)}.xlsx",
        mime=XLSX_MIME,
        icon=":material/download:",
        key="er_export",
    )


# --- one employer on a form ----------------------------------------------------------------------------------


def size_choice(key: str, value: str | None) -> str | None:
    sizes = list(SIZE_NAMES)
    return st.selectbox(
        "企业规模",
        sizes,
        index=sizes.index(value) if value in sizes else None,
        format_func=SIZE_NAMES.get,
        placeholder="请选择",
        key=key,
    )


def township_choice(county: County, key: str, value: int | None) -> int | None:
    ids = list(county.townships)
    return st.selectbox(
        "所属乡镇（街道）",
        ids,
        index=ids.index(value) if value in ids else None,
        format_func=county.townships.get,
        placeholder="请选择",
        key=key,
    )


def read_numbers(typed: dict[str, str], errors: dict[str, str]) -> dict[str, Any]:
    """Counts and 元 typed as text, read exactly (data_layer/domain/inputs.py); what cannot be read is a message
    beside its field."""
    values, unreadable = read_fields(
        {
            "staff": (typed["staff"], parse_count, "职工人数"),
            "disabled_staff": (typed["disabled_staff"], parse_count, "残疾职工人数"),
            "avg_wage_fen": (typed["avg_wage_fen"], parse_yuan, "上年职工年平均工资"),
        }
    )
    errors |= unreadable
    if "staff" in values and values["staff"] is None:
        errors["staff"] = "请填写职工人数"
    for name in ("disabled_staff", "avg_wage_fen"):  # left empty: none, as the import reads an empty cell
        if name in values and values[name] is None:
            values[name] = 0
    return {k: v for k, v in values.items() if v is not None}


def number_fields(prefix: str, record: dict | None, errors: dict[str, str]) -> dict[str, str]:
    typed = {}
    columns = st.columns(3)
    for column, (name, label, value) in zip(
        columns,
        (
            ("staff", "职工人数", str(record["staff"]) if record else ""),
            ("disabled_staff", "残疾职工人数", str(record["disabled_staff"]) if record else ""),
            ("avg_wage_fen", "上年职工年平均工资（元）", text.yuan_input(record["avg_wage_fen"]) if record else ""),
        ),
        strict=True,
    ):
        with column:
            typed[name] = st.text_input(label, value=value, key=f"{prefix}_{name}")
            field_error(errors, name)
    return typed


def render_edit(ctx: ViewContext, county: County, employer_id: int) -> None:
    record = registry_q.employer(ctx.url, employer_id, ctx.scope)
    if record is None:
        st.error(f"没有编号为 {employer_id} 的用人单位（或不在所选乡镇）", icon=":material/error:")
        return
    st.subheader(f"修改：{escape_markdown(record['name'])}")
    changed = f"，最近修改 {text.time(record['updated_at'])}" if record["updated_at"] else ""
    st.caption(
        escape_markdown(
            f"统一社会信用代码 {record['credit_code']} · 登记日期 {text.day(record['registered_on'])} · "
            f"录入人 {record['created_by'] or '—'}{changed}。代码和登记日期不能修改。"
        )
    )
    errors = st.session_state.get("er_edit_errors", {}).get(employer_id, {})
    prefix = f"er_e{employer_id}_{st.session_state.get('er_edit_gen', 0)}"
    towns = dict(county.townships)
    if record["township_id"] is not None and record["township_id"] not in towns:  # a township since deactivated
        towns[record["township_id"]] = township_words(ctx).get(record["township_id"], "")
    with st.form(f"{prefix}_form"):
        top = st.columns([2, 1, 1, 1])
        with top[0]:
            name = st.text_input("单位名称", value=record["name"], max_chars=80, key=f"{prefix}_name")
            field_error(errors, "name")
        with top[1]:
            town = township_choice(
                County(county.county_id, county.name, towns), f"{prefix}_town", record["township_id"]
            )
            field_error(errors, "township_id")
        with top[2]:
            size = size_choice(f"{prefix}_size", record["size_class"])
            field_error(errors, "size_class")
        with top[3]:
            above = st.selectbox(
                "规模以上企业",
                [True, False],
                index=0 if record["above_designated_size"] else 1,
                format_func=lambda v: "是" if v else "否",
                key=f"{prefix}_above",
            )
        typed = number_fields(prefix, record, errors)
        other_errors(errors, {"name", "township_id", "size_class", "staff", "disabled_staff", "avg_wage_fen"})
        saved = st.form_submit_button("保存修改", type="primary")
    if saved:
        unreadable = chosen_or_not({"township_id": town, "size_class": size})
        values = {"name": parse_text(name), "township_id": town, "size_class": size, "above_designated_size": above}
        values |= read_numbers(typed, unreadable)
        stored = {k: record[k] for k in ("county_id", "credit_code", "registered_on")}
        save(
            lambda: service.update_employer(db_url=ctx.url, actor=ctx.actor, employer_id=employer_id, values=values),
            unreadable,
            ("er_edit_errors", employer_id),
            f"已保存：{values['name']}",
            "er_edit_gen",
            lambda: service.check_employer(db_url=ctx.url, values={**stored, **values}, current_id=employer_id),
        )


def chosen_or_not(choices: dict[str, Any]) -> dict[str, str]:
    """A message for each drop-down left on “请选择”."""
    words = {"township_id": "请选择所属乡镇（街道）", "size_class": "请选择企业规模"}
    return {name: words[name] for name, value in choices.items() if value is None}


def save(call, unreadable: dict[str, str], errors_at: tuple[str, Any], done: str, gen_key: str, check) -> None:
    """Write through the service; what it refused goes beside the fields on the next run (nothing written).
    With a problem the form found itself, the service's rules are checked (``check``) but nothing is written,
    so every problem shows at once. After a save, ``gen_key`` gives the form fresh widgets."""
    kept = st.session_state.setdefault(errors_at[0], {})
    if unreadable:
        kept[errors_at[1]] = {**check(), **unreadable}
        st.rerun()
    try:
        call()
    except ValidationFailed as refused:
        kept[errors_at[1]] = refused.errors
    except StoreUnavailable as busy:
        kept[errors_at[1]] = {"store": busy.message}
    else:
        kept.pop(errors_at[1], None)
        st.session_state.er_toast = done
        st.session_state[gen_key] = st.session_state.get(gen_key, 0) + 1
    st.rerun()


# --- 新增单位 ------------------------------------------------------------------------------------------------


def render_new(ctx: ViewContext, county: County) -> None:
    st.caption(escape_markdown(f"录入人：{ctx.actor.name}（{ctx.actor.kind.name}）。登记到：{county.name}。"))
    errors = st.session_state.get("er_new_errors", {}).get("new", {})
    prefix = f"er_n{st.session_state.get('er_new_gen', 0)}"
    with st.form(f"{prefix}_form"):
        top = st.columns([2, 1.3, 1])
        with top[0]:
            name = st.text_input("单位名称", max_chars=80, key=f"{prefix}_name")
            field_error(errors, "name")
        with top[1]:
            code = st.text_input(
                "统一社会信用代码", max_chars=24, key=f"{prefix}_code", placeholder="18 位，最后一位是校验位"
            )
            field_error(errors, "credit_code")
        with top[2]:
            town = township_choice(county, f"{prefix}_town", None)
            field_error(errors, "township_id")
        typed = number_fields(prefix, None, errors)
        bottom = st.columns(3)
        with bottom[0]:
            size = size_choice(f"{prefix}_size", None)
            field_error(errors, "size_class")
        with bottom[1]:
            above = st.selectbox(
                "规模以上企业", [False, True], format_func=lambda v: "是" if v else "否", key=f"{prefix}_above"
            )
        with bottom[2]:
            registered = st.date_input("登记日期", value=ctx.today, format="YYYY-MM-DD", key=f"{prefix}_date")
            field_error(errors, "registered_on")
        other_errors(
            errors,
            {"name", "credit_code", "township_id", "staff", "disabled_staff", "avg_wage_fen", "size_class"}
            | {"registered_on"},
        )
        saved = st.form_submit_button("登记", type="primary")
    if saved:
        unreadable = chosen_or_not({"township_id": town, "size_class": size})
        values = read_numbers(typed, unreadable)
        values |= dict(township_id=town, name=parse_text(name), credit_code=parse_text(code), size_class=size)
        values |= dict(above_designated_size=above, registered_on=registered)
        save(
            lambda: service.create_employer(db_url=ctx.url, actor=ctx.actor, county_id=county.county_id, **values),
            unreadable,
            ("er_new_errors", "new"),
            f"已登记：{parse_text(name)}",
            "er_new_gen",
            lambda: service.check_employer(db_url=ctx.url, values={"county_id": county.county_id, **values}),
        )


# --- 批量导入 ------------------------------------------------------------------------------------------------


def render_import(ctx: ViewContext, county: County) -> None:
    uploaded = file_import.render_upload(
        "er",
        "先下载模板，把名单填进去（或把其他部门给的名单按模板的列名整理好），再选择文件。"
        f"{file_import.LIMITS}系统先逐行检查并列出每一行的问题，全部没有问题才能导入；"
        "按统一社会信用代码匹配：已登记的单位更新，未登记的新增。",
        lambda: template_workbook(list(county.townships.values())),
        "用人单位名录导入模板.xlsx",
        "选择名单文件（.xlsx 或 .csv）",
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
    """Read and check the file once; the result stays in the session while the same file is chosen."""

    def parse(data: bytes, name: str) -> sheet.ParsedFile:
        towns = {name: i for i, name in county.townships.items()}
        return sheet.parse_employers(data, name, county_id=county.county_id, townships=towns)

    def check(parsed: sheet.ParsedFile) -> sheet.ImportPreview:
        bar = st.progress(0.0, text="正在逐行检查……")
        planned = service.preview_import(
            db_url=ctx.url,
            rows=parsed.rows,
            actor=ctx.actor,
            progress=lambda done, total: bar.progress(
                done / total, text=f"正在逐行检查：{text.count(done)} / {text.count(total)} 行"
            ),
        )
        bar.empty()
        return sheet.preview(parsed, planned, township_words(ctx))

    return file_import.dry_run(uploaded, "er_dry_run", (county.county_id, ctx.actor.username), "名单", check, parse)


def render_preview(preview: sheet.ImportPreview) -> None:
    """The dry run's summary and its tables: the rows with problems, the rows that create, the rows that update."""
    figures = (
        ("新增", preview.created, "家"),
        ("更新", preview.updated, "家"),
        ("无变化", preview.same, "家"),
        ("有问题", preview.problems, "行"),
    )
    file_import.render_summary(preview, figures)
    file_import.render_problems(preview)
    if not preview.problems and not preview.may_commit:
        st.info("文件中的单位都已登记，且没有任何变化，不需要导入。", icon=":material/info:")
    if not preview.create_rows.empty:
        table(preview.create_rows, f"将新增的单位（{text.count(preview.created)} 家）", {})
    if not preview.update_rows.empty:
        table(
            preview.update_rows,
            f"将更新的单位（{text.count(preview.updated)} 家）：每项变化一行，原值 → 新值",
            {"变化": st.column_config.TextColumn(width=WORDS_PX)},
        )


def render_commit(ctx: ViewContext, run: DryRun) -> None:
    preview = run.preview
    label = f"确认导入：新增 {text.count(preview.created)} 家，更新 {text.count(preview.updated)} 家"
    if not st.button(label, type="primary", icon=":material/upload:", key="er_commit"):
        return
    bar = st.progress(0.0, text="正在导入……")
    try:
        result = service.import_employers(
            db_url=ctx.url,
            actor=ctx.actor,
            file_name=run.file_name,
            rows=run.rows,
            progress=lambda done, total: bar.progress(done / total, text="正在导入（全部写入或全部不写入）……"),
        )
    except (ValidationFailed, StoreUnavailable) as refused:
        bar.empty()
        message = refused.message if isinstance(refused, StoreUnavailable) else "；".join(refused.errors.values())
        st.session_state.pop("er_dry_run", None)  # checked again on the next run, against the store as it is now
        st.error(escape_markdown(f"没有导入：{message}"), icon=":material/error:")
        return
    unchanged = result["rows"] - result["created"] - result["updated"]
    file_import.imported(
        "er",
        f"已导入“{run.file_name}”：新增 {text.count(result['created'])} 家，更新 {text.count(result['updated'])} 家，"
        f"无变化 {text.count(unchanged)} 家。",
    )


# --- 导入记录 ------------------------------------------------------------------------------------------------


def render_log(ctx: ViewContext, county: County) -> None:
    own = not ctx.actor.kind.every_township  # a township officer: their own imports
    log = registry_q.import_log(ctx.url, ctx.actor.username if own else None)
    file_import.render_log(log, own, "用人单位名单", {"created": "新增", "updated": "更新", "unchanged": "无变化"})
