"""Speed benchmark: provenance's audit against a MinHashLSH + difflib peer, on one corpus in one run.

The peer is the pipeline a competent user would build from standard parts; both are measured
against an exhaustive ground truth of verbatim reuse and on planted paraphrases.

    .venv/bin/python benchmarks/speed.py [--corpus ../shared/eval/insm/] [--limit N] [--workdir DIR]

What one run does (each tool in its own child process, so one's memory never counts for the other):
1. Reads the corpus (a folder holding documents.jsonl[.gz], or such a file; the first N documents
   with --limit) and plants paraphrased derivatives of some of them (ids `planted_…`, see
   `plant`). Both tools get the same JSONL: the real documents followed by the planted ones.
2. Audits it with provenance into a fresh database, calling the same public functions as
   `provenance audit` (ingest, analyse_corpus, analyse_claims, report_object, write_reports), and
   prints wall time, CPU time (user+sys, child processes included) and peak RSS per stage, plus
   the time spent inside the main functions of each stage where they run in this process.
3. Runs the peer pipeline (see `peer`): datasketch MinHashLSH over word 5-gram shingles, then
   difflib verification of every candidate pair.
4. Computes the verbatim ground truth (see `ground_truth`): every pair of real documents sharing
   a run of GROUND_TRUTH_WORDS identical words that is not outlet boilerplate.
5. Prints the reuse-stage times (ours: candidates + alignment = `analyse_corpus`) and their ratio,
   the recall of both tools against the ground truth and on the planted paraphrases, and the
   pairs each reports beyond the ground truth, with samples.

Everything but the timings is deterministic: same corpus and options, same figures.
The corpora are not in the repository; the script says so when they are absent.
"""
from __future__ import annotations

import argparse
import datetime
import difflib
import functools
import gzip
import json
import os
import random
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "eval" / "insm"
if not DEFAULT_CORPUS.exists():
    DEFAULT_CORPUS = Path("/work/shared/eval/insm")

# Ground truth. 15 words is a whole clause of German news prose (sentences average 15-20 words):
# chance and set phrases ("nach Angaben der Polizei vom Sonntag") stay well below it, a reused
# sentence or quote reaches it. It is also longer than the 12-word run provenance's own rule
# uses, so the truth is not defined by the tool under test.
GROUND_TRUTH_WORDS = 15
# Boilerplate: a run of BOILERPLATE_WORDS words found in more than HANDFUL documents of one outlet
# (paywall teasers, newsletter plugs, press contacts, "about us" paragraphs) is cut out of that
# outlet's documents before the shared runs are looked for. The unit is shorter than the truth's
# run because boilerplate recurs in pieces: a press contact follows a different last sentence
# each time, so the 15-word runs that include it are each rare while the contact itself is not.
# A story in two feeds of one outlet plus a couple of updated versions stays below HANDFUL.
BOILERPLATE_WORDS = 8
HANDFUL = 5

# The peer. Word 5-grams are the usual shingle for near-duplicate text (long enough that
# everyday phrases do not make pages alike, short enough that an edit every few words still
# leaves shared shingles). 128 permutations is datasketch's default. Threshold 0.3: from there on
# the LSH candidates are dominated by pages sharing only a short teaser, and above it a page
# that takes a few paragraphs of a longer one is lost; a user who wants partial reuse as well as
# copies cannot go much higher.
PEER_SHINGLE_WORDS = 5
PEER_PERMUTATIONS = 128
PEER_SEED = 1
PEER_THRESHOLD = 0.3
# Verification with difflib's defaults (autojunk on): a pair is reported when the word
# sequences are near-duplicates (ratio >= 0.5) or share one passage of GROUND_TRUTH_WORDS words.
PEER_MIN_RATIO = 0.5
PEER_MIN_BLOCK = GROUND_TRUTH_WORDS

PLANTED_SEED = 8
PLANTED_PREFIX = "planted_"
_WORDS = re.compile(r"\w+")


# --- the corpus and the planted paraphrases ---------------------------------------------------

def corpus_file(path: Path) -> Path:
    if path.is_dir():
        for name in ("documents.jsonl.gz", "documents.jsonl"):
            if (path / name).exists():
                return path / name
        sys.exit(f"{path}: no documents.jsonl(.gz) in this folder (the eval corpora live in ../shared/eval/)")
    if not path.exists():
        sys.exit(f"{path}: corpus not found (the eval corpora live in ../shared/eval/)")
    return path


