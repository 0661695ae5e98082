"""Alerts for the data-quality gate: mail through an SMTP relay and/or a JSON webhook.

Alerting must never break the run it reports on: every channel failure is logged and
`send_alert` returns the channels that did deliver ([] when none did).
"""
from __future__ import annotations

import logging
import os
import smtplib
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import httpx
import pandas as pd
from tenacity import retry, retry_if_exception, stop_after_attempt, wait_exponential

log = logging.getLogger(__name__)

SMTP_TIMEOUT_S = 10.0
WEBHOOK_TIMEOUT_S = 5.0
WEBHOOK_ATTEMPTS = 3
TOP_EXPECTATIONS = 5
EXAMPLE_ROWS = 5
QUOTE_CHARS = 80


@dataclass(frozen=True)
class AlertSettings:
    """Where alerts go; an empty host/recipient list/URL switches that channel off."""
    smtp_host: str = ""
    smtp_port: int = 25
    mail_from: str = "fzzf-etl@localhost"
    mail_to: list[str] = field(default_factory=list)
    webhook_url: str = ""

    @classmethod
    def from_env(cls) -> "AlertSettings":
        to = os.environ.get("ETL_ALERT_MAIL_TO", "")
        return cls(
            smtp_host=os.environ.get("ETL_ALERT_SMTP_HOST", "").strip(),
            smtp_port=_port(os.environ.get("ETL_ALERT_SMTP_PORT", "")),
            mail_from=os.environ.get("ETL_ALERT_MAIL_FROM", "").strip() or cls.mail_from,
            mail_to=[a.strip() for a in to.split(",") if a.strip()],
            webhook_url=os.environ.get("ETL_ALERT_WEBHOOK_URL", "").strip(),
        )

    @property
    def smtp_enabled(self) -> bool:
        return bool(self.smtp_host and self.mail_to)

    @property
    def webhook_enabled(self) -> bool:
        return bool(self.webhook_url)


def _port(raw: str, default: int = 25) -> int:
    """A bad port must not make alerting raise: fall back and say so."""
    try:
        return int(raw) if raw.strip() else default
    except ValueError:
        log.error("ETL_ALERT_SMTP_PORT=%r is not a number; using %d", raw, default)
        return default


def send_alert(subject: str, body: str, settings: AlertSettings | None = None) -> list[str]:
    """Send on every configured channel; return those that delivered. Never raises."""
    settings = settings or AlertSettings.from_env()
    delivered: list[str] = []
    if settings.smtp_enabled:
        if _try("smtp", _send_mail, subject, body, settings):
            delivered.append("smtp")
    if settings.webhook_enabled:
        if _try("webhook", _post_webhook, subject, body, settings):
            delivered.append("webhook")
    if not (settings.smtp_enabled or settings.webhook_enabled):
        log.warning("no alert channel configured; alert not sent: %s", subject)
    return delivered


def _try(channel: str, send: Any, subject: str, body: str, settings: AlertSettings) -> bool:
    try:
        send(subject, body, settings)
        return True
    except Exception as exc:  # noqa: BLE001 - an alert failure must not fail the pipeline
        log.error("alert via %s failed: %s: %s", channel, type(exc).__name__, exc)
        return False


def _send_mail(subject: str, body: str, settings: AlertSettings) -> None:
    """Plain SMTP without auth or TLS: meant for an internal relay."""
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = settings.mail_from
    msg["To"] = ", ".join(settings.mail_to)
    msg.set_content(body)  # utf-8: quotes are Chinese
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT_S) as smtp:
        smtp.send_message(msg)


def _transient(exc: BaseException) -> bool:
    """Retry what may pass on a second try: network trouble and 5xx/429, not 4xx."""
    if isinstance(exc, httpx.HTTPStatusError):
        code = exc.response.status_code
        return code >= 500 or code == 429
    return isinstance(exc, httpx.TransportError)


@retry(retry=retry_if_exception(_transient), stop=stop_after_attempt(WEBHOOK_ATTEMPTS),
       wait=wait_exponential(multiplier=0.2, max=2), reraise=True)
def _post_webhook(subject: str, body: str, settings: AlertSettings) -> None:
    resp = httpx.post(settings.webhook_url, json={"subject": subject, "body": body},
                      timeout=WEBHOOK_TIMEOUT_S)
    resp.raise_for_status()


# -- message -------------------------------------------------------------------------------

def format_quality_alert(summary: dict, quarantined: pd.DataFrame, run_id: str) -> tuple[str, str]:
    """Subject and plain-text body for a validation outcome: counts, top failures, examples."""
    n_q, n = summary.get("n_quarantined", 0), summary.get("n_rows", 0)
    tables = summary.get("table_level_failures") or []
    subject = f"[fzzf-etl] data quality: {n_q} of {n} facts quarantined"
    if tables:
        subject += f", {len(tables)} table-level failure(s)"
    subject += f" (run {run_id})"
    parts = [
        f"Run: {run_id}",
        f"Suite: {summary.get('suite', '')}",
        f"Facts: {n} checked, {summary.get('n_passed', 0)} passed, {n_q} quarantined.",
        "Quarantined facts are kept with their reasons and are not loaded.",
        _failures_section("Top failing expectations", summary.get("failed_expectations") or []),
        _failures_section("Table-level failures (nothing quarantined)", tables),
        _examples_section(quarantined),
    ]
    return subject, "\n\n".join(p for p in parts if p) + "\n"


def _failures_section(title: str, failures: list[dict]) -> str:
    if not failures:
        return ""
    top = sorted(failures, key=lambda f: -int(f.get("unexpected_count") or 0))[:TOP_EXPECTATIONS]
    lines = [f"{title}:"]
    for f in top:
        what = f.get("description") or f.get("type", "")
        col = f" [{f['column']}]" if f.get("column") else ""
        lines.append(f"  - {what}{col}: {f.get('unexpected_count', 0)} row(s)"
                     + (f" (error: {f['error']})" if f.get("error") else ""))
    if len(failures) > len(top):
        lines.append(f"  ... and {len(failures) - len(top)} more")
    return "\n".join(lines)


def _examples_section(quarantined: pd.DataFrame) -> str:
    if quarantined is None or quarantined.empty:
        return ""
    lines = [f"Examples ({min(EXAMPLE_ROWS, len(quarantined))} of {len(quarantined)}):"]
    for _, row in quarantined.head(EXAMPLE_ROWS).iterrows():
        quote = _short(row.get("quote"))
        lines.append(f"  - doc={row.get('doc', '')} quote=\"{quote}\" value={row.get('value')} "
                     f"unit={row.get('unit', '')!s}\n    reasons: {row.get('reasons', '')}")
    return "\n".join(lines)


def _short(text: Any) -> str:
    s = "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text)
    s = " ".join(s.split())
    return s if len(s) <= QUOTE_CHARS else s[: QUOTE_CHARS - 1] + "…"
