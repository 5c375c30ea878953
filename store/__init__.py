"""Reporters' corrections, kept durably (SQLite by default, PostgreSQL when configured)."""
