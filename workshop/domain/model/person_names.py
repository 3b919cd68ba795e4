"""People's names as people read them: the one rule for when two names are one, look alike, or are similar.

A name typed on a phone is not proof of who someone is, and what a screen
shows is not what the bytes say. Three levels, each for a reason:

* :func:`same_name` — case, accents, compatibility forms (fullwidth letters)
  and spacing do not make another person ("łukasz NOWAK" is "Łukasz Nowak").
* :func:`look_alike` — names a reader cannot tell apart: invisible format
  characters (zero-width joiners, bidi controls: Unicode category Cf) are
  dropped, trailing punctuation and spaces are ignored ("Anna Berg." is
  "Anna Berg"), and letters of other scripts that look the same compare
  equal through the Unicode TR39 confusable skeleton ("Аnna" with a
  Cyrillic А is "Anna"). The confusable pairs are Unicode's own
  (``confusables.txt``, as shipped by the ``confusable-homoglyphs`` package),
  not a table of ours.
* :func:`similar_names` — two spellings that may be one person (a typo):
  flagged for the facilitator, never merged.

:func:`shown_name` is a name as any screen may show it: bidi controls never
reorder what the facilitator reads. The domain holds this so the server, the
panel and the exports agree on it.
"""

from __future__ import annotations

import difflib
import unicodedata
from functools import cache, lru_cache

from confusable_homoglyphs import confusables

SIMILAR_RATIO = 0.85
"""Names at least this alike (difflib ratio of their comparable forms) are flagged as possibly one person."""

_FOLDED = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i"})
"""Letters that Unicode does not decompose into a base letter and an accent."""

BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Characters that reorder the text around them (Trojan-source style): never kept in a shown name."""


def same_name(a: str, b: str) -> bool:
    """True when two names are one as typed (case, accents, width and spacing aside)."""
    return comparable_name(a) == comparable_name(b)


def comparable_name(name: str) -> str:
    """A name as it is compared for sameness: NFKC, no accents, case or extra spaces."""
    text = " ".join(unicodedata.normalize("NFKC", name).split()).casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_FOLDED)


@lru_cache(maxsize=8192)
def look_alike_key(name: str) -> str:
    """A name as a reader sees it: equal keys cannot be told apart on a screen.

    ``comparable_name`` without format characters, without trailing punctuation or spaces, mapped to its
    confusable skeleton. Works on a comparable name too (the removed names are kept in that form).
    """
    visible = "".join(ch for ch in comparable_name(name) if unicodedata.category(ch) != "Cf")
    visible = " ".join(visible.split())
    while visible and (unicodedata.category(visible[-1])[0] in "PZ" or visible[-1].isspace()):
        visible = visible[:-1]
    return _skeleton(visible)


def look_alike(a: str, b: str) -> bool:
    """True when a reader cannot tell the two names apart (and they are not simply the same name)."""
    return look_alike_key(a) == look_alike_key(b)


def similar_names(a: str, b: str) -> bool:
    """True for two different spellings that may be one person (a typo, a nickname's missing letter).

    difflib's ratio, after two bounds that cost next to nothing: a room of 300 compares 45,000 pairs, and
    building a matcher for each took seconds of the main thread while the room was joining.
    """
    left, left_letters = _letters(a)
    right, right_letters = _letters(b)
    if left == right:
        return False
    total = len(left) + len(right)
    if 2 * min(len(left), len(right)) < SIMILAR_RATIO * total:  # the length alone rules it out
        return False
    shared = sum(min(count, right_letters.get(letter, 0)) for letter, count in left_letters.items())
    if 2 * shared < SIMILAR_RATIO * total:  # even in the best order, too few letters are shared
        return False
    return difflib.SequenceMatcher(None, left, right, autojunk=False).ratio() >= SIMILAR_RATIO


@lru_cache(maxsize=8192)
def _letters(name: str) -> tuple[str, dict[str, int]]:
    """A name's look-alike key and how often each character occurs in it."""
    key = look_alike_key(name)
    counts: dict[str, int] = {}
    for letter in key:
        counts[letter] = counts.get(letter, 0) + 1
    return key, counts


def shown_name(name: str) -> str:
    """A name as it is stored and shown: no bidi controls, single spaces, NFC (so it reads as typed)."""
    kept = "".join(ch for ch in unicodedata.normalize("NFC", name) if ch not in BIDI_CONTROLS)
    return " ".join(kept.split())


def _skeleton(text: str) -> str:
    """The TR39 skeleton: NFD, each character replaced by its prototype, NFD again."""
    prototypes = _prototypes()
    mapped = "".join(prototypes.get(ch, ch) for ch in unicodedata.normalize("NFD", text))
    return unicodedata.normalize("NFD", mapped)


@cache
def _prototypes() -> dict[str, str]:
    """Each confusable character's prototype, from Unicode's confusable pairs.

    The package keeps every pair of ``confusables.txt`` in both directions. In that file every source is one
    character and a prototype is never itself a source, so each class is a star around its prototype: the
    member that is a sequence, or else the one paired with all the others. A two-member class has no centre
    to find; either member serves, as only equality of skeletons is used. Marks the package's parser kept
    around right-to-left characters (U+200E) are not part of them.
    """
    data: dict[str, list[dict[str, str]]] = confusables.confusables_data
    pairs: dict[str, set[str]] = {}
    for key, entries in data.items():
        source = key.strip("\u200e\u200f")
        for entry in entries:
            pairs.setdefault(source, set()).add(entry["c"].strip("\u200e\u200f"))
    prototypes: dict[str, str] = {}
    for char, partners in pairs.items():
        if len(char) != 1:
            continue
        if len(partners) == 1:
            (partner,) = partners
            if len(partner) > 1 or len(pairs.get(partner, ())) > 1:
                prototypes[char] = partner  # paired with a centre (or a sequence): that is its prototype
            elif partner < char:
                prototypes[char] = partner  # a two-member class: the smaller one stands for both
    return {char: _settled(prototype, prototypes) for char, prototype in prototypes.items()}


def _settled(text: str, prototypes: dict[str, str]) -> str:
    """A prototype sequence with its own characters mapped too (a skeleton maps every character once)."""
    if len(text) == 1:
        return text
    return "".join(prototypes.get(ch, ch) for ch in text)
