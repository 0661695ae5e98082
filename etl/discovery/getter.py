"""The page getter the walker reads listing pages through: conditional GETs from the raw
store, POSTs asked each time, and the page memo. Shared by the nightly crawl
(etl.pipeline.crawl) and `python -m etl sources check` (etl.discovery.cli)."""
from __future__ import annotations

from ..http import Http, decode_html
from ..records import Source
from ..store import BlobStore, Validators, get_resource
from .memo import PageMemo
from .page import Page, PageRequest
from .walk import PageGetter


def page_getter(source: Source, http: Http, store: BlobStore, cache: Validators,
                memo: PageMemo | None = None) -> PageGetter:
    """Listing pages for the walker: GETs answer 304 when unchanged (conditional, from the
    raw store), POSTs (data proxies, form pagers) are asked each time. A 304 whose findings
    the memo holds comes back with them, its stored bytes not even read."""
    hosts = source.hosts

    def get_page(req: PageRequest) -> Page:
        sha = ""
        if req.method == "POST":
            r = http.request("POST", req.url, data=dict(req.data), allowed_hosts=hosts, json_body=req.json_body)
            content, ctype, final = r.content, r.headers.get("content-type", ""), r.url
        else:
            res = get_resource(req.url, http, store, cache, hosts)
            sha, ctype, final = res.sha256, res.content_type, res.final_url
            if memo is not None and not res.changed:
                page = Page(req, final, b"", ctype, sha256=sha)
                page.found = memo.get(page)
                if page.found is not None:
                    return page
            content = store.get(sha)
        return Page(req, final, content, ctype, decode_html(content, ctype), sha256=sha)

    def remember(url: str, r) -> None:
        """A GET the browser had answered: stored with its validators, as get_resource would."""
        sha = store.put(r.content)
        cache.data[url] = {"etag": r.headers.get("etag", ""), "last_modified": r.headers.get("last-modified", ""),
                           "sha256": sha, "content_type": r.headers.get("content-type", ""), "final_url": r.url,
                           "disposition": r.headers.get("content-disposition", "")}
    get_page.remember = remember  # type: ignore[attr-defined]  # read by etl/discovery/render.py (a function attribute)
    return get_page
