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

    /column/index.html     a county bureau's report column listing one report per way a
                           listed report gets lost (COLUMN: path -> title, expected kind):
                           a readable article, a 300 MB body, an endless body, a gzip bomb,
                           a body that drips then hangs up mid-body (every attempt), an empty
                           "PDF", a "PDF" that is an HTML page, 403, 404, a cover note whose
                           attachment is too large, a robots.txt-refused and an off-host link
    /column/etag.html      the readable article, answering 304 to its ETag / Last-Modified
    /column/three.html     a page whose three attachments drip forever
The server counts requests per path (`hits`) so tests can see what the client did.
"""
from __future__ import annotations

import gzip
import json
import sys
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

try:
    import brotli
except ImportError:                       # pragma: no cover
    brotli = None

OK_PAGE = "<html><head><meta charset='utf-8'><title>ok</title></head><body><p>正常页面</p></body></html>".encode()

AGENCY = "武汉市江汉区司法局"
# Listed reports of the column: path -> (title, what becomes of it). "report": loaded; a
# kind: lost with that kind (an error row and the alert); "robots-refused" / "off-host":
# refused on purpose, nothing lost. {off} is the same server under another host name.
COLUMN = {
    "/column/good.html": (f"{AGENCY}2024年法治政府建设年度报告", "report"),
    "/column/huge.pdf": (f"{AGENCY}2023年法治政府建设年度报告", "too-large"),
    "/column/endless.pdf": ("江汉区城市管理执法局2024年法治政府建设年度报告", "too-large"),
    "/column/bomb.pdf": ("江汉区市场监督管理局2024年法治政府建设年度报告", "too-large"),
    "/column/drip-reset.pdf": ("江汉区生态环境分局2024年法治政府建设年度报告", "timeout"),
    "/column/empty.pdf": ("江汉区教育局2024年法治政府建设年度报告", "not-a-document"),
    "/column/page.pdf": ("江汉区民政局2024年法治政府建设年度报告", "not-a-document"),
    "/column/blocked.pdf": ("江汉区交通运输局2024年法治政府建设年度报告", "blocked"),
    "/column/gone.pdf": ("江汉区卫生健康局2024年法治政府建设年度报告", "http-status"),
    "/column/cover.html": ("江汉区文化和旅游局2024年法治政府建设年度报告", "too-large"),
    "/private/report.pdf": ("江汉区退役军人事务局2024年法治政府建设年度报告", "robots-refused"),
    "{off}/column/elsewhere.html": ("江汉区应急管理局2024年法治政府建设年度报告", "off-host"),
}
# The readable report: our own words, with figures the extractor reads.
REPORT_TEXT = (
    "2024年，区司法局围绕法治政府建设目标，扎实推进各项任务落实。",
    "一是深化行政执法监督。全年开展行政执法案卷评查2次，评查案卷126卷，发现并督促整改问题23个。",
    "二是加强行政复议工作。共收到行政复议申请58件，受理52件，审结49件，纠错率为8.2%。",
    "三是推进普法宣传。组织法治宣传活动35场，发放宣传资料1.2万份，培训执法人员420人次。",
    "四是化解矛盾纠纷。全区人民调解组织调解纠纷1860件，调解成功率98.5%。",
    "2025年，我们将继续完善依法行政制度体系，提升执法规范化水平。")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """A client hanging up (what the tests make it do) is not a server error."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class Hostile:
    def __init__(self, bomb_mb: int = 200, drip_s: float = 0.2) -> None:
        self.bomb_mb, self.drip_s = bomb_mb, drip_s
        self.hits: Counter[str] = Counter()
        self.statuses: Counter[int] = Counter()            # answers sent, by status code
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
        self._httpd = _Server(("127.0.0.1", 0), handler)
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
        self.server_state.statuses[status] += 1
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
        if path.startswith("/column/"):
            return self._column(st, path)
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

    # ------------------------------------------------------------------ the report column

    def _send(self, body: bytes, ctype: str = "text/html; charset=utf-8", status: int = 200,
              headers: dict[str, str] | None = None) -> None:
        self._head(status, {"Content-Type": ctype, "Content-Length": str(len(body)), **(headers or {})})
        self.wfile.write(body)

    def _column(self, st: Hostile, path: str) -> None:
        if path == "/column/index.html":
            return self._send(column_page(st))
        if path == "/column/good.html":
            return self._send(report_page(COLUMN[path][0]))
        if path == "/column/etag.html":
            tag, when = '"r1"', "Mon, 03 Feb 2025 08:00:00 GMT"
            if self.headers.get("If-None-Match") == tag or self.headers.get("If-Modified-Since") == when:
                return self._head(304, {"ETag": tag, "Last-Modified": when})
            return self._send(report_page(COLUMN["/column/good.html"][0]), headers={"ETag": tag, "Last-Modified": when})
        if path == "/column/huge.pdf":             # announces 300 MB: refused before reading it
            self._head(200, {"Content-Type": "application/pdf", "Content-Length": str(300 * 2**20)})
            self.close_connection = True
            self.wfile.write(b"%PDF-1.7\n")
            return None
        if path in ("/column/endless.pdf", "/column/cover-attachment.pdf"):
            return self._route(st, "/huge")
        if path == "/column/bomb.pdf":
            body = st.bomb("gzip")
            return self._send(body, "application/pdf", headers={"Content-Encoding": "gzip"})
        if path == "/column/drip-reset.pdf":       # a few bytes slowly, then the line drops
            body = b"%PDF-1.4\n" + b"0" * 4096
            self._head(200, {"Content-Type": "application/pdf", "Content-Length": str(len(body))})
            self.close_connection = True
            for b in body[:8]:
                if st._stop.wait(st.drip_s):
                    break
                self.wfile.write(bytes([b]))
                self.wfile.flush()
            return None
        if path == "/column/empty.pdf":
            return self._send(b"", "application/pdf")
        if path == "/column/page.pdf":             # a soft 404: a page where the file should be
            return self._send("<html><head><meta charset='utf-8'><title>页面不存在</title></head><body>"
                              "<div class='nav'><a href='/column/index.html'>返回栏目</a></div>"
                              "<p>您访问的文件不存在或已被删除。</p></body></html>".encode(), "text/html")
        if path == "/column/blocked.pdf":
            return self._send(b"<html><body>Forbidden</body></html>", "text/html", 403)
        if path == "/column/cover.html":           # a cover note; the report is its attachment
            return self._send(f"<html><head><meta charset='utf-8'><title>{COLUMN[path][0]}</title></head><body>"
                              f"<h1>{COLUMN[path][0]}</h1><p>现将我局年度报告全文公布如下，请查阅附件。</p>"
                              f"<p>附件：<a href='/column/cover-attachment.pdf'>年度报告全文.pdf</a></p>"
                              f"</body></html>".encode())
        if path == "/column/three.html":           # a page with three attachments that drip forever
            links = "".join(f"<p>附件{i}：<a href='/column/slow-{i}.pdf'>第{i}部分.pdf</a></p>" for i in (1, 2, 3))
            return self._send(f"<html><head><meta charset='utf-8'><title>年度报告</title></head><body>{links}"
                              f"</body></html>".encode())
        if path.startswith("/column/slow-"):
            self._head(200, {"Content-Type": "application/pdf", "Connection": "close"})
            self.close_connection = True
            while not st._stop.wait(st.drip_s):
                self.wfile.write(b"%")
                self.wfile.flush()
            return None
        return self._send(b"<html><body>not found</body></html>", "text/html", 404)


def column_page(st: Hostile) -> bytes:
    items = "\n".join(f"<li><a href='{href.replace('{off}', st.other_host_url)}' title='{title}'>{title}</a>"
                      f"<span>2025-0{1 + i % 3}-1{i % 10}</span></li>" for i, (href, (title, _)) in enumerate(COLUMN.items()))
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>法治政府建设_{AGENCY}</title></head><body>"
            f"<div class='position'>当前位置：<a href='/'>首页</a> &gt; 法治政府建设</div>"
            f"<div class='list'><ul>\n{items}\n</ul></div></body></html>").encode()


def report_page(title: str) -> bytes:
    paras = "".join(f"<p>{p}</p>" for p in REPORT_TEXT)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"
            f"<div class='article'><h1>{title}</h1><div class='info'>发布时间：2025-02-10 来源：{AGENCY}</div>"
            f"<div class='content'>{paras}</div></div></body></html>").encode()
