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
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from .normalize import to_simplified

DATA = Path(__file__).with_name("data") / "regions.tsv"
NATIONAL = "全国(中央部委)"       # the sources registry's province value for central ministries
HANT_THRESHOLD = 0.05             # share of Han characters that t2s changes in Traditional text
MUNICIPALITY_PREFIXES = ("11", "12", "31", "50")

# --------------------------------------------------------------------------- script


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def hant_share(text: str) -> float:
    """Share of Han characters that OpenCC t2s changes."""
    han = [ch for ch in text if _is_han(ch)]
    if not han:
        return 0.0
    src = "".join(han)
    dst = to_simplified(src)      # same length by construction
    return sum(a != b for a, b in zip(src, dst)) / len(src)


def script_of(text: str) -> str:
    return "hant" if hant_share(text) >= HANT_THRESHOLD else "hans"

# --------------------------------------------------------------------------- gazetteer


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
    pattern: re.Pattern[str]                # running text: noisy and two-character names held back
    prefix_pattern: re.Pattern[str]         # the head of an agency name: every name
    strength: dict[str, float]              # matchable surface -> weight of a plain mention

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
_PREFECTURE_ALIASES = {"巴州": "巴音郭楞蒙古自治州", "博州": "博尔塔拉蒙古自治州", "克州": "克孜勒苏柯尔克孜自治州"}


def _trie_regex(words: Iterable[str]) -> str:
    """One regex for many literals, factored by common prefixes: longest match first, and far faster
    than a flat alternation of thousands of names."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        end = "" in node
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if end:
            return "(?:" + body + ")?"
        return body

    return emit(trie)


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
        by_name[r.name].append(r)
        if r.short and r.short.endswith(("县", "旗")) and r.level == "county":
            by_name[r.short].append(r)          # 本溪县 (本溪满族自治县): an alias with a suffix
        elif r.short and len(r.short) >= 2:
            by_short[r.short].append(r)
        if r.level == "city" and r.name.endswith("自治州") and r.short:
            by_name[r.short + "州"].append(r)     # 黔东南州 / 凉山州: how the prefecture names itself
    for alias, name in _PREFECTURE_ALIASES.items():
        by_name[alias].extend(r for r in rows if r.name == name)
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
        top = min(regs, key=lambda r: ("province", "city", "county").index(r.level))
        if top.level == "province":
            strength[short] = 0.6
        elif top.level == "city":
            strength[short] = 0.35
    full = [x for x in strength if strength[x] >= 1.0]
    text_surfaces = sorted((x for x in strength if x not in _NOISY_FULL and x not in two_char),
                           key=len, reverse=True)
    pattern = re.compile(_trie_regex(text_surfaces)
                         + "|(?:" + _trie_regex(two_char) + ")(?=县?委|人民政府|政府)")
    prefix_pattern = re.compile(_trie_regex(full))
    by_short_top = {k: top for k, v in by_short.items() if (top := [r for r in v if r.level != "county"])}
    return Gazetteer(by_code, dict(by_name), by_short_top, pattern, prefix_pattern, strength)


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


def _scan(text: str, prefix: bool = False) -> list[Token]:
    """Place names in text, leftmost-longest. prefix=True: the head of an agency name, where every
    full name counts (息县文旅局) and short names don't."""
    g = gazetteer()
    out: list[Token] = []
    for m in (g.prefix_pattern if prefix else g.pattern).finditer(text):
        s = m.group()
        nxt = text[m.end(): m.end() + 1]
        if nxt and nxt in _REJECT_AFTER.get(s[-1], ""):
            continue                              # 东北区域 / 文化市场: not a place name
        cands = g.by_name.get(s) or g.by_short.get(s) or []
        if not cands:
            continue
        out.append(Token(s, m.start(), m.end(), tuple(cands), g.strength.get(s, 0.3)))
    return out


def _score_regions(tokens: Iterable[Token], boosts: dict[str, float] | None = None) -> dict[str, float]:
    """Evidence per region code: its own mentions, plus its ancestors' and descendants' mentions."""
    g = gazetteer()
    score: Counter[str] = Counter()
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

