"""The SQLite store: the schema (append-only migrations) and every write.

Several `provenance` processes may share one database, so every write transaction starts
with `BEGIN IMMEDIATE` (it waits on the busy timeout instead of failing on upgrade the way a
deferred `BEGIN` does in WAL mode), and one document is always written in one transaction:
after a crash or a kill there is never half a document.
"""
from __future__ import annotations

import contextlib
import datetime
import json
import sqlite3
import time
from pathlib import Path
from typing import Iterator

import sqlite_utils
from sqlite_utils.migrations import Migrations

from . import __version__
from .document import Document

DEFAULT_DB = "db/provenance.db"
BUSY_TIMEOUT_MS = 60_000
RECURRING_MIN_DOCUMENTS = 5

migrations = Migrations("provenance")


@migrations()
def m001_initial(db: sqlite_utils.Database) -> None:
    db["runs"].create(
        {
            "id": int,
            "command": str,
            "arguments": str,
            "version": str,
            "settings": str,
            "started_at": str,
            "finished_at": str,
            "status": str,
            "counts": str,
        },
        pk="id",
    )
    db["documents"].create(
        {
            "id": str,
            "title": str,
            "source": str,
            "url": str,
            "date": str,
            "language": str,
            "dateline": str,
            "wire_credit": str,
            "author": str,
            "format": str,
            "origin": str,
            "content_hash": str,
            "version": int,
            "characters": int,
            "segments": int,
            "metadata": str,
            "found": str,
            "text": str,
            "ingested_at": str,
            "run_id": int,
        },
        pk="id",
        foreign_keys=[("run_id", "runs", "id")],
    )
    db["documents"].create_index(["content_hash"])
    db["documents"].create_index(["source"])
    db["document_versions"].create(
        {
            "document_id": str,
            "version": int,
            "content_hash": str,
            "title": str,
            "origin": str,
            "text": str,
            "ingested_at": str,
            "replaced_at": str,
            "replaced_by_run": int,
        },
        pk=("document_id", "version"),
        foreign_keys=[("document_id", "documents", "id"), ("replaced_by_run", "runs", "id")],
    )
    db["paragraphs"].create(
        {"document_id": str, "n": int, "start": int, "end": int},
        pk=("document_id", "n"),
        foreign_keys=[("document_id", "documents", "id")],
    )
    db["segments"].create(
        {
            "id": int,
            "document_id": str,
            "n": int,
            "paragraph": int,
            "kind": str,
            "start": int,
            "end": int,
            "text": str,
            "text_hash": str,
            "boilerplate": int,
            "reason": str,
        },
        pk="id",
        foreign_keys=[("document_id", "documents", "id")],
    )
    db["segments"].create_index(["document_id", "n"], unique=True)
    db["segments"].create_index(["text_hash"])
    db["segments"].enable_fts(
        ["text"], create_triggers=True, tokenize="unicode61 remove_diacritics 2"
    )
    db["fingerprints"].create(
        {"document_id": str, "kind": str, "params": str, "count": int, "value": bytes},
        pk=("document_id", "kind"),
        foreign_keys=[("document_id", "documents", "id")],
    )
    db["problems"].create(
        {"id": int, "run_id": int, "origin": str, "line": int, "message": str},
        pk="id",
        foreign_keys=[("run_id", "runs", "id")],
    )


def now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def open_db(path: str | Path | None = None) -> sqlite_utils.Database:
    """Open (creating and migrating) a database; `None` or ':memory:' for a throwaway one."""
    if path is None or str(path) == ":memory:":
        db = sqlite_utils.Database(memory=True)
    else:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
        db = sqlite_utils.Database(conn)
        with _retrying():
            db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
    db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys=ON")
    ensure_db_shape(db)
    return db


def ensure_db_shape(db: sqlite_utils.Database) -> None:
    """Apply pending migrations; re-runnable, and safe when two processes start at once."""
    if not migrations.pending(db):
        return
    with write_transaction(db):
        migrations.apply(db)


@contextlib.contextmanager
def _retrying(attempts: int = 20) -> Iterator[None]:
    for attempt in range(attempts):
        try:
            yield
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) and "busy" not in str(error):
                raise
            if attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


@contextlib.contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """One `BEGIN IMMEDIATE … COMMIT`; sqlite-utils writes inside it join it."""
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    for attempt in range(20):
        try:
            db.conn.execute("BEGIN IMMEDIATE")
            break
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) and "busy" not in str(error) or attempt == 19:
                raise
            time.sleep(0.05 * (attempt + 1))
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    else:
        db.conn.execute("COMMIT")


