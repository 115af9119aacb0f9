"""Vietnamese text handling shared by every app: NFC normalisation, tone-insensitive search
keys and a Vietnamese sort key.

`đ`/`Đ` have no Unicode decomposition, so stripping combining marks alone would leave them;
they are mapped to `d` explicitly.
"""

import functools
import re
import unicodedata

# Vietnamese alphabet order; letters with a tone mark sort by their base letter first.
_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_LETTER_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}
# Tone order used as the tie-breaker: none, huyền, sắc, hỏi, ngã, nặng.
_TONE_RANK = {"": 0, "\u0300": 1, "\u0301": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}
_SHAPE_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve (ă), circumflex (â ê ô), horn (ơ ư)


def clean_text(value: str | None) -> str:
    """NFC-normalise, trim and collapse inner white space. None becomes ''."""
    if value is None:
        return ""
    # split() and \s+ know the same white space (str.isspace); this is the faster of the two.
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def clean_paragraphs(value: str | None) -> str:
    """NFC-normalise a multi-line text: lines trimmed with inner white space collapsed,
    Windows line ends unified, runs of blank lines reduced to one; paragraphs are kept."""
    if value is None:
        return ""
    lines = [clean_text(line) for line in str(value).replace("\r\n", "\n").split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# An apostrophe or hyphen between two letters ("S'tiêng", "M’nông", "Xơ-đăng"): people type
# these names with it, without it or with another apostrophe, so the search key drops it.
_INNER_PUNCTUATION = re.compile(r"(?<=[^\W\d_])['’ʼ‘`´\-‐](?=[^\W\d_])")


def search_key(value: str | None) -> str:
    """Lower-case, tone-mark-free, đ→d form used for searching ('Bù Gia Mập' → 'bu gia map');
    an apostrophe or hyphen inside a word is dropped ('S'tiêng' → 'stieng')."""
    # Word by word, each word's key remembered: the import keys 50,000 rows whose words
    # repeat. The same key as for the whole text: no step acts across a space (decomposition
    # and mark removal are per character; the punctuation rule needs letters on both sides).
    # The words are split straight from the NFC text: the same words `clean_text` would join
    # with single spaces (lower-casing adds and removes no white space, and treats any run of
    # it as one word boundary), without building that text first.
    if value is None:
        return ""
    return " ".join(map(_word_key, unicodedata.normalize("NFC", str(value)).lower().split()))


@functools.lru_cache(maxsize=65536)
def _word_key(word: str) -> str:
    text = unicodedata.normalize("NFD", word)
    if max(text, default="") <= "\uffff":
        text = text.translate(_bmp_combining())  # C speed
    else:
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return join_inner_punctuation(text.replace("đ", "d"))


@functools.cache
def _bmp_combining() -> dict[int, None]:
    """The combining marks of the Basic Multilingual Plane, to delete with str.translate
    (built once per process, ~30 ms)."""
    return {cp: None for cp in range(0x10000) if unicodedata.combining(chr(cp))}


def join_inner_punctuation(key: str) -> str:
    """Drop an apostrophe or hyphen between two letters; applied to a stored search key it
    gives the key `search_key` makes today (the data migrations that recompute them use it)."""
    return _INNER_PUNCTUATION.sub("", key)


def vi_sort_key(value: str | None) -> tuple:
    """Sort key placing names in Vietnamese dictionary order ('Đà Nẵng' after 'Dương')."""
    letters: list[int] = []
    tones: list[int] = []
    for ch in clean_text(value).lower():
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], decomposed[1:]
        shaped = unicodedata.normalize("NFC", base + "".join(m for m in marks if m in _SHAPE_MARKS))
        tone = next((m for m in marks if m in _TONE_RANK), "")
        letters.append(
            _LETTER_RANK.get(shaped, 1000 + ord(shaped)) if shaped.isalpha() else ord(shaped) - 1000
        )
        tones.append(_TONE_RANK[tone])
    return (letters, tones)
