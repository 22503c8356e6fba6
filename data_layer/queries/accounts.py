"""The accounts as an administrator manages them (never a password hash)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from data_layer.domain.roles import AREAS, ROLES
from data_layer.models import Account, Township
from data_layer.queries._sql import frame


def accounts(url: str) -> pd.DataFrame:
    stmt = (
        select(
            Account.username,
            Account.display_name,
            Account.role,
            Account.areas,
            Township.name,
            Account.active,
            Account.is_demo,
            Account.created_at,
        )
        .outerjoin(Township, Township.id == Account.township_id)
        .order_by(Account.id)
    )
    found = frame(url, stmt, ["username", "name", "role", "areas", "township", "active", "is_demo", "created_at"])
    found["role_name"] = found["role"].map(lambda r: ROLES[r].name)
    found["area_names"] = [
        "全部"
        if ROLES[r].admin
        else ("—" if not ROLES[r].enters else "、".join(AREAS[a] for a in str(a_).split(",") if a in AREAS))
        for r, a_ in zip(found["role"], found["areas"], strict=True)
    ]
    return found
