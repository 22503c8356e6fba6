"""record numbers and the references to them in 64-bit columns

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-08 01:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# PostgreSQL's SERIAL keys stop at 2,147,483,647: the audit log, entries, payments and sign-ins grow for years.
# Every key and every reference to one is widened with its sequence, so that one rule holds (a record's number is
# 64-bit). SQLite's INTEGER PRIMARY KEY is 64-bit already: nothing to do there (as in 0004).
COLUMNS = {
    "auditlog": ("id",),
    "county": ("id",),
    "filelog": ("id",),
    "indicator": ("id",),
    "meetingpack": ("id",),
    "outlet": ("id",),
    "periodlock": ("id",),
    "seedfigure": ("id",),
    "signinthrottle": ("id",),
    "subsidytype": ("id",),
    "campaign": ("id", "county_id"),
    "levyyear": ("id", "county_id"),
    "lockoverride": ("id", "audit_id"),
    "project": ("id", "county_id"),
    "publicitytarget": ("id", "county_id"),
    "subsidystandard": ("id", "type_id"),
    "township": ("id", "county_id"),
    "account": ("id", "township_id"),
    "article": ("id", "county_id", "outlet_id", "township_id"),
    "disbursement": ("id", "type_id", "county_id", "township_id"),
    "employer": ("id", "county_id", "township_id"),
    "indicatorvalue": ("id", "indicator_id", "county_id", "township_id"),
    "projectitem": ("id", "project_id"),
    "publicityquota": ("id", "township_id"),
    "annualreview": ("id", "employer_id"),
    "inspection": ("id", "employer_id", "campaign_id"),
    "itemtownshiptarget": ("id", "item_id", "township_id"),
    "progressentry": ("id", "item_id", "township_id"),
    "signin": ("id", "account_id"),
    "levyassessment": ("id", "employer_id", "review_id"),
    "rosterperson": ("id", "review_id"),
    "levypayment": ("id", "assessment_id"),
}


def _alter(kind: sa.types.TypeEngine, was: sa.types.TypeEngine, sequence_as: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for table, columns in COLUMNS.items():
        for column in columns:
            op.alter_column(table, column, type_=kind, existing_type=was)
        sequence = bind.execute(sa.text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table}).scalar()
        if sequence:  # the number the next row gets must be able to pass 2³¹ too
            op.execute(f"ALTER SEQUENCE {sequence} AS {sequence_as}")


def upgrade() -> None:
    _alter(sa.BigInteger(), sa.Integer(), "bigint")


def downgrade() -> None:
    _alter(sa.Integer(), sa.BigInteger(), "integer")
