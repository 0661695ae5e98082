"""TRS WCM pagers written by script only: `createPageHTML(countPage, currentPage, "index",
"html")` inline (also the newer form with a div id first and a record count last), or a
`createPageHTML.js` include with the counts in variables (countPage / currentPage /
prefixName / suffixName). There is no <a> to the later pages; page 0 is index.html and the
others are index_1.html .. index_{n-1}.html beside it."""
from __future__ import annotations

import re
from urllib.parse import urljoin

from ..page import Found, Page, PageRequest

NAME = "trs-pager"
_CALL = re.compile(r"createPageHTML\s*\(([^)]*)\)", re.I)
_ARG = re.compile(r"""\s*(?:(['"])(.*?)\1|(\d+)|([A-Za-z_$][\w$]*))\s*(?:,|$)""")
_VAR = {key: re.compile(rf"\b(?:{names})\s*=\s*['\"]?([\w.]+)['\"]?", re.I) for key, names in {
    "countPage": "countPage|_nPageCount|nPageCount|pageCount", "currentPage": "currentPage|_nCurrIndex",
    "prefixName": "prefixName|_sPageName", "suffixName": "suffixName|_sPageExt"}.items()}


def _args(arglist: str, text: str) -> list[str | int]:
    out: list[str | int] = []
    for m in _ARG.finditer(arglist):
        if m.group(0).strip() == "":
            continue
        if m.group(3):
            out.append(int(m.group(3)))
        elif m.group(4):                     # a variable: its value from the page's scripts
            v = re.search(rf"\b{re.escape(m.group(4))}\s*=\s*['\"]?([\w.]+)['\"]?", text)
            if v:
                out.append(int(v.group(1)) if v.group(1).isdigit() else v.group(1))
        else:
            out.append(m.group(2))
    return out


def _pager(text: str) -> tuple[int, str, str] | None:
    """(page count, prefix, suffix) from a createPageHTML call or its variables."""
    for m in _CALL.finditer(text):
        args = _args(m.group(1), text)
        nums = [a for a in args if isinstance(a, int)]
        strs = [a for a in args if isinstance(a, str)]
        if nums and len(strs) >= 2 and not args[0] == "":
            if isinstance(args[0], str) and len(strs) >= 3:   # createPageHTML('div', n, cur, 'index', 'html')
                strs = strs[1:]
            return nums[0], strs[-2], strs[-1]
    vals = {k: rx.search(text) for k, rx in _VAR.items()}
    if vals["countPage"] and "createPageHTML" in text:
        prefix = vals["prefixName"].group(1) if vals["prefixName"] else "index"
        suffix = vals["suffixName"].group(1) if vals["suffixName"] else "html"
        return int(vals["countPage"].group(1)), prefix, suffix
    return None


def find(page: Page) -> Found | None:
    if "createPageHTML" not in page.text:
        return None
    pager = _pager(page.text)
    if pager is None:
        return None
    count, prefix, suffix = pager
    urls = [urljoin(page.url, f"{prefix}_{i}.{suffix}") for i in range(1, count)]
    return Found(requests=[PageRequest(u, via=NAME) for u in urls], total_pages=count)
