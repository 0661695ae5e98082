"""Which channels are on: one Apprise URL per channel (`mailtos://`, `json://`, `slack://`,
`dingtalk://`, `wecombot://`, ... any service Apprise speaks), from settings.alert_urls
(ETL_ALERT_URLS), plus the file sink. The older per-channel settings (ETL_ALERT_SMTP_HOST,
ETL_ALERT_WEBHOOK_URL, ...) and the `fzzf_<channel>` Airflow connections are mapped to the
same URLs, so a deployment configured before Apprise keeps alerting; in Airflow, so are the
URLs of the apprise provider's connection `apprise_default`. Secrets live in the
URLs; `redact` keeps them out of every log line and every recorded reason."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from ..settings import Settings

log = logging.getLogger(__name__)

# the channel's name in the alert record (alert.json "delivered"/"failed", the verdict)
NAMES = {"mailto": "smtp", "mailtos": "smtp", "json": "webhook", "jsons": "webhook", "wecombot": "wecom"}


@dataclass(frozen=True)
class Channels:
    urls: tuple[str, ...] = ()     # Apprise URLs
    file_dir: str = ""             # file sink: one Markdown + JSON per run
    attempts: int = 3

    def named(self) -> list[tuple[str, str]]:
        """(name, url) per channel: smtp, webhook, slack, dingtalk, wecom, ... (-2 when twice)."""
        out: list[tuple[str, str]] = []
        for url in self.urls:
            scheme = _scheme(url)
            base = NAMES.get(scheme, scheme)
            n = sum(1 for name, _ in out if name == base or name.startswith(base + "-"))
            out.append((base if not n else f"{base}-{n + 1}", url))
        return out

    def enabled(self) -> list[str]:
        return [name for name, _ in self.named()] + (["file"] if self.file_dir else [])

    def secrets(self) -> list[str]:
        """Every piece of every URL that may be a secret: passwords, tokens, keys, paths."""
        out = []
        for url in self.urls:
            parts = urlsplit(url)
            host = parts.netloc.rsplit("@", 1)[-1].split(":")[0]      # dingtalk://SECRET@TOKEN
            out += [unquote(p) for p in (parts.password, parts.username) if p]
            out += [t for t in [host, *parts.path.split("/"), *(v for _, v in parse_qsl(parts.query))]
                    if len(t) >= 6 and "." not in t and "@" not in t]     # hosts and addresses are not
        return sorted(set(out), key=len, reverse=True)


def _scheme(url: str) -> str:
    """The Apprise scheme, also of a service's own URL (https://hooks.slack.com/... is slack)."""
    scheme = url.split("://", 1)[0].lower()
    if scheme in ("http", "https"):
        import apprise
        plugin = apprise.Apprise.instantiate(url)
        names = (plugin.secure_protocol or plugin.protocol) if plugin is not None else None
        if names:
            scheme = names if isinstance(names, str) else names[0]
    return scheme


def redact(text: str, channels: Channels) -> str:
    """The text with every secret and every http(s) URL's path/query replaced."""
    for s in channels.secrets():
        text = text.replace(s, "***").replace(quote(s, safe=""), "***")
    return re.sub(r"(https?://[^/\s?]+)[^\s]*", r"\1/***", text)


# -- the settings of before Apprise, as Apprise URLs ----------------------------------------

def smtp_url(c: dict[str, str]) -> str:
    """mailtos:// (STARTTLS) or mailto:// (ETL_ALERT_SMTP_STARTTLS=0) from the SMTP_* settings."""
    if not c.get("SMTP_HOST") or not c.get("MAIL_TO"):
        return ""
    starttls = c.get("SMTP_STARTTLS", "1").lower() not in ("0", "false", "no")
    port = c.get("SMTP_PORT", "587")
    if not port.isdigit():
        log.error("ETL_ALERT_SMTP_PORT=%r is not a number; using 587", port)
        port = "587"
    login = (quote(c["SMTP_USER"], safe="") + ":" + quote(c.get("SMTP_PASSWORD", ""), safe="") + "@"
             if c.get("SMTP_USER") else "")
    to = quote(",".join(a.strip() for a in c["MAIL_TO"].split(",") if a.strip()), safe="@,")
    query = f"to={to}&from={quote(c.get('MAIL_FROM') or 'fzzf-etl@localhost', safe='@')}&smtp={c['SMTP_HOST']}"
    if c.get("SMTP_CAFILE"):
        log.warning("ETL_ALERT_SMTP_CAFILE is not read by Apprise: trust the relay's CA through SSL_CERT_FILE")
    return f"{'mailtos' if starttls else 'mailto'}://{login}{c['SMTP_HOST']}:{port}?{query}" + \
        ("&mode=starttls" if starttls else "")