def read_corpus(path: Path, limit: int | None) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    documents = []
    with opener(path, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if limit is not None and len(documents) >= limit:
                break
            if line.strip():
                try:
                    documents.append(json.loads(line))
                except json.JSONDecodeError as error:
                    sys.exit(f"{path}: line {number}: not JSON ({error.msg})")
    return documents


# Sentences we wrote for the planted derivatives: generic filler a rewriting site adds.
FILLER = [
    "Die weitere Entwicklung bleibt abzuwarten.",
    "Eine abschließende Bewertung steht noch aus.",
    "Weitere Einzelheiten wurden zunächst nicht bekannt.",
    "Das Thema dürfte die Debatte in den kommenden Wochen prägen.",
    "Wie es nun weitergeht, ist offen.",
    "Beobachter sprechen von einem wichtigen Signal.",
    "Die Reaktionen fielen unterschiedlich aus.",
    "Für viele Menschen ist das eine gute Nachricht.",
]
# Function words swapped for near-equivalents, articles for demonstratives, and the indicative of
# auxiliaries for the subjunctive of reported speech (what a rewrite of a press release does).
# No thesaurus and no content word: the facts, names and figures stay.
SWAPS = {
    "und": "sowie", "sowie": "und", "aber": "doch", "auch": "ebenfalls", "bereits": "schon",
    "schon": "bereits", "jedoch": "allerdings", "allerdings": "jedoch", "etwa": "rund",
    "rund": "etwa", "zudem": "außerdem", "außerdem": "zudem", "nun": "jetzt", "jetzt": "nun",
    "sehr": "besonders", "deshalb": "daher", "daher": "deshalb", "damit": "somit",
    "sagte": "erklärte", "erklärte": "sagte", "betonte": "unterstrich", "hieß": "lautete",
    "wieder": "erneut", "erneut": "wieder", "derzeit": "aktuell", "aktuell": "derzeit",
    "zunächst": "vorerst", "dabei": "hierbei",
    "der": "dieser", "die": "diese", "das": "dieses", "den": "diesen", "dem": "diesem", "des": "dieses",
    "ein": "ein solcher", "eine": "eine solche",
    "ist": "sei", "sind": "seien", "hat": "habe", "haben": "hätten", "wird": "werde", "werden": "würden",
    "kann": "könne", "muss": "müsse", "soll": "solle", "will": "wolle",
}
SWAP_SHARE = 0.7
ASIDES = ["demnach", "offenbar", "wohl", "indes", "so heißt es", "nach eigenen Angaben", "laut Bericht", "freilich"]
UNCHANGED_MAX = (5, 8)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ„\"])")


def sentences(text: str) -> list[str]:
    return [s.strip() for line in text.splitlines() for s in _SENTENCE_END.split(line) if s.strip()]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _swap(word: str) -> str:
    new = SWAPS[word.lower()]
    return _capital(new) if word[:1].isupper() else new


def reword(sentence: str, rng: random.Random) -> list[str]:
    """One sentence in other order and other words; may come back as two sentences.

    Clauses around a comma change places, function words and auxiliaries are swapped, and
    where nothing changed for UNCHANGED_MAX words a writer's aside goes in, so the rewrite
    keeps the facts but no long verbatim run.
    """
    body, end = (sentence[:-1], sentence[-1]) if sentence[-1:] in ".!?" else (sentence, ".")
    parts = body.split(", ")
    if len(parts) == 2 and all(len(p.split()) >= 4 for p in parts) and rng.random() < 0.6:
        body = f"{_capital(parts[1])}, {parts[0]}"
    words, unchanged, limit = [], 0, rng.randint(*UNCHANGED_MAX)
    for word in body.split():
        core = word.strip(",;:\"„“”()")
        if core.lower() in SWAPS and rng.random() < SWAP_SHARE:
            words.append(word.replace(core, _swap(core)))
            unchanged = 0
            continue
        if unchanged >= limit:
            words.append(rng.choice(ASIDES))
            unchanged, limit = 0, rng.randint(*UNCHANGED_MAX)
        words.append(word)
        unchanged += 1
    body = " ".join(words)
    for joint in (", und ", ", aber ", ", doch ", ", sowie "):
        head, found, tail = body.partition(joint)
        if found and len(head.split()) >= 5 and len(tail.split()) >= 5:
            return [f"{head}{end}", f"{_capital(tail)}{end}"]
    return [f"{body}{end}"]


def derivative(doc: dict, rng: random.Random) -> str:
    """A rewrite of `doc` by plain operations: drop, reorder, split, merge, reword, add filler."""
    original = sentences(doc["text"])
    lead, rest = original[0], [s for s in original[1:] if rng.random() >= 0.2]
    for i in range(0, len(rest) - 1, 2):
        if rng.random() < 0.4:
            rest[i], rest[i + 1] = rest[i + 1], rest[i]
    out: list[str] = []
    for sentence in [lead, *rest]:
        out.extend(reword(sentence, rng))
    merged: list[str] = []
    for sentence in out:
        if merged and len(merged[-1].split()) < 10 and len(sentence.split()) < 10 and rng.random() < 0.5:
            merged[-1] = f"{merged[-1][:-1]} – {sentence}"
        else:
            merged.append(sentence)
    for filler in rng.sample(FILLER, rng.randint(1, 3)):
        merged.insert(rng.randint(1, len(merged)), filler)
    return " ".join(merged)


