"""What a number counts: the counted noun phrase and the verb that governs it, and the catalog's
`counted` rules that decide a category from that pair.

    出动执法人员8800人次      counted 执法人员, verb 出动
    开展专题学习12次          counted 专题学习 (the events), verb 开展
    审议…议题64个             counted …议题, verb 审议
    对N家药店开展飞行检查      counted 药店, verb 开展 (对: the predicate after the object governs)

The counted phrase is the noun after the counter when one is written (up to its own verb),
else the words after the last verb before the number. The rules (etl/catalog.yaml `counted`,
"Deciding the close calls" of CATEGORIES.md) read the pair first; the keywords of the clause
(the sentence topic) decided before and stay the tie-breaker when no rule matches.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any

from ..normalize import to_simplified
from ..trie import trie_regex
from .catalog import Metric, classify_ranked, load_catalog, matcher, raw_catalog
from .tokens import Cand

# Connectors and adverbs around a counted phrase: not part of what is counted.
# (Prepositions 对/为/向 are not trimmed: they start words too, 对象, 为民, 在岗.)
_TRIM_LEAD_RE = re.compile(r"^(?:[\s、，,：:“”\"「」（）()]|了|的|截至目前|截止目前|目前|共有|现有|拥有|共计|累计|合计|共|全年|全部|先后|进一步|及时|依法|全面|"
                           r"已|其中|包括|各类|总计)+")
_TRIM_TAIL_RE = re.compile(r"(?:[\s、，,：:“”\"「」（）()]|了|的|共计|累计|共|全部|均|都|已|先后|进一步|全面|及时|依法|"
                           r"分别|达到|达|为|有|是)+$")
# A verb followed by a list comma or a head noun modifies it (审批、许可事项), it is no predicate.
_MODIFIER_AFTER_RE = re.compile(r"[、和及与]|事项|材料|人员|机构|单位|部门|证|窗口|平台")
_TOWARDS_RE = re.compile(r"(?<![面针相核绝反])[对为向给][^\d，,。；;]{0,8}$")


def _verb_re() -> re.Pattern[str]:
    # The catalog's verbs and every verb a counted rule names: a rule's verb is always seen.
    raw = raw_catalog()
    named = [v for r in raw.get("counted") or [] for k in ("verb", "verb_not") for v in r.get(k) or []]
    verbs = {to_simplified(str(v)) for v in [*(raw.get("verbs") or []), *named]}
    # A prefix trie, behind a class of first characters so the search skips the rest fast.
    first = "".join(sorted({re.escape(v[0]) for v in verbs}))
    return re.compile(f"(?=[{first}])(?:{trie_regex(verbs)})")


@lru_cache(maxsize=1)
def _verbs() -> re.Pattern[str]:
    return _verb_re()


def verbs_re() -> re.Pattern[str]:
    """The catalog's governing verbs as one pattern (longest first)."""
    return _verbs()


def _trim(s: str) -> str:
    s = _TRIM_LEAD_RE.sub("", s)
    return _TRIM_TAIL_RE.sub("", s)


def counted_and_verb(pre: str, post: str) -> tuple[str, str, str]:
    """(counted phrase, governing verb, every verb of the clause joined) of a number with the words
    `pre` before it and the noun phrase `post` after its counter."""
    vr = _verbs()
    pre_verbs = vr.findall(pre)
    post_ms = list(vr.finditer(post)) if post else []
    post_verb = next((m for m in post_ms if not _MODIFIER_AFTER_RE.match(post, m.end())), None)
    head = _trim(post[:post_verb.start()] if post_verb else post) if post else ""
    tail = ""
    if pre_verbs:
        k = pre.rfind(pre_verbs[-1])
        tail = _trim(pre[k + len(pre_verbs[-1]):])
    if head:
        counted = head
    elif pre_verbs:
        counted = tail
        if len(counted) <= 1:               # 开展专题学习12次 (the events the last verb names), 推进会
            a = pre.rfind(pre_verbs[-2], 0, k) + len(pre_verbs[-2]) if len(pre_verbs) > 1 else 0
            counted, tail = _trim(pre[a:]), ""
    else:
        counted = _trim(pre)
    if post_verb is not None and _TOWARDS_RE.search(pre):
        verb = post_verb.group()            # 对N家X开展检查: the predicate after the object
    elif pre_verbs:
        # 开展专题学习12次: the verb that governs the event, not the event word itself
        verb = pre_verbs[-2] if len(pre_verbs) > 1 and not tail else pre_verbs[-1]
    else:
        verb = post_verb.group() if post_verb else ""
    every = " ".join(pre_verbs + [m.group() for m in post_ms]) if post_ms else " ".join(pre_verbs)
    return counted[-16:], verb, every


