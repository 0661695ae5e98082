"""Alerts delivered to a real SMTP server and a real HTTP receiver on 127.0.0.1."""
from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator

import pandas as pd
import pytest
from aiosmtpd.controller import Controller

from etl.alerts import AlertSettings, format_quality_alert, send_alert


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MailBox:
    """aiosmtpd handler that keeps what it receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), msg))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[MailBox, int]]:
    box, port = MailBox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


class Receiver(ThreadingHTTPServer):
    """Webhook receiver; answers 500 to the first `fail_first` posts to exercise retries."""
    daemon_threads = True

    def __init__(self, fail_first: int = 0) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fail_first = fail_first
        self.posts: list[dict] = []
        self.hits = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hook"


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - http.server API
        server: Receiver = self.server  # type: ignore[assignment]
        server.hits += 1
        data = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if server.hits <= server.fail_first:
            self.send_response(500)
        else:
            server.posts.append({"json": json.loads(data), "ctype": self.headers.get("Content-Type"),
                                 "path": self.path})
            self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:  # keep pytest output clean
        pass


def _serve(fail_first: int = 0) -> Iterator[Receiver]:
    server = Receiver(fail_first)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def hook() -> Iterator[Receiver]:
    yield from _serve()


@pytest.fixture
def flaky_hook() -> Iterator[Receiver]:
    yield from _serve(fail_first=1)


def _wait(pred, timeout: float = 5.0) -> None:
    end = time.monotonic() + timeout
    while not pred() and time.monotonic() < end:
        time.sleep(0.02)


SUMMARY = {
    "suite": "facts", "n_rows": 120, "n_passed": 117, "n_quarantined": 3, "success": False,
    "failed_expectations": [
        {"type": "expect_column_values_to_be_between", "column": "value", "description": "percentage between 0 and 1000", "unexpected_count": 1},
        {"type": "expect_column_values_to_be_in_set", "column": "category", "description": "category is one of CATEGORIES.md", "unexpected_count": 2},
    ],
    "table_level_failures": [
        {"type": "expect_column_values_to_be_unique", "column": "fact_id", "description": "fact_id is unique", "unexpected_count": 2},
    ],
}
QUARANTINED = pd.DataFrame([
    {"fact_id": "a", "doc": "003", "quote": "同比增长150000%", "value": 150000.0, "unit": "%", "reasons": "percentage between 0 and 1000"},
    {"fact_id": "b", "doc": "005", "quote": "宣传资料3000余份", "value": 3000.0, "unit": "份", "reasons": "category is one of CATEGORIES.md"},
    {"fact_id": "c", "doc": "005", "quote": "检查" * 100, "value": 7.0, "unit": "次", "reasons": "category is one of CATEGORIES.md"},
])


def test_format_quality_alert() -> None:
    subject, body = format_quality_alert(SUMMARY, QUARANTINED, "scheduled__2025-01-01")
    assert "3 of 120 facts quarantined" in subject and "scheduled__2025-01-01" in subject
    assert "1 table-level failure" in subject
    # most frequent failure first
    assert body.index("category is one of CATEGORIES.md [category]: 2") < body.index("percentage between 0 and 1000 [value]: 1")
    assert "fact_id is unique [fact_id]: 2" in body
    assert 'doc=003 quote="同比增长150000%" value=150000.0 unit=%' in body
    assert "reasons: percentage between 0 and 1000" in body
    assert "检查" * 100 not in body  # long quotes are cut


def test_format_clean_run() -> None:
    summary = {"suite": "facts", "n_rows": 5, "n_passed": 5, "n_quarantined": 0, "success": True,
               "failed_expectations": [], "table_level_failures": []}
    subject, body = format_quality_alert(summary, pd.DataFrame(), "r1")
    assert "0 of 5" in subject and "Examples" not in body


def test_send_alert_over_smtp_and_webhook(smtp: tuple[MailBox, int], hook: Receiver) -> None:
    box, port = smtp
    settings = AlertSettings(smtp_host="127.0.0.1", smtp_port=port, mail_from="etl@example.org",
                             mail_to=["data@example.org", "lead@example.org"], webhook_url=hook.url)
    subject, body = format_quality_alert(SUMMARY, QUARANTINED, "run-42")

    assert send_alert(subject, body, settings) == ["smtp", "webhook"]

    _wait(lambda: box.messages)
    [(rcpts, msg)] = box.messages
    assert rcpts == ["data@example.org", "lead@example.org"]
    assert msg["Subject"] == subject and msg["From"] == "etl@example.org"
    received = msg.get_content().replace("\r\n", "\n")  # SMTP lines end in CRLF
    assert received.rstrip("\n") == body.rstrip("\n")  # Chinese survives the trip
    [post] = hook.posts
    assert post["json"] == {"subject": subject, "body": body}
    assert post["ctype"] == "application/json" and post["path"] == "/hook"


def test_webhook_is_retried(flaky_hook: Receiver) -> None:
    assert send_alert("s", "b", AlertSettings(webhook_url=flaky_hook.url)) == ["webhook"]
    assert flaky_hook.hits == 2 and flaky_hook.posts[0]["json"] == {"subject": "s", "body": "b"}


def test_dead_ports_give_empty_list_without_raising() -> None:
    port = free_port()  # nothing listens there
    settings = AlertSettings(smtp_host="127.0.0.1", smtp_port=port, mail_to=["x@example.org"],
                             webhook_url=f"http://127.0.0.1:{port}/hook")
    t = time.monotonic()
    assert send_alert("s", "b", settings) == []
    assert time.monotonic() - t < 10  # short timeouts, few retries


def test_one_channel_down_other_delivers(hook: Receiver) -> None:
    settings = AlertSettings(smtp_host="127.0.0.1", smtp_port=free_port(), mail_to=["x@example.org"],
                             webhook_url=hook.url)
    assert send_alert("s", "b", settings) == ["webhook"]


def test_no_channel_configured() -> None:
    assert send_alert("s", "b", AlertSettings()) == []


def test_settings_from_env(monkeypatch: pytest.MonkeyPatch, smtp: tuple[MailBox, int]) -> None:
    box, port = smtp
    monkeypatch.setenv("ETL_ALERT_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("ETL_ALERT_SMTP_PORT", str(port))
    monkeypatch.setenv("ETL_ALERT_MAIL_FROM", "etl@example.org")
    monkeypatch.setenv("ETL_ALERT_MAIL_TO", " a@example.org, b@example.org ,")
    monkeypatch.setenv("ETL_ALERT_WEBHOOK_URL", "")
    s = AlertSettings.from_env()
    assert (s.smtp_host, s.smtp_port, s.mail_to, s.webhook_url) == ("127.0.0.1", port, ["a@example.org", "b@example.org"], "")
    assert send_alert("from env", "body") == ["smtp"]  # settings=None reads the environment
    _wait(lambda: box.messages)
    assert box.messages[0][1]["Subject"] == "from env"


def test_bad_port_in_env_does_not_raise(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ETL_ALERT_SMTP_PORT", "twenty-five")
    assert AlertSettings.from_env().smtp_port == 25
