"""Progress of long commands (`run`, `reprocess`, `sources check`) on stderr, one line
rewritten in place, only when stderr is a terminal: scripts and logs get nothing."""
from __future__ import annotations

import sys
from typing import TextIO


class Progress:
    def __init__(self, stream: TextIO | None = None, enabled: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.shown = False

    def __call__(self, message: str) -> None:
        if self.enabled:
            self.stream.write("\r\033[K" + message)
            self.stream.flush()
            self.shown = True

    def clear(self) -> None:
        """Wipe the line before the command prints its own output."""
        if self.enabled and self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.shown = False

    def done(self, message: str = "") -> None:
        if self.enabled:
            self(message) if message else None
            if self.shown:
                self.stream.write("\n")
                self.stream.flush()
            self.shown = False


def quiet(_: str) -> None:
    """The progress of a caller that wants none (library use, Airflow tasks)."""
