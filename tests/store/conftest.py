"""The store's tests: the shared-study tests run against a real PostgreSQL cluster the suite starts."""

from tests.postgres_server import postgres_server, study_database

__all__ = ["postgres_server", "study_database"]
