"""The compact store (issue 8): each fact stored once, the old tables' shapes kept as views.

Anchors, segments and judged pairs live in `anchor_index`, `segment_spans` and `compared_pairs`
by document number; the views `anchors`, `segments` and `comparisons` show them as before.
These tests check that the index proposes exactly the pairs the anchor terms call for, that an
old database upgrades in place to the same rows, and that the full-text index can be turned off
and on again.
"""
import asyncio
import json
import sqlite3

import pytest
import sqlite_utils
from click.testing import CliRunner
from datasette.app import Datasette

from provenance import candidates, fingerprint, pipeline, store
from provenance.cli import cli, datasette_metadata
from provenance.ingest import RawRecord, read_paths

from .conftest import DERIVATIVE_ID, SEEDS, SOURCE_ID
from .generated import write_corpus

OLD_TABLES = ("segments", "anchors", "comparisons")


def analysed_anchors(paths) -> dict[str, list[str]]:
    """Each document's anchor terms as the pipeline computes them, without a database."""
    found = {}
    for raw in read_paths(paths):
        _, _, _, anchors = pipeline._prepare_document((raw, fingerprint.content_hash(raw.text)))
        found[raw.id] = anchors
    return found


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("generated")
    write_corpus(folder / "corpus", families=3)
    db = store.open_db(folder / "provenance.db")
    pipeline.ingest(db, [str(folder / "corpus")])
    return db, analysed_anchors([folder / "corpus"])


def test_stored_anchors_are_the_analysed_terms(generated):
    db, expected = generated
    assert store.load_anchors(db) == {doc: sorted(set(terms)) for doc, terms in expected.items() if terms}
    prints = [t for terms in expected.values() for t in terms if t.startswith(candidates.PASSAGE_PRINT)]
    assert prints and db.execute("select count(*) from anchor_index where typeof(term) = 'integer'").fetchone()[0] > 0
    view = db.execute("select document_id, term from anchors order by 1, 2").fetchall()
    assert view == sorted((doc, term) for doc, terms in expected.items() for term in set(terms))


def test_candidate_pairs_are_those_of_the_in_memory_index(generated):
    db, expected = generated
    index = candidates.AnchorIndex()
    for document_id in sorted(expected):
        if expected[document_id]:
            index.add(document_id, expected[document_id])
    wanted = {
        tuple(sorted((doc, other))) for doc in sorted(expected) for other, _ in index.candidates(doc, expected[doc])
    }
    hashes = dict(db.execute("select id, content_hash from documents").fetchall())
    got = pipeline.candidate_pairs(db, None, hashes)
    assert len(got) >= 20 and set(got) == wanted | set(store.same_url_pairs(db, sorted(hashes)))


def test_postings_for_a_check_match_the_in_memory_index(generated):
    db, expected = generated
    index = candidates.AnchorIndex()
    for document_id in sorted(expected):
        index.add(document_id, expected[document_id])
    for cap in (1, 3, 50):
        for document_id in sorted(expected)[::5]:
            terms = set(expected[document_id]) | {"#0123456789abcdef", "nosuchstem"}
            found = store.postings(db, terms, cap)
            wanted = {t: sorted(index.postings[t]) for t in terms if 0 < len(index.postings.get(t, ())) <= cap}
            assert found == wanted


@pytest.mark.parametrize("term", ["#0000000000000000", "#ffffffffffffffff", "#8000000000000000", "#7fffffffffffffff",
                                  "#00000000000000ff", "#ABCDEF0123456789", "#12", "#_123456789abcdef", "handel", "2020", "#"])
def test_anchor_keys_round_trip(term):
    key = store.anchor_key(term)
    assert store.anchor_term(key) == term
    if isinstance(key, int):
        assert -(1 << 63) <= key < (1 << 63)
        assert sqlite3.connect(":memory:").execute("select printf('#%016x', ?)", [key]).fetchone()[0] == term


