"""Metric extraction: statistics stated in report prose and tables -> Fact records.

How a fact is found:
1. The text is normalised once (Simplified, ASCII digits; same length as the original, so
   every offset found on the copy is an offset into the original, quotes included).
2. One regex finds number tokens with their qualifier and counter: `约1.2万余家次`,
   `不少于60学时`, `十余场`, `30%以上`, `3-5次`.
3. Filters drop what is not a statistic: numbers without a counter, dates, ordinals (第三批),
   codes (5G, H5, 1+N), numbers inside quoted slogans and titles (“三个加强”, 《…2021-2025年》),
   norms (每千人5批次), structural counts (七个方面, 三项制度) and a number cut off by the end of
   the text.
4. Each fact gets its clause: the subject is the words before the number (back to the clause
   start) plus the noun phrase after the counter (`159个社区文化服务中心`). The metric comes
   from the catalog keyword nearest to the number, among metrics accepting the unit.
5. A value shared by several subjects (`办结率和满意率均为100%`) gives one fact per subject;
   `A、B分别为X、Y` hands the subjects out in order; a %-change (同比增长) is attributed to the
   metric it follows; parts after 其中/包括 point to their total through `part_of`.

Tables (lines of tab-separated cells, header first) take their unit from the column header,
the row label (`案件数（件）`) or a 单位 column, and their subject from both (a leading 序号
column is skipped). Raw PDF text keeps line breaks inside sentences: a number still meets its
counter on the next line (`1526\n件`) and a soft break does not end the clause.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import yaml

from .normalize import normalize, to_simplified
from .numbers import ARABIC, CHINESE, MORE, MULT, parse_base, scale
from .records import Fact

EXTRACTOR_VERSION = "1.4.2"
CATALOG_PATH = Path(__file__).with_name("catalog.yaml")

# Counters, longest first so 人次 wins over 人 and 个工作日 over 个.
UNITS = sorted({
    "个工作日", "个百分点", "百分点", "工作日", "个月", "人次", "家次", "户次", "场次", "批次", "件次",
    "个次", "处次", "所次", "车次", "架次", "班次", "辆次", "艘次", "台次", "趟次", "航次",
    "课时", "学时", "小时", "分钟", "平方米", "平方公里", "平方千米", "立方米", "公顷",
    "公里", "千克", "公斤", "部门", "单位",
    "次", "人", "名", "位", "家", "户", "个", "件", "起", "宗", "项", "条", "篇", "份", "册", "本", "张",
    "套", "场", "期", "批", "轮", "处", "类", "支", "稿", "部", "所", "座", "间", "台", "辆", "艘", "元",
    "天", "例", "单", "笔", "卷", "组", "幅", "首", "堂", "倍", "班", "吨", "亩", "%",
    "通", "封", "盒", "瓶", "袋", "箱", "株", "棵", "栋", "幢", "块", "头", "只", "对",
    "美元", "港元", "欧元", "英镑",
}, key=len, reverse=True)
# Counters that also start common words: 通 is a call (1.08万通) but not 通办, 通过, 通知.
# 对 counts couples (结婚登记8465对、) only before a stop or a couple noun, never as "towards"
# (1对1, 12345对群众诉求, 3家对接).
_UNIT_GUARD = {"通": "(?![办过知报道信讯用关行车达畅航水电气告])", "头": "(?![条版号])",
               "对": r"(?=[，,。；;、)）\s]|$|夫妻|夫妇|新人)"}

# A PDF line break may fall inside a number's thousands groups (2\n,318) or between a number
# and its counter (1526\n件); extracted text may also space them (1526 件). The gap is part of
# the token only when a counter, 万/亿 or 余 follows it, so unrelated numbers never join.
_ARABIC_BROKEN = ARABIC.replace("(?:,", "(?:\n?,", 1)
_NUM = rf"(?:{_ARABIC_BROKEN}|{CHINESE})"
_UNIT = "|".join(re.escape(u) + _UNIT_GUARD.get(u, "") for u in UNITS)
_GAP = rf"(?:(?:[ ]{{1,2}}|[ ]*\n[ ]*)(?=余|(?:{MULT})|(?:{_UNIT})))?"
_TOKEN = (rf"(?P<pct>百分之)?(?P<n1>{_NUM}){_GAP}(?:(?P<rsep>[-~—–至到])(?P<n2>{_NUM}))?"
          rf"(?P<q1>{MORE})?(?P<mult>{MULT})?(?P<q2>[余多])?(?P<unit>{_UNIT})?"
          rf"(?P<post>以上|以下|以内|左右)?")
_TOKEN_RE = re.compile(_TOKEN)
_CELL_RE = re.compile(rf"\s*(?P<cq>不少于|不足|不到|超过|约|近|逾|超)?(?P<sign>[-+−])?{_TOKEN}\s*")

# Qualifier words right before the number (checked repeatedly: 累计达, 共约).
_PREFIX_RE = re.compile(
    r"(?:不少于|不低于|不超过|不足|不到|不满|超过|多于|将近|接近|大约|约为|约|近|逾|超|"
    r"达到|均达到|均达|均为|均是|都达到|都达|都为|都是|均|达|共计|合计|总计|累计|共有|共)$")
_PREFIX_QUALIFIER = {
    "不少于": "at_least", "不低于": "at_least",
    "不超过": "at_most", "不足": "at_most", "不到": "at_most", "不满": "at_most",
    "超过": "more_than", "多于": "more_than", "逾": "more_than", "超": "more_than",
    "将近": "approx", "接近": "approx", "大约": "approx", "约为": "approx", "约": "approx", "近": "approx",
}
_POST_QUALIFIER = {"以上": "at_least", "以下": "at_most", "以内": "at_most", "左右": "approx"}

_SENT_END_RE = re.compile(r"[。！？!?；;\n\r]")
# Commas end clauses, but not the thousands separators of 1,832 (the ARABIC number form).
_CLAUSE_END_RE = re.compile(r"[。！？!?；;\n\r\t，：:]|(?<!\d),|,(?!\d{3}(?!\d))")
# Quoted slogans, titles and document-number brackets: numbers inside are names, not counts.
_PROTECTED_RE = re.compile(r"“[^“”\n]{0,15}”|「[^「」\n]{0,15}」|『[^『』\n]{0,15}』|"
                           r"《[^《》\n]{0,80}》|〔[^〕\n]{0,12}〕|\[\d{4}\]")
_NORM_BEFORE_RE = re.compile(r"每[十百千万]+[人户家名]?$")      # 每千人5批次 is a norm
_PAGE_COUNTER_RE = re.compile(r"(?:浏览|阅读|点击|访问|访客)(?:次数|人次|次|量|数)?\s*[:：]\s*$")  # page chrome
_CODE_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+#_/\\.-×")
_CN_BAD_PREV = frozenset("第初数几成每周")                     # 第三, 初七, 数十, 周一
_CN_REFUSED = frozenset({"一", "二", "〇", "零"})              # 一把手, 二级, 零投诉: not counts
_CN_PLACE_NEXT = frozenset("区市县镇乡村州旗")                 # 九台区, 三台县
# Heads of structural counts and slogans after a Chinese numeral: 七个方面, 三项制度, 四个最严.
_STRUCTURAL_HEADS = re.compile(
    r"(?:方面|制度|规定|维护|确立|自信|意识|全面|务必|最严|一|线|网|清单|责任|原则|加强|坚持|必须|不|"
    r"统一|到位|结合|同步|优先|体系|机制|格局|理念|思维|能力|要求|转变|率先|聚焦|突出|强化|推进|提升|"
    r"注重|着力|抓好|做到|落实|确保|大事|人员|服务圈|生活圈|法定)")
_ANY_STRUCTURAL = re.compile(r"方面")                          # 5个方面 is structural in any script
_AT_LEAST_NORM_RE = re.compile(r"至少[^，,。；;\n\d]{0,6}$")
_ROUND_THE_CLOCK_RE = re.compile(r"(?:应急)?(?:全天候|不间断|不打烊|无休|自助|在线|值班|值守|服务|运行|开放|畅通|响应|政务|热线|受理|全天)")
_UP_BAD_PREV = frozenset("以线网向之马路楼")               # 线上, 以上, 网上: not 上百
# Multiples of a fine in the legal rule applied (处货值金额1倍以上5倍以下罚款) are norms.
_FINE_MULTIPLE_RE = re.compile(r"(?:以上|以下|以内|至|到|[-~—–、]|[\d.]+|[一二三四五六七八九十两]|倍)*的?(?:罚款|罚金)")
_RING_RE = re.compile(r"[^，,。；;\n]{0,30}?圈")                # 15分钟服务圈: a norm
_SHARED_SPLIT_RE = re.compile(r"以及|、|和|及(?!时)|(?<!参)与")   # not 及时, 参与
_CHANGE_CONTEXT_RE = re.compile(r"同比|环比|相比|较上年|较去年|比上年|比去年|较上一年")
_CHANGE_END_RE = re.compile(r"(?:增长|增加|下降|减少|提高|提升|上升|降低|增幅|降幅|下降了|增长了|提高了|"
                            r"增加了|减少了|提升了|上升了|降低了)$")
_BREAKDOWN_RE = re.compile(r"其中|包括")
_SUBJECT_LEAD_RE = re.compile(
    r"^(?:[\s、，,：:]|\d{1,2}[.、](?!\d)|[(（]\d{1,2}[)）]|[①-⑳⑴-⒇⒈-⒛]|\d{4}年度?|\d{1,2}月(?:份|底)?|[截至止到]+\S{0,8}?[底末]|其中|包括|同时|全年|今年|"
    r"当年|年内|本年度|本年|全年度|年度|上半年|下半年|截至目前|截止目前|目前|累计|共计|合计|计|"
    r"总计|共有|共|已|并|还|另|对|在|为|将)+")
_SUBJECT_TAIL_RE = re.compile(
    r"(?:分别|均达到|均达|均为|均是|都达到|都为|都是|(?<![平人户])均|达到|达|为|是|有|\s)+$")
_RESPECTIVELY_RE = re.compile(r"分别(?:为|是|达到|达|有)?\s*$")     # A、B分别为X、Y
_HAN_OR_QUOTE_RE = re.compile(r"[\u4e00-\u9fff“「《\"]")
_PCT_UNITS = frozenset({"%", "个百分点", "百分点"})
_TOWARDS_RE = re.compile(r"(?<![面针相核绝反])对[^\d，,。；;、]{0,6}$")   # 对全市187家X开展检查
_LIST_JOIN_RE = re.compile(r"\s*(?:和|及|与|、|以及)?\s*")

# Tables: a unit in brackets in a header or row label, e.g. 案件数（件） -> (件).
_HEADER_UNIT_RE = re.compile(r"[(（\[]\s*(?:单位\s*[:：]\s*)?(万亿|亿|万)?([^()（）\[\]]{0,6}?)\s*[)）\]]")
_COUNT_HEADER_RE = re.compile(r"(?:数|量|额|次数|人数|件数)$")
_SKIP_COLUMN_RE = re.compile(r"序号|编号|年份|年度|日期|时间|电话|代码|邮编|排名|名次")
# Soft line breaks (PDF): lines of 10-60 characters not ending a sentence, no heading or list
# item on either side, no metadata line (来源: ..., 索引号: ...).
_SOFT_MIN, _SOFT_MAX = 10, 60
_HARD_LINE_END = frozenset("。！？!?；;：:")
_LINE_HEAD_RE = re.compile(r"第?[一二三四五六七八九十]+[、.章节]|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.](?!\d)|"
                           r"[①-⑳⑴-⒇⒈-⒛]|附件|表\s*\d|图\s*\d|[一二三四五六七八九十]是")
_META_LINE_RE = re.compile(r"[:：]\s*\S")
_UNIT_COLUMN_RE = re.compile(r"\s*(?:计量)?单位\s*")
_TOTAL_ROW_RE = re.compile(r"^\s*(?:合计|总计|小计|总数|全年合计|共计)\s*$")


# ---------------------------------------------------------------- catalog

@dataclass(frozen=True)
class Metric:
    id: str
    category: str
    priority: int
    units: frozenset[str] | None
    range: tuple[float, float] | None

    def accepts(self, unit: str | None) -> bool:
        return unit is None or self.units is None or unit in self.units


@dataclass(frozen=True)
class _Matcher:
    metrics: dict[str, Metric]
    keyword_re: re.Pattern[str]
    by_keyword: dict[str, tuple[tuple[Metric, int], ...]]    # keyword -> (metric, priority)
    mask_re: re.Pattern[str] | None                          # words hiding a false keyword


@lru_cache(maxsize=1)
def catalog() -> dict[str, Any]:
    """The metric catalog as loaded from catalog.yaml (keywords in Simplified).

    {"version": int, "metrics": {id: {"category", "priority", "units", "range", "keywords",
    "keyword_priority"}}}; the validation stage reads `range` per metric id. A keyword listed in
    `keyword_priority` carries that priority instead of the metric's (a weak generic noun such
    as 事项, or a strong one such as 工单); it is a keyword of the metric either way.
    """
    raw = yaml.safe_load(CATALOG_PATH.read_text(encoding="utf-8"))
    metrics = {}
    for mid, m in raw["metrics"].items():
        kw_priority = {to_simplified(str(k)): int(v) for k, v in (m.get("keyword_priority") or {}).items()}
        kws = {to_simplified(str(k)) for k in m.get("keywords") or []} | set(kw_priority)
        metrics[mid] = {
            "category": m["category"],
            "priority": int(m.get("priority", 0)),
            "units": [str(u) for u in m["units"]] if "units" in m else None,
            "range": [float(x) for x in m["range"]] if "range" in m else None,
            "keywords": sorted(kws),
            "keyword_priority": kw_priority,
        }
    masks = sorted({to_simplified(str(w)) for w in raw.get("masks") or []}, key=len, reverse=True)
    return {"version": raw.get("version"), "metrics": metrics, "masks": masks}


@lru_cache(maxsize=1)
def _matcher() -> _Matcher:
    metrics: dict[str, Metric] = {}
    index: dict[str, list[tuple[Metric, int]]] = {}
    for mid, m in catalog()["metrics"].items():
        metric = Metric(mid, m["category"], m["priority"],
                        frozenset(m["units"]) if m["units"] is not None else None,
                        tuple(m["range"]) if m["range"] else None)
        metrics[mid] = metric
        for kw in m["keywords"]:
            index.setdefault(kw, []).append((metric, m["keyword_priority"].get(kw, metric.priority)))
    # A lookahead finds the longest keyword at every position, overlaps included: in
    # 全程网办率 both 全程网办 and 网办率 must be seen, not only the leftmost.
    alternation = "|".join(re.escape(k) for k in sorted(index, key=len, reverse=True))
    masks = catalog().get("masks") or []
    # A law's name (行政复议法, 行政处罚法) is masked, not 法律/法规/法治/法院 that start with 法.
    mask_re = re.compile("|".join(re.escape(w) + ("(?![律规治院])" if w.endswith("法") else "")
                                  for w in masks)) if masks else None
    return _Matcher(metrics, re.compile(f"(?=({alternation}))"), {k: tuple(v) for k, v in index.items()},
                    mask_re)


def classify(pre: str, post: str = "", unit: str | None = None) -> Metric | None:
    """The metric a number belongs to, from the words before it (`pre`, nearest last) and the
    noun phrase after its counter (`post`, head noun last). Highest priority (of the keyword,
    else of its metric) wins, then the keyword nearest to the number (for `post`: nearest to
    the head), then the longest."""
    return _classify_ranked(pre, post, unit)[0]


def _classify_ranked(pre: str, post: str = "", unit: str | None = None) -> tuple[Metric | None, int]:
    """classify() and the priority its winning keyword carried (-9 when nothing matched)."""
    mt = _matcher()
    best: Metric | None = None
    best_key: tuple[int, int, int] | None = None
    for text in (pre, post):
        if mt.mask_re is not None:                    # 设立法律服务站 holds no 立法
            text = mt.mask_re.sub(lambda w: "\0" * len(w.group()), text)
        n = len(text)
        for m in mt.keyword_re.finditer(text):
            kw = m.group(1)
            entries = mt.by_keyword[kw]
            if unit is not None and not any(metric.accepts(unit) for metric, _ in entries):
                # The longest keyword here counts other things (旁听庭审 in 次): a shorter one
                # at the same place may count this unit (旁听 in 人).
                kw = next((kw[:k] for k in range(len(kw) - 1, 1, -1) if kw[:k] in mt.by_keyword
                           and any(mm.accepts(unit) for mm, _ in mt.by_keyword[kw[:k]])), "")
                if not kw:
                    continue
                entries = mt.by_keyword[kw]
            key_base = (-(n - (m.start(1) + len(kw))), len(kw))
            for metric, priority in entries:
                if not metric.accepts(unit):
                    continue
                key = (priority, *key_base)
                if best_key is None or key > best_key:
                    best, best_key = metric, key
    return best, (best_key[0] if best_key else -9)


# ---------------------------------------------------------------- candidates

@dataclass
class _Cand:
    start: int                   # quote start, prefix qualifiers included
    end: int                     # quote end
    value: float
    unit: str
    qualifier: str
    shared: bool = False         # prefix 均/都: one value for the subjects before it
    table: bool = False
    total: _Cand | None = None   # table cell: the 合计 row's cell of its column
    pre: str = ""                # words before the number in its clause (normalised)
    post: str = ""               # noun phrase after the counter
    pre_start: int = 0
    sentence: tuple[int, int] = (0, 0)
    metric: Metric | None = None
    rank: int = -9               # priority of the keyword that chose `metric`
    part_of: int | None = None
    # One list of spans per subject (a subject may join two pieces: pre + noun after the
    # counter); several subjects when one value is shared. `metrics` then holds one each.
    subjects: list[list[tuple[int, int]]] = field(default_factory=list)
    metrics: list[Metric | None] = field(default_factory=list)


def _in_spans(pos: int, starts: list[int], ends: list[int]) -> bool:
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and pos < ends[i]


def _prefix(norm: str, pos: int) -> tuple[int, str, bool]:
    """Walk back over qualifier words before `pos`: (new start, qualifier, shared)."""
    qualifier, shared = "exact", False
    for _ in range(3):
        m = _PREFIX_RE.search(norm, max(0, pos - 4), pos)
        if not m:
            break
        word = m.group()
        if word[0] == "均" and m.start() and norm[m.start() - 1] in "平人户":
            break                                     # 平均3天, 人均2次: an average, not 均为
        if qualifier == "exact":
            qualifier = _PREFIX_QUALIFIER.get(word, "exact")
        shared = shared or word[0] in "均都"
        pos = m.start()
    return pos, qualifier, shared


def _chinese_ok(norm: str, m: re.Match[str], token: str, has_qualifier: bool) -> bool:
    """Chinese numerals are words as often as numbers: keep only count-like uses."""
    if token in _CN_REFUSED:
        return False
    s = m.start("n1")
    if s and norm[s - 1] in _CN_BAD_PREV:
        return False
    if token[0] in "百千万亿" and not (m["q1"] or m["q2"] or has_qualifier):
        return False                                  # 千万场, 百馆: slogans; 百余, 近百: counts
    end = m.end()
    if _STRUCTURAL_HEADS.match(norm, end):
        return False
    unit = m["unit"] or ""
    if unit and unit != "个" and end < len(norm) and norm[end] in _CN_PLACE_NEXT:
        return False
    return True


def _candidate(norm: str, m: re.Match[str], text_end: int) -> _Cand | None:
    unit = m["unit"] or ""
    if m["pct"]:
        if unit:
            return None
        unit = "%"
    if not unit and not m["mult"]:
        return None                                   # a bare number: year, code, list mark
    if m.end() >= text_end:
        return None                                   # cut off by the end of the text
    n1 = m["n1"].replace("\n", "")
    if m["q1"] == "几" and (n1[0].isdigit() or n1[-1] not in "十百千"):
        return None                                   # 十几场, 二十几人; never 3几 or 一几
    s = m.start("n1")
    prev = norm[s - 1] if s else ""
    if prev == " ":                                   # 第 3 次 as extracted text spaces it
        prev = norm[:s].rstrip(" ")[-1:]
    if prev == "第" or (prev == "前" and m["unit"] in ("名", "位")):
        return None                                   # 第三批, 前10名: ranks
    is_arabic = n1[0].isdigit()
    if is_arabic:
        if prev in _CODE_CHARS or prev.isdigit():
            return None                               # H5, PM2.5, A25290-2024, 1+N
        nxt = norm[m.end()] if m.end() < len(norm) else ""
        if nxt and nxt in _CODE_CHARS and nxt not in ".-/":
            return None                               # 5G, 4A
    pos = m.start()
    # 上百人次, 上万份: "up to a hundred" reads as at least the bare magnitude (not 线上, 以上).
    up = (not is_arabic and n1[0] in "百千万亿" and pos and norm[pos - 1] == "上"
          and (pos < 2 or norm[pos - 2] not in _UP_BAD_PREV))
    start, qualifier, shared = _prefix(norm, pos - 1 if up else pos)
    if up and qualifier == "exact":
        qualifier = "at_least"
    if _NORM_BEFORE_RE.search(norm, max(0, start - 5), start) or \
            _PAGE_COUNTER_RE.search(norm, max(0, start - 8), start):
        return None
    if not is_arabic and not _chinese_ok(norm, m, n1, qualifier != "exact" or bool(m["pct"])):
        return None
    if _ANY_STRUCTURAL.match(norm, m.end()) or (unit == "部" and norm.startswith("分", m.end())):
        return None                                   # 5个方面, 三部分
    if unit in ("分钟", "小时", "公里") and _RING_RE.match(norm, m.end()):
        return None
    if (unit, n1) in (("小时", "24"), ("天", "365")) and _ROUND_THE_CLOCK_RE.match(norm, m.end()):
        return None                                   # 24小时自助服务, 365天不打烊: opening hours
    if unit == "小时" and norm.startswith("工作制", m.end()):
        return None                                   # 8小时工作制: a norm
    if _AT_LEAST_NORM_RE.search(norm, max(0, start - 10), start):
        return None                                   # 每季度至少开展1次: a norm
    if unit in _PCT_UNITS and norm.startswith(("不低于", "不高于", "不超过"), start):
        return None                                   # 办结率不低于90%: a threshold (达到95%以上 is not)
    if m["rsep"] and m["n2"] and norm.startswith("的", m.end()):
        return None                                   # 3至5人的执法小组: a description
    if unit == "倍" and _FINE_MULTIPLE_RE.match(norm, m.end()):
        return None                                   # 处1倍以上5倍以下罚款: a legal norm
    if m["post"] in ("以上", "以下", "以内") and unit not in _PCT_UNITS and norm.startswith("的", m.end()):
        return None                                   # 5万元以下的案件: a class bound, not a count
    base = parse_base(n1)
    if base is None:
        return None
    if m["n2"] is not None and parse_base(m["n2"]) is None:
        return None
    if m["rsep"] and m["n2"]:
        qualifier = "at_least"                        # a range: its lower bound
    if m["q1"] or m["q2"]:
        qualifier = "more_than"
    if m["post"]:
        qualifier = _POST_QUALIFIER[m["post"]]
    value = scale(base, m["mult"])
    return _Cand(start=start, end=m.end(), value=value, unit=unit,
                 qualifier=qualifier, shared=shared)


# ---------------------------------------------------------------- tables

def _table_blocks(norm: str) -> Iterator[list[tuple[int, str]]]:
    """Runs of consecutive lines holding a tab: [(line offset, line)], header first."""
    block: list[tuple[int, str]] = []
    pos = 0
    for line in norm.split("\n"):
        if "\t" in line:
            block.append((pos, line))
        elif block:
            yield block
            block = []
        pos += len(line) + 1
    if block:
        yield block


def _header_unit(label: str) -> tuple[str | None, str | None, re.Match[str] | None]:
    """'案件数(件)' -> ('件', None, match); '罚没款(万元)' -> ('元', '万', match)."""
    m = _HEADER_UNIT_RE.search(label)
    if not m:
        return None, None, None
    unit = m.group(2).strip()
    if unit and unit not in UNITS:
        return None, None, None
    return unit or None, m.group(1), m


def _label_spans(label: str, offset: int, unit_match: re.Match[str] | None) -> list[tuple[int, int]]:
    """Spans of a header or row label without its (unit) bracket and outer blanks."""
    pieces = [(0, len(label))] if unit_match is None else \
        [(0, unit_match.start()), (unit_match.end(), len(label))]
    spans = []
    for a, b in pieces:
        while a < b and label[a].isspace():
            a += 1
        while b > a and label[b - 1].isspace():
            b -= 1
        if b > a:
            spans.append((offset + a, offset + b))
    return spans


def _cells(line: str, offset: int) -> list[tuple[int, str]]:
    out, pos = [], offset
    for cell in line.split("\t"):
        out.append((pos, cell))
        pos += len(cell) + 1
    return out


def _table_cands(norm: str) -> list[_Cand]:
    """Values in table cells; unit from the cell, else the column header, else the row label."""
    cands = []
    for block in _table_blocks(norm):
        header = _cells(block[0][1], block[0][0])
        # A leading 序号 column numbers the rows: the label is the next cell (单位 name).
        label_col = 1 if len(header) > 2 and _SKIP_COLUMN_RE.search(header[0][1]) else 0
        # A 单位 column gives each row its counter (主动公开信息\t3418\t条).
        unit_col = next((j for j, (_, h) in enumerate(header)
                         if j > label_col and _UNIT_COLUMN_RE.fullmatch(h)), None)
        totals: dict[int, _Cand] = {}
        in_block: list[tuple[int, _Cand]] = []
        for offset, line in block[1:]:
            cells = _cells(line, offset)
            labels = cells[:label_col + 1]
            is_total = any(_TOTAL_ROW_RE.match(c) for _, c in labels)
            row_pos, row_label = next(((p, c) for p, c in reversed(labels) if c.strip()), labels[-1])
            row_unit, row_mult, row_m = _header_unit(row_label)
            row_spans = _label_spans(row_label, row_pos, row_m)
            if unit_col is not None and unit_col < len(cells) and not row_unit:
                uc = cells[unit_col][1].strip()
                um = re.fullmatch(rf"(万亿|亿|万)?({_UNIT})", uc)
                if um:
                    row_unit, row_mult = um.group(2), um.group(1)
            for j, (pos, cell) in enumerate(cells[label_col + 1:], start=label_col + 1):
                hdr_pos, hdr = header[j] if j < len(header) else (0, "")
                if _SKIP_COLUMN_RE.search(hdr) or j == unit_col:
                    continue
                m = _CELL_RE.fullmatch(cell)
                if not m:
                    continue
                col_unit, col_mult, col_m = _header_unit(hdr)
                col_spans = _label_spans(hdr, hdr_pos, col_m)
                names = "".join(norm[a:b] for a, b in col_spans + row_spans)
                own_unit = m["unit"] or ("%" if m["pct"] else "")
                unit = own_unit or col_unit or row_unit
                mult = m["mult"] or (None if own_unit else (col_mult or row_mult))
                if unit is None and not mult and not _COUNT_HEADER_RE.search(names) and \
                        not any(_COUNT_HEADER_RE.search(norm[a:b]) for a, b in col_spans + row_spans):
                    continue
                base = parse_base(m["n1"])
                if base is None:
                    continue
                qualifier = _PREFIX_QUALIFIER.get(m["cq"] or "", "exact")
                if m["q1"] or m["q2"]:
                    qualifier = "more_than"
                if m["post"]:
                    qualifier = _POST_QUALIFIER[m["post"]]
                lead = len(cell) - len(cell.lstrip())
                value = scale(base, mult) * (-1 if m["sign"] in ("-", "−") else 1)
                c = _Cand(start=pos + lead, end=pos + len(cell.rstrip()), value=value,
                          unit=unit or "", qualifier=qualifier, table=True)
                c.pre = names
                c.subjects = [row_spans + [s for s in col_spans if s not in row_spans]]
                cands.append(c)
                if is_total:
                    totals[j] = c
                else:
                    in_block.append((j, c))
        for j, c in in_block:
            t = totals.get(j)
            if t is not None and t.unit == c.unit:
                c.total = t
    return cands


# ---------------------------------------------------------------- attribution

Span = tuple[int, int]


def _clean_span(norm: str, s: int, e: int) -> Span:
    """Trim connectors (其中, 共, 累计...) and trailing 均为/达 off norm[s:e]; offsets kept."""
    part = norm[s:e]
    lead = _SUBJECT_LEAD_RE.match(part)
    a = lead.end() if lead else 0
    tail = _SUBJECT_TAIL_RE.search(part, a)
    b = tail.start() if tail else len(part)
    while b > a and part[b - 1] in " 、，,：:":
        b -= 1
    return (s + a, s + b) if b > a else (s, s)


def _change_metric(pre: str, post: str, prev: _Cand | None) -> Metric | None:
    """A %-change (同比增长57.2%) measures the metric before it: approvals get their own
    category, every other change is rate_pct. None when `pre` states no change."""
    pre = pre.strip()
    if not (_CHANGE_CONTEXT_RE.search(pre) or _CHANGE_END_RE.search(pre)):
        return None
    mt = _matcher().metrics
    base = classify(pre, post, None)
    if (base is None or base.category in ("rate_pct", "other")) and prev is not None:
        base = prev.metric
    if base is not None and base.category == "approvals":
        return mt["approvals_change_pct"]
    return mt["change_pct"]


def _shared_parts(norm: str, span: Span) -> list[Span]:
    """办结率和满意率 -> spans of 办结率, 满意率."""
    s, e = span
    parts, a = [], s
    for m in _SHARED_SPLIT_RE.finditer(norm, s, e):
        parts.append(_clean_span(norm, a, m.start()))
        a = m.end()
    parts.append(_clean_span(norm, a, e))
    return [p for p in parts if p[1] > p[0]]


def _attribute(norm: str, cands: list[_Cand], clause_ends: list[int], sent_ends: list[int]) -> None:
    """Fill sentence, subject, metric and part_of of candidates sorted by start."""
    n = len(norm)
    prev_end, prev_clause = -1, -1
    pending: list[Span] = []          # subjects of 分别 still waiting for their values
    pending_sentence: Span = (-1, -1)
    pending_metric: Metric | None = None
    for i, c in enumerate(cands):
        si = bisect.bisect_right(sent_ends, c.start - 1)
        c.sentence = (sent_ends[si - 1] + 1 if si else 0, sent_ends[si] if si < len(sent_ends) else n)
        if c.table:
            c.metric = classify(c.pre, "", c.unit)
            if c.unit in _PCT_UNITS and (_CHANGE_CONTEXT_RE.search(c.pre) or _CHANGE_END_RE.search(c.pre)):
                base = classify(c.pre, "", None)
                c.metric = _matcher().metrics["approvals_change_pct" if base is not None
                                              and base.category == "approvals" else "change_pct"]
            continue
        ci = bisect.bisect_right(clause_ends, c.start - 1)
        clause_start = clause_ends[ci - 1] + 1 if ci else 0
        clause_end = clause_ends[ci] if ci < len(clause_ends) else n
        # Words before the number, after any earlier fact of the same clause and its noun.
        same_clause = clause_start == prev_clause and prev_end > clause_start
        pre_start = prev_end if same_clause else clause_start
        c.pre = norm[pre_start:c.start]
        c.pre_start = pre_start
        # The noun phrase after the counter: up to the clause end, a list comma or the next number.
        post_end = c.end
        if c.end < clause_end and c.unit not in _PCT_UNITS and _HAN_OR_QUOTE_RE.match(norm, c.end):
            post_end = min(clause_end, cands[i + 1].start if i + 1 < len(cands) else n)
            # 对187家养老机构开展消防、食品安全检查: after 对 the verb comes past the list comma.
            k = -1 if _TOWARDS_RE.search(norm, max(pre_start, c.start - 8), c.start) \
                else norm.find("、", c.end, post_end)
            post_end = k if k != -1 else post_end
        c.post = norm[c.end:post_end]
        prev_end, prev_clause = post_end, clause_start

        subject = _clean_span(norm, pre_start, c.start)
        c.subjects = [[subject, (c.end, post_end)]]
        c.metric, c.rank = _classify_ranked(c.pre, c.post, c.unit)
        if c.unit in _PCT_UNITS or c.unit == "倍":             # 同比增长1.5倍 is a change too
            prev = next((p for p in reversed(cands[:i]) if p.sentence == c.sentence), None)
            change = _change_metric(c.pre, c.post, prev)
            if change is None and same_clause and _LIST_JOIN_RE.fullmatch(c.pre) and \
                    cands[i - 1].metric is not None and cands[i - 1].metric.id.endswith("change_pct"):
                change = cands[i - 1].metric          # 同比分别下降8.2%和11.6%: a list of changes
            if change is not None:
                c.metric = change
                if prev is not None and classify(c.pre, "", None) is None:
                    c.subjects = [[*prev.subjects[0], subject]]
        if c.shared:
            parts = _shared_parts(norm, subject)
            metrics = [classify(norm[a:b], "", c.unit) for a, b in parts]
            if len(parts) > 1 and all(metrics):
                c.subjects = [[p] for p in parts]
                c.metrics = metrics
        elif _RESPECTIVELY_RE.search(c.pre):
            parts = _shared_parts(norm, subject)
            if len(parts) > 1:
                pending, pending_sentence, pending_metric = parts, c.sentence, c.metric
                subject = (c.start, c.start)          # take the first of the parts below
        if pending and pending_sentence == c.sentence and subject[0] == subject[1]:
            a, b = pending.pop(0)
            c.subjects = [[(a, b)]]
            c.metric = classify(norm[a:b], "", c.unit) or pending_metric
            c.rank = -9
        elif pending_sentence != c.sentence:
            pending = []
        if same_clause and subject[0] == subject[1] and not c.post and c.subjects[0][0] == subject:
            p = cands[i - 1]
            c.subjects = [list(p.subjects[0])]                 # 356批次1200余人次: same subject
            if c.metric is None and p.metric is not None and p.metric.accepts(c.unit):
                c.metric, c.rank = p.metric, p.rank            # 由5个压减至2个: same measure

    _link_parts(norm, cands)
    for c in cands:
        if c.part_of is not None and not c.table and not c.metrics:
            # A part takes its total's metric when that was named by a stronger word: in
            # 复议案件50件，其中办结45件 and 信访件120件，其中办结118件 the parts are still
            # reconsiderations and petitions, not approvals.
            t = cands[c.part_of]
            if c.metric is None or (t.metric is not None and t.rank > c.rank and t.metric.accepts(c.unit)):
                c.metric = t.metric
        if c.metric is None and not c.post and not c.table:
            # No keyword in the clause and no noun after the counter (其中市级210人次):
            # the earlier words of the sentence say what is counted.
            c.metric = classify(norm[c.sentence[0]:c.pre_start], "", c.unit)
    for i, c in enumerate(cands):
        if i and 0 > c.rank > -9 and not c.post and not c.table and not c.metrics and c.part_of is None:
            # Only a weak word in the clause (受理156件, 办结149件) after a fact of the same
            # sentence and unit named by a stronger one (收到行政复议申请183件): that kind.
            p = cands[i - 1]
            if p.sentence == c.sentence and p.unit == c.unit and p.metric is not None \
                    and p.rank > c.rank and not p.table:
                c.metric, c.rank = p.metric, p.rank
        if 0 > c.rank > -9 and not c.post and not c.table and not c.metrics and c.part_of is None \
                and c.pre_start > c.sentence[0] and (not i or cands[i - 1].sentence != c.sentence):
            # The first fact of its sentence, named only by a weak word after earlier clauses
            # that name the kind (办理人大代表建议和政协提案，办结18件): that kind.
            m, rank = _classify_ranked(norm[c.sentence[0]:c.pre_start], "", c.unit)
            if m is not None and rank >= 0:
                c.metric, c.rank = m, rank


def _link_parts(norm: str, cands: list[_Cand]) -> None:
    """Parts after 其中/包括 point to the last earlier fact with the same unit (the total)."""
    by_sentence: dict[tuple[int, int], list[int]] = {}
    for i, c in enumerate(cands):
        by_sentence.setdefault(c.sentence, []).append(i)
    sentences = list(by_sentence)
    for si, sent in enumerate(sentences):
        idx = by_sentence[sent]
        for bm in _BREAKDOWN_RE.finditer(norm, sent[0], sent[1]):
            before = [i for i in idx if cands[i].end <= bm.start()]
            if not before and si and bm.start() - sent[0] <= 2:
                before = by_sentence[sentences[si - 1]]         # 共204件。其中，…
            after = [i for i in idx if cands[i].start >= bm.end()]
            for i in after:
                c = cands[i]
                if c.part_of is not None:
                    continue
                total = next((t for t in reversed(before)
                              if cands[t].unit == c.unit and cands[t].part_of is None
                              and cands[t].value >= c.value), None)
                if total is not None:
                    c.part_of = total


# ---------------------------------------------------------------- entry point

def _soft_breaks(norm: str) -> set[int]:
    """Line breaks inside a sentence, as PDF text keeps them: the line is of PDF width, does not
    end a sentence and is not a heading, and the next line is not a heading or list item. The
    sentence (and clause) runs on over them."""
    soft: set[int] = set()
    start = 0
    n = len(norm)
    while True:
        i = norm.find("\n", start)
        if i == -1 or i + 1 >= n:
            return soft
        line = norm[start:i].strip()
        start = i + 1
        if not (_SOFT_MIN <= len(line) <= _SOFT_MAX) or line[-1] in _HARD_LINE_END or "\t" in line \
                or _LINE_HEAD_RE.match(line) or _META_LINE_RE.search(line):
            continue
        nxt = norm[i + 1:i + 40]
        if not nxt.strip() or nxt[0] in "\n\t" or _LINE_HEAD_RE.match(nxt.lstrip()) or "\t" in nxt.split("\n", 1)[0]:
            continue
        soft.add(i)


def extract_facts(text: str, doc: str) -> list[Fact]:
    """Every statistic in `text` as Facts, in document order (offsets into `text`)."""
    if not text:
        return []
    norm = normalize(text)
    text_end = len(norm.rstrip())

    protected = [(m.start(), m.end()) for m in _PROTECTED_RE.finditer(norm)]
    p_starts = [s for s, _ in protected]
    p_ends = [e for _, e in protected]

    table = _table_cands(norm) if "\t" in norm else []
    t_starts = sorted(c.start for c in table)
    t_by_start = {c.start: c.end for c in table}
    t_ends = [t_by_start[s] for s in t_starts]

    cands: list[_Cand] = list(table)
    for m in _TOKEN_RE.finditer(norm):
        s = m.start()
        if protected and _in_spans(s, p_starts, p_ends):
            continue
        if t_starts and _in_spans(s, t_starts, t_ends):
            continue
        c = _candidate(norm, m, text_end)
        if c is not None:
            cands.append(c)
    if not cands:
        return []
    cands.sort(key=lambda c: c.start)
    if table:
        index = {id(c): i for i, c in enumerate(cands)}
        for c in table:
            if c.total is not None:
                c.part_of = index[id(c.total)]

    clause_ends = [m.start() for m in _CLAUSE_END_RE.finditer(norm)]
    sent_ends = [m.start() for m in _SENT_END_RE.finditer(norm)]
    soft = _soft_breaks(norm) if "\n" in norm else None
    if soft:
        clause_ends = [e for e in clause_ends if e not in soft]
        sent_ends = [e for e in sent_ends if e not in soft]
    _attribute(norm, cands, clause_ends, sent_ends)
    return _to_facts(text, doc, cands)


def _to_facts(text: str, doc: str, cands: list[_Cand]) -> list[Fact]:
    facts: list[Fact] = []
    position, n = [], 0                  # candidate index -> index of its first fact
    for c in cands:
        position.append(n)
        n += max(1, len(c.subjects))
    for c in cands:
        sentence = text[c.sentence[0]:c.sentence[1] + 1].strip()    # with its full stop
        part_of = position[c.part_of] if c.part_of is not None else None
        metrics = c.metrics or [c.metric]
        for spans, metric in zip(c.subjects or [[]], metrics):
            subject = "".join(text[a:b] for a, b in spans).replace("\n", "").strip()
            facts.append(Fact(
                doc=doc,
                metric=metric.id if metric else "other",
                category=metric.category if metric else "other",
                value=c.value,
                unit=c.unit,
                qualifier=c.qualifier,
                quote=text[c.start:c.end],
                start=c.start,
                end=c.end,
                subject=subject,
                sentence=sentence,
                part_of=part_of,
                extractor_version=EXTRACTOR_VERSION,
            ))
    return facts
