"""The stages in order: read → segment → metadata → fingerprint → store (`ingest`), then
candidates → align → derivation (`analyse_corpus`), claims (`analyse_claims`), and the
report object with outlets, attribution and credibility (`report_object`).

Plain functions over the store; the CLI and the notebook API (`provenance.audit`,
`provenance.compare`) both call these, so what a script sees is what the terminal shows.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

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
) -> IngestResult:
    """Read, analyse and store every document under `paths`; one transaction per document."""
    result = IngestResult(run_id=run_id)
    for item in read_paths(paths):
        if progress:
            progress()
        if isinstance(item, Problem):
            result.problems.append(item)
            store.save_problem(db, run_id, item.origin, item.line, item.message)
            if on_problem:
                on_problem(item)
            continue
        digest = fingerprint.content_hash(item.text)
        if store.stored_hash(db, item.id) == digest:
            result.unchanged.append(item.id)
            continue
        doc, paragraphs = analyse(item, digest)
        units = terms.units(doc)
        words = [word for unit in units for word in unit.words]
        prints = fingerprint.fingerprints(doc, words)
        outcome = store.save_document(db, doc, paragraphs, prints, run_id, anchors_of(units, prints))
        getattr(result, outcome).append(doc.id)
    result.recurring_segments = refresh_recurring_boilerplate(db)
    return result


def anchors_of(units: list[terms.Unit], prints: list[dict]) -> list[str]:
    """Index terms of a document: informative stems, and its winnowed k-grams as '#hex' terms."""
    winnowed = next(p for p in prints if p["kind"] == "winnow")
    hashes = sorted({int(h) for h in fingerprint.load_winnow(winnowed["value"])["hash"]})
    return terms.anchor_terms(units) + [f"{candidates.PASSAGE_PRINT}{h:016x}" for h in hashes]


def refresh_recurring_boilerplate(db: sqlite_utils.Database) -> int:
    """Flag lines recurring across one source's documents and re-fingerprint what changed.

    The flags and the fingerprints of a document change in one transaction, so a kill
    midway leaves every document consistent and the next run finishes the rest.
    """
    for document_id, changes in store.recurring_changes(db).items():
        with store.write_transaction(db):
            store.apply_segment_flags(db, changes)
            doc = document_from_store(db, document_id)
            store.replace_fingerprints(db, document_id, fingerprint.fingerprints(doc))
    return db.execute("select count(*) from segments where reason = 'recurring'").fetchone()[0]


def document_from_store(db: sqlite_utils.Database, document_id: str) -> Document:
    row = db.execute(
        "select text, language, date, wire_credit, source, title, content_hash, url from documents where id = ?",
        [document_id],
    ).fetchone()
    segments = [
        Segment(
            n=r["n"], kind=r["kind"], paragraph=r["paragraph"], start=r["start"], end=r["end"],
            text=r["text"], boilerplate=bool(r["boilerplate"]), reason=r["reason"],
        )
        for r in db["segments"].rows_where("document_id = ?", [document_id], order_by="n")
    ]
    return Document(
        id=document_id, text=row[0], language=row[1], date=row[2], wire_credit=row[3], source=row[4],
        title=row[5], content_hash=row[6], url=row[7], segments=segments,
    )


def profile(doc: Document, formula_spans: list[tuple[int, int]] = ()) -> derivation.Profile:
    """What a pair verdict needs of one document; sentences made mostly of formula text
    (see `store.formula_prints`) take no part, like boilerplate."""
    units = terms.units(doc)
    if formula_spans:
        units = [u for u in units if _formula_share(u, formula_spans) < FORMULA_SHARE]
    return derivation.Profile(
        id=doc.id,
        units=units,
        date=doc.date,
        wire_credit=doc.wire_credit,
        source=doc.source,
        title=doc.title,
        quotes=terms.quotations(doc),
        url=doc.url,
    )


FORMULA_SHARE = 0.5


def _formula_share(unit: terms.Unit, spans: list[tuple[int, int]]) -> float:
    covered = sum(1 for w in unit.words if terms.inside(spans, w.start, w.end))
    return covered / len(unit.words) if unit.words else 0.0


def formula_spans(db: sqlite_utils.Database, document_id: str, formula: set[str]) -> list[tuple[int, int]]:
    value = store.winnowed(db, document_id)
    if not formula or value is None:
        return []
    return formula_spans_of(value, formula)


def formula_spans_of(winnowed: bytes, formula: set[str]) -> list[tuple[int, int]]:
    """Merged character spans of the winnowed k-grams (a `winnow` fingerprint) that are formula."""
    spans = sorted(
        (int(row["start"]), int(row["end"]))
        for row in fingerprint.load_winnow(winnowed)
        if f"{candidates.PASSAGE_PRINT}{int(row['hash']):016x}" in formula
    )
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
) -> dict:
    """Judge every candidate pair that involves `document_ids` (default: all) and is not judged yet.

    Incremental: a pair is judged once per pair of content hashes, so re-runs do nothing and
    a new document is aligned only against the candidates the index proposes for it.
    """
    anchors = store.load_anchors(db)
    index = candidates.AnchorIndex()
    for document_id in sorted(anchors):
        index.add(document_id, anchors[document_id])
    hashes = dict(db.execute("select id, content_hash from documents").fetchall())
    done = store.compared(db)
    targets = sorted(hashes) if document_ids is None else sorted(set(document_ids))
    pairs = []
    for document_id in targets:
        for other, _ in index.candidates(document_id, anchors.get(document_id, ())):
            pair = tuple(sorted((document_id, other)))
            if done.get(pair) != (hashes[pair[0]], hashes[pair[1]]):
                pairs.append(pair)
    pairs.extend(store.same_url_pairs(db, targets))
    pairs = sorted({pair for pair in pairs if done.get(pair) != (hashes[pair[0]], hashes[pair[1]])})
    formula = store.formula_prints(db) if pairs else set()
    profiles: dict[str, derivation.Profile] = {}

    def cached(document_id: str) -> derivation.Profile:
        if document_id not in profiles:
            if len(profiles) > 2000:
                profiles.clear()
            doc = document_from_store(db, document_id)
            profiles[document_id] = profile(doc, formula_spans(db, document_id, formula))
        return profiles[document_id]

    counts = {"pairs": len(pairs), "derivation": 0, "related": 0, "none": 0}
    for a, b in pairs:
        verdict = derivation.compare_profiles(cached(a), cached(b))
        store.save_verdict(db, (a, b), (hashes[a], hashes[b]), verdict, run_id)
        counts[verdict["kind"] if verdict else "none"] += 1
        if progress:
            progress()
    return counts


def audit(paths: Iterable[str], db: str | sqlite_utils.Database | None = None) -> dict:
    """Notebook entry point: ingest `paths` into `db` and return the report object."""
    database = db if isinstance(db, sqlite_utils.Database) else store.open_db(db or store.DEFAULT_DB)
    paths = [str(p) for p in paths]
    run_id = store.start_run(database, "audit", paths, SETTINGS)
    result = ingest(database, paths, run_id)
    analysis = analyse_corpus(database, result.new + result.updated, run_id)
    checked = analyse_claims(database, run_id)
    store.finish_run(database, run_id, "done", {**result.counts(), "comparisons": analysis, "claims_documents": checked})
    return report_object(database, result)


def document_claims(db: sqlite_utils.Database, document_id: str, sources: list[str]) -> list[dict]:
    """Claims of one document, each checked against its direct sources (best verdict wins).

    With no source, every claim is `original`. With several, a claim supported by any source
    is supported there; otherwise the first source that shows a drift names it; otherwise it is
    unsupported, checked against the first source.
    """
    return claims_against(
        document_from_store(db, document_id), [document_from_store(db, source_id) for source_id in sources]
    )


def claims_against(doc: Document, sources: list[Document]) -> list[dict]:
    """`document_claims` on documents in hand (the Spark run calls this too)."""
    if not sources:
        return claims.original_claims(doc)
    verdicts = []
    for source in sources:
        pairs = align.align(terms.units(doc), terms.units(source)).sentence_pairs
        verdicts.append(claims.check_claims(doc, source, pairs))
    rank = {"supported": 0, "drifted": 1, "unsupported": 2}
    return [min(options, key=lambda c: rank.get(c["status"], 3)) for options in zip(*verdicts)]


def derivation_graph(db: sqlite_utils.Database) -> tuple[list[dict], list[dict], dict[str, list[str]]]:
    """(derivations, related, origins) after reconciling the stored pairwise verdicts."""
    kept, related = derivation.reconcile(store.load_derivations(db), store.load_related(db))
    documents = [row[0] for row in db.execute("select id from documents order by id")]
    return kept, related, derivation.origins(documents, kept)


def analyse_claims(db: sqlite_utils.Database, run_id: int | None = None) -> int:
    """Extract and check the claims of every document in a derivation, where its sources changed.

    The basis of a document's claims is its own content hash and its sources' hashes; claims
    are redone only when that changes, so re-runs cost nothing.
    """
    kept, _, _ = derivation_graph(db)
    hashes = dict(db.execute("select id, content_hash from documents").fetchall())
    sources = claim_sources(kept)
    done = 0
    for document_id in sorted(sources):
        own = sources[document_id]
        basis = claims_basis(document_id, own, hashes)
        if store.claims_basis(db, document_id) == basis:
            continue
        store.save_claims(db, document_id, document_claims(db, document_id, own), basis, run_id)
        done += 1
    return done


def claim_sources(derivations: list[dict]) -> dict[str, list[str]]:
    """Every document in a derivation → its direct sources, sorted (none for an origin)."""
    sources: dict[str, list[str]] = {}
    for d in derivations:
        sources.setdefault(d["derivative"], []).append(d["source"])
        sources.setdefault(d["source"], [])
    return {document_id: sorted(own) for document_id, own in sources.items()}


def claims_basis(document_id: str, sources: list[str], hashes: dict[str, str]) -> str:
    """What a document's claims were checked against: its content hash and its sources'."""
    return ";".join([hashes[document_id], *(f"{s}={hashes[s]}" for s in sources)])


def registry(db: sqlite_utils.Database) -> credibility.Registry:
    """The outlet registry in effect: the shipped default, seeded on first use, plus imports."""
    records = store.load_outlets(db)
    if not records:
        records = credibility.default_registry().records
        store.save_outlets(db, records, "default")
    return credibility.Registry(records)


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
    db: sqlite_utils.Database, derivations: list[dict], origins: dict, only: set[str] | None = None, claims: dict | None = None
):
    """Outlet resolutions, attribution of every derivation, and credibility entries."""
    outlets = registry(db)
    fields = store.document_fields(db)
    resolutions = {doc_id: credibility.resolve(f, outlets) for doc_id, f in fields.items()}
    for d in derivations:
        result = credibility.attribution(
            fields[d["derivative"]], fields[d["source"]], resolutions[d["source"]], outlets,
            passages=d["passages"], derivative_resolution=resolutions[d["derivative"]],
        )
        d["attributed"] = result["attributed"]
        d["attribution"] = {**credibility.contract_attribution(result), "wrong_credits": result.get("wrong_credits", [])}
    involving: dict[str, list[dict]] = {}
    for d in derivations:
        involving.setdefault(d["derivative"], []).append(d)
        involving.setdefault(d["source"], []).append(d)
    entries = []
    for doc_id in sorted(fields if only is None else only):
        doc = document_from_store(db, doc_id)
        found = credibility.signals(
            doc, resolutions[doc_id], involving.get(doc_id, []), outlets,
            resolutions=resolutions, origins=origins.get(doc_id), claims=(claims or {}).get(doc_id),
        )
        entries.append(credibility.report_entry(doc_id, resolutions[doc_id], found))
    return resolutions, entries


def report_object(db: sqlite_utils.Database, result: IngestResult | None = None) -> dict:
    """The report object of CONTRACT.md from what the store holds."""
    documents = store.list_documents(db)
    kept, related, origins = derivation_graph(db)
    reviews = store.load_reviews(db)
    for d in kept:
        d["review"] = reviews.get((d["derivative"], d["source"]))
    claim_list = store.load_claims(db)
    by_document: dict[str, list[dict]] = {}
    for claim in claim_list:
        by_document.setdefault(claim["document"], []).append(claim)
    resolutions, entries = credibility_view(db, kept, origins, claims=by_document)
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
    return verdict_object(derivation.compare_profiles(profile(doc_a), profile(doc_b)), doc_a, doc_b)


def compare_stored(db: sqlite_utils.Database, a: str, b: str) -> dict:
    doc_a, doc_b = document_from_store(db, a), document_from_store(db, b)
    return verdict_object(derivation.compare_profiles(profile(doc_a), profile(doc_b)), doc_a, doc_b)


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
