"""money and counts in 64-bit columns

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 08:46:17.630615
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Money (fen) and counts: PostgreSQL's INTEGER stops at 2,147,483,647 (21,474,836.47 元). SQLite's
# INTEGER is 64-bit already, and recreating its tables in batch mode would gain nothing.
COLUMNS = {
    "projectitem": ("annual_target", "budget_fen", "unit_cost_min_fen", "unit_cost_max_fen"),
    "itemtownshiptarget": ("target",),
    "progressentry": ("quantity", "amount_fen"),
    "subsidystandard": ("amount_fen",),
    "disbursement": ("recipients", "standard_fen", "amount_fen"),
    "employer": ("staff", "disabled_staff", "avg_wage_fen"),
    "annualreview": ("staff", "disabled_staff"),
    "levyassessment": ("amount_fen",),
    "levypayment": ("amount_fen",),
    "publicitytarget": ("target",),
    "indicatorvalue": ("value",),
}


def _alter(kind: sa.types.TypeEngine, was: sa.types.TypeEngine) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, columns in COLUMNS.items():
        for column in columns:
            op.alter_column(table, column, type_=kind, existing_type=was)


def upgrade() -> None:
    _alter(sa.BigInteger(), sa.Integer())


def downgrade() -> None:
    _alter(sa.Integer(), sa.BigInteger())
