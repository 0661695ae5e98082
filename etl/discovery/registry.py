"""The sources registry: one entry per agency report column, validated entry by entry.

An entry needs only `id`, `agency` and `listing_url`; province, province_code, city,
county and level are inferred from the agency name when absent. A bad entry (missing
field, unknown key, wrong type, bad URL, bad regex, duplicate id) is reported by id and
field and becomes that source's failure: the other sources still run. Whatever an entry
holds (any type, size or text), checking it cannot raise past it (`_entry`).
"""
from __future__ import annotations

import dataclasses
import difflib
import logging
import re
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from ..records import Source
from ..statestore import INFERRED, SourceState

log = logging.getLogger(__name__)

REQUIRED = ("id", "agency", "listing_url")
FIELDS = tuple(f.name for f in dataclasses.fields(Source))
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}$")


@dataclass(frozen=True)
class RegistryProblem:
    """A registry entry that cannot run: which one, which field, why."""
    source_id: str          # the entry's id, or "#<n>" (1-based position) when it has none
    field: str
    error: str

    def __str__(self) -> str:
        return f"source {self.source_id}: {self.field}: {self.error}"


TEXT = ("id", "agency", "listing_url", "province", "province_code", "city", "county", "level",
        "include", "exclude")
KINDS = ("rule_of_law", "disclosure")
_HOST = re.compile(r"^[A-Za-z0-9.\-]{1,253}$|^\[[0-9A-Fa-f:.]+\]$")


def _shown(value: Any, n: int = 80) -> str:
    """A value as a person reads it in a problem, however large or strange."""
    try:
        text = repr(value)
    except Exception:                               # a repr that raises (or recurses)
        text = f"<{type(value).__name__}>"
    return text if len(text) <= n else text[: n - 1] + "…"


def _url_problem(url: str) -> str:
    """Why a listing URL cannot be requested ("" when it can)."""
    import httpx
    parts = urlsplit(url)                            # ValueError: e.g. Invalid IPv6 URL
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return "not an http(s) URL"
    _ = parts.port                                   # ValueError: a port out of range
    if any(c.isspace() or ord(c) < 32 for c in url):
        return "spaces or control characters inside the URL"
    httpx.URL(url)                                   # what the client will be asked to take
    return ""


def _list_of_text(value: Any) -> bool:
    return isinstance(value, str) or (isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value))