def start_run(db: sqlite_utils.Database, command: str, arguments: list[str], settings: dict) -> int:
    with write_transaction(db):
        return db["runs"].insert(
            {
                "command": command,
                "arguments": json.dumps(arguments, ensure_ascii=False),
                "version": __version__,
                "settings": json.dumps(settings, sort_keys=True),
                "started_at": now(),
                "status": "running",
            }
        ).last_pk


def finish_run(db: sqlite_utils.Database, run_id: int, status: str, counts: dict) -> None:
    with write_transaction(db):
        db["runs"].update(
            run_id,
            {"finished_at": now(), "status": status, "counts": json.dumps(counts, sort_keys=True)},
        )


def save_problem(db: sqlite_utils.Database, run_id: int | None, origin: str, line: int | None, message: str) -> None:
    with write_transaction(db):
        db["problems"].insert({"run_id": run_id, "origin": origin, "line": line, "message": message})


def stored_hash(db: sqlite_utils.Database, document_id: str) -> str | None:
    row = db.execute("select content_hash from documents where id = ?", [document_id]).fetchone()
    return row[0] if row else None


def save_document(
    db: sqlite_utils.Database,
    doc: Document,
    paragraphs: list[tuple[int, int]],
    fingerprints: list[dict],
    run_id: int | None = None,
) -> str:
    """Store one analysed document atomically; returns 'new', 'unchanged' or 'updated'.

    An update keeps the replaced text in `document_versions`, so the earlier analysis can
    always be explained, and replaces segments and fingerprints in the same transaction.
    """
    with write_transaction(db):
        old = db.execute(
            "select content_hash, version, title, origin, text, ingested_at from documents where id = ?",
            [doc.id],
        ).fetchone()
        if old and old[0] == doc.content_hash:
            return "unchanged"
        version = 1
        if old:
            version = old[1] + 1
            db["document_versions"].insert(
                {
                    "document_id": doc.id,
                    "version": old[1],
                    "content_hash": old[0],
                    "title": old[2],
                    "origin": old[3],
                    "text": old[4],
                    "ingested_at": old[5],
                    "replaced_at": now(),
                    "replaced_by_run": run_id,
                },
                replace=True,
            )
            for table in ("segments", "paragraphs", "fingerprints"):
                db.execute(f"delete from {table} where document_id = ?", [doc.id])
        db["documents"].upsert(
            {
                "id": doc.id,
                "title": doc.title,
                "source": doc.source,
                "url": doc.url,
                "date": doc.date,
                "language": doc.language,
                "dateline": doc.dateline,
                "wire_credit": doc.wire_credit,
                "author": doc.author,
                "format": doc.format,
                "origin": doc.origin,
                "content_hash": doc.content_hash,
                "version": version,
                "characters": len(doc.text),
                "segments": len(doc.segments),
                "metadata": json.dumps(doc.metadata, ensure_ascii=False, sort_keys=True, default=str),
                "found": json.dumps(doc.found, sort_keys=True),
                "text": doc.text,
                "ingested_at": now(),
                "run_id": run_id,
            },
            pk="id",
        )
        db["paragraphs"].insert_all(
            ({"document_id": doc.id, "n": n, "start": s, "end": e} for n, (s, e) in enumerate(paragraphs)),
        )
        db["segments"].insert_all(
            (
                {
                    "document_id": doc.id,
                    "n": seg.n,
                    "paragraph": seg.paragraph,
                    "kind": seg.kind,
                    "start": seg.start,
                    "end": seg.end,
                    "text": seg.text,
                    "text_hash": seg_hash,
                    "boilerplate": int(seg.boilerplate),
                    "reason": seg.reason,
                }
                for seg, seg_hash in zip(doc.segments, _segment_hashes(doc))
            ),
        )
        db["fingerprints"].insert_all(
            ({"document_id": doc.id, **fingerprint} for fingerprint in fingerprints),
        )
        return "updated" if old else "new"


def _segment_hashes(doc: Document) -> list[str]:
    from .fingerprint import segment_hash

    return [segment_hash(doc.text, seg) for seg in doc.segments]


