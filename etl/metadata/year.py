"""The year a report covers: its title, the opening (现将2023年…), else the signature date."""
from __future__ import annotations

import re
from collections import Counter

from ..numbers import parse_chinese

_CN_MONTH = r"十[一二]?|[一二三四五六七八九]"
_CN_DAY = r"[二三]?十[一二三四五六七八九]?|[一二三四五六七八九]"
_DATE_RE = re.compile(rf"(20\d\d)\s*年\s*(\d{{1,2}}|{_CN_MONTH})\s*月\s*(\d{{1,2}}|{_CN_DAY})\s*日|"
                      r"(20\d\d)[-/.](\d{1,2})[-/.](\d{1,2})")
_CN_DIGIT = {ch: str(i) for i, ch in enumerate("〇一二三四五六七八九")} | {"○": "0", "零": "0", "Ｏ": "0", "O": "0"}
_CN_YEAR = re.compile(r"二[〇○零ＯO][〇○零ＯO一二三四五六七八九]{2}(?=\s*年)")


def _arabic_years(text: str) -> str:
    """二〇二三年 -> 2023年 (same length, so positions in the text are kept)."""
    return _CN_YEAR.sub(lambda m: "".join(_CN_DIGIT[ch] for ch in m.group()), text)


def _cn_int(s: str) -> int:
    """'3' / '十二' / '二十五' / '五' -> int, with the project's one numeral grammar."""
    return int(s) if s.isdigit() else (parse_chinese(s) or 0)




def _title_year(title: str) -> int | None:
    t = re.sub(r"\d{4}\s*[-—–~至]\s*\d{4}", "", title)
    m = re.search(r"(20\d\d)\s*年", t)
    return int(m.group(1)) if m else None


def _pub_dates(text: str) -> list[tuple[int, int]]:
    out = []
    for m in _DATE_RE.finditer(text):
        y, mo = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(5))
        out.append((int(y), _cn_int(mo)))
    return out


_PLAN_BEFORE = re.compile(r"下一步|下步|计划|打算|明年|今后|将在|将于|展望")
_PLAN_AFTER = re.compile(r"计划|打算|要点|思路|安排|工作中|将")


def _is_plan(text: str, start: int, end: int) -> bool:
    """A year named in the plans for next year ('2024年工作计划'), not the year reported on."""
    return bool(_PLAN_BEFORE.search(text[max(0, start - 12): start]) or _PLAN_AFTER.search(text[end: end + 8]))


def infer_year(text: str, title: str) -> int | None:
    y = _title_year(title)
    if y:
        return y
    head = text[:2500]
    clean = re.sub(r"\d{4}\s*[-—–~至]\s*\d{4}\s*年?", "", head)
    clean = _DATE_RE.sub("", clean)
    for pat in (r"现将[^。\n]{0,20}?(20\d\d)\s*年", r"(?:^|\n)\s*(20\d\d)\s*年度?(?:以来)?[，,是]",
                r"(20\d\d)\s*年度?(?:法治政府|法治建设|依法行政)", r"(20\d\d)\s*年度?[^。\n]{0,12}(?:工作)?(?:报告|总结)"):
        for m in re.finditer(pat, clean):
            if not _is_plan(clean, m.start(1), m.end()):
                return int(m.group(1))
    dates = _pub_dates(text[-600:]) or _pub_dates(text[:600])
    if dates:
        y, mo = dates[-1]
        return y if mo >= 11 else y - 1
    years = Counter(int(x) for x in re.findall(r"(20\d\d)\s*年(?!\s*\d{1,2}\s*月)", re.sub(r"\d{4}\s*[-—–~至]\s*\d{4}", "", text)))
    return years.most_common(1)[0][0] if years else None
