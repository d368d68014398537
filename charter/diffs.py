"""The three-way merge of a charter amendment. The word diffs themselves live in assembly/diffs.py,
shared with the notes' history; they are re-exported here for the charter's views."""

from diff_match_patch import diff_match_patch

from assembly.diffs import (
    DELETE,
    EQUAL,
    INSERT,
    DiffStats,
    SideBySideRow,
    diff_stats,
    render_inline,
    side_by_side,
    tokenize,
    word_diff,
)

__all__ = [
    "DELETE",
    "EQUAL",
    "INSERT",
    "DiffStats",
    "SideBySideRow",
    "diff_stats",
    "render_inline",
    "side_by_side",
    "three_way_merge",
    "tokenize",
    "word_diff",
]


def three_way_merge(base: str, proposed: str, current: str) -> str | None:
    """The proposed change (base → proposed) carried onto current, or None when it does not apply
    cleanly. Strict: exact context only, and the result must be the same whichever change is
    applied first, so overlapping edits count as a conflict rather than a guess."""
    if current == base:
        return proposed
    if proposed == base:
        return current
    merged = _apply(base, proposed, onto=current)
    if merged is None:
        return None
    other_way = _apply(base, current, onto=proposed)
    if other_way != merged:
        return None
    return merged


def _apply(base: str, changed: str, *, onto: str) -> str | None:
    engine = diff_match_patch()
    engine.Match_Threshold = 0.01  # no fuzzy matching: the context must be found exactly
    engine.Match_Distance = 10_000_000  # ... though it may have moved far (text added above)
    engine.Patch_DeleteThreshold = 0.0  # what the change deletes must still be there, exactly
    engine.Diff_Timeout = 2.0
    patches = engine.patch_make(base, changed)
    result, applied = engine.patch_apply(patches, onto)
    if not all(applied):
        return None
    return result
