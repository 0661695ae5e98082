"""Listing conventions, one module each, behind one interface:

    NAME: str
    def find(page: Page) -> Found | None

`find` returns the items the convention recognises on the page and the further pages to
request (more pages of the same list, a frame that holds it, a data API), or None when
the page is not of its kind. The walker (`etl.discovery.walk`) asks every convention of
`CONVENTIONS` about every page and merges what they say. Adding a CMS is adding a file
here and a line below.
"""
from __future__ import annotations

from . import frames, hanweb, html_list, json_api, scripted, trs

CONVENTIONS = (html_list, trs, hanweb, scripted, json_api, frames)
