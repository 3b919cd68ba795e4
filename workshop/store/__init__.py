"""The .workshop file: SQLite as the application file format (op log, snapshots, metadata)."""
