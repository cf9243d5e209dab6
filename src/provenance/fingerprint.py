"""Fingerprints of a document: content hash, MinHash signature, winnowed word k-grams.

Only non-boilerplate segments are fingerprinted, so shared UI strings, datelines and
recurring outlet lines never make two documents look related. Every hash here is
seeded and platform-independent: the same text gives the same bytes on every machine.
"""
from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from typing import NamedTuple

import numpy as np
from datasketch import MinHash

from .document import Document, Segment
from .normalize import normalize

MINHASH_PERMUTATIONS = 128
MINHASH_SEED = 1
MINHASH_SHINGLE = 3
MINHASH_SCHEME = "affine32"
WINNOW_K = 5
WINNOW_WINDOW = 8
_POLY = np.uint64(1_000_003)

WINNOW_DTYPE = np.dtype([("hash", "<u8"), ("start", "<u4"), ("end", "<u4")])
_WORD = re.compile(r"\w+(?:[-'.]\w+)*")


class Word(NamedTuple):
    """A matching token: case-folded normalised form and its span in the original text.

    A named tuple, not a frozen dataclass: a document makes hundreds, and a tuple is made in
    half the time (same fields, equality and hash)."""

    form: str
    start: int
    end: int


def content_hash(text: str) -> str:
    """sha256 of the normalised text: whitespace, wraps and quote styles do not change it."""
    return hashlib.sha256(normalize(text).text.encode("utf-8")).hexdigest()


def segment_hash(text: str, segment: Segment) -> str:
    """Short hash of a segment's normalised, case-folded text (finds recurring lines)."""
    norm = normalize(text, segment.start, segment.end).text.casefold()
    return hashlib.blake2b(norm.encode("utf-8"), digest_size=8).hexdigest()


def segment_words(text: str, segment: Segment) -> list[Word]:
    """The segment's words, each with its original span (`original_span`, from the expanded map).

    The words come from `findall` and their places from `str.find`, which costs less than a match
    object per word: a word starts with a word character and the text before it, back to the end
    of the previous word, holds none, so `find` from there lands on it.
    """
    norm = normalize(text, segment.start, segment.end)
    if len(norm.pieces) == 1 and norm.pieces[0][3]:  # copied one to one (nearly always): a shift
        shift = norm.pieces[0][1] - norm.pieces[0][0]
        offsets, ends = range(shift, shift + len(norm.text) + 1), range(shift + 1, shift + len(norm.text) + 1)
    else:
        offsets, ends = norm.offsets, norm.ends
    words, at, find = [], 0, norm.text.find
    for form in _WORD.findall(norm.text):
        at = find(form, at)
        words.append(Word(form.casefold(), offsets[at], ends[at + len(form) - 1]))
        at += len(form)
    return words


def content_words(doc: Document) -> list[Word]:
    """Words of the document's content segments in text order (boilerplate left out)."""
    words: list[Word] = []
    for segment in doc.segments:
        if not segment.boilerplate:
            words.extend(segment_words(doc.text, segment))
    return words


@lru_cache(maxsize=500_000)
def _word_digest(form: str) -> bytes:
    """8-byte blake2b of a word; cached, as the same words recur in every document."""
    return hashlib.blake2b(form.encode("utf-8"), digest_size=8).digest()


def _word_hashes(forms: list[str]) -> np.ndarray:
    """The words' digests read as little-endian 64-bit integers."""
    return np.frombuffer(b"".join(map(_word_digest, forms)), dtype="<u8").astype(np.uint64)


def kgram_hashes(word_hashes: np.ndarray, k: int) -> np.ndarray:
    """Polynomial hash of every run of k words (wraps mod 2**64 by design)."""
    n = len(word_hashes) - k + 1
    if n <= 0:
        return np.empty(0, dtype=np.uint64)
    out = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            out = out * _POLY + word_hashes[j : j + n]
    return out


