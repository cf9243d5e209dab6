"""Fingerprints of a document: content hash, MinHash signature, winnowed word k-grams.

Only non-boilerplate segments are fingerprinted, so shared UI strings, datelines and
recurring outlet lines never make two documents look related. Every hash here is
seeded and platform-independent: the same text gives the same bytes on every machine.
"""
from __future__ import annotations

import hashlib
import json
import operator
import re
from functools import lru_cache
from itertools import accumulate, repeat
from typing import NamedTuple

import numpy as np

from .document import Document, Segment
from .normalize import Normalized, normalize

MINHASH_PERMUTATIONS = 128
MINHASH_SEED = 1
MINHASH_SHINGLE = 3
MINHASH_SCHEME = "affine32"
WINNOW_K = 5
WINNOW_WINDOW = 8
_POLY = np.uint64(1_000_003)

WINNOW_DTYPE = np.dtype([("hash", "<u8"), ("start", "<u4"), ("end", "<u4")])
WINNOW_ENCODING = "hash64+varint"  # how a `winnow` value is stored (`pack_winnow`)
WINNOW_MAGIC = b"WNV\x01"
# A figure in groups of three digits is one word however the groups are set apart ("17.051",
# "17 051", "17,051", "17'051"), so that two texts giving it in different house styles still
# share the run of words around it; `_figure_forms` then writes it as its digits alone.
_GROUPED_FIGURE = r"(?<![\w.,'])\d{1,3}(?:[ .,']\d{3})+(?!\w|[.']\d)"
# A decimal comma joins a figure too ("7,5 Tonnen", "108,1"): German prints its decimals so, and
# split at the comma one figure became two ("7" and "5") that other texts share by chance.
_WORD = re.compile(rf"{_GROUPED_FIGURE}|\w+(?:[-'.]\w+|(?<=\d),\d+)*")
_WORD_PIECES = re.compile(f"({_WORD.pattern})")
_GROUP_MARK = re.compile(r"\d[ .,']\d{3}")
_FIGURE_IN_GROUPS = re.compile(r"\d{1,3}(?:[ .,']\d{3})+")
_GROUP_SEPARATORS = str.maketrans("", "", " .,'")


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


@lru_cache(maxsize=512)
def _normalized(text: str, start: int, end: int) -> Normalized:
    """`normalize` of one segment, kept for the next few: a document's segments are normalised
    for their words and again for their hashes (the key's text is hashed once per string and
    compared by identity, so a hit costs a dictionary look-up)."""
    return normalize(text, start, end)


def segment_hash(text: str, segment: Segment) -> str:
    """Short hash of a segment's normalised, case-folded text (finds recurring lines)."""
    return _segment_digest(text, segment).hex()


def segment_key(text: str, segment: Segment) -> int:
    """`segment_hash` as the signed 64-bit integer the store keeps (`store.hash_key` of it)."""
    return int.from_bytes(_segment_digest(text, segment), "big", signed=True)


def _segment_digest(text: str, segment: Segment) -> bytes:
    norm = _normalized(text, segment.start, segment.end).text.casefold()
    return hashlib.blake2b(norm.encode("utf-8"), digest_size=8).digest()


def segment_words(text: str, segment: Segment) -> list[Word]:
    """The segment's words, each with its original span (`original_span`, from the expanded map).

    One `split` on the word pattern gives the words and the text between them; the running sum
    of the pieces' lengths gives every word's place, without a match object per word.
    """
    norm = _normalized(text, segment.start, segment.end)
    pieces = _WORD_PIECES.split(norm.text)
    if len(pieces) == 1:
        return []
    bounds = list(accumulate(map(len, pieces)))  # word k spans bounds[2k]:bounds[2k + 1]
    forms = map(str.casefold, pieces[1::2]) if _GROUP_MARK.search(norm.text) is None else _figure_forms(pieces[1::2])
    if len(norm.pieces) == 1 and norm.pieces[0][3]:  # copied one to one (nearly always): a shift
        shift = norm.pieces[0][1] - norm.pieces[0][0]
        fields = zip(forms, map(shift.__add__, bounds[0:-1:2]), map(shift.__add__, bounds[1::2]))
    else:
        ends = norm.ends
        fields = zip(forms, map(norm.offsets.__getitem__, bounds[0:-1:2]), [ends[end - 1] for end in bounds[1::2]])
    return list(map(_new_tuple, _WORD_TYPE, fields))  # Word(*fields) without a Python call per word