# --- an old database upgrades in place ------------------------------------------------------------


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    """The seeds and a few generated families audited with the current schema."""
    folder = tmp_path_factory.mktemp("audited")
    write_corpus(folder / "corpus", families=2)
    paths = [str(SEEDS), str(folder / "corpus")]
    db = store.open_db(folder / "new.db")
    report = pipeline.audit(paths, db)
    return folder, paths, db, report


def old_database(path, new: sqlite3.Connection) -> None:
    """A database as m001…m008 left it, holding what `new` holds (the old tables' rows are what
    the views show; every claim carries its document's basis, as it used to)."""
    db = sqlite3.connect(path)
    wrapped = sqlite_utils.Database(db)
    store.migrations.apply(wrapped, stop_before="m009_anchor_index")
    db.execute("attach database ? as new", [new.execute("pragma database_list").fetchone()[2]])
    bases = dict(new.execute("select document, basis from claims where basis is not null"))
    for table in wrapped.table_names():
        if table.startswith(("segments_fts", "_sqlite")):
            continue
        columns = ", ".join(f'"{c.name}"' for c in wrapped[table].columns)
        db.execute(f"insert into main.{table} ({columns}) select {columns} from new.{table}")
    db.executemany("update claims set basis = ? where document = ?", [(basis, doc) for doc, basis in bases.items()])
    db.commit()
    db.execute("detach database new")
    db.close()


def test_an_old_database_upgrades_in_place_to_the_same_rows(audited, tmp_path):
    folder, paths, new, report = audited
    path = tmp_path / "old.db"
    old_database(path, new.conn)
    before = sqlite3.connect(path)
    assert {row[0] for row in before.execute("select name from sqlite_master where type = 'table'")} >= set(OLD_TABLES)
    assert before.execute("select count(distinct basis) from claims where basis is not null").fetchone()[0] > 0
    before.close()

    db = store.open_db(path)
    assert [m.name for m in store.migrations.applied(db)] == [m.name for m in store.migrations.applied(new)]
    assert set(OLD_TABLES) <= set(db.view_names())
    for table, order in (("segments", "id"), ("anchors", "document_id, term"), ("comparisons", "document_a, document_b"),
                         ("claims", "id"), ("fingerprints", "document_id, kind")):
        query = f"select * from {table} order by {order}"
        assert db.execute(query).fetchall() == new.execute(query).fetchall() != [], table
    match = "select rowid from segments_fts where segments_fts match 'Handelspartner' order by rowid"
    assert db.execute(match).fetchall() == new.execute(match).fetchall() != []
    db.execute("insert into segments_fts (segments_fts, rank) values ('integrity-check', 1)")

    hashes = dict(db.execute("select id, content_hash from documents").fetchall())
    assert pipeline.candidate_pairs(db, None, hashes) == []  # every pair judged already, on the same content
    again = pipeline.audit(paths, db)
    assert again["run"]["unchanged"] == len(report["documents"])
    assert {k: v for k, v in again.items() if k != "run"} == {k: v for k, v in report.items() if k != "run"}


def test_check_reads_the_upgraded_index(audited, tmp_path):
    folder, paths, new, report = audited
    path = tmp_path / "old.db"
    old_database(path, new.conn)
    db = store.open_db(path)
    text = (SEEDS / f"{DERIVATIVE_ID}.txt").read_text(encoding="utf-8").replace("Peking", "Astana")
    raw = RawRecord(id="incoming", text=text, origin="incoming.txt", format="txt", given={})
    got, wanted = pipeline.check(db, raw), pipeline.check(new, raw)
    assert got == wanted
    assert SOURCE_ID in got["candidates"] and any(d["source"] == SOURCE_ID for d in got["derivations"])


# --- a document that changes, and the full-text index ----------------------------------------------


