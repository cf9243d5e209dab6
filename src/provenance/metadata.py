"""Metadata read from the text itself: title, source URL, date, author, dateline, wire credit, language.

Scraped news rarely arrives with clean metadata, so every field has a fallback found in the text,
and `found` records how each value was obtained. Values passed in `given` (jsonl fields, HTML
metadata found by trafilatura) win; the text only fills the gaps. Unknown stays None.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import functools
import itertools
import re
from urllib.parse import urlsplit

import numpy as np
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from provenance import agencies
from provenance.document import Segment
from provenance.segment import DATELINE_RE

FIELDS = ("title", "url", "date", "author", "dateline", "wire_credit", "language")

# --- language ------------------------------------------------------------------------------------

# Written news languages. Restricting py3langid to these keeps short German text from being
# called Luxembourgish or Frisian, and short English from Nigerian Pidgin (measured on insm).
NEWS_LANGUAGES = (
    "af ar az be bg bn bs ca cs cy da de el en es et eu fa fi fr ga gl he hi hr hu hy id is it "
    "ja ka kk ko lt lv mk ms mt nl no pl pt ro ru sk sl sq sr sv sw th tl tr uk ur vi zh"
).split()
LANGUAGE_SAMPLE_CHARS = 2000  # enough for a stable decision (200 already is on insm); more costs time
MIN_LETTERS = 20              # below this the classifier is guessing (under 90% right on insm)
MIN_CONFIDENCE = 0.7          # normalised probability; above it ~99.9% right on 20+ letters

_LANGUAGE_NAMES = {
    "german": "de", "deutsch": "de", "deu": "de", "ger": "de",
    "english": "en", "englisch": "en", "eng": "en",
    "french": "fr", "fra": "fr", "fre": "fr", "spanish": "es", "spa": "es",
    "italian": "it", "ita": "it", "dutch": "nl", "nld": "nl", "dut": "nl",
    "polish": "pl", "pol": "pl", "portuguese": "pt", "por": "pt", "russian": "ru", "rus": "ru",
    "turkish": "tr", "tur": "tr", "chinese": "zh", "zho": "zh", "chi": "zh",
}
_LETTER_RE = re.compile(r"[^\W\d_]")
_LANGUAGE_TAG_RE = re.compile(r"^([a-z]{2,3})(?:[-_][a-z0-9]{1,8})*$")


# py3langid's automaton forgets where it started after this many bytes: from any state, the same
# six bytes lead to the same state (tests/test_metadata.py checks the model byte by byte).
AUTOMATON_MEMORY = 6


class _Identifier(LanguageIdentifier):
    """py3langid's classifier with its walk over the text's bytes done by numpy.

    The library steps its automaton one byte at a time in Python, most of the time a detection
    takes. As the automaton forgets its start after AUTOMATON_MEMORY bytes, the state after byte
    i is the state reached from the start over bytes i-5..i alone (over all of them, near the
    beginning): six array look-ups over all positions at once give every state, hence the same
    feature counts in the same order, and the library's formula gives the same scores.
    """

    __slots__ = ("_moves", "_rows", "_outputs", "_table")

    def __init__(self, nb_ptc, nb_pc, nb_classes, tk_nextmove, tk_output, norm_probs=False, min_confidence=None, *, tk_row):
        # The automaton's tables stay arrays: the library makes a list of its row offsets (and
        # `from_model_file` of its outputs), a tenth of a one-article check, for its own walk.
        super().__init__(nb_ptc, nb_pc, nb_classes, tk_nextmove, tk_output, norm_probs, min_confidence, tk_row=())
        self.tk_row = tk_row
        self._moves = np.asarray(tk_nextmove)
        self._rows = np.asarray(tk_row, dtype=np.int64) << 8
        self._rowbase = self._rows  # the library's walk reads it for a text without features
        self._outputs = np.asarray(tk_output, dtype=np.int64)
        self._table = self.nb_ptc

    def set_languages(self, langs=None, table=None):
        """`table`: the `_table` these languages give, made before (`_identifier` keeps it); then
        the library's own selection of the languages' columns (reading the whole model from disk,
        which the table spares) is not made, and `nb_ptc` is the table."""
        if table is None or langs is None:
            super().set_languages(langs)
            # The same numbers, laid out by feature and widened once to the float32 the scoring
            # multiplies in: fetching a document's rows from the column-ordered float16 selection
            # and widening them costs more than scoring them.
            self._table = np.ascontiguousarray(self.nb_ptc, dtype=np.float32) if table is None else table
            return
        _, nb_pc, nb_classes = self._full_model
        wanted = set(langs)
        indices = [i for i, code in enumerate(nb_classes) if code in wanted]
        self.nb_classes = [nb_classes[i] for i in indices]
        self.nb_pc = nb_pc[indices]
        self.nb_ptc = self._table = table
        self._set_alias_pairs()

    def _raw_score(self, text: bytes):
        features, counts = self._visits(text)
        if not len(features):
            return super()._raw_score(text)  # no feature at all: the library's fill value
        return np.log1p(counts) @ self._table[features] + self.nb_pc  # py3langid's `_sparse_score`

    def _visits(self, text: bytes) -> tuple[np.ndarray, np.ndarray]:
        """Features met and their counts, in order of first occurrence, as py3langid's `visit_counts`."""
        codes = np.frombuffer(text, dtype=np.uint8).astype(np.int64)
        if not len(codes):
            return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.float32)
        first = self._moves[self._rows[0] + codes]  # windows of one byte
        states = first
        for _ in range(AUTOMATON_MEMORY - 1):  # window k ending at i = window k-1 ending at i-1, then byte i
            states = np.concatenate((first[:1], self._moves[self._rows[states[:-1]] + codes[1:]]))
        features = self._outputs[states]
        features = features[features >= 0]
        values, first_seen, counts = np.unique(features, return_index=True, return_counts=True)
        order = np.argsort(first_seen)
        return values[order].astype(np.intp), counts[order].astype(np.float32)


