"""Typed records that flow one way through the stages.

Each stage reads the previous stage's records from the run store (etl/runstore.py: one
Parquet dataset per record type, its schema derived from these dataclasses) and writes its
own; only `load` touches DuckDB. Records are plain dataclasses so they stay cheap to build
by the million and serialise without a framework.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Type, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Source:
    """One agency's report column, from the sources registry (`etl.discovery.registry`
    validates entries and infers province, code, city, county and level from the agency
    name when they are absent)."""
    id: str
    agency: str
    listing_url: str            # first listing page (or a JSON list API)
    province: str = ""
    province_code: str = ""     # GB/T 2260, 6 digits (e.g. 420000)
    city: str = ""
    county: str = ""
    level: str = ""             # province / city / county
    include: str = ""           # regex: also take titles the default rules don't know
    exclude: str = ""           # regex: reject titles (decoys) the default rules take
    max_pages: int = 0          # listing pages per night (0: ETL_MAX_PAGES)
    max_documents: int = 0      # documents per night (0: ETL_MAX_DOCUMENTS)
    allowed_hosts: tuple[str, ...] = ()   # hosts besides the listing's that may serve documents
    kinds: tuple[str, ...] = ("rule_of_law", "disclosure")   # report kinds to collect

    @property
    def hosts(self) -> frozenset[str]:
        from urllib.parse import urlsplit
        return frozenset({(urlsplit(self.listing_url).hostname or "").lower(),
                          *(h.lower() for h in self.allowed_hosts)})


@dataclass
class Listed:
    """One item a listing showed, with what discovery decided about it (raw.discovery)."""
    source_id: str
    url: str
    title: str
    decision: str               # report / decoy / off-host / robots-refused / over-cap / failed
    reason: str
    kind: str = ""              # rule_of_law / disclosure for reports
    report_year: int | None = None   # from the title (None: the text decides)
    listed_date: str = ""
    listing_url: str = ""       # the page (or API answer) that listed it
    via: str = ""               # the listing convention that found it


@dataclass
class DocRef:
    """A report found on a listing page (discover's output)."""
    source_id: str
    url: str
    title: str
    listed_date: str = ""
    kind: str = "rule_of_law"
    report_year: int | None = None


@dataclass
class Fetched:
    """A fetched report: the article and its attachments, as content-addressed blobs."""
    source_id: str
    url: str
    title: str
    status: str                  # fetched / error (a lost report) / refused (off-host, robots.txt)
    sha256: str = ""             # of the article bytes
    content_type: str = ""
    attachments: list[dict[str, str]] = field(default_factory=list)  # {url, sha256, content_type}
    error: str = ""
    kind: str = "rule_of_law"    # report kind decided by discovery
    final_url: str = ""          # after redirects (may differ from url)
    listed_date: str = ""
    report_year: int | None = None   # from the listed title
    refused_links: list[dict[str, str]] = field(default_factory=list)  # off-host / robots / not a file
    error_kind: str = ""         # why, when error/refused: etl.http.ERROR_KINDS (too-large, timeout...)


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
    publisher: str = ""          # the page's 发布机构 field (a writer source, etl.metadata.writer)


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


@dataclass
class DocumentRow(Parsed):
    """A processed document as the load takes it (raw.documents): the parsed report, what
    inspection and authorship read from it, and the fetch record it can be re-read from.
    Process sets every field; one it did not set stays NULL in the warehouse."""
    extractor_version: str | None = None
    inferred_agency: str | None = None    # what the text says about its agency and province
    inferred_province: str | None = None
    report_kind: str | None = None        # rule_of_law / disclosure / decoy (read, not a report)
    decision_reason: str | None = None
    final_url: str | None = None
    listed_date: str | None = None
    agency: str | None = None             # the writer (etl.metadata.writer) with its region chain
    province: str | None = None
    province_code: str | None = None
    city: str | None = None
    county: str | None = None
    level: str | None = None
    region_code: str | None = None
    portal_agency: str | None = None      # the column's owner
    writer_source: str | None = None      # title / heading / opening / signature / publisher / column
    fetched: str | None = None            # JSON: what reprocessing needs to find the bytes again


@dataclass
class FactRow(Fact):
    """A fact as the data-quality suite and the load take it: keyed, with its writer."""
    fact_id: str | None = None            # <doc_id>-<seq:04d>
    doc_id: str | None = None
    seq: int | None = None                # position in the document's fact list
    agency: str | None = None
    province: str | None = None
    province_code: str | None = None
    report_year: int | None = None


@dataclass
class ErrorRow:
    """Something the run could not read, with its reason (raw.document_errors)."""
    source_id: str
    url: str
    stage: str                   # registry / listing / listing_warning / fetch / parse / process / disclosure
    error: str
    kind: str | None = None      # etl.http.ERROR_KINDS when the stage knew it
    doc_id: str | None = None    # with the bytes that gave no text: not parsed again tomorrow
    content_sha256: str | None = None
    extractor_version: str | None = None


def to_dict(rec: Any) -> dict[str, Any]:
    return dataclasses.asdict(rec)


def from_dict(cls: Type[T], d: dict[str, Any]) -> T:
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    return cls(**{k: v for k, v in d.items() if k in names})
