import json

import pytest

from provenance import fingerprint, pipeline, store
from provenance.ingest import RawRecord

from .conftest import DERIVATIVE_ID, SOURCE_ID


def test_migrations_on_an_empty_database(tmp_path):
    path = tmp_path / "empty.db"
    db = store.open_db(path)
    applied = [m.name for m in store.migrations.applied(db)]
    assert applied == [
        "m001_initial", "m002_derivations", "m003_url_index", "m004_outlets", "m005_claims", "m006_reviews",
        "m007_outlets_and_attribution", "m008_claim_links", "m009_anchor_index", "m010_segment_spans",
        "m011_compared_pairs", "m012_claims_basis_once", "m013_judged_hashes_by_reference", "m014_winnow_packed",
        "m015_segment_kind_codes", "m016_anchor_pending", "m017_corpus_verdicts", "m018_report_views",
    ]
    tables = set(db.table_names())
    assert {"documents", "paragraphs", "fingerprints", "runs", "problems", "document_versions"} <= tables
    assert {"document_numbers", "anchor_index", "segment_spans", "compared_pairs", "segments_fts"} <= tables
    assert {"segments", "anchors", "comparisons", "aligned_passages", "report_derivations", "report_related"} <= set(db.view_names())
    assert "reported" in db["derivations"].columns_dict and "reported" in db["aligned_passages"].columns_dict
    assert {(fk.column, fk.other_table) for fk in db["corpus_verdicts"].foreign_keys} == {
        ("document_a", "documents"), ("document_b", "documents"), ("run_id", "runs"),
    }
    assert set(db["segments"].columns_dict) >= {"document_id", "n", "kind", "start", "end", "text", "boilerplate", "reason"}
    assert ("id", "documents") in {(fk.column, fk.other_table) for fk in db["document_numbers"].foreign_keys}
    for table in ("segment_spans", "anchor_index"):
        assert ("document", "document_numbers") in {(fk.column, fk.other_table) for fk in db[table].foreign_keys}
    assert {(fk.column, fk.other_table) for fk in db["compared_pairs"].foreign_keys} >= {
        ("document_a", "document_numbers"), ("document_b", "document_numbers"),
    }
    assert ("document_id", "documents") in {(fk.column, fk.other_table) for fk in db["fingerprints"].foreign_keys}
    assert {(fk.column, fk.other_table) for fk in db["derivations"].foreign_keys} >= {
        ("derivative", "documents"), ("source", "documents"),
    }
    assert ("derivation_id", "derivations") in {(fk.column, fk.other_table) for fk in db["passages"].foreign_keys}
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert db.execute("pragma foreign_keys").fetchone()[0] == 1
    db.close()
    again = store.open_db(path)
    assert [m.name for m in store.migrations.applied(again)] == applied


def ingest(db, paths):
    return pipeline.ingest(db, [str(p) for p in paths])


def test_ingest_is_idempotent(memory_db, seeds):
    first = ingest(memory_db, [seeds])
    assert sorted(first.new) == [SOURCE_ID, DERIVATIVE_ID]
    segments = memory_db.execute("select count(*) from segments").fetchone()[0]
    second = ingest(memory_db, [seeds])
    assert second.new == [] and sorted(second.unchanged) == [SOURCE_ID, DERIVATIVE_ID]
    assert memory_db.execute("select count(*) from segments").fetchone()[0] == segments


def test_same_id_new_content_is_an_update_that_keeps_the_old_version(memory_db, tmp_path, seeds, derivative_text):
    ingest(memory_db, [seeds])
    changed = tmp_path / f"{DERIVATIVE_ID}.txt"
    changed.write_text(derivative_text.replace("Peking", "Astana"), encoding="utf-8")
    result = ingest(memory_db, [changed])
    assert result.updated == [DERIVATIVE_ID]
    doc = store.load_document(memory_db, DERIVATIVE_ID)
    assert doc["version"] == 2 and "Astana" in doc["text"]
    assert [v["version"] for v in doc["versions"]] == [1]
    old_text = memory_db.execute("select text from document_versions where document_id = ?", [DERIVATIVE_ID]).fetchone()[0]
    assert old_text == derivative_text
    assert all(seg["text"] == doc["text"][seg["start"]:seg["end"]] for seg in doc["segment_list"])
    assert memory_db.execute(
        "select count(*) from segments where document_id = ? and text like '%Peking%'", [DERIVATIVE_ID]
    ).fetchone()[0] == 0


