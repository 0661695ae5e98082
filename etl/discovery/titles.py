"""Which listed item is a report: title folding, the report/decoy rules, the year reported on.

A Chinese title is a noun phrase whose last noun (its head) says what the document is:
`…年度报告的审议意见` is an 意见, `…年度报告新闻发布会` a 发布会, `《…报告》解读` a 解读,
`…情况的报告` a 报告. The head is found once brackets, format labels (（PDF）, 全文, 上/下),
dates and quotes are stripped. A report is a title whose head is a report, summary or 情况
and whose modifier is rule-of-law work (or government information disclosure); any other
head is a decoy with that head as its reason, whatever report words precede it. A title
about rule-of-law work whose head is not a document type (`…深入推进法治政府建设`, a
sentence such as `…审议通过2023年法治政府建设年度报告`) is *tentative*: it is fetched and
settled by the article's own heading and first lines (`settle`).

Titles are folded (Traditional -> Simplified, NFKC, no whitespace) before any rule, and
tooltip labels (`文章标题：… 作者：… 更新时间：…`) stripped. A source's own `include` /
`exclude` patterns still override. Every decision carries its reason.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .. import knowledge
from ..normalize import to_simplified

# The kinds, heads, topics and form marks below are etl/catalog.yaml's (`report_kinds`,
# `title_heads`, `title_wrappers`, `title_topics`, `title_forms`), read through etl/knowledge.py.
RULE_OF_LAW = "rule_of_law"      # 法治政府建设年度报告
DISCLOSURE = "disclosure"        # 政府信息公开工作年度报告 (national table format)

# The subject of a rule-of-law report: 法治政府建设, 法治机关建设, 法治税务建设, 依法行政 ...
_SUBJECT = re.compile(knowledge.report_kinds()[RULE_OF_LAW].subject)
_DISCLOSURE = re.compile(knowledge.report_kinds()[DISCLOSURE].subject)

# ---------------------------------------------------------------- heads
# (suffix, role, reason). role: report / decoy. Longest suffix wins, so 审议意见 is matched
# before 意见 and 年度报告 before 报告.
HEADS: tuple[tuple[str, str, str], ...] = tuple((h.word, h.role, h.reason) for h in knowledge.title_heads())
_HEAD_ORDER = sorted(HEADS, key=lambda h: -len(h[0]))
# Heads under which a site may publish the report itself (…年度报告的公示): the article decides.
_WRAPPERS = knowledge.title_wrappers()

# Rule-of-law documents with a report head that are not the annual report: the topic in
# front of the head decides (述法报告, 第一责任人履职情况报告, 督察反馈问题整改情况的报告).
TOPICS: tuple[tuple[str, str], ...] = knowledge.title_topics()
_TOPIC = re.compile("|".join(re.escape(w) for w, _ in TOPICS))
_TOPIC_REASON = dict(TOPICS)
# Marks of a version of the report in another form, wherever they sit (一图读懂…年度报告).
_FORM_REASON = knowledge.title_forms()
_FORM = re.compile("|".join(re.escape(w) for w in _FORM_REASON))
# An event verb before the report's noun phrase makes the title a sentence (a news item
# about the report, or the report itself announced): the article decides.
_EVENT = re.compile(r"召开|举行|举办|审议通过|听取|发布|公布|晒出|亮出|报送|提交|作出|作了|专题研究|部署")
# Kept for callers that listed the decoy words (find.py, tests).
DECOY_WORDS: tuple[tuple[str, str], ...] = tuple((h, r) for h, role, r in HEADS if role == "decoy") + TOPICS

_CN_DIGITS = {"〇": "0", "零": "0", "○": "0", "Ｏ": "0", "O": "0", "一": "1", "二": "2", "三": "3",
              "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
_CN_YEAR = re.compile(r"[二][〇零○Ｏ][一二三四五六七八九〇零○][〇零○一二三四五六七八九](?=年)")
_YEAR = re.compile(r"(?<!\d)(20[1-4]\d)(?:\s*(?:年度|年|—|-|～|~)|(?!\d))")

# ---------------------------------------------------------------- cleaning

# 文章标题：XX 作者：YY 更新时间：2024-01-01 (a list's tooltip stored in the title attribute)
_TITLE_LABEL = re.compile(r"(?:文章|信息|新闻|文件|公开)?(?:标题|题目|名称)\s*[:：]\s*")
_NEXT_LABEL = re.compile(r"\s*(?:作者|撰稿|编辑|责任编辑|发布(?:时间|日期|机构|单位|者)|更新(?:时间|日期)|来源|信息来源|"
                         r"发文(?:日期|机关|字号)|成文日期|生成日期|时间|日期|点击(?:数|量|率)?|浏览(?:次数|量)?|"
                         r"阅读(?:次数|量)?|访问量|字号|索引号|文号|分类)\s*[:：]")
_TRUNCATED = re.compile(r"(?:…+|\.{2,}|。{2,}|⋯+)\s*$")


def clean_title(raw: str) -> str:
    """The title itself: whitespace collapsed, tooltip labels and a truncation mark removed."""
    t = " ".join((raw or "").split())
    if m := _TITLE_LABEL.search(t):
        if m.start() == 0 or _NEXT_LABEL.match(t[:m.start()] + "：") is None:
            t = t[m.end():]
    if (m := _NEXT_LABEL.search(t)) and m.start() > 0:
        t = t[:m.start()]
    return _TRUNCATED.sub("", t).strip(" |-—_：:")


def is_truncated(raw: str) -> bool:
    return bool(_TRUNCATED.search(" ".join((raw or "").split())))


# A site's name as a page's <title>/og:title (建湖县人民政府, 长春市司法局门户网站): not a
# document's title.
_SITE_NAME = re.compile(r"[\u4e00-\u9fff]{2,30}?(?:人民政府|政府|管理委员会|委员会|办公室|局|厅|委|办|署|院|中心)?"
                        r"(?:门户网站|政务网|网站|官网|网|门户|政务服务网|信息公开)?")


def looks_like_site_name(t: str) -> bool:
    f = fold(t)
    if not f or len(f) > 30 or _YEAR.search(f) or re.search(r"报告|总结|情况|关于|《", f):
        return False
    return bool(_SITE_NAME.fullmatch(f)) and bool(re.search(
        r"(?:人民政府|政府|委员会|办公室|局|厅|委|办|署|院|中心|网站|网|门户)$", f))


_PIECE_LABEL = re.compile(r"\s*[（(【\[]\s*(?:上|中|下|上篇|下篇|全文|正文|PDF|pdf|附件|图文|第[一二三四五六七八九十\d]+部分)"
                          r"\s*[）)】\]]\s*$")


def full_title(*candidates: str) -> str:
    """The longest of the title's versions (list text, the link's title attribute, the
    article's heading, ArticleTitle/og:title), cleaned; a site's name is never a title, and
    a file's part or format label (（上）, （PDF）) is not part of the document's title."""
    seen = [_PIECE_LABEL.sub("", c) for c in (clean_title(x) for x in candidates if x)
            if c and not looks_like_site_name(c)]
    seen = [c for c in seen if c]
    if not seen:
        return ""
    return max(seen, key=lambda c: (len(fold(c)), -seen.index(c)))


@lru_cache(maxsize=8192)          # year_of and classify fold each listed title
def fold(title: str) -> str:
    """Title as the rules see it: Simplified, NFKC (full-width -> ASCII), no whitespace."""
    t = unicodedata.normalize("NFKC", title or "")
    t = to_simplified(t)
    return re.sub(r"\s+", "", t)


def year_of(title: str) -> int | None:
    """The year a title reports on: the first 20xx year written (Arabic or 二〇二三), or None.

    A 2023 report published in 2024 says 2023 in its title; the publish date is never used."""
    t = _CN_YEAR.sub(lambda m: "".join(_CN_DIGITS[c] for c in m.group()), fold(clean_title(title)))
    t = re.sub(r"\(?20\d\d[-./]\d{1,2}[-./]\d{1,2}\)?$", "", t)        # a trailing date label
    m = _YEAR.search(t)
    return int(m.group(1)) if m else None


# ---------------------------------------------------------------- the head

_LABEL_WORDS = r"全文|正文|原文|文本|PDF|pdf|Pdf|WORD|word|DOCX?|docx?|OFD|附件\d*|附表\d*|图文|图片版|扫描件|" \
               r"上|下|上篇|下篇|上册|下册|第[一二三四五六七八九十\d]+部分|[一二三四五六七八九十\d]+|续|终|公开版|修订版|简版|摘要版"
_TRAILING = re.compile(
    r"(?:[(\[【〔<（][^()\[\]【】〔〕<>（）]{0,16}[)\]】〕>）]"       # （PDF） (2024-03-01) 【全文】 （上）
    rf"|[-—_·:：\s]*(?:{_LABEL_WORDS})"                             # -全文 .pdf-less labels
    r"|[-—_·\s]*\d{4}(?:[-./年]\d{1,2}(?:[-./月]\d{1,2}日?)?)?"     # a trailing date
    r"|\.(?:pdf|docx?|wps|ofd|zip|rar)|[\s.。…,，;；:：!！?？、\-—_·]+)$", re.I)


def strip_labels(t: str) -> str:
    """A folded title without its trailing brackets, format labels, dates and punctuation."""
    prev = None
    while prev != t:
        prev = t
        t = _TRAILING.sub("", t)
        if t.endswith("》") and "《" in t:     # 《…报告》 as the whole title: its own head
            i = t.rfind("《")
            t = t[:i] + t[i + 1:-1]
        t = t.rstrip("”\"'’")
    return t


@dataclass(frozen=True)
class Head:
    word: str          # the head as written ("" when none is known)
    role: str          # report / decoy / ""
    reason: str
    modifier: str      # what precedes the head


def head_of(title: str) -> Head:
    """The title's head: the last noun of the noun phrase once labels are stripped."""
    t = strip_labels(fold(clean_title(title)))
    # 2023年法治政府建设工作总结和2024年工作计划: coordinated heads, the first one is the document
    m = re.search(r"(报告|总结|情况)(?:和|及|暨|与|、)(?:20\d\d|下一?步|明年|今后|来年)", t)
    if m:
        t = t[:m.end(1)]
    for word, role, reason in _HEAD_ORDER:
        if t.endswith(word):
            return Head(word, role, reason, t[: len(t) - len(word)].rstrip("的之"))
    return Head("", "", "", t)


