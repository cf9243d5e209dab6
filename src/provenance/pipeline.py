"""The stages in order: read → segment → metadata → fingerprint → store (`ingest`), then
candidates → align → derivation (`analyse_corpus`), claims (`analyse_claims`), and the
report object with outlets, attribution and credibility (`report_object`).

Plain functions over the store; the CLI and the notebook API (`provenance.audit`,
`provenance.compare`) both call these, so what a script sees is what the terminal shows.
"""
from __future__ import annotations

import bisect
import contextlib
import functools
import gc
import hashlib
import json
import os
import pickle
import tempfile
from collections import OrderedDict, deque
from dataclasses import dataclass, field, fields as dataclass_fields
from typing import Callable, Iterable, Iterator

import numpy as np
import sqlite_utils

from . import align, candidates, claims, credibility, derivation, fingerprint, metadata, segment, store, terms
from .document import Document, Segment
from .ingest import Problem, RawRecord, read_paths

SETTINGS = {
    "minhash": {
        "permutations": fingerprint.MINHASH_PERMUTATIONS,
        "seed": fingerprint.MINHASH_SEED,
        "shingle_words": fingerprint.MINHASH_SHINGLE,
    },
    "winnow": {"k": fingerprint.WINNOW_K, "window": fingerprint.WINNOW_WINDOW},
    "recurring_min_documents": store.RECURRING_MIN_DOCUMENTS,
}


@dataclass
class IngestResult:
    run_id: int | None = None
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    recurring_segments: int = 0

    def read(self) -> list[str]:
        """Every document this run read, stored before or not: a run killed (or outpaced by another
        process) after storing a document may never have compared it; pairs already judged cost nothing."""
        return self.new + self.updated + self.unchanged

    def counts(self) -> dict:
        return {
            "new": len(self.new),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "skipped": len(self.problems),
            "recurring_segments": self.recurring_segments,
        }


def analyse(raw: RawRecord, content_hash: str | None = None) -> tuple[Document, list[tuple[int, int]]]:
    """One raw record → a segmented, described document and its paragraph spans.

    `content_hash` may be passed when the caller has computed it already.
    """
    given_language = metadata.normalise_language(raw.given.get("language"))
    language = given_language or metadata.detect_language(raw.text)
    segments = segment.segment(raw.text, language)
    fields, found = metadata.extract(raw.text, segments, {**raw.given, "language": language})
    if language and not given_language:
        found["language"] = "detected"
    doc = Document(
        id=raw.id,
        text=raw.text,
        origin=raw.origin,
        format=raw.format,
        source=raw.given.get("source"),
        metadata=raw.extra,
        found={**found, **({"source": "given"} if raw.given.get("source") else {})},
        content_hash=content_hash or fingerprint.content_hash(raw.text),
        segments=segments,
        **{key: fields.get(key) for key in ("title", "url", "date", "author", "language", "dateline", "wire_credit")},
    )
    return doc, segment.paragraphs(raw.text)


def ingest(
    db: sqlite_utils.Database,
    paths: Iterable[str],
    run_id: int | None = None,
    on_problem: Callable[[Problem], None] | None = None,
    progress: Callable[[], None] | None = None,
    workers: int | None = None,
) -> IngestResult:
    """Read, analyse and store every document under `paths`; one transaction per batch of
    documents, in input order whatever the number of worker processes.

    With workers, the next batch is analysed while this process stores the one before: a
    document read is looked up in the store only once every earlier batch holding its id is
    stored, so what is stored is what storing each batch before reading the next would give."""
    result = IngestResult(run_id=run_id)
    pending: list[tuple[RawRecord, str | None]] = []
    pending_ids: set[str] = set()
    preparing = _Ahead(_prepare_rows, workers)

    def store_batch(analysed: Iterable[dict]) -> None:
        for document_id, outcome in store.save_documents(db, analysed, run_id):
            getattr(result, outcome).append(document_id)

    def flush() -> None:
        preparing.submit(list(pending), store_batch, [raw.id for raw, _ in pending])
        pending.clear()
        pending_ids.clear()

    try:
        for item in read_paths(paths):
            if progress:
                progress()
            if isinstance(item, Problem):
                result.problems.append(item)
                store.save_problem(db, run_id, item.origin, item.line, item.message)
                if on_problem:
                    on_problem(item)
                continue
            if preparing.holds(item.id):
                preparing.drain()
            # A document whose id is not stored yet (most of them) is hashed by its worker.
            stored = store.stored_hash(db, item.id)
            digest = None if stored is None else fingerprint.content_hash(item.text)
            if stored is not None and stored == digest:
                result.unchanged.append(item.id)
                continue
            if item.id in pending_ids:
                flush()
                preparing.drain()
            pending.append((item, digest))
            pending_ids.add(item.id)
            if len(pending) >= INGEST_BATCH:
                flush()
        if pending:
            flush()
        preparing.drain()
    finally:
        preparing.close()
    store.merge_pending_anchors(db)
    result.recurring_segments = refresh_recurring_boilerplate(db, workers)
    return result


INGEST_BATCH = 256        # documents per write transaction (and per hand-out to the workers)


class _Ahead:
    """`function` over batches of jobs in worker processes, each batch's results handed to its
    `store_batch` in the order given, at most one batch computed ahead of the one being stored
    (so the workers are busy while this process writes). The pool is started once, on the
    first batch big enough to pay for it."""

    def __init__(self, function: Callable, workers: int | None):
        self.function = function
        self.workers = workers
        self.pool = None
        self.ahead: tuple[set[str], object, Callable] | None = None

    def holds(self, document_id: str) -> bool:
        return self.ahead is not None and document_id in self.ahead[0]

    def submit(self, jobs: list, store_batch: Callable[[Iterable], None], ids: Iterable[str] = ()) -> None:
        if worker_count(len(jobs), self.workers) <= 1:
            self.drain()
            store_batch(map(self.function, jobs))
            return
        if self.pool is None:
            import multiprocessing

            warm_up()
            gc.freeze()  # what the workers inherit is never walked, so never copied page by page
            try:
                self.pool = multiprocessing.get_context("fork").Pool(
                    worker_count(max(len(jobs), INGEST_BATCH), self.workers), initializer=_few_collections_here,
                )
            finally:
                gc.unfreeze()
        previous, self.ahead = self.ahead, (set(ids), self.pool.map_async(self.function, jobs, chunksize=8), store_batch)
        if previous is not None:
            previous[2](previous[1].get())

    def drain(self) -> None:
        if self.ahead is not None:
            _, results, store_batch = self.ahead
            self.ahead = None
            store_batch(results.get())

    def close(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool = None


def _few_collections_here() -> None:
    """In a worker process: the cycle collector run rarely. Analysing a document makes thousands of
    short-lived objects without cycles (words, segments, rows), and the word caches grow to
    hundreds of thousands of entries that each full collection walks again; the default
    thresholds cost a tenth of the analysis time. The objects inherited from the parent were
    frozen before the fork: walking them would copy every page they sit on. Same results."""
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])


def _analysed(job: tuple[RawRecord, str | None]) -> tuple[Document, list[tuple[int, int]], list[terms.Unit], list[dict]]:
    """Everything about one document that needs no database: the part worth a second core
    (its content hash too, where the job does not bring it)."""
    raw, digest = job
    doc, paragraphs = analyse(raw, digest)
    units = terms.units(doc)
    return doc, paragraphs, units, fingerprint.fingerprints(doc, [word for unit in units for word in unit.words])


def _prepare_document(job: tuple[RawRecord, str | None]) -> tuple[Document, list[tuple[int, int]], list[dict], list[str]]:
    """`_analysed` with the document's anchor terms."""
    doc, paragraphs, units, prints = _analysed(job)
    return doc, paragraphs, prints, anchors_of(units, prints)


def _prepare_rows(job: tuple[RawRecord, str | None]) -> dict:
    """`_analysed` as the rows the store writes (its anchors as the index keys them)."""
    doc, paragraphs, units, prints = _analysed(job)
    return store.document_rows(doc, paragraphs, prints, keys=anchor_keys(units, prints))