def _entry_problems(entry: Any, where: str, portal_url: str = "") -> list[RegistryProblem]:
    """Everything wrong with one entry (any type, any size). Raises nothing it can
    describe; `parse_registry` turns whatever else escapes into this entry's problem."""
    if not isinstance(entry, dict):
        return [RegistryProblem(where, "-", f"an entry must be a mapping, got {type(entry).__name__}")]
    sid = _sid(entry, where)
    out = []
    for key in entry:
        if key not in FIELDS:
            near = difflib.get_close_matches(str(key), FIELDS, n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            out.append(RegistryProblem(sid, _shown(key, 40) if not isinstance(key, str) else key[:40],
                                       f"unknown key{hint}"))
    for key in TEXT:
        v = entry.get(key)
        if v is not None and (isinstance(v, bool) or not isinstance(v, (str, int, float))):
            out.append(RegistryProblem(sid, key, f"must be text, got {type(v).__name__} {_shown(v)}"))
    for key in REQUIRED:
        v = entry.get(key)
        if isinstance(v, (str, int, float)) and not isinstance(v, bool) and not str(v).strip():
            out.append(RegistryProblem(sid, key, "missing"))
        elif v is None:
            out.append(RegistryProblem(sid, key, "missing"))
    if isinstance(entry.get("id"), (str, int)) and str(entry["id"]).strip() and not _ID.match(str(entry["id"])):
        out.append(RegistryProblem(sid, "id", f"use letters, digits, '-', '_' or '.' (it names files), "
                                   f"at most 100: {_shown(entry['id'])}"))
    url = entry.get("listing_url")
    if isinstance(url, str) and url.strip():
        url = url.replace("{portal}", portal_url).strip()
        try:
            why = _url_problem(url)
        except Exception as e:                       # ValueError, httpx.InvalidURL...
            why = f"{type(e).__name__}: {e}"
        if why:
            out.append(RegistryProblem(sid, "listing_url", f"{why}: {_shown(url)}"))
    for key in ("include", "exclude"):
        if isinstance(entry.get(key), str) and entry[key]:
            try:
                re.compile(entry[key])
            except (re.error, RecursionError, OverflowError) as e:
                out.append(RegistryProblem(sid, key, f"bad regular expression {_shown(entry[key])}: {e}"))
    for key in ("max_pages", "max_documents"):
        v = entry.get(key)
        if key in entry and not (isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 10**6):
            out.append(RegistryProblem(sid, key, f"must be a whole number from 0 to 1000000, got {_shown(v)}"))
    hosts = entry.get("allowed_hosts")
    if hosts is not None:
        if not _list_of_text(hosts):
            out.append(RegistryProblem(sid, "allowed_hosts", f"must be a host or a list of hosts, got {_shown(hosts)}"))
        elif bad := [h for h in ([hosts] if isinstance(hosts, str) else hosts) if not _HOST.match(h)]:
            out.append(RegistryProblem(sid, "allowed_hosts", f"not a host name: {_shown(bad[0])}"))
    kinds = entry.get("kinds")
    if kinds is not None:
        if not _list_of_text(kinds) or not set([kinds] if isinstance(kinds, str) else kinds) <= set(KINDS):
            out.append(RegistryProblem(sid, "kinds", f"must be among {', '.join(KINDS)}, got {_shown(kinds)}"))
    return out


def _sid(entry: Any, where: str) -> str:
    """The entry's id when it is one a person can read back, else its position."""
    v = entry.get("id") if isinstance(entry, dict) else None
    return str(v) if isinstance(v, (str, int)) and not isinstance(v, bool) and _ID.match(str(v)) else where


INFERENCE = "2"          # bump when the inference changes (2: central ministries are national)


class _Inferred:
    """Regions inferred from agency names, kept in the state store (table `inferred`, under
    ETL_DATA_DIR, never the repo's): at 100k entries the gazetteer (0.4 ms a name) would cost
    every task that reads the registry 40 s; the rows are read once per process and keyed by
    the gazetteer's version (rows of another version are dropped at the next save)."""

    def __init__(self, state_dir: Path) -> None:
        from ..metadata.gazetteer import DATA as data
        from ..settings import load_settings
        from ..statestore import open_store
        self.version = f"{data.stat().st_size}-{int(data.stat().st_mtime)}-{INFERENCE}" if data.exists() else "-"
        try:
            self.state: _InferredRows | None = _InferredRows(open_store(state_dir, load_settings().state_journal),
                                                              self.version)
        except (OSError, sqlite3.Error) as e:      # an unwritable data folder: inferred each time
            log.warning("registry: no state store under %s (%s): regions inferred afresh", state_dir, e)
            self.state = None
        self.names: dict[str, dict] = self.state.data if self.state is not None else {}
        self.dirty = False

    def get(self, name: str) -> dict:
        if name not in self.names:
            from ..metadata import inspect_text
            meta = inspect_text(name, name, {})
            self.names[name] = {k: str(meta.get(k) or "") for k in ("province", "province_code", "city", "county")}
            self.dirty = True
        return self.names[name]

    def save(self) -> None:
        state = self.state
        if self.dirty and state is not None and state.store is not None:
            try:
                state.save()
                state.store.delete_other_sources(INFERRED, self.version)
            except (OSError, sqlite3.Error):    # a read-only data folder: inferred again next time
                pass
            self.dirty = False


class _InferredRows(SourceState):
    """The `inferred` rows of one gazetteer version ({agency name: region})."""
    table = INFERRED


@lru_cache(maxsize=4)
def _store(state_dir: Path) -> _Inferred:
    return _Inferred(state_dir)


_STATE_DIR: list[Path] = [Path()]     # settings.state_dir, resolved once per parse_registry


def _inferred() -> _Inferred:
    return _store(_STATE_DIR[0])


def _infer(entry: dict[str, Any]) -> dict[str, Any]:
    """Fill province, code, city, county and level from the agency name when absent."""
    if all(entry.get(k) for k in ("province", "province_code", "level")):
        return entry
    meta = _inferred().get(str(entry["agency"]))
    out = dict(entry)
    for key in ("province", "province_code", "city", "county"):
        if not out.get(key):
            out[key] = str(meta.get(key) or "")
    from ..metadata.gazetteer import NATIONAL, NATIONAL_ALIASES, NATIONAL_CODE
    if out.get("province") in NATIONAL_ALIASES or out.get("province_code") == NATIONAL_CODE:
        out.update(province=NATIONAL, province_code=NATIONAL_CODE, city="", county="")   # 国务院部门
        out["level"] = out.get("level") or "national"
    if not out.get("level"):
        out["level"] = "county" if out.get("county") else "city" if out.get("city") else \
            "province" if out.get("province") else ""
    return out


def _source(entry: dict[str, Any], portal_url: str) -> Source:
    e = _infer(entry)
    e["listing_url"] = str(e["listing_url"]).replace("{portal}", portal_url).strip()
    for key in TEXT:                         # YAML reads 420000 as a number: text it is
        if e.get(key) is not None:
            e[key] = str(e[key])
    for key in ("province_code", "id"):
        e[key] = str(e.get(key) or "")
    for key in ("allowed_hosts", "kinds"):
        if key in e:
            v = e[key]
            e[key] = tuple([v] if isinstance(v, str) else v or ())
    if "allowed_hosts" in e:
        e["allowed_hosts"] = tuple(h.lower() for h in e["allowed_hosts"])
    return Source(**{k: v for k, v in e.items() if v is not None})


def _entry(raw: Any, where: str, portal_url: str) -> tuple[Source | None, list[RegistryProblem]]:
    """One entry: its Source, or its problems; nothing it holds can escape as an exception."""
    try:
        issues = _entry_problems(raw, where, portal_url)
        if issues:
            return None, issues
        return _source(raw, portal_url), []
    except Exception as e:                     # any value, any bug: this entry's problem only
        return None, [RegistryProblem(_sid(raw, where), "-", f"cannot be read: {type(e).__name__}: {_shown(str(e), 200)}")]


def parse_registry(doc: Any, portal_url: str = "", state_dir: Path | None = None) -> tuple[list[Source], list[RegistryProblem]]:
    """(runnable sources, problems of the entries that cannot run). Never raises on what
    the document holds: a broken entry is its own problem and the others run."""
    entries = doc.get("sources", []) if isinstance(doc, dict) else [] if doc is None else None
    if not isinstance(entries, list):
        return [], [RegistryProblem("-", "sources", "the registry must have a 'sources:' list")]
    from ..settings import load_settings
    _STATE_DIR[0] = state_dir or load_settings().state_dir    # the caller's settings.state_dir
    sources, problems = [], []
    seen: dict[str, Any] = {}
    for n, raw in enumerate(entries, 1):
        where = f"#{n}"
        source, issues = _entry(raw, where, portal_url)
        sid = _sid(raw, where)
        if sid in seen:
            issues.append(RegistryProblem(sid, "id", f"duplicate id (also entry #{seen[sid]})"))
        seen.setdefault(sid, n)
        if issues:
            problems += issues
        elif source is not None:
            sources.append(source)
    dupes = {p.source_id for p in problems if p.field == "id" and p.error.startswith("duplicate")}
    _inferred().save()
    return [s for s in sources if s.id not in dupes], problems


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)     # libyaml: ~10x faster on 20k entries


def read_registry(path: Path, portal_url: str = "", state_dir: Path | None = None) -> tuple[list[Source], list[RegistryProblem]]:
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except (OSError, yaml.YAMLError) as e:
        return [], [RegistryProblem("-", str(path), f"cannot read the registry: {e}")]
    return parse_registry(doc, portal_url, state_dir)


def load_registry(path: Path, portal_url: str = "", state_dir: Path | None = None) -> list[Source]:
    """The runnable sources (problems are reported by `read_registry` / `sources check`)."""
    return list(registry(path, portal_url, state_dir)[0].values())


@lru_cache(maxsize=4)
def _cached(path: Path, stamp: tuple[int, int], portal_url: str, state_dir: Path | None = None) -> tuple[dict[str, Source], tuple[RegistryProblem, ...]]:
    sources, problems = read_registry(path, portal_url, state_dir)
    return {s.id: s for s in sources}, tuple(problems)


def registry(path: Path, portal_url: str = "", state_dir: Path | None = None) -> tuple[dict[str, Source], tuple[RegistryProblem, ...]]:
    """Sources by id and problems, re-read only when the file changes."""
    st = path.stat()
    return _cached(path, (st.st_mtime_ns, st.st_size), portal_url, state_dir)
