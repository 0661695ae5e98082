"""The disclosure reports through the nightly run: process -> validate -> load.

process: a fetched report whose kind is 'disclosure' (discovery's decision, or its title or
section headings) is read into cells and staged in the run store (runstore.DISCLOSURE) beside the
facts (its prose is kept as text; no prose facts are taken from it). validate: the GX suite
expectations/disclosure.json over every staged report (a report that fails a check is
loaded with its flags; one without any readable table is quarantined). load:
raw.disclosure_*, dq.disclosure_checks and dq.disclosure_warnings in the load's transaction.
"""
from __future__ import annotations

import logging
from dataclasses import asdict

import pandas as pd

from .kind import DISCLOSURE, kind_of_title, report_kind
from .reader import read_report
from ..parse.sniff import sniff
from ..runstore import DISCLOSURE as STAGED
from ..runstore import (DISCLOSURE_CELLS, DISCLOSURE_CHECKS, DISCLOSURE_REPORTS, DISCLOSURE_VALIDATION,
                        RunStore)

log = logging.getLogger(__name__)


def _pdfs(f, read_blob) -> list[bytes]:  # noqa: ANN001
    out = []
    for a in f.attachments:
        if a.get("error") or not a.get("sha256"):
            continue
        data = read_blob(a["sha256"])
        if sniff(data) == "pdf":               # by its bytes, as etl.parse decides
            out.append(data)
    return out


def disclosure_record(f, doc_row: dict, read_blob) -> dict | None:  # noqa: ANN001 (Fetched)
    """The staged record of a disclosure report (None for a report of another kind)."""
    kind = report_kind(doc_row.get("title") or f.title, doc_row.get("text") or "",
                       hint=getattr(f, "kind", ""))
    if kind != DISCLOSURE:
        return None
    main = read_blob(f.sha256) if f.sha256 else None
    pdfs = _pdfs(f, read_blob)
    kind_of_bytes = sniff(main) if main else "empty"
    if main and kind_of_bytes == "pdf":     # the report is the PDF itself: its ruled tables first
        pdfs, main = [main, *pdfs], None
    elif kind_of_bytes not in ("html", "text"):
        main = None                         # a Word file: read through the parser's text (TSV rows)
    reading = read_report(main, pdfs, doc_row.get("text") or "", f.content_type)
    if not reading.cells and getattr(f, "kind", "") == "rule_of_law" and kind_of_title(f.title) != DISCLOSURE:
        return None                        # no tables, and discovery took it for the other kind
    keep = ("doc_id", "source_id", "url", "title", "report_year", "agency", "province", "province_code",
            "pub_date", "content_sha256", "extractor_version", "text")
    rec = {k: doc_row.get(k) for k in keep}
    rec.update(layout=reading.layout, tried="; ".join(reading.tried),
               cells=[asdict(c) for c in reading.cells])
    log.info("%s: disclosure report, %d cells (%s)", f.url, len(reading.cells), reading.layout or "none")
    return rec


def _read(run: RunStore) -> list[dict]:
    """Every staged report, its cells as dicts (what the suite takes)."""
    return [asdict(r) for sid in run.keys(STAGED) for r in run.read(STAGED, sid)]


def validate_stage(run: RunStore) -> dict:
    """Run the suite; store the reports, cells and checks and a summary.

    Status of a report: loaded (every check held), flagged (loaded with failed checks),
    quarantined (no table of the format could be read at all: nothing to load)."""
    from .validate import validate_reports
    reports = _read(run)
    with_cells = [r for r in reports if r["cells"]]
    outcome = validate_reports(with_cells)
    flagged = outcome.flagged_docs
    docs = pd.DataFrame([{k: v for k, v in r.items() if k != "cells"} | {
        "n_cells": sum(1 for c in r["cells"] if c.get("status") not in ("unread",)),
        "status": "flagged" if r["doc_id"] in flagged else "loaded" if r["cells"] else "quarantined"}
        for r in reports])
    run.put_frame(DISCLOSURE_REPORTS, docs)
    run.put_frame(DISCLOSURE_CELLS, outcome.cells)
    run.put_frame(DISCLOSURE_CHECKS, outcome.flags)
    summary = outcome.summary | {"n_reports": len(reports),
                                 "n_quarantined_reports": int(sum(1 for r in reports if not r["cells"]))}
    run.put(DISCLOSURE_VALIDATION, summary)
    return summary


def staged_batch(run: RunStore) -> dict[str, pd.DataFrame]:
    """What validate_stage stored, for the load (empty when the run had no such reports)."""
    return {"reports": run.frame_of(DISCLOSURE_REPORTS), "cells": run.frame_of(DISCLOSURE_CELLS),
            "checks": run.frame_of(DISCLOSURE_CHECKS)}


def disclosure_counts(batch: dict[str, pd.DataFrame]) -> dict[str, int]:
    """The run's disclosure figures for raw.runs.counts and the alert."""
    reports, cells = batch.get("reports", pd.DataFrame()), batch.get("cells", pd.DataFrame())
    status = reports["status"] if len(reports) else pd.Series(dtype=str)
    return {"disclosure_reports": len(reports),
            "disclosure_reports_loaded": int(status.isin(["loaded", "flagged"]).sum()),
            "disclosure_reports_flagged": int((status == "flagged").sum()),
            "disclosure_reports_quarantined": int((status == "quarantined").sum()),
            "disclosure_cells_loaded": int((cells["status"] != "unread").sum()) if len(cells) else 0}


def alert_lines(run: RunStore) -> list[str]:
    """One line per failed check of a flagged report (loaded, flagged for review) and one
    per report whose tables could not be read (quarantined), for the run's alert."""
    reports = run.frame_of(DISCLOSURE_REPORTS)
    urls = dict(zip(reports["doc_id"], reports["url"])) if len(reports) else {}
    out = []
    flags = run.frame_of(DISCLOSURE_CHECKS)
    for q in flags[flags["status"] == "failed"].itertuples() if len(flags) else []:
        out.append(f"- {urls.get(q.doc_id, q.doc_id)}: {q.describe} (loaded, flagged for review)")
    for q in reports[reports["status"] == "quarantined"].itertuples() if len(reports) else []:
        out.append(f"- {q.url}: no table of the format could be read, quarantined ({q.tried})")
    return out
