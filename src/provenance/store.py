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
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Iterable, Iterator

import sqlite_utils
from sqlite_utils.migrations import Migrations

from . import DEFAULT_DB, __version__, candidates, fingerprint
from .candidates import PASSAGE_PRINT
from .document import Document

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



@migrations()
def m002_derivations(db: sqlite_utils.Database) -> None:
    db["anchors"].create(
        {"document_id": str, "term": str},
        pk=("document_id", "term"),
        foreign_keys=[("document_id", "documents", "id")],
    )
    db["anchors"].create_index(["term"])
    db["comparisons"].create(
        {"document_a": str, "document_b": str, "hash_a": str, "hash_b": str, "outcome": str, "run_id": int},
        pk=("document_a", "document_b"),
        foreign_keys=[("document_a", "documents", "id"), ("document_b", "documents", "id"), ("run_id", "runs", "id")],
    )
    db["comparisons"].create_index(["document_b"])
    db["derivations"].create(
        {
            "id": int,
            "derivative": str,
            "source": str,
            "relation": str,
            "score": float,
            "coverage": float,
            "source_coverage": float,
            "verbatim_share": float,
            "direction_confidence": float,
            "direction_reasons": str,
            "evidence": str,
            "run_id": int,
        },
        pk="id",
        foreign_keys=[("derivative", "documents", "id"), ("source", "documents", "id"), ("run_id", "runs", "id")],
    )
    db["derivations"].create_index(["derivative", "source"], unique=True)
    db["derivations"].create_index(["source"])
    db["passages"].create(
        {
            "id": int,
            "derivation_id": int,
            "kind": str,
            "derivative_start": int,
            "derivative_end": int,
            "source_start": int,
            "source_end": int,
            "similarity": float,
        },
        pk="id",
        foreign_keys=[("derivation_id", "derivations", "id")],
    )
    db["passages"].create_index(["derivation_id"])
    db["related"].create(
        {
            "id": int,
            "document_a": str,
            "document_b": str,
            "reason": str,
            "common_source": str,
            "explanation": str,
            "evidence": str,
            "run_id": int,
        },
        pk="id",
        foreign_keys=[("document_a", "documents", "id"), ("document_b", "documents", "id"), ("run_id", "runs", "id")],
    )
    db["related"].create_index(["document_a", "document_b"], unique=True)
    db["related"].create_index(["document_b"])



@migrations()
def m003_url_index(db: sqlite_utils.Database) -> None:
    db["documents"].create_index(["url"])


OUTLET_LIST_FIELDS = ("domains", "feeds", "aliases", "data_sources", "ratings")


@migrations()
def m004_outlets(db: sqlite_utils.Database) -> None:
    db["outlets"].create(
        {
            "name": str,
            "role": str,
            "state_affiliation": str,
            "typology": str,
            "country": str,
            "owner": str,
            "notes": str,
            "domains": str,
            "feeds": str,
            "aliases": str,
            "data_sources": str,
            "ratings": str,
            "origin": str,
            "updated_at": str,
        },
        pk="name",
    )
    db["outlets"].create_index(["role"])
    db["outlets"].create_index(["state_affiliation"])


@migrations()
def m005_claims(db: sqlite_utils.Database) -> None:
    db["claims"].create(
        {
            "id": str,
            "document": str,
            "n": int,
            "text": str,
            "start": int,
            "end": int,
            "kind": str,
            "slots": str,
            "status": str,
            "checked_against": str,
            "source_document": str,
            "source_start": int,
            "source_end": int,
            "source_text": str,
            "drift": str,
            "basis": str,
            "run_id": int,
        },
        pk="id",
        foreign_keys=[("document", "documents", "id"), ("run_id", "runs", "id")],
    )
    db["claims"].create_index(["document"])
    db["claims"].create_index(["status"])


@migrations()
def m006_reviews(db: sqlite_utils.Database) -> None:
    db["reviews"].create(
        {"derivative": str, "source": str, "verdict": str, "note": str, "at": str, "run_id": int},
        pk=("derivative", "source"),
        foreign_keys=[("derivative", "documents", "id"), ("source", "documents", "id"), ("run_id", "runs", "id")],
    )


@migrations()
def m007_outlets_and_attribution(db: sqlite_utils.Database) -> None:
    """What the report decides about outlets, attribution and origins, kept where SQL can see it."""
    db["document_outlets"].create(
        {
            "document_id": str,
            "outlet": str,
            "role": str,
            "state_affiliation": str,
            "country": str,
            "how": str,
            "distributor": str,
            "resolution": str,
            "run_id": int,
        },
        pk="document_id",
        foreign_keys=[("document_id", "documents", "id"), ("run_id", "runs", "id")],
    )
    db["document_outlets"].create_index(["outlet"])
    db["document_outlets"].create_index(["state_affiliation"])
    db["attributions"].create(
        {
            "derivative": str,
            "source": str,
            "attributed": int,
            "cue": str,
            "credits": str,
            "names_wrong_outlet": int,
            "wrong_credits": str,
            "run_id": int,
        },
        pk=("derivative", "source"),
        foreign_keys=[("derivative", "documents", "id"), ("source", "documents", "id"), ("run_id", "runs", "id")],
    )
    db["attributions"].create_index(["source"])
    db["attributions"].create_index(["attributed"])
    db["document_origins"].create(
        {"document_id": str, "origin": str},
        pk=("document_id", "origin"),
        foreign_keys=[("document_id", "documents", "id"), ("origin", "documents", "id")],
    )
    db["document_origins"].create_index(["origin"])
    db.create_view("aligned_passages", _ALIGNED_PASSAGES_M007_SQL)


# The view as m007 made it, and as m017 makes it: with whether the report keeps the derivation.
_ALIGNED_PASSAGES_VIEW = """
select d.derivative, dd.title as derivative_title, d.source, ds.title as source_title, d.relation,
       p.kind, p.similarity,
       substr(dd.text, p.derivative_start + 1, p.derivative_end - p.derivative_start) as derivative_text,
       substr(ds.text, p.source_start + 1, p.source_end - p.source_start) as source_text,
       p.derivative_start, p.derivative_end, p.source_start, p.source_end{columns}
from passages p
join derivations d on d.id = p.derivation_id
join documents dd on dd.id = d.derivative
join documents ds on ds.id = d.source
"""
_ALIGNED_PASSAGES_M007_SQL = _ALIGNED_PASSAGES_VIEW.format(columns="")
ALIGNED_PASSAGES_SQL = _ALIGNED_PASSAGES_VIEW.format(columns=", d.reported")


@migrations()
def m008_claim_links(db: sqlite_utils.Database) -> None:
    db["claim_links"].create(
        {
            "claim": str,
            "document": str,
            "source_document": str,
            "source_start": int,
            "source_end": int,
            "similarity": float,
            "status": str,
            "via": str,
            "slots": str,
            "source_slots": str,
        },
        pk="claim",
        foreign_keys=[
            ("claim", "claims", "id"), ("document", "documents", "id"),
            ("source_document", "documents", "id"), ("via", "documents", "id"),
        ],
    )
    db["claim_links"].create_index(["source_document"])
    db["claim_links"].create_index(["document"])
    # claims stored before links existed are redone on the next run
    db.execute("update claims set basis = null")


# Integer ordinals stand in for the 30-character document ids in the big internal tables
# (anchor postings, segment spans, judged pairs); views with the old names and columns show
# them with readable ids, so SQL and Datasette read what they always read.
DOCUMENT_NUMBERS_SQL = """
create table document_numbers (
  n integer primary key,
  id text not null unique references documents(id)
)
"""

ANCHOR_INDEX_SQL = """
create table anchor_index (
  term not null,
  document integer not null references document_numbers(n),
  primary key (term, document)
) without rowid
"""

# An ingest's postings wait here, in the order stored, and join the index in one sorted pass
# (`merge_pending_anchors`): a batch's postings land all over the index, so inserting them batch
# by batch rewrites most of its pages every time, and ingesting grows with the square of the corpus.
ANCHOR_PENDING_SQL = """
create table if not exists anchor_pending (
  term not null,
  document integer not null references document_numbers(n)
)
"""

ANCHORS_VIEW_SQL_M009 = """
select d.id as document_id,
       case when typeof(a.term) = 'integer' then printf('#%016x', a.term) else a.term end as term
from anchor_index a join document_numbers d on d.n = a.document
"""

ANCHORS_VIEW_SQL = """
select d.id as document_id,
       case when typeof(a.term) = 'integer' then printf('#%016x', a.term) else a.term end as term
from (select term, document from anchor_index union select term, document from anchor_pending) a
join document_numbers d on d.n = a.document
"""


