"""Nothing lost without someone told: a night against the hostile report column on loopback
(demo_portal.hostile.COLUMN). Every listed report that is refused or unreadable for any
reason but robots.txt / another host is an error row with its kind, the listed item's
decision says the same kind, the alert names the document and its reason, and the night is
not green. A registry URL that crashes urlsplit stops only its own source."""
from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest
import yaml

from demo_portal.hostile import AGENCY, COLUMN, Hostile
from etl.fetch import fetch_one, fetch_source
from etl.http import Http
from etl.records import DocRef, Source
from etl.store import BlobStore, Validators

REFUSED = {"robots-refused", "off-host"}


@pytest.fixture(scope="module")
def hostile():
    with Hostile(bomb_mb=40, drip_s=0.1) as h:
        yield h


def _settings(settings, hostile, tmp_path: Path, entries: list[dict]):
    registry = tmp_path / "sources.yaml"
    registry.write_text(yaml.safe_dump({"sources": entries}, allow_unicode=True), encoding="utf-8")
    return replace(settings, politeness_s=0, retries=4, timeout_s=2.0, request_deadline_s=2.0,
                   max_bytes=2 * 2**20, workers=1, sources_file=registry, portal_url=hostile.base_url)


def _column_source(hostile) -> dict:
    return {"id": "jh-sfj", "agency": AGENCY, "listing_url": "{portal}/column/index.html"}


def _url(hostile, path: str) -> str:
    return path.replace("{off}", hostile.other_host_url) if path.startswith("{off}") else hostile.base_url + path


def _night(s, run_id: str) -> tuple[dict, dict, str]:
    from etl.pipeline.finish import RunFailed
    from etl.pipeline.runner import run_all
    try:
        run_all(run_id, s)
    except RunFailed:                      # red: judged below from what the run wrote
        pass
    from etl.runstore import ALERT, VERDICT, RunStore
    run = RunStore(s, run_id)
    alert, verdict = run.get(ALERT), run.get(VERDICT)
    text = (s.data_dir / "alerts" / f"{run_id}.md").read_text(encoding="utf-8")
    return alert, verdict, text


def _green(alert: dict, verdict: dict) -> bool:
    return verdict["state"] == "success" and not alert["problems"]


def test_every_lost_report_is_recorded_named_in_the_alert_and_the_night_not_green(settings, hostile, tmp_path):
    s = _settings(settings, hostile, tmp_path, [_column_source(hostile)])
    alert, verdict, text = _night(s, "lost1")
    with duckdb.connect(str(s.warehouse), read_only=True) as con:
        errors = {u: (k, e) for u, k, e in con.execute("SELECT url, kind, error FROM raw.document_errors").fetchall()}
        decision = dict(con.execute("SELECT url, decision FROM raw.discovery WHERE via <> 'attachment'").fetchall())
        attached = dict(con.execute("SELECT url, decision FROM raw.discovery WHERE via = 'attachment'").fetchall())
        loaded = {u for u, in con.execute("SELECT url FROM raw.documents").fetchall()}
        facts = con.execute("SELECT count(*) FROM raw.facts").fetchone()[0]
    assert not _green(alert, verdict)
    assert "documents_failed" in alert["problems"]
    for path, (title, fate) in COLUMN.items():
        url = _url(hostile, path)
        if fate == "report":
            assert url in loaded and url not in errors
            assert decision[url] == "report"
        elif fate in REFUSED:                               # a rule followed: recorded, not lost
            assert decision[url] == fate and url not in errors, (path, decision.get(url))
            assert url not in text
        else:                                               # lost: an error row with its kind
            assert errors[url][0] == fate, (path, errors.get(url))
            assert f": {fate}] {url}: " in text, (path, fate)        # the alert names it and why
            if path != "/column/cover.html":                # (a fetched page: its attachment was lost)
                assert decision[url] == fate, (path, decision.get(url))
    assert attached[_url(hostile, "/column/cover-attachment.pdf")] == "too-large"     # the lost attachment too
    assert facts > 0                                        # the readable report still loads
    assert "exceeds the cap" in errors[_url(hostile, "/column/huge.pdf")][1]
    assert "an HTML page, titled '页面不存在'" in errors[_url(hostile, "/column/page.pdf")][1]
    assert "empty body" in errors[_url(hostile, "/column/empty.pdf")][1]
    assert "HTTP 403" in errors[_url(hostile, "/column/blocked.pdf")][1]
    assert "2s in all (ETL_REQUEST_DEADLINE)" in errors[_url(hostile, "/column/drip-reset.pdf")][1]


