"""Alembic environment: runs on the connection that `phonebook.api.migrate` opens."""

from alembic import context

from phonebook.api.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "Run migrations with `phonebook migrate`, which opens the database connection "
        "and takes the migration lock; the alembic command line is not wired up."
    )

context.configure(
    connection=connection,
    target_metadata=metadata,
    # SQLite cannot ALTER most constraints in place; batch mode copies the table.
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
