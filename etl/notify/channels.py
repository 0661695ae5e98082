"""One function per channel, each in the format its tool understands. Each raises on a
failed delivery (the caller retries and records it); none logs a secret."""
from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import smtplib
import ssl
import time
import urllib.parse
from contextlib import contextmanager
from email.message import EmailMessage
from pathlib import Path

import httpx

from .config import Channels, safe_url
from .message import Message

TIMEOUT_S = 10.0
CHAT_CHARS = 3800          # DingTalk/WeCom markdown limits are ~4-5k bytes; keep the head


class DeliveryError(RuntimeError):
    pass


def _clip(text: str, n: int = CHAT_CHARS) -> str:
    return text if len(text) <= n else text[: n - 40] + "\n\n… (truncated; full message in the file sink)"


def send_smtp(msg: Message, ch: Channels, tls: ssl.SSLContext | None = None) -> None:
    """SMTP submission: STARTTLS when the server offers it (required when ETL_ALERT_SMTP_STARTTLS
    is on and a login is configured), then LOGIN/PLAIN, then the message (utf-8)."""
    mail = EmailMessage()
    mail["Subject"], mail["From"], mail["To"] = msg.subject, ch.mail_from, ", ".join(ch.mail_to)
    mail.set_content(msg.text)
    with smtplib.SMTP(ch.smtp_host, ch.smtp_port, timeout=TIMEOUT_S) as smtp:
        smtp.ehlo()
        if ch.smtp_starttls:
            if not smtp.has_extn("starttls"):
                if ch.smtp_user:
                    raise DeliveryError("SMTP server offers no STARTTLS: refusing to send the login in clear")
            else:
                smtp.starttls(context=tls or ssl.create_default_context(cafile=ch.smtp_cafile or None))
                smtp.ehlo()
        if ch.smtp_user:
            smtp.login(ch.smtp_user, ch.smtp_password)
        smtp.send_message(mail)


@contextmanager
def _quiet_http():
    """httpx logs every request URL at INFO, robot tokens and signatures included: not here."""
    loggers = [logging.getLogger(n) for n in ("httpx", "httpcore")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for lg, lvl in zip(loggers, levels):
            lg.setLevel(lvl)


def _post(url: str, payload: dict, check=None) -> None:
    with _quiet_http():
        try:
            r = httpx.post(url, json=payload, timeout=TIMEOUT_S)
            r.raise_for_status()
        except httpx.HTTPStatusError as e:     # its text carries the URL: say only the status
            raise DeliveryError(f"HTTP {e.response.status_code} from {safe_url(url)}") from None
        except httpx.TransportError as e:
            raise DeliveryError(f"{type(e).__name__} posting to {safe_url(url)}") from None
    if check:
        check(r)


def send_webhook(msg: Message, ch: Channels) -> None:
    """Generic JSON: the whole message, machine-readable (problems with their rows)."""
    _post(ch.webhook_url, msg.as_json())


def send_slack(msg: Message, ch: Channels) -> None:
    """Slack incoming webhook: `text` (fallback) + mrkdwn blocks."""
    body = _clip(msg.markdown.replace("**", "*").replace("### ", "*"), 2900)
    _post(ch.slack_url, {"text": msg.subject, "blocks": [
        {"type": "header", "text": {"type": "plain_text", "text": msg.subject[:150]}},
        {"type": "section", "text": {"type": "mrkdwn", "text": body}}]})


def _robot_ok(r: httpx.Response) -> None:
    """DingTalk and WeCom answer 200 with {"errcode": n, "errmsg": ...}: 0 is delivered."""
    try:
        data = r.json()
    except ValueError as e:
        raise DeliveryError(f"robot answered no JSON (HTTP {r.status_code})") from e
    if data.get("errcode", 0) != 0:
        raise DeliveryError(f"robot refused the message: errcode {data.get('errcode')} {data.get('errmsg', '')}")


def dingtalk_signed_url(url: str, secret: str, now_ms: int | None = None) -> str:
    """DingTalk's 加签: timestamp + HMAC-SHA256(secret, f"{timestamp}\\n{secret}"), base64, urlencoded."""
    ts = str(now_ms if now_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode("utf-8"), f"{ts}\n{secret}".encode("utf-8"), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    return f"{url}{'&' if '?' in url else '?'}timestamp={ts}&sign={sign}"


def send_dingtalk(msg: Message, ch: Channels) -> None:
    url = dingtalk_signed_url(ch.dingtalk_url, ch.dingtalk_secret) if ch.dingtalk_secret else ch.dingtalk_url
    _post(url, {"msgtype": "markdown", "markdown": {"title": msg.subject[:60], "text": _clip(msg.markdown)}},
          _robot_ok)


def send_wecom(msg: Message, ch: Channels) -> None:
    _post(ch.wecom_url, {"msgtype": "markdown", "markdown": {"content": _clip(msg.markdown)}}, _robot_ok)


def send_file(msg: Message, ch: Channels) -> Path:
    """The file sink: <dir>/<run_id>.md (what a person reads) and .json (the same, for tools)."""
    from ..pipeline.staging import write_json, atomic_write
    d = Path(ch.file_dir)
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in msg.run_id)
    md = d / f"{safe}.md"
    atomic_write(md, lambda tmp: tmp.write_text(msg.markdown, encoding="utf-8"))
    write_json(d / f"{safe}.json", msg.as_json(), indent=1)
    return md


SENDERS = {"smtp": send_smtp, "webhook": send_webhook, "slack": send_slack,
           "dingtalk": send_dingtalk, "wecom": send_wecom, "file": send_file}
