"""Every alert channel through Apprise against a real receiver on loopback, in that tool's
own format: SMTP with STARTTLS and login (aiosmtpd), the generic JSON webhook, Slack,
DingTalk (signed) and WeCom robots (Apprise's own plugins, their fixed host pointed at the
loopback receiver), and the file sink. Failed deliveries are retried, then reported, and no
secret reaches a log line."""
from __future__ import annotations

import base64
import datetime as dt
import email
import email.policy
import hashlib
import hmac
import json
import logging
import socket
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from etl.notify import Problem, build_message, deliver
from etl.notify.config import Channels, load_channels
from etl.settings import load_settings

PASSWORD = "s3cret-relay-pass"
DING_SECRET = "SEC0123456789abcdef0123456789abcdef"
TOKEN = "robottoken7f3a9c2e51d4b8a6"          # robots' tokens are alphanumeric
SLACK = ("T1JJ3T3L2", "A1BRTD4JD", "TIiajkdnlazkcOXrIdevi7")


def message():
    problems = [
        Problem("listing_failed", True, "Listings that failed: 1",
                "Open the listing URL: if the column moved, update listing_url in the registry.",
                ["gd-sz-cgj (深圳市城管局) http://127.0.0.1/gone/index.html: listing failed: HTTP 404"]),
        Problem("quarantined", False, "Facts quarantined: 1", "Check the quote in the report.",
                ["某县司法局 | cases_handled = -3 件 | \"-3件\" | facts.value_nonnegative: value >= 0: value=-3 not in [0, None]"]),
    ]
    return build_message("night-1", problems, {"facts_loaded": 10},
                         {"Run page": "/nonexistent/runs/night-1.html", "Docs": "https://example.org/runs/night-1"})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- SMTP ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def cert(tmp_path_factory) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    import ipaddress
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    crt = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
           .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
           .not_valid_after(now + dt.timedelta(days=1))
           .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
           .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
           .sign(key, hashes.SHA256()))
    d = tmp_path_factory.mktemp("tls")
    (d / "crt.pem").write_bytes(crt.public_bytes(serialization.Encoding.PEM))
    (d / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                  serialization.NoEncryption()))
    return d / "crt.pem", d / "key.pem"


class MailBox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], email.message.EmailMessage, bool, str]] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), msg, session.ssl is not None,
                              session.authenticated and session.auth_data.login.decode()))
        return "250 OK"


def _auth(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == b"etl" and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False, auth_data=auth_data)


@pytest.fixture
def smtp(cert) -> Iterator[tuple[MailBox, int]]:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(str(cert[0]), str(cert[1]))
    box, port = MailBox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port, tls_context=ctx, require_starttls=True,
                            authenticator=_auth, auth_require_tls=True)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


def mail_url(port: int, password: str = PASSWORD, to: str = "data-team@example.org,oncall@example.org") -> str:
    return f"mailtos://etl:{password}@127.0.0.1:{port}?to={to}&from=fzzf-etl@localhost&mode=starttls"


def test_smtp_starttls_and_login(smtp, cert, caplog, monkeypatch) -> None:
    box, port = smtp
    monkeypatch.setenv("SSL_CERT_FILE", str(cert[0]))      # the relay's CA (Apprise verifies it)
    with caplog.at_level(logging.DEBUG):
        sent = deliver(message(), Channels((mail_url(port),)))
    assert sent.delivered == ["smtp"] and sent.ok
    assert sorted(r for rcpt, *_ in box.messages for r in rcpt) == ["data-team@example.org", "oncall@example.org"]
    for rcpt, msg, over_tls, login in box.messages:
        assert over_tls and login == "etl"
        assert msg["Subject"].startswith("[fzzf-etl] run night-1: FAILED: Listings that failed")
        body = msg.get_body(("plain",)).get_content()
        assert "HTTP 404" in body and "What to do: Open the listing URL" in body and "value=-3" in body
        assert "https://example.org/runs/night-1" in body and "/nonexistent/" not in body   # only links that exist
    assert PASSWORD not in caplog.text


