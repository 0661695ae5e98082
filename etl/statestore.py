"""The crawl's state between nights, in one SQLite file: `<ETL_DATA_DIR>/state/crawl.sqlite`.

What a night leaves for the next one, all keyed by (source_id, key) so each source's rows
are its own:

    validators   ETag / Last-Modified and the sha of what they answered for (conditional GET)
    fetched      each report URL's last good fetch and when it was asked (recheck dates)
    pages        what the conventions made of a listing page, by the page's bytes (page memo)
    learned      what the browser learned about a listing (replayed without a browser)
    inferred     regions inferred from agency names (the registry, keyed by gazetteer version)
    cookies      cookies a script challenge set in the browser, until they expire
    rendered     one row per page opened in the browser (an audit log, append-only)

Why SQLite and how it is used:
- One declared schema (below), migrated by `PRAGMA user_version`; WAL, so readers never
  wait for a writer, and a busy timeout, so the processes of a night (LocalExecutor tasks,
  the pool of `python -m etl run`, Celery workers) queue for the write lock instead of failing.
- Objects read their source's rows once and write back only the rows that changed, each
  save one short `BEGIN IMMEDIATE` transaction: two processes writing different sources (or
  different rows of one) never lose each other's rows, and an unchanged night commits nothing.
- The per-host rate limiter keeps its own file (`politeness.sqlite`, or Redis), and so does
  the robots.txt cache (`state/robots/`): the limiter writes on every request and its rows
  are worthless a minute later, so sharing this file's write lock would make every state
  save queue behind the crawl's request pace (and the limiter has a Redis twin for several
  machines); both are politeness caches that rebuild for free (etl/politeness.py), not what
  the crawl learned, so an unchanged night may still touch them.
- On shared storage reached over NFS/SMB (Celery workers on several machines) WAL cannot work
  (its index is shared memory); set ETL_STATE_JOURNAL=delete there: the classic rollback
  journal, which relies on the file system's locks.
- JSON state files of older versions (state/http, fetched, pages, learned, cookies.json,
  registry_inferred.json, rendered.jsonl) are imported the first time a process opens the
  store, rows already in the store winning, then moved to `state/imported-json/`.
"""
from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Self

log = logging.getLogger(__name__)

STATE_FILE = "crawl.sqlite"
IMPORTED = "imported-json"

