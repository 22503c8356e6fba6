"""a partial index of the audit entries that change data (the data version)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-08 10:12:40.118204

The store's data version and 数据最后更新 are the newest audit entry that changed data — not a sign-in, a failed
sign-in, a sign-out or the record of a download (data_layer/models.py ``AUDIT_DATA_ONLY``). A partial index of
those entries' ids finds it in one step on both engines, however many sign-ins came after it. The predicate is
written out here as it was at this revision, so a later change to the models' constant needs a migration of its own.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DATA_ONLY = (
    "action NOT IN ('login', 'login_failed', 'logout')"
    """ AND (table_name <> 'filelog' OR coalesce("after", '') NOT LIKE '%"kind": "export.%')"""
)


def upgrade() -> None:
    with op.batch_alter_table("auditlog", schema=None) as batch_op:
        batch_op.create_index(
            "ix_auditlog_data",
            ["id"],
            unique=False,
            sqlite_where=sa.text(DATA_ONLY),
            postgresql_where=sa.text(DATA_ONLY),
        )


def downgrade() -> None:
    with op.batch_alter_table("auditlog", schema=None) as batch_op:
        batch_op.drop_index("ix_auditlog_data")