@migrations()
def m009_anchor_index(db: sqlite_utils.Database) -> None:
    """Anchors once, compactly: (term, document number) in one WITHOUT ROWID b-tree, a
    winnowed k-gram as its 64-bit hash; `anchors` becomes a view with the old columns."""
    db.execute(DOCUMENT_NUMBERS_SQL)
    db.execute("insert into document_numbers (id) select id from documents order by rowid")
    db.execute(ANCHOR_INDEX_SQL)
    rows = db.conn.execute("select n.n, a.term from anchors a join document_numbers n on n.id = a.document_id")
    db.conn.executemany(
        "insert or ignore into anchor_index (term, document) values (?, ?)",
        ((anchor_key(term), number) for number, term in rows),
    )
    db.execute("drop table anchors")
    db.create_view("anchors", ANCHORS_VIEW_SQL_M009)


SEGMENT_SPANS_SQL_M010 = """
create table segment_spans (
  id integer primary key,
  document integer not null references document_numbers(n),
  n integer not null,
  paragraph integer,
  kind text,
  start integer,
  "end" integer,
  text_hash,
  boilerplate integer,
  reason text
)
"""

SEGMENTS_VIEW_SQL_M010 = """
select s.id, d.id as document_id, s.n, s.paragraph, s.kind, s.start, s."end",
       substr(t.text, s.start + 1, s."end" - s.start) as text,
       case when typeof(s.text_hash) = 'integer' then printf('%016x', s.text_hash) else s.text_hash end as text_hash,
       s.boilerplate, s.reason
from segment_spans s join document_numbers d on d.n = s.document join documents t on t.id = d.id
"""

SEARCH_TOKENIZER = "unicode61 remove_diacritics 2"


@migrations()
def m010_segment_spans(db: sqlite_utils.Database) -> None:
    """Segments without a second copy of their text: offsets into documents.text (character
    offsets, as SQLite's substr counts them); `segments` becomes a view that cuts the text,
    and the full-text index reads it through that view."""
    searchable = db["segments_fts"].exists()
    if searchable:
        db["segments"].disable_fts()
    db.execute(SEGMENT_SPANS_SQL_M010)
    db.execute("create unique index idx_segment_spans_document_n on segment_spans (document, n)")
    rows = db.conn.execute(
        'select s.id, n.n, s.n, s.paragraph, s.kind, s.start, s."end", s.text_hash, s.boilerplate, s.reason '
        "from segments s join document_numbers n on n.id = s.document_id order by s.id"
    )
    db.conn.executemany(
        "insert into segment_spans values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (row[:7] + (hash_key(row[7]) if row[7] is not None else None,) + row[8:] for row in rows),
    )
    db.execute("drop table segments")
    db.create_view("segments", SEGMENTS_VIEW_SQL_M010)
    if searchable:
        set_search(db, True)


def search_enabled(db: sqlite_utils.Database) -> bool:
    return db["segments_fts"].exists()


def database_bytes(db: sqlite_utils.Database) -> int:
    """Pages in use times the page size: the file's size once vacuumed."""
    pages, free, size = (db.execute(f"pragma {name}").fetchone()[0] for name in ("page_count", "freelist_count", "page_size"))
    return (pages - free) * size


def pages_in_use(db: sqlite_utils.Database) -> int:
    return db.execute("pragma page_count").fetchone()[0] - db.execute("pragma freelist_count").fetchone()[0]


COMPACT_SHARE = 0.2


def compact_after(db: sqlite_utils.Database, pages_before: int, share: float = COMPACT_SHARE) -> bool:
    """VACUUM a database file that this run filled by at least `share` (pages in use now against
    `pages_before`), then truncate the write-ahead log; returns whether it did.

    An audit fills its b-trees in key order batch after batch, and rewrites what later stages
    change (fingerprints of recurring lines, flags), which leaves pages part-empty: rewritten in
    order they take about 5 % less. Small incremental runs are left alone, so a large store is
    not copied for a few new articles. A database another process is writing is left as it is
    (the busy timeout) and so is one that cannot be copied (a full disk): it stays intact either way.
    """
    if database_path(db) is None or db.conn.in_transaction:
        return False
    now = pages_in_use(db)
    if now - pages_before < share * now:
        return False
    try:
        db.execute("vacuum")
        db.execute("pragma wal_checkpoint(truncate)")
    except sqlite3.OperationalError:
        return False
    return True


def set_search(db: sqlite_utils.Database, on: bool) -> bool:
    """Create (and fill) or drop the full-text index over segment text; returns whether it changed.

    The index (`segments_fts`, FTS5 over the `segments` view, kept current by triggers on
    `segment_spans`) lets Datasette and SQL search the text; it costs 0.6-0.7 times
    the text's size again (insm)."""
    exists = db["segments_fts"].exists()
    if on == exists:
        return False
    if not on:
        for trigger in SEARCH_TRIGGERS:
            db.execute(f"drop trigger if exists {trigger}")
        db.execute("drop table segments_fts")
        return True
    db.execute(
        f"""create virtual table segments_fts using fts5 (
    text,
    tokenize='{SEARCH_TOKENIZER}',
    content="segments",
    content_rowid="id"
)"""
    )
    create_search_triggers(db)
    db.execute("insert into segments_fts (segments_fts) values ('rebuild')")
    return True


SEARCH_TRIGGERS = ("segment_spans_ai", "segment_spans_ad", "segment_spans_au")


def create_search_triggers(db: sqlite_utils.Database, only: tuple[str, ...] = SEARCH_TRIGGERS) -> None:
    """The triggers that keep `segments_fts` current as `segment_spans` changes (`only` these)."""
    text_of = lambda row: (
        f'select substr(t.text, {row}.start + 1, {row}."end" - {row}.start) '
        f"from document_numbers d join documents t on t.id = d.id where d.n = {row}.document"
    )
    bodies = {
        "segment_spans_ai": f"""after insert on segment_spans begin
  insert into segments_fts (rowid, text) values (new.id, ({text_of("new")}));
end""",
        "segment_spans_ad": f"""after delete on segment_spans begin
  insert into segments_fts (segments_fts, rowid, text) values ('delete', old.id, ({text_of("old")}));
end""",
        "segment_spans_au": f"""after update of document, start, "end" on segment_spans begin
  insert into segments_fts (segments_fts, rowid, text) values ('delete', old.id, ({text_of("old")}));
  insert into segments_fts (rowid, text) values (new.id, ({text_of("new")}));
end""",
    }
    for name in only:
        db.execute(f"create trigger {name} {bodies[name]}")


COMPARED_PAIRS_SQL = """
create table compared_pairs (
  document_a integer not null references document_numbers(n),
  document_b integer not null references document_numbers(n),
  hash_a,
  hash_b,
  outcome text,
  run_id integer references runs(id),
  primary key (document_a, document_b)
) without rowid
"""

COMPARISONS_VIEW_SQL_M011 = """
select a.id as document_a, b.id as document_b,
       case when typeof(c.hash_a) = 'blob' then lower(hex(c.hash_a)) else c.hash_a end as hash_a,
       case when typeof(c.hash_b) = 'blob' then lower(hex(c.hash_b)) else c.hash_b end as hash_b,
       c.outcome, c.run_id
from compared_pairs c join document_numbers a on a.n = c.document_a join document_numbers b on b.n = c.document_b
"""

# From m013: a NULL hash is the document's stored content hash.
COMPARISONS_VIEW_SQL = """
select a.id as document_a, b.id as document_b,
       case typeof(c.hash_a) when 'null' then (select content_hash from documents where id = a.id)
         when 'blob' then lower(hex(c.hash_a)) else c.hash_a end as hash_a,
       case typeof(c.hash_b) when 'null' then (select content_hash from documents where id = b.id)
         when 'blob' then lower(hex(c.hash_b)) else c.hash_b end as hash_b,
       c.outcome, c.run_id
from compared_pairs c join document_numbers a on a.n = c.document_a join document_numbers b on b.n = c.document_b
"""


@migrations()
def m011_compared_pairs(db: sqlite_utils.Database) -> None:
    """Judged pairs by document number, content hashes as 32 bytes; `comparisons` becomes a view."""
    db.execute(COMPARED_PAIRS_SQL)
    db.execute("create index idx_compared_pairs_document_b on compared_pairs (document_b)")
    rows = db.conn.execute(
        "select a.n, b.n, c.hash_a, c.hash_b, c.outcome, c.run_id from comparisons c "
        "join document_numbers a on a.id = c.document_a join document_numbers b on b.id = c.document_b"
    )
    db.conn.executemany(
        "insert or replace into compared_pairs values (?, ?, ?, ?, ?, ?)",
        ((a, b, hash_bytes(hash_a), hash_bytes(hash_b), outcome, run_id) for a, b, hash_a, hash_b, outcome, run_id in rows),
    )
    db.execute("drop table comparisons")
    db.create_view("comparisons", COMPARISONS_VIEW_SQL_M011)


