"""`python -m etl extract|inspect`: the command-line contract the scorer reads."""
from __future__ import annotations

import dataclasses
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
    from etl.runstore import VERDICT, RunStore
    from etl.settings import load_settings
    s = dataclasses.replace(load_settings(), data_dir=tmp_path / "data")
    verdict = RunStore(s, "night-x").get(VERDICT)
    assert verdict["state"] == "failed" and len(verdict["reasons"]) == 2


# -- errors people can act on, exit codes scripts can use (etl/cli_errors.py) -----------------

def _snapshot(tmp_path):
    """A tiny read-only snapshot: one mart row (the commands' --db)."""
    import duckdb
    db = tmp_path / "snap.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE SCHEMA marts")
        con.execute("CREATE TABLE marts.province_comparison AS SELECT '湖北省' AS province, 2024 AS report_year, "
                    "'city' AS level, 'cases_handled' AS metric, 'count' AS measure, '件' AS unit, "
                    "3 AS total, ['a-0000'] AS fact_ids")
    return str(db)


def test_sql_errors_are_two_lines_with_duckdbs_suggestion_first(tmp_path):
    db = _snapshot(tmp_path)
    r = _run("sql", "--db", db, "FROM province_comparison")
    assert r.returncode == 3 and "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 2 and lines[0] == 'error: Did you mean "marts.province_comparison"?'
    r = _run("sql", "--db", db, "SELEC 1")
    assert r.returncode == 3 and len(r.stderr.strip().splitlines()) == 1 and "syntax error" in r.stderr
    r = _run("sql", "--db", db, "--csv", "CREATE TABLE marts.x (a INT)")
    assert r.returncode == 3 and "read-only" in r.stderr and "Traceback" not in r.stderr
    r = _run("sql", "--db", str(tmp_path / "none.duckdb"), "SELECT 1")
    assert r.returncode == 4 and "run the pipeline first" in r.stderr


def test_explain_prints_usage_without_keys_and_names_misplaced_keys(tmp_path):
    db = _snapshot(tmp_path)
    r = _run("explain", "--db", db, "province_comparison")
    assert r.returncode == 2 and "usage: python -m etl explain" in r.stderr
    assert "province report_year level metric measure unit" in r.stderr
    r = _run("explain", "--db", db, "province_comparison", "2024", "湖北省")
    assert r.returncode == 1 and "{" not in r.stderr and "Traceback" not in r.stderr
    assert "'2024' is not a province (it is a report_year)" in r.stderr and "keys go in this order" in r.stderr
    r = _run("explain", "--db", db, "province_comparisons", "湖北省")
    assert r.returncode == 2 and "did you mean 'province_comparison'" in r.stderr


def test_sources_find_says_why_a_url_cannot_be_read():
    import socket
    with socket.socket() as s:          # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    r = _run("sources", "find", f"http://127.0.0.1:{port}/x")
    assert r.returncode == 5 and "Connection refused" in r.stderr and "no report column" not in r.stdout + r.stderr
    r = _run("sources", "find", "www.example.gov.cn")
    assert r.returncode == 5 and "has no scheme" in r.stderr and "https://www.example.gov.cn" in r.stderr


def test_extract_on_an_article_whose_report_is_an_attachment(tmp_path):
    page = ("<html><head><meta charset='utf-8'><title>某县司法局2024年法治政府建设年度报告</title></head><body>"
            "<h1>某县司法局2024年法治政府建设年度报告</h1><p>现将年度报告予以公开，详见附件。</p>"
            "<p><a href='./P020250101.pdf'>某县司法局2024年法治政府建设年度报告.pdf</a></p></body></html>")
    (tmp_path / "article.html").write_text(page, encoding="utf-8")
    r = _run("extract", str(tmp_path / "article.html"))
    assert r.returncode == 1 and r.stdout == ""
    assert "attachment" in r.stderr and "P020250101.pdf" in r.stderr


def test_a_closed_pipe_ends_quietly():
    """`python -m etl catalog | head -1`: no BrokenPipeError traceback, exit 141 like Unix tools."""
    p = subprocess.Popen([sys.executable, "-m", "etl", "catalog"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    p.stdout.close()                     # the reader goes away before the first line
    err = p.stderr.read().decode()
    assert p.wait(60) == 141 and "Traceback" not in err and "BrokenPipe" not in err


def test_progress_only_on_a_terminal(settings, portal):
    import io
    from dataclasses import replace
    from etl.discovery.cli import check
    from etl.progress import Progress
    tty, out = io.StringIO(), io.StringIO()
    settings = replace(settings, portal_url=portal.base_url, politeness_s=0)
    assert check(["hb-sft"], settings, out=out, progress=Progress(tty, enabled=True)) == 0, out.getvalue()
    assert "[1/1] hb-sft" in tty.getvalue() and "1 sources, " in tty.getvalue() and "reports listed" in tty.getvalue()
    assert "\r" not in out.getvalue()
    piped = io.StringIO()
    assert Progress(piped).enabled is False                 # StringIO is no terminal: silent
    r = _run("sources", "check", "no-such-id")
    assert "sources check:" not in r.stderr                 # stderr captured: no progress
