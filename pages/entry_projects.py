"""重点工程进度录入: quick entry, a month's grid for all townships, and corrections (edit, delete, restore)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import streamlit as st

from data_layer.errors import GridRejected, NeedsConfirmation, ValidationFailed
from data_layer.queries import org, projects
from data_layer.services import projects as service
from pages.common.context import ViewContext, current
from pages.common.fmt import num
from pages.common.forms import actor, confirm_block, default_day, field_error, other_errors, to_count, to_fen
from pages.common.frame import handover
from pages.common.ui import empty, short_project_name

MODES = {"quick": "逐条录入", "grid": "按月批量录入", "edit": "修改、删除与恢复"}
COUNTY_WIDE = -1  # the township choice “县本级” (no township)


def render() -> None:
    ctx = current()
    items = projects.items_for_entry(ctx.url, ctx.spec.year, ctx.scope.county_ids)
    if items.empty:
        empty(f"{ctx.spec.year}年尚未设置重点工程，请先在“目标任务”页设置。")
        return
    show_toast()
    name = actor()
    wanted = st.query_params.get("entry")
    if wanted and wanted.isdigit() and st.session_state.get("pe_linked") != int(wanted):
        # a “修改” link from a detail table: open that entry once (later changes are the user's)
        st.session_state.pe_linked = st.session_state.pe_edit_input = int(wanted)
        st.session_state.pe_mode = "edit"
    st.session_state.setdefault("pe_mode", "quick")
    mode = (
        st.segmented_control(
            "方式", list(MODES), format_func=MODES.__getitem__, key="pe_mode", label_visibility="collapsed"
        )
        or "quick"
    )
    if mode == "quick":
        render_quick(ctx, items, name)
    elif mode == "grid":
        render_grid(ctx, items, name)
    else:
        render_edit(ctx, items, name)


def whole_year(ctx: ViewContext):
    """Entry lists show the whole year being entered, whatever period the boards are filtered to."""
    return replace(ctx.scope, period="all", start=ctx.scope.year_start, end=date(ctx.spec.year, 12, 31))


def show_toast() -> None:
    message = st.session_state.pop("pe_toast", None)
    if message:
        st.toast(message, icon=":material/check_circle:")


def choose_item(items: pd.DataFrame) -> pd.Series:
    """The item, kept across saves (outside the form, so a save never resets it)."""
    ids = list(items["item_id"])
    labels = {r.item_id: f"{short_project_name(r.project)} · {r.item}（{r.unit}）" for r in items.itertuples()}
    if st.session_state.get("pe_item") not in ids:
        st.session_state.pe_item = ids[0]
    item_id = st.selectbox("指标", ids, format_func=labels.__getitem__, key="pe_item")
    return items[items["item_id"] == item_id].iloc[0]


def township_choices(ctx: ViewContext, item: pd.Series) -> dict[int, str]:
    """The units an entry for ``item`` may name: its county's townships, and/or 县本级."""
    towns = org.townships(ctx.url)
    towns = towns[towns["active"] & (towns["county_id"] == item["county_id"])]
    choices = {} if item["scope"] == "county" else dict(zip(towns["township_id"], towns["township"], strict=True))
    if item["scope"] != "township":
        choices[COUNTY_WIDE] = "县本级"
    return choices


def choose_township(ctx: ViewContext, item: pd.Series, key: str) -> int | None:
    choices = township_choices(ctx, item)
    if st.session_state.get(key) not in choices:
        first_filtered = next((t for t in ctx.scope.township_ids if t in choices), None)
        st.session_state[key] = first_filtered if first_filtered is not None else next(iter(choices))
    chosen = st.selectbox("乡镇（街道）", list(choices), format_func=choices.__getitem__, key=key)
    return None if chosen == COUNTY_WIDE else int(chosen)


# --- quick entry ---------------------------------------------------------------------------------


