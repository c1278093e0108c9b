"""SQLite storage via sqlite-utils: schema, migrations, queries, transactions."""

from annotator.storage.db import DatabaseError, SchemaTooNew, open_database

__all__ = ["DatabaseError", "SchemaTooNew", "open_database"]
