"""Passage alignment between a (possible) derivative and a (possible) source.

Two kinds of evidence, both with character offsets into both original texts:
- verbatim: maximal runs of identical words, found wherever they sit (reordered paragraphs
  too), with small gaps bridged so a lightly edited run stays one passage;
- paraphrase: sentence pairs that share informative stems (names, figures, unusual words)
  and everyday wording, scored by a weighted overlap of stems blended with character
  4-grams, which catches German compounds split or rebuilt by the rewriter.
Only content sentences take part: boilerplate never counts.
"""
from __future__ import annotations

import difflib
import math
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import LCSseq

from .terms import Unit

SEED_WORDS = 5            # a verbatim run starts from 5 identical words
MIN_VERBATIM_WORDS = 8    # and is reported from 8
QUOTED_SHARE = 0.6         # a run quoted in both texts is a shared quote of a third party, not reused prose
MAX_GAP_WORDS = 3         # edits of up to 3 words inside a run keep it one passage
SENTENCE_SIMILARITY = 0.23
MIN_SHARED_WEIGHT = 0.35      # shared weight after the topic discount
MAX_SOURCES_PER_SENTENCE = 3  # a rewritten sentence may merge up to three source sentences
SECOND_SOURCE_RATIO = 0.45
WORDING_CANDIDATES = 5     # source sentences per derivative sentence that get the difflib comparison
WORDING_WEIGHT = 0.2       # share of difflib's word-sequence ratio in a sentence pair's similarity
# Below this stem similarity a sentence pair needs some wording in common to reach SENTENCE_SIMILARITY
# (at or above it, a ratio of 0 still does): only then is the cheap bound worth asking first.
WORDING_NEEDED = SENTENCE_SIMILARITY / (1 - WORDING_WEIGHT)
TOPIC_DISCOUNT = 0.5      # weight / (sentences using the stem) ** 0.5
POSTING_WEIGHT = 0.3      # a stem this informative in both sentences makes them candidates
VERBATIM_SENTENCE = 0.8    # a sentence this much inside verbatim runs is a verbatim passage, not a paraphrase
_ROUNDING = 1e-9          # far above the rounding of a sum of a sentence's weights, far below any weight


@dataclass
class Passage:
    kind: str
    derivative_start: int
    derivative_end: int
    source_start: int
    source_end: int
    similarity: float

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "derivative_start": self.derivative_start,
            "derivative_end": self.derivative_end,
            "source_start": self.source_start,
            "source_end": self.source_end,
            "similarity": round(self.similarity, 3),
        }


@dataclass
class Alignment:
    passages: list[Passage] = field(default_factory=list)
    derivative_words: int = 0
    source_words: int = 0
    derivative_covered: int = 0
    source_covered: int = 0
    verbatim_words: int = 0
    sentence_pairs: list[tuple[int, int, float]] = field(default_factory=list)
    derivative_units: int = 0
    source_units: int = 0
    longest_verbatim: int = 0
    longest_unquoted_verbatim: int = 0
    quoted_verbatim_words: int = 0

    @property
    def coverage(self) -> float:
        return self.derivative_covered / self.derivative_words if self.derivative_words else 0.0

    @property
    def source_coverage(self) -> float:
        return self.source_covered / self.source_words if self.source_words else 0.0

    @property
    def verbatim_share(self) -> float:
        return self.verbatim_words / self.derivative_words if self.derivative_words else 0.0


@dataclass
class Prepared:
    """What alignment needs of one document, computed once however many pairs it is in."""

    units: list[Unit]
    forms: list[str]
    where: list[tuple[int, int, int]]
    quoted: list[bool]
    ranges: dict[int, tuple[int, int]]
    grams: list[set[str]]
    kgrams: dict[tuple, list[int]]
    postings: dict[str, list[int]]
    df: dict[str, int]


