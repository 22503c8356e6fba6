"""补贴类型与标准 (admin): the subsidy types and their standards by effective date (data, not code)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from data_layer.domain import text
from data_layer.domain.errors import ValidationFailed
from data_layer.domain.inputs import parse_yuan, read_fields
from data_layer.queries import subsidies
from data_layer.services import subsidies as service
from pages.common.context import current
from pages.common.fmt import escape_markdown
from pages.common.forms import field_error, other_errors, saved_toast
from pages.common.ui import empty

UNIT = {"household": "户", "person": "人"}
PAYMENT = {"monthly": "按月", "yearly": "按年", "one_off": "一次性"}
BASIS = {"month": "每月（× 月数）", "payment": "每次"}


def render() -> None:
    ctx = current()
    saved_toast("st_toast")
    name = ctx.actor  # an administrator (the navigation opens this page to no one else)
    types = subsidies.types_and_standards(ctx.url)
    if types.empty:
        empty("尚未设置补贴类型")
        return
    table = types.assign(
        计发单位=types["unit"].map(UNIT),
        发放方式=types["payment"].map(PAYMENT),
        标准口径=types["standard_basis"].map(BASIS),
        标准=[float(v) if (v := text.yuan_number(fen)) is not None else None for fen in types["standard_fen"]],
    )
    st.dataframe(
        table.rename(columns={"type": "补贴类型", "effective_from": "生效日期"})[
            ["补贴类型", "计发单位", "发放方式", "标准口径", "生效日期", "标准"]
        ],
        hide_index=True,
        width="stretch",
        column_config={"标准": st.column_config.NumberColumn("标准（元）", format="%,.2f")},
    )
    labels = dict(zip(types["type_id"], types["type"], strict=True))
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader("新增标准（可在年中调整）")
        errors = st.session_state.get("st_errors", {})
        with st.form("st_standard"):
            type_id = st.selectbox("补贴类型", list(labels), format_func=labels.__getitem__, key="st_type")
            start = st.date_input("生效日期", value=date(ctx.spec.year, 1, 1), format="YYYY-MM-DD", key="st_from")
            field_error(errors, "effective_from")
            amount = st.text_input("标准（元）", placeholder="例如 6000 或 6000.50", key="st_amount")
            field_error(errors, "amount_fen")
            other_errors(errors, {"effective_from", "amount_fen"})
            if st.form_submit_button("保存标准", type="primary"):
                values, errors = read_fields({"amount_fen": (amount, parse_yuan, "标准")})
                if not errors:  # nothing goes to the service until the amount can be read
                    try:
                        service.add_standard(
                            db_url=ctx.url, actor=name, type_id=int(type_id), effective_from=start, **values
                        )
                    except ValidationFailed as exc:
                        errors = exc.errors
                    else:
                        standard = text.yuan(values["amount_fen"])
                        st.session_state.st_toast = f"已保存：{labels[type_id]} {text.day(start)}起 {standard}"
                st.session_state.st_errors = errors
                st.rerun()
    with right:
        st.subheader("修改补贴类型")
        first = types.drop_duplicates("type_id").set_index("type_id")
        type_id = st.selectbox("补贴类型", list(labels), format_func=labels.__getitem__, key="st_edit_type")
        row = first.loc[type_id]
        with st.form(f"st_type_{type_id}"):
            new_name = st.text_input("名称", value=row["type"])
            unit = st.selectbox("计发单位", list(UNIT), index=list(UNIT).index(row["unit"]), format_func=UNIT.get)
            payment = st.selectbox(
                "发放方式", list(PAYMENT), index=list(PAYMENT).index(row["payment"]), format_func=PAYMENT.get
            )
            basis = st.selectbox(
                "标准口径", list(BASIS), index=list(BASIS).index(row["standard_basis"]), format_func=BASIS.get
            )
            if st.form_submit_button("保存类型"):
                try:
                    service.update_subsidy_type(
                        db_url=ctx.url,
                        actor=name,
                        type_id=int(type_id),
                        name=new_name,
                        unit=unit,
                        payment=payment,
                        standard_basis=basis,
                    )
                except ValidationFailed as exc:
                    st.error(escape_markdown(exc))
                    return
                st.session_state.st_toast = f"已保存：{new_name}"
                st.rerun()
