"""Fetch reports into the raw store (`etl.store`): the listed document and, when it is an
article page, the files it offers. Conditional GET makes an unchanged night download
nothing.

Every shape a report comes in:
- the listed URL is itself a PDF/DOC/DOCX/WPS (decided by its bytes, never by its URL);
- an article page, possibly a short cover note whose attachment is the report;
- attachments found by extension, by link text alone (`…年度报告.pdf` behind an opaque
  href), through download endpoints (`downfile.jsp?filename=...`), in viewers embedded as
  iframe/embed/object (`viewer.html?file=...`), named by Content-Disposition.
Requests stay on the source's hosts; a refused link is recorded, not a failure.

A listed report that cannot be had keeps its reason (`FetchError.kind`: too-large, timeout,
blocked, http-status, not-a-document...) in its record: it is a lost document, an error
row the alert names. Only robots.txt and another host are refusals that lose nothing.
One deadline covers a document and its attachments, all attempts together
(ETL_DOCUMENT_DEADLINE); one budget covers a source's night (ETL_SOURCE_BUDGET).
"""
from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit

from lxml import html as lxml_html

from .http import REFUSED, BudgetExhausted, FetchError, Http, decode_html
from .parse.sniff import sniff
from .statestore import FETCHED, SourceState
from .recheck import cadence_days, due_for_recheck
from .records import DocRef, Fetched, Source, from_dict, to_dict
from .settings import Settings
from .store import BlobStore, Validators, get_resource

log = logging.getLogger(__name__)

DOC_EXT = ("pdf", "doc", "docx", "wps", "ofd", "zip", "xlsx")
_EXT = re.compile(r"\.(?:" + "|".join(DOC_EXT) + r")(?:$|[?#&])", re.I)
_TEXT_EXT = re.compile(r"\.(?:" + "|".join(DOC_EXT) + r")\s*$", re.I)
_DOWNLOAD = re.compile(r"(?:down|download|downfile|attach|attachment|getfile|file(?:download|view)?|"
                       r"viewfile|accessory|fujian)[\w.]*\.(?:jsp|do|aspx?|php|action|ashx|cgi)|"
                       r"/(?:download|attachment|attach|files?)/", re.I)
_FILE_PARAM = ("filename", "file", "fileid", "fileurl", "filepath", "attachid", "fid", "path", "url", "src")
_QUOTED_DOC = re.compile(r"""['"]([^'"]+\.(?:""" + "|".join(DOC_EXT) + r""")(?:\?[^'"]*)?)['"]""", re.I)
_ATTACH_TEXT = re.compile(r"附件|下载|全文|原文|报告|\.(?:pdf|docx?|wps|zip)", re.I)
MIME = {"pdf": "application/pdf", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "doc": "application/msword", "ole": "application/msword"}


@dataclass(frozen=True)
class Link:
    url: str
    text: str
    how: str            # extension / link-text / download-endpoint / viewer


def _file_param(url: str) -> str:
    """A document path passed to a viewer or download endpoint (?file=/a/b.pdf)."""
    for k, v in parse_qsl(urlsplit(url).query):
        if k.lower() in _FILE_PARAM and _EXT.search(v + " ") or (k.lower() == "file" and v.startswith("/")):
            return v
    return ""


def attachment_links(page: bytes, content_type: str, base_url: str) -> list[Link]:
    """Links on an article page that lead to the report's file(s), in page order."""
    try:
        tree = lxml_html.fromstring(decode_html(page, content_type))
    except (ValueError, lxml_html.etree.ParserError):   # unparseable page: no attachments
        return []
    out: dict[str, Link] = {}

    def add(href: str, text: str, how: str) -> None:
        href = (href or "").strip()
        if not href or href.lower().startswith(("javascript:", "mailto:", "#")):
            return
        try:
            url = urljoin(base_url, href)
        except ValueError:                               # e.g. "http://[bad/x.pdf"
            return
        if urlsplit(url).scheme.lower() in ("http", "https") and url not in out:
            out[url] = Link(url, text, how)

    for a in tree.iter("a"):
        href, text = a.get("href") or "", " ".join(a.text_content().split()) or a.get("title", "")
        if href.lower().startswith("javascript:") or not href.strip():
            # javascript:openFile('/upload/x.pdf'), onclick="window.open('x.pdf')"
            m = _QUOTED_DOC.search(href + " " + (a.get("onclick") or ""))
            if m:
                add(m.group(1), text, "script-link")
            continue
        if _EXT.search(urlsplit(href).path + " ") or _EXT.search(href):
            add(href, text, "extension")
        elif _TEXT_EXT.search(text) or _TEXT_EXT.search(a.get("title", "")):
            add(href, text, "link-text")
        elif _DOWNLOAD.search(href) and _ATTACH_TEXT.search(text + (a.get("title") or "")):
            add(href, text, "download-endpoint")
        elif _file_param(href):
            add(href, text, "download-endpoint")
        elif text.startswith("附件") and not re.search(r"\.(?:s?html?|jsp|aspx?|php)(?:$|\?)", href, re.I) \
                and not href.startswith("#"):
            add(href, text, "attachment-text")         # 附件1：… behind an opaque link
    for el in tree.iter("iframe", "embed", "object"):
        src = el.get("src") or el.get("data") or ""
        inner = _file_param(src)
        if inner:
            add(urljoin(urljoin(base_url, src), inner), "", "viewer")
        elif _EXT.search(src):
            add(src, "", "viewer")
        elif el.tag == "iframe" and src and not src.lower().startswith(("about:", "javascript:")):
            add(src, "", "frame")                      # the article's body shown in a frame
    return list(out.values())


