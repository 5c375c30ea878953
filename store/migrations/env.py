"""Alembic's environment: run on the connection that `store.migrate` hands over, online only."""

from alembic import context

from quote_stance.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
