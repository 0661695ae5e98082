"""Bad data for `make demo` to show the data-quality path: one agency whose reports plant
a rate of 250% (quarantined) and a tenfold jump against its previous year (warned), and a
registered column whose listing is gone (HTTP 404: the run ends red and says so).

These sources are not in `etl/sources.yaml` (the tests' registry, whose nights are green);
`etl/demo.py` adds `source_entries()` to the registry it runs. What each planted figure
should become is written to `truth_dq.jsonl` (never served).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import pages
from .content import Agency, ReportSpec
from .markup import Block

if TYPE_CHECKING:                                   # pragma: no cover
    from .generator import Site

AGENCY = Agency(
    id="hb-hs-scjgj", agency="黄石市市场监督管理局", province="湖北省", province_code="420000",
    city="黄石市", county="", level="city", path="hb/hs/scjgj", column="fzzfjs",
    site_name="黄石市市场监督管理局", host_name="黄石市市场监督管理局", phone="0714-6251234",
    icp="鄂ICP备06001234号", site_code="4202000031",
    reports=(ReportSpec(2023, "黄石市市场监督管理局2023年法治政府建设年度报告", "2024-02-26 10:00"),
             ReportSpec(2024, "黄石市市场监督管理局2024年法治政府建设年度报告", "2025-02-25 10:00")),
)
GONE = {"id": "hb-hs-sfj", "agency": "黄石市司法局", "listing_url": "{portal}/hb/hs/sfj/fzzf/index.html"}

# (year, paragraphs, planted: [(quote, expected outcome, why)])
TEXTS: dict[int, tuple[list[str], list[tuple[str, str, str]]]] = {
    2023: (["2023年，市市场监督管理局围绕优化营商环境推进依法行政，各项工作平稳有序。",
            "全年检查市场主体120户，立案查处违法案件46件，群众满意率达98.5%。"],
           [("检查市场主体120户", "loaded", ""), ("立案查处违法案件46件", "loaded", ""),
            ("群众满意率达98.5%", "loaded", "")]),
    2024: (["2024年，市市场监督管理局持续深化法治机关建设，监管执法更加规范。",
            "全年检查市场主体1300户，立案查处违法案件51件，群众满意率达250%。"],
           [("检查市场主体1300户", "warned", "more than 10x the 120 of 2023"),
            ("立案查处违法案件51件", "loaded", ""),
            ("群众满意率达250%", "quarantined", "a rate above 100%")]),
}


def _url(spec: ReportSpec) -> str:
    day = spec.pub[:10].replace("-", "")
    return f"/{AGENCY.path}/{AGENCY.column}/{day[:6]}/t{day}_{spec.year}01.html"


def build(site: "Site") -> None:
    """The agency's home, its column and its two reports; the truth of what should happen."""
    from .cms import static
    a = AGENCY
    site.add_html(f"/{a.path}/index.html", pages.agency_home(a), a.charset)
    items = [pages.ListItem(r.title, _url(r), r.pub[:10]) for r in reversed(a.reports)]
    static(site, a, items, "/index.html")
    for spec in a.reports:
        paras, planted = TEXTS[spec.year]
        body = pages.body_html([Block("p", p) for p in paras], a.indent)
        site.add_html(_url(spec), pages.article_page(a, spec.title, spec.pub, body, []), a.charset, spec.pub)
        site.truth_dq.extend({"source_id": a.id, "report_year": spec.year, "url": _url(spec), "quote": q,
                              "outcome": outcome, "why": why} for q, outcome, why in planted)


def source_entries() -> list[dict[str, Any]]:
    """Registry entries `make demo` adds: the bad-data agency and the column that is gone."""
    return [{"id": AGENCY.id, "agency": AGENCY.agency,
             "listing_url": "{portal}" + f"/{AGENCY.path}/{AGENCY.column}/index.html"}, dict(GONE)]
