"""Lists that are somewhere else: in an <iframe>/<frame>, or behind a meta refresh or a
script redirect (`location.href = "..."`) on a page that lists nothing itself."""
from __future__ import annotations

import re

from ..page import Found, Page, PageRequest, list_items, safe_join

NAME = "frame"
_REFRESH = re.compile(r"""\d+\s*;\s*url\s*=\s*['"]?([^'">\s]+)""", re.I)
_JS_REDIRECT = re.compile(
    r"""(?:window\.|document\.|top\.|self\.)?location(?:\.href)?\s*=\s*['"]([^'"]+)['"]|"""
    r"""location\.(?:replace|assign)\(\s*['"]([^'"]+)['"]\s*\)""")


def find(page: Page) -> Found | None:
    tree = page.tree()
    if tree is None:
        return None
    urls = [tree_url for el in tree.iter("iframe", "frame")
            if (tree_url := safe_join(page.url, el.get("src", "")))]
    framed = set(urls)                             # linked by the site: may fail
    if not list_items(tree, page.base_url):
        for meta in tree.iter("meta"):
            if (meta.get("http-equiv") or "").lower() == "refresh":
                m = _REFRESH.search(meta.get("content", ""))
                if m and (u := safe_join(page.url, m.group(1))):
                    urls.append(u)
        for script in tree.iter("script"):
            for m in _JS_REDIRECT.finditer(script.text or ""):
                if u := safe_join(page.url, m.group(1) or m.group(2)):
                    urls.append(u)
    if not urls:
        return None
    return Found(requests=[PageRequest(u, via=NAME, linked=u in framed) for u in dict.fromkeys(urls)])