def prepare(units: list[Unit]) -> Prepared:
    forms, where = _flatten(units)
    kgrams: dict[tuple, list[int]] = defaultdict(list)
    for j, gram in enumerate(zip(*(forms[i:] for i in range(SEED_WORDS)))):  # forms[j : j + SEED_WORDS]
        kgrams[gram].append(j)
    postings: dict[str, list[int]] = defaultdict(list)
    df: dict[str, int] = defaultdict(int)
    for index, unit in enumerate(units):
        for stem, weight in unit.stems.items():
            df[stem] += 1
            if weight >= POSTING_WEIGHT:
                postings[stem].append(index)
    quoted = [flag for unit in units for flag in (unit.quoted or [False] * len(unit.words))]
    return Prepared(
        units, forms, where, quoted, _unit_ranges(units), [_char_grams(u) for u in units], dict(kgrams), dict(postings), dict(df)
    )


def _flatten(units: list[Unit]) -> tuple[list[str], list[tuple[int, int, int]]]:
    forms = [word.form for unit in units for word in unit.words]
    where = [(u_index, word.start, word.end) for u_index, unit in enumerate(units) for word in unit.words]
    return forms, where


def verbatim_runs(
    a: list[str], b: list[str], index: dict[tuple, list[int]] | None = None, a_index: dict[tuple, list[int]] | None = None,
) -> list[tuple[int, int, int, int, int]]:
    """Runs of identical words shared by a and b, as (a_start, a_end, b_start, b_end) word indices.

    Greedy longest-match from each position of a over an index of b's 5-grams (non-monotone,
    so reordered paragraphs are found); neighbouring runs separated by small edits in both
    texts are merged. With `a_index` (a's own 5-grams) only the positions of 5-grams the two
    share are visited: the others start no run.
    """
    if index is None:
        index = defaultdict(list)
        for j in range(len(b) - SEED_WORDS + 1):
            index[tuple(b[j : j + SEED_WORDS])].append(j)
    if a_index is None:
        starts = range(len(a) - SEED_WORDS + 1)
    else:
        starts = sorted(i for gram in a_index.keys() & index.keys() for i in a_index[gram])
    runs = []
    i = 0
    for start in starts:
        if start < i:
            continue
        i = start
        positions = index.get(tuple(a[i : i + SEED_WORDS]))
        if not positions:
            continue
        best_length, best_j = 0, -1
        for j in positions[:64]:
            length = SEED_WORDS
            while i + length < len(a) and j + length < len(b) and a[i + length] == b[j + length]:
                length += 1
            if length > best_length:
                best_length, best_j = length, j
        runs.append([i, i + best_length, best_j, best_j + best_length, best_length])
        i += best_length
    merged: list[list[int]] = []
    for run in runs:
        if merged:
            last = merged[-1]
            gap_a, gap_b = run[0] - last[1], run[2] - last[3]
            if 0 <= gap_a <= MAX_GAP_WORDS and 0 <= gap_b <= MAX_GAP_WORDS:
                last[1], last[3], last[4] = run[1], run[3], last[4] + run[4]
                continue
        merged.append(run)
    return [(r[0], r[1], r[2], r[3], r[4]) for r in merged]


def _char_grams(unit: Unit) -> set[str]:
    grams: set[str] = set()
    for word in unit.words:
        if len(word.form) >= 6:
            grams.update(_word_grams(word.form))
    return grams


@lru_cache(maxsize=200_000)
def _word_grams(form: str) -> tuple[str, ...]:
    """Character 4-grams of a word; cached, as words recur."""
    return tuple(form[i : i + 4] for i in range(len(form) - 3))


class _TopicDiscounted:
    """Stem weights divided by the square root of how many sentences of either text use the stem.

    The pair's topic words (the two countries, the president) sit in every sentence and say
    nothing about which sentence became which; a word used once on each side says a lot.
    Computed per sentence on first use: most sentences of a pair never meet a candidate.
    """

    def __init__(self, own: Prepared, other: Prepared) -> None:
        self.own, self.df_own, self.df_other = own, own.df, other.df
        self.cache: dict[int, tuple[dict[str, float], float]] = {}

    def __getitem__(self, index: int) -> tuple[dict[str, float], float]:
        """(discounted weights, their sum) of sentence `index`; the sum is taken once per pair."""
        found = self.cache.get(index)
        if found is None:
            df_own, df_other = self.df_own, self.df_other
            weights = {
                stem: w / max(df_own.get(stem, 1), df_other.get(stem, 1)) ** TOPIC_DISCOUNT
                for stem, w in self.own.units[index].stems.items()
            }
            found = self.cache[index] = (weights, sum(weights.values()))
        return found


