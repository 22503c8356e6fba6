"""One entry workflow for every record type, driven by an ``EntrySpec`` (pages/common/entry_spec.py).

Three tabs: a quick form (the subject, township and date stay chosen; Enter saves once; a
suspicious value is saved only once confirmed with a note), a month grid for every township
(all rows or none), and corrections (edit, delete, restore from the 回收站). ``?record=<id>``
opens one record for correction.
"""

from __future__ import annotations

import json
from html import escape

import streamlit as st

from data_layer.domain import text
from data_layer.domain.links import RECORD_PARAM
from data_layer.domain.roles import AREAS, Actor
from data_layer.queries import org
from pages.common.action import Action
from pages.common.context import ViewContext, current
from pages.common.entry_edit import render_edit
from pages.common.entry_fields import (
    choose_subject,
    choose_unit,
    default_day,
    key,
    linked_table,
    period_key,
    read,
    saved_text,
    show_announcement,
    widget,
)
from pages.common.entry_grid import render_grid
from pages.common.entry_spec import EntrySpec, Field, Preview
from pages.common.fmt import escape_markdown
from pages.common.forms import field_error, other_errors
from pages.common.tables import linked
from pages.common.ui import empty

OLD_RECORD_PARAM = "entry"  # bookmarks made before every entry page used ?record=


def render_entry(spec: EntrySpec) -> None:
    ctx = current()
    subjects = spec.subject.choices(ctx)
    if subjects.empty:
        empty(spec.words.missing)
        return
    show_announcement(spec)
    actor = ctx.actor
    if actor is None or not actor.may_enter(spec.services.area):  # the navigation hides such pages anyway
        area = AREAS[spec.services.area]
        st.warning(
            "请先登录" if actor is None else f"您的账号（{actor.kind.name}）不能录入{area}的数据",
            icon=":material/lock:",
        )
        return
    st.caption(escape_markdown(f"录入人：{actor.name}（{actor.kind.name}）"))
    last_saves(spec, ctx, actor)
    open_linked_record(spec)
    mode_key = key(spec, "mode")
    st.session_state.setdefault(mode_key, "quick")
    mode = (
        st.segmented_control(
            "方式", list(spec.modes), format_func=spec.modes.__getitem__, key=mode_key, label_visibility="collapsed"
        )
        or "quick"
    )
    {"quick": render_quick, "grid": render_grid, "edit": render_edit}[mode](spec, ctx, subjects, actor)


def last_saves(spec: EntrySpec, ctx: ViewContext, actor: Actor) -> None:
    """The person's last saves of this record type, from the audit log: after the connection was lost
    right after 保存, this says whether it went through."""
    if spec.records.table is None:
        return
    saved = org.recent_writes(ctx.url, actor.username, spec.records.table)
    if saved.empty:
        return
    parts = []
    for row_id, at in zip(saved["row_id"], saved["at"], strict=True):
        record = spec.records.load(ctx.url, int(row_id), ctx.view.access)
        if record is not None:
            parts.append(f"#{row_id} {spec.records.describe(ctx, record)}（{text.time(at)} 保存）")
    if parts:
        st.caption(escape_markdown(f"{actor.name}最近保存的{spec.words.noun}：" + "；".join(parts)))


def open_linked_record(spec: EntrySpec) -> None:
    """A “修改” link (``?record=<id>``) opens that record once; later changes are the user's."""
    if (wanted := linked(spec.key, (RECORD_PARAM, OLD_RECORD_PARAM))) is not None:
        st.session_state[key(spec, "e_id")] = str(wanted)
        st.session_state[key(spec, "mode")] = "edit"


# --- the quick form ---------------------------------------------------------------------------------------


def quick_action(spec: EntrySpec) -> Action:
    return Action(spec.key, toast=key(spec, "toast"))


def render_quick(spec: EntrySpec, ctx: ViewContext, subjects, actor: Actor) -> None:
    action = quick_action(spec)
    errors = action.errors()
    # One kept field (a date) shares the top row; more (months and a date) get a row of their own.
    one_kept = sum(f.keep for f in spec.fields(subjects.iloc[0])) == 1
    top = st.columns([2, 1, 1] if one_kept else [2, 1])
    with top[0]:
        subject = choose_subject(spec, ctx, subjects)
        field_error(errors, spec.subject.key)
    with top[1]:
        township_id = choose_unit(spec, ctx, subject, errors)
    fields = spec.fields(subject)
    kept = [f for f in fields if f.keep]
    typed = [f for f in fields if not f.keep]
    if len(top) == 3:
        with top[2]:
            kept_raw = render_kept(spec, ctx, kept, errors)
    else:
        kept_raw = render_kept(spec, ctx, kept, errors)
    gen = action.generation
    with st.form(key(spec, f"form_{gen}")):
        raw = {}
        for column, f in zip(st.columns([f.width for f in typed]), typed, strict=True):
            with column:
                raw[f.name] = widget(f, key(spec, f"f_{f.name}_{gen}"), year=ctx.spec.year)
                field_error(errors, f.name)
        if spec.preview is not None:
            kept_values, _ = read(kept, kept_raw, ctx.spec.year)
            preview = spec.preview(ctx, subject, kept_values)
            if preview is not None:
                live_preview(spec, preview, gen)
        other_errors(errors, {f.name for f in fields} | {spec.subject.key, "township_id"})
        button, hint = st.columns([1, 6], vertical_alignment="center")
        submitted = button.form_submit_button("保存", type="primary")
        hint.caption("填好后按回车键或点“保存”。保存后乡镇、日期等保持不变，可接着录下一条。")
    if submitted:
        values, unreadable = read(fields, {**kept_raw, **raw}, ctx.spec.year)
        values = {
            **spec.fixed(ctx, subject),
            spec.subject.key: int(subject[spec.subject.key]),
            "township_id": township_id,
            **values,
        }
        submit(spec, ctx, actor, values, unreadable)
        st.rerun()
    action.confirm()
    recent = spec.records.recent(ctx, subject)
    about = escape_markdown(spec.subject.name(subject))
    title = f"**最近录入**（{about}，{ctx.spec.year}年共 {len(recent)} 条，最新的在上）"
    linked_table(ctx, spec, recent.head(8), "修改", title)