# Page images of a report published as scans inside the article (图片版): the images of
# the article's content block, when that block says little itself. Logos, icons, QR codes
# and buttons are not pages.
MAX_PAGE_IMAGES = 40
_NOT_A_PAGE = re.compile(r"logo|icon|ico_|banner|qr|ewm|erweima|code|btn|button|share|arrow|bg|spacer|blank|"
                         r"weixin|weibo|wx|wb|top|foot|head|nav|dot|line|print|close|search|gh\.|jiucuo|zfwz|"
                         r"red_?flag|emblem|guohui|wza|\.svg|\.ico", re.I)
_IMAGE_EXT = re.compile(r"\.(?:jpe?g|png|gif|bmp|tiff?|webp)(?:$|[?#])", re.I)
PAGE_TEXT_CHARS = 800              # a content block saying more than this is an article with pictures


def page_images(page: bytes, content_type: str, base_url: str) -> list[Link]:
    """The page images of an article whose content is images (a scanned report), in order."""
    try:
        tree = lxml_html.fromstring(decode_html(page, content_type))
    except (ValueError, lxml_html.etree.ParserError):
        return []
    imgs = []
    for img in tree.iter("img"):
        src = (img.get("src") or img.get("data-src") or img.get("original") or "").strip()
        if not src or src.startswith("data:") or _NOT_A_PAGE.search(src) or not _IMAGE_EXT.search(src):
            continue
        if any(el.tag in ("header", "footer", "nav") or _NOT_A_PAGE.search(f"{el.get('class', '')} {el.get('id', '')}")
               for el in img.iterancestors() if isinstance(el.tag, str) and el.tag not in ("body", "html")):
            continue
        w, h = (img.get("width") or "").rstrip("px"), (img.get("height") or "").rstrip("px")
        if (w.isdigit() and int(w) < 200) or (h.isdigit() and int(h) < 200):
            continue
        imgs.append(img)
    if not imgs:
        return []
    block = imgs[0].getparent()                 # the smallest block holding every page image
    while block is not None and not all(block in set(i.iterancestors()) for i in imgs):
        block = block.getparent()
    if block is None:
        return []
    said = len("".join(block.text_content().split()))
    if said > PAGE_TEXT_CHARS:
        return []
    out: dict[str, Link] = {}
    for i, img in enumerate(imgs[:MAX_PAGE_IMAGES], start=1):
        try:
            url = urljoin(base_url, (img.get("src") or img.get("data-src") or img.get("original")).strip())
        except ValueError:
            continue
        if urlsplit(url).scheme.lower() in ("http", "https") and url not in out:
            out[url] = Link(url, img.get("alt") or img.get("title") or f"page image {i}", "image")
    return list(out.values())


_EXT_NAME = re.compile(r"""filename\*\s*=\s*([\w-]+)'[^']*'([^;\s]+)""", re.I)
_PLAIN_NAME = re.compile(r"""filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))""", re.I)


def filename_of(disposition: str) -> str:
    """The file name of a Content-Disposition: RFC 6266's filename*=UTF-8''… wins over
    filename=; a plain name in raw UTF-8 or GBK (read as Latin-1 by HTTP) is repaired."""
    if m := _EXT_NAME.search(disposition or ""):
        try:
            return unquote(m.group(2), encoding=m.group(1), errors="strict")
        except (LookupError, UnicodeDecodeError):
            pass
    m = _PLAIN_NAME.search(disposition or "")
    if not m:
        return ""
    name = unquote(m.group(1) if m.group(1) is not None else m.group(2))
    if any(0x80 <= ord(c) <= 0xFF for c in name) and all(ord(c) <= 0xFF for c in name):
        for cs in ("utf-8", "gb18030"):
            try:
                return name.encode("latin-1").decode(cs)
            except UnicodeDecodeError:
                continue
    return name


