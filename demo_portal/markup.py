"""Parse the marked-up report texts of texts.py into published blocks and planted facts."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

from .texts import TABLES

FACT_RE = re.compile(r"\[\[([^\]|]+)\|([a-z_+]+)\|(-?[0-9.]+)\|([^|\]]*)\|([>~+\-]?)\]\]")
TABLE_RE = re.compile(r"^<<TABLE:([\w-]+)>>$")
HEADING_RE = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")
QUALIFIERS = {"": "exact", ">": "more_than", "~": "approx", "+": "at_least", "-": "at_most"}

Convert = Callable[[str], str]


@dataclass(frozen=True)
class Planted:
    category: str
    value: float
    unit: str
    qualifier: str
    quote: str          # as published (converted to Traditional where the report is)


@dataclass
class Block:
    kind: str                                   # h (heading) / p (paragraph) / table
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)   # table: header first


@dataclass
class Document:
    blocks: list[Block]
    facts: list[Planted]

    @property
    def text(self) -> str:
        """Plain text of the body, one block a line (tables: cells joined by spaces)."""
        lines = [b.text if b.kind != "table" else "\n".join(" ".join(r) for r in b.rows)
                 for b in self.blocks]
        return "\n".join(lines)


def identity(s: str) -> str:
    return s


@lru_cache(maxsize=1)
def to_traditional() -> Convert:
    from opencc import OpenCC
    return OpenCC("s2t").convert


def _facts_of(m: re.Match[str], quote: str) -> list[Planted]:
    _, cats, value, unit, q = m.groups()
    return [Planted(c, float(value), unit, QUALIFIERS[q], quote) for c in cats.split("+")]


def _parse_line(line: str, convert: Convert) -> tuple[str, list[Planted]]:
    """Convert each plain segment and each quote separately: a quote is then always an
    exact substring of the published line, whatever the converter does at the seams."""
    out: list[str] = []
    facts: list[Planted] = []
    pos = 0
    for m in FACT_RE.finditer(line):
        out.append(convert(line[pos:m.start()]))
        quote = convert(m.group(1))
        out.append(quote)
        facts.extend(_facts_of(m, quote))
        pos = m.end()
    out.append(convert(line[pos:]))
    text = "".join(out)
    if "[[" in text or "]]" in text:
        raise ValueError(f"malformed fact marker in: {line}")
    return text, facts


def _parse_table(key: str, convert: Convert) -> tuple[Block, list[Planted]]:
    spec = TABLES[key]
    rows = [[convert(h) for h in spec["header"]]]
    facts: list[Planted] = []
    for row in spec["rows"]:
        cells: list[str] = []
        for cell in row:
            if isinstance(cell, str):
                cells.append(convert(cell))
                continue
            quote, cat, value, unit = cell
            cells.append(quote)
            facts.append(Planted(cat, float(value), unit, "exact", quote))
        rows.append(cells)
    return Block("table", rows=rows), facts


def parse(marked: str, convert: Convert = identity) -> Document:
    blocks: list[Block] = []
    facts: list[Planted] = []
    for raw in marked.strip().splitlines():
        line = raw.strip()
        if not line:
            continue
        t = TABLE_RE.match(line)
        if t:
            block, got = _parse_table(t.group(1), convert)
        else:
            text, got = _parse_line(line, convert)
            block = Block("h" if HEADING_RE.match(line) and len(line) < 40 else "p", text)
        blocks.append(block)
        facts.extend(got)
    return Document(blocks, facts)
