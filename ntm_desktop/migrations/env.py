"""Alembic environment: migrations run from the app on its own connection."""

from alembic import context

from ntm_desktop.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - used only by `alembic revision --autogenerate`
    from sqlalchemy import create_engine

    engine = create_engine(context.config.get_main_option("sqlalchemy.url"))
    connection = engine.connect()

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
