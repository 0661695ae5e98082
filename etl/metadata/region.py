"""Which region a report is about: the level its own words name (在区委、区政府的领导下, 我局)
and the best-supported region at that level."""
from __future__ import annotations

import re
from collections import Counter

from .gazetteer import Region, Token, _support, gazetteer
from .agency import _LEVEL_WORD, _SELF_REF



_LEADERSHIP = re.compile(r"在([^，,。；;\n]{2,40}?)的?(?:坚强|正确|有力|统一|精心|高度重视和)?(?:领导|指导)下")


def _level_from_context(text: str) -> str:
    """'在区委、区政府的领导下' -> county; '在市委' -> city; '在省委' -> province."""
    m = _LEADERSHIP.search(text[:3000])
    if m:
        levels = re.findall(r"(自治区|省|市|地|州|盟|区|县|旗)党?委(?!员)", m.group(1))
        if levels:                # 在市委、市政府和区委的领导下: the last committee is the report's own
            return _LEVEL_WORD.get(levels[-1], "city")
    m = re.search(r"在(?:[\u4e00-\u9fff]{0,8}?)(省|自治区|市|州|盟|区|县|旗)委[、和及]", text[:3000])
    if m:
        return _LEVEL_WORD[m.group(1)]
    m = _SELF_REF.search(text[:3000])
    if m and m.group(1) in _LEVEL_WORD:
        return _LEVEL_WORD[m.group(1)]
    counts = Counter(re.findall(r"全(省|市|区|县|州|旗|盟)", text))
    if counts:
        word, n = counts.most_common(1)[0]
        if n >= 2:
            return _LEVEL_WORD[word]
    return ""


def _best_at_level(level: str, score: dict[str, float]) -> Region | None:
    g = gazetteer()
    best: tuple[float, int] | None = None
    for code, s in score.items():
        r = g.by_code.get(code)
        if r is None:
            continue
        lv = r.level
        if level == "city" and r.level == "province" and r.is_municipality:
            lv = "city"                       # 上海 "市" is a province-level municipality
        if lv != level:
            continue
        key = (_support(r, score), -int(code))
        if best is None or key > best:
            best = key
    return g.by_code[f"{-best[1]:06d}"] if best else None


def _unrivalled(region: Region, level: str, score: dict[str, float]) -> bool:
    """A named region (a full-name mention) with no other region of its level in the text: 市文化和旅游局
    in a report that names 上海市 once and only provinces besides."""
    if not level or _support(region, score) < 1.0:
        return False
    rival = _best_at_level(level, {c: s for c, s in score.items() if c != region.code
                                   and not gazetteer().is_within(gazetteer().by_code.get(c, region), region)})
    return rival is None or _support(rival, score) <= _support(region, score) / 3


def _ancestor_support(r: Region, score: dict[str, float]) -> float:
    return sum(score.get(a.code, 0.0) for a in gazetteer().ancestors(r))


def _is_certain(region: Region, chain: list[Token], score: dict[str, float]) -> bool:
    """Is the named region pinned down: one candidate, a qualified chain, or clear outside evidence?"""
    cands = {c.code: c for c in chain[-1].candidates}
    if len(cands) == 1 or len(chain) > 1:
        return True
    mine = _ancestor_support(region, score)
    rivals = max(_ancestor_support(c, score) for code, c in cands.items() if code != region.code)
    return mine >= 1.0 and rivals <= mine / 2


def _best_overall(score: dict[str, float]) -> Region | None:
    """The best-supported region of any level (a county counts its city's and province's evidence)."""
    g = gazetteer()
    regs = [g.by_code[c] for c in score if c in g.by_code]
    if not regs:
        return None
    return max(regs, key=lambda r: (round(_support(r, score), 6), -int(r.code)))

