"""Table definitions, shared by the queries and by the schema tests.

Migrations do not import these: each revision spells out its own DDL, so that an
old revision keeps meaning what it meant when it was written.
"""

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    func,
)
from sqlalchemy.dialects import mysql

# Predictable constraint names, so that a later migration can drop them by name.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

NAME_MAX_LENGTH = 100
# Case folding can lengthen a string (ß becomes ss), at most threefold per character.
NAME_KEY_MAX_LENGTH = 3 * NAME_MAX_LENGTH
PHONE_MAX_LENGTH = 64
PHONE_KEY_MAX_LENGTH = 32

metadata = MetaData(naming_convention=NAMING_CONVENTION)


def ascii_string(length: int) -> String:
    """Return a short identifier type: ASCII, compared byte by byte on MySQL."""
    return String(length).with_variant(
        mysql.VARCHAR(length, charset="ascii", collation="ascii_bin"),
        "mysql",
        "mariadb",
    )


def binary_unicode(length: int) -> String:
    """Return a text type that sorts by code point on MySQL, as SQLite does."""
    return String(length).with_variant(
        mysql.VARCHAR(length, charset="utf8mb4", collation="utf8mb4_bin"),
        "mysql",
        "mariadb",
    )


users = Table(
    "users",
    metadata,
    Column("user_id", ascii_string(36), primary_key=True),
    Column("name", String(NAME_MAX_LENGTH), nullable=False),
    # name.casefold(): the list is ordered by it, so order does not depend on collation.
    Column("name_key", binary_unicode(NAME_KEY_MAX_LENGTH), nullable=False),
    Column("phone", String(PHONE_MAX_LENGTH), nullable=False),
    # The canonical phone number: the unique index on it decides concurrent adds.
    Column(
        "phone_key", ascii_string(PHONE_KEY_MAX_LENGTH), nullable=False, unique=True
    ),
    Column("created_at", DateTime, nullable=False, server_default=func.now()),
    Column("updated_at", DateTime, nullable=False, server_default=func.now()),
    Index(None, "name_key", "user_id"),
    mysql_engine="InnoDB",
    mysql_charset="utf8mb4",
    mysql_collate="utf8mb4_unicode_ci",
)

# One row per written users row, inserted by triggers (migration 0002). The list
# cache compares this table's (min, max, count) with the values it was built from,
# which also catches writes that commit out of id order.
changes = Table(
    "changes",
    metadata,
    Column(
        "change_id",
        BigInteger().with_variant(Integer, "sqlite"),
        primary_key=True,
        autoincrement=True,
    ),
    mysql_engine="InnoDB",
)