def sentence_similarity(
    d: dict[str, float], s: dict[str, float], d_grams: set[str], s_grams: set[str],
    w_d: float | None = None, w_s: float | None = None,
) -> tuple[float, float]:
    """(similarity, shared weight) of two sentences given their stem weights (and, if known,
    the sums of those weights)."""
    shared = sum([weight if weight <= s[stem] else s[stem] for stem, weight in d.items() if stem in s])
    if shared == 0:
        return 0.0, 0.0
    w_d = sum(d.values()) if w_d is None else w_d
    w_s = sum(s.values()) if w_s is None else w_s
    containment = shared / w_d
    dice = 2 * shared / (w_d + w_s)
    stem_score = 0.5 * containment + 0.5 * dice
    if d_grams and s_grams:
        char_dice = 2 * len(d_grams & s_grams) / (len(d_grams) + len(s_grams))
        stem_score = 0.8 * stem_score + 0.2 * char_dice
    return stem_score, shared


def wording_similarity(d: Unit, s: Unit | difflib.SequenceMatcher) -> float:
    """difflib's ratio over all words, function words included: the sentence's build, not its topic.

    `s` may be a matcher already holding the source sentence (see `_matcher`), which spares
    difflib re-indexing it for every derivative sentence it is compared with.
    """
    matcher = s if isinstance(s, difflib.SequenceMatcher) else _matcher(s)
    matcher.set_seq1([w.form for w in d.words])
    return matcher.ratio()


def wording_bound(d: list[str], s: list[str]) -> float:
    """An upper bound of `wording_similarity`, from the longest common subsequence of the two
    word lists (rapidfuzz, compiled): difflib's matching blocks are one common subsequence, so
    its ratio 2 M / T is never above 2 LCS / T, computed here as difflib computes its own.
    A hash shared by two different words can only lengthen the subsequence found."""
    length = len(d) + len(s)
    return 2.0 * LCSseq.similarity(d, s) / length if length else 1.0


def _matcher(unit: Unit) -> difflib.SequenceMatcher:
    return difflib.SequenceMatcher(None, b=[w.form for w in unit.words], autojunk=False)


