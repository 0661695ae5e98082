"""The two ways a message leaves: Apprise (every service, one URL each) and the file sink.
Each raises DeliveryError on a failed delivery (the caller retries and records it), with
Apprise's own reason; nothing here logs a secret."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from .message import Message

MAIL_OR_HOOK = ("mailto", "mailtos", "json", "jsons")   # plain text; the rest read Markdown


class DeliveryError(RuntimeError):
    pass


@contextmanager
def _quiet():
    """Apprise logs the request URL at DEBUG (robot tokens, signatures); so do urllib3 and
    requests: nothing below WARNING from them while a message goes out."""
    loggers = [logging.getLogger(n) for n in ("apprise", "urllib3", "requests")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for lg, lvl in zip(loggers, levels):
            lg.setLevel(lvl)


def _signed_dingtalk() -> None:
    """Apprise 2.3.0 url-quotes DingTalk's 加签 signature and then hands it to requests as a
    query parameter, which quotes it again: DingTalk answers "sign not match" (310000). The
    same plugin with the signature quoted once (by requests), registered for dingtalk://."""
    from apprise.manager_plugins import NotificationManager
    from apprise.plugins.dingtalk import NotifyDingTalk
    if getattr(NotificationManager()["dingtalk"], "signs_once", False):
        return

    class SignedOnce(NotifyDingTalk):
        signs_once = True

        def get_signature(self):
            ts = str(round(time.time() * 1000))
            digest = hmac.new(self.secret.encode(), f"{ts}\n{self.secret}".encode(), hashlib.sha256).digest()
            return ts, base64.b64encode(digest).decode()

    NotificationManager().add(SignedOnce, schemas=["dingtalk"], force=True)


class _RobotAnswers:
    """The `requests` of Apprise's DingTalk and WeCom plugins, reading each answer: the robots
    refuse (bad signature, keyword rule, IP allow-list, rate limit) with an `errcode` inside
    an HTTP 200, and Apprise 2.3.0 reads only the status. A refusal becomes a 4xx answer the
    plugin reports as failed, with the robot's reason logged where Apprise logs."""

    def __init__(self, real) -> None:
        self._real = real

    def __getattr__(self, name: str):
        return getattr(self._real, name)

    def post(self, *args, **kwargs):
        r = self._real.post(*args, **kwargs)
        try:
            answer = r.json() if r.status_code == 200 else {}
        except ValueError:
            answer = {}
        if isinstance(answer, dict) and answer.get("errcode", 0) not in (0, "0"):
            from apprise.logger import logger
            logger.warning("robot refused the message: errcode %s %s", answer["errcode"], answer.get("errmsg", ""))
            r.status_code = 422
        return r


def _robots_read() -> None:
    import apprise.plugins.dingtalk as dingtalk
    import apprise.plugins.wecombot as wecombot
    for module in (dingtalk, wecombot):
        requests = getattr(module, "requests")          # the plugin's own import (not in apprise's stubs)
        if not isinstance(requests, _RobotAnswers):
            setattr(module, "requests", _RobotAnswers(requests))


def send_apprise(msg: Message, url: str) -> None:
    """One Apprise URL. Mail and JSON hooks get the plain text (a JSON hook also the whole
    message, machine-readable, as the attachment <run_id>.json); chat tools the Markdown,
    cut to what the service takes (Apprise's overflow=truncate unless the URL says)."""
    import apprise
    with _quiet(), apprise.LogCapture(level=logging.WARNING, fmt="%(message)s") as said, \
            tempfile.TemporaryDirectory(prefix="etl-alert-") as tmp:
        _signed_dingtalk()
        _robots_read()
        plugin = apprise.Apprise.instantiate(url)
        if plugin is None:
            raise DeliveryError(f"not an Apprise URL Apprise can use: {said.getvalue().strip() or 'unknown service'}")
        if "overflow=" not in url:
            plugin.overflow_mode = apprise.OverflowMode.TRUNCATE
        scheme = url.split("://", 1)[0].lower()
        attach = None
        if scheme in ("json", "jsons"):
            attach = Path(tmp) / f"{_safe(msg.run_id)}.json"
            attach.write_text(json.dumps(msg.as_json(), ensure_ascii=False), encoding="utf-8")
        text = scheme in MAIL_OR_HOOK
        body = msg.text if text else msg.markdown.split("\n", 2)[-1].lstrip("\n")   # the title says the subject
        ok = plugin.notify(body=body, title=msg.subject, attach=str(attach) if attach else None,
                           body_format=apprise.NotifyFormat.TEXT if text else apprise.NotifyFormat.MARKDOWN,
                           notify_type=apprise.NotifyType.FAILURE if msg.red else apprise.NotifyType.INFO)
        if not ok:
            lines = [line for line in said.getvalue().splitlines() if line.strip()]
            raise DeliveryError(" / ".join(lines[-2:]) or "Apprise reports the message was not delivered")


def _safe(run_id: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in run_id)


def send_file(msg: Message, file_dir: str) -> Path:
    """The file sink: <dir>/<run_id>.md (what a person reads) and .json (the same, for tools)."""
    from ..files import write_json, atomic_write
    d = Path(file_dir)
    md = d / f"{_safe(msg.run_id)}.md"
    atomic_write(md, lambda tmp: tmp.write_text(msg.markdown, encoding="utf-8"))
    write_json(d / f"{_safe(msg.run_id)}.json", msg.as_json(), indent=1)
    return md
