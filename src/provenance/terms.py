"""Content terms of a document: stemmed words, how informative each is, numbers.

Rewrites change the wording but keep the informative words (names, places, figures,
unusual nouns) and their stems. How informative a word is comes from its frequency in
the language at large (wordfreq ships those lists inside the package), not from the corpus,
so the same pair of texts scores the same in a corpus of two or of two million.
"""
from __future__ import annotations

import bisect
import math
import pickle
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import Stemmer

from . import cache
from .document import Document
from .fingerprint import Word, segment_words

STEMMERS = {
    "de": "german", "en": "english", "fr": "french", "es": "spanish", "it": "italian", "nl": "dutch",
    "pt": "portuguese", "sv": "swedish", "da": "danish", "no": "norwegian", "fi": "finnish",
    "ru": "russian", "hu": "hungarian", "ro": "romanian", "tr": "turkish",
}
# Zipf frequency (log10 per billion words): "und" 7.4, "Handelspartner" 3.0, unseen words 0.
_FUNCTION_WORD_ZIPF = 5.6
_RARE_ZIPF = 7.0
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)*$")
# Words that date what a sentence tells from the day it was written, in days: a wire story
# filed on the day of a hearing says 'today', the next morning's paper 'yesterday'.
RELATIVE_DAYS = {
    "heute": 0, "gestern": -1, "vorgestern": -2, "today": 0, "yesterday": -1, "tonight": 0,
}


@dataclass
class Unit:
    """One content sentence (or title) of a document, ready for matching."""

    segment: int
    start: int
    end: int
    words: list[Word]
    stems: dict[str, float] = field(default_factory=dict)  # stem -> weight (0..1)
    numbers: frozenset[str] = frozenset()
    quoted: list[bool] = field(default_factory=list)  # per word: inside quotation marks
    kind: str = "sentence"                              # or "title"

    @property
    def weight(self) -> float:
        return sum(self.stems.values())


@lru_cache(maxsize=None)
def _stemmer(language: str):
    return Stemmer.Stemmer(STEMMERS.get(language, "english"))


@lru_cache(maxsize=500_000)
def word_weight(form: str, language: str) -> float:
    """0 for function words, rising to 1 for words rare in the language (and numbers)."""
    if _NUMBER.match(form):
        return 1.0 if len(form) > 1 else 0.3
    if len(form) < 2:
        return 0.0
    zipf = zipf_of(form, language if language in STEMMERS else "en")
    if zipf >= _FUNCTION_WORD_ZIPF:
        return 0.0
    return min(1.0, (_FUNCTION_WORD_ZIPF - zipf) / (_FUNCTION_WORD_ZIPF - 1.5))


# Languages whose wordfreq lookup is a plain case-folded, NFC dictionary lookup for
# alphabetic words (no Turkish dotless i, no Romanian comma rules); checked word for word
# against zipf_frequency on German, English and French text.
_PLAIN_LOOKUP = frozenset("de en fr es it nl pt sv da no fi".split())


@lru_cache(maxsize=None)
def _wordfreq():
    """The wordfreq package, imported on first need (building a table, or a word `zipf_of` does not
    read off the table itself): with ftfy and langcodes it takes ~0.25 s, a quarter of a
    one-article check. Its `get_frequency_dict` is pointed at `_frequency_dict` on import."""
    import wordfreq

    if not hasattr(wordfreq.get_frequency_dict, "library"):
        _frequency_dict.library = wordfreq.get_frequency_dict
        wordfreq.get_frequency_dict = _frequency_dict
    return wordfreq


def _library_frequency_dict(lang: str, wordlist: str = "best", match_cutoff: None = None) -> Mapping[str, float]:
    return _wordfreq().get_frequency_dict.library(lang, wordlist, match_cutoff)


@lru_cache(maxsize=None)
def _frequencies(language: str) -> Mapping[str, float]:
    """wordfreq's own table for `zipf_frequency`, kept in the cache and read word by word: building
    it takes ~0.3 s a language, more than a one-article check needs of it."""
    return cache.table(
        f"wordfreq-{language}", (language, cache.package_version("wordfreq")), lambda: _library_frequency_dict(language, "best"),
    )