def worker_count(jobs: int, requested: int | None = None, minimum_per_worker: int = 32) -> int:
    """How many processes: `requested` if given (tests, `--workers`); else `PROVENANCE_WORKERS`
    or every core, but never so many that a process gets fewer than `minimum_per_worker`
    jobs, where starting it would cost more than it saves."""
    if requested:
        return max(1, min(requested, jobs))
    wanted = int(os.environ.get("PROVENANCE_WORKERS", "0") or 0) or os.cpu_count() or 1
    return max(1, min(wanted, jobs // minimum_per_worker))


def warm_up() -> None:
    """Load the language model and word lists once, before forking, so workers share them."""
    metadata.detect_language("Guten Morgen, dies ist ein kurzer Text.")
    for language in ("de", "en"):
        terms.word_weight("Handelspartner", language)
        terms._frequencies(language).whole()


def anchors_of(units: list[terms.Unit], prints: list[dict]) -> list[str]:
    """Index terms of a document: informative stems, and its winnowed k-grams as '#hex' terms."""
    winnowed = next(p for p in prints if p["kind"] == "winnow")
    hashes = np.unique(fingerprint.winnow_hashes(winnowed["value"])).tolist()  # sorted, distinct
    return terms.anchor_terms(units) + [f"{candidates.PASSAGE_PRINT}{h:016x}" for h in hashes]


def anchor_keys(units: list[terms.Unit], prints: list[dict]) -> list[int | str]:
    """`anchors_of` as the index stores them, in its order (`store.anchor_key` of each, sorted
    by `store._key_order`): the winnowed k-grams' hashes as signed 64-bit integers, ascending,
    then the stems, sorted; without writing each hash out in hex and reading it back."""
    winnowed = next(p for p in prints if p["kind"] == "winnow")
    hashes = np.unique(fingerprint.winnow_hashes(winnowed["value"]).astype("<i8")).tolist()
    return hashes + sorted(terms.anchor_terms(units))


def refresh_recurring_boilerplate(db: sqlite_utils.Database, workers: int | None = None) -> int:
    """Flag lines recurring across one source's documents and re-fingerprint what changed.

    The documents are re-fingerprinted in worker processes, from their stored segments with
    the new flags; the flags and the fingerprints of a batch of documents change in one
    transaction, so a kill midway leaves every document consistent and the next run
    finishes the rest.
    """
    changes = store.recurring_changes(db)
    document_ids = list(changes)
    refreshing = _Ahead(fingerprint.fingerprints, workers)

    def store_batch(batch: list[str], prints: Iterable[list[dict]]) -> None:
        with store.write_transaction(db):
            for document_id, rows in zip(batch, prints):
                store.apply_segment_flags(db, changes[document_id])
                store.replace_fingerprints(db, document_id, rows)

    try:
        for at in range(0, len(document_ids), INGEST_BATCH):
            batch = document_ids[at:at + INGEST_BATCH]
            numbers = store.segment_numbers(db, [segment for document_id in batch for segment, _, _ in changes[document_id]])
            docs = [_flagged(doc, changes[doc.id], numbers) for doc in documents_from_store(db, batch)]
            refreshing.submit(docs, functools.partial(store_batch, batch))
        refreshing.drain()
    finally:
        refreshing.close()
    return db.execute("select count(*) from segment_spans where reason = 'recurring'").fetchone()[0]


def _flagged(doc: Document, changes: list[tuple], numbers: dict[int, int]) -> Document:
    """`doc` as the store holds it once `changes` (segment id, boilerplate, reason) are applied."""
    flags = {numbers[segment]: (bool(flag), reason) for segment, flag, reason in changes}
    for seg in doc.segments:
        if seg.n in flags:
            seg.boilerplate, seg.reason = flags[seg.n]
    return doc


def document_from_store(db: sqlite_utils.Database, document_id: str) -> Document:
    return next(documents_from_store(db, [document_id]))


def documents_from_store(db: sqlite_utils.Database, document_ids: list[str], chunk: int = 500) -> Iterator[Document]:
    """Stored documents with their segments, in the given order, two queries per chunk."""
    columns = "id, text, language, date, wire_credit, source, title, content_hash, url, metadata, found"
    for at in range(0, len(document_ids), chunk):
        ids = document_ids[at:at + chunk]
        marks = ", ".join("?" for _ in ids)
        rows = {row[0]: row for row in db.execute(f"select {columns} from documents where id in ({marks})", ids)}
        spans = store.load_spans(db, ids)
        for document_id in ids:
            row = rows[document_id]
            text = row[1]
            segments = [
                Segment(
                    n=s["n"], kind=s["kind"], paragraph=s["paragraph"], start=s["start"], end=s["end"],
                    text=text[s["start"]:s["end"]], boilerplate=bool(s["boilerplate"]), reason=s["reason"],
                )
                for s in spans[document_id]
            ]
            yield Document(
                id=document_id, text=text, language=row[2], date=row[3], wire_credit=row[4], source=row[5],
                title=row[6], content_hash=row[7], url=row[8], segments=segments, metadata=json.loads(row[9] or "{}"),
                found=json.loads(row[10] or "{}"),
            )


def profile(
    doc: Document, formula_spans: list[tuple[int, int]] = (), outlets: credibility.Registry | None = None,
) -> derivation.Profile:
    """What a pair verdict needs of one document; sentences made mostly of formula text
    (see `store.formula_prints`) take no part in it, but are kept aside (`Profile.standing`): a
    long passage shared through them still relates two texts. With the outlet registry, also
    the outlets it credits and where, and its own outlet's name: words it quotes as said to
    another outlet come from that outlet's text."""
    units, standing = terms.units(doc), []
    if formula_spans:
        formula = [_formula_share(u, formula_spans) >= FORMULA_SHARE for u in units]
        standing = [u for u, is_formula in zip(units, formula) if is_formula]
        units = [u for u, is_formula in zip(units, formula) if not is_formula]
    credits, registry_outlet, agency_copy, resolution, signed_by = (), None, False, None, frozenset()
    by_agency = feedless = False
    sign_off = metadata.sign_off(doc)
    if outlets is not None:
        resolution = credibility.resolve(doc, outlets)
        credits = credibility.credit_phrases(doc, outlets, resolution)
        outlet = resolution.get("outlet") or {}
        registry_outlet, by_agency = outlet.get("name"), outlet.get("role") == "news agency"
        feedless = bool(outlet) and outlet.get("role") not in (*derivation.NEWSROOM_ROLES, "news agency") and (
            outlet.get("role") != "unknown" or credibility.low_rated(outlet, doc.url)
        )
        if sign_off:
            signed_by = frozenset(credibility.named_outlets(sign_off, outlets) - {registry_outlet})
        # dpa's own text signed '(dpa)' is dpa's, not agency copy on another outlet's site
        agency_copy = metadata.agency_copy(doc) and registry_outlet not in credibility.named_outlets(doc.wire_credit, outlets)
    return derivation.Profile(
        id=doc.id,
        units=units,
        date=doc.date,
        wire_credit=doc.wire_credit,
        source=doc.source,
        title=doc.title,
        quotes=terms.quotations(doc),
        url=own_url(doc, resolution),
        release=metadata.is_release(doc),
        agency_copy=agency_copy,
        by_agency=by_agency,
        obtained=metadata.obtained_documents(doc),
        credits=credits,
        registry_outlet=registry_outlet,
        feedless=feedless,
        signed_by=signed_by,
        sign_off=sign_off,
        standing=standing,
    )


def own_url(doc: Document, resolution: dict | None = None) -> str | None:
    """The document's URL as the derivation rules read it (its site is its outlet): not another
    site's permalink left in a copy (`credibility.copied_permalink`)."""
    if doc.url and credibility.copied_permalink(doc, (resolution or {}).get("evidence", [])):
        return None
    return doc.url


FORMULA_SHARE = 0.5


def _formula_share(unit: terms.Unit, spans: list[tuple[int, int]]) -> float:
    near = terms.overlapping(spans, unit.start, unit.end)  # most sentences have none
    covered = sum(1 for w in unit.words if terms.inside(near, w.start, w.end)) if near else 0
    return covered / len(unit.words) if unit.words else 0.0


def formula_spans(db: sqlite_utils.Database, document_id: str, formula: set[str]) -> list[tuple[int, int]]:
    value = store.winnowed(db, document_id)
    if not formula or value is None:
        return []
    return formula_spans_of(value, formula)


def winnow_terms(winnowed: bytes) -> set[str]:
    """The '#hex' anchor terms of a `winnow` fingerprint's k-grams."""
    return {f"{candidates.PASSAGE_PRINT}{int(h):016x}" for h in fingerprint.winnow_hashes(winnowed)}


def formula_spans_of(winnowed: bytes, formula: set[str]) -> list[tuple[int, int]]:
    """Merged character spans of the winnowed k-grams (a `winnow` fingerprint) that are formula."""
    hashes = fingerprint.winnow_hashes(winnowed).tolist()
    chosen = [i for i, value in enumerate(hashes) if f"{candidates.PASSAGE_PRINT}{value:016x}" in formula]
    if not chosen:  # most documents: their spans are not even unpacked
        return []
    rows = fingerprint.load_winnow(winnowed)[chosen]
    spans = sorted(zip(rows["start"].tolist(), rows["end"].tolist()))
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def analyse_corpus(
    db: sqlite_utils.Database,
    document_ids: list[str] | None = None,
    run_id: int | None = None,
    progress: Callable[[], None] | None = None,
    workers: int | None = None,
) -> dict:
    """Judge every candidate pair that involves `document_ids` (default: all) and is not judged yet.

    Incremental: a pair is judged once per pair of content hashes, so re-runs do nothing and
    a new document is aligned only against the candidates the index proposes for it. The
    pairs are judged in worker processes (each reading the database on its own) and stored
    by this one, in batches, in a fixed order: the result does not depend on the workers.
    """
    store.merge_pending_anchors(db)
    hashes = dict(db.execute("select id, content_hash from documents").fetchall())
    anchors = store.load_anchors(db, shared_only=True)
    pairs = candidate_pairs(db, document_ids, hashes, anchors, workers)
    formula = set()
    dates: dict[str, str | None] = {}
    if pairs:
        dates, sources = store.dates_and_sources(db)
        formula = candidates.formula_prints(anchors, dates, sources)
    del anchors
    counts = {"pairs": len(pairs), "derivation": 0, "related": 0, "none": 0}
    path = store.database_path(db)
    _JUDGE.clear()
    _JUDGE.update(db=db, formula=formula, profiles=ProfileCache(processes=1), spilled=_Spilled(), outlets=registry(db))
    pools = []
    try:
        with few_collections():
            gate = _gate(pairs, path, workers, pools)
            passes = [gate.may_pass(*pair) for pair in pairs]
            del gate  # not inherited by the judging workers: at 100k documents it holds a gigabyte
            stopped = _batches([pair for pair, passed in zip(pairs, passes) if not passed])
            _store_verdicts(db, stopped, ([None] * len(batch) for batch in stopped), hashes, run_id, counts, progress)
            passing = in_judging_order([pair for pair, passed in zip(pairs, passes) if passed], dates)
            del pairs, passes, stopped
            judge_batches = _batches(passing)
            judge_workers = 1 if path is None else worker_count(len(judge_batches), workers, minimum_per_worker=4)
            if judge_workers <= 1:
                judged = map(_judge_batch, judge_batches)
            else:
                pools.append(_pool(judge_workers, path, formula))
                judged = pools[-1].imap(_judge_batch, judge_batches)
            _store_verdicts(db, judge_batches, judged, hashes, run_id, counts, progress)
    finally:
        for pool in pools:
            pool.terminate()
        spilled = _JUDGE.get("spilled")
        if spilled is not None:
            spilled.close()
        _JUDGE.clear()
    return counts


def _batches(pairs: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    return [pairs[i : i + JUDGE_BATCH] for i in range(0, len(pairs), JUDGE_BATCH)]


def _gate(pairs: list[tuple[str, str]], path: str | None, workers: int | None, pools: list) -> derivation.Gate:
    """The gate summary of every document in `pairs`, each built once (in worker processes when
    there are enough): their packed profiles go to the spill file (`_Spilled`) that the judging
    workers, forked after this, read, so a document's profile is built once however many
    processes judge its pairs and however large the corpus."""
    order = list(OrderedDict.fromkeys(document_id for pair in pairs for document_id in pair))
    chunks = [order[i : i + SUMMARY_BATCH] for i in range(0, len(order), SUMMARY_BATCH)]
    count = 1 if path is None else worker_count(len(chunks), workers, minimum_per_worker=4)
    if count <= 1:
        summarised = map(_summarise, chunks)
    else:
        pools.append(_pool(count, path, _JUDGE["formula"], keeps_profiles=False))
        summarised = pools[-1].imap(_summarise, chunks)
    gate, spilled = derivation.Gate(), _JUDGE["spilled"]
    for chunk in summarised:
        for document_id, kept, summary in chunk:
            gate.add(document_id, summary)
            if document_id not in spilled:
                spilled.put(document_id, kept)
    if count > 1:
        pools.pop().terminate()
    return gate


def _summarise(document_ids: list[str]) -> list[tuple[str, tuple[dict, bytes, bytes], derivation.GateSummary]]:
    summaries = []
    for document_id in document_ids:
        found = _cached_profile(document_id)
        summaries.append((document_id, _packed(found), derivation.gate_summary(found)))
    return summaries


def _pool(count: int, path: str, formula: set[str], keeps_profiles: bool = True):
    """Worker processes that read the database at `path`. The gate's do not keep the profiles
    they build (`keeps_profiles`): each of their documents comes once, and the pool ends with
    the gate, so a cache would only hold up to PROFILE_CACHE_BYTES of profiles nobody reads."""
    import multiprocessing

    warm_up()
    return multiprocessing.get_context("fork").Pool(
        count, initializer=_judge_worker, initargs=(path, formula, count, keeps_profiles),
    )


def _store_verdicts(db, batches, verdicts, hashes, run_id, counts, progress) -> None:
    for batch, judged in zip(batches, verdicts):
        judged = list(judged)
        store.save_verdicts(db, [((a, b), (hashes[a], hashes[b]), v) for (a, b), v in zip(batch, judged)], run_id)
        for verdict in judged:
            counts[verdict["kind"] if verdict else "none"] += 1
        if progress:
            for _ in batch:
                progress()


@contextlib.contextmanager
def few_collections():
    """Python's cycle collector, run rarely while profiles are cached: a cached profile is
    tens of thousands of small objects without cycles, which the default thresholds walk
    again and again (a third of the judging time on the INSM corpus). Same results."""
    thresholds = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


GC_THRESHOLD = 50_000     # allocations between young-generation collections while judging (default 700)


JUDGE_BATCH = 64          # pairs per hand-out to a worker and per write transaction
SUMMARY_BATCH = 64        # documents per hand-out to a worker for their gate summaries
PROFILE_CACHE_BYTES = 2_000_000_000   # profiles kept per process, by their estimated size (`ProfileCache`)


def candidate_pairs(
    db: sqlite_utils.Database,
    document_ids: list[str] | None,
    hashes: dict[str, str],
    anchors: dict[str, list[str]] | None = None,
    workers: int | None = None,
) -> list[tuple[str, str]]:
    """Sorted pairs the index proposes for `document_ids` (or all), less those judged on the
    same content already; the index is queried in worker processes when there are enough."""
    if anchors is None:
        anchors = store.load_anchors(db)
    index = candidates.PostingArrays(anchors)
    done = store.compared(db)
    targets = sorted(hashes) if document_ids is None else sorted(set(document_ids))
    chunks = [targets[i : i + CANDIDATE_BATCH] for i in range(0, len(targets), CANDIDATE_BATCH)]
    count = worker_count(len(chunks), workers, minimum_per_worker=2)
    pool = None
    _QUERY.update(index=index)
    try:
        if count <= 1:
            found = map(_query_index, chunks)
        else:
            import multiprocessing

            # Forked once the index is built: the workers read it where it lies (frozen, so
            # their collector does not walk it and copy its pages).
            gc.freeze()
            try:
                pool = multiprocessing.get_context("fork").Pool(count)
            finally:
                gc.unfreeze()
            found = pool.imap_unordered(_query_index, chunks)
        pairs = set()
        for chunk_pairs in found:
            pairs.update(chunk_pairs)
    finally:
        if pool is not None:
            pool.terminate()
        _QUERY.clear()
    pairs.update(store.same_url_pairs(db, targets))
    return sorted(pair for pair in pairs if done.get(pair) != (hashes[pair[0]], hashes[pair[1]]))


CANDIDATE_BATCH = 500     # documents per hand-out when the index is queried in worker processes
_QUERY: dict = {}


def _query_index(document_ids: list[str]) -> set[tuple[str, str]]:
    """The pairs the index proposes for these documents (a set: the union over batches is the
    same whatever order the workers finish in)."""
    index = _QUERY["index"]
    return {tuple(sorted((document_id, other))) for document_id in document_ids for other, _ in index.candidates(document_id)}


def in_judging_order(pairs: list[tuple[str, str]], dates: dict[str, str | None]) -> list[tuple[str, str]]:
    """Pairs in an order that keeps the documents a stretch of pairs needs few, so their
    profiles stay in the workers' caches (`ProfileCache`): the reverse Cuthill-McKee order of
    the graph the pairs make, a breadth-first walk from the least connected document that
    numbers each document's partners next to it, then the pairs by their documents' numbers.

    Publication order alone keeps a story's pairs together but not the pairs of a document
    with partners days or months apart, nor those of two dense stretches published at the
    same time: on the INSM corpus each document was loaded into a cache 4 times over, and
    three times as many documents of the same dates made it 7. A fixed order (ties go by
    publication date, then id), so the stored rows do not depend on the workers."""
    position = {
        document_id: n
        for n, document_id in enumerate(sorted({d for pair in pairs for d in pair}, key=lambda d: (dates.get(d) or "", d)))
    }
    partners: dict[str, list[str]] = {document_id: [] for document_id in position}
    for a, b in pairs:
        partners[a].append(b)
        partners[b].append(a)

    def key(document_id: str) -> tuple[int, int]:
        return len(partners[document_id]), position[document_id]

    walked: list[str] = []
    seen: set[str] = set()
    for start in sorted(partners, key=key):
        if start in seen:
            continue
        seen.add(start)
        queue = deque([start])
        while queue:
            document_id = queue.popleft()
            walked.append(document_id)
            fresh = sorted((other for other in partners[document_id] if other not in seen), key=key)
            seen.update(fresh)
            queue.extend(fresh)
    rank = {document_id: n for n, document_id in enumerate(reversed(walked))}
    return sorted(pairs, key=lambda pair: (min(rank[pair[0]], rank[pair[1]]), max(rank[pair[0]], rank[pair[1]]), pair))


_JUDGE: dict = {}


def _judge_worker(path: str, formula: set[str], processes: int, keeps_profiles: bool = True) -> None:
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])
    spilled = _JUDGE.get("spilled") or _Spilled()  # the packed profiles of the process that forked this one
    outlets = _JUDGE.get("outlets")
    _JUDGE.clear()
    profiles = ProfileCache(processes, budget=None if keeps_profiles else 0)
    _JUDGE.update(db=store.open_reader(path), formula=formula, profiles=profiles, spilled=spilled, outlets=outlets)


def _judge_batch(pairs: list[tuple[str, str]]) -> list[dict | None]:
    return [derivation.compare_profiles(_cached_profile(a), _cached_profile(b)) for a, b in pairs]


def _cached_profile(document_id: str) -> derivation.Profile:
    """A document's profile, from the cached profiles, else from its packed copy in the spill
    file, else built.

    A document with many partners drops out of the cached profiles (`ProfileCache`) again and
    again; its packed copy (`terms.pack_units`) gives the same profile back for a third of the
    cost of building it."""
    profiles = _JUDGE["profiles"]
    found = profiles.get(document_id)
    if found is not None:
        return found
    spilled = _JUDGE.get("spilled")
    kept = None if spilled is None else spilled.get(document_id)
    if kept is not None:
        fields, units, standing = kept
        found = derivation.Profile(units=terms.unpack_units(units), standing=terms.unpack_units(standing), **fields)
    else:
        db = _JUDGE["db"]
        found = profile(document_from_store(db, document_id), formula_spans(db, document_id, _JUDGE["formula"]), _JUDGE.get("outlets"))
    profiles.put(document_id, found)
    return found


class ProfileCache:
    """Profiles kept in memory, the least recently used dropped first once their estimated size
    (`Profile.memory_estimate`) passes the budget (`profile_budget`). Counted in bytes, not profiles:
    3,000 profiles of the INSM corpus take 2.3 GB, and at 100k documents a worker holding the
    seven copies of a live blog of 50,000 words (50 MB each) with their hundreds of partners
    grew to 4 GB. `processes`: how many such caches the machine holds at once (default: one
    per core), so that together they take at most half its memory; or a `budget` in bytes."""

    def __init__(self, processes: int | None = None, budget: int | None = None) -> None:
        self.items: OrderedDict[str, tuple[derivation.Profile, int]] = OrderedDict()
        self.size = 0
        self.budget = profile_budget(processes or os.cpu_count() or 1) if budget is None else budget

    def __len__(self) -> int:
        return len(self.items)

    def get(self, document_id: str) -> derivation.Profile | None:
        found = self.items.get(document_id)
        if found is None:
            return None
        self.items.move_to_end(document_id)
        return found[0]

    def put(self, document_id: str, found: derivation.Profile) -> None:
        if document_id in self.items:
            self.size -= self.items.pop(document_id)[1]
        weight = found.memory_estimate()
        self.items[document_id] = (found, weight)
        self.size += weight
        while self.size > self.budget and self.items:
            self.size -= self.items.popitem(last=False)[1][1]


def profile_budget(processes: int) -> int:
    """Bytes of profiles one of `processes` caches may hold: PROFILE_CACHE_BYTES, or less where
    the machine's memory would not hold that many (8 workers on an 8 GB laptop: 0.5 GB each)."""
    memory = physical_memory()
    if memory is None:
        return PROFILE_CACHE_BYTES
    return min(PROFILE_CACHE_BYTES, memory // (2 * max(processes, 1)))


def physical_memory() -> int | None:
    """The machine's memory in bytes, where the system says (Linux, macOS); else None."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None


def _packed(found: derivation.Profile) -> tuple[dict, bytes, bytes]:
    """The profile as `_Spilled` keeps it: its other fields, its packed units, its packed standing sentences."""
    return {key: getattr(found, key) for key in _PROFILE_FIELDS}, terms.pack_units(found.units), terms.pack_units(found.standing)


# A packed profile keeps every field but the units and standing sentences, which it packs: read from the class, so a
# field added to `derivation.Profile` cannot be left out of the profiles the cache gives back.
_PROFILE_FIELDS = tuple(f.name for f in dataclass_fields(derivation.Profile) if f.name not in ("units", "standing"))


class _Spilled:
    """Packed profiles in an unlinked temporary file, each written once and read back with
    `os.pread`, which needs no shared file position: workers forked after the writes read
    them all, and no process holds them in memory (13 kB a document, 1.3 GB at 100k). Gone
    when closed, or when the process ends."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile(buffering=0)
        self.where: dict[str, tuple[int, int]] = {}
        self.end = 0

    def __contains__(self, document_id: str) -> bool:
        return document_id in self.where

    def put(self, document_id: str, item: tuple[dict, bytes, bytes]) -> None:
        data = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
        written = os.pwrite(self.file.fileno(), data, self.end)
        if written != len(data):
            raise OSError(f"{self.file.name}: wrote {written} of {len(data)} bytes")
        self.where[document_id] = (self.end, len(data))
        self.end += len(data)

    def get(self, document_id: str) -> tuple[dict, bytes, bytes] | None:
        found = self.where.get(document_id)
        if found is None:
            return None
        offset, size = found
        return pickle.loads(os.pread(self.file.fileno(), size, offset))

    def close(self) -> None:
        self.file.close()


def audit(paths: Iterable[str], db: str | sqlite_utils.Database | None = None) -> dict:
    """Notebook entry point: ingest `paths` into `db` and return the report object."""
    database = db if isinstance(db, sqlite_utils.Database) else store.open_db(db or store.DEFAULT_DB)
    pages = store.pages_in_use(database)
    paths = [str(p) for p in paths]
    run_id = store.start_run(database, "audit", paths, SETTINGS)
    result = ingest(database, paths, run_id)
    analysis = analyse_corpus(database, result.read(), run_id)
    checked = analyse_claims(database, run_id)
    store.finish_run(database, run_id, "done", {**result.counts(), "comparisons": analysis, "claims_documents": checked})
    report = report_object(database, result)
    store.compact_after(database, pages)
    return report


def document_claims(
    db: sqlite_utils.Database,
    document_id: str,
    sources: list[str],
    linked: dict[str, list[dict]] | None = None,
    earliness: dict[str, tuple] | None = None,
    sides: dict[str, tuple] | None = None,
) -> list[dict]:
    """Claims of one document, checked against its direct sources, each linked to the earliest ancestor stating it.

    With no source, every claim is `original`. `linked` holds the sources' own claims, already
    linked (read from the store when missing): a claim a source took unchanged from its own
    ancestor is followed back there (`claims.link_claims`). `earliness` orders documents along
    the chains (smaller is earlier); `sides` caches each source's document, units and profile
    across the derivatives of one source.
    """
    checked = _checked_claims(db, document_id, sources, {} if sides is None else sides)
    return _linked_claims(db, checked, sources, linked, earliness)


def _checked_claims(db: sqlite_utils.Database, document_id: str, sources: list[str], sides: dict[str, tuple]) -> list:
    """A document's claims checked against each of its direct sources (`claim_checks`), or its
    `original` claims when it has none: the part that needs no other document's claims."""
    doc = document_from_store(db, document_id)
    if not sources:
        return claims.original_claims(doc)
    return claim_checks(doc, _prepared_sources(db, sources, sides))


def _linked_claims(
    db: sqlite_utils.Database, checked: list, sources: list[str],
    linked: dict[str, list[dict]] | None, earliness: dict[str, tuple] | None,
) -> list[dict]:
    """`_checked_claims` linked through the sources' own claims (`claims.link_claims`)."""
    if not sources:
        return checked
    held = {s: (linked or {}).get(s) or store.load_claims(db, [s], link_slots=True) for s in sources}
    return claims.link_claims(checked, held, earliness or {})


def _prepared_sources(db: sqlite_utils.Database, source_ids: list[str], sides: dict[str, tuple]) -> list[tuple]:
    """`prepared_source` of each source, kept in `sides` for the next derivative of the same source."""
    prepared = []
    for source_id in source_ids:
        if source_id not in sides:
            if len(sides) >= claims.PREPARED_SOURCES:
                sides.pop(next(iter(sides)))
            sides[source_id] = prepared_source(document_from_store(db, source_id))
        prepared.append(sides[source_id])
    return prepared


def prepared_source(source: Document) -> tuple:
    """A source as claim checking reads it: the document, its units and its claim profile."""
    source_units = terms.units(source)
    return source, source_units, claims.profile_source(source, source_units)


def claim_checks(doc: Document, sources: list[tuple]) -> list[list[dict]]:
    """`claims.check_claims` of a document against each of its direct sources (`prepared_source`),
    in order: the costly part of claims, which needs no other document's claims (the Spark
    run does it in parallel, then links generation by generation)."""
    own_units = terms.units(doc)
    return [
        claims.check_claims(doc, source, align.align(own_units, source_units).sentence_pairs, source_profile, own_units)
        for source, source_units, source_profile in sources
    ]


def derivation_graph(db: sqlite_utils.Database) -> tuple[list[dict], list[dict], dict[str, list[str]]]:
    """(derivations, related, origins) after reconciling the stored pairwise verdicts."""
    derivations, related = store.load_derivations(db), store.load_related(db)
    fields = store.document_fields(db, ids=sorted({d[k] for d in derivations for k in ("derivative", "source")}))
    kept, related = derivation.reconcile(
        derivations, related, *outlet_evidence_of(db, derivations, fields),
        standing=standing_pairs(db, derivations, fields), dates=_dates(db, related, fields),
    )
    documents = [row[0] for row in db.execute("select id from documents order by id")]
    return kept, related, derivation.origins(documents, kept, related)


def analyse_claims(db: sqlite_utils.Database, run_id: int | None = None, passes: int = 5, workers: int | None = None) -> int:
    """Extract and check the claims of every document in a derivation, where its ancestry changed.

    Documents go in chain order, sources before their derivatives, so each claim can be linked
    through its source's claims to the earliest ancestor that states it. The basis of a
    document's claims is its own content hash and those of all its ancestors; claims are redone
    only when that changes, so re-runs cost nothing. Another process may add derivations while
    this one checks claims (two audits on one database); a pass is repeated until the graph it
    started from is still the graph at its end, so the last process to finish leaves the claims
    of the final graph, as a sequential run would.
    """
    kept = derivation_graph(db)[0]
    done = 0
    for _ in range(passes):
        done += _claims_pass(db, kept, run_id, workers)
        now = derivation_graph(db)[0]
        if _edges(now) == _edges(kept):
            break
        kept = now
    return done


def _edges(derivations: list[dict]) -> list[tuple[str, str]]:
    return sorted((d["derivative"], d["source"]) for d in derivations)


def _claims_pass(db: sqlite_utils.Database, kept: list[dict], run_id: int | None, workers: int | None = None) -> int:
    hashes = dict(db.execute("select id, content_hash from documents").fetchall())
    sources, generation, ancestors = claim_chains(kept)
    earliness = {doc: (generation[doc],) for doc in generation}
    linked: dict[str, list[dict]] = {}
    done = store.drop_claims_outside(db, set(sources))
    todo = []
    # a source's derivatives one after another, so its prepared side is reused
    for document_id in sorted(sources, key=lambda doc: (generation[doc], sources[doc][:1], doc)):
        basis = claims_basis(document_id, ancestors[document_id], hashes, sources)
        if store.claims_basis(db, document_id) != basis:
            todo.append((document_id, basis))
    jobs = [(document_id, sources[document_id]) for document_id, _ in todo]
    # The checks (extracting claims, aligning, comparing) need no other document's claims and
    # run in worker processes; linking needs the sources' linked claims and runs here, in chain
    # order, as the checks come back in that order.
    for (document_id, basis), checked in zip(todo, _claim_checks(db, jobs, workers)):
        found = _linked_claims(db, checked, sources[document_id], linked, earliness)
        store.save_claims(db, document_id, found, basis, run_id)
        linked[document_id] = found
        done += 1
    return done


CLAIMS_BATCH = 8   # documents a claims worker takes at once: derivatives of one source stay together


def _claim_checks(db: sqlite_utils.Database, jobs: list[tuple[str, list[str]]], workers: int | None) -> Iterator:
    """`_checked_claims` for each (document, its direct sources), in order."""
    path = store.database_path(db)
    count = 1 if path is None else worker_count(len(jobs), workers, minimum_per_worker=CLAIMS_BATCH * 4)
    if count <= 1:
        sides: dict[str, tuple] = {}
        for document_id, source_ids in jobs:
            yield _checked_claims(db, document_id, source_ids, sides)
        return
    import multiprocessing

    warm_up()
    with multiprocessing.get_context("fork").Pool(count, initializer=_claims_worker, initargs=(path,)) as pool:
        yield from pool.imap(_check_document, jobs, chunksize=CLAIMS_BATCH)


_CLAIMS: dict = {}


def _claims_worker(path: str) -> None:
    _CLAIMS.clear()
    _CLAIMS.update(db=store.open_reader(path), sides={})


def _check_document(job: tuple[str, list[str]]) -> list:
    document_id, source_ids = job
    return _checked_claims(_CLAIMS["db"], document_id, source_ids, _CLAIMS["sides"])


def claim_chains(derivations: list[dict]) -> tuple[dict[str, list[str]], dict[str, int], dict[str, set[str]]]:
    """Every document in a derivation → its direct sources (sorted), its generation (0 for an
    origin, one more than its latest source) and all its ancestors."""
    sources: dict[str, list[str]] = {}
    for d in derivations:
        sources.setdefault(d["derivative"], []).append(d["source"])
        sources.setdefault(d["source"], [])
    generation: dict[str, int] = {}
    ancestors: dict[str, set[str]] = {}

    def place(doc: str, path: frozenset = frozenset()) -> int:
        if doc not in generation:
            parents = [s for s in sources[doc] if s not in path]
            generation[doc] = 1 + max((place(s, path | {doc}) for s in parents), default=-1)
            ancestors[doc] = set(parents).union(*(ancestors[s] for s in parents))
        return generation[doc]

    for document_id in sorted(sources):
        place(document_id)
    return {doc: sorted(own) for doc, own in sources.items()}, generation, ancestors


def claims_basis(
    document_id: str, ancestors: Iterable[str], hashes: dict[str, str], sources: dict[str, list[str]]
) -> str:
    """What a document's claims were checked against: its content hash and all its ancestors',
    and the chain's shape (each one's direct sources), since the same ancestors can be
    reached by other edges."""
    ancestors = set(ancestors)
    return ";".join([
        hashes[document_id],
        *(f"{s}={hashes[s]}" for s in sorted(ancestors)),
        *(f"{n}<{','.join(sorted(sources.get(n, ())))}" for n in sorted(ancestors | {document_id})),
    ])


def standing_pairs(
    db: sqlite_utils.Database, derivations: list[dict], fields: dict[str, dict], unstored: dict[str, bytes] | None = None,
) -> dict[tuple[str, str], dict]:
    """(derivative, source) → `derivation.standing_text` for the derivations between two pages
    of one outlet whose common runs are mostly the outlet's standing text, asked of the term
    index: which stored pages carry each winnowed k-gram inside the derivative's verbatim
    passages. `fields`: `store.document_fields` of the derivations' documents; `unstored`:
    the winnow value of each document not stored (a `check`'s article)."""
    unstored = unstored or {}
    inside = standing_prints(
        derivations, fields, lambda document_id: unstored[document_id] if document_id in unstored else store.winnowed(db, document_id),
    )
    if not inside:
        return {}
    carriers = store.pages_with_prints(db, {h for hashes in inside.values() for h in hashes})
    return standing_verdicts(inside, fields, carriers, unindexed=set(unstored))


def _outlet_of(fields: dict) -> str | None:
    """One outlet is one web site, whichever of its feeds (`derivation.Profile.outlet`)."""
    return derivation.site_of(fields.get("url")) or fields.get("source")


def standing_prints(
    derivations: list[dict], fields: dict[str, dict], winnow_of: Callable[[str], bytes | None],
) -> dict[tuple[str, str], list[int]]:
    """For each derivation between two pages of one outlet: the hashes of the derivative's
    winnowed k-grams (`winnow_of` its id) that lie inside its verbatim passages."""
    inside: dict[tuple[str, str], list[int]] = {}
    for d in derivations:
        place = _outlet_of(fields[d["derivative"]])
        if place is None or place != _outlet_of(fields[d["source"]]):
            continue
        spans = sorted((p["derivative_start"], p["derivative_end"]) for p in d["passages"] if p["kind"] == "verbatim")
        value = winnow_of(d["derivative"]) if spans else None
        if value is None:
            continue
        rows = fingerprint.load_winnow(value)
        starts = [start for start, _ in spans]
        hashes = set()
        for h, start, end in zip(rows["hash"].tolist(), rows["start"].tolist(), rows["end"].tolist()):
            at = bisect.bisect_right(starts, start) - 1
            if at >= 0 and end <= spans[at][1]:
                hashes.add(h)
        if hashes:
            inside[(d["derivative"], d["source"])] = sorted(hashes)
    return inside


def standing_verdicts(
    inside: dict[tuple[str, str], list[int]], fields: dict[str, dict],
    carriers: dict[int, list[tuple[str, str | None, str | None, str | None]]], unindexed: set[str] = frozenset(),
) -> dict[tuple[str, str], dict]:
    """`derivation.standing_text` of each pair of `standing_prints`, given the pages carrying
    each k-gram (`carriers`: hash → (id, source, url, date) of every indexed page); the pair's
    own documents in `unindexed` (not in the index) count as carrying every one."""
    found = {}
    for (derivative, source), hashes in inside.items():
        pages = []
        for h in hashes:
            carrying = {
                document_id: (_outlet_of({"source": source, "url": url}), date)
                for document_id, source, url, date in carriers.get(h, [])
            }
            for own in (derivative, source):
                if own in unindexed:
                    carrying.setdefault(own, (_outlet_of(fields[own]), fields[own].get("date")))
            pages.append(sorted(carrying.values(), key=lambda v: (v[0] or "", v[1] or "")))
        verdict = derivation.standing_text(_outlet_of(fields[derivative]), pages)
        if verdict:
            found[(derivative, source)] = verdict
    return found


def outlet_evidence_of(
    db: sqlite_utils.Database, derivations: list[dict], fields: dict[str, dict],
) -> tuple[dict, dict, frozenset, dict]:
    """`outlet_evidence` for stored documents (`fields` of them), resolved against the
    database's registry."""
    if not derivations:
        return {}, {}, frozenset(), {}
    return outlet_evidence(derivations, fields, registry(db))


def outlet_evidence(
    derivations: list[dict], fields: dict[str, dict], outlets: credibility.Registry,
) -> tuple[dict, dict, frozenset, dict]:
    """What the outlets say about the derived pairs: (wire pairs, credits, sister sites, pickups).

    Pickups: pair → the outlet both texts credit in a credit phrase ('wie die "Bild"-Zeitung
    berichtet') where neither is that outlet nor names the other: two pickups of one outlet's
    report (an exclusive, an interview), whose shared quotes come from it.

    Sister sites (sorted ids): two outlets of one owner (n-tv and Stern, Bild and Welt), which
    share plugs and boxes the way one outlet's pages do.

    credits: (a, b) → whole days apart (None undated) where a's text names b or b's outlet
    ("sagte dem SPIEGEL"), which makes a the later text. Wire pairs (sorted ids → whole days
    apart): two different established newsrooms (registry role news outlet or broadcaster, not
    state-run), both dated, neither naming the other: more likely two uses of one agency story
    (or, days apart, of its background lines), or two reports of one statement, than one
    newsroom copying the other (`derivation.reconcile` tells the two apart). Three hand reviews
    of the INSM audit found every right derivation between two such newsrooms credited, and
    every uncredited one from 4 to 9 days apart (7 of 7) agency background or one running
    story told twice."""
    resolutions: dict[str, dict] = {}

    def resolved(document_id: str) -> dict:
        if document_id not in resolutions:
            resolutions[document_id] = credibility.resolve(fields[document_id], outlets)
        return resolutions[document_id]

    def outlet(document_id: str) -> dict:
        return resolved(document_id).get("outlet") or {}

    def newsroom(document_id: str) -> dict | None:
        if outlet(document_id).get("role") in derivation.NEWSROOM_ROLES and outlet(document_id).get("state_affiliation") in derivation.NEWSROOM_AFFILIATIONS:
            return outlet(document_id)
        return None

    phrases: dict[str, tuple] = {}

    def credit_phrases(document_id: str) -> tuple:
        if document_id not in phrases:
            phrases[document_id] = credibility.credit_phrases(fields[document_id], outlets, resolved(document_id))
        return phrases[document_id]

    def credited(document_id: str) -> frozenset[str]:
        return credibility.outlets_credited_in(credit_phrases(document_id))

    def credits_another_report(later: str, earlier: str, spans: list[dict]) -> bool:
        """Whether every credit of `later` to `earlier`'s outlet dates the report it credits to
        another weekday than `earlier`'s date ('Die FAZ hatte schon am Donnerstagabend über den
        Entwurf berichtet', in a Friday text beside FAZ's Friday update): it names the outlet's
        earlier scoop, and says nothing of this text."""
        name = outlet(earlier).get("name")
        dated = [
            p for p in credit_phrases(later)
            if name in p.names and p.weekday is not None
            and not derivation.on_weekday(fields[earlier].get("date"), fields[later].get("date"), p.weekday)
        ]
        return bool(dated) and all(any(p.start <= c["start"] and c["end"] <= p.end for p in dated) for c in spans)

    credits, sisters, pickups, wire_pairs = {}, set(), {}, {}
    for d in derivations:
        pair = (d["derivative"], d["source"])
        outlets_of = [outlet(x).get("name") for x in pair]
        if outlets_of[0] and outlets_of[0] == outlets_of[1]:
            continue  # within one outlet, naming it says nothing about which text came first
        owners = [(outlet(x).get("owner") or "").casefold() for x in pair]
        sister = bool(owners[0]) and owners[0] == owners[1]
        if sister:
            sisters.add(tuple(sorted(pair)))
        gap = derivation.days_apart(fields[pair[1]]["date"], fields[pair[0]]["date"])
        for later, earlier in (pair, pair[::-1]):
            apart = derivation.days_apart(fields[earlier].get("date"), fields[later].get("date"))
            if apart is not None and apart < 0 and newsroom(earlier):
                # A newsroom's text dated after this one is no report this one can credit
                # (`derivation._credit_target`); a release may be reported before the date of its
                # page (an embargo), so its issuer's name still counts.
                continue
            found = credibility.attribution(
                fields[later], fields[earlier], resolved(earlier), outlets, derivative_resolution=resolved(later),
            )
            if found["attributed"] and not credits_another_report(later, earlier, found["credits"]):
                credits[(later, earlier)] = None if gap is None else abs(gap)
        if pair not in credits and pair[::-1] not in credits and d["relation"] != "copy":
            both = sorted((credited(pair[0]) & credited(pair[1])) - set(outlets_of))
            if both:
                pickups[pair] = both[0]
        first, second = newsroom(pair[0]), newsroom(pair[1])
        if not first or not second or first["name"] == second["name"]:
            continue
        # Days apart, what two sister sites share is more likely their owner's furniture (`sisters`).
        if gap is not None and pair not in credits and pair[::-1] not in credits and not (sister and abs(gap) > derivation.NEWSROOM_DAYS):
            wire_pairs[tuple(sorted(pair))] = abs(gap)
    return wire_pairs, credits, frozenset(sisters), pickups


def registry(db: sqlite_utils.Database) -> credibility.Registry:
    """The outlet registry in effect: the shipped default, seeded on first use, plus imports.

    Kept per process while the stored records stay the same: building the lookup tables of
    ~4,000 outlets takes a second, which a one-article `check` should not pay twice."""
    state = db.execute("select count(*), max(rowid), max(updated_at), total(length(origin)) from outlets").fetchone() if db["outlets"].exists() else None
    key = (store.database_path(db) or id(db), tuple(state or ()))
    if key in _REGISTRIES:
        return _REGISTRIES[key]
    rows = store.outlet_rows(db)
    if not rows:
        records = credibility.default_registry().records
        store.save_outlets(db, records, "default")
        return registry(db)
    _REGISTRIES.clear()
    _REGISTRIES[key] = cached_registry(rows)
    return _REGISTRIES[key]


def cached_registry(rows: list[tuple]) -> credibility.Registry:
    """The registry of these stored outlet rows, its name matcher built, kept in the cache under
    their digest: decoding and indexing them takes a second, reading the kept one a tenth of that.
    The matcher weighs names by their wordfreq frequency, so wordfreq's version is in the key."""
    from . import cache

    def build() -> credibility.Registry:
        outlets = credibility.Registry(store.outlets_of(rows))
        outlets.matcher()
        return outlets

    digest = hashlib.blake2b(repr(rows).encode(), digest_size=16).hexdigest()
    return cache.stored("registry", (digest, cache.package_version("wordfreq")), build)


_REGISTRIES: dict = {}


def import_outlets(db: sqlite_utils.Database, path: str) -> int:
    """Merge a user's JSON/CSV outlet file into the registry; raises OutletFileError on bad rows."""
    records = credibility.read_outlets_file(path)
    merged = credibility.merge(registry(db), records, source=str(path), match_aliases=True)
    names = {r["name"] for r in records}
    with store.write_transaction(db):
        store.save_outlets(db, merged.records, "default", replace_all=True)
        store.save_outlets(db, [r for r in merged.records if r["name"] in names], f"import: {path}")
    return len(records)


def credibility_view(
    db: sqlite_utils.Database,
    derivations: list[dict],
    origins: dict,
    only: set[str] | None = None,
    claims: dict | None = None,
    run_id: int | None = None,
):
    """Outlet resolutions, attribution of every derivation, and credibility entries.

    Outlets, attribution and origins are also stored (`store.save_outlets_and_attribution`),
    so Datasette can answer "unattributed reuse" and "origin is state media" in SQL.
    """
    outlets, fields, resolutions = store_outlets_and_attribution(db, derivations, origins, run_id)
    involving: dict[str, list[dict]] = {}
    for d in derivations:
        involving.setdefault(d["derivative"], []).append(d)
        involving.setdefault(d["source"], []).append(d)
    entries = []
    for doc in documents_from_store(db, sorted(fields if only is None else only)):
        doc_id = doc.id
        found = credibility.signals(
            doc, resolutions[doc_id], involving.get(doc_id, []), outlets,
            resolutions=resolutions, origins=origins.get(doc_id), claims=(claims or {}).get(doc_id),
        )
        entries.append(credibility.report_entry(doc_id, resolutions[doc_id], found))
    return resolutions, entries


def attribute(derivations: list[dict], fields: dict[str, dict], resolutions: dict[str, dict], outlets) -> None:
    """Set `attributed` and `attribution` on each derivation: does the derivative credit its source?"""
    for d in derivations:
        result = credibility.attribution(
            fields[d["derivative"]], fields[d["source"]], resolutions[d["source"]], outlets,
            passages=d["passages"], derivative_resolution=resolutions[d["derivative"]],
        )
        d["attributed"] = result["attributed"]
        d["attribution"] = {**credibility.contract_attribution(result), "wrong_credits": result.get("wrong_credits", [])}


def store_outlets_and_attribution(
    db: sqlite_utils.Database, derivations: list[dict], origins: dict, run_id: int | None = None
) -> tuple[credibility.Registry, dict[str, dict], dict[str, dict]]:
    """Resolve every document's outlet and each derivation's attribution (set on `derivations`)
    and store them with the origins (m007); returns (registry, document fields, resolutions)."""
    outlets = registry(db)
    fields = store.document_fields(db)
    resolutions = {doc_id: credibility.resolve(f, outlets) for doc_id, f in fields.items()}
    attribute(derivations, fields, resolutions, outlets)
    store.save_outlets_and_attribution(
        db,
        [outlet_row(doc_id, resolutions[doc_id]) for doc_id in sorted(resolutions)],
        [{"derivative": d["derivative"], "source": d["source"], "attributed": d["attributed"], **d["attribution"]}
         for d in derivations],
        origins,
        run_id,
    )
    return outlets, fields, resolutions


def outlet_row(document_id: str, resolution: dict) -> dict:
    """One `document_outlets` row: the outlet found, how, and every clue as JSON."""
    outlet = resolution.get("outlet") or {}
    clues = {
        "how": resolution.get("how"),
        "evidence": resolution.get("evidence") or [],
        "conflicts": resolution.get("conflicts") or [],
        "distributors": [r["name"] for r in resolution.get("distributors") or []],
    }
    return {
        "document_id": document_id,
        "outlet": outlet.get("name"),
        "role": outlet.get("role"),
        "state_affiliation": outlet.get("state_affiliation"),
        "country": outlet.get("country"),
        "how": resolution.get("how"),
        "distributor": resolution.get("distributor"),
        "resolution": json.dumps(clues, ensure_ascii=False, sort_keys=True),
    }


def report_object(db: sqlite_utils.Database, result: IngestResult | None = None) -> dict:
    """The report object of CONTRACT.md from what the store holds; what it decides about each pair
    (settled against the verdicts around it) is stored too (`store.save_corpus_verdicts`)."""
    documents = store.list_documents(db)
    kept, related, origins = derivation_graph(db)
    store.save_corpus_verdicts(db, kept, related, result.run_id if result is not None else None)
    reviews = store.load_reviews(db)
    for d in kept:
        d["review"] = reviews.get((d["derivative"], d["source"]))
    claim_list = store.load_claims(db)
    by_document: dict[str, list[dict]] = {}
    for claim in claim_list:
        by_document.setdefault(claim["document"], []).append(claim)
    resolutions, entries = credibility_view(
        db, kept, origins, claims=by_document, run_id=result.run_id if result is not None else None
    )
    for doc in documents:
        doc["outlet"] = credibility.outlet_summary(resolutions[doc["id"]]["outlet"])
    report = {
        "documents": documents,
        "derivations": kept,
        "related": related,
        "origins": origins,
        "claims": claim_list,
        "credibility": entries,
    }
    if result is not None:
        report["run"] = {
            "id": result.run_id,
            **result.counts(),
            "problems": [str(p) for p in result.problems],
        }
    return report

def compare_records(a: RawRecord, b: RawRecord) -> dict:
    """The verdict on two records read from files or built from text; no database involved."""
    doc_a, _ = analyse(a)
    doc_b, _ = analyse(b)
    outlets = credibility.default_registry()
    return verdict_object(derivation.compare_profiles(profile(doc_a, outlets=outlets), profile(doc_b, outlets=outlets)), doc_a, doc_b)


def compare_stored(db: sqlite_utils.Database, a: str, b: str) -> dict:
    """Two stored documents, judged as an audit of the database judges them: the pair's own
    verdict (with the corpus's formula lines left out, as the audit leaves them out), settled
    against the stored verdicts around the two (`derivation.reconcile`: two newsrooms running
    one agency text, a rewrite of a rewrite, a credit). Where the corpus turns the two texts'
    derivation into a relation, the texts' own verdict and passages come along as `pairwise`,
    so what they share can still be read word by word."""
    doc_a, doc_b = document_from_store(db, a), document_from_store(db, b)
    outlets = registry(db)
    formula = formula_around(db, set(), [a, b])
    pairwise = derivation.compare_profiles(
        profile(doc_a, formula_spans(db, a, formula), outlets), profile(doc_b, formula_spans(db, b, formula), outlets),
    )
    settled = _settled_in_corpus(db, {a, b}, pairwise, outlets) if a != b else None
    if settled is None or settled["kind"] == "derivation":
        return verdict_object(settled or pairwise, doc_a, doc_b)
    if pairwise is not None and pairwise["kind"] == "derivation":
        return {**settled, "pairwise": verdict_object(pairwise, doc_a, doc_b)}
    return settled


def _settled_in_corpus(db: sqlite_utils.Database, pair: set[str], pairwise: dict | None, outlets) -> dict | None:
    """The pair's verdict once `derivation.reconcile` has seen the stored verdicts of the two
    documents and of the documents they share a verdict with, the pair's own verdict standing
    in for its stored one; None where it has none."""
    near = {x for d in store.load_derivations(db, involving=pair) for x in (d["derivative"], d["source"])}
    near |= {x for r in store.load_related(db, involving=pair) for x in r["documents"]}
    fresh = [pairwise] if pairwise is not None else []
    kept, settled, _ = _settled(db, near | pair, fresh, lambda documents: documents == pair, outlets)
    for d in kept:
        if {d["derivative"], d["source"]} == pair:
            return {"kind": "derivation", **d}
    for r in settled:
        if set(r["documents"]) == pair:
            return {"kind": "related", **{key: value for key, value in r.items() if key != "kind"}}
    return None


def _settled(
    db: sqlite_utils.Database, neighbourhood: set[str], fresh: list[dict], replaced: Callable[[set[str]], bool],
    outlets, unstored: tuple[Document, bytes] | None = None,
) -> tuple[list[dict], list[dict], dict[str, dict]]:
    """Fresh pair verdicts settled as an audit settles them (a one-article `check`, a `compare` of
    two stored ids): `derivation.reconcile` over the stored verdicts touching `neighbourhood`,
    less those the fresh ones stand in for (`replaced`: their documents → whether), and the
    `fresh` ones. `unstored`: a document not in the store, with its winnowed k-grams.
    (derivations, related, the fields of the documents the derivations join.)"""
    around = [d for d in store.load_derivations(db, involving=neighbourhood) if not replaced({d["derivative"], d["source"]})]
    around += [_as_stored(v) for v in fresh if v["kind"] == "derivation"]
    related = [r for r in store.load_related(db, involving=neighbourhood) if not replaced(set(r["documents"]))]
    related += [v for v in fresh if v["kind"] == "related"]
    joined = {x for d in around for x in (d["derivative"], d["source"])}
    if unstored is None:
        fields = store.document_fields(db, ids=sorted(joined))
        standing = standing_pairs(db, around, fields)
    else:
        doc, winnowed = unstored
        fields = store.document_fields(db, ids=sorted(joined - {doc.id}))
        fields[doc.id] = fields_of(doc)
        standing = standing_pairs(db, around, fields, unstored={doc.id: winnowed})
    kept, settled = derivation.reconcile(
        around, related, *outlet_evidence(around, fields, outlets), standing=standing, fold_duplicates=False,
        dates=_dates(db, related, fields),
    )
    return kept, settled, fields


def _dates(db: sqlite_utils.Database, related: list[dict], fields: dict[str, dict]) -> dict[str, str | None]:
    """The publication dates `derivation.reconcile` reads: those of the related pairs'
    documents, and of the derivations' (their `fields`)."""
    return {
        **store.dates_of(db, sorted({x for r in related for x in r["documents"]})),
        **{key: f.get("date") for key, f in fields.items()},
    }


def verdict_object(verdict: dict | None, *docs: Document) -> dict:
    """A pair verdict with the passages' text filled in, so it reads without the originals at hand."""
    if verdict is None:
        return {"kind": "none", "documents": sorted(d.id for d in docs)}
    if verdict["kind"] != "derivation":
        return verdict
    text = {d.id: d.text for d in docs}
    derivative, source = text[verdict["derivative"]], text[verdict["source"]]
    return {
        **verdict,
        "passages": [
            {
                **p,
                "derivative_text": derivative[p["derivative_start"]:p["derivative_end"]],
                "source_text": source[p["source_start"]:p["source_end"]],
            }
            for p in verdict["passages"]
        ],
    }


def compare_texts(text_a: str, text_b: str, id_a: str = "a", id_b: str = "b", **metadata) -> dict:
    """Notebook entry point: compare two texts; same object as `provenance compare --json`."""
    return compare_records(
        RawRecord(id=id_a, text=text_a, origin=id_a, format="txt", given=metadata.get("given_a", {})),
        RawRecord(id=id_b, text=text_b, origin=id_b, format="txt", given=metadata.get("given_b", {})),
    )


def check(db: sqlite_utils.Database, raw: RawRecord) -> dict:
    """One new article against a stored corpus, without storing it or re-analysing the corpus:
    its candidates come from the anchors table, its verdicts from the same `compare_profiles`
    an audit uses, its chains from the stored derivations around it, its claims from its
    direct sources. The corpus counts for formula prints do not include the article itself."""
    doc, _, prints, anchors = _prepare_document((raw, fingerprint.content_hash(raw.text)))
    documents = db.execute("select count(*) from documents").fetchone()[0]
    cap = candidates.df_cap(documents + 1)
    found = store.postings(db, set(anchors), cap)
    ranked = candidates.rank(doc.id, anchors, found.get, documents + 1, cap)
    others = [other for other, _ in ranked if other != doc.id]
    own_prints = {term for term in anchors if term.startswith(candidates.PASSAGE_PRINT)}
    formula = formula_around(db, own_prints, others)
    outlets = registry(db)
    new_profile = profile(doc, _spans_of(prints, formula), outlets)
    stored = {other: document_from_store(db, other) for other in others}
    verdicts = []
    for other in others:
        theirs = profile(stored[other], formula_spans(db, other, formula), outlets)
        first, second = (new_profile, theirs) if doc.id < other else (theirs, new_profile)
        verdict = derivation.compare_profiles(first, second)
        if verdict:
            verdicts.append(verdict)
    new_derivations = [v for v in verdicts if v["kind"] == "derivation"]
    neighbourhood = set(others) | {d["source"] for d in new_derivations}
    winnowed = next(p["value"] for p in prints if p["kind"] == "winnow")
    kept, related, fields = _settled(
        db, neighbourhood, verdicts, lambda documents: doc.id in documents, outlets, unstored=(doc, winnowed),
    )
    mine = [d for d in kept if doc.id in (d["derivative"], d["source"])]
    related = [r for r in related if doc.id in r["documents"]]
    chain_origins = derivation.origins([doc.id], kept, related)
    sources = sorted({d["source"] for d in mine if d["derivative"] == doc.id})
    document_claims_list = _claims_against(db, doc, [stored.get(s) or document_from_store(db, s) for s in sources], kept)
    involved = {d["source"] for d in mine} | {d["derivative"] for d in mine} | {doc.id}
    resolutions = {doc_id: credibility.resolve(fields[doc_id], outlets) for doc_id in sorted(involved)}
    attribute(mine, fields, resolutions, outlets)
    found_signals = credibility.signals(
        doc, resolutions[doc.id], mine, outlets, resolutions=resolutions,
        origins=chain_origins.get(doc.id), claims=document_claims_list,
    )
    document = {key: getattr(doc, key) for key in ("id", "title", "url", "date", "author", "language", "source", "wire_credit", "dateline")}
    document["outlet"] = credibility.outlet_summary(resolutions[doc.id]["outlet"])
    return {
        "document": document,
        "candidates": others,
        "derivations": mine,
        "related": related,
        "origins": chain_origins,
        "claims": document_claims_list,
        "credibility": [credibility.report_entry(doc.id, resolutions[doc.id], found_signals)],
    }


def fields_of(doc: Document) -> dict:
    """`store.document_fields` of a document not stored."""
    return {
        "id": doc.id, "title": doc.title, "url": doc.url, "source": doc.source, "dateline": doc.dateline,
        "wire_credit": doc.wire_credit, "date": doc.date, "text": doc.text, "found": doc.found,
    }


def formula_around(db: sqlite_utils.Database, own_prints: set[str], others: list[str]) -> set[str]:
    """The formula prints a check needs: among the article's own prints and the prints its
    candidates are indexed by. Of the candidates' prints only those in their stored winnowed
    k-grams can ever mark a span (`formula_spans`), so only those are looked up: by index
    seeks, where a document's whole term list would take a scan of the index."""
    their_prints: set[str] = set()
    for other in others:
        value = store.winnowed(db, other)
        if value is not None:
            their_prints |= winnow_terms(value)
    return store.formula_prints(db, among=own_prints | store.indexed_prints(db, others, their_prints))


def _spans_of(prints: list[dict], formula: set[str]) -> list[tuple[int, int]]:
    """Formula spans of a document not in the store, from its own winnowed prints."""
    winnowed = next(p for p in prints if p["kind"] == "winnow")
    return formula_spans_of(winnowed["value"], formula) if formula else []


def _as_stored(verdict: dict) -> dict:
    """A fresh derivation verdict in the shape `store.load_derivations` returns."""
    keys = ("derivative", "source", "relation", "score", "coverage", "source_coverage", "verbatim_share", "direction", "evidence", "passages")
    return {key: verdict[key] for key in keys}


def _claims_against(db: sqlite_utils.Database, doc: Document, sources: list[Document], kept: list[dict]) -> list[dict]:
    """`document_claims` for a document that is not stored: checked against each direct
    source and linked through the sources' stored claims to the earliest ancestor."""
    if not sources:
        return claims.original_claims(doc)
    verdicts = claim_checks(doc, [prepared_source(source) for source in sources])
    held = {source.id: store.load_claims(db, [source.id], link_slots=True) for source in sources}
    parents: dict[str, set[str]] = {}
    for d in kept:
        parents.setdefault(d["derivative"], set()).add(d["source"])

    def depth(node: str, seen: frozenset = frozenset()) -> int:
        return 1 + max((depth(p, seen | {node}) for p in parents.get(node, ()) if p not in seen), default=-1)

    earliness = {node: (depth(node),) for node in set(parents) | {p for ps in parents.values() for p in ps}}
    return claims.link_claims(verdicts, held, earliness)