def plant(documents: list[dict], count: int, seed: int = PLANTED_SEED) -> list[dict]:
    """`count` paraphrased derivatives of real documents (6+ sentences, 150+ words), dated a day later."""
    eligible = sorted(
        (d for d in documents if len(sentences(d["text"])) >= 6 and len(_WORDS.findall(d["text"])) >= 150),
        key=lambda d: str(d["id"]),
    )
    rng = random.Random(seed)
    chosen = rng.sample(eligible, min(count, len(eligible)))
    planted = []
    for n, doc in enumerate(chosen):
        local = random.Random(f"{seed}:{doc['id']}")
        title = doc.get("title") or ""
        head, colon, tail = title.partition(": ")
        date = doc.get("date")
        try:
            date = (datetime.date.fromisoformat(str(date)[:10]) + datetime.timedelta(days=1)).isoformat()
        except ValueError:
            date = None
        planted.append({
            "id": f"{PLANTED_PREFIX}{n:03d}_of_{doc['id']}",
            "text": derivative(doc, local),
            "title": f"{tail}: {head}" if colon else title,
            "source": "planted-site",
            "date": date,
            "planted_from": doc["id"],
        })
    return planted


# --- ground truth ------------------------------------------------------------------------------

FEED_OUTLET = {"faznet": "faz", "derspiegel": "spiegel", "ntvde": "ntv", "focusfinanzen": "focus",
               "focuspolitik": "focus", "sternde": "stern", "rtlde": "rtl", "tonline": "t-online"}


def outlet(source: str | None) -> str:
    """The outlet behind a feed handle: FAZ_Politik, FAZ_Wirtschaft and faznet are all FAZ."""
    handle = (source or "").casefold().split("_")[0]
    return FEED_OUTLET.get(handle, handle)


def word_ids(documents: list[dict]):
    import numpy as np

    vocabulary: dict[str, int] = {}
    return [
        np.fromiter((vocabulary.setdefault(w, len(vocabulary)) for w in _WORDS.findall(d["text"].casefold())), dtype=np.int64)
        for d in documents
    ], len(vocabulary)


def _ngram_hashes(values, words, n: int):
    """The hash of every run of `n` words starting at each position (polynomial, wrapping uint64)."""
    import numpy as np

    count = len(words) - n + 1
    if count <= 0:
        return np.zeros(0, dtype=np.uint64)
    v = values[words]
    h = np.zeros(count, dtype=np.uint64)
    for k in range(n):
        h = h * np.uint64(1_000_003) + v[k: count + k]
    return h


def _pairs(postings: list, owners: list) -> set[tuple[int, int]]:
    """Every two documents that share a posting, from parallel arrays (hash, document index)."""
    import numpy as np

    if not postings:
        return set()
    allh, allo = np.concatenate(postings), np.concatenate(owners)
    order = np.lexsort((allo, allh))
    allh, allo = allh[order], allo[order]
    starts = np.flatnonzero(np.r_[True, allh[1:] != allh[:-1]])
    lengths = np.diff(np.r_[starts, len(allh)])
    groups = {tuple(allo[s: s + size].tolist()) for s, size in zip(starts[lengths >= 2], lengths[lengths >= 2])}
    return {(a, b) for group in groups for x, a in enumerate(group) for b in group[x + 1:]}


def shares_run(truth: dict, a: str, b: str) -> bool:
    """Whether two documents share a run of the truth's length before boilerplate is cut out."""
    import numpy as np

    runs = truth["runs"]
    return a in runs and b in runs and len(np.intersect1d(runs[a], runs[b], assume_unique=True)) > 0


