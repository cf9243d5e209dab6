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
from typing import Iterable

import numpy as np
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
# A text that copies prose word for word (not just a quotation both carry) and clearly rewrites
# fewer than two sentences shows no paraphrasing: its loose sentence matches are the topic's
# shared words, not rewrites, and would only inflate its coverage with sentences it took from
# elsewhere.
LOOSE_PARAPHRASE = 0.3
CLEAR_PARAPHRASE = 0.4
CLEAR_PARAPHRASES = 2


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
    longest_unquoted_verbatim: int = 0   # longest run not quoted in both texts
    longest_prose_verbatim: int = 0      # longest run quoted in neither text
    # (start, end in the derivative's text, words) of each run only the derivative quotes
    derivative_quoted_runs: list[tuple[int, int, int]] = field(default_factory=list)
    # (start, end in the derivative's text, quoted words) of each run both texts quote
    shared_quotations: list[tuple[int, int, int]] = field(default_factory=list)
    quoted_verbatim_words: int = 0
    verbatim_by_unit: dict[int, int] = field(default_factory=dict)  # derivative sentence -> its words in verbatim runs
    # derivative sentences whose only matches were loose ones left out (LOOSE_PARAPHRASE, or
    # source sentences another one retells, `_retold_elsewhere`): on the source's topic, though
    # no evidence of a rewrite
    loose_units: list[int] = field(default_factory=list)

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
    df: dict[str, int]
    stems: "_StemTable"


@dataclass
class _StemTable:
    """Every (sentence, stem, weight) of a document as arrays, in the order of each sentence's
    stems: what `_shared_weights` reads to score all sentence pairs of two documents at once."""

    unit: np.ndarray       # sentence index of each entry
    stem: np.ndarray       # stem id (`_stem_id`) of each entry
    weight: np.ndarray     # the stem's weight in that sentence
    df: np.ndarray         # sentences of this document using the stem
    vocabulary: np.ndarray  # the document's distinct stem ids, ascending
    vocabulary_df: np.ndarray  # and how many of its sentences use each


_STEM_IDS: dict[str, int] = {}


def _stem_id(stem: str) -> int:
    """A number per stem, for this process only: only equality of stems is read from it."""
    found = _STEM_IDS.get(stem)
    if found is None:
        found = _STEM_IDS[stem] = len(_STEM_IDS)
    return found


def _stem_table(units: list[Unit], df: dict[str, int]) -> _StemTable:
    unit_of, stem_of, weight, df_of = [], [], [], []
    for index, unit in enumerate(units):
        for stem, w in unit.stems.items():
            unit_of.append(index)
            stem_of.append(_stem_id(stem))
            weight.append(w)
            df_of.append(df[stem])
    stems = np.array(stem_of, dtype=np.int64)
    vocabulary, first = np.unique(stems, return_index=True)
    df_array = np.array(df_of, dtype=np.int64)
    return _StemTable(
        np.array(unit_of, dtype=np.int64), stems, np.array(weight, dtype=np.float64), df_array,
        vocabulary, df_array[first],
    )