def render_quick(ctx: ViewContext, items: pd.DataFrame, name: str) -> None:
    left, right = st.columns(2)
    with left:
        item = choose_item(items)
    with right:
        township_id = choose_township(ctx, item, "pe_township")
    gen = st.session_state.setdefault("pe_gen", 0)
    errors = st.session_state.get("pe_errors", {})
    money_only = item["measure"] == "money"
    with st.form(f"pe_form_{gen}", border=True):
        cols = st.columns([1, 1, 1, 2])
        with cols[0]:
            day = st.date_input(
                "日期",
                value=default_day(ctx.spec.year, ctx.today),
                key=f"pe_day_{gen}",
                min_value=date(ctx.spec.year, 1, 1),
                max_value=date(ctx.spec.year, 12, 31),
                format="YYYY-MM-DD",
            )
            field_error(errors, "entry_date")
        with cols[1]:
            quantity = (
                None
                if money_only
                else st.number_input(f"数量（{item['unit']}）", min_value=0, value=None, step=1, key=f"pe_qty_{gen}")
            )
            field_error(errors, "quantity")
        with cols[2]:
            amount = st.number_input(
                "金额（元）", min_value=0.0, value=None, step=100.0, format="%.2f", key=f"pe_amt_{gen}"
            )
            field_error(errors, "amount_fen")
        with cols[3]:
            note = st.text_input("备注", key=f"pe_note_{gen}", max_chars=200)
            field_error(errors, "note")
        submitted = st.form_submit_button("保存", type="primary")
    other_errors(errors, {"entry_date", "quantity", "amount_fen", "note"})
    if submitted:
        values = dict(
            actor=name,
            item_id=int(item["item_id"]),
            township_id=township_id,
            entry_date=day,
            quantity=0 if money_only else to_count(quantity),
            amount_fen=to_fen(amount) or 0,
            note=note or "",
        )
        if money_only and amount is None:
            values["amount_fen"] = None
        save(ctx, values)
    pending = st.session_state.get("pe_pending")
    if pending:
        confirm_block(
            st.session_state.pe_warnings,
            key="pe_confirm",
            on_confirm=lambda: save(ctx, pending, confirm=True),
            on_cancel=clear_pending,
        )
    render_recent(ctx, item)


def save(ctx: ViewContext, values: dict, confirm: bool = False) -> None:
    """Call the service; remember errors or warnings for the next run, or start a fresh form."""
    label = values_label(ctx, values)
    try:
        service.add_progress(
            db_url=ctx.url,
            **values,
            confirm=confirm,
            warning_note=st.session_state.get("pe_confirm_note", ""),
            today=ctx.today,
        )
    except ValidationFailed as exc:
        st.session_state.pe_errors = exc.errors
        clear_pending()
        if not confirm:
            st.rerun()
        return
    except NeedsConfirmation as exc:
        st.session_state.pe_pending, st.session_state.pe_warnings = values, exc.warnings
        st.session_state.pe_errors = {}
        st.rerun()
    st.session_state.pe_errors = {}
    clear_pending()
    st.session_state.pe_gen = st.session_state.get("pe_gen", 0) + 1  # a fresh, empty form
    st.session_state.pe_toast = f"已保存：{label}"
    if not confirm:
        st.rerun()


def clear_pending() -> None:
    for key in ("pe_pending", "pe_warnings", "pe_confirm_note"):
        st.session_state.pop(key, None)


def values_label(ctx: ViewContext, values: dict) -> str:
    towns = dict(zip(org.townships(ctx.url)["township_id"], org.townships(ctx.url)["township"], strict=True))
    where = towns.get(values["township_id"], "县本级")
    quantity = values.get("quantity") or 0
    money = (values.get("amount_fen") or 0) / 100
    return f"{where} {values['entry_date']} 数量 {num(quantity)}，金额 {money:,.2f} 元"