def ground_truth(documents: list[dict], n: int = GROUND_TRUTH_WORDS, unit: int = BOILERPLATE_WORDS, handful: int = HANDFUL) -> dict:
    """Pairs of documents sharing a run of `n` identical words that is not outlet boilerplate.

    Words are case-folded `\\w+` tokens (punctuation ignored). Every word run is hashed (a seeded
    random 64-bit value per word, combined polynomially; collisions are negligible at this size).
    First pass: an inverted index of `unit`-word runs per outlet; a run held by more than
    `handful` documents of one outlet is boilerplate there, and every word it covers is cut out
    of that outlet's documents. Second pass: an inverted index of the `n`-word runs that cross no
    cut; every two documents sharing one are a pair. Also returns each document's runs before
    the cut, to tell pairs that share only boilerplate (see `shares_run`).
    """
    import numpy as np

    ids, size = word_ids(documents)
    values = np.random.default_rng(GROUND_TRUTH_WORDS).integers(0, 2**63, size=max(size, 1), dtype=np.uint64)
    outlets = [outlet(d.get("source")) for d in documents]
    # Each outlet's runs are keyed apart by mixing a per-outlet constant into the hash.
    salt = {name: np.uint64((i + 1) * 0x9E3779B97F4A7C15 % 2**64) for i, name in enumerate(sorted(set(outlets)))}
    short = [_ngram_hashes(values, words, unit) for words in ids]
    keyed = np.concatenate([np.zeros(0, dtype=np.uint64)] + [
        np.unique(h) ^ salt[outlets[i]] for i, h in enumerate(short)
    ])
    keys, counts = np.unique(keyed, return_counts=True)
    boilerplate = keys[counts > handful]
    clean, clean_owner, raw = [], [], {}
    cut_words = 0
    for index, words in enumerate(ids):
        long = _ngram_hashes(values, words, n)
        if not len(long):
            continue
        cut = np.zeros(len(words) + 1, dtype=np.int64)
        for start in np.flatnonzero(np.isin(short[index] ^ salt[outlets[index]], boilerplate)):
            cut[start] += 1
            cut[start + unit] -= 1
        covered = np.cumsum(cut)[: len(words)] > 0
        cut_words += int(covered.sum())
        crossing = np.convolve(covered.astype(np.int64), np.ones(n, dtype=np.int64), mode="valid") > 0
        raw[str(documents[index]["id"])] = np.unique(long)
        clean.append(np.unique(long[~crossing]))
        clean_owner.append(np.full(len(clean[-1]), index, dtype=np.int32))
    name = [str(d["id"]) for d in documents]

    def named(found):
        return {tuple(sorted((name[a], name[b]))) for a, b in found}

    pairs = named(_pairs(clean, clean_owner))
    counted = np.concatenate([np.zeros(0, dtype=np.uint64)] + clean)
    run_keys, run_documents = np.unique(counted, return_counts=True)
    return {
        "pairs": pairs,
        "runs": raw,
        "clean": {str(documents[int(owner[0])]["id"]): runs for runs, owner in zip(clean, clean_owner) if len(owner)},
        "run_keys": run_keys,
        "run_documents": run_documents,
        "outlets": {str(d["id"]): outlets[i] for i, d in enumerate(documents)},
        "boilerplate_runs": int(len(boilerplate)),
        "cut_share": cut_words / max(sum(len(w) for w in ids), 1),
    }


def what_they_share(truth: dict, a: str, b: str) -> tuple[str, str]:
    """A ground-truth pair's kind: of one outlet or of two, and whether one of the runs it
    shares (outside the cut) is in at most HANDFUL documents of the whole corpus, or all of them
    recur in more (a formula many outlets print: a statistic's definition, a daily report's
    standing lines). The headline recall counts every pair; this tells apart what it misses."""
    import numpy as np

    outlets = "same outlet" if truth["outlets"][a] == truth["outlets"][b] else "two outlets"
    shared = np.intersect1d(truth["clean"][a], truth["clean"][b], assume_unique=True)
    documents = truth["run_documents"][np.searchsorted(truth["run_keys"], shared)]
    return outlets, ("a rare run" if (documents <= HANDFUL).any() else "recurring runs only")


# --- measuring ---------------------------------------------------------------------------------