def test_an_updated_document_leaves_no_stale_rows(tmp_path, seeds, derivative_text):
    db = store.open_db(tmp_path / "p.db")
    pipeline.audit([str(seeds)], db)
    changed = tmp_path / f"{DERIVATIVE_ID}.txt"
    changed.write_text(derivative_text.replace("Peking", "Astana") + "\n\nEin ganz neuer Schlusssatz über Zollabkommen.\n", encoding="utf-8")
    pipeline.audit([str(changed)], db)
    doc = store.load_document(db, DERIVATIVE_ID)
    rows = db.execute("select start, \"end\", text from segments where document_id = ? order by n", [DERIVATIVE_ID]).fetchall()
    assert len(rows) == doc["segments"] and all(doc["text"][s:e] == t for s, e, t in rows)
    fts = "select count(*) from segments_fts where segments_fts match ?"
    assert db.execute(fts, ["Astana"]).fetchone()[0] >= 1
    assert db.execute(fts, ["Zollabkommen"]).fetchone()[0] == 1
    in_derivative = "select count(*) from segments_fts f join segments s on s.id = f.rowid where segments_fts match ? and s.document_id = ?"
    assert db.execute(in_derivative, ["Peking", DERIVATIVE_ID]).fetchone()[0] == 0
    assert db.execute(in_derivative, ["Peking", SOURCE_ID]).fetchone()[0] >= 1
    db.execute("insert into segments_fts (segments_fts, rank) values ('integrity-check', 1)")
    anchors = analysed_anchors([changed])[DERIVATIVE_ID]
    assert store.load_anchors(db)[DERIVATIVE_ID] == sorted(set(anchors))
    assert db.execute("select count(*) from comparisons where document_a = ? or document_b = ?",
                      [DERIVATIVE_ID, DERIVATIVE_ID]).fetchone()[0] == 1  # judged again, on the new text
    assert db.execute("select count(*) from document_numbers").fetchone()[0] == 2


def test_a_batch_is_indexed_for_search_as_the_triggers_would(tmp_path, seeds):
    """`save_documents` indexes a batch's segments in one go (the insert trigger is set aside
    meanwhile): the index holds what a rebuild from the `segments` view gives, and the trigger
    is back for the writes that come one row at a time."""
    db = store.open_db(tmp_path / "p.db")
    pipeline.audit([str(seeds)], db)
    more = tmp_path / "more.jsonl"
    more.write_text("".join(json.dumps({"id": f"m{i}", "text": f"Handelspartner Nummer {i} verhandelt über Zölle.\n\nNoch ein Satz, Nummer {i}."}) + "\n"
                            for i in range(40)), encoding="utf-8")
    pipeline.ingest(db, [str(more)], workers=1)
    assert {row[0] for row in db.execute("select name from sqlite_master where type = 'trigger'")} == set(store.SEARCH_TRIGGERS)
    indexed = "select rowid, text from segments_fts order by rowid"
    batch = db.execute(indexed).fetchall()
    assert len(batch) == db.execute("select count(*) from segments").fetchone()[0]
    assert batch == db.execute("select id, text from segments order by id").fetchall()
    db.execute("insert into segments_fts (segments_fts, rank) values ('integrity-check', 1)")
    db.execute("insert into segments_fts (segments_fts) values ('rebuild')")
    assert db.execute(indexed).fetchall() == batch
    match = "select count(*) from segments_fts where segments_fts match 'Handelspartner'"
    assert db.execute(match).fetchone()[0] >= 40


def test_one_batch_holding_two_versions_of_a_document_keeps_the_search_index_sound(tmp_path):
    """`save_documents` given an id twice in one batch (ingest never does this, a caller may):
    the second version replaces the first, and the index holds the second's segments only."""
    db = store.open_db(tmp_path / "p.db")
    versions = [
        RawRecord(id="doc", text="Der Hafen wächst.\n\nDie Stadt plant eine neue Kaimauer für Containerschiffe.", origin="a", format="txt"),
        RawRecord(id="doc", text="Der Hafen schrumpft.\n\nDie Stadt verschiebt die Kaimauer auf unbestimmte Zeit.", origin="b", format="txt"),
    ]
    outcomes = store.save_documents(db, [pipeline._prepare_rows((raw, None)) for raw in versions])
    assert [outcome for _, outcome in outcomes] == ["new", "updated"]
    db.execute("insert into segments_fts (segments_fts, rank) values ('integrity-check', 1)")
    assert db.execute("select rowid, text from segments_fts order by rowid").fetchall() == db.execute(
        "select id, text from segments order by id").fetchall()
    assert db.execute("select count(*) from segments_fts where segments_fts match 'schrumpft'").fetchone()[0] == 1
    assert db.execute("select count(*) from segments_fts where segments_fts match 'wächst'").fetchone()[0] == 0


