"""Excel workbooks (.xlsx) attached to a report (附表: its figures as tables), read with
lxml from the package's XML: every sheet as tab-separated rows, shared strings resolved,
within the same bounds as any archive (etl/parse/archive.py)."""
from __future__ import annotations

import io
import re
import zipfile

from .errors import Extraction, ParseError

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
MAX_XML_BYTES = 32 * 2**20
_COL = re.compile(r"([A-Z]+)")


def _col_index(ref: str) -> int:
    m = _COL.match(ref or "")
    n = 0
    for ch in m.group(1) if m else "A":
        n = n * 26 + ord(ch) - 64
    return n - 1


def _read(z: zipfile.ZipFile, name: str) -> bytes:
    info = z.getinfo(name)
    if info.file_size > MAX_XML_BYTES:
        raise ParseError(f"workbook part {name} inflates to {info.file_size} bytes")
    return z.read(name)


def read_xlsx(data: bytes) -> Extraction:
    from lxml import etree
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        names = z.namelist()
        shared: list[str] = []
        if "xl/sharedStrings.xml" in names:
            root = etree.fromstring(_read(z, "xl/sharedStrings.xml"))
            shared = ["".join(t.text or "" for t in si.iter(f"{_NS}t")) for si in root.iter(f"{_NS}si")]
        sheets = sorted((n for n in names if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)),
                        key=lambda n: int(re.findall(r"\d+", n.rsplit("/", 1)[1])[0]))
        lines: list[str] = []
        for name in sheets:
            root = etree.fromstring(_read(z, name))
            for row in root.iter(f"{_NS}row"):
                cells: dict[int, str] = {}
                for c in row.iter(f"{_NS}c"):
                    v = c.find(f"{_NS}v")
                    if c.get("t") == "s" and v is not None and (v.text or "").isdigit() and int(v.text) < len(shared):
                        text = shared[int(v.text)]
                    elif c.get("t") == "inlineStr":
                        text = "".join(t.text or "" for t in c.iter(f"{_NS}t"))
                    else:
                        text = v.text if v is not None and v.text else ""
                    cells[_col_index(c.get("r", ""))] = " ".join(text.split())
                if any(cells.values()):
                    lines.append("\t".join(cells.get(i, "") for i in range(max(cells) + 1)))
            lines.append("")
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as e:
        raise ParseError(f"broken XLSX workbook: {type(e).__name__}: {e}") from e
    return Extraction(text="\n".join(lines).strip(), fmt="xlsx")