def _peak_rss_mb() -> float | None:
    """This process's peak RSS since the last reset (VmHWM), in MB; None where /proc lacks it."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class Stages:
    """Wall, CPU (self + children) and peak RSS of each named stage, in order."""

    def __init__(self) -> None:
        self.rows: list[dict] = []
        self.current = "setup"

    def run(self, name: str, work):
        self.current = name
        reset = _reset_peak()
        wall, cpu = time.perf_counter(), _cpu()
        value = work()
        peak = _peak_rss_mb()
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        self.rows.append({
            "stage": name,
            "wall": time.perf_counter() - wall,
            "cpu": _cpu() - cpu,
            "peak_rss_mb": peak if reset and peak else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "peak_is_since_start": not (reset and peak),
            "children_peak_rss_mb": children,
        })
        return value


def instrument(stages: Stages, targets: list[tuple[object, str, str]]) -> dict:
    """Wrap functions so the seconds spent inside them (inclusive) are summed per stage.

    Only calls made in this process through the module attribute are seen; work moved to
    worker processes or called by a name imported elsewhere does not show up, and is absent
    from the table rather than counted as zero.
    """
    spent: dict[tuple[str, str], list] = defaultdict(lambda: [0, 0.0])

    # functools.wraps keeps the module and name, so a wrapped function still pickles by
    # reference when the pipeline hands it to a process pool.
    def wrap(label, function):
        @functools.wraps(function)
        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                cell = spent[(stages.current, label)]
                cell[0] += 1
                cell[1] += time.perf_counter() - start
        return timed

    def wrap_generator(label, function):
        @functools.wraps(function)
        def timed(*args, **kwargs):
            iterator = iter(function(*args, **kwargs))
            while True:
                start = time.perf_counter()
                try:
                    item = next(iterator)
                except StopIteration:
                    return
                finally:
                    cell = spent[(stages.current, label)]
                    cell[0] += 1
                    cell[1] += time.perf_counter() - start
                yield item
        return timed

    for owner, attribute, label in targets:
        function = getattr(owner, attribute, None)
        if callable(function):
            wrapper = wrap_generator if label.endswith("(reading)") else wrap
            setattr(owner, attribute, wrapper(label, function))
    return spent


def run_ours(corpus: Path, workdir: Path, timers: bool = True) -> dict:
    """The audit, stage by stage, as `provenance audit` runs it (child process)."""
    from provenance import align, candidates, claims, derivation, fingerprint, metadata, pipeline, segment, store, terms
    from provenance import report as reports

    database = workdir / "provenance.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    stages = Stages()
    spent = {} if not timers else instrument(stages, [
        (pipeline, "read_paths", "read + normalise (reading)"),
        (metadata, "detect_language", "detect language"),
        (segment, "segment", "segment"),
        (metadata, "extract", "metadata"),
        (terms, "units", "terms.units"),
        (fingerprint, "fingerprints", "fingerprint"),
        (store, "save_documents", "store documents"),
        (pipeline, "refresh_recurring_boilerplate", "recurring boilerplate"),
        (store, "load_anchors", "candidates: load anchors"),
        (pipeline, "candidate_pairs", "candidates: all pairs (queries in workers)"),
        (candidates.AnchorIndex, "candidates", "candidates: query index"),
        (candidates, "formula_prints", "candidates: formula prints"),
        (pipeline, "in_judging_order", "candidates: order pairs"),
        (pipeline, "document_from_store", "load documents"),
        (derivation, "compare_profiles", "align + derivation"),
        (store, "save_verdict", "store verdicts"),
        (align, "align", "claims: align"),
        (claims, "check_claims", "claims: check"),
        (claims, "original_claims", "claims: extract originals"),
        (store, "save_claims", "store claims"),
        (pipeline, "credibility_view", "credibility"),
    ])
    db = stages.run("open database", lambda: store.open_db(database))
    pages = store.pages_in_use(db)
    run_id = store.start_run(db, "audit", [str(corpus)], pipeline.SETTINGS)
    result = stages.run("ingest", lambda: pipeline.ingest(db, [str(corpus)], run_id))
    analysis = stages.run("compare (candidates + align)", lambda: pipeline.analyse_corpus(db, result.new + result.updated, run_id))
    checked = stages.run("claims", lambda: pipeline.analyse_claims(db, run_id))
    store.finish_run(db, run_id, "done", {**result.counts(), "comparisons": analysis, "claims_documents": checked})
    report = stages.run("report object", lambda: pipeline.report_object(db, result))

    def write():
        errors = reports.validate_report(report)
        texts = dict(db.execute("select id, text from documents").fetchall())
        return errors, reports.write_reports(report, texts, workdir / "reports")

    errors, written = stages.run("validate + write reports", write)
    stages.run("compact database", lambda: store.compact_after(db, pages))  # as `provenance audit` ends
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    text_bytes = sum(len(t.encode("utf-8")) for (t,) in db.execute("select text from documents"))
    tables = table_bytes(db)
    stage_times = getattr(pipeline, "STAGE_TIMES", None)
    return {
        "stages": stages.rows,
        "inside": [
            {"stage": stage, "function": label, "calls": calls, "seconds": seconds}
            for (stage, label), (calls, seconds) in spent.items()
        ],
        "stage_times": json.loads(json.dumps(stage_times, default=str)) if stage_times else None,
        "comparisons": analysis,
        "documents": len(result.new) + len(result.updated) + len(result.unchanged),
        "problems": [str(p) for p in result.problems][:5],
        "report_errors": errors[:5],
        "report_files": len(written),
        "database_bytes": database.stat().st_size,
        "search_index_bytes": sum(size for name, size in tables.items() if name.startswith("segments_fts")) if tables else None,
        "table_bytes": tables,
        "text_bytes": text_bytes,
        "derivations": sorted([d["derivative"], d["source"]] for d in report["derivations"]),
        "related": sorted([*sorted(r["documents"]), r["reason"]] for r in report["related"]),
    }


def table_bytes(db) -> dict[str, int] | None:
    """Bytes of pages per table and index (SQLite's dbstat), largest first; None where the
    SQLite build has no dbstat."""
    try:
        rows = db.execute("select name, sum(pgsize) from dbstat group by name order by 2 desc, 1").fetchall()
    except sqlite3.OperationalError:  # no such table: dbstat
        return None
    return dict(rows)


def peer(documents: list[dict], threshold: float = PEER_THRESHOLD) -> dict:
    """MinHashLSH over word 5-gram shingles, then difflib on each candidate pair (child process)."""
    from datasketch import MinHash, MinHashLSH

    stages = Stages()

    def signatures():
        words, sketches = {}, {}
        for d in documents:
            w = _WORDS.findall(d["text"].casefold())
            words[str(d["id"])] = w
            shingles = {" ".join(w[i: i + PEER_SHINGLE_WORDS]) for i in range(max(len(w) - PEER_SHINGLE_WORDS + 1, 1))}
            m = MinHash(num_perm=PEER_PERMUTATIONS, seed=PEER_SEED)
            m.update_batch([s.encode("utf-8") for s in sorted(shingles)])
            sketches[str(d["id"])] = m
        return words, sketches

    def lsh_pairs(sketches):
        lsh = MinHashLSH(threshold=threshold, num_perm=PEER_PERMUTATIONS)
        for key, m in sketches.items():
            lsh.insert(key, m)
        found = set()
        for key, m in sketches.items():
            found.update(tuple(sorted((key, other))) for other in lsh.query(m) if other != key)
        return sorted(found), lsh.b, lsh.r

    def verify(words, candidates):
        kept = []
        for a, b in candidates:
            blocks = difflib.SequenceMatcher(None, words[a], words[b]).get_matching_blocks()
            matched = sum(block.size for block in blocks)
            ratio = 2 * matched / max(len(words[a]) + len(words[b]), 1)
            if ratio >= PEER_MIN_RATIO or max(block.size for block in blocks) >= PEER_MIN_BLOCK:
                kept.append([a, b])
        return kept

    words, sketches = stages.run("shingles + MinHash", signatures)
    candidates, bands, rows = stages.run("LSH index + query", lambda: lsh_pairs(sketches))
    pairs = stages.run("difflib verification", lambda: verify(words, candidates))
    return {
        "stages": stages.rows, "candidates": [list(p) for p in candidates], "pairs": pairs,
        "threshold": threshold, "bands": bands, "rows": rows,
    }


def child(kind: str, workdir: Path, threshold: float, timers: bool = True) -> None:
    corpus = workdir / "corpus.jsonl"
    if kind == "ours":
        result = run_ours(corpus, workdir, timers)
    else:
        result = peer(read_corpus(corpus, None), threshold)
    (workdir / f"{kind}.json").write_text(json.dumps(result))


def run_child(kind: str, workdir: Path, threshold: float = PEER_THRESHOLD, timers: bool = True) -> dict:
    """One tool in a fresh interpreter; its own figures plus the whole child's wall, CPU and peak RSS."""
    start = time.perf_counter()
    command = [sys.executable, __file__, "--child", kind, "--workdir", str(workdir), "--peer-threshold", str(threshold)]
    if not timers:
        command.append("--no-timers")
    process = subprocess.Popen(command)
    _, status, usage = os.wait4(process.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"the {kind} run failed (exit {code}); its error is above")
    result = json.loads((workdir / f"{kind}.json").read_text())
    result["process"] = {
        "wall": time.perf_counter() - start,
        "cpu": usage.ru_utime + usage.ru_stime,
        # resetting the high-water mark per stage resets the kernel's figure too: take the larger
        "peak_rss_mb": max([usage.ru_maxrss / 1024, *(row["peak_rss_mb"] for row in result["stages"])]),
    }
    return result


# --- printing ----------------------------------------------------------------------------------

def stage_table(title: str, result: dict) -> None:
    print(f"\n{title}")
    workers = any(row["children_peak_rss_mb"] for row in result["stages"])
    print(f"  {'stage':32} {'wall s':>8} {'CPU s':>8} {'peak RSS MB':>12}" + ("  largest child process so far, MB" if workers else ""))
    for row in result["stages"]:
        mark = " (since start)" if row["peak_is_since_start"] else ""
        child = f"  {row['children_peak_rss_mb']:12.0f}" if workers else ""
        print(f"  {row['stage']:32} {row['wall']:8.2f} {row['cpu']:8.2f} {row['peak_rss_mb']:12.0f}{child}{mark}")
    p = result["process"]
    print(f"  {'whole process (with start-up)':32} {p['wall']:8.2f} {p['cpu']:8.2f} {p['peak_rss_mb']:12.0f}")


def share(found: int, total: int) -> str:
    return f"{found}/{total} = {found / total:.1%}" if total else f"{found}/0 (no pairs)"


def sample(pairs, count: int = 10) -> list:
    pairs = sorted(pairs)
    if len(pairs) <= count:
        return pairs
    return [pairs[i * len(pairs) // count] for i in range(count)]


def report(args, documents, planted, ours, theirs, truth, truth_seconds) -> None:
    print(f"corpus      {args.corpus_file}: {len(documents)} documents"
          f"{f' (first {args.limit})' if args.limit else ''} + {len(planted)} planted paraphrases")
    print(f"machine     {os.cpu_count()} CPUs, load average {' '.join(f'{x:.2f}' for x in args.load)} at the start, "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} at the end (other users' work included)")
    stage_table("provenance (in-process calls of the public pipeline, as `provenance audit` runs them)", ours)
    rest = [r for r in ours["inside"]]
    if rest:
        print("  time inside functions (inclusive, calls in this process only; workers not seen):")
        order = [row["stage"] for row in ours["stages"]]
        for r in sorted(rest, key=lambda r: (order.index(r["stage"]) if r["stage"] in order else 99, -r["seconds"])):
            print(f"    {r['stage'][:20]:20} {r['function']:30} {r['seconds']:8.2f} s  {r['calls']:>8} calls")
    if ours["stage_times"]:
        print("  pipeline.STAGE_TIMES:")
        for key, value in ours["stage_times"].items():
            print(f"    {key:30} {value}")
    size = ours["database_bytes"]
    print(f"  database {size / 2**20:.1f} MB = {size / max(ours['text_bytes'], 1):.2f}x the documents' "
          f"{ours['text_bytes'] / 2**20:.1f} MB of UTF-8 text; {ours['comparisons'].get('pairs')} pairs compared; "
          f"{ours['report_files']} report files")
    fts = ours.get("search_index_bytes")
    if fts is not None:
        print(f"  without the full-text index (provenance search-index off): {(size - fts) / 2**20:.1f} MB = "
              f"{(size - fts) / max(ours['text_bytes'], 1):.2f}x; the index itself {fts / 2**20:.1f} MB")
        biggest = list(ours["table_bytes"].items())[:8]
        print("  largest tables and indexes: " + ", ".join(
            f"{name} {value / max(ours['text_bytes'], 1):.2f}x" for name, value in biggest))
    if ours["problems"] or ours["report_errors"]:
        print(f"  problems: {ours['problems']} report errors: {ours['report_errors']}")
    stage_table(
        f"peer: MinHashLSH (word {PEER_SHINGLE_WORDS}-grams, {PEER_PERMUTATIONS} permutations, threshold "
        f"{theirs['threshold']}: {theirs['bands']} bands x {theirs['rows']} rows) + difflib verification", theirs,
    )
    print(f"  {len(theirs['candidates'])} LSH candidate pairs, {len(theirs['pairs'])} verified")

    ours_reuse = next(r for r in ours["stages"] if r["stage"].startswith("compare"))
    peer_all = sum(r["wall"] for r in theirs["stages"])
    peer_match = sum(r["wall"] for r in theirs["stages"] if r["stage"] != "shingles + MinHash")
    print("\nreuse stage (wall)")
    print(f"  ours: candidates + alignment + derivation   {ours_reuse['wall']:8.2f} s  (CPU {ours_reuse['cpu']:.2f} s)")
    print(f"  peer: shingles + MinHash + LSH + difflib    {peer_all:8.2f} s")
    peer_cpu = sum(r["cpu"] for r in theirs["stages"])
    print(f"  ratio peer / ours                           {peer_all / max(ours_reuse['wall'], 1e-9):8.2f}"
          f"  (CPU seconds: peer {peer_cpu:.2f} / ours {ours_reuse['cpu']:.2f} = {peer_cpu / max(ours_reuse['cpu'], 1e-9):.2f};"
          f" steadier than wall time on a busy machine)")
    print(f"  (peer without signatures, LSH + difflib {peer_match:.2f} s: ratio {peer_match / max(ours_reuse['wall'], 1e-9):.2f};"
          f" our fingerprints are made during ingest)")

    real = {str(d["id"]) for d in documents}
    kinds = {tuple(sorted(p)): "derivation" for p in ours["derivations"]}
    kinds.update({tuple(sorted(p)): f"related ({reason})" for *p, reason in ours["related"]})
    ours_pairs = set(kinds)
    peer_pairs = {tuple(p) for p in theirs["pairs"]}
    peer_candidates = {tuple(p) for p in theirs["candidates"]}
    gt = truth["pairs"]
    print(f"\nverbatim ground truth: {len(gt)} pairs of real documents sharing a {GROUND_TRUTH_WORDS}-word run, "
          f"once {truth['cut_share']:.1%} of the words are cut out as outlet boilerplate ({truth['boilerplate_runs']} "
          f"{BOILERPLATE_WORDS}-word runs each in > {HANDFUL} documents of one outlet); computed in {truth_seconds:.1f} s")
    print(f"  recall, ours (derivations or related)   {share(len(gt & ours_pairs), len(gt))}")
    print(f"  recall, peer (verified pairs)           {share(len(gt & peer_pairs), len(gt))}")
    print(f"  recall, peer LSH candidates (unverified) {share(len(gt & peer_candidates), len(gt))}")
    missed = sorted(gt - ours_pairs)
    kind_of = {pair: what_they_share(truth, *pair) for pair in gt}
    print(f"  by what a pair shares (a run outside the cut in at most {HANDFUL} documents of the corpus, or only runs in more):")
    print(f"    {'':34} {'pairs':>7} {'missed':>7}  recall")
    for kind in sorted(set(kind_of.values())):
        total = [pair for pair in gt if kind_of[pair] == kind]
        lost = sum(1 for pair in total if pair not in ours_pairs)
        print(f"    {kind[0] + ', ' + kind[1]:34} {len(total):7} {lost:7}  {(len(total) - lost) / max(len(total), 1):.1%}")
    if missed:
        print(f"  ground-truth pairs we miss (sample of {min(10, len(missed))}): "
              + ", ".join(f"{a}~{b}" for a, b in sample(missed)))

    planted_pairs = {tuple(sorted((p["id"], p["planted_from"]))): p["id"] for p in planted}
    derived_from = {(a, b) for a, b in ours["derivations"]}
    ours_planted = [pair for pair in planted_pairs if pair in ours_pairs]
    right_way = [pair for pair, pid in planted_pairs.items() if (pid, next(x for x in pair if x != pid)) in derived_from]
    longest = planted_runs(planted, documents)
    print(f"\nplanted paraphrases: {len(planted)} (longest run shared with the original: median "
          f"{longest['median']} words, {longest['verbatim']} of them share a {GROUND_TRUTH_WORDS}-word run)")
    print(f"  recall, ours   {share(len(ours_planted), len(planted_pairs))}"
          f"  (as a derivation of the original: {len(right_way)})")
    print(f"  recall, peer   {share(sum(1 for p in planted_pairs if p in peer_pairs), len(planted_pairs))}")

    def beyond(pairs):
        extra = {p for p in pairs - gt if p[0] in real and p[1] in real}
        return extra, {p for p in extra if shares_run(truth, *p)}

    for name, pairs in (("ours", ours_pairs), ("peer", peer_pairs)):
        extra, boiler = beyond(pairs)
        print(f"\n{name}: {len(pairs)} pairs reported, {len(extra)} between real documents beyond the ground truth "
              f"({len(boiler)} share only outlet boilerplate, {len(extra) - len(boiler)} share no "
              f"{GROUND_TRUTH_WORDS}-word run)")
        if name == "ours" and extra:
            print("  by verdict: " + ", ".join(f"{k} {v}" for k, v in sorted(Counter(kinds[p] for p in extra).items())))
        if extra:
            print(f"  sample: " + ", ".join(f"{a}~{b}" for a, b in sample(extra)))


def planted_runs(planted: list[dict], documents: list[dict]) -> dict:
    """Longest word run each planted document shares with its original (difflib, exact)."""
    text = {str(d["id"]): d["text"] for d in documents}
    runs = []
    for p in planted:
        a = _WORDS.findall(p["text"].casefold())
        b = _WORDS.findall(text[p["planted_from"]].casefold())
        match = difflib.SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
        runs.append(match.size)
    runs.sort()
    return {"median": runs[len(runs) // 2] if runs else 0, "verbatim": sum(1 for r in runs if r >= GROUND_TRUTH_WORDS)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS), help="folder with documents.jsonl[.gz], or the file")
    parser.add_argument("--limit", type=int, help="take only the first N documents (quick runs)")
    parser.add_argument("--planted", type=int, default=100, help="paraphrased derivatives to plant (default 100)")
    parser.add_argument("--workdir", help="where the database, reports and corpus copy go (default: a temporary folder)")
    parser.add_argument("--peer-threshold", type=float, default=PEER_THRESHOLD,
                        help=f"the peer's MinHashLSH Jaccard threshold (default {PEER_THRESHOLD})")
    parser.add_argument("--no-timers", action="store_true",
                        help="skip the time-inside-functions table (it wraps pipeline functions in the audit's process)")
    parser.add_argument("--child", choices=("ours", "peer"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, Path(args.workdir), args.peer_threshold, not args.no_timers)
        return
    if args.limit is not None and args.limit < 1:
        sys.exit(f"--limit {args.limit}: give a positive number of documents")
    if not 0 < args.peer_threshold <= 1:
        sys.exit(f"--peer-threshold {args.peer_threshold}: give a Jaccard threshold in (0, 1]")
    args.corpus_file = corpus_file(Path(args.corpus))
    args.load = os.getloadavg()
    workdir = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="provenance-speed-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        documents = read_corpus(args.corpus_file, args.limit)
        planted = plant(documents, args.planted)
        with open(workdir / "corpus.jsonl", "w", encoding="utf-8") as out:
            for d in documents:
                out.write(json.dumps(d, ensure_ascii=False) + "\n")
            for p in planted:
                # where it was planted from stays with us: the tools see only the article
                out.write(json.dumps({k: v for k, v in p.items() if k != "planted_from"}, ensure_ascii=False) + "\n")
        ours = run_child("ours", workdir, timers=not args.no_timers)
        theirs = run_child("peer", workdir, args.peer_threshold)
        start = time.perf_counter()
        truth = ground_truth(documents)
        report(args, documents, planted, ours, theirs, truth, time.perf_counter() - start)
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
