"""Word-level differences between two versions of a text, for "what changed since" on the plan text.

difflib's SequenceMatcher can cost the product of the two sequences' lengths, so two long versions compared
word by word in one go take minutes. Here the texts are compared paragraph by paragraph first, and only the
paragraphs that changed are compared word by word: a changed paragraph with the one that took its place, or a
changed stretch of paragraphs as a whole when their numbers differ. Every comparison is held to MAX_ITEMS on
each side, and all comparisons of one text together to MAX_COMPARISONS pairs of items; a stretch beyond that
is shown removed and added whole, and the result says so.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

# A line with the line breaks after it (blank lines belong to the paragraph before them).
PARAGRAPH = re.compile(r"[^\n]*\n+|[^\n]+")
# A word with the spaces after it; leading spaces stand alone.
WORD = re.compile(r"\S+\s*|\s+")
MAX_ITEMS = 1000
MAX_COMPARISONS = 2_000_000


@dataclass(frozen=True)
class TextDiff:
    """Segments of (kind, text) where kind is "same", "added" or "removed"; joined they read as both texts.

    word_by_word is False when some changed stretch was too long to compare and is shown whole.
    """

    segments: list[tuple[str, str]]
    word_by_word: bool


class _Budget:
    """What is left of MAX_COMPARISONS for one text, and whether a comparison has been refused."""

    def __init__(self):
        self.remaining = MAX_COMPARISONS
        self.exceeded = False

    def allows(self, a, b) -> bool:
        cost = len(a) * len(b)
        if len(a) > MAX_ITEMS or len(b) > MAX_ITEMS or cost > self.remaining:
            self.exceeded = True
            return False
        self.remaining -= cost
        return True


def _common_ends(a, b) -> tuple[int, int]:
    """How many items a and b share at their start, and then at their end."""
    start = 0
    while start < len(a) and start < len(b) and a[start] == b[start]:
        start += 1
    end = 0
    while end < len(a) - start and end < len(b) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    return start, end


def _opcodes(a, b, budget: _Budget):
    """SequenceMatcher's opcodes for the part between the common start and end, or that part as one
    replacement when the budget does not allow comparing it."""
    start, end = _common_ends(a, b)
    a_end, b_end = len(a) - end, len(b) - end
    if start:
        yield "equal", 0, start, 0, start
    middle_a, middle_b = a[start:a_end], b[start:b_end]
    if middle_a or middle_b:
        if (middle_a and middle_b) and budget.allows(middle_a, middle_b):
            matcher = SequenceMatcher(a=middle_a, b=middle_b, autojunk=False)
            for op, a1, a2, b1, b2 in matcher.get_opcodes():
                yield op, a1 + start, a2 + start, b1 + start, b2 + start
        else:
            yield "replace", start, a_end, start, b_end
    if end:
        yield "equal", a_end, len(a), b_end, len(b)


def _append(segments, kind, text):
    if not text:
        return
    if segments and segments[-1][0] == kind:
        segments[-1] = (kind, segments[-1][1] + text)
    else:
        segments.append((kind, text))


def word_diff(old: str, new: str) -> TextDiff:
    budget = _Budget()
    segments = []

    def words(old_part, new_part):
        old_words, new_words = WORD.findall("".join(old_part)), WORD.findall("".join(new_part))
        for op, a1, a2, b1, b2 in _opcodes(old_words, new_words, budget):
            if op == "equal":
                _append(segments, "same", "".join(old_words[a1:a2]))
                continue
            _append(segments, "removed", "".join(old_words[a1:a2]))
            _append(segments, "added", "".join(new_words[b1:b2]))

    def paragraphs(old_part, new_part):
        if len(old_part) == len(new_part):  # each paragraph was rewritten in its place
            for old_paragraph, new_paragraph in zip(old_part, new_part, strict=True):
                words([old_paragraph], [new_paragraph])
        else:
            words(old_part, new_part)

    old_paragraphs, new_paragraphs = PARAGRAPH.findall(old or ""), PARAGRAPH.findall(new or "")
    for op, a1, a2, b1, b2 in _opcodes(old_paragraphs, new_paragraphs, budget):
        if op == "equal":
            _append(segments, "same", "".join(old_paragraphs[a1:a2]))
        else:
            paragraphs(old_paragraphs[a1:a2], new_paragraphs[b1:b2])
    return TextDiff(segments, word_by_word=not budget.exceeded)
