"""What an account may read: built here, from the account the sign-in resolved, and nowhere else.

Every board, list, record and download is built from an :class:`Access`: a township officer's reads cover
their own township whatever the filter, the URL or a record link asks (a record of another township is
"not found", never shown), and whether names and ID numbers of disabled people are shown in full is decided
here too. Writes are checked by the services (data_layer/domain/roles.py); this is the same rule for reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from data_layer.domain.roles import Actor
from data_layer.domain.scope import FilterSpec, Scope, make_scope
from data_layer.queries import org


class NotReadable(LookupError):
    """A record this account may not read: said as if it did not exist (its township is not the account's)."""


@dataclass(frozen=True)
class Access:
    """One account's reading rights. ``township_id``: the only township it reads (a township officer); None:
    every township. ``people``: names, ID and certificate numbers in full (else masked)."""

    name: str
    township_id: int | None = None
    people: bool = False
    actor: Actor | None = field(default=None, compare=False)

    @property
    def every_township(self) -> bool:
        return self.township_id is None

    def reads(self, township_id: int | None) -> bool:
        """A row of ``township_id`` (None: 县本级) is this account's to read."""
        return self.township_id is None or (township_id is not None and int(township_id) == self.township_id)

    def require(self, township_id: int | None, what: str = "记录") -> None:
        if not self.reads(township_id):
            raise NotReadable(f"没有这条{what}")

    def visible(self, record: dict | None) -> dict | None:
        """A record read by its number, or None where it is not this account's to read (as if there were none:
        a township officer learns nothing of another township's records from their numbers)."""
        if record is None or self.reads(record.get("township_id")):
            return record
        return None


VISITOR = Access(name="访客")  # the public boards on the meeting-room PC: every township, people masked


def of(account: Actor | None) -> Access:
    """The reading rights of a signed-in account (``SignedIn.actor``), or of a visitor of the public boards."""
    if account is None:
        return VISITOR
    township = None if account.kind.every_township else account.township_id
    if not account.kind.every_township and township is None:
        township = -1  # a township officer without a township reads nothing, never everything
    return Access(name=account.name, township_id=township, people=account.sees_people(), actor=account)


def scope(url: str, access: Access, spec: FilterSpec) -> Scope:
    """The rows a view covers: the filter's period, townships (by label) and counties — narrowed to the
    account's own township, whatever the filter asks."""
    towns = org.townships(url)
    counties = org.counties(url)
    chosen_counties = [int(c) for c in counties.loc[counties["county"].isin(spec.counties), "county_id"]]
    by_label = dict(zip(towns["label"], towns["township_id"], strict=True))
    township_ids: Sequence[int] = [int(by_label[t]) for t in spec.townships if t in by_label]
    if access.township_id is not None:
        township_ids = [access.township_id]
        chosen_counties = []
    return make_scope(spec, township_ids, chosen_counties)


def readable_townships(url: str, access: Access):
    """The townships this account reads (every one, or its own), as org.townships lists them."""
    towns = org.townships(url)
    if access.township_id is None:
        return towns
    return towns[towns["township_id"] == access.township_id].reset_index(drop=True)


@dataclass(frozen=True)
class View:
    """What a board is built for: the store, the account's rights, the filter and the day (序时进度 runs to it)."""

    url: str
    access: Access
    spec: FilterSpec
    today: date

    @cached_property
    def scope(self) -> Scope:
        return scope(self.url, self.access, self.spec)

    @property
    def multi_county(self) -> bool:
        return len(org.counties(self.url)) > 1

    def units_label(self) -> str:
        """“全县” (全市, 全省 for a store of several counties), or the townships (and counties) covered."""
        scope = self.scope
        if scope.township_ids:
            towns = org.townships(self.url)
            names = list(towns.loc[towns["township_id"].isin(scope.township_ids), "label"])
            shown = "、".join(names[:4])
            return shown + (f" 等 {len(names)} 个乡镇" if len(names) > 4 else "")
        if self.multi_county:
            return "、".join(self.spec.counties) if scope.county_ids else org.whole_area(org.counties(self.url))
        return "全县"

    def label(self) -> str:
        """“2023年上半年 · 鲁村镇”: the filter in words, as every output heads its figures."""
        return f"{self.spec.label()} · {self.units_label()}"


def view(url: str, account: Actor | None, spec: FilterSpec, today: date) -> View:
    return View(url=url, access=of(account), spec=spec, today=today)
