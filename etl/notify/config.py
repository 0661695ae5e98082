"""Which channels are on and where they go. Each is read from an Airflow connection when
one exists (conn id `fzzf_<channel>`: host/port/login/password/extra), else from ETL_ALERT_*
environment variables. Secrets (passwords, robot tokens and signing secrets) live only
here and in the request they sign; `redact` keeps them out of every log line."""
from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Channels:
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = True
    smtp_cafile: str = ""          # CA bundle of an internal relay's certificate
    mail_from: str = "fzzf-etl@localhost"
    mail_to: list[str] = field(default_factory=list)
    webhook_url: str = ""          # generic JSON
    slack_url: str = ""            # Slack incoming webhook
    dingtalk_url: str = ""         # DingTalk robot (access_token in the URL)
    dingtalk_secret: str = ""      # its signing secret (SEC...)
    wecom_url: str = ""            # WeCom group robot (key in the URL)
    file_dir: str = ""             # file sink: one Markdown + JSON per run
    attempts: int = 3

    def enabled(self) -> list[str]:
        on = []
        if self.smtp_host and self.mail_to:
            on.append("smtp")
        for name in ("webhook", "slack", "dingtalk", "wecom"):
            if getattr(self, f"{name}_url"):
                on.append(name)
        if self.file_dir:
            on.append("file")
        return on

    def secrets(self) -> list[str]:
        return [s for s in (self.smtp_password, self.dingtalk_secret) if s] + [
            q for u in (self.webhook_url, self.slack_url, self.dingtalk_url, self.wecom_url) if u
            for q in (urlsplit(u).query, urlsplit(u).path) if len(q) > 12]


def redact(text: str, channels: Channels) -> str:
    """The text with every secret and every URL's path/query replaced."""
    for s in channels.secrets():
        text = text.replace(s, "***")
    return re.sub(r"(https?://[^/\s?]+)[^\s]*", r"\1/***", text)


def safe_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/***" if parts.path else "", "", ""))


def _connection(conn_id: str):
    """An Airflow connection, or None outside Airflow / when it is not defined."""
    if not os.environ.get(f"AIRFLOW_CONN_{conn_id.upper()}") and not os.environ.get("AIRFLOW_HOME"):
        return None
    try:
        from airflow.sdk import BaseHook   # Airflow 3 task SDK
    except ImportError:
        try:
            from airflow.hooks.base import BaseHook   # type: ignore[no-redef,attr-defined]  # Airflow 2 only
        except ImportError:
            return None
    try:
        return BaseHook.get_connection(conn_id)
    except Exception:              # not defined: the environment decides
        return None


def _env(name: str, default: str = "") -> str:
    return (os.environ.get(name) or default).strip()


def _port(raw: str, default: int) -> int:
    try:
        return int(raw) if raw else default
    except ValueError:
        log.error("ETL_ALERT_SMTP_PORT=%r is not a number; using %d", raw, default)
        return default


def load_channels(default_file_dir: Path | None = None) -> Channels:
    kw: dict = {
        "smtp_host": _env("ETL_ALERT_SMTP_HOST"), "smtp_port": _port(_env("ETL_ALERT_SMTP_PORT"), 587),
        "smtp_user": _env("ETL_ALERT_SMTP_USER"), "smtp_password": _env("ETL_ALERT_SMTP_PASSWORD"),
        "smtp_starttls": _env("ETL_ALERT_SMTP_STARTTLS", "1").lower() not in ("0", "false", "no"),
        "smtp_cafile": _env("ETL_ALERT_SMTP_CAFILE"),
        "mail_from": _env("ETL_ALERT_MAIL_FROM", "fzzf-etl@localhost"),
        "mail_to": [a.strip() for a in _env("ETL_ALERT_MAIL_TO").split(",") if a.strip()],
        "webhook_url": _env("ETL_ALERT_WEBHOOK_URL"), "slack_url": _env("ETL_ALERT_SLACK_URL"),
        "dingtalk_url": _env("ETL_ALERT_DINGTALK_URL"), "dingtalk_secret": _env("ETL_ALERT_DINGTALK_SECRET"),
        "wecom_url": _env("ETL_ALERT_WECOM_URL"),
        "file_dir": "" if _env("ETL_ALERT_FILE_DIR").lower() == "off" else
                    _env("ETL_ALERT_FILE_DIR", str(default_file_dir) if default_file_dir else ""),
        "attempts": max(1, int(_env("ETL_ALERT_ATTEMPTS", "3") or 3)),
    }
    smtp = _connection("fzzf_smtp")
    if smtp is not None and smtp.host:
        kw.update(smtp_host=smtp.host, smtp_port=smtp.port or kw["smtp_port"],
                  smtp_user=smtp.login or "", smtp_password=smtp.password or "")
        extra = smtp.extra_dejson or {}
        kw["mail_to"] = extra.get("to", kw["mail_to"]) if isinstance(extra.get("to"), list) else kw["mail_to"]
        kw["mail_from"] = extra.get("from", kw["mail_from"])
        kw["smtp_starttls"] = bool(extra.get("starttls", kw["smtp_starttls"]))
    for name in ("webhook", "slack", "dingtalk", "wecom"):
        conn = _connection(f"fzzf_{name}")
        if conn is None:
            continue
        extra = conn.extra_dejson or {}
        if extra.get("url"):               # the robot's whole URL, token included, in extra
            kw[f"{name}_url"] = extra["url"]
        elif conn.host:
            scheme = conn.conn_type if conn.conn_type in ("http", "https") else "https"
            port = f":{conn.port}" if conn.port else ""
            path = f"/{conn.schema.lstrip('/')}" if conn.schema else ""
            kw[f"{name}_url"] = f"{scheme}://{conn.host}{port}{path}"
        if name == "dingtalk" and (conn.password or extra.get("secret")):
            kw["dingtalk_secret"] = conn.password or extra["secret"]
    return Channels(**kw)
