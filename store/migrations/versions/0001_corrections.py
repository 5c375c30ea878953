"""The corrections table.

Revision ID: 0001
Revises:
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("label", sa.String(16), nullable=False),
        sa.Column("speaker", sa.String(200)),
        sa.Column("speaker_role", sa.String(200)),
        sa.Column("predicted", sa.String(16)),
        sa.Column("model_version", sa.String(200)),
        sa.Column("note", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("key_name", sa.String(200)),
    )
    op.create_index("corrections_created_at", "corrections", ["created_at"])


def downgrade() -> None:
    op.drop_index("corrections_created_at", table_name="corrections")
    op.drop_table("corrections")
