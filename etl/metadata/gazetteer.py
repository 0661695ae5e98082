"""The gazetteer (data/regions.tsv, GB/T 2260 codes) and place names found in text: whole
names, aliases (盟/自治州 short forms, zones) and the evidence they give for each region."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from .. import knowledge
from ..normalize import to_simplified
from ..trie import TrieScanner

DATA = Path(__file__).resolve().parents[1] / "data" / "regions.tsv"
ZONES = DATA.with_name("zones.tsv")
# The levels and the national level's name, code and aliases: etl/catalog.yaml `levels`.
NATIONAL = knowledge.national().region      # 全国: the province of central ministries (国务院部门)
NATIONAL_CODE = knowledge.national().code   # 100000: its stable code (regions.tsv, level national)
NATIONAL_ALIASES = knowledge.national().aliases
MUNICIPALITY_PREFIXES = knowledge.municipality_prefixes()
REGION_LEVELS = knowledge.region_levels()   # province, city, county: top first



@dataclass(frozen=True)
class Region:
    code: str
    name: str
    short: str
    level: str          # province / city / county
    parent: str         # code of the city, or of the province where there is none ("" for provinces)
    status: str         # c current / h historical / z functional zone

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0000"

    @property
    def is_municipality(self) -> bool:
        return self.code[:2] in MUNICIPALITY_PREFIXES


@dataclass
class Gazetteer:
    by_code: dict[str, Region]
    by_name: dict[str, list[Region]]        # full names and aliases
    by_short: dict[str, list[Region]]
    pattern: TrieScanner                    # running text: noisy and two-character names held back
    prefix_pattern: TrieScanner             # the head of an agency name: every name
    strength: dict[str, float]              # matchable surface -> weight of a plain mention
    zones: frozenset[str] = frozenset()     # zone names mapped to the region containing them

    def province(self, r: Region) -> Region:
        return self.by_code.get(r.province_code, r)

    def city(self, r: Region) -> Region | None:
        if r.level == "city":
            return r
        if r.level == "county" and r.parent and not r.parent.endswith("0000"):
            return self.by_code.get(r.parent)
        return None

    def ancestors(self, r: Region) -> list[Region]:
        out: list[Region] = []
        c = self.city(r)
        if c is not None and c is not r:
            out.append(c)
        if r.level != "province":
            out.append(self.province(r))
        return out

    def is_within(self, r: Region, outer: Region) -> bool:
        return r.code == outer.code or any(a.code == outer.code for a in self.ancestors(r))


# two-character county names that are ordinary words in a report ("城区", "郊区", "矿区")
_NOISY_FULL = {"城区", "郊区", "矿区", "东区", "西区", "南区", "北区", "新区", "市中区", "城中区", "城东区",
               "城西区", "城北区", "新城区", "老城区", "高新区", "开发区"}
# short names that are common words: never matched as bare short names
_NOISY_SHORT = {"长治", "白银", "大同", "北海", "山南", "来宾", "新星", "白杨", "怒江", "双河", "安康", "太平", "和平", "永安", "长寿", "朝阳", "阿里", "大理", "文山", "红河", "海北",
                "海西", "海南州", "黄南", "玉树", "金昌", "白山", "永州", "中山", "吉安", "新乡",
                "通化", "抚顺", "延安", "昌吉", "和田", "塔城", "兴安", "日照", "宜春", "丽江", "南平"}


# the two-character abbreviations of prefectures whose short name is longer
_PREFECTURE_ALIASES = {"巴州": "巴音郭楞蒙古自治州", "博州": "博尔塔拉蒙古自治州", "克州": "克孜勒苏柯尔克孜自治州",
                       "锡盟": "锡林郭勒盟", "阿盟": "阿拉善盟"}   # 盟 short forms as reports write them


def _load_rows(path: Path) -> list[Region]:
    rows: list[Region] = []
    with path.open(encoding="utf-8") as f:
        header_seen = False
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            if not header_seen:
                header_seen = True
                continue
            code, name, short, level, parent, status = line.rstrip("\n").split("\t")
            rows.append(Region(code, name, short, level, parent, status))
    return rows


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    rows = _load_rows(DATA)
    rank = {"c": 0, "z": 1, "h": 2}
    by_code: dict[str, Region] = {}
    for r in sorted(rows, key=lambda r: rank[r.status]):
        by_code.setdefault(r.code, r)
    by_name: dict[str, list[Region]] = defaultdict(list)
    by_short: dict[str, list[Region]] = defaultdict(list)
    for r in rows:
        if r.level == "national":                # 全国 is a word in every report: never a place name
            continue
        by_name[r.name].append(r)
        if r.short and r.short.endswith(("县", "旗")) and r.level == "county":
            by_name[r.short].append(r)          # 本溪县 (本溪满族自治县): an alias with a suffix
        elif r.short and len(r.short) >= 2:
            by_short[r.short].append(r)
        if r.level == "city" and r.name.endswith("自治州") and r.short:
            by_name[r.short + "州"].append(r)     # 黔东南州 / 凉山州: how the prefecture names itself
    for alias, name in _PREFECTURE_ALIASES.items():
        by_name[alias].extend(r for r in rows if r.name == name)
    zones = _load_zones(ZONES, by_code)
    for zone, region in zones.items():
        by_name[zone].append(region)              # 赣江新区 -> 南昌市: the region containing it
    # Text is folded with OpenCC t2s before matching, and t2s also rewrites a few Simplified
    # characters of place names (乾县 -> 干县, 乾安县): every name is findable in its folded form.
    for d in (by_name, by_short):
        for k in list(d):
            folded = to_simplified(k)
            if folded != k:
                d[folded].extend(r for r in d[k] if r not in d[folded])
    for d in (by_name, by_short):
        for k in d:
            d[k].sort(key=lambda r: (rank[r.status], r.code))
    strength: dict[str, float] = {}
    two_char: list[str] = []
    for name, regs in by_name.items():
        if len(name) < 2:
            continue
        strength[name] = 1.0
        if name in _NOISY_FULL:
            continue
        if len(name) == 2 and all(r.level == "county" for r in regs):
            two_char.append(name)     # 息县 / 理县 / 范县: inside 信息县 管理县 规范县级 unless a 县委 follows
    for short, regs in by_short.items():
        if short in strength or short in _NOISY_SHORT:
            continue
        top = min(regs, key=lambda r: REGION_LEVELS.index(r.level))
        if top.level == "province":
            strength[short] = 0.6
        elif top.level == "city":
            strength[short] = 0.35
    full = [x for x in strength if strength[x] >= 1.0]
    text_surfaces = sorted((x for x in strength if x not in _NOISY_FULL and x not in two_char),
                           key=len, reverse=True)
    # Two-character county names (和县, 理县, 息县) are whole names only: after a boundary or a
    # region word (安徽省和县), never inside other words (部署和县委, 管理县委), and before 县委/政府.
    pattern = TrieScanner([(text_surfaces, "", ""),
                           (two_char, "(?:(?<![\u4e00-\u9fff])|(?<=[省市州盟区县旗在由对与\x00]))", "(?=县?委|人民政府|政府)")])
    prefix_pattern = TrieScanner([(full, "", "")])
    by_short_top = {k: tops for k, v in by_short.items() if (tops := [r for r in v if r.level != "county"])}
    return Gazetteer(by_code, dict(by_name), by_short_top, pattern, prefix_pattern, strength, frozenset(zones))


def _load_zones(path: Path, by_code: dict[str, Region]) -> dict[str, Region]:
    """zones.tsv: zone name -> the region that contains it (unknown codes are skipped)."""
    out: dict[str, Region] = {}
    if not path.exists():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("name\t"):
            continue
        name, code = line.split("\t")[:2]
        if code.strip() in by_code:
            out[name.strip()] = by_code[code.strip()]
    return out


def _region_dict(r: Region) -> dict:
    g = gazetteer()
    p = g.province(r)
    c = g.city(r)
    return {"code": r.code, "name": r.name, "level": r.level, "province": p.name,
            "province_code": p.code, "city": c.name if c else ""}


def regions_by_name(name: str) -> list[Region]:
    """Every region a name may denote: full name, alias or short name (Traditional accepted)."""
    g = gazetteer()
    name = to_simplified(name.strip())
    if name in g.by_name:
        return list(g.by_name[name])
    if name in g.by_short:
        return list(g.by_short[name])
    out: list[Region] = []
    # county short names ("江汉" -> 江汉区) are only looked up here, never matched in running text
    for suffix in ("区", "县", "市", "旗"):
        out.extend(g.by_name.get(name + suffix, []))
    return out


def region_by_name(name: str) -> dict | None:
    """Look a region up by name. A qualified name ("南昌市西湖区", "江西西湖区") is resolved down its
    chain; a bare ambiguous name ("西湖区") gives the current region with the lowest code."""
    name = to_simplified(name.strip())
    if not name:
        return None
    direct = regions_by_name(name)
    if direct:
        return _region_dict(direct[0])
    chain = [t for t in _scan(name) if t.weight > 0]
    if not chain or "".join(t.surface for t in chain) != name:
        return None
    picked = _resolve_chain([t.candidates for t in chain], {})
    return _region_dict(picked) if picked else None

# --------------------------------------------------------------------------- matching


@dataclass(frozen=True)
class Token:
    surface: str
    start: int
    end: int
    candidates: tuple[Region, ...]
    weight: float


_REJECT_AFTER = {"区": "域间块", "市": "场值", "县": "城域"}
# A short name (湖南, 河南) followed by a side or a street is part of a description, not a place:
# 黄河南岸, 洞庭湖南侧, 湖南路.
_SHORT_REJECT_AFTER = frozenset("岸侧畔麓路街巷道部端边")


def _scan(text: str, prefix: bool = False) -> list[Token]:
    """Place names in text, leftmost-longest. prefix=True: the head of an agency name, where every
    full name counts (息县文旅局) and short names don't. A document's whole text is scanned by
    several guesses: the last few answers are kept (tokens are immutable)."""
    return list(_scan_cached(text, prefix))


@lru_cache(maxsize=16)
def _scan_cached(text: str, prefix: bool) -> tuple[Token, ...]:
    g = gazetteer()
    out: list[Token] = []
    if "中共" in text:
        text = text.replace("中共", "中\x00")     # 中共和县委: 和县, not 共和县 (same length: offsets kept)
    for m in (g.prefix_pattern if prefix else g.pattern).finditer(text):
        s = m.group()
        nxt = text[m.end(): m.end() + 1]
        if nxt and nxt in _REJECT_AFTER.get(s[-1], ""):
            continue                              # 东北区域 / 文化市场: not a place name
        if s not in g.by_name and nxt and nxt in _SHORT_REJECT_AFTER:
            continue
        cands = g.by_name.get(s) or g.by_short.get(s) or []
        if not cands:
            continue
        out.append(Token(s, m.start(), m.end(), tuple(cands), g.strength.get(s, 0.3)))
    return tuple(out)


def _score_regions(tokens: Iterable[Token], boosts: dict[str, float] | None = None) -> dict[str, float]:
    """Evidence per region code: its own mentions, plus its ancestors' and descendants' mentions."""
    g = gazetteer()
    score: defaultdict[str, float] = defaultdict(float)
    for t in tokens:
        ambiguous = len({c.code for c in t.candidates}) > 1
        w = t.weight / (1.5 if ambiguous else 1.0)
        for c in t.candidates:
            score[c.code] += w
            if not ambiguous:             # an ambiguous name must not vouch for its own parents
                for a in g.ancestors(c):
                    score[a.code] += 0.5 * w
    for code, w in (boosts or {}).items():
        score[code] += w
    return dict(score)


def _support(r: Region, score: dict[str, float]) -> float:
    """How much the text supports region r: itself plus its ancestors."""
    g = gazetteer()
    return score.get(r.code, 0.0) + sum(score.get(a.code, 0.0) for a in g.ancestors(r))


def _resolve_chain(chain: list[tuple[Region, ...]], score: dict[str, float]) -> Region | None:
    """Pick the deepest region consistent with a chain of names (outer to inner)."""
    g = gazetteer()
    if not chain:
        return None
    best: list[Region] = list(chain[-1])
    for outer in chain[:-1]:
        narrowed = [r for r in best if any(g.is_within(r, o) for o in outer)]
        if narrowed:
            best = narrowed
    rank = {"c": 0, "z": 1, "h": 2}
    best.sort(key=lambda r: (-_support(r, score), rank[r.status], r.code))
    return best[0]


def _region_chain_name(r: Region) -> str:
    """The prefix an agency of region r carries: 武汉市江汉区 / 北京市东城区 / 临沧市 / 湖北省."""
    g = gazetteer()
    if r.level == "county":
        c = g.city(r)
        if c is not None:
            return c.name + r.name
        if r.is_municipality:
            return g.province(r).name + r.name
    return r.name

