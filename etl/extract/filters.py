"""What is not a statistic: dates, ordinals (第三批), codes (5G, H5, 1+N), names inside quoted
slogans and titles, norms (每千人5批次), structural counts (七个方面, 三项制度), opening hours,
legal multiples of a fine, and Chinese numerals used as words (一把手, 二级).
"""
from __future__ import annotations

import re

# Quoted slogans, titles and document-number brackets: numbers inside are names, not counts.
PROTECTED_RE = re.compile(r"“[^“”\n]{0,15}”|「[^「」\n]{0,15}」|『[^『』\n]{0,15}』|"
                           r"《[^《》\n]{0,80}》|〔[^〕\n]{0,12}〕|\[\d{4}\]")
NORM_BEFORE_RE = re.compile(r"每[十百千万]+[人户家名]?$")      # 每千人5批次 is a norm
PAGE_COUNTER_RE = re.compile(r"(?:浏览|阅读|点击|访问|访客)(?:次数|人次|次|量|数)?\s*[:：]\s*$")  # page chrome
CODE_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+#_/\\.-×")
_CN_BAD_PREV = frozenset("第初数几成每周")                     # 第三, 初七, 数十, 周一
_CN_REFUSED = frozenset({"一", "二", "〇", "零"})              # 一把手, 二级, 零投诉: not counts
_CN_PLACE_NEXT = frozenset("区市县镇乡村州旗")                 # 九台区, 三台县
# Heads of structural counts and slogans after a Chinese numeral: 七个方面, 三项制度, 四个最严.
_STRUCTURAL_HEADS = re.compile(
    r"(?:方面|制度|规定|维护|确立|自信|意识|全面|务必|最严|一|线|网|清单|责任|原则|加强|坚持|必须|不|"
    r"统一|到位|结合|同步|优先|体系|机制|格局|理念|思维|能力|要求|转变|率先|聚焦|突出|强化|推进|提升|"
    r"注重|着力|抓好|做到|落实|确保|大事|人员|服务圈|生活圈|法定)")
ANY_STRUCTURAL = re.compile(r"方面")                          # 5个方面 is structural in any script
AT_LEAST_NORM_RE = re.compile(r"至少[^，,。；;\n\d]{0,6}$")
ROUND_THE_CLOCK_RE = re.compile(r"(?:应急)?(?:全天候|不间断|不打烊|无休|自助|在线|值班|值守|服务|运行|开放|畅通|响应|政务|热线|受理|全天)")
UP_BAD_PREV = frozenset("以线网向之马路楼")               # 线上, 以上, 网上: not 上百
# Multiples of a fine in the legal rule applied (处货值金额1倍以上5倍以下罚款) are norms.
FINE_MULTIPLE_RE = re.compile(r"(?:以上|以下|以内|至|到|[-~—–、]|[\d.]+|[一二三四五六七八九十两]|倍)*的?(?:罚款|罚金)")
RING_RE = re.compile(r"[^，,。；;\n]{0,30}?圈")                # 15分钟服务圈: a norm


def chinese_ok(norm: str, m: re.Match[str], token: str, has_qualifier: bool) -> bool:
    """Chinese numerals are words as often as numbers: keep only count-like uses (一 as a
    list item is kept by `lone_one` and decided once its neighbours are known)."""
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



# 一 is a word far more often than a count (一把手, 一件事, 一网通办). It counts only as an item of
# a list whose other items are counts: 培训班一期、考试一次、讲堂8期.
_ONE_ITEM_END = frozenset("、，,。；;和及与")
_ONE_BAD_PREV = frozenset("跑这每同唯统万之逐单任某一")       # 跑一次, 这一批, 每一次, 统一, 逐一


def lone_one(norm: str, m: re.Match[str], token: str) -> bool:
    """Is this a 一 + counter that may be a list item (kept only when a neighbour is a count)?"""
    if token != "一" or not m["unit"] or m["q1"] or m["mult"]:
        return False
    s, end = m.start("n1"), m.end()
    prev = norm[s - 1] if s else ""
    nxt = norm[end] if end < len(norm) else ""
    return "\u4e00" <= prev <= "\u9fff" and prev not in _ONE_BAD_PREV and nxt in _ONE_ITEM_END


# Session numbers are names: 十五届五次全会, 二十届三中全会, 第七、八、九轮 (第 governs the list).
_LIST_BACK_RE = re.compile(r"第[\d一二三四五六七八九十百零〇两]+(?:[、,，和及至到-][\d一二三四五六七八九十百零〇两]+)*[、,，和及至到-]$")


def is_session_number(norm: str, start: int, end: int) -> bool:
    """届 before the number (十五届五次全会) or 第 governing a list that ends in it (第七、八、九轮)."""
    if start and norm[start - 1] == "届":
        return True
    return bool(_LIST_BACK_RE.search(norm, max(0, start - 24), start))


# How long something lasted is not a statistic: 为期3天, 历时两个月, 连续14年.
DURATION_BEFORE_RE = re.compile(r"(?:为期|历时|持续|连续|长达)(?:近|约|超过|达)?$")
DURATION_UNITS = frozenset({"天", "日", "周", "个月", "月", "年", "小时", "分钟", "个工作日", "工作日"})


_LIST_GAP_RE = re.compile(r"[^，,。；;：:\n\t]{0,20}")


def keep_list_items(norm: str, cands: list) -> list:
    """Drop 一 + counter candidates (`weak`) that are not items of a list of counts: a neighbour
    in the same clause, joined by 、/和/及/与 within a few characters, must be a count."""
    if not any(c.weak for c in cands):
        return cands
    keep = [not c.weak for c in cands]

    def joined(a, b) -> bool:
        gap = norm[a.end:b.start]
        return bool(_LIST_GAP_RE.fullmatch(gap)) and any(j in gap for j in "、和及与")

    for _ in range(2):                                   # 一期、一次、8期: the chain reaches back
        for i, c in enumerate(cands):
            if keep[i]:
                continue
            if (i and keep[i - 1] and joined(cands[i - 1], c)) or \
                    (i + 1 < len(cands) and keep[i + 1] and joined(c, cands[i + 1])):
                keep[i] = True
    return [c for c, k in zip(cands, keep) if k]