def render_recent(ctx: ViewContext, item: pd.Series) -> None:
    rows = projects.entries(ctx.url, whole_year(ctx), item["project_code"], item["item_code"])
    st.markdown(f"**最近录入**（{item['item']}，{ctx.spec.year}年共 {len(rows)} 条）")
    if rows.empty:
        st.caption("还没有记录")
        return
    recent = rows.sort_values(["created_at", "id"], ascending=False).head(8)
    table = recent.assign(
        金额=[f"{a / 100:,.2f}" for a in recent["amount_fen"]], 修改=[f"entry_projects?entry={i}" for i in recent["id"]]
    )
    table = table.rename(
        columns={
            "id": "编号",
            "entry_date": "日期",
            "township": "乡镇",
            "quantity": "数量",
            "note": "备注",
            "created_by": "录入人",
        }
    )
    st.dataframe(
        table[["编号", "日期", "乡镇", "数量", "金额", "备注", "录入人", "修改"]],
        hide_index=True,
        width="stretch",
        column_config={"修改": st.column_config.LinkColumn(display_text="修改")},
    )


# --- a month for all townships -----------------------------------------------------------------------


def render_grid(ctx: ViewContext, items: pd.DataFrame, name: str) -> None:
    left, mid, right = st.columns([2, 1, 1])
    with left:
        item = choose_item(items)
    last_month = ctx.today.month if ctx.today.year == ctx.spec.year else 12
    with mid:
        month = st.selectbox(
            "月份",
            list(range(1, 13)),
            index=last_month - 1,
            key="pg_month",
            format_func=lambda m: f"{ctx.spec.year}年{m}月",
        )
    month_end = (pd.Timestamp(year=ctx.spec.year, month=month, day=1) + pd.offsets.MonthEnd(0)).date()
    with right:
        day = st.date_input(
            "记录日期",
            value=min(month_end, ctx.today),
            key=f"pg_day_{month}",
            min_value=date(ctx.spec.year, month, 1),
            max_value=month_end,
            format="YYYY-MM-DD",
        )
    choices = township_choices(ctx, item)
    problems = st.session_state.get("pg_problems", {})
    base = grid_frame(ctx, item, month, choices, problems)
    gen = st.session_state.setdefault("pg_gen", 0)
    st.caption("每个乡镇一行；只填有进度的行，空行不保存。保存前会逐行检查，有问题的行在右侧列出，全部无误才写入。")
    edited = st.data_editor(
        base,
        key=f"pg_editor_{gen}_{item['item_id']}_{month}",
        hide_index=True,
        width="stretch",
        disabled=["乡镇", "本月已录", "问题"],
        column_order=["乡镇", "本月已录", "数量", "金额（元）", "备注", "问题"],
        column_config={
            "数量": st.column_config.NumberColumn(f"数量（{item['unit']}）", min_value=0, step=1),
            "金额（元）": st.column_config.NumberColumn(min_value=0.0, format="%.2f"),
            "问题": st.column_config.TextColumn(width="large"),
        },
        height=40 + 36 * len(base),
    )
    if problems and all(not p["errors"] for p in problems.values()):
        st.checkbox("已核实上述提醒，仍然保存", key="pg_confirm")
        st.text_input("核实说明", key="pg_note", max_chars=200)
    if st.button("保存本月数据", type="primary", key="pg_save"):
        save_grid(ctx, item, day, edited, name)


def grid_frame(ctx: ViewContext, item: pd.Series, month: int, choices: dict, problems: dict) -> pd.DataFrame:
    """One row per unit, with what is already recorded in the month and the last save's problems."""
    start = date(ctx.spec.year, month, 1)
    month_scope = ctx.scope.__class__(
        year=ctx.spec.year,
        period="range",
        start=start,
        end=(pd.Timestamp(start) + pd.offsets.MonthEnd(0)).date(),
        county_ids=ctx.scope.county_ids,
    )
    done = projects.township_progress(ctx.url, month_scope)
    done = done[(done.project_code == item["project_code"]) & (done.item_code == item["item_code"])]
    recorded = {
        COUNTY_WIDE if t is None else t: v for t, v in zip(done["township_id"], done["done_period"], strict=True)
    }
    rows = [
        {
            "township_id": t,
            "乡镇": label,
            "本月已录": recorded.get(t, 0.0),
            "数量": None,
            "金额（元）": None,
            "备注": "",
            "问题": problems.get(str(t), {}).get("text", ""),
        }
        for t, label in choices.items()
    ]
    return pd.DataFrame(rows)