def test_search_index_turns_off_and_on(tmp_path, seeds):
    path = tmp_path / "p.db"
    pipeline.audit([str(seeds)], store.open_db(path))
    runner = CliRunner()
    invoke = lambda *args: json.loads(runner.invoke(cli, ["search-index", *args, "--db", str(path), "--json"], catch_exceptions=False).stdout)
    on = invoke()
    assert on["search_index"] is True
    off = invoke("off")
    assert off["search_index"] is False and off["database_bytes"] < on["database_bytes"]
    db = store.open_db(path)
    assert not db["segments_fts"].exists() and db.execute("select count(*) from segments").fetchone()[0] > 0
    more = tmp_path / "more.txt"
    more.write_text("Ein kurzer Text über Handelspartner und Zölle.\n\nNoch ein Satz dazu.\n", encoding="utf-8")
    pipeline.audit([str(more)], db)  # writes go on without the index
    ds = Datasette([str(path)], metadata=datasette_metadata(str(path)))
    assert asyncio.run(ds.client.get("/p/segments")).status_code == 200
    assert invoke("on")["search_index"] is True
    db = store.open_db(path)
    match = "select s.document_id from segments_fts f join segments s on s.id = f.rowid where segments_fts match 'Handelspartner'"
    assert {row[0] for row in db.execute(match)} == {SOURCE_ID, DERIVATIVE_ID, "more"}
    ds = Datasette([str(path)], metadata=datasette_metadata(str(path)))
    rows = asyncio.run(ds.client.get("/p/segments.json?_search=Handelspartner&_shape=array")).json()
    assert {r["document_id"] for r in rows} == {SOURCE_ID, DERIVATIVE_ID, "more"}
    assert all("Handelspartner" in r["text"] for r in rows)


def test_datasette_shows_readable_ids_in_the_views(tmp_path, seeds):
    path = tmp_path / "p.db"
    pipeline.audit([str(seeds)], store.open_db(path))
    ds = Datasette([str(path)], metadata=datasette_metadata(str(path)))
    get = lambda url: asyncio.run(ds.client.get(url))
    (pair,) = get("/p/comparisons.json?_shape=array").json()
    assert (pair["document_a"], pair["document_b"], pair["outcome"]) == (SOURCE_ID, DERIVATIVE_ID, "derivation")
    assert pair["hash_a"] == store.stored_hash(store.open_db(path), SOURCE_ID)
    terms = get(f"/p/anchors.json?_shape=array&document_id={SOURCE_ID}&_size=max").json()
    assert terms and any(t["term"].startswith("#") and len(t["term"]) == 17 for t in terms)
    segments = get(f"/p/segments.json?_shape=array&document_id={DERIVATIVE_ID}").json()
    text = store.load_document(store.open_db(path), DERIVATIVE_ID)["text"]
    assert segments and all(text[s["start"]:s["end"]] == s["text"] for s in segments)
    assert len(segments[0]["text_hash"]) == 16


# --- a check's formula prints ------------------------------------------------------------------------

FORMULA = ("Die Zahlen stammen vom Landesamt für Statistik und werden jeden Morgen um neun Uhr "
           "auf der Webseite der Behörde aktualisiert, teilte eine Sprecherin mit.")


