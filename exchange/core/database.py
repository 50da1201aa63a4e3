"""Database engine and sessions for SQLite (embedded default) and PostgreSQL (at scale)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import orjson
from sqlalchemy import MetaData, create_engine, event, select
from sqlalchemy.engine import Connection, CursorResult, Engine, Result
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase, InstrumentedAttribute, Session, sessionmaker

from exchange.core.settings import Settings, get_settings

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _configure_sqlite(engine: Engine, wait_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own transaction handling breaks SAVEPOINTs; let SQLAlchemy emit BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={wait_ms}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        # IMMEDIATE takes the write lock up front, so concurrent writers wait instead of failing mid-way.
        immediate = connection.get_execution_options().get("sqlite_immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str | None = None, settings: Settings | None = None, **kwargs: Any) -> Engine:
    settings = settings or get_settings()
    url = url or settings.database_url
    # A request waits this long for a lock (SQLite's write lock, a PostgreSQL row lock), then answers 503 Busy.
    wait_ms = int(settings.database_wait_seconds * 1000)
    # Matching reads the JSON term counts of many supplier documents per request: orjson parses them several
    # times faster than the standard library.
    kwargs.setdefault("json_deserializer", orjson.loads)
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)
        _configure_sqlite(engine, wait_ms)
        return engine
    kwargs.setdefault("pool_size", settings.db_pool_size)
    kwargs.setdefault("max_overflow", settings.db_pool_size)
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_timeout", settings.database_wait_seconds)
    kwargs.setdefault("connect_args", {"options": f"-c lock_timeout={wait_ms}"})
    return create_engine(url, **kwargs)


_SETTINGS = "exchange.settings"


def _settings_info(settings: Settings | None) -> dict[str, Any]:
    return {_SETTINGS: settings} if settings is not None else {}


def carry_settings(db: Session, settings: Settings) -> Session:
    """Make ``settings`` the unit of work's (a request's session gets its application's, a job's its worker's)."""
    db.info[_SETTINGS] = settings
    return db


def settings_of(db: Session) -> Settings:
    """The settings of this unit of work, as whoever opened it passed them in: domain code reads settings here,
    never from a process-wide global, so each application, worker or test sees its own."""
    settings: Settings | None = db.info.get(_SETTINGS)
    if settings is None:
        raise RuntimeError("this database session carries no settings: open it from a Database given settings")
    return settings


class Database:
    """The engine and session factory the application uses; tests bind it to their own connection."""

    def __init__(self, engine: Engine, settings: Settings | None = None) -> None:
        self.engine = engine
        info = _settings_info(settings)
        self.read_sessions = sessionmaker(bind=engine, expire_on_commit=False, info=info)
        # On SQLite a writing transaction starts with BEGIN IMMEDIATE (see _configure_sqlite).
        self.write_sessions = sessionmaker(
            bind=engine.execution_options(sqlite_immediate=True), expire_on_commit=False, info=info
        )

    def session(self, write: bool = True) -> Session:
        return self.write_sessions() if write else self.read_sessions()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A unit of work outside a request (CLI, jobs): commit on success, roll back on error."""
        session = self.session()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @classmethod
    def for_connection(cls, connection: Connection, settings: Settings | None = None) -> Database:
        """Sessions inside an outer transaction that the caller rolls back (tests): commits become savepoints."""
        database = cls.__new__(cls)
        database.engine = connection.engine
        database.read_sessions = sessionmaker(
            bind=connection,
            expire_on_commit=False,
            join_transaction_mode="create_savepoint",
            info=_settings_info(settings),
        )
        database.write_sessions = database.read_sessions
        return database

    def analyze(self) -> None:
        """Refresh the planner's statistics after a bulk load (SQLite keeps none until asked).

        PostgreSQL also vacuums, outside a transaction: freshly loaded rows are not yet marked visible to
        all, so counts and averages would read every row instead of an index alone.
        """
        if self.engine.dialect.name == "postgresql":
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("VACUUM ANALYZE")
            return
        with self.engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")
            connection.commit()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name


def rows_changed(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE touched (its result is a CursorResult, which the type does not say)."""
    return int(cast(CursorResult[Any], result).rowcount or 0)


def take_turns_on(db: Session, primary_key: InstrumentedAttribute[int], value: int) -> None:
    """Lock one row until the transaction ends, so requests that count rows under it and then add one take
    turns (PostgreSQL; SQLite has one writer at a time already). FOR NO KEY UPDATE: a new row's foreign key to
    this one holds a key-share lock on it, which a plain FOR UPDATE would deadlock against."""
    db.execute(select(primary_key).where(primary_key == value).with_for_update(key_share=True))


# PostgreSQL's answers that mean "busy, try again": a lock not had in time, too many connections, a statement
# cancelled by its timeout, a serialisation failure, a deadlock broken.
BUSY_SQLSTATES = frozenset({"55P03", "53300", "57014", "40001", "40P01"})


def is_busy(error: DBAPIError) -> bool:
    """Whether a database error means the database was too busy to answer (nothing was changed)."""
    original = error.orig
    if getattr(original, "sqlstate", None) in BUSY_SQLSTATES:
        return True
    text = str(original)
    return "database is locked" in text or "database table is locked" in text
