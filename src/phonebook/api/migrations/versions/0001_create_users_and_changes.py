"""Create the users table and the change log.

Revision ID: 0001
Revises:
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def ascii_string(length: int) -> sa.types.TypeEngine[str]:
    return sa.String(length).with_variant(
        mysql.VARCHAR(length, charset="ascii", collation="ascii_bin"),
        "mysql",
        "mariadb",
    )


def upgrade() -> None:
    """Create `users`, its indexes, and `changes`."""
    op.create_table(
        "users",
        sa.Column("user_id", ascii_string(36), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column(
            "name_key",
            sa.String(300).with_variant(
                mysql.VARCHAR(300, charset="utf8mb4", collation="utf8mb4_bin"),
                "mysql",
                "mariadb",
            ),
            nullable=False,
        ),
        sa.Column("phone", sa.String(64), nullable=False),
        sa.Column("phone_key", ascii_string(32), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("user_id", name="pk_users"),
        sa.UniqueConstraint("phone_key", name="uq_users_phone_key"),
        mysql_engine="InnoDB",
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_unicode_ci",
    )
    op.create_index("ix_users_name_key_user_id", "users", ["name_key", "user_id"])
    op.create_table(
        "changes",
        sa.Column(
            "change_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("change_id", name="pk_changes"),
        mysql_engine="InnoDB",
    )


def downgrade() -> None:
    """Drop both tables."""
    op.drop_table("changes")
    op.drop_index("ix_users_name_key_user_id", table_name="users")
    op.drop_table("users")