def test_whitespace_only_change_is_not_an_update(memory_db, tmp_path, seeds, derivative_text):
    ingest(memory_db, [seeds])
    rewrapped = tmp_path / f"{DERIVATIVE_ID}.txt"
    rewrapped.write_text(derivative_text.replace(". ", ".  "), encoding="utf-8")
    assert ingest(memory_db, [rewrapped]).unchanged == [DERIVATIVE_ID]


def test_a_failure_midway_leaves_no_partial_document(memory_db, seeds, monkeypatch):
    ingest(memory_db, [seeds / f"{SOURCE_ID}.txt"])
    before = {t: memory_db.execute(f"select count(*) from {t}").fetchone()[0] for t in ("documents", "segments", "fingerprints", "paragraphs")}
    real = fingerprint.fingerprints

    def broken(doc):
        rows = real(doc)
        return [rows[0], {**rows[1], "no_such_column": 1}]  # fails after segments were written

    monkeypatch.setattr(fingerprint, "fingerprints", broken)
    with pytest.raises(Exception):
        ingest(memory_db, [seeds / f"{DERIVATIVE_ID}.txt"])
    after = {t: memory_db.execute(f"select count(*) from {t}").fetchone()[0] for t in before}
    assert after == before
    assert memory_db.execute("select count(*) from segments_fts where segments_fts match 'Schaltfläche'").fetchone()[0] == 0
    assert not memory_db.conn.in_transaction


def test_full_text_search_over_segments(memory_db, seeds):
    ingest(memory_db, [seeds])
    rows = memory_db.execute(
        "select s.document_id from segments_fts f join segments s on s.id = f.rowid where segments_fts match ?",
        ["Handelspartner"],
    ).fetchall()
    assert sorted({r[0] for r in rows}) == [SOURCE_ID, DERIVATIVE_ID]


def test_every_document_has_fingerprints(memory_db, seeds):
    ingest(memory_db, [seeds])
    rows = memory_db.execute("select document_id, kind, count, length(value) from fingerprints order by 1, 2").fetchall()
    assert [(r[0], r[1]) for r in rows] == [(SOURCE_ID, "minhash"), (SOURCE_ID, "winnow"), (DERIVATIVE_ID, "minhash"), (DERIVATIVE_ID, "winnow")]
    assert all(r[2] > 0 and r[3] > 0 for r in rows)


def test_lines_recurring_across_one_outlet_become_boilerplate(memory_db, tmp_path):
    pitch = "Abonnieren Sie jetzt unseren kostenlosen Newsletter mit allen wichtigen Nachrichten des Tages."
    lines = []
    for n in range(6):
        body = f"Artikel Nummer {n} berichtet über das Ereignis {n * 7} in der Stadt Nummer {n}. Es gab {n + 2} Verletzte."
        lines.append({"id": f"a{n}", "source": "Beispiel_Politik", "text": f"Titel {n}\n{body}\n{pitch}"})
    lines.append({"id": "other", "source": "Andere", "text": f"Ein anderer Titel\nEin ganz anderer Bericht aus Wien.\n{pitch}"})
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    before = {}
    result = pipeline.ingest(memory_db, [str(path)])
    assert result.recurring_segments == 6
    flagged = memory_db.execute(
        "select document_id from segments where reason = 'recurring' order by document_id"
    ).fetchall()
    assert [r[0] for r in flagged] == [f"a{n}" for n in range(6)]
    doc = pipeline.document_from_store(memory_db, "a0")
    stored = memory_db.execute("select count from fingerprints where document_id = 'a0' and kind = 'minhash'").fetchone()[0]
    assert stored == len(fingerprint.content_words(doc))
    assert "newsletter" not in {w.form for w in fingerprint.content_words(doc)}
    assert pipeline.ingest(memory_db, [str(path)]).recurring_segments == 6


