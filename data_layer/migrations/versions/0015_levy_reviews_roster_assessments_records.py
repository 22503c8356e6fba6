"""annual reviews, roster lines and assessments on the shared record writers: a note for a confirmed warning,
deletion into the 回收站 (a deleted record stays, marked, out of every figure), who entered a review and when, and
the day a roster line was listed (the month it belongs to for 结账)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-09 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # autogenerate writes sqlmodel.sql.sqltypes.AutoString
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("annualreview", "rosterperson", "levyassessment")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column(
                    "warning_note", sqlmodel.sql.sqltypes.AutoString(length=200), server_default="", nullable=False
                )
            )
            batch_op.add_column(sa.Column("deleted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    with op.batch_alter_table("annualreview", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=40), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    with op.batch_alter_table("rosterperson", schema=None) as batch_op:
        batch_op.add_column(sa.Column("listed_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("rosterperson", schema=None) as batch_op:
        batch_op.drop_column("listed_on")
    with op.batch_alter_table("annualreview", schema=None) as batch_op:
        batch_op.drop_column("created_at")
        batch_op.drop_column("created_by")
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("deleted_at")
            batch_op.drop_column("warning_note")