def test_smtp_with_an_untrusted_certificate_is_not_delivered(smtp, caplog) -> None:
    box, port = smtp                      # no SSL_CERT_FILE: the self-signed relay is refused
    with caplog.at_level(logging.DEBUG):
        sent = deliver(message(), Channels((mail_url(port),), attempts=1), pause_s=0)
    assert "smtp" in sent.failed and not box.messages and PASSWORD not in caplog.text


def test_smtp_wrong_password_is_retried_then_failed_without_the_password(smtp, cert, caplog, monkeypatch) -> None:
    box, port = smtp
    monkeypatch.setenv("SSL_CERT_FILE", str(cert[0]))
    with caplog.at_level(logging.DEBUG):
        sent = deliver(message(), Channels((mail_url(port, "wrong-" + PASSWORD, "a@example.org"),), attempts=2),
                       pause_s=0)
    assert "smtp" in sent.failed and not box.messages
    assert PASSWORD not in caplog.text and PASSWORD not in sent.failed["smtp"]
    assert caplog.text.count("alert via smtp failed") == 2


# -- HTTP receivers ----------------------------------------------------------------------

class Receiver(ThreadingHTTPServer):
    """Keeps each POST; answers `status` with `reply` (a JSON body) after `fail_first` 500s."""
    daemon_threads = True

    def __init__(self, reply: dict | str | None = None, status: int = 200, fail_first: int = 0) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.reply, self.status, self.fail_first = reply, status, fail_first
        self.posts: list[dict] = []
        self.hits = 0

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - http.server API
        srv: Receiver = self.server  # type: ignore[assignment]
        srv.hits += 1
        data = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        status = 500 if srv.hits <= srv.fail_first else srv.status
        if status == 200:
            srv.posts.append({"json": json.loads(data), "ctype": self.headers.get("Content-Type"),
                              "path": urlsplit(self.path).path, "query": parse_qs(urlsplit(self.path).query)})
        reply = srv.reply
        body = reply.encode() if isinstance(reply, str) else json.dumps(reply).encode() if reply is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def receiver(request) -> Iterator[Receiver]:
    srv = Receiver(**getattr(request, "param", {}))
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()


def hook(receiver: Receiver, path: str = "/hook", query: str = "") -> str:
    """The receiver as a json:// Apprise URL."""
    return f"json://127.0.0.1:{receiver.server_address[1]}{path}" + (f"?{query}" if query else "")


def test_generic_webhook_gets_the_message_and_the_whole_record(receiver) -> None:
    sent = deliver(message(), Channels((hook(receiver, query=f"-token={TOKEN}"),)))
    assert sent.delivered == ["webhook"]
    [post] = receiver.posts
    body = post["json"]
    assert post["ctype"] == "application/json" and post["query"]["token"] == [TOKEN]
    assert body["title"].startswith("[fzzf-etl] run night-1: FAILED") and body["type"] == "failure"
    assert "What to do: Open the listing URL" in body["message"] and "HTTP 404" in body["message"]
    [att] = body["attachments"]                         # the machine-readable record rides along
    record = json.loads(base64.b64decode(att["base64"]))
    assert att["filename"] == "night-1.json" and record["run_id"] == "night-1" and record["status"] == "failed"
    assert [p["kind"] for p in record["problems"]] == ["listing_failed", "quarantined"]
    assert record["problems"][0]["red"] is True and "HTTP 404" in record["problems"][0]["lines"][0]


@pytest.mark.parametrize("receiver", [{"reply": "ok"}], indirect=True)
def test_slack_webhook(receiver, monkeypatch) -> None:
    from apprise.plugins.slack import NotifySlack
    monkeypatch.setattr(NotifySlack, "webhook_url", receiver.url("/services"))     # hooks.slack.com
    sent = deliver(message(), Channels(("https://hooks.slack.com/services/" + "/".join(SLACK),)))
    assert sent.delivered == ["slack"]
    [post] = receiver.posts
    assert post["path"] == "/services/" + "/".join(SLACK)
    shown = json.dumps(post["json"], ensure_ascii=False)
    assert "[fzzf-etl] run night-1: FAILED" in shown and "HTTP 404" in shown
    assert "**" not in shown                              # Slack bold is *one* star (Apprise's mrkdwn)