# --------------------------------------------------------------------------- agency strings

_ORG_SUFFIX = ("人民政府", "管理委员会", "委员会", "办公室", "管委会", "政府", "公署", "局", "厅", "委", "办", "部",
               "署", "院", "中心", "分局", "办事处")
ABBREVIATIONS: dict[str, str] = {
    "文旅局": "文化和旅游局", "文化旅游局": "文化和旅游局", "文旅委": "文化和旅游委员会",
    "市场监管局": "市场监督管理局", "市监局": "市场监督管理局", "人社局": "人力资源和社会保障局",
    "住建局": "住房和城乡建设局", "发改委": "发展和改革委员会", "卫健委": "卫生健康委员会",
    "卫健局": "卫生健康局", "医保局": "医疗保障局", "退役军人局": "退役军人事务局", "工信局": "工业和信息化局",
    "科技局": "科学技术局", "应急局": "应急管理局", "交通局": "交通运输局", "自规局": "自然资源和规划局",
    "生态环境局": "生态环境局", "农业农村局": "农业农村局", "政府": "人民政府",
}
_SELF_REF = re.compile(r"我(局|委|厅|办|部|署|院|中心|区|县|市|省|州|旗|盟)")
_LEVEL_WORD = {"省": "province", "自治区": "province", "市": "city", "州": "city", "盟": "city",
               "区": "county", "县": "county", "旗": "county"}
_YEAR_HEAD = r"(?:20\d\d)\s*年度?(?:上半年|全年)?"
_TITLE_HINT = re.compile(r"法治政府|法治建设|依法行政|法治|信息公开")
_CHROME = re.compile(r"[>›»]|位置|首页|当前|浏览|来源|发布|日期|字号|分享")


@dataclass
class AgencyGuess:
    text: str           # the agency as written (Simplified)
    source: str         # title / signature / opening / publisher / text
    region_tokens: list[Token]
    bare_level: str     # "city" for "市文化旅游局" (level word without a name), else ""
    dept: str           # the part after the region prefix: "文化和旅游局", "人民政府", "" for a bare region


def _split_region_prefix(org: str) -> tuple[list[Token], str, str]:
    """'武汉市江汉区文旅局' -> ([武汉市, 江汉区], '', '文旅局'); '市文化旅游局' -> ([], 'city', '文化旅游局')."""
    toks: list[Token] = []
    pos = 0
    for t in _scan(org, prefix=True):
        if t.start != pos:
            break
        toks.append(t)
        pos = t.end
    rest = org[pos:]
    bare = ""
    if not toks:
        for word, level in sorted(_LEVEL_WORD.items(), key=lambda kv: -len(kv[0])):
            if rest.startswith(word) and len(rest) > len(word) + 1:
                bare, rest = level, rest[len(word):]
                break
    return toks, bare, rest


# a party committee's own department may publish the report (中共XX县委组织部); the committee may not
_PARTY_DEPT = re.compile(r"委(?:组织部|宣传部|统战部|统一战线工作部|政法委员会|政法委|办公室|编办|机构编制委员会办公室|"
                         r"全面依法治[省市县区州旗]委员会办公室|依法治[省市县区州旗]办)")


def _clean_org(s: str) -> str:
    s = re.sub(r"\s+", "", s)
    s = re.sub(r"^(?:关于)?(?:中共|中国共产党)?", "", s)      # 关于XX街道办事处2023年度...
    s = re.split(r"关于|政府信息公开|法治政府|法治建设|依法行政|年度|工作报告", s)[0]
    s = re.sub(r"[（(].*?[)）]", "", s)
    s = s.strip("《》“”\"'：:，,。 \u3000·-—")
    return s


