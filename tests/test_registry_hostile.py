"""The registry loader against anything a registry file can hold: random and hostile
values (URLs that crash urlsplit, wrong types, unicode, huge strings, nested structures)
never raise past their own entry, and the good entries beside them still load and run."""
from __future__ import annotations

import re

import httpx
import yaml
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from etl.discovery.registry import FIELDS, parse_registry, read_registry
from etl.discovery.titles import classify

GOOD = [
    {"id": "good-a", "agency": "武汉市江汉区文化和旅游局", "listing_url": "https://a.example.gov.cn/fzzf/index.html"},
    {"id": "good-b", "agency": "湖北省司法厅", "listing_url": "{portal}/hb-sft/fzzf/", "include": "法治",
     "allowed_hosts": ["files.example.gov.cn"], "kinds": "rule_of_law", "max_pages": 3},
]
HOSTILE_URLS = ["http://[::1/x", "http://[::1]:99999/", "http://exa mple.gov.cn/", "http://\x00/", "javascript:alert(1)",
                "//no-scheme.gov.cn/x", "http://", "https://例子.政府.cn/法治", "http://a.gov.cn:-1/", "http://[zz]/",
                "http://" + "a" * 5000 + ".cn/", "http://a.gov.cn/\u202e\ufeff", "{portal}" * 3, "http://a.gov.cn:65536/",
                "http://user:pass@[::1/x", "HTTP://A.GOV.CN/%zz", "http://a.gov.cn/x\r\nHost: evil"]

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=40),
                    st.sampled_from(HOSTILE_URLS), st.binary(max_size=20),
                    st.just("x" * 200_000), st.just("法" * 50_000), st.just("(" * 500), st.just("a{99999999}"))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.text(max_size=10), inner, max_size=4)),
                      max_leaves=12)
keys = st.one_of(st.sampled_from(FIELDS), st.text(max_size=12), st.integers(), st.none(), st.booleans())
entries = st.one_of(values, st.dictionaries(keys, values, max_size=8),
                    st.fixed_dictionaries({"id": st.from_regex(r"\Ax[a-z0-9]{1,8}\Z"),
                                           "agency": st.text(min_size=1, max_size=20)},
                                          optional={k: values for k in FIELDS if k not in ("id", "agency")}),
                    st.builds(lambda u: {"id": "bad-url", "agency": "某局", "listing_url": u}, st.sampled_from(HOSTILE_URLS)))


def _runnable(s) -> None:
    """What the crawl does with a source first: its hosts, its URL, its title rules."""
    assert s.hosts and all(isinstance(h, str) for h in s.hosts)
    httpx.URL(s.listing_url)
    classify("武汉市2024年法治政府建设年度报告", s.include, s.exclude)
    assert all(isinstance(getattr(s, f), str) for f in ("id", "agency", "province", "province_code", "level"))


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(entries, max_size=6), st.integers(min_value=0, max_value=6), st.integers(min_value=0, max_value=6))
def test_no_entry_can_raise_and_the_good_ones_still_load(hostile, i, j):
    rows = list(hostile)
    rows.insert(min(i, len(rows)), GOOD[0])
    rows.insert(min(j, len(rows)), GOOD[1])
    sources, problems = parse_registry({"sources": rows}, "http://127.0.0.1:8765")
    by_id = {s.id: s for s in sources}
    assert {"good-a", "good-b"} <= set(by_id)
    assert by_id["good-b"].listing_url == "http://127.0.0.1:8765/hb-sft/fzzf/"
    assert by_id["good-b"].allowed_hosts == ("files.example.gov.cn",) and by_id["good-b"].max_pages == 3
    for s in sources:
        _runnable(s)
    for p in problems:               # every problem is short enough to read in an alert
        assert len(str(p)) < 1000, str(p)[:200]
    named = {s.id for s in sources} | {p.source_id for p in problems}
    for n, row in enumerate(rows, 1):   # every entry is a source or a problem, by id or position
        assert f"#{n}" in named or (isinstance(row, dict) and str(row.get("id")) in named), row


@hsettings(max_examples=60, deadline=None)
@given(values)
def test_any_document_is_a_problem_never_an_exception(doc):
    sources, problems = parse_registry(doc)
    assert isinstance(sources, list) and isinstance(problems, list)


def test_the_invalid_ipv6_url_is_that_entrys_problem_by_id_and_field(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump({"sources": [
        {"id": "v6", "agency": "某区司法局", "listing_url": "http://[::1/x"},
        {"id": "port", "agency": "某区司法局", "listing_url": "http://a.gov.cn:99999/"},
        {"id": "hosts", "agency": "某区司法局", "listing_url": "http://a.gov.cn/", "allowed_hosts": [{"x": 1}]},
        {"id": "kind", "agency": "某区司法局", "listing_url": "http://a.gov.cn/", "kinds": ["budget"]},
        {"id": "nested", "agency": {"name": ["某区"]}, "listing_url": "http://a.gov.cn/"},
        {"id": "ok", "agency": "武汉市司法局", "listing_url": "http://a.gov.cn/list/"},
    ]}, allow_unicode=True), encoding="utf-8")
    sources, problems = read_registry(path)
    assert [s.id for s in sources] == ["ok"]
    by = {(p.source_id, p.field): p.error for p in problems}
    assert re.search(r"Invalid IPv6 URL.*http://\[::1/x", by[("v6", "listing_url")])
    assert "Port" in by[("port", "listing_url")] or "port" in by[("port", "listing_url")]
    assert "must be a host" in by[("hosts", "allowed_hosts")]
    assert "must be among rule_of_law, disclosure" in by[("kind", "kinds")]
    assert "must be text, got dict" in by[("nested", "agency")]
