"""Attribution: the clause around each number decides its subject, metric and total.

Order: (1) each number's own clause (keywords before it and the noun phrase after its counter,
table labels and caption, %-changes, shared values, 分别); (2) lists: a predicate after the
last item, or a strong verb before the first, decides every item (close_calls.py); (3) parts
after 其中/包括 and their totals; (4) the people and bodies rules of close_calls.py; (5) weak
words take the kind named earlier in the sentence; (6) what is counted and its verb, by the
catalog's `counted` rules (counted.py). Every decision records its reason.
"""
from __future__ import annotations

import bisect
import re

from . import close_calls, counted
from .catalog import Metric, classify, classify_ranked, matcher
from .tokens import PCT_UNITS, Cand

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
_TOWARDS_RE = re.compile(r"(?<![面针相核绝反])对[^\d，,。；;、]{0,6}$")   # 对全市187家X开展检查
_AND_ALSO = ("并", "同时", "且")
_LIST_JOIN_RE = re.compile(r"\s*(?:和|及|与|、|以及)?\s*")
# What an activity finds or leads to: a part of a total that names one is its own kind.
_FINDINGS = frozenset({"hazards_found", "cases_handled", "penalties_amount"})

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


def _change_metric(pre: str, post: str, prev: Cand | None) -> Metric | None:
    """A %-change (同比增长57.2%) measures the metric before it: approvals get their own
    category, every other change is rate_pct. None when `pre` states no change."""
    pre = pre.strip()
    if not (_CHANGE_CONTEXT_RE.search(pre) or _CHANGE_END_RE.search(pre)):
        return None
    mt = matcher().metrics
    base = classify(pre, post, None)
    if (base is None or base.category in ("rate_pct", "other")) and prev is not None:
        base = prev.metric
    if base is not None and base.category == "approvals":
        return mt["approvals_change_pct"]
    if base is not None and base.category == "service_efficiency" and base.accepts("%"):
        return base                               # an efficiency gain is service speed too
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


def _decide(c: Cand, metric: Metric | None, rank: int, reason: str) -> None:
    c.decide(metric, rank, reason)


def _kw_reason(kw: str, c: Cand) -> str:
    where = "after the counter" if kw and kw in c.post and kw not in c.pre else "in the clause"
    return f"keyword {kw} {where}"


