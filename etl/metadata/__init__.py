"""Infer a report's metadata (agency, region, year, script) from its text.

The text alone is read: the title line(s) at the top, the opening sentence ("2023年，XX局在区委、
区政府的正确领导下"), the signature at the end ("XX市XX局 / 2024年3月1日"), page chrome such as
"发布机构：" and every place name, mapped to the gazetteer in data/regions.tsv (GB/T 2260 codes).
Traditional text is folded to Simplified with OpenCC before anything is matched; names come back
Simplified.

    inspect_text(text, title="", hint=None) -> {"title","agency","province","province_code",
                                                "city","county","report_year","script"}
    region_by_name("江汉区") -> {"code","name","level","province","province_code","city"}
    script_of(text) -> "hans" | "hant"
"""
from __future__ import annotations

import re

from ..normalize import to_simplified
from .agency import (ABBREVIATIONS, AgencyGuess, _is_expansion, _agency_name, _choose_guess, _is_national, _make_guess, _opening_guess,
                     _publisher_guesses, _signature_guess, _title_guess, find_title)
from .gazetteer import (DATA, NATIONAL, NATIONAL_ALIASES, NATIONAL_CODE, Region, _resolve_chain, _scan, _score_regions, _support, gazetteer,
                        region_by_name, regions_by_name)
from .region import _best_at_level, _best_overall, _is_certain, _level_from_context, _unrivalled
from .script import hant_share, script_of
from .year import _arabic_years, infer_year

__all__ = ["DATA", "NATIONAL", "NATIONAL_CODE", "writer_of", "find_title", "gazetteer", "infer_year", "inspect_text", "region_by_name",
           "regions_by_name", "script_of", "hant_share", "to_simplified"]


HEAD_CHARS, TAIL_CHARS = 8000, 3000


# 区委 / 中共XX市委: the party committee of a region names the region.
_COMMITTEE_RE = re.compile(r"(?:中共)?([\u4e00-\u9fff]{2,10}?(?:省|市|区|县|州|旗|盟))委")
_COMMITTEE_END_RE = re.compile("[省市区县州旗盟]委")
_COMMITTEE_LONGEST = 14             # 中共 + 10 characters + 县 + 委


def _committees(simp: str):
    """_COMMITTEE_RE.finditer(simp), searched only where a match can be: every match ends at a
    区委/县委/..., and starts at most _COMMITTEE_LONGEST characters before its end."""
    windows: list[list[int]] = []
    for m in _COMMITTEE_END_RE.finditer(simp):
        a, b = max(0, m.end() - _COMMITTEE_LONGEST), m.end()
        if windows and a <= windows[-1][1]:
            windows[-1][1] = b
        else:
            windows.append([a, b])
    for a, b in windows:
        yield from _COMMITTEE_RE.finditer(simp, a, b)


def _another_author(own: AgencyGuess | None, hinted: AgencyGuess | None, region: Region) -> bool:
    """Does the text name itself an agency other than the column owner, in the owner's region?"""
    if own is None or hinted is None or own.source not in ("title", "signature", "opening") or not own.dept:
        return False
    a, b = own.dept, hinted.dept
    if a == b or _is_expansion(a, b) or _is_expansion(b, a) or ABBREVIATIONS.get(a) == b:
        return False
    if own.region_tokens:
        g = gazetteer()
        last = own.region_tokens[-1].candidates
        return any(g.is_within(c, region) or g.is_within(region, c) for c in last)
    return True


def _head_and_tail(text: str) -> str:
    """Metadata lives at the top and the bottom: long reports are read there only."""
    if len(text) <= HEAD_CHARS + TAIL_CHARS + 1000:
        return text
    return text[:HEAD_CHARS] + "\n" + text[-TAIL_CHARS:]


