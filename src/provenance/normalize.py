"""Normalised text for matching, with an exact map back to the original characters.

Matching compares normalised text (NFKC, one quote style, one dash, single spaces, line-wrap
hyphenation undone), but every span the project reports must point into the original text.
So each normalised character knows which original characters it came from.

The map is kept as a short list of pieces (a run copied one to one, or a few characters made
from one source such as "ﬁ" -> "fi" or a whitespace run -> " "), because 51 MB of news pass
through here and almost all of it is copied unchanged; `offsets`/`ends` expand it on demand.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

import regex  # installed with syntok; its \X finds grapheme clusters for NFKC

# One-to-one replacements, applied before NFKC (NFKC would turn "´" into " ́").
_CHAR_MAP = {
    **dict.fromkeys("„“”‟«»″〝〞＂", '"'),
    **dict.fromkeys("‚‘’‛‹›´′`", "'"),
    **dict.fromkeys("‐‑‒–—―−﹘﹣－", "-"),
}
_CHAR_RE = re.compile("[" + "".join(_CHAR_MAP) + "]")

# Every character str.isspace() accepts, and invisible characters that only break matching
# (soft hyphen, zero-width spaces and joiners, BOM).
_SPACES = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
BLANKS = "".join(c for c in map(chr, range(0x3001)) if c.isspace()) + _INVISIBLE
# Runs to rewrite start with whitespace other than a plain space, or with an invisible character
# (a character class first lets the regex engine skip ahead fast); runs of plain spaces separately.
_RUN = re.compile(f"[{_SPACES.replace(' ', '')}{_INVISIBLE}][{_SPACES}{_INVISIBLE}]*")
_SPACE_RUN = re.compile(f"  +[{_SPACES}{_INVISIBLE}]*")
_WRAP_SPACE = re.compile(r"\u00ad?[ \t\u00a0]*\r?\n[ \t\u00a0]*")
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
    """Normalised text and where each of its characters came from in the original.

    `pieces` are (first normalised index, original start, original end, copied one to one).
    `offsets[i]` is where the source of character i starts (len(text) + 1 entries, the last
    one where the source of the last character ends); `ends[i]` is where it ends. Characters
    made from one source ("ﬁ" -> "fi") share its span.
    """

    text: str
    pieces: tuple[tuple[int, int, int, bool], ...]
    start: int = 0

    @cached_property
    def _firsts(self) -> list[int]:
        """First normalised index of each piece, for `source` (made on first use: most
        normalised texts are only read, or mapped through `offsets`)."""
        return [piece[0] for piece in self.pieces]

    def source(self, i: int) -> tuple[int, int]:
        """The original span of normalised character i."""
        first, start, end, plain = self.pieces[bisect.bisect_right(self._firsts, i) - 1]
        if plain:
            return start + i - first, start + i - first + 1
        return start, end

    @property
    def offsets(self) -> list[int]:
        return self._map[0]

    @property
    def ends(self) -> list[int]:
        return self._map[1]

    @cached_property
    def _map(self) -> tuple[list[int], list[int]]:
        """Both lists, expanded once: mapping every word of a text costs less from them than
        a bisect over the pieces per word."""
        return self._expand()

    def _expand(self) -> tuple[list[int], list[int]]:
        offsets: list[int] = []
        ends: list[int] = []
        bounds = [piece[0] for piece in self.pieces[1:]] + [len(self.text)]
        for (first, start, end, plain), after in zip(self.pieces, bounds):
            if plain:
                offsets.extend(range(start, end))
                ends.extend(range(start + 1, end + 1))
            else:
                offsets.extend([start] * (after - first))
                ends.extend([end] * (after - first))
        offsets.append(ends[-1] if ends else self.start)
        return offsets, ends


def normalize(original: str, start: int = 0, end: int | None = None) -> Normalized:
    """Normalise original[start:end] for matching, keeping an exact map to the original."""
    end = len(original) if end is None else end
    if not 0 <= start <= end <= len(original):
        raise ValueError(f"span {start}:{end} outside text of length {len(original)}")
    span = original[start:end]
    stripped = span.lstrip(BLANKS)
    start += len(span) - len(stripped)
    raw = span = stripped.rstrip(BLANKS)
    if _CHAR_RE.search(span):
        span = _CHAR_RE.sub(lambda m: _CHAR_MAP[m.group()], span)

    out = _Builder(span, start)
    pos = 0
    for run_start, run_end in _runs(span):
        out.text_run(pos, run_start)
        if _WRAP_SPACE.fullmatch(span, run_start, run_end) and _is_wrap_hyphen(raw, run_start, run_end):
            _unwrap(out, span, run_start, run_end)
        elif any(c.isspace() for c in span[run_start:run_end]):
            out.mapped(" ", run_start, run_end)
        pos = run_end
    out.text_run(pos, len(span))
    return out.result()


def original_span(norm: Normalized, i: int, j: int) -> tuple[int, int]:
    """The original span [s, e) holding exactly the source characters of normalised text[i:j]."""
    if not 0 <= i <= j <= len(norm.text):
        raise ValueError(f"span {i}:{j} outside normalised text of length {len(norm.text)}")
    if i == j:
        if i < len(norm.text):
            position = norm.source(i)[0]
        else:
            position = norm.source(i - 1)[1] if i else norm.start
        return position, position
    return norm.source(i)[0], norm.source(j - 1)[1]


def _runs(span: str) -> list[tuple[int, int]]:
    """Whitespace and invisible-character runs that are not just one plain space, in order."""
    runs = []
    for match in _RUN.finditer(span):
        run_start = match.start()
        while run_start > 0 and span[run_start - 1] == " ":
            run_start -= 1
        if runs and runs[-1][1] >= run_start:
            runs[-1] = (runs[-1][0], match.end())
        else:
            runs.append((run_start, match.end()))
    if "  " in span:
        runs.extend(match.span() for match in _SPACE_RUN.finditer(span))
        runs.sort()
        merged = [runs[0]]
        for run_start, run_end in runs[1:]:
            if run_start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], run_end))
            else:
                merged.append((run_start, run_end))
        runs = merged
    return runs


def _is_wrap_hyphen(raw: str, run_start: int, run_end: int) -> bool:
    """A hyphen (or soft hyphen) right before a line break, between two letters; not a dash."""
    hyphen = run_start if raw[run_start] == "\u00ad" else run_start - 1
    return (
        hyphen > 0
        and raw[hyphen] in "-\u2010\u2011\u00ad"
        and raw[hyphen - 1].isalpha()
        and run_end < len(raw)
        and raw[run_end].isalpha()
    )


def _unwrap(out: _Builder, span: str, run_start: int, run_end: int) -> None:
    """Undo a hyphen at a line end when it only split a word there.

    "Zusammen-\\narbeit" -> "Zusammenarbeit"; "China-\\nZentralasien" keeps its hyphen;
    "Handels-\\nund" -> "Handels- und".
    """
    if span[run_start] == "\u00ad":
        return  # a soft hyphen only ever splits a word
    word = _WORD.match(span, run_end).group()
    if word.lower() in CONJUNCTIONS:
        out.mapped(" ", run_start, run_end)
    elif span[run_start - 2].islower() and word[0].islower():
        out.drop_last()  # the hyphen, copied with the text before the line break


class _Builder:
    """Collects normalised pieces and their source spans; plain runs map one to one."""

    def __init__(self, span: str, base: int):
        self.span = span
        self.base = base
        self.parts: list[str] = []
        self.pieces: list[list] = []
        self.length = 0

    def plain(self, a: int, b: int) -> None:
        if a >= b:
            return
        self.parts.append(self.span[a:b])
        last = self.pieces[-1] if self.pieces else None
        if last and last[3] and last[2] == self.base + a:
            last[2] = self.base + b
        else:
            self.pieces.append([self.length, self.base + a, self.base + b, True])
        self.length += b - a

    def mapped(self, piece: str, a: int, b: int) -> None:
        if piece:
            self.parts.append(piece)
            self.pieces.append([self.length, self.base + a, self.base + b, False])
            self.length += len(piece)

    def drop_last(self) -> None:
        """Forget the last copied character (a plain one)."""
        self.parts[-1] = self.parts[-1][:-1]
        self.length -= 1
        last = self.pieces[-1]
        last[2] -= 1
        if last[2] == last[1]:
            self.pieces.pop()

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
            self.mapped(_CHAR_RE.sub(lambda m: _CHAR_MAP[m.group()], norm), cluster.start(), cluster.end())
            plain_from = cluster.end()
        self.plain(plain_from, b)

    def result(self) -> Normalized:
        text = "".join(self.parts)
        pieces = self.pieces
        if text.startswith(" ") or text.endswith(" "):  # NFKC made a space at an edge ("¨" -> " ̈")
            text, pieces = _trim(text, pieces)
        return Normalized(text, tuple(tuple(piece) for piece in pieces), self.base)


def _trim(text: str, pieces: list[list]) -> tuple[str, list[list]]:
    while text.startswith(" "):
        first = pieces[0]
        size = (pieces[1][0] if len(pieces) > 1 else len(text)) - first[0]
        if size == 1:
            pieces.pop(0)
        elif first[3]:
            first[1] += 1
        for piece in pieces[1:] if size > 1 else pieces:
            piece[0] -= 1
        text = text[1:]
    while text.endswith(" "):
        last = pieces[-1]
        if len(text) - last[0] == 1:
            pieces.pop()
        elif last[3]:
            last[2] -= 1
        text = text[:-1]
    return text, pieces