def prepare(units: list[Unit]) -> Prepared:
    forms, where = _flatten(units)
    kgrams: dict[tuple, list[int]] = defaultdict(list)
    for j, gram in enumerate(zip(*(forms[i:] for i in range(SEED_WORDS)))):  # forms[j : j + SEED_WORDS]
        kgrams[gram].append(j)
    df: dict[str, int] = defaultdict(int)
    for unit in units:
        for stem in unit.stems:
            df[stem] += 1
    quoted = [flag for unit in units for flag in (unit.quoted or [False] * len(unit.words))]
    df = dict(df)
    return Prepared(
        units, forms, where, quoted, _unit_ranges(units), [_char_grams(u) for u in units], dict(kgrams), df, _stem_table(units, df),
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


_DISCOUNTS: list[float] = [1.0]


def _discounts(top: int) -> np.ndarray:
    """n ** TOPIC_DISCOUNT for n = 0..top (0 as 1), each computed as `sentence_similarity`'s
    reference computes it, so the vectorised weights are the same numbers to the last bit."""
    while len(_DISCOUNTS) <= top:
        _DISCOUNTS.append(len(_DISCOUNTS) ** TOPIC_DISCOUNT)
    return np.array(_DISCOUNTS[: top + 1])


def _discounted(own: _StemTable, other: _StemTable) -> tuple[np.ndarray, np.ndarray]:
    """Each entry's weight divided by the square root of how many sentences of either text use
    its stem, and its position among `other`'s vocabulary (-1 where the other text lacks it).

    The pair's topic words (the two countries, the president) sit in every sentence and say
    nothing about which sentence became which; a word used once on each side says a lot."""
    at = np.searchsorted(other.vocabulary, own.stem)
    at[at == len(other.vocabulary)] = 0
    present = other.vocabulary[at] == own.stem if len(other.vocabulary) else np.zeros(len(own.stem), dtype=bool)
    other_df = np.where(present, other.vocabulary_df[at] if len(other.vocabulary) else 1, 1)
    widest = np.maximum(own.df, other_df)
    weights = own.weight / _discounts(int(widest.max(initial=1)))[widest]
    return weights, np.where(present, at, -1)


def _shared_weights(d: Prepared, s: Prepared) -> tuple[list[float], list[float], list[tuple[int, int, float, bool]]]:
    """Every sentence pair of the two documents that shares a stem, scored at once: the sums of
    each sentence's discounted weights (both sides), and (derivative sentence, source sentence,
    shared weight, whether a stem at POSTING_WEIGHT or more in both joins them), in sentence
    order. The shared weight is `sentence_similarity`'s: the smaller weight of each shared stem,
    added up in the order of the derivative sentence's stems."""
    dt, st = d.stems, s.stems
    d_weights, d_at = _discounted(dt, st)
    s_weights, s_at = _discounted(st, dt)
    d_totals = np.bincount(dt.unit, weights=d_weights, minlength=len(d.units)).tolist()
    s_totals = np.bincount(st.unit, weights=s_weights, minlength=len(s.units)).tolist()
    mine = np.flatnonzero(d_at >= 0)
    if not len(mine):
        return d_totals, s_totals, []
    # The source's entries grouped by stem (position in the source's vocabulary), each group in
    # sentence order; every derivative entry meets the whole group of its stem.
    theirs = np.flatnonzero(s_at >= 0)
    theirs = theirs[np.argsort(st.stem[theirs], kind="stable")]
    group_stem = st.stem[theirs]
    starts = np.searchsorted(group_stem, dt.stem[mine], side="left")
    counts = np.searchsorted(group_stem, dt.stem[mine], side="right") - starts
    total = int(counts.sum())
    entry = np.repeat(mine, counts)
    offset = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    partner = theirs[np.repeat(starts, counts) + offset]
    keys = dt.unit[entry] * len(s.units) + st.unit[partner]
    pairs, slot = np.unique(keys, return_inverse=True)
    shared = np.bincount(slot, weights=np.minimum(d_weights[entry], s_weights[partner]), minlength=len(pairs))
    posting = np.bincount(
        slot, weights=(dt.weight[entry] >= POSTING_WEIGHT) & (st.weight[partner] >= POSTING_WEIGHT), minlength=len(pairs),
    ) > 0
    return d_totals, s_totals, list(zip(
        (pairs // len(s.units)).tolist(), (pairs % len(s.units)).tolist(), shared.tolist(), posting.tolist(),
    ))


def sentence_similarity(
    d: dict[str, float], s: dict[str, float], d_grams: set[str], s_grams: set[str],
    w_d: float | None = None, w_s: float | None = None,
) -> tuple[float, float]:
    """(similarity, shared weight) of two sentences given their stem weights (and, if known,
    the sums of those weights): the definition that `align` computes for all pairs at once."""
    shared = added_in_order(weight if weight <= s[stem] else s[stem] for stem, weight in d.items() if stem in s)
    if shared == 0:
        return 0.0, 0.0
    w_d = added_in_order(d.values()) if w_d is None else w_d
    w_s = added_in_order(s.values()) if w_s is None else w_s
    return _similarity(shared, w_d, w_s, d_grams, s_grams), shared


def added_in_order(values: Iterable[float]) -> float:
    """Plain left-to-right addition, as `np.bincount` adds: Python's `sum` of floats compensates
    its rounding from 3.12 on, which would make the reference differ in the last bit."""
    total = 0.0
    for value in values:
        total += value
    return total


def _similarity(shared: float, w_d: float, w_s: float, d_grams: set[str], s_grams: set[str]) -> float:
    containment = shared / w_d
    dice = 2 * shared / (w_d + w_s)
    stem_score = 0.5 * containment + 0.5 * dice
    if d_grams and s_grams:
        char_dice = 2 * len(d_grams & s_grams) / (len(d_grams) + len(s_grams))
        stem_score = 0.8 * stem_score + 0.2 * char_dice
    return stem_score


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
    verbatim_by_unit: dict[int, int] = result.verbatim_by_unit
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
        d_quoted = sum(d.quoted[a0:a1]) >= QUOTED_SHARE * (a1 - a0)
        s_quoted = sum(s.quoted[b0:b1]) >= QUOTED_SHARE * (b1 - b0)
        if d_quoted and s_quoted:
            result.quoted_verbatim_words += a1 - a0
            # its quoted words only: a credit phrase the two texts share is no quotation
            result.shared_quotations.append((d.where[a0][1], d.where[a1 - 1][2], min(matched, sum(d.quoted[a0:a1]))))
        else:
            result.longest_unquoted_verbatim = max(result.longest_unquoted_verbatim, matched)
            if not s_quoted and not d_quoted:
                result.longest_prose_verbatim = max(result.longest_prose_verbatim, matched)
            elif d_quoted:
                result.derivative_quoted_runs.append((d.where[a0][1], d.where[a1 - 1][2], matched))
        d_covered[a0:a1] = [True] * (a1 - a0)
        s_covered[b0:b1] = [True] * (b1 - b0)
        # A run merged across small edits may skip a few more words on one side than on the
        # other: where a word lands is known to within that difference.
        slack = abs((b1 - b0) - (a1 - a0))
        k = a0
        while k < a1:  # sentence by sentence: the run's words in each, and where they land
            unit = d.where[k][0]
            end = min(d.ranges[unit][1], a1)
            verbatim_by_unit[unit] = verbatim_by_unit.get(unit, 0) + end - k
            lo = min(max(b0 + k - a0 - slack, b0), b1 - 1)
            hi = min(b0 + end - 1 - a0 + slack, b1 - 1)
            run_targets[unit].update(range(s.where[lo][0], s.where[hi][0] + 1))
            k = end

    word_for_word = {
        index for index, words in verbatim_by_unit.items() if words >= VERBATIM_SENTENCE * len(d.units[index].words)
    }
    d_totals, s_totals, shared_pairs = _shared_weights(d, s)
    by_unit: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for d_index, s_index, shared, posting in shared_pairs:
        if posting:
            by_unit[d_index].append((s_index, shared))
    matchers: dict[int, difflib.SequenceMatcher] = {}
    matched: dict[int, list[tuple[float, int]]] = {}  # derivative sentence -> (similarity, -source sentence), best first
    for d_index, candidates in by_unit.items():
        unit = d.units[d_index]
        if d_index in word_for_word:
            # Taken word for word: its source sentences are where its runs land (wire copy is
            # mostly such sentences, and scoring each against every source sentence was most of
            # the time a pair of wire siblings took).
            targets = run_targets[d_index]
            candidates = [c for c in candidates if c[0] in targets] or candidates
        by_stems = []
        my_grams, my_total = d.grams[d_index], d_totals[d_index]
        for s_index, shared in candidates:
            if shared >= MIN_SHARED_WEIGHT:
                similarity = _similarity(shared, my_total, s_totals[s_index], my_grams, s.grams[s_index])
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
        if scored:
            scored.sort(reverse=True)
            matched[d_index] = scored
    rewritten = matched.keys() - word_for_word
    loose_allowed = result.verbatim_words == result.quoted_verbatim_words or sum(
        1 for d_index in rewritten if matched[d_index][0][0] >= CLEAR_PARAPHRASE
    ) >= CLEAR_PARAPHRASES
    for d_index, scored in matched.items():
        matched[d_index] = [
            pair for pair in scored[:MAX_SOURCES_PER_SENTENCE] if pair[0] >= SECOND_SOURCE_RATIO * scored[0][0]
        ]
    retold_by = _retold_by(matched)
    for d_index, scored in sorted(matched.items()):
        unit = d.units[d_index]
        if d_index not in word_for_word:
            scored = [pair for pair in scored if not _retold_elsewhere(d_index, pair, retold_by)]
            if not scored:  # on the source's topic, but no retelling of it
                result.loose_units.append(d_index)
                continue
        best = scored[0][0]
        if best < LOOSE_PARAPHRASE and not loose_allowed and d_index in rewritten:
            result.loose_units.append(d_index)
            continue
        d_lo, d_hi = d.ranges[d_index]
        d_covered[d_lo:d_hi] = [True] * (d_hi - d_lo)
        for similarity, negative_s in scored:
            s_index = -negative_s
            result.sentence_pairs.append((d_index, s_index, similarity))
            s_lo, s_hi = s.ranges[s_index]
            s_covered[s_lo:s_hi] = [True] * (s_hi - s_lo)
            if d_index in word_for_word:
                continue
            s_unit = s.units[s_index]
            result.passages.append(
                Passage("paraphrase", unit.start, unit.end, s_unit.start, s_unit.end, similarity)
            )
    result.derivative_covered = sum(d_covered)
    result.source_covered = sum(s_covered)
    result.passages.sort(key=lambda p: (p.derivative_start, p.source_start, p.kind))
    return result


def _retold_by(matched: dict[int, list[tuple[float, int]]]) -> dict[int, tuple[float, int]]:
    """Source sentence -> (similarity, derivative sentence) of the derivative sentence that
    matches it best (the earlier one on a tie)."""
    best: dict[int, tuple[float, int]] = {}
    for d_index, scored in sorted(matched.items()):
        for similarity, negative_s in scored:
            if -negative_s not in best or similarity > best[-negative_s][0]:
                best[-negative_s] = (similarity, d_index)
    return best


def _retold_elsewhere(d_index: int, pair: tuple[float, int], retold_by: dict[int, tuple[float, int]]) -> bool:
    """Whether a loose match (under CLEAR_PARAPHRASE) of a derivative sentence to a source sentence
    is topic overlap: that source sentence is clearly retold by another derivative sentence, not
    next to this one (a sentence split in two retells one source sentence in neighbours). A
    rewrite retells each sentence once; a sentence of generic praise that shares the names
    ('Das Treffen zwischen Xi Jinping und Kassym-Jomart Tokajew markiert einen wichtigen
    Meilenstein') matches the source's sentence on the meeting only loosely, which the
    rewrite's own report of the meeting retells closely."""
    similarity, negative_s = pair
    best, by = retold_by[-negative_s]
    return similarity < CLEAR_PARAPHRASE <= best and abs(by - d_index) > 1


def _unit_ranges(units: list[Unit]) -> dict[int, tuple[int, int]]:
    """unit index -> (first, last + 1) index of its words among all words; units without words left out."""
    ranges: dict[int, tuple[int, int]] = {}
    k = 0
    for index, unit in enumerate(units):
        if unit.words:
            ranges[index] = (k, k + len(unit.words))
            k += len(unit.words)
    return ranges