def hash_bytes(value: str | None) -> bytes | str | None:
    """A sha256 hex digest as its 32 bytes (the view shows the hex again); anything else unchanged."""
    if isinstance(value, str) and len(value) == 64:
        try:
            raw = bytes.fromhex(value)
        except ValueError:
            return value
        if raw.hex() == value:
            return raw
    return value


def insert_comparison_rows(db: sqlite_utils.Database, rows: Iterable[dict]) -> int:
    """`comparisons` rows (as the view shows them) into `compared_pairs`; returns how many.

    A hash equal to its document's stored content hash is kept as NULL (the view shows the
    document's hash): a document whose text changes loses its judged pairs
    (`forget_comparisons`), so NULL always means the text the pair was judged on."""
    rows = list(rows)
    ids = sorted({row[key] for row in rows for key in ("document_a", "document_b")})
    numbers = number_documents(db, ids)
    current = content_hashes(db, ids)
    db.conn.executemany(
        "insert or replace into compared_pairs values (?, ?, ?, ?, ?, ?)",
        [
            (
                numbers[row["document_a"]], numbers[row["document_b"]],
                _judged_hash(row["hash_a"], current.get(row["document_a"])),
                _judged_hash(row["hash_b"], current.get(row["document_b"])),
                row["outcome"], row["run_id"],
            )
            for row in rows
        ],
    )
    return len(rows)


def _judged_hash(value: str | None, current: str | None) -> bytes | str | None:
    """How `compared_pairs` keeps the content hash a pair was judged on: NULL for the
    document's stored hash, else as `hash_bytes` gives it."""
    return None if value is not None and value == current else hash_bytes(value)


def content_hashes(db: sqlite_utils.Database, ids: list[str]) -> dict[str, str | None]:
    """The stored content hash of each of `ids` that is stored."""
    return _column_by_id(db, "documents", "content_hash", ids)


def _column_by_id(db: sqlite_utils.Database, table: str, column: str, ids: list[str]) -> dict:
    """`column` of the rows of `table` with one of `ids`, by id, asked in chunks of 500 ids."""
    found: dict = {}
    for at in range(0, len(ids), 500):
        chunk = ids[at:at + 500]
        found.update(db.execute(
            f"select id, {column} from {table} where id in ({', '.join('?' for _ in chunk)})", chunk
        ).fetchall())
    return found


@migrations()
def m012_claims_basis_once(db: sqlite_utils.Database) -> None:
    """A document's claims basis (the same long string on every claim) is kept on its first claim."""
    db.execute("update claims set basis = null where n > (select min(n) from claims c where c.document = claims.document)")


@migrations()
def m013_judged_hashes_by_reference(db: sqlite_utils.Database) -> None:
    """A judged pair's content hashes are NULL where they are the documents' stored hashes (all
    of them, as a changed text drops its pairs): 64 bytes less per pair. `comparisons` shows the
    documents' hashes there."""
    for side in ("a", "b"):
        db.execute(
            f"""update compared_pairs set hash_{side} = null
            where typeof(hash_{side}) = 'blob' and lower(hex(hash_{side})) = (
              select t.content_hash from document_numbers d join documents t on t.id = d.id
              where d.n = compared_pairs.document_{side})"""
        )
    db.execute("drop view comparisons")
    db.create_view("comparisons", COMPARISONS_VIEW_SQL)


@migrations()
def m014_winnow_packed(db: sqlite_utils.Database) -> None:
    """Winnowed k-grams as `fingerprint.pack_winnow` stores them (about 10 bytes a k-gram
    instead of 16); their params name the encoding."""
    rows = db.execute("select rowid, params, value from fingerprints where kind = 'winnow'").fetchall()
    updates = []
    for rowid, params, value in rows:
        settings = json.loads(params or "{}")
        if settings.get("encoding") == fingerprint.WINNOW_ENCODING or value is None:
            continue
        settings["encoding"] = fingerprint.WINNOW_ENCODING
        updates.append((json.dumps(settings, sort_keys=True), fingerprint.pack_winnow(fingerprint.load_winnow(value)), rowid))
    db.conn.executemany("update fingerprints set params = ?, value = ? where rowid = ?", updates)


# From m015: a segment's kind as a small integer (the view names it), and `kind` without a
# declared type so that SQLite keeps the integer (0 for a sentence takes no bytes at all).
KINDS_BY_CODE = ("sentence", "title", "dateline", "url", "debris")
SEGMENT_KIND_CODES = {kind: code for code, kind in enumerate(KINDS_BY_CODE)}

SEGMENT_SPANS_SQL = """
create table segment_spans (
  id integer primary key,
  document integer not null references document_numbers(n),
  n integer not null,
  paragraph integer,
  kind,
  start integer,
  "end" integer,
  text_hash,
  boilerplate integer,
  reason text
)
"""

KIND_NAME_SQL = "case s.kind " + " ".join(f"when {code} then '{kind}'" for code, kind in enumerate(KINDS_BY_CODE)) + " else s.kind end"

SEGMENTS_VIEW_SQL = f"""
select s.id, d.id as document_id, s.n, s.paragraph, {KIND_NAME_SQL} as kind, s.start, s."end",
       substr(t.text, s.start + 1, s."end" - s.start) as text,
       case when typeof(s.text_hash) = 'integer' then printf('%016x', s.text_hash) else s.text_hash end as text_hash,
       s.boilerplate, s.reason
from segment_spans s join document_numbers d on d.n = s.document join documents t on t.id = d.id
"""


def kind_key(kind: str | None) -> int | str | None:
    """How `segment_spans` keeps a segment kind: a known kind as its code, anything else as given."""
    return SEGMENT_KIND_CODES.get(kind, kind) if isinstance(kind, str) else kind


def kind_name(key: int | str | None) -> str | None:
    return KINDS_BY_CODE[key] if isinstance(key, int) and 0 <= key < len(KINDS_BY_CODE) else key


@migrations()
def m015_segment_kind_codes(db: sqlite_utils.Database) -> None:
    """`segment_spans` rebuilt with each kind as its code (8 bytes less on every sentence), same
    ids, so the full-text index stays as it is; `segments` shows the names as before."""
    searchable = db["segments_fts"].exists()
    for trigger in SEARCH_TRIGGERS:
        db.execute(f"drop trigger if exists {trigger}")
    db.execute("drop view segments")
    db.execute(SEGMENT_SPANS_SQL.replace("create table segment_spans", "create table segment_spans_coded"))
    codes = " ".join(f"when '{kind}' then {code}" for kind, code in SEGMENT_KIND_CODES.items())
    db.execute(
        f"""insert into segment_spans_coded
        select id, document, n, paragraph, case kind {codes} else kind end, start, "end", text_hash, boilerplate, reason
        from segment_spans order by id"""
    )
    db.execute("drop table segment_spans")
    db.execute("alter table segment_spans_coded rename to segment_spans")
    db.execute("create unique index idx_segment_spans_document_n on segment_spans (document, n)")
    db.create_view("segments", SEGMENTS_VIEW_SQL)
    if searchable:
        create_search_triggers(db)


@migrations()
def m016_anchor_pending(db: sqlite_utils.Database) -> None:
    db.execute(ANCHOR_PENDING_SQL)
    # A document replaced while its postings wait is found by number, not by a scan of them all.
    db.execute("create index if not exists idx_anchor_pending_document on anchor_pending (document)")
    db.execute("drop view if exists anchors")
    db.create_view("anchors", ANCHORS_VIEW_SQL)


@migrations()
def m017_corpus_verdicts(db: sqlite_utils.Database) -> None:
    """The report's verdict on a pair where the corpus changes the pair's own (`derivations`,
    `related` hold each pair judged alone), kept where SQL and Datasette can see it. Re-runnable."""
    if "reported" not in db["derivations"].columns_dict:
        db["derivations"].add_column("reported", int)
    db["corpus_verdicts"].create(
        {
            "document_a": str,
            "document_b": str,
            "kind": str,
            "derivative": str,
            "source": str,
            "relation": str,
            "reason": str,
            "common_source": str,
            "explanation": str,
            "pairwise": str,
            "run_id": int,
        },
        pk=("document_a", "document_b"),
        foreign_keys=[("document_a", "documents", "id"), ("document_b", "documents", "id"), ("run_id", "runs", "id")],
        if_not_exists=True,
    )
    db["corpus_verdicts"].create_index(["document_b"], if_not_exists=True)
    db.execute("drop view if exists aligned_passages")
    db.create_view("aligned_passages", ALIGNED_PASSAGES_SQL)