def save_grid(ctx: ViewContext, item: pd.Series, day: date, edited: pd.DataFrame, name: str) -> None:
    filled = edited[edited["数量"].notna() | edited["金额（元）"].notna()]
    if filled.empty:
        st.warning("没有填写任何数据")
        return
    money_only = item["measure"] == "money"
    rows = [
        {
            "township_id": None if r["township_id"] == COUNTY_WIDE else int(r["township_id"]),
            "quantity": 0 if money_only else to_count(r["数量"]) if pd.notna(r["数量"]) else 0,
            "amount_fen": to_fen(r["金额（元）"]) if pd.notna(r["金额（元）"]) else 0,
            "note": r["备注"] or "",
        }
        for _, r in filled.iterrows()
    ]
    try:
        ids = service.add_progress_rows(
            db_url=ctx.url,
            actor=name,
            item_id=int(item["item_id"]),
            entry_date=day,
            rows=rows,
            confirm=st.session_state.get("pg_confirm", False),
            warning_note=st.session_state.get("pg_note", ""),
            today=ctx.today,
        )
    except ValidationFailed as exc:
        st.error(str(exc))
        return
    except GridRejected as exc:
        st.session_state.pg_problems = {
            str(COUNTY_WIDE if rows[i]["township_id"] is None else rows[i]["township_id"]): {
                "errors": p.errors,
                "text": "；".join([*p.errors.values(), *p.warnings.values()]),
            }
            for i, p in exc.problems.items()
        }
        st.rerun()
    st.session_state.pop("pg_problems", None)
    st.session_state.pop("pg_confirm", None)
    st.session_state.pg_gen = st.session_state.get("pg_gen", 0) + 1
    st.session_state.pe_toast = f"已保存 {len(ids)} 条：{item['item']} {day}"
    st.rerun()


# --- corrections ------------------------------------------------------------------------------------------


def render_edit(ctx: ViewContext, items: pd.DataFrame, name: str) -> None:
    entry_id = st.number_input(
        "记录编号", min_value=1, step=1, value=None, key="pe_edit_input", help="在明细表中点“修改”会自动带出编号"
    )
    if entry_id:
        row = projects.entry(ctx.url, int(entry_id))
        if row is None:
            st.error(f"没有编号为 {entry_id} 的记录")
        else:
            render_edit_form(ctx, items, row, name)
    render_bin(ctx, name)


