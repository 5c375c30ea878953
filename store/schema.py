"""The corrections table (SQLAlchemy Core); its history is in migrations/versions."""

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, Text

metadata = MetaData()

# Field limits, shared by the HTTP route's validation (the text's is the service's STANCE_MAX_TEXT_CHARS).
NAME_LIMIT = 200  # speaker, speaker_role, model_version, key_name
NOTE_LIMIT = 2000

corrections = Table(
    "corrections",
    metadata,
    # The insertion order: "newest first" and "the latest correction of a quote" follow it.
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("text", Text, nullable=False),
    Column("label", String(16), nullable=False),
    Column("speaker", String(NAME_LIMIT)),
    Column("speaker_role", String(NAME_LIMIT)),
    Column("predicted", String(16)),
    Column("model_version", String(NAME_LIMIT)),
    Column("note", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # Which API key sent it: a fingerprint of the key, never the key (see docs/corrections.md).
    Column("key_name", String(NAME_LIMIT)),
)