def _make_guess(raw: str, source: str) -> AgencyGuess | None:
    org = _clean_org(raw)
    if len(org) < 2 or len(org) > 40:
        return None
    toks, bare, dept = _split_region_prefix(org)
    if not toks and not bare and not dept.endswith(_ORG_SUFFIX):
        return None
    if toks and dept and not dept.endswith(_ORG_SUFFIX):
        return None                               # "武汉市文化市场...": not an agency
    if not toks and not bare and len(dept) < 3:
        return None
    if re.fullmatch(r"(?:县|区|市|省|州|旗|盟)?(?:委|党委|纪委|委员会)", dept) or (
            dept.startswith("委") and not _PARTY_DEPT.fullmatch(dept)):
        return None                               # 中原区委: the party committee, not the publisher
    return AgencyGuess(org, source, toks, bare, dept)


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if ln.strip()]


def find_title(text: str) -> str:
    """The report's title as printed at the top (two lines joined when it is split)."""
    lines = [re.sub(r"\s*(?:二维码|【.*?】)\s*$", "", ln) for ln in _lines(text[:3000])[:25]]
    for i, ln in enumerate(lines):
        if _CHROME.search(ln) or len(ln) > 80 or "通知" in ln or "：" in ln[:6] or ":" in ln[:6]:
            continue
        if not _TITLE_HINT.search(ln):
            continue
        if re.search(r"[，,。；]", ln):
            continue
        if re.search(r"报告|情况|总结|工作$", ln) or (i + 1 < len(lines) and re.search(r"报告$", lines[i + 1])
                                                    and len(lines[i + 1]) <= 12):
            if not re.search(r"报告|总结", ln) and i + 1 < len(lines) and len(lines[i + 1]) <= 12 \
                    and re.search(r"报告$", lines[i + 1]):
                return ln + lines[i + 1]
            return ln
    m = re.search(r"现将《([^《》]{6,60}(?:报告|总结))》", text[:1500])
    if m and _TITLE_HINT.search(m.group(1)):
        return m.group(1)
    return ""


def _title_guess(title: str) -> AgencyGuess | None:
    if not title:
        return None
    t = re.sub(r"\s+", "", title)
    m = re.match(r"(?P<org>.+?)(?:关于)?(?:20\d\d)\s*年", t)
    if m:
        g = _make_guess(m.group("org"), "title")
        if g:
            return g
    m = re.match(r"(?:关于)?20\d\d\s*年度?(?:上半年)?(?P<org>.+?)(?:法治|依法行政|政府信息公开)", t)
    if m:
        g = _make_guess(m.group("org"), "title")
        if g:
            return g
    m = re.match(r"(?P<org>.+?)(?:关于)?(?:法治政府|法治建设|依法行政|政府信息公开)", t)
    if m:
        return _make_guess(m.group("org"), "title")
    return None


_CN_MONTH = r"十[一二]?|[一二三四五六七八九]"
_CN_DAY = r"[二三]?十[一二三四五六七八九]?|[一二三四五六七八九]"
_DATE_RE = re.compile(rf"(20\d\d)\s*年\s*(\d{{1,2}}|{_CN_MONTH})\s*月\s*(\d{{1,2}}|{_CN_DAY})\s*日|"
                      r"(20\d\d)[-/.](\d{1,2})[-/.](\d{1,2})")
_CN_DIGIT = {ch: str(i) for i, ch in enumerate("〇一二三四五六七八九")} | {"○": "0", "零": "0", "Ｏ": "0", "O": "0"}
_CN_YEAR = re.compile(r"二[〇○零ＯO][〇○零ＯO一二三四五六七八九]{2}(?=\s*年)")


def _arabic_years(text: str) -> str:
    """二〇二三年 -> 2023年 (same length, so positions in the text are kept)."""
    return _CN_YEAR.sub(lambda m: "".join(_CN_DIGIT[ch] for ch in m.group()), text)


def _cn_int(s: str) -> int:
    """'3' / '十二' / '二十五' / '五' -> int."""
    if s.isdigit():
        return int(s)
    if "十" in s:
        tens, _, ones = s.partition("十")
        return int(_CN_DIGIT[tens] if tens else 1) * 10 + (int(_CN_DIGIT[ones]) if ones else 0)
    return int(_CN_DIGIT[s])