def test_a_batch_of_verdicts_replaces_what_a_pair_had_before(tmp_path, seeds):
    """A pair judged again (its text changed) loses its old derivation and passages; pairs judged
    for the first time in the same batch only gain rows."""
    db = store.open_db(tmp_path / "v.db")
    pipeline.audit([str(seeds)], db)
    (row,) = db.execute("select derivative, source, evidence from derivations").fetchall()
    from provenance import derivation

    verdict = derivation.compare_profiles(
        pipeline.profile(pipeline.document_from_store(db, row[0])), pipeline.profile(pipeline.document_from_store(db, row[1]))
    )
    pair = tuple(sorted((row[0], row[1])))
    hashes = ("a" * 64, "b" * 64)
    related = {"kind": "related", "documents": list(pair), "reason": "other", "common_source": None,
               "explanation": "judged again", "evidence": {}}
    store.save_verdicts(db, [(pair, hashes, related)])
    assert db.execute("select count(*) from derivations").fetchone()[0] == 0
    assert db.execute("select count(*) from passages").fetchone()[0] == 0
    assert db.execute("select reason, explanation from related").fetchall() == [("other", "judged again")]
    store.save_verdicts(db, [(pair, hashes, verdict)])
    assert db.execute("select count(*) from related").fetchone()[0] == 0
    assert db.execute("select count(*) from passages").fetchone()[0] == len(verdict["passages"])
    assert db.execute("select outcome from comparisons").fetchall() == [("derivation",)]


def test_an_ingest_stopped_before_its_anchors_joined_the_index_loses_nothing(tmp_path, seeds, monkeypatch):
    """An ingest stores its documents' anchors in `anchor_pending` and merges them into the
    index once everything is stored. Stopped in between, nothing is lost: the `anchors` view
    already shows them, and the next analysis moves them into the index first and finds the pair."""
    path = tmp_path / "p.db"
    db = store.open_db(path)
    monkeypatch.setattr(store, "merge_pending_anchors", lambda db: 0)  # the process dies before the merge
    ingest(db, [seeds])
    pending = db.execute("select count(*) from anchor_pending").fetchone()[0]
    assert pending > 0 and db.execute("select count(*) from anchor_index").fetchone()[0] == 0
    assert {row[0] for row in db.execute("select distinct document_id from anchors")} == {SOURCE_ID, DERIVATIVE_ID}
    db.close()
    monkeypatch.undo()
    again = store.open_db(path)
    counts = pipeline.analyse_corpus(again)
    assert again.execute("select count(*) from anchor_pending").fetchone()[0] == 0
    assert again.execute("select count(*) from anchor_index").fetchone()[0] == pending
    assert counts["pairs"] == 1 and counts["derivation"] == 1


def test_an_ingest_leaves_no_pending_anchors(memory_db, seeds):
    ingest(memory_db, [seeds])
    assert memory_db.execute("select count(*) from anchor_pending").fetchone()[0] == 0
    by_view = memory_db.execute("select count(*) from anchors").fetchone()[0]
    assert by_view == memory_db.execute("select count(*) from anchor_index").fetchone()[0] > 0


def test_opening_a_database_another_process_holds_waits_for_it(tmp_path, monkeypatch):
    """Several audits starting at once on one new database: SQLite may refuse the switch to WAL
    with 'database is locked' at once. Opening tries again; before, the retry was a context
    manager that could not run its body twice and failed with "generator didn't stop after throw()"."""
    import sqlite3

    import sqlite_utils

    refusals = []
    execute = sqlite_utils.Database.execute

    def busy_at_first(self, sql, *args, **kwargs):
        if sql == "PRAGMA journal_mode=WAL" and len(refusals) < 2:
            refusals.append(sql)
            raise sqlite3.OperationalError("database is locked")
        return execute(self, sql, *args, **kwargs)

    monkeypatch.setattr(sqlite_utils.Database, "execute", busy_at_first)
    db = store.open_db(tmp_path / "shared.db")
    assert len(refusals) == 2
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
