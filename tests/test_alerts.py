"""Every alert channel against a real receiver on loopback, in that tool's own format:
SMTP with STARTTLS and login (aiosmtpd), the generic JSON webhook, Slack, DingTalk (signed)
and WeCom robots, and the file sink. Failed deliveries are retried, then reported, and no
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
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from etl.notify import Problem, build_message, deliver
from etl.notify.config import Channels, load_channels

PASSWORD = "s3cret-relay-pass"
DING_SECRET = "SEC0123456789abcdef0123456789abcdef"
TOKEN = "robot-token-7f3a9c2e51d4b8a6"


def message():
    problems = [
        Problem("listing_failed", True, "Listings that failed: 1",
                "Open the listing URL: if the column moved, update listing_url in the registry.",
                ["gd-sz-cgj (深圳市城管局) http://127.0.0.1/gone/index.html: listing failed: HTTP 404"]),
        Problem("quarantined", False, "Facts quarantined: 1", "Check the quote in the report.",
                ["某县司法局 | cases_handled = -3 件 | \"-3件\" | facts.value_nonnegative: value >= 0: value=-3 not in [0, None]"]),
    ]
    return build_message("night-1", problems, {"facts_loaded": 10}, "/data/dq_docs/night-1/index.html")


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


def test_smtp_starttls_and_login(smtp, cert, caplog) -> None:
    box, port = smtp
    ch = Channels(smtp_host="127.0.0.1", smtp_port=port, smtp_user="etl", smtp_password=PASSWORD,
                  smtp_cafile=str(cert[0]), mail_to=["data-team@example.org", "oncall@example.org"])
    with caplog.at_level(logging.DEBUG):
        sent = deliver(message(), ch)
    assert sent.delivered == ["smtp"] and sent.ok
    [(rcpt, msg, over_tls, login)] = box.messages
    assert over_tls and login == "etl"
    assert rcpt == ["data-team@example.org", "oncall@example.org"]
    assert msg["Subject"].startswith("[fzzf-etl] run night-1: FAILED: Listings that failed")
    body = msg.get_content()
    assert "HTTP 404" in body and "What to do: Open the listing URL" in body and "value=-3" in body
    assert "dq_docs/night-1/index.html" in body
    assert PASSWORD not in caplog.text


def test_smtp_wrong_password_is_retried_then_failed_without_the_password(smtp, cert, caplog) -> None:
    box, port = smtp
    ch = Channels(smtp_host="127.0.0.1", smtp_port=port, smtp_user="etl", smtp_password="wrong-" + PASSWORD,
                  smtp_cafile=str(cert[0]), mail_to=["a@example.org"], attempts=2)
    with caplog.at_level(logging.DEBUG):
        sent = deliver(message(), ch, pause_s=0)
    assert "smtp" in sent.failed and not box.messages
    assert PASSWORD not in caplog.text and PASSWORD not in sent.failed["smtp"]
    assert caplog.text.count("alert via smtp failed") == 2


# -- HTTP receivers ----------------------------------------------------------------------

class Receiver(ThreadingHTTPServer):
    """Keeps each POST; answers `status` with `reply` (a JSON body) after `fail_first` 500s."""
    daemon_threads = True

    def __init__(self, reply: dict | None = None, status: int = 200, fail_first: int = 0) -> None:
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
        body = json.dumps(srv.reply).encode() if srv.reply is not None else b""
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


def test_generic_webhook_gets_the_whole_message_as_json(receiver) -> None:
    sent = deliver(message(), Channels(webhook_url=receiver.url()))
    assert sent.delivered == ["webhook"]
    [post] = receiver.posts
    body = post["json"]
    assert post["ctype"] == "application/json"
    assert body["run_id"] == "night-1" and body["status"] == "failed"
    assert [p["kind"] for p in body["problems"]] == ["listing_failed", "quarantined"]
    assert body["problems"][0]["red"] is True and "HTTP 404" in body["problems"][0]["lines"][0]


def test_slack_blocks(receiver) -> None:
    sent = deliver(message(), Channels(slack_url=receiver.url("/services/T000/B000/" + TOKEN)))
    assert sent.delivered == ["slack"]
    body = receiver.posts[0]["json"]
    assert body["text"].startswith("[fzzf-etl] run night-1: FAILED")
    header, section = body["blocks"]
    assert header["type"] == "header" and header["text"]["type"] == "plain_text"
    assert section["text"]["type"] == "mrkdwn" and "HTTP 404" in section["text"]["text"]
    assert "**" not in section["text"]["text"]          # Slack bold is *one* star


@pytest.mark.parametrize("receiver", [{"reply": {"errcode": 0, "errmsg": "ok"}}], indirect=True)
def test_dingtalk_markdown_signed_with_the_secret(receiver) -> None:
    url = receiver.url("/robot/send") + f"?access_token={TOKEN}"
    sent = deliver(message(), Channels(dingtalk_url=url, dingtalk_secret=DING_SECRET))
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
def test_wecom_markdown(receiver) -> None:
    sent = deliver(message(), Channels(wecom_url=receiver.url("/cgi-bin/webhook/send") + f"?key={TOKEN}"))
    assert sent.delivered == ["wecom"]
    [post] = receiver.posts
    assert post["query"]["key"] == [TOKEN]
    assert post["json"]["msgtype"] == "markdown" and "HTTP 404" in post["json"]["markdown"]["content"]


@pytest.mark.parametrize("receiver", [{"reply": {"errcode": 310000, "errmsg": "sign not match"}}], indirect=True)
def test_robot_refusal_is_a_failed_delivery_without_the_token(receiver, caplog) -> None:
    url = receiver.url("/robot/send") + f"?access_token={TOKEN}"
    with caplog.at_level(logging.DEBUG):
        sent = deliver(message(), Channels(dingtalk_url=url, dingtalk_secret=DING_SECRET, attempts=3), pause_s=0)
    assert "310000" in sent.failed["dingtalk"] and receiver.hits == 3
    assert TOKEN not in caplog.text and DING_SECRET not in caplog.text and TOKEN not in sent.failed["dingtalk"]


@pytest.mark.parametrize("receiver", [{"fail_first": 2}], indirect=True)
def test_webhook_5xx_is_retried(receiver) -> None:
    sent = deliver(message(), Channels(webhook_url=receiver.url(), attempts=3), pause_s=0)
    assert sent.delivered == ["webhook"] and receiver.hits == 3


def test_dead_webhook_fails_after_retries() -> None:
    url = f"http://127.0.0.1:{free_port()}/hook?token={TOKEN}"      # nothing listens there
    sent = deliver(message(), Channels(webhook_url=url, attempts=2), pause_s=0)
    assert not sent.ok and "webhook" in sent.failed and TOKEN not in sent.failed["webhook"]


def test_file_sink_writes_markdown_and_json(tmp_path) -> None:
    sent = deliver(message(), Channels(file_dir=str(tmp_path / "alerts")))
    assert sent.delivered == ["file"] and sent.file == str(tmp_path / "alerts" / "night-1.md")
    md = Path(sent.file).read_text(encoding="utf-8")
    assert "### 🔴 Listings that failed: 1" in md and "*What to do:*" in md
    assert json.loads((tmp_path / "alerts" / "night-1.json").read_text(encoding="utf-8"))["status"] == "failed"


def test_channels_from_the_environment(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("ETL_ALERT_SMTP_HOST", "relay.example.org")
    monkeypatch.setenv("ETL_ALERT_SMTP_PORT", "not-a-port")
    monkeypatch.setenv("ETL_ALERT_MAIL_TO", "a@example.org, b@example.org")
    monkeypatch.setenv("ETL_ALERT_DINGTALK_URL", "https://oapi.example/robot/send?access_token=x")
    monkeypatch.setenv("ETL_ALERT_FILE_DIR", "off")
    ch = load_channels(tmp_path)
    assert ch.smtp_port == 587 and ch.mail_to == ["a@example.org", "b@example.org"]
    assert ch.enabled() == ["smtp", "dingtalk"]
    assert replace(ch, file_dir=str(tmp_path)).enabled()[-1] == "file"
