"""The demo portal: deterministic site + truth, and a real HTTP server on 127.0.0.1."""
from __future__ import annotations

import dataclasses
import html
import json
import re
import threading
import time
from pathlib import Path

import httpx
import pdfplumber
import pytest
import yaml

from demo_portal import Portal, build_site, cms, render_sources_yaml
from demo_portal.formats import FORMATS
from demo_portal.content import AGENCIES
from demo_portal.scripted import AGENCIES as SCRIPTED, CHALLENGE_COOKIE, challenge_token
from demo_portal.markup import FACT_RE, parse
from demo_portal.texts import REPORTS
from etl import knowledge
from etl.records import Source

REPO = Path(__file__).resolve().parents[1]
TRUTH_FIELDS = {"source_id", "agency", "province", "province_code", "report_year", "url",
                "category", "value", "unit", "qualifier", "quote"}
QUALIFIERS = set(knowledge.qualifiers())                       # etl/catalog.yaml


def _categories() -> set[str]:
    """The shared category list (CI clones main with shared/ beside it)."""
    shared = REPO.parent / "shared" / "eval" / "CATEGORIES.md"
    if not shared.exists():
        return set()
    return set(re.findall(r"^\| ([a-z_]+) \|", shared.read_text(encoding="utf-8"), re.M))


# ---------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(tmp_path_factory.mktemp("portal") / "site")


