"""Measure the disclosure reports of a folder through the whole pipeline (no asserts).

    .venv/bin/python benchmarks/eval_disclosure_pipeline.py ../shared/eval/xxgk/docs [crossyear.jsonl]

Files named `<publisher>-<year>.<ext>` are published on a local web server (127.0.0.1, one
listing page per publisher), a registry with one source per publisher is written, and
`etl.pipeline.runner.run_all` discovers, fetches, reads, validates and loads them into a
fresh warehouse. Printed: each report's status and flags, then dq.disclosure_warnings
(checks across years and prose vs tables); with an expected crossyear jsonl (pair, rule,
lhs, rhs, holds), each expected result against the warehouse's.
"""
from __future__ import annotations

import json
import re
import sys
import tempfile
import threading
from dataclasses import replace
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
NAME = re.compile(r"^(?P<pub>.+)-(?P<year>20\d\d)\.(?P<ext>html?|pdf)$")


def _site(docs: Path, root: Path) -> dict[str, list[tuple[int, str]]]:
    pubs: dict[str, list[tuple[int, str]]] = {}
    for f in sorted(docs.iterdir()):
        m = NAME.match(f.name)
        if not m:
            continue
        pubs.setdefault(m["pub"], []).append((int(m["year"]), f.name))
        (root / m["pub"]).mkdir(parents=True, exist_ok=True)
        (root / m["pub"] / f.name).write_bytes(f.read_bytes())
    for pub, items in pubs.items():
        links = "".join(f'<li><a href="{n}">{y}年政府信息公开工作年度报告</a><span>{y + 1}-02-20</span></li>'
                        for y, n in items)
        (root / pub / "index.html").write_text(
            f'<html><head><meta charset="utf-8"><title>政府信息公开年报</title></head><body>'
            f'<ul class="list">{links}</ul></body></html>', encoding="utf-8")
    return pubs


def main(docs: Path, expected: Path | None) -> None:
    import duckdb

    from etl.pipeline.runner import run_all
    from etl.settings import load_settings
    tmp = Path(tempfile.mkdtemp(prefix="xxgk-pipeline-"))
    pubs = _site(docs, tmp / "site")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(SimpleHTTPRequestHandler, directory=str(tmp / "site")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    registry = "sources:\n" + "".join(
        f"  - id: {pub}\n    agency: {pub}政府信息公开\n    province: 测试省\n    province_code: '990000'\n"
        f"    listing_url: {base}/{pub}/index.html\n    kinds: [disclosure]\n" for pub in pubs)
    (tmp / "sources.yaml").write_text(registry, encoding="utf-8")
    s = replace(load_settings(), data_dir=tmp / "data", warehouse=tmp / "data" / "wh.duckdb",
                sources_file=tmp / "sources.yaml", politeness_s=0.0, timeout_s=10.0, retries=1)
    try:
        counts = run_all(None, s)
    except Exception as e:                  # the alert step fails the run when something was flagged
        counts = {"error": f"{type(e).__name__}: {e}"}
    finally:
        server.shutdown()
    print("run:", json.dumps({k: v for k, v in counts.items() if "disclosure" in k or k == "error"}, ensure_ascii=False))
    con = duckdb.connect(str(s.warehouse), read_only=True)
    for r in con.execute("""SELECT source_id, report_year, status, n_cells, layout,
                                   (SELECT count(*) FROM dq.disclosure_checks k WHERE k.doc_id = d.doc_id AND k.status = 'failed')
                            FROM raw.disclosure_reports d ORDER BY 1, 2""").fetchall():
        print("report:", *r)
    got = {}
    for r in con.execute("""SELECT w.kind, w.rule, w.source_id, w.report_year, w.lhs, w.rhs, w.holds, w.equation
                            FROM dq.disclosure_warnings w ORDER BY 1, 3, 4, 2""").fetchall():
        print("check:", *r)
        got[(f"{r[2]}-{r[3] - 1} -> {r[2]}-{r[3]}", r[1])] = r
    if expected:
        right = 0
        rows = [json.loads(x) for x in expected.read_text(encoding="utf-8").splitlines() if x.strip()]
        for e in rows:
            g = got.get((e["pair"], e["rule"]))
            ok = g is not None and (g[4], g[5], g[6]) == (e["lhs"], e["rhs"], e["holds"])
            right += ok
            print(f"expected {e['pair']} {e['rule']}: lhs {e['lhs']} rhs {e['rhs']} holds {e['holds']} -> "
                  + (f"lhs {g[4]:g} rhs {g[5]:g} holds {g[6]}" if g else "not evaluated") + ("" if ok else "  MISMATCH"))
        extra = [k for k, g in got.items() if g[0] == "crossyear" and not any(
            (e["pair"], e["rule"]) == k for e in rows)]
        print(f"SUMMARY crossyear expected {len(rows)} right {right} extra {len(extra)}")
    con.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else None)
