"""an item's planned months (计划实施期): 序时进度 follows the plan where there is one

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 19:35:33.847401
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PLAN_MONTHS = (
    "(plan_start_month IS NULL AND plan_end_month IS NULL) OR "
    "(plan_start_month BETWEEN 1 AND 12 AND plan_end_month BETWEEN plan_start_month AND 12)"
)


def upgrade() -> None:
    with op.batch_alter_table("projectitem", schema=None) as batch_op:
        batch_op.add_column(sa.Column("plan_start_month", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("plan_end_month", sa.Integer(), nullable=True))
        batch_op.create_check_constraint(op.f("ck_projectitem_plan_months"), PLAN_MONTHS)


def downgrade() -> None:
    with op.batch_alter_table("projectitem", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_projectitem_plan_months"), type_="check")
        batch_op.drop_column("plan_end_month")
        batch_op.drop_column("plan_start_month")