def attribute(norm: str, cands: list[Cand], clause_ends: list[int], sent_ends: list[int]) -> None:
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
            m, rank, kw = classify_ranked(c.pre, "", c.unit)
            _decide(c, m, rank, f"table label: {kw}" if m else "table label: no keyword")
            if c.caption:                     # the caption names the kind a weaker label only processes
                cm, crank, ckw = classify_ranked(c.caption, "", c.unit)
                if cm is not None and (m is None or crank > rank or (rank < 0 <= crank)):
                    _decide(c, cm, crank, f"table caption: {ckw}")
            if c.unit in PCT_UNITS and (_CHANGE_CONTEXT_RE.search(c.pre) or _CHANGE_END_RE.search(c.pre)):
                base = classify(c.pre, "", None)
                approvals = base is not None and base.category == "approvals"
                _decide(c, matcher().metrics["approvals_change_pct" if approvals else "change_pct"], c.rank,
                        "change of approvals" if approvals else "change of another metric")
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
        # (并督促整改 after the counter is a further predicate, not what the number counts.)
        if c.end < clause_end and c.unit not in PCT_UNITS and _HAN_OR_QUOTE_RE.match(norm, c.end) \
                and not norm.startswith(_AND_ALSO, c.end):
            post_end = min(clause_end, cands[i + 1].start if i + 1 < len(cands) else n)
            # 对187家养老机构开展消防、食品安全检查: after 对 the verb comes past the list comma.
            k = -1 if _TOWARDS_RE.search(norm, max(pre_start, c.start - 8), c.start) \
                else norm.find("、", c.end, post_end)
            post_end = k if k != -1 else post_end
        c.post = norm[c.end:post_end]
        prev_end, prev_clause = post_end, clause_start

        subject = _clean_span(norm, pre_start, c.start)
        c.subjects = [[subject, (c.end, post_end)]]
        m, rank, kw = classify_ranked(c.pre, c.post, c.unit)
        _decide(c, m, rank, _kw_reason(kw, c) if m else "no keyword in the clause")
        if c.unit in PCT_UNITS or c.unit == "倍":             # 同比增长1.5倍 is a change too
            prev = next((p for p in reversed(cands[:i]) if p.sentence == c.sentence), None)
            change = _change_metric(c.pre, c.post, prev)
            if change is None and same_clause and _LIST_JOIN_RE.fullmatch(c.pre) and \
                    (pm := cands[i - 1].metric) is not None and pm.id.endswith("change_pct"):
                change = cands[i - 1].metric          # 同比分别下降8.2%和11.6%: a list of changes
            if change is not None:
                _decide(c, change, c.rank, f"change of {'approvals' if change.category == 'approvals_change_pct' else 'service speed' if change.category == 'service_efficiency' else 'another metric'}")
                if prev is not None and classify(c.pre, "", None) is None:
                    c.subjects = [[*prev.subjects[0], subject]]
        if c.shared:
            parts = _shared_parts(norm, subject)
            metrics = [classify(norm[a:b], "", c.unit) for a, b in parts]
            if len(parts) > 1 and all(metrics):
                c.subjects = [[p] for p in parts]
                c.metrics = metrics
                c.reasons = [f"shared value, subject {norm[a:b]}" for a, b in parts]
        elif _RESPECTIVELY_RE.search(c.pre):
            parts = _shared_parts(norm, subject)
            if len(parts) > 1:
                pending, pending_sentence, pending_metric = parts, c.sentence, c.metric
                subject = (c.start, c.start)          # take the first of the parts below
        if pending and pending_sentence == c.sentence and subject[0] == subject[1]:
            a, b = pending.pop(0)
            c.subjects = [[(a, b)]]
            m = classify(norm[a:b], "", c.unit)
            _decide(c, m or pending_metric, -9, f"分别: subject {norm[a:b]}")
        elif pending_sentence != c.sentence:
            pending = []
        if same_clause and subject[0] == subject[1] and not c.post and c.subjects[0][0] == subject:
            p = cands[i - 1]
            c.subjects = [list(p.subjects[0])]                 # 356批次1200余人次: same subject
            if c.metric is None and p.metric is not None and p.metric.accepts(c.unit):
                _decide(c, p.metric, p.rank, "same subject as the number before")  # 由5个压减至2个

    close_calls.list_predicates(norm, cands, clause_ends)
    _link_parts(norm, cands)
    for c in cands:
        if c.part_of is not None and not c.table and not c.metrics:
            # A part takes its total's metric when that was named by a stronger word (or as strong): in
            # 复议案件50件，其中办结45件 and 信访件120件，其中办结118件 the parts are still
            # reconsiderations and petitions, not approvals.
            t = cands[c.part_of]
            # A tie goes to the total (其中调解结案96件 are still reconsiderations, 其中涉外演出9场
            # still approvals), not when the part is a finding of it (其中不合格样品47批次) or
            # states its own predicate after the counter (其中127项实现全程网办).
            own_predicate = c.reason.endswith("after the counter")
            finding = c.metric is not None and c.metric.category in _FINDINGS
            stronger = t.rank > c.rank or (t.rank == c.rank and not finding and not own_predicate)
            if c.metric is None or (t.metric is not None and stronger and t.metric.accepts(c.unit)
                                    and t.metric is not c.metric):
                _decide(c, t.metric, c.rank, f"part of its total ({t.reason})")
        if c.metric is None and not c.post and not c.table:
            # No keyword in the clause and no noun after the counter (其中市级210人次):
            # the earlier words of the sentence say what is counted.
            m, rank, kw = classify_ranked(norm[c.sentence[0]:c.pre_start], "", c.unit)
            _decide(c, m, c.rank, f"keyword earlier in the sentence: {kw}" if m else "no keyword in the sentence")
    close_calls.people_and_bodies(norm, cands)
    for i, c in enumerate(cands):
        if i and 0 > c.rank > -9 and not c.post and not c.table and not c.metrics and c.part_of is None:
            # Only a weak word in the clause (受理156件, 办结149件) after a fact of the same
            # sentence and unit named by a stronger one (收到行政复议申请183件): that kind.
            p = cands[i - 1]
            if p.sentence == c.sentence and p.unit == c.unit and p.metric is not None \
                    and p.rank > c.rank and not p.table:
                _decide(c, p.metric, p.rank, f"weak word; kind of the fact before ({p.reason})")
        if 0 > c.rank > -9 and not c.post and not c.table and not c.metrics and c.part_of is None \
                and c.pre_start > c.sentence[0] and (not i or cands[i - 1].sentence != c.sentence):
            # The first fact of its sentence, named only by a weak word after earlier clauses
            # that name the kind (办理人大代表建议和政协提案，办结18件): that kind.
            m, rank, kw = classify_ranked(norm[c.sentence[0]:c.pre_start], "", c.unit)
            if m is not None and rank >= 0:
                _decide(c, m, rank, f"weak word; kind named earlier in the sentence: {kw}")
    counted.apply(norm, cands)


def _link_parts(norm: str, cands: list[Cand]) -> None:
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
