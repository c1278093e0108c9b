"""SQLite storage via sqlite-utils: schema, migrations, queries, transactions."""

from annotator.storage.db import DatabaseDamaged, DatabaseError, SchemaTooNew, open_database

__all__ = ["DatabaseDamaged", "DatabaseError", "SchemaTooNew", "open_database"]
