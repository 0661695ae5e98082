"""What the conventions made of each listing page, remembered by the page's bytes.

An unchanged night is mostly listing pages answered 304: the same bytes as last night,
read by the same code, list the same items and ask for the same pages. So the walk keeps
each page's findings in the state store (table `pages`), keyed by the request, the final URL,
the bytes' hash and the discovery code's own hash (any change to etl/discovery/ reads every
page afresh). Only tonight's pages are kept, so the table never outgrows the listing.
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path

from ..statestore import LEARNED, PAGES, SourceState, StateStore
from .page import Found, Item, Page, PageRequest


@lru_cache(maxsize=1)
def code_version() -> str:
    """Hash of the discovery package's source: what reads the pages."""
    h = hashlib.sha256()
    root = Path(__file__).resolve().parent
    for f in sorted(root.rglob("*.py")):
        h.update(f.relative_to(root).as_posix().encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def page_key(page: Page) -> str:
    h = page.sha256 or hashlib.sha256(page.content).hexdigest()
    return hashlib.sha256("\0".join((code_version(), repr(page.request), page.url,
                                     page.content_type, h)).encode()).hexdigest()[:32]


def found_to_json(f: Found) -> dict:
    return asdict(f)


def found_from_json(d: dict) -> Found:
    reqs = [request_from_json(r) for r in d.get("requests", [])]
    return Found(items=[Item(**i) for i in d.get("items", [])], requests=reqs, total_pages=d.get("total_pages"))


class PageMemo(SourceState):
    """{page key: [Found, ...]} of one source; `save` keeps only the pages seen tonight."""

    table = PAGES

    def __init__(self, store: StateStore | None, source_id: str):
        super().__init__(store, source_id)
        self._tonight: dict[str, list[dict]] = {}

    def get(self, page: Page) -> list[Found] | None:
        key = page_key(page)
        hit = self.data.get(key)
        if hit is None:
            return None
        self._tonight[key] = hit
        return [found_from_json(f) for f in hit]

    def put(self, page: Page, found: list[Found]) -> None:
        self._tonight[page_key(page)] = [found_to_json(f) for f in found]

    def forget(self, page: Page) -> None:
        """Read this page afresh tomorrow (what reads it changed: the browser learned more)."""
        self._tonight.pop(page_key(page), None)

    def save(self) -> int:
        self.data = dict(self._tonight)
        return super().save()


def request_from_json(r: dict) -> PageRequest:
    return PageRequest(**{**r, "data": tuple(tuple(kv) for kv in r.get("data", ())),
                          "link_template": tuple(r.get("link_template", ()))})


class Learned(SourceState):
    """What the browser learned about a source's listing (state store, table `learned`),
    so later nights replay it with the static client and start no browser:

        requests    the request(s) that carried the list, with the parameter that turns
                    its page (PageRequest.step_param / step)
        templates   onclick function -> [URL prefix, suffix] of the rows it navigates to
        items       how many items the listing showed last night (a drop is a warning)
        no_gain     the browser found nothing the static reading had not (not rendered again)
    """

    table = LEARNED

    def requests(self) -> list[PageRequest]:
        out = []
        for r in self.data.get("requests", []):
            try:
                out.append(request_from_json(r))
            except TypeError:            # written by an older version: learned again
                continue
        return out

    @property
    def templates(self) -> dict[str, list[str]]:
        return dict(self.data.get("templates", {}))

    @property
    def items(self) -> int | None:
        return self.data.get("items")

    def remember(self, requests: list[PageRequest] | None = None, templates: dict | None = None,
                 items: int | None = None) -> None:
        if requests is not None:
            self.data["requests"] = [asdict(r) for r in requests]
        if templates:
            self.data["templates"] = {**self.data.get("templates", {}), **templates}
        if items is not None:
            self.data["items"] = items
