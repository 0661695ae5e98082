"""Every configured channel, each retried with backoff; what was delivered and what was
not (with a reason that carries no secret). A channel that fails for good is the caller's
to turn red: an alert nobody received is a problem of its own."""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from .channels import send_apprise, send_file
from .config import Channels, redact
from .message import Message

log = logging.getLogger(__name__)


@dataclass
class Delivery:
    delivered: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)     # channel -> reason (redacted)
    file: str = ""

    @property
    def ok(self) -> bool:
        return not self.failed


def deliver(msg: Message, ch: Channels, only: list[str] | None = None, pause_s: float = 0.5) -> Delivery:
    out = Delivery()
    targets = [*ch.named(), *([("file", "")] if ch.file_dir else [])]
    for name, url in targets:
        if only is not None and name not in only:
            continue
        for attempt in range(1, ch.attempts + 1):
            try:
                if url:
                    send_apprise(msg, url)
                else:
                    out.file = str(send_file(msg, ch.file_dir))
                out.delivered.append(name)
                out.failed.pop(name, None)
                break
            except Exception as e:            # noqa: BLE001 - recorded, retried, then red
                reason = redact(f"{type(e).__name__}: {e}", ch)
                out.failed[name] = reason
                log.warning("alert via %s failed (attempt %d/%d): %s", name, attempt, ch.attempts, reason)
                if attempt < ch.attempts:
                    time.sleep(pause_s * 2 ** (attempt - 1))
    if not targets:
        log.warning("no alert channel configured: %s", msg.subject)
    return out