# The schema, one script per version: MIGRATIONS[i] brings user_version i to i + 1.
# Add a new script at the end to change it; never edit one that has shipped.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE validators (
        source_id     TEXT NOT NULL,
        url           TEXT NOT NULL,
        etag          TEXT NOT NULL DEFAULT '',
        last_modified TEXT NOT NULL DEFAULT '',
        sha256        TEXT NOT NULL DEFAULT '',
        content_type  TEXT NOT NULL DEFAULT '',
        final_url     TEXT NOT NULL DEFAULT '',
        disposition   TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (source_id, url)
    ) WITHOUT ROWID;
    CREATE TABLE fetched (
        source_id     TEXT NOT NULL,
        url           TEXT NOT NULL,
        checked       REAL NOT NULL,            -- epoch seconds it was last asked for
        record        TEXT NOT NULL,            -- the Fetched record, JSON
        PRIMARY KEY (source_id, url)
    ) WITHOUT ROWID;
    CREATE TABLE pages (
        source_id     TEXT NOT NULL,
        page_key      TEXT NOT NULL,            -- code version, request, URL, bytes' hash
        found         TEXT NOT NULL,            -- [Found, ...], JSON
        PRIMARY KEY (source_id, page_key)
    ) WITHOUT ROWID;
    CREATE TABLE learned (
        source_id     TEXT NOT NULL,
        name          TEXT NOT NULL,            -- requests | templates | items | no_gain
        value         TEXT NOT NULL,            -- JSON
        PRIMARY KEY (source_id, name)
    ) WITHOUT ROWID;
    CREATE TABLE inferred (
        source_id     TEXT NOT NULL,            -- the gazetteer's version (rows of others are stale)
        name          TEXT NOT NULL,            -- agency name
        province      TEXT NOT NULL DEFAULT '',
        province_code TEXT NOT NULL DEFAULT '',
        city          TEXT NOT NULL DEFAULT '',
        county        TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (source_id, name)
    ) WITHOUT ROWID;
    CREATE TABLE cookies (
        source_id     TEXT NOT NULL,            -- the cookie's domain
        name          TEXT NOT NULL,            -- "<path> <name>"
        value         TEXT NOT NULL,            -- the cookie, JSON
        expires       REAL NOT NULL DEFAULT 0,  -- epoch seconds; <= 0: a session cookie
        PRIMARY KEY (source_id, name)
    ) WITHOUT ROWID;
    CREATE TABLE rendered (
        at            REAL NOT NULL,
        source_id     TEXT NOT NULL,
        url           TEXT NOT NULL,
        requests      INTEGER NOT NULL
    );
    CREATE INDEX rendered_at ON rendered (at);
    """,
)


@dataclass(frozen=True)
class Table:
    """A per-source table: rows keyed (source_id, key), the rest its value columns.
    `whole`: the value is one JSON column (read back as that value, not a dict)."""
    name: str
    key: str
    columns: tuple[str, ...]
    json_columns: frozenset[str] = frozenset()
    whole: bool = False

    def encode(self, value: Any) -> tuple:
        if self.whole:
            return (_dumps(value),)
        return tuple(_dumps(value.get(c)) if c in self.json_columns else _plain(value.get(c))
                     for c in self.columns)

    def decode(self, row: tuple) -> Any:
        if self.whole:
            return json.loads(row[0])
        return {c: json.loads(v) if c in self.json_columns else v for c, v in zip(self.columns, row)}


def _dumps(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False, default=str, sort_keys=True)


def _plain(v: Any) -> Any:
    return "" if v is None else v


VALIDATORS = Table("validators", "url", ("etag", "last_modified", "sha256", "content_type", "final_url", "disposition"))
FETCHED = Table("fetched", "url", ("checked", "record"), frozenset({"record"}))
PAGES = Table("pages", "page_key", ("found",), whole=True)
LEARNED = Table("learned", "name", ("value",), whole=True)
INFERRED = Table("inferred", "name", ("province", "province_code", "city", "county"))
COOKIES = Table("cookies", "name", ("value", "expires"), frozenset({"value"}))


class StateStoreError(sqlite3.DatabaseError):
    """The state file is there but is not a state store: what to do about it is in the message."""


_INHERITED: list[sqlite3.Connection] = []     # a parent's connections, across fork: never used nor closed


class StateStore:
    """One SQLite file; one connection per process and thread, kept open (a connection's first
    statement reads the schema: opening one per load would cost 5x the CPU of the JSON files)."""

    def __init__(self, path: Path | str, journal: str = "wal", timeout_s: float = 60.0):
        self.path = Path(path)
        self.journal = journal if journal in ("wal", "delete", "truncate", "persist") else "wal"
        self.timeout_s = timeout_s
        self.commits = 0                     # write transactions this object committed
        self._ready = False                  # schema checked and older JSON imported
        self._lock = threading.Lock()
        self._local = threading.local()

    # --- connections and the schema ----------------------------------------------------

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """This thread's connection, in autocommit mode (transactions are explicit: `transaction`)."""
        con, pid = getattr(self._local, "con", None), getattr(self._local, "pid", 0)
        if con is not None and pid != os.getpid():      # forked: the child opens its own
            _INHERITED.append(con)
            con = None
        if con is None:
            con = self._open()
            self._local.con, self._local.pid = con, os.getpid()
        yield con

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=self.timeout_s, isolation_level=None, check_same_thread=True)
        try:
            con.execute(f"PRAGMA busy_timeout = {int(self.timeout_s * 1000)}")
            if con.execute("PRAGMA journal_mode").fetchone()[0] != self.journal:   # persistent: set once
                con.execute(f"PRAGMA journal_mode = {self.journal}")
        except sqlite3.DatabaseError as e:               # not a database (a truncated copy, another file)
            con.close()
            raise StateStoreError(f"the crawl's state store {self.path} cannot be read ({e}): move it aside "
                                  "and the next night starts its state afresh (the warehouse and the raw "
                                  "store do not depend on it; known documents are downloaded once more)") from e
        con.execute("PRAGMA synchronous = NORMAL")       # durable at checkpoints; never corrupt
        with self._lock:
            if not self._ready:
                self._migrate(con)
                self._import_json(con)
                self._ready = True
        return con

    def close(self) -> None:
        """Close this thread's connection (tests; a process's end closes them all)."""
        con = getattr(self._local, "con", None)
        if con is not None and getattr(self._local, "pid", 0) == os.getpid():
            con.close()
        self._local.con = None

    @contextmanager
    def transaction(self, con: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE: the write lock from the start (no upgrade deadlock between readers)."""
        con.execute("BEGIN IMMEDIATE")
        try:
            yield con
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")
        self.commits += 1

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        with self.connect() as con, self.transaction(con):
            yield con

    def _migrate(self, con: sqlite3.Connection) -> None:
        if con.execute("PRAGMA user_version").fetchone()[0] >= len(MIGRATIONS):
            return
        with self.transaction(con):                 # one process migrates; the others wait, then see it
            version = con.execute("PRAGMA user_version").fetchone()[0]
            for n, script in enumerate(MIGRATIONS[version:], version + 1):
                for stmt in _statements(script):
                    con.execute(stmt)
                con.execute(f"PRAGMA user_version = {n}")

    @property
    def version(self) -> int:
        with self.connect() as con:
            return int(con.execute("PRAGMA user_version").fetchone()[0])

    # --- per-source rows ---------------------------------------------------------------

    def rows(self, table: Table, source_id: str) -> dict[str, tuple]:
        """The source's rows as stored: {key: encoded value columns}."""
        cols = ", ".join(table.columns)
        with self.connect() as con:
            cur = con.execute(f"SELECT {table.key}, {cols} FROM {table.name} WHERE source_id = ?", (source_id,))
            return {r[0]: tuple(r[1:]) for r in cur}

    def write(self, table: Table, source_id: str, upserts: dict[str, tuple], deletes: Iterable[str] = ()) -> int:
        """Upsert and delete rows of one source in one transaction; nothing to do, no transaction."""
        deletes = list(deletes)
        if not upserts and not deletes:
            return 0
        with self._writing() as con:
            _upsert(con, table, source_id, upserts)
            con.executemany(f"DELETE FROM {table.name} WHERE source_id = ? AND {table.key} = ?",
                            [(source_id, k) for k in deletes])
        return len(upserts) + len(deletes)

    def delete_other_sources(self, table: Table, keep: str) -> None:
        """Drop every row of `table` not under `keep` (stale versions of the inference)."""
        with self.connect() as con:
            if con.execute(f"SELECT 1 FROM {table.name} WHERE source_id <> ? LIMIT 1", (keep,)).fetchone():
                with self.transaction(con):
                    con.execute(f"DELETE FROM {table.name} WHERE source_id <> ?", (keep,))

    # --- cookies ----------------------------------------------------------------------------

    def save_cookies(self, cookies: list[dict], now: float | None = None) -> None:
        """Keep cookies (name, value, domain, path, expires) for later processes; expired ones go."""
        by_domain: dict[str, dict[str, tuple]] = {}
        for c in cookies:
            by_domain.setdefault(c.get("domain") or "", {})[cookie_key(c)] = COOKIES.encode(cookie_row(c))
        with self._writing() as con:
            for domain, rows in by_domain.items():
                _upsert(con, COOKIES, domain, rows)
            con.execute("DELETE FROM cookies WHERE expires > 0 AND expires <= ?", (time.time() if now is None else now,))

    def cookies(self, now: float | None = None) -> list[dict]:
        """Unexpired cookies (expires <= 0: a session cookie, kept for the night)."""
        with self.connect() as con:
            cur = con.execute("SELECT value FROM cookies WHERE expires <= 0 OR expires > ? ORDER BY source_id, name",
                              (time.time() if now is None else now,))
            return [json.loads(r[0]) for r in cur]

    # --- the rendered log --------------------------------------------------------------

    def log_rendered(self, source_id: str, url: str, requests: int, at: float | None = None) -> None:
        with self._writing() as con:
            con.execute("INSERT INTO rendered (at, source_id, url, requests) VALUES (?, ?, ?, ?)",
                        (time.time() if at is None else at, source_id, url, requests))

    def rendered(self, since: float = 0.0) -> list[dict]:
        with self.connect() as con:
            cur = con.execute("SELECT at, source_id, url, requests FROM rendered WHERE at >= ? ORDER BY at", (since,))
            return [dict(zip(("at", "source_id", "url", "requests"), r)) for r in cur]

    # --- JSON state of older versions ----------------------------------------------------

    def _import_json(self, con: sqlite3.Connection) -> None:
        """Import, then move away, the JSON files an older version left in this folder: in
        one write transaction, so two processes opening the store at once import them once."""
        state_dir = self.path.parent
        if self.path.name != STATE_FILE or not any(True for _ in _legacy_files(state_dir)):
            return
        moved: list[tuple[Path, Path]] = []
        try:
            with self.transaction(con):
                for path, load in _legacy_files(state_dir):      # again, now that we hold the lock
                    con.execute("SAVEPOINT one_file")
                    try:
                        load(con, path)
                    except (OSError, ValueError, TypeError, AttributeError, KeyError, sqlite3.Error) as e:
                        con.execute("ROLLBACK TO one_file")
                        log.warning("state: could not import %s (%s: %s); kept as %s/*.unreadable, "
                                    "that state starts afresh", path, type(e).__name__, e, IMPORTED)
                        moved.append((path, _move_aside(path, state_dir, ".unreadable")))
                    else:
                        moved.append((path, _move_aside(path, state_dir)))
                        log.info("state: imported %s into %s", path, self.path)
                    con.execute("RELEASE one_file")
        except BaseException:
            for orig, to in moved:                  # not imported after all: put them back
                to.replace(orig)
            raise


def _statements(script: str) -> Iterator[str]:
    """The statements of a script (executescript would commit our open transaction)."""
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            yield buf.strip()
            buf = ""


def _upsert(con: sqlite3.Connection, table: Table, source_id: str, rows: dict[str, tuple],
            keep_existing: bool = False) -> None:
    """`keep_existing`: rows already in the store win (an import of older state)."""
    cols = (table.key, *table.columns)
    conflict = "DO NOTHING" if keep_existing else \
        "DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in table.columns)
    con.executemany(f"INSERT INTO {table.name} (source_id, {', '.join(cols)}) "
                    f"VALUES ({', '.join('?' * (len(cols) + 1))}) ON CONFLICT (source_id, {table.key}) {conflict}",
                    [(source_id, k, *v) for k, v in rows.items()])


def _move_aside(path: Path, state_dir: Path, suffix: str = "") -> Path:
    to = state_dir / IMPORTED / (path.relative_to(state_dir).as_posix() + suffix)
    to.parent.mkdir(parents=True, exist_ok=True)
    path.replace(to)
    return to


def _read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


Loader = Callable[[sqlite3.Connection, Path], None]


def _import_per_source(table: Table) -> Loader:
    def load(con: sqlite3.Connection, path: Path) -> None:
        _upsert(con, table, path.stem, {k: table.encode(v) for k, v in _read(path).items()}, keep_existing=True)
    return load


def _import_inferred(con: sqlite3.Connection, path: Path) -> None:
    doc = _read(path)
    _upsert(con, INFERRED, str(doc.get("version", "")),
            {k: INFERRED.encode(v) for k, v in doc.get("names", {}).items()}, keep_existing=True)


def _import_cookies(con: sqlite3.Connection, path: Path) -> None:
    by_domain: dict[str, dict[str, tuple]] = {}
    for c in _read(path):
        by_domain.setdefault(c.get("domain") or "", {})[cookie_key(c)] = COOKIES.encode(cookie_row(c))
    for domain, rows in by_domain.items():
        _upsert(con, COOKIES, domain, rows, keep_existing=True)


def _import_rendered(con: sqlite3.Connection, path: Path) -> None:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    con.executemany("INSERT INTO rendered (at, source_id, url, requests) VALUES (?, ?, ?, ?)",
                    [(r.get("at", 0), r.get("source_id", ""), r.get("url", ""), r.get("requests", 0)) for r in rows])


def _legacy_files(state_dir: Path) -> Iterator[tuple[Path, Loader]]:
    for folder, load in (("http", _import_per_source(VALIDATORS)), ("fetched", _import_per_source(FETCHED)),
                         ("pages", _import_per_source(PAGES)), ("learned", _import_per_source(LEARNED))):
        d = state_dir / folder
        if d.is_dir():
            for f in sorted(d.glob("*.json")):
                if not f.name.startswith("_check_"):        # `sources check` scratch files: nothing to keep
                    yield f, load
                else:
                    f.unlink(missing_ok=True)
    for name, load in (("registry_inferred.json", _import_inferred), ("cookies.json", _import_cookies),
                       ("rendered.jsonl", _import_rendered)):
        if (state_dir / name).is_file():
            yield state_dir / name, load


def cookie_key(c: dict) -> str:
    return f"{c.get('path') or '/'} {c['name']}"


def cookie_row(c: dict) -> dict:
    return {"value": {k: c.get(k) for k in ("name", "value", "domain", "path", "expires")},
            "expires": float(c.get("expires") or 0)}


# --- one store per file per process -----------------------------------------------------

_STORES: dict[tuple[Path, str], StateStore] = {}
_LOCK = threading.Lock()


def open_store(state_dir: Path, journal: str = "wal") -> StateStore:
    """The store of a state folder (settings.state_dir), shared by this process's users."""
    path = Path(state_dir) / STATE_FILE
    with _LOCK:
        store = _STORES.get((path, journal))
        if store is None:
            store = _STORES[(path, journal)] = StateStore(path, journal)
        return store


def store_for(settings: Any) -> StateStore:
    """The store the settings name (ETL_DATA_DIR/state, ETL_STATE_JOURNAL)."""
    return open_store(settings.state_dir, getattr(settings, "state_journal", "wal"))


class SourceState:
    """One source's rows of one table as a dict (`data`), saved as a diff: rows whose value
    changed are upserted, rows no longer in `data` deleted, the others left alone."""

    table: Table

    def __init__(self, store: StateStore | None, source_id: str):
        self.store, self.source_id = store, source_id
        self._rows = store.rows(self.table, source_id) if store is not None else {}
        self.data: dict[str, Any] = {k: self.table.decode(v) for k, v in self._rows.items()}

    @classmethod
    def for_source(cls, settings: Any, source_id: str) -> Self:
        return cls(store_for(settings), source_id)

    @classmethod
    def scratch(cls, source_id: str = "") -> Self:
        """Starts empty and never saves (a check that must not change tonight's state)."""
        return cls(None, source_id)

    def save(self) -> int:
        """Rows written (0 on an unchanged night: no transaction at all)."""
        if self.store is None:
            return 0
        now = {k: self.table.encode(v) for k, v in self.data.items()}
        upserts = {k: v for k, v in now.items() if self._rows.get(k) != v}
        deletes = [k for k in self._rows if k not in now]
        n = self.store.write(self.table, self.source_id, upserts, deletes)
        self._rows = now
        return n