@dataclass(frozen=True)
class Rule:
    id: str
    why: str
    metric: Metric
    head: re.Pattern[str] | None
    head_not: re.Pattern[str] | None
    verb: re.Pattern[str] | None
    verb_not: re.Pattern[str] | None
    clause: re.Pattern[str] | None
    clause_not: re.Pattern[str] | None
    sentence_not: re.Pattern[str] | None   # the whole sentence (a predicate in a later clause)
    before: re.Pattern[str] | None     # the paragraph before the number (the sentence topic)
    pre_end: re.Pattern[str] | None    # the words right before the number
    prev: frozenset[str] | None        # category of the fact before, in the same sentence
    current: frozenset[str] | None     # the category the keywords gave
    units: frozenset[str] | None
    units_not: frozenset[str] | None


def _re(words: Any, anchor: str = "") -> re.Pattern[str] | None:
    if not words:
        return None
    if isinstance(words, str):
        return re.compile(to_simplified(words))
    alt = "|".join(re.escape(to_simplified(w)) for w in sorted(map(str, words), key=len, reverse=True))
    return re.compile(f"^(?:{alt})" if anchor == "start" else f"(?:{alt})$" if anchor == "end" else alt)


def _set(xs: Any) -> frozenset[str] | None:
    return frozenset(str(x) for x in xs) if xs is not None else None


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    """The `counted` rules of the catalog, in order (the first that matches decides)."""
    metrics = matcher().metrics
    out = []
    for r in raw_catalog().get("counted") or []:
        head = _re(r.get("head_start"), "start") or _re(r.get("head_end"), "end") or _re(r.get("head"))
        out.append(Rule(
            id=r["id"], why=str(r.get("why", "")), metric=metrics[r["metric"]],
            head=head, head_not=_re(r.get("head_not")), verb=_re(r.get("verb")), verb_not=_re(r.get("verb_not")),
            clause=_re(r.get("clause")), clause_not=_re(r.get("clause_not")),
            sentence_not=_re(r.get("sentence_not")), before=_re(r.get("before")),
            pre_end=re.compile(to_simplified(r["pre_end"]) + "$") if r.get("pre_end") else None,
            prev=_set(r.get("prev")), current=_set(r.get("current")), units=_set(r.get("units")),
            units_not=_set(r.get("units_not"))))
    return tuple(out)


def _ok(p: re.Pattern[str] | None, s: str) -> bool:
    return p is None or p.search(s) is not None


def _not(p: re.Pattern[str] | None, s: str) -> bool:
    return p is None or p.search(s) is None


@lru_cache(maxsize=4096)
def _rules_for(unit: str, category: str, mid: str) -> tuple[Rule, ...]:
    """The rules that may hold for a fact in `unit` that the keywords gave `category` (metric
    `mid`), in order: most rules are for a few units or categories, so few are tried."""
    return tuple(r for r in rules() if (r.units is None or unit in r.units)
                 and (r.units_not is None or unit not in r.units_not)
                 and (r.current is None or category in r.current or mid in r.current)
                 and (r.metric.accepts(unit) or r.metric.category == "rate_pct"))


def match_rule(c: Cand, every_verb: str, clause: str, context: Callable[[], tuple[str, str]],
               prev: str | None) -> Rule | None:
    """The first counted rule whose conditions all hold for candidate `c` (`every_verb`: the verbs
    of its clause, `clause`: its words, `context()`: its paragraph so far and its sentence, read
    only by the rules that need them, `prev`: the category of the fact before it in the sentence)."""
    category = c.metric.category if c.metric is not None else "other"
    mid = c.metric.id if c.metric is not None else "other"
    for r in _rules_for(c.unit, category, mid):
        if r.prev is not None and prev not in r.prev:
            continue
        # (inline: this loop runs for every fact)
        if (r.head is not None and r.head.search(c.counted) is None) \
                or (r.verb is not None and r.verb.search(every_verb) is None) \
                or (r.clause is not None and r.clause.search(clause) is None) \
                or (r.head_not is not None and r.head_not.search(c.counted) is not None) \
                or (r.verb_not is not None and r.verb_not.search(every_verb) is not None) \
                or (r.clause_not is not None and r.clause_not.search(clause) is not None) \
                or (r.pre_end is not None and r.pre_end.search(c.pre) is None):
            continue
        if r.before is not None or r.sentence_not is not None:
            before, sentence = context()
            if not (_ok(r.before, before) and _not(r.sentence_not, sentence)):
                continue
        return r
    return None


