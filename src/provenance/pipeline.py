"""The stages in order: read → segment → metadata → fingerprint → store.

Plain functions over the store; the CLI and the notebook API (`provenance.audit`) both call
these, so what a script sees is what the terminal shows.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

import sqlite_utils

from . import fingerprint, metadata, segment, store
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


def analyse(raw: RawRecord) -> tuple[Document, list[tuple[int, int]]]:
    """One raw record → a segmented, described document and its paragraph spans."""
    language = raw.given.get("language") or metadata.detect_language(raw.text)
    segments = segment.segment(raw.text, language)
    fields, found = metadata.extract(raw.text, segments, raw.given)
    if raw.given.get("language"):
        fields["language"], found["language"] = raw.given["language"], "given"
    doc = Document(
        id=raw.id,
        text=raw.text,
        origin=raw.origin,
        format=raw.format,
        source=raw.given.get("source"),
        metadata=raw.extra,
        found={**found, **({"source": "given"} if raw.given.get("source") else {})},
        content_hash=fingerprint.content_hash(raw.text),
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
        if store.stored_hash(db, item.id) == fingerprint.content_hash(item.text):
            result.unchanged.append(item.id)
            continue
        doc, paragraphs = analyse(item)
        outcome = store.save_document(db, doc, paragraphs, fingerprint.fingerprints(doc), run_id)
        getattr(result, outcome).append(doc.id)
    result.recurring_segments = refresh_recurring_boilerplate(db)
    return result


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
    row = db.execute("select text from documents where id = ?", [document_id]).fetchone()
    segments = [
        Segment(
            n=r["n"], kind=r["kind"], paragraph=r["paragraph"], start=r["start"], end=r["end"],
            text=r["text"], boilerplate=bool(r["boilerplate"]), reason=r["reason"],
        )
        for r in db["segments"].rows_where("document_id = ?", [document_id], order_by="n")
    ]
    return Document(id=document_id, text=row[0], segments=segments)


def audit(paths: Iterable[str], db: str | sqlite_utils.Database | None = None) -> dict:
    """Notebook entry point: ingest `paths` into `db` and return the report object."""
    database = db if isinstance(db, sqlite_utils.Database) else store.open_db(db or store.DEFAULT_DB)
    paths = [str(p) for p in paths]
    run_id = store.start_run(database, "audit", paths, SETTINGS)
    result = ingest(database, paths, run_id)
    store.finish_run(database, run_id, "done", result.counts())
    return report_object(database, result)


def report_object(db: sqlite_utils.Database, result: IngestResult | None = None) -> dict:
    report = {"documents": store.list_documents(db)}
    if result is not None:
        report["run"] = {
            "id": result.run_id,
            **result.counts(),
            "problems": [str(p) for p in result.problems],
        }
    return report