def align(derivative: list[Unit] | Prepared, source: list[Unit] | Prepared) -> Alignment:
    """Aligned passages of `derivative` against `source`, and the counts behind the scores."""
    d = derivative if isinstance(derivative, Prepared) else prepare(derivative)
    s = source if isinstance(source, Prepared) else prepare(source)
    result = Alignment(
        derivative_words=len(d.forms),
        source_words=len(s.forms),
        derivative_units=len(d.units),
        source_units=len(s.units),
    )
    d_covered = [False] * len(d.forms)
    s_covered = [False] * len(s.forms)
    verbatim_by_unit: dict[int, int] = defaultdict(int)
    run_targets: dict[int, set[int]] = defaultdict(set)  # derivative sentence -> source sentences its runs land in
    for a0, a1, b0, b1, matched in verbatim_runs(d.forms, s.forms, s.kgrams, d.kgrams):
        if matched < MIN_VERBATIM_WORDS:
            continue
        result.passages.append(
            Passage(
                "verbatim",
                d.where[a0][1], d.where[a1 - 1][2], s.where[b0][1], s.where[b1 - 1][2],
                matched / max(a1 - a0, b1 - b0),
            )
        )
        result.verbatim_words += a1 - a0
        result.longest_verbatim = max(result.longest_verbatim, matched)
        if sum(d.quoted[a0:a1]) >= QUOTED_SHARE * (a1 - a0) and sum(s.quoted[b0:b1]) >= QUOTED_SHARE * (b1 - b0):
            result.quoted_verbatim_words += a1 - a0
        else:
            result.longest_unquoted_verbatim = max(result.longest_unquoted_verbatim, matched)
        for k in range(a0, a1):
            d_covered[k] = True
            verbatim_by_unit[d.where[k][0]] += 1
            run_targets[d.where[k][0]].add(s.where[min(b0 + k - a0, b1 - 1)][0])
        for k in range(b0, b1):
            s_covered[k] = True

    derivative_weights, source_weights = _TopicDiscounted(d, s), _TopicDiscounted(s, d)
    matchers: dict[int, difflib.SequenceMatcher] = {}
    s_df = s.df
    for d_index, unit in enumerate(d.units):
        candidates = {j for stem, w in unit.stems.items() if w >= POSTING_WEIGHT for j in s.postings.get(stem, ())}
        if not candidates:
            continue
        if verbatim_by_unit.get(d_index, 0) >= VERBATIM_SENTENCE * len(unit.words):
            # Taken word for word: its source sentences are where its runs land (wire copy is
            # mostly such sentences, and scoring each against every source sentence was most of
            # the time a pair of wire siblings took).
            candidates = candidates & run_targets[d_index] or candidates
        candidates = sorted(candidates)
        mine, my_total = derivative_weights[d_index]
        if sum([weight for stem, weight in mine.items() if stem in s_df]) + _ROUNDING < MIN_SHARED_WEIGHT:
            continue  # shares less than MIN_SHARED_WEIGHT with the whole source: with none of its sentences
        by_stems = []
        my_grams = d.grams[d_index]
        for s_index in candidates:
            theirs, their_total = source_weights[s_index]
            similarity, shared = sentence_similarity(mine, theirs, my_grams, s.grams[s_index], my_total, their_total)
            if shared >= MIN_SHARED_WEIGHT:
                by_stems.append((similarity, -s_index))
        scored = []
        my_forms = None
        for similarity, negative_s in sorted(by_stems, reverse=True)[:WORDING_CANDIDATES]:
            if similarity < WORDING_NEEDED:
                my_forms = my_forms or [w.form for w in unit.words]
                s_lo, s_hi = s.ranges[-negative_s]
                if (1 - WORDING_WEIGHT) * similarity + WORDING_WEIGHT * wording_bound(my_forms, s.forms[s_lo:s_hi]) < SENTENCE_SIMILARITY:
                    continue  # difflib's ratio is at most the bound: the pair cannot reach the threshold
            matcher = matchers.get(-negative_s) or matchers.setdefault(-negative_s, _matcher(s.units[-negative_s]))
            blended = (1 - WORDING_WEIGHT) * similarity + WORDING_WEIGHT * wording_similarity(unit, matcher)
            if blended >= SENTENCE_SIMILARITY:
                scored.append((blended, negative_s))
        if not scored:
            continue
        scored.sort(reverse=True)
        best = scored[0][0]
        d_lo, d_hi = d.ranges[d_index]
        for k in range(d_lo, d_hi):
            d_covered[k] = True
        for similarity, negative_s in scored[:MAX_SOURCES_PER_SENTENCE]:
            if similarity < SECOND_SOURCE_RATIO * best:
                break
            s_index = -negative_s
            result.sentence_pairs.append((d_index, s_index, similarity))
            s_lo, s_hi = s.ranges[s_index]
            for k in range(s_lo, s_hi):
                s_covered[k] = True
            if verbatim_by_unit.get(d_index, 0) >= VERBATIM_SENTENCE * (d_hi - d_lo):
                continue
            s_unit = s.units[s_index]
            result.passages.append(
                Passage("paraphrase", unit.start, unit.end, s_unit.start, s_unit.end, similarity)
            )
    result.derivative_covered = sum(d_covered)
    result.source_covered = sum(s_covered)
    result.passages.sort(key=lambda p: (p.derivative_start, p.source_start, p.kind))
    return result


def _unit_ranges(units: list[Unit]) -> dict[int, tuple[int, int]]:
    """unit index -> (first, last + 1) index of its words among all words; units without words left out."""
    ranges: dict[int, tuple[int, int]] = {}
    k = 0
    for index, unit in enumerate(units):
        if unit.words:
            ranges[index] = (k, k + len(unit.words))
            k += len(unit.words)
    return ranges