def _signature_guess(text: str) -> AgencyGuess | None:
    lines = _lines(text[-800:])[-8:]
    for i in range(len(lines) - 1, -1, -1):
        ln = re.sub(r"\s+", "", lines[i])
        ln = _DATE_RE.sub("", ln)
        if 2 <= len(ln) <= 40 and not re.search(r"[，,。；;：:！!？?]", ln) and ln.endswith(_ORG_SUFFIX):
            near_date = any(_DATE_RE.search(x) for x in lines[i: i + 3])
            if near_date:
                return _make_guess(ln, "signature")
    return None


_OPENING_RE = re.compile(
    r"(?:^|\n|。)[ \t\u3000]*(?:20\d\d\s*年度?(?:以来)?[，,、]\s*)?(?:在[^，,。\n]{0,30}(?:领导下|指导下)[，,]\s*)?"
    r"(?P<rest>[\u4e00-\u9fff]{2,40})")
_OPENING_ORG = re.compile(r"[\u4e00-\u9fff]{1,25}?(?:人民政府|政府|管理委员会|委员会|办公室|局|厅|部|署|中心)")
_OPENING_VERB = re.compile(
    r"(?P<subj>[\u4e00-\u9fff]{2,20}?)(?:在|坚持|始终|紧紧|深入|认真|全面|以|围绕|高度|扎实|立足|严格|积极|持续|紧扣|"
    r"主要|着力|聚焦|按照|牢固|全力|不断|切实|进一步|对本|对照|锚定|聚力|把|将|推进|推动|加强|深化|大力)")


def _opening_guess(text: str) -> AgencyGuess | None:
    region_subject = False          # 我区 / 全区 opened the report: the government reports, not a bureau
    for m in _OPENING_RE.finditer(text[:1500]):
        rest = m.group("rest")
        if re.match(r"[我全本](?:区|县|市|省|州|旗|盟|自治区)", rest):
            head = m.group()[: m.start("rest") - m.start()]
            region_subject = region_subject or bool(re.search(r"年|领导下|指导下", head))
            continue
        if rest.startswith(("我", "今年", "一年")):
            continue
        for sub in (_OPENING_ORG.match(rest), _OPENING_VERB.match(rest)):
            if sub is None:
                continue
            g = _make_guess(sub.group("subj") if "subj" in sub.groupdict() else sub.group(), "opening")
            if g and (g.region_tokens or g.bare_level) and not (
                    region_subject and g.dept not in ("", "人民政府", "政府")):
                return g
    return None


def _publisher_guesses(text: str) -> list[AgencyGuess]:
    out: list[AgencyGuess] = []
    for m in re.finditer(r"(发布机构|发文机关|来源单位|信息来源|文章来源|来源)\s*[:：]\s*([\u4e00-\u9fff]{2,30})", text[:3000]):
        g = _make_guess(m.group(2), "publisher" if m.group(1) in ("发布机构", "发文机关") else "source")
        if g:
            out.append(g)
    return out


def _orgs_in_text(text: str) -> Counter[str]:
    """Region-prefixed agency names found anywhere in the text."""
    found: Counter[str] = Counter()
    for t in _scan(text):
        if t.weight < 1.0:
            continue
        tail = text[t.start: t.start + 40]
        m = re.match(r"(?:[\u4e00-\u9fff]{2,12}?(?:省|市|区|县|州|旗|盟))?[\u4e00-\u9fff]{1,16}?"
                     r"(?:人民政府|管理委员会|委员会|办公室|局|厅)", tail)
        if m:
            found[m.group()] += 1
    return found


def _is_expansion(short: str, long: str) -> bool:
    """Could `long` be the formal name that `short` abbreviates? (文旅局 -> 文化和旅游局)"""
    if short == long or not short or short[-1] != long[-1]:
        return False
    if ABBREVIATIONS.get(short) == long:
        return True
    it = iter(long)
    if not all(ch in it for ch in short):
        return False
    inserted = Counter(long) - Counter(short)
    return len(short) <= 4 or set(inserted) <= set("和与及、")


