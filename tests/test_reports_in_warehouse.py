"""What the warehouse holds is the reports and only the reports: one night of the whole
pipeline (no Airflow) on the demo portal, checked through a read-only DuckDB connection
against the portal's manifest."""
from __future__ import annotations

import json
from dataclasses import replace

import duckdb
import pytest

from nightly import run_night


@pytest.fixture(scope="module")
def night(tmp_path_factory, site):
    from demo_portal import Portal
    from etl.settings import load_settings
    tmp = tmp_path_factory.mktemp("night")
    with Portal(site) as portal:
        s = replace(load_settings(), data_dir=tmp / "data", warehouse=tmp / "data" / "wh.duckdb",
                    portal_url=portal.base_url, politeness_s=0, timeout_s=1.0, retries=1)
        run_night("night1", s)            # red for the planted failures; the load must be done
        yield s, portal.base_url


def _rows(s, sql):
    with duckdb.connect(str(s.warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_core_report_is_one_report_per_agency_and_year(night, site):
    s, base = night
    manifest = [m for m in json.loads((site / "manifest.json").read_text(encoding="utf-8"))
                if not m["failure"] and not m.get("republished_from")]
    want = {(m["source_id"], m["report_year"], base + m["url"]) for m in manifest}
    got = set(_rows(s, "SELECT source_id, report_year, url FROM core.report"))
    assert got == want


def test_facts_carry_the_reason_for_their_category(night):
    s, _ = night
    [(n, with_reason)] = _rows(s, "SELECT count(*), count(*) FILTER (WHERE category_reason <> '') FROM core.fact_metric")
    assert n > 200 and with_reason == n


def test_a_republished_report_keeps_its_writer(night, site):
    s, base = night
    [repost] = [m for m in json.loads((site / "manifest.json").read_text(encoding="utf-8")) if m.get("republished_from")]
    [(agency, portal_agency)] = _rows(s, f"SELECT agency, portal_agency FROM raw.documents WHERE url = '{base}{repost['url']}'")
    assert portal_agency == "湖北省司法厅" and agency.endswith("硚口区文化和旅游局")
    # the writer's own copy is its report of that year; the repost never displaces the column's own
    assert _rows(s, f"SELECT count(*) FROM core.report WHERE url = '{base}{repost['url']}'") == [(0,)]


def test_every_listed_item_has_a_recorded_decision(night):
    s, _ = night
    rows = _rows(s, "SELECT decision, count(*) FROM raw.discovery GROUP BY 1")
    decisions = dict(rows)
    assert decisions["decoy"] > 50 and decisions["report"] >= 40
    assert _rows(s, "SELECT count(*) FROM raw.discovery WHERE reason IS NULL OR reason = ''") == [(0,)]
    # no decoy was loaded as a document
    assert _rows(s, """SELECT count(*) FROM raw.documents d JOIN raw.discovery x
                       ON x.url = d.url AND x.decision = 'decoy'""") == [(0,)]


def test_a_document_without_text_is_not_parsed_again_while_its_bytes_stay(night, monkeypatch):
    """The portal's broken PDF yields no text: recorded with its bytes' hash; the next
    night repeats its error without parsing it again."""
    from etl import parse as parse_mod
    s, _ = night
    [(url, sha)] = _rows(s, "SELECT url, content_sha256 FROM raw.document_errors WHERE content_sha256 IS NOT NULL")
    parsed: list[str] = []
    real = parse_mod.parse_fetched

    def spy(f, get):
        parsed.append(f.url)
        return real(f, get)
    monkeypatch.setattr(parse_mod, "parse_fetched", spy)
    run_night("night2", replace(s, workers=1))        # in this process, where the spy is
    assert url not in parsed
    rows = _rows(s, f"SELECT run_id, error FROM raw.document_errors WHERE url = '{url}' ORDER BY run_id")
    assert [r[0] for r in rows] == ["night1", "night2"] and rows[0][1] == rows[1][1]
    # without that record (a warehouse that forgot it) the same bytes are parsed again
    import etl.load.state as state
    monkeypatch.setattr(state, "unreadable_state", lambda *a, **k: {})
    run_night("night3", replace(s, workers=1))
    assert url in parsed
