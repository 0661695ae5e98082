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
"""
from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit

from lxml import html as lxml_html

from .http import FetchError, Http, decode_html
from .parse.sniff import sniff
from .pipeline.staging import JsonState
from .recheck import due_for_recheck
from .records import DocRef, Fetched, Source, from_dict, to_dict
from .settings import Settings
from .store import BlobStore, Validators, get_resource

log = logging.getLogger(__name__)

DOC_EXT = ("pdf", "doc", "docx", "wps", "ofd")
_EXT = re.compile(r"\.(?:" + "|".join(DOC_EXT) + r")(?:$|[?#&])", re.I)
_TEXT_EXT = re.compile(r"\.(?:" + "|".join(DOC_EXT) + r")\s*$", re.I)
_DOWNLOAD = re.compile(r"(?:down|download|downfile|attach|attachment|getfile|file(?:download|view)?|"
                       r"viewfile|accessory|fujian)[\w.]*\.(?:jsp|do|aspx?|php|action|ashx|cgi)|"
                       r"/(?:download|attachment|attach|files?)/", re.I)
_FILE_PARAM = ("filename", "file", "fileid", "fileurl", "filepath", "attachid", "fid", "path", "url", "src")
_QUOTED_DOC = re.compile(r"""['"]([^'"]+\.(?:""" + "|".join(DOC_EXT) + r""")(?:\?[^'"]*)?)['"]""", re.I)
_ATTACH_TEXT = re.compile(r"附件|下载|全文|原文|报告|\.(?:pdf|docx?|wps)", re.I)
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


def fetch_one(ref: DocRef, source: Source, http: Http, store: BlobStore, cache: Validators) -> Fetched:
    """The listed document and its attachments. Any failure becomes an `error` record:
    one bad document never stops the others."""
    common = dict(kind=ref.kind, listed_date=ref.listed_date, report_year=ref.report_year)
    hosts = source.hosts
    try:
        res = get_resource(ref.url, http, store, cache, hosts)
        data = store.get(res.sha256)
        kind = sniff(data)
        atts: list[dict] = []
        ctype = res.content_type
        if kind in ("pdf", "docx", "doc", "ole"):         # the entry is the file itself
            ctype = MIME.get(kind, ctype)
        elif kind == "html":
            res, data = _rendered_if_shell(source, http, store, res, data)
            for link in attachment_links(data, res.content_type, res.final_url):
                atts.append(_attachment(link, http, store, cache, hosts))
        # refused links (off-host, robots.txt, not a document) are recorded, not errors
        kept = [a for a in atts if a.get("sha256") or a.get("refused") == "failed"]
        return Fetched(ref.source_id, ref.url, ref.title, "fetched", res.sha256, ctype, kept,
                       final_url=res.final_url, refused_links=[a for a in atts if a not in kept], **common)
    except FetchError as e:
        log.warning("fetch failed: %s", e)
        return Fetched(ref.source_id, ref.url, ref.title, "refused" if e.kind != "failed" else "error",
                       error=str(e), **common)
    except Exception as e:                    # malformed URL or page: this document only
        log.warning("fetch failed: %s: %s: %s", ref.url, type(e).__name__, e)
        return Fetched(ref.source_id, ref.url, ref.title, "error", error=f"{type(e).__name__}: {e}", **common)


def _rendered_if_shell(source: Source, http: Http, store: BlobStore, res, data: bytes):
    """An article page that is an application shell is read as the browser renders it
    (its body comes from a detail API): the rendered DOM is the document."""
    from dataclasses import replace as _replace
    from .discovery.render import is_shell, renderer_for
    if not is_shell(data) or (renderer := renderer_for(http.s, http)) is None:
        return res, data
    page = renderer.article(source, res.final_url)
    return _replace(res, sha256=store.put(page.content), content_type="text/html; charset=utf-8"), page.content


class FetchState(JsonState):
    """The last good fetch of each report URL of a source (`state/fetched/<source>.json`):
    when it was last asked for, and its record. A known report is re-requested only when
    due (`etl.recheck`, ETL_RECHECK_DAYS); until then its stored copy stands."""

    def __init__(self, settings: Settings, source_id: str):
        super().__init__(settings.state_dir / "fetched" / f"{source_id}.json")


def _reusable(rec: dict, store: BlobStore) -> Fetched | None:
    f = from_dict(Fetched, rec)
    shas = [f.sha256] + [a.get("sha256", "") for a in f.attachments]
    return f if f.status == "fetched" and all(store.has(x) for x in shas) else None


def fetch_source(refs: list[DocRef], source: Source, settings: Settings, http: Http,
                 now: float | None = None, full_recheck: bool = False) -> list[Fetched]:
    """Fetch tonight's reports of a source: new ones always, known ones when due."""
    store = BlobStore(settings.raw_dir)
    cache = Validators.for_source(settings, source.id)
    state = FetchState(settings, source.id)
    now = time.time() if now is None else now
    known = {r.url: state.data[r.url]["checked"] for r in refs if r.url in state.data}
    due = set(due_for_recheck(known, now, settings.recheck_days, full=full_recheck))
    out = []
    try:
        for ref in refs:
            kept = state.data.get(ref.url)
            old = _reusable(kept["record"], store) if kept and ref.url not in due else None
            if old is not None:                     # not due: the stored copy stands, no request
                old.title, old.kind, old.listed_date, old.report_year = ref.title, ref.kind, ref.listed_date, ref.report_year
                out.append(old)
                continue
            f = fetch_one(ref, source, http, store, cache)
            if f.status == "fetched" and not any(a.get("error") for a in f.attachments):
                state.data[ref.url] = {"checked": now, "record": to_dict(f)}
            else:                                   # failed or partly broken: ask again tomorrow
                state.data.pop(ref.url, None)
            out.append(f)
        return out
    finally:
        cache.save()
        state.save()
