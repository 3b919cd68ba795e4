"""Names compared as people read them (workshop.domain.model.person_names)."""

from __future__ import annotations

import pytest

from workshop.domain.model.person_names import look_alike, same_name, shown_name, similar_names


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("łukasz NOWAK", "Łukasz Nowak"), ("ＡＮＮＡ  Berg", "Anna Berg"), ("  Ann   Lee ", "ann lee"), ("Jose", "José")],
)
def test_case_accents_width_and_spacing_do_not_make_another_person(typed: str, kept: str) -> None:
    assert same_name(typed, kept)


@pytest.mark.parametrize(
    "typed",
    [
        "An\u200dna Berg",  # zero-width joiner
        "An\u200bna Berg",  # zero-width space
        "\u0410nna Berg",  # Cyrillic capital A
        "Anna B\u0435rg",  # Cyrillic small ie
        "Anna Berg.",
        "Anna Berg !",
        "Anna \u202eBerg",  # right-to-left override
    ],
)
def test_names_a_reader_cannot_tell_apart_look_alike_but_are_not_the_same(typed: str) -> None:
    assert look_alike(typed, "Anna Berg")
    assert not same_name(typed, "Anna Berg")


@pytest.mark.parametrize("other", ["Anne Berg", "Anna Bergman", "Hanna Berg", "Bo"])
def test_other_names_do_not_look_alike(other: str) -> None:
    assert not look_alike(other, "Anna Berg")


def test_a_typo_is_similar_but_a_look_alike_is_not_merely_similar() -> None:
    assert similar_names("Anne Berg", "Anna Berg")
    assert not similar_names("\u0410nna Berg", "Anna Berg"), "it is a look-alike: the stronger rule applies"


def test_a_shown_name_has_no_bidi_controls_and_single_spaces() -> None:
    assert shown_name("Zed  \u202egnirts\u202c \u2066Olsen\u2069") == "Zed gnirts Olsen"
    assert shown_name("Nguyễn Thị Lan") == "Nguyễn Thị Lan"
    assert shown_name("\u202e") == ""
