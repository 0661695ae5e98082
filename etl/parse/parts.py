"""Every part of a published report is read, and the part that reads as the report is the
report: an article page and all its attachments (PDF, Word, archives opened, page images
OCR'd), each with its own text. The report is chosen by what each part is (its heading,
its opening, its numbered sections: `etl.discovery.titles.reads_as_report`), never by a
length threshold; a report split into several files (上/下, 正文 + 附表, 第一部分...) is
joined in its own order; the other parts (a cover note, an unrelated attachment) keep their
figures after the report, each under its own name.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

MIN_ARTICLE_CHARS = 300          # last resort only: no part reads as a report


@dataclass
class Part:
    name: str                    # "article", the link text or file name (zip/member.pdf)
    text: str
    fmt: str
    order: int                   # position on the page (the article is 0)
    pages: int = 0
    ocr_pages: int = 0
    ocr_confidence: float | None = None
    reads: bool = False          # reads as the report
    why: str = ""
    sections: int = 0


# Labels that mark one piece of a split report, in reading order.
_PIECE = (
    (r"[（(【\[]?(?:上|上篇|上册|第一部分|其一|之一|一|1)[）)】\]]?$", 0),
    (r"[（(【\[]?(?:中|中篇|中册|第二部分|之二|二|2)[）)】\]]?$", 1),
    (r"[（(【\[]?(?:下|下篇|下册|第三部分|之三|三|3)[）)】\]]?$", 2),
    (r"正文$", 0), (r"(?:附表|附件|统计表|数据表|表格)\d*$", 5),
)
_EXT = re.compile(r"\.(?:pdf|docx?|wps|ofd|zip|rar|jpe?g|png|gif|bmp|tiff?|txt)$", re.I)
_ATTACH_PREFIX = re.compile(r"^(?:附件\s*\d*\s*[:：.、]?|下载[:：]?)")


def _stem_and_rank(name: str) -> tuple[str, int]:
    """'附件1：XX县2023年法治政府建设年度报告（下）.pdf' -> ('XX县2023年法治政府建设年度报告', 2)."""
    from ..discovery.titles import fold
    n = fold(_EXT.sub("", (name or "").rsplit("/", 1)[-1]))
    n = _ATTACH_PREFIX.sub("", n).strip("-_ ")
    for pat, rank in _PIECE:
        m = re.search(pat, n)
        if m and m.start() > 0:
            return n[: m.start()].rstrip("-_—·（(的"), rank
    return n, -1


_NUMBERED = re.compile(r"(?m)^\s*(?:[一二三四五六七八九十]{1,3}\s*[、.．]|（[一二三四五六七八九十]{1,3}）)")


def judge(parts: list[Part]) -> None:
    from ..discovery.titles import reads_as_report
    for p in parts:
        p.reads, p.why = reads_as_report(p.text)
        p.sections = len(_NUMBERED.findall(p.text))


def choose(parts: list[Part]) -> tuple[list[Part], list[Part], str]:
    """(the report's parts in reading order, the other parts, why). Parts must be judged."""
    readable = [p for p in parts if p.text.strip()]
    if not readable:
        return [], [], "no part has text"
    reading = [p for p in readable if p.reads]
    if reading:
        best = max(reading, key=lambda p: (p.sections, len(p.text), -p.order))
        article = next((p for p in reading if p.order == 0), None)
        if article is not None and article is not best and article.sections >= best.sections \
                and len(article.text) >= 0.8 * len(best.text):
            best = article                # the same report as a page and a file: the page
        why = f"{best.name}: {best.why}"
    else:
        article = next((p for p in readable if p.order == 0), None)
        if article is not None and len(article.text) >= MIN_ARTICLE_CHARS:
            return [article], [p for p in readable if p is not article], \
                "no part reads as a report: the article page"
        files = [p for p in readable if p.order != 0]
        if not files:                     # a short cover note whose files gave no text
            return [], readable, "a cover note, and its attachments gave no text"
        return files, [p for p in readable if p not in files], "no part reads as a report: the attachments"
    stem, rank = _stem_and_rank(best.name)
    pieces = [best]
    if best.order != 0:
        for p in readable:
            if p is best or p.order == 0:
                continue
            s, r = _stem_and_rank(p.name)
            same = bool(s) and (s == stem or s.startswith(stem) or stem.startswith(s))
            if same and r >= 0 and rank >= 0 and r != rank:
                pieces.append(p)          # the other half of a split report (上/下, 正文/附表)
            elif same and (r >= 0 or rank >= 0) and not p.reads:
                pieces.append(p)          # a continuation without a heading of its own
            elif rank >= 0 and r < 0 and not p.reads and p.name.startswith(best.name.rsplit("/", 1)[0] + "/") \
                    and "/" in best.name:
                pieces.append(p)          # siblings inside the same archive folder
    pieces.sort(key=lambda p: (_stem_and_rank(p.name)[1], p.order))      # 上 before 下, 正文 before 附表
    if len(pieces) > 1:
        why += f"; joined with {len(pieces) - 1} more part(s) of the split report"
    return pieces, [p for p in readable if p not in pieces], why


def assemble(report: list[Part], others: list[Part]) -> str:
    """The report's text, then the other parts' texts under their names (their figures kept,
    never mixed into the report's own lines). A part that reads as a report too is the same
    report published twice (an article and its PDF): its figures are not counted again."""
    text = "\n".join(p.text.rstrip() for p in report)
    for p in others:
        if p.reads:                       # the same report in another format (page + PDF): once
            continue
        if re.search(r"\d", p.text):
            label = "正文页面" if p.order == 0 else p.name
            text += f"\n\n【{label}】\n" + p.text.strip()
    return text
