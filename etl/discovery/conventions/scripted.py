"""Pagers driven by script or form: links like `javascript:goPage(3)` or
`onclick="toPage(3)"`, whose function either builds a URL (`"list_" + n + ".html"`,
`"?page=" + n`) or sets a field of a form and submits it (POST or GET)."""
from __future__ import annotations

import re
from urllib.parse import urljoin

from ..page import Found, Page, PageRequest, clean_text
from .paging import total_pages, with_param

NAME = "script-pager"
_CALL = re.compile(r"([A-Za-z_$][\w$.]*)\s*\(\s*['\"]?(\d{1,4})['\"]?\s*\)")
_FUNC = r"(?:function\s+{n}\s*\(\s*(\w+)\s*\)|{n}\s*=\s*function\s*\(\s*(\w+)\s*\))\s*\{{"
_CONCAT = r"""(['"])([^'"]*)\1\s*\+\s*{p}\b(?:\s*\+\s*(['"])([^'"]*)\3)?"""
_FIELD = r"""(?:getElementById\(\s*['"](\w+)['"]\s*\)|\.(\w+)|\[\s*['"](\w+)['"]\s*\])\.value\s*=\s*{p}\b"""


def _body(text: str, name: str) -> tuple[str, str] | None:
    """(parameter name, body) of a script function by name (bodies up to 2,000 chars)."""
    short = re.escape(name.split(".")[-1])
    m = re.search(_FUNC.format(n=short), text)
    if not m:
        return None
    return (m.group(1) or m.group(2)), text[m.end():m.end() + 2000]


def _forms(page: Page) -> list[tuple[str, str, dict[str, str], dict[str, str]]]:
    """(action, method, fields by name, field names by id and name, lower-cased) of the forms."""
    tree = page.tree()
    out = []
    for form in tree.iter("form") if tree is not None else ():
        fields = {i.get("name"): i.get("value", "") for i in form.iter("input") if i.get("name")}
        ids = {i.get("id"): i.get("name") for i in form.iter("input") if i.get("id") and i.get("name")}
        names = {n.lower(): n for n in fields} | {i.lower(): n for i, n in ids.items()}
        action = urljoin(page.url, form.get("action") or page.url)
        out.append((action, (form.get("method") or "get").upper(), fields, names))
    return out


def _request(page: Page, func: str, n: int) -> PageRequest | None:
    found = _body(page.text, func)
    if found is None:
        return None
    param, body = found
    if m := re.search(_CONCAT.format(p=re.escape(param)), body):
        url = urljoin(page.url, f"{m.group(2)}{n}{m.group(4) or ''}")
        return PageRequest(url, via=NAME)
    if m := re.search(_FIELD.format(p=re.escape(param)), body):
        field = m.group(1) or m.group(2) or m.group(3)
        for action, method, fields, names in _forms(page):
            if field.lower() in names:
                data = dict(fields, **{names[field.lower()]: str(n)})
                if method == "POST":
                    return PageRequest(action, data=tuple(data.items()), method="POST", via=NAME)
                url = action
                for k, v in data.items():
                    url = with_param(url, k, int(v)) if v.isdigit() else url
                return PageRequest(url, via=NAME)
    return None


def find(page: Page) -> Found | None:
    tree = page.tree()
    if tree is None:
        return None
    calls: dict[str, set[int]] = {}
    for a in tree.iter("a", "span", "li", "button", "input"):
        js = (a.get("href") or "") + " " + (a.get("onclick") or "")
        if "(" not in js:
            continue
        for name, num in _CALL.findall(js):
            calls.setdefault(name, set()).add(int(num))
    if not calls:
        return None
    total = total_pages(clean_text(tree.text_content())) or total_pages(page.text)
    found = Found(total_pages=total)
    for func, nums in calls.items():
        wanted = set(range(2, total + 1)) if total else nums
        known = bool(total)
        for n in sorted(wanted | nums):
            req = _request(page, func, n)
            if req is None:
                break
            found.requests.append(PageRequest(req.url, req.data, req.method, NAME, speculative=not known))
    return found
