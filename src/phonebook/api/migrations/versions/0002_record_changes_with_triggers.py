"""Record every write to users in changes with triggers.

The list cache compares the change log with the state it was built from. With the
log kept by triggers, a write is one statement (no separate insert, no explicit
transaction), and rows changed with plain SQL by an operator are noticed too.

On MySQL with binary logging on (RDS with backups), creating a trigger needs
log_bin_trust_function_creators=1 or the SUPER privilege.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EVENTS = ("insert", "update", "delete")


def upgrade() -> None:
    """Create one AFTER trigger per kind of write."""
    mysql = op.get_bind().dialect.name == "mysql"
    # NULL takes the next AUTO_INCREMENT value on MySQL and the next rowid on SQLite.
    record = "INSERT INTO changes (change_id) VALUES (NULL)"
    for event in EVENTS:
        header = f"CREATE TRIGGER users_after_{event} AFTER {event.upper()} ON users"
        if mysql:
            op.execute(f"{header} FOR EACH ROW {record}")
        else:
            op.execute(f"{header} FOR EACH ROW BEGIN {record}; END")


def downgrade() -> None:
    """Drop the triggers."""
    for event in EVENTS:
        op.execute(f"DROP TRIGGER IF EXISTS users_after_{event}")