def _attachment(link: Link, http: Http, store: BlobStore, cache: Validators, hosts: frozenset[str]) -> dict:
    base = {"url": link.url, "text": link.text, "how": link.how}
    try:
        res = get_resource(link.url, http, store, cache, hosts)
    except FetchError as e:
        return {**base, "sha256": "", "content_type": "", "error": str(e), "refused": e.kind}
    kind = sniff(store.get(res.sha256))
    name = filename_of(res.disposition)
    if link.how == "frame" and kind == "html":          # a framed body: read as a page
        return {**base, "sha256": res.sha256, "content_type": res.content_type or "text/html",
                "final_url": res.final_url, "filename": name, "format": "html"}
    if kind in ("html", "text", "empty"):                # a page or an error page, not a file
        return {**base, "sha256": "", "content_type": res.content_type, "final_url": res.final_url,
                "error": f"not a document: the link answers {kind} ({res.content_type or 'no type'})",
                "refused": "not-a-document"}
    return {**base, "sha256": res.sha256, "content_type": MIME.get(kind, res.content_type),
            "final_url": res.final_url, "filename": name, "format": kind}


class NotADocument(FetchError):
    """A listed file that answers an empty body, or a page where a document was promised."""
    kind = "not-a-document"


_DOC_TYPE = re.compile(r"pdf|msword|wordprocessingml|officedocument|wps|ofd", re.I)


def claims_document(url: str, content_type: str = "") -> bool:
    """The link (its path, a download endpoint's file parameter) or the server's type says
    a file: an answer that is a page is then an error page served in its place."""
    return bool(_EXT.search(urlsplit(url).path) or _file_param(url) or _DOC_TYPE.search(content_type or ""))


def _not_a_document(url: str, data: bytes, kind: str, content_type: str) -> NotADocument:
    if kind == "empty":
        return NotADocument(f"not a document: the listed report answers an empty body "
                            f"({len(data)} bytes, {content_type or 'no type'}): {url}")
    title = re.search(rb"<title[^>]*>(.*?)</title>", data[:8192], re.I | re.S)
    named = f", titled {decode_html(title.group(1)).strip()[:60]!r}" if title else ""
    return NotADocument(f"not a document: the listed file answers {'an HTML page' if kind == 'html' else kind}"
                        f"{named} ({len(data):,} bytes, {content_type or 'no type'}) and offers no file: {url}")


def fetch_one(ref: DocRef, source: Source, http: Http, store: BlobStore, cache: Validators) -> Fetched:
    """The listed document and its attachments, within one deadline. Any failure becomes
    an `error` record with its kind (a `refused` one for robots.txt and other hosts): one
    bad document never stops the others."""
    common: dict[str, Any] = dict(kind=ref.kind, listed_date=ref.listed_date, report_year=ref.report_year)
    hosts = source.hosts
    limit = http.s.document_deadline_s
    try:
        with http.deadline(limit, f"the document's deadline of {limit:g}s (ETL_DOCUMENT_DEADLINE)"):
            res = get_resource(ref.url, http, store, cache, hosts)
            data = store.get(res.sha256)
            kind = sniff(data)
            atts: list[dict] = []
            ctype = res.content_type
            if kind in ("pdf", "docx", "doc", "ole"):         # the entry is the file itself
                ctype = MIME.get(kind, ctype)
            elif kind == "html":
                res, data = _rendered_if_shell(source, http, store, res, data)
                links = attachment_links(data, res.content_type, res.final_url)
                links += [x for x in page_images(data, res.content_type, res.final_url)
                          if x.url not in {y.url for y in links}]
                for link in links:
                    atts.append(_attachment(link, http, store, cache, hosts))
        # refused links (off-host, robots.txt, not a document) are recorded, not errors;
        # a link that failed otherwise (too large, timeout...) stays, its error read by parse
        kept = [a for a in atts if a.get("sha256") or a.get("refused") not in REFUSED | {"not-a-document"}]
        if kind == "empty" or (kind in ("html", "text") and claims_document(ref.url, res.content_type)
                               and not any(a.get("sha256") for a in kept)):
            raise _not_a_document(ref.url, data, kind, res.content_type)
        return Fetched(ref.source_id, ref.url, ref.title, "fetched", res.sha256, ctype, kept,
                       final_url=res.final_url, refused_links=[a for a in atts if a not in kept], **common)
    except FetchError as e:
        log.warning("fetch failed (%s): %s", e.kind, e)
        return Fetched(ref.source_id, ref.url, ref.title, "error" if e.lost else "refused",
                       error=str(e), error_kind=e.kind, **common)
    except Exception as e:                    # malformed URL or page: this document only
        log.warning("fetch failed: %s: %s: %s", ref.url, type(e).__name__, e)
        return Fetched(ref.source_id, ref.url, ref.title, "error", error=f"{type(e).__name__}: {e}",
                       error_kind="failed", **common)