def _frequency_dict(lang: str, wordlist: str = "best", match_cutoff: None = None) -> Mapping[str, float]:
    """wordfreq's `get_frequency_dict`, answered from `_frequencies` for the table we use, so that
    `zipf_frequency` reads the same one copy (the library looks the function up by its name)."""
    if wordlist == "best" and match_cutoff is None:
        return _frequencies(lang)
    return _library_frequency_dict(lang, wordlist, match_cutoff)


# Word forms whose wordfreq tokens are plain to tell: Latin letters and decimal digits, joined by
# hyphens, dots, apostrophes or underscores (the only joiners a word form has). wordfreq's
# tokenizer follows Unicode's word breaks: a hyphen always breaks; a dot or apostrophe breaks
# unless it stands between two letters or between two digits; an underscore never breaks; and
# one or two characters before an apostrophe and a vowel are a French article of their own.
_LATIN_END = "\u0250"
_ELISION = re.compile(r"(\w\w?')[aehiouyáéíóúàèìòùâêîôûåïöœ]")
_DIGITS = re.compile(r"\d")
_MULTI_DIGIT = re.compile(r"\d[\d.,]+")
_BENFORD = [0.009, 0.300, 0.175, 0.124, 0.096, 0.078, 0.066, 0.057, 0.050, 0.045]


def _plain_tokens(form: str) -> list[str] | None:
    """wordfreq's tokens of `form` (case-folded, NFC), or None where telling them needs its tokenizer."""
    form = unicodedata.normalize("NFC", form).casefold()
    if not form or max(form) >= _LATIN_END or not all(ch.isalpha() or ch.isdecimal() or ch in ".'-_" for ch in form):
        return None
    tokens = []
    for piece in form.split("-"):
        start = 0
        for at in range(len(piece) + 1):
            if at < len(piece):
                if piece[at] not in ".'":
                    continue
                before, after = piece[at - 1: at], piece[at + 1: at + 2]
                if (before.isalpha() and after.isalpha()) or (before.isdecimal() and after.isdecimal()):
                    continue
            token = piece[start:at]
            while (elided := _ELISION.match(token)) is not None:
                tokens.append(elided.group(1))
                token = token[elided.end(1):]
            tokens.append(token)
            start = at + 1
    # An apostrophe or a hyphen at the edge of the form ('einfach', Zivilschutzes', -foo) is
    # no token of its own: wordfreq drops it, as it drops a form of nothing else (an empty list).
    return [token for token in (token.strip("'") for token in tokens) if token]


def _figure_frequency(digits: str) -> float:
    """wordfreq's estimate for one run of digits (`wordfreq.numbers`): Benford's law, with a
    plateau for four-digit years."""
    benford = _BENFORD[int(digits[0])] / 10 ** (len(digits) - 1)
    if len(digits) != 4:
        return benford
    year = int(digits)
    if year <= 2019:
        log_frequency = -1.9185 - 0.0083 * (2019 - year)
    elif year <= 2039:
        log_frequency = -1.9185
    else:
        log_frequency = -1.9185 - 0.2 * (year - 2039)
    return 10.0 ** log_frequency + 0.1 * benford


def _smashed(token: str) -> tuple[str, float]:
    """The token as wordfreq's table keys it (runs of two or more digits as zeros) and the
    factor for the figures that hides."""
    factor = 1.0
    for run in _MULTI_DIGIT.findall(token):
        for digits in re.findall(r"\d+", run):
            factor *= _figure_frequency(digits)
    return _MULTI_DIGIT.sub(lambda match: _DIGITS.sub("0", match.group()), token), factor


