"""Differences between two texts, word by word and paragraph by paragraph: the charter's versions
and amendments, and the revisions of meeting and workshop notes, are compared with these.

Texts are compared as Markdown source, split into words, runs of spaces and punctuation, so that a
changed word shows as one <del>/<ins> pair. Everything a person wrote is escaped before any markup
is added.
"""

import difflib
import re
from dataclasses import dataclass

from diff_match_patch import diff_match_patch
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

DELETE, EQUAL, INSERT = -1, 0, 1
TOKEN = re.compile(r"\w+|\n|[^\S\n]+|[^\w\s]", re.UNICODE)


def tokenize(text: str) -> list[str]:
    return TOKEN.findall(text)


def _encode(tokens: list[str], index: dict[str, int], table: list[str]) -> str:
    # A loop per distinct token, then one pass in C over all of them: a charter's text has a few
    # thousand tokens, and a Python loop over each cost most of an amendment's diff.
    for token in dict.fromkeys(tokens):
        if token not in index:
            index[token] = len(table)
            table.append(token)
    return "".join(map(chr, map(index.__getitem__, tokens)))


def word_diff(old: str, new: str) -> list[tuple[int, str]]:
    """(op, text) pairs turning old into new, op being DELETE, EQUAL or INSERT, word by word."""
    # Each distinct token becomes one character so that diff-match-patch compares whole words.
    index: dict[str, int] = {}
    table: list[str] = [""]  # chr(0) is never used for a token
    index[""] = 0
    encoded_old = _encode(tokenize(old), index, table)
    encoded_new = _encode(tokenize(new), index, table)
    engine = diff_match_patch()
    engine.Diff_Timeout = 2.0
    diffs = engine.diff_main(encoded_old, encoded_new, False)
    engine.diff_cleanupSemantic(diffs)
    result: list[tuple[int, str]] = []
    for op, chars in diffs:
        text = "".join(map(table.__getitem__, map(ord, chars)))
        if result and result[-1][0] == op:
            result[-1] = (op, result[-1][1] + text)
        elif text:
            result.append((op, text))
    return result


@dataclass
class DiffStats:
    words_added: int
    words_removed: int

    @property
    def changed(self) -> bool:
        return bool(self.words_added or self.words_removed)


def diff_stats(diffs: list[tuple[int, str]]) -> DiffStats:
    added = sum(len(re.findall(r"\w+", text)) for op, text in diffs if op == INSERT)
    removed = sum(len(re.findall(r"\w+", text)) for op, text in diffs if op == DELETE)
    return DiffStats(words_added=added, words_removed=removed)


def render_inline(diffs: list[tuple[int, str]]) -> SafeString:
    """One text with deletions in <del> and insertions in <ins>, everything else escaped."""
    parts = []
    for op, text in diffs:
        if op == INSERT:
            parts.append(f"<ins>{escape(text)}</ins>")
        elif op == DELETE:
            parts.append(f"<del>{escape(text)}</del>")
        else:
            parts.append(str(escape(text)))
    return mark_safe("".join(parts))


def _side(diffs: list[tuple[int, str]], keep: int) -> SafeString:
    tag = "del" if keep == DELETE else "ins"
    parts = []
    for op, text in diffs:
        if op == EQUAL:
            parts.append(str(escape(text)))
        elif op == keep:
            parts.append(f"<{tag}>{escape(text)}</{tag}>")
    return mark_safe("".join(parts))


@dataclass
class SideBySideRow:
    old: SafeString
    new: SafeString
    changed: bool


def side_by_side(old: str, new: str) -> list[SideBySideRow]:
    """Rows of (old, new) paragraphs, aligned; changed paragraphs are diffed word by word."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    rows = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows.extend(
                SideBySideRow(old=escape(line), new=escape(line), changed=False)
                for line in old_lines[i1:i2]
                if line.strip()
            )
            continue
        diffs = word_diff("\n".join(old_lines[i1:i2]), "\n".join(new_lines[j1:j2]))
        rows.append(SideBySideRow(old=_side(diffs, DELETE), new=_side(diffs, INSERT), changed=True))
    return rows
