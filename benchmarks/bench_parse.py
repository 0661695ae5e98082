"""PDF parse figures on a generated corpus (benchmarks/parse_corpus.py, >= 1,500 pages):
pages per CPU-second for bare pypdfium2, bare pdfplumber, the parse path before this
package (pdfplumber tables on every page, from git) and the product (etl.parse + metadata +
extraction), all in the same run; facts each PDF path finds against the planted truth with
the same extractor; peak memory at 50 and 500 pages; OCR pages per second; per-page cost
of a 50- and a 200-page report (linear or not). Prints figures; asserts nothing.
The bare pypdfium2 reference, the product and parse alone are timed document by document in
turn, so the ratios are not skewed by a change in the load of the (shared) machine.

    .venv/bin/python benchmarks/bench_parse.py [--pages 1500] [--skip-before] [--corpus DIR]
"""
from __future__ import annotations

import argparse
import io
import json
import resource
import subprocess
import sys
import time
import types
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from parse_corpus import build_corpus, long_report  # noqa: E402

BEFORE_COMMIT = "2ee862f"          # etl/parse.py as it was before the package


def before_parse_pdf():
    """parse_pdf of the old module (loaded from git, run against today's etl package)."""
    try:
        src = subprocess.run(["git", "-C", str(ROOT), "show", f"{BEFORE_COMMIT}:etl/parse.py"],
                             capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        from etl.parse.plumber import read_pdf_plumber
        return read_pdf_plumber
    mod = types.ModuleType("etl._parse_before")
    mod.__package__ = "etl"
    sys.modules[mod.__name__] = mod                   # dataclasses look their module up
    exec(compile(src, "etl/parse.py@" + BEFORE_COMMIT, "exec"), mod.__dict__)
    return mod.parse_pdf


def bare_pdfium(data: bytes) -> int:
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(data)
    n = len(doc)
    for i in range(n):
        page = doc[i]
        tp = page.get_textpage()
        tp.get_text_range()
        tp.close()
        page.close()
    doc.close()
    return n


def bare_plumber(data: bytes) -> int:
    import pdfplumber
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.close()
        return len(pdf.pages)


def _cpu() -> float:
    return time.process_time()


def time_pages(fn, blobs: list[bytes]) -> tuple[int, float]:
    t0, pages = _cpu(), 0
    for b in blobs:
        pages += fn(b)
    return pages, _cpu() - t0


def interleaved(fns: list, blobs: list[bytes]) -> tuple[list[float], list[list]]:
    """CPU seconds each of fns spends over all blobs, and what it returned: every blob is run by
    each fn in turn, the order rotated from one blob to the next."""
    totals, outs = [0.0] * len(fns), [[] for _ in fns]
    for k, b in enumerate(blobs):
        for j in range(len(fns)):
            i = (j + k) % len(fns)
            t0 = _cpu()
            out = fns[i](b)
            totals[i] += _cpu() - t0
            outs[i].append(out)
    return totals, outs


def score(found: list[tuple[float, str]], truth: list[tuple[float, str]]) -> int:
    """Truth items matched by a found fact (multiset on value and unit)."""
    return sum((Counter(found) & Counter(truth)).values())


def product(data: bytes, title: str = "") -> tuple[int, str, list]:
    from etl.extract import extract_facts
    from etl.metadata import inspect_text
    from etl.parse import read_pdf
    r = read_pdf(data)
    inspect_text(r.text, title)
    return r.pages, r.text, extract_facts(r.text, "bench")


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def memory_child(path: str, engine: str) -> None:
    """Run in a fresh process: RSS after imports, then the peak RSS while parsing one file
    (sampled every 2 ms, so an import-time peak does not hide the parse's own)."""
    import threading
    import pdfplumber  # noqa: F401  (imports count in the baseline, not the parse)
    import pypdfium2  # noqa: F401
    from etl.parse import read_pdf
    fn = before_parse_pdf() if engine == "before" else (lambda d: read_pdf(d))
    data = Path(path).read_bytes()
    base = peak = _rss_mb()
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _rss_mb())
            time.sleep(0.002)
    t = threading.Thread(target=sample)
    t.start()
    out = fn(data)
    done.set()
    t.join()
    pages = out[1] if isinstance(out, tuple) else out.pages
    print(json.dumps({"base": base, "peak": max(peak, _rss_mb()), "pages": pages}))


