"""Discovery: which agencies to watch (the registry) and which of the items their
listings show are the reports.

    registry.py     the sources registry, validated entry by entry, fields inferred
    titles.py       title folding, report/decoy rules with reasons, the year reported on
    page.py         fetched pages, list items (never the page chrome), page requests
    conventions/    one module per listing convention (HTML lists and pagers, TRS script
                    pagers, Hanweb data proxies, form/script pagers, JSON APIs, frames)
    walk.py         the bounded walk over a listing and the decision for every item
    find.py         from a department's home page to its report column(s)
"""
from __future__ import annotations

from ..records import Source
from ..settings import Settings
from .page import Page, PageRequest
from .registry import RegistryProblem, load_registry, read_registry, registry
from .walk import Discovery, discover

__all__ = ["Discovery", "Page", "PageRequest", "RegistryProblem", "discover", "get_source",
           "load_registry", "read_registry", "registry"]


class BadSource(ValueError):
    """A registry entry that cannot run: its problems, by field."""


def get_source(settings: Settings, source_id: str) -> Source:
    by_id, problems = registry(settings.sources_file, settings.portal_url, settings.state_dir)
    if source_id in by_id:
        return by_id[source_id]
    mine = [str(p) for p in problems if p.source_id == source_id]
    if mine:
        raise BadSource("; ".join(mine))
    raise KeyError(f"unknown source {source_id!r} in {settings.sources_file}")
