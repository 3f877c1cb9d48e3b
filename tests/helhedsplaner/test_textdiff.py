"""The word diff of "what changed since": what it marks, and that long texts cost a bounded amount of work."""

import random

import pytest
from django.urls import reverse

from helhedsplaner import actions, textdiff
from helhedsplaner.textdiff import word_diff

WORDS = "børn unge området beboere afdeling indsats plan lektiecafé fritidsjob og i at det en til af".split()


def old_text(segments):
    return "".join(text for kind, text in segments if kind != "added")


def new_text(segments):
    return "".join(text for kind, text in segments if kind != "removed")


def test_inserted_words_are_marked_added_and_the_rest_unchanged():
    diff = word_diff("Børn og unge i området.", "Børn og unge og ældre i området.")
    assert diff.word_by_word
    assert diff.segments == [("same", "Børn og unge "), ("added", "og ældre "), ("same", "i området.")]


def test_deleted_words_are_marked_removed():
    diff = word_diff("Mange børn og unge bor i området.", "Mange unge bor i området.")
    assert diff.segments == [("same", "Mange "), ("removed", "børn og "), ("same", "unge bor i området.")]


def test_a_replaced_word_is_removed_then_added():
    diff = word_diff("Lektiecafé to dage om ugen.", "Lektiecafé tre dage om ugen.")
    assert diff.segments == [
        ("same", "Lektiecafé "),
        ("removed", "to "),
        ("added", "tre "),
        ("same", "dage om ugen."),
    ]


def test_a_deleted_sentence_is_marked_removed():
    diff = word_diff("Første afsnit.\n\nAndet afsnit. Slettes her.\n", "Første afsnit.\n\nAndet afsnit.\n")
    assert diff.segments == [
        ("same", "Første afsnit.\n\nAndet "),
        ("removed", "afsnit. Slettes her.\n"),
        ("added", "afsnit.\n"),
    ]


def test_unchanged_paragraphs_are_one_segment_and_a_new_paragraph_is_added_whole():
    old = "Indledning.\n\nAnalyse af området.\n\nAfslutning.\n"
    new = "Indledning.\n\nAnalyse af området.\n\nNyt afsnit om unge.\n\nAfslutning.\n"
    assert word_diff(old, new).segments == [
        ("same", "Indledning.\n\nAnalyse af området.\n\n"),
        ("added", "Nyt afsnit om unge.\n\n"),
        ("same", "Afslutning.\n"),
    ]


def test_empty_texts():
    assert word_diff("", "Ny tekst.").segments == [("added", "Ny tekst.")]
    assert word_diff("Gammel tekst.", "").segments == [("removed", "Gammel tekst.")]
    assert word_diff(None, "").segments == []


def long_text(rng, size):
    paragraphs, length = [], 0
    while length < size:
        paragraph = " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 120))) + ".\n\n"
        paragraphs.append(paragraph)
        length += len(paragraph)
    return "".join(paragraphs)


@pytest.fixture
def comparisons(monkeypatch):
    """Every comparison word_diff makes, as the lengths of the two sequences; one beyond the cap fails at once
    (before difflib spends minutes on it)."""
    made = []

    class CountingSequenceMatcher(textdiff.SequenceMatcher):
        def __init__(self, *, a, b, autojunk):
            assert len(a) <= textdiff.MAX_ITEMS and len(b) <= textdiff.MAX_ITEMS, (len(a), len(b))
            made.append((len(a), len(b)))
            super().__init__(a=a, b=b, autojunk=autojunk)

    monkeypatch.setattr(textdiff, "SequenceMatcher", CountingSequenceMatcher)
    return made


def assert_bounded(made):
    assert sum(a * b for a, b in made) <= textdiff.MAX_COMPARISONS


def test_two_unrelated_150_kb_texts_are_compared_within_the_cap(comparisons):
    rng = random.Random(16)
    old, new = long_text(rng, 150_000), long_text(rng, 150_000)
    diff = word_diff(old, new)
    assert_bounded(comparisons)
    assert not diff.word_by_word
    assert old_text(diff.segments) == old and new_text(diff.segments) == new


def test_a_150_kb_text_with_every_seventh_paragraph_edited_is_compared_word_by_word(comparisons):
    rng = random.Random(7)
    old = long_text(rng, 150_000)
    paragraphs = old.split("\n\n")
    for index in range(0, len(paragraphs), 7):
        paragraphs[index] = paragraphs[index] + " Tilføjet sætning"
    new = "\n\n".join(paragraphs)
    diff = word_diff(old, new)
    assert_bounded(comparisons)
    assert diff.word_by_word
    assert old_text(diff.segments) == old and new_text(diff.segments) == new
    added = [text for kind, text in diff.segments if kind == "added"]
    assert len(added) == len(range(0, len(paragraphs), 7))
    assert all("Tilføjet sætning" in text and len(text) < 40 for text in added)


def test_a_150_kb_text_of_one_paragraph_repeating_one_word_is_compared_within_the_cap(comparisons):
    old = "og " * 50_000
    new = "og " * 20_000 + "unge " + "og " * 30_000
    diff = word_diff(old, new)
    assert_bounded(comparisons)
    assert old_text(diff.segments) == old and new_text(diff.segments) == new
    assert ("added", "unge ") in diff.segments


def test_the_changes_page_says_when_a_long_text_is_not_compared_word_by_word(
    client_as, medarbejder, plan, comparisons
):
    rng = random.Random(3)
    actions.save_text(plan, {"analyse": long_text(rng, 150_000)}, version=1, acting_user=medarbejder)
    actions.save_text(plan, {"analyse": long_text(rng, 150_000)}, version=2, acting_user=medarbejder)
    page = client_as(medarbejder).get(reverse("plan_changes", args=[plan.pk]), {"siden": 2})
    assert page.status_code == 200
    assert "for lang til at vise alle ændringer ord for ord" in page.text
    assert_bounded(comparisons)
