"""The shared filter row and the view context every page reads.

The filter lives in the URL (``year``, ``period`` or ``from``/``to``, repeated ``township``
and ``county``), so a filtered view can be bookmarked and shared. A new session starts
from the URL; after that the widgets are the truth and the URL follows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property

import streamlit as st

from data_layer import access
from data_layer.auth import SignedIn
from data_layer.domain import text
from data_layer.domain.roles import Actor
from data_layer.domain.scope import PERIODS, FilterSpec, Scope, parse_params, to_params
from data_layer.queries import org
from pages.common.fmt import escape_markdown

_KEYS = ("f_year", "f_period", "f_months", "f_townships", "f_counties")


@dataclass(frozen=True)
class ViewContext:
    url: str
    spec: FilterSpec
    scope: Scope
    today: date
    counties: tuple[str, ...]
    townships: tuple[str, ...]
    multi_county: bool
    who: SignedIn | None = None  # the signed-in account (None: a visitor of the public boards)

    @property
    def actor(self) -> Actor | None:
        return self.who.actor if self.who else None

    @cached_property
    def view(self) -> access.View:
        """What the data layer builds this page's boards for: the store, the account's rights, the filter, today."""
        return access.view(self.url, self.actor, self.spec, self.today)

    def units_label(self) -> str:
        """“全县” (全市, 全省 for a store of several counties), or the chosen townships (and counties)."""
        return self.view.units_label()

    def label(self) -> str:
        return self.view.label()

    def query_params(self) -> dict[str, str | list[str]]:
        return to_params(self.spec)

    @cached_property
    def county_id(self) -> int | None:
        """The county a record or an import belongs to (a campaign, a batch, an article): the account's own
        (data_layer/queries/org.py ``acting_county``: a township officer's county, else the filter's), or the
        store's first (a county's own store has one); None before any county is set up."""
        if self.actor is not None and (acting := org.acting_county(self.url, self.actor, self.scope)) is not None:
            return acting.county_id
        if self.scope.county_ids:
            return self.scope.county_ids[0]
        counties = org.counties(self.url)
        return None if counties.empty else int(counties["county_id"].iloc[0])


def today_in_china() -> date:
    return datetime.now(text.CHINA).date()


def _init_state(url: str, years: list[int], today: date) -> None:
    """First run of a session: take the filter from the URL (or the defaults)."""
    default_year = next((y for y in years if y <= today.year), years[0] if years else today.year)
    params = {key: st.query_params.get_all(key) for key in st.query_params}

    spec = parse_params(params, default_year=default_year, years=years or [default_year])
    towns = org.townships(url)
    st.session_state.f_year = spec.year
    st.session_state.f_period = spec.period
    st.session_state.f_months = (spec.month_from, spec.month_to)
    st.session_state.f_counties = [c for c in spec.counties if c in set(org.counties(url)["county"])]
    st.session_state.f_townships = [t for t in spec.townships if t in set(towns["label"])]


def render_filters(url: str, who: SignedIn | None = None) -> ViewContext:
    """Draw the filter row, keep the URL in step, and return the context for this run.

    A township officer's filter is their own township, whatever the URL asks: every read a page makes
    goes through this scope, so no page or download shows another township's rows."""
    today = today_in_china()
    years = org.years(url) or [today.year]
    if "f_year" not in st.session_state or st.session_state.f_year not in years:
        _init_state(url, years, today)
    counties = org.counties(url)
    towns = org.townships(url)
    towns = towns[towns["active"]]
    multi = len(counties) > 1
    # The filter sits in a row above the page, not in a sidebar: on a 1024-wide projector the
    # page keeps its full width, and the audience always sees what is filtered.
    with st.container(key="filter-row"):  # keyed: on a phone the frame's CSS keeps it to one line
        row = st.columns([1, 1, 1.3, 3] if multi else [1, 1, 4], gap="small", vertical_alignment="bottom")
    row[0].selectbox("年度", years, key="f_year", format_func=lambda y: f"{y}年")
    row[1].selectbox("期间", list(PERIODS), key="f_period", format_func=PERIODS.__getitem__)
    if multi:
        whole = org.whole_area(counties)
        row[2].multiselect("县区", list(counties["county"]), key="f_counties", placeholder=f"{whole}（全部县区）")
    chosen_counties = st.session_state.get("f_counties") or []
    all_towns = "全县（全部乡镇）"
    if multi and not chosen_counties:
        all_towns = f"{whole}（全部乡镇）"
    elif len(chosen_counties) > 1:
        all_towns = "所选县区（全部乡镇）"
    if chosen_counties:
        towns = towns[towns["county"].isin(chosen_counties)]
    rights = access.of(who.actor if who else None)
    own = not rights.every_township
    if own:  # the filter shows what the data layer reads for this account: the officer's own township
        towns = access.readable_townships(url, rights)
        asked = [t for t in st.session_state.f_townships if t not in set(towns["label"])]
        st.session_state.f_townships = list(towns["label"])
    options = list(towns["label"])  # unique: the filter (and the URL) name one township each
    st.session_state.f_townships = [t for t in st.session_state.f_townships if t in options]
    row[-1].multiselect("乡镇（街道）", options, key="f_townships", placeholder=all_towns, disabled=own)
    if own and asked:
        st.caption(
            escape_markdown(f"乡镇专职干事只能查看本乡镇的数据：显示的是{who.township}，不是{'、'.join(asked)}。")
        )
    if st.session_state.f_period == "range":
        st.select_slider("月份", options=list(range(1, 13)), key="f_months", format_func=lambda m: f"{m}月")
    m0, m1 = st.session_state.f_months
    spec = FilterSpec(
        year=st.session_state.f_year,
        period=st.session_state.f_period,
        month_from=m0,
        month_to=m1,
        townships=tuple(st.session_state.f_townships),
        counties=tuple(chosen_counties),
    )
    _sync_url(spec)
    scope = access.scope(url, access.of(who.actor if who else None), spec)  # the data layer narrows it
    return ViewContext(
        url=url,
        spec=spec,
        scope=scope,
        today=today,
        counties=tuple(chosen_counties),
        townships=spec.townships,
        multi_county=multi,
        who=who,
    )


FILTER_KEYS = ("year", "period", "from", "to", "township", "county")


def _sync_url(spec: FilterSpec) -> None:
    """Write the filter into the URL; other parameters (a page's own, like ``item``) stay."""
    wanted = {k: v if isinstance(v, list) else [v] for k, v in to_params(spec).items()}
    for key in FILTER_KEYS:
        if key not in wanted and key in st.query_params:
            del st.query_params[key]
        elif key in wanted and st.query_params.get_all(key) != wanted[key]:
            st.query_params[key] = wanted[key]


def current() -> ViewContext:
    """The context the frame computed for this run (pages call this)."""
    return st.session_state["view_context"]


def publish(ctx: ViewContext) -> None:
    st.session_state["view_context"] = ctx
