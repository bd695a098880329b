"""Storage: one SQLAlchemy async engine, Core tables, a content-addressed file store.

How other parts use it:
- The engine lives under ``keys.DB_ENGINE`` (``AsyncEngine``; SQLite in WAL mode by
  default, PostgreSQL through asyncpg when ``ZAL_DATABASE_URL`` names one: the same
  code runs on both, see dialects.py). Writes a live ack promises are retried
  through a short outage (retry.py). A part with its own tables (e.g. the
  realtime chat log) declares them on its own ``sqlalchemy.MetaData`` and runs
  ``await conn.run_sync(its_metadata.create_all)`` in its start-up, after the
  ``storage`` cleanup context (see ``server.app``) has opened the engine.
- Repositories are small async functions taking the engine (``storage.venues``,
  ``storage.events``, ``storage.institutions``); no ORM sessions.
- Files (GLBs, manifests, images) go through ``keys.BLOBS`` (:class:`BlobStore`),
  named by their sha256 and never rewritten.
"""