@pytest.mark.parametrize("receiver", [{"reply": {"errcode": 0, "errmsg": "ok"}}], indirect=True)
def test_dingtalk_markdown_signed_with_the_secret(receiver, monkeypatch) -> None:
    from apprise.plugins.dingtalk import NotifyDingTalk
    monkeypatch.setattr(NotifyDingTalk, "notify_url", receiver.url("/robot/send") + "?access_token={token}")
    sent = deliver(message(), Channels((f"dingtalk://{DING_SECRET}@{TOKEN}/",)))
    assert sent.delivered == ["dingtalk"]
    [post] = receiver.posts
    q = {k: v[0] for k, v in post["query"].items()}
    assert q["access_token"] == TOKEN
    expected = base64.b64encode(hmac.new(DING_SECRET.encode(), f"{q['timestamp']}\n{DING_SECRET}".encode(),
                                         hashlib.sha256).digest()).decode()
    assert q["sign"] == expected                         # the robot's 加签 check
    assert post["json"]["msgtype"] == "markdown"
    assert post["json"]["markdown"]["title"].startswith("[fzzf-etl]")
    assert "HTTP 404" in post["json"]["markdown"]["text"]


@pytest.mark.parametrize("receiver", [{"reply": {"errcode": 0, "errmsg": "ok"}}], indirect=True)
def test_wecom_bot(receiver, monkeypatch) -> None:
    from apprise.plugins.wecombot import NotifyWeComBot
    monkeypatch.setattr(NotifyWeComBot, "notify_url", receiver.url("/cgi-bin/webhook/send") + "?key={key}")
    sent = deliver(message(), Channels((f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={TOKEN}",)))
    assert sent.delivered == ["wecom"]
    [post] = receiver.posts
    assert post["query"]["key"] == [TOKEN]
    assert "HTTP 404" in post["json"]["text"]["content"]
    assert len(post["json"]["text"]["content"]) <= 2048          # cut to what the robot takes


@pytest.mark.parametrize("receiver", [{"reply": {"errcode": 310000, "errmsg": "sign not match"}}], indirect=True)
def test_robot_refusal_is_a_failed_delivery_without_the_token(receiver, caplog, monkeypatch) -> None:
    """DingTalk says no inside an HTTP 200 (errcode): not delivered, retried, reason kept."""
    from apprise.plugins.dingtalk import NotifyDingTalk
    monkeypatch.setattr(NotifyDingTalk, "notify_url", receiver.url("/robot/send") + "?access_token={token}")
    with caplog.at_level(logging.DEBUG):
        sent = deliver(message(), Channels((f"dingtalk://{DING_SECRET}@{TOKEN}/",), attempts=3), pause_s=0)
    assert "errcode 310000 sign not match" in sent.failed["dingtalk"] and receiver.hits == 3
    assert TOKEN not in caplog.text and DING_SECRET not in caplog.text
    assert TOKEN not in sent.failed["dingtalk"] and DING_SECRET not in sent.failed["dingtalk"]


@pytest.mark.parametrize("receiver", [{"reply": {"errcode": 93000, "errmsg": "invalid webhook url"}}], indirect=True)
def test_wecom_refusal_in_a_200_is_a_failed_delivery(receiver, monkeypatch) -> None:
    from apprise.plugins.wecombot import NotifyWeComBot
    monkeypatch.setattr(NotifyWeComBot, "notify_url", receiver.url("/cgi-bin/webhook/send") + "?key={key}")
    sent = deliver(message(), Channels((f"wecombot://{TOKEN}",), attempts=1), pause_s=0)
    assert "errcode 93000" in sent.failed["wecom"] and not sent.delivered


@pytest.mark.parametrize("receiver", [{"status": 403, "reply": {"errcode": 0}}], indirect=True)
def test_robot_http_error_is_a_failed_delivery(receiver, monkeypatch) -> None:
    from apprise.plugins.dingtalk import NotifyDingTalk
    monkeypatch.setattr(NotifyDingTalk, "notify_url", receiver.url("/robot/send") + "?access_token={token}")
    sent = deliver(message(), Channels((f"dingtalk://{TOKEN}",), attempts=2), pause_s=0)
    assert "403" in sent.failed["dingtalk"] and receiver.hits == 2


@pytest.mark.parametrize("receiver", [{"fail_first": 2}], indirect=True)
def test_webhook_5xx_is_retried(receiver) -> None:
    sent = deliver(message(), Channels((hook(receiver),), attempts=3), pause_s=0)
    assert sent.delivered == ["webhook"] and receiver.hits == 3


def test_dead_webhook_fails_after_retries(caplog) -> None:
    url = f"json://127.0.0.1:{free_port()}/hook?-token={TOKEN}"      # nothing listens there
    with caplog.at_level(logging.DEBUG):
        sent = deliver(message(), Channels((url,), attempts=2), pause_s=0)
    assert not sent.ok and "webhook" in sent.failed and TOKEN not in sent.failed["webhook"]
    assert TOKEN not in caplog.text


def test_a_url_apprise_cannot_use_is_a_failed_channel() -> None:
    sent = deliver(message(), Channels(("nosuchservice://x",), attempts=1), pause_s=0)
    assert list(sent.failed) == ["nosuchservice"] and not sent.delivered


def test_file_sink_writes_markdown_and_json(tmp_path) -> None:
    sent = deliver(message(), Channels(file_dir=str(tmp_path / "alerts")))
    assert sent.delivered == ["file"] and sent.file == str(tmp_path / "alerts" / "night-1.md")
    md = Path(sent.file).read_text(encoding="utf-8")
    assert "### 🔴 Listings that failed: 1" in md and "*What to do:*" in md
    assert json.loads((tmp_path / "alerts" / "night-1.json").read_text(encoding="utf-8"))["status"] == "failed"


def test_channels_from_settings_and_the_older_variables(monkeypatch, tmp_path) -> None:
    """ETL_ALERT_URLS first; the per-channel variables of before become the same Apprise URLs."""
    monkeypatch.setenv("ETL_ALERT_URLS", "slack://T1/B2/C3, json://hooks.example.org/etl")
    monkeypatch.setenv("ETL_ALERT_SMTP_HOST", "relay.example.org")
    monkeypatch.setenv("ETL_ALERT_SMTP_PORT", "not-a-port")
    monkeypatch.setenv("ETL_ALERT_SMTP_USER", "etl")
    monkeypatch.setenv("ETL_ALERT_SMTP_PASSWORD", "p@ss:word")
    monkeypatch.setenv("ETL_ALERT_MAIL_TO", "a@example.org, b@example.org")
    monkeypatch.setenv("ETL_ALERT_WEBHOOK_URL", "https://ops.example.org/hook?token=abc")
    monkeypatch.setenv("ETL_ALERT_DINGTALK_URL", "https://oapi.dingtalk.com/robot/send?access_token=abc123")
    monkeypatch.setenv("ETL_ALERT_DINGTALK_SECRET", "SECdef456")
    monkeypatch.setenv("ETL_ALERT_WECOM_URL", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k9")
    monkeypatch.setenv("ETL_ALERT_FILE_DIR", "off")
    monkeypatch.setenv("ETL_ALERT_ATTEMPTS", "2")
    ch = load_channels(load_settings(), tmp_path)
    assert ch.enabled() == ["slack", "webhook", "smtp", "webhook-2", "dingtalk", "wecom"] and ch.attempts == 2
    urls = dict(ch.named())
    assert urls["smtp"] == ("mailtos://etl:p%40ss%3Aword@relay.example.org:587?to=a@example.org,b@example.org"
                            "&from=fzzf-etl@localhost&smtp=relay.example.org&mode=starttls")
    assert urls["webhook-2"] == "jsons://ops.example.org/hook?-token=abc"
    assert urls["dingtalk"] == "dingtalk://SECdef456@abc123" and urls["wecom"] == "wecombot://k9"
    import apprise
    for name, url in ch.named():                              # every one is a URL Apprise takes
        assert apprise.Apprise.instantiate(url) is not None, name
    mail = apprise.Apprise.instantiate(urls["smtp"])
    assert (mail.user, mail.password, mail.port, mail.secure_mode) == ("etl", "p@ss:word", 587, "starttls")
    monkeypatch.delenv("ETL_ALERT_FILE_DIR")
    assert load_channels(load_settings(), tmp_path).enabled()[-1] == "file"


# -- the one verdict, the counts, the rows ---------------------------------------------------

def test_verdict_levels_follow_the_one_table() -> None:
    from etl.notify.verdict import GREEN, LOOK, RED, verdict_of
    look = Problem("quarantined", False, "Facts quarantined: 1", "look", ["x"])
    lost = Problem("documents_failed", False, "Listed reports lost tonight: 1", "open", ["u"])
    assert verdict_of("r", []).level == GREEN
    assert verdict_of("r", [look]).level == LOOK and verdict_of("r", [look]).state == "success"
    v = verdict_of("r", [look, lost])                  # a lost report is red whatever its flag says
    assert v.level == RED and v.state == "failed" and v.kinds == ["documents_failed", "quarantined"]
    assert verdict_of("r", [], alert=None).level == RED                       # nobody told
    assert verdict_of("r", [], alert={"failed": {"smtp": "refused"}}).kinds == ["alert_undelivered"]
    assert verdict_of("r", [Problem("some_new_kind", False, "t", "a")]).level == RED   # unknown: never green
    msg = build_message("r", [look])
    assert msg.verdict == LOOK and not msg.red and "needs a look" in msg.subject


def test_readme_table_lists_every_kind_at_its_level() -> None:
    """The README's table of what is red / needs a look / green is SEVERITY, kind by kind."""
    import re
    from etl.notify.verdict import SEVERITY
    from etl.settings import ROOT
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = {}
    for level in ("red", "needs a look"):
        row = re.search(rf"^\s*\| {level} \|(.*)\|\s*$", readme, re.M)
        assert row, level
        table.update({k: level for k in re.findall(r"`([a-z_]+)`", row.group(1)) if k in SEVERITY or "_" in k})
    assert table == {k: lvl for k, (lvl, _) in SEVERITY.items()}


def _staging(settings) -> None:
    """A run's store: a dead listing, a document failing at fetch and again at parse (one
    URL), a fact failing two expectations, a warned fact, a disclosure report failing two
    consistency checks (and one whose check could not be evaluated: not listed)."""
    import pandas as pd
    from etl.records import ErrorRow
    from etl.runstore import (COUNTS, DISCLOSURE_CHECKS, DISCLOSURE_REPORTS, DQ_QUARANTINE, DQ_WARNINGS, ERRORS,
                              VALIDATION, RunStore)
    run = RunStore(settings, "night-2")
    run.write(ERRORS, "s1", [ErrorRow("s1", "http://x/list.html", "listing", "HTTP 404"),
                             ErrorRow("s1", "http://x/a.html", "fetch", "HTTP 500"),
                             ErrorRow("s1", "http://x/a.html", "parse", "broken PDF"),
                             ErrorRow("s2", "http://x/b.pdf", "fetch", "over 50 MB", kind="too-large")])
    run.put(VALIDATION, {})
    run.put(COUNTS, {})
    fact = {"kind": "fact", "row_id": "d1-0001", "doc_id": "d1", "url": "http://x/c.html", "agency": "某县司法局",
            "metric": "rates_pct", "value": 250.0, "unit": "%", "quote": "达250%"}
    run.put_frame(DQ_QUARANTINE, pd.DataFrame([
        {**fact, "expectation": "facts.pct_rate_range", "reason": "value=250 not in [0, 100]"},
        {**fact, "expectation": "facts.range_rates_pct", "reason": "value=250 not in [0, 100]"}]))
    run.put_frame(DQ_WARNINGS, pd.DataFrame([
        {**fact, "row_id": "d1-0002", "metric": "units_inspected", "value": 1300.0, "unit": "户", "quote": "1300户",
         "expectation": "facts.yoy_anomaly", "reason": "yoy_ratio=10.833333333333334 not in [0.1, 10]"}]))
    run.put_frame(DISCLOSURE_CHECKS, pd.DataFrame([
        {"doc_id": "g1", "check": "c", "status": "failed", "describe": "total: 3 != 2"},
        {"doc_id": "g1", "check": "d", "status": "failed", "describe": "withheld: 5 != 4"},
        {"doc_id": "g2", "check": "c", "status": "not_evaluated", "describe": "total: unread"}]))
    run.put_frame(DISCLOSURE_REPORTS, pd.DataFrame([
        {"doc_id": "g1", "source_id": "s3", "url": "http://x/g.html", "agency": "某市应急管理局", "report_year": 2024},
        {"doc_id": "g2", "source_id": "s3", "url": "http://x/g2.html", "agency": "某市应急管理局", "report_year": 2023}]))


def test_alert_counts_are_the_rows_it_lists(tmp_path, monkeypatch) -> None:
    from etl.notify import run_problems
    from etl.notify.verdict import RED, run_verdict
    from etl.pipeline.load import run_counts
    from etl.runstore import ERRORS, RunStore
    from etl.settings import load_settings
    monkeypatch.setenv("ETL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ETL_WAREHOUSE", str(tmp_path / "wh.duckdb"))
    settings = load_settings()
    _staging(load_settings())
    problems = {p.kind: p for p in run_problems(settings, "night-2")}
    lost = problems["documents_failed"]
    assert lost.red and lost.title.endswith(": 2") and len(lost.lines) == 2          # one line per URL
    assert any("[fetch: too-large]" in line for line in lost.lines)
    counts = run_counts(settings, "night-2", RunStore(settings, "night-2").frame(ERRORS), {})
    assert counts["documents_failed"] == 2                     # the listing is not a document
    q = problems["quarantined"]
    assert q.title.startswith("Facts quarantined: 1") and len(q.lines) == 1
    assert "facts.pct_rate_range" in q.lines[0] and "facts.range_rates_pct" in q.lines[0]
    w = problems["anomalies"].lines[0]
    assert "yoy_ratio=10.83 " in w and "10.833" not in w and "= 1300 户" in w
    [g] = problems["disclosure_quarantined"].lines
    assert g.startswith("某市应急管理局 | 2024 |") and "3 != 2" in g and "5 != 4" in g and not g.startswith("-")
    v = run_verdict(settings, "night-2")
    assert v.level == RED and v.kinds[:2] == ["listing_failed", "documents_failed"]


def test_alert_task_links_its_own_offline_page(tmp_path, monkeypatch) -> None:
    from etl.pipeline.alert import alert_task
    from etl.settings import load_settings
    monkeypatch.setenv("ETL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ETL_WAREHOUSE", str(tmp_path / "wh.duckdb"))
    for k in ("ETL_ALERT_URLS", "ETL_ALERT_WEBHOOK_URL", "ETL_ALERT_SMTP_HOST", "ETL_ALERT_SLACK_URL", "ETL_REPORT_HTML"):
        monkeypatch.delenv(k, raising=False)
    _staging(load_settings())
    out = alert_task("night-2", load_settings())
    assert out["verdict"] == "red"
    page = Path(out["page"])
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html and "http" not in html.split("<body")[0].split("<style>")[0]   # nothing to fetch
    assert "Listed reports lost tonight" in html and "facts.range_rates_pct" in html
    md = Path(out["file"]).read_text(encoding="utf-8")
    links = [line.split(": ", 1)[1] for line in md.splitlines() if line.startswith(("Run page", "Comparison report"))]
    assert links == [str(page)] and all(Path(x).exists() for x in links)
    assert "dq_docs" not in md


def test_a_typo_in_the_runs_sources_param_gets_a_did_you_mean(tmp_path, monkeypatch) -> None:
    from etl.notify import run_problems
    from etl.pipeline.plan import plan
    from etl.settings import load_settings
    monkeypatch.setenv("ETL_DATA_DIR", str(tmp_path))
    settings = load_settings()
    shards = plan(settings, "night-3", {"sources": ["hb-stf", "hb-sft"]})
    assert [s for shard in shards for s in shard] == ["hb-sft"]
    [p] = [p for p in run_problems(settings, "night-3") if p.kind == "registry_problem"]
    assert "'hb-stf'" in p.lines[0] and "did you mean 'hb-sft'" in p.lines[0] and p.red


def test_an_undelivered_alert_is_recorded_and_turns_the_night_red(tmp_path, monkeypatch) -> None:
    """The alert task through Apprise: a webhook that takes the message and one where nothing
    listens; the dead one is in alert.json, the task fails, and the verdict is red for it."""
    from etl.pipeline.alert import AlertUndelivered, alert_task
    from etl.pipeline.finish import verdict
    live = Receiver()
    threading.Thread(target=live.serve_forever, daemon=True).start()
    try:
        monkeypatch.setenv("ETL_DATA_DIR", str(tmp_path))
        monkeypatch.setenv("ETL_WAREHOUSE", str(tmp_path / "wh.duckdb"))
        monkeypatch.setenv("ETL_ALERT_URLS", f"{hook(live)} json://127.0.0.1:{free_port()}/dead?-token={TOKEN}")
        monkeypatch.setenv("ETL_ALERT_ATTEMPTS", "1")
        _staging(load_settings())
        with pytest.raises(AlertUndelivered):
            alert_task("night-2", load_settings())
    finally:
        live.shutdown()
        live.server_close()
    [post] = live.posts
    assert post["json"]["title"].startswith("[fzzf-etl] run night-2: FAILED")
    from etl.runstore import ALERT, RunStore
    record = RunStore(load_settings(), "night-2").get(ALERT)
    assert record["delivered"] == ["webhook", "file"] and list(record["failed"]) == ["webhook-2"]
    assert TOKEN not in json.dumps(record)
    v = verdict(load_settings(), "night-2")
    assert v["verdict"] == "red" and "alert_undelivered" in v["kinds"]
    assert any("Alert not delivered via webhook-2" in r for r in v["reasons"])


def test_urls_from_the_apprise_providers_connection(monkeypatch, tmp_path) -> None:
    """In Airflow, the connection Airflow's apprise provider reads (apprise_default) adds its URLs."""
    monkeypatch.setenv("AIRFLOW_CONN_APPRISE_DEFAULT", json.dumps(
        {"conn_type": "apprise", "extra": {"config": [{"path": "json://hooks.example.org/a", "tag": "etl"},
                                                      {"path": "dingtalk://tok123"}]}}))
    monkeypatch.setenv("ETL_ALERT_URLS", "json://hooks.example.org/a")
    monkeypatch.setenv("ETL_ALERT_FILE_DIR", "off")
    ch = load_channels(load_settings(), tmp_path)
    assert ch.urls == ("json://hooks.example.org/a", "dingtalk://tok123")      # once each


def test_a_task_failure_goes_to_the_same_apprise_channels(receiver, tmp_path, monkeypatch) -> None:
    from types import SimpleNamespace
    from etl.notify.task_failure import notify_task_failure
    monkeypatch.setenv("ETL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ETL_ALERT_URLS", hook(receiver))
    ti = SimpleNamespace(task_id="load", run_id="night-5", try_number=2, log_url="")
    sent = notify_task_failure({"task_instance": ti, "run_id": "night-5", "dag": SimpleNamespace(dag_id="nightly_reports"),
                                "exception": RuntimeError(f"boom with https://x.example.org/p?token={TOKEN}")})
    assert sent == ["webhook", "file"]
    [post] = receiver.posts
    assert post["json"]["title"] == "[fzzf-etl] nightly_reports run night-5: task load failed"
    assert "boom" in post["json"]["message"] and TOKEN not in post["json"]["message"]
    assert (tmp_path / "alerts" / "night-5.load.md").exists()


def test_redact_hides_every_secret_of_every_url_and_nothing_else() -> None:
    from etl.notify.config import redact
    ch = Channels((f"dingtalk://{DING_SECRET}@{TOKEN}/", f"mailtos://etl:{PASSWORD}@relay.example.org?to=a@example.org",
                   f"json://127.0.0.1:9/hook?-token={TOKEN}x"))
    said = (f"refused {TOKEN} signed {DING_SECRET} login etl:{PASSWORD} at relay.example.org for a@example.org "
            f"via starttls, token {TOKEN}x")
    out = redact(said, ch)
    assert TOKEN not in out and DING_SECRET not in out and PASSWORD not in out
    assert "relay.example.org" in out and "a@example.org" in out and "starttls" in out
