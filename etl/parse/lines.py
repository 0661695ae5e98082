"""Lines of extracted text back into paragraphs: page furniture out, broken lines re-joined.

PDF (and OCR) line breaks fall anywhere, even inside a number ("880" / "0人次"), and every
page repeats its running header and footer (the agency name, "— 3 —", "第3页 共12页").
Everything here is linear in the number of lines.
"""
from __future__ import annotations

import re
from collections import Counter

END = "。；！？：:;!?）)」”"
_ENDS = tuple(END)
HEADING = re.compile(r"^\s*(第?[一二三四五六七八九十]+[、．.章]|（[一二三四五六七八九十]+）|\d+[、.．](?!\d)|附件)")
_NUM = r"(?:\d{1,4}|[一二三四五六七八九十百零〇]{1,4}|[ivxlcIVXLC]{1,6})"
# Page numbers in any dress: "— 3 —", "- 3 -", "·3·", "第3页", "第 3 页 共 12 页", "3/12",
# "共12页 第3页", "Page 3 of 12", "（3）". A bare "3" only counts at a page edge.
PAGE_NO = re.compile(
    r"^[\s\-—–－·•.．_()（）\[\]【】]*(?:"
    rf"第\s*{_NUM}\s*页(?:\s*[,，/／]?\s*共\s*{_NUM}\s*页)?"
    rf"|共\s*{_NUM}\s*页\s*[,，/／]?\s*第\s*{_NUM}\s*页"
    rf"|\d{{1,4}}\s*[/／]\s*\d{{1,4}}"
    rf"|[Pp]age\s*\d{{1,4}}(?:\s*(?:of|/)\s*\d{{1,4}})?"
    rf"|[-—–－·•]+\s*{_NUM}\s*[-—–－·•]+"
    r")[\s\-—–－·•.．_()（）\[\]【】]*$")
BARE_NO = re.compile(r"^\s*[(（]?\s*\d{1,4}\s*[)）]?\s*$")
_DIGITS = re.compile(r"\d+")
_SENTENCE_END = ("。", "；", "！", "？", ";", "!", "?")
_EDGE = 2                       # lines at each end of a page where headers and footers live


def clean(line: str) -> str:
    """A line without its surrounding blanks; a table row keeps its empty edge cells."""
    return line.strip(" \r\n\u3000") if "\t" in line else line.strip()


def is_page_number(line: str, at_edge: bool) -> bool:
    return bool(PAGE_NO.match(line)) or (at_edge and bool(BARE_NO.match(line)))


def _key(line: str) -> str:
    """A running header with its page number folded: "某局 2024 第3页" == "某局 2024 第4页".
    Only short lines are folded: long body lines that differ in a figure stay apart."""
    flat = "".join(line.split())
    return _DIGITS.sub("#", flat) if len(flat) <= 30 else flat


def strip_furniture(pages: list[list[str]]) -> list[list[str]]:
    """Drop page numbers, and lines repeated at the top or at the bottom of most pages.

    A line counts as a running header (footer) when (digits folded) it sits within the first
    (last) two lines of at least half the pages, and of three pages at least."""
    n = len(pages)
    tops: Counter[str] = Counter()
    bottoms: Counter[str] = Counter()
    if n >= 3:
        for lines in pages:
            rows = [x for x in lines if x.strip() and "\t" not in x]
            # a line that ends a sentence is body text, whatever repeats
            tops.update({_key(x) for x in rows[:_EDGE]})
            bottoms.update({_key(x) for x in rows[-_EDGE:]})
    need = max(3, n / 2)
    head = {k for k, c in tops.items() if c >= need and len(k) <= 80 and not k.endswith(_SENTENCE_END)}
    foot = {k for k, c in bottoms.items() if c >= need and len(k) <= 80 and not k.endswith(_SENTENCE_END)}
    out = []
    for lines in pages:
        kept = []
        last = len(lines) - 1
        for i, line in enumerate(lines):
            s = clean(line)
            if not s:
                continue
            if "\t" in line:                      # a table row (a repeated header is not furniture)
                kept.append(s)
                continue
            top, bottom = i < _EDGE, i > last - _EDGE
            if is_page_number(s, top or bottom) or (top and _key(s) in head) or (bottom and _key(s) in foot):
                continue
            kept.append(s)
        out.append(kept)
    return out


def _full_width(lines: list[str]) -> int:
    """Characters of a full line, the 75th percentile of line lengths (0: too few to tell)."""
    sizes = sorted(len(x) for x in lines if "\t" not in x)
    return sizes[len(sizes) * 3 // 4] if len(sizes) >= 8 else 0


def join_lines(lines: list[str], stripped: bool = False) -> str:
    """Re-join lines: a line that does not end a sentence continues on the next one, unless it
    is a heading, a table row, or visibly short (a title or heading without punctuation).
    stripped: the lines come from strip_furniture (clean, no empty line, no page number
    outside table rows): they are not cleaned and checked again."""
    full = _full_width(lines)
    out: list[list[str]] = []           # paragraphs as parts: joining stays linear
    for raw in lines:
        if stripped:
            line = raw
            if "\t" in line and PAGE_NO.match(line):   # strip_furniture keeps every table row
                continue
        else:
            line = clean(raw)
            if not line or PAGE_NO.match(line):
                continue
        if out and _continues(out[-1], line, full):
            out[-1].append(line)
        else:
            out.append([line])
    return "\n".join("".join(p) for p in out)


def _continues(para: list[str], line: str, full: int) -> bool:
    """Does `line` go on from the paragraph so far (its lines)?"""
    prev = para[-1]
    if prev.endswith(_ENDS) or "\t" in prev or "\t" in line or HEADING.match(line):
        return False
    if HEADING.match(para[0]) and sum(map(len, para)) < 30:    # a (wrapped) short heading
        return False
    return not (full and len(prev) < full * 0.6 and not prev[-1].isdigit())


_BAD = re.compile(r"\(cid:\d+\)|[\ufffd\ue000-\uf8ff\x00-\x08\x0b\x0c\x0e-\x1f]")


def garbled_ratio(text: str) -> float:
    """Share of characters that are (cid:N), U+FFFD, private-use or control codes: a text
    layer without a usable ToUnicode map."""
    chars = len(text) - sum(map(text.count, " \n\r\t\u3000"))
    if chars <= 0:
        return 0.0
    bad = sum(len(m) for m in _BAD.findall(text))
    return min(1.0, bad / chars)