_PARAGRAPH_BACK = 400          # how far back the topic of a paragraph is read
_CLAUSE_PUNCT_RE = re.compile(r"[，,。；;：:\n\t！？!?]")
_DIGIT_RE = re.compile(r"\d")
_OBJECT_OF_DUI_RE = re.compile(r"(?<![面针相核绝反])对[^\d，,。；;]{0,8}$")
_FURTHER_RE = re.compile(r"并|同时|且|，|,")


def _context(norm: str, c: Cand) -> tuple[str, str]:
    """The paragraph up to the number (its topic, up to _PARAGRAPH_BACK characters) and its sentence."""
    p = norm.rfind("\n", max(0, c.start - _PARAGRAPH_BACK), c.start)
    return norm[max(p + 1, c.start - _PARAGRAPH_BACK):c.start], norm[c.sentence[0]:c.sentence[1]]


def _extended_post(norm: str, c: Cand, limit: int) -> str:
    """The noun phrase after the counter, across a list comma when no number follows in the clause:
    N个审批、备案事项合并办理 -> 审批、备案事项合并办理 (the head is 事项, not 审批)."""
    e = c.end + len(c.post)
    if not c.post or e >= limit or norm[e] not in "、和及与":
        return c.post
    m = _CLAUSE_PUNCT_RE.search(norm, e, limit)
    tail = norm[e:m.start() if m else limit]
    return c.post if _DIGIT_RE.search(tail) else c.post + tail


def _verb_after_object(c: Cand) -> None:
    """对N家X开展检查: the predicate after the object decides over words before 对 (除吊销…外)."""
    if not c.post or not _OBJECT_OF_DUI_RE.search(c.pre):
        return
    v = _verbs().search(c.post)
    if v is None or v.start() == 0:
        return
    pred = c.post[v.start():]
    f = _FURTHER_RE.search(pred, 1)                    # …进行检查并录入系统: the first predicate
    pred = pred[:f.start()] if f else pred
    m, rank, kw = classify_ranked(pred, "", c.unit)
    if m is not None and rank >= 0 and m is not c.metric:
        c.decide(m, rank, f"predicate after the object of 对: {kw}")


def apply(norm: str, cands: list[Cand]) -> None:
    """Decide each candidate by its counted phrase and verb where a rule says so; record the
    pair in its reason either way (attribution names `unmatched` what nothing decided)."""
    prev: Cand | None = None
    prev_every = prev_clause = ""
    for i, c in enumerate(cands):
        if c.table:
            continue
        limit = cands[i + 1].start if i + 1 < len(cands) else len(norm)
        post = _extended_post(norm, c, limit)
        c.counted, c.verb, every = counted_and_verb(c.pre, post)
        clause = c.pre + post
        if prev is not None and prev.sentence == c.sentence and (not every or not _verbs().search(c.pre)) \
                and not _CLAUSE_PUNCT_RE.search(norm, prev.end, c.start):
            # A list item without a verb of its own: the list's verb governs it (完成A任务N个、B任务M个).
            every, clause = prev_every + " " + every, prev_clause + clause
            c.verb = c.verb or prev.verb
        if not c.metrics:
            _verb_after_object(c)
            prev_cat = None
            if prev is not None and prev.sentence == c.sentence:
                prev_cat = prev.metric.category if prev.metric is not None else "other"
            rule = match_rule(c, every, clause, partial(_context, norm, c), prev_cat)
            if rule is not None:
                c.decide(rule.metric, max(c.rank, 0), f"rule {rule.id}: {rule.why}")
        prev, prev_every, prev_clause = c, every, clause


def load_rules_check() -> list[str]:
    """Rule ids whose metric is unknown (for tests)."""
    known = set(load_catalog()["metrics"])
    return [r["id"] for r in raw_catalog().get("counted") or [] if r.get("metric") not in known]