def test_a_check_finds_the_formula_spans_the_whole_term_lists_would(tmp_path):
    """`formula_around` looks up only the candidates' prints that their winnowed k-grams hold;
    the spans it marks are those of the formula prints among all their indexed prints."""
    topics = [
        "Der Stadtrat von Kirchheim beschloss am Montag den Bau einer neuen Sporthalle für den Schulsport.",
        "In Bergdorf stieg die Zahl der Übernachtungen im Sommer deutlich, meldeten die Hoteliers der Region.",
        "Die Feuerwehr Talheim rückte am Wochenende zu einem Scheunenbrand am Ortsrand aus, verletzt wurde niemand.",
        "Beim Stadtlauf in Wiesental gingen mehr als zweitausend Läuferinnen und Läufer an den Start.",
        "Der Wochenmarkt in Auenstadt zieht wegen der Bauarbeiten am Rathausplatz vorübergehend um.",
        "Das Freibad in Seehausen öffnet wegen des warmen Wetters eine Woche früher als geplant.",
    ]
    records = [
        {"id": f"day{i}", "source": f"Blatt {i}", "date": f"2024-05-0{i + 1}", "title": f"Meldung {i}",
         "text": f"Meldung {i}\n\n{topic} {FORMULA} Weitere Einzelheiten nannte die Verwaltung zunächst nicht."}
        for i, topic in enumerate(topics)
    ]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    db = store.open_db(tmp_path / "p.db")
    pipeline.ingest(db, [str(corpus)])
    text = f"Neue Meldung\n\n{topics[2]} {FORMULA} Die Polizei ermittelt nun zur Brandursache."
    raw = RawRecord(id="incoming", text=text, origin="incoming.txt", format="txt", given={"date": "2024-05-20"})
    doc, _, prints, anchors = pipeline._prepare_document((raw, fingerprint.content_hash(raw.text)))
    others = pipeline.check(db, raw)["candidates"]
    own = {t for t in anchors if t.startswith(candidates.PASSAGE_PRINT)}
    assert "day2" in others
    everything = {
        term for term, in db.execute(
            "select term from anchors where term like '#%' and document_id in (select value from json_each(?))",
            [json.dumps(others)],
        )
    }
    whole, found = store.formula_prints(db, among=own | everything), pipeline.formula_around(db, own, others)
    assert found <= whole and found & own == whole & own != set()
    for other in others:
        assert pipeline.formula_spans(db, other, found) == pipeline.formula_spans(db, other, whole) != []


# --- m013-m015: judged hashes by reference, packed k-grams, segment kinds as codes -----------------

def test_judged_pairs_keep_no_copy_of_the_current_hashes(audited):
    folder, paths, db, report = audited
    assert db.execute("select count(*) from compared_pairs").fetchone()[0] > 0
    assert db.execute("select count(*) from compared_pairs where hash_a is not null or hash_b is not null").fetchone()[0] == 0
    shown = db.execute("select document_a, document_b, hash_a, hash_b from comparisons").fetchall()
    hashes = dict(db.execute("select id, content_hash from documents").fetchall())
    assert all((ha, hb) == (hashes[a], hashes[b]) for a, b, ha, hb in shown)
    assert store.compared(db) == {(a, b): (ha, hb) for a, b, ha, hb in shown}


def test_a_pair_judged_on_other_text_keeps_its_hash(tmp_path, seeds):
    db = store.open_db(tmp_path / "p.db")
    pipeline.ingest(db, [str(seeds)])
    stale = "ab" * 32
    store.insert_comparison_rows(db, [{"document_a": SOURCE_ID, "document_b": DERIVATIVE_ID, "hash_a": stale,
                                       "hash_b": store.stored_hash(db, DERIVATIVE_ID), "outcome": "none", "run_id": None}])
    assert db.execute("select hash_a, hash_b from compared_pairs").fetchone() == (bytes.fromhex(stale), None)
    assert db.execute("select hash_a, hash_b from comparisons").fetchone() == (stale, store.stored_hash(db, DERIVATIVE_ID))
    hashes = dict(db.execute("select id, content_hash from documents").fetchall())
    assert pipeline.candidate_pairs(db, None, hashes) == [(SOURCE_ID, DERIVATIVE_ID)]  # judged again


