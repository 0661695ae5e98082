"""`python -m etl sources check` and `sources find` against the demo portal over real HTTP."""
from __future__ import annotations

import io
from dataclasses import replace

import yaml

from etl.discovery.cli import check, find


def test_check_prints_reports_per_source_and_flags_bad_entries(settings, portal, tmp_path):
    reg = tmp_path / "reg.yaml"
    reg.write_text(yaml.safe_dump({"sources": [
        {"id": "good", "agency": "广州市生态环境局", "listing_url": "{portal}/gd/gz/sthjj/fzzfjs/index.html"},
        {"id": "gone", "agency": "广州市生态环境局", "listing_url": "{portal}/gd/gz/none/index.html"},
        {"id": "typo", "agency": "广州市生态环境局", "listing_ulr": "{portal}/x"},
    ]}, allow_unicode=True), encoding="utf-8")
    s = replace(settings, sources_file=reg, portal_url=portal.base_url, politeness_s=0)
    out = io.StringIO()
    assert check([], s, out) == 1
    text = out.getvalue()
    assert "ERROR source typo: listing_ulr: unknown key (did you mean 'listing_url'?)" in text
    assert "good (广州市生态环境局, 广东省, city)" in text
    assert text.count("report rule_of_law") == 2 and "2023" in text and "2024" in text
    assert "gone" in text and "LISTING FAILED: HTTP 404" in text
    out = io.StringIO()
    assert check(["good"], replace(s, sources_file=reg), out) == 1     # the registry still has a bad entry
    assert "gone" not in out.getvalue()


def test_find_prints_pasteable_entries_from_a_home_page(settings, portal):
    s = replace(settings, politeness_s=0)
    for home, agency, column in [("/hb/sft/index.html", "湖北省司法厅", "/hb/sft/fzzf/col/"),
                                 ("/gd/gz/sthjj/index.html", "广州市生态环境局", "/gd/gz/sthjj/fzzfjs/index.html"),
                                 ("/js/njjn/yjglj/index.html", "南京市江宁区应急管理局", "/js/njjn/yjglj/fzzf/list.jsp")]:
        out = io.StringIO()
        assert find(portal.base_url + home, s, out=out) == 0
        [entry] = yaml.safe_load("\n".join(l for l in out.getvalue().splitlines() if not l.startswith("#")))
        assert entry["agency"].endswith(agency[-6:]), entry
        assert column in entry["listing_url"] and entry["id"].endswith("-1")
    out = io.StringIO()
    assert find(portal.base_url + "/admin/index.html", s, out=out) == 1


def test_check_and_find_read_script_built_columns_in_the_browser(settings, portal, tmp_path):
    reg = tmp_path / "reg.yaml"
    reg.write_text(yaml.safe_dump({"sources": [
        {"id": "shell", "agency": "西安市雁塔区市场监督管理局", "listing_url": "{portal}/sn/xayt/scjgj/fzzfjs/index.html"},
    ]}, allow_unicode=True), encoding="utf-8")
    s = replace(settings, sources_file=reg, portal_url=portal.base_url, politeness_s=0)
    out = io.StringIO()
    assert check([], s, out) == 0, out.getvalue()
    assert "rendered in the browser: 1 page(s)" in out.getvalue()
    assert "report rule_of_law 2024 雁塔区市场监督管理局2024年法治政府建设年度报告" in out.getvalue()
    out = io.StringIO()
    assert find(portal.base_url + "/sd/qd/sthjj/index.html", s, out=out) == 0, out.getvalue()  # JSONP column
    [entry] = yaml.safe_load("\n".join(l for l in out.getvalue().splitlines() if not l.startswith("#")))
    assert entry["listing_url"].endswith("/sd/qd/sthjj/fzzf/index.html")