def _expand_dept(dept: str, text_orgs: Iterable[str]) -> str:
    for org in text_orgs:
        _toks, _bare, d = _split_region_prefix(org)
        if _is_expansion(dept, d):
            return d
    if dept.endswith("管委会"):
        return dept[:-3] + "管理委员会"            # XX新区管委会: the formal name
    return ABBREVIATIONS.get(dept, dept)

# --------------------------------------------------------------------------- years


def _title_year(title: str) -> int | None:
    t = re.sub(r"\d{4}\s*[-—–~至]\s*\d{4}", "", title)
    m = re.search(r"(20\d\d)\s*年", t)
    return int(m.group(1)) if m else None


def _pub_dates(text: str) -> list[tuple[int, int]]:
    out = []
    for m in _DATE_RE.finditer(text):
        y, mo = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(5))
        out.append((int(y), _cn_int(mo)))
    return out


_PLAN_BEFORE = re.compile(r"下一步|下步|计划|打算|明年|今后|将在|将于|展望")
_PLAN_AFTER = re.compile(r"计划|打算|要点|思路|安排|工作中|将")


def _is_plan(text: str, start: int, end: int) -> bool:
    """A year named in the plans for next year ('2024年工作计划'), not the year reported on."""
    return bool(_PLAN_BEFORE.search(text[max(0, start - 12): start]) or _PLAN_AFTER.search(text[end: end + 8]))


def infer_year(text: str, title: str) -> int | None:
    y = _title_year(title)
    if y:
        return y
    head = text[:2500]
    clean = re.sub(r"\d{4}\s*[-—–~至]\s*\d{4}\s*年?", "", head)
    clean = _DATE_RE.sub("", clean)
    for pat in (r"现将[^。\n]{0,20}?(20\d\d)\s*年", r"(?:^|\n)\s*(20\d\d)\s*年度?(?:以来)?[，,是]",
                r"(20\d\d)\s*年度?(?:法治政府|法治建设|依法行政)", r"(20\d\d)\s*年度?[^。\n]{0,12}(?:工作)?(?:报告|总结)"):
        for m in re.finditer(pat, clean):
            if not _is_plan(clean, m.start(1), m.end()):
                return int(m.group(1))
    dates = _pub_dates(text[-600:]) or _pub_dates(text[:600])
    if dates:
        y, mo = dates[-1]
        return y if mo >= 11 else y - 1
    years = Counter(int(x) for x in re.findall(r"(20\d\d)\s*年(?!\s*\d{1,2}\s*月)", re.sub(r"\d{4}\s*[-—–~至]\s*\d{4}", "", text)))
    return years.most_common(1)[0][0] if years else None

# --------------------------------------------------------------------------- main


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
    best: tuple[float, str] | None = None
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


def _is_national(guess: AgencyGuess | None, text: str) -> bool:
    if guess is None or guess.region_tokens or guess.bare_level:
        return False
    d = guess.dept
    return bool(re.fullmatch(r"(?:国家|中国|国务院)?[\u4e00-\u9fff]{2,12}(?:部|总局|国家[\u4e00-\u9fff]{2,8}局|署)", d)) \
        and not d.endswith("分局")


def _choose_guess(guesses: list[AgencyGuess]) -> AgencyGuess | None:
    """The best-named agency: one with a region prefix wins, earlier sources win ties."""
    if not guesses:
        return None
    def key(g: AgencyGuess) -> tuple[int, int, int]:
        has_region = 2 if g.region_tokens else (1 if g.bare_level else 0)
        has_dept = 1 if g.dept else 0
        return (has_region, has_dept, -guesses.index(g))
    return max(guesses, key=key)


HEAD_CHARS, TAIL_CHARS = 8000, 3000


