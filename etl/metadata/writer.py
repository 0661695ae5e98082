"""Who wrote a report, from the document itself, resolved to its full administrative chain.

The writer is read where a document names it, in this order of precedence:

1. its own title (the article heading, or the listed title when it is the longer one);
2. the heading printed at the top of its text;
3. its opening subject (`2023年，XX县司法局在县委、县政府的领导下…`);
4. its signature (the agency over the date at the end);
5. the 发布机构 field of the page's metadata table;
6. only then the column owner (whose region still settles ambiguous names: 西湖区 in a
   杭州 column is 杭州's, and `区司法局` in a 江汉区 column is 江汉区's).

A name is resolved with the gazetteer to province, city, county and level: a county-level
city (乳山市) is a county-level writer under its prefecture (威海市); a district of a
municipality (静海区) sits under the municipality; a central ministry (水利部) is national
(province 全国, code 100000). A guess that names only a region (商水县) is that region's
government, unless a later source names a department of the same region (then it is that
department: `XX县2023年法治政府建设年度报告` signed `XX县司法局`).
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from ..normalize import to_simplified
from .agency import (AgencyGuess, _expand_dept, _is_national, _make_guess, _opening_guess, _orgs_in_text,
                     _signature_guess, _title_guess, find_title)
from .gazetteer import NATIONAL, NATIONAL_ALIASES, NATIONAL_CODE, Region, _resolve_chain, _scan, _score_regions, \
    gazetteer, regions_by_name
from .year import _arabic_years


def _committees(simp: str):
    from . import _committees as found
    return found(simp)

_GOVERNMENT = ("人民政府", "政府", "区政府", "县政府", "市政府", "管理委员会", "管委会", "办事处")
COLUMN_WEIGHT = 4.0            # the column's region: settles a tie, never outweighs the text
HEAD_CHARS, TAIL_CHARS = 6000, 2500


@dataclass
class Writer:
    agency: str
    province: str = ""
    province_code: str = ""
    city: str = ""
    county: str = ""
    level: str = ""            # national / province / city / county
    region_code: str = ""
    source: str = ""           # title / heading / opening / signature / publisher / column

    def as_dict(self) -> dict:
        return asdict(self)


def _chain_prefix(r: Region) -> str:
    """The region prefix an agency name carries: 武汉市江汉区 / 天津市静海区 / 乳山市 / 湖北省."""
    from .gazetteer import _region_chain_name
    if r.level == "county" and r.name.endswith("市"):   # a county-level city names itself alone
        return r.name
    return _region_chain_name(r)


def _level(r: Region) -> str:
    if r.level == "city" and r.is_municipality:
        return "province"
    return r.level


def _column_region(column: dict) -> Region | None:
    g = gazetteer()
    for key, level in (("county", "county"), ("city", "city"), ("province", "province")):
        name = column.get(key) or ""
        if not name:
            continue
        regs = [r for r in regions_by_name(name) if r.level == level or (level == "city" and r.level == "province")]
        code = column.get("province_code") or ""
        regs = [r for r in regs if not code or r.province_code == code] or regs
        if regs:
            return regs[0]
    if column.get("province_code") and column["province_code"] in g.by_code:
        return g.by_code[column["province_code"]]
    return None


def _guesses(simp: str, title: str, publisher: str) -> list[AgencyGuess]:
    out: list[AgencyGuess] = []
    heading = find_title(simp)
    for g, source in ((_title_guess(title), "title"), (_title_guess(heading) if heading != title else None, "heading"),
                      (_opening_guess(simp), "opening"), (_signature_guess(simp), "signature"),
                      (_make_guess(publisher, "publisher") if publisher else None, "publisher")):
        if g is not None:
            g.source = source
            out.append(g)
    return out


def _within(r: Region, outer: Region | None) -> bool:
    return outer is not None and gazetteer().is_within(r, outer)


def _resolve(g: AgencyGuess, score: dict[str, float], column: Region | None) -> Region | None:
    """The region a guess names: its chain of place names, or a bare level word (市司法局)
    read in the column's region."""
    gz = gazetteer()
    if g.region_tokens:
        return _resolve_chain([t.candidates for t in g.region_tokens], score)
    if g.bare_level and column is not None:
        chain = [column] + gz.ancestors(column)
        for r in chain:
            if _level(r) == g.bare_level or (g.bare_level == "city" and r.level == "city"):
                return r
    return None


def _name(g: AgencyGuess, r: Region, text: str) -> str:
    dept = g.dept or "人民政府"
    if dept in ("政府", "区政府", "县政府", "市政府"):
        dept = "人民政府"
    zone = [t.surface for t in g.region_tokens if t.surface in gazetteer().zones]
    if zone:                                      # 赣江新区管理委员会: the zone keeps its own name
        return "".join(t.surface for t in g.region_tokens) + _expand_dept(dept, [])
    prefix = _chain_prefix(r)
    same = [o for o in _orgs_in_text(text) if r.name in o]
    return prefix + _expand_dept(dept, same)


