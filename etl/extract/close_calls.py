"""The rules of shared/eval CATEGORIES.md "Deciding the close calls" that need more than the
keywords of one clause, in the order attribution applies them:

  list_predicates    a predicate after a list (A 3件、B 5份提交法制审核) or a strong verb
                     before it (公开许可决定N件、处罚决定M件) decides every item;
  people_and_bodies  people of a training are participants (覆盖干部职工), people served by a
                     public service are that service's, the public at publicity work is its reach,
                     a study session of a leadership body named earlier in the sentence is a
                     leadership meeting.
"""
from __future__ import annotations

import bisect
import re

from .catalog import classify_ranked, matcher
from .counted import verbs_re
from .tokens import Cand

# People: staff counted after a training, or named as staff, are trainees (覆盖干部职工560人次);
# only the public, businesses or users count as reached by publicity.
_PEOPLE_UNITS = frozenset({"人次", "人", "名", "位"})
_STAFF_RE = re.compile(r"干部|职工|党员|公职人员|工作人员|执法人员|民警|辅警|教职工|教师|医务人员|监督员|学员|员工|"
                       r"校长|负责人|班子成员|领导|网格员|律师|法律顾问|调解员|队员")
_PUBLIC_RE = re.compile(r"群众|居民|市民|村民|公众|学生|师生|青少年|未成年人|企业|商户|经营者|经营户|游客|读者|用户|网民|"
                        r"农民工|家长|老年人|妇女|儿童|纳税人|缴费人|患者|社会|人民|听众|观众|粉丝|受众")
_TRAINING_RE = re.compile(r"培训|讲座|学法|考试|考法|轮训|授课|法治课|党课|专题学习|旁听庭审|庭审旁听|研讨|集中学习|业务学习|"
                          r"竞赛|练兵|比武|测试")


def list_predicates(norm: str, cands: list[Cand], clause_ends: list[int]) -> None:
    """A list whose verb (or head noun) comes after its last item gives every item that
    category: 规范性文件3件、协议5份、决定12件提交法制审核 -> three reviews."""
    i, n = 0, len(cands)
    while i < n:
        j = i
        while j + 1 < n and not cands[j].table and cands[j + 1].sentence == cands[j].sentence \
                and _list_gap(norm[cands[j].end:cands[j + 1].start]) \
                and _same_clause(cands[j].end, cands[j + 1].start, clause_ends):
            j += 1
        if j > i:
            last = cands[j]
            tail = last.post
            m, rank, kw = classify_ranked(tail, "", None) if tail else (None, -9, "")
            # Items with a verb of their own (检查企业120家、…并督促整改) share no later predicate.
            own_verb = _has_verb(cands[i].pre) or _TAIL_AGAIN_RE.match(tail)
            if m is not None and rank >= 0 and not own_verb:
                for c in cands[i:j + 1]:
                    if c.metrics:
                        continue
                    mm, rr, kk = classify_ranked(tail, "", c.unit)
                    if mm is not None and rr >= 0:
                        c.decide(mm, rr, f"shared predicate after the list: {kk}")
            else:
                _leading_verb(norm, cands[i:j + 1])
            _unnamed_items(cands[i:j + 1])
        i = j + 1


def _unnamed_items(items: list[Cand]) -> None:
    """An item of a list that names nothing the catalog knows (an item the page cuts off: 、70项上)
    belongs to the list: it takes the kind of the item before it."""
    for prev, c in zip(items, items[1:]):
        if c.metric is None and not c.metrics and prev.metric is not None and prev.metric.accepts(c.unit):
            c.decide(prev.metric, -1, f"item of a list, kind of the item before ({prev.reason})")


