"""Who may do what: the roles and the areas of work, declared once as data. The frame builds each
person's navigation from them; the write services and the read scope enforce them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from data_layer.domain.errors import ValidationFailed

# The areas a person may be allowed to enter, and the record tables that belong to each.
AREAS: dict[str, str] = {
    "projects": "重点工程",
    "subsidies": "补贴",
    "levy": "残保金",
    "publicity": "宣传",
    "other": "其他工作",
}
AREA_OF_TABLE = {
    "progressentry": "projects",
    "disbursement": "subsidies",
    "employer": "levy",
    "annualreview": "levy",
    "inspection": "levy",
    "levyassessment": "levy",
    "levypayment": "levy",
    "rosterperson": "levy",
    "article": "publicity",
    "indicatorvalue": "other",
}


@dataclass(frozen=True)
class Role:
    code: str
    name: str
    enters: bool  # may enter records (in the areas granted to the account)
    every_township: bool  # sees and enters every township (else only the account's own)
    admin: bool  # targets, types and standards, accounts, locks, backup, the audit view


ROLES: dict[str, Role] = {
    "leader": Role("leader", "领导", enters=False, every_township=True, admin=False),
    "staff": Role("staff", "科室人员", enters=True, every_township=True, admin=False),
    "township": Role("township", "乡镇专职干事", enters=True, every_township=False, admin=False),
    "admin": Role("admin", "管理员", enters=True, every_township=True, admin=True),
}


@dataclass(frozen=True)
class Actor:
    """The person a write is done by (from a signed-in account), or the system (seeds, the command line)."""

    username: str
    name: str  # as shown (录入人)
    role: str
    areas: tuple[str, ...] = tuple(AREAS)
    township_id: int | None = None  # a township officer's township
    account_id: int | None = None  # None: the system itself, not a person's account

    @property
    def kind(self) -> Role:
        return ROLES[self.role]

    def may_enter(self, area: str) -> bool:
        return self.kind.enters and (self.kind.admin or area in self.areas)

    def sees_people(self) -> bool:
        """Names, ID and certificate numbers of disabled people in full: only accounts that enter the levy
        area (the rosters are theirs to check); everyone else sees them masked (data_layer/id_number.py)."""
        return self.may_enter("levy")

    def township_allowed(self, township_id: int | None) -> bool:
        """A township officer writes and reads only their own township (and never 县本级)."""
        return self.kind.every_township or (township_id is not None and township_id == self.township_id)


SYSTEM = Actor(username="system", name="系统", role="admin")


ANY = object()  # no township named: nothing to check


def permitted(actor: Actor | None, *, admin: bool = False, area: str | None = None, township_id: Any = ANY) -> None:
    """What the acting account's role allows (above); raises ``ValidationFailed`` on "actor"."""
    if actor is None:
        return  # a service without an actor (reads of the store's own bookkeeping)
    if admin and not actor.kind.admin:
        raise ValidationFailed({"actor": f"只有管理员可以做这项修改（您是{actor.kind.name}）"})
    if area is not None and not actor.may_enter(area):
        if not actor.kind.enters:
            raise ValidationFailed({"actor": f"{actor.kind.name}账号只能查看，不能录入或修改"})
        raise ValidationFailed({"actor": f"您的账号没有“{AREAS[area]}”的录入权限，请联系管理员"})
    if township_id is not ANY and not actor.township_allowed(township_id):
        raise ValidationFailed({"township_id": "乡镇专职干事只能录入和修改本乡镇的数据"})
