"""What a file is, from its first bytes, never from its URL or Content-Type header: sites
serve PDFs as application/octet-stream, Word files as .pdf, and error pages as anything."""
from __future__ import annotations

import io
import zipfile

_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*")
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"     # Compound File: .doc, Kingsoft .wps, .xls, .ppt


def sniff(data: bytes) -> str:
    """One of: empty, pdf, docx, doc, ole (other Office binary), xlsx, zip, image, html, text, binary."""
    if not data.strip():
        return "empty"
    head = data[:1024]
    if head.startswith(_IMAGE_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP") \
            or (head[:2] == b"BM" and head[6:10] == b"\x00\x00\x00\x00" and len(data) > 64):
        return "image"
    if b"%PDF-" in head:                    # the header may follow a little junk
        return "pdf"
    if head.startswith(OLE2):
        return _ole_kind(data)
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<div", b"<p", b"<?xml")) \
            or b"<html" in head.lower():
        return "html"
    if b"\x00" in head or sum(b < 9 or 13 < b < 32 for b in head) > len(head) // 20:
        return "binary"
    return "text"


def _zip_kind(data: bytes) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except zipfile.BadZipFile:
        return "binary"
    if "word/document.xml" in names:
        return "docx"
    return "xlsx" if "xl/workbook.xml" in names else "zip"


def _ole_kind(data: bytes) -> str:
    """Word 97-2003 and Kingsoft WPS both keep their text in a "WordDocument" stream (UTF-16
    directory names in the compound file); Excel/PowerPoint binaries do not."""
    if "WordDocument".encode("utf-16-le") in data or b"WordDocument" in data:
        return "doc"
    return "ole"
