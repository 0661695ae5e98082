"""Scale figures: the demo portal generated at N reports (HTML, PDF 1-60 pages, Simplified
and Traditional, with truth) served on loopback; `python -m etl run` for a first night and
an unchanged second night: wall, CPU, cores busy, requests. The reference is the same first
night with one worker process, measured in the same run. Then the extrapolation to 100k
reports on 2 cores and on k machines. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bench_scale.py                 # N = 1000, ETL_WORKERS = cores
    .venv/bin/python benchmarks/bench_scale.py --reports 300 --workers 2
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from demo_portal.scale import build_scaled_site  # noqa: E402
from demo_portal.server import Portal  # noqa: E402

PAGE = re.compile(rb"/Type\s*/Page[^s]")


def document_paths(data: Path) -> set[str]:
    """URL paths of every document and attachment the runs in `data` fetched (the run store)."""
    from dataclasses import replace

    from etl.runstore import FETCHED, runs
    from etl.settings import load_settings
    out = set()
    for run in runs(replace(load_settings(), data_dir=data)):
        for sid in run.keys(FETCHED):
            for r in run.read(FETCHED, sid):
                for x in [{"url": r.url, "final_url": r.final_url}, *r.attachments]:
                    for key in ("url", "final_url"):
                        if x.get(key):
                            out.add(urlsplit(x[key]).path)
    return out


def classify(log: list, docs: set[str]) -> dict[str, int]:
    """Requests: robots.txt, documents (report pages, attachments), listing (the rest)."""
    robots = sum(1 for _, path, _ in log if path == "/robots.txt")
    documents = sum(1 for _, path, _ in log if path.split("?")[0] in docs)
    return {"robots": robots, "documents": documents, "listing": len(log) - robots - documents}


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def freeze_code(dest: Path) -> Path:
    """A copy of the package taken once, imported by every night (PYTHONPATH), so the
    three runs compare the same code even while the checkout changes."""
    import shutil
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    for part in ("etl", "demo_portal", "sql", "expectations"):
        shutil.copytree(ROOT / part, dest / part, ignore=skip)
    return dest


def night(label: str, data: Path, portal: Portal, sources: Path, workers: int, code: Path) -> dict:
    """One `python -m etl run` in a child process (its pool's CPU counted with it)."""
    env = {**os.environ, "PYTHONPATH": str(code), "ETL_SQL_DIR": str(code / "sql"),
           "ETL_SUITE": str(code / "expectations" / "facts.json"), "ETL_DATA_DIR": str(data), "ETL_WAREHOUSE": str(data / "wh.duckdb"),
           "ETL_SOURCES": str(sources), "ETL_PORTAL_URL": portal.base_url, "ETL_POLITENESS": "0",
           "ETL_HTTP_TIMEOUT": "1", "ETL_HTTP_RETRIES": "1", "ETL_WORKERS": str(workers),
           "ETL_ALERT_WEBHOOK_URL": "", "ETL_ALERT_SMTP_HOST": "", "ETL_ALERT_URLS": "", "ETL_MAX_DOCUMENTS": "1000"}
    n0, cpu0, t0 = len(portal.log), _children_cpu(), time.monotonic()
    p = subprocess.run([sys.executable, "-m", "etl", "run", "--run-id", label], env=env, cwd=code,
                       capture_output=True, text=True)
    wall, cpu = time.monotonic() - t0, _children_cpu() - cpu0
    log = portal.log[n0:]
    counts = {}
    for line in reversed(p.stdout.splitlines()):
        if line.startswith("{"):
            counts = json.loads(line)
            break
    if p.returncode and not counts:
        sys.stderr.write(p.stderr[-3000:])
    (data.parent / f"{label.split(',')[0].replace(' ', '_')}-{workers}.requests.json").write_text(
        json.dumps(log, ensure_ascii=False))          # what was asked, for a closer look
    kinds = classify(log, document_paths(data))
    return {"label": label, "workers": workers, "wall": wall, "cpu": cpu, "busy": cpu / wall,
            "requests": len(log), **kinds, "s304": sum(1 for *_, s in log if s == 304),
            "parsed": counts.get("documents_parsed"), "loaded": counts.get("facts_loaded"),
            "found": counts.get("documents_found")}


def row(r: dict, ref: dict) -> str:
    return (f"{r['label']:<22} {r['workers']:>2} {r['wall']:7.1f} s {r['cpu']:7.1f} s  {r['busy']:4.2f}  "
            f"{r['requests']:6d} ({r['listing']} listing, {r['robots']} robots, {r['documents']} documents; "
            f"{r['s304']} x 304)  parsed {r['parsed']}  facts {r['loaded']}  "
            f"cpu x{r['cpu'] / ref['cpu']:.3f}  wall x{r['wall'] / ref['wall']:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--site", type=Path, default=Path(tempfile.gettempdir()) / "fzzf-bench-scale")
    args = ap.parse_args()
    t0 = time.monotonic()
    site = build_scaled_site(args.site / f"portal-{args.reports}", args.reports)
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    pages = [len(PAGE.findall((site / m["pdf"].lstrip("/")).read_bytes())) for m in manifest
             if m.get("pdf") and (site / m["pdf"].lstrip("/")).is_file()]
    print(f"site: {len(manifest)} reports ({sum(1 for m in manifest if m['pdf'])} with PDF), "
          f"built/reused in {time.monotonic() - t0:.1f}s: {site}")
    if pages:
        print(f"PDF pages: {sum(pages)} in {len(pages)} PDFs, {min(pages)}-{max(pages)} each, "
              f"median {sorted(pages)[len(pages) // 2]}")
    runs = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    print(f"runs and request logs: {runs}")
    code = freeze_code(runs / "code")
    with Portal(site) as portal:
        ref = night("night 1, one process", runs / "ref", portal, site / "sources.yaml", 1, code)
        one = night("night 1", runs / "pool", portal, site / "sources.yaml", args.workers, code)
        two = night("night 2 (unchanged)", runs / "pool", portal, site / "sources.yaml", args.workers, code)
    print(f"{'run':<22} {'k':>2} {'wall':>9} {'CPU':>9}  busy  requests")
    for r in (ref, one, two):
        print(row(r, ref))
    print(f"night 2 / night 1: CPU {two['cpu'] / one['cpu']:.1%}, requests {two['requests']} "
          f"= {two['listing']} listing pages + {two['robots']} robots.txt + {two['documents']} documents "
          f"re-requested ({two['s304']} answered 304)")
    # Extrapolation: CPU scales with reports; the night-1 pool's cores-busy is what one
    # 2-core machine achieves; k machines divide the parallel part (all but the one load).
    n = len(manifest) or args.reports
    for label, r in (("night 1", one), ("night 2", two)):
        cpu_100k = r["cpu"] / n * 100_000
        wall_2 = cpu_100k / max(r["busy"], 1e-9)
        ks = "  ".join(f"k={k}: {wall_2 / k / 3600:5.2f} h" for k in (1, 4, 16))
        print(f"100k reports, {label}: {cpu_100k / 3600:6.2f} CPU-hours; one 2-core machine "
              f"{wall_2 / 3600:5.2f} h; {ks}")


if __name__ == "__main__":
    main()
