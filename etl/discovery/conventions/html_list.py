"""Plain HTML lists and their link pagers: 下一页 / numbered links / 尾页 (which, with the
URL pattern, gives every page: index.html -> index_1.html ..., ?page=2 ...)."""
from __future__ import annotations

import re

from ..page import Found, Page, PageRequest, clean_text, list_items, safe_join
from .paging import page_number, sequence, total_pages

NAME = "html-list"
_EDGE = r"[\s<>«»‹›\[\]【】()（）|·.]*"
_NEXT = re.compile(rf"^{_EDGE}(?:下一页|下页|后页|后一页|下一頁|下壹页|next(?: page)?){_EDGE}$|^(?:›|»|>|>>)$", re.I)
_LAST = re.compile(rf"^{_EDGE}(?:尾页|末页|最后一页|尾頁|末頁|last(?: page)?){_EDGE}$|^(?:»»|>>\|)$", re.I)
_ONCLICK_URL = re.compile(r"""(?:location(?:\.href)?\s*=|window\.open\(|location\.(?:replace|assign)\()\s*['"]([^'"]+)['"]""")
_NUM = re.compile(r"^\d{1,4}$")


def find(page: Page) -> Found | None:
    tree = page.tree()
    if tree is None:
        return None
    found = Found(items=list_items(tree, page.base_url, NAME))
    nexts, lasts, numbered = [], [], []
    for a in tree.iter("a"):
        text = clean_text(a.text_content()) or clean_text(a.get("title", "")) or \
            " ".join(clean_text(img.get("alt", "")) for img in a.iter("img"))
        url = safe_join(page.base_url, a.get("href", ""))
        if url is None and (m := _ONCLICK_URL.search(a.get("onclick", "") + " " + a.get("href", ""))):
            url = safe_join(page.base_url, m.group(1))      # onclick="location.href='index_2.html'"
        if url is None or url == page.url:
            continue
        if _NEXT.match(text):
            nexts.append(url)
        elif _LAST.match(text):
            lasts.append(url)
        elif _NUM.match(text) and page_number(url) is not None:
            numbered.append(url)
    found.total_pages = total_pages(tree.text_content())
    linked = set(nexts + numbered + lasts)        # the site links them; the rest are guessed
    urls = nexts + numbered + lasts + _all_pages(lasts, nexts, found.total_pages)
    found.requests = [PageRequest(u, via=NAME, linked=u in linked) for u in dict.fromkeys(urls)]
    return found


def _all_pages(lasts: list[str], nexts: list[str], total: int | None) -> list[str]:
    """Every page of the list when its size is known: from the 尾页 link's number, or from
    the stated count and the next link's pattern (index_1 = 2nd page: numbered from 0)."""
    for url in lasts:
        found = page_number(url)
        if found:
            return sequence(url, found[0])
    if total and nexts:
        found = page_number(nexts[0])
        if found:
            zero_based = found[0] == 1
            return sequence(nexts[0], total - 1 if zero_based else total, 1 if zero_based else 2)
    return []
