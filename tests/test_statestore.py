"""The crawl's state store (etl/statestore.py): one SQLite file, a versioned schema, several
processes writing at once, nothing written on an unchanged night, older JSON state imported."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from etl.discovery.memo import Learned, PageMemo
from etl.discovery.page import Found, Item, Page, PageRequest
from etl.fetch import FetchState
from etl.settings import ROOT
from etl.statestore import IMPORTED, MIGRATIONS, STATE_FILE, StateStore, StateStoreError, open_store, store_for
from etl.store import Validators


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as con:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_the_schema_is_declared_versioned_and_in_wal(tmp_path):
    store = StateStore(tmp_path / STATE_FILE)
    assert store.version == len(MIGRATIONS)
    assert {"validators", "fetched", "pages", "learned", "inferred", "cookies", "rendered"} <= _tables(store.path)
    with sqlite3.connect(store.path) as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    # opened again (another process, a later night): nothing to migrate, nothing written
    again = StateStore(tmp_path / STATE_FILE)
    assert again.version == len(MIGRATIONS) and again.commits == 0


def test_the_journal_mode_follows_the_settings(settings, monkeypatch):
    """ETL_STATE_JOURNAL=delete: the rollback journal, for NFS/SMB where WAL cannot work."""
    monkeypatch.setenv("ETL_STATE_JOURNAL", "delete")
    from etl.settings import load_settings
    s = replace(settings, state_journal=load_settings().state_journal)
    store = store_for(s)
    assert store.path == s.data_dir / "state" / STATE_FILE
    Validators(store, "x").save()
    with sqlite3.connect(store.path) as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


_WRITER = textwrap.dedent("""
    import sys
    from etl.statestore import StateStore
    from etl.store import Validators
    store, me, n = StateStore(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    own, shared = Validators(store, me), Validators(store, "shared")
    for i in range(n):                  # one save a row: as many write transactions as possible
        own.data[f"u{i}"] = {"etag": f"{me}-{i}", "sha256": "x" * 64}
        own.save()
        shared.data[f"{me}-{i}"] = {"etag": me}
        shared.save()
""")


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    """Two worker processes (Celery, the run pool) save hundreds of times at once: each its own
    source, and different rows of one shared source. No row is lost, none fails on a lock."""
    path = tmp_path / STATE_FILE
    assert StateStore(path).version == len(MIGRATIONS)    # the schema first (migration races: below)
    n = 150
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(path), who, str(n)], env=env,
                              stderr=subprocess.PIPE, text=True) for who in ("a", "b")]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    store = StateStore(path)
    for who in ("a", "b"):
        rows = Validators(store, who).data
        assert len(rows) == n and rows[f"u{n - 1}"]["etag"] == f"{who}-{n - 1}"
    shared = Validators(store, "shared").data
    assert len(shared) == 2 * n and {v["etag"] for v in shared.values()} == {"a", "b"}


def test_processes_opening_a_new_store_at_once_migrate_it_once(tmp_path):
    path = tmp_path / STATE_FILE
    code = "import sys; from etl.statestore import StateStore; print(StateStore(sys.argv[1]).version)"
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    procs = [subprocess.Popen([sys.executable, "-c", code, str(path)], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [o.strip() for o, _ in outs] == [str(len(MIGRATIONS))] * 3, outs


def test_a_save_writes_only_what_changed(tmp_path):
    store = StateStore(tmp_path / STATE_FILE)
    v = Validators(store, "s")
    v.data.update({"u1": {"etag": "1", "sha256": "a"}, "u2": {"etag": "2", "sha256": "b"}})
    assert v.save() == 2
    v = Validators(store, "s")                     # the next night reads it back
    assert v.data["u1"]["etag"] == "1" and v.save() == 0
    v.data["u2"]["etag"] = "2b"
    del v.data["u1"]
    assert v.save() == 2                           # one upsert, one delete, u1's neighbours untouched
    assert Validators(store, "s").data == {"u2": {"etag": "2b", "last_modified": "", "sha256": "b",
                                                  "content_type": "", "final_url": "", "disposition": ""}}
    assert Validators(store, "other").data == {}   # rows are the source's own
    scratch = Validators.scratch("s")              # `sources check`: starts empty, never saves
    scratch.data["u9"] = {"etag": "9"}
    assert scratch.data and scratch.save() == 0 and "u9" not in Validators(store, "s").data


def _data_version(con: sqlite3.Connection) -> int:
    """Bumped when any other connection commits to the file."""
    return con.execute("PRAGMA data_version").fetchone()[0]


def test_an_unchanged_night_commits_nothing_to_the_state(settings, portal, monkeypatch):
    """Night 1 of the crawl (discover + fetch, every static source of the demo) fills the state;
    night 2 sees the same portal and must not write a row: no transaction at all."""
    from etl.discovery import load_registry
    from etl.pipeline.crawl import discover_task, fetch_task
    s = replace(settings, politeness_s=0, portal_url=portal.base_url, render=False)
    ids = [src.id for src in load_registry(s.sources_file, portal.base_url)]
    discover_task("n1", ids, s)
    fetch_task("n1", ids, s)
    path = s.state_dir / STATE_FILE
    with sqlite3.connect(path) as con:
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("validators", "fetched", "pages", "learned")}
    assert all(counts.values()), counts            # night 1 remembered each kind of state
    watcher = sqlite3.connect(path)
    before, commits = _data_version(watcher), open_store(s.state_dir).commits
    log = len(portal.log)
    discover_task("n2", ids, s)
    fetch_task("n2", ids, s)
    assert sum(st == 304 for _, _, st in portal.log[log:]) > 0     # night 2 did ask (conditionally)
    assert _data_version(watcher) == before, "an unchanged night wrote to the state store"
    assert open_store(s.state_dir).commits == commits
    # no JSON state beside it (robots.txt copies are the politeness cache's: etl/politeness.py)
    assert not [p for p in s.state_dir.rglob("*.json") if p.parent.name != "robots"]
    watcher.close()


def _legacy(state: Path) -> None:
    """State files as the JSON-file versions wrote them."""
    def put(rel: str, obj) -> None:
        (state / rel).parent.mkdir(parents=True, exist_ok=True)
        (state / rel).write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
    put("http/src.json", {"http://h/a.html": {"etag": '"e1"', "last_modified": "", "sha256": "a" * 64,
                                              "content_type": "text/html", "final_url": "http://h/a.html",
                                              "disposition": ""},
                          "http://h/b.html": {"etag": '"old"', "sha256": "b" * 64}})
    put("http/_check_src.json", {"http://h/x": {"etag": "scratch"}})
    put("http/broken.json", {"http://h/z": {"etag": "z"}})
    (state / "http" / "broken.json").write_text("{not json", encoding="utf-8")
    put("fetched/src.json", {"http://h/r.pdf": {"checked": 1700000000.5, "record": {"url": "http://h/r.pdf",
                                                                                   "status": "fetched"}}})
    put("pages/src.json", {"k1": [{"items": [{"url": "http://h/r.pdf", "title": "某局2024年报告"}],
                                   "requests": [], "total_pages": None}]})
    put("learned/src.json", {"requests": [{"url": "http://h/api", "method": "POST"}],
                             "templates": {"show": ["http://h/d/", ".html"]}, "items": 12, "no_gain": True})
    put("registry_inferred.json", {"version": "v7", "names": {"武汉市司法局": {"province": "湖北省", "province_code": "420000",
                                                                         "city": "武汉市", "county": ""}}})
    put("cookies.json", [{"name": "c", "value": "v", "domain": "h", "path": "/", "expires": 0},
                         {"name": "gone", "value": "v", "domain": "h", "path": "/", "expires": 1.0}])
    (state / "rendered.jsonl").write_text(json.dumps({"at": 1.0, "source_id": "src", "url": "http://h/l",
                                                      "requests": 4}) + "\n", encoding="utf-8")


def test_json_state_of_an_older_version_is_imported_once_and_moved_aside(tmp_path):
    state = tmp_path / "state"
    first = StateStore(state / STATE_FILE)
    newer = Validators(first, "src")                # a row the store already has wins over the file's
    newer.data["http://h/b.html"] = {"etag": '"new"', "sha256": "c" * 64}
    newer.save()
    _legacy(state)                                  # an older data dir's files appear beside it
    store = StateStore(state / STATE_FILE)          # the next process to open the store imports them
    v = Validators(store, "src").data
    assert v["http://h/a.html"]["etag"] == '"e1"' and v["http://h/b.html"]["etag"] == '"new"'
    assert FetchState(store, "src").data["http://h/r.pdf"]["checked"] == 1700000000.5
    learned = Learned(store, "src")
    assert [r.url for r in learned.requests()] == ["http://h/api"] and learned.items == 12
    assert learned.templates == {"show": ["http://h/d/", ".html"]} and learned.data["no_gain"] is True
    assert PageMemo(store, "src").data["k1"][0]["items"][0]["title"] == "某局2024年报告"
    assert [c["name"] for c in store.cookies(now=100.0)] == ["c"]     # the expired one is not sent
    assert store.rendered() == [{"at": 1.0, "source_id": "src", "url": "http://h/l", "requests": 4}]
    with sqlite3.connect(store.path) as con:
        assert con.execute("SELECT source_id, city FROM inferred").fetchall() == [("v7", "武汉市")]
    # the files are moved aside, nothing lost: the unreadable one kept, named as such
    left = sorted(p.relative_to(state).as_posix() for p in state.rglob("*") if p.is_file() and
                  not p.name.startswith(STATE_FILE))
    assert left == sorted(f"{IMPORTED}/{n}" for n in (
        "http/src.json", "http/broken.json.unreadable", "fetched/src.json", "pages/src.json",
        "learned/src.json", "registry_inferred.json", "cookies.json", "rendered.jsonl"))
    assert not (state / "http" / "_check_src.json").exists()          # a scratch file, not state
    # imported once: a later process finds nothing to import and writes nothing
    later = StateStore(state / STATE_FILE)
    assert len(later.rendered()) == 1 and later.commits == 0


def test_the_page_memo_keeps_tonights_pages_only(tmp_path):
    store = StateStore(tmp_path / STATE_FILE)
    req = PageRequest("http://h/index.html")
    a = Page(req, req.url, b"<a href='/x'>x</a>", "text/html")
    b = Page(req, req.url, b"<a href='/y'>y</a>", "text/html")
    memo = PageMemo(store, "s")
    memo.put(a, [Found(items=[Item("http://h/x", "x")])])
    memo.put(b, [Found()])
    assert memo.save() == 2
    memo = PageMemo(store, "s")
    assert memo.get(a) == [Found(items=[Item("http://h/x", "x")])]
    assert memo.save() == 1                        # b was not seen tonight: its row goes
    assert PageMemo(store, "s").get(b) is None


def test_a_file_that_is_not_a_store_is_a_clear_error_and_is_not_overwritten(tmp_path):
    path = tmp_path / STATE_FILE
    path.write_bytes(b"this was never a database" * 100)
    with pytest.raises(StateStoreError, match="move it aside") as e:
        Validators(StateStore(path), "s")
    assert str(path) in str(e.value)
    assert path.read_bytes() == b"this was never a database" * 100        # nothing lost
