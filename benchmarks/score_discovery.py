"""Discovery and fetch per demo column: reports found vs the portal's manifest, decoys
rejected, and HTTP requests on night 1 and on an unchanged night 2 (same process, same
state folder, one client per night as a worker would have).

    .venv/bin/python benchmarks/score_discovery.py
"""
from __future__ import annotations

import json
import logging
import tempfile
from collections import Counter
from dataclasses import replace
from pathlib import Path

from demo_portal import Portal, build_site
from demo_portal.content import AGENCIES
from etl.discovery import discover, load_registry
from etl.fetch import fetch_source
from etl.http import Http
from etl.discovery.getter import page_getter
from etl.settings import load_settings
from etl.store import BlobStore, Validators


def night(settings, portal) -> dict[str, dict]:
    out = {}
    for src in load_registry(settings.sources_file, portal.base_url):
        with Http(settings) as http:
            cache = Validators.for_source(settings, src.id)
            d = discover(src, page_getter(src, http, BlobStore(settings.raw_dir), cache),
                         settings.max_pages, settings.max_documents)
            cache.save()
            fetched = fetch_source(d.refs, src, settings, http)
            out[src.id] = {"discovery": d, "fetched": fetched, "requests": http.requests}
    return out


def main() -> None:
    logging.disable(logging.WARNING)
    tmp = Path(tempfile.mkdtemp(prefix="score-discovery-"))
    site = build_site(tmp / "site")
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    style = {a.id: a.cms for a in AGENCIES}
    with Portal(site) as p:
        s = replace(load_settings(), data_dir=tmp / "data", portal_url=p.base_url, timeout_s=1, retries=1,
                    politeness_s=0)
        n1 = night(s, p)
        log1 = len(p.log)
        n2 = night(s, p)
        status2 = Counter(st for _, _, st in p.log[log1:])
    print(f"{'source':<13} {'convention':<11} {'reports':>8} {'expected':>8} {'disclos.':>8} {'decoys':>6} "
          f"{'req n1':>6} {'req n2':>6}")
    tot = Counter()
    for sid, r in n1.items():
        d = r["discovery"]
        want = {p.base_url + m["url"] for m in manifest if m["source_id"] == sid}
        got = {x.url for x in d.refs if x.kind == "rule_of_law"}
        row = Counter(found=len(got & want), expected=len(want), extra=len(got - want),
                      disclosure=sum(x.kind == "disclosure" for x in d.refs),
                      decoys=sum(x.decision == "decoy" for x in d.listed),
                      req1=r["requests"], req2=n2[sid]["requests"])
        tot.update(row)
        print(f"{sid:<13} {style.get(sid, '?'):<11} {row['found']:>8} {row['expected']:>8} {row['disclosure']:>8} "
              f"{row['decoys']:>6} {row['req1']:>6} {row['req2']:>6}" + (f"  EXTRA {row['extra']}" if row["extra"] else ""))
    print(f"{'total':<25} {tot['found']:>8} {tot['expected']:>8} {tot['disclosure']:>8} {tot['decoys']:>6} "
          f"{tot['req1']:>6} {tot['req2']:>6}")
    print(f"night 2 answers by status: {dict(sorted(status2.items()))} "
          f"(200s there: robots.txt, POSTed form pages and the faked failures)")


if __name__ == "__main__":
    main()
