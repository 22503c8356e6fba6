"""补贴发放录入: one disbursement, a month's grid for all townships, and corrections (edit, delete, restore)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import streamlit as st

from data_layer.errors import GridRejected, NeedsConfirmation, ValidationFailed
from data_layer.queries import org, subsidies
from data_layer.services import subsidies as service
from pages.common.context import ViewContext, current
from pages.common.forms import actor, confirm_block, default_day, field_error, other_errors, to_count, to_fen
from pages.common.frame import handover
from pages.common.ui import empty

MODES = {"quick": "逐笔录入", "grid": "按月批量录入", "edit": "修改、删除与恢复"}
COUNTY_WIDE = -1
UNIT = {"household": "户", "person": "人"}
BASIS = {"month": "每月", "payment": "每次"}


def render() -> None:
    ctx = current()
    types = subsidies.types_and_standards(ctx.url)
    counties = org.counties(ctx.url)
    if types.empty or counties.empty:
        empty("尚未设置补贴类型或县区。")
        return
    message = st.session_state.pop("ps_toast", None)
    if message:
        st.toast(message, icon=":material/check_circle:")
    name = actor()
    wanted = st.query_params.get("record")
    if wanted and wanted.isdigit() and st.session_state.get("ps_linked") != int(wanted):
        st.session_state.ps_linked = st.session_state.ps_edit_input = int(wanted)
        st.session_state.ps_mode = "edit"
    st.session_state.setdefault("ps_mode", "quick")
    mode = (
        st.segmented_control(
            "方式", list(MODES), format_func=MODES.__getitem__, key="ps_mode", label_visibility="collapsed"
        )
        or "quick"
    )
    county_id = ctx.scope.county_ids[0] if ctx.scope.county_ids else int(counties["county_id"].iloc[0])
    if mode == "quick":
        render_quick(ctx, types, county_id, name)
    elif mode == "grid":
        render_grid(ctx, types, county_id, name)
    else:
        render_edit(ctx, county_id, name)


def choose_type(types: pd.DataFrame) -> pd.Series:
    first = types.drop_duplicates("type_id")
    labels = dict(zip(first["type_id"], first["type"], strict=True))
    type_id = st.selectbox("补贴类型", list(labels), format_func=labels.__getitem__, key="ps_type")
    standards = types[types["type_id"] == type_id]
    row = standards.iloc[0]
    unit, basis = UNIT[row["unit"]], BASIS[row["standard_basis"]]
    listed = "；".join(
        f"{r.effective_from:%Y-%m-%d} 起 {r.standard_fen / 100:,.2f} 元/{unit}/{basis[1:]}"
        for r in standards.itertuples()
        if r.effective_from == r.effective_from
    )
    st.caption(f"标准：{listed or '未设置'}（不填标准时，按发放日有效的标准）")
    return row


def township_choices(ctx: ViewContext, county_id: int) -> dict[int, str]:
    towns = org.townships(ctx.url)
    towns = towns[towns["active"] & (towns["county_id"] == county_id)]
    return {**dict(zip(towns["township_id"], towns["township"], strict=True)), COUNTY_WIDE: "县本级"}


def render_quick(ctx: ViewContext, types: pd.DataFrame, county_id: int, name: str) -> None:
    left, right = st.columns(2)
    with left:
        kind = choose_type(types)
    with right:
        choices = township_choices(ctx, county_id)
        if st.session_state.get("ps_township") not in choices:
            st.session_state.ps_township = next(iter(choices))
        township = st.selectbox("乡镇（街道）", list(choices), format_func=choices.__getitem__, key="ps_township")
    gen = st.session_state.setdefault("ps_gen", 0)
    errors = st.session_state.get("ps_errors", {})
    year = ctx.spec.year
    with st.form(f"ps_form_{gen}"):
        cols = st.columns(4)
        month_from = cols[0].selectbox(
            "所属月份：从", range(1, 13), key=f"ps_from_{gen}", format_func=lambda m: f"{year}年{m}月"
        )
        month_to = cols[1].selectbox("至", range(1, 13), key=f"ps_to_{gen}", format_func=lambda m: f"{year}年{m}月")
        with cols[2]:
            recipients = st.number_input(
                f"人（户）数（{UNIT[kind['unit']]}）", min_value=0, step=1, value=None, key=f"ps_count_{gen}"
            )
            field_error(errors, "recipients")
        with cols[3]:
            paid = st.date_input(
                "发放日期", value=default_day(year, ctx.today), key=f"ps_paid_{gen}", format="YYYY-MM-DD"
            )
            field_error(errors, "paid_date")
        cols = st.columns([1, 1, 2])
        with cols[0]:
            standard = st.number_input(
                "标准（元，可空）", min_value=0.0, value=None, format="%.2f", key=f"ps_std_{gen}"
            )
            field_error(errors, "standard_fen")
        with cols[1]:
            amount = st.number_input(
                "实发金额（元，可空）",
                min_value=0.0,
                value=None,
                format="%.2f",
                key=f"ps_amt_{gen}",
                help="不填则按 人（户）数 × 标准 × 月数；填了不同的数，须说明原因",
            )
            field_error(errors, "amount_fen")
        with cols[2]:
            note = st.text_input("备注", key=f"ps_note_{gen}", max_chars=200)
        field_error(errors, "month_to")
        submitted = st.form_submit_button("保存", type="primary")
    other_errors(errors, {"recipients", "paid_date", "standard_fen", "amount_fen", "month_to", "note"})
    if submitted:
        values = dict(
            actor=name,
            type_id=int(kind["type_id"]),
            county_id=county_id,
            township_id=None if township == COUNTY_WIDE else int(township),
            month_from=date(year, month_from, 1),
            month_to=date(year, month_to, 1),
            recipients=to_count(recipients),
            paid_date=paid,
            standard_fen=to_fen(standard),
            amount_fen=to_fen(amount),
            note=note or "",
        )
        save(ctx, values)
    pending = st.session_state.get("ps_pending")
    if pending:
        confirm_block(
            st.session_state.ps_warnings,
            key="ps_confirm",
            on_confirm=lambda: save(ctx, pending, confirm=True),
            on_cancel=clear_pending,
        )


def save(ctx: ViewContext, values: dict, confirm: bool = False) -> None:
    try:
        service.add_disbursement(
            db_url=ctx.url,
            **values,
            confirm=confirm,
            warning_note=st.session_state.get("ps_confirm_note", ""),
            today=ctx.today,
        )
    except ValidationFailed as exc:
        st.session_state.ps_errors = exc.errors
        clear_pending()
    except NeedsConfirmation as exc:
        st.session_state.ps_pending, st.session_state.ps_warnings = values, exc.warnings
        st.session_state.ps_errors = {}
    else:
        st.session_state.ps_errors = {}
        clear_pending()
        st.session_state.ps_gen = st.session_state.get("ps_gen", 0) + 1
        st.session_state.ps_toast = f"已保存：{values['paid_date']} 发放 {values['recipients']:,} 人（户）"
    if not confirm:  # a callback (the confirm button) gets its rerun anyway
        st.rerun()


def clear_pending() -> None:
    for key in ("ps_pending", "ps_warnings", "ps_confirm_note"):
        st.session_state.pop(key, None)


def render_grid(ctx: ViewContext, types: pd.DataFrame, county_id: int, name: str) -> None:
    left, mid, right = st.columns([2, 1, 1])
    with left:
        kind = choose_type(types)
    year = ctx.spec.year
    with mid:
        month = st.selectbox(
            "所属月份",
            range(1, 13),
            key="psg_month",
            format_func=lambda m: f"{year}年{m}月",
            index=(ctx.today.month if ctx.today.year == year else 12) - 1,
        )
    with right:
        paid = st.date_input(
            "发放日期", value=min(date(year, month, 28), ctx.today), key=f"psg_paid_{month}", format="YYYY-MM-DD"
        )
    choices = township_choices(ctx, county_id)
    problems = st.session_state.get("psg_problems", {})
    start = date(year, month, 1)
    month_scope = replace(
        ctx.scope,
        period="range",
        start=start,
        township_ids=(),
        end=(pd.Timestamp(start) + pd.offsets.MonthEnd(0)).date(),
    )
    existing = subsidies.disbursements(ctx.url, replace(month_scope, start=date(year, 1, 1), end=date(year, 12, 31)))
    existing = existing[
        (existing["type_code"] == kind["type_code"])
        & (existing["month_from"] <= start)
        & (existing["month_to"] >= start)
    ]
    before = {
        COUNTY_WIDE if pd.isna(t) else int(t): n
        for t, n in zip(existing["township_id"], existing["recipients"], strict=True)
    }
    base = pd.DataFrame(
        [
            {
                "township_id": t,
                "乡镇": label,
                "本月已录": before.get(t, 0),
                "人（户）数": None,
                "金额（元）": None,
                "备注": "",
                "问题": problems.get(str(t), ""),
            }
            for t, label in choices.items()
        ]
    )
    gen = st.session_state.setdefault("psg_gen", 0)
    st.caption("每个乡镇一行；金额不填则按 人（户）数 × 发放日有效标准 计算。全部无误才写入。")
    edited = st.data_editor(
        base,
        key=f"psg_editor_{gen}_{kind['type_id']}_{month}",
        hide_index=True,
        width="stretch",
        disabled=["乡镇", "本月已录", "问题"],
        height=40 + 36 * len(base),
        column_order=["乡镇", "本月已录", "人（户）数", "金额（元）", "备注", "问题"],
        column_config={
            "人（户）数": st.column_config.NumberColumn(min_value=0, step=1),
            "金额（元）": st.column_config.NumberColumn(min_value=0.0, format="%.2f"),
            "问题": st.column_config.TextColumn(width="large"),
        },
    )
    if problems and not st.session_state.get("psg_has_errors"):
        st.checkbox("已核实上述提醒，仍然保存", key="psg_confirm")
        st.text_input("核实说明", key="psg_note", max_chars=200)
    if st.button("保存本月数据", type="primary", key="psg_save"):
        filled = edited[edited["人（户）数"].notna()]
        if filled.empty:
            st.warning("没有填写任何数据")
            return
        rows = [
            {
                "township_id": None if r["township_id"] == COUNTY_WIDE else int(r["township_id"]),
                "recipients": to_count(r["人（户）数"]),
                "amount_fen": to_fen(r["金额（元）"]) if pd.notna(r["金额（元）"]) else None,
                "note": r["备注"] or "",
            }
            for _, r in filled.iterrows()
        ]
        try:
            ids = service.add_disbursement_rows(
                db_url=ctx.url,
                actor=name,
                type_id=int(kind["type_id"]),
                county_id=county_id,
                month=start,
                paid_date=paid,
                rows=rows,
                confirm=st.session_state.get("psg_confirm", False),
                warning_note=st.session_state.get("psg_note", ""),
                today=ctx.today,
            )
        except ValidationFailed as exc:
            st.error(str(exc))
            return
        except GridRejected as exc:
            st.session_state.psg_problems = {
                str(COUNTY_WIDE if rows[i]["township_id"] is None else rows[i]["township_id"]): "；".join(
                    [*p.errors.values(), *p.warnings.values()]
                )
                for i, p in exc.problems.items()
            }
            st.session_state.psg_has_errors = any(p.errors for p in exc.problems.values())
            st.rerun()
        for key in ("psg_problems", "psg_confirm", "psg_has_errors"):
            st.session_state.pop(key, None)
        st.session_state.psg_gen = gen + 1
        st.session_state.ps_toast = f"已保存 {len(ids)} 笔：{kind['type']} {year}年{month}月"
        st.rerun()


def render_edit(ctx: ViewContext, county_id: int, name: str) -> None:
    record_id = st.number_input(
        "记录编号", min_value=1, step=1, value=None, key="ps_edit_input", help="在发放记录表中点“修改”会自动带出编号"
    )
    if record_id:
        row = subsidies.disbursement(ctx.url, int(record_id))
        if row is None:
            st.error(f"没有编号为 {record_id} 的记录")
        else:
            render_edit_form(ctx, row, county_id, name)
    deleted = subsidies.disbursements(
        ctx.url, replace(ctx.scope, start=date(ctx.spec.year, 1, 1), end=date(ctx.spec.year, 12, 31)), deleted=True
    )
    st.markdown(f"**已删除的记录**（{ctx.spec.year}年，{len(deleted)} 条）")
    if not deleted.empty:
        table = deleted.assign(打开=[f"entry_subsidies?record={i}" for i in deleted["id"]])
        st.dataframe(
            table.rename(
                columns={
                    "id": "编号",
                    "paid_date": "发放日期",
                    "type": "补贴类型",
                    "township": "乡镇",
                    "recipients": "人（户）数",
                }
            )[["编号", "发放日期", "补贴类型", "乡镇", "人（户）数", "打开"]],
            hide_index=True,
            width="stretch",
            column_config={"打开": st.column_config.LinkColumn(display_text="查看/恢复")},
        )


def render_edit_form(ctx: ViewContext, row: dict, county_id: int, name: str) -> None:
    created = row["created_at"].tz_convert("Asia/Shanghai").strftime("%Y-%m-%d %H:%M")
    st.markdown(
        f"**#{row['id']}** · 录入人 {row['created_by']} · 录入时间 {created}"
        + (f" · 说明：{row['warning_note']}" if row["warning_note"] else "")
    )
    if row["deleted_at"] is not None:
        st.warning("这条记录已删除。")
        if st.button("恢复这条记录", key=f"ps_restore_{row['id']}"):
            change(ctx, service.restore_disbursement, f"已恢复记录 #{row['id']}", actor=name, disbursement_id=row["id"])
        return
    choices = township_choices(ctx, row["county_id"])
    errors = st.session_state.get("ps_edit_errors", {})
    suffix = f"{row['id']}_{st.session_state.get('ps_edit_gen', 0)}"
    with st.form(f"ps_edit_{suffix}"):
        cols = st.columns(4)
        current_town = COUNTY_WIDE if row["township_id"] is None else row["township_id"]
        town = cols[0].selectbox(
            "乡镇",
            list(choices),
            index=list(choices).index(current_town),
            format_func=choices.__getitem__,
            key=f"ps_e_town_{suffix}",
        )
        month_from = cols[1].date_input("所属月份：从", value=row["month_from"], key=f"ps_e_from_{suffix}")
        month_to = cols[2].date_input("至", value=row["month_to"], key=f"ps_e_to_{suffix}")
        paid = cols[3].date_input("发放日期", value=row["paid_date"], key=f"ps_e_paid_{suffix}")
        cols = st.columns(4)
        recipients = cols[0].number_input(
            "人（户）数", min_value=0, step=1, value=int(row["recipients"]), key=f"ps_e_count_{suffix}"
        )
        standard = cols[1].number_input(
            "标准（元）", min_value=0.0, format="%.2f", value=row["standard_fen"] / 100, key=f"ps_e_std_{suffix}"
        )
        amount = cols[2].number_input(
            "金额（元）", min_value=0.0, format="%.2f", value=row["amount_fen"] / 100, key=f"ps_e_amt_{suffix}"
        )
        note = cols[3].text_input("备注", value=row["note"], key=f"ps_e_note_{suffix}")
        field_error(errors, "month_to", "recipients", "standard_fen", "amount_fen", "paid_date", "township_id")
        submitted = st.form_submit_button("保存修改", type="primary")
    if submitted:
        st.session_state.ps_edit_values = dict(
            actor=name,
            disbursement_id=row["id"],
            township_id=None if town == COUNTY_WIDE else int(town),
            month_from=month_from,
            month_to=month_to,
            recipients=to_count(recipients),
            standard_fen=to_fen(standard),
            amount_fen=to_fen(amount),
            paid_date=paid,
            note=note,
            today=ctx.today,
        )
        change(ctx, service.update_disbursement, f"已修改记录 #{row['id']}", **st.session_state.ps_edit_values)
    pending = st.session_state.get("ps_edit_warnings")
    if pending:
        confirm_block(
            pending,
            key="ps_edit_confirm",
            on_confirm=lambda: change(
                ctx,
                service.update_disbursement,
                f"已修改记录 #{row['id']}",
                rerun=False,
                **st.session_state.ps_edit_values,
                confirm=True,
                warning_note=st.session_state.get("ps_edit_confirm_note", ""),
            ),
            on_cancel=lambda: st.session_state.pop("ps_edit_warnings", None),
        )
    if st.button("删除这条记录", key=f"ps_delete_{row['id']}", icon=":material/delete:"):
        change(
            ctx,
            service.delete_disbursement,
            f"已删除记录 #{row['id']}（可在下方恢复）",
            actor=name,
            disbursement_id=row["id"],
        )


def change(ctx: ViewContext, fn, message: str, rerun: bool = True, **kwargs) -> None:
    try:
        fn(db_url=ctx.url, **kwargs)
    except ValidationFailed as exc:
        st.session_state.ps_edit_errors = exc.errors
        st.session_state.pop("ps_edit_warnings", None)
    except NeedsConfirmation as exc:
        st.session_state.ps_edit_warnings, st.session_state.ps_edit_errors = exc.warnings, {}
    else:
        for key in ("ps_edit_errors", "ps_edit_warnings", "ps_edit_confirm_note"):
            st.session_state.pop(key, None)
        st.session_state.ps_edit_gen = st.session_state.get("ps_edit_gen", 0) + 1
        st.session_state.ps_toast = message
    if rerun:
        st.rerun()


handover(__name__)