def inspect_text(text: str, title: str = "", hint: dict | None = None) -> dict:
    hint = {k: v for k, v in (hint or {}).items() if v not in (None, "")}
    text = _head_and_tail(text)
    folded = to_simplified(text)                  # converted once: the script is read off it too
    script = script_of(text + title, folded + to_simplified(title))
    simp = _arabic_years(folded)
    given_title = _arabic_years(to_simplified(title.strip()))
    found_title = given_title or find_title(simp)
    g = gazetteer()

    guesses = [x for x in (_title_guess(found_title), _title_guess(find_title(simp)) if given_title else None,
                           _signature_guess(simp), _opening_guess(simp)) if x]
    if not guesses and given_title and (bare := _make_guess(given_title, "title")):
        guesses.append(bare)                      # a bare agency name (a registry entry: 水利部)
    publishers = _publisher_guesses(simp)
    guesses += [p for p in publishers if p.source == "publisher"]
    if not guesses:
        guesses += [p for p in publishers if p.source == "source"]
    primary = _choose_guess(guesses)
    own = primary                                 # what the text says of itself
    if hint.get("agency"):
        hinted = _make_guess(to_simplified(hint["agency"]), "hint")
        if hinted:
            guesses.insert(0, hinted)
            primary = hinted

    # evidence for every region in the text
    tokens = _scan(simp)
    boosts: dict[str, float] = {}
    for gs in guesses:
        for t in gs.region_tokens:
            for c in t.candidates:
                boosts[c.code] = boosts.get(c.code, 0.0) + (6.0 if gs.source in ("title", "signature") else 3.0)
    for m in _committees(simp):
        for t in _scan(m.group(1)):
            if t.end == len(m.group(1)):
                for c in t.candidates:
                    boosts[c.code] = boosts.get(c.code, 0.0) + 2.0
    for key in ("province", "city", "county"):
        if hint.get(key):
            for r in regions_by_name(hint[key]):
                boosts[r.code] = boosts.get(r.code, 0.0) + 50.0
    score = _score_regions(tokens, boosts)

    region: Region | None = None
    certain = False
    national = _is_national(primary, simp)
    if primary and primary.region_tokens:
        region = _resolve_chain([t.candidates for t in primary.region_tokens], score)
        certain = region is not None and _is_certain(region, primary.region_tokens, score)
    elif not national:
        level = (primary.bare_level if primary else "") or _level_from_context(simp)
        if level:
            region = _best_at_level(level, score)
        else:
            region = _best_overall(score)
        certain = region is not None and (_support(region, score) >= 2.0 or _unrivalled(region, level, score))
        if region is None and level == "county":
            region = _best_at_level("city", score) or _best_at_level("province", score)
            certain = False

    agency = _agency_name(primary, region, certain, simp, national)

    out = {"title": title.strip() or _as_published(text, simp, found_title), "agency": agency, "province": "", "province_code": "", "city": "",
           "county": "", "report_year": infer_year(simp, found_title), "script": script}
    if national:
        out["province"], out["province_code"] = NATIONAL, NATIONAL_CODE
    elif region is not None:
        p = g.province(region)
        city = g.city(region)
        out.update(province=p.name, province_code=p.code, city=city.name if city else "",
                   county=region.name if region.level == "county" else "")
    for k, v in hint.items():
        if k in out:
            out[k] = v
    if hint.get("agency") and region is not None and _another_author(own, primary, region):
        # The column's owner (区政府) published a report its department wrote (区司法局): the
        # text's own title, opening or signature names the agency.
        out["agency"] = _agency_name(own, region, True, simp, national) or out["agency"]
    if hint.get("province") in NATIONAL_ALIASES:
        out["province"], out["province_code"] = NATIONAL, NATIONAL_CODE
    elif hint.get("province") and not hint.get("province_code"):
        regs = [r for r in regions_by_name(hint["province"]) if r.level == "province"]
        out["province_code"] = regs[0].code if regs else out["province_code"]
    return out


def _as_published(text: str, simp: str, found: str) -> str:
    """The found title in the text's own script (t2s keeps positions when it keeps the length)."""
    if not found or len(text) != len(simp):
        return found
    i = simp.find(found)
    if i >= 0:
        return text[i: i + len(found)]
    return found




from .writer import writer_of  # noqa: E402  (reads the helpers above)