def _figure_forms(words: list[str]) -> list[str]:
    """Case-folded word forms, a figure in groups of three as its digits ("17.051" -> "17051")."""
    return [
        word.translate(_GROUP_SEPARATORS) if _FIGURE_IN_GROUPS.fullmatch(word) else word.casefold()
        for word in words
    ]


_new_tuple = tuple.__new__
_WORD_TYPE = repeat(Word)


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
    positions = chosen.tolist()
    out["start"] = [words[position].start for position in positions]
    out["end"] = [words[position + k - 1].end for position in positions]
    return out


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine32 permutations for MINHASH_SEED (`MinHash._init_permutations`): a odd,
    b any, both uint32, drawn in this order from numpy's RandomState."""
    generator = np.random.RandomState(MINHASH_SEED)
    a = generator.randint(0, 1 << 31, MINHASH_PERMUTATIONS, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, MINHASH_PERMUTATIONS, dtype=np.uint32)
    return a, b


def _fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, which datasketch's affine32 scheme applies first."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


_DIGEST = operator.methodcaller("digest")


def minhash_values(words: list[Word], shingle: int = MINHASH_SHINGLE) -> np.ndarray:
    """The MinHash signature over word 3-gram shingles, as uint32: the values datasketch's
    `MinHash(num_perm=128, seed=1, scheme="affine32")` holds after `update` with each shingle
    (its own hash, `sha1_hash32`: the first four bytes of the sha1, little-endian). Computed here
    with numpy so that ingesting one article does not import datasketch and, through it, scipy
    (seconds of start-up for `provenance check`); a test checks the values against datasketch.
    """
    values = np.full(MINHASH_PERMUTATIONS, 0xFFFFFFFF, dtype=np.uint32)
    forms = [w.form for w in words]
    if len(forms) >= shingle:
        # The whole chain runs in C (no Python call per shingle): each shingle's full 20-byte
        # sha1, joined; the first four bytes of each are read as one little-endian uint32.
        shingles = map(" ".join, zip(*(forms[i:] for i in range(shingle))))
        digests = b"".join(map(_DIGEST, map(hashlib.sha1, map(str.encode, shingles))))
        first_words = np.frombuffer(digests, dtype="<u4")[:: hashlib.sha1().digest_size // 4]
        hashed = _fmix32(first_words.astype(np.uint32)).reshape(-1, 1)
        a, b = _permutations()
        with np.errstate(over="ignore"):
            values = np.minimum(values, (hashed * a + b).min(axis=0))
    return values


def minhash(words: list[Word], shingle: int = MINHASH_SHINGLE):
    """The signature as a datasketch `MinHash`, for notebooks and LSH indexes."""
    return load_minhash(minhash_values(words, shingle).astype("<u4").tobytes())


def fingerprints(doc: Document, words: list[Word] | None = None) -> list[dict]:
    """Rows for the `fingerprints` table: MinHash signature and winnowed k-grams.

    `words` may be passed when the caller has the content words already.
    """
    words = content_words(doc) if words is None else words
    signature = minhash_values(words)
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
            "value": signature.astype("<u4").tobytes(),
        },
        {
            "kind": "winnow",
            "params": WINNOW_PARAMS,
            "count": len(winnowed),
            "value": pack_winnow(winnowed),
        },
    ]


def load_minhash(value: bytes):
    """A stored signature as a datasketch `MinHash` (imported here: scipy comes with it)."""
    from datasketch import MinHash

    return MinHash(
        num_perm=MINHASH_PERMUTATIONS,
        seed=MINHASH_SEED,
        scheme=MINHASH_SCHEME,
        hashvalues=np.frombuffer(value, dtype="<u4").copy(),
    )


WINNOW_PARAMS = json.dumps(
    {"k": WINNOW_K, "window": WINNOW_WINDOW, "hash": "blake2b64-poly", "encoding": WINNOW_ENCODING}, sort_keys=True
)


