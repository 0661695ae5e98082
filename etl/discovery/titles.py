"""Which listed item is a report: title folding, the report/decoy rules, the year reported on.

Titles are folded (Traditional -> Simplified, NFKC, no whitespace) before any rule, so
`法治政府建設年度報告` matches like `法治政府建设年度报告`. The default rules need no
per-source configuration; a source's own `include` / `exclude` patterns still override.
Every decision carries its reason, so a wrong one is a one-line fix here.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..normalize import to_simplified

RULE_OF_LAW = "rule_of_law"      # 法治政府建设年度报告
DISCLOSURE = "disclosure"        # 政府信息公开工作年度报告 (national table format)

# The subject of a rule-of-law report: 法治政府建设, 法治机关建设, 法治税务建设, 依法行政 ...
_SUBJECT = re.compile(r"法治(?:政府|机关|部门|[\u4e00-\u9fff]{1,4})?建设|依法行政|法治政府")
# What makes the title a report on a year (not a plan, a notice or a meeting).
_REPORT = re.compile(r"年度报告|工作报告|情况报告|情况的报告|工作的报告|报告|工作总结|总结")
_DISCLOSURE = re.compile(r"政府信息公开(?:工作)?(?:年度)?报告|信息公开(?:工作)?年度报告|政务公开(?:工作)?年度报告")

# Decoys that share the report's words. Order matters only for the reason given.
DECOY_WORDS: tuple[tuple[str, str], ...] = (
    ("解读", "a reading of the report"), ("图解", "an illustrated version"),
    ("一图读懂", "an illustrated version"), ("图说", "an illustrated version"),
    ("问答", "questions and answers"), ("答记者问", "a press Q&A"),
    ("工作要点", "a plan"), ("要点", "a plan"), ("工作计划", "a plan"), ("计划", "a plan"),
    ("实施方案", "a plan"), ("方案", "a plan"), ("规划", "a plan"), ("实施意见", "a plan"),
    ("任务分工", "a plan"), ("责任清单", "a list of duties"), ("清单", "a list"),
    ("通知", "a notice"), ("通报", "a notice"), ("印发", "a notice"), ("征求意见", "a consultation"),
    ("推进会", "a meeting"), ("会议", "a meeting"), ("座谈会", "a meeting"), ("部署会", "a meeting"),
    ("培训", "a training"), ("自评", "a self-assessment"), ("自查", "a self-assessment"),
    ("述法", "a leader's rule-of-law statement"), ("第一责任人", "a leader's duty report"),
    ("履职", "a leader's duty report"), ("执法数据", "an enforcement-data notice"),
    ("数据公示", "an enforcement-data notice"), ("考核", "an assessment"), ("督察", "an inspection"),
    ("督查", "an inspection"), ("示范创建", "a demonstration-site notice"), ("视频", "a video"),
    ("动漫", "a video"), ("专题", "a topic page"), ("评估报告", "an assessment"),
)
_DECOY = re.compile("|".join(re.escape(w) for w, _ in DECOY_WORDS))
_DECOY_REASON = dict(DECOY_WORDS)

_CN_DIGITS = {"〇": "0", "零": "0", "○": "0", "Ｏ": "0", "O": "0", "一": "1", "二": "2", "三": "3",
              "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
_CN_YEAR = re.compile(r"[二][〇零○Ｏ][一二三四五六七八九〇零○][〇零○一二三四五六七八九](?=年)")
_YEAR = re.compile(r"(?<!\d)(20[1-4]\d)(?:\s*(?:年度|年|—|-|～|~)|(?!\d))")


@lru_cache(maxsize=8192)          # year_of and classify fold each listed title
def fold(title: str) -> str:
    """Title as the rules see it: Simplified, NFKC (full-width -> ASCII), no whitespace."""
    t = unicodedata.normalize("NFKC", title or "")
    t = to_simplified(t)
    return re.sub(r"\s+", "", t)


def year_of(title: str) -> int | None:
    """The year a title reports on: the first 20xx year written (Arabic or 二〇二三), or None.

    A 2023 report published in 2024 says 2023 in its title; the publish date is never used."""
    t = _CN_YEAR.sub(lambda m: "".join(_CN_DIGITS[c] for c in m.group()), fold(title))
    m = _YEAR.search(t)
    return int(m.group(1)) if m else None


@dataclass(frozen=True)
class Decision:
    decision: str          # report / decoy
    reason: str
    kind: str = ""         # RULE_OF_LAW / DISCLOSURE for reports


def classify(title: str, include: str = "", exclude: str = "",
             kinds: tuple[str, ...] = (RULE_OF_LAW, DISCLOSURE)) -> Decision:
    """Report or decoy, with the reason. `include`/`exclude` are the source's own patterns
    (already validated regexes): exclude always rejects; include accepts a title the default
    rules would not recognise, but never one they know to be a decoy."""
    t = fold(title)
    if not t:
        return Decision("decoy", "no title")
    if exclude and re.search(exclude, t):
        return Decision("decoy", f"matches the source's exclude pattern {exclude!r}")
    if _DISCLOSURE.search(t):
        if DISCLOSURE not in kinds:
            return Decision("decoy", "a 政府信息公开 annual report (not collected)")
        if m := re.search(r"解读|图解|一图读懂|通知", t):
            return Decision("decoy", f"'{m.group()}': {_DECOY_REASON.get(m.group(), 'not the report')}")
        return Decision("report", "政府信息公开工作年度报告", DISCLOSURE)
    decoy = _DECOY.search(t)
    subject = _SUBJECT.search(t)
    report = _REPORT.search(t, subject.end()) if subject else None
    if decoy and not _is_report_about(t, decoy, report):
        return Decision("decoy", f"'{decoy.group()}': {_DECOY_REASON[decoy.group()]}")
    if RULE_OF_LAW not in kinds:
        return Decision("decoy", "rule-of-law reports are not collected")
    if subject and report:
        return Decision("report", f"{subject.group()} + {report.group()}", RULE_OF_LAW)
    if include and re.search(include, t):
        return Decision("report", f"matches the source's include pattern {include!r}", RULE_OF_LAW)
    if subject:
        return Decision("decoy", f"{subject.group()} without 报告/总结: not the annual report")
    return Decision("decoy", "not about 法治政府建设")


_PLANS = frozenset({"工作要点", "要点", "工作计划", "计划", "实施方案", "方案", "规划", "任务分工"})


def _is_report_about(t: str, decoy: re.Match[str], report: re.Match[str] | None) -> bool:
    """'关于2023年法治政府建设工作计划执行情况的报告' names a plan but is a report, and so is
    '2023年法治政府建设工作总结和2024年工作计划': a plan word after the report words, or
    followed by them (…情况的报告/…年度报告), does not decide."""
    if decoy.group() in _PLANS and report is not None and report.end() <= decoy.start():
        return True
    if decoy.group() in ("解读", "图解", "一图读懂", "图说", "问答", "答记者问", "通知", "印发",
                         "述法", "第一责任人", "履职", "视频", "动漫", "征求意见", "评估报告"):
        return False
    tail = t[decoy.end():]
    return bool(re.search(r"(?:执行|落实|完成)?情况的?报告|年度报告", tail))
