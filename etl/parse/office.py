"""Word attachments: DOCX read directly (paragraphs and tables, in document order), DOC and
Kingsoft WPS converted to DOCX by LibreOffice headless when it is installed."""
from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..settings import child_env
from .errors import Extraction, NeedsTool, ParseError

CONVERT_TIMEOUT_S = 120
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _text_of(el) -> str:
    """Visible text of a paragraph or cell: runs, tabs and breaks (deleted revisions out)."""
    parts = []
    for node in el.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}delText"):
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        elif node.tag == f"{_W}tab":
            parts.append(" ")
        elif node.tag == f"{_W}br":
            parts.append("\n")
    return "".join(parts)


def _table_rows(tbl) -> list[str]:
    """One TSV line per row, header first; a merged cell appears once; nested tables are
    read as the text of their cell."""
    rows = []
    for tr in tbl.iterchildren(f"{_W}tr"):
        cells = []
        for tc in tr.iterchildren(f"{_W}tc"):
            merge = tc.find(f"{_W}tcPr/{_W}vMerge")
            if merge is not None and merge.get(f"{_W}val") in (None, "continue"):
                cells.append("")                  # continuation of a vertically merged cell
                continue
            cells.append(" ".join(" ".join(_text_of(p) for p in tc.iter(f"{_W}p")).split()))
        if any(cells):
            rows.append("\t".join(cells))
    return rows


def read_docx(content: bytes) -> Extraction:
    import docx
    try:
        document = docx.Document(io.BytesIO(content))
    except Exception as e:
        raise ParseError(f"broken DOCX: {type(e).__name__}: {e}") from e
    lines: list[str] = []
    for el in document.element.body.iterchildren():
        if el.tag == f"{_W}p":
            lines += [x.strip() for x in _text_of(el).split("\n") if x.strip()]
        elif el.tag == f"{_W}tbl":
            lines += _table_rows(el)
        elif el.tag == f"{_W}sdt":                # content control wrapping paragraphs
            lines += [x.strip() for p in el.iter(f"{_W}p") for x in _text_of(p).split("\n") if x.strip()]
    text = "\n".join(lines)
    if not text.strip():
        raise ParseError("DOCX has no text")
    return Extraction(text=text, fmt="docx")


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_doc(content: bytes, kind: str = "doc") -> Extraction:
    """DOC or WPS: LibreOffice converts it to DOCX in a private profile (so conversions can
    run side by side), then it is read as a DOCX."""
    exe = soffice()
    if exe is None:
        raise NeedsTool("needs_libreoffice", f"{kind.upper()} attachment: needs LibreOffice to be read "
                                             "(apt-get install libreoffice-writer-nogui)")
    with tempfile.TemporaryDirectory(prefix="etl-soffice-") as tmp:
        src = Path(tmp) / f"in.{kind}"
        src.write_bytes(content)
        profile = Path(tmp, "profile").as_uri()
        cmd = [exe, f"-env:UserInstallation={profile}", "--headless", "--norestore",
               "--convert-to", "docx:MS Word 2007 XML", "--outdir", tmp, str(src)]
        try:
            run = subprocess.run(cmd, capture_output=True, timeout=CONVERT_TIMEOUT_S,
                                 env=child_env(HOME=tmp))
        except subprocess.TimeoutExpired as e:
            raise ParseError(f"{kind.upper()} attachment: LibreOffice conversion timed out after "
                             f"{CONVERT_TIMEOUT_S} s") from e
        out = Path(tmp) / "in.docx"
        if not out.exists():
            why = (run.stderr or run.stdout).decode("utf-8", "replace").strip()[-300:]
            raise ParseError(f"broken {kind.upper()}: LibreOffice could not convert it ({why or run.returncode})")
        r = read_docx(out.read_bytes())
    r.fmt = kind
    return r
