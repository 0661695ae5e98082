"""The reporting agency as the text names it: title, signature, opening subject, publisher
line, and its formal name (文旅局 -> 文化和旅游局)."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from .. import knowledge
from .gazetteer import Region, Token, _region_chain_name, _scan, gazetteer
from .year import _DATE_RE


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
_LEVEL_WORD = knowledge.level_words()      # 省 -> province, 州 -> city, 旗 -> county (etl/catalog.yaml levels)
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


_FORWARDED = ("转发", "转载", "印发", "发布", "主办", "承办", "编印")


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
            if rest[sub.end():].startswith(_FORWARDED):
                break                     # 中共和县县委办公室转发: who forwarded it, not its subject
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
    zone = [t.surface for t in primary.region_tokens if t.surface in gazetteer().zones]
    if zone:                                      # 赣江新区管理委员会: the zone keeps its own name
        prefix = "".join(t.surface for t in primary.region_tokens)
        return prefix + _expand_dept(dept, [o for o in orgs if o.startswith(prefix)])
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
