"""Score identification and authorship on the demo portal's authorship columns
(demo_portal/authorship.py): one night of the whole pipeline on those columns, then per
report whether it reached core.report under its writer (agency, region chain, level, year,
title), how many documents about a report reached core.report, and the facts' F1 against
`truth_authorship.jsonl` (agency, year, value, unit).

    .venv/bin/python benchmarks/score_authorship.py [--keep DIR]
"""
from __future__ import annotations

import argparse
import json
import logging
import tempfile
from collections import Counter
from dataclasses import replace
from pathlib import Path

import duckdb
import yaml

from demo_portal.authorship import source_entries
from demo_portal.generator import build_site
from demo_portal.server import Portal
from etl.pipeline.runner import run_all
from etl.settings import load_settings


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--keep", type=Path, help="work folder (kept); a temporary one otherwise")
    args = ap.parse_args()
    logging.disable(logging.WARNING)
    tmp = args.keep or Path(tempfile.mkdtemp(prefix="score-authorship-"))
    site = build_site(tmp / "site")
    reg = tmp / "sources.yaml"
    reg.write_text(yaml.safe_dump({"sources": source_entries()}, allow_unicode=True), encoding="utf-8")
    with Portal(site) as portal:
        s = replace(load_settings(), data_dir=tmp / "data", warehouse=tmp / "data" / "wh.duckdb", sources_file=reg,
                    portal_url=portal.base_url, politeness_s=0, timeout_s=2.0, retries=1)
        try:
            run_all("score-authorship", s)
        except Exception as e:                 # a red run still loaded what it could
            print(f"run: {type(e).__name__}: {e}")
        base = portal.base_url
    manifest = json.loads((site / "manifest_authorship.json").read_text(encoding="utf-8"))
    truth = [json.loads(x) for x in (site / "truth_authorship.jsonl").read_text(encoding="utf-8").splitlines() if x]
    with duckdb.connect(str(s.warehouse), read_only=True) as con:
        core = {u[len(base):]: r for u, *r in con.execute(
            "SELECT url, agency, province, province_code, city, county, level, report_year, title FROM core.report").fetchall()}
        loaded = Counter(con.execute("SELECT agency, report_year, value, unit FROM core.fact_metric").fetchall())
    print(f"{'case':<10} {'in core':<8} {'writer':<7} {'title':<6} got")
    in_core = writer_ok = title_ok = 0
    for m in manifest["reports"]:
        r = core.get(m["url"])
        want = [m["agency"], m["province"], m["province_code"], m["city"] or None, m["county"] or None, m["level"],
                m["report_year"]]
        w_ok = r is not None and list(r[:7]) == want
        t_ok = r is not None and r[7] == m["title"]
        in_core += r is not None
        writer_ok += w_ok
        title_ok += t_ok
        print(f"{m['case']:<10} {'yes' if r else 'no':<8} {'ok' if w_ok else '-':<7} {'ok' if t_ok else '-':<6} "
              f"{(r[0], r[6], r[7]) if r else ''}")
    decoys = sum(1 for d in manifest["decoys"] if d["url"] in core)
    want = Counter((t["agency"], t["report_year"], t["value"], t["unit"]) for t in truth)
    hit = sum((want & loaded).values())
    p = hit / max(1, sum(loaded.values()))
    rc = hit / max(1, sum(want.values()))
    f1 = 2 * p * rc / (p + rc) if p + rc else 0.0
    n = len(manifest["reports"])
    print(f"reports in core.report {in_core}/{n}, under their writer {writer_ok}/{n}, own title {title_ok}/{n}; "
          f"documents about a report in core.report {decoys}/{len(manifest['decoys'])}; rows in core.report {len(core)}")
    print(f"facts: planted {sum(want.values())}, loaded {sum(loaded.values())}, right {hit}: "
          f"precision {p:.3f} recall {rc:.3f} F1 {f1:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
