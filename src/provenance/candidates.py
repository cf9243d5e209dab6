"""Which document pairs are worth aligning, without comparing every pair.

Each document is indexed by its anchor terms: its most informative stems (names, places,
figures, unusual words), which a rewrite keeps even when it changes every phrase, so
paraphrases are proposed as well as copies; and by its winnowed word 5-grams, so a shared
run of everyday words (a quote, a wire paragraph) is proposed even without rare words. Terms used by many documents say little and
would make the postings explode, so terms above a document-frequency cap are skipped.
Cost grows with the postings touched, not with the square of the corpus. A corpus analysis
queries `PostingArrays`, the same index as arrays, where numpy walks the postings.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from itertools import chain
from typing import Callable, Iterable

import numpy as np

MIN_SHARED_ANCHORS = 4
MIN_SHARED_PASSAGE_PRINTS = 2   # winnowed k-grams: two shared ones mean a shared run of words
PASSAGE_PRINT = "#"             # prefix of winnowed-fingerprint terms among the anchors
MAX_CANDIDATES = 25
DF_CAP_MIN = 50
DF_CAP_SHARE = 0.02
# ... and never above this many documents: a cap that grows with the corpus makes every query
# touch postings that grow with it, so the candidate stage grew with the square of the corpus
# (10k → 30k documents: 15 s → 181 s). A term in 300 documents is no anchor in any corpus; the
# 13.5k-document INSM corpus (cap 270) is below it.
DF_CAP_MAX = 300
FORMULA_MIN_DATES = 4           # a winnowed k-gram seen on this many days is formula, not reuse
FORMULA_MIN_SAME_SOURCE = 5     # ... or in this many documents of one source


class AnchorIndex:
    """An inverted index from anchor term to the documents that have it."""

    def __init__(self) -> None:
        self.postings: dict[str, list[str]] = defaultdict(list)
        self.documents: dict[str, frozenset[str]] = {}

    def __len__(self) -> int:
        return len(self.documents)

    def add(self, document_id: str, anchors: Iterable[str]) -> None:
        if document_id in self.documents:
            self.remove(document_id)
        terms = frozenset(anchors)
        self.documents[document_id] = terms
        for term in terms:
            self.postings[term].append(document_id)

    def remove(self, document_id: str) -> None:
        for term in self.documents.pop(document_id, ()):
            self.postings[term].remove(document_id)

    def df_cap(self) -> int:
        return df_cap(len(self.documents))

    def candidates(self, document_id: str, anchors: Iterable[str], limit: int = MAX_CANDIDATES) -> list[tuple[str, float]]:
        """Indexed documents sharing enough anchor terms, best first (score = summed idf)."""
        return rank(document_id, anchors, self.postings.get, len(self.documents), self.df_cap(), limit)


def formula_prints(anchors: dict[str, Iterable[str]], dates: dict[str, str | None], sources: dict[str, str | None]) -> set[str]:
    """Winnowed k-grams that are formula, not reuse: seen on many different days, or in many
    documents of one source and in no other source's (daily statistics sentences, teasers, rights
    notices, footers: a source's own furniture; a passage that many documents of one source take
    from another source's text, as answers copy one encyclopedia article, is reuse).

    Over the anchors already in memory for the candidate pairs: one pass, no join of the
    anchors table with the documents (which took half a minute on 13.5k documents).
    `store.formula_prints` asks the database the same question for a one-article check.
    """
    on_day: dict[str, set[str]] = defaultdict(set)
    of_source: dict[str, Counter] = defaultdict(Counter)
    for document_id, terms in anchors.items():
        prints = {term for term in terms if term.startswith(PASSAGE_PRINT)}
        date, source = dates.get(document_id), sources.get(document_id)
        if date is not None:
            on_day[date[:10]] |= prints
        if source is not None:
            of_source[source].update(prints)
    days = Counter(chain.from_iterable(on_day.values()))
    formula = {term for term, n in days.items() if n >= FORMULA_MIN_DATES}
    sources_of = Counter(chain.from_iterable(of_source.values()))
    for counts in of_source.values():
        formula.update(term for term, n in counts.items() if n >= FORMULA_MIN_SAME_SOURCE and sources_of[term] == 1)
    return formula


def df_cap(documents: int) -> int:
    """Terms in more documents than this are skipped: they say little and make postings explode."""
    return min(DF_CAP_MAX, max(DF_CAP_MIN, int(DF_CAP_SHARE * documents)))


def idf(documents: int, df: int) -> float:
    return math.log(1 + max(documents, 1) / df)


def rank(
    document_id: str,
    anchors: Iterable[str],
    posting: Callable[[str], list[str] | None],
    documents: int,
    cap: int,
    limit: int = MAX_CANDIDATES,
) -> list[tuple[str, float]]:
    """The ranking behind `AnchorIndex.candidates`, over any source of postings (the
    in-memory index, or the database's anchors table for a one-article check)."""
    idfs: dict[str, list[float]] = defaultdict(list)
    shared: dict[str, int] = defaultdict(int)
    prints: dict[str, int] = defaultdict(int)
    for term in set(anchors):
        documents_with_term = posting(term)
        if not documents_with_term or len(documents_with_term) > cap:
            continue
        weight = idf(documents, len(documents_with_term))
        is_print = term.startswith(PASSAGE_PRINT)
        for other in documents_with_term:
            if other != document_id:
                idfs[other].append(weight)
                if is_print:
                    prints[other] += 1
                else:
                    shared[other] += 1
    return best_candidates(
        {other: (math.fsum(weights), shared[other], prints[other]) for other, weights in idfs.items()}, limit
    )


def best_candidates(matches: dict[str, tuple[float, int, int]], limit: int = MAX_CANDIDATES) -> list[tuple[str, float]]:
    """The best `limit` of `other → (summed idf, shared anchor stems, shared passage prints)`.

    The one ranking rule: `rank` (the index, `pipeline.check`) and the Spark shuffle both end
    here, so they propose exactly the same pairs. The idf sum is `math.fsum`, exact whatever
    order the terms came in (a set's order, a shuffle's).
    """
    ranked = sorted(
        (
            (other, score)
            for other, (score, shared, prints) in matches.items()
            if shared >= MIN_SHARED_ANCHORS or prints >= MIN_SHARED_PASSAGE_PRINTS
        ),
        key=lambda item: (-item[1], item[0]),
    )
    return ranked[:limit]


# Each idf as an exact integer multiple of 2**-IDF_SCALE: an idf lies in [log 2, 256) (a term in
# every document, one in one of 10**100), where a double's last bit is worth 2**-53 or more.
IDF_SCALE = 56


class PostingArrays:
    """The index over every document at once, as arrays (a term's documents side by side), for
    proposing the candidates of many documents: numpy gathers and counts the postings a
    document's terms touch, where `rank` walks them one by one in Python (3 ms a document on
    the INSM corpus). The same pairs as `AnchorIndex.candidates` for each document, to the last
    tie: the summed idf of each candidate that passes is computed exactly (every idf an integer
    multiple of 2**-IDF_SCALE, summed in two 32-bit halves) and rounded once, as `math.fsum`
    rounds it."""

    def __init__(self, anchors: dict[str, Iterable[str]]) -> None:
        self.ids = sorted(anchors)
        self.number = {document_id: n for n, document_id in enumerate(self.ids)}
        documents = len(self.ids)
        cap = df_cap(documents)
        postings: dict[str, list[int]] = defaultdict(list)
        for n, document_id in enumerate(self.ids):
            for term in set(anchors[document_id]):
                postings[term].append(n)
        kept = [term for term, numbers in postings.items() if 2 <= len(numbers) <= cap]
        self.term = {term: k for k, term in enumerate(kept)}
        df = np.fromiter((len(postings[term]) for term in kept), dtype=np.int64, count=len(kept))
        self.start = np.zeros(len(kept) + 1, dtype=np.int64)
        np.cumsum(df, out=self.start[1:])
        self.df = df
        self.documents = np.fromiter(chain.from_iterable(postings[term] for term in kept), dtype=np.int64, count=int(self.start[-1]))
        self.is_print = np.fromiter((term.startswith(PASSAGE_PRINT) for term in kept), dtype=bool, count=len(kept))
        exact = [_scaled_idf(documents, d) for d in range(min(cap, documents) + 1)]  # a term is in at most every document
        self.high = np.array([value >> 32 for value in exact], dtype=np.float64)[df]
        self.low = np.array([value & 0xFFFFFFFF for value in exact], dtype=np.float64)[df]
        self.anchors = anchors

    def candidates(self, document_id: str, limit: int = MAX_CANDIDATES) -> list[tuple[str, float]]:
        """`AnchorIndex.candidates(document_id, its anchors)` over the same documents."""
        me = self.number.get(document_id)
        if me is None:
            return []
        terms = np.fromiter(
            (k for k in (self.term.get(t) for t in set(self.anchors[document_id])) if k is not None), dtype=np.int64,
        )
        if not len(terms):
            return []
        lengths = self.df[terms]
        ends = np.cumsum(lengths)
        at = np.arange(int(ends[-1]), dtype=np.int64) + np.repeat(self.start[terms] - (ends - lengths), lengths)
        others, of_term = self.documents[at], np.repeat(terms, lengths)
        mine = others != me
        others, of_term = others[mine], of_term[mine]
        found, where = np.unique(others, return_inverse=True)
        prints = np.bincount(where, weights=self.is_print[of_term], minlength=len(found))
        shared = np.bincount(where, minlength=len(found)) - prints
        passing = np.flatnonzero((shared >= MIN_SHARED_ANCHORS) | (prints >= MIN_SHARED_PASSAGE_PRINTS))
        if not len(passing):
            return []
        high = np.bincount(where, weights=self.high[of_term], minlength=len(found))[passing]
        low = np.bincount(where, weights=self.low[of_term], minlength=len(found))[passing]
        scale = 2 ** IDF_SCALE
        ranked = sorted(
            ((-((int(h) << 32) + int(l)) / scale, int(n)) for h, l, n in zip(high.tolist(), low.tolist(), found[passing].tolist())),
        )[:limit]
        return [(self.ids[n], -score) for score, n in ranked]


def _scaled_idf(documents: int, df: int) -> int:
    """`idf(documents, df)` times 2**IDF_SCALE, which is an integer (see IDF_SCALE)."""
    if df == 0:
        return 0
    value = idf(documents, df)
    scaled = math.ldexp(value, IDF_SCALE)
    if scaled != int(scaled):
        raise ValueError(f"idf {value!r} is no multiple of 2**-{IDF_SCALE}")
    return int(scaled)