def _rendered_if_shell(source: Source, http: Http, store: BlobStore, res, data: bytes):
    """An article page that is an application shell is read as the browser renders it
    (its body comes from a detail API): the rendered DOM is the document."""
    from dataclasses import replace as _replace
    from .discovery.render import is_shell, renderer_for
    if not is_shell(data) or (renderer := renderer_for(http.s, http)) is None:
        return res, data
    page = renderer.article(source, res.final_url)
    return _replace(res, sha256=store.put(page.content), content_type="text/html; charset=utf-8"), page.content


class FetchState(SourceState):
    """The last good fetch of each report URL of a source (state store, table `fetched`):
    {url: {checked, record}}, when it was last asked for and its record. A known report is
    re-requested only when due (`etl.recheck`, ETL_RECHECK_DAYS); until then its stored copy stands."""

    table = FETCHED


def _reusable(rec: dict, store: BlobStore) -> Fetched | None:
    f = from_dict(Fetched, rec)
    shas = [f.sha256] + [a.get("sha256", "") for a in f.attachments]
    return f if f.status == "fetched" and all(store.has(x) for x in shas) else None


def _budget_spent(ref: DocRef, budget: float, old: Fetched | None) -> Fetched:
    """A report the source's budget left no time for: its stored copy stands (asked again
    tomorrow), a new one is a lost document tonight, recorded as such."""
    if old is not None:
        return old
    return Fetched(ref.source_id, ref.url, ref.title, "error", kind=ref.kind, listed_date=ref.listed_date,
                   report_year=ref.report_year, error_kind=BudgetExhausted.kind,
                   error=f"not fetched: the source's budget of {budget:g}s (ETL_SOURCE_BUDGET) was spent "
                         f"on its other documents tonight: {ref.url}")


def fetch_source(refs: list[DocRef], source: Source, settings: Settings, http: Http,
                 now: float | None = None, full_recheck: bool = False,
                 budget_s: float | None = None) -> list[Fetched]:
    """Fetch tonight's reports of a source within its budget (`budget_s`: what discovery
    left of ETL_SOURCE_BUDGET): new ones always, known ones when due (sooner in their
    publication season)."""
    store = BlobStore(settings.raw_dir)
    cache = Validators.for_source(settings, source.id)
    state = FetchState.for_source(settings, source.id)
    now = time.time() if now is None else now
    known = {r.url: state.data[r.url]["checked"] for r in refs if r.url in state.data}
    days = {r.url: cadence_days(r.report_year, now, settings.recheck_days, settings.recheck_days_season,
                                settings.recheck_season) for r in refs if r.url in known}
    due = set(due_for_recheck(known, now, settings.recheck_days, full=full_recheck, days_of=days))
    out = []
    budget = settings.source_budget_s
    try:
        with http.deadline(budget if budget_s is None else budget_s,
                           f"the source's budget of {budget:g}s (ETL_SOURCE_BUDGET)",
                           BudgetExhausted) as spent_at:
            for ref in refs:
                kept = state.data.get(ref.url)
                old = _reusable(kept["record"], store) if kept else None
                if old is not None:
                    old.title, old.kind, old.listed_date, old.report_year = ref.title, ref.kind, ref.listed_date, ref.report_year
                if old is not None and ref.url not in due:   # not due: the stored copy stands, no request
                    out.append(old)
                    continue
                if time.monotonic() >= spent_at.at:
                    out.append(_budget_spent(ref, budget, old))
                    continue
                f = fetch_one(ref, source, http, store, cache)
                if f.error_kind == BudgetExhausted.kind and old is not None:
                    f = old                             # cut by the budget: the stored copy stands
                elif f.status == "fetched" and not any(a.get("error") for a in f.attachments):
                    state.data[ref.url] = {"checked": now, "record": to_dict(f)}
                else:                                   # failed or partly broken: ask again tomorrow
                    state.data.pop(ref.url, None)
                out.append(f)
        return out
    finally:
        cache.save()
        state.save()
