"""The results store: every ``check`` recorded, so that runs can be listed and compared.

One SQLite file by default (WAL mode, the standard library's driver) or a PostgreSQL
database (psycopg 3), through SQLAlchemy Core; the schema is migrated with Alembic when a
store made by an older version is opened. Needs the ``store`` extra
(``pip install campus-security[store]``).

>>> from campus_security.store import Store
>>> with Store.open(":memory:") as store:
...     store.runs()
()
"""

from ._queries import HazardReport, HistoryEntry, StoredHazard, TrendPoint
from ._sink import StoreSink
from ._store import (
    FAILING,
    Diff,
    RosterIdentity,
    Run,
    Store,
    StoredFinding,
    StoreError,
    roster_identity,
    store_url_from_env,
)

__all__ = [
    "FAILING",
    "Diff",
    "HazardReport",
    "HistoryEntry",
    "RosterIdentity",
    "Run",
    "Store",
    "StoreError",
    "StoreSink",
    "StoredFinding",
    "StoredHazard",
    "TrendPoint",
    "roster_identity",
    "store_url_from_env",
]