def recurring_changes(db: sqlite_utils.Database, min_documents: int = RECURRING_MIN_DOCUMENTS) -> dict[str, list[tuple]]:
    """Segments whose `recurring` flag must change, by document: `(segment id, boilerplate, reason)`.

    A sentence or title recurring in at least `min_documents` documents of one source is
    outlet boilerplate (newsletter pitches, standard disclaimers). Recomputed over the whole
    store, so the flags follow the corpus as it grows.
    """
    rows = db.execute(
        """
        with recurring as (
          select d.source as source, s.text_hash as text_hash
          from segments s join documents d on d.id = s.document_id
          where d.source is not null and s.kind in ('sentence', 'title')
            and (s.boilerplate = 0 or s.reason = 'recurring')
          group by d.source, s.text_hash
          having count(distinct s.document_id) >= ?
        ),
        flagged as (
          select s.id, s.document_id, s.reason is 'recurring' as is_flagged,
                 exists (select 1 from recurring r where r.source = d.source and r.text_hash = s.text_hash)
                   as should_flag
          from segments s join documents d on d.id = s.document_id
          where s.kind in ('sentence', 'title') and (s.boilerplate = 0 or s.reason = 'recurring')
        )
        select document_id, id, should_flag from flagged where is_flagged != should_flag
        order by document_id, id
        """,
        [min_documents],
    ).fetchall()
    changes: dict[str, list[tuple]] = {}
    for document_id, segment_id, should_flag in rows:
        changes.setdefault(document_id, []).append(
            (segment_id, int(bool(should_flag)), "recurring" if should_flag else None)
        )
    return changes


def apply_segment_flags(db: sqlite_utils.Database, changes: list[tuple]) -> None:
    db.conn.executemany(
        "update segments set boilerplate = ?, reason = ? where id = ?",
        [(flag, reason, segment_id) for segment_id, flag, reason in changes],
    )


def replace_fingerprints(db: sqlite_utils.Database, document_id: str, fingerprints: list[dict]) -> None:
    with write_transaction(db):
        db.execute("delete from fingerprints where document_id = ?", [document_id])
        db["fingerprints"].insert_all({"document_id": document_id, **row} for row in fingerprints)


DOCUMENT_KEYS = (
    "id", "title", "source", "url", "date", "language", "dateline", "wire_credit", "author", "segments",
)


def list_documents(db: sqlite_utils.Database) -> list[dict]:
    """The documents in id order, with the contract's keys (`outlet` is resolved later)."""
    rows = db.execute(
        "select " + ", ".join(f'"{key}"' for key in DOCUMENT_KEYS) + " from documents order by id"
    ).fetchall()
    return [_document_object(dict(zip(DOCUMENT_KEYS, row))) for row in rows]


def _document_object(row: dict) -> dict:
    return {**row, "outlet": None}


def load_document(db: sqlite_utils.Database, document_id: str) -> dict | None:
    """One document with its metadata, how each field was found, segments and fingerprints."""
    rows = list(db["documents"].rows_where("id = ?", [document_id]))
    if not rows:
        return None
    row = rows[0]
    doc = _document_object({key: row[key] for key in DOCUMENT_KEYS})
    doc.update(
        format=row["format"],
        origin=row["origin"],
        content_hash=row["content_hash"],
        version=row["version"],
        characters=row["characters"],
        ingested_at=row["ingested_at"],
        metadata=json.loads(row["metadata"] or "{}"),
        found=json.loads(row["found"] or "{}"),
        text=row["text"],
    )
    doc["paragraphs"] = [
        {"n": r["n"], "start": r["start"], "end": r["end"]}
        for r in db["paragraphs"].rows_where("document_id = ?", [document_id], order_by="n")
    ]
    doc["segment_list"] = [
        {
            "n": r["n"],
            "paragraph": r["paragraph"],
            "kind": r["kind"],
            "start": r["start"],
            "end": r["end"],
            "text": r["text"],
            "boilerplate": bool(r["boilerplate"]),
            "reason": r["reason"],
        }
        for r in db["segments"].rows_where("document_id = ?", [document_id], order_by="n")
    ]
    doc["fingerprints"] = {
        r["kind"]: {"params": json.loads(r["params"]), "count": r["count"]}
        for r in db["fingerprints"].rows_where("document_id = ?", [document_id], order_by="kind")
    }
    doc["versions"] = [
        {k: r[k] for k in ("version", "content_hash", "origin", "ingested_at", "replaced_at")}
        for r in db["document_versions"].rows_where("document_id = ?", [document_id], order_by="version")
    ]
    return doc