def winnow(hashes: np.ndarray, window: int) -> np.ndarray:
    """Positions chosen by robust winnowing (Schleimer et al. 2003): rightmost minimum per window.

    Any run shared by two texts of at least window + k - 1 words yields a shared fingerprint.
    """
    if len(hashes) == 0:
        return np.empty(0, dtype=np.int64)
    if len(hashes) <= window:
        return np.array([len(hashes) - 1 - int(np.argmin(hashes[::-1]))])
    windows = np.lib.stride_tricks.sliding_window_view(hashes, window)
    rightmost = window - 1 - np.argmin(windows[:, ::-1], axis=1)
    return np.unique(np.arange(len(windows)) + rightmost)


def winnow_fingerprints(words: list[Word], k: int = WINNOW_K, window: int = WINNOW_WINDOW) -> np.ndarray:
    """Selected k-gram hashes with the original character span each covers."""
    hashes = kgram_hashes(_word_hashes([w.form for w in words]), k)
    chosen = winnow(hashes, window)
    out = np.empty(len(chosen), dtype=WINNOW_DTYPE)
    out["hash"] = hashes[chosen]
    out["start"] = [words[position].start for position in chosen]
    out["end"] = [words[position + k - 1].end for position in chosen]
    return out


_PERMUTATIONS = MinHash(num_perm=MINHASH_PERMUTATIONS, seed=MINHASH_SEED, scheme=MINHASH_SCHEME).permutations


def minhash(words: list[Word], shingle: int = MINHASH_SHINGLE) -> MinHash:
    """Signature over word 3-gram shingles; the seeded permutations are drawn once, not per document.

    Each shingle's 32-bit hash is datasketch's own (`sha1_hash32`: the first four bytes of its
    sha1, little-endian), read for all shingles at once; datasketch then applies the
    permutations. A repeated shingle changes no minimum, so none is dropped or sorted first.
    """
    signature = MinHash(
        num_perm=MINHASH_PERMUTATIONS, seed=MINHASH_SEED, scheme=MINHASH_SCHEME, permutations=_PERMUTATIONS,
        hashfunc=int,
    )
    forms = [w.form for w in words]
    shingles = [" ".join(run) for run in zip(*(forms[i:] for i in range(shingle)))]
    if shingles:
        digests = b"".join([hashlib.sha1(text.encode("utf-8")).digest()[:4] for text in shingles])
        signature.update_batch(np.frombuffer(digests, dtype="<u4").tolist())
    return signature


def fingerprints(doc: Document, words: list[Word] | None = None) -> list[dict]:
    """Rows for the `fingerprints` table: MinHash signature and winnowed k-grams.

    `words` may be passed when the caller has the content words already.
    """
    words = content_words(doc) if words is None else words
    signature = minhash(words)
    winnowed = winnow_fingerprints(words)
    return [
        {
            "kind": "minhash",
            "params": json.dumps(
                {
                    "permutations": MINHASH_PERMUTATIONS,
                    "seed": MINHASH_SEED,
                    "scheme": MINHASH_SCHEME,
                    "shingle_words": MINHASH_SHINGLE,
                },
                sort_keys=True,
            ),
            "count": len(words),
            "value": signature.hashvalues.astype("<u4").tobytes(),
        },
        {
            "kind": "winnow",
            "params": json.dumps({"k": WINNOW_K, "window": WINNOW_WINDOW, "hash": "blake2b64-poly"}, sort_keys=True),
            "count": len(winnowed),
            "value": winnowed.tobytes(),
        },
    ]


def load_minhash(value: bytes) -> MinHash:
    return MinHash(
        num_perm=MINHASH_PERMUTATIONS,
        seed=MINHASH_SEED,
        scheme=MINHASH_SCHEME,
        hashvalues=np.frombuffer(value, dtype="<u4").copy(),
    )


def load_winnow(value: bytes) -> np.ndarray:
    return np.frombuffer(value, dtype=WINNOW_DTYPE)