@migrations()
def m018_report_views(db: sqlite_utils.Database) -> None:
    """The derivations and related pairs as the report gives them, for Datasette and SQL:
    `derivations` and `related` hold each pair judged alone, `corpus_verdicts` what the report
    says instead (a sibling of a wire story, or a derivation the chain turns round)."""
    for name, sql in (("report_derivations", REPORT_DERIVATIONS_SQL), ("report_related", REPORT_RELATED_SQL)):
        db.execute(f"drop view if exists {name}")
        db.create_view(name, sql)


# A derivation the report turns round has no row of its own: its passages are those of the row
# for the other direction (`derivation_id`), and its scores were measured the other way (left out).
REPORT_DERIVATIONS_SQL = """
select d.derivative, d.source, d.relation, d.score, d.coverage, d.direction_confidence,
       'the pair alone' as judged, d.id as derivation_id
from derivations d where coalesce(d.reported, 1) = 1
union all
select v.derivative, v.source, v.relation, null, null, null, 'with the corpus', r.id
from corpus_verdicts v left join derivations r on r.derivative = v.source and r.source = v.derivative
where v.kind = 'derivation'
"""


REPORT_RELATED_SQL = """
select v.document_a, v.document_b, v.reason, v.common_source, v.explanation, 'with the corpus' as judged
from corpus_verdicts v where v.kind = 'related'
union all
select r.document_a, r.document_b, r.reason, r.common_source, r.explanation, 'the pair alone' as judged
from related r
where not exists (select 1 from corpus_verdicts v where v.document_a = r.document_a and v.document_b = r.document_b)
"""


_UINT64 = (1 << 64) - 1


def hash_key(hex16: str) -> int | str:
    """A 16-hex-digit hash as the signed 64-bit integer SQLite stores in 8 bytes
    (`printf('%016x', …)` gives the hex back); anything else unchanged."""
    if len(hex16) == 16:
        try:
            value = int(hex16, 16)
        except ValueError:
            return hex16
        if f"{value:016x}" == hex16:
            return value - (1 << 64) if value > (1 << 63) - 1 else value
    return hex16


def anchor_key(term: str) -> int | str:
    """How an anchor term is stored: a winnowed k-gram ('#' and 16 hex digits) as its hash,
    a stem as itself. `anchor_term` is the exact inverse."""
    if term[:1] == PASSAGE_PRINT:
        key = hash_key(term[1:])
        if isinstance(key, int):
            return key
    return term


def anchor_term(key: int | str) -> str:
    return f"{PASSAGE_PRINT}{key & _UINT64:016x}" if isinstance(key, int) else key


def number_documents(db: sqlite_utils.Database, ids: Iterable[str]) -> dict[str, int]:
    """The ordinals of stored documents, given to those that have none yet (in this order)."""
    ids = list(ids)
    db.conn.executemany("insert or ignore into document_numbers (id) values (?)", [(i,) for i in ids])
    return _column_by_id(db, "document_numbers", "n", ids)


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
        _when_free(lambda: db.execute("PRAGMA journal_mode=WAL"))
        db.execute("PRAGMA synchronous=NORMAL")
    db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys=ON")
    ensure_db_shape(db)
    return db


def database_path(db: sqlite_utils.Database) -> str | None:
    """The file behind `db`, or None for an in-memory database."""
    for _, name, file in db.execute("PRAGMA database_list").fetchall():
        if name == "main":
            return file or None
    return None


def open_reader(path: str) -> sqlite_utils.Database:
    """A second connection for a worker process that only reads (the schema exists already)."""
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return sqlite_utils.Database(conn)


def ensure_db_shape(db: sqlite_utils.Database) -> None:
    """Apply pending migrations; re-runnable, and safe when two processes start at once."""
    if not migrations.pending(db):
        return
    with write_transaction(db):
        migrations.apply(db)


def _when_free(action, attempts: int = 20):
    """`action()`, tried again while another process holds the database ('database is locked'):
    SQLite may refuse a journal-mode switch or `BEGIN IMMEDIATE` at once, without waiting out
    its busy timeout (several processes opening one new database, WAL recovery)."""
    for attempt in range(attempts):
        try:
            return action()
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) and "busy" not in str(error) or attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


@contextlib.contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """One `BEGIN IMMEDIATE … COMMIT`; sqlite-utils writes inside it join it."""
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    _when_free(lambda: db.conn.execute("BEGIN IMMEDIATE"))
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
    anchors: list[str] = (),
) -> str:
    """Store one analysed document atomically; returns 'new', 'unchanged' or 'updated'."""
    return save_document_rows(db, document_rows(doc, paragraphs, fingerprints, anchors), run_id)[0]


def document_rows(
    doc: Document, paragraphs: list[tuple[int, int]], fingerprints: list[dict], anchors: Iterable[str] = (),
    keys: list[int | str] | None = None,
) -> dict:
    """Every row `save_document_rows` writes of one document, as SQL parameters: made where the
    document was analysed (a worker process), so the process holding the database only runs SQL.
    `keys` may be given instead of `anchors`: their distinct `anchor_key`s in `_key_order`."""
    from .fingerprint import segment_key

    return {
        "id": doc.id,
        "content_hash": doc.content_hash,
        "document": document_row(doc, ingested_at=""),
        "paragraphs": [(doc.id, n, s, e) for n, (s, e) in enumerate(paragraphs)],
        "segments": [
            (seg.n, seg.paragraph, kind_key(seg.kind), seg.start, seg.end, segment_key(doc.text, seg), int(seg.boilerplate), seg.reason)
            for seg in doc.segments
        ],
        "fingerprints": [(doc.id, p["kind"], p["params"], p["count"], p["value"]) for p in fingerprints],
        "anchors": keys if keys is not None else sorted({anchor_key(term) for term in anchors}, key=_key_order),
    }


def save_documents(db: sqlite_utils.Database, batch: Iterable[dict], run_id: int | None = None) -> list[tuple[str, str]]:
    """Store `document_rows` of many documents in one transaction, each document atomically;
    returns (document id, 'new', 'unchanged' or 'updated') in the order given.

    Their anchors wait in `anchor_pending` for `merge_pending_anchors`."""
    outcomes = []
    anchors: dict[int, list] = {}
    with write_transaction(db):
        searchable = search_enabled(db)
        if searchable:
            db.execute("drop trigger if exists segment_spans_ai")
        for rows in batch:
            outcome, number = save_document_rows(db, rows, run_id, index_anchors=False)
            outcomes.append((rows["id"], outcome))
            if number is not None:
                anchors[number] = rows["anchors"]
                if searchable:  # at once: a later version of it in this batch deletes what is indexed
                    _index_segment_text(db, number, rows["document"]["text"])
        if searchable:
            create_search_triggers(db, only=("segment_spans_ai",))
        db.conn.executemany(
            "insert into anchor_pending (term, document) values (?, ?)",
            [(key, number) for number, keys in anchors.items() for key in keys],
        )
    return outcomes


def merge_pending_anchors(db: sqlite_utils.Database) -> int:
    """Move the postings `save_documents` left in `anchor_pending` into the index, sorted, in one
    transaction; returns how many. `pipeline.ingest` calls it when it has stored everything, and
    `pipeline.analyse_corpus` before it looks for candidates (an ingest stopped midway left some)."""
    if db.execute("select not exists (select 1 from anchor_pending)").fetchone()[0]:
        return 0
    with write_transaction(db):
        count = db.execute("select count(*) from anchor_pending").fetchone()[0]
        db.execute("insert or ignore into anchor_index (term, document) select term, document from anchor_pending order by term, document")
        db.execute("delete from anchor_pending")
    return count


def _index_segment_text(db: sqlite_utils.Database, number: int, text: str) -> None:
    """Add the segments of one stored document (its number, its text) to the full-text index.

    The insert trigger does the same one row at a time, reading the document's text back from
    its overflow pages for every segment: for a batch that costs about as much as storing it."""
    spans = db.conn.execute('select id, start, "end" from segment_spans where document = ? order by n', [number])
    db.conn.executemany("insert into segments_fts (rowid, text) values (?, ?)", [(i, text[a:b]) for i, a, b in spans.fetchall()])