@dataclass(frozen=True)
class Decision:
    decision: str          # report / decoy
    reason: str
    kind: str = ""         # RULE_OF_LAW / DISCLOSURE for reports
    tentative: bool = False   # a report only if the article's own heading and lines say so


def _head_decoy(h: Head) -> Decision:
    return Decision("decoy", f"head '{h.word}': {h.reason}")


def classify(title: str, include: str = "", exclude: str = "",
             kinds: tuple[str, ...] = (RULE_OF_LAW, DISCLOSURE)) -> Decision:
    """Report or decoy by the title's head, with the reason. `include`/`exclude` are the
    source's own patterns (already validated regexes): exclude always rejects; include
    accepts a title the default rules would not recognise, but never a known decoy."""
    t = fold(clean_title(title))
    if not t:
        return Decision("decoy", "no title")
    if exclude and re.search(exclude, t):
        return Decision("decoy", f"matches the source's exclude pattern {exclude!r}")
    h = head_of(title)
    form = _FORM.search(t)
    if h.role == "decoy" and h.word in _WRAPPERS and _SUBJECT.search(h.modifier) and \
            re.search(r"报告|总结|情况", h.modifier) and not form and RULE_OF_LAW in kinds:
        # 关于XX局2023年法治政府建设年度报告的公示: the report published under a notice's head
        return Decision("report", f"head '{h.word}' over a report's name: settled by the article",
                        RULE_OF_LAW, tentative=True)
    if h.role == "decoy":
        return _head_decoy(h)
    if form and h.role == "report":            # 一图读懂2023年法治政府建设年度报告
        return Decision("decoy", f"'{form.group()}': {_FORM_REASON[form.group()]}")
    if h.role == "report" and _DISCLOSURE.search(t):
        if DISCLOSURE not in kinds:
            return Decision("decoy", "a 政府信息公开 annual report (not collected)")
        if topic := _TOPIC.search(h.modifier):
            return Decision("decoy", f"'{topic.group()}' {h.word}: {_TOPIC_REASON[topic.group()]}")
        return Decision("report", f"head '{h.word}' of 政府信息公开工作年度报告", DISCLOSURE)
    subject = _SUBJECT.search(h.modifier) if h.role else _SUBJECT.search(t)
    if h.role == "report" and subject:
        if RULE_OF_LAW not in kinds:
            return Decision("decoy", "rule-of-law reports are not collected")
        if ev := _EVENT.search(h.modifier[: subject.start()]):
            return Decision("report", f"'{ev.group()}' before the report's name: a news item or the report, "
                                      "settled by the article", RULE_OF_LAW, tentative=True)
        if topic := _TOPIC.search(h.modifier):
            return Decision("decoy", f"'{topic.group()}' {h.word}: {_TOPIC_REASON[topic.group()]}")
        return Decision("report", f"head '{h.word}' about {subject.group()}", RULE_OF_LAW)
    if include and re.search(include, t) and RULE_OF_LAW in kinds:
        return Decision("report", f"matches the source's include pattern {include!r}", RULE_OF_LAW)
    if h.role == "report":
        if topic := _TOPIC.search(h.modifier):
            return Decision("decoy", f"'{topic.group()}' {h.word}: {_TOPIC_REASON[topic.group()]}")
        return Decision("decoy", f"head '{h.word}' not about 法治政府建设")
    if subject and RULE_OF_LAW in kinds and not form and len(h.modifier) - len(subject.group()) >= 4:
        # more than a column's name (法治政府建设, 法治政府建设工作): a sentence or a bare phrase
        return Decision("report", f"{subject.group()} with no document head: settled by the article",
                        RULE_OF_LAW, tentative=True)
    if cut_short(title) and RULE_OF_LAW in kinds and not form:
        return Decision("report", "a title cut short (…): settled by the article", RULE_OF_LAW, tentative=True)
    if subject:
        return Decision("decoy", f"{subject.group()} without a report head")
    return Decision("decoy", "not about 法治政府建设")


