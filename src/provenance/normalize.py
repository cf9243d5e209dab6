"""Normalised text for matching, with an exact map back to the original characters.

Matching compares normalised text (NFKC, one quote style, one dash, single spaces, line-wrap
hyphenation undone), but every span the project reports must point into the original text.
So each normalised character records where its source characters start and end.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import regex  # installed with syntok; its \X finds grapheme clusters for NFKC

# One-to-one replacements, applied before NFKC (NFKC would turn "´" into " ́").
_CHAR_MAP = {
    **dict.fromkeys("„“”‟«»″〝〞＂", '"'),
    **dict.fromkeys("‚‘’‛‹›´′`", "'"),
    **dict.fromkeys("‐‑‒–—―−﹘﹣－", "-"),
}
_CHAR_RE = re.compile("[" + "".join(_CHAR_MAP) + "]")

# Invisible characters that only break matching: soft hyphen, zero-width spaces and joiners, BOM.
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"

# A hyphen (or soft hyphen) ending a line between two letters: a candidate line-wrap hyphenation.
# Whitespace other than a plain single space, or any invisible character, starts a run to rewrite.
_SPECIAL = re.compile(
    r"(?P<wrap>(?<=[^\W\d_])[-\u00ad][ \t\u00a0]*\r?\n[ \t\u00a0]*(?=[^\W\d_]))"
    rf"|(?P<space>(?:[ ](?=[\s{_INVISIBLE}])|[^\S ]|[{_INVISIBLE}])[\s{_INVISIBLE}]*)"
)
_WORD = re.compile(r"[^\W\d_]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_CLUSTER = regex.compile(r"\X")

# After "Handels-\n" these words show a real ellipsis compound ("Handels- und Wirtschafts..."),
# not a word broken at the line end.
CONJUNCTIONS = frozenset(
    "und oder bis sowie als bzw beziehungsweise wie noch statt sondern versus and or to nor".split()
)


@dataclass(frozen=True)
class Normalized:
    """Normalised text with, per character, the original span its source characters occupy.

    `offsets` has len(text) + 1 entries: offsets[i] is where the source of character i starts,
    and the last entry is where the source of the last character ends. `ends[i]` is where the
    source of character i ends; characters made from one source ("ﬁ" -> "fi") share the span.
    """

    text: str
    offsets: list[int]
    ends: list[int]


def normalize(original: str, start: int = 0, end: int | None = None) -> Normalized:
    """Normalise original[start:end] for matching, keeping an exact per-character offset map."""
    end = len(original) if end is None else end
    if not 0 <= start <= end <= len(original):
        raise ValueError(f"span {start}:{end} outside text of length {len(original)}")
    span = original[start:end]
    if _CHAR_RE.search(span):
        span = _CHAR_RE.sub(lambda m: _CHAR_MAP[m.group()], span)

    out = _Builder(span, start)
    pos = 0
    for match in _SPECIAL.finditer(span):
        out.text_run(pos, match.start())
        if match.lastgroup == "wrap":
            _unwrap(out, span, match)
        elif any(c.isspace() for c in match.group()):
            out.mapped(" ", match.start(), match.end())
        pos = match.end()
    out.text_run(pos, len(span))
    return out.result()


def original_span(norm: Normalized, i: int, j: int) -> tuple[int, int]:
    """The original span [s, e) holding exactly the source characters of normalised text[i:j]."""
    if not 0 <= i <= j <= len(norm.text):
        raise ValueError(f"span {i}:{j} outside normalised text of length {len(norm.text)}")
    if i == j:
        return norm.offsets[i], norm.offsets[i]
    return norm.offsets[i], norm.ends[j - 1]


def _unwrap(out: _Builder, span: str, match: re.Match) -> None:
    """Undo a hyphen at a line end when it only split a word there.

    "Zusammen-\\narbeit" -> "Zusammenarbeit"; "China-\\nZentralasien" keeps its hyphen;
    "Handels-\\nund" -> "Handels- und".
    """
    hyphen = match.start()
    word = _WORD.match(span, match.end()).group()
    if word.lower() in CONJUNCTIONS:
        out.mapped("-", hyphen, hyphen + 1)
        out.mapped(" ", hyphen + 1, match.end())
    elif span[hyphen - 1].islower() and word[0].islower():
        return
    elif span[hyphen] == "-":
        out.mapped("-", hyphen, hyphen + 1)


class _Builder:
    """Collects normalised pieces and their source spans; plain runs map one to one."""

    def __init__(self, span: str, base: int):
        self.span = span
        self.base = base
        self.parts: list[str] = []
        self.offsets: list[int] = []
        self.ends: list[int] = []

    def plain(self, a: int, b: int) -> None:
        if a < b:
            self.parts.append(self.span[a:b])
            self.offsets.extend(range(self.base + a, self.base + b))
            self.ends.extend(range(self.base + a + 1, self.base + b + 1))

    def mapped(self, piece: str, a: int, b: int) -> None:
        self.parts.append(piece)
        self.offsets.extend([self.base + a] * len(piece))
        self.ends.extend([self.base + b] * len(piece))

    def text_run(self, a: int, b: int) -> None:
        """Copy span[a:b] (no whitespace but single spaces), applying NFKC per cluster."""
        run = self.span[a:b]
        if run.isascii() or unicodedata.is_normalized("NFKC", run):
            self.plain(a, b)
            return
        pos = a
        for chunk in _NON_ASCII.finditer(self.span, a, b):
            first = max(chunk.start() - 1, pos)  # the base character of a combining sequence
            self.plain(pos, first)
            if unicodedata.is_normalized("NFKC", self.span[first:chunk.end()]):
                self.plain(first, chunk.end())
            else:
                self._clusters(first, chunk.end())
            pos = chunk.end()
        self.plain(pos, b)

    def _clusters(self, a: int, b: int) -> None:
        plain_from = a
        for cluster in _CLUSTER.finditer(self.span, a, b):
            text = cluster.group()
            norm = unicodedata.normalize("NFKC", text)
            if norm == text:
                continue
            self.plain(plain_from, cluster.start())
            norm = _CHAR_RE.sub(lambda m: _CHAR_MAP[m.group()], norm)
            if norm:
                self.mapped(norm, cluster.start(), cluster.end())
            plain_from = cluster.end()
        self.plain(plain_from, b)

    def result(self) -> Normalized:
        text = "".join(self.parts)
        offsets, ends = self.offsets, self.ends
        stripped = text.strip(" ")
        if len(stripped) != len(text):
            lead = len(text) - len(text.lstrip(" "))
            offsets = offsets[lead:lead + len(stripped)]
            ends = ends[lead:lead + len(stripped)]
            text = stripped
        offsets.append(ends[-1] if ends else self.base)
        return Normalized(text, offsets, ends)
