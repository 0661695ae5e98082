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
5. What is counted decides last (counted.py): the counted noun phrase and the verb governing
   it (出动执法人员 -> 执法人员, 出动; 对670家机构开展检查 -> 机构, 开展) meet the catalog's
   `counted` rules (CATEGORIES.md "Deciding the close calls"); the keywords of the clause are the
   topic, the tie-breaker when no rule holds. `category_reason` starts with the pair
   (`counted 执法人员, verb 出动; ...`); a fact that no rule and no keyword decides is `other`
   with a reason starting `unmatched:` (`python -m etl extract --explain` shows it).
6. A value shared by several subjects (`办结率和满意率均为100%`) gives one fact per subject;
   `A、B分别为X、Y` hands the subjects out in order; a %-change (同比增长) is attributed to the
   metric it follows; parts after 其中/包括 point to their total through `part_of`.

Tables (lines of tab-separated cells, header first) take their unit from the column header,
the row label (`案件数（件）`) or a 单位 column, and their subject from both (a leading 序号
column is skipped). Raw PDF text keeps line breaks inside sentences: a number still meets its
counter on the next line (`1526\n件`) and a soft break does not end the clause.
"""
from __future__ import annotations

from .. import knowledge
from ..normalize import normalize
from ..records import Fact
from . import catalog
from .attribution import attribute
from .catalog import Metric, classify, metric_dictionary
from .clauses import CLAUSE_END_RE, SENT_END_RE, soft_breaks
from .filters import PROTECTED_RE, keep_list_items
from .tables import table_cands
from .tokens import TOKEN_RE, UNITS, Cand, candidate, in_spans

__all__ = ["EXTRACTOR_VERSION", "Metric", "UNITS", "catalog", "classify", "extract_facts", "metric_dictionary"]

EXTRACTOR_VERSION = "1.6.0"


def extract_facts(text: str, doc: str) -> list[Fact]:
    """Every statistic in `text` as Facts, in document order (offsets into `text`)."""
    if not text:
        return []
    norm = normalize(text)
    text_end = len(norm.rstrip())

    protected = [(m.start(), m.end()) for m in PROTECTED_RE.finditer(norm)]
    p_starts = [s for s, _ in protected]
    p_ends = [e for _, e in protected]

    table = table_cands(norm) if "\t" in norm else []
    t_starts = sorted(c.start for c in table)
    t_by_start = {c.start: c.end for c in table}
    t_ends = [t_by_start[s] for s in t_starts]

    cands: list[Cand] = list(table)
    for m in TOKEN_RE.finditer(norm):
        s = m.start()
        if protected and in_spans(s, p_starts, p_ends):
            continue
        if t_starts and in_spans(s, t_starts, t_ends):
            continue
        c = candidate(norm, m, text_end)
        if c is not None:
            cands.append(c)
    if not cands:
        return []
    cands.sort(key=lambda c: c.start)
    cands = keep_list_items(norm, cands)
    if not cands:
        return []
    if table:
        index = {id(c): i for i, c in enumerate(cands)}
        for c in table:
            if c.total is not None:
                c.part_of = index[id(c.total)]

    clause_ends = [m.start() for m in CLAUSE_END_RE.finditer(norm)]
    sent_ends = [m.start() for m in SENT_END_RE.finditer(norm)]
    soft = soft_breaks(norm) if "\n" in norm else None
    if soft:
        clause_ends = [e for e in clause_ends if e not in soft]
        sent_ends = [e for e in sent_ends if e not in soft]
    attribute(norm, cands, clause_ends, sent_ends)
    return _to_facts(text, doc, cands)


def _reason(c: Cand, metric: Metric | None, reason: str) -> str:
    """What is counted, its verb and the rule or keyword that decided; `unmatched` when nothing did."""
    pair = f"counted {c.counted or '-'}, verb {c.verb or '-'}; " if not c.table else ""
    if metric is None:
        return f"unmatched: {pair}{reason or 'no keyword'} -> other"
    return pair + reason


def _to_facts(text: str, doc: str, cands: list[Cand]) -> list[Fact]:
    facts: list[Fact] = []
    position, n = [], 0                  # candidate index -> index of its first fact
    for c in cands:
        position.append(n)
        n += max(1, len(c.subjects))
    sentences: dict[tuple[int, int], str] = {}
    for c in cands:
        sentence = sentences.get(c.sentence)
        if sentence is None:                      # with its full stop; one text per sentence
            sentence = sentences[c.sentence] = text[c.sentence[0]:c.sentence[1] + 1].strip()
        part_of = position[c.part_of] if c.part_of is not None else None
        metrics = c.metrics or [c.metric]
        reasons = c.reasons if c.metrics else [c.reason]
        for spans, metric, reason in zip(c.subjects or [[]], metrics, reasons):
            subject = "".join([text[a:b] for a, b in spans]).replace("\n", "").strip()
            if c.metrics:                       # one value, several subjects: each counts its own
                c.counted = subject
            facts.append(Fact(
                doc=doc,
                metric=metric.id if metric else knowledge.unmatched().id,
                category=metric.category if metric else knowledge.unmatched().category,
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
                category_reason=_reason(c, metric, reason),
            ))
    return facts
