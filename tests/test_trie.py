"""TrieScanner finds what the trie regex finds: the same leftmost-longest matches, and the
same longest word at every position (overlaps included)."""
from __future__ import annotations

import random
import re

from etl.trie import TrieScanner, trie_regex


def test_scanner_matches_the_trie_regex_on_random_words_and_texts() -> None:
    rnd = random.Random(5)
    alpha = "abcde"
    for _ in range(200):
        words = sorted({"".join(rnd.choice(alpha) for _ in range(rnd.randint(1, 4))) for _ in range(rnd.randint(1, 12))})
        scanner = TrieScanner([(words, "", "")])
        plain = re.compile(trie_regex(words))
        each = re.compile(f"(?=({trie_regex(words)}))")
        for _ in range(10):
            text = "".join(rnd.choice(alpha + "xy") for _ in range(rnd.randint(0, 150)))
            assert [m.span() for m in scanner.finditer(text)] == [m.span() for m in plain.finditer(text)]
            assert [(m.start(), m.group()) for m in scanner.longest_at_each(text)] == \
                [(m.start(1), m.group(1)) for m in each.finditer(text)]


def test_branches_keep_their_order_and_guards() -> None:
    # the second list only before 县委 and after a non-letter, as the gazetteer's two-character names
    scanner = TrieScanner([(["安徽省", "和平区"], "", ""), (["和县"], "(?<![a-z])", "(?=委)")])
    pattern = re.compile(trie_regex(["安徽省", "和平区"]) + "|(?<![a-z])(?:和县)(?=委)")
    for text in ("安徽省和县委", "x和县委", "和平区和县委", "和县", "中和县委和平区"):
        assert [m.group() for m in scanner.finditer(text)] == [m.group() for m in pattern.finditer(text)]
    assert [m.group() for m in scanner.finditer("安徽省和县委")] == ["安徽省", "和县"]