def webhook_url(url: str) -> str:
    """json(s):// posting to the same host and path; the URL's own query goes along (`-k=v`)."""
    p = urlsplit(url)
    scheme = "jsons" if p.scheme == "https" else "json"
    query = "&".join(f"-{quote(k, safe='')}={quote(v, safe='')}" for k, v in parse_qsl(p.query))
    return f"{scheme}://{p.netloc}{p.path}" + (f"?{query}" if query else "")


def dingtalk_url(url: str, secret: str = "") -> str:
    """dingtalk://[secret@]token from the robot's https URL (access_token=...)."""
    token = dict(parse_qsl(urlsplit(url).query)).get("access_token", "")
    return f"dingtalk://{quote(secret, safe='') + '@' if secret else ''}{token}" if token else ""


def wecom_url(url: str) -> str:
    key = dict(parse_qsl(urlsplit(url).query)).get("key", "")
    return f"wecombot://{key}" if key else ""


def legacy_urls(c: dict[str, str]) -> list[str]:
    """The per-channel settings as Apprise URLs (a Slack webhook URL is one Apprise reads)."""
    urls = [smtp_url(c)]
    if c.get("WEBHOOK_URL"):
        urls.append(webhook_url(c["WEBHOOK_URL"]))
    if c.get("SLACK_URL"):
        urls.append(c["SLACK_URL"])
    if c.get("DINGTALK_URL"):
        urls.append(dingtalk_url(c["DINGTALK_URL"], c.get("DINGTALK_SECRET", "")) or c["DINGTALK_URL"])
    if c.get("WECOM_URL"):
        urls.append(wecom_url(c["WECOM_URL"]) or c["WECOM_URL"])
    return [u for u in urls if u]


def _connection(conn_id: str):
    """An Airflow connection, or None outside Airflow / when it is not defined."""
    try:
        from airflow.sdk import BaseHook   # Airflow 3 task SDK
    except ImportError:
        return None
    try:
        return BaseHook.get_connection(conn_id)
    except Exception:              # not defined: the settings decide
        return None


def connection_settings(c: dict[str, str]) -> dict[str, str]:
    """The fzzf_<channel> connections over the settings (host/port/login/password/extra)."""
    c = dict(c)
    smtp = _connection("fzzf_smtp")
    if smtp is not None and smtp.host:
        extra = smtp.extra_dejson or {}
        c.update(SMTP_HOST=smtp.host, SMTP_PORT=str(smtp.port or c.get("SMTP_PORT", "587")),
                 SMTP_USER=smtp.login or "", SMTP_PASSWORD=smtp.password or "")
        if isinstance(extra.get("to"), list):
            c["MAIL_TO"] = ",".join(extra["to"])
        c["MAIL_FROM"] = extra.get("from", c.get("MAIL_FROM", ""))
        if "starttls" in extra:
            c["SMTP_STARTTLS"] = "1" if extra["starttls"] else "0"
    for name in ("webhook", "slack", "dingtalk", "wecom"):
        conn = _connection(f"fzzf_{name}")
        if conn is None:
            continue
        extra = conn.extra_dejson or {}
        if extra.get("url"):               # the robot's whole URL, token included, in extra
            c[f"{name.upper()}_URL"] = extra["url"]
        elif conn.host:
            scheme = conn.conn_type if conn.conn_type in ("http", "https") else "https"
            port = f":{conn.port}" if conn.port else ""
            path = f"/{conn.schema.lstrip('/')}" if conn.schema else ""
            c[f"{name.upper()}_URL"] = f"{scheme}://{conn.host}{port}{path}"
        if name == "dingtalk" and (conn.password or extra.get("secret")):
            c["DINGTALK_SECRET"] = conn.password or extra["secret"]
    return c


def provider_urls() -> list[str]:
    """The URLs of the connection Airflow's apprise provider reads (`apprise_default`, extra
    {"config": {"path": URL, "tag": ...}} or a list of such): kept there, they live in
    Airflow's secrets backend, and a deployment using the provider's notifier shares them."""
    conn = _connection("apprise_default")
    config = (conn.extra_dejson or {}).get("config") if conn is not None else None
    entries = config if isinstance(config, list) else [config]
    return [u for e in entries if isinstance(e, dict) for u in str(e.get("path") or "").split()]


def load_channels(settings: Settings, file_dir: Path | None = None) -> Channels:
    """ETL_ALERT_URLS, then the older settings and connections mapped to Apprise URLs; the
    file sink in `file_dir` (default <data_dir>/alerts) unless ETL_ALERT_FILE_DIR=off."""
    legacy, from_airflow = dict(settings.alert_legacy), []
    if settings.airflow:
        legacy, from_airflow = connection_settings(legacy), provider_urls()
    urls = list(dict.fromkeys([*settings.alert_urls, *from_airflow, *legacy_urls(legacy)]))
    sink = settings.alert_file_dir
    if sink.lower() == "off":
        sink = ""
    elif not sink:
        sink = str(file_dir or settings.data_dir / "alerts")
    return Channels(tuple(urls), sink, settings.alert_attempts)
