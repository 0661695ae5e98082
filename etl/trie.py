"""One regex for many literals (catalog keywords, place names), factored by common prefixes,
and a scanner that finds them in long text without trying every word at every position."""
from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterable, Iterator


def trie_regex(words: Iterable[str]) -> str:
    """The longest literal at a position still wins (greedy optional tails), and matching is
    far faster than a flat alternation of thousands of words."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


class TrieScanner:
    """Non-overlapping leftmost matches of an ordered alternation of word lists, each between a
    zero-width guard before (a lookbehind, or "") and a pattern after ("" for none): the matches
    re.finditer("before1(?:trie1)after1|before2(?:trie2)after2|...") finds, in the same order.

    A regex trie over ~1,000 first characters tries each of them at every position of the text
    (about 2 µs a character); here two character classes find the positions where a word may
    start, a set of two-character heads drops most of the rest, and the small alternation of the
    words that start with that character is matched there.
    """

    def __init__(self, branches: Iterable[tuple[Iterable[str], str, str]]):
        by_first: dict[str, list[str]] = defaultdict(list)
        heads: set[str] = set()
        open_heads: set[str] = set()          # first characters that are a whole word: no head check
        for words, before, after in branches:
            groups: dict[str, list[str]] = defaultdict(list)
            for w in words:
                if not w:
                    continue
                groups[w[0]].append(w)
                if len(w) == 1:
                    open_heads.add(w)
                heads.add(w[:2])
            for ch, ws in groups.items():
                by_first[ch].append(f"{before}(?:{trie_regex(ws)}){after}")
        # Where a word may start: a first character followed by a second one (most Han
        # characters of a text start some place name; far fewer pairs do), or a one-character word.
        def chars(cs) -> str:
            return "[" + "".join(re.escape(c) for c in sorted(cs)) + "]"
        starts = []
        if by_first:
            starts.append(chars(by_first) + "(?=" + chars({h[1] for h in heads if len(h) > 1} or {"\0"}) + ")")
        if open_heads:
            starts.append(chars(open_heads))
        self._starts = re.compile("|".join(starts) or "(?!)")
        self._match = {ch: re.compile("|".join(alts)).match for ch, alts in by_first.items()}
        self._heads = frozenset(heads)
        self._open = frozenset(open_heads)
        self._open_chars = tuple(sorted(open_heads))

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        match, heads, opened = self._match, self._heads, self._open
        pos = 0
        for s in self._starts.finditer(text):
            p = s.start()
            if p < pos:
                continue
            ch = s.group()
            if ch not in opened and text[p: p + 2] not in heads:
                continue
            m = match[ch](text, p)
            if m is not None:
                yield m
                pos = m.end()

    def longest_at_each(self, text: str) -> list[re.Match[str]]:
        """The longest word starting at each position, overlaps included: what
        re.finditer("(?=(trie))") finds (the word is the match's group(), not group(1))."""
        match, heads, opened = self._match, self._heads, self._open
        out = []
        if len(text) > 64:
            for s in self._starts.finditer(text):
                p, ch = s.start(), s.group()
                if ch in opened or text[p: p + 2] in heads:
                    m = match[ch](text, p)
                    if m is not None:
                        out.append(m)
            return out
        # a clause: a loop is cheaper than a search
        for ch in self._open_chars:
            if ch in text:                        # a one-character word in it: positions checked too
                break
        else:
            for p in range(len(text)):
                if text[p: p + 2] in heads:
                    m = match[text[p]](text, p)
                    if m is not None:
                        out.append(m)
            return out
        for p in range(len(text)):
            if text[p: p + 2] in heads or text[p] in opened:
                m = match[text[p]](text, p)
                if m is not None:
                    out.append(m)
        return out