def _tokens_zipf(tokens: list[str], language: str) -> float:
    """`zipf_frequency` of a word made of `tokens`, as wordfreq combines them: 1/f = 1/f1 + 1/f2 …,
    never below 1e-9 (Zipf 0, the library's floor), rounded to three significant digits; 0 when
    a token is not in the table."""
    if not tokens:
        return 0.0
    table = _frequencies(language)
    inverse = 0.0
    for token in tokens:
        smashed, factor = _smashed(token)
        frequency = table.get(smashed)
        if frequency is None:
            return 0.0
        inverse += 1.0 / (frequency * factor if smashed != token else frequency)
    frequency = max(1.0 / inverse, 1e-9)
    frequency = round(frequency, math.floor(-math.log(frequency, 10)) + 3)
    return round(math.log(frequency, 10) + 9, 2)


def zipf_of(form: str, language: str) -> float:
    """wordfreq's Zipf frequency; read off its table directly, which spares wordfreq's tokenizer
    (~60 µs a word, minutes over a large corpus) and, for most articles, importing the library,
    and gives the same number (tests/test_fingerprint.py compares them)."""
    if language in _PLAIN_LOOKUP:
        if form.isalpha():
            frequency = _frequencies(language).get(unicodedata.normalize("NFC", form).casefold(), 0.0)
            return round(math.log10(frequency) + 9, 2) if frequency else 0.0
        tokens = _plain_tokens(form)
        if tokens is not None:
            return _tokens_zipf(tokens, language)
    return _wordfreq().zipf_frequency(form, language)


def stems_of(forms: list[str], language: str) -> list[str]:
    return _stemmer(language if language in STEMMERS else "en").stemWords(forms)


def number_value(form: str) -> str:
    """'41', '41,0' and '41.0' are one figure; thousands separators dropped in both styles."""
    digits = form.replace(".", "").replace(",", "") if re.match(r"^\d{1,3}([.,]\d{3})+$", form) else form
    digits = digits.replace(",", ".")
    if "." in digits:
        digits = digits.rstrip("0").rstrip(".")
    return digits