def _head_and_tail(text: str) -> str:
    """Metadata lives at the top and the bottom: long reports are read there only."""
    if len(text) <= HEAD_CHARS + TAIL_CHARS + 1000:
        return text
    return text[:HEAD_CHARS] + "\n" + text[-TAIL_CHARS:]


def inspect_text(text: str, title: str = "", hint: dict | None = None) -> dict:
    hint = {k: v for k, v in (hint or {}).items() if v not in (None, "")}
    text = _head_and_tail(text)
    script = script_of(text + title)
    simp = _arabic_years(to_simplified(text))
    given_title = _arabic_years(to_simplified(title.strip()))
    found_title = given_title or find_title(simp)
    g = gazetteer()

    guesses = [x for x in (_title_guess(found_title), _title_guess(find_title(simp)) if given_title else None,
                           _signature_guess(simp), _opening_guess(simp)) if x]
    publishers = _publisher_guesses(simp)
    guesses += [p for p in publishers if p.source == "publisher"]
    if not guesses:
        guesses += [p for p in publishers if p.source == "source"]
    primary = _choose_guess(guesses)
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
    for m in re.finditer(r"(?:中共)?([\u4e00-\u9fff]{2,10}?(?:省|市|区|县|州|旗|盟))委", simp):
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
        out["province"] = NATIONAL
    elif region is not None:
        p = g.province(region)
        c = g.city(region)
        out.update(province=p.name, province_code=p.code, city=c.name if c else "",
                   county=region.name if region.level == "county" else "")
    for k, v in hint.items():
        if k in out:
            out[k] = v
    if hint.get("province") and not hint.get("province_code"):
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


def _agency_name(primary: AgencyGuess | None, region: Region | None, certain: bool, text: str,
                 national: bool) -> str:
    orgs = [o for o, _n in _orgs_in_text(text).most_common()]
    if primary is None:
        return _fallback_agency(region, text, orgs)
    if national:
        return re.sub(r"^(?:国家|中华人民共和国|中国)(?=[\u4e00-\u9fff]{2,}部$)", "", primary.dept)
    dept = primary.dept or "人民政府"
    if dept in ("政府", "区政府", "县政府", "市政府"):
        dept = "人民政府"
    if not primary.region_tokens and region is not None and any(
            n and len(n) >= 2 and dept.startswith(n) for n in {region.name, region.short, *(
                a.short for a in gazetteer().ancestors(region))}):
        return _expand_dept(dept, [])             # 合肥高新技术产业开发区管理委员会: named already
    if region is not None and certain:
        same_region = [o for o in orgs if _region_chain_name(region) in o or o.startswith(region.name)]
        dept = _expand_dept(dept, same_region)
        return _region_chain_name(region) + dept
    prefix = "".join(t.surface for t in primary.region_tokens)
    return prefix + _expand_dept(dept, [o for o in orgs if o.startswith(prefix)] if prefix else [])


_DOMAINS = (("文化和旅游局", r"文旅|文化和旅游|旅游"), ("市场监督管理局", r"市场监管"), ("司法局", r"司法行政"))


def _fallback_agency(region: Region | None, text: str, orgs: list[str]) -> str:
    """No agency named in the title, opening or signature: 我局 + the region + the text's orgs."""
    m = _SELF_REF.search(text[:3000])
    if region is None:
        return ""
    prefix = _region_chain_name(region)
    if m is None or m.group(1) in ("区", "县", "市", "省", "州", "旗", "盟"):
        return prefix + "人民政府"
    suffix = m.group(1)
    own = [o for o in orgs if (o.startswith(prefix) or o.startswith(region.name)) and o.endswith(suffix)
           and not re.search(r"司法局|人民政府|财政局", o)]
    if own:
        _t, _b, d = _split_region_prefix(own[0])
        return prefix + _expand_dept(d, own)
    if suffix == "局":
        counts = {name: len(re.findall(pat, text)) for name, pat in _DOMAINS}
        name, n = max(counts.items(), key=lambda kv: kv[1])
        if n >= 2:
            return prefix + name
    return ""                        # 我委 with no name anywhere: the department stays unknown