def render_kept(spec: EntrySpec, ctx: ViewContext, kept: list[Field], errors: dict[str, str]) -> dict:
    """Fields that stay after a save, above the form: they start from the filter (today within the
    filtered period) and then keep the last value used. A new filter period starts them afresh."""
    if not kept:
        return {}
    start = default_day(ctx)
    period = period_key(ctx)
    raw = {}
    for column, f in zip(st.columns(len(kept)), kept, strict=True):
        with column:
            value = f.starts_at(start) if f.starts_at else start.replace(day=1) if f.kind == "month" else start
            raw[f.name] = widget(f, key(spec, f"k_{f.name}_{period}"), value=value, year=ctx.spec.year)
            field_error(errors, f.name)
    return raw


def submit(spec: EntrySpec, ctx: ViewContext, actor: Actor, values: dict, unreadable: dict) -> None:
    """Save a new record (a fresh form after it), or keep what the service said for the next run."""
    quick_action(spec).run(
        lambda confirm, note: spec.services.create(
            db_url=ctx.url, actor=actor, values=values, confirm=confirm, warning_note=note, today=ctx.today
        ),
        lambda new_id: saved_text(spec, ctx, new_id),
        unreadable=unreadable,
    )


# --- live preview of count × standard × months ------------------------------------------------------------

_PREVIEW_JS = """
(() => {
  const cfg = %s;
  const read = (sel) => {
    const el = document.querySelector(sel);
    if (!el || !el.value.trim()) return null;
    const s = el.value.normalize("NFKC").replace(/[,\\s元人户]/g, "").replace(/[−－–—]/g, "-");
    return /^[+-]?(\\d+(\\.\\d*)?|\\.\\d+)$/.test(s) ? Number(s) : NaN;
  };
  const yuan = (fen) => (fen / 100).toLocaleString("zh-CN", {minimumFractionDigits: 2, maximumFractionDigits: 2});
  const update = () => {
    const out = document.getElementById(cfg.out);
    if (!out) return;
    const count = read(cfg.count), typedRate = read(cfg.rate), total = read(cfg.total);
    const rate = typedRate === null ? cfg.rateDefault : typedRate;
    if (count === null || rate === null || Number.isNaN(count) || Number.isNaN(rate)) {
      out.textContent = cfg.idle;
      return;
    }
    const rateFen = Math.round(rate * 100), expected = count * rateFen * cfg.factor;
    let text = `金额 = ${count.toLocaleString("zh-CN")} ${cfg.unit} × ${yuan(rateFen)} 元`;
    if (cfg.perMonth) text += ` × ${cfg.factor} 个月`;
    text += ` = ${yuan(expected)} 元`;
    if (total !== null && !Number.isNaN(total) && Math.round(total * 100) !== expected) {
      text += `；实发 ${yuan(Math.round(total * 100))} 元，与计算值不同，保存时须说明原因`;
    }
    out.textContent = text;
  };
  window.dpfPreview = update;
  if (!window.dpfPreviewBound) {
    document.addEventListener("input", () => window.dpfPreview && window.dpfPreview());
    window.dpfPreviewBound = true;
  }
  update();
})();
"""


def live_preview(spec: EntrySpec, p: Preview, gen: int) -> None:
    """金额 = 人数 × 标准 × 月数, worked out in the browser as the user types (form fields send
    nothing to the server before the save), from the standard and months the server knows."""
    rate = "未设置标准" if p.rate_default_fen is None else text.yuan(p.rate_default_fen)
    idle = f"金额 = 人（户）数 × {rate}" + (f" × {p.factor} 个月" if p.per_month else "") + "（填好人（户）数即显示）"

    def selector(name: str) -> str:
        return f".st-key-{key(spec, f'f_{name}_{gen}')} input"

    config = {
        "out": key(spec, f"preview_{gen}"),
        "count": selector(p.count),
        "rate": selector(p.rate),
        "total": selector(p.total),
        "rateDefault": None if p.rate_default_fen is None else float(text.yuan_number(p.rate_default_fen)),
        "factor": p.factor,
        "perMonth": p.per_month,
        "unit": p.unit,
        "idle": idle,
    }
    script = _PREVIEW_JS % json.dumps(config, ensure_ascii=False).replace("<", "\\u003c")
    st.html(
        f'<div class="entry-preview" id="{config["out"]}">{escape(idle)}</div><script>{script}</script>',
        unsafe_allow_javascript=True,
    )
