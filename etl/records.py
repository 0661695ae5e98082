"""Typed records that flow one way through the stages.

Each stage reads the previous stage's records from the run's staging folder (JSONL) and
writes its own; only `load` touches DuckDB. Records are plain dataclasses so they
serialise to JSON without a framework and stay cheap to build by the million.
"""
from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Type, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Source:
    """One agency's report column, from the sources registry."""
    id: str
    agency: str
    province: str
    province_code: str          # GB/T 2260, 6 digits (e.g. 420000)
    listing_url: str            # first listing page (index.html); pages index_1.html... follow
    city: str = ""
    county: str = ""
    level: str = ""             # province / city / county
    include: str = "法治政府建设"  # regex a report title must match
    exclude: str = "信息公开"      # regex that rejects a title (decoys)
    max_pages: int = 5


@dataclass
class DocRef:
    """A report found on a listing page (discover's output)."""
    source_id: str
    url: str
    title: str
    listed_date: str = ""


@dataclass
class Fetched:
    """A fetched report: the article and its attachments, as content-addressed blobs."""
    source_id: str
    url: str
    title: str
    status: str                  # fetched / error (unchanged documents are skipped by process)
    sha256: str = ""             # of the article bytes
    content_type: str = ""
    attachments: list[dict[str, str]] = field(default_factory=list)  # {url, sha256, content_type}
    error: str = ""


@dataclass
class Parsed:
    """A parsed report: the published text and what the page says about itself."""
    doc_id: str                  # stable per report URL
    source_id: str
    url: str
    content_sha256: str          # of all bytes the text came from: a changed report reloads
    title: str
    text: str                    # as published (Traditional kept)
    fmt: str                     # html / pdf
    script: str = "hans"         # hans / hant
    pub_date: str = ""
    content_source: str = ""
    report_year: int | None = None
    pages: int = 0
    error: str = ""
    ocr: bool = False            # (some of) the text was OCR'd from page images
    ocr_confidence: float | None = None   # mean Tesseract word confidence, 0-100
    needs: str = ""              # needs_ocr / needs_libreoffice: readable once the tool is installed


@dataclass
class Fact:
    """One statistic stated in a report."""
    doc: str                     # document id (or file stem on the command line)
    metric: str                  # catalog metric id ("other" when no metric claims it)
    category: str                # one of shared CATEGORIES.md
    value: float                 # in base units (万/亿 folded in)
    unit: str                    # counter as written, Simplified
    qualifier: str               # exact / more_than / approx / at_least / at_most
    quote: str                   # as published
    start: int                   # offsets into the original text
    end: int
    subject: str = ""
    sentence: str = ""
    part_of: int | None = None   # index (in the document's fact list) of the total it breaks down
    extractor_version: str = ""
    category_reason: str = ""    # the catalog keyword or attribution rule that decided the metric


def to_dict(rec: Any) -> dict[str, Any]:
    return dataclasses.asdict(rec)


def from_dict(cls: Type[T], d: dict[str, Any]) -> T:
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    return cls(**{k: v for k, v in d.items() if k in names})


def write_jsonl(path: Path, recs: Iterable[Any]) -> int:
    """Write records atomically (tmp + rename): a crashed task leaves no half file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    n = 0
    with tmp.open("w", encoding="utf-8") as f:
        for r in recs:
            f.write(json.dumps(r if isinstance(r, dict) else to_dict(r), ensure_ascii=False) + "\n")
            n += 1
    tmp.replace(path)
    return n


def read_jsonl(path: Path, cls: Type[T]) -> Iterator[T]:
    if not path.exists():
        return
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield from_dict(cls, json.loads(line))