def _from_region(agency: str, r: Region, source: str) -> Writer:
    g = gazetteer()
    p, c = g.province(r), g.city(r)
    return Writer(agency, p.name, p.code, c.name if c else "", r.name if r.level == "county" else "",
                  _level(r), r.code, source)


def writer_of(text: str, title: str = "", publisher: str = "", column: dict | None = None) -> Writer:
    """The report's writer (see the module's doc for the order of precedence)."""
    column = {k: v for k, v in (column or {}).items() if v not in (None, "")}
    if len(text) > HEAD_CHARS + TAIL_CHARS + 500:
        text = text[:HEAD_CHARS] + "\n" + text[-TAIL_CHARS:]
    simp = _arabic_years(to_simplified(text))
    title = _arabic_years(to_simplified(title or ""))
    publisher = to_simplified(publisher or "")
    home = _column_region(column)
    boosts: dict[str, float] = {}
    if home is not None:
        for hr in [home] + gazetteer().ancestors(home):
            boosts[hr.code] = boosts.get(hr.code, 0.0) + COLUMN_WEIGHT
    guesses = _guesses(simp, title, publisher)
    for g in guesses:                 # what the document names itself, as inspect_text weighs it
        for t in g.region_tokens:
            for c in t.candidates:
                boosts[c.code] = boosts.get(c.code, 0.0) + (6.0 if g.source in ("title", "signature") else 3.0)
    for m in _committees(simp):       # 区委 / 中共XX县委: the party committee names the region
        for t in _scan(m.group(1)):
            if t.end == len(m.group(1)):
                for c in t.candidates:
                    boosts[c.code] = boosts.get(c.code, 0.0) + 2.0
    score = _score_regions(_scan(simp), boosts)

    for i, g in enumerate(guesses):
        if _is_national(g, simp):
            name = re.sub(r"^(?:中华人民共和国|中国)(?=[\u4e00-\u9fff]{2,}部$)", "", g.dept)
            return Writer(name, NATIONAL, NATIONAL_CODE, level="national", region_code=NATIONAL_CODE, source=g.source)
        r = _resolve(g, score, home)
        if r is None:
            continue
        if not g.dept:
            # a region alone (XX县2023年…报告): a later source may name its department; one
            # that names the region's government (a signature 县人民政府) confirms the government
            same = [(later, lr) for later in guesses[i + 1:] if later.dept and not _is_national(later, simp)
                    and (lr := (_resolve(later, score, r) if later.region_tokens or later.bare_level else r)) is not None
                    and lr.code == r.code]
            if not any(later.dept in _GOVERNMENT for later, _ in same):
                for later, _lr in same:
                    return _from_region(_name(later, r, simp), r, f"{g.source}+{later.source}")
        return _from_region(_name(g, r, simp), r, g.source)
    # a department named without its region (司法局): the column's region, if the column is
    # of that department's region
    for g in guesses:
        if g.dept and not g.region_tokens and not g.bare_level and home is not None \
                and g.source in ("title", "heading", "signature", "publisher"):
            if column.get("agency") and to_simplified(column["agency"]).endswith(g.dept):
                break
            return _from_region(_name(g, home, simp), home, f"{g.source}+column")
    if not column.get("agency"):      # no column to fall back on: what the whole text says
        return _from_text(text, title)
    return column_writer(column, home)


def _from_text(text: str, title: str) -> Writer:
    """The text's own best reading (我局 + its region and domain: etl.metadata.inspect_text)."""
    from . import inspect_text
    meta = inspect_text(text, title, {})
    if meta.get("province") == NATIONAL:
        return Writer(meta["agency"], NATIONAL, NATIONAL_CODE, level="national", region_code=NATIONAL_CODE, source="text")
    g = gazetteer()
    name = meta.get("county") or meta.get("city") or meta.get("province") or ""
    regs = [r for r in regions_by_name(name) if r.province_code == meta.get("province_code")] if name else []
    if not regs:
        return Writer(meta.get("agency", ""), meta.get("province", ""), meta.get("province_code", ""), source="text")
    r = regs[0]
    p, c = g.province(r), g.city(r)
    return Writer(meta.get("agency", ""), p.name, p.code, c.name if c else "", r.name if r.level == "county" else "",
                  _level(r), r.code, "text")


def column_writer(column: dict, home: Region | None = None) -> Writer:
    """The column owner as the writer: the last fallback."""
    prov = column.get("province", "")
    if prov in NATIONAL_ALIASES or column.get("province_code") == NATIONAL_CODE:
        return Writer(column.get("agency", ""), NATIONAL, NATIONAL_CODE, level="national",
                      region_code=NATIONAL_CODE, source="column")
    home = home if home is not None else _column_region(column)
    return Writer(column.get("agency", ""), prov, column.get("province_code", ""), column.get("city", ""),
                  column.get("county", ""), column.get("level", "") or (_level(home) if home else ""),
                  home.code if home else "", "column")