@functools.cache
def _identifier() -> LanguageIdentifier:
    """Our own py3langid instance, so restricting languages never changes the library's global.
    Made as `from_model_file` makes it, of the model's arrays kept in the cache: decompressing
    the shipped model takes a second, mapping the kept arrays from disk next to nothing."""
    from . import cache

    model = cache.arrays("py3langid", (cache.package_version("py3langid"), MODEL_FILE), _model_arrays)
    identifier = _model_identifier(model)
    identifier.set_languages(NEWS_LANGUAGES, table=model["news_table"])
    return identifier


def _model_identifier(model: dict[str, np.ndarray]) -> _Identifier:
    return _Identifier(
        np.asarray(model["ptc"]), np.asarray(model["pc"]), model["classes"].tolist(), model["nextmove"],
        model["output"], norm_probs=True, tk_row=model["row"],
    )


def _model_arrays() -> dict[str, np.ndarray]:
    """py3langid's model file, decompressed, as `LanguageIdentifier.from_model_file` reads it, and
    the scoring table of NEWS_LANGUAGES (widening it to float32 takes longer than a detection)."""
    from pathlib import Path

    from py3langid.langid import MODEL_DIR
    from py3langid.modelio import load_model

    path = Path(MODEL_FILE) if Path(MODEL_FILE).is_absolute() else MODEL_DIR / MODEL_FILE
    ptc, pc, classes, nextmove, row, output = load_model(path)
    model = {
        "ptc": ptc, "pc": pc, "classes": np.array(classes), "nextmove": np.asarray(nextmove),
        "row": np.asarray(row), "output": np.asarray(output),
    }
    identifier = _model_identifier(model)
    identifier.set_languages(NEWS_LANGUAGES)
    return model | {"news_table": identifier._table}


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of `text` from its first few thousand characters; None where it would be a guess."""
    if not isinstance(text, str):
        return None
    sample = text[:LANGUAGE_SAMPLE_CHARS]
    if sum(1 for _ in itertools.islice(_LETTER_RE.finditer(sample), MIN_LETTERS)) < MIN_LETTERS:
        return None
    language, confidence = _identifier().classify(sample)
    return language if confidence >= MIN_CONFIDENCE else None


def normalise_language(value) -> str | None:
    """'de', 'DE', 'de-DE', 'deu', 'German' → 'de'; anything else → None."""
    if not isinstance(value, str):
        return None
    value = value.strip().lower()
    if value in _LANGUAGE_NAMES:
        return _LANGUAGE_NAMES[value]
    match = _LANGUAGE_TAG_RE.match(value)
    if not match:
        return None
    code = match.group(1)
    return _LANGUAGE_NAMES.get(code, code if len(code) == 2 else None)


# --- dates ---------------------------------------------------------------------------------------

EARLIEST_YEAR = 1990                      # before online news; 8-digit ids often look like 19xx dates
LATEST_YEAR = dt.date.today().year + 1    # later than next year is an id, not a date

_MONTHS = {
    "januar": 1, "jänner": 1, "january": 1, "jan": 1,
    "februar": 2, "february": 2, "feb": 2,
    "märz": 3, "maerz": 3, "march": 3, "mär": 3, "mrz": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mai": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6,
    "juli": 7, "july": 7, "jul": 7,
    "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nov": 11,
    "dezember": 12, "december": 12, "dez": 12, "dec": 12,
}
_MONTH = "(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"

_ISO_RE = re.compile(
    r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
    r"(?:[T ](?P<time>\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)\s*(?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?)?$"
)
_COMPACT_RE = re.compile(r"^(?P<y>\d{4})(?P<sep>[/.]?)(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})$")
_NUMERIC_DMY_RE = re.compile(
    r"(?<![\d.])(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.\s?(?P<y>\d{4})(?!\d)"
    r"(?:,?\s+(?:um\s+)?(?P<hh>\d{1,2})[:.](?P<mm>\d{2})(?!\d))?"
)
_DAY_MONTH_YEAR_RE = re.compile(
    r"(?<!\d)(?P<d>\d{1,2})\.?\s+" + _MONTH + r",?\s+(?P<y>\d{4})(?!\d)", re.IGNORECASE
)
_MONTH_DAY_YEAR_RE = re.compile(
    r"\b" + _MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})(?!\d)", re.IGNORECASE
)
_RFC2822_RE = re.compile(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{2}:\d{2}")

# Dates in URL paths: /2024-07-03/, /2024/07/03/, -2024-07-03, _2024_07_03 …
_URL_DATE_RE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d\d)(?P<sep>[-/_.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)"
)
# … and compact ones that stand alone: /20240703/, article-20210304, _20240703.html
_URL_COMPACT_DATE_RE = re.compile(
    r"(?:(?<=[/_-])|(?<=article))(?P<y>(?:19|20)\d\d)(?P<m>\d\d)(?P<d>\d\d)(?=$|[/_.-])"
)
# UUIDs hold digit runs that look like dates (spiegel.de: a-19589233-21a8-…)
_UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)


def _valid_date(year, month, day) -> str | None:
    """'YYYY-MM-DD' for a real calendar date in the plausible range, else None."""
    try:
        year, month, day = int(year), int(month), int(day)
        if not EARLIEST_YEAR <= year <= LATEST_YEAR:
            return None
        return dt.date(year, month, day).isoformat()
    except (TypeError, ValueError):
        return None


def _month_number(name: str) -> int | None:
    return _MONTHS.get(name.lower().rstrip("."))


def parse_date(value) -> str | None:
    """A date as ISO 8601 ('YYYY-MM-DD', with the time where one was given), or None.

    Accepts ISO strings (kept as written), RFC 2822 feed dates, '04.03.2021', '4. März 2021',
    'July 3, 2024', '3 July 2024', '2021/03/04', '20210304'; rejects impossible dates.
    """
    if isinstance(value, dt.datetime):
        return value.isoformat() if _valid_date(value.year, value.month, value.day) else None
    if isinstance(value, dt.date):
        return _valid_date(value.year, value.month, value.day)
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    if not value:
        return None

    match = _ISO_RE.match(value)
    if match:
        day = _valid_date(match["y"], match["m"], match["d"])
        if day is None or not match["time"]:
            return day
        stamp = day + "T" + match["time"] + (match["tz"] or "")
        try:
            dt.datetime.fromisoformat(stamp)
        except ValueError:
            return day
        return stamp

    match = _COMPACT_RE.match(value)
    if match:
        return _valid_date(match["y"], match["m"], match["d"])

    if _RFC2822_RE.match(value):
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            parsed = None
        if parsed is not None:
            return parse_date(parsed)

    return date_in_text(value)


def date_in_text(text: str) -> str | None:
    """The first date written out in running text ('3. Juli 2024', 'July 3, 2024', '03.07.2024')."""
    if not isinstance(text, str):
        return None
    found = []
    for match in _NUMERIC_DMY_RE.finditer(text):
        day = _valid_date(match["y"], match["m"], match["d"])
        if day:
            if match["hh"] is not None and int(match["hh"]) < 24 and int(match["mm"]) < 60:
                day += f"T{int(match['hh']):02d}:{match['mm']}"
            found.append((match.start(), day))
            break
    for pattern in (_DAY_MONTH_YEAR_RE, _MONTH_DAY_YEAR_RE):
        for match in pattern.finditer(text):
            day = _valid_date(match["y"], _month_number(match["month"]), match["d"])
            if day:
                found.append((match.start(), day))
                break
    return min(found)[1] if found else None


def date_from_url(url: str) -> str | None:
    """The publication date many sites put in the URL path, e.g. /news/2024-07-03/…; None if absent."""
    if not isinstance(url, str):
        return None
    try:
        path = urlsplit(url.strip()).path
    except ValueError:
        return None
    path = _UUID_RE.sub("/", path)
    for pattern in (_URL_DATE_RE, _URL_COMPACT_DATE_RE):
        for match in pattern.finditer(path):
            day = _valid_date(match["y"], match["m"], match["d"])
            if day:
                return day
    return None


# --- URLs ----------------------------------------------------------------------------------------

_URL_IN_TEXT_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"«»“”„]+", re.IGNORECASE)
_URL_LINE_RE = re.compile(r"^\s*[<(\[]?\s*(?:https?://|www\.)\S+\s*$", re.IGNORECASE)
_SOURCE_LINE_RE = re.compile(
    r"^\s*(?:Quelle|Source|Original|Originalartikel|Originalmeldung|Link)\s*:\s*(?P<rest>.+)$",
    re.IGNORECASE,
)
_TRAILING_URL_PUNCT = ".,;:!?'\"’”»>"
_CLOSERS = {")": "(", "]": "[", "}": "{"}


def clean_url(candidate: str) -> str | None:
    """The first URL in `candidate`, minus sentence punctuation stuck to its end; otherwise as written.

    A trailing '-' stays (seed 000's CGTN URL ends with one); a closing bracket goes only when
    the URL has no matching opening one.
    """
    if not isinstance(candidate, str):
        return None
    match = _URL_IN_TEXT_RE.search(candidate)
    if not match:
        return None
    url = match.group(0)
    counts = {bracket: url.count(bracket) for bracket in "()[]{}"}
    end = len(url)
    while end:
        last = url[end - 1]
        if last in _TRAILING_URL_PUNCT:
            end -= 1
        elif last in _CLOSERS and counts[last] > counts[_CLOSERS[last]]:
            counts[last] -= 1
            end -= 1
        else:
            break
    url = url[:end]
    return url if len(url) > len("www.") and "." in url else None


# --- authors and credits -------------------------------------------------------------------------

_NAME_WORD = r"[A-ZÀ-ÖØ-Þ][\w'’\-]*\.?"
_PARTICLE = r"(?:von|van|de|der|den|del|di|da|du|la|le|zu|ten|ter|bin|al)"
_NAME = rf"{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_NAME_WORD}){{1,3}}"
_AUTHORS = rf"{_NAME}(?:\s*(?:,|&|\bund\b|\band\b)\s*{_NAME})*"
# "Von Max Muster", "By Jane Doe and John Roe", "Von Jochen Buchsteiner, London"
_BYLINE_LINE_RE = re.compile(
    rf"^\s*(?:Von|VON|By|BY|Text|Autor|Autorin)\s*:?\s+(?P<author>{_AUTHORS})"
    rf"(?:\s*,\s*{_NAME_WORD})?\s*$"
)
MAX_BYLINE_CHARS = 200  # a longer line is prose, whatever its first word
_BARE_NAME_RE = re.compile(rf"^\s*(?P<author>{_AUTHORS})\s*$")
_INITIALS_RE = re.compile(r"^\s*(?P<author>[A-ZÄÖÜ]{2,4})\s*$")
WIRE_AGENCIES = agencies.WIRE_CREDITS
# Services that distribute paid press releases (the text is the issuer's, not an agency's report).
RELEASE_SERVICES = agencies.RELEASE_CREDITS
# What an input's `kind` field calls a press release.
RELEASE_KINDS = frozenset("press_release pressrelease pressemitteilung pressemeldung presseinformation".split())


def is_release(document) -> bool:
    """A press release: the input says so (`kind`), or a release service distributed it."""
    kind = str((document.metadata or {}).get("kind") or "")
    if re.sub(r"[\s-]+", "_", kind.strip().casefold()) in RELEASE_KINDS:
        return True
    credit = (document.wire_credit or "").casefold()
    return any(part.replace(" ", "") in RELEASE_SERVICES for part in _CREDIT_SPLIT_RE.split(credit) if part)


def obtained_documents(document) -> list[str]:
    """The phrases in which a text says a document lay before a newsroom ('…, das der
    Süddeutschen Zeitung vorliegt', 'liegt dem SPIEGEL vor', 'seen by Reuters'): it reports the
    paper itself, which an organisation's press release about the same paper did not give it.
    Boilerplate lines left out (a teaser of another story says it of another paper)."""
    found = []
    for segment in document.segments:
        if segment.boilerplate or segment.kind not in ("sentence", "title"):
            continue
        text = document.text[segment.start:segment.end]
        found.extend(" ".join(match.group(0).split()) for match in _OBTAINED_RE.finditer(text))
    return found


_OBTAINED_RE = re.compile(
    r"\b(?:das|die|der|den|dem|welche[sm]?)\s+(?:der|dem|den)\s+[^.,;:!?()]{2,60}?\s+(?:exklusiv\s+|bereits\s+|nun\s+)?"
    r"vor(?:liegt|liegen|lag|lagen)\b"
    r"|\bliegt\s+(?:der|dem|den)\s+[^.,;:!?()]{2,60}?\s+(?:exklusiv\s+|bereits\s+|nun\s+)?vor\b"
    r"|\b(?:seen|obtained|reviewed)\s+by\s+(?:the\s+)?[A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*){0,3}"
)


_MATERIAL_PREFIX_RE = re.compile(r"^mit\s+Material\s+(?:von|der|aus)\s+", re.IGNORECASE)
_CREDIT_SPLIT_RE = re.compile(r"\s*(?:/|,|\bund\b|\band\b)\s*")
_DESK_CODE_RE = re.compile(r"^[a-z]{2,4}$")


def _credit_of(text: str) -> str | None:
    """'(dpa)', 'dpa/AFP', '(dpa/lno)', 'mit Material von dpa' alone on a line → the credit as written.

    Every part must be a known wire agency, or a regional desk code after one ('lno', 'lby').
    """
    credit = _collapse(_MATERIAL_PREFIX_RE.sub("", text.strip().strip("()-–— ")))
    if not credit:
        return None
    parts = [part.replace(" ", "") for part in _CREDIT_SPLIT_RE.split(credit)]
    if parts[0].lower() not in WIRE_AGENCIES:
        return None
    if all(part.lower() in WIRE_AGENCIES or _DESK_CODE_RE.match(part) for part in parts[1:]):
        return credit
    return None


def agency_copy(document) -> bool:
    """Whether the text is a news agency's copy as its outlet runs it: its wire credit is signed by
    agencies alone ('Berlin (dpa) -', 'Quelle: dpa/AFP'), not by the outlet's desk together with
    one ('RND/dpa', 'Quelle: ntv.de, mau/dpa', '(mit dpa)'), which is the outlet's own writing with
    agency material. A credit found in the prose ('sagte der Deutschen Presse-Agentur') says
    nothing either way: False. Read where `extract` found the credit, in the same order."""
    if not document.wire_credit:
        return False
    text, segments = document.text, document.segments
    dateline = _dateline_text(text, segments)
    if (dateline and _parse_dateline(dateline)[1]) or _credit_from_bylines(segments)[0]:
        return True  # `_credit_of`: agencies and their regional desks only
    written = sign_off(document)
    return written is not None and _signed_by_agencies(written)


# Where a credit is a sign-off, whose signers say whose text it is (not a mention in the prose).
_SIGNED_CREDITS = frozenset({"credit line", "author field", "credit at the end"})


def sign_off(document) -> str | None:
    """The wire credit's sign-off as written ('RND/dpa', 'Quelle: ntv.de, mau/dpa'), where the
    credit is one (a credit line, the author field, the last words), else None: who signs a
    text says whose text it is, and a copy elsewhere keeps the signature."""
    if not document.wire_credit:
        return None
    _, how, written = _credit_from_credit_lines(document.text, document.segments, document.author)
    return written if how in _SIGNED_CREDITS else None


def _signed_by_agencies(credit: str) -> bool:
    """'Quelle: dpa/AFP', '(dpa/lno)' → True; 'RND/dpa', 'Quelle: ntv.de, mau/dpa', '(Tsp, dpa)',
    'Quelle: dpa/nto.', 'mit Material von dpa' → False: the outlet's own desk signs too."""
    credit = _SOURCE_LABEL_RE.sub("", credit.strip().strip("()-–— "))
    if re.match(r"(?i)mit\b", credit):  # '(mit dpa)', 'Mit Material von dpa'
        return False
    parts = [part.strip(" ()") for part in re.split(r"[/,;]|\s+", credit) if part.strip(" .()")]
    agency = [part.rstrip(".").lower() in WIRE_AGENCIES for part in parts]
    # An agency's regional desk follows it bare ('dpa/lno'); an editor's abbreviation ends in a
    # full stop ('Quelle: dpa/nto.', F.A.Z. style).
    return bool(agency) and agency[0] and not any(
        part.endswith(".") and not is_agency for part, is_agency in zip(parts, agency)
    )


_SOURCE_LABEL_RE = re.compile(r"^(?:Quellen?|Source)\s*:\s*", re.IGNORECASE)


# The agency an English byline names after the writer ('By JANE DOE Associated Press'): the wire
# credit (`_AGENCY_CUES`), not part of the name, where a name of two words or more is left.
_BYLINE_AGENCY_RE = re.compile(r",?\s+(?:The\s+)?(?:Associated Press|Agence France-Presse|Reuters|AFP|Bloomberg(?: News)?)$")


def _author_of_byline(text: str) -> str | None:
    """The name(s) in a byline line: 'Von Max Muster' → 'Max Muster', 'NAG' → 'NAG',
    'By JANE DOE Associated Press' → 'JANE DOE'."""
    if len(text) > MAX_BYLINE_CHARS or _credit_of(text):
        return None
    for pattern in (_BYLINE_LINE_RE, _BARE_NAME_RE, _INITIALS_RE):
        match = pattern.match(text)
        if match:
            return _writer(match["author"])
    return None


def _writer(author: str) -> str:
    """A byline's name(s), whitespace collapsed and an agency after them left out (`_BYLINE_AGENCY_RE`)."""
    author = " ".join(author.split())
    writer = _BYLINE_AGENCY_RE.sub("", author)
    return writer if len(writer.split()) >= 2 else author  # 'By Anna Reuters' is a name


# --- fields --------------------------------------------------------------------------------------

MAX_TITLE_CHARS = 300  # a longer "first line" is a paragraph, not a headline
MAX_TITLE_LINES = 3
WRAP_SLACK = 1.2       # a wrapped line is at most about as long as the one before it
_FULL_STOP_END_RE = re.compile(r"(?<!\.)\.[\"'»«“”’)]*$")
# Markdown heading marks need a space after them; '#MeToo: …' is a hashtag headline.
_HEADING_MARKS_RE = re.compile(r"^\s*#{1,6}\s+|\s+#+\s*$")


def _collapse(value) -> str | None:
    """Whitespace and line wraps collapsed to single spaces; None for empty or non-text."""
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def _clean_title(value) -> str | None:
    value = _collapse(value)
    if value is None:
        return None
    return _collapse(_HEADING_MARKS_RE.sub("", value))


def _lines(text: str):
    """(start offset, line) for every line of `text`."""
    offset = 0
    for line in text.splitlines(keepends=True):
        yield offset, line.rstrip("\r\n")
        offset += len(line)


def _is_metadata_segment(segment: Segment) -> bool:
    return segment.boilerplate or segment.kind in ("dateline", "url", "debris")


def _title_from_text(text, segments):
    """(title, how): the title segment, else the first content line that reads as a headline."""
    return _title_segment(text, segments) or _first_line_title(text, segments)


def _title_segment(text, segments):
    titles = [s for s in segments if s.kind == "title"]
    if not titles:
        return None
    first = titles[0]
    title = _clean_title(" ".join(s.text for s in titles if s.paragraph == first.paragraph))
    if not title:
        return None
    return title, "first line" if not text[: max(first.start, 0)].strip() else "heading"


def _first_line_title(text, segments):
    skip = [(s.start, s.end) for s in segments if _is_metadata_segment(s)]
    block, ends, closed = [], [], False  # the first run of content lines; ended by a blank line?
    for start, line in _lines(text):
        stripped = line.strip()
        first_char = start + len(line) - len(line.lstrip())
        is_metadata = (
            any(a <= first_char < b for a, b in skip)
            or _URL_LINE_RE.match(line)
            or DATELINE_RE.match(line)
        )
        if block and (not stripped or is_metadata):
            closed = True
            break
        if stripped and not is_metadata:
            block.append(stripped)
            ends.append(start + len(line))
            if len(block) > MAX_TITLE_LINES:
                break
    if not block:
        return None, None
    # A short paragraph of its own is a headline hard-wrapped over lines (seed 000); otherwise
    # the first line is, as in "headline\nbody" records, unless it starts a wrapped sentence.
    # Either needs a body after it and no full stop at its end.
    candidates = []
    if closed and len(block) <= MAX_TITLE_LINES:
        candidates.append((" ".join(block), ends[-1]))
    if not _continues(segments, block, ends[0]):
        candidates.append((block[0], ends[0]))
    for candidate, end in candidates:
        if _FULL_STOP_END_RE.search(candidate):
            continue  # a sentence, not a headline (0.2% of insm headlines end so; the rest don't)
        title = _clean_title(candidate)
        if title and len(title) <= MAX_TITLE_CHARS and text[end:].strip():
            return title, "first line"
    return None, None


def _continues(segments, block, line_end) -> bool:
    """Whether the first line is the start of a hard-wrapped sentence rather than a headline.

    With segments: a sentence runs on past the line end. Without: the next line starts in lower
    case or is no longer than a wrapped line would be (a body after a headline is much longer).
    """
    if segments:
        return any(s.start < line_end < s.end for s in segments if s.kind == "sentence")
    if len(block) < 2:
        return False
    return block[1][:1].islower() or len(block[1]) <= WRAP_SLACK * len(block[0]) + 10


def _given_url(value) -> str | None:
    """A URL from metadata is kept as given; only a value with spaces in it is searched for one."""
    value = _collapse(value)
    if value and " " in value:
        return clean_url(value)
    return value


def _url_from_text(text, segments):
    for segment in segments:
        if segment.kind == "url":
            url = clean_url(segment.text)
            if url:
                return url, "url line"
    for _, line in _lines(text):
        if _URL_LINE_RE.match(line):
            url = clean_url(line)
            if url:
                return url, "url line"
    for _, line in _lines(text):
        match = _SOURCE_LINE_RE.match(line)
        if match:
            url = clean_url(match["rest"])
            if url:
                return url, "source line"
    return None, None


DATELINE_SEARCH_LINES = 5  # a dateline opens the article: look no further without segments


def _dateline_text(text, segments) -> str | None:
    """The dateline segment's text; with no segments at all, a dateline opening an early line."""
    for segment in segments:
        if segment.kind == "dateline":
            return segment.text
    if segments:
        return None
    lines = [line for _, line in _lines(text) if line.strip()][:DATELINE_SEARCH_LINES]
    for line in lines:
        match = DATELINE_RE.match(line)
        if match:
            return match.group(0)
    return None


def _parse_dateline(text: str):
    """(place, credit) from a dateline, both as written: 'NEW YORK, July 3, 2024 /PRNewswire/ --'."""
    match = DATELINE_RE.match(text.strip())
    if not match:
        return None, None
    place = match.groupdict().get("place")
    credit = match.groupdict().get("credit")
    place = _collapse(place)
    credit = _collapse(credit.strip(" ()/")) if credit else None
    return place, credit


def _author_from_text(text, segments):
    for segment in segments:
        if segment.kind == "debris" and segment.reason == "byline":
            author = _author_of_byline(segment.text)
            if author:
                return author, "byline"
    for _, line in _lines(text):
        match = len(line) <= MAX_BYLINE_CHARS and _BYLINE_LINE_RE.match(line)
        if match:
            return _writer(match["author"]), "byline"
    return None, None


def _credit_from_bylines(segments):
    for segment in segments:
        if segment.kind == "debris" and segment.reason == "byline":
            credit = _credit_of(segment.text)
            if credit:
                return credit, "byline"
    return None, None


# A news agency's signs, read inside a line; its bare forms ('TT') only where a credit stands alone.
_SIGNS = agencies.alternation(agencies.forms(agencies.NEWS, bare=False))
_AGENCY_TOKEN_RE = re.compile(rf"(?<![\w-])({_SIGNS})(?![\w-])")
_SUBSCRIBED = agencies.alternation(agency.name for agency in agencies.AGENCIES if agency.subscribed)
_AGENCY_CUES = (
    (re.compile(r"\bder Deutschen Presse-Agentur\b|\bdie Deutsche Presse-Agentur\b"), "dpa"),
    # a credit, not any body called so ('Foreign Press Association')
    (re.compile(r"\b(?:By|Source:)\s+(?:the\s+)?Press Association\b|\bPress Association (?:reporters?|news agency)\b"
                r"|\bPA (?:Media|news agency)\b"), "PA"),
    (re.compile(r"(?m)^\s*\(?Press Association\)?\s*$"), "PA"),
    (re.compile(r"\bAustralian Associated Press\b"), "AAP"),
    (re.compile(r"(?m)^\s*\(?The Canadian Press\)?\s*$|\bThis (?:report|story) by The Canadian Press\b"), "CP"),
    # AP's byline ('By JANE DOE Associated Press'), its contributors' line and its copyright line;
    # a story that cites an AP report names AP otherwise ('the Associated Press reported')
    (re.compile(r"^\s*By\s[^\n]{2,80}?,?\s+(?:The\s+)?Associated Press\s*$"
                r"|\b(?:The\s+)?Associated Press (?:writers?|reporters?|journalists?)\s+[A-Z][^\n]{0,120}?\bcontributed\b"
                r"|\bThe Associated Press contributed to this (?:report|story)\b"
                r"|(?:\bCopyright\s+|©\s*)(?:©\s*)?\d{4}\s+The Associated Press\b"
                r"|^\s*\(?(?:The\s+)?Associated Press\)?\s*$", re.MULTILINE), "AP"),
    # Reuters' sign-off: who reported and who edited ('(Reporting by Jane Doe; Editing by Bill Roe)')
    (re.compile(r"^\s*\(?(?:Additional\s+)?Reporting by\s[^\n]{2,300}?\b(?:Editing|Writing) by\s[^\n]{2,200}$"
                r"|©\s*(?:Thomson\s+)?Reuters\b|^\s*[—–-]\s*Reuters\s*$", re.MULTILINE), "Reuters"),
    (re.compile(r"^\s*[—–-]*\s*\(?Agence France-Presse\)?\s*$", re.MULTILINE), "AFP"),
    # 'With reporting from AFP', 'Additional reporting by Reuters': a sign-off line naming the agency
    (re.compile(rf"^\s*(?:With\s+)?(?:additional\s+)?reporting\s+(?:by|from)\s+(?:the\s+)?({_SIGNS})\b[^\n]{{0,60}}$",
                re.MULTILINE | re.IGNORECASE), None),
    (re.compile(rf"\bMit Material (?:von|der|aus)[^.\n]{{0,40}}?\b({_SUBSCRIBED})\b", re.IGNORECASE), None),
    (re.compile(rf"\bNachrichtenagentur(?:en)?\s+({_SUBSCRIBED})\b"), None),
)


# A credit run on after the last sentence rather than on a line of its own: "… Quelle: ntv.de,
# jpe/AFP/dpa", "… Dieser Artikel wurde verfasst von Anna Muster, dpa", "… RND/dpa", "… (dpa)".
CREDIT_TAIL_CHARS = 160
_CREDIT_TAIL_RE = re.compile(
    r"(?:\bQuellen?:|\bverfasst von\b)[^\n]{0,120}$"
    rf"|\b[A-Za-z]{{2,8}}(?:/[A-Za-z]{{2,8}})*/(?:{_SIGNS})\s*$"
    # 'RND mit dpa', 'RND/nis mit dpa': the outlet's desk wrote it with the agency's copy
    rf"|\b[A-Za-z]{{2,8}}(?:/[A-Za-z]{{2,8}})*\s+mit\s+(?:{_SIGNS})\s*$"
    rf"|\((?:{_SIGNS})(?:/[A-Za-z]{{2,5}})*\)\s*$"
)


# A picture's credit names the photo agency ("Quelle: imago images/AP/dpa"), not the text's source.
_PHOTO_CREDIT_RE = re.compile(
    r"imago|picture[ -]alliance|Getty|photothek|Shutterstock|Zentralbild|AP Photo|Archivbild|Symbolbild|Fotograf",
    re.IGNORECASE,
)


def agencies_in(text: str) -> list[str]:
    """Wire agencies named in a credit line or author field ('Quelle: ntv.de, mbo/AFP/dpa' → AFP, dpa)."""
    found = []
    for match in _AGENCY_TOKEN_RE.finditer(text or ""):
        name = agencies.agency_of(match.group(1)).name
        if name not in found:
            found.append(name)
    return found


def _credit_from_credit_lines(text, segments, given_author):
    """Agency credits scraped news carries outside a dateline: footer credit lines, the author
    field ('Cl/Dpa'), 'Mit Material von dpa', or dpa's own 'sagte der Deutschen Presse-Agentur'.
    (credit, how it was found, the credit as written), or three Nones."""
    for segment in segments:
        if _is_credit_line(segment):
            return "/".join(agencies_in(segment.text)), "credit line", segment.text
    if isinstance(given_author, str):
        credited = agencies_in(given_author)
        if credited:
            return "/".join(credited), "author field", given_author
    for pattern, agency in _AGENCY_CUES:
        match = pattern.search(text)
        if match:
            return agency or agencies.agency_of(match.group(1)).name, "text cue", match.group(0)
    end = text.rstrip()[-CREDIT_TAIL_CHARS:]
    tail = _CREDIT_TAIL_RE.search(end)
    if tail and not _PHOTO_CREDIT_RE.search(end[max(0, tail.start() - 40):]):
        credited = agencies_in(tail.group())
        if credited:
            return "/".join(credited), "credit at the end", tail.group()
    return None, None, None


def _is_credit_line(segment) -> bool:
    """A footer line that credits the text (not a picture) to wire agencies: 'Quelle: dpa', 'RND/dpa'."""
    return (
        segment.kind == "debris" and segment.reason in ("credit", "byline")
        and not segment.text.startswith(("Bild", "Foto", "©")) and not _PHOTO_CREDIT_RE.search(segment.text)
        and bool(agencies_in(segment.text))
    )


def _content_text(text, segments) -> str:
    """The words of the article without boilerplate, for language detection."""
    content, size = [], 0
    for segment in segments:
        if not _is_metadata_segment(segment):
            content.append(segment.text)
            size += len(segment.text) + 1
            if size >= LANGUAGE_SAMPLE_CHARS:
                break
    return " ".join(content) if content else text


def extract(text: str, segments: list[Segment], given: dict) -> tuple[dict, dict]:
    """(fields, found): title, url, date, author, dateline, wire_credit, language, and how each was found.

    `given` holds what the input record or the HTML metadata said; it wins over the text, and
    the text fills the gaps. Never raises: unknown values are None and absent from `found`.
    """
    text = text if isinstance(text, str) else ""
    segments = [
        s for s in segments or ()
        if isinstance(s, Segment) and isinstance(s.text, str)
        and isinstance(s.start, int) and isinstance(s.end, int)
    ]
    given = given if isinstance(given, dict) else {}
    fields = dict.fromkeys(FIELDS)
    found = {}

    def put(key, value, how):
        if value and fields[key] is None:
            fields[key] = value
            found[key] = how

    put("title", _clean_title(given.get("title")), "given")
    if fields["title"] is None:
        put("title", *_title_from_text(text, segments))

    put("url", _given_url(given.get("url")), "given")
    if fields["url"] is None:
        put("url", *_url_from_text(text, segments))

    dateline = _dateline_text(text, segments)
    place, credit = _parse_dateline(dateline) if dateline else (None, None)
    put("dateline", place, "dateline")
    put("wire_credit", credit, "dateline")
    if fields["wire_credit"] is None:
        put("wire_credit", *_credit_from_bylines(segments))
    if fields["wire_credit"] is None:
        put("wire_credit", *_credit_from_credit_lines(text, segments, given.get("author"))[:2])

    put("date", parse_date(given.get("date")), "given")
    put("date", date_from_url(fields["url"]), "url path")
    put("date", date_in_text(dateline) if dateline else None, "dateline")

    author = _collapse(given.get("author"))
    if author and author.lower().rstrip(":") not in ("von", "by", "text", "autor"):
        put("author", author, "given")
    if fields["author"] is None:
        put("author", *_author_from_text(text, segments))

    put("language", normalise_language(given.get("language")), "given")
    if fields["language"] is None:
        put("language", detect_language(_content_text(text, segments)), "detected")

    return fields, found