# A paragraph-long statement („…“, »…«: opening and closing marks differ, so a span cannot pair
# the end of one quotation with the start of the next) may run to QUOTE_CHARACTERS; with marks
# that open and close alike (", and «…» where »…« is the house style) a long span is more often
# the text between two quotations, so those stop at SHORT_QUOTE_CHARACTERS.
QUOTE_CHARACTERS = 1500
SHORT_QUOTE_CHARACTERS = 600
_QUOTE_SPAN = re.compile(
    rf'„[^„“”"\n]{{1,{QUOTE_CHARACTERS}}}[“”"]|»[^»«\n]{{1,{QUOTE_CHARACTERS}}}«'
    rf'|“[^“”\n]{{1,{SHORT_QUOTE_CHARACTERS}}}”|"[^"\n]{{1,{SHORT_QUOTE_CHARACTERS}}}"|«[^«»\n]{{1,{SHORT_QUOTE_CHARACTERS}}}»'
)


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of quoted wording („…“, "…", »…«, «…») in the original text."""
    return [match.span() for match in _QUOTE_SPAN.finditer(text)]


def inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) lies within one of `spans` (sorted, not overlapping)."""
    i = bisect.bisect_right(spans, (start, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= start and end <= spans[i][1]


@lru_cache(maxsize=500_000)
def term(form: str, language: str) -> tuple[str, float, bool]:
    """(stem, weight, is a figure) of one word; a figure's "stem" is its `number_value`.

    Cached: the same words recur in every sentence and document, and one dictionary look-up
    costs less than stemming and weighing the word again.
    """
    weight = word_weight(form, language)
    if _NUMBER.match(form):
        return number_value(form), weight, True
    return _stemmer(language if language in STEMMERS else "en").stemWord(form), weight, False


# `term` of each word form met, by language: a plain dictionary look-up per word, cheaper than
# the lru_cache's (a key tuple per call); emptied when it grows past TERM_TABLE_LIMIT forms.
_TERM_TABLES: dict[str, dict[str, tuple[str, float, bool]]] = {}
TERM_TABLE_LIMIT = 500_000


def _term_table(language: str) -> dict[str, tuple[str, float, bool]]:
    table = _TERM_TABLES.get(language)
    if table is None or len(table) > TERM_TABLE_LIMIT:
        table = _TERM_TABLES[language] = {}
    return table


def units(doc: Document) -> list[Unit]:
    """The document's matchable sentences; boilerplate never counts."""
    language = doc.language or "en"
    table = _term_table(language)
    known = table.get
    text = doc.text
    spans = quote_spans(text)
    out = []
    for segment in doc.segments:
        if segment.boilerplate or segment.kind not in ("sentence", "title"):
            continue
        words = segment_words(text, segment)
        if not words:
            continue
        stems: dict[str, float] = {}  # stem -> its highest weight, in order of first use
        numbers = set()
        for word in words:
            found = known(word[0])
            if found is None:
                found = table[word[0]] = term.__wrapped__(word[0], language)
            stem, weight, figure = found
            if figure:
                numbers.add(stem)
            if weight > stems.get(stem, 0.0):
                stems[stem] = weight
        near = overlapping(spans, segment.start, segment.end) if spans else None
        quoted = [inside(near, w.start, w.end) for w in words] if near else [False] * len(words)
        out.append(Unit(segment.n, segment.start, segment.end, words, stems, frozenset(numbers), quoted, segment.kind))
    return out


def pack_units(doc_units: list[Unit]) -> bytes:
    """The units as a few kilobytes that `unpack_units` turns back into equal units: plain
    strings, numbers and flags, where the units themselves hold a Python object per word."""
    return pickle.dumps([
        (u.segment, u.start, u.end, u.kind, [w.form for w in u.words], [w.start for w in u.words],
         [w.end for w in u.words], u.stems, u.numbers, u.quoted)
        for u in doc_units
    ], protocol=pickle.HIGHEST_PROTOCOL)


def unpack_units(packed: bytes) -> list[Unit]:
    return [
        Unit(segment, start, end, list(map(Word, forms, starts, ends)), stems, numbers, quoted, kind)
        for segment, start, end, kind, forms, starts, ends, stems, numbers, quoted in pickle.loads(packed)
    ]


def union_spans(spans) -> list[tuple[int, int]]:
    """The spans, sorted, with those that overlap or touch merged into one: the form
    `overlapping` and `inside` expect."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(set(spans)):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def overlapping(spans: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The spans (sorted, not overlapping) that overlap [start, end): `inside` gives the same
    answer from them for any word in [start, end), and most sentences have none."""
    first = bisect.bisect_right(spans, (start, float("inf"))) - 1
    first = max(first, 0)
    last = bisect.bisect_left(spans, (end, -1))
    return [span for span in spans[first:last] if span[1] > start]


def anchor_terms(doc_units: list[Unit], limit: int = 80) -> list[str]:
    """The document's most informative stems: what candidate search indexes it by."""
    best: dict[str, float] = {}
    for unit in doc_units:
        for stem, weight in unit.stems.items():
            if weight >= 0.5:
                best[stem] = max(weight, best.get(stem, 0.0))
    return [stem for stem, _ in sorted(best.items(), key=lambda item: (-item[1], item[0]))[:limit]]


_QUOTED = re.compile(r'"([^"]{20,400})"')
_QUOTE_WORDS = 5
# The only characters that normalise to '"' (tests/test_normalize.py checks every code point):
# a segment without any has no quotation, and needs no normalising to tell.
QUOTE_SOURCES = '"„“”‟«»″〝〞＂'
_QUOTE_SOURCE = re.compile(f"[{QUOTE_SOURCES}]")


def quotations(doc: Document) -> list[str]:
    """Normalised, case-folded wording inside quotation marks (five words or more)."""
    from .normalize import normalize

    found = []
    for segment in doc.segments:
        if segment.boilerplate or not _QUOTE_SOURCE.search(doc.text, segment.start, segment.end):
            continue
        text = normalize(doc.text, segment.start, segment.end).text
        for match in _QUOTED.finditer(text):
            words = re.findall(r"\w+", match.group(1).casefold())
            if len(words) >= _QUOTE_WORDS:
                found.append(" ".join(words))
    return sorted(set(found))
