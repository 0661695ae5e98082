"""OCR of image-only PDF pages with Tesseract (chi_sim, chi_tra) through pytesseract.

The first page is read with both models; the script it shows (Traditional or Simplified)
picks the one model for the rest, which halves the time per page. A page budget
(ETL_OCR_MAX_PAGES) bounds the cost of one document: pages over it are reported, not read.
"""
from __future__ import annotations

import os
import re
import shutil
from functools import lru_cache

DPI = 200                        # enough for 10-12 pt CJK text, a third of 300 dpi's pixels
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def max_pages_default() -> int:
    return max(0, int(os.environ.get("ETL_OCR_MAX_PAGES") or 30))


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


def _join_words(words: list[str]) -> str:
    """Tesseract puts a space between CJK characters; keep spaces only between Latin words."""
    out = ""
    for w in words:
        if out and not (_CJK.search(out[-1]) or _CJK.search(w[0])):
            out += " "
        out += w
    return out


def _script_model(text: str) -> str:
    from ..normalize import to_simplified
    hanzi = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    if not hanzi:
        return "chi_sim"
    changed = sum(a != b for a, b in zip(hanzi, to_simplified("".join(hanzi))))
    return "chi_tra" if changed / len(hanzi) > 0.04 else "chi_sim"


class Reader:
    """OCR for one document, within its page budget."""

    def __init__(self, max_pages: int | None = None) -> None:
        self.max_pages = max_pages_default() if max_pages is None else max_pages
        self.unavailable = unavailable()
        self.lang = "chi_sim+chi_tra"
        self.pages = 0
        self._conf_sum = 0.0
        self._words = 0

    @property
    def confidence(self) -> float | None:
        return round(self._conf_sum / self._words, 1) if self._words else None

    def page(self, pdf_page) -> list[str] | None:
        """Lines of one pdfium page, or None (no Tesseract, or over budget)."""
        if self.unavailable or self.pages >= self.max_pages:
            return None
        image = pdf_page.render(scale=DPI / 72, grayscale=True).to_pil()
        lines = self.image(image)
        if self.pages == 1 and "+" in self.lang:
            self.lang = _script_model("".join(lines))
        return lines

    def image(self, image) -> list[str]:
        import pytesseract
        data = pytesseract.image_to_data(image, lang=self.lang, output_type=pytesseract.Output.DICT)
        self.pages += 1
        rows: dict[tuple[int, int, int], list[str]] = {}
        for word, conf, *key in zip(data["text"], data["conf"], data["block_num"], data["par_num"], data["line_num"]):
            word = word.strip()
            if not word or float(conf) < 0:
                continue
            self._conf_sum += float(conf)
            self._words += 1
            rows.setdefault(tuple(key), []).append(word)
        return [_join_words(ws) for ws in rows.values()]

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
        return join_lines([x for p in strip_furniture(pages) for x in p])
