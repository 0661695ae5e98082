"""`make demo`'s registry adds bad data (demo_portal/bad_data.py): one night through the whole
pipeline shows the 250% rate quarantined, the tenfold jump warned and loaded, the gone
listing recorded and the run red, exactly as truth_dq.jsonl says."""
from __future__ import annotations

import json
from dataclasses import replace

import duckdb

from etl.demo import demo_registry
from etl.pipeline.runner import run_all


def test_demo_bad_data_is_quarantined_warned_and_red(tmp_path, site):
    from demo_portal import Portal
    from etl.settings import load_settings
    s = replace(load_settings(), data_dir=tmp_path / "data", warehouse=tmp_path / "data" / "wh.duckdb",
                politeness_s=0, timeout_s=1.0, retries=1)
    s = replace(s, sources_file=demo_registry(s))
    with Portal(site) as portal:
        s = replace(s, portal_url=portal.base_url)
        assert run_all("bad", s)["verdict"] == "red"             # red: a listing is gone
    truth = [json.loads(x) for x in (site / "truth_dq.jsonl").read_text(encoding="utf-8").splitlines()]
    with duckdb.connect(str(s.warehouse), read_only=True) as con:
        quarantined = {q for (q,) in con.execute("SELECT quote FROM dq.quarantine WHERE kind = 'fact'").fetchall()}
        warned = {q for (q,) in con.execute("SELECT quote FROM dq.warnings").fetchall()}
        loaded = {q for (q,) in con.execute(
            "SELECT quote FROM core.fact_metric WHERE agency = '黄石市市场监督管理局'").fetchall()}
        gone = con.execute("SELECT error FROM raw.document_errors WHERE source_id = 'hb-hs-sfj'").fetchall()
    for t in truth:
        hit = {q for q in quarantined if t["quote"] in q or q in t["quote"]}
        if t["outcome"] == "quarantined":
            assert hit and not any(t["quote"] in q for q in loaded), t
        else:
            assert not hit and any(t["quote"] in q or q in t["quote"] for q in loaded), t
        if t["outcome"] == "warned":
            assert any(t["quote"] in q or q in t["quote"] for q in warned), t
    assert gone and "HTTP 404" in gone[0][0]