# Verbs that open an item of their own (出庭应诉12次、组织旁听庭审3次): it is not governed by a
# verb before the list or a predicate after it.
_LEAD_RE = re.compile(r"^[\s，,、]*(?:全年|今年|本年度|年内|共计|累计|合计|共|已|并|还|另|又|对|将|把|向|为|其中)*")
_VERB_HEAD_RE = re.compile(
    r"检查|排查|巡查|抽查|抽检|开展|组织|举办|召开|办理|受理|审查|审核|查处|立案|发放|出动|培训|接待|完成|实现|"
    r"提出|发现|公开|发布|制定|修订|清理|处理|办结|收到|出具|下达|下发|整改|拆除|聘请|配备|建成|创建|新增|"
    r"参加|参与|推送|核发|审批|签订|作出|印发|调解|化解|解答|答复|回复|提供|追回|挽回|收缴|督促|约谈|关停|"
    r"取缔|吊销|查封|扣押|梳理|编制|取消|下放|承接|保留|压减|精简|确认|出庭|应诉|旁听|走访|慰问|表彰|评选")
_TAIL_AGAIN_RE = re.compile(r"\s*(?:并|并且|同时|均|都|还|且)")


def _has_verb(text: str) -> bool:
    rest = _LEAD_RE.sub("", text, count=1)      # the pattern matches at 0, possibly empty
    return bool(_VERB_HEAD_RE.match(rest))


def _own_text(norm: str, prev: Cand, c: Cand) -> str:
    """The words of a list item after the join before it (、组织旁听庭审 -> 组织旁听庭审)."""
    gap = norm[prev.end:c.start]
    k = max(gap.rfind(j) for j in "、和及与")
    return gap[k + 1:]


def _leading_verb(norm: str, items: list[Cand]) -> None:
    """A strong word before the first item of a list (公开行政许可决定1426件、行政处罚决定312件)
    governs the later items that only name their object with a weaker word."""
    first = items[0]
    if first.metric is None or first.rank < 1 or first.metrics or first.table or not first.reason.startswith("keyword "):
        return
    kw = first.reason.split(" ")[1]
    if kw not in first.pre:
        return
    if first.metric.category == "leadership_meetings" and _object_of_verb(first.pre, first.pre.rfind(kw)):
        return          # 组织X中心组学习N次、Y培训M次: the body sits in the first object only
    for prev, c in zip(items, items[1:]):
        if not c.metrics and c.rank < first.rank and first.metric.accepts(c.unit) \
                and not _has_verb(_own_text(norm, prev, c)):
            c.decide(first.metric, first.rank, f"verb before the list: {kw}")


_LIST_GAP_RE = re.compile(r"[、和及与][^，,。；;：:\n]{0,15}|[^，,。；;：:\n、]{1,15}[、和及与]")


def _list_gap(gap: str) -> bool:
    """Is the text between two numbers a list join, with the item's noun before or after it?
    (`、税收协议`: 协议5份; `餐饮单位、`: 1582家餐饮单位)"""
    return bool(_LIST_GAP_RE.fullmatch(gap))


def _same_clause(a: int, b: int, clause_ends: list[int]) -> bool:
    k = bisect.bisect_left(clause_ends, a)
    return k >= len(clause_ends) or clause_ends[k] >= b


_SCOPE_RE = re.compile(r"共|累计|先后|合计|共计")
_OTHERS_RE = re.compile(r"各级|各部门|各单位|全体|全市|全区|全县|基层|部门")


def _object_of_verb(text: str, pos: int) -> bool:
    """Is the word at `pos` of `text` the object of a verb of its clause (开展党组学习) rather than
    its subject (党组集中学法) or inside the scope of 共/累计 (共召开党委会…, 传达学习…)?"""
    k = max(text.rfind(p, 0, pos) for p in "，,；;：:。")
    head = text[k + 1:pos]
    return bool(verbs_re().search(head)) and not _SCOPE_RE.search(head)


_STUDY_WORDS = frozenset({"学习", "集中学习", "学法", "研讨", "专题研讨", "集体学法"})