def pack_winnow(rows: np.ndarray) -> bytes:
    """Winnowed k-grams (`WINNOW_DTYPE`, in text order) as stored: a 4-byte mark, the count
    (uint32), the 64-bit hashes, then for each k-gram the distance of its start from the previous
    start and its length in characters, as LEB128 varints (one byte each, nearly always): about
    10 bytes a k-gram instead of 16. `load_winnow` reads it back exactly."""
    starts = rows["start"].astype(np.int64)
    spans = np.empty(2 * len(rows), dtype=np.int64)
    spans[0::2] = np.diff(starts, prepend=0)
    spans[1::2] = rows["end"].astype(np.int64) - starts
    if len(rows) and (spans.min() < 0 or spans.max() >= 1 << 32):
        raise ValueError("winnowed k-grams must be in text order with non-negative lengths")
    return (
        WINNOW_MAGIC + np.uint32(len(rows)).astype("<u4").tobytes()
        + rows["hash"].astype("<u8").tobytes() + _varints(spans.astype(np.uint64))
    )


def load_winnow(value: bytes) -> np.ndarray:
    """A stored `winnow` value as `WINNOW_DTYPE` rows: `pack_winnow`'s bytes, or the fixed
    16-byte rows databases held before it (migration m014 rewrites those)."""
    count = _packed_count(value)
    if count is None:
        return np.frombuffer(value, dtype=WINNOW_DTYPE)
    spans = _from_varints(value[8 + 8 * count:])
    if len(spans) != 2 * count:
        raise ValueError("damaged winnow fingerprint")
    out = np.empty(count, dtype=WINNOW_DTYPE)
    out["hash"] = np.frombuffer(value, dtype="<u8", count=count, offset=8)
    starts = np.cumsum(spans[0::2])
    out["start"] = starts
    out["end"] = starts + spans[1::2]
    return out


def winnow_hashes(value: bytes) -> np.ndarray:
    """The k-gram hashes of a stored `winnow` value (uint64, in text order), without its spans."""
    count = _packed_count(value)
    if count is None:
        return np.frombuffer(value, dtype=WINNOW_DTYPE)["hash"]
    return np.frombuffer(value, dtype="<u8", count=count, offset=8)


def _packed_count(value: bytes) -> int | None:
    """How many k-grams a `pack_winnow` value holds; None for the old fixed rows."""
    if value[:4] == WINNOW_MAGIC and len(value) >= 8:
        count = int(np.frombuffer(value, dtype="<u4", count=1, offset=4)[0])
        if len(value) >= 8 + 10 * count:
            return count
    if len(value) % WINNOW_DTYPE.itemsize:
        raise ValueError("not a winnow fingerprint")
    return None


def _varints(values: np.ndarray) -> bytes:
    """Unsigned LEB128 of each value (below 2**35), concatenated."""
    if not len(values):
        return b""
    sizes = np.ones(len(values), dtype=np.int64)
    for bits in (7, 14, 21, 28):
        sizes += values >= np.uint64(1 << bits)
    at = np.cumsum(sizes) - sizes
    out = np.zeros(int(sizes.sum()), dtype=np.uint8)
    for j in range(int(sizes.max())):
        here = sizes > j
        more = (sizes[here] > j + 1).astype(np.uint8) << np.uint8(7)
        out[at[here] + j] = ((values[here] >> np.uint64(7 * j)) & np.uint64(0x7F)).astype(np.uint8) | more
    return out.tobytes()


def _from_varints(data: bytes) -> np.ndarray:
    """The values `_varints` wrote (a truncated last value is left out, so a count check fails)."""
    raw = np.frombuffer(data, dtype=np.uint8)
    if not len(raw):
        return np.empty(0, dtype=np.uint64)
    last = raw < 0x80
    ends = np.flatnonzero(last)
    if not len(ends):
        return np.empty(0, dtype=np.uint64)
    raw = raw[: ends[-1] + 1]
    starts = np.concatenate(([0], ends[:-1] + 1))
    group = np.repeat(np.arange(len(ends)), ends - starts + 1)
    shift = (np.arange(len(raw)) - starts[group]) * 7
    if shift.max() > 63:
        raise ValueError("damaged winnow fingerprint")
    pieces = (raw & 0x7F).astype(np.uint64) << shift.astype(np.uint64)
    return np.add.reduceat(pieces, starts)
