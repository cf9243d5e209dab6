"""Crash safety: an audit killed at random points loses nothing and the next run finishes the job.

SQLite is tested by crashing it; so is our store. `provenance audit` runs as a real process on
a generated corpus with real reuse and is SIGKILLed six times over, at seeded random points of
every phase (watched through the database, so the points do not depend on the machine's speed);
the database must then be intact, every stored document complete, and one uninterrupted re-run
must end where a clean single run in a fresh database ends.
"""
from __future__ import annotations

import random
import signal
import sqlite3
import time

from provenance import fingerprint, pipeline, store

from .generated import final_result, provenance, write_corpus

FAMILIES = 3
PROGRESS = {
    "documents": "select count(*) from documents",
    "comparisons": "select count(*) from comparisons",
    "claims": "select count(distinct document) from claims",
}


def progress(db_path, what: str) -> int:
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute(PROGRESS[what]).fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:  # not created yet, or its tables not yet migrated
        return 0


def kill_plan(rng: random.Random, totals: dict) -> list[tuple[str, int, float]]:
    """Where to kill: (what to watch, count to wait for, seconds more), at seeded random points
    in every phase: storing documents, comparing pairs, checking claims, writing reports."""
    docs, pairs, claimed = totals["documents"], totals["comparisons"], totals["claims"]
    return [
        ("documents", rng.randint(1, docs // 3), 0.0),
        ("documents", rng.randint(docs // 3 + 1, docs - 1), 0.0),
        ("comparisons", rng.randint(1, pairs // 2), 0.0),
        ("comparisons", rng.randint(pairs // 2 + 1, pairs - 1), 0.0),
        ("claims", rng.randint(1, claimed - 1), 0.0),
        ("claims", claimed, rng.uniform(0.0, 1.0)),
    ]


def run_until_killed(args: list, db_path, what: str, count: int, more: float) -> bool:
    """Start an audit, SIGKILL it once `what` reaches `count` (plus `more` seconds); True if it was still running."""
    process = provenance(*args)
    try:
        while process.poll() is None and progress(db_path, what) < count:
            time.sleep(0.01)
        time.sleep(more)
        alive = process.poll() is None
        if alive:
            process.send_signal(signal.SIGKILL)
        return alive
    finally:
        process.communicate()


def check_store_intact(db_path) -> int:
    """Integrity, foreign keys, and every stored document complete; returns the documents count."""
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        documents = conn.execute("select id, text, content_hash, segments from documents").fetchall()
        for document_id, text, content_hash, count in documents:
            assert content_hash == fingerprint.content_hash(text), document_id
            segments = conn.execute(
                'select start, "end", text from segments where document_id = ? order by n', [document_id]
            ).fetchall()
            assert len(segments) == count > 0, document_id
            assert all(text[start:end] == said for start, end, said in segments), document_id
            kinds = {row[0] for row in conn.execute("select kind from fingerprints where document_id = ?", [document_id])}
            assert kinds >= {"minhash", "winnow"}, (document_id, kinds)
            assert conn.execute("select count(*) from paragraphs where document_id = ?", [document_id]).fetchone()[0] > 0
            assert conn.execute("select count(*) from anchors where document_id = ?", [document_id]).fetchone()[0] > 0
        orphans = conn.execute(
            "select count(*) from derivations d where not exists (select 1 from passages p where p.derivation_id = d.id)"
        ).fetchone()[0]
        assert orphans == 0
        unjudged = conn.execute(
            "select count(*) from derivations d where not exists (select 1 from comparisons c where "
            "(c.document_a = d.derivative and c.document_b = d.source) or (c.document_a = d.source and c.document_b = d.derivative))"
        ).fetchone()[0]
        assert unjudged == 0
        return len(documents)
    finally:
        conn.close()


def test_audit_killed_repeatedly_resumes_to_the_clean_result(tmp_path):
    corpus = tmp_path / "corpus"
    files = write_corpus(corpus, families=FAMILIES)
    clean_db = tmp_path / "clean.db"
    pipeline.audit([str(corpus)], store.open_db(clean_db)).clear()
    expected = final_result(clean_db)
    totals = {what: progress(clean_db, what) for what in PROGRESS}
    assert expected["derivations"] and totals["claims"] > 1

    db_path = tmp_path / "killed.db"
    args = ["audit", corpus, "--db", db_path, "--report-dir", tmp_path / "reports"]
    plan = kill_plan(random.Random(20261125), totals)
    killed = 0
    for what, count, more in plan:
        killed += run_until_killed(args, db_path, what, count, more)
        check_store_intact(db_path)
    assert killed >= len(plan) - 1, f"only {killed} of {len(plan)} runs were still working when killed"

    final = provenance(*args)
    out, err = final.communicate(timeout=300)
    assert final.returncode == 0, err
    assert check_store_intact(db_path) == len(files)
    assert final_result(db_path) == expected


def test_audit_after_ingest_compares_what_was_stored(tmp_path):
    """`ingest` then `audit` of the same files (or an audit resumed after a kill that stored
    every document) still compares them: once compared nothing is redone, but nothing is skipped."""
    corpus = tmp_path / "corpus"
    write_corpus(corpus, families=1)
    db = store.open_db(tmp_path / "p.db")
    pipeline.ingest(db, [str(corpus)])
    resumed = pipeline.audit([str(corpus)], db)
    clean = pipeline.audit([str(corpus)], store.open_db(tmp_path / "clean.db"))
    assert resumed.pop("run")["new"] == 0 and clean.pop("run")["new"] > 0
    assert resumed["derivations"] and resumed == clean