def _body_that_met(norm: str, c: Cand, cands: list[Cand]) -> None:
    """A study session (学习, 研讨) whose clause names no one, after a clause of the same sentence
    naming a leadership body (作为党组理论学习中心组学习内容，全年专题学习研讨12次): that body met."""
    if c.table or c.metric is None or c.metric.category != "trainings_held" or c.pre_start <= c.sentence[0]:
        return
    kw = c.reason.split(" ")[1] if c.reason.startswith("keyword ") else ""
    if kw not in _STUDY_WORDS or _STAFF_RE.search(c.pre + c.post) or _OTHERS_RE.search(c.pre + c.post):
        return              # the study of other people (全市各单位学法): no session of the body
    m, rank, body = classify_ranked(norm[c.sentence[0]:c.pre_start], "", c.unit)
    if m is None or m.category != "leadership_meetings" or rank < 2:
        return
    at = norm.rfind(body, c.sentence[0], c.pre_start)
    own = any(p is not c and at < p.start < c.start and p.metric is not None
              and p.metric.category == "leadership_meetings" for p in cands)
    if own and _object_of_verb(norm[c.sentence[0]:c.pre_start], at - c.sentence[0]):
        return              # 组织党组学习N次，开展研讨M次: the body had its count, the M are separate
    c.decide(m, rank, f"study by the body named before: {body}")


_PUBLICITY_RE = re.compile(r"普法|宣传|法治|宣讲")


_PUBLICITY_CONTEXT_RE = re.compile(r"普法|宣传|宣讲|法治文艺|进社区|进校园|进企业|进农村|进乡村|咨询|法律七进")


def _public_of_publicity(norm: str, c: Cand) -> None:
    """The public named alone (师生5.8万人次) in a sentence about publicity: the people it reached.
    Outside publicity (救助困难群众3860人次) they stay other."""
    if c.unit not in _PEOPLE_UNITS or c.table or (c.metric is not None and c.metric.category != "other"):
        return
    public = _PUBLIC_RE.search(c.pre + c.post)
    if public and _PUBLICITY_CONTEXT_RE.search(norm, c.sentence[0], c.start):
        c.decide(matcher().metrics["publicity_reach"], -1, f"the public at publicity work: {public.group()}")


def _people_served(cands: list[Cand], i: int) -> None:
    """People reached by a public service (开展公益性文化活动3600场次，服务群众210万人次) are
    that service's, not publicity's: the fact before, in the same sentence, is public_service."""
    c = cands[i]
    if not i or c.table or c.metric is None or c.metric.category != "publicity_reach" or c.rank > 0:
        return
    p = cands[i - 1]
    if p.sentence != c.sentence or p.metric is None or p.metric.category != "public_service" \
            or _PUBLICITY_RE.search(p.pre + p.post + c.pre) or not p.metric.accepts(c.unit):
        return
    c.decide(p.metric, c.rank, f"people served by the public service before ({p.reason})")


def _people_of_training(norm: str, c: Cand) -> None:
    """People counted in a training context, or named as staff, are trainees, not publicity reach."""
    category = c.metric.category if c.metric is not None else "other"
    if c.unit not in _PEOPLE_UNITS or category not in ("publicity_reach", "other") or c.table:
        return
    clause = c.pre + c.post
    if _PUBLIC_RE.search(clause):
        return
    before = norm[c.sentence[0]:c.start]
    staff = _STAFF_RE.search(clause)
    training = _TRAINING_RE.search(before)
    if (category == "publicity_reach" and (staff or training)) or (staff and training):
        why = next(m.group() for m in (staff, training) if m)
        c.decide(matcher().metrics["training_participants"], c.rank, f"people of a training: {why}")



def people_and_bodies(norm: str, cands: list[Cand]) -> None:
    """The people rules, then the body that met, for every candidate."""
    for i, c in enumerate(cands):
        _people_of_training(norm, c)
        _people_served(cands, i)
        _public_of_publicity(norm, c)
        _body_that_met(norm, c, cands)
