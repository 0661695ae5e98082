"""A hostile web server on loopback: what a crawler meets on the real internet, on purpose.

    /redirect-offhost      302 to another host (same server under the name `localhost`)
    /redirect-loop         302 to itself via /redirect-loop2
    /redirect-chain/N      N redirects, then a page
    /gzip-bomb             a small gzip body that unpacks to `bomb_mb` MB
    /br-bomb               the same in brotli (when brotli is installed)
    /huge                  an endless 1 MB-a-chunk body (no Content-Length)
    /drip                  one byte every `drip_s` seconds, forever
    /drip-headers          the same inside the response headers
    /no-location           a 302 without a Location
    /too-many              429 with Retry-After: 1, then 200 on the next request
    /busy                  503 with Retry-After: 3600 (longer than any sane wait)
    /ok                    a small HTML page
    /robots.txt            disallows /private/
The server counts requests per path (`hits`) so tests can see what the client did.
"""
from __future__ import annotations

import gzip
import json
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

try:
    import brotli
except ImportError:                       # pragma: no cover
    brotli = None

OK_PAGE = "<html><head><meta charset='utf-8'><title>ok</title></head><body><p>正常页面</p></body></html>".encode()


class Hostile:
    def __init__(self, bomb_mb: int = 200, drip_s: float = 0.2) -> None:
        self.bomb_mb, self.drip_s = bomb_mb, drip_s
        self.hits: Counter[str] = Counter()
        self.connections: set[tuple[str, int]] = set()    # client (host, port) seen: one per TCP connection
        self._stop = threading.Event()
        self._bombs: dict[str, bytes] = {}
        self._httpd: ThreadingHTTPServer | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def other_host_url(self) -> str:
        return f"http://localhost:{self.port}"

    def bomb(self, kind: str) -> bytes:
        if kind not in self._bombs:
            raw = b"\0" * (self.bomb_mb * 2**20)
            self._bombs[kind] = gzip.compress(raw, 9) if kind == "gzip" else brotli.compress(raw, quality=4)
        return self._bombs[kind]

    def __enter__(self) -> "Hostile":
        handler = type("HostileHandler", (_Handler,), {"server_state": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._httpd:
            self._httpd.shutdown()
            self._httpd.server_close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_state: Hostile

    def log_message(self, *args) -> None:      # quiet
        pass

    def _head(self, status: int, headers: dict[str, str]) -> None:
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()

    def do_POST(self) -> None:  # noqa: N802
        """/api/echo: answers with what was posted and how (a JSON API stand-in)."""
        self.server_state.hits[self.path] += 1
        n = int(self.headers.get("Content-Length") or 0)
        body = json.dumps({"content_type": self.headers.get("Content-Type", ""),
                           "body": self.rfile.read(n).decode("utf-8", "replace")}).encode()
        self._head(200, {"Content-Type": "application/json", "Content-Length": str(len(body))})
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802
        st, path = self.server_state, self.path.split("?")[0]
        st.hits[path] += 1
        st.connections.add(self.client_address[:2])
        try:
            self._route(st, path)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _route(self, st: Hostile, path: str) -> None:
        if path == "/robots.txt":
            body = b"User-agent: *\nDisallow: /private/\n"
            self._head(200, {"Content-Type": "text/plain", "Content-Length": str(len(body))})
            self.wfile.write(body)
        elif path == "/redirect-offhost":
            self._head(302, {"Location": f"{st.other_host_url}/ok", "Content-Length": "0"})
        elif path in ("/redirect-loop", "/redirect-loop2"):
            nxt = "/redirect-loop2" if path == "/redirect-loop" else "/redirect-loop"
            self._head(302, {"Location": nxt, "Content-Length": "0"})
        elif path.startswith("/redirect-chain/"):
            n = int(path.rsplit("/", 1)[1])
            self._head(302, {"Location": f"/redirect-chain/{n - 1}" if n > 0 else "/ok", "Content-Length": "0"})
        elif path in ("/gzip-bomb", "/br-bomb"):
            body = st.bomb("gzip" if path == "/gzip-bomb" else "br")
            self._head(200, {"Content-Type": "text/html", "Content-Encoding": "gzip" if path == "/gzip-bomb" else "br",
                             "Content-Length": str(len(body))})
            self.wfile.write(body)
        elif path == "/huge":
            self._head(200, {"Content-Type": "application/pdf", "Connection": "close"})
            self.close_connection = True
            chunk = b"%PDF-1.4\n" + b"x" * (2**20 - 9)
            while not st._stop.is_set():
                self.wfile.write(chunk)
        elif path == "/drip":
            self._head(200, {"Content-Type": "text/html", "Connection": "close"})
            self.close_connection = True
            while not st._stop.wait(st.drip_s):
                self.wfile.write(b"x")
                self.wfile.flush()
        elif path == "/drip-headers":              # the status line, then headers a byte at a time
            self.close_connection = True
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            self.wfile.flush()
            while not st._stop.wait(st.drip_s):
                self.wfile.write(b"X")
                self.wfile.flush()
        elif path == "/etag":                      # conditional GET: 304 with a small body-less answer
            if self.headers.get("If-None-Match") == '"v1"':
                self._head(304, {"ETag": '"v1"'})
            else:
                self._head(200, {"ETag": '"v1"', "Content-Type": "text/html", "Content-Length": str(len(OK_PAGE))})
                self.wfile.write(OK_PAGE)
        elif path == "/error-page":                # an error with a page to read out
            body = b"<html>server error</html>" * 40
            self._head(500, {"Content-Type": "text/html", "Content-Length": str(len(body))})
            self.wfile.write(body)
        elif path == "/no-location":
            self._head(302, {"Content-Length": "0"})
        elif path == "/too-many":
            if st.hits[path] == 1:
                self._head(429, {"Retry-After": "1", "Content-Length": "0"})
            else:
                self._ok()
        elif path == "/busy":
            self._head(503, {"Retry-After": "3600", "Content-Length": "0"})
        else:
            self._ok()

    def _ok(self) -> None:
        self._head(200, {"Content-Type": "text/html; charset=utf-8", "Content-Length": str(len(OK_PAGE))})
        self.wfile.write(OK_PAGE)