def test_a_registry_url_that_crashes_urlsplit_stops_only_its_own_source(settings, hostile, tmp_path):
    bad = [{"id": "v6", "agency": "武汉市硚口区司法局", "listing_url": "http://[::1/x"},
           {"id": "hosts", "agency": "武汉市硚口区司法局", "listing_url": "{portal}/ok", "allowed_hosts": {"a": 1}}]
    s = _settings(settings, hostile, tmp_path, bad + [_column_source(hostile)])
    alert, verdict, text = _night(s, "registry1")
    assert verdict["state"] == "failed" and "registry_problem" in alert["problems"]
    assert "v6" in text and "Invalid IPv6 URL" in text and "hosts" in text
    with duckdb.connect(str(s.warehouse), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM raw.documents WHERE source_id = 'jh-sfj'").fetchone()[0] == 1


def _source(hostile) -> Source:
    return Source("jh-sfj", AGENCY, f"{hostile.base_url}/column/index.html")


def test_one_deadline_holds_across_retries_of_a_server_that_hangs_up(settings, hostile):
    """Each attempt drips 0.8 s and is cut off mid-body: five attempts with their backoff
    would take ~7 s; the request's one deadline of 2 s ends them all."""
    s = replace(settings, politeness_s=0, retries=5, timeout_s=2.0, request_deadline_s=2.0)
    ref = DocRef("jh-sfj", f"{hostile.base_url}/column/drip-reset.pdf", "t")
    before = hostile.hits["/column/drip-reset.pdf"]
    t0 = time.monotonic()
    with Http(s) as http:
        f = fetch_one(ref, _source(hostile), http, BlobStore(s.raw_dir), Validators.for_source(s, "jh-sfj"))
    took = time.monotonic() - t0
    assert (f.status, f.error_kind) == ("error", "timeout")
    assert took < 2.0 + 0.6, took
    assert 2 <= hostile.hits["/column/drip-reset.pdf"] - before <= 3      # it was retried, within the deadline


def test_the_document_deadline_covers_its_attachments_together(settings, hostile):
    """Three attachments that each drip slowly: the document's deadline ends the last ones."""
    s = replace(settings, politeness_s=0, retries=1, timeout_s=5.0, request_deadline_s=10.0,
                document_deadline_s=1.5)
    page = f"{hostile.base_url}/column/three.html"
    t0 = time.monotonic()
    with Http(s) as http:
        f = fetch_one(DocRef("jh-sfj", page, "t"), _source(hostile), http, BlobStore(s.raw_dir),
                      Validators.for_source(s, "jh-sfj"))
    assert time.monotonic() - t0 < 1.5 + 0.6
    assert f.attachments and all("ETL_DOCUMENT_DEADLINE" in a["error"] for a in f.attachments)
    assert {a["refused"] for a in f.attachments} == {"timeout"}


def test_the_sources_budget_cuts_the_night_and_says_so(settings, hostile):
    s = replace(settings, politeness_s=0, retries=5, timeout_s=2.0, request_deadline_s=10.0, source_budget_s=1.2)
    refs = [DocRef("jh-sfj", f"{hostile.base_url}{p}", COLUMN[p][0], report_year=2024)
            for p in ("/column/drip-reset.pdf", "/column/good.html")]
    t0 = time.monotonic()
    with Http(s) as http:
        out = fetch_source(refs, _source(hostile), s, http)
    assert time.monotonic() - t0 < 1.2 + 0.6
    assert [(f.status, f.error_kind) for f in out] == [("error", "budget-exhausted")] * 2
    assert "ETL_SOURCE_BUDGET" in out[1].error and "not fetched" in out[1].error


def test_a_night_cut_by_the_sources_budget_names_what_it_did_not_fetch(settings, hostile, tmp_path):
    s = replace(_settings(settings, hostile, tmp_path, [_column_source(hostile)]), source_budget_s=1.0)
    alert, verdict, text = _night(s, "budget1")
    with duckdb.connect(str(s.warehouse), read_only=True) as con:
        cut = {u for u, in con.execute("SELECT url FROM raw.document_errors WHERE kind = 'budget-exhausted'").fetchall()}
        decided = {u for u, in con.execute("SELECT url FROM raw.discovery WHERE decision = 'budget-exhausted'").fetchall()}
    assert _url(hostile, "/column/gone.pdf") in cut and cut <= decided      # the last ones listed
    assert not _green(alert, verdict)
    assert f"[fetch: budget-exhausted] {_url(hostile, '/column/gone.pdf')}: not fetched: the source's budget of 1s" in text


def test_what_the_listing_spent_is_taken_from_the_fetch_budget(settings, hostile):
    """crawl passes fetch what discovery left of the source's budget: none left, nothing asked."""
    s = replace(settings, politeness_s=0, source_budget_s=600.0)
    refs = [DocRef("jh-sfj", f"{hostile.base_url}/column/good.html", COLUMN["/column/good.html"][0])]
    before = hostile.hits["/column/good.html"]
    with Http(s) as http:
        [f] = fetch_source(refs, _source(hostile), s, http, budget_s=0.0)
    assert (f.status, f.error_kind) == ("error", "budget-exhausted") and "600s (ETL_SOURCE_BUDGET)" in f.error
    assert hostile.hits["/column/good.html"] == before