def render_edit_form(ctx: ViewContext, items: pd.DataFrame, row: dict, name: str) -> None:
    created = row["created_at"].tz_convert("Asia/Shanghai").strftime("%Y-%m-%d %H:%M")
    st.markdown(
        f"**#{row['id']}** {row['year']}年 {row['item']}（{row['unit']}）· 录入人 {row['created_by']} · "
        f"录入时间 {created}"
    )
    if row["deleted_at"] is not None:
        st.warning("这条记录已删除。")
        if st.button("恢复这条记录", key=f"pe_restore_{row['id']}"):
            change(
                ctx, service.restore_progress, f"已恢复记录 #{row['id']}", actor=name, entry_id=row["id"], rerun=True
            )
        return
    item = items[items["item_id"] == row["item_id"]]
    choices = township_choices(ctx, item.iloc[0]) if not item.empty else {COUNTY_WIDE: "县本级"}
    errors = st.session_state.get("pe_edit_errors", {})
    suffix = f"{row['id']}_{st.session_state.get('pe_edit_gen', 0)}"  # fresh widgets per entry and per save
    with st.form(f"pe_edit_{suffix}"):
        cols = st.columns([1, 1, 1, 1, 2])
        current_town = COUNTY_WIDE if row["township_id"] is None else row["township_id"]
        town = cols[0].selectbox(
            "乡镇",
            list(choices),
            index=list(choices).index(current_town) if current_town in choices else 0,
            format_func=choices.__getitem__,
            key=f"pe_e_town_{suffix}",
        )
        day = cols[1].date_input("日期", value=row["entry_date"], format="YYYY-MM-DD", key=f"pe_e_day_{suffix}")
        quantity = cols[2].number_input(
            "数量", min_value=0, step=1, value=int(row["quantity"]), key=f"pe_e_qty_{suffix}"
        )
        amount = cols[3].number_input(
            "金额（元）", min_value=0.0, format="%.2f", value=row["amount_fen"] / 100, key=f"pe_e_amt_{suffix}"
        )
        note = cols[4].text_input("备注", value=row["note"], max_chars=200, key=f"pe_e_note_{suffix}")
        field_error(errors, "entry_date", "quantity", "amount_fen", "township_id", "note")
        submitted = st.form_submit_button("保存修改", type="primary")
    if submitted:
        values = dict(
            actor=name,
            entry_id=row["id"],
            township_id=None if town == COUNTY_WIDE else int(town),
            entry_date=day,
            quantity=to_count(quantity),
            amount_fen=to_fen(amount),
            note=note,
        )
        st.session_state.pe_edit_values = values
        change(ctx, service.update_progress, f"已修改记录 #{row['id']}", **values, today=ctx.today, rerun=True)
    pending = st.session_state.get("pe_edit_warnings")
    if pending:
        confirm_block(
            pending,
            key="pe_edit_confirm",
            on_confirm=lambda: change(
                ctx,
                service.update_progress,
                f"已修改记录 #{row['id']}",
                **st.session_state.pe_edit_values,
                confirm=True,
                warning_note=st.session_state.get("pe_edit_confirm_note", ""),
                today=ctx.today,
            ),
            on_cancel=lambda: st.session_state.pop("pe_edit_warnings", None),
        )
    if st.button("删除这条记录", key=f"pe_delete_{row['id']}", icon=":material/delete:"):
        change(
            ctx,
            service.delete_progress,
            f"已删除记录 #{row['id']}（可在下方恢复）",
            actor=name,
            entry_id=row["id"],
            rerun=True,
        )


def change(ctx: ViewContext, fn, message: str, rerun: bool = False, **kwargs) -> None:
    """Run an edit, delete or restore; errors and warnings stay for the next run.

    ``rerun`` when called from the script body (a callback's own rerun follows anyway).
    """
    try:
        fn(db_url=ctx.url, **kwargs)
    except ValidationFailed as exc:
        st.session_state.pe_edit_errors = exc.errors
        st.session_state.pop("pe_edit_warnings", None)
    except NeedsConfirmation as exc:
        st.session_state.pe_edit_warnings = exc.warnings
        st.session_state.pe_edit_errors = {}
    else:
        for key in ("pe_edit_errors", "pe_edit_warnings", "pe_edit_confirm_note"):
            st.session_state.pop(key, None)
        st.session_state.pe_edit_gen = st.session_state.get("pe_edit_gen", 0) + 1
        st.session_state.pe_toast = message
    if rerun:
        st.rerun()


def render_bin(ctx: ViewContext, name: str) -> None:
    deleted = projects.entries(ctx.url, whole_year(ctx), deleted=True)
    st.markdown(f"**已删除的记录**（{ctx.spec.year}年，{len(deleted)} 条）")
    if deleted.empty:
        st.caption("没有已删除的记录")
        return
    table = deleted.assign(
        金额=[f"{a / 100:,.2f}" for a in deleted["amount_fen"]],
        打开=[f"entry_projects?entry={i}" for i in deleted["id"]],
    )
    table = table.rename(
        columns={
            "id": "编号",
            "entry_date": "日期",
            "township": "乡镇",
            "item": "指标",
            "quantity": "数量",
            "created_by": "录入人",
        }
    )
    st.dataframe(
        table[["编号", "日期", "乡镇", "指标", "数量", "金额", "录入人", "打开"]],
        hide_index=True,
        width="stretch",
        column_config={"打开": st.column_config.LinkColumn(display_text="查看/恢复")},
    )


handover(__name__)