def cut_short(title: str) -> bool:
    """A list title cut with "…" whose visible part could still be the report's name."""
    return is_truncated(title) and bool(re.search(r"法|报告|年度|情况|总结|依法|政府信息", fold(clean_title(title))))


# ---------------------------------------------------------------- the article decides

_NUMBERED = re.compile(r"(?m)^\s*(?:[一二三四五六七八九十]{1,3}\s*[、.．]|（[一二三四五六七八九十]{1,3}）)")
_REPORT_OPENING = re.compile(r"现将[^。\n]{0,60}?(?:报告|总结)如下|(?:^|\n)\s*(?:20\d\d|二[〇○零]\S\S)\s*年度?(?:以来)?[，,]"
                             r"|报告如下|总结如下")
_NEWS_OPENING = re.compile(r"(?:^|\n)\s*(?:近日|日前|\d{1,2}月\d{1,2}日|[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)[，,]")


def heading_lines(text: str, n: int = 6) -> list[str]:
    """The first lines of an article: where its own heading sits."""
    return [ln.strip() for ln in (text or "").splitlines() if ln.strip()][:n]


_COVER = re.compile(r"详见附件|见附件|附件[:：]|请见附件|全文(?:详)?见|点击(?:下载|查看)|下载附件|附件下载|予以公开|予以公布|"
                    r"公开如下[:：]?\s*$|全文如下[:：]?\s*$")


