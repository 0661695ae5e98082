"""Disclosure tables per layout: `.venv/bin/python benchmarks/bench_disclosure.py`.

Reads every demo agency's 政府信息公开年报 in each layout (HTML table, PDF ruled tables,
flattened text) and prints cells parsed against the truth, the checks that fire, and
reports/s with a ratio to a reference measured in the same run: plain text extraction of
the same bytes (lxml text for HTML, pdfplumber's extract_text for PDF). No timed asserts.
"""
from __future__ import annotations

import io
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from demo_portal import disclosure as D  # noqa: E402
from demo_portal.content import AGENCIES  # noqa: E402
from etl.disclosure.checks import equations  # noqa: E402
from etl.disclosure.reader import read_report  # noqa: E402


def _inputs(layout: str) -> list[tuple[dict, bytes | str | None, list[bytes]]]:
    out = []
    for a in AGENCIES:
        for year in (2023, 2024):
            key = (a.id, year)
            saved = D.LAYOUTS.get(key)
            keep = saved == "planted" and layout == "html"     # the planted error stays in one run
            D.LAYOUTS[key] = "planted" if keep else layout
            rep = D.report(a.id, a.agency, year, f"{a.agency}{year}年政府信息公开工作年度报告")
            D.LAYOUTS.pop(key) if saved is None else D.LAYOUTS.__setitem__(key, saved)
            page = f"<html><body>{rep['body']}</body></html>"
            out.append((rep, None if layout == "pdf" else page, [rep["pdf"]] if rep["pdf"] else []))
    return out


def _reference(html, pdfs) -> None:
    if pdfs:
        import pdfplumber
        with pdfplumber.open(io.BytesIO(pdfs[0])) as pdf:
            "".join(p.extract_text() or "" for p in pdf.pages)
    else:
        from lxml import html as lh
        lh.fromstring(html).text_content()


def main() -> None:
    print(f"{'layout':<7}{'reports':>8}{'cells':>8}{'right':>8}{'checks':>8}{'failed':>8}{'rep/s':>9}{'ref rep/s':>11}{'ratio':>8}")
    for layout in ("html", "pdf", "text"):
        inputs = _inputs(layout)
        t0 = time.perf_counter()
        readings = [read_report(h, p, "") for _, h, p in inputs]
        dt = time.perf_counter() - t0
        t1 = time.perf_counter()
        for _, h, p in inputs:
            _reference(h, p)
        ref = time.perf_counter() - t1
        cells = right = checks = 0
        fired: Counter = Counter()
        for (rep, _, _), r in zip(inputs, readings):
            truth = {t["metric"]: t["raw"] for t in rep["truth"]}
            cells += len(r.cells)
            right += sum(1 for c in r.cells if truth.get(c.metric) == c.raw)
            for e in equations(r.cells):
                checks += 1
                if e.status != "ok":
                    fired[e.check] += 1
        n = len(inputs)
        print(f"{layout:<7}{n:>8}{cells:>8}{right:>8}{checks:>8}{sum(fired.values()):>8}"
              f"{n / dt:>9.1f}{n / ref:>11.1f}{(n / dt) / (n / ref):>8.2f}  {dict(fired)}")


if __name__ == "__main__":
    main()
