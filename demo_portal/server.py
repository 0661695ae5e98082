"""Serve a built portal on 127.0.0.1 (HTTP/1.1, threaded, quiet).

- Content-Type per file; HTML pages listed in _charsets.json are served with that charset.
- ETag (content hash) and Last-Modified (file mtime); 304 on If-None-Match/If-Modified-Since.
- URLs in _special.json are faked: {"kind": "status", "status": 500} answers that status,
  {"kind": "slow", "seconds": 30} sleeps first (interruptible: stop() returns at once).
- Ground-truth files at the root are never served (404).
- `stats` counts responses by status, `log` keeps (method, path, status) of each request.
"""
from __future__ import annotations

import email.utils
import hashlib
import json
import mimetypes
import sys
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from .generator import HIDDEN_FILES

CONTENT_TYPES = {
    ".html": "text/html", ".htm": "text/html", ".pdf": "application/pdf", ".txt": "text/plain",
    ".css": "text/css", ".js": "application/javascript", ".json": "application/json",
}
TEXT_TYPES = ("text/", "application/javascript", "application/json")


class Portal:
    """Context manager serving `root` in a background thread."""

    def __init__(self, root: Path, port: int = 0) -> None:
        self.root = Path(root).resolve()
        self.port = port
        self.base_url = ""
        self.stats: Counter[int] = Counter()
        self.log: list[tuple[str, str, int]] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._etags: dict[tuple[str, int, int], str] = {}
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.charsets: dict[str, str] = _read_json(self.root / "_charsets.json")
        self.special: dict[str, dict[str, Any]] = _read_json(self.root / "_special.json")

    # ------------------------------------------------------------ lifecycle
    def start(self) -> "Portal":
        if self._httpd is not None:
            return self
        self._stopping.clear()
        handler = type("PortalHandler", (_Handler,), {"portal": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        self._httpd.daemon_threads = True
        self.port = int(self._httpd.server_address[1])
        self.base_url = f"http://127.0.0.1:{self.port}"      # the address bound above
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="portal", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()            # wakes slow handlers
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=1.0)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> "Portal":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def url(self, path: str) -> str:
        return self.base_url + "/" + path.lstrip("/")

    # ------------------------------------------------------------ helpers for the handler
    def record(self, method: str, path: str, status: int) -> None:
        with self._lock:
            self.stats[status] += 1
            self.log.append((method, path, status))

    def resolve(self, path: str) -> Path | None:
        """The file for a URL path, or None (missing, hidden or outside root)."""
        rel = path.lstrip("/")
        if rel == "" or rel.endswith("/"):
            rel += "index.html"
        if rel in HIDDEN_FILES:
            return None
        target = (self.root / rel).resolve()
        if not target.is_relative_to(self.root) or not target.is_file():
            return None
        return target

    def etag(self, file: Path, mtime_ns: int, size: int) -> str:
        key = (str(file), mtime_ns, size)
        with self._lock:
            tag = self._etags.get(key)
        if tag is None:
            tag = '"' + hashlib.sha256(file.read_bytes()).hexdigest()[:20] + '"'
            with self._lock:
                self._etags[key] = tag
        return tag

    def content_type(self, path: str, file: Path) -> str:
        ctype = CONTENT_TYPES.get(file.suffix.lower()) or mimetypes.guess_type(file.name)[0] \
            or "application/octet-stream"
        if ctype.startswith(TEXT_TYPES):
            key = "/" + path.lstrip("/")
            if key.endswith("/"):
                key += "index.html"
            ctype += f"; charset={self.charsets.get(key, 'utf-8')}"
        return ctype


def _read_json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "nginx"
    sys_version = ""
    timeout = 10                       # idle keep-alive connections end on their own
    portal: Portal                     # set on the subclass made by Portal.start

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
        pass

    def version_string(self) -> str:
        return self.server_version

    def do_GET(self) -> None:  # noqa: N802
        self._serve(body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(body=False)

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        form = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        if "json" in (self.headers.get("Content-Type") or "").lower():     # an application's JSON body
            try:
                obj = json.loads(form or "{}")
            except ValueError:
                obj = {}
            fields = {k: str(v) for k, v in obj.items()} if isinstance(obj, dict) else {}
            self._serve(body=True, form=fields)
            return
        self._serve(body=True, form=dict(parse_qsl(form, keep_blank_values=True)))

    # ------------------------------------------------------------
    def _serve(self, body: bool, form: dict[str, str] | None = None) -> None:
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        from .scripted import gate                 # a cookie challenge in front of some folders
        if (challenge := gate(self.portal.special, path, self.headers.get("Cookie", ""))) is not None:
            self._send(path, 521, {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"},
                       challenge, body)
            return
        special = self.portal.special.get(path)
        if special is not None:
            params = dict(parse_qsl(parts.query, keep_blank_values=True), **(form or {}))
            self._special(path, special, body, params)
            return
        if form is not None:
            self._simple(path, 405, "405 Method Not Allowed", body)
            return
        file = self.portal.resolve(path)
        if file is None:
            self._simple(path, 404, "404 Not Found", body)
            return
        st = file.stat()
        etag = self.portal.etag(file, st.st_mtime_ns, st.st_size)
        last_mod = email.utils.formatdate(int(st.st_mtime), usegmt=True)
        if self._not_modified(etag, int(st.st_mtime)):
            self._send(path, 304, {"ETag": etag, "Last-Modified": last_mod}, None, body)
            return
        headers = {"Content-Type": self.portal.content_type(path, file), "ETag": etag,
                   "Last-Modified": last_mod, "Cache-Control": "max-age=0"}
        self._send(path, 200, headers, file.read_bytes(), body)

    def _not_modified(self, etag: str, mtime: int) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
            return "*" in tags or etag in tags
        ims = self.headers.get("If-Modified-Since")
        if ims:
            try:
                since = email.utils.parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError):
                return False
            return mtime <= since
        return False

    def _special(self, path: str, spec: dict[str, Any], body: bool, params: dict[str, str]) -> None:
        kind = spec.get("kind")
        if kind == "redirect":
            self._send(path, int(spec.get("status", 302)), {"Location": spec["location"]}, b"", body)
            return
        if kind == "pages":                  # ?pageNum=N or a POSTed pageNo: one file per page
            file = self.portal.resolve(spec["files"].get(params.get(spec["param"], "1"), ""))
            if file is None:
                self._simple(path, 404, "404 Not Found", body)
                return
            ctype = f"text/html; charset={spec.get('charset', 'utf-8')}"
            self._send_dynamic(path, ctype, file.read_bytes(), body)
            return
        if kind == "download":               # an attachment behind a download endpoint
            file = self.portal.resolve(spec["files"].get(params.get(spec["param"], ""), ""))
            if file is None:
                self._simple(path, 404, "404 Not Found", body)
                return
            name = spec["names"][params[spec["param"]]]
            headers = {"Content-Disposition": f"attachment; filename=\"report.pdf\"; "
                                              f"filename*=UTF-8''{quote(name)}"}
            self._send_dynamic(path, "application/octet-stream", file.read_bytes(), body, headers)
            return
        if kind in ("json", "hanweb"):
            from .cms import dynamic_answer
            answer = dynamic_answer(spec, params)
            assert answer is not None          # json and hanweb specs always answer
            ctype, data = answer
            self._send_dynamic(path, ctype, data, body)
            return
        if kind in ("detail", "jsonp", "fragments"):   # script-built columns (scripted.py)
            from .scripted import dynamic_answer as scripted_answer
            scripted = scripted_answer(spec, params)
            assert scripted is not None        # detail, jsonp and fragments specs always answer
            ctype, data = scripted
            self._send_dynamic(path, ctype, data, body)
            return
        if kind == "catalogue":                # results only for the POSTed category
            file = self.portal.resolve(spec["file"]) if params.get(spec["field"]) == spec["value"] else None
            data = file.read_bytes() if file else "<html><body><p>没有符合条件的信息。</p></body></html>".encode()
            self._send_dynamic(path, f"text/html; charset={spec.get('charset', 'utf-8')}", data, body)
            return
        if kind == "slow":
            if self.portal._stopping.wait(float(spec.get("seconds", 30))):
                self.close_connection = True
                self._simple(path, 503, "503 Service Unavailable", body)
                return
            self._simple(path, 200, "系统繁忙，请稍后再试。", body)
            return
        status = int(spec.get("status", 500))
        self._simple(path, status, f"{status} Internal Server Error", body)

    def _send_dynamic(self, path: str, ctype: str, data: bytes, body: bool,
                      extra: dict[str, str] | None = None) -> None:
        """A generated answer with an ETag of its bytes, so unchanged nights get 304."""
        etag = '"' + hashlib.sha256(data).hexdigest()[:20] + '"'
        if self.command == "GET" and self._not_modified(etag, -1):
            self._send(path, 304, {"ETag": etag}, None, body)
            return
        self._send(path, 200, {"Content-Type": ctype, "ETag": etag, **(extra or {})}, data, body)

    def _simple(self, path: str, status: int, text: str, body: bool) -> None:
        html = f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{status}</title></head>" \
               f"<body><h1>{text}</h1></body></html>"
        self._send(path, status, {"Content-Type": "text/html; charset=utf-8"}, html.encode("utf-8"), body)

    def _send(self, path: str, status: int, headers: dict[str, str], data: bytes | None, body: bool) -> None:
        self.portal.record(self.command, path, status)
        try:
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            if data is not None:
                self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if body and data is not None:
                self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


def serve_forever(root: Path, port: int = 0) -> None:
    """Serve until interrupted; prints the base URL first (for `python -m etl portal`)."""
    portal = Portal(root, port).start()
    print(portal.base_url, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        portal.stop()
        print("portal stopped", file=sys.stderr)
