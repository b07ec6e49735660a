"""The event store: DuckDB schema and migrations, idempotent writes, queries and exports."""

from .db import DEFAULT_DB, Store, StoreError, default_path

__all__ = ["DEFAULT_DB", "Store", "StoreError", "default_path"]
