"""What `python -m etl` says when a command cannot do its job: one or two lines naming the
problem (the suggestion first when DuckDB or the registry has one), never a traceback, and
an exit code scripts can branch on:

    0   done
    1   done, but something is wrong: a file unreadable, no row found, a red run, a listing failed
    2   usage: unknown option, missing or misplaced argument (argparse), bad keys
    3   SQL error: syntax, unknown table or column, a write on the read-only snapshot
    4   nothing to read yet: no warehouse / snapshot (run the pipeline first)
    5   network: connection refused, unknown host, timeout, a URL without scheme
    130 interrupted (Ctrl-C); 141 the reader of stdout went away (`| head`), as Unix tools do
"""
from __future__ import annotations

import re

OK, PROBLEM, USAGE, SQL, NO_DATA, NETWORK = 0, 1, 2, 3, 4, 5
INTERRUPTED, BROKEN_PIPE = 130, 141


class CliError(Exception):
    """A command's failure for people: its message lines and its exit code."""

    def __init__(self, message: str, code: int = PROBLEM) -> None:
        super().__init__(message)
        self.code = code


def duckdb_message(e: Exception) -> str:
    """DuckDB's error in two lines, its own suggestion first:
    `Did you mean "marts.province_comparison"?` then `Catalog Error: ... (LINE 1: ...)`."""
    lines = [line.strip() for line in str(e).splitlines() if line.strip()]
    if not lines:
        return type(e).__name__
    hint = [line for line in lines[1:] if line.startswith(("Did you mean", "Candidate bindings", "HINT"))]
    where = next((line for line in lines if line.startswith("LINE ")), "")
    head = lines[0]
    if "read-only mode" in head:
        head = "the snapshot is read-only (analysts never write; the nightly load does): " + \
               re.sub(r"^Invalid Input Error: ", "", head)
    second = head + (f"  ({where})" if where else "")
    return "\n".join(hint[:1] + [second])