def test_m013_to_m015_shrink_an_older_database_to_the_same_rows(audited, tmp_path):
    """The rows as m012 left them (32-byte hashes, 16-byte k-gram rows, kinds as words) upgrade
    in place to what a fresh database holds, views unchanged."""
    folder, paths, new, report = audited
    path = tmp_path / "older.db"
    new.execute("pragma wal_checkpoint(truncate)")
    older = sqlite3.connect(path)
    new.conn.backup(older)
    older.executemany(
        "update compared_pairs set hash_a = ?, hash_b = ? where document_a = ? and document_b = ?",
        [
            (bytes.fromhex(ha), bytes.fromhex(hb), a, b)
            for a, b, ha, hb in older.execute(
                "select c.document_a, c.document_b, ta.content_hash, tb.content_hash from compared_pairs c "
                "join document_numbers da on da.n = c.document_a join documents ta on ta.id = da.id "
                "join document_numbers db on db.n = c.document_b join documents tb on tb.id = db.id"
            ).fetchall()
        ],
    )
    older.executemany(
        "update fingerprints set params = ?, value = ? where rowid = ?",
        [
            (json.dumps({k: v for k, v in json.loads(params).items() if k != "encoding"}, sort_keys=True),
             fingerprint.load_winnow(value).tobytes(), rowid)
            for rowid, params, value in older.execute("select rowid, params, value from fingerprints where kind = 'winnow'").fetchall()
        ],
    )
    older.execute("update segment_spans set kind = " + store.KIND_NAME_SQL.replace("s.kind", "kind"))
    older.execute("delete from _sqlite_migrations where name >= 'm013'")
    older.commit()
    assert older.execute("select count(*) from segment_spans where typeof(kind) = 'text'").fetchone()[0] > 0
    older.close()

    db = store.open_db(path)
    assert [m.name for m in store.migrations.applied(db)] == [m.name for m in store.migrations.applied(new)]
    for table, order in (("segments", "id"), ("anchors", "document_id, term"), ("comparisons", "document_a, document_b"),
                         ("fingerprints", "document_id, kind"), ("compared_pairs", "document_a, document_b"),
                         ("segment_spans", "id")):
        query = f"select * from {table} order by {order}"
        assert db.execute(query).fetchall() == new.execute(query).fetchall() != [], table
    match = "select rowid from segments_fts where segments_fts match 'Handelspartner' order by rowid"
    assert db.execute(match).fetchall() == new.execute(match).fetchall() != []
    db.execute("insert into segments_fts (segments_fts, rank) values ('integrity-check', 1)")
    text = (SEEDS / f"{DERIVATIVE_ID}.txt").read_text(encoding="utf-8") + "\n\nEin neuer Satz über Zollabkommen.\n"
    changed = tmp_path / f"{DERIVATIVE_ID}.txt"
    changed.write_text(text, encoding="utf-8")
    pipeline.audit([str(changed)], db)  # the search triggers are back: the new sentence is found
    assert db.execute("select count(*) from segments_fts where segments_fts match 'Zollabkommen'").fetchone()[0] == 1


def test_an_audit_that_fills_the_database_leaves_it_compact(tmp_path):
    write_corpus(tmp_path / "corpus", families=2)
    path = tmp_path / "p.db"
    result = CliRunner().invoke(cli, ["audit", str(tmp_path / "corpus"), "--db", str(path), "--report-dir", str(tmp_path / "r")],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    db = store.open_db(path)
    pages = store.pages_in_use(db)
    assert db.execute("pragma freelist_count").fetchone()[0] == 0
    assert not (tmp_path / "p.db-wal").exists() or (tmp_path / "p.db-wal").stat().st_size == 0
    copy = sqlite3.connect(tmp_path / "copy.db")
    db.conn.backup(copy)
    copy.execute("vacuum")
    assert copy.execute("pragma page_count").fetchone()[0] == pages  # nothing left to give back
    assert store.compact_after(db, pages - 1) is False  # a small run does not copy the store
    assert store.compact_after(store.open_db(None), 0) is False  # nor is there a file to compact