def save_document_rows(db: sqlite_utils.Database, rows: dict, run_id: int | None = None, index_anchors: bool = True) -> tuple[str, int | None]:
    """Store one document's `document_rows` atomically; returns 'new', 'unchanged' or 'updated'
    and the document's number (None when unchanged). Its anchors are left to the caller
    when not `index_anchors`.

    An update keeps the replaced text in `document_versions`, so the earlier analysis can
    always be explained, and replaces segments and fingerprints in the same transaction.
    """
    document_id = rows["id"]
    with write_transaction(db):
        conn = db.conn
        old = conn.execute(
            "select content_hash, version, title, origin, text, ingested_at from documents where id = ?",
            [document_id],
        ).fetchone()
        if old and old[0] == rows["content_hash"]:
            return "unchanged", None
        row = {**rows["document"], "version": old[1] + 1 if old else 1, "ingested_at": now(), "run_id": run_id}
        if old:
            db["document_versions"].insert(
                {
                    "document_id": document_id,
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
            for table in ("paragraphs", "fingerprints"):
                conn.execute(f"delete from {table} where document_id = ?", [document_id])
            for table in ("segment_spans", "anchor_index", "anchor_pending"):
                conn.execute(f"delete from {table} where document = (select n from document_numbers where id = ?)", [document_id])
            forget_comparisons(db, document_id)
            conn.execute(
                f"update documents set {', '.join(f'[{key}] = ?' for key in row if key != 'id')} where id = ?",
                [value for key, value in row.items() if key != "id"] + [document_id],
            )
        else:
            conn.execute(
                f"insert into documents ({', '.join(f'[{key}]' for key in row)}) values ({', '.join('?' for _ in row)})",
                list(row.values()),
            )
        number = number_documents(db, [document_id])[document_id]
        conn.executemany('insert into paragraphs (document_id, n, start, "end") values (?, ?, ?, ?)', rows["paragraphs"])
        conn.executemany(
            "insert into segment_spans values (null, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(number, *segment) for segment in rows["segments"]],
        )
        conn.executemany("insert into fingerprints (document_id, kind, params, count, value) values (?, ?, ?, ?, ?)", rows["fingerprints"])
        if index_anchors:
            conn.executemany("insert or ignore into anchor_index (term, document) values (?, ?)", [(key, number) for key in rows["anchors"]])
        return "updated" if old else "new", number


def document_row(doc: Document, version: int = 1, run_id: int | None = None, ingested_at: str | None = None) -> dict:
    """The `documents` row of one analysed document (also written by the Spark run)."""
    return {
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
        "ingested_at": ingested_at or now(),
        "run_id": run_id,
    }


def segment_rows(doc: Document) -> list[dict]:
    """The `segments` rows of one document, without their row ids."""
    return [
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
    ]


def insert_segment_rows(db: sqlite_utils.Database, rows: Iterable[dict], numbers: dict[str, int] | None = None) -> int:
    """`segments` rows (as `segment_rows` makes them and the view shows them) into
    `segment_spans`: the text is not stored, it is cut from documents.text. Returns how many."""
    rows = list(rows)
    if numbers is None:
        numbers = number_documents(db, sorted({row["document_id"] for row in rows}))
    db.conn.executemany(
        "insert into segment_spans values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                row.get("id"), numbers[row["document_id"]], row["n"], row["paragraph"], kind_key(row["kind"]), row["start"],
                row["end"], hash_key(row["text_hash"]) if row["text_hash"] is not None else None,
                row["boilerplate"], row["reason"],
            )
            for row in rows
        ],
    )
    return len(rows)


SPAN_KEYS = ("n", "paragraph", "kind", "start", "end", "boilerplate", "reason")


def load_spans(db: sqlite_utils.Database, document_ids: list[str]) -> dict[str, list[dict]]:
    """The segments of `document_ids` without their text (cut it from the document's text),
    in segment order."""
    found: dict[str, list[dict]] = {document_id: [] for document_id in document_ids}
    for at in range(0, len(document_ids), 500):
        chunk = document_ids[at:at + 500]
        rows = db.execute(
            'select d.id, s.n, s.paragraph, s.kind, s.start, s."end", s.boilerplate, s.reason '
            "from document_numbers d join segment_spans s on s.document = d.n "
            f"where d.id in ({', '.join('?' for _ in chunk)}) order by d.id, s.n",
            chunk,
        )
        for row in rows:
            span = dict(zip(SPAN_KEYS, row[1:]))
            span["kind"] = kind_name(span["kind"])
            found[row[0]].append(span)
    return found


def _segment_hashes(doc: Document) -> list[str]:
    from .fingerprint import segment_hash

    return [segment_hash(doc.text, seg) for seg in doc.segments]


def recurring_changes(db: sqlite_utils.Database, min_documents: int = RECURRING_MIN_DOCUMENTS) -> dict[str, list[tuple]]:
    """Segments whose `recurring` flag must change, by document: `(segment id, boilerplate, reason)`.

    A sentence or title recurring in at least `min_documents` documents of one source is
    outlet boilerplate (newsletter pitches, standard disclaimers). Recomputed over the whole
    store, so the flags follow the corpus as it grows.
    """
    spans = "segment_spans s join document_numbers n on n.n = s.document join documents d on d.id = n.id"
    rows = db.execute(
        f"""
        with recurring as (
          select d.source as source, s.text_hash as text_hash
          from {spans}
          where d.source is not null and s.kind in (:sentence, :title)
            and (s.boilerplate = 0 or s.reason = 'recurring')
          group by d.source, s.text_hash
          having count(distinct s.document) >= :min
        ),
        flagged as (
          select s.id, n.id as document_id, s.reason is 'recurring' as is_flagged,
                 exists (select 1 from recurring r where r.source = d.source and r.text_hash = s.text_hash)
                   as should_flag
          from {spans}
          where s.kind in (:sentence, :title) and (s.boilerplate = 0 or s.reason = 'recurring')
        )
        select document_id, id, should_flag from flagged where is_flagged != should_flag
        order by document_id, id
        """,
        {"min": min_documents, "sentence": SEGMENT_KIND_CODES["sentence"], "title": SEGMENT_KIND_CODES["title"]},
    ).fetchall()
    changes: dict[str, list[tuple]] = {}
    for document_id, segment_id, should_flag in rows:
        changes.setdefault(document_id, []).append(
            (segment_id, int(bool(should_flag)), "recurring" if should_flag else None)
        )
    return changes


def segment_numbers(db: sqlite_utils.Database, segment_ids: list[int]) -> dict[int, int]:
    """The place (`n`) of each segment in its document, by segment id."""
    return dict(db.execute(
        "select id, n from segment_spans where id in (select value from json_each(?))", [json.dumps(segment_ids)]
    ).fetchall())


def apply_segment_flags(db: sqlite_utils.Database, changes: list[tuple]) -> None:
    db.conn.executemany(
        "update segment_spans set boilerplate = ?, reason = ? where id = ?",
        [(flag, reason, segment_id) for segment_id, flag, reason in changes],
    )


def replace_fingerprints(db: sqlite_utils.Database, document_id: str, fingerprints: list[dict]) -> None:
    with write_transaction(db):
        db.execute("delete from fingerprints where document_id = ?", [document_id])
        db.conn.executemany(
            "insert into fingerprints (document_id, kind, params, count, value) values (?, ?, ?, ?, ?)",
            [(document_id, p["kind"], p["params"], p["count"], p["value"]) for p in fingerprints],
        )


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
        {**span, "text": row["text"][span["start"]:span["end"]], "boilerplate": bool(span["boilerplate"])}
        for span in load_spans(db, [document_id])[document_id]
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


def forget_comparisons(db: sqlite_utils.Database, document_id: str) -> None:
    """Drop every verdict involving a document whose text changed (inside the caller's transaction)."""
    db.execute(
        "delete from passages where derivation_id in (select id from derivations where derivative = ? or source = ?)",
        [document_id, document_id],
    )
    db.execute("delete from derivations where derivative = ? or source = ?", [document_id, document_id])
    db.execute("delete from related where document_a = ? or document_b = ?", [document_id, document_id])
    db.execute(
        "delete from compared_pairs where document_a = (select n from document_numbers where id = :id) "
        "or document_b = (select n from document_numbers where id = :id)",
        {"id": document_id},
    )


def _key_order(key: int | str) -> tuple:
    return (0, key, "") if isinstance(key, int) else (1, 0, key)


def insert_anchor_rows(db: sqlite_utils.Database, rows: Iterable[dict]) -> int:
    """`anchors` rows ({document_id, term}, as the view shows them) into the index; returns how many."""
    rows = list(rows)
    numbers = number_documents(db, sorted({row["document_id"] for row in rows}))
    db.conn.executemany(
        "insert or ignore into anchor_index (term, document) values (?, ?)",
        [(anchor_key(row["term"]), numbers[row["document_id"]]) for row in rows],
    )
    return len(rows)


