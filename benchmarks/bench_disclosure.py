"""Disclosure tables per layout: `.venv/bin/python benchmarks/bench_disclosure.py`.

Reads every demo agency's 政府信息公开年报 in each layout (HTML table, PDF ruled tables,
flattened text, a PDF printed from the page breaking inside groups, and that PDF's text
layer with its page furniture) and prints cells parsed against the truth, cells left
unread, the checks that fire, and
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


def _text_layer(pdf: bytes) -> str:
    import pdfplumber
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "\n".join(p.extract_text() or "" for p in doc.pages)


def _inputs(layout: str) -> list[tuple[dict, bytes | str | None, list[bytes], str]]:
    out = []
    made = "printed" if layout == "textlayer" else layout
    for a in AGENCIES:
        for year in (2023, 2024):
            key = (a.id, year)
            saved = D.LAYOUTS.get(key)
            keep = saved == "planted" and layout == "html"     # the planted error stays in one run
            D.LAYOUTS[key] = "planted" if keep else made
            rep = D.report(a.id, a.agency, year, f"{a.agency}{year}年政府信息公开工作年度报告")
            D.LAYOUTS.pop(key) if saved is None else D.LAYOUTS.__setitem__(key, saved)
            page = f"<html><body>{rep['body']}</body></html>"
            if layout == "textlayer":
                out.append((rep, None, [], _text_layer(rep["pdf"])))
                continue
            out.append((rep, None if layout in ("pdf", "printed") else page, [rep["pdf"]] if rep["pdf"] else [], ""))
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
    print(f"{'layout':<10}{'reports':>8}{'cells':>8}{'right':>8}{'unread':>8}{'checks':>8}{'failed':>8}"
          f"{'rep/s':>9}{'ref rep/s':>11}{'ratio':>8}")
    for layout in ("html", "pdf", "text", "printed", "textlayer"):
        inputs = _inputs(layout)
        t0 = time.perf_counter()
        readings = [read_report(h, p, t) for _, h, p, t in inputs]
        dt = time.perf_counter() - t0
        t1 = time.perf_counter()
        for _, h, p, t in inputs:
            _reference(h or t, p)
        ref = time.perf_counter() - t1
        cells = right = checks = unread = 0
        fired: Counter = Counter()
        for (rep, _, _, _), r in zip(inputs, readings):
            truth = {t["metric"]: t["raw"] for t in rep["truth"]}
            read = [c for c in r.cells if c.status != "unread" and c.section != "stated"]
            cells += len(read)
            unread += len(r.cells) - len(read) - sum(1 for c in r.cells if c.section == "stated")
            right += sum(1 for c in read if truth.get(c.metric) == c.raw)
            for e in equations(r.cells):
                checks += 1
                if e.status != "ok":
                    fired[e.check] += 1
        n = len(inputs)
        print(f"{layout:<10}{n:>8}{cells:>8}{right:>8}{unread:>8}{checks:>8}{sum(fired.values()):>8}"
              f"{n / dt:>9.1f}{n / ref:>11.1f}{(n / dt) / (n / ref):>8.2f}  {dict(fired)}")


if __name__ == "__main__":
    main()
