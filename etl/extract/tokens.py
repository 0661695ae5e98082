"""Number tokens with their qualifier and counter: `约1.2万余家次`, `不少于60学时`, `十余场`,
`30%以上`, `3-5次` -> candidates (value in base units, unit as written, qualifier).

One grammar for the whole project: the number forms come from etl.numbers; this module adds
the counters, the qualifier words around a number and the checks of filters.py.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ..numbers import ARABIC, CHINESE, CHINESE_CHARS, MULT, number_pattern, parse_base, scale
from .. import knowledge
from .catalog import Metric
from . import filters as F

# Counters (etl/catalog.yaml `counters`), longest first so 人次 wins over 人 and 个工作日 over 个.
UNITS = sorted(dict.fromkeys(knowledge.counters()), key=len, reverse=True)
# Counters that also start common words: 通 is a call (1.08万通) but not 通办, 通过, 通知.
# 对 counts couples (结婚登记8465对、) only before a stop or a couple noun, never as "towards"
# (1对1, 12345对群众诉求, 3家对接).
# 集 counts episodes (普法微视频12集) but not 集中, 集体, 集团, 集镇, 集市, 集成.
_UNIT_GUARD = {"通": "(?![办过知报道信讯用关行车达畅航水电气告])", "头": "(?![条版号])",
               "集": "(?![中体团镇市成约聚资合训])",
               "对": r"(?=[，,。；;、)）\s]|$|夫妻|夫妇|新人)"}

# A PDF line break may fall inside a number's thousands groups (2\n,318) or between a number
# and its counter (1526\n件); extracted text may also space them (1526 件). The gap is part of
# the token only when a counter, 万/亿 or 余 follows it, so unrelated numbers never join.
_ARABIC_BROKEN = ARABIC.replace("(?:,", "(?:\n?,", 1)
_NUM = rf"(?:{_ARABIC_BROKEN}|{CHINESE})"
UNIT_ALT = "|".join(re.escape(u) + _UNIT_GUARD.get(u, "") for u in UNITS)
_GAP = rf"(?:(?:[ ]{{1,2}}|[ ]*\n[ ]*)(?=余|(?:{MULT})|(?:{UNIT_ALT})))?"
# A bare 内 after a time limit is 以内 (3个工作日内答复), not the 内 of 内容 or 内设.
_TOKEN = number_pattern(_NUM, _GAP, rf"(?P<unit>{UNIT_ALT})?(?P<post>以上|以下|以内|左右|(?<=[天时钟日月])内(?![容部设涵外务]))?")
# (The lookahead on a number's first character only lets the search skip the other positions fast.)
TOKEN_RE = re.compile(rf"(?=[\d{CHINESE_CHARS}])" + _TOKEN)
CELL_RE = re.compile(rf"\s*(?P<cq>不少于|不足|不到|超过|约|近|逾|超)?(?P<sign>[-+−])?{_TOKEN}\s*")

# Qualifier words right before the number (checked repeatedly: 累计达, 共约).
_PREFIX_RE = re.compile(
    r"(?:不少于|不低于|不超过|不足|不到|不满|最多|至多|超过|多于|将近|接近|大约|约为|约|近|逾|超|"
    r"达到|均达到|均达|均为|均是|都达到|都达|都为|都是|均|达|共计|合计|总计|累计|共有|共)$")
PREFIX_QUALIFIER = knowledge.qualifier_words("before")    # etl/catalog.yaml `qualifiers`
PCT_UNITS = frozenset(knowledge.percent_units())
POST_QUALIFIER = knowledge.qualifier_words("after")

@dataclass
class Cand:
    start: int                   # quote start, prefix qualifiers included
    end: int                     # quote end
    value: float
    unit: str
    qualifier: str
    shared: bool = False         # prefix 均/都: one value for the subjects before it
    table: bool = False
    total: Cand | None = None   # table cell: the 合计 row's cell of its column
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
    reason: str = ""             # the keyword or rule that decided `metric` (category_reason)
    weak: bool = False           # 一 + counter: a count only as an item of a list of counts
    caption: str = ""            # table cell: the line above its table
    reasons: list[str] = field(default_factory=list)   # one per subject when `metrics` is set
    counted: str = ""            # the noun phrase the counter measures (counted.py)
    verb: str = ""               # the verb that governs it

    def decide(self, metric: Metric | None, rank: int, reason: str) -> None:
        """Set the metric with the keyword or rule that decided it (category_reason)."""
        self.metric, self.rank, self.reason = metric, rank, reason


def in_spans(pos: int, starts: list[int], ends: list[int]) -> bool:
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and pos < ends[i]


def prefix_qualifier(norm: str, pos: int) -> tuple[int, str, bool]:
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
            qualifier = PREFIX_QUALIFIER.get(word, "exact")
        shared = shared or word[0] in "均都"
        pos = m.start()
    return pos, qualifier, shared


def candidate(norm: str, m: re.Match[str], text_end: int) -> Cand | None:
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
    if (prev and prev in "表图" and (s < 2 or not "\u4e00" <= norm[s - 2] <= "\u9fff")) or norm.endswith("附件", 0, s):
        return None                                   # 表2, 图3, 附件1: captions, not counts
    if F.is_session_number(norm, s, m.end()) or (unit == "次" and norm.startswith("全会", m.end())):
        return None                                   # 十五届五次全会, 第七、八、九轮
    is_arabic = n1[0].isdigit()
    if is_arabic:
        if prev in F.CODE_CHARS or prev.isdigit():
            return None                               # H5, PM2.5, A25290-2024, 1+N
        nxt = norm[m.end()] if m.end() < len(norm) else ""
        if nxt and nxt in F.CODE_CHARS and nxt not in ".-/":
            return None                               # 5G, 4A
    pos = m.start()
    # 上百人次, 上万份: "up to a hundred" reads as at least the bare magnitude (not 线上, 以上).
    up = (not is_arabic and n1[0] in "百千万亿" and pos and norm[pos - 1] == "上"
          and (pos < 2 or norm[pos - 2] not in F.UP_BAD_PREV))
    start, qualifier, shared = prefix_qualifier(norm, pos - 1 if up else pos)
    if up and qualifier == "exact":
        qualifier = "at_least"
    if F.NORM_BEFORE_RE.search(norm, max(0, start - 5), start) or \
            F.PAGE_COUNTER_RE.search(norm, max(0, start - 8), start):
        return None
    weak = not is_arabic and F.lone_one(norm, m, n1)
    if not is_arabic and not weak and not F.chinese_ok(norm, m, n1, qualifier != "exact" or bool(m["pct"])):
        return None
    if unit in F.DURATION_UNITS and F.DURATION_BEFORE_RE.search(norm, max(0, start - 6), start):
        return None                                   # 为期3天, 历时两个月: how long it lasted
    if F.ANY_STRUCTURAL.match(norm, m.end()) or (unit == "部" and norm.startswith("分", m.end())):
        return None                                   # 5个方面, 三部分
    if unit in ("分钟", "小时", "公里") and F.RING_RE.match(norm, m.end()):
        return None
    if (unit, n1) in (("小时", "24"), ("天", "365")) and F.ROUND_THE_CLOCK_RE.match(norm, m.end()):
        return None                                   # 24小时自助服务, 365天不打烊: opening hours
    if unit == "小时" and norm.startswith("工作制", m.end()):
        return None                                   # 8小时工作制: a norm
    if F.AT_LEAST_NORM_RE.search(norm, max(0, start - 10), start):
        return None                                   # 每季度至少开展1次: a norm
    if unit in PCT_UNITS and norm.startswith(("不低于", "不高于", "不超过"), start):
        return None                                   # 办结率不低于90%: a threshold (达到95%以上 is not)
    if m["rsep"] and m["n2"] and norm.startswith("的", m.end()):
        return None                                   # 3至5人的执法小组: a description
    if unit == "倍" and F.FINE_MULTIPLE_RE.match(norm, m.end()):
        return None                                   # 处1倍以上5倍以下罚款: a legal norm
    if m["post"] in ("以上", "以下", "以内") and unit not in PCT_UNITS and norm.startswith("的", m.end()):
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
        qualifier = POST_QUALIFIER[m["post"]]
    value = scale(base, m["mult"])
    return Cand(start=start, end=m.end(), value=value, unit=unit,
                 qualifier=qualifier, shared=shared, weak=weak)

