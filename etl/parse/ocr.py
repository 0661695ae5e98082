"""OCR of image-only PDF pages with Tesseract (chi_sim, chi_tra) through pytesseract.

The first page is read with chi_sim, and again with chi_tra when chi_sim is unsure; the
better reading picks the model for the rest of the document (one model per page: reading
with both at once costs twice the time). A page budget
(ETL_OCR_MAX_PAGES) bounds the cost of one document: pages over it are reported, not read.
"""
from __future__ import annotations

import re
import shutil
from functools import lru_cache

SURE = 88.0                      # mean confidence at which the first model is kept
DPI = 200                        # enough for 10-12 pt CJK text, a third of 300 dpi's pixels
_EDGE_NOISE = "“”\"'‘’|｜丨_ "
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def max_pages_default() -> int:
    """ETL_OCR_MAX_PAGES (etl/settings.py), read per document so a worker's env applies."""
    from ..settings import load_settings
    return load_settings().ocr_max_pages


@lru_cache(maxsize=1)
def unavailable() -> str | None:
    """Why OCR cannot run here, or None."""
    if shutil.which("tesseract") is None:
        return "Tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-chi-tra)"
    try:
        import pytesseract
        langs = set(pytesseract.get_languages(config=""))
    except Exception as e:              # a broken install: say what failed
        return f"Tesseract does not run: {type(e).__name__}: {e}"
    missing = {"chi_sim", "chi_tra"} - langs
    if missing:
        return f"Tesseract language data missing: {', '.join(sorted(missing))}"
    return None


def _cells(words: list[tuple[int, int, int, str]]) -> str:
    """One OCR line: words joined, a wide gap (a table column) as a tab."""
    height = sorted(h for _, _, h, _ in words)[len(words) // 2]
    cells: list[list[str]] = [[]]
    end = None
    for left, width, _, word in sorted(words):
        if end is not None and left - end > 1.5 * height:
            cells.append([])
        cells[-1].append(word)
        end = left + width
    if len(cells) == 1:
        return _join_words(cells[0])
    # rules and cell edges come out as stray quotes and bars: a cell is its words only
    return "\t".join(_join_words(c).strip(_EDGE_NOISE) for c in cells)


def _join_words(words: list[str]) -> str:
    """Tesseract puts a space between CJK characters; keep spaces only between Latin words."""
    out = ""
    for w in words:
        if out and not (_CJK.search(out[-1]) or _CJK.search(w[0])):
            out += " "
        out += w
    return out


class Reader:
    """OCR for one document, within its page budget."""

    def __init__(self, max_pages: int | None = None) -> None:
        self.max_pages = max_pages_default() if max_pages is None else max_pages
        self.lang: str | None = None       # chosen on the first page
        self.pages = 0
        self._conf_sum = 0.0
        self._words = 0

    @property
    def unavailable(self) -> str | None:
        """Asked only when a page needs OCR: pytesseract imports pandas (100 MB)."""
        return unavailable()

    @property
    def confidence(self) -> float | None:
        return round(self._conf_sum / self._words, 1) if self._words else None

    def page(self, pdf_page) -> list[str] | None:
        """Lines of one pdfium page, or None (no Tesseract, or over budget)."""
        if self.unavailable or self.pages >= self.max_pages:
            return None
        image = pdf_page.render(scale=DPI / 72, grayscale=True).to_pil()
        return self.image(image)

    def image(self, image) -> list[str]:
        """Lines of a page image. The first page picks the model: chi_sim, unless chi_tra
        reads it with a clearly higher confidence (chi_sim "reads" Traditional pages as
        Simplified, at a lower confidence)."""
        if self.lang is None:
            lines, conf, words = self._read(image, "chi_sim")
            self.lang = "chi_sim"
            if words and conf / words < SURE:
                tra = self._read(image, "chi_tra")
                if tra[2] and tra[1] / tra[2] > conf / words + 2:
                    lines, conf, words = tra
                    self.lang = "chi_tra"
        else:
            lines, conf, words = self._read(image, self.lang)
        self.pages += 1
        self._conf_sum += conf
        self._words += words
        return lines

    def _read(self, image, lang: str) -> tuple[list[str], float, int]:
        """(lines, sum of word confidences, words). Words far apart on a line (more than
        1.5 line heights) are table cells: they come out tab-separated."""
        import pytesseract
        data = pytesseract.image_to_data(image, lang=lang, output_type=pytesseract.Output.DICT)
        rows: dict[tuple[int, int, int], list[tuple[int, int, int, str]]] = {}
        conf_sum, words = 0.0, 0
        for i, word in enumerate(data["text"]):
            word, conf = word.strip(), float(data["conf"][i])
            if not word or conf < 0:
                continue
            conf_sum += conf
            words += 1
            key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
            rows.setdefault(key, []).append((data["left"][i], data["width"][i], data["height"][i], word))
        return [_cells(ws) for ws in rows.values()], conf_sum, words

    def document(self, content: bytes) -> str:
        """OCR every page of a PDF (within budget), for a text layer that cannot be trusted."""
        import pypdfium2 as pdfium
        from .lines import join_lines, strip_furniture
        doc = pdfium.PdfDocument(content)
        pages = []
        try:
            for i in range(len(doc)):
                page = doc[i]
                try:
                    lines = self.page(page)
                finally:
                    page.close()
                if lines is None:
                    break
                pages.append(lines)
        finally:
            doc.close()
        return join_lines([x for p in strip_furniture(pages) for x in p], stripped=True)
