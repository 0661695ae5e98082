"""`python -m etl extract|inspect`: the command-line contract the scorer reads."""
from __future__ import annotations

import json
import subprocess
import sys

from test_parse import _page, _pdf

TEXT = "2024年，某县司法局组织开展普法宣传活动二十余场，发放宣传资料3000余份，办理行政复议案件12件。"


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", *args], capture_output=True, text=True, timeout=120)


def test_extract_jsonl_from_txt_html_pdf(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.html").write_text(_page(f"<p>{TEXT}</p>" * 2), encoding="utf-8")
    (tmp_path / "c.pdf").write_bytes(_pdf([TEXT]))
    r = _run("extract", *(str(tmp_path / n) for n in ("a.txt", "b.html", "c.pdf")), "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    facts = [json.loads(line) for line in r.stdout.splitlines()]
    for f in facts:
        assert {"doc", "metric", "category", "value", "unit", "qualifier", "quote", "start", "end"} <= set(f)
    a = [(f["value"], f["unit"], f["qualifier"]) for f in facts if f["doc"] == "a"]
    assert a == [(20.0, "场", "more_than"), (3000.0, "份", "more_than"), (12.0, "件", "exact")]
    assert [(f["value"], f["unit"]) for f in facts if f["doc"] == "c"] == [(20.0, "场"), (3000.0, "份"), (12.0, "件")]
    assert len([f for f in facts if f["doc"] == "b"]) == 6       # the paragraph is printed twice


def test_bad_file_is_reported_and_others_still_extracted(tmp_path):
    (tmp_path / "bad.pdf").write_bytes(b"not a pdf")
    (tmp_path / "ok.txt").write_text(TEXT, encoding="utf-8")
    r = _run("extract", str(tmp_path / "bad.pdf"), str(tmp_path / "ok.txt"), "--format", "jsonl")
    assert r.returncode == 1
    assert "bad.pdf" in r.stderr and "broken PDF" in r.stderr
    assert len(r.stdout.splitlines()) == 3


def test_inspect_prints_document_metadata(tmp_path):
    (tmp_path / "r.txt").write_text("湖北省宜昌市夷陵区司法局2023年法治政府建设工作情况报告\n" + TEXT, encoding="utf-8")
    r = _run("inspect", str(tmp_path / "r.txt"))
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["doc"] == "r" and d["province"] == "湖北省" and d["province_code"] == "420000"
    assert d["city"] == "宜昌市" and d["county"] == "夷陵区" and d["report_year"] == 2023 and d["script"] == "hans"


def test_finish_says_why_a_run_is_red(tmp_path):
    """A run whose validate and alert never ran: the verdict task exits non-zero with the reasons."""
    import os
    env = dict(os.environ, ETL_DATA_DIR=str(tmp_path / "data"), ETL_WAREHOUSE=str(tmp_path / "data" / "wh.duckdb"))
    r = subprocess.run([sys.executable, "-m", "etl", "finish", "--run-id", "night-x"], capture_output=True,
                       text=True, timeout=120, env=env)
    assert r.returncode == 1
    assert "validate did not write a result" in r.stderr and "the alert did not run" in r.stderr.lower()
    verdict = json.loads((tmp_path / "data" / "staging" / "night-x" / "verdict.json").read_text(encoding="utf-8"))
    assert verdict["state"] == "failed" and len(verdict["reasons"]) == 2
