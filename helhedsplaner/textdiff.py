"""Word-level differences between two versions of a text, for "what changed since" on the plan text."""

import re
from difflib import SequenceMatcher

TOKEN = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Segments of (kind, text) where kind is "same", "added" or "removed"; joined they read as both texts."""
    old_tokens, new_tokens = TOKEN.findall(old or ""), TOKEN.findall(new or "")
    segments = []
    matcher = SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(("same", "".join(old_tokens[a1:a2])))
            continue
        if a2 > a1:
            segments.append(("removed", "".join(old_tokens[a1:a2])))
        if b2 > b1:
            segments.append(("added", "".join(new_tokens[b1:b2])))
    return segments