def load_anchors(db: sqlite_utils.Database, shared_only: bool = False) -> dict[str, list[str]]:
    """Every document's anchor terms, sorted, by document id.

    With `shared_only`, only the terms that two or more documents have: a term of one document
    proposes no pair (`candidates.rank` skips the document itself) and is never formula (that
    takes four days or five documents), and most winnowed prints are such terms (59 % of the
    INSM corpus's postings, 90 % of its terms), which a whole corpus's index would hold in
    memory for nothing. Every document with anchors is still listed (the index counts it), and a
    shared term is one string however many documents list it. The index is scanned in its key
    order, so each term's documents come together."""
    names = dict(db.execute("select n, id from document_numbers").fetchall())
    least = 2 if shared_only else 1
    keys: dict[int, list] = {}
    for key, rows in groupby(db.execute("select term, document from anchor_index order by term, document"), itemgetter(0)):
        numbers = [number for _, number in rows]
        term = anchor_term(key) if len(numbers) >= least else None
        for number in numbers:
            found = keys.get(number)
            if found is None:
                found = keys[number] = []
            if term is not None:
                found.append(term)
    return {names[number]: sorted(found) for number, found in sorted(keys.items(), key=lambda kv: names[kv[0]])}


def compared(db: sqlite_utils.Database) -> dict[tuple[str, str], tuple[str, str]]:
    """Pairs already judged, with the content hashes they were judged on."""
    names = dict(db.execute("select n, id from document_numbers").fetchall())
    current = dict(db.execute("select id, content_hash from documents").fetchall())
    found = {}
    for a, b, hash_a, hash_b in db.execute("select document_a, document_b, hash_a, hash_b from compared_pairs"):
        a, b = names[a], names[b]
        found[a, b] = (current.get(a) if hash_a is None else _hex(hash_a), current.get(b) if hash_b is None else _hex(hash_b))
    return found


def _hex(value: bytes | str | None) -> str | None:
    return value.hex() if isinstance(value, bytes) else value


def save_verdict(
    db: sqlite_utils.Database,
    pair: tuple[str, str],
    hashes: tuple[str, str],
    verdict: dict | None,
    run_id: int | None = None,
) -> None:
    """Store the verdict on one pair (and that it was judged) in one transaction."""
    save_verdicts(db, [(pair, hashes, verdict)], run_id)


def save_verdicts(
    db: sqlite_utils.Database,
    judged: list[tuple[tuple[str, str], tuple[str, str], dict | None]],
    run_id: int | None = None,
) -> None:
    """Store (pair, hashes, verdict) in order, in one transaction: the rows `save_verdict` would
    leave, pair by pair. Only pairs that have verdict rows already pay for deleting them, and
    the comparisons go in with one statement: a first audit judges 140,000 pairs, most with no
    verdict and nothing stored before."""
    with write_transaction(db):
        stored = _pairs_with_verdicts(db, sorted({d for pair, _, _ in judged for d in pair}))
        comparisons = []
        for (a, b), hashes, verdict in judged:
            if tuple(sorted((a, b))) in stored:
                db.execute(
                    "delete from passages where derivation_id in (select id from derivations where "
                    "(derivative = ? and source = ?) or (derivative = ? and source = ?))",
                    [a, b, b, a],
                )
                db.execute(
                    "delete from derivations where (derivative = ? and source = ?) or (derivative = ? and source = ?)",
                    [a, b, b, a],
                )
                db.execute("delete from related where document_a = ? and document_b = ?", [a, b])
            outcome = "none"
            if verdict and verdict["kind"] == "derivation":
                outcome = "derivation"
                derivation_id = db["derivations"].insert(derivation_row(verdict, run_id)).last_pk
                db["passages"].insert_all({"derivation_id": derivation_id, **p} for p in verdict["passages"])
            elif verdict:
                outcome = "related"
                db["related"].insert(related_row(verdict, run_id))
            comparisons.append(
                {"document_a": a, "document_b": b, "hash_a": hashes[0], "hash_b": hashes[1], "outcome": outcome, "run_id": run_id}
            )
        insert_comparison_rows(db, comparisons)


def _pairs_with_verdicts(db: sqlite_utils.Database, documents: list[str]) -> set[tuple[str, str]]:
    """Sorted pairs among `documents` that have a derivation or related row."""
    found: set[tuple[str, str]] = set()
    for at in range(0, len(documents), 400):
        chunk = documents[at:at + 400]
        marks = ", ".join("?" for _ in chunk)
        for a, b in db.execute(
            f"select derivative, source from derivations where derivative in ({marks}) "
            f"union all select document_a, document_b from related where document_a in ({marks})",
            chunk + chunk,
        ):
            found.add(tuple(sorted((a, b))))
    return found


def derivation_row(verdict: dict, run_id: int | None = None) -> dict:
    """The `derivations` row of a derivation verdict (its passages go to `passages`)."""
    return {
        "derivative": verdict["derivative"],
        "source": verdict["source"],
        "relation": verdict["relation"],
        "score": verdict["score"],
        "coverage": verdict["coverage"],
        "source_coverage": verdict["source_coverage"],
        "verbatim_share": verdict["verbatim_share"],
        "direction_confidence": verdict["direction"]["confidence"],
        "direction_reasons": json.dumps(verdict["direction"]["reasons"], ensure_ascii=False),
        "evidence": json.dumps(verdict["evidence"], sort_keys=True),
        "run_id": run_id,
    }


def related_row(verdict: dict, run_id: int | None = None) -> dict:
    return {
        "document_a": verdict["documents"][0],
        "document_b": verdict["documents"][1],
        "reason": verdict["reason"],
        "common_source": verdict["common_source"],
        "explanation": verdict["explanation"],
        "evidence": json.dumps(verdict["evidence"], sort_keys=True),
        "run_id": run_id,
    }


def load_derivations(db: sqlite_utils.Database, involving: set[str] | None = None) -> list[dict]:
    """Every stored derivation (or those with a derivative or source in `involving`) with its
    passages, in a stable order."""
    where, args = None, []
    if involving is not None:
        where = "derivative in (select value from json_each(?)) or source in (select value from json_each(?))"
        args = [json.dumps(sorted(involving))] * 2
    passages: dict[int, list[dict]] = {}
    passage_where = f"derivation_id in (select id from derivations where {where})" if where else None
    for row in db["passages"].rows_where(passage_where, args, order_by="derivation_id, derivative_start, source_start, id"):
        passages.setdefault(row["derivation_id"], []).append(
            {key: row[key] for key in ("kind", "derivative_start", "derivative_end", "source_start", "source_end", "similarity")}
        )
    result = []
    for row in db["derivations"].rows_where(where, args, order_by="derivative, source"):
        result.append(
            {
                "derivative": row["derivative"],
                "source": row["source"],
                "relation": row["relation"],
                "score": row["score"],
                "coverage": row["coverage"],
                "source_coverage": row["source_coverage"],
                "verbatim_share": row["verbatim_share"],
                "direction": {
                    "confidence": row["direction_confidence"],
                    "reasons": json.loads(row["direction_reasons"] or "[]"),
                },
                "evidence": json.loads(row["evidence"] or "{}"),
                "passages": passages.get(row["id"], []),
            }
        )
    return result


def load_related(db: sqlite_utils.Database, involving: set[str] | None = None) -> list[dict]:
    """Every stored related pair (or those with a document in `involving`), in a stable order."""
    where, args = None, []
    if involving is not None:
        where = "document_a in (select value from json_each(?)) or document_b in (select value from json_each(?))"
        args = [json.dumps(sorted(involving))] * 2
    return [
        {
            "documents": [row["document_a"], row["document_b"]],
            "reason": row["reason"],
            "common_source": row["common_source"],
            "explanation": row["explanation"],
            "evidence": json.loads(row["evidence"] or "{}"),
        }
        for row in db["related"].rows_where(where, args, order_by="document_a, document_b")
    ]


def dates_and_sources(db: sqlite_utils.Database) -> tuple[dict[str, str | None], dict[str, str | None]]:
    """Every document's publication date and source, by id."""
    dates: dict[str, str | None] = {}
    sources: dict[str, str | None] = {}
    for document_id, date, source in db.execute("select id, date, source from documents"):
        dates[document_id] = date
        sources[document_id] = source
    return dates, sources


def dates_of(db: sqlite_utils.Database, document_ids: list[str]) -> dict[str, str | None]:
    """The publication date of each of `document_ids` that is stored."""
    return dict(db.execute(
        "select id, date from documents where id in (select value from json_each(?))", [json.dumps(document_ids)],
    ).fetchall())