def memory(path: Path, engine: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--memory-child", str(path), engine],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=1500)
    ap.add_argument("--corpus", default="/tmp/fzzf-parse-corpus")
    ap.add_argument("--skip-before", action="store_true", help="skip the slow pre-package path")
    ap.add_argument("--memory-child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.memory_child:
        return memory_child(*args.memory_child)

    from etl.extract import extract_facts
    from etl.metadata import inspect_text
    corpus = build_corpus(Path(args.corpus), args.pages)
    blobs = [p.read_bytes() for p, _ in corpus]
    docs = [d for _, d in corpus]
    n_pages = sum(d.pages for d in docs)
    print(f"corpus           {len(docs)} PDFs, {n_pages} pages, {sum(d.tables for d in docs)} with tables, "
          f"{sum(d.script == 'hant' for d in docs)} Traditional ({args.corpus})")

    product(blobs[0])                                     # imports and catalog load out of the timing
    from etl.parse import read_pdf
    # The reference and the product paths run document by document in turn (the order rotated
    # each time), so a change in the machine's load (the cores are shared) weighs on all alike.
    (t_pdfium, t_product, t_parse), (_, products, _) = interleaved([bare_pdfium, product, read_pdf], blobs)
    rate_pdfium = n_pages / t_pdfium
    print(f"bare pypdfium2   {rate_pdfium:8.0f} pages/CPU-s   (reference)")
    pages, t = time_pages(bare_plumber, blobs)
    print(f"bare pdfplumber  {pages / t:8.0f} pages/CPU-s   {pages / t / rate_pdfium:6.3f}x")

    found_new = [out[2] for out in products]
    t = t_product
    print(f"product          {n_pages / t:8.0f} pages/CPU-s   {n_pages / t / rate_pdfium:6.3f}x   "
          "(etl.parse.read_pdf + metadata.inspect_text + extract_facts)")
    t = t_parse
    print(f"  parse only     {n_pages / t:8.0f} pages/CPU-s   {n_pages / t / rate_pdfium:6.3f}x")

    found_old = None
    if not args.skip_before:
        old = before_parse_pdf()
        t0, found_old = _cpu(), []
        for b in blobs:
            text, _ = old(b)
            inspect_text(text, "")
            found_old.append(extract_facts(text, "bench"))
        t = _cpu() - t0
        print(f"before (git {BEFORE_COMMIT}) {n_pages / t:5.0f} pages/CPU-s   {n_pages / t / rate_pdfium:6.3f}x   "
              "(pdfplumber tables on every page + metadata + extract_facts)")

    def facts_line(name: str, found: list[list]) -> None:
        prose = table = extra = 0
        for facts, d in zip(found, docs):
            got = [(round(f.value, 6), f.unit) for f in facts]
            p, tt = score(got, d.truth_prose), score(got, d.truth_table)
            prose, table = prose + p, table + tt
            extra += max(0, len(got) - score(got, d.truth_prose + d.truth_table))
        tp, tt = sum(len(d.truth_prose) for d in docs), sum(len(d.truth_table) for d in docs)
        print(f"facts {name:<9}  prose {prose}/{tp} ({prose / tp:.1%})  table {table}/{tt} ({table / max(tt, 1):.1%})  "
              f"not planted {extra}")
    facts_line("product", found_new)
    if found_old is not None:
        facts_line("before", found_old)

    tmp = Path(args.corpus)
    for n in (50, 500):
        path = long_report(tmp, n)
        m = memory(path, "product")
        line = f"peak memory {m['pages']:>3} pages: product {m['peak']:.0f} MB (+{m['peak'] - m['base']:.0f} over imports)"
        if not args.skip_before:
            b = memory(path, "before")
            line += f", before {b['peak']:.0f} MB (+{b['peak'] - b['base']:.0f})"
        print(line)

    for n in (50, 200):
        data = long_report(tmp, n).read_bytes()
        t0 = _cpu()
        pages, _, _ = product(data)
        t = _cpu() - t0
        print(f"{pages:>3}-page report  {1000 * t / pages:6.2f} ms/page (parse + metadata + extract)")

    _ocr_rate(tmp)


def _ocr_rate(tmp: Path) -> None:
    from demo_portal.documents import scanned_pdf
    from etl.parse import ocr, read_pdf
    if ocr.unavailable():
        print(f"OCR              not measured: {ocr.unavailable()}")
        return
    doc = [d for _, d in build_corpus(tmp, 1500)][0]
    import random
    from parse_corpus import blocks_for
    blocks = blocks_for(type(doc)("ocr", 3, "hans", tables=True), random.Random(3))
    data = scanned_pdf("某县司法局2024年法治政府建设年度报告", blocks)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = read_pdf(data)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(f"OCR              {r.ocr_pages / wall:.2f} pages/s wall, {r.ocr_pages / max(cpu, 1e-9):.2f} pages/CPU-s "
          f"(Tesseract {ocr.DPI} dpi, {r.ocr_pages} pages, mean confidence {r.ocr_confidence})")


if __name__ == "__main__":
    main()
