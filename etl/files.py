"""Files written whole or not at all (tmp + rename: a crashed task never leaves a
half-written file for the next reader). The lowest layer: every writer of the pipeline,
the stores and the notifiers go through it (the crawl's state is in etl/statestore.py)."""
from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any, Callable


def atomic_write(path: Path, write: Callable[[Path], object]) -> None:
    """Call `write(tmp)` then rename tmp over `path`. The temp name is unique, so two
    workers writing the same file never interleave; the last rename wins whole."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        try:
            write(tmp)
        except OSError:                    # the first file in its folder (a syscall saved on all others)
            if path.parent.is_dir():
                raise
            path.parent.mkdir(parents=True, exist_ok=True)
            write(tmp)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_json(path: Path, obj: Any, indent: int | None = None) -> None:
    atomic_write(path, lambda tmp: tmp.write_text(
        json.dumps(obj, ensure_ascii=False, default=str, indent=indent), encoding="utf-8"))


def read_json(path: Path, default: Any = None) -> Any:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else default