def same_url_pairs(db: sqlite_utils.Database, document_ids: list[str]) -> list[tuple[str, str]]:
    """Pairs (sorted ids) where a target document shares its exact URL with another document."""
    wanted = set(document_ids)
    pairs = set()
    rows = db.execute(
        "select a.id, b.id from documents a join documents b on a.url = b.url and a.id < b.id where a.url is not null"
    )
    for a, b in rows:
        if a in wanted or b in wanted:
            pairs.add((a, b))
    return sorted(pairs)


def save_outlets(db: sqlite_utils.Database, records: list[dict], origin: str, replace_all: bool = False) -> None:
    """Store outlet records (the effective registry) in one transaction."""
    with write_transaction(db):
        if replace_all:
            db.execute("delete from outlets")
        db["outlets"].upsert_all(
            (
                {
                    **{key: record.get(key) for key in ("name", "role", "state_affiliation", "typology", "country", "owner", "notes")},
                    **{key: json.dumps(record.get(key) or [], ensure_ascii=False, sort_keys=True) for key in OUTLET_LIST_FIELDS},
                    "origin": origin,
                    "updated_at": now(),
                }
                for record in records
            ),
            pk="name",
        )


OUTLET_FIELDS = ("name", "role", "state_affiliation", "typology", "country", "owner", "notes")


def load_outlets(db: sqlite_utils.Database) -> list[dict]:
    return outlets_of(outlet_rows(db))


def outlet_rows(db: sqlite_utils.Database) -> list[tuple]:
    """The stored outlet records as stored (lists as JSON text), by name: what decides a registry."""
    if not db["outlets"].exists():
        return []
    return db.execute(f"select {', '.join(OUTLET_FIELDS + OUTLET_LIST_FIELDS)} from outlets order by name").fetchall()


def outlets_of(rows: list[tuple]) -> list[dict]:
    fields = len(OUTLET_FIELDS)
    return [
        dict(zip(OUTLET_FIELDS, row[:fields])) | {key: json.loads(text or "[]") for key, text in zip(OUTLET_LIST_FIELDS, row[fields:])}
        for row in rows
    ]


def document_fields(db: sqlite_utils.Database, ids: list[str] | None = None) -> dict[str, dict]:
    """What outlet resolution and attribution read of every document (or of `ids`), text and how
    each field was found included."""
    keys = ("id", "title", "url", "source", "dateline", "wire_credit", "date", "text", "found")
    query = f"select {', '.join(keys)} from documents"
    if ids is None:
        rows = db.execute(query + " order by id")
    else:
        rows = db.execute(query + " where id in (select value from json_each(?)) order by id", [json.dumps(sorted(ids))])
    return {row[0]: {**dict(zip(keys, row)), "found": json.loads(row[-1] or "{}")} for row in rows}


def postings(db: sqlite_utils.Database, terms: set[str], cap: int) -> dict[str, list[str]]:
    """Documents per anchor term, for the terms used by at most `cap` documents (the index's
    document-frequency cap), straight from the anchors table: a one-article check needs no
    in-memory index of the whole corpus."""
    wanted = json.dumps(sorted((anchor_key(term) for term in terms), key=_key_order))
    rare = [
        key for key, n in db.execute(
            "select term, count(*) from anchor_index where term in (select value from json_each(?)) group by term", [wanted]
        )
        if n <= cap
    ]
    found: dict[str, list[str]] = {anchor_term(key): [] for key in rare}
    for key, document_id in db.execute(
        "select a.term, d.id from anchor_index a join document_numbers d on d.n = a.document "
        "where a.term in (select value from json_each(?)) order by d.id",
        [json.dumps(rare)],
    ):
        found[anchor_term(key)].append(document_id)
    return found


def indexed_prints(db: sqlite_utils.Database, document_ids: Iterable[str], terms: Iterable[str]) -> set[str]:
    """Those of `terms` (winnowed k-grams, '#…') that any of `document_ids` is indexed by:
    index seeks by term, never a scan."""
    keys = sorted({anchor_key(term) for term in terms}, key=_key_order)
    return {
        anchor_term(key) for key, in db.execute(
            "select distinct a.term from anchor_index a where a.term in (select value from json_each(?)) "
            "and a.document in (select n from document_numbers where id in (select value from json_each(?)))",
            [json.dumps(keys), json.dumps(sorted(document_ids))],
        )
    }


def formula_prints(
    db: sqlite_utils.Database,
    min_dates: int = candidates.FORMULA_MIN_DATES,
    min_same_source: int = candidates.FORMULA_MIN_SAME_SOURCE,
    among: set[str] | None = None,
) -> set[str]:
    """`candidates.formula_prints` asked of the database; `among` limits the question to some
    prints (a one-article check), where the term index makes it cheap."""
    restrict = "and a.term in (select value from json_each(:among))" if among is not None else ""
    printed = "(typeof(a.term) = 'integer' or a.term like '#%')"
    documents = "anchor_index a join document_numbers n on n.n = a.document join documents d on d.id = n.id"
    rows = db.execute(
        f"""
        select a.term from {documents}
        where {printed} and d.date is not null {restrict}
        group by a.term having count(distinct substr(d.date, 1, 10)) >= :dates
        union
        select term from (
          select a.term as term, d.source as source, count(*) as n
          from {documents}
          where {printed} and d.source is not null {restrict}
          group by a.term, d.source
        ) group by term having max(n) >= :same and count(*) = 1
        """,
        {
            "dates": min_dates, "same": min_same_source,
            **({"among": json.dumps(sorted((anchor_key(t) for t in among), key=_key_order))} if among is not None else {}),
        },
    )
    return {anchor_term(row[0]) for row in rows}


def pages_with_prints(db: sqlite_utils.Database, hashes: Iterable[int]) -> dict[int, list[tuple[str, str | None, str | None, str | None]]]:
    """For each winnowed k-gram hash, every stored document indexed by it, as (id, source,
    url, date): index seeks by term."""
    keys = {anchor_key(f"{candidates.PASSAGE_PRINT}{h:016x}"): h for h in set(hashes)}
    found: dict[int, list[tuple]] = {h: [] for h in keys.values()}
    for key, *row in db.execute(
        "select a.term, d.id, d.source, d.url, d.date from anchor_index a "
        "join document_numbers n on n.n = a.document join documents d on d.id = n.id "
        "where a.term in (select value from json_each(?)) order by a.term, d.id",
        [json.dumps(sorted(keys, key=_key_order))],
    ):
        found[keys[key]].append(tuple(row))
    return found


def winnowed(db: sqlite_utils.Database, document_id: str) -> bytes | None:
    row = db.execute(
        "select value from fingerprints where document_id = ? and kind = 'winnow'", [document_id]
    ).fetchone()
    return row[0] if row else None


def claims_basis(db: sqlite_utils.Database, document_id: str) -> str | None:
    """What a document's stored claims were checked against (kept on its first claim)."""
    row = db.execute("select basis from claims where document = ? order by n limit 1", [document_id]).fetchone()
    return row[0] if row else None


def drop_claims_outside(db: sqlite_utils.Database, document_ids: set[str]) -> int:
    """Forget the claims of documents no longer in any derivation (the graph changed under
    them); returns how many documents lost their claims."""
    wanted = json.dumps(sorted(document_ids))
    with write_transaction(db):
        gone = db.execute(
            "select count(distinct document) from claims where document not in (select value from json_each(?))", [wanted]
        ).fetchone()[0]
        if gone:
            db.execute("delete from claim_links where document not in (select value from json_each(?))", [wanted])
            db.execute("delete from claims where document not in (select value from json_each(?))", [wanted])
    return gone


def save_claims(db: sqlite_utils.Database, document_id: str, claims: list[dict], basis: str, run_id: int | None) -> None:
    """Replace one document's claims in one transaction; `basis` says what they were checked against."""
    with write_transaction(db):
        db.execute("delete from claim_links where document = ?", [document_id])
        db.execute("delete from claims where document = ?", [document_id])
        db["claims"].insert_all(claim_rows(document_id, claims, basis, run_id))
        db["claim_links"].insert_all(claim_link_rows(document_id, claims))