@pytest.fixture(scope="module")
def truth(site: Path) -> list[dict]:
    return [json.loads(line) for line in (site / "truth.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def manifest(site: Path) -> list[dict]:
    return json.loads((site / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture()
def portal(site: Path):
    with Portal(site) as p:
        yield p


def _charset(site: Path, url: str) -> str:
    charsets = json.loads((site / "_charsets.json").read_text(encoding="utf-8"))
    return charsets.get(url, "utf-8")


def _html_text(site: Path, url: str) -> str:
    raw = (site / url.lstrip("/")).read_bytes()
    cs = _charset(site, url)
    text = raw.decode("gb18030" if cs.startswith("gb") else cs)
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def _pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "".join("".join((page.extract_text() or "").splitlines()) for page in pdf.pages)


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# ---------------------------------------------------------------- the generator

def test_build_is_deterministic(tmp_path: Path) -> None:
    a, b = build_site(tmp_path / "a"), build_site(tmp_path / "b")
    fa, fb = _files(a), _files(b)
    assert fa.keys() == fb.keys()
    assert [k for k in fa if fa[k] != fb[k]] == []
    assert (a / "truth.jsonl").read_bytes() == (b / "truth.jsonl").read_bytes()


def test_coverage(truth: list[dict], manifest: list[dict]) -> None:
    assert {tuple(sorted(t)) for t in truth} == {tuple(sorted(TRUTH_FIELDS))}
    agencies = {t["source_id"] for t in truth}
    assert len(agencies) >= 8
    assert len({t["province_code"] for t in truth}) >= 4
    levels = {a.level for a in AGENCIES if a.id in agencies}
    assert levels == {"province", "city", "county"}
    scripted = {a.id for a in SCRIPTED}          # the script-built columns: one short report or two
    for src in agencies - scripted:
        assert {t["report_year"] for t in truth if t["source_id"] == src} == {2023, 2024}
    assert scripted <= agencies
    per_report: dict[str, int] = {}
    for t in truth:
        per_report[t["url"]] = per_report.get(t["url"], 0) + 1
    short = {t["url"] for t in truth if t["source_id"] in scripted}
    assert all(8 <= n <= 20 for u, n in per_report.items() if u not in short), per_report
    assert all(4 <= per_report[u] <= 20 for u in short)
    fmts = {m["fmt"] for m in manifest if not m["failure"]}
    assert fmts == {"html", "pdf", "both", "pdf_direct", "download", *FORMATS}   # FORMATS: issue 9 (formats.py)
    assert {a.cms for a in AGENCIES} == set(cms.STYLES)          # every listing convention planted
    assert any(m.get("republished_from") for m in manifest)
    assert {m["script"] for m in manifest} == {"hans", "hant"}
    assert {m["charset"] for m in manifest} == {"utf-8", "gb2312"}


def test_truth_values_are_well_formed(truth: list[dict]) -> None:
    cats = _categories()
    for t in truth:
        assert t["qualifier"] in QUALIFIERS
        assert isinstance(t["value"], float)
        assert not cats or t["category"] in cats, t
        assert re.fullmatch(r"\d{6}", t["province_code"])
        assert t["quote"] and t["url"].startswith("/")


def test_every_quote_is_in_its_report(site: Path, truth: list[dict], manifest: list[dict]) -> None:
    by_url = {m["url"]: m for m in manifest}
    special = json.loads((site / "_special.json").read_text(encoding="utf-8"))
    shells = {}                                  # the app shell's articles (demo_portal/scripted.py)
    for path, spec in special.items():
        if spec.get("kind") == "detail":
            base = path.rsplit("/gw/", 1)[0]
            for art_id, ans in spec["answers"].items():
                url = next((u for u in by_url if u.startswith(base) and u.endswith(f"_{art_id}.html")), None)
                if url:                          # (decoys are shells too, with no truth)
                    shells[url] = html.unescape(re.sub(r"<[^>]+>", "", ans["data"]["content"]))
    assert shells
    pdf_cache: dict[str, str] = {}
    for t in truth:
        m = by_url[t["url"]]
        if m["fmt"] in ("html", "both") and t["url"] in shells:     # its body: the detail API's answer
            assert t["quote"] in shells[t["url"]], t
        elif m["fmt"] in ("html", "both"):
            assert t["quote"] in _html_text(site, t["url"]), t
        if m["fmt"] in ("pdf", "both"):
            if m["pdf"] not in pdf_cache:
                pdf_cache[m["pdf"]] = _pdf_text(site / m["pdf"].lstrip("/"))
            assert t["quote"] in pdf_cache[m["pdf"]], t


def test_pdfs_multipage_and_table(site: Path, manifest: list[dict]) -> None:
    pages, tables = [], []
    for m in manifest:
        if m["pdf"] and not m["failure"]:
            with pdfplumber.open(site / m["pdf"].lstrip("/")) as pdf:
                pages.append(len(pdf.pages))
                tables += [t for p in pdf.pages for t in p.extract_tables()]
    assert max(pages) >= 2
    assert any("检查次数（次）" in t[0] for t in tables)


# Everything a report says with a digit or a numeral + counter must be planted; what is
# left after removing the quotes may only be one of these non-statistics.
NON_STATS = re.compile(
    r"\d{4}(年度?|—\d{4}年)|\d{1,2}月\d{1,2}日|\d{1,2}·\d{1,2}|〔\d{4}〕\d+号|1234[58]|12315|5·20"
    r"|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|[一二三四]是|七个方面|三项制度|一把手|一岗双责"
    r"|“五进”|一件事|三个一号工程|三年行动|最多跑一次|六乱一超|二十大|二十届三中全会|[八九]五|一网通办|首违")
TABLE_LINE = re.compile(r"^<<TABLE:[\w-]+>>$", re.M)
COUNTED = re.compile(r"[0-9０-９]|[一二两三四五六七八九十百千万]+(次|场|件|个|项|名|人|期|家|份|条|起|宗|部|支|批)")


@pytest.mark.parametrize("key", sorted(REPORTS), ids=lambda k: f"{k[0]}-{k[1]}")
def test_no_unplanted_statistics(key: tuple[str, int]) -> None:
    doc = parse(REPORTS[key])
    text = TABLE_LINE.sub("", FACT_RE.sub("", REPORTS[key]))
    leftover = [m.group(0) for m in COUNTED.finditer(NON_STATS.sub("", text))]
    assert leftover == [], (key, NON_STATS.sub("", text))
    assert 5 <= len(doc.facts) <= 20


def test_sources_yaml_is_the_registry() -> None:
    text = (REPO / "etl" / "sources.yaml").read_text(encoding="utf-8")
    assert text == render_sources_yaml()
    entries = yaml.safe_load(text)["sources"]
    fields = {f.name for f in dataclasses.fields(Source)}
    for e in entries:
        assert {"id", "agency", "listing_url"} <= set(e) <= fields
        assert e["listing_url"].startswith("{portal}/")


def test_every_listed_report_is_served(portal: Portal, manifest: list[dict]) -> None:
    """The crawler's side is tested in test_discovery.py; here: the portal serves each report
    URL and each column URL of the registry (following the iframe column's redirect)."""
    entries = yaml.safe_load(render_sources_yaml())["sources"]
    gated = [a for a in AGENCIES if a.cms == "challenge"]
    with httpx.Client(timeout=5, follow_redirects=True) as client:
        assert client.get(portal.url(f"/{gated[0].path}/index.html")).status_code == 521     # the challenge
        for a in gated:                          # the cookie its script sets (a browser passes it)
            client.cookies.set(CHALLENGE_COOKIE, challenge_token(a.path), domain="127.0.0.1", path=f"/{a.path}/")
        for m in manifest:
            if not m["failure"]:
                assert client.get(portal.url(m["url"])).status_code == 200, m["url"]
        for e in entries:
            assert client.get(e["listing_url"].replace("{portal}", portal.base_url)).status_code == 200


def test_content_types_and_charsets(portal: Portal, site: Path, manifest: list[dict]) -> None:
    gbk = next(m for m in manifest if m["charset"] == "gb2312" and m["script"] == "hant")
    with httpx.Client(timeout=5) as client:
        r = client.get(portal.url(gbk["url"]))
        assert r.status_code == 200
        assert r.headers["content-type"] == "text/html; charset=gb2312"
        with pytest.raises(UnicodeDecodeError):
            r.content.decode("utf-8")
        page = r.content.decode("gb18030")
        assert 'charset=gb2312' in page and '<meta name="ArticleTitle"' in page
        assert "法治政府建設" in page          # Traditional report
        utf = next(m for m in manifest if m["charset"] == "utf-8" and not m["failure"])
        r = client.get(portal.url(utf["url"]))
        assert r.headers["content-type"] == "text/html; charset=utf-8"
        for name in ("PubDate", "ContentSource", "ArticleTitle"):
            assert f'<meta name="{name}"' in r.text
        assert "首页" in r.text and "主办单位" in r.text and "ICP" in r.text
        pdf = next(m for m in manifest if m["pdf"] and not m["failure"])
        r = client.get(portal.url(pdf["pdf"]))
        assert r.headers["content-type"] == "application/pdf" and r.content.startswith(b"%PDF")


def test_conditional_get(portal: Portal, manifest: list[dict]) -> None:
    url = portal.url(manifest[0]["url"])
    with httpx.Client(timeout=5) as client:
        first = client.get(url)
        etag, last_mod = first.headers["etag"], first.headers["last-modified"]
        assert first.status_code == 200 and etag and last_mod
        r = client.get(url, headers={"If-None-Match": etag})
        assert r.status_code == 304 and r.content == b"" and r.headers["etag"] == etag
        r = client.get(url, headers={"If-Modified-Since": last_mod})
        assert r.status_code == 304
        r = client.get(url, headers={"If-None-Match": '"stale"'})
        assert r.status_code == 200 and r.content == first.content
        r = client.get(url, headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})
        assert r.status_code == 200
    assert portal.stats[304] == 2 and portal.stats[200] == 3


def test_errors_robots_and_hidden_files(portal: Portal, site: Path) -> None:
    failures = json.loads((site / "failures.json").read_text(encoding="utf-8"))
    assert {f["kind"] for f in failures} == {"http_500", "broken_pdf", "timeout"}
    by_kind = {f["kind"]: f for f in failures}
    with httpx.Client(timeout=5) as client:
        assert client.get(portal.url(by_kind["http_500"]["url"])).status_code == 500
        assert client.get(portal.url("/no/such/page.html")).status_code == 404
        for hidden in ("truth.jsonl", "failures.json", "_charsets.json", "../etc/passwd"):
            assert client.get(portal.url(hidden)).status_code == 404
        r = client.get(portal.url(by_kind["broken_pdf"]["attachment"]))
        assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
        with pytest.raises(Exception):  # noqa: B017 - pdfminer raises several kinds for a cut file
            with pdfplumber.open(site / by_kind["broken_pdf"]["attachment"].lstrip("/")) as pdf:
                "".join(p.extract_text() or "" for p in pdf.pages)
        r = client.get(portal.url("/robots.txt"))
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
        assert "Disallow: /admin/" in r.text
        assert client.get(portal.base_url + "/").status_code == 200
    assert portal.stats[500] == 1 and portal.stats[404] >= 5


def test_failed_reports_have_no_truth(site: Path, truth: list[dict]) -> None:
    failures = json.loads((site / "failures.json").read_text(encoding="utf-8"))
    assert not {f["url"] for f in failures} & {t["url"] for t in truth}


def test_slow_url_times_out_and_stop_is_quick(site: Path) -> None:
    failures = json.loads((site / "failures.json").read_text(encoding="utf-8"))
    slow = next(f["url"] for f in failures if f["kind"] == "timeout")
    portal = Portal(site).start()
    with pytest.raises(httpx.TimeoutException):
        httpx.get(portal.url(slow), timeout=0.5)
    outcome: list[object] = []

    def fetch() -> None:
        try:
            outcome.append(httpx.get(portal.url(slow), timeout=60).status_code)
        except httpx.HTTPError as e:
            outcome.append(e)

    t = threading.Thread(target=fetch)
    t.start()
    time.sleep(0.3)
    started = time.monotonic()
    portal.stop()
    assert time.monotonic() - started < 1.0
    t.join(timeout=5)
    assert not t.is_alive() and outcome


def test_port_and_context_manager(site: Path) -> None:
    with Portal(site) as p:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", p.base_url)
        assert httpx.get(p.url("/index.html"), timeout=5).status_code == 200
    with pytest.raises(httpx.ConnectError):
        httpx.get(p.url("/index.html"), timeout=1)
