"""ZIP archives that hold the report (a PDF in a .zip): opened in memory within bounds.

Bounds: members read, bytes inflated (the declared size is checked before, the real size
while reading: a zip bomb stops at the limit), nesting depth, and names (absolute paths,
`..` and drive letters are refused: nothing is written to disk, but a name that tries to
escape says the archive is hostile). Every member skipped is said in a note.
"""
from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass

from .errors import ParseError

MAX_MEMBERS = 64                     # members read per archive (all nesting levels)
MAX_MEMBER_BYTES = 64 * 2**20        # one inflated member
MAX_TOTAL_BYTES = 256 * 2**20        # everything inflated from one archive
MAX_DEPTH = 2                        # a zip in a zip in a zip is read; one more level is not


@dataclass
class Member:
    name: str                        # path inside the archive (nested: outer.zip/inner.pdf)
    data: bytes


def _unsafe(name: str) -> bool:
    n = name.replace("\\", "/")
    return n.startswith("/") or (len(n) > 1 and n[1] == ":") or ".." in n.split("/")


def _decoded(info: zipfile.ZipInfo) -> str:
    """Chinese names written by Windows tools are GBK without the UTF-8 flag."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _read_capped(z: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    with z.open(info) as f:
        data = f.read(cap + 1)
    if len(data) > cap:
        raise ParseError(f"{_decoded(info)}: inflates past {cap} bytes")
    return data


def members(data: bytes, notes: list[str], depth: int = 0, prefix: str = "",
            budget: list[int] | None = None) -> list[Member]:
    """The archive's files in name order (nested archives opened), within the bounds."""
    from .sniff import sniff
    budget = budget if budget is not None else [MAX_MEMBERS, MAX_TOTAL_BYTES]
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as e:
        raise ParseError(f"broken ZIP archive: {e}") from e
    out: list[Member] = []
    infos = sorted((i for i in z.infolist() if not i.is_dir()), key=lambda i: _decoded(i))
    for info in infos:
        name = prefix + _decoded(info)
        if _unsafe(_decoded(info)):
            notes.append(f"{name}: refused (path escapes the archive)")
            continue
        if budget[0] <= 0:
            notes.append(f"{name}: not read (more than {MAX_MEMBERS} members)")
            continue
        cap = min(MAX_MEMBER_BYTES, budget[1])
        if info.file_size > cap:
            notes.append(f"{name}: not read ({info.file_size} bytes inflated, limit {cap})")
            continue
        try:
            body = _read_capped(z, info, cap)
        except (ParseError, zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError) as e:
            notes.append(f"{name}: {e}")        # encrypted, bad CRC, unknown method, a lie about its size
            continue
        budget[0] -= 1
        budget[1] -= len(body)
        if sniff(body) == "zip":
            if depth + 1 > MAX_DEPTH:
                notes.append(f"{name}: not opened (archives nested deeper than {MAX_DEPTH})")
                continue
            try:
                out += members(body, notes, depth + 1, name + "/", budget)
            except ParseError as e:
                notes.append(f"{name}: {e}")
            continue
        out.append(Member(name, body))
    return out


def member_order_key(name: str) -> str:
    return posixpath.basename(name)
