"""The raw store and crawl state shared by discover and fetch.

Raw bytes go to `raw/<sha[:2]>/<sha>` once and are never rewritten (written under a
unique temp name, then renamed), so re-runs, retries and other workers never race on a
file. Per-source HTTP validators (ETag/Last-Modified and the sha of what they answered
for) live in the state store (etl/statestore.py, table `validators`); a 304 answer re-uses the stored blob, so an
unchanged night downloads nothing.
"""
from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from .http import Http
from .statestore import VALIDATORS, SourceState


class BlobStore:
    def __init__(self, root: Path):
        self.root = root

    def path(self, sha: str) -> Path:
        return self.root / sha[:2] / sha

    def put(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        p = self.path(sha)
        if not p.exists():
            p.parent.mkdir(parents=True, exist_ok=True)
            # a unique temp name: two workers may store the same blob at once
            tmp = p.with_name(f"{sha}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
            tmp.write_bytes(data)
            tmp.replace(p)
        return sha

    def get(self, sha: str) -> bytes:
        return self.path(sha).read_bytes()

    def has(self, sha: str) -> bool:
        return bool(sha) and self.path(sha).exists()


class Validators(SourceState):
    """HTTP validators per URL for one source: {url: {etag, last_modified, sha256, content_type,
    final_url, disposition}}; `Validators.for_source(settings, id)`, then `save()`."""

    table = VALIDATORS


@dataclass(frozen=True)
class Resource:
    """A URL's current bytes in the store and what the server said about them."""
    sha256: str
    content_type: str
    final_url: str                # after redirects
    disposition: str = ""         # Content-Disposition (attachment file names)
    changed: bool = True          # False when the server answered 304


def get_resource(url: str, http: Http, store: BlobStore, cache: Validators,
                 allowed_hosts: frozenset[str] | None = None) -> Resource:
    """The URL's current bytes, downloaded only if changed (conditional GET)."""
    known = cache.data.get(url, {})
    have = store.has(known.get("sha256", ""))
    r = http.get(url, known.get("etag", "") if have else "", known.get("last_modified", "") if have else "",
                 allowed_hosts=allowed_hosts)
    if r.not_modified:
        return Resource(known["sha256"], known.get("content_type", ""), known.get("final_url", url),
                        known.get("disposition", ""), changed=False)
    sha = store.put(r.content)
    res = Resource(sha, r.headers.get("content-type", ""), r.url, r.headers.get("content-disposition", ""))
    cache.data[url] = {"etag": r.headers.get("etag", ""), "last_modified": r.headers.get("last-modified", ""),
                       "sha256": sha, "content_type": res.content_type, "final_url": res.final_url,
                       "disposition": res.disposition}
    return res

