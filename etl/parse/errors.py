"""What a parser returns, and how it says it could not."""
from __future__ import annotations

from dataclasses import dataclass


class ParseError(Exception):
    """The file cannot be read; the message says why, in words an analyst can act on."""


class NeedsTool(ParseError):
    """Readable with a tool this machine lacks: `needs` is needs_ocr or needs_libreoffice."""

    def __init__(self, needs: str, message: str) -> None:
        super().__init__(message)
        self.needs = needs


@dataclass
class Extraction:
    """Text of one file (an attachment or a whole document)."""
    text: str
    pages: int = 0
    fmt: str = "pdf"                       # pdf / docx / doc / html / text
    ocr: bool = False                      # some of the text was OCR'd
    ocr_confidence: float | None = None    # mean Tesseract word confidence, 0-100
    ocr_pages: int = 0
    warning: str = ""                      # recovered, but worth recording