def claim_rows(document_id: str, claims: list[dict], basis: str, run_id: int | None = None) -> list[dict]:
    """The `claims` rows of one document, in claim order (also written by the Spark run); the
    basis is stored once, on the first claim."""
    return [
        {
            "id": claim["id"],
            "document": document_id,
            "n": n,
            "text": claim["text"],
            "start": claim["start"],
            "end": claim["end"],
            "kind": claim["kind"],
            "slots": json.dumps(claim.get("slots") or {}, ensure_ascii=False, sort_keys=True, default=str),
            "status": claim["status"],
            "checked_against": claim.get("checked_against"),
            "source_document": (claim.get("source") or {}).get("document"),
            "source_start": (claim.get("source") or {}).get("start"),
            "source_end": (claim.get("source") or {}).get("end"),
            "source_text": (claim.get("source") or {}).get("text"),
            "drift": json.dumps(claim.get("drift") or [], ensure_ascii=False, sort_keys=True),
            "basis": basis if n == 0 else None,
            "run_id": run_id,
        }
        for n, claim in enumerate(claims)
    ]


def claim_link_rows(document_id: str, claims: list[dict]) -> list[dict]:
    """The `claim_links` rows of one document: one per claim linked to a source passage."""
    return [
        {
            "claim": claim["id"],
            "document": document_id,
            "source_document": claim["source"]["document"],
            "source_start": claim["source"]["start"],
            "source_end": claim["source"]["end"],
            "similarity": claim["source"].get("similarity"),
            "status": claim["status"],
            "via": claim.get("via") or claim.get("checked_against"),
            "slots": json.dumps(claim.get("slots") or {}, ensure_ascii=False, sort_keys=True, default=str),
            "source_slots": json.dumps(claim["source"].get("slots") or {}, ensure_ascii=False, sort_keys=True, default=str),
        }
        for claim in claims
        if claim.get("source")
    ]


def load_claims(db: sqlite_utils.Database, document_ids: list[str] | None = None, link_slots: bool = False) -> list[dict]:
    """Stored claims in text order; `source` carries the link's similarity (and, with `link_slots`, its slots)."""
    where, params = ("", [])
    if document_ids is not None:
        where = f"where c.document in ({', '.join('?' for _ in document_ids)})"
        params = list(document_ids)
    rows = db.execute(
        "select c.id, c.document, c.text, c.start, c.\"end\", c.kind, c.slots, c.status, c.checked_against, "
        "c.source_document, c.source_start, c.source_end, c.source_text, c.drift, l.similarity, l.via, l.source_slots "
        f"from claims c left join claim_links l on l.claim = c.id {where} order by c.document, c.n",
        params,
    ).fetchall()
    found = []
    for r in rows:
        source = None
        if r[9]:
            source = {"document": r[9], "start": r[10], "end": r[11], "text": r[12], "similarity": r[14]}
            if link_slots:
                source["slots"] = json.loads(r[16] or "{}")
        claim = {
            "id": r[0], "document": r[1], "text": r[2], "start": r[3], "end": r[4], "kind": r[5],
            "slots": json.loads(r[6] or "{}"), "status": r[7], "checked_against": r[8],
            "source": source, "drift": json.loads(r[13] or "[]"),
        }
        if r[15]:
            claim["via"] = r[15]
        found.append(claim)
    return found


def save_review(db: sqlite_utils.Database, derivative: str, source: str, verdict: str, note: str | None) -> dict:
    """A reviewer's verdict on a derivation; kept by document ids, so it survives re-analysis."""
    review = {"derivative": derivative, "source": source, "verdict": verdict, "note": note, "at": now()}
    with write_transaction(db):
        db["reviews"].upsert(review, pk=("derivative", "source"))
    return review


def load_reviews(db: sqlite_utils.Database) -> dict[tuple[str, str], dict]:
    return {
        (row["derivative"], row["source"]): {"verdict": row["verdict"], "note": row["note"], "at": row["at"]}
        for row in db["reviews"].rows_where(order_by="derivative, source")
    }



def _sync(db: sqlite_utils.Database, table: str, pk: tuple[str, ...], rows: list[dict], run_id: int | None = None) -> int:
    """Make `table` hold exactly `rows`: write only rows that changed, delete those that went.

    `run_id` is stamped on written rows and ignored when comparing, so a re-run that changes
    nothing writes nothing. Returns how many rows were written or deleted.
    """
    columns = [c.name for c in db[table].columns if c.name != "run_id"]
    stored = {
        tuple(row[k] for k in pk): row
        for row in (dict(zip(columns, values)) for values in db.execute(f"select {', '.join(columns)} from {table}"))
    }
    wanted = {tuple(row[k] for k in pk): row for row in rows}
    changed = [row for key, row in wanted.items() if stored.get(key) != {c: row.get(c) for c in columns}]
    gone = sorted(key for key in stored if key not in wanted)
    if not changed and not gone:
        return 0
    stamp = {"run_id": run_id} if "run_id" in db[table].columns_dict else {}
    with write_transaction(db):
        where = " and ".join(f"{k} = ?" for k in pk)
        db.conn.executemany(f"delete from {table} where {where}", gone)
        db[table].upsert_all(({**row, **stamp} for row in sorted(changed, key=lambda r: [r[k] for k in pk])), pk=pk)
    return len(changed) + len(gone)


def save_outlets_and_attribution(
    db: sqlite_utils.Database,
    outlets: list[dict],
    attributions: list[dict],
    origins: dict[str, list[str]],
    run_id: int | None = None,
) -> int:
    """Store every document's outlet, every derivation's attribution and every document's
    origins in one transaction, writing only what changed; returns the rows touched."""
    attribution_rows = [
        {
            "derivative": row["derivative"],
            "source": row["source"],
            "attributed": int(row["attributed"]),
            "cue": " | ".join(credit["text"] for credit in row["credits"]) or None,
            "credits": json.dumps(row["credits"], ensure_ascii=False, sort_keys=True),
            "names_wrong_outlet": int(row["names_wrong_outlet"]),
            "wrong_credits": json.dumps(row.get("wrong_credits") or [], ensure_ascii=False, sort_keys=True),
        }
        for row in attributions
    ]
    origin_rows = [{"document_id": doc, "origin": origin} for doc, values in origins.items() for origin in values]
    with write_transaction(db):
        return (
            _sync(db, "document_outlets", ("document_id",), outlets, run_id)
            + _sync(db, "attributions", ("derivative", "source"), attribution_rows, run_id)
            + _sync(db, "document_origins", ("document_id", "origin"), origin_rows)
        )


def save_corpus_verdicts(
    db: sqlite_utils.Database, derivations: list[dict], related: list[dict], run_id: int | None = None
) -> int:
    """What the report decides about pairs, kept beside each pair's own verdict: `derivations.reported`
    (1 where the report lists the derivation, 0 where the corpus settles the pair otherwise) and a
    `corpus_verdicts` row for every pair whose report verdict differs from its stored one (two
    newsrooms running one agency text look derived from each other alone; with the corpus they
    are siblings). Writes only what changed; returns the rows touched."""
    stored_derivations = {
        (derivative, source): (row_id, relation, reported)
        for row_id, derivative, source, relation, reported in db.execute(
            "select id, derivative, source, relation, reported from derivations"
        )
    }
    stored_related = {
        (a, b): (reason, common)
        for a, b, reason, common in db.execute("select document_a, document_b, reason, common_source from related")
    }

    def pairwise(a: str, b: str) -> str | None:
        for derivative, source in ((a, b), (b, a)):
            if (derivative, source) in stored_derivations:
                return f"derivation: {derivative} is a {stored_derivations[derivative, source][1]} of {source}"
        if (a, b) in stored_related:
            reason, common = stored_related[a, b]
            return f"related: {reason}" + (f" ({common})" if common else "")
        return None

    reported = {(d["derivative"], d["source"]) for d in derivations}
    rows = []
    for d in derivations:
        if (d["derivative"], d["source"]) not in stored_derivations:
            a, b = sorted((d["derivative"], d["source"]))
            rows.append({
                "document_a": a, "document_b": b, "kind": "derivation", "derivative": d["derivative"], "source": d["source"],
                "relation": d["relation"], "reason": None, "common_source": None,
                "explanation": "; ".join(d["direction"]["reasons"]) or None, "pairwise": pairwise(a, b),
            })
    for r in related:
        a, b = r["documents"]
        if stored_related.get((a, b)) != (r["reason"], r["common_source"]):
            rows.append({
                "document_a": a, "document_b": b, "kind": "related", "derivative": None, "source": None, "relation": None,
                "reason": r["reason"], "common_source": r["common_source"], "explanation": r["explanation"],
                "pairwise": pairwise(a, b),
            })
    flags = [
        (int(pair in reported), row_id)
        for pair, (row_id, _, was) in sorted(stored_derivations.items())
        if was != int(pair in reported)
    ]
    with write_transaction(db):
        db.conn.executemany("update derivations set reported = ? where id = ?", flags)
        return len(flags) + _sync(db, "corpus_verdicts", ("document_a", "document_b"), rows, run_id)
