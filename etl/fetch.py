"""Fetch reports: article pages and their PDF attachments, into the raw store
(`etl.store`). Conditional GET makes an unchanged night download nothing.
"""
from __future__ import annotations

import logging
import re
from urllib.parse import urljoin

import httpx
from lxml import html as lxml_html

from .http import FetchError, Http, decode_html
from .records import DocRef, Fetched
from .settings import Settings
from .store import BlobStore, Validators, get_blob

log = logging.getLogger(__name__)

_ATTACHMENT = re.compile(r"\.pdf($|\?)", re.I)


def attachment_links(page: bytes, content_type: str, base_url: str) -> list[str]:
    try:
        tree = lxml_html.fromstring(decode_html(page, content_type))
    except Exception:                                 # unparseable page: no attachments
        return []
    links = []
    for a in tree.iter("a"):
        href = (a.get("href") or "").strip()
        if href and _ATTACHMENT.search(href):
            try:
                url = urljoin(base_url, href)
            except ValueError:                        # e.g. "http://[bad/x.pdf"
                continue
            if url not in links:
                links.append(url)
    return links


def fetch_one(ref: DocRef, http: Http, store: BlobStore, cache: Validators) -> Fetched:
    """Fetch an article and its attachments. Any failure becomes an `error` record: one bad
    document never stops the others."""
    try:
        sha, ctype = get_blob(ref.url, http, store, cache)
        atts = []
        for url in attachment_links(store.get(sha), ctype, ref.url):
            try:
                a_sha, a_type = get_blob(url, http, store, cache)
                atts.append({"url": url, "sha256": a_sha, "content_type": a_type})
            except (FetchError, ValueError, httpx.InvalidURL) as e:
                atts.append({"url": url, "sha256": "", "content_type": "", "error": str(e)})
        return Fetched(ref.source_id, ref.url, ref.title, "fetched", sha, ctype, atts)
    except FetchError as e:
        log.warning("fetch failed: %s", e)
        return Fetched(ref.source_id, ref.url, ref.title, "error", error=str(e))
    except Exception as e:                    # malformed URL or page: this document only
        log.warning("fetch failed: %s: %s: %s", ref.url, type(e).__name__, e)
        return Fetched(ref.source_id, ref.url, ref.title, "error", error=f"{type(e).__name__}: {e}")


def fetch_source(refs: list[DocRef], source_id: str, settings: Settings, http: Http) -> list[Fetched]:
    store = BlobStore(settings.raw_dir)
    cache = Validators.for_source(settings, source_id)
    try:
        return [fetch_one(ref, http, store, cache) for ref in refs]
    finally:
        cache.save()