def reads_as_report(text: str) -> tuple[bool, str]:
    """Does a text read as the annual report itself? Its heading names a report and its
    body is one (an opening on the year, 现将…报告如下, numbered sections); a cover note
    pointing to its attachment, a news item or a heading of another kind does not."""
    head = (text or "")[:3000]
    heading = ""
    for ln in heading_lines(head):
        if len(ln) <= 80 and not re.search(r"[，,。；]", ln):
            d = classify(ln)
            if d.decision == "report" and not d.tentative:
                heading = ln
                break
            if d.decision == "decoy" and head_of(ln).role == "decoy":
                return False, f"its heading '{ln}': {d.reason}"
    sections = len(_NUMBERED.findall(text or ""))
    opening = _REPORT_OPENING.search(head)
    if _COVER.search(head[:1500]) and sections < 3 and len(text or "") < 3000:
        return False, "a cover note pointing to its attachment"
    if _NEWS_OPENING.search(head[:400]) and sections < 3:
        return False, "it opens as a news item"
    if heading and (opening or sections >= 2 or len(text or "") >= 1500):
        return True, f"its heading '{heading}' is a report, and its body one"
    if _SUBJECT.search(head) and (opening or sections >= 3):
        return True, "it reads as a report: " + ("its opening" if opening else f"{sections} numbered sections")
    return False, "it does not read as a report (no report heading, opening or sections)"


def settle(listed: str, heading: str, text: str, kinds: tuple[str, ...] = (RULE_OF_LAW, DISCLOSURE),
           include: str = "", exclude: str = "") -> tuple[str, Decision]:
    """The document's own title and the decision on it, once its article is read: the full
    title (longest of the listed one and the article's heading) decides by its head; a
    title that leaves it open is settled by the article's heading and first lines."""
    first = [ln for ln in heading_lines(text, 3) if len(ln) <= 80 and not re.search(r"[，,。；>›»]|当前位置|首页", ln)]
    own = full_title(listed, heading, *[ln for ln in first if _SUBJECT.search(fold(ln)) or _DISCLOSURE.search(fold(ln))])
    d = classify(own or listed, include, exclude, kinds)
    if d.decision == "report" and d.tentative:
        ok, why = reads_as_report(text)
        d = Decision("report", f"{d.reason}: {why}", d.kind) if ok else Decision("decoy", f"{d.reason}: {why}")
    return own or clean_title(listed), d
